"""Which sentences of a document match a phrase list, worked out once per list.

The mapper asks the same questions of thousands of sentences: "does this sentence
contain a phrase of lexicon X?", "does it affirm one (not negated)?". Asking them one
sentence at a time cost a regex call per sentence and lexicon (over 100,000 calls on a
200-page DPIA). :class:`SentenceScan` answers each question for the whole document at
once and keeps the answer (a set of sentence indices):

* **each distinct sentence once** — DPIAs repeat themselves (the same statement in every
  processing operation, table headers on every page); the answer for a sentence depends
  only on its folded text, so identical sentences share one evaluation;
* **only where a phrase can start** — a lexicon regex is ``(?<!\\w)`` + one of its phrases
  + ``(?!\\w)`` (:mod:`dpia_check.lexicon`), so a match starts at the beginning of a word
  and that word is the phrase's first word (or, for ``word*``, starts with it). A word
  index of the document gives the sentences holding such a word; the regex runs on those
  alone, so the answers are exactly the per-sentence ones. A phrase whose first word does
  not start with a letter or digit cannot be indexed; its lexicon is run on every sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from dpia_check.lexicon import FirstWords, first_words

if TYPE_CHECKING:
    from dpia_check.lexicon import Lexicon
    from dpia_check.text.find import Negation
    from dpia_check.text.prepare import Sentence

_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")


def _blank(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


class SentenceScan:
    """Lexicon hits of every sentence of a document, computed once per lexicon."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        ids: dict[str, int] = {}
        self.distinct: list[str] = []  # each folded sentence once, in order of first use
        self.members: list[list[int]] = []  # distinct text -> the sentences that have it
        for i, s in enumerate(sentences):
            d = ids.get(s.folded)
            if d is None:
                d = ids[s.folded] = len(self.distinct)
                self.distinct.append(s.folded)
                self.members.append([])
            self.members[d].append(i)
        index: dict[str, list[int]] = {}
        for d, text in enumerate(self.distinct):
            for word in set(_WORD.findall(text)):
                index.setdefault(word, []).append(d)
        self._index = index
        self._words: list[str] | None = None  # sorted, for prefix look-ups
        self._first: dict[int, tuple[Lexicon, FirstWords]] = {}
        # id(lexicon) -> (lexicon, answer); the lexicon is kept so its id cannot be reused
        self._hits: dict[tuple[int, bool], tuple[Lexicon, frozenset[int]]] = {}
        self._affirmed: dict[tuple[int, int, bool], tuple[Lexicon, tuple[frozenset[int], frozenset[int]]]] = {}
        self._digits: frozenset[int] | None = None

    @property
    def with_digits(self) -> frozenset[int]:
        """Indices of the sentences holding a digit (counts, dates and citations need one)."""
        if self._digits is None:
            self._digits = self._expand([d for d, text in enumerate(self.distinct) if _DIGIT.search(text)])
        return self._digits

    # -- candidates ------------------------------------------------------------------
    def _first_words(self, lex: Lexicon, negations: bool = False) -> FirstWords:
        key = -id(lex) - 1 if negations else id(lex)
        cached = self._first.get(key)
        if cached is None or cached[0] is not lex:
            words = first_words(lex.negations if negations else lex.phrases)
            if negations and words is not None and not words[0] and not words[1]:
                words = None  # no usable negation phrase: its regex is empty and matches anywhere
            cached = (lex, words)
            self._first[key] = cached
        return cached[1]

    def _candidates(self, first: FirstWords) -> list[int]:
        """Distinct sentences holding a word a phrase can start with (in order)."""
        if first is None:
            return list(range(len(self.distinct)))
        exact, prefixes = first
        found: set[int] = set()
        index = self._index
        for word in exact:
            hit = index.get(word)
            if hit:
                found.update(hit)
        if prefixes:
            if self._words is None:
                self._words = sorted(index)
            words = self._words
            for p in prefixes:
                k = bisect_left(words, p)
                while k < len(words) and words[k].startswith(p):
                    found.update(index[words[k]])
                    k += 1
        return sorted(found)

    def _expand(self, distinct_ids: list[int]) -> frozenset[int]:
        members = self.members
        return frozenset(i for d in distinct_ids for i in members[d])

    # -- questions ---------------------------------------------------------------------
    def hits(self, lex: Lexicon, *, blank_negations: bool = False) -> frozenset[int]:
        """Indices of the sentences where ``lex.regex.search(sentence.folded)`` finds something
        (with ``blank_negations``: where ``lex.search_folded(sentence.folded)`` does)."""
        key = (id(lex), blank_negations)
        cached = self._hits.get(key)
        if cached is not None and cached[0] is lex:
            return cached[1]
        candidates = self._candidates(self._first_words(lex))
        result: frozenset[int] = frozenset()
        if candidates:  # (a lexicon with no candidate is never even compiled)
            search = lex.search_folded if blank_negations and lex.negations else lex.regex.search
            distinct = self.distinct
            result = self._expand([d for d in candidates if search(distinct[d])])
        self._hits[key] = (lex, result)
        return result

    def affirmed(self, lex: Lexicon, neg: Negation, *, denied: bool = False) -> tuple[frozenset[int], frozenset[int]]:
        """(sentences where :func:`~dpia_check.text.find.find_affirmed` gives an affirmed match,
        sentences where it gives a negated one). Without ``denied`` the second set is not
        worked out (it comes back empty) and a sentence is left at its first affirmed match."""
        key = (id(lex), id(neg), denied)
        cached = self._affirmed.get(key)
        if cached is not None and cached[0] is lex:
            return cached[1]
        if not denied:
            full = self._affirmed.get((id(lex), id(neg), True))
            if full is not None and full[0] is lex:
                return full[1][0], frozenset()
        aff: list[int] = []
        negd: list[int] = []
        distinct = self.distinct
        negation_hits = set(self._candidates(self._first_words(lex, negations=True))) if lex.negations else set()
        todo = sorted(set(self._candidates(self._first_words(lex))) | negation_hits)
        rx = lex.regex if todo else None
        neg_re = lex.negation_regex if todo else None
        for d in todo:
            text = distinct[d]
            is_neg = False
            if neg_re is not None and d in negation_hits and neg_re.search(text):
                is_neg = True
                text = neg_re.sub(_blank, text)  # same length: offsets stay valid
            is_aff = False
            for m in rx.finditer(text):  # type: ignore[union-attr]
                if neg.negated(text, m.start(), m.end()):
                    is_neg = True
                else:
                    is_aff = True
                if is_aff and (is_neg or not denied):
                    break
            if is_aff:
                aff.append(d)
            if is_neg:
                negd.append(d)
        result = (self._expand(aff), self._expand(negd) if denied else frozenset())
        self._affirmed[key] = (lex, result)
        return result
