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


def test_mixed_dpia_judges_each_special_category_under_the_regime_of_its_purposes(ruleset) -> None:  # type: ignore[no-untyped-def]
    """Police purpose P1 (special) and traffic purpose P2 (general): the biometric category of P1
    is judged under Art. 18 only, the health category of P2 under Art. 17 only."""
    from dpia_check.engine import CheckOptions, Engine
    from dpia_check.examples import deep_merge
    from dpia_check.load.yaml_loader import parse_yaml_text
    from tests.conftest import SAMPLES

    base_path = SAMPLES / "city-traffic-mixed.dpia.yaml"
    base, locs = parse_yaml_text(base_path.read_text(encoding="utf-8"), str(base_path))
    patch = {
        "processing": {
            "technologies": [{"name": "face recognition against the court warrant list", "new": True}],
            "data_categories": [
                {"category": "facial images of persons in the pedestrian zone", "special": "biometric"},
                {"category": "injuries of persons in collisions", "special": "health"},
            ],
        },
        "special_categories": [
            {"category": "biometric", "purposes": ["P1"], "for_unique_identification": True,
             "condition": "The Ministry's competence", "law": "Law on Police",
             "safeguards": "Every match is checked by an officer before any action.",
             "necessity": "Only persons on the court warrant list are searched for."},
            {"category": "health", "purposes": ["P2"], "condition": "Art. 18(1)(1) — authorised by law",
             "law": "Law on Road Traffic Safety, Art. 165",
             "safeguards": "Kept only in the collision file seen by the investigating officer."},
        ],
    }
    doc = document_from_data(deep_merge(base, patch), locs, "mixed.yaml")
    report = Engine(ruleset).run(doc, CheckOptions())
    by_rule = {f.rule: f for f in report.findings}
    art17 = by_rule["lpdp.17.2-exception"]
    assert art17.status == "fail" and "health" in art17.message and "biometric" not in art17.message
    art18 = by_rule["lpdp.18.1-ground"]
    assert art18.status == "fail" and "biometric" in art18.message and "health" not in art18.message
    assert "counterpart of Art. 17" in art18.message
    assert by_rule["lpdp.18.1.1-authorised-by-law"].status == "fail"
    # the same category with a sound Art. 18(1)(1) ground passes under Art. 18 and is not judged under Art. 17
    patch["special_categories"] = patch["special_categories"][:1]
    patch["special_categories"][0].update(condition="Art. 18(1)(1) — authorised by law", law="Law on Biometric Identification (fictional), Art. 4(1)")
    patch["processing"]["data_categories"] = patch["processing"]["data_categories"][:1]
    ok = Engine(ruleset).run(document_from_data(deep_merge(base, patch), locs, "mixed.yaml"), CheckOptions())
    status = {f.rule: f.status for f in ok.findings}
    assert status["lpdp.18.1-ground"] == "pass" and status["lpdp.18.1.1-authorised-by-law"] == "pass"
    assert status["lpdp.17.2-exception"] == "not_applicable" and status["lpdp.17.2-supported"] == "not_applicable"


def test_competent_authority_with_only_general_purposes_is_judged_under_art12(ruleset) -> None:  # type: ignore[no-untyped-def]
    """Internal control by the police is not a special purpose: Art. 13 does not apply, and a
    legal basis that cites it names no Art. 12(1) ground."""
    from dpia_check.engine import CheckOptions, Engine
    from dpia_check.examples import deep_merge
    from dpia_check.load.yaml_loader import parse_yaml_text
    from tests.conftest import SAMPLES

    base_path = SAMPLES / "border-anpr.dpia.yaml"
    base, locs = parse_yaml_text(base_path.read_text(encoding="utf-8"), str(base_path))
    patch = {
        "processing": {"purposes": [{"id": "P1", "description": "Internal control of officers' queries of the plate reads", "special_purpose": False}]},
        "legal_basis": [{"id": "L1", "purposes": ["P1"], "lpdp": "Art. 13", "law": "Law on Police, Art. 52(4)", "explanation": "Queries are checked by the Internal Control Sector."}],
    }
    report = Engine(ruleset).run(document_from_data(deep_merge(base, patch), locs, "ca.yaml"), CheckOptions())
    assert report.regime["applied"] == [GENERAL]
    status = {f.rule: f.status for f in report.findings}
    assert status["lpdp.12.1-lawful-ground"] == "fail"
    assert all(s == "not_applicable" for r, s in status.items() if r.startswith(("lpdp.13-", "lpdp.18.", "lpdp.39.", "lpdp.54.8-", "lpdp.55.3-")))


def test_regime_notes_read_as_plain_text_in_every_memo_format(ruleset) -> None:  # type: ignore[no-untyped-def]
    """Notes reach HTML and DOCX memos as they are: no Markdown backticks, and the field to
    fill in is still named (in Latin in a Cyrillic report: it is a YAML key)."""
    notes = [
        *decide_regime(_doc("private", [{"id": "P1", "description": "Fraud detection", "special_purpose": True}]), ruleset.lexicons).notes,
        *decide_regime(_doc("competent_authority", [{"id": "P1", "description": "Sprečavanje krivičnih dela"}]), ruleset.lexicons).notes,
    ]
    assert len(notes) == 2
    for note in notes:
        for lang in ("en", "sr-Latn", "sr-Cyrl"):
            text = note.get(lang)
            assert "`" not in text and "special_purpose" in text, text
