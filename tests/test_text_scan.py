"""The whole-text lexicon scan gives exactly the per-sentence answers it replaces."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from dpia_check.lexicon import Lexicon
from dpia_check.load import load_document
from dpia_check.text.find import _TOKEN_RE, Negation, _tokens_after, _tokens_before, find_affirmed, find_dates
from dpia_check.text.prepare import PreparedText, Sentence, split_sentences
from dpia_check.text.scan import SentenceScan, first_words
from dpia_check.text.sections import _section_keys, section_keys
from dpia_check.text.vocab import default_vocabulary
from dpia_check.textprep import fold

CORPUS = Path(__file__).resolve().parent / "corpus"
# one document per script and shape: English text, Serbian Latin Markdown, Serbian Cyrillic PDF
DOCS = ["benefits-chatbot-en.txt", "vrtic-sr-latn.md", "moi-2019-sr-cyrl.pdf"]


def _sentences(texts: list[str]) -> list[Sentence]:
    return [Sentence(t, fold(t), None, i, i, i) for i, t in enumerate(texts)]


def _per_sentence(lex: Lexicon, sentences: list[Sentence], neg: Negation) -> tuple[set[int], set[int], set[int], set[int]]:
    """What the mapper used to compute sentence by sentence."""
    hits = {s.index for s in sentences if lex.regex.search(s.folded)}
    named = {s.index for s in sentences if lex.search_folded(s.folded)}
    aff, negd = set(), set()
    for s in sentences:
        a, n = find_affirmed(lex, s.folded, neg)
        if a is not None:
            aff.add(s.index)
        if n is not None:
            negd.add(s.index)
    return hits, named, aff, negd


@pytest.fixture(scope="module")
def prepared() -> list[PreparedText]:
    return [load_document(CORPUS / name).text for name in DOCS]


def test_scan_matches_sentence_by_sentence_for_every_lexicon(prepared: list[PreparedText]) -> None:
    vocab = default_vocabulary()
    lexicons = [*vocab.lex.values(), *vocab.section_lexicons.values(), *(f.cues for f in vocab.fields.values() if f.cues)]
    for pt in prepared:
        sentences = pt.all_sentences()
        assert [s.index for s in sentences] == list(range(len(sentences)))
        scan, neg = pt.scan, pt.negation
        for lex in lexicons:
            hits, named, aff, negd = _per_sentence(lex, sentences, neg)
            assert scan.hits(lex) == hits, lex.name
            assert scan.hits(lex, blank_negations=True) == named, lex.name
            assert scan.affirmed(lex, neg, denied=True) == (aff, negd), lex.name
            assert scan.affirmed(lex, neg)[0] == aff, lex.name


def test_scan_edge_cases_of_phrases_and_sentences() -> None:
    """Punctuation inside phrases, wildcards, negation phrases, repeated and empty sentences,
    a phrase that cannot be indexed (it starts with punctuation)."""
    texts = [
        "The DPO's advice was t.b.d at the time.",
        "Processing under Art 6(3) of the Regulation.",
        "No profiling is carried out; profiles are not built.",
        "Profiliranje se ne vrši, a profilisanje lica nije predviđeno.",
        "The DPO's advice was t.b.d at the time.",
        "",
        "(see annex) for the data flow",
        "Citizens' security comes first — no automated decisions.",
        "e-mail addresses and email logs",
    ]
    lex = Lexicon(
        "edge",
        "",
        ["dpo's advice", "t.b.d", "art 6(3)", "profil*", "citizens' security", "(see annex)", "e-mail", "automated decision*"],
        negations=["no profiling", "no automated decision*"],
    )
    vocab = default_vocabulary()
    neg = Negation.of(vocab)
    sentences = _sentences(texts)
    scan = SentenceScan(sentences)
    hits, named, aff, negd = _per_sentence(lex, sentences, neg)
    assert scan.hits(lex) == hits and {0, 1, 2, 3, 4, 6, 7, 8} <= hits
    assert scan.hits(lex, blank_negations=True) == named
    assert scan.affirmed(lex, neg, denied=True) == (aff, negd)
    assert 2 in negd and 7 in negd
    assert first_words(["(see annex)"]) is None
    assert first_words(["t.b.d", "procen* rizik*", "dpo's advice"]) == (frozenset({"t", "dpo"}), ("procen",))


def test_negation_windows_equal_whole_tokenisation() -> None:
    rng = random.Random(7)
    alphabet = "ab n't,.;:() x"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        cut = rng.randint(0, len(text))
        assert _tokens_before(text, cut) == _TOKEN_RE.findall(text[:cut])[-5:]
        assert _tokens_after(text, cut) == _TOKEN_RE.findall(text[cut:])[:4]


def test_section_keys_only_run_candidate_lexicons() -> None:
    vocab = default_vocabulary()
    for title in ["Procena rizika i mere zaštite", "Risk assessment", "3. Pravni osnov obrade", "Sadržaj", "Zaključak", "Опис обраде", "Data category Examples Source Retention"]:
        folded = fold(title)
        everything = _section_keys_without_index(folded, vocab)
        assert _section_keys(folded, vocab) == everything
        assert section_keys(folded, vocab) == everything  # and again from the heading cache


def _section_keys_without_index(title_folded: str, vocab: object) -> tuple[str, ...]:
    """section_keys as it was, running every section lexicon."""
    from dpia_check.text import sections

    saved = type(vocab).section_candidates
    try:
        type(vocab).section_candidates = lambda self, _t: set(self.section_lexicons)  # type: ignore[method-assign]
        return sections._section_keys(title_folded, vocab)  # type: ignore[arg-type]
    finally:
        type(vocab).section_candidates = saved  # type: ignore[method-assign]


def test_split_sentences_limit_gives_the_same_first_sentences() -> None:
    text = "Prvi je čl. 5. st. 1. Zakona. Drugi ide ovde! Treći? R1. Neovlašćen pristup. Kraj teksta"
    whole = split_sentences(text)
    for limit in range(1, len(whole) + 1):
        assert split_sentences(text, limit)[:limit] == whole[:limit]


def test_find_dates_short_cut_and_cache_agree() -> None:
    from dpia_check.text import find

    for text in ["bez datuma", "u 20 časova i 5 minuta", "10. mart 2026. godine", "2026-02-10", "March 2026", "10‐02‐2026"]:
        expected = find._find_dates(text)
        assert find_dates(text) == expected
        assert find_dates(text) == expected  # from the cache
    assert find_dates("broj 12 i 3") == [] and not re.search(r"\d{4}", "broj 12 i 3")
