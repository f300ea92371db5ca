"""Fill the DPIA model from a document written for people.

The mapper reads a :class:`~dpia_check.text.prepare.PreparedText` once and produces the
same data shape as a YAML DPIA, so every rule works unchanged on PDF and text input.
Each value it sets records where it came from (``locations``: page and line) and the
sentence it rests on in the author's script (``quotes``). Every field it looked for and
did not find is recorded in ``PreparedText.searched`` with what was searched for and
where, so a rule fails on absence only when the text was really searched, and its
message can say so.

Where to look for a field is data (``rules/lpdp/text/fields.yaml``): inline labels
("Rok čuvanja: …"), the sections mapped to it, and cue phrases for sentences elsewhere.
Facts (biometric data, profiling, automated decisions, transfers …) are read with
negation in mind: "ne obrađuju se biometrijski podaci" and "no automated decisions are
taken" set a fact to false, not true.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dpia_check.checks import citations_in
from dpia_check.lexicon import Lexicon
from dpia_check.model import Location, join
from dpia_check.text.find import after_label, find_affirmed, find_dates, fold_map, numbers_before
from dpia_check.text.prepare import COLUMN_LABELS, PreparedText, Sentence, Unit
from dpia_check.text.records import Record, RecordReader, ids_in
from dpia_check.text.sections import Section
from dpia_check.textprep import fold

if TYPE_CHECKING:
    from dpia_check.text.vocab import FieldSpec

_SHARED = {"/consultation/data_subjects_views": ("consultation",), "/consultation/dpo_advice": ("consultation", "sign_off")}
_NEVER_LABEL_IN = ("risks", "measures")
_ONE_SENTENCE = frozenset({"/sign_off/by"})  # labels whose value is one sentence ("Approved by: X, date.")
_SR_WHERE = {
    "in the first page": "na prvoj strani",
    "in the first pages": "na prvim stranama",
    "in the controller's name": "u nazivu rukovaoca",
    "in the risk's entry": "u opisu rizika",
    "in the risk's entry and the measures": "u opisu rizika i u merama",
    "in the measure's entry": "u opisu mere",
    "in the same sentence": "u istoj rečenici",
    "in the legal basis": "u pravnom osnovu",
    "next to the review": "uz preispitivanje",
    "next to the DPO's advice": "uz mišljenje lica za zaštitu podataka",
    "next to the DPO's name": "uz ime lica za zaštitu podataka",
    "next to where the category is mentioned": "uz pomen te vrste podataka",
    "next to the consent": "uz pristanak",
    "next to the approval": "uz odobrenje",
    "in what the DPIA says about them": "u onome što procena o njima kaže",
    "where the document says none is needed": "tamo gde procena kaže da nije potrebno",
}
_FROM_AT_END = re.compile(r"(?<!\w)(od|from)\s*$")
# a person's name: two or three capitalised words (Latin or Cyrillic), as in "Snežana Ilić"
_UPPER = "A-ZČĆŠŽĐА-ЯЂЈЉЊЋЏ"
_PERSON_NAME = re.compile(rf"(?<![\w-])[{_UPPER}][^\W\d_]+(?:[ -][{_UPPER}][^\W\d_]+){{1,2}}(?![\w-])")
_LABEL_SEP = re.compile(r"[:–—]|\s-\s")  # the separators FieldSpec.label_re requires
_LABEL_START = re.compile(r"^[A-ZА-ЯЂЈЉЊЋЏČĆŠŽĐ][\w'’/() -]{0,40}:\s")
# after a meta label: a parenthesis or a short "of the Ministry" / "u Ministarstvu", then ':' or a table bar
_LABEL_TAIL = re.compile(r"\s*(?:\([^)]*\))?(?:\s+(?:of|at|in|for|u|pri|kod|za)(?:\s+[\w.'’-]+){1,3})?\s*[:|]")
_MAX_CUE_SENTENCES = 4
_ELSEWHERE = 2  # cue sentences from elsewhere read with a section that has none
# A clause that points back at what the clause before named ("…; ta mogućnost je odbačena").
_BACK_REFERENCE = re.compile(r"(?:this|that|it|these|those|which|ta|to|taj|ti|te|ova|ovo|ovaj|ovi|ove|ona|ono|on|takv\w*|ovakv\w*)\b")
_TABLE_ROWS = 40  # units read as the rows of a PDF table under its header row
_WEIGHING = frozenset({"/necessity_proportionality/necessity", "/necessity_proportionality/proportionality"})
_SMALL_POOL = 48  # below this many sentences, searching each beats a pass over the whole text
_OPERATIONS = ("collection", "recording", "storage", "consultation", "use", "comparison", "disclosure", "erasure")
_LEVEL_NAMES = ("low", "medium", "high")


@dataclass
class Found:
    """A value read from the text, with the sentence it starts in."""

    value: str
    at: Sentence
    where: str  # "label" | "section" | "cue"
    sents: tuple[Sentence, ...] = ()  # the sentences the value was read from (to quote the telling one)


class Mapper:
    """Reads one prepared document into the model (``data``), ``locations`` and ``quotes``."""

    def __init__(self, pt: PreparedText) -> None:
        self.pt = pt
        self.v = pt.vocab
        self.neg = pt.negation
        self.scan = pt.scan
        self.data: dict[str, Any] = {"dpia_format": 1}
        self.locations: dict[str, Location] = {}
        self.quotes: dict[str, str] = {}
        self._inner: list[Section | None] = [pt.section_of(u) for u in pt.units]
        # the keys of each unit's innermost section, and the units that are not headings
        self._unit_keys: list[tuple[str, ...]] = [sec.keys if sec is not None else () for sec in self._inner]
        self._body: list[tuple[Unit, tuple[str, ...]]] = [(u, self._unit_keys[u.index]) for u in pt.units if u.kind != "heading"]
        self._by_key: dict[str, list[tuple[Unit, tuple[str, ...]]]] = {}  # section key -> its body units
        # the body as runs of consecutive units with the same keys, with their sentences
        self._runs: list[tuple[frozenset[str], list[Sentence]]] = []
        last: tuple[str, ...] | None = None
        for u, ks in self._body:
            for k in ks:
                self._by_key.setdefault(k, []).append((u, ks))
            if ks != last or not self._runs:
                self._runs.append((frozenset(ks), []))
                last = ks
            self._runs[-1][1].extend(u.sentences)
        self._spans: dict[str, list[list[Sentence]]] = {}
        self._owner: dict[int, str] = {}  # id(sentence) -> field whose labelled span holds it
        self._bare: set[int] = set()  # id(sentence) of run-in labels that are a sentence of their own
        self._purpose_prefixes: set[str] = set()  # folded letters the purposes are numbered with ("p", "s")
        self._find_labels()
        self._used: set[int] = set()  # units consumed by records (risks, measures)
        self._cite_cache: list[Sentence] | None = None
        self._where_cache: dict[tuple[tuple[str, ...] | None, frozenset[str]], list[Sentence]] = {}

    # ------------------------------------------------------------------ lexicon hits
    def hit(self, lex: Lexicon) -> frozenset[int]:
        """Indices of the sentences where ``lex`` matches (one pass over the whole text)."""
        return self.scan.hits(lex)

    def affirmed(self, lex: Lexicon) -> frozenset[int]:
        """Indices of the sentences that affirm a phrase of ``lex`` (see ``find_affirmed``)."""
        return self.scan.affirmed(lex, self.neg)[0]

    def denied(self, lex: Lexicon) -> frozenset[int]:
        """Indices of the sentences where a phrase of ``lex`` is negated."""
        return self.scan.affirmed(lex, self.neg, denied=True)[1]

    def having(self, lex: Lexicon, pool: list[Sentence]) -> list[Sentence]:
        """The sentences of ``pool`` where ``lex`` matches, in order. A long pool is answered
        from the whole-text scan; a few sentences are cheaper to search one by one."""
        if len(pool) > _SMALL_POOL:
            found = self.hit(lex)
            return [s for s in pool if s.index in found]
        rx = lex.regex
        return [s for s in pool if rx.search(s.folded)]

    def naming(self, lex: Lexicon, pool: list[Sentence]) -> list[Sentence]:
        """Like :meth:`having`, with the lexicon's negation phrases blanked (``search_folded``)."""
        if len(pool) > _SMALL_POOL:
            found = self.scan.hits(lex, blank_negations=True)
            return [s for s in pool if s.index in found]
        return [s for s in pool if lex.search_folded(s.folded)]

    def affirming(self, lex: Lexicon, pool: list[Sentence]) -> list[Sentence]:
        """The sentences of ``pool`` that affirm a phrase of ``lex``, in order."""
        if len(pool) > _SMALL_POOL:
            found = self.affirmed(lex)
            return [s for s in pool if s.index in found]
        return [s for s in pool if find_affirmed(lex, s.folded, self.neg)[0] is not None]

    # ------------------------------------------------------------------ plumbing
    def run(self) -> None:
        self.meta()
        self.processing()
        self.legal_basis()
        self.special_categories()
        self.necessity()
        self.risks_and_measures()
        self.consultation()
        self.review()
        self.sign_off()
        self._legitimate_interest()

    def put(self, ptr: str, value: Any, at: Sentence | Unit | Record | None, quote: str | None = None) -> None:
        """Set ``value`` at ``ptr`` (creating containers) and remember where it came from."""
        tokens = [t.replace("~1", "/").replace("~0", "~") for t in ptr.lstrip("/").split("/")]
        cur: Any = self.data
        for i, tok in enumerate(tokens[:-1]):
            nxt = tokens[i + 1]
            if isinstance(cur, list):
                idx = int(tok)
                while len(cur) <= idx:
                    cur.append({} if not nxt.isdigit() else [])
                cur = cur[idx]
            else:
                if tok not in cur or not isinstance(cur[tok], (dict, list)):
                    cur[tok] = [] if nxt.isdigit() else {}
                cur = cur[tok]
        last = tokens[-1]
        if isinstance(cur, list):
            idx = int(last)
            while len(cur) <= idx:
                cur.append(None)
            cur[idx] = value
        else:
            cur[last] = value
        if at is not None:
            self.locations[ptr] = Location(self.pt.path, page=at.page, line=at.line, pointer=ptr)
            q = quote if quote is not None else (at.text if not isinstance(value, str) else value)
            self.quotes[ptr] = _clip(q)
        self.pt.searched.pop(ptr, None)

    def _alias(self, ptr: str, src: str) -> None:
        """``ptr`` was read from the same place as ``src``."""
        loc = self.locations[src]
        self.locations[ptr] = Location(loc.path, page=loc.page, line=loc.line, pointer=ptr)

    def searched(self, ptr: str, what: str, where: str | None = None, keys: tuple[str, ...] | None = None) -> None:
        """Record that ``ptr`` was looked for and not found (``what`` in words)."""
        en_where, sr_where = self._where(ptr, keys) if where is None else (where, _SR_WHERE.get(where, "na mestu gde se očekuje"))
        self.pt.searched[ptr] = (f"searched for {what} {en_where}", f"traženo {sr_where}")

    def _where(self, ptr: str, keys: tuple[str, ...] | None = None) -> tuple[str, str]:
        spec = self.v.fields.get(ptr)
        if keys is None:
            keys = spec.sections if spec else ()
        secs = self.pt.sections_for(keys) if keys else []
        if secs:
            labels = ", ".join(s.label() for s in secs[:3])
            labels_sr = ", ".join(s.label().replace("(p. ", "(str. ").replace("(line ", "(red ") for s in secs[:3])
            return f"in section {labels} and in the whole document", f"u odeljku {labels_sr} i u celom dokumentu"
        return "in the whole document (no section heading for it)", "u celom dokumentu (nema odeljka sa tim naslovom)"

    def _what(self, ptr: str) -> str:
        spec = self.v.fields.get(ptr)
        if spec is None:
            return ptr
        words = list(spec.labels[:2]) + (spec.cues.phrases[:3] if spec.cues else [])
        return ", ".join(f"“{w}”" for w in dict.fromkeys(words))

    def _find_labels(self) -> None:
        """Inline labels ("Rok čuvanja: …", "Data subjects: …") at the start of a sentence:
        the labelled sentence and the sentences after it in the same paragraph hold the field."""
        labels = [(ptr, spec.label_re) for ptr, spec in self.v.fields.items() if spec.label_re is not None]
        label_of: dict[str, str | None] = {}  # folded sentence -> the field it is a label of

        def find(folded: str) -> str | None:
            if folded not in label_of:  # every label is followed by a colon or a dash
                label_of[folded] = next((ptr for ptr, rx in labels if rx.match(folded)), None) if _LABEL_SEP.search(folded) else None
            return label_of[folded]

        for u in self.pt.units:
            if u.kind in ("heading", "row"):
                continue
            sec = self._inner[u.index]
            if sec is not None and set(sec.keys) & set(_NEVER_LABEL_IN):
                continue
            cur: list[str] = []
            for k, s in enumerate(u.sentences):
                hit = find(s.folded)
                bare = self._bare_label(s, find) if hit is None and k == 0 and len(u.sentences) > 1 else []
                if hit is None and not bare and cur and _LABEL_START.match(s.text):
                    cur = []  # another, unknown label ends the span
                if hit is not None or bare:
                    cur = [hit] if hit is not None else bare
                    for ptr in cur:
                        self._spans.setdefault(ptr, []).append([s])
                    if bare:
                        self._bare.add(id(s))
                    if hit in _ONE_SENTENCE:
                        self._owner[id(s)] = hit
                        cur = []
                        continue
                else:
                    for ptr in cur:
                        self._spans[ptr][-1].append(s)
                if cur:
                    self._owner[id(s)] = cur[0]

    def _bare_label(self, s: Sentence, find: Callable[[str], str | None]) -> list[str]:
        """Fields named by a run-in label that is a sentence of its own ("**Necessity.** …",
        "Minimizacija i tačnost. …", the bold label lost in a PDF): each part, joined by
        "and"/"i"/",", must be a whole label of some field."""
        text = s.folded.strip().rstrip(".:").strip()
        if not text or len(text.split()) > 6 or not s.text.rstrip().endswith((".", ":")):
            return []
        out: list[str] = []
        for part in re.split(r"\s*,\s*|\s+(?:and|i|и|te)\s+", text):
            ptr = find(f"{part}: x") if part else None
            if ptr is None:
                return []
            if ptr not in out:
                out.append(ptr)
        return out

    def labelled(self, ptr: str) -> list[tuple[str, Sentence]]:
        """(value, first sentence) of every span labelled for ``ptr``."""
        out: list[tuple[str, Sentence]] = []
        for span in self._spans.get(ptr, []):
            if span[0].unit in self._used:
                continue
            if id(span[0]) in self._bare:  # "Necessity." — the value is what follows
                if len(span) > 1:
                    out.append((" ".join(x.text for x in span[1:]).strip(), span[1]))
                continue
            value = " ".join([after_label(span[0].text)] + [x.text for x in span[1:]]).strip()
            out.append((value, span[0]))
        return out

    def free(self, s: Sentence, ptr: str | None = None) -> bool:
        """``s`` is not part of a span labelled for another field."""
        owner = self._owner.get(id(s))
        return owner is None or owner == ptr

    def _keys(self, u: Unit) -> tuple[str, ...]:
        return self._unit_keys[u.index]

    def _sentences_where(self, keys: tuple[str, ...] | None, exclude: frozenset[str] = frozenset()) -> list[Sentence]:
        """Sentences of units whose innermost section has one of ``keys`` (None: all units).

        Sections do not change while the mapper runs, so each pool is built once."""
        cache_key = (keys, exclude)
        cached = self._where_cache.get(cache_key)
        if cached is not None:
            return list(cached)
        wanted = None if keys is None else frozenset(keys)
        out: list[Sentence] = []
        for ks, sentences in self._runs:
            if (wanted is None or not wanted.isdisjoint(ks)) and (not exclude or exclude.isdisjoint(ks)):
                out.extend(sentences)
        self._where_cache[cache_key] = out
        return list(out)

    def _units_with(self, keys: tuple[str, ...] | set[str]) -> list[tuple[Unit, tuple[str, ...]]]:
        """Body units whose innermost section has one of ``keys``, in document order."""
        groups = [self._by_key[k] for k in dict.fromkeys(keys) if k in self._by_key]
        if len(groups) == 1:
            return groups[0]
        seen: dict[int, tuple[Unit, tuple[str, ...]]] = {}
        for group in groups:
            for item in group:
                seen.setdefault(item[0].index, item)
        return [seen[i] for i in sorted(seen)]

    # ------------------------------------------------------------------ text fields
    def text_field(self, ptr: str, *, cue_required: bool = False, extra_cue: Lexicon | None = None) -> Found | None:
        """Read a free-text field: inline label, then its sections, then cue sentences."""
        spec = self.v.fields[ptr]
        labelled = self.labelled(ptr)
        if labelled:
            in_spans = tuple(x for span in self._spans.get(ptr, []) if span[0].unit not in self._used for x in span if id(x) not in self._bare)
            return Found(" ".join(v for v, _ in labelled if v), labelled[0][1], "label", in_spans)
        shared = set(_SHARED.get(ptr, ()))
        sections = set(spec.sections)
        column = self._table_column(ptr, self._units_with(sections))
        if column is not None:
            return column
        cued = self._cued(spec.cues, extra_cue)
        owner = self._owner
        own: list[Sentence] = []
        cue_hits: list[Sentence] = []
        for u, ks in self._units_with(sections | shared):  # (other units are in neither branch)
            if u.index in self._used:
                continue
            mine = sections.intersection(ks)
            # a sentence of a labelled span (this field's or another's) is not read again here
            if mine - shared and len(ks) == 1 and not cue_required:
                own.extend(x for x in u.sentences if id(x) not in owner)
            elif mine or not shared.isdisjoint(ks):
                cue_hits.extend(x for x in u.sentences if x.index in cued and id(x) not in owner)
        if own:
            if spec.cues_elsewhere and not any(x.index in cued for x in own):
                # the field's section never says what the field is about ("2.4 Information
                # to data subjects and their rights" lists rights only); a sentence elsewhere
                # that does ("informed through a notice at the counter") is read with it
                mine_at = {x.index for x in own}
                own += [x for x in self._cued_elsewhere(spec, cued) if x.index not in mine_at][:_ELSEWHERE]
            return Found(" ".join(x.text for x in own), own[0], "section", tuple(own))
        # no section of its own: a table column headed by a label of the field, wherever the
        # table is ("Категорија података | … | Рок чувања" in the description)
        column = self._table_column(ptr, [(u, ks) for u, ks in self._body if spec.exclude.isdisjoint(ks)], header_only=True)
        if column is not None:
            return column
        if cue_hits:
            cue_hits = self._table_bodies(cue_hits)
            return Found(" ".join(x.text for x in cue_hits[:_MAX_CUE_SENTENCES]), cue_hits[0], "section", tuple(cue_hits[:_MAX_CUE_SENTENCES]))
        hits = self._table_bodies(self._cued_elsewhere(spec, cued))
        if hits:
            return Found(" ".join(x.text for x in hits), hits[0], "cue", tuple(hits))
        return None

    def _table_bodies(self, sents: list[Sentence]) -> list[Sentence]:
        """A cue found in a PDF table's header row ("Vrsta podataka Primeri Izvor Rok
        čuvanja") names a column; what the field holds is in the rows below it, so the
        header stands for itself and its rows (the short units up to the next heading or
        sentence of prose), at most _TABLE_ROWS of them."""
        if not any(self.pt.units[x.unit].marker == COLUMN_LABELS for x in sents):
            return sents
        out: list[Sentence] = []
        for x in sents:
            out.append(x)
            if self.pt.units[x.unit].marker != COLUMN_LABELS:
                continue
            for u in self.pt.units[x.unit + 1 : x.unit + 1 + _TABLE_ROWS]:
                if u.kind not in ("para", "item") or u.marker == COLUMN_LABELS or u.text.rstrip().endswith((".", ":")):
                    break
                out.extend(s for s in u.sentences if s not in out)
        return out

    def _cued_elsewhere(self, spec: FieldSpec, cued: frozenset[int]) -> list[Sentence]:
        """Whole-document cue search, outside sections that hold other things (at most
        _MAX_CUE_SENTENCES sentences, in document order)."""
        hits: list[Sentence] = []
        sentences = self.pt.all_sentences()
        units = self.pt.units
        for i in sorted(cued):
            x = sentences[i]
            u = units[x.unit]
            if u.kind == "heading" or u.index in self._used or not spec.exclude.isdisjoint(self._keys(u)) or not self.free(x):
                continue
            hits.append(x)
            if len(hits) >= _MAX_CUE_SENTENCES:
                break
        return hits

    def _table_column(self, ptr: str, units: list[tuple[Unit, tuple[str, ...]]], header_only: bool = False) -> Found | None:
        """A field held by a column of a table ("Podaci | Lica | Primaoci | Rok čuvanja"):
        the column whose header is a label of the field gives the value, row by row, each
        with the row's first cell ("Broj kartice …: 90 dana"). Rows about anonymous or
        aggregate data are left out: they are not personal data (a permanent "trajno" for
        anonymous statistics is not a retention period of personal data)."""
        spec = self.v.fields[ptr]
        if spec.label_re is None:
            return None
        anonymous = self.v.get("anonymous_data").regex
        # with ``header_only`` (a table outside the field's sections) the label must head a
        # column of a table of three or more: the first cell of a two-cell cover row
        # ("Lice za zaštitu podataka | Jovana Ilić") labels that row, not the rows below
        col: int | None = None
        entries: list[tuple[str, Sentence]] = []
        in_table = False  # the unit before was a row of the same table
        for u, _ in units:
            if u.kind != "row" or not u.cells or u.index in self._used:
                if col is not None and entries:
                    break  # the table is over
                col = None
                in_table = False
                continue
            cells = list(u.cells)
            first_row, in_table = not in_table, True
            if col is None:
                col = next((k for k, c in enumerate(cells) if spec.is_label_cell(c)), None)
                if header_only and (col == 0 or len(cells) < 3 or not first_row):
                    col = None  # (the label must be in a header row, the table's first)
                continue  # the header row (or a row of another table)
            if col >= len(cells) or not cells[col].strip() or anonymous.search(u.folded):
                continue
            lead = cells[0].strip() if col != 0 else ""
            entries.append((f"{lead}: {cells[col].strip()}" if lead else cells[col].strip(), u.sentences[0]))
        if not entries:
            return None
        return Found("; ".join(t for t, _ in entries), entries[0][1], "section", tuple(s for _, s in entries))

    def _cued(self, cues: Lexicon | None, extra: Lexicon | None) -> frozenset[int]:
        """Sentences holding a cue (and, with ``extra``, a phrase of that lexicon too)."""
        if cues is None:
            return frozenset()
        found = self.hit(cues)
        return found if extra is None else found & self.hit(extra)

    def set_text(self, ptr: str, *, cue_required: bool = False, extra_cue: Lexicon | None = None) -> Found | None:
        found = self.text_field(ptr, cue_required=cue_required, extra_cue=extra_cue)
        if found is None:
            self.searched(ptr, self._what(ptr))
            return None
        at = self._telling(ptr, found)
        table_row = self.pt.units[at.unit].kind == "row"  # a value taken from a column: quote the row itself
        self.put(ptr, found.value, at, _clip(at.text) if at is not found.at or table_row else _first_sentence(found.value))
        return found

    def _telling(self, ptr: str, found: Found) -> Sentence:
        """The sentence to quote for a value read from several: the first that holds a cue of
        the field (a section "Odluka i preispitivanje" opens with the decision, the review
        comes after; "Yes." opens the answer of a questionnaire), else the first sentence
        that says something."""
        sents = [x for x in found.sents if len(x.folded.split()) >= 3] or list(found.sents)
        if not sents:
            return found.at
        cues = self.v.fields[ptr].cues
        if cues is not None and not cues.regex.search(sents[0].folded):
            cued = self.having(cues, sents)
            if cued:
                return cued[0]
        return sents[0]

    # ------------------------------------------------------------------ meta
    def meta(self) -> None:
        pt = self.pt
        self.data["meta"] = {}
        head = [u for u in pt.units[:40]]
        first_sec = next((s.heading for s in pt.sections if s.keys), len(pt.units))
        title_at: Unit | None = None
        cue = self.v.get("title_cue").regex
        early = pt.units[: min(first_sec, 12)]
        for u in sorted(early, key=lambda x: (x.kind != "heading", x.index)):
            if cue.search(u.folded) and u.words <= 30 and not u.text.rstrip().endswith(".") and ":" not in u.text[:12]:
                title_at = u
                break
        if title_at is not None:
            self.put("/meta/title", title_at.text.strip(), title_at)
        elif pt.title:
            self.put("/meta/title", pt.title.strip(), None)
        elif pt.units:
            self.put("/meta/title", pt.units[0].text.strip()[:200], pt.units[0])
        self.put("/meta/language", pt.language, None)
        self._meta_date(head)
        self._controller(head)
        self._dpo(head)
        self._processing_start()

    def _labelled(self, units: list[Unit], lex: Lexicon) -> list[tuple[Unit, str]]:
        """Units that start with a label of ``lex`` and its value ("Datum: …", a two-cell row).
        The label may be qualified by a short prepositional phrase ("Data protection officer
        of the Ministry:", "Lice za zaštitu podataka u Ministarstvu:")."""
        out: list[tuple[Unit, str]] = []
        for u in units:
            m = lex.regex.match(u.folded.lstrip("-*• "))
            if m and _LABEL_TAIL.match(u.folded.lstrip("-*• ")[m.end() :]):
                out.append((u, after_label(u.text.lstrip("-*• ").split("|", 1)[-1] if u.kind == "row" else u.text.lstrip("-*• "))))
            elif u.kind in ("row", "label") and u.cells and len(u.cells) >= 2 and lex.regex.match(fold(u.cells[0])):
                out.append((u, u.cells[1]))  # a table row, or a cover-table row read from a PDF line
        return out

    def _meta_date(self, head: list[Unit]) -> None:
        for u, rest in self._labelled(head, self.v.get("date_label")):
            dates = find_dates(rest)
            if dates:
                self.put("/meta/date", dates[0][0].isoformat(), u.sentences[0], u.text)
                return
        # a letterhead date ("Beograd, 15. april 2020. godine") before the first section
        first_sec = next((s.heading for s in self.pt.sections if s.keys), len(self.pt.units))
        for u in self.pt.units[: min(first_sec, 15)]:
            dates = find_dates(u.text)
            if dates and u.words <= 12:
                self.put("/meta/date", dates[0][0].isoformat(), u.sentences[0], u.text)
                return
        self.searched("/meta/date", "a date of the assessment (“Datum:”, “Date:”, a dated letterhead)", "in the first page")

    def _controller(self, head: list[Unit]) -> None:
        name: str | None = None
        at: Unit | None = None
        for u, rest in self._labelled(head, self.v.get("controller_label")):
            name, at = rest.split(",")[0].strip() if len(rest) > 80 else rest.strip(), u
            break
        if name is None:
            for u in head[:8]:
                f = u.folded
                if u.words <= 14 and any(self.v.get(n).regex.search(f) for n in ("competent_authority", "public_authority", "private_legal_form", "private_controller")) \
                        and not find_dates(u.text):
                    if self.v.get("title_cue").regex.match(f.lstrip("\"„“«(-–— ")):
                        continue
                    name, at = u.text.strip(), u
                    break
        if name is None or at is None:
            self.searched("/meta/controller/name", "the controller (“Rukovalac:”, “Controller:”, the letterhead)", "in the first page")
            self.searched("/meta/controller/kind", "the kind of controller", "in the first page")
            return
        self.put("/meta/controller/name", name, at, at.text)
        f = fold(name)
        kind = None
        if self.v.get("competent_authority").regex.search(f):
            kind = "competent_authority"
        elif self.v.get("private_legal_form").regex.search(f):
            kind = "private"
        elif self.v.get("public_authority").regex.search(f):
            kind = "public_authority"
        elif self.v.get("private_controller").regex.search(f):
            kind = "private"
        if kind:
            self.put("/meta/controller/kind", kind, at, at.text)
        else:
            self.searched("/meta/controller/kind", "whether the controller is a police or other competent authority, a public authority or a company", "in the controller's name")

    def _dpo(self, head: list[Unit]) -> None:
        for u, rest in self._labelled(self.pt.units[:60], self.v.get("dpo_label")):
            if not rest:
                continue
            parts = [p.strip() for p in re.split(r",|;", rest) if p.strip()]
            self.put("/meta/dpo/name", parts[0], u, u.text)
            contact = ", ".join(p for p in parts[1:] if "@" in p or re.search(r"\+?\d[\d\s/-]{5,}", p))
            if contact:
                self.put("/meta/dpo/contact", contact, u, u.text)
            else:
                self.searched("/meta/dpo/contact", "the DPO's contact details (e-mail, telephone)", "next to the DPO's name")
            return
        if self._dpo_in_prose():
            return
        self.searched("/meta/dpo", "the data protection officer (“Lice za zaštitu podataka:”, “Data protection officer:”, “DPO:”)", "in the first pages")

    def _dpo_in_prose(self) -> bool:
        """The DPO named in a sentence rather than after a label ("… i lice za zaštitu
        podataka Zavoda, Snežana Ilić (lzp@…)", "The DPO of the Ministry is …, dpo@…"): the
        person's name is the last capitalised name before the e-mail address. A sentence
        saying that no DPO was designated sets ``designated`` to false instead."""
        lex = self.v.get("dpo_label")
        designation = self.v.get("dpo_designation").regex
        named = self.hit(lex)  # one pass over the text; most sentences never name the DPO
        for s in self._sentences_where(None, frozenset({"toc", "annex", "risks", "measures"})):
            if s.index not in named:
                continue
            aff, neg = find_affirmed(lex, s.folded, self.neg)
            if aff is None and neg is not None and designation.search(s.folded):
                self.put("/meta/dpo/designated", False, s, s.text)  # "nije odredilo lice za zaštitu podataka"
                self.searched("/meta/dpo/name", "the data protection officer's name (the DPIA says none is designated)", "in the first pages")
                self.searched("/meta/dpo/contact", "the DPO's contact details (the DPIA says none is designated)", "in the first pages")
                return True
            if aff is None or "@" not in s.text:
                continue
            folded, index = fold_map(s.text)
            m = lex.regex.search(folded)
            if m is None:
                continue
            after = s.text[index[m.end()] :]
            at_mail = after.find("@")
            names = list(_PERSON_NAME.finditer(after[: max(0, at_mail)]))
            if not names:
                continue
            self.put("/meta/dpo/name", names[-1].group(0), s, s.text)
            mail = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", after)
            phone = re.search(r"\+?\d[\d /-]{6,}\d", after)
            contact = ", ".join(x.group(0) for x in (mail, phone) if x)
            self.put("/meta/dpo/contact", contact, s, s.text)
            return True
        return False

    def _processing_start(self) -> None:
        for u, rest in self._labelled(self.pt.units[:60], self.v.get("start_label")):
            dates = find_dates(rest)
            if dates:
                self.put("/meta/processing_start", dates[0][0].isoformat(), u, u.text)
                return
        cues = self.v.get("start_cues")
        date_lex = self.v.get("date_label")
        evidence = self.hit(self.v.get("start_exclude"))
        with_digits = self.scan.with_digits
        use_verbs = self.v.get("start_use_verbs").regex
        seen: set[str] = set()  # sentence texts already found to name no start date
        for s in self._sentences_where(None, frozenset({"review", "commissioner", "dpo", "views", "consultation", "risks", "measures", "legal_basis"})):
            if s.index not in with_digits or s.text in seen:
                continue  # no date without digits; a repeated sentence says what it said before
            if date_lex.regex.match(s.folded) or s.index in evidence:
                continue
            for date, start, _ in find_dates(s.text):
                window = s.folded[max(0, start - 45) : start]
                use = _FROM_AT_END.search(window) and use_verbs.search(s.folded)
                if cues.regex.search(window) or use:
                    self.put("/meta/processing_start", date.isoformat(), s, s.text)
                    return
            seen.add(s.text)
        self.searched("/meta/processing_start", "when processing starts or started (“Početak obrade:”, “will start on”, “u upotrebi od”)")

    # ------------------------------------------------------------------ processing
    def processing(self) -> None:
        self.data.setdefault("processing", {})
        desc = self.set_text("/processing/description")
        self._purposes()
        self._operations(desc)
        self._subjects()
        self._categories()
        self._scale()
        self._technologies()
        self._recipients()
        self._processors()
        self._transfers()
        self.set_text("/processing/retention")
        self._data_flow()
        self._filing_system()
        self._automated()

    def _purposes(self) -> None:
        ptr = "/processing/purposes"
        spec = self.v.fields[ptr]
        items: list[tuple[str, Sentence]] = []
        units = [u for u in self.pt.units if u.kind != "heading" and set(self._keys(u)) & {"purposes"} and all(self.free(x, ptr) for x in u.sentences)]
        if units:
            listed = [u for u in units if u.kind == "item"]
            if listed:
                items = [(u.text, u.sentences[0]) for u in listed]
            else:
                limitation = self.hit(self.v.get("purpose_limitation"))
                for u in units:
                    if u.text.rstrip().endswith(":"):
                        continue
                    for s in u.sentences:
                        if s.index in limitation:
                            continue  # "Podaci se ne koriste ni u koje druge svrhe.": a limit, not a purpose
                        items.extend((p, s) for p in _split_purposes(s.text))
        else:
            for value, first in self.labelled(ptr):
                items.extend((p, first) for p in _split_purposes(value))
            if not items:
                statement = self.scan.hits(self.v.get("purpose_statement"), blank_negations=True)
                for u in self.pt.units:
                    if u.kind == "heading" or set(self._keys(u)) & spec.exclude:
                        continue
                    for s in u.sentences:
                        if s.index in statement:
                            items.extend((p, s) for p in _split_purposes(s.text))
        if not items:
            self.searched(ptr, self._what(ptr))
            return
        items = _first_of_each(items)
        special_lex = self.v.get("special_purpose_explicit")
        general_lex = self.v.get("general_regime_explicit")
        for i, (text, s) in enumerate(items):
            m = re.match(r"^\s*(?:[-*•]\s*)?\(?([PpПпSsСс])\s?-?(\d{1,2})\)?\s*[:.)–-]\s*", text)
            if m:  # "P1:", or "S1:"/"С1:" (svrha) in Serbian documents
                self._purpose_prefixes.add(fold(m.group(1)))
            pid = f"P{int(m.group(2))}" if m else f"P{i + 1}"
            desc = text[m.end():] if m else text
            desc = desc.strip().rstrip(";.,").strip()
            base = join(ptr, i)
            self.put(join(base, "id"), pid, s, text)
            self.put(join(base, "description"), desc, s, text)
            self._alias(base, join(base, "description"))
            self.quotes[base] = _clip(text)
            said_special, denied_special = find_affirmed(special_lex, fold(text), self.neg)
            if said_special is not None:
                self.put(join(base, "special_purpose"), True, s, text)
            elif denied_special is not None or general_lex.regex.search(fold(text)):
                # "This is not a special purpose; the general regime applies."
                self.put(join(base, "special_purpose"), False, s, text)

    def _operations(self, desc: Found | None) -> None:
        sents = self._sentences_where(("description", "data", "retention"))
        if not sents:
            sents = self._sentences_where(None, frozenset({"risks", "measures", "consultation", "dpo", "views", "review"}))
        ops: list[str] = []
        first: Sentence | None = None
        found = [(name, self.affirmed(self.v.get(f"operation_{name}"))) for name in _OPERATIONS]
        anywhere = frozenset().union(*(f for _, f in found))
        for s in sents:
            if s.index not in anywhere:
                continue
            for name, aff in found:
                if s.index in aff and name not in ops:
                    ops.append(name)
                    first = first or s
        if ops and first is not None:
            intro = self.hit(self.v.get("operations_intro"))
            op_sentence = next((s for s in sents if s.index in intro), first)
            self.put("/processing/operations", ops, op_sentence, op_sentence.text)
        else:
            self.searched("/processing/operations", "processing operations (collection, recording, storage, disclosure …)")

    def _subject_sentences(self) -> list[tuple[Sentence, str]]:
        ptr = "/processing/data_subjects"
        spec = self.v.fields[ptr]
        labelled = self.labelled(ptr)
        if labelled:
            return [(first, value) for value, first in labelled]
        out: list[tuple[Sentence, str]] = []
        strong = self.hit(self.v.get("subjects_strong"))
        cued = self.hit(spec.cues) if spec.cues else frozenset()
        pools = [self._sentences_where(spec.sections), self._sentences_where(None, spec.exclude)]
        for pool in pools:
            for s in pool:
                if not self.free(s):
                    continue
                if s.index in strong or (s.index in cued and self._counts(s.folded, "person_units")):
                    if s.text.rstrip().endswith(":") and len(s.text) < 40:
                        continue
                    out.append((s, s.text))
            if out:
                return out[:3]
        return out

    def _counts(self, folded: str, units: str) -> list[int]:
        return [n for n, _, _ in numbers_before(folded, self.v.get(units))]

    def _subjects(self) -> None:
        ptr = "/processing/data_subjects"
        found = self._subject_sentences()
        if not found:
            self.searched(ptr, self._what(ptr))
            return
        children = self.v.get("children_terms")
        for i, (s, text) in enumerate(found):
            base = join(ptr, i)
            self.put(join(base, "category"), text.strip(), s, s.text)
            self._alias(base, join(base, "category"))
            self.quotes[base] = _clip(s.text)
            counts = self._counts(s.folded, "person_units")
            if counts:
                self.put(join(base, "approx_count"), max(counts), s, s.text)
            aff, neg = find_affirmed(children, s.folded, self.neg)
            if aff is not None:
                self.put(join(base, "children"), True, s, s.text)
            elif neg is not None:
                self.put(join(base, "children"), False, s, s.text)

    def _categories(self) -> None:
        ptr = "/processing/data_categories"
        spec = self.v.fields[ptr]
        cands: list[tuple[Sentence, str]] = [(first, value) for value, first in self.labelled(ptr)]
        if not cands:
            strong = self.v.get("categories_strong").regex
            retention = self.v.fields["/processing/retention"].cues
            pools = [self._sentences_where(spec.sections), self._sentences_where(None, spec.exclude)]
            strong_hits = self.hit(self.v.get("categories_strong"))
            for pool in pools:
                for s in pool:
                    if s.index not in strong_hits or not self.free(s):
                        continue
                    m = strong.search(s.folded)
                    if not m or self.neg.negated(s.folded, m.start(), m.end()):
                        continue
                    if self.v.get("denies_special_categories").regex.search(s.folded):
                        continue
                    if retention is not None and retention.regex.search(s.folded):
                        continue
                    cands.append((s, s.text))
                if cands:
                    break
        if not cands:
            special_lexes = (self.v.get("biometric_terms"), self.v.get("health_terms"))
            pool = self._sentences_where(spec.sections)
            special_at = {x.index for lex in special_lexes for x in self.affirming(lex, pool)}
            for s in pool:
                if self.free(s) and s.index in special_at:
                    cands.append((s, s.text))
        if not cands:
            # no sentence introduces the categories, but the description or a data table
            # names two of them ("Име и презиме, ЈМБГ, улога у предмету", "бројеви телефона, адресе")
            names = self.v.get("category_names")
            retention = self.v.fields["/processing/retention"].cues
            for s in self.having(names, self._sentences_where(spec.sections)):
                if self.free(s) and len({m.group(0) for m in names.regex.finditer(s.folded)}) >= 2 and not (retention is not None and retention.regex.search(s.folded)):
                    cands.append((s, s.text))
        if not cands:
            self.searched(ptr, self._what(ptr))
            return
        bio, health, crim = self.v.get("biometric_terms"), self.v.get("health_terms"), self.v.get("criminal_terms")
        for i, (s, text) in enumerate(cands[:4]):
            base = join(ptr, i)
            self.put(join(base, "category"), text.strip(), s, s.text)
            self._alias(base, join(base, "category"))
            self.quotes[base] = _clip(s.text)
            special: str | bool = False
            if find_affirmed(bio, s.folded, self.neg)[0] is not None:
                special = "biometric"
            elif find_affirmed(health, s.folded, self.neg)[0] is not None:
                special = "health"
            elif find_affirmed(crim, s.folded, self.neg)[0] is not None:
                special = "criminal_offences"
            self.put(join(base, "special"), special, s, s.text)

    def _scale(self) -> None:
        sents = self._sentences_where(None, frozenset({"risks", "measures", "consultation", "dpo", "views", "review", "sign_off", "necessity", "proportionality"}))
        devices: tuple[int, Sentence] | None = None
        locations: tuple[int, Sentence] | None = None
        cams = self.v.get("camera_units")
        counted: dict[str, tuple[list[int], list[int]]] = {}  # folded sentence -> (devices, locations)
        with_digits = self.scan.with_digits
        for s in sents:
            if s.index not in with_digits:
                continue  # a count needs a digit
            if s.folded not in counted:
                counted[s.folded] = ([n for n, _, _ in numbers_before(s.folded, cams)], self._counts(s.folded, "location_units"))
            found_devices, found_locations = counted[s.folded]
            for n in found_devices:
                if n >= 2 and (devices is None or n > devices[0]):
                    devices = (n, s)
            for n in found_locations:
                if n >= 2 and (locations is None or n > locations[0]):
                    locations = (n, s)
        if devices:
            self.put("/processing/scale/devices", devices[0], devices[1], devices[1].text)
        subj = self.data["processing"].get("data_subjects") or []
        counts: list[tuple[int, int]] = [(int(x["approx_count"]), k) for k, x in enumerate(subj) if isinstance(x, dict) and isinstance(x.get("approx_count"), int)]
        if counts:
            n, i = max(counts)
            self.put("/processing/scale/subjects", n, None)
            self._alias("/processing/scale/subjects", join("/processing/data_subjects", i, "approx_count"))
            self.quotes["/processing/scale/subjects"] = self.quotes[join("/processing/data_subjects", i, "approx_count")]
        if locations:
            self.put("/processing/scale/locations", locations[0], locations[1], locations[1].text)
        if not devices and not counts:
            self.searched("/processing/scale", "the number of devices or people concerned")

    def _technologies(self) -> None:
        sents = self._sentences_where(None, frozenset({"risks", "measures", "consultation", "dpo", "views", "review"}))
        techs: list[tuple[str, Sentence, bool]] = []
        kinds = [("face recognition", "face_recognition", True), ("licence-plate recognition", "lpr_terms", False), ("fingerprint recognition", "fingerprint_terms", True)]
        novelty = self.v.get("novelty").regex
        for name, lex_name, always_new in kinds:
            lex = self.v.lex.get(lex_name)
            if lex is None:
                continue
            aff = self.affirmed(lex)
            for s in sents:
                if s.index in aff:
                    techs.append((name, s, always_new or bool(novelty.search(s.folded))))
                    break
        for i, (name, s, new) in enumerate(techs):
            base = join("/processing/technologies", i)
            self.put(join(base, "name"), name, s, s.text)
            self.put(join(base, "new"), new, s, s.text)
            self._alias(base, join(base, "name"))
            self.quotes[base] = _clip(s.text)
        if not techs:
            self.searched("/processing/technologies", "recognition technologies (face, licence-plate, fingerprint)")

    def _list_field(self, ptr: str, key: str, max_items: int = 4) -> list[Found]:
        found = self.text_field(ptr)
        if found is None:
            self.searched(ptr, self._what(ptr))
            return []
        parts = _sentences_of(found.value, max_items)
        out = []
        for i, part in enumerate(parts[:max_items]):
            base = join(ptr, i)
            self.put(join(base, key), part, found.at, part)
            self._alias(base, join(base, key))
            self.quotes[base] = _clip(part)
            out.append(Found(part, found.at, found.where))
        return out

    def _recipients(self) -> None:
        self._list_field("/processing/recipients", "name")

    def _processors(self) -> None:
        ptr = "/processing/processors"
        spec = self.v.fields[ptr]
        field = self.text_field(ptr)
        if field is not None and spec.cues is not None:
            # "no processor has access", "ne angažuje se obrađivač": none is used
            said = [find_affirmed(spec.cues, fold(t), self.neg) for t in _sentences_of(field.value)]
            if any(neg is not None for _, neg in said) and not any(aff is not None for aff, _ in said):
                self.put(ptr, [], field.at, next(t for t, (_, neg) in zip(_sentences_of(field.value), said, strict=False) if neg is not None))
                return
        found = self._list_field(ptr, "name", 3)
        contract = self.v.get("contract_cue").regex
        for i, f in enumerate(found):
            if contract.search(fold(f.value)):
                self.put(join("/processing/processors", i, "contract"), True, f.at, f.value)

    def _transfers(self) -> None:
        ptr = "/processing/transfers"
        spec = self.v.fields[ptr]
        assert spec.cues is not None
        hits: list[Sentence] = []
        negated: Sentence | None = None
        aff, neg = self.affirmed(spec.cues), self.denied(spec.cues)
        verbs = self.hit(self.v.get("transfer_verbs"))
        for s in self._sentences_where(None, spec.exclude):
            if s.index in aff and s.index in verbs:
                hits.append(s)
            elif s.index in neg:
                negated = negated or s
        if hits:
            for i, s in enumerate(hits[:3]):
                self.put(join(ptr, i, "country"), s.text, s, s.text)
                self._alias(join(ptr, i), join(ptr, i, "country"))
        elif negated is not None:
            self.put(ptr, [], negated, negated.text)
        else:
            self.searched(ptr, self._what(ptr))

    def _data_flow(self) -> None:
        ptr = "/processing/data_flow"
        spec = self.v.fields[ptr]
        labelled = self.labelled(ptr)
        if labelled:
            value, first = labelled[0]
            self.put(ptr, value, first, first.text)
            return
        pools = [self._sentences_where(spec.sections), self._sentences_where(None, spec.exclude)]
        cued = self.hit(spec.cues) if spec.cues is not None else frozenset()
        for pool in pools:
            hits = [s for s in pool if s.index in cued and self.free(s)]
            if hits:
                self.put(ptr, " ".join(s.text for s in hits[:2]), hits[0], hits[0].text)
                return
        self.searched(ptr, self._what(ptr))

    def _filing_system(self) -> None:
        lex = self.v.get("new_filing_system")
        aff, neg = self.affirmed(lex), self.denied(lex)
        for s in self._sentences_where(None, frozenset({"risks", "measures"})):
            if s.index in aff:
                self.put("/processing/new_filing_system", True, s, s.text)
                return
            if s.index in neg:
                self.put("/processing/new_filing_system", False, s, s.text)
                return

    def _automated(self) -> None:
        base = "/processing/automated_decisions"
        scope = self._sentences_where(("automated",))
        others = self._sentences_where(None, frozenset({"risks", "measures", "consultation", "dpo", "views", "review", "sign_off", "toc", "annex"}))
        in_scope = {id(s) for s in scope}
        pool = scope + [s for s in others if id(s) not in in_scope]
        denial = self.v.get("denies_automation")
        said_anything = False

        def fact(key: str, lex: Lexicon) -> None:
            nonlocal said_anything
            denies = self.hit(denial) if key in ("solely_automated", "profiling") else frozenset()
            aff, neg = self.affirmed(lex), self.denied(lex)
            for s in pool:
                if s.index in denies:
                    self.put(join(base, key), False, s, s.text)
                    said_anything = True
                    return
                if s.index in aff:
                    self.put(join(base, key), True, s, s.text)
                    said_anything = True
                    return
                if s.index in neg:
                    self.put(join(base, key), False, s, s.text)
                    said_anything = True
                    return

        fact("profiling", self.v.get("profiling_terms"))
        fact("solely_automated", self.v.get("solely_automated"))
        if self.data["processing"].get("automated_decisions", {}).get("solely_automated") is None:
            said_anything = self._automatic_outcome(base, pool) or said_anything
        ad = self.data["processing"].get("automated_decisions", {})
        if ad.get("solely_automated") is True or ad.get("profiling") is True:
            fact("legal_effects", self.v.get("legal_effects"))
            for key, lex_name in (("human_review", "human_review"), ("right_to_contest", "contest")):
                aff = self.affirmed(self.v.get(lex_name))
                for s in pool:
                    if s.index in aff:
                        self.put(join(base, key), s.text, s, s.text)
                        break
        if ad.get("solely_automated") is None:
            aff = self.affirmed(self.v.get("human_review"))
            decision = self.hit(self.v.get("decision_words"))
            for s in pool:
                if s.index in aff and s.index in decision:
                    self.put(join(base, "solely_automated"), False, s, s.text)
                    said_anything = True
                    break
        ctx_hits = self.hit(self.v.get("automated_context"))
        context = scope + [s for s in pool if id(s) not in in_scope and s.index in ctx_hits]
        if scope:
            text = " ".join(s.text for s in scope[:4])
            self.put(join(base, "description"), text, scope[0], scope[0].text)
        elif ad.get("solely_automated") is True or ad.get("profiling") is True:
            at = [loc.line for loc in (self.locations.get(join(base, "solely_automated")), self.locations.get(join(base, "profiling"))) if loc]
            said = [s for s in context if s.line in at]
            first = said[0] if said else (context[0] if context else None)
            if first is not None:
                self.put(join(base, "description"), first.text, first, first.text)
        if ad.get("solely_automated") is True or ad.get("profiling") is True:
            self._automated_details(base, context, pool)
        if not said_anything and not scope:
            self.searched(base, "automated decisions or profiling (“automated decision”, “profiling”, “automatizovano odlučivanje”)", keys=("automated",))

    def _automatic_outcome(self, base: str, pool: list[Sentence]) -> bool:
        """A decision taken by the system itself, described by what it does rather than
        named ("the premium is set automatically", "the turnstile locks automatically and
        the spectator cannot enter"): an automation word and an effect on the person in one
        sentence, with no person deciding in it, is a solely automated decision."""
        auto_lex = self.v.get("automatic_action")
        auto = self.hit(auto_lex)
        effect = self.affirmed(self.v.get("legal_effects"))
        human = self.affirmed(self.v.get("human_review"))
        for s in pool:
            if s.index in auto and s.index in effect and s.index not in human and any(
                not self.neg.negated_before(s.folded, m.start()) for m in auto_lex.regex.finditer(s.folded)
            ):
                self.put(join(base, "solely_automated"), True, s, s.text)
                return True
        return False

    def _automated_details(self, base: str, context: list[Sentence], pool: list[Sentence]) -> None:
        """How the automated evaluation works, which Art. 38(2) exception, which safeguards."""
        logic = self.affirming(self.v.get("logic_cue"), context)
        if logic:
            self.put(join(base, "logic"), " ".join(s.text for s in logic[:2]), logic[0], logic[0].text)
        else:
            self.searched(join(base, "logic"), "how the automated evaluation works (model, criteria, thresholds)", keys=("automated", "description"))
        exception = None
        candidates = context + self._sentences_where(("legal_basis",))
        in_context = self.hit(self.v.get("automated_context"))
        kinds = [(name, self.v.get(lex_name)) for name, lex_name in (("contract", "exception_contract"), ("explicit_consent", "exception_consent"), ("law", "exception_law"))]
        ctx_candidates = [s for s in candidates if s.index in in_context]
        affirms = [(name, {x.index for x in self.affirming(lex, ctx_candidates)}) for name, lex in kinds]
        for s in candidates:
            if s.index in self.scan.with_digits:  # a citation has a number
                for cite in citations_in(_compact_citations(s.text)):
                    if cite[0] == 38 and cite[1] == 2 and cite[2] in (1, 2, 3):
                        exception = ({1: "contract", 2: "law", 3: "explicit_consent"}[cite[2]], s)
                        break
            if exception is None and s.index in in_context:
                for name, at in affirms:
                    if s.index in at:
                        exception = (name, s)
                        break
            if exception:
                break
        if exception:
            self.put(join(base, "exception"), exception[0], exception[1], exception[1].text)
            if exception[0] == "law":
                law = [s for s in context if self.v.get("statute_names").search_folded(s.folded)]
                if law:
                    self.put(join(base, "law"), law[0].text, law[0], law[0].text)
        else:
            self.searched(join(base, "exception"), "the Art. 38(2) exception relied on (contract, law, explicit consent)", keys=("automated", "legal_basis"))
        # a safeguard is a measure: the measures that speak of the automated decisions count too
        measures_on_it = [s for s in self._sentences_where(("measures",)) if s.index in in_context]
        safe = self.affirming(self.v.get("automated_safeguards"), context + measures_on_it)
        if safe:
            self.put(join(base, "safeguards"), " ".join(s.text for s in safe[:2]), safe[0], safe[0].text)
        else:
            self.searched(join(base, "safeguards"), "safeguards for automated decisions (human review, right to contest, express a view)", keys=("automated",))
        contest = self.affirming(self.v.get("contest"), context)
        if contest:
            self.put(join(base, "right_to_express_view"), contest[0].text, contest[0], contest[0].text)
        else:
            self.searched(join(base, "right_to_express_view"), "the right to express a view and contest the decision", keys=("automated",))
        if not self.data["processing"]["automated_decisions"].get("right_to_contest"):
            self.searched(join(base, "right_to_contest"), "the right to contest the decision before a person", keys=("automated",))
        if not self.data["processing"]["automated_decisions"].get("human_review"):
            self.searched(join(base, "human_review"), "human review of automated decisions", keys=("automated",))
        disc = self.affirming(self.v.get("discrimination_cue"), context + self._sentences_where(("risks",)))
        if disc:
            self.put(join(base, "non_discrimination"), disc[0].text, disc[0], disc[0].text)
        else:
            self.searched(join(base, "non_discrimination"), "how discrimination by the automated evaluation is prevented", keys=("automated", "risks"))
        special = (self.v.get("biometric_terms"), self.v.get("health_terms"))
        special_at = {x.index for lex in special for x in self.affirming(lex, context)}
        uses = [s for s in context if s.index in special_at]
        if uses:
            self.put(join(base, "uses_special_categories"), True, uses[0], uses[0].text)
        else:
            self.searched(join(base, "uses_special_categories"), "special categories used in the automated decisions", "in what the DPIA says about them")

    # ------------------------------------------------------------------ sign-off
    def sign_off(self) -> None:
        """Who approved the assessment and when: a label, an "approved by" sentence, or the
        signature block that ends an administrative document (dated like the document)."""
        doc_date = self.data.get("meta", {}).get("date")
        labelled = self.labelled("/sign_off/by")
        if labelled:
            value, first = labelled[0]
            self._put_sign_off(value, first, doc_date)
            return
        approval = self.v.fields["/sign_off/by"]
        for u in self.pt.units[:60]:
            if u.kind == "label" and u.cells and approval.is_label_cell(u.cells[0]):
                self._put_sign_off(u.cells[1], u.sentences[0], doc_date)  # "Approved by Ž. Šećerović, Head of …" on the cover
                return
        for s in self._approval_sentences():
            self._put_sign_off(s.text, s, doc_date)
            return
        # a signature block: short lines at the very end, after the last paragraph
        tail: list[Unit] = []
        for u in reversed(self.pt.units):
            if u.kind != "para" or u.words > 10 or u.text.rstrip().endswith((".", ":", ";")):
                break
            tail.insert(0, u)
            if len(tail) == 3:
                break
        if tail:
            self.put("/sign_off/by", " ".join(u.text for u in tail), tail[0], " / ".join(u.text for u in tail))
            if doc_date:
                self.put("/sign_off/date", doc_date, tail[0], " / ".join(u.text for u in tail))
            return
        self.searched("/sign_off/by", "who approved the assessment (“Approved by”, “Odobrio”, a signature block)")
        self.searched("/sign_off/date", "when the assessment was approved")

    def _approver(self, value: str) -> str:
        """Who approved, from an approval ("Approved by X, Head of …, on 14 March 2026")."""
        by = value
        folded, index = fold_map(value)
        m = self.v.get("approval_words").regex.search(folded)
        if m:
            by = value[index[m.end()] :].lstrip(" :")
        by = re.split(r"\s+(?:on|dana)\s+\d|,\s*\d{1,2}[. ]", by)[0].strip(" .,")
        return by or value

    def _approval_sentences(self) -> list[Sentence]:
        """Sentences that say who approved the assessment, in document order: not in a
        section on risks, measures or the DPO (where "approved" is about something else),
        unless the section is also about the approval ("5. Consultation, opinion of the
        DPO and approval")."""
        cues = self.v.fields["/sign_off/by"].cues
        cued = self.hit(cues) if cues else frozenset()
        pool = {s.index: s for s in self._sentences_where(None, frozenset({"risks", "measures", "toc", "annex", "dpo"}))}
        for s in self._sentences_where(("sign_off",)):
            pool.setdefault(s.index, s)
        return [pool[i] for i in sorted(pool) if i in cued and self.free(pool[i])]

    def _put_sign_off(self, value: str, at: Sentence, doc_date: str | None) -> None:
        dates = find_dates(value)
        self.put("/sign_off/by", self._approver(value), at, at.text)
        if not dates:
            # "Odobrio: Ž. Šećerović, načelnik" on the cover, undated: the date of the
            # approval is where the approval is told ("Procenu je odobrio … 14.03.2026.")
            for s in self._approval_sentences():
                told = find_dates(s.text)
                if s is not at and told:
                    self.put("/sign_off/date", told[0][0].isoformat(), s, s.text)
                    return
        if dates:
            self.put("/sign_off/date", dates[0][0].isoformat(), at, at.text)
        elif doc_date:
            self.put("/sign_off/date", doc_date, at, at.text)
        else:
            self.searched("/sign_off/date", "the date of the approval", "next to the approval")

    def _legitimate_interest(self) -> None:
        """Purposes resting on Art. 12(1)(6) state the legitimate interest (Art. 54(6)(1))."""
        lex = self.v.get("legitimate_interest_terms")
        for i, lb in enumerate(self.data.get("legal_basis", [])):
            if not isinstance(lb, dict):
                continue
            text = str(lb.get("explanation", ""))
            if lb.get("lpdp") != "Art. 12(1)(6)" and not lex.matches(text):
                continue
            sents = [s for s in _sentences_of(text) if lex.matches(s) and self._describes_interest(s, lex)]
            if not sents:
                for j, p in enumerate(self.data.get("processing", {}).get("purposes", [])):
                    if isinstance(p, dict) and p.get("id") in (lb.get("purposes") or []):
                        self.searched(join("/processing/purposes", j, "legitimate_interest"), "what the legitimate interest is (more than naming the ground)", "in the legal basis")
                continue
            at = self.locations.get(join("/legal_basis", i, "explanation"))
            for j, p in enumerate(self.data.get("processing", {}).get("purposes", [])):
                if isinstance(p, dict) and p.get("id") in (lb.get("purposes") or []):
                    ptr = join("/processing/purposes", j, "legitimate_interest")
                    p["legitimate_interest"] = sents[0]
                    if at is not None:
                        self.locations[ptr] = Location(at.path, page=at.page, line=at.line, pointer=ptr)
                    self.quotes[ptr] = _clip(sents[0])

    def _describes_interest(self, sentence: str, lex: Lexicon) -> bool:
        """The sentence says what the interest is, not only that the ground is relied on:
        "P3: the legitimate interest of the Company (Art. 12(1)(6))" names the ground and
        no interest; "… interest in defending legal claims" names one. Words that only
        name the ground, the party or the citation (``interest_filler``) do not count."""
        f = lex.regex.sub(" ", fold(_compact_citations(sentence)))
        f = re.sub(r"\([^)]*\)|(?<!\w)(?:art(?:icle)?|clan\w*|cl)\.?\s*\d+(?:\s*\(\d+\))*", " ", f)
        f = self.v.get("interest_filler").regex.sub(" ", f)
        words = [w for w in re.findall(r"[^\W\d_]+", f) if len(w) > 2]
        return len(words) >= 2

    # ------------------------------------------------------------------ legal basis
    def legal_basis(self) -> None:
        ptr = "/legal_basis"
        units = [u for u in self.pt.units if u.kind != "heading" and "legal_basis" in self._keys(u) and all(self.free(x) for x in u.sentences)]
        sents: list[Sentence] = [x for span in self._spans.get("/legal_basis", []) for x in span if id(x) not in self._bare]
        if not sents:
            sents = [x for u in units for x in u.sentences if not x.text.rstrip().endswith(":")]
        if not sents:
            cued = self.hit(self.v.get("legal_basis_cue"))
            spec_ex = frozenset({"risks", "measures", "consultation", "dpo", "views", "review", "toc", "annex"})
            for u in self.pt.units:
                if u.kind == "heading" or set(self._keys(u)) & spec_ex:
                    continue
                for x in u.sentences:
                    if x.index in cued and self.free(x) and (citations_in(x.text) or self.v.get("statute_names").search_folded(x.folded)):
                        sents.append(x)
        # "No special categories are processed." belongs to the special-category analysis, not to a basis
        denies = self.v.get("denies_special_categories")
        sents = [x for x in sents if not denies.search_folded(x.folded)]
        if not sents:
            self.searched(ptr, "the legal basis (“Pravni osnov”, “Legal basis”, a cited article of the LPDP or another law)", keys=("legal_basis",))
            return
        purposes: list[str] = [str(p["id"]) for p in self.data.get("processing", {}).get("purposes", []) if isinstance(p, dict) and p.get("id")]
        # group clauses by the purposes they name; clauses naming none continue the previous
        # clause of the same paragraph, or (at a paragraph's start) speak for the other purposes
        groups: dict[tuple[str, ...], list[tuple[str, Sentence]]] = {}
        named: set[str] = set()
        # purpose ids as the document writes them: "P2", or "S2"/"С2" where its purposes are so numbered
        id_re = re.compile(r"(?<!\w)[" + "".join(sorted(self._purpose_prefixes | {"p"})) + r"]\s?(\d{1,2})(?!\w)")
        prev_unit: int = -1
        prev_key: tuple[str, ...] = ()
        for x in sents:
            for clause in [c for c in re.split(r";\s+", x.text) if c.strip()]:
                ids = tuple(dict.fromkeys(f"P{int(n)}" for n in id_re.findall(fold(clause)) if f"P{int(n)}" in purposes))
                key: tuple[str, ...]
                if ids:
                    key = ids
                    named.update(ids)
                elif x.unit == prev_unit and prev_key:
                    key = prev_key
                else:
                    key = ()
                groups.setdefault(key, []).append((clause, x))
                prev_unit, prev_key = x.unit, key
        statutes = self.v.get("statute_names")
        nec = self.v.fields["/necessity_proportionality/necessity"].cues
        for i, (key, clauses) in enumerate(groups.items()):
            base = join(ptr, i)
            first = clauses[0][1]
            text = " ".join(c for c, _ in clauses)
            if text.strip() and self._owner.get(id(first)) == "/legal_basis" and any(sp[0] is first for sp in self._spans.get("/legal_basis", [])):
                text = after_label(text)
            linked = list(key) or [p for p in purposes if p not in named] or list(purposes)
            self.put(join(base, "id"), f"L{i + 1}", first, first.text)
            self._alias(base, join(base, "id"))
            self.quotes[base] = _clip(first.text)
            self.put(join(base, "purposes"), linked, first, first.text)
            lpdp = _lpdp_citation(text)
            if lpdp:
                self.put(join(base, "lpdp"), lpdp, first, first.text)
            else:
                self.searched(join(base, "lpdp"), "the LPDP provision relied on (Art. 12(1) point, or Art. 13)", "in the legal basis")
            law = [(c, x) for c, x in clauses if statutes.search_folded(fold(c))]
            if law:
                self.put(join(base, "law"), " ".join(c for c, _ in law), law[0][1], law[0][1].text)
            else:
                self.searched(join(base, "law"), "the law (and article) that provides for the processing", "in the legal basis")
            necessity = [(c, x) for c, x in clauses if nec is not None and nec.regex.search(fold(c))]
            if necessity:
                self.put(join(base, "necessity"), " ".join(c for c, _ in necessity), necessity[0][1], necessity[0][1].text)
            else:
                self.searched(join(base, "necessity"), "why the processing is necessary for the authority's tasks", "in the legal basis")
            self.put(join(base, "explanation"), text, first, first.text)
        if any(p not in {q for g in self.data["legal_basis"] for q in g.get("purposes", [])} for p in purposes):
            self.searched(ptr, "a legal basis for every purpose (“Pravni osnov”, “Legal basis” naming the purpose)", keys=("legal_basis",))

    # ------------------------------------------------------------------ special categories
    def special_categories(self) -> None:
        ptr = "/special_categories"
        cue = self.v.get("special_category_cue")
        labelled = self._spans.get("/special_categories", [])
        pool: list[Sentence] = [x for span in labelled for x in span if id(x) not in self._bare]
        seen = {id(x) for x in pool}
        pool += [x for x in self._sentences_where(None, frozenset({"risks", "measures", "consultation", "dpo", "views", "review", "toc", "annex"})) if id(x) not in seen]
        bio, health = self.v.get("biometric_terms"), self.v.get("health_terms")
        cats: dict[str, list[Sentence]] = {}
        denies = {x.index for x in self.having(self.v.get("denies_special_categories"), pool)}
        found = [(cat, {x.index for x in self.affirming(lex, pool)}) for cat, lex in (("biometric", bio), ("health", health))]
        for x in pool:
            if x.index in denies:
                continue
            for cat, at in found:
                if x.index in at:
                    cats.setdefault(cat, []).append(x)
        if not cats:
            self.searched(ptr, "an analysis of special categories (“posebne vrste podataka”, “special category”, Art. 17/18)", keys=("special_categories", "legal_basis"))
            return
        cond_lex, safe_lex, statutes = self.v.get("condition_cue"), self.v.get("safeguard_cue"), self.v.get("statute_names")
        nec_lex = self.v.fields["/necessity_proportionality/necessity"].cues
        ident = self.v.get("unique_identification")
        techs = [t.get("name") for t in self.data.get("processing", {}).get("technologies", []) if isinstance(t, dict)]
        for cat, sents in cats.items():
            around = self._around(sents)
            # the analysis proper: sentences that cite Art. 17/18 or name the exception
            with_cond = {x.index for x in self.having(cond_lex, around)}
            with_cue = {x.index for x in self.having(cue, [x for x in around if x.index in with_cond])}
            cond = [x for x in around if self._cites_17_18(x) or x.index in with_cond and x.index in with_cue]
            units_of = {y.unit for y in sents}
            cond = cond or [x for x in around if x.index in with_cond and x.unit in units_of]
            if not cond and not labelled and not self.pt.sections_for(("special_categories",)):
                continue  # mentioned (biometric data, health data) but never analysed
            base = join(ptr, len(self.data.get("special_categories", [])))
            first = sents[0]
            self.put(join(base, "category"), cat, first, first.text)
            self._alias(base, join(base, "category"))
            self.quotes[base] = _clip(first.text)
            if cat == "biometric":
                uid = bool(self.having(ident, sents)) or any(t in ("face recognition", "fingerprint recognition") for t in techs)
                self.put(join(base, "for_unique_identification"), uid, first, first.text)
            if cond:
                self.put(join(base, "condition"), " ".join(x.text for x in cond[:2]), cond[0], cond[0].text)
            else:
                self.searched(join(base, "condition"), "the exception relied on for this special category (Art. 17(2) / 18: consent, authorised by law, health care …)", "next to where the category is mentioned")
            law = self.naming(statutes, around)
            if law:
                self.put(join(base, "law"), " ".join(x.text for x in law[:2]), law[0], law[0].text)
            else:
                self.searched(join(base, "law"), "the law that authorises processing this special category", "next to where the category is mentioned")
            safe = self.having(safe_lex, around)
            if safe:
                self.put(join(base, "safeguards"), " ".join(x.text for x in safe[:2]), safe[0], safe[0].text)
            else:
                self.searched(join(base, "safeguards"), "safeguards for this special category (access limits, secrecy, encryption)", "next to where the category is mentioned")
            nec = self.having(nec_lex, around) if nec_lex is not None else []
            if nec:
                self.put(join(base, "necessity"), " ".join(x.text for x in nec[:2]), nec[0], nec[0].text)
            else:
                self.searched(join(base, "necessity"), "why processing this special category is necessary", "next to where the category is mentioned")
            consent = self.v.get("consent_terms")
            if cond and consent.regex.search(" ".join(x.folded for x in cond)):
                cond_ids = {id(x) for x in cond}
                ctx = self.having(consent, [x for x in around if id(x) not in cond_ids])
                if ctx:
                    self.put(join(base, "consent_context"), " ".join(x.text for x in ctx[:2]), ctx[0], ctx[0].text)
                else:
                    self.searched(join(base, "consent_context"), "how consent can be refused freely (an alternative without consequences)", "next to the consent")
        if not self.data.get("special_categories"):
            self.searched(ptr, "an analysis of special categories (the exception of Art. 17(2) / 18 relied on)", keys=("special_categories", "legal_basis"))

    def _special_citation(self, s: Sentence) -> bool:
        return any(c[0] in (17, 18) for c in citations_in(_compact_citations(s.text)))

    def _cites_17_18(self, s: Sentence) -> bool:
        """:meth:`_special_citation`, skipping sentences that cannot cite either article."""
        return ("17" in s.folded or "18" in s.folded) and self._special_citation(s)

    def _around(self, sents: list[Sentence]) -> list[Sentence]:
        """Sentences of the units holding ``sents``, of the legal-basis and special-category
        sections, and anywhere that cites Art. 17 or 18."""
        idx = {s.unit for s in sents}
        out = [s for i in sorted(idx) for s in self.pt.units[i].sentences]
        seen = {id(s) for s in out}
        for s in self._sentences_where(("legal_basis", "special_categories")) + [
            s for s in self._citing_17_18() if not set(self._keys(self.pt.units[s.unit])) & {"risks", "measures", "toc", "annex"}
        ]:
            if id(s) not in seen:
                seen.add(id(s))
                out.append(s)
        return out

    def _citing_17_18(self) -> list[Sentence]:
        """Sentences citing Art. 17 or 18 (computed once)."""
        if self._cite_cache is None:
            self._cite_cache = [s for s in self.pt.sentences() if ("17" in s.folded or "18" in s.folded) and self._special_citation(s)]
        return self._cite_cache

    # ------------------------------------------------------------------ necessity
    def necessity(self) -> None:
        self.data.setdefault("necessity_proportionality", {})
        self.set_text("/necessity_proportionality/necessity")
        self.set_text("/necessity_proportionality/proportionality")
        for ptr in ("data_minimisation", "accuracy", "transparency", "data_subject_rights"):
            self.set_text(f"/necessity_proportionality/{ptr}")
        storage = self.data["processing"].get("retention")
        if isinstance(storage, str):
            self.put("/necessity_proportionality/storage_limitation", storage, None)
            self._alias("/necessity_proportionality/storage_limitation", "/processing/retention")
            self.quotes["/necessity_proportionality/storage_limitation"] = self.quotes["/processing/retention"]
        self._alternatives()
        self._evidence()

    def _alternatives(self) -> None:
        ptr = "/necessity_proportionality/alternatives"
        items: list[tuple[str, Sentence]] = []
        for value, first in self.labelled(ptr):
            items.extend((p.strip(), first) for p in re.split(r";\s+", value) if p.strip())
        if not items:
            lex = self.v.get("alternative_cue")
            for s in self.having(lex, self._sentences_where(("necessity", "proportionality", "principles", "need"))):
                # weighing alternatives is part of the necessity and proportionality test, so
                # a sentence of a "Srazmernost: …" paragraph may name one
                if (self.free(s) or self._owner.get(id(s)) in _WEIGHING) and not self._denies_alternatives(s):
                    items.extend((p, s) for p in self._alternative_parts(s.text))
        if not items:
            self.searched(ptr, "alternatives considered (“Alternative”, “less intrusive”, “instead of”)", keys=("necessity", "proportionality"))
            return
        rej = self.v.get("rejection_cue")
        for i, (text, s) in enumerate(items[:5]):
            base = join(ptr, i)
            self.put(join(base, "alternative"), text, s, text)
            self._alias(base, join(base, "alternative"))
            self.quotes[base] = _clip(text)
            m = rej.regex.search(fold(text))
            if m:
                self.put(join(base, "rejected_because"), text, s, text)
            else:
                self.searched(join(base, "rejected_because"), "why this alternative was rejected (“because”, “jer”, “odbačeno”)", "in the same sentence")

    def _alternative_parts(self, text: str) -> list[str]:
        """A sentence's alternatives, one per part between semicolons ("A was considered;
        B was rejected because …"); a part that only rejects what the part before named
        ("…; ta mogućnost je odbačena jer …") stays with it."""
        rejection = self.v.get("rejection_cue").regex
        parts: list[str] = []
        for part in (p.strip() for p in re.split(r";\s+", text)):
            if not part:
                continue
            f = fold(part)
            if parts and _BACK_REFERENCE.match(f) and rejection.search(f):
                parts[-1] = f"{parts[-1]}; {part}"
            else:
                parts.append(part)
        return parts

    def _denies_alternatives(self, s: Sentence) -> bool:
        """"… se ne može sprečiti na drugi način", "there is no other way": an assertion that
        no alternative exists, not an alternative that was considered and weighed."""
        if self.v.get("no_alternative_claim").regex.search(s.folded):
            return True
        aff, neg = find_affirmed(self.v.get("other_means"), s.folded, self.neg)
        return aff is None and neg is not None

    def _evidence(self) -> None:
        ptr = "/necessity_proportionality/evidence"
        claims: list[Sentence] = []
        labelled = self.labelled(ptr)
        lab = False  # the first claim starts with its label ("Dokazi: …")
        for _, first in labelled:
            span = next((sp for sp in self._spans[ptr] if any(x is first for x in sp)), [first])
            lab = lab or (not claims and id(span[0]) not in self._bare)
            claims.extend(x for x in span if id(x) not in self._bare)
        if not claims:
            lex = self.v.get("evidence_cue")
            number = re.compile(r"\d+\s*(%|odsto|posto|percent)|\d")
            pool = self.having(lex, self._sentences_where(None, frozenset({"measures", "consultation", "dpo", "views", "review", "toc", "annex", "description", "data", "retention"})))
            for s in pool:
                if self.free(s) and (number.search(s.folded) or self.v.get("experience_cue").regex.search(s.folded)):
                    claims.append(s)
        if not claims:
            self.searched(ptr, "evidence of effectiveness (“Dokazi”, “Evidence”, figures with their source)", keys=("necessity", "proportionality"))
            return
        for i, s in enumerate(claims[:4]):
            base = join(ptr, i)
            text = after_label(s.text) if lab and i == 0 else s.text
            self.put(join(base, "claim"), text, s, s.text)
            self._alias(base, join(base, "claim"))
            self.quotes[base] = _clip(s.text)
            source = self._source_of(s.text)
            if source:
                self.put(join(base, "source"), source, s, s.text)
            else:
                self.searched(join(base, "source"), "a source for this claim (study, report, statistics)", "in the same sentence")

    def _source_of(self, text: str) -> str | None:
        """"(izvor: …)", "source: …", or a parenthesis naming a report or statistics."""
        folded, index = fold_map(text)
        lab = self.v.get("source_label").regex
        for m in lab.finditer(folded):
            rest = folded[m.end() :]
            colon = re.match(r"\s*:\s*", rest)
            if colon:
                end = re.search(r"[.;)](?:\s|$)|$", rest[colon.end() :])
                stop = m.end() + colon.end() + (end.start() if end else len(rest))
                return text[index[m.start()] : index[stop]].strip("() ")
        src = self.v.get("source_cue")
        for p in re.finditer(r"\(([^)]{4,160})\)", text):
            if src.regex.search(fold(p.group(1))):
                return p.group(1).strip()
        return None

    # ------------------------------------------------------------------ risks and measures
    def risks_and_measures(self) -> None:
        risk_units = [u for u in self.pt.units if u.kind != "heading" and "risks" in self._keys(u)]
        meas_units = [u for u in self.pt.units if u.kind != "heading" and "measures" in self._keys(u)]
        heading_of: dict[int, str] = {}
        for u in meas_units:
            sec = self._inner[u.index]
            heading_of[u.index] = fold(sec.title) if sec is not None else ""
        risks = RecordReader(self.v, "r").read(risk_units)
        if not risks:
            risks = self._risk_sentences(risk_units)
        measures = RecordReader(self.v, "m").read(meas_units, heading_of, self.pt.lines)
        if not measures and meas_units:
            measures = [Record(None, s.text, [self.pt.units[s.unit]], {"description": s.text}) for s in self.pt.sentences(meas_units) if not s.text.rstrip().endswith(":")]
        for r in risks + measures:
            self._used.update(u.index for u in r.units)
        self._fill_measures(measures)
        self._fill_risks(risks, risk_units)

    def _risk_sentences(self, units: list[Unit]) -> list[Record]:
        """Risks written as prose: a paragraph per risk that rates it ("Prvi rizik je da …
        Verovatnoću procenjujemo kao srednju …"), an enumeration after a colon, or
        sentences naming a harm."""
        out: list[Record] = []
        verdict = self.v.get("risk_verdict")
        cue = self.v.get("risk_cue")
        rated = self.hit(self.v.get("likelihood_cue")) | self.hit(self.v.get("severity_cue"))
        risk_word = self.v.get("risk_word").regex
        for u in units:
            if len(u.sentences) >= 2 and risk_word.search(u.sentences[0].folded) and any(x.index in rated for x in u.sentences[1:]) \
                    and not any(verdict.regex.search(x.folded) for x in u.sentences):
                first = u.sentences[0].text
                out.append(Record(None, u.text, [u], {"description": _ordinal_risk_lead(first)}))
                continue
            for s in u.sentences:
                if verdict.regex.search(s.folded):
                    continue
                if ":" in s.text and self.v.get("risk_word").regex.search(fold(s.text.split(":", 1)[0])):
                    for part in _split_enumeration(s.text.split(":", 1)[1]):
                        out.append(Record(None, part, [u], {"description": part}))
                elif cue.regex.search(s.folded):
                    out.append(Record(None, s.text, [u], {"description": s.text}))
        if not out:
            for u in units:
                if u.kind == "item":
                    out.append(Record(None, u.text, [u], {"description": u.text}))
        return out

    def _level(self, text: str | None, cue: str | None = None) -> str | None:
        """low / medium / high from a rating text ("srednja", "possible", "significant")."""
        if not text:
            return None
        f = fold(text)
        if cue is not None:
            m = self.v.get(cue).regex.search(f)
            if not m:
                return None
            f = f[m.end() : m.end() + 40]
        best: tuple[int, str] | None = None
        for name in ("high", "medium", "low"):
            m = self.v.get(f"level_{name}").regex.search(f)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), name)
        return best[1] if best else None

    def _fill_measures(self, records: list[Record]) -> None:
        ptr = "/measures"
        if not records:
            self.searched(ptr, "measures (“Mere zaštite”, “Measures”, “technical/organisational/staff”)", keys=("measures",))
            return
        kinds = {k: self.v.get(f"kind_{k}") for k in ("technical", "organisational", "staff")}
        infer = {"staff": self.v.get("infer_staff"), "technical": self.v.get("infer_technical")}
        impl, planned = self.v.get("status_implemented"), self.v.get("status_planned")
        for i, r in enumerate(records):
            base = join(ptr, i)
            at = r.units[0].sentences[0]
            ident = r.ident or f"M{i + 1}"
            desc = r.parts.get("description", r.text)
            desc = re.sub(r"^\s*\([^)]{0,80}\)\s*[.:–-]?\s*", "", desc).strip() or desc
            self.put(join(base, "id"), ident, at, r.text)
            self.put(join(base, "description"), desc, at, desc)
            self._alias(base, join(base, "description"))
            self.quotes[base] = _clip(r.text)
            head = fold(r.text[:80])
            explicit = r.parts.get("kind")
            kind = None
            for name, lex in kinds.items():
                if (explicit and lex.regex.search(fold(explicit))) or (not explicit and lex.regex.search(head[: head.find(")") + 1] if head.startswith("(") or re.match(r"^m\d+\s*\(", head) else "")):
                    kind = name
                    break
            if kind is None:
                # the heading tells the kind only when it names one: "Technical and
                # organisational measures" made every measure, training too, technical
                named = [name for name, lex in kinds.items() if lex.regex.search(r.heading)]
                if len(named) == 1:
                    kind = named[0]
            if kind is None:
                f = fold(desc)
                if infer["staff"].regex.search(f):
                    kind = "staff"
                elif infer["technical"].regex.search(f):
                    kind = "technical"
                else:
                    kind = "organisational"
            self.put(join(base, "kind"), kind, at, r.text)
            st_text = fold(r.parts.get("status", "") or r.text[:120])
            if impl.regex.search(st_text):
                self.put(join(base, "status"), "implemented", at, r.text)
            elif planned.regex.search(st_text):
                self.put(join(base, "status"), "planned", at, r.text)
            owner = r.parts.get("owner")
            if owner:
                self.put(join(base, "owner"), owner, at, r.text)
            else:
                self.searched(join(base, "owner"), "who is responsible for the measure (“Nosilac”, “Owner”)", "in the measure's entry")
            linked = ids_in(r.text, "r")
            if linked:
                self.data.setdefault("_links", {})[ident] = linked

    def _fill_risks(self, records: list[Record], units: list[Unit]) -> None:
        ptr = "/risks"
        if not records:
            self.searched(ptr, "a risk register (“Procena rizika”, “Risks”, risks with likelihood and severity)", keys=("risks",))
            return
        known = {m.get("id") for m in self.data.get("measures", []) if isinstance(m, dict)}
        links: dict[str, list[str]] = self.data.pop("_links", {})
        for i, r in enumerate(records):
            base = join(ptr, i)
            at = r.units[0].sentences[0]
            ident = r.ident or f"R{i + 1}"
            self._impact_column(r)
            desc = r.parts.get("description") or r.text
            self.put(join(base, "id"), ident, at, r.text)
            self.put(join(base, "description"), desc, at, desc)
            self._alias(base, join(base, "description"))
            self.quotes[base] = _clip(r.text)
            lik = self._level(r.parts.get("likelihood")) or self._level(r.text, "likelihood_cue")
            sev = self._level(r.parts.get("severity")) or self._level(r.text, "severity_cue")
            if lik:
                self.put(join(base, "likelihood"), lik, *self._said_in(r, "likelihood", "likelihood_cue", at))
            else:
                self.searched(join(base, "likelihood"), "a likelihood rating (“Verovatnoća”, “Likelihood”)", "in the risk's entry")
            if sev:
                self.put(join(base, "severity"), sev, *self._said_in(r, "severity", "severity_cue", at))
            else:
                self.searched(join(base, "severity"), "a severity rating (“Ozbiljnost”, “Severity”)", "in the risk's entry")
            rights = self._rights(r) or self._rights_in_prose(r)
            if rights:
                self.put(join(base, "rights_affected"), rights, *self._said_in(r, "rights", "rights_harm_words", at))
            else:
                self.searched(join(base, "rights_affected"), "the rights of data subjects the risk affects (“Pogođena prava”, “Rights affected”)", "in the risk's entry")
            mids = ids_in(r.parts.get("measures", ""), "m") if r.parts.get("measures") else []
            if not mids and not r.units[0].kind == "row":
                mids = ids_in(r.text, "m")  # "Ovaj rizik umanjuju mere M1 i M3." in a prose entry
            mids += [m for m, rs in links.items() if ident in rs and m not in mids]
            if mids:
                self.put(join(base, "measures"), mids, *self._said_in(r, "measures", None, at))
            elif known:
                self.searched(join(base, "measures"), "which measures answer this risk (“Mere: M1”, “Measures: M1”)", "in the risk's entry and the measures")
            res = r.parts.get("residual")
            if res:
                rl = self._level(res, "likelihood_cue") or self._level(res)
                rs = self._level(res, "severity_cue") or self._level(res)
                if rl and rs:
                    self.put(join(base, "residual"), {"likelihood": rl, "severity": rs}, at, res)
            elif self._level(r.text, "residual_cue"):  # "… preostali rizik je nizak." in prose
                lv = self._level(r.text, "residual_cue")
                self.put(join(base, "residual"), {"likelihood": lv, "severity": lv}, *self._said_in(r, "residual", "residual_cue", at))
        self._blanket_residual(units)
        self._residual_by_id(units)

    def _said_in(self, r: Record, part: str, cue: str | None, at: Sentence) -> tuple[Sentence, str]:
        """Where a risk's rating, rights or measures are said, to quote: the labelled part or
        table cell if there is one; in a prose entry the sentence that says it
        ("Verovatnoću ocenjujemo kao nisku …"), not the entry's first sentence."""
        if r.parts.get(part) or r.units[0].kind == "row":
            return at, r.parts.get(part) or r.text
        rx = self.v.get(cue).regex if cue else re.compile(r"(?<![\w])m\s?-?\d{1,3}(?![\w])")
        for u in r.units:
            for x in u.sentences:
                if rx.search(x.folded):
                    return x, x.text
        return at, r.text

    def _impact_column(self, r: Record) -> None:
        """A register's "consequences"/"impact" column: a rating ("visok") is the severity
        when no severity column says it; a text ("otkrivanje kretanja i adrese korisnika")
        is the harm, added to the description of the feared event."""
        impact = r.parts.pop("impact", None)
        if not impact:
            return
        if len(impact.split()) <= 3 and self._level(impact):
            r.parts.setdefault("severity", impact)
            return
        desc = r.parts.get("description")
        r.parts["description"] = f"{desc}: {impact}" if desc else impact

    def _blanket_residual(self, units: list[Unit]) -> None:
        """"With the measures in place all residual risks are assessed as low": one sentence
        rating the residual risk of every risk that has no rating of its own."""
        quantifier = self.v.get("all_words").regex
        for u in units:
            if u.index in self._used:
                continue
            for s in u.sentences:
                if not quantifier.search(s.folded):
                    continue
                level = self._level(s.text, "residual_cue")
                if not level:
                    continue
                for i, x in enumerate(self.data.get("risks", [])):
                    if isinstance(x, dict) and not x.get("residual"):
                        self.put(join("/risks", i, "residual"), {"likelihood": level, "severity": level}, s, s.text)
                return

    def _residual_by_id(self, units: list[Unit]) -> None:
        """"The residual risk of R2 remains high.": a sentence outside the register that
        rates the residual risk of the risks it names by id (each one without a rating)."""
        risks = {x.get("id"): i for i, x in enumerate(self.data.get("risks", [])) if isinstance(x, dict) and x.get("id") and not x.get("residual")}
        if not risks:
            return
        for u in units:
            if u.index in self._used:
                continue
            for s in u.sentences:
                level = self._level(s.text, "residual_cue")
                if not level:
                    continue
                for ident in ids_in(s.text, "r"):
                    i = risks.pop(ident, None)
                    if i is not None:
                        self.put(join("/risks", i, "residual"), {"likelihood": level, "severity": level}, s, s.text)

    def _rights_in_prose(self, r: Record) -> list[str]:
        """Rights a prose entry says are harmed, anywhere in it ("… bila bi povređena
        privatnost pacijenta"): a right named next to a word of harm counts, as the
        words "right"/"pravo" do in :meth:`_rights`."""
        if r.parts.get("rights") or r.units[0].kind == "row":
            return []
        f = fold(r.text)
        if not (self.v.get("rights_words").regex.search(f) or self.v.get("rights_harm_words").regex.search(f)):
            return []
        return [name[len("right_"):] for name, lex in self.v.lex.items() if name.startswith("right_") and lex.regex.search(f)]

    def _rights(self, r: Record) -> list[str]:
        value = r.parts.get("rights")
        if value:
            parts = [p.strip(" .") for p in re.split(r",|;|\s+(?:i|and|и)\s+", value) if p.strip(" .")]
            return parts
        f = fold(r.parts.get("description", ""))
        if not self.v.get("rights_words").regex.search(f):
            return []
        return [name[len("right_"):] for name, lex in self.v.lex.items() if name.startswith("right_") and lex.regex.search(f)]

    # ------------------------------------------------------------------ consultation, review
    def consultation(self) -> None:
        self.data.setdefault("consultation", {})
        dpo_cue = self.v.get("dpo_advice_cue")
        found = self.text_field("/consultation/dpo_advice", extra_cue=dpo_cue)
        if found is not None and found.where != "label" and not dpo_cue.regex.search(fold(found.value)):
            found = None  # the DPO's section only names the DPO ("… je Marija Petrović"), or says none was designated
        if found is None:
            self.searched("/consultation/dpo_advice", self._what("/consultation/dpo_advice"))
        else:
            at = self._telling("/consultation/dpo_advice", found)
            self.put("/consultation/dpo_advice", found.value, at, _clip(at.text) if at is not found.at else _first_sentence(found.value))
        if found is not None:
            f = fold(found.value)
            said_followed = next((x for x in found.sents if self.v.get("followed").regex.search(x.folded)), found.at)
            if self.v.get("not_followed").regex.search(f) or self._next_sentence_says(found, "not_followed"):
                self.put("/consultation/dpo_advice_followed", False, found.at, found.at.text)
                unit = self.pt.units[found.at.unit]
                after = [x for x in unit.sentences + (self.pt.units[found.at.unit + 1].sentences if found.at.unit + 1 < len(self.pt.units) else [])
                         if self.v.get("not_followed").regex.search(x.folded)]
                not_followed = self.v.get("not_followed")
                reasons = [x for x in after if self.v.get("dpo_overruled_reason").regex.search(x.folded) or _reason_after_colon(x.folded, not_followed)]
                if reasons:
                    self.put("/consultation/dpo_overruled_reason", reasons[0].text, reasons[0], reasons[0].text)
                else:
                    self.searched("/consultation/dpo_overruled_reason", "why the DPO's advice was not followed (“because”, “jer”)", "next to the DPO's advice")
            elif self.v.get("followed").regex.search(f):
                self.put("/consultation/dpo_advice_followed", True, said_followed, said_followed.text)
            else:
                self.searched("/consultation/dpo_advice_followed", "whether the DPO's advice was followed (“accepted”, “prihvaćeno”, “not followed”)", "next to the DPO's advice")
        views = self.text_field("/consultation/data_subjects_views", extra_cue=None)
        if views is not None and views.where != "label":
            dpo = self.v.get("dpo_mention").regex
            if dpo.search(fold(views.value)):
                kept = [x for x in views.sents if not dpo.search(x.folded)]
                sents = [s for s in _sentences_of(views.value) if not dpo.search(fold(s))]
                views = Found(" ".join(sents), kept[0] if kept else views.at, views.where, tuple(kept)) if sents else None
        if views is None:
            self.searched("/consultation/data_subjects_views", self._what("/consultation/data_subjects_views"))
        else:
            at = self._telling("/consultation/data_subjects_views", views)
            self.put("/consultation/data_subjects_views", views.value, at, _clip(at.text) if at is not views.at else _first_sentence(views.value))
        self._commissioner()

    def _next_sentence_says(self, found: Found, lex: str) -> bool:
        u = self.pt.units[found.at.unit]
        sents = u.sentences
        idx = next((k for k, s in enumerate(sents) if s is found.at), -1)
        rest = sents[idx + 1 : idx + 3] if idx >= 0 else []
        if idx >= 0 and idx + 1 >= len(sents) and found.at.unit + 1 < len(self.pt.units):
            rest = self.pt.units[found.at.unit + 1].sentences[:1]
        return any(self.v.get(lex).regex.search(s.folded) for s in rest)

    def _commissioner(self) -> None:
        base = "/consultation/commissioner"
        cue = self.v.get("commissioner_cue")
        sents = self._sentences_where(("commissioner",)) or self.having(
            self.v.get("commissioner_opinion_words"), self.having(cue, self._sentences_where(None, frozenset({"toc", "annex", "need", "legal_basis"})))
        )
        if not sents:
            self.searched(base, "whether the Commissioner's prior opinion was sought (“Poverenik”, “Commissioner”, “prior consultation”, Art. 55)", keys=("commissioner",))
            return
        first = sents[0]
        text = " ".join(s.text for s in sents[:3])
        f = fold(text)
        if self.v.get("commissioner_not_required").regex.search(f):
            self.put(join(base, "required"), False, first, first.text)
            self.put(join(base, "outcome"), text, first, first.text)
            # the document says the opinion is not asked for: that answers "was it submitted?"
            self.searched(join(base, "submitted"), "a request for the Commissioner's opinion", "where the document says none is needed")
            return
        self.put(join(base, "required"), True, first, first.text)
        if self.v.get("commissioner_submitted").regex.search(f):
            sub = next((s for s in sents if self.v.get("commissioner_submitted").regex.search(s.folded)), first)
            dates = find_dates(sub.text)
            doc_date = self.data.get("meta", {}).get("date")
            value = dates[0][0].isoformat() if dates else doc_date
            if value:
                self.put(join(base, "submitted"), value, sub, sub.text)
        outcome = [s for s in sents if self.v.get("commissioner_outcome").regex.search(s.folded)]
        if outcome:
            self.put(join(base, "outcome"), " ".join(s.text for s in outcome), outcome[0], outcome[0].text)

    def review(self) -> None:
        found = self.set_text("/review/schedule")
        if found is None:
            self.searched("/review", "a review of the assessment (“preispitivanje”, “review”, a next review date)", keys=("review",))
            return
        nxt = self.v.get("review_next")
        sents = list(self.pt.units[found.at.unit].sentences) or [found.at]
        for s in sents:
            m = nxt.regex.search(s.folded)
            dates = find_dates(s.text)
            if m and dates:
                self.put("/review/next", dates[-1][0].isoformat(), s, s.text)
                return
        self.searched("/review/next", "the date of the next review", "next to the review")


# ---------------------------------------------------------------------- helpers
def ctx_hit(vocab: Any, s: Sentence) -> bool:
    """``s`` talks about automated decisions (so an exception found in it is theirs)."""
    return bool(vocab.get("automated_context").regex.search(s.folded))


def _first_of_each(items: list[tuple[str, Sentence]]) -> list[tuple[str, Sentence]]:
    """A purpose stated again in the same words is the same purpose: keep where it is
    first said (a 200-page DPIA repeating one boilerplate sentence gave 300 purposes)."""
    seen: set[str] = set()
    out: list[tuple[str, Sentence]] = []
    for text, s in items:
        key = " ".join(fold(text).split())
        if key not in seen:
            seen.add(key)
            out.append((text, s))
    return out


def _clip(text: str, limit: int = 240) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 1].rstrip() + "…"


def _sentences_of(text: str, limit: int | None = None) -> list[str]:
    from dpia_check.text.prepare import split_sentences

    return [s for _, s in split_sentences(text, limit)]


def _first_sentence(text: str) -> str:
    sents = _sentences_of(text, 1)
    return _clip(sents[0] if sents else text)


_PURPOSE_LEAD = re.compile(
    r"^\s*(?:the\s+)?(?:main\s+)?(?:svrh\w*|purposes?|cilj\w*)(?:\s+(?:obrade|of the processing|podataka))?(?:\s+\w+){0,4}?\s+(?:je|su|is|are|jesu)\s+",
    re.IGNORECASE,
)


_PURPOSE_MARK = re.compile(r"\(\s*(?:svrh\w*|purpose|cilj\w*|сврх\w*|циљ\w*|[PpПп])\s*-?\s*(\d{1,2})\s*\)")


def _split_marked(text: str) -> list[str] | None:
    """"… da se pomoć pruži brzo (svrha 1) i da se utvrdi … (svrha 2)." -> the two purposes,
    each as "P1: …", when a sentence numbers its purposes in parentheses."""
    marks = list(_PURPOSE_MARK.finditer(text))
    if len(marks) < 2:
        return None
    out: list[str] = []
    start = 0
    for m in marks:
        part = text[start : m.start()]
        lead = _PURPOSE_LEAD.match(fold(part)) if not out else None
        if lead:  # "Svrha snimanja je …": cut the lead by counting its words
            part = " ".join(part.split()[len(fold(part)[: lead.end()].split()) :])
        part = re.sub(r"^\s*(?:,|;|\bi\b|\band\b|\bи\b|\ba\b)\s*", "", part).strip(" ,;.")
        if part:
            out.append(f"P{int(m.group(1))}: {part}")
        start = m.end()
    return out or None


def _split_purposes(text: str) -> list[str]:
    """"Svrha obrade je A, B i C." -> [A, B, C] (commas and semicolons; "i"/"and" inside parts stay)."""
    marked = _split_marked(text)
    if marked:
        return marked
    f = fold(text)
    m = _PURPOSE_LEAD.match(f)
    body = text
    if m:
        body = text[len(text) - len(text.lstrip()) :]
        # cut the lead in the original by counting words
        n_words = len(f[: m.end()].split())
        body = " ".join(text.split()[n_words:])
    parts = [p.strip(" .;:") for p in re.split(r";|,(?![^()]*\))", body)]
    return [p for p in parts if len(p.split()) >= 2] or ([body.strip(" .")] if body.strip(" .") else [])


_ORDINAL_RISK = re.compile(
    r"^\s*(?:(?:prvi|drugi|treci|cetvrti|peti|sesti|sedmi|osmi|naredni|sledeci|jos jedan|the first|the second|the third|the fourth|the fifth|another|a further|one)\s+)?"
    r"(?:rizik|risk)\s+(?:je|is)\s+(?:(?:da|that)\s+)?",
    re.IGNORECASE,
)


def _ordinal_risk_lead(sentence: str) -> str:
    """"Prvi rizik je da neovlašćeno lice …" -> "neovlašćeno lice …" (the harm itself)."""
    m = _ORDINAL_RISK.match(fold(sentence))
    if not m:
        return sentence
    n_words = len(fold(sentence)[: m.end()].split())
    rest = " ".join(sentence.split()[n_words:])
    return rest[:1].upper() + rest[1:] if rest else sentence


def _split_enumeration(text: str) -> list[str]:
    """"A, B i C." -> [A, B, C] (also "and")."""
    parts = re.split(r",\s*|\s+(?:i|and|и)\s+(?=[^,]*$)", text.strip().rstrip("."))
    return [p.strip() for p in parts if len(p.split()) >= 2]


_LPDP_CITE = re.compile(
    r"(?:clan\w*|cl\.|art\.?|article)\s*(\d{1,3})\.?(?:\s*(?:stav|st\.)\s*(\d{1,2})\.?)?(?:\s*(?:tacka|tac\.|tacke)\s*(\d{1,2})\)?)?(?:\s*\((\d{1,2})\)(?:\s*\((\d{1,2})\))?)?",
)


_WORDY_CITE = re.compile(
    r"(?i)\b(?P<art>art(?:icle)?s?\.?\s*\d{1,3})"
    r"(?:\s*,?\s*(?:paragraph|para\.?|par\.?)\s*(?P<par>\d{1,2}))"
    r"(?:\s*,?\s*(?:point|item|subparagraph|indent)\s*(?P<pt>\d{1,2}))?"
)


def _compact_citations(text: str) -> str:
    """English citations written out the Serbian way ("Article 12 paragraph 1 point 5",
    as translations of Serbian laws cite) in the short form "Article 12(1)(5)" the
    citation readers know; Serbian "član 12. stav 1. tačka 5)" is read as it is."""
    if "aragraph" not in text and "para" not in text.lower():
        return text
    return _WORDY_CITE.sub(lambda m: f"{m.group('art')}({m.group('par')})" + (f"({m.group('pt')})" if m.group("pt") else ""), text)


def _lpdp_citation(text: str) -> str | None:
    """The LPDP provision relied on, as "Art. 12(1)(5)", if the text cites Art. 12-14 of it."""
    f = fold(_compact_citations(text))
    for m in _LPDP_CITE.finditer(f):
        art = int(m.group(1))
        if art not in (12, 13, 14):
            continue
        tail = f[m.end() : m.end() + 80]
        if re.match(r"\s*(?:zakona|of the law|law)\s+o\s+(?!zastiti podataka)", tail) or re.match(r"\s*(?:of the law on|zakona o)\s+(?!(?:personal data|zastiti podataka|the protection of personal))", tail):
            continue
        para = m.group(2) or m.group(4)
        point = m.group(3) or m.group(5)
        out = f"Art. {art}"
        if para:
            out += f"({int(para)})"
            if point:
                out += f"({int(point)})"
        return out
    return None


def _reason_after_colon(folded: str, refusal: Lexicon) -> bool:
    """Whether a refusal gives its reason after a colon: "Point (3) was not accepted by
    management: the calculation rule is the same for everyone, …"."""
    m = refusal.regex.search(folded)
    if m is None:
        return False
    colon = folded.find(":", m.end())
    return colon >= 0 and len(folded[colon + 1 :].split()) >= 4


def map_document(pt: PreparedText) -> tuple[dict[str, Any], dict[str, Location], dict[str, str]]:
    """Fill the model from ``pt``: (data, locations, quotes); ``pt.searched`` is filled too."""
    m = Mapper(pt)
    m.run()
    return m.data, m.locations, m.quotes
