"""The check primitives that rules may name, and the tiny condition language joining them.

A rule's ``check`` is data::

    check:
      each: /risks                    # optional: judge every item of a list
      where: {op: in, field: severity, values: [high]}
      if_none: fail                   # status when there is nothing to judge
      label: id                       # item field that names items in messages
      require:
        - {op: min_items, field: measures, min: 1}

Every condition is a mapping with ``op``. Logic is three-valued (pass / fail /
unknown): *unknown* becomes a ``manual`` finding, never a silent pass. ``field``
is a JSON Pointer when it starts with ``/``, otherwise relative to the current item.
There is no expression language, no eval and no regex from rule files.
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from dpia_check.lexicon import Lexicon, WordSet
from dpia_check.model import MISSING, Document, Evidence, is_empty, join, quote_of

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@dataclass
class Outcome:
    """The result of one condition: a state plus where it failed and what supported it."""

    state: str
    problems: list[Evidence] = field(default_factory=list)
    support: list[Evidence] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @staticmethod
    def ok(*support: Evidence) -> Outcome:
        return Outcome(PASS, support=list(support))

    @staticmethod
    def bad(*problems: Evidence) -> Outcome:
        return Outcome(FAIL, problems=list(problems))


@dataclass
class Context:
    """What every primitive may read: the document, its facts, lexicons, regimes."""

    doc: Document
    lexicons: dict[str, Lexicon]
    facts: Any  # dpia_check.facts.Facts
    purpose_regimes: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def pointer_for(base: str, fld: str) -> str:
    if fld.startswith("/"):
        return fld
    return join(base, *[p for p in fld.split("/") if p])


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str)]
    return []


def _absent(ctx: Context, ptr: str) -> Outcome:
    """Absence fails for structured input; for text input only where the text was searched."""
    doc = ctx.doc
    if doc.origin == "structured" or _was_searched(doc, ptr):
        return Outcome(FAIL, problems=[doc.absent(ptr)])
    return Outcome(UNKNOWN, problems=[doc.absent(ptr)])


def _was_searched(doc: Document, ptr: str) -> bool:
    searched = getattr(doc.text, "searched", None) if doc.text is not None else None
    if not searched:
        return False
    p = ptr
    while p:
        if p in searched:
            return True
        p = p.rsplit("/", 1)[0]
    return False


def lex_matches(doc: Document, lex: Lexicon, text: str) -> bool:
    """``lex.matches(text)``, remembered for the length of a check (see Document.memoised).

    Rules and facts ask the same lexicons about the same strings many times; the folded
    form of a string is shared by every lexicon that reads it.
    """
    memo = doc.memo
    if memo is None:
        return lex.matches(text)
    per_lex = memo.cache.get("lex")
    if per_lex is None:
        per_lex = memo.cache["lex"] = {}
    entry = per_lex.get(id(lex))
    if entry is None or entry[0] is not lex:  # keyed by identity: lexicons of one run never change
        entry = per_lex[id(lex)] = (lex, {})
    seen: dict[str, bool] = entry[1]
    hit = seen.get(text)
    if hit is None:
        folded = memo.cache.get("fold")
        if folded is None:
            folded = memo.cache["fold"] = {}
        f = folded.get(text)
        if f is None:
            from dpia_check.textprep import fold

            f = folded[text] = fold(text)
        hit = seen[text] = lex.search_folded(f) is not None
    return hit


def _as_date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------------------
# primitives
# ---------------------------------------------------------------------------

def op_present(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    ptr = pointer_for(base, cond["field"])
    value = ctx.doc.get(ptr)
    if is_empty(value):
        return _absent(ctx, ptr)
    return Outcome.ok(ctx.doc.evidence(ptr))


def substantive_problem(ctx: Context, text: str, min_words: int, vague: str | None = None) -> str | None:
    """Why a text is not substantive (placeholder, boilerplate, too short), or None.

    ``vague`` names an extra lexicon of empty formulas for this field (e.g. purposes
    such as "greater security of citizens"): a short text built on one is not enough."""
    memo = ctx.doc.memo
    if memo is None:
        return _substantive_problem(ctx, text, min_words, vague)
    seen = memo.cache.get("substantive")
    if seen is None:
        seen = memo.cache["substantive"] = {}
    key = (text, min_words, vague)
    if key not in seen:
        seen[key] = _substantive_problem(ctx, text, min_words, vague)
    return seen[key]  # type: ignore[no-any-return]


_WORD = re.compile(r"\w+")


def _word_count(text: str, cap: int) -> int:
    """How many words ``text`` has, counting no further than ``cap`` (the checks below
    only ask "at most 20?", so a 500,000-character section need not be read to its end)."""
    n = 0
    for _ in _WORD.finditer(text):
        n += 1
        if n >= cap:
            break
    return n


def _substantive_problem(ctx: Context, text: str, min_words: int, vague: str | None) -> str | None:
    doc = ctx.doc
    stripped = text.strip()
    words = _word_count(stripped, max(min_words, 21))
    placeholders = ctx.lexicons.get("placeholders")
    if placeholders is not None and words <= 12 and lex_matches(doc, placeholders, stripped):
        return "placeholder"
    if re.fullmatch(r"[\W_]*", stripped) or re.fullmatch(r"\[?\s*(\.\.\.|…)\s*\]?", stripped):
        return "placeholder"
    if words < min_words:
        return "too-short"
    boiler = ctx.lexicons.get("boilerplate")
    if boiler is not None and words <= 20 and lex_matches(doc, boiler, stripped):
        return "boilerplate"
    extra = ctx.lexicons.get(vague) if vague else None
    if extra is not None and words <= 20 and lex_matches(doc, extra, stripped):
        return "vague"
    return None


def op_substantive(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    fields = cond["field"] if isinstance(cond["field"], list) else [cond["field"]]
    min_words = int(cond.get("min_words", 4))
    vague = cond.get("vague")
    problems: list[Evidence] = []
    any_present = False
    for f in fields:
        ptr = pointer_for(base, f)
        value = ctx.doc.get(ptr)
        texts = _texts(value)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            texts = [" ".join(_texts(v)) for v in value]
        if not texts or all(not t.strip() for t in texts):
            continue
        any_present = True
        joined = " ".join(t for t in texts if t.strip())
        if substantive_problem(ctx, joined, min_words, vague) is None:
            return Outcome.ok(ctx.doc.evidence(ptr))
        problems.append(ctx.doc.evidence(ptr))
    if not any_present:
        outs = [_absent(ctx, pointer_for(base, f)) for f in fields]
        state = FAIL if any(o.state == FAIL for o in outs) else UNKNOWN
        return Outcome(state, problems=[p for o in outs for p in o.problems][:1])
    return Outcome(FAIL, problems=problems)


def op_min_items(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    ptr = pointer_for(base, cond["field"])
    value = ctx.doc.get(ptr)
    minimum = int(cond.get("min", 1))
    if value is MISSING or value is None:
        return _absent(ctx, ptr) if minimum > 0 else Outcome.ok()
    items = value if isinstance(value, list) else [value]
    items = [v for v in items if not is_empty(v)]
    if len(items) >= minimum:
        return Outcome.ok(ctx.doc.evidence(ptr))
    return Outcome.bad(ctx.doc.evidence(ptr) if items else ctx.doc.absent(ptr))


def op_equals(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    ptr = pointer_for(base, cond["field"])
    value = ctx.doc.get(ptr)
    if value is MISSING or value is None:
        return _absent(ctx, ptr)
    if value == cond["value"]:
        return Outcome.ok(ctx.doc.evidence(ptr))
    return Outcome.bad(ctx.doc.evidence(ptr))


def op_in(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    ptr = pointer_for(base, cond["field"])
    value = ctx.doc.get(ptr)
    if value is MISSING or value is None:
        return _absent(ctx, ptr)
    values = cond["values"]
    if isinstance(value, list):
        hit = any(v in values for v in value)
    else:
        hit = value in values
    return Outcome.ok(ctx.doc.evidence(ptr)) if hit else Outcome.bad(ctx.doc.evidence(ptr))


def op_references(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    ptr = pointer_for(base, cond["field"])
    value = ctx.doc.get(ptr)
    if value is MISSING or value is None:
        return _absent(ctx, ptr)
    refs = value if isinstance(value, list) else [value]
    key = cond.get("key", "id")
    targets = ctx.doc.get(cond["target"])
    known = {str(t.get(key)) for t in targets if isinstance(t, dict)} if isinstance(targets, list) else set()
    missing = [i for i, r in enumerate(refs) if str(r) not in known]
    if not missing:
        return Outcome.ok(ctx.doc.evidence(ptr))
    return Outcome.bad(*[ctx.doc.evidence(join(ptr, i) if isinstance(value, list) else ptr) for i in missing])


class _StringIndex:
    """Every string of a document in document order, and where each node's strings lie.

    The walk is depth-first, so the strings at or below any pointer are one contiguous
    run of ``strings``: ``spans`` maps each node's pointer to that run (start, end).
    """

    __slots__ = ("strings", "spans", "under")

    def __init__(self, data: Any) -> None:
        self.strings: list[tuple[str, str]] = []
        self.spans: dict[str, tuple[int, int]] = {}
        self.under: dict[str, list[tuple[str, str]]] = {}
        self._walk(data, "")

    def _walk(self, value: Any, ptr: str) -> None:
        out = self.strings
        start = len(out)
        if isinstance(value, str):
            out.append((ptr, value))
        elif isinstance(value, dict):
            for k, v in value.items():
                if k != "waivers":
                    self._walk(v, join(ptr, k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self._walk(v, join(ptr, i))
        else:
            return
        self.spans[ptr] = (start, len(out))

    def at_or_below(self, ptr: str) -> list[tuple[str, str]]:
        """The strings at ``ptr`` or below it, in document order (empty when none)."""
        found = self.under.get(ptr)
        if found is None:
            start, end = self.spans.get(ptr, (0, 0))
            found = self.under[ptr] = self.strings[start:end]
        return found


def _string_index(doc: Document) -> _StringIndex:
    index = getattr(doc, "_string_index", None)
    if index is None:
        index = _StringIndex(doc.data)
        doc._string_index = index  # type: ignore[attr-defined]
    return index  # type: ignore[no-any-return]


def _all_strings(doc: Document) -> list[tuple[str, str]]:
    """(pointer, text) of every string in the document but its waivers, in document order."""
    return _string_index(doc).strings


def strings_at_or_below(doc: Document, ptr: str) -> list[tuple[str, str]]:
    """The strings at or below ``ptr``, in document order; indexed once per document.

    Rules ask for the same fields again and again; filtering every string of the
    document by prefix on each request was the engine's largest cost on long PDFs.
    """
    return _string_index(doc).at_or_below(ptr)


_SCANNER_MIN_CHARS = 50_000  # below this, a lexicon's own regex searches a document faster than its scanner
_SEP = "\x00"  # joins folded strings: not a word or space character, and YAML text cannot hold it


class _FoldedStrings:
    """Every string of a document folded once, joined by ``_SEP``, for lexicon searches
    over many strings at a time (a section, or the whole document).

    A phrase match never spans the separator (phrases are words joined by spaces) and the
    separator, like the end of a string, is no word character, so searching a run of
    strings in the joined text finds what searching each string alone would, in one
    regex call instead of one per string. A string that matches is then judged by
    ``Lexicon.search_folded``, which blanks negated phrases. Documents whose text holds
    the separator are searched string by string.
    """

    __slots__ = ("doc", "strings", "text", "starts", "ends", "pieces", "negated", "_words", "_scanners")

    def __init__(self, doc: Document) -> None:
        from dpia_check.textprep import fold

        self.doc = doc
        self.strings = _all_strings(doc)
        self.text: str | None = None
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.pieces: list[str] = []  # the folded form of each string
        self.negated: dict[tuple[int, int], bool] = {}  # (lexicon, string): still a match with negations blanked
        self._words: WordSet | None = None  # the words of ``text``, read on the first search
        # id(lexicon) -> (lexicon, its scanner for this text); the lexicon is kept so its id cannot be reused
        self._scanners: dict[int, tuple[Lexicon, re.Pattern[str] | None]] = {}
        texts = [t for _, t in self.strings]
        if not texts or any(_SEP in t for t in texts):
            return
        pieces = [fold(t) for t in texts]  # one by one: str.translate is fastest on all-ASCII text
        pos = 0
        for piece in pieces:
            self.starts.append(pos)
            pos += len(piece)
            self.ends.append(pos)
            pos += 1
        self.text = _SEP.join(pieces)
        self.pieces = pieces

    def _hit(self, lex: Lexicon, i: int) -> bool:
        """Whether string ``i``, which matches ``lex`` as it stands, still does once the
        lexicon's negated phrases are blanked (as ``Lexicon.search_folded`` judges it)."""
        key = (id(lex), i)
        hit = self.negated.get(key)
        if hit is None:
            hit = self.negated[key] = lex.search_folded(self.pieces[i]) is not None
        return hit

    def _scanner(self, lex: Lexicon) -> re.Pattern[str] | None:
        """``lex.scanner`` for this text (None: no phrase of ``lex`` can occur in it); for a
        short text, ``lex.regex`` itself, which costs less than reading the words of the
        text and compiling a scanner for it (a batch of YAML DPIAs ran 8 % slower)."""
        if len(self.text or "") < _SCANNER_MIN_CHARS:
            return lex.regex
        got = self._scanners.get(id(lex))
        if got is None or got[0] is not lex:
            if self._words is None:
                self._words = WordSet(self.text or "")
            got = self._scanners[id(lex)] = (lex, lex.scanner(self._words))
        return got[1]

    def _hits(self, lex: Lexicon, start: int, end: int) -> Iterator[int]:
        """Indexes of the strings in ``strings[start:end]`` with a phrase of ``lex``, in
        order: one regex search per string that has a match, none for the others.

        The search runs ``lex.scanner`` (the phrases that can occur in this document,
        first word first), which finds the same places as ``lex.regex`` and skips
        straight to them; only the string a place is in is used. Negations are looked at
        only in a string the phrase matches: blanking a negated phrase can hide a match but
        never make one, so the strings without a match need no blanking at all (on a long
        PDF that was the engine's largest cost)."""
        assert self.text is not None
        scanner = self._scanner(lex)
        if scanner is None:
            return
        search, starts, ends = scanner.search, self.starts, self.ends
        text, pos, endpos = self.text, starts[start], ends[end - 1]
        negated = bool(lex.negations)
        while (m := search(text, pos, endpos)) is not None:
            i = bisect_right(starts, m.start()) - 1
            if not negated or self._hit(lex, i):
                yield i
            pos = ends[i] + 1  # on to the next string: one hit per string is all that is asked

    def first(self, lex: Lexicon, start: int, end: int) -> int | None:
        """Index of the first string in ``strings[start:end]`` with a phrase of ``lex``."""
        if start >= end:
            return None
        if self.text is None:
            return next((i for i in range(start, end) if lex_matches(self.doc, lex, self.strings[i][1])), None)
        return next(self._hits(lex, start, end), None)

    def every(self, lex: Lexicon, start: int, end: int) -> list[int]:
        """Indexes of all strings in ``strings[start:end]`` with a phrase of ``lex``, in order."""
        if start >= end:
            return []
        if self.text is None:
            return [i for i in range(start, end) if lex_matches(self.doc, lex, self.strings[i][1])]
        return list(self._hits(lex, start, end))


def folded_strings(doc: Document) -> _FoldedStrings:
    """The document's strings folded for lexicon searches (kept for the length of a check)."""
    memo = doc.memo
    if memo is None:
        return _FoldedStrings(doc)
    folded = memo.cache.get("folded_strings")
    if folded is None:
        folded = memo.cache["folded_strings"] = _FoldedStrings(doc)
        if folded.text is not None:  # lex_matches may reuse the folded strings
            known = memo.cache.setdefault("fold", {})
            for (_, text), piece in zip(folded.strings, folded.pieces, strict=True):
                known.setdefault(text, piece)
    return folded  # type: ignore[no-any-return]


def _scan_runs(ctx: Context, cond: dict[str, Any], base: str) -> list[tuple[int, int]]:
    """Like ``_scan``, as (start, end) runs of the document's strings (see _StringIndex)."""
    fields = cond["field"] if isinstance(cond["field"], list) else [cond["field"]]
    index = _string_index(ctx.doc)
    return [(0, len(index.strings)) if f == "**" else index.spans.get(pointer_for(base, f), (0, 0)) for f in fields]


def _scan(ctx: Context, cond: dict[str, Any], base: str) -> list[tuple[str, str]]:
    fields = cond["field"] if isinstance(cond["field"], list) else [cond["field"]]
    if len(fields) == 1:
        f = fields[0]
        return _all_strings(ctx.doc) if f == "**" else strings_at_or_below(ctx.doc, pointer_for(base, f))
    found: list[tuple[str, str]] = []
    for f in fields:
        if f == "**":
            found.extend(_all_strings(ctx.doc))
            continue
        found.extend(strings_at_or_below(ctx.doc, pointer_for(base, f)))
    return found


_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` that holds ``text[start:end]``: a quote that starts and ends
    where the author's sentence does, not in the middle of a word."""
    first = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        first = m.end()
    nxt = _SENTENCE_END.search(text, end)
    return text[first: nxt.start() if nxt else len(text)]


def _match_quote(text: str, lex: Lexicon, doc: Document | None = None) -> str:
    """Quote the sentence of ``text`` that holds the match (original script)."""
    sentences = _SENTENCE_END.split(text)
    for s in sentences:
        if lex_matches(doc, lex, s) if doc is not None else lex.matches(s):
            return quote_of(s) or s
    return quote_of(text) or text


def op_matches(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    """Some text at ``field`` (``**`` = anywhere) contains a phrase of ``lexicon``."""
    lex = ctx.lexicons[cond["lexicon"]]
    doc = ctx.doc
    folded = folded_strings(doc)
    runs = _scan_runs(ctx, cond, base)
    for start, end in runs:
        i = folded.first(lex, start, end)
        if i is not None:
            ptr, text = folded.strings[i]
            return Outcome.ok(doc.evidence(ptr, _match_quote(text, lex, doc)))
    scanned = [folded.strings[i] for start, end in runs for i in range(start, min(end, start + 3))][:3]
    if not scanned:
        fields = cond["field"] if isinstance(cond["field"], list) else [cond["field"]]
        return _absent(ctx, pointer_for(base, fields[0] if fields[0] != "**" else ""))
    return Outcome.bad(*[doc.evidence(p) for p, _ in scanned])


def op_not_matches(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    """No text at ``field`` contains a phrase of ``lexicon`` (absent text passes)."""
    lex = ctx.lexicons[cond["lexicon"]]
    doc = ctx.doc
    folded = folded_strings(doc)
    bad = [folded.strings[i] for start, end in _scan_runs(ctx, cond, base) for i in folded.every(lex, start, end)]
    if bad:
        return Outcome.bad(*[doc.evidence(p, _match_quote(t, lex, doc)) for p, t in bad])
    return Outcome.ok()


def op_date_before(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    a_ptr = pointer_for(base, cond["field"])
    b_ptr = pointer_for(base, cond["other"])
    a, b = _as_date(ctx.doc.get(a_ptr)), _as_date(ctx.doc.get(b_ptr))
    if a is None:
        return _absent(ctx, a_ptr)
    if b is None:
        return Outcome(UNKNOWN, problems=[ctx.doc.absent(b_ptr)])
    ok = a <= b if cond.get("or_equal", True) else a < b
    ev = [ctx.doc.evidence(a_ptr), ctx.doc.evidence(b_ptr)]
    return Outcome(PASS if ok else FAIL, problems=[] if ok else ev, support=ev if ok else [])


# A count: digits, maybe grouped in thousands ("8.100", "8 100"), not part of a word or a
# decimal. The look-behind comes after the first digit so that the regex engine can
# skip straight from digit to digit (a leading look-behind is tried at every position).
_NUM_RE = re.compile(r"(\d(?<![\w.,]\d)(?:\d{0,2}(?:[.,\s]\d{3})+|\d*))(?!\w)")


def _parse_number(token: str) -> int | None:
    digits = re.sub(r"[.,\s]", "", token)
    return int(digits) if digits.isdigit() else None


def op_numbers_agree(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    """Counts written in text next to a unit word (cameras, kamera) agree with ``field``;
    when ``field`` holds no number, they must agree with one another."""
    ptr = pointer_for(base, cond["field"])
    expected = ctx.doc.get(ptr)
    declared = isinstance(expected, int) and not isinstance(expected, bool)
    lex = ctx.lexicons[cond["unit_lexicon"]]
    tolerance = float(cond.get("tolerance", 0.1))
    from dpia_check.textprep import fold

    counts: list[tuple[int, Evidence]] = []
    for p, text in _scan(ctx, {"field": cond.get("text_fields", "**")}, base):
        for m in _NUM_RE.finditer(text):
            after = fold(text[m.end(): m.end() + 40])
            if not lex.regex.match(after.lstrip()):
                continue
            n = _parse_number(m.group(1))
            if n is None or n < 2:
                continue
            counts.append((n, ctx.doc.evidence(p, quote_of(_sentence_around(text, m.start(), m.end())))))
    if declared:
        assert isinstance(expected, int)
        support: list[Evidence] = [ctx.doc.evidence(ptr)]
        problems = [e for n, e in counts if abs(n - expected) > tolerance * expected]
        if problems:
            return Outcome(FAIL, problems=support + problems)
        return Outcome(PASS, support=support)
    # No total is declared: the counts the text gives must then agree with one another.
    if not counts:
        return Outcome.ok()
    largest = max(n for n, _ in counts)
    if any(abs(n - largest) > tolerance * largest for n, _ in counts):
        return Outcome(FAIL, problems=[e for _, e in counts])
    return Outcome(PASS, support=[e for _, e in counts[:1]])


_CITE_RE = re.compile(
    r"(?<!\w)(?:articles?|arts?|clan(?:a|u|om|ovi|ova)?|cl)\.?\s*(\d{1,3})(?!\d)\.?"
    r"((?:\s*\(\s*\d{1,2}\s*\)){0,2})"
    r"(?:\s*,?\s*(?:stav(?:a|u|om)?|st)\.?\s*(\d{1,2})(?!\d)\.?)?"
    r"(?:\s*,?\s*(?:tack(?:a|e|i|u|om)|tac|t)\.?\s*(\d{1,2})(?!\d)\)?)?"
)
_PAREN_RE = re.compile(r"\(\s*(\d{1,2})\s*\)")


def citations_in(text: str) -> list[tuple[int, int | None, int | None]]:
    """Provisions cited in ``text`` as (article, paragraph, point).

    Reads the English form ("Art. 12(1)(5)", "Article 52(4)") and the Serbian one
    ("čl. 12. st. 1. tač. 5)", "član 52. stav 1", Cyrillic alike) on folded text."""
    from dpia_check.textprep import fold

    return _citations_folded(fold(text))


def _citations_folded(folded: str) -> list[tuple[int, int | None, int | None]]:
    out: list[tuple[int, int | None, int | None]] = []
    for m in _CITE_RE.finditer(folded):
        nums = [int(n) for n in _PAREN_RE.findall(m.group(2) or "")]
        para = nums[0] if nums else (int(m.group(3)) if m.group(3) else None)
        point = nums[1] if len(nums) > 1 else (int(m.group(4)) if m.group(4) else None)
        out.append((int(m.group(1)), para, point))
    return out


def _citations(doc: Document, text: str) -> list[tuple[int, int | None, int | None]]:
    """``citations_in(text)``, remembered for the length of a check."""
    memo = doc.memo
    if memo is None:
        return citations_in(text)
    seen = memo.cache.get("citations")
    if seen is None:
        seen = memo.cache["citations"] = {}
    found = seen.get(text)
    if found is None:
        folded = memo.cache.get("fold", {}).get(text)  # the document's strings are folded already
        found = seen[text] = citations_in(text) if folded is None else _citations_folded(folded)
    return found  # type: ignore[no-any-return]


def _cite_ok(cite: tuple[int, int | None, int | None], cond: dict[str, Any]) -> bool:
    article, para, point = cite
    if "article" in cond and article != cond["article"]:
        return False
    if "paragraph" in cond and para != cond["paragraph"]:
        return False
    return "points" not in cond or point in cond["points"]


_LEAD_RE = re.compile(r"^[\s.,:;()\u2013\u2014-]*(?:of\s+the\s+|of\s+|od\s+|iz\s+)?")
_TRAIL_RE = re.compile(r"[\s.,:()\u2013\u2014-]*$")


def _cited_of(folded: str, start: int, end: int, lex: Lexicon) -> bool:
    """True when the citation at ``folded[start:end]`` belongs to a law named by ``lex``:
    the name follows it ("Art. 13 LPDP", "člana 13. Zakona o ...") or ends just before it
    ("ZZPL, čl. 13"), within the same clause (a ``;`` ends a clause)."""
    after = folded[end: end + 80].split(";", 1)[0]
    after = _LEAD_RE.sub("", after, count=1)
    if lex.regex.match(after):
        return True
    before = folded[max(0, start - 80): start].rsplit(";", 1)[-1]
    before = _TRAIL_RE.sub("", before, count=1)
    return any(m.end() == len(before) for m in lex.regex.finditer(before))


def _citations_not_of(doc: Document, text: str, lex: Lexicon) -> list[tuple[int, int | None, int | None]]:
    """``citations_in(text)`` without the citations of a law named by ``lex`` (remembered per check)."""
    memo = doc.memo
    key = (text, lex.name)
    seen: dict[tuple[str, str], list[tuple[int, int | None, int | None]]] | None = None
    if memo is not None:
        seen = memo.cache.setdefault("citations_not_of", {})
        if key in seen:
            return seen[key]
    from dpia_check.textprep import fold

    folded = fold(text)
    out: list[tuple[int, int | None, int | None]] = []
    for m in _CITE_RE.finditer(folded):
        if not _cited_of(folded, m.start(), m.end(), lex):
            out.extend(_citations_folded(m.group(0)))
    if seen is not None:
        seen[key] = out
    return out


def op_cites(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    """Text at ``field`` cites a provision: any article, or the one given by
    ``article`` / ``paragraph`` / ``points`` (a list: any of them). With ``not_of`` (a
    lexicon of law names, e.g. the LPDP's), citations of that law do not count, so
    "Law on Police; Art. 13 LPDP" names no provision of the Law on Police."""
    fields = cond["field"] if isinstance(cond["field"], list) else [cond["field"]]
    strings = _scan(ctx, {"field": fields}, base)
    not_of = ctx.lexicons[cond["not_of"]] if cond.get("not_of") else None
    for ptr, text in strings:
        found = _citations(ctx.doc, text) if not_of is None else _citations_not_of(ctx.doc, text, not_of)
        if any(_cite_ok(c, cond) for c in found):
            return Outcome.ok(ctx.doc.evidence(ptr))
    if not strings:
        return _absent(ctx, pointer_for(base, fields[0]))
    return Outcome.bad(*[ctx.doc.evidence(p) for p, _ in strings[:3]])


def _linked_items(ctx: Context, cond: dict[str, Any], base: str) -> list[str]:
    """Pointers of the ``target`` items whose ``via`` list names the current item's key.

    For text input, where a section cannot be tied to one purpose, items that name no
    purpose at all are taken to cover every purpose."""
    key = ctx.doc.get(join(base, cond.get("key", "id")))
    index = _link_index(ctx.doc, cond["target"], cond["via"])
    if index is None:
        return []
    by_ref, loose = index
    linked = [] if is_empty(key) else by_ref.get(str(key), [])
    if not linked and ctx.doc.origin != "structured":
        return loose
    return linked


_LinkIndex = tuple[dict[str, list[str]], list[str]]


def _link_index(doc: Document, target: str, via: str) -> _LinkIndex | None:
    """For the list at ``target``: the pointers of its items by each value their ``via``
    field names, and the pointers of the items that name none (``None`` when ``target``
    is no list). Built once per check (the document's memo, which lives as long as the data
    cannot change): every purpose asks the same list, and a long PDF has hundreds of
    purposes and items."""
    items = doc.get(target)
    if not isinstance(items, list):
        return None
    cache: dict[tuple[str, str], tuple[list[Any], _LinkIndex]] = doc.memo.cache.setdefault("link_index", {}) if doc.memo is not None else {}
    known = cache.get((target, via))
    if known is not None and known[0] is items:
        return known[1]
    by_ref: dict[str, list[str]] = {}
    loose: list[str] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        refs = item.get(via)
        if is_empty(refs):
            loose.append(join(target, i))
            continue
        for ref in dict.fromkeys(str(r) for r in (refs if isinstance(refs, list) else [refs])):
            by_ref.setdefault(ref, []).append(join(target, i))
    cache[(target, via)] = (items, (by_ref, loose))
    return by_ref, loose


def op_linked(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    """Some item of ``target`` that refers to the current item through ``via``
    (e.g. a legal basis listing this purpose) exists and satisfies ``where``."""
    linked = _linked_items(ctx, cond, base)
    if not linked:
        if ctx.doc.origin == "structured" or _was_searched(ctx.doc, cond["target"]):
            return Outcome.bad(ctx.doc.evidence(base, _item_text(ctx.doc.get(base))))
        return Outcome(UNKNOWN, problems=[ctx.doc.absent(cond["target"])])
    if "where" not in cond:
        return Outcome.ok(*[ctx.doc.evidence(p, _item_text(ctx.doc.get(p))) for p in linked])
    outs = [evaluate(ctx, cond["where"], p) for p in linked]
    for o in outs:
        if o.state == PASS:
            return o
    if any(o.state == UNKNOWN for o in outs):
        return Outcome(UNKNOWN, problems=[e for o in outs for e in o.problems])
    return Outcome(FAIL, problems=[e for o in outs for e in o.problems] or [ctx.doc.evidence(p) for p in linked])


def op_fact(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    return ctx.facts.outcome(cond["name"])


def op_any_fact(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    """Pass when any named fact holds; the holding facts fill ``{facts}`` in messages."""
    held: list[str] = []
    support: list[Evidence] = []
    for name in cond["names"]:
        o = ctx.facts.outcome(name)
        if o.state == PASS:
            held.append(name)
            support.extend(o.support[:1])
    if held:
        return Outcome(PASS, support=support, facts=held)
    return Outcome(FAIL)


def op_purpose_regime(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    pid = ctx.doc.get(join(base, "id"))
    regime = ctx.purpose_regimes.get(str(pid)) or ctx.purpose_regimes.get(base)
    return Outcome(PASS if regime == cond["is"] else FAIL)


def op_serves_regime(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    """The item at ``base`` (e.g. a special category) serves a purpose of the regime ``is``
    through its ``purposes`` list of purpose ids. An item that names no purpose, or only
    ids that are not listed purposes, is taken to serve every regime the DPIA applies,
    so it is judged under each of them."""
    item = ctx.doc.get(base)
    refs = item.get("purposes") if isinstance(item, dict) else None
    if is_empty(refs):
        return Outcome(PASS)
    refs = refs if isinstance(refs, list) else [refs]
    regimes = {ctx.purpose_regimes.get(str(r)) for r in refs} - {None}
    if not regimes or cond["is"] in regimes:
        return Outcome(PASS)
    return Outcome(FAIL, problems=[ctx.doc.evidence(join(base, "purposes"))])


def op_some(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    """Some item of the list at ``field`` satisfies ``where`` (e.g. a measure of kind staff)."""
    ptr = pointer_for(base, cond["field"])
    items = ctx.doc.get(ptr)
    if not isinstance(items, list) or not items:
        return _absent(ctx, ptr)
    unknown = False
    for i, _ in enumerate(items):
        o = evaluate(ctx, cond["where"], join(ptr, i))
        if o.state == PASS:
            return Outcome.ok(ctx.doc.evidence(join(ptr, i), _item_text(ctx.doc.get(join(ptr, i)))))
        unknown = unknown or o.state == UNKNOWN
    return Outcome(UNKNOWN if unknown else FAIL, problems=[ctx.doc.evidence(ptr)])


def _item_text(value: Any) -> str | None:
    if isinstance(value, dict):
        for k in ("description", "category", "name", "claim", "alternative"):
            if isinstance(value.get(k), str):
                return quote_of(value[k])
        return None
    return quote_of(value)


_LEVELS = {"low": 1, "medium": 2, "high": 3}


def level_of(likelihood: Any, severity: Any) -> str | None:
    """The usual 3x3 matrix: likelihood x severity -> low / medium / high."""
    lv, sv = _LEVELS.get(str(likelihood)), _LEVELS.get(str(severity))
    if lv is None or sv is None:
        return None
    score = lv * sv
    return "high" if score >= 6 else "medium" if score >= 3 else "low"


def op_risk_level(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    """The risk at ``base`` (or its ``residual`` when asked) has a level in ``is``.

    A severity of ``high`` counts as a high risk whatever the likelihood, so that a
    grave but "unlikely" harm still needs measures."""
    item = ctx.doc.get(base)
    if not isinstance(item, dict):
        return Outcome(FAIL)
    src = item.get("residual") if cond.get("residual") else item
    if not isinstance(src, dict):
        src = item
    level = level_of(src.get("likelihood"), src.get("severity"))
    if str(src.get("severity")) == "high":
        level = "high"
    if level is None:
        return Outcome(UNKNOWN, problems=[ctx.doc.evidence(base)])
    return Outcome(PASS if level in cond["is"] else FAIL, support=[ctx.doc.evidence(base, _item_text(item))])


def op_all(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    outs = [evaluate(ctx, c, base) for c in cond["of"]]
    if any(o.state == FAIL for o in outs):
        return Outcome(FAIL, problems=[p for o in outs if o.state == FAIL for p in o.problems])
    support = [s for o in outs for s in o.support]
    facts = [f for o in outs for f in o.facts]
    if any(o.state == UNKNOWN for o in outs):
        return Outcome(UNKNOWN, problems=[p for o in outs if o.state == UNKNOWN for p in o.problems], support=support)
    return Outcome(PASS, support=support, facts=facts)


def op_any(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    outs = [evaluate(ctx, c, base) for c in cond["of"]]
    for o in outs:
        if o.state == PASS:
            return o
    if any(o.state == UNKNOWN for o in outs):
        return Outcome(UNKNOWN, problems=[p for o in outs for p in o.problems])
    return Outcome(FAIL, problems=[p for o in outs for p in o.problems])


def op_not(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    o = evaluate(ctx, cond["of"], base)
    if o.state == UNKNOWN:
        return o
    if o.state == PASS:
        return Outcome(FAIL, problems=o.support or [ctx.doc.evidence(base) if base else ctx.doc.absent(base)])
    return Outcome(PASS, support=o.problems)


def op_if(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    """Implication: when ``cond`` holds, ``then`` must hold; otherwise pass."""
    c = evaluate(ctx, cond["cond"], base)
    if c.state == FAIL:
        return Outcome(PASS)
    t = evaluate(ctx, cond["then"], base)
    if c.state == UNKNOWN and t.state != PASS:
        return Outcome(UNKNOWN, problems=t.problems or c.problems)
    if t.state == FAIL:
        return Outcome(FAIL, problems=t.problems or c.support)
    return Outcome(t.state, problems=t.problems, support=c.support + t.support, facts=c.facts + t.facts)


Primitive = Callable[[Context, dict[str, Any], str], Outcome]

# name -> (function, required params, optional params)
PRIMITIVES: dict[str, tuple[Primitive, set[str], set[str]]] = {
    "present": (op_present, {"field"}, set()),
    "substantive": (op_substantive, {"field"}, {"min_words", "vague"}),
    "min_items": (op_min_items, {"field"}, {"min"}),
    "equals": (op_equals, {"field", "value"}, set()),
    "in": (op_in, {"field", "values"}, set()),
    "references": (op_references, {"field", "target"}, {"key"}),
    "matches": (op_matches, {"field", "lexicon"}, set()),
    "not_matches": (op_not_matches, {"field", "lexicon"}, set()),
    "date_before": (op_date_before, {"field", "other"}, {"or_equal"}),
    "numbers_agree": (op_numbers_agree, {"field", "unit_lexicon"}, {"text_fields", "tolerance"}),
    "cites": (op_cites, {"field"}, {"article", "paragraph", "points", "not_of"}),
    "linked": (op_linked, {"target", "via"}, {"key", "where"}),
    "fact": (op_fact, {"name"}, set()),
    "any_fact": (op_any_fact, {"names"}, set()),
    "purpose_regime": (op_purpose_regime, {"is"}, set()),
    "serves_regime": (op_serves_regime, {"is"}, set()),
    "some": (op_some, {"field", "where"}, set()),
    "risk_level": (op_risk_level, {"is"}, {"residual"}),
    "all": (op_all, {"of"}, set()),
    "any": (op_any, {"of"}, set()),
    "not": (op_not, {"of"}, set()),
    "if": (op_if, {"cond", "then"}, set()),
}


def evaluate(ctx: Context, cond: dict[str, Any], base: str) -> Outcome:
    fn = PRIMITIVES[cond["op"]][0]
    return fn(ctx, cond, base)


# ---------------------------------------------------------------------------
# validation (at rule-load time)
# ---------------------------------------------------------------------------

def validate_condition(cond: Any, lexicons: dict[str, Lexicon], where: str = "check") -> None:
    from dpia_check.facts import FACTS

    if not isinstance(cond, dict) or "op" not in cond:
        raise ValueError(f"{where}: each condition must be a mapping with 'op'")
    op = cond["op"]
    if op not in PRIMITIVES:
        raise ValueError(f"{where}: unknown primitive {op!r} (known: {', '.join(sorted(PRIMITIVES))})")
    _, required, optional = PRIMITIVES[op]
    keys = set(cond) - {"op"}
    missing = required - keys
    if missing:
        raise ValueError(f"{where}: {op} needs {', '.join(sorted(missing))}")
    extra = keys - required - optional
    if extra:
        raise ValueError(f"{where}: {op} does not take {', '.join(sorted(extra))}")
    for lex_key in ("lexicon", "unit_lexicon", "vague", "not_of"):
        if lex_key in cond and cond[lex_key] not in lexicons:
            raise ValueError(f"{where}: unknown lexicon {cond[lex_key]!r}")
    if op == "fact" and cond["name"] not in FACTS:
        raise ValueError(f"{where}: unknown fact {cond['name']!r}")
    if op == "any_fact":
        for n in cond["names"]:
            if n not in FACTS:
                raise ValueError(f"{where}: unknown fact {n!r}")
    if op in ("all", "any"):
        if not isinstance(cond["of"], list) or not cond["of"]:
            raise ValueError(f"{where}: {op} needs a non-empty list in 'of'")
        for c in cond["of"]:
            validate_condition(c, lexicons, where)
    if op == "not":
        validate_condition(cond["of"], lexicons, where)
    if op == "some" or (op == "linked" and "where" in cond):
        validate_condition(cond["where"], lexicons, where)
    if op == "linked" and (not isinstance(cond["target"], str) or not cond["target"].startswith("/")):
        raise ValueError(f"{where}: linked needs an absolute JSON Pointer in 'target'")
    if op == "cites":
        for k in ("article", "paragraph"):
            if k in cond and (not isinstance(cond[k], int) or isinstance(cond[k], bool)):
                raise ValueError(f"{where}: cites {k} must be a whole number")
        pts = cond.get("points", [])
        if not isinstance(pts, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in pts):
            raise ValueError(f"{where}: cites points must be a list of whole numbers")
    if op == "if":
        validate_condition(cond["cond"], lexicons, where)
        validate_condition(cond["then"], lexicons, where)
    if op in ("purpose_regime", "serves_regime") and cond["is"] not in ("general", "special"):
        raise ValueError(f"{where}: {op} is general or special")


def validate_check(check: Any, lexicons: dict[str, Lexicon]) -> None:
    if not isinstance(check, dict):
        raise ValueError("check must be a mapping with 'require'")
    extra = set(check) - {"each", "where", "if_none", "label", "require"}
    if extra:
        raise ValueError(f"check does not take {', '.join(sorted(extra))}")
    req = check.get("require")
    if not isinstance(req, list) or not req:
        raise ValueError("check needs a non-empty 'require' list")
    for c in req:
        validate_condition(c, lexicons)
    if "where" in check:
        validate_condition(check["where"], lexicons, "where")
    if check.get("if_none", "fail") not in ("fail", "pass", "not_applicable", "manual"):
        raise ValueError("if_none must be fail, pass, not_applicable or manual")
    each = check.get("each")
    if each is not None and (not isinstance(each, str) or not each.startswith("/")):
        raise ValueError("each must be an absolute JSON Pointer such as /risks")
