"""Small readers shared by the mapper: negation, dates, counts, inline labels.

All of them work on *folded* text (Latin script, lower case, no diacritics), so the
same code reads English, Serbian Latin and Serbian Cyrillic.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dpia_check.lexicon import Lexicon

if TYPE_CHECKING:
    from dpia_check.text.vocab import Vocabulary

_TOKEN_RE = re.compile(r"\w+(?:'t)?|[,;:.!?()]")
_NEG_BEFORE = 5  # tokens looked at before a term
_NEG_AFTER = 4  # and after it
_CLAUSE_TOKENS = 15  # tokens of the clause an "including …" tail extends, looked at for a negation
# A tail that extends the clause before it: "…, including profiling", "…, uključujući i profilisanje".
_INCLUDING_TAIL = re.compile(r",\s*(?:including|ukljucujuci|ukljucivsi)(?:\s+(?:i|and|the|any))?\s*$")


@dataclass
class Negation:
    """Negation words and the phrases that only look like negation, from the vocabulary."""

    words: frozenset[str]
    prefixes: tuple[str, ...]
    exceptions: Lexicon
    breaks: frozenset[str]
    # folded sentence -> the same with negation exceptions masked (a pure function, kept)
    _masks: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @staticmethod
    def of(vocab: Vocabulary) -> Negation:
        neg = vocab.get("negation").phrases
        words = frozenset(p for p in neg if not p.endswith("*"))
        prefixes = tuple(p[:-1] for p in neg if p.endswith("*"))
        breaks = frozenset(vocab.get("clause_break").phrases)
        return Negation(words, prefixes, vocab.get("negation_exceptions"), breaks)

    def _is_neg(self, tok: str) -> bool:
        return tok in self.words or tok.endswith("n't") or tok.startswith(self.prefixes)

    def _masked(self, folded: str) -> str:
        """``folded`` with the phrases that only look like negation overwritten by ``x``."""
        masked = self._masks.get(folded)
        if masked is None:
            masked = folded
            for m in self.exceptions.regex.finditer(folded):
                masked = masked[: m.start()] + "x" * (m.end() - m.start()) + masked[m.end() :]
            if len(self._masks) < 50_000:
                self._masks[folded] = masked
        return masked

    def negated(self, folded: str, start: int, end: int) -> bool:
        """Is the term at ``folded[start:end]`` negated within its clause?"""
        if self.negated_before(folded, start):
            return True
        masked = self._masked(folded)
        after = _tokens_after(masked, end)
        for tok in after:
            if tok in ",;:.!?()" or tok in self.breaks:
                break
            if self._is_neg(tok):
                return True
        return False

    def negated_before(self, folded: str, start: int) -> bool:
        """Is the term at ``folded[start:]`` negated by a word before it ("ne … automatski")?
        For adverbs such as "automatski" a negation after them belongs to the next verb
        ("kapija se automatski zaključava i gledalac ne može da uđe")."""
        masked = self._masked(folded)
        tail = _INCLUDING_TAIL.search(masked, max(0, start - 40), start)
        if tail is not None and self._clause_negated(masked, tail.start()):
            return True  # "does not make decisions based solely on automated processing, including profiling"
        before = _tokens_before(masked, start)
        for k in range(len(before) - 1, -1, -1):
            tok = before[k]
            if tok == "a" and k > 0 and self._is_neg(before[k - 1]):
                return True  # English "not a special purpose": "a" is an article here, not Serbian "a" (but)
            if tok in ",;:.!?()" or tok in self.breaks:
                break
            if self._is_neg(tok):
                return True
        return False

    def _clause_negated(self, masked: str, end: int) -> bool:
        """Whether the clause ending at ``masked[end]`` has a negation word (LPDP Art. 38's
        "odluka zasnovana isključivo na automatizovanoj obradi, uključujući profilisanje"
        is denied whole: the tail names a kind of what the clause denies)."""
        toks = _TOKEN_RE.findall(masked, max(0, end - 2 * _WINDOW), end)[-_CLAUSE_TOKENS:]
        for tok in reversed(toks):
            if tok in ",;:.!?()" or tok in self.breaks:
                return False
            if self._is_neg(tok):
                return True
        return False


_WINDOW = 160  # characters tokenised next to a term before falling back to the whole side


def _tokens_before(text: str, start: int) -> list[str]:
    """The last few tokens of ``text[:start]`` without tokenising all of it.

    Tokenising from inside the text can only cut its first token short (the pattern has
    no look-behind), so when the window holds more tokens than are needed the last ones
    are exactly those of the whole prefix; otherwise the whole prefix is tokenised."""
    if start > _WINDOW:
        toks = _TOKEN_RE.findall(text, start - _WINDOW, start)
        if len(toks) > _NEG_BEFORE:
            return toks[-_NEG_BEFORE:]
    return _TOKEN_RE.findall(text, 0, start)[-_NEG_BEFORE:]


def _tokens_after(text: str, end: int) -> list[str]:
    """The first few tokens of ``text[end:]`` (a cut window only shortens its last token)."""
    if len(text) - end > _WINDOW:
        toks = _TOKEN_RE.findall(text, end, end + _WINDOW)
        if len(toks) > _NEG_AFTER:
            return toks[:_NEG_AFTER]
    return _TOKEN_RE.findall(text, end)[:_NEG_AFTER]


def find_affirmed(lex: Lexicon, folded: str, neg: Negation) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    """(first affirmed match, first negated match) of ``lex`` in a folded sentence.

    The lexicon's own negation phrases ("no profiling") count as negated matches.
    """
    affirmed: re.Match[str] | None = None
    negated: re.Match[str] | None = None
    neg_re = lex.negation_regex
    if neg_re is not None:
        m = neg_re.search(folded)
        if m:
            negated = m
        folded = neg_re.sub(lambda x: " " * len(x.group(0)), folded)
    for m in lex.regex.finditer(folded):
        if neg.negated(folded, m.start(), m.end()):
            negated = negated or m
        elif affirmed is None:
            affirmed = m
    return affirmed, negated


_FOLDED_CHAR: dict[str, str] = {}  # one character -> its folded form (a few hundred distinct ones)
_ASCII_WORD_HYPHEN = re.compile(r"(?<=[A-Za-z0-9_])-(?=[A-Za-z0-9_])")


def fold_map(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for every folded character, the index of its original character
    (plus one entry for the end), so a span found in folded text can be quoted exactly.

    ASCII text (most English and Serbian Latin records) folds to its lower case less the
    hyphens inside words, which needs no loop over its characters."""
    if text.isascii():
        low = text.lower()
        drop = [m.start() for m in _ASCII_WORD_HYPHEN.finditer(low)] if "-" in low else []
        if not drop:
            return low, list(range(len(text) + 1))
        keep = sorted(set(range(len(text))).difference(drop))
        return "".join(low[i] for i in keep), [*keep, len(text)]
    from dpia_check.textprep import fold

    folded_char = _FOLDED_CHAR
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        f = folded_char.get(ch)
        if f is None:
            f = folded_char[ch] = fold(ch) if not ch.isascii() or ch.isupper() else ch
        for c in f:
            chars.append(c)
            index.append(i)
    out: list[str] = []
    out_index: list[int] = []
    for k, c in enumerate(chars):
        if c in "-\u2010\u2011" and 0 < k < len(chars) - 1 and (chars[k - 1].isalnum() or chars[k - 1] == "_") and (chars[k + 1].isalnum() or chars[k + 1] == "_"):
            continue
        out.append(c)
        out_index.append(index[k])
    out_index.append(len(text))
    return "".join(out), out_index


# ---------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------

# full names in any case ending, then the three-letter abbreviations revision tables
# use ("12 Jan 2026", "14. avg. 2026."); every pattern below needs a day or a year beside it
_MONTHS: list[tuple[str, int]] = [
    (r"januar\w*|jan\.?", 1), (r"februar\w*|feb\.?", 2), (r"mart\w*|march|mar\.?", 3), (r"april\w*|apr\.?", 4),
    (r"maj\w*|may", 5), (r"jun\w*", 6), (r"jul\w*", 7), (r"avgust\w*|august|aug\.?|avg\.?", 8),
    (r"septemb\w*|sept?\.?", 9), (r"oktob\w*|octob\w*|okt\.?|oct\.?", 10), (r"novemb\w*|nov\.?", 11),
    (r"decemb\w*|dec\.?", 12),
]
_MONTH_ALT = "|".join(f"(?P<m{n}>{p})" for p, n in _MONTHS)
_DATE_RES = [
    # (a look-behind placed after the first digit lets the regex engine jump from digit
    # to digit; at the start of a pattern it is tried at every position of the text)
    re.compile(r"(?P<y>\d(?<!\d\d)\d{3})/(?P<mo>\d{2})/(?P<d>\d{2})(?!\d)"),
    re.compile(r"(?P<d>\d(?<![\d.]\d)\d?)\.\s?(?P<mo>\d{1,2})\.\s?(?P<y>\d{4})(?!\d)"),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.?\s+(?:" + _MONTH_ALT + r")\s+(?P<y>\d{4})(?!\d)"),
    re.compile(r"(?<![\w])(?:" + _MONTH_ALT + r")\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})(?!\d)"),
    re.compile(r"(?<![\w.])(?:" + _MONTH_ALT + r")\s+(?P<y>\d{4})(?!\d)"),
]


_ISO_HYPHEN = re.compile(r"(?<=\d)-(?=\d)")


_FOUR_DIGITS = re.compile(r"\d\D*\d\D*\d\D*\d")
_DATE_CACHE: dict[str, list[tuple[_dt.date, int, int]]] = {}


def find_dates(text: str) -> list[tuple[_dt.date, int, int]]:
    """Dates in a text with their span in its folded form; a month and year alone mean the
    1st of the month. Reads 2026-02-10, 10.02.2026., 10. februar(a) 2026, 10 February 2026,
    February 10, 2026, 10 Feb 2026 and "u februaru 2026" in any script.

    Every form has a four-digit year (folding never makes digits), so a text with fewer
    digits has none; answers are kept per text (documents repeat their sentences)."""
    if not _FOUR_DIGITS.search(text):
        return []
    cached = _DATE_CACHE.get(text)
    if cached is None:
        if len(_DATE_CACHE) >= 20_000:
            _DATE_CACHE.clear()
        cached = _DATE_CACHE[text] = _find_dates(text)
    return list(cached)


def _find_dates(text: str) -> list[tuple[_dt.date, int, int]]:
    from dpia_check.textprep import fold

    folded = fold(_ISO_HYPHEN.sub("/", text))
    out: list[tuple[_dt.date, int, int]] = []
    taken: list[tuple[int, int]] = []
    for rx in _DATE_RES:
        for m in rx.finditer(folded):
            if any(a <= m.start() < b for a, b in taken):
                continue
            gd = m.groupdict()
            month = int(gd["mo"]) if gd.get("mo") else next((n for n in range(1, 13) if gd.get(f"m{n}")), 0)
            day = int(gd["d"]) if gd.get("d") else 1
            try:
                date = _dt.date(int(gd["y"]), month, day)
            except ValueError:
                continue
            if not 1990 <= date.year <= 2100:
                continue
            out.append((date, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    out.sort(key=lambda t: t[1])
    return out


# ---------------------------------------------------------------------------
# counts
# ---------------------------------------------------------------------------

# a count not inside a word or a decimal; the look-behind follows the first digit (see _DATE_RES)
_NUM_RE = re.compile(r"(\d(?<![\w.,]\d)(?:\d{0,2}(?:[.,\s]\d{3})+|\d*))(?![\w]|[.,]\d)")


_GROUPING = re.compile(r"[.,\s]")
_COUNT_WORDS = re.compile(r"[\w-]+")


def numbers_before(folded: str, units: Lexicon) -> Iterator[tuple[int, int, int]]:
    """Counts followed (within three words) by a unit word: (value, start, end)."""
    for m in _NUM_RE.finditer(folded):
        digits = _GROUPING.sub("", m.group(1))
        if not digits.isdigit():
            continue
        words = _COUNT_WORDS.findall(folded, m.end(), m.end() + 80)[:4]
        for k in range(min(3, len(words))):
            if units.regex.match(" ".join(words[k:])):
                yield int(digits), m.start(), m.end()
                break


# ---------------------------------------------------------------------------
# inline labels
# ---------------------------------------------------------------------------

_SEP_RE = re.compile(r"\s*(?::|–|—|\s-\s)\s*")


def after_label(original: str, max_label: int = 90) -> str:
    """The text after an inline label ("Rok čuvanja: snimci se ..." -> "snimci se ...")."""
    m = _SEP_RE.search(original, 0, min(len(original), max_label))
    return original[m.end() :].strip() if m else original.strip()


def label_of(original: str, max_words: int = 6) -> str | None:
    """The label of a "Label: value" text, if it has a short one."""
    m = _SEP_RE.search(original, 0, min(len(original), 90))
    if not m:
        return None
    label = original[: m.start()].strip()
    if not label or len(label.split()) > max_words or label.endswith((".", ",")):
        return None
    return label
