"""Regime decisions: which purposes fall under the general and which under the special-purpose
regime, and the reason the report gives for each."""

from __future__ import annotations

from typing import Any

from dpia_check.load.yaml_loader import document_from_data
from dpia_check.model import Document
from dpia_check.regime import GENERAL, SPECIAL, decide_regime


def _doc(kind: str | None, purposes: list[dict[str, Any]] | None) -> Document:
    data: dict[str, Any] = {"dpia_format": 1, "meta": {"controller": {"name": "X", "kind": kind}} if kind else {}}
    if purposes is not None:
        data["processing"] = {"purposes": purposes}
    return document_from_data(data, {}, "t.yaml")


def test_private_controller_is_general_even_if_a_purpose_is_marked_special(ruleset) -> None:  # type: ignore[no-untyped-def]
    d = decide_regime(_doc("private", [{"id": "P1", "description": "Fraud detection", "special_purpose": True}]), ruleset.lexicons)
    assert d.applied == [GENERAL] and d.purposes == {"P1": GENERAL}
    assert len(d.notes) == 1 and "not a competent authority" in d.notes[0].en
    assert "Art. 12, 17, 38" in d.reason.en


def test_competent_authority_without_purposes_gets_both_regimes() -> None:
    d = decide_regime(_doc("competent_authority", None))
    assert d.applied == [GENERAL, SPECIAL] and d.purposes == {}
    assert "both regimes" in d.reason.en


def test_mixed_purposes_are_judged_purpose_by_purpose(ruleset) -> None:  # type: ignore[no-untyped-def]
    d = decide_regime(_doc("competent_authority", [
        {"id": "P1", "description": "Detection of stolen vehicles", "special_purpose": True},
        {"id": "P2", "description": "Traffic management", "special_purpose": False},
    ]), ruleset.lexicons)
    assert d.applied == [GENERAL, SPECIAL]
    assert d.purposes == {"P1": SPECIAL, "P2": GENERAL}
    out = d.to_dict()
    assert out["purpose_reasons"]["P1"]["regime"] == SPECIAL and "Art. 6(3)" in out["purpose_reasons"]["P1"]["reason"]
    assert out["purpose_reasons"]["P2"]["regime"] == GENERAL and out["purpose_reasons"]["P2"]["inferred"] is False
    # the sentence names which purposes fall under which regime, in both languages
    assert "for P1:" in d.reason.en and "for P2:" in d.reason.en and "Mixed purposes" in d.reason.en
    assert "za P1:" in d.reason.sr and "za P2:" in d.reason.sr
    assert d.notes == []


def test_unmarked_purposes_are_inferred_from_their_wording_with_a_note(ruleset) -> None:  # type: ignore[no-untyped-def]
    d = decide_regime(_doc("competent_authority", [
        {"id": "P1", "description": "Sprečavanje i otkrivanje krivičnih dela"},
        {"id": "P2", "description": "Upravljanje saobraćajem na raskrsnicama"},
    ]), ruleset.lexicons)
    assert d.purposes == {"P1": SPECIAL, "P2": GENERAL}
    assert d.details["P1"].inferred and d.details["P2"].inferred
    assert len(d.notes) == 2 and all("inferred" in n.en for n in d.notes)


def test_without_the_lexicon_an_unmarked_purpose_stays_general() -> None:
    d = decide_regime(_doc("competent_authority", [{"id": "P1", "description": "Sprečavanje krivičnih dela"}]))
    assert d.purposes == {"P1": GENERAL}


def test_purpose_marked_general_but_worded_as_crime_prevention_gets_a_note(ruleset) -> None:  # type: ignore[no-untyped-def]
    d = decide_regime(_doc("competent_authority", [
        {"id": "P1", "description": "Prevention of criminal offences in the city centre", "special_purpose": False},
    ]), ruleset.lexicons)
    assert d.purposes == {"P1": GENERAL}
    assert len(d.notes) == 1 and "check which regime applies" in d.notes[0].en


def test_same_reason_is_grouped_and_output_is_deterministic(ruleset) -> None:  # type: ignore[no-untyped-def]
    purposes = [{"id": f"P{i}", "description": "Detection of offenders", "special_purpose": True} for i in (1, 2, 3)]
    a = decide_regime(_doc("competent_authority", purposes), ruleset.lexicons)
    b = decide_regime(_doc("competent_authority", purposes), ruleset.lexicons)
    assert a.to_dict() == b.to_dict()
    assert a.reason.en.count("for P1, P2, P3:") == 1
