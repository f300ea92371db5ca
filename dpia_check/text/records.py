"""Risk registers and measure lists as people write them, read into records.

A register comes as a table (Markdown rows), as blocks that start with an id
("R1. … Verovatnoća: srednja. Mere: M1, M2."), as bullet or numbered items, or as
plain sentences. Each becomes a :class:`Record`: its id, its original text, and the
values of its labelled parts ("Likelihood: possible", "Pogođena prava: …") or table
cells, so the mapper can fill ``risks[]`` and ``measures[]`` the same way whatever the
layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dpia_check.textprep import fold

if TYPE_CHECKING:
    from dpia_check.text.prepare import Line, Unit
    from dpia_check.text.vocab import Vocabulary

# Column headers of register tables: lexicons column_<field> in rules/lpdp/text/lexicons.yaml,
# tried in this order (a "Residual risk" column is residual, not the risk id). "impact" is a
# column of consequences ("Posledice po korisnike", "Impact"): a rating or a description of
# the harm, which the mapper tells apart by its content.
_COLUMNS = ("likelihood", "severity", "residual", "rights", "measures", "kind", "status", "owner", "description", "impact", "id")
_ID_RE = re.compile(r"^\s*\(?(?P<p>[rmp])\s?-?(?P<n>\d{1,3})\)?(?![\w])")
_IDS_RE = re.compile(r"(?<![\w])(?P<p>[rm])\s?-?(?P<n>\d{1,3})(?![\w])")
_LEADING_IDS = re.compile(r"^\s*(?:[A-ZА-Я]{1,2}-?\d{1,3}\s*[,;]?\s*)+")  # "M1, M3 " before the rest of a cell
_WORD_ID_RE = re.compile(r"^\s*(?:rizik|risk|mera|measure)\s+(?P<n>\d{1,3})\b")


@dataclass
class Record:
    """One entry of a register: id, original text, labelled parts or table cells."""

    ident: str | None
    text: str  # original text of the whole record
    units: list[Unit]
    parts: dict[str, str] = field(default_factory=dict)  # field -> original value text
    heading: str = ""  # folded title of the innermost subsection (measure kind headings)
    columns: tuple[str, ...] = ()  # rating columns of the table header row above it, in order
    cell_columns: tuple[str, ...] = ()  # kind / owner / status columns of that header row, in order

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def page(self) -> int | None:
        return self.units[0].page

    @property
    def line(self) -> int:
        return self.units[0].line


def ident_of(text: str, prefix: str) -> str | None:
    """"R1"/"Р1"/"Risk 1" at the start of a text -> "R1" (``prefix`` is r or m)."""
    f = fold(text)
    m = _ID_RE.match(f)
    if m and m.group("p") == prefix:
        return f"{prefix.upper()}{int(m.group('n'))}"
    m = _WORD_ID_RE.match(f)
    if m and f.startswith(("rizik", "risk")) == (prefix == "r"):
        return f"{prefix.upper()}{int(m.group('n'))}"
    return None


def ids_in(text: str, prefix: str) -> list[str]:
    """All ids with ``prefix`` in a text ("Mere: M1, M2" -> [M1, M2])."""
    out: list[str] = []
    for m in _IDS_RE.finditer(fold(text)):
        if m.group("p") == prefix:
            ident = f"{prefix.upper()}{int(m.group('n'))}"
            if ident not in out:
                out.append(ident)
    return out


class RecordReader:
    """Reads records of one kind ("r" risks, "m" measures) from a section's units."""

    def __init__(self, vocab: Vocabulary, prefix: str) -> None:
        self.vocab = vocab
        self.prefix = prefix
        self._lines: list[Line] | None = None
        labels: list[tuple[str, str]] = []
        for name, lex in (
            ("likelihood", "likelihood_cue"), ("severity", "severity_cue"), ("residual", "residual_cue"),
            ("overall", "overall_cue"), ("rights", "rights_label"), ("measures", "measures_label"),
            ("owner", "owner_label"), ("status", "status_label"),
        ):
            for phrase in vocab.get(lex).phrases:
                labels.append((name, phrase))
        # "Label:" inside a record (folded); the longest label wins
        from dpia_check.lexicon import _phrase_pattern

        alts = sorted(labels, key=lambda x: len(x[1]), reverse=True)
        self._label_names = [n for n, _ in alts]
        self._label_re = re.compile(
            r"(?:^|(?<=[\s.;,(]))(?:" + "|".join(f"(?P<l{i}>{_phrase_pattern(p)})" for i, (_, p) in enumerate(alts)) + r")\s*(?:\([^)]{0,40}\))?\s*:"
        )

    # -- grouping ----------------------------------------------------------------
    def read(self, units: list[Unit], headings: dict[int, str] | None = None, lines: list[Line] | None = None) -> list[Record]:
        """Records in ``units`` (non-heading units of the register's sections, in order);
        ``lines`` (the document's lines) lets the cells of a PDF table row be read from
        the row's first line."""
        headings = headings or {}
        self._lines = lines
        rows = [u for u in units if u.kind == "row"]
        if len(rows) >= 2:
            recs = self._from_table(rows)
            if recs:
                return recs
        recs = self._from_items(units, headings)
        if recs:
            return recs
        return []

    def _from_table(self, rows: list[Unit]) -> list[Record]:
        out: list[Record] = []
        columns: list[str | None] | None = None
        for row in rows:
            cells = list(row.cells or ())
            if columns is None or self._is_header(cells):
                cols = [self._column_of(c) for c in cells]
                if sum(1 for c in cols if c) >= 2 and not ident_of(cells[0] if cells else "", self.prefix):
                    columns = cols
                    continue
            if columns is None:
                continue
            parts: dict[str, str] = {}
            ident = None
            for col, cell in zip(columns, cells, strict=False):
                if not col or not cell.strip():
                    continue
                if col == "id":
                    ident = ident_of(cell, self.prefix)
                    rest = re.sub(r"^\s*\S+\s*[.:–-]?\s*", "", cell) if ident else cell
                    if ident and rest.strip() and "description" not in columns:
                        parts["description"] = rest.strip()
                    elif not ident:
                        parts.setdefault("description", cell.strip())
                    continue
                parts[col] = cell.strip()
            if not parts and not ident:
                continue
            out.append(Record(ident, row.text, [row], parts))
        return out

    def _column_of(self, header: str) -> str | None:
        """The record field a table column holds, from its header ("Verovatnoća" -> likelihood)."""
        f = fold(header).strip()
        for name in _COLUMNS:
            m = self.vocab.get(f"column_{name}").regex.search(f)
            if m:
                return name
        return None

    def _is_header(self, cells: list[str]) -> bool:
        cols = [self._column_of(c) for c in cells]
        return sum(1 for c in cols if c) >= 2 and not any(ident_of(c, self.prefix) for c in cells)

    def _from_items(self, units: list[Unit], headings: dict[int, str]) -> list[Record]:
        out: list[Record] = []
        cur: Record | None = None
        columns: tuple[str, ...] = ()
        cell_columns: tuple[str, ...] = ()
        has_ids = any(self._unit_ident(u) for u in units)
        for u in units:
            if u.kind == "row":
                continue
            ident = self._unit_ident(u)
            is_item = u.kind == "item" or ident is not None
            if is_item and (has_ids and ident is not None or not has_ids):
                cur = Record(ident, u.text, [u], heading=headings.get(u.index, ""), columns=columns, cell_columns=cell_columns)
                out.append(cur)
                continue
            if cur is not None and (self._continues(u) or self._open(cur)):
                cur.units.append(u)
                cur.text = f"{cur.text} {u.text}"
                continue
            columns = self._rating_columns(u) or columns
            cell_columns = self._named_columns(u, ("kind", "owner", "status")) or cell_columns
            cur = None
        for r in out:
            self._split_parts(r)
            if r.columns:
                self._rating_cells(r)
            if r.cell_columns:
                self._kind_owner_cells(r)
        return out

    def _named_columns(self, u: Unit, names: tuple[str, ...]) -> tuple[str, ...]:
        """The columns among ``names`` a PDF table's header row names, in their order
        ("ID Measure Kind Owner Status" -> kind, owner, status); two at least, in a
        one-line unit of a few words without punctuation."""
        if u.first != u.last or len(u.text.split()) > 12 or any(ch in u.text for ch in ".,;:()"):
            return ()
        found = []
        for name in names:
            m = self.vocab.get(f"column_{name}").regex.search(u.folded)
            if m is not None:
                found.append((m.start(), name))
        return tuple(name for _, name in sorted(found)) if len(found) >= 2 else ()

    def _kind_owner_cells(self, r: Record) -> None:
        """The kind and owner cells of a PDF table row whose cells were joined line by line.

        The row's first line holds the first line of every cell side by side: "M1 Idle
        intervals are Technical Head of IT Implemented in the". A cell starts with a capital
        letter, so the kind is the first capitalised kind word after the description's start
        ("Technical", "Техничка"), and when the owner column follows it, the owner is what
        comes after it on that line, up to a capitalised status word if a status column
        follows ("Head of IT"). A wrapped owner cell is read as far as its first line goes."""
        if self._lines is None or "kind" not in r.cell_columns or ("kind" in r.parts and "owner" in r.parts):
            return
        from dpia_check.text.find import fold_map

        first = self._lines[r.units[0].first].text.strip()
        folded, index = fold_map(first)
        ident = _ID_RE.match(folded)
        after_id = ident.end() if ident else 0
        kind = None
        for name in ("technical", "organisational", "staff"):
            for m in self.vocab.get(f"kind_{name}").regex.finditer(folded, after_id):
                if first[index[m.start()]].isupper() and m.start() > after_id and (kind is None or m.start() < kind[0]):
                    kind = (m.start(), m.end())
                    break
        if kind is None:
            return
        r.parts.setdefault("kind", first[index[kind[0]] : index[kind[1]]])
        cells = first[index[kind[0]] :]  # the first lines of the kind cell and the cells after it
        desc = r.parts.get("description", "")
        if cells in desc:
            r.parts["description"] = " ".join(desc.replace(cells, " ", 1).split())
        cols = r.cell_columns
        if "owner" not in r.parts and cols.index("kind") + 1 < len(cols) and cols[cols.index("kind") + 1] == "owner":
            end = len(folded)
            if cols.index("owner") + 1 < len(cols) and cols[cols.index("owner") + 1] == "status":
                for lex in ("status_implemented", "status_planned"):
                    for m in self.vocab.get(lex).regex.finditer(folded, kind[1]):
                        if first[index[m.start()]].isupper():
                            end = min(end, m.start())
                            break
            owner = first[index[kind[1]] : index[end]].strip(" ,;–-")
            if owner:
                r.parts["owner"] = owner

    def _rating_columns(self, u: Unit) -> tuple[str, ...]:
        """The rating columns a PDF table's header row names, in their order: "ID Risk
        Likelihood Severity Measures" -> (likelihood, severity). Only for a one-line unit
        of a few words without punctuation (a sentence about likelihood is no header)."""
        if u.first != u.last or len(u.text.split()) > 12 or any(ch in u.text for ch in ".,;:()"):
            return ()
        found = []
        for name in ("likelihood", "severity"):
            m = self.vocab.get(f"column_{name}").regex.search(u.folded)
            if m is None:
                return ()
            found.append((m.start(), name))
        return tuple(name for _, name in sorted(found))

    def _rating_cells(self, r: Record) -> None:
        """The ratings of a row whose cells were joined into one line, under a header that
        names its rating columns: "R2 disclosure of recordings to third parties high high
        M2, M4" holds likelihood and severity as the last two level words side by side."""
        if "likelihood" in r.parts or "severity" in r.parts:
            return
        from dpia_check.text.find import fold_map

        folded, index = fold_map(r.text)
        levels = sorted(
            (m.start(), m.end())
            for name in ("low", "medium", "high")
            for m in self.vocab.get(f"level_{name}").regex.finditer(folded)
        )
        pairs = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if a[1] <= b[0] and not folded[a[1] : b[0]].strip()]
        if not pairs:
            return
        first, second = pairs[-1]
        for name, (start, end) in zip(r.columns, (first, second), strict=False):
            r.parts[name] = r.text[index[start] : index[end]]
        desc = r.parts.get("description", "")
        cut = r.text[index[first[0]] :]
        if desc.endswith(cut):
            # the ratings (and the measure ids after them) sit inside the description when
            # its cell wrapped: "… u podatke o srednja visoka M1, M3 zdravlju korisnika …"
            rest = _LEADING_IDS.sub("", r.text[index[second[1]] :])
            r.parts["description"] = " ".join(p for p in (desc[: -len(cut)].rstrip(" .;,–-"), rest.strip()) if p) or desc

    def _unit_ident(self, u: Unit) -> str | None:
        return ident_of(u.text, self.prefix)

    def _continues(self, u: Unit) -> bool:
        """A unit right after a record belongs to it if it is one of its labelled parts."""
        f = u.folded
        return bool(self._label_re.match(f)) or (bool(u.text) and u.text[0].islower())

    def _open(self, r: Record) -> bool:
        """The record ends with a label waiting for its value ("… Nosilac:")."""
        return r.text.rstrip().endswith(":")

    # -- parts -----------------------------------------------------------------
    def _split_parts(self, r: Record) -> None:
        """Cut "Label: value" parts out of the record text; the rest is the description."""
        from dpia_check.text.find import fold_map

        folded, index = fold_map(r.text)
        hits = list(self._label_re.finditer(folded))
        if not hits:
            r.parts.setdefault("description", _strip_ident(r.text, self.prefix))
            return
        r.parts.setdefault("description", _strip_ident(r.text[: index[hits[0].start()]], self.prefix).rstrip(" .;,"))
        for i, m in enumerate(hits):
            name = next(self._label_names[int(k[1:])] for k, v in m.groupdict().items() if v is not None)
            a = index[m.end()]
            b = index[hits[i + 1].start()] if i + 1 < len(hits) else len(r.text)
            value = r.text[a:b].strip(" .;,")
            if value and name not in r.parts:
                r.parts[name] = value


def _strip_ident(text: str, prefix: str) -> str:
    """Remove the leading id ("R1.", "- R1:", "Rizik 1 –") from a record's text."""
    from dpia_check.text.find import fold_map

    t = re.sub(r"^\s*[-*•–]\s*", "", text)
    f, index = fold_map(t[:40])  # (the offsets of a match in the folded text, mapped back:
    m = _ID_RE.match(f) or _WORD_ID_RE.match(f)  # folding drops the hyphen of "R-01")
    if m:
        t = t[index[m.end()] :]
    return re.sub(r"^\s*[.:)–—-]\s*", "", t).strip()
