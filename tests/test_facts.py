"""Named facts computed from a DPIA: the vocabulary of ``applies_when`` in the rule files."""

from __future__ import annotations

from typing import Any

import pytest

from dpia_check.facts import FACTS, Facts
from dpia_check.load.yaml_loader import document_from_data


def _facts(ruleset, data: dict[str, Any]) -> Facts:  # type: ignore[no-untyped-def]
    return Facts(document_from_data({"dpia_format": 1, **data}, {}, "t.yaml"), ruleset.lexicons)


def test_every_fact_has_a_bilingual_label() -> None:
    for name, (fn, label) in FACTS.items():
        assert callable(fn) and label.en and label.sr, name


def test_everyone_captured_from_serbian_wording(ruleset) -> None:  # type: ignore[no-untyped-def]
    f = _facts(ruleset, {"processing": {"data_subjects": [{"category": "sva lica na javnim mestima"}]}})
    assert f.holds("everyone_captured")
    g = _facts(ruleset, {"processing": {"data_subjects": [{"category": "zaposleni u fabrici"}]}})
    assert not g.holds("everyone_captured")


def test_criminal_data_are_not_an_art17_special_category(ruleset) -> None:  # type: ignore[no-untyped-def]
    f = _facts(ruleset, {"processing": {"data_categories": [{"category": "certificate of no criminal record", "special": "criminal_offences"}]}})
    assert f.holds("criminal_data")
    assert not f.holds("special_categories")
    h = _facts(ruleset, {"processing": {"data_categories": [{"category": "diagnosis", "special": "health"}]}})
    assert h.holds("special_categories") and h.holds("health_data") and not h.holds("criminal_data")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"meta": {"controller": {"name": "Metalprom", "kind": "private"}}, "processing": {"data_subjects": [{"category": "employees of the plant"}]}}, True),
        ({"meta": {"controller": {"name": "Osnovna škola", "kind": "private"}}}, True),
        ({"meta": {"controller": {"name": "Grad", "kind": "public_authority"}}}, True),
        ({"meta": {"controller": {"name": "Shop", "kind": "private"}}, "processing": {"data_subjects": [{"category": "loyalty members"}]}}, False),
        # the data subjects are named only by their job, but the consent sits in the employment contract
        ({"meta": {"controller": {"name": "Brza dostava d.o.o.", "kind": "private"}}, "processing": {"data_subjects": [{"category": "180 kurira"}]},
          "legal_basis": [{"id": "L1", "lpdp": "Art. 12(1)(1)", "explanation": "Kuriri su potpisali pristanak kao aneks ugovora o radu."}]}, True),
        ({"meta": {"controller": {"name": "Shop", "kind": "private"}}, "processing": {"data_subjects": [{"category": "customers"}]},
          "legal_basis": [{"id": "L1", "lpdp": "Art. 12(1)(1)", "explanation": "Customers tick a box in the app."}]}, False),
    ],
)
def test_dependent_relationship(ruleset, data: dict[str, Any], expected: bool) -> None:  # type: ignore[no-untyped-def]
    assert _facts(ruleset, data).holds("dependent_relationship") is expected


def test_special_consent_read_from_a_cyrillic_citation(ruleset) -> None:  # type: ignore[no-untyped-def]
    f = _facts(ruleset, {"special_categories": [{"category": "biometric", "condition": "чл. 17. ст. 2. тач. 1) ЗЗПЛ"}]})
    assert f.holds("special_consent")
    g = _facts(ruleset, {"special_categories": [{"category": "health", "condition": "Art. 17(2)(8)"}]})
    assert not g.holds("special_consent")


def test_profiling_mentioned_ignores_negations_and_the_automated_decisions_section(ruleset) -> None:  # type: ignore[no-untyped-def]
    negated = _facts(ruleset, {"consultation": {"data_subjects_views": "NGOs obtained a ban on movement profiling."}})
    assert not negated.holds("profiling_mentioned")
    inside = _facts(ruleset, {"processing": {"automated_decisions": {"description": "The system may be used for profiling."}}})
    assert not inside.holds("profiling_mentioned")
    outside = _facts(ruleset, {"processing": {"description": "Analiza ponašanja prolaznika ukazuje na sumnjiva lica."}})
    assert outside.holds("profiling_mentioned")


@pytest.mark.parametrize(
    ("description", "mentioned"),
    [
        # Art. 38 boilerplate: profiling is named as a kind of the decisions denied
        ("The system does not make decisions based solely on automated processing, including profiling.", False),
        ("Sistem ne donosi odluke isključivo na osnovu automatizovane obrade, uključujući profilisanje.", False),
        ("Систем не доноси одлуке искључиво на основу аутоматизоване обраде, укључујући и профилисање.", False),
        ("The system makes decisions based solely on automated processing, including profiling.", True),
        ("Data are not sent abroad; the bank scores applicants, including profiling of their spending.", True),
        # one denied mention and one affirmed one: it is mentioned
        ("No decision is automated, including profiling. Staff use profiling of callers to route calls.", True),
    ],
)
def test_profiling_named_only_to_be_denied_is_not_mentioned(ruleset, description: str, mentioned: bool) -> None:  # type: ignore[no-untyped-def]
    f = _facts(ruleset, {"processing": {"description": description}})
    assert f.holds("profiling_mentioned") is mentioned


def test_negated_face_recognition_is_not_biometric_identification(ruleset) -> None:  # type: ignore[no-untyped-def]
    no = _facts(ruleset, {"processing": {"description": "Cameras read plates only; the system performs no face recognition."}})
    assert not no.holds("biometric_identification")
    yes = _facts(ruleset, {"processing": {"technologies": [{"name": "softver za prepoznavanje lica"}]}})
    assert yes.holds("biometric_identification") and yes.holds("biometric")


def test_evidence_points_at_the_value(ruleset) -> None:  # type: ignore[no-untyped-def]
    f = _facts(ruleset, {"processing": {"data_subjects": [{"category": "all passers-by in the square"}]}})
    ev = f.outcome("everyone_captured").support
    assert ev and ev[0].location.pointer == "/processing/data_subjects/0/category"


def test_a_facial_image_is_biometric_only_when_processed_to_identify(ruleset) -> None:  # type: ignore[no-untyped-def]
    """Art. 4(15), 17(1): a facial image is biometric data once technical processing identifies a person."""
    cctv = _facts(ruleset, {"processing": {"data_categories": [{"category": "facial images of customers at the till"}]}})
    assert not cctv.holds("biometric") and not cctv.holds("special_categories")
    matched = _facts(ruleset, {"processing": {
        "data_categories": [{"category": "facial images of customers at the till"}],
        "technologies": [{"name": "face recognition against a list of shoplifters"}],
    }})
    assert matched.holds("biometric") and matched.holds("special_categories")
    prints = _facts(ruleset, {"processing": {"data_categories": [{"category": "fingerprint templates of staff"}]}})
    assert prints.holds("biometric") and prints.holds("special_categories")


def test_large_scale_criminal_offence_data_make_the_dpia_mandatory(ruleset) -> None:  # type: ignore[no-untyped-def]
    """Art. 54(4)(2) names Art. 19 data beside the special categories."""
    f = _facts(ruleset, {"processing": {
        "data_categories": [{"category": "certificates of no criminal record", "special": "criminal_offences"}],
        "scale": {"subjects": 50000},
    }})
    assert f.holds("trigger_54_4_2") and not f.holds("special_categories")
