"""Check primitives added for the lawfulness rules: citations, cross-links, vague text,
lexicon negations, and the validation that keeps rule files to data."""

from __future__ import annotations

from typing import Any

import pytest

from dpia_check.checks import FAIL, PASS, UNKNOWN, Context, citations_in, evaluate, validate_condition
from dpia_check.facts import Facts
from dpia_check.lexicon import lexicon_from_data
from dpia_check.load.yaml_loader import document_from_data
from dpia_check.model import Document


def _ctx(ruleset, data: dict[str, Any], origin: str = "structured") -> Context:  # type: ignore[no-untyped-def]
    doc = document_from_data({"dpia_format": 1, **data}, {}, "t.yaml")
    if origin != "structured":
        doc = Document(path="t.txt", format="text", data=doc.data, origin=origin)
    return Context(doc=doc, lexicons=ruleset.lexicons, facts=Facts(doc, ruleset.lexicons))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Art. 12(1)(5)", [(12, 1, 5)]),
        ("Article 52(4) of the Law on Police", [(52, 4, None)]),
        ("čl. 12. st. 1. tač. 5) ZZPL", [(12, 1, 5)]),
        ("члан 18. став 1. тачка 1)", [(18, 1, 1)]),
        ("Zakon o policiji, član 52", [(52, None, None)]),
        ("Law on Health Care, Art. 145 and Art. 159", [(145, None, None), (159, None, None)]),
        ("Law on Police", []),
        ("u 2019. godini", []),
    ],
)
def test_citations_in(text: str, expected: list[tuple[int, int | None, int | None]]) -> None:
    assert citations_in(text) == expected


def test_cites_matches_article_paragraph_and_points(ruleset) -> None:  # type: ignore[no-untyped-def]
    ctx = _ctx(ruleset, {"legal_basis": [{"id": "L1", "lpdp": "čl. 12. st. 1. tač. 6)", "law": "Law on Police"}]})
    lb = "/legal_basis/0"
    assert evaluate(ctx, {"op": "cites", "field": "lpdp", "article": 12, "paragraph": 1, "points": [6]}, lb).state == PASS
    assert evaluate(ctx, {"op": "cites", "field": "lpdp", "article": 12, "paragraph": 1, "points": [3, 5]}, lb).state == FAIL
    assert evaluate(ctx, {"op": "cites", "field": "law"}, lb).state == FAIL
    assert evaluate(ctx, {"op": "cites", "field": "explanation"}, lb).state == FAIL  # absent in YAML: a gap


def _linked_doc() -> dict[str, Any]:
    return {
        "processing": {"purposes": [{"id": "P1"}, {"id": "P2"}]},
        "legal_basis": [{"id": "L1", "purposes": ["P1"], "lpdp": "Art. 12(1)(5)"}],
    }


def test_linked_finds_the_entries_that_name_the_item(ruleset) -> None:  # type: ignore[no-untyped-def]
    ctx = _ctx(ruleset, _linked_doc())
    cond = {"op": "linked", "target": "/legal_basis", "via": "purposes"}
    assert evaluate(ctx, cond, "/processing/purposes/0").state == PASS
    missing = evaluate(ctx, cond, "/processing/purposes/1")
    assert missing.state == FAIL and missing.problems[0].location.pointer == "/processing/purposes/1"
    where = {**cond, "where": {"op": "cites", "field": "lpdp", "article": 12, "paragraph": 1, "points": [6]}}
    assert evaluate(ctx, where, "/processing/purposes/0").state == FAIL


def test_linked_in_text_input_takes_unassigned_entries_or_asks_a_person(ruleset) -> None:  # type: ignore[no-untyped-def]
    data = _linked_doc()
    data["legal_basis"] = [{"id": "L1", "lpdp": "Art. 12(1)(5)"}]
    ctx = _ctx(ruleset, data, origin="text")
    cond = {"op": "linked", "target": "/legal_basis", "via": "purposes"}
    assert evaluate(ctx, cond, "/processing/purposes/1").state == PASS
    empty = _ctx(ruleset, {"processing": {"purposes": [{"id": "P1"}]}}, origin="text")
    assert evaluate(empty, cond, "/processing/purposes/0").state == UNKNOWN


def test_substantive_rejects_vague_formulas(ruleset) -> None:  # type: ignore[no-untyped-def]
    ctx = _ctx(ruleset, {"processing": {"purposes": [
        {"id": "P1", "description": "Veća bezbednost građana"},
        {"id": "P2", "description": "Detection of vehicles reported stolen"},
    ]}})
    cond = {"op": "substantive", "field": "description", "min_words": 2, "vague": "vague_purposes"}
    assert evaluate(ctx, cond, "/processing/purposes/0").state == FAIL
    assert evaluate(ctx, cond, "/processing/purposes/1").state == PASS


def test_lexicon_negations_cancel_a_match_only_where_they_occur() -> None:
    lex = lexicon_from_data("t", {"phrases": {"en": ["profiling"]}, "negations": ["no profiling"]})
    assert not lex.matches("There is no profiling.")
    assert lex.matches("There is no profiling here, but profiling of visitors elsewhere.")
    assert lex.first_phrase("Nema profilisanja; profiling is used.") == "profiling"


def test_a_negated_phrase_hides_a_match_but_never_makes_one() -> None:
    """Blanking "no" between "data" and "sharing" must not join them into a match."""
    lex = lexicon_from_data("t", {"phrases": {"en": ["data sharing"]}, "negations": ["no"]})
    assert not lex.matches("data no sharing")
    assert lex.matches("no data sharing")  # "no" is blanked, the phrase itself stays


def test_document_searches_judge_negations_string_by_string() -> None:
    """Many strings are searched at once; each matching one is still judged on its own."""
    lex = lexicon_from_data("t", {"phrases": {"en": ["profiling"]}, "negations": ["no profiling"]})
    doc = document_from_data({"dpia_format": 1, "processing": {"purposes": [
        {"id": "a", "description": "There is no profiling."},
        {"id": "b", "description": "data no profiling sharing"},
        {"id": "c", "description": "Visitors are subject to profiling."},
    ]}}, {}, "t.yaml")
    ctx = Context(doc=doc, lexicons={"t": lex}, facts=Facts(doc, {"t": lex}))
    with doc.memoised():
        found = evaluate(ctx, {"op": "not_matches", "field": "**", "lexicon": "t"}, "")
        assert found.state == FAIL
        assert [e.location.pointer for e in found.problems] == ["/processing/purposes/2/description"]
        assert evaluate(ctx, {"op": "matches", "field": "/processing/purposes/0", "lexicon": "t"}, "").state == FAIL
        assert evaluate(ctx, {"op": "matches", "field": "/processing/purposes", "lexicon": "t"}, "").state == PASS


@pytest.mark.parametrize(
    ("cond", "message"),
    [
        ({"op": "substantive", "field": "x", "vague": "no_such_lexicon"}, "unknown lexicon"),
        ({"op": "cites", "field": "x", "points": ["1"]}, "points must be a list of whole numbers"),
        ({"op": "cites", "field": "x", "article": "12"}, "article must be a whole number"),
        ({"op": "linked", "target": "legal_basis", "via": "purposes"}, "absolute JSON Pointer"),
        ({"op": "linked", "target": "/legal_basis"}, "needs via"),
        ({"op": "linked", "target": "/legal_basis", "via": "purposes", "where": {"op": "eval"}}, "unknown primitive"),
    ],
)
def test_validation_rejects_malformed_conditions(ruleset, cond: dict[str, Any], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        validate_condition(cond, ruleset.lexicons)


@pytest.mark.parametrize(
    ("law", "state"),
    [
        ("Law on Police, Art. 52(4)", PASS),
        ("Zakon o policiji, član 52. stav 4.", PASS),
        ("Art. 52(4) of the Law on Police and Art. 13 of the LPDP", PASS),
        ("Law on Police; Art. 13 LPDP", FAIL),
        ("Zakon o policiji i čl. 13. ZZPL", FAIL),
        ("ZZPL, čl. 13", FAIL),
        ("člana 13. Zakona o zaštiti podataka o ličnosti", FAIL),
        ("Закон о полицији; ЗЗПЛ члан 13", FAIL),
    ],
)
def test_cites_not_of_ignores_the_provisions_of_the_named_law(ruleset, law: str, state: str) -> None:  # type: ignore[no-untyped-def]
    """An LPDP article next to the name of another law is no provision of that law (Art. 13, 14(1))."""
    ctx = _ctx(ruleset, {"legal_basis": [{"id": "L1", "law": law}]})
    assert evaluate(ctx, {"op": "cites", "field": "law", "not_of": "lpdp_names"}, "/legal_basis/0").state == state


def test_serves_regime_follows_the_purposes_an_item_names(ruleset) -> None:  # type: ignore[no-untyped-def]
    ctx = _ctx(ruleset, {"special_categories": [
        {"category": "biometric", "purposes": ["P1"]},
        {"category": "health", "purposes": ["P2"]},
        {"category": "genetic"},
        {"category": "health", "purposes": ["P9"]},
    ]})
    ctx.purpose_regimes = {"P1": "special", "P2": "general"}
    special = {"op": "serves_regime", "is": "special"}
    general = {"op": "serves_regime", "is": "general"}
    assert evaluate(ctx, special, "/special_categories/0").state == PASS
    assert evaluate(ctx, general, "/special_categories/0").state == FAIL
    assert evaluate(ctx, special, "/special_categories/1").state == FAIL
    assert evaluate(ctx, general, "/special_categories/1").state == PASS
    # no purposes, or only unknown ids: judged under every regime the DPIA applies
    for i in (2, 3):
        assert evaluate(ctx, special, f"/special_categories/{i}").state == PASS
        assert evaluate(ctx, general, f"/special_categories/{i}").state == PASS


@pytest.mark.parametrize(
    ("scale", "texts", "state"),
    [
        ({"devices": 8100}, ["About 8,100 cameras are installed."], PASS),
        ({"devices": 8100}, ["About 1,000 cameras are installed."], FAIL),
        ({}, ["About 1,000 cameras at 800 locations.", "8.100 kamera u celom gradu."], FAIL),
        ({}, ["About 1,000 cameras at 800 locations.", "Total: 1,000 cameras."], PASS),
        ({}, ["No count is given."], PASS),
    ],
)
def test_numbers_agree_with_the_declared_total_or_with_one_another(ruleset, scale, texts, state) -> None:  # type: ignore[no-untyped-def]
    ctx = _ctx(ruleset, {"processing": {"scale": scale, "description": texts[0], "data_flow": texts[-1]}})
    cond = {"op": "numbers_agree", "field": "/processing/scale/devices", "unit_lexicon": "camera_units"}
    assert evaluate(ctx, cond, "").state == state


def test_number_quotes_are_whole_sentences() -> None:
    """The quote behind a device count starts and ends with the author's sentence."""
    from dpia_check.checks import _sentence_around

    text = "The aim is a more effective fight against crime. The system comprises about 1,000 cameras at 800 locations. Storage is 30 days."
    start = text.index("1,000")
    assert _sentence_around(text, start, start + 5) == "The system comprises about 1,000 cameras at 800 locations."
    assert _sentence_around("8100", 0, 4) == "8100"
