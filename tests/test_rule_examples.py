"""Every rule has a passing and a failing example, and each gives the status it promises.

The examples live beside the rule (rules/lpdp/art*.yaml) and are merged onto a sound
base DPIA of the rule's regime; see dpia_check/examples.py.
"""

from __future__ import annotations

import pytest

from dpia_check.engine import CheckOptions, Engine
from dpia_check.examples import example_document
from dpia_check.rules import load_ruleset
from tests.conftest import SAMPLES

RULES = load_ruleset().rules


def _status(rule_id: str, kind: str) -> tuple[str, str]:
    rs = load_ruleset()
    rule = rs.get(rule_id)
    assert rule is not None
    doc = example_document(rule, kind, SAMPLES)
    report = Engine(rs).run(doc, CheckOptions(select=lambda r: r.id == rule_id))
    assert len(report.findings) == 1
    return report.findings[0].status, report.findings[0].message


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_has_both_examples(rule) -> None:  # type: ignore[no-untyped-def]
    for kind in ("pass", "fail"):
        assert isinstance(rule.examples.get(kind), str) and rule.examples[kind].strip(), f"{rule.id} lacks a {kind} example"
    assert rule.examples.get("base", "general") in ("general", "special")


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_passing_example_passes(rule) -> None:  # type: ignore[no-untyped-def]
    status, message = _status(rule.id, "pass")
    assert status == rule.examples.get("pass_status", "pass"), message


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_failing_example_fails(rule) -> None:  # type: ignore[no-untyped-def]
    expected = rule.examples.get("fail_status", "warn" if rule.on_fail == "warn" else "fail")
    status, message = _status(rule.id, "fail")
    assert status == expected, message


def test_a_fail_on_something_missing_says_so(ruleset) -> None:  # type: ignore[no-untyped-def]
    """ "messages.missing" replaces the fail message when every piece of evidence is an
    absence: an undated DPIA is not "dated after the processing started"."""
    from dpia_check.load.yaml_loader import document_from_data

    engine = Engine(ruleset)

    def finding(meta: dict[str, str]):  # type: ignore[no-untyped-def]
        doc = document_from_data({"dpia_format": 1, "meta": meta}, {}, "t.yaml")
        return next(f for f in engine.run(doc, CheckOptions()).findings if f.rule == "lpdp.54.1-before-processing")

    undated = finding({"processing_start": "2026-04-01"})
    assert undated.status == "fail" and undated.message.startswith("The DPIA gives no date of its own (/meta/date)")
    late = finding({"date": "2026-05-10", "processing_start": "2026-04-01"})
    assert late.status == "fail" and late.message.startswith("The DPIA is dated after the processing started")


@pytest.mark.parametrize(
    ("views", "status", "start"),
    [
        (None, "fail", "Nothing says whether the views of data subjects"),
        ("The views of the beneficiaries or of their associations were not sought.", "fail", "The DPIA records neither the views"),
        ("Stavovi korisnika nisu traženi jer bi javna rasprava otkrila ko prima socijalnu pomoć.", "pass", "The views of data subjects"),
        ("The works council reviewed the draft and asked for tracking to stop outside shifts.", "pass", "The views of data subjects"),
    ],
)
def test_views_not_sought_need_a_reason(ruleset, views: str | None, status: str, start: str) -> None:  # type: ignore[no-untyped-def]
    """Art. 54(11): "their views were not sought" is not the reason the rule asks for."""
    from dpia_check.load.yaml_loader import document_from_data

    data = {"dpia_format": 1, "consultation": {"data_subjects_views": views}}
    doc = document_from_data(data, {}, "t.yaml")
    finding = next(f for f in Engine(ruleset).run(doc, CheckOptions()).findings if f.rule == "lpdp.54.11-data-subject-views")
    assert (finding.status, finding.message[: len(start)]) == (status, start)
