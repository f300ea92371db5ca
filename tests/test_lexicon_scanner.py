"""``Lexicon.scanner`` finds matches at exactly the places ``Lexicon.regex`` does.

The engine searches long documents with the scanner and reads the strings it lands in,
so a place the scanner missed would lose a finding and an extra place would invent one.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from dpia_check import checks
from dpia_check.checks import folded_strings
from dpia_check.lexicon import Lexicon, WordSet, first_words
from dpia_check.load import load_document
from dpia_check.rules import load_ruleset

CORPUS = Path(__file__).resolve().parent / "corpus"


def _starts(lex: Lexicon, text: str) -> list[int]:
    """Every position where ``lex.regex`` matches (not only non-overlapping ones)."""
    return [p for p in range(len(text) + 1) if lex.regex.match(text, p)]


def _scanner_starts(lex: Lexicon, text: str) -> list[int]:
    scanner = lex.scanner(WordSet(text))
    return [] if scanner is None else [p for p in range(len(text) + 1) if scanner.match(text, p)]


def test_same_places_on_random_text() -> None:
    rng = random.Random(11)
    vocabulary = ["ab", "abc", "b", "ba", "c", "ca", "x"]
    for _ in range(400):
        phrases = []
        for _ in range(rng.randint(1, 5)):
            words = [rng.choice(vocabulary) + ("*" if rng.random() < 0.3 else "") for _ in range(rng.randint(1, 3))]
            phrases.append(" ".join(words))
        lex = Lexicon("random", "", phrases)
        text = "".join(rng.choice(["ab", "abc", "b", "c", " ", "  ", ".", "x", "\x00", "\n", "ča"]) for _ in range(rng.randint(0, 30)))
        assert _scanner_starts(lex, text) == _starts(lex, text), (phrases, text)
        scanner = lex.scanner(WordSet(text))
        for pos in range(len(text) + 1):
            want = lex.regex.search(text, pos)
            got = scanner.search(text, pos) if scanner is not None else None
            assert (got.start() if got else None) == (want.start() if want else None), (phrases, text, pos)


def test_none_when_no_first_word_occurs() -> None:
    lex = Lexicon("lx", "", ["profiling", "automated decision*"])
    assert lex.scanner(WordSet("video surveillance of the car park")) is None
    assert lex.scanner(WordSet("an automated tool")) is not None  # 'automated' occurs; the phrase may not
    assert lex.scanner(WordSet("an automated tool")).search("an automated tool") is None  # type: ignore[union-attr]


def test_phrases_that_cannot_be_indexed_keep_the_full_regex() -> None:
    lex = Lexicon("lx", "", ["(see annex)", "annex"])
    assert first_words(lex.phrases) is None
    assert lex.scanner(WordSet("nothing here")) is lex.regex


def test_punctuation_and_wildcards_in_first_words() -> None:
    lex = Lexicon("lx", "", ["t.b.d", "dpo's advice", "procen* rizik*", "e-mail"])
    text = "the t.b.d note; the dpo's advice; procenu rizika; email and e mail"
    assert _scanner_starts(lex, text) == _starts(lex, text) != []


def test_same_strings_found_on_corpus_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every lexicon of the rule set, over the folded strings of real documents: the
    strings the engine finds with the scanner are the ones a string-by-string search finds.
    (The engine uses scanners on long documents only; here on any.)"""
    monkeypatch.setattr(checks, "_SCANNER_MIN_CHARS", 0)
    rs = load_ruleset()
    for name in ["moi-2019-sr-cyrl.pdf", "credit-scoring-en.md", "vrtic-sr-latn.md"]:
        doc = load_document(CORPUS / name)
        folded = folded_strings(doc)
        assert folded.text is not None
        n = len(folded.strings)
        for lex in rs.lexicons.values():
            by_string = [i for i in range(n) if lex.search_folded(folded.pieces[i]) is not None]
            assert folded.every(lex, 0, n) == by_string, (name, lex.name)
        assert any(got[1] is not None and got[1] is not got[0].regex for got in folded._scanners.values()), name
