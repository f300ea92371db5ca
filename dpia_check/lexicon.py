"""Lexicons: phrase lists (English, Serbian Latin/Cyrillic) compiled once into regexes.

Phrases are data under ``rules/<set>/lexicons/``. Matching runs on *folded* text
(Latin script, lower case, no diacritics, no word-joining hyphens) so one Latin
phrase matches Cyrillic and Latin documents alike. A trailing ``*`` on a word
allows Serbian inflection (``procen* rizik*`` matches "procenu rizika").
Phrases are never regexes, so a lexicon cannot run code or blow up the matcher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dpia_check.textprep import fold


def _phrase_pattern(phrase: str) -> str:
    words = fold(phrase).split()
    parts: list[str] = []
    for w in words:
        if w.endswith("*"):
            parts.append(re.escape(w[:-1]) + r"\w*")
        else:
            parts.append(re.escape(w))
    return r"\s+".join(parts)


@dataclass
class Lexicon:
    """A named list of phrases, compiled into one alternation regex."""

    name: str
    description: str
    phrases: list[str]
    negations: list[str] = field(default_factory=list)
    _regex: re.Pattern[str] | None = None
    _neg_regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            pats = sorted({_phrase_pattern(p) for p in self.phrases if p.strip()}, key=len, reverse=True)
            self._regex = re.compile(r"(?<!\w)(?:" + "|".join(pats) + r")(?!\w)") if pats else re.compile(r"(?!x)x")
        return self._regex

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
