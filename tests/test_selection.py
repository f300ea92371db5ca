"""Rule selection by id, glob, article and tag; unknown selectors are errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dpia_check.config import Origin
from dpia_check.errors import InputError
from dpia_check.run import RunConfig, run_check
from dpia_check.selection import SelectorError, build, match

ROOT = Path(__file__).resolve().parent.parent
MOI = ROOT / "samples" / "moi-2020.dpia.yaml"


pytestmark = pytest.mark.usefixtures("no_machine_config")  # no user config or DPIA_CHECK_CONFIG leaks in


def _ids(rules) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.id for r in rules}


def test_exact_id(ruleset) -> None:  # type: ignore[no-untyped-def]
    assert _ids(match("lpdp.54.6.3-risk-assessment", ruleset)) == {"lpdp.54.6.3-risk-assessment"}


def test_glob(ruleset) -> None:  # type: ignore[no-untyped-def]
    got = _ids(match("lpdp.54.6.*", ruleset))
    assert got and all(i.startswith("lpdp.54.6.") for i in got)
    assert got == {r.id for r in ruleset.rules if r.citation.article == 54 and r.citation.paragraph == 6}


@pytest.mark.parametrize("sel", ["art54", "ART54", "art.54"])
def test_article(ruleset, sel: str) -> None:  # type: ignore[no-untyped-def]
    assert _ids(match(sel, ruleset)) == {r.id for r in ruleset.rules if r.article == 54}


@pytest.mark.parametrize("sel", ["art54.6.3", "art54(6)(3)"])
def test_article_paragraph_point(ruleset, sel: str) -> None:  # type: ignore[no-untyped-def]
    got = _ids(match(sel, ruleset))
    assert "lpdp.54.6.3-risk-assessment" in got
    assert all(i.startswith("lpdp.54.6.3-") for i in got)


@pytest.mark.parametrize("sel", ["risk", "tag:risk"])
def test_tag(ruleset, sel: str) -> None:  # type: ignore[no-untyped-def]
    got = _ids(match(sel, ruleset))
    assert got == {r.id for r in ruleset.rules if "risk" in r.tags}
    assert "lpdp.54.6.3-risk-assessment" in got


@pytest.mark.parametrize("sel", ["lpdp.54.6.3-risk-asessment", "lpdp.99.*", "art999", "no-such-tag"])
def test_unknown_selector_is_an_error(ruleset, sel: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SelectorError):
        match(sel, ruleset)


def test_typo_gets_a_suggestion(ruleset) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SelectorError) as err:
        match("lpdp.54.6.3-risk-asessment", ruleset)
    assert "lpdp.54.6.3-risk-assessment" in err.value.hint


def test_select_then_ignore(ruleset) -> None:  # type: ignore[no-untyped-def]
    sel = build(ruleset, select=["art54"], ignore=["tag:risk", "lpdp.54.13-review"])
    assert sel.rule_ids is not None
    assert "lpdp.54.1-before-processing" in sel.rule_ids
    assert "lpdp.54.6.3-risk-assessment" not in sel.rule_ids and "lpdp.54.13-review" not in sel.rule_ids
    assert all(i.startswith("lpdp.54.") for i in sel.rule_ids)


def test_ignore_alone_keeps_everything_else(ruleset) -> None:  # type: ignore[no-untyped-def]
    sel = build(ruleset, ignore=["lpdp.54.13-review"])
    assert sel.rule_ids == frozenset(r.id for r in ruleset.rules) - {"lpdp.54.13-review"}
    assert build(ruleset).rule_ids is None  # nothing chosen: every rule


def test_error_points_at_the_config_line(ruleset) -> None:  # type: ignore[no-untyped-def]
    origin = Origin("project config .dpia-check.yaml:3", ".dpia-check.yaml", 3)
    with pytest.raises(InputError) as err:
        build(ruleset, ignore=["art54.13", "art54.99"], origins={"ignore": origin})
    assert err.value.path == ".dpia-check.yaml" and err.value.line == 3
    assert "art54.99" in str(err.value)


def test_severity_override_by_selector(ruleset) -> None:  # type: ignore[no-untyped-def]
    sel = build(ruleset, severity={"tag:risk": "critical", "lpdp.54.13-review": "high"})
    assert sel.severity["lpdp.54.13-review"] == "high"
    assert all(sel.severity[r.id] == "critical" for r in ruleset.rules if "risk" in r.tags)


def test_check_runs_only_selected_rules_with_overridden_severity(capsys: pytest.CaptureFixture[str]) -> None:
    code = run_check(RunConfig(files=[MOI], fmt="json", select=["art54.13,lpdp.54.3-dpo-advice"], severity=["lpdp.54.13-review=critical"], fail_on="critical"))
    report = json.loads(capsys.readouterr().out)
    assert sorted(f["rule"] for f in report["findings"]) == ["lpdp.54.13-review", "lpdp.54.3-dpo-advice"]
    review = next(f for f in report["findings"] if f["rule"] == "lpdp.54.13-review")
    assert review["status"] == "fail" and review["severity"] == "critical"
    assert code == 1  # the override lifted it to the threshold


def test_unknown_selector_on_the_command_line_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from dpia_check.cli import main

    monkeypatch.setattr(sys, "argv", ["dpia-check", "check", str(MOI), "--ignore", "lpdp.54.13-reveiw"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "unknown rule, article or tag 'lpdp.54.13-reveiw'" in err and "did you mean lpdp.54.13-review" in err
