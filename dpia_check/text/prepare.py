"""Prepared text: a document's lines, units and sentences, built once per document.

A PDF gives wrapped lines without blank lines between paragraphs; a ``.txt``/``.md``
file gives lines with blank lines, Markdown headings, lists and tables. Both become
the same thing here: *units* (heading, paragraph, list item, table row) made of
lines, each unit split into *sentences*, and every unit and sentence keeps the page
and line it starts on and its folded form (:func:`dpia_check.textprep.fold`) for
matching. Rules and the mapper search these folded forms; evidence quotes the
original text, in the author's script.

Headings are decided by :mod:`dpia_check.text.sections` (it needs the heading
vocabulary); :func:`prepare` asks it which lines are headings before it groups the
other lines into units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dpia_check.textprep import fold

if TYPE_CHECKING:
    from dpia_check.load.textsource import ExtractedText
    from dpia_check.text.find import Negation
    from dpia_check.text.scan import SentenceScan
    from dpia_check.text.sections import Section
    from dpia_check.text.vocab import Vocabulary

# A list marker at the start of a line: bullets, "1." "1)" "a)" "(iv)" "а)" "2.1.".
BULLET_RE = re.compile(
    r"^\s*(?P<m>[-*•–·▪◦●○■□➢►✓]|\d{1,3}[.)]|\d{1,2}\.\d{1,2}\.?|\(?[a-zа-шђјљњћџčćšžđ][)]|\([0-9ivx]{1,4}\))\s+(?=\S)"
)
# Records that start with an id: "R1." "R-2:" "Р3" (Cyrillic) "M4)" "Rizik 2:" "Measure 3 -".
ID_ITEM_RE = re.compile(
    r"^\s*\(?(?P<id>(?:[RMPLРМПЛ]|RZ)\s?-?\d{1,3})\)?(?=[\s.:)–—-])"
    r"|^\s*(?P<word>rizik|risk|mera|measure|svrha|purpose|ризик|мера|сврха)\s+(?P<n>\d{1,3})\s*[:.)–—-]",
    re.IGNORECASE,
)
COLUMN_LABELS = "columns"  # the marker of a table's header row read from a PDF line (see sections._column_labels)
TABLE_ROW_RE = re.compile(r"^\s*\|(?P<body>.*)\|\s*$")
TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
MD_HEADING_RE = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*#*\s*$")
_FINAL = ".!?:;"
_FINAL_ENDS = tuple(_FINAL)
_AFTER_BREAK = (*_FINAL, ")")
_ABBREV = frozenset(
    "art čl cl st tač tac br npr tj dr mr prof g gosp no nos e.g i.e etc vs sl ul str itd sr engl tzv min max approx ca resp ref vol pp fig "
    "ст чл тач бр нпр тј др стр итд тзв".split()
)
_RECORD_ID = re.compile(r"[a-zа-я]{1,2}-?\d{1,3}")
_CITE_WORDS = frozenset("član člana članom članu čl art article stav st tačka tač broj br no section член члана чланом члану чл став ст тачка тач".split())
_LAW_AFTER = re.compile(r"(?:Zakon|Zakonik|Закон|Law|Act|Code|Uredb|Уредб|Pravilnik|Правилник)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)|(?<=\S)(\*\*|__)")
_LABEL_LINE_RE = re.compile(r"^[A-ZА-ЯЂЈЉЊЋЏČĆŠŽĐ][\w'’/().-]*(?:\s+[\w'’/().-]+){0,6}\s*:\s+\S")
# A sentence end: the punctuation, a closing quote or bracket, space, then a capital. The
# match includes the punctuation (its end is m.start() + 1): a pattern starting with a
# look-behind is tried at every position of the text, one starting with [.!?…] is not.
_SENT_SPLIT_RE = re.compile(r"[.!?…][\"”»)]?\s+(?=[\"„“«(]?[A-ZА-ЯЂЈЉЊЋЏČĆŠŽĐ])")


@dataclass(slots=True, eq=False)
class Line:
    """One line of the source: original text, page (PDF) and line number."""

    text: str
    page: int | None
    line: int

    @property
    def folded(self) -> str:
        """The folded form, on demand: units and sentences are what is searched, so folding
        every line up front was a full pass over the text for nothing."""
        return fold(self.text)


@dataclass(slots=True, eq=False)
class Sentence:
    """A sentence of a unit, with the page and line it starts on."""

    text: str
    folded: str
    page: int | None
    line: int
    unit: int
    index: int = -1  # position among all sentences of the document (see PreparedText.scan)


@dataclass(eq=False)
class Unit:
    """A heading, paragraph, list item or table row: consecutive lines read together."""

    index: int
    kind: str  # heading | para | item | row | label (a cover-table row: label cell, value cell)
    text: str
    folded: str
    page: int | None
    line: int
    first: int  # index of the first line
    last: int  # index of the last line (inclusive)
    marker: str | None = None  # list marker or record id ("R1")
    cells: tuple[str, ...] | None = None  # table row cells (original text)
    level: int = 0  # heading level
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def words(self) -> int:
        return len(self.folded.split())


@dataclass
class PreparedText:
    """Everything the mapper and the text judge read, built once per document."""

    path: str
    format: str
    language: str
    pages: int | None
    engine: str | None
    title: str | None
    lines: list[Line]
    units: list[Unit]
    sections: list[Section]
    vocab: Vocabulary
    # model pointer -> what was looked for and where (en, sr), for pointers not found
    searched: dict[str, tuple[str, str]] = field(default_factory=dict)
    _inner: list[Section | None] | None = field(default=None, repr=False)
    _all: list[Sentence] | None = field(default=None, repr=False)
    _scan: SentenceScan | None = field(default=None, repr=False)
    _negation: Negation | None = field(default=None, repr=False)

    # -- navigation ------------------------------------------------------------
    def sentences(self, units: list[Unit] | None = None) -> list[Sentence]:
        if units is None:
            return list(self.all_sentences())
        return [s for u in units for s in u.sentences]

    def all_sentences(self) -> list[Sentence]:
        """Every sentence in document order (``s.index`` is its position here); do not modify."""
        if self._all is None:
            self._all = [s for u in self.units for s in u.sentences]
            for i, s in enumerate(self._all):
                s.index = i
        return self._all

    @property
    def scan(self) -> SentenceScan:
        """Lexicon hits per sentence, one pass over the whole text per lexicon (built once)."""
        if self._scan is None:
            from dpia_check.text.scan import SentenceScan

            self._scan = SentenceScan(self.all_sentences())
        return self._scan

    @property
    def negation(self) -> Negation:
        """The document's negation reader (shared, so its per-sentence work is done once)."""
        if self._negation is None:
            from dpia_check.text.find import Negation

            self._negation = Negation.of(self.vocab)
        return self._negation

    def body(self) -> list[Unit]:
        """All units except headings."""
        return [u for u in self.units if u.kind != "heading"]

    def section_units(self, keys: set[str] | frozenset[str] | tuple[str, ...]) -> list[Unit]:
        """Units in sections mapped to any of ``keys`` (headings excluded, no duplicates)."""
        seen: set[int] = set()
        out: list[Unit] = []
        for sec in self.sections:
            if not set(sec.keys) & set(keys):
                continue
            for i in range(sec.start, sec.end):
                if i not in seen and self.units[i].kind != "heading":
                    seen.add(i)
                    out.append(self.units[i])
        out.sort(key=lambda u: u.index)
        return out

    def sections_for(self, keys: set[str] | frozenset[str] | tuple[str, ...]) -> list[Section]:
        return [s for s in self.sections if set(s.keys) & set(keys)]

    def section_of(self, unit: Unit) -> Section | None:
        """The innermost mapped section containing ``unit``."""
        if self._inner is None:
            self._inner = self._innermost()
        return self._inner[unit.index]

    def _innermost(self) -> list[Section | None]:
        """For every unit, the innermost mapped section holding it (one pass over sections)."""
        inner: list[Section | None] = [None] * len(self.units)
        for sec in sorted((s for s in self.sections if s.keys), key=lambda s: (s.level, s.start)):
            for i in range(sec.start, sec.end):
                cur = inner[i]
                if cur is None or sec.level >= cur.level:
                    inner[i] = sec
        return inner

    def has_sections(self) -> bool:
        return any(s.keys for s in self.sections)


def split_sentences(text: str, limit: int | None = None) -> list[tuple[int, str]]:
    """Split ``text`` into sentences: (start offset, sentence). Abbreviations do not end one.

    With ``limit``, only the first ``limit`` sentences (the same ones, found without
    reading the rest of a long text)."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _SENT_SPLIT_RE.finditer(text):
        if limit is not None and len(out) >= limit:
            return out
        cut = m.start() + 1  # just after the sentence's punctuation
        before = text[start:cut].rstrip("\"”») ")
        tail_words = before.rsplit(None, 1)
        last = tail_words[-1] if tail_words else ""
        token = last.lstrip("([{\"'„“«").rstrip(".").lower()
        if token in _ABBREV or (len(token) == 1 and token.isalpha()) or token.isdigit() and len(token) <= 2 or "." in token:
            continue
        if _RECORD_ID.fullmatch(token):
            continue  # "R1. Neovlašćen pristup …": the id of a record, not a sentence
        if token.isdigit():
            words = before.lower().split()
            prev_word = words[-2].rstrip(".") if len(words) >= 2 else ""
            if prev_word in _CITE_WORDS or _LAW_AFTER.match(text, m.end()):
                continue
        piece = text[start:cut].strip()
        if piece:
            out.append((start, piece))
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append((start, tail))
    return out


def line_kind(text: str) -> tuple[str, str | None]:
    """Shape of a non-heading line: ("row"|"sep"|"item"|"text", marker)."""
    if "|" in text:  # (both table patterns need one)
        if "-" in text and TABLE_SEP_RE.match(text):
            return "sep", None
        if TABLE_ROW_RE.match(text):
            return "row", None
    m = ID_ITEM_RE.match(text)
    if m:
        ident = m.group("id") or f"{m.group('word')} {m.group('n')}"
        return "item", ident
    m = BULLET_RE.match(text)
    if m:
        return "item", m.group("m")
    return "text", None


def _next_number(prev: str | None, marker: str) -> bool:
    """``marker`` continues a numbered list whose last marker was ``prev`` ("2." after "1.")."""
    if prev is None:
        return False
    a, b = re.match(r"\d+", prev), re.match(r"\d+", marker)
    return bool(a and b and int(b.group()) == int(a.group()) + 1)


_RECORD_NUMBER = re.compile(r"(?P<p>\D+?)-?(?P<n>\d+)$")
_ENDS_WITH_ID = re.compile(r"(?<![\w-])[A-ZА-Я]{1,2}-?\d{1,3}$")  # a row's last cell: "… M1, M3"


def _next_record(prev: str | None, marker: str) -> bool:
    """``marker`` is the record id after ``prev``, with the same letters ("R2" after "R1")."""
    if prev is None:
        return False
    a, b = _RECORD_NUMBER.match(prev.strip()), _RECORD_NUMBER.match(marker.strip())
    return bool(a and b and a.group("p").upper() == b.group("p").upper() and int(b.group("n")) == int(a.group("n")) + 1)


@dataclass(frozen=True)
class CoverRow:
    """A row of a cover table read from a PDF line: "Controller City Administration of
    Kragujevac, Trg slobode 3," (then "Kragujevac" in ``more``, the lines it goes on in)."""

    label: str
    value: str
    more: tuple[int, ...] = ()


_COVER_LINES = 40  # a cover table is on the first lines of the document
_COVER_MIN_ROWS = 2


def cover_rows(lines: list[Line], vocab: Vocabulary) -> dict[int, CoverRow]:
    """The rows of a DPIA's cover table, by line index, when its cells came out of a PDF
    joined into lines without a colon ("Data protection officer M. Ćirić, dpo@…",
    "Odobrio Ž. Šećerović, načelnik Gradske uprave"). A row starts with a cover label
    (controller, DPO, date or version, start, approval) followed by a value that starts
    with a capital or a digit; its value goes on in the next line when the row ends with
    a comma or a hyphen, or the next line starts in lower case. Nothing is taken unless
    the first lines hold two such rows: one line alone is more likely prose or a title."""
    label_re = vocab.cover_label_re()
    found: dict[int, CoverRow] = {}
    seen = 0
    i = 0
    while i < len(lines) and seen < _COVER_LINES:
        text = lines[i].text.strip()
        i += 1
        if not text:
            continue
        seen += 1
        if ":" in text[:60] or not (text[0].isupper()):
            continue
        folded = fold(text)
        m = label_re.match(folded)
        if m is None:
            continue
        n_words = len(m.group("label").split())
        words = text.split()
        value = " ".join(words[n_words:])
        if not value or not (value[0].isupper() or value[0].isdigit()):
            continue  # "Data protection officer was consulted …" is prose
        start, last = i - 1, text
        more: list[int] = []
        while i < len(lines) and len(more) < 2:
            nxt = lines[i].text.strip()
            if not nxt or not (last.endswith((",", "-", "–")) or nxt[0].islower()) or label_re.match(fold(nxt)):
                break
            more.append(i)
            value = f"{value} {nxt}"
            last = nxt
            i += 1
        found[start] = CoverRow(" ".join(words[:n_words]), value, tuple(more))
    return found if len(found) >= _COVER_MIN_ROWS else {}


def _is_label_line(text: str) -> bool:
    """"Datum: …" starts a labelled value; "Belgrade. Owner: IT" (the end of a wrapped
    sentence, then a label) does not: a label has no sentence end before its colon."""
    if not _LABEL_LINE_RE.match(text):
        return False
    return re.search(r"[.!?]\s", text[: text.find(":")]) is None


_VERSION_THEN_DATE = re.compile(r"v?\d{1,2}(?:\.\d{1,2}){1,2}\s+(?=\d)")


def _is_dated_row(text: str, prev: str, width: int) -> bool:
    """A row of a revision history whose cells were joined into a line: a version number
    and a date ("2.0 20 Feb 2026 D. Đukić Risk register revised"), or a date alone after
    a short line (a wrapped sentence such as "… consulted on" / "14 March 2026 and …"
    follows a full line)."""
    from dpia_check.text.find import find_dates

    m = _VERSION_THEN_DATE.match(text)
    if m is not None:
        text = text[m.end() :]
    elif len(prev) >= 0.8 * width:
        return False
    dates = find_dates(text[:40])  # (a date is at most about 20 characters)
    return bool(dates) and dates[0][1] == 0


def _typical_width(lines: list[Line]) -> int:
    """The usual length of a full line: the median of the lines longer than 20 characters
    (most lines of wrapped prose are full; hyphen-joined lines are longer and rare)."""
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text.strip()) > 20)
    if not lengths:
        return 80
    return max(30, lengths[len(lengths) // 2])


def prepare(extracted: ExtractedText, vocab: Vocabulary) -> PreparedText:
    """Build the prepared text of a document (lines, headings, units, sentences, sections)."""
    from dpia_check.text.sections import build_sections, detect_headings

    lines = [Line(t.text, t.page, t.line) for t in extracted.lines]
    column_rows: set[int] = set()
    cover = cover_rows(lines, vocab) if extracted.format == "pdf" else {}
    headings = detect_headings(lines, vocab, markdown=extracted.format == "markdown", column_rows=column_rows, not_headings=set(cover))
    units = _build_units(lines, headings, extracted.format != "pdf", column_rows, cover)
    sections = build_sections(units, vocab)
    pt = PreparedText(
        path=extracted.path,
        format=extracted.format,
        language=extracted.language,
        pages=extracted.pages,
        engine=extracted.engine,
        title=extracted.title,
        lines=lines,
        units=units,
        sections=sections,
        vocab=vocab,
    )
    pt.all_sentences()  # number the sentences
    return pt


class _Folds(dict[str, str]):
    """Folded forms by text: documents repeat sentences, and each is folded once."""

    def __missing__(self, text: str) -> str:
        folded = self[text] = fold(text)
        return folded


def _build_units(
    lines: list[Line],
    headings: dict[int, Any],
    blank_lines_split: bool,
    alone: set[int] | frozenset[int] = frozenset(),
    cover: dict[int, CoverRow] | None = None,
) -> list[Unit]:
    """Group lines into units. ``headings`` maps a line index to its heading info; a line
    in ``alone`` (a table's header row) is a paragraph of its own; a row of ``cover`` (see
    :func:`cover_rows`) is a "label" unit with its label and value cells."""
    cover = cover or {}
    width = _typical_width(lines)
    units: list[Unit] = []
    cur: list[int] = []
    cur_kind = "para"
    cur_marker: str | None = None
    last_number: str | None = None
    folds = _Folds()

    def flush() -> None:
        nonlocal cur, cur_kind, cur_marker
        if cur:
            _add_unit(units, lines, cur, cur_kind, cur_marker, folds=folds)
        cur, cur_kind, cur_marker = [], "para", None

    continuation = -1  # the second line of a wrapped heading, part of the heading's unit
    taken: set[int] = set()  # the lines a cover row's value goes on in
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        if not text:
            if blank_lines_split:
                flush()
            continue
        if i == continuation or i in taken:
            continue
        row = cover.get(i)
        if row is not None:
            flush()
            taken.update(row.more)
            _add_unit(units, lines, [i, *row.more], "label", None, folds=folds, cells=(row.label, row.value))
            continue
        if i in headings:
            flush()
            h = headings[i]
            idx = [i] if h.continued is None else [i, h.continued]
            continuation = idx[-1]
            _add_unit(units, lines, idx, "heading", h.number, level=h.level, text=h.text, folds=folds)
            continue
        if i in alone:
            flush()
            _add_unit(units, lines, [i], "para", COLUMN_LABELS, folds=folds)
            continue
        if "**" in text or "__" in text:
            text = _MD_EMPHASIS.sub("", text)
        kind, marker = line_kind(text)
        prev_text = lines[cur[-1]].text.rstrip() if cur else ""
        after_break = not cur or prev_text.endswith(_AFTER_BREAK) or (cur_kind == "row")
        if kind == "item" and marker and marker[0].isdigit() is False and marker[0] not in "-*•–·▪◦●○■□➢►✓(" and not after_break \
                and not (cur_kind == "item" and _next_record(cur_marker, marker) and (len(prev_text) < 0.6 * width or _ENDS_WITH_ID.search(prev_text))):
            # "R1" / "M5" after an unfinished line is a wrapped reference, not a record; but
            # "R2 disclosure of" after the short last line of R1's row ("low high M1, M3"),
            # or after a whole row that ends with the ids of its measures, is the next row
            # of a register table
            kind = "text"
        elif kind == "item" and marker and (marker[0].isdigit() or marker[0] == "(") and not after_break and not _next_number(last_number, marker):
            kind = "text"  # "55. stav 1." after "iz člana" is a wrapped line, not a list item
        if kind == "item" and marker and marker[0].isdigit():
            last_number = marker
        if kind == "sep":
            flush()
            continue
        if kind == "row":
            flush()
            _add_unit(units, lines, [i], "row", None, folds=folds)
            continue
        if kind == "item":
            flush()
            cur, cur_kind, cur_marker = [i], "item", marker
            continue
        if cur and _is_label_line(text):
            flush()  # "Datum: …", "Rok čuvanja: …" start their own paragraph in a PDF
        elif cur and text[0].isdigit() and _is_dated_row(text, lines[cur[-1]].text.rstrip(), width):
            flush()  # "1.1 02.02.2026. M. Ćirić Comments": each row of a revision history is its own
        if cur:
            prev = lines[cur[-1]].text.rstrip()
            ends = prev.endswith(_FINAL_ENDS)
            short = len(prev) < 0.8 * width
            page_turn = ln.page is not None and lines[cur[-1]].page != ln.page
            dangling_label = prev.endswith(":") and len(re.split(r"[.;!?]\s", prev)[-1].split()) <= 3 and len(prev.split()) > 3
            if dangling_label:
                pass  # "… Nosilac:" / "Služba bezbednosti." — the value of a label that wrapped
            elif ends and blank_lines_split:
                flush()  # in a text file a line that ends a sentence ends its paragraph
            elif ends and (short or page_turn and prev.endswith((".", ":"))):
                flush()
            elif len(prev) < 0.6 * width and not prev.endswith((",", "-", "–")) and text[:1].isupper() and cur_kind in ("para", "item"):
                flush()  # a letterhead line, a title, a signature, a paragraph after a list: not a wrapped line
            elif ends and prev.endswith(":") and cur_kind == "para":
                flush()
            elif cur_kind == "row":
                flush()
        cur.append(i)
    flush()
    return units


def _add_unit(
    units: list[Unit],
    lines: list[Line],
    idx: list[int],
    kind: str,
    marker: str | None,
    level: int = 0,
    text: str | None = None,
    folds: dict[str, str] | None = None,
    cells: tuple[str, ...] | None = None,
) -> None:
    folds = _Folds() if folds is None else folds
    parts = [lines[i].text.strip() for i in idx]
    joined = text if text is not None else " ".join(p for p in parts if p)
    if "**" in joined or "__" in joined:
        joined = _MD_EMPHASIS.sub("", joined)
    if kind == "row":
        m = TABLE_ROW_RE.match(joined)
        body = m.group("body") if m else joined
        cells = tuple(c.strip() for c in body.split("|"))
        joined = " | ".join(c for c in cells if c)
    if kind == "item" and marker and BULLET_RE.match(joined) and not ID_ITEM_RE.match(joined):
        joined = BULLET_RE.sub("", joined, count=1)
    pieces = None if kind in ("heading", "row") else split_sentences(joined)
    unit = Unit(
        index=len(units),
        kind=kind,
        text=joined,
        folded=folds[joined] if pieces is None else _fold_by_pieces(joined, pieces, folds),
        page=lines[idx[0]].page,
        line=lines[idx[0]].line,
        first=idx[0],
        last=idx[-1],
        marker=marker,
        cells=cells,
        level=level,
    )
    unit.sentences = _sentences(unit, lines, idx, folds, pieces)
    units.append(unit)


# Characters that fold to themselves and are neither word characters nor hyphens: where
# one of them meets the next piece of a text, fold cannot join or drop anything across
# the seam (its only rule with context removes a hyphen between word characters).
_SEAM_SAFE = frozenset(".!?…\"”»)( \t")


def _fold_by_pieces(text: str, pieces: list[tuple[int, str]], folds: dict[str, str]) -> str:
    """``fold(text)``, put together from the folded sentences of ``text`` and the short
    gaps between them, which are folded anyway (and repeat across a document), so the
    unit's text is not folded a second time. Falls back to ``fold(text)`` when a piece
    is not where split_sentences says or a seam is not safe."""
    out: list[str] = []
    pos = 0
    prev = ""
    for start, piece in pieces:
        if start < pos or not piece or not text.startswith(piece, start):
            return folds[text]
        for part in (text[pos:start], piece):
            if not part:
                continue
            if prev and prev[-1] not in _SEAM_SAFE and part[0] not in _SEAM_SAFE:
                return folds[text]
            out.append(folds[part])
            prev = part
        pos = start + len(piece)
    rest = text[pos:]
    if rest:
        if prev and prev[-1] not in _SEAM_SAFE and rest[0] not in _SEAM_SAFE:
            return folds[text]
        out.append(folds[rest])
    return "".join(out)


def _sentences(unit: Unit, lines: list[Line], idx: list[int], folds: dict[str, str], pieces: list[tuple[int, str]] | None = None) -> list[Sentence]:
    if unit.kind in ("heading", "row"):
        return [Sentence(unit.text, unit.folded, unit.page, unit.line, unit.index)]
    # offsets of each line's start in the joined text, to give each sentence its line
    starts: list[tuple[int, int]] = []
    pos = 0
    prefix_cut = len(" ".join(lines[i].text.strip() for i in idx)) - len(unit.text)
    for i in idx:
        starts.append((max(0, pos - prefix_cut), i))
        pos += len(lines[i].text.strip()) + 1
    out: list[Sentence] = []
    for off, piece in split_sentences(unit.text) if pieces is None else pieces:
        li = idx[0]
        for s, line_index in starts:
            if s <= off:
                li = line_index
            else:
                break
        out.append(Sentence(piece, folds[piece], lines[li].page, lines[li].line, unit.index))
    return out or [Sentence(unit.text, unit.folded, unit.page, unit.line, unit.index)]
