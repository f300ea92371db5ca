"""Lexicons: phrase lists (English, Serbian Latin/Cyrillic) compiled once into regexes.

Phrases are data under ``rules/<set>/lexicons/``. Matching runs on *folded* text
(Latin script, lower case, no diacritics, no word-joining hyphens) so one Latin
phrase matches Cyrillic and Latin documents alike. A trailing ``*`` on a word
allows Serbian inflection (``procen* rizik*`` matches "procenu rizika").
Phrases are never regexes, so a lexicon cannot run code or blow up the matcher.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from dpia_check.textprep import fold

_WORD = re.compile(r"\w+")
_MAX_SCANNERS = 64  # restricted regexes kept per lexicon (one per set of phrases that can occur)

# A lexicon's first words: (exact words, word prefixes), or None when one cannot be indexed.
FirstWords = tuple[frozenset[str], tuple[str, ...]] | None


def _phrase_pattern(phrase: str) -> str:
    words = fold(phrase).split()
    parts: list[str] = []
    for w in words:
        if w.endswith("*"):
            parts.append(re.escape(w[:-1]) + r"\w*")
        else:
            parts.append(re.escape(w))
    return r"\s+".join(parts)


def _lead(phrase: str) -> tuple[str, bool] | None:
    """The word a match of ``phrase`` starts at, as (word, is_prefix); None when the phrase
    does not start with a word character and so cannot be looked up by word.

    Mirrors :func:`_phrase_pattern`: the phrase is folded and split on spaces, a trailing
    ``*`` lets the word go on. Only the leading run of word characters counts: "t.b.d" can
    only start at the word "t", "dpo's" at "dpo", while "procen*" starts at any word
    beginning with "procen"."""
    words = fold(phrase).split()
    if not words:
        return None
    first = words[0]
    star = first.endswith("*")
    core = first[:-1] if star else first
    lead = _WORD.match(core)
    if lead is None:
        return None
    return lead.group(), star and lead.end() == len(core)


def first_words(phrases: list[str]) -> FirstWords:
    """The words a match of these phrases can start with (see :func:`_lead`), or None when
    one of them starts with punctuation (or is a bare ``*``)."""
    exact: set[str] = set()
    prefixes: set[str] = set()
    for phrase in phrases:
        if not fold(phrase).split():
            continue  # (a phrase that folds to nothing)
        lead = _lead(phrase)
        if lead is None:
            return None
        (prefixes if lead[1] else exact).add(lead[0])
    return frozenset(exact), tuple(sorted(prefixes))


class WordSet:
    """The distinct words (runs of ``\\w``) of a text, to tell which phrases can occur in it."""

    __slots__ = ("words", "_sorted")

    def __init__(self, text: str) -> None:
        self.words = frozenset(_WORD.findall(text))
        self._sorted: list[str] | None = None

    def has(self, word: str, prefix: bool = False) -> bool:
        """Whether the text holds ``word`` (with ``prefix``: a word starting with it)."""
        if not prefix:
            return word in self.words
        if self._sorted is None:
            self._sorted = sorted(self.words)
        k = bisect_left(self._sorted, word)
        return k < len(self._sorted) and self._sorted[k].startswith(word)


@dataclass
class Lexicon:
    """A named list of phrases, compiled into one alternation regex."""

    name: str
    description: str
    phrases: list[str]
    negations: list[str] = field(default_factory=list)
    _regex: re.Pattern[str] | None = None
    _neg_regex: re.Pattern[str] | None = None
    # per distinct phrase pattern: (its first word, is a prefix, the pattern after that word); None: not indexable
    _parts: list[tuple[str, bool, str]] | None = field(default=None, repr=False, compare=False)
    _scanners: dict[frozenset[int], re.Pattern[str] | None] = field(default_factory=dict, repr=False, compare=False)

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            pats = sorted({_phrase_pattern(p) for p in self.phrases if p.strip()}, key=len, reverse=True)
            self._regex = re.compile(r"(?<!\w)(?:" + "|".join(pats) + r")(?!\w)") if pats else re.compile(r"(?!x)x")
        return self._regex

    def scanner(self, words: WordSet) -> re.Pattern[str] | None:
        """A regex that finds where :attr:`regex` matches in a text whose words are
        ``words`` (the same start positions, so ``search`` finds the same first place), or
        None when no phrase can occur in that text.

        :attr:`regex` opens with a look-behind, which keeps the regex engine from skipping
        ahead: it tries every position of the text, and on a long document that made every
        search cost about the same, hit or not. Here only the phrases whose first word the
        text holds are kept, grouped under that word and with the word written first (the
        look-behind moved after it), so the engine jumps from one place where such a word
        occurs to the next. Which phrase wins at a place may differ from :attr:`regex`: use
        it to find *where* a match is, and :attr:`regex` to read it."""
        parts = self._phrase_parts()
        if parts is None:
            return self.regex
        kept = frozenset(i for i, (word, prefix, _) in enumerate(parts) if words.has(word, prefix))
        if kept in self._scanners:
            return self._scanners[kept]
        groups: dict[str, list[str]] = {}
        for i in sorted(kept):
            word, _, rest = parts[i]
            groups.setdefault(word, []).append(rest)
        branches = [
            re.escape(word) + rf"(?<!\w.{{{len(word)}}})(?:" + "|".join(sorted(set(groups[word]), key=lambda r: (-len(r), r))) + ")"
            for word in sorted(groups, key=lambda w: (-len(w), w))
        ]
        scanner = re.compile("(?:" + "|".join(branches) + r")(?!\w)") if branches else None
        if len(self._scanners) >= _MAX_SCANNERS:
            self._scanners.clear()
        self._scanners[kept] = scanner
        return scanner

    def _phrase_parts(self) -> list[tuple[str, bool, str]] | None:
        if self._parts is None:
            parts: list[tuple[str, bool, str]] = []
            for phrase in sorted({p for p in self.phrases if p.strip()}):
                lead = _lead(phrase)
                pattern = _phrase_pattern(phrase)
                if lead is None or not pattern.startswith(re.escape(lead[0])):
                    return None  # (re.escape leaves word characters alone, so this does not happen)
                parts.append((lead[0], lead[1], pattern[len(re.escape(lead[0])) :]))
            self._parts = parts
        return self._parts

    @property
    def negation_regex(self) -> re.Pattern[str] | None:
        """Phrases that cancel a match where they occur ("no profiling")."""
        if not self.negations:
            return None
        if self._neg_regex is None:
            pats = sorted({_phrase_pattern(p) for p in self.negations if p.strip()}, key=len, reverse=True)
            self._neg_regex = re.compile(r"(?<!\w)(?:" + "|".join(pats) + r")(?!\w)")
        return self._neg_regex

    def search_folded(self, folded: str) -> re.Match[str] | None:
        """The first phrase match in folded text once negated phrases are blanked.

        Blanking can hide a match but is never allowed to make one (a negated phrase
        between two words of a phrase would otherwise join them), so text without a
        match as it stands needs no blanking: that keeps negations off the hot path."""
        m = self.regex.search(folded)
        neg = self.negation_regex
        if m is None or neg is None:
            return m
        return self.regex.search(neg.sub(_blank, folded))  # blank negated phrases, keeping offsets

    def matches(self, text: str) -> bool:
        return self.search_folded(fold(text)) is not None

    def first_phrase(self, text: str) -> str | None:
        m = self.search_folded(fold(text))
        return m.group(0) if m else None


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def lexicon_from_data(name: str, data: dict[str, Any]) -> Lexicon:
    phrases: list[str] = []
    raw = data.get("phrases", {})
    if isinstance(raw, dict):
        for lang_phrases in raw.values():
            phrases.extend(str(p) for p in (lang_phrases or []))
    elif isinstance(raw, list):
        phrases.extend(str(p) for p in raw)
    negs = [str(p) for p in data.get("negations", []) or []]
    return Lexicon(name=name, description=str(data.get("description", "")), phrases=phrases, negations=negs)
