"""`dpia-check diff OLD NEW`: gaps closed, new, changed and unchanged, with citations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dpia_check.citation import Citation
from dpia_check.diff import DiffRun, compare, diff_files, render, run_diff
from dpia_check.model import Evidence, Location
from dpia_check.report.model import DocumentInfo, Finding, Report

ROOT = Path(__file__).resolve().parent.parent
MOI = ROOT / "samples" / "moi-2020.dpia.yaml"
MOI_2019 = ROOT / "samples" / "moi-2019.dpia.yaml"
OLD_MEASURE = "Appropriate technical and organisational measures will be applied."


pytestmark = pytest.mark.usefixtures("no_machine_config")  # no user config or DPIA_CHECK_CONFIG leaks in


@pytest.fixture()
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """OLD = the 2020 reconstruction; NEW fixes the review plan, loses a risk rating and
    rewrites the boilerplate measure into different boilerplate."""
    text = MOI.read_text(encoding="utf-8")
    old = tmp_path / "v1.dpia.yaml"
    old.write_text(text, encoding="utf-8")
    new_text = (
        text.replace("    likelihood: low\n    severity: medium\n", "")
        .replace(OLD_MEASURE, "Appropriate measures will be applied where needed.")
        .rstrip("\n")
        + "\nreview:\n  schedule: annually, and whenever the risk changes\n  next: 2021-04-01\n"
    )
    new = tmp_path / "v2.dpia.yaml"
    new.write_text(new_text, encoding="utf-8")
    return old, new


def _kinds(data: dict) -> dict[str, set[str]]:  # type: ignore[type-arg]
    return {k: {c["rule"] for c in data[k]} for k in ("closed", "new", "changed", "unchanged", "other")}


def test_diff_sorts_gaps(versions: tuple[Path, Path]) -> None:
    old, new = versions
    result, _ = diff_files(DiffRun(old=old, new=new, select=["art54"]))
    kinds = _kinds(result.to_dict())
    assert "lpdp.54.13-review" in kinds["closed"]
    assert {"lpdp.54.6.3-risk-rated", "lpdp.54.8-risk-rated"} <= kinds["new"]
    assert "lpdp.54.6.4-measures" in kinds["changed"]
    assert "lpdp.54.3-dpo-advice" in kinds["unchanged"]
    changed = next(c for c in result.of("changed") if c.rule == "lpdp.54.6.4-measures")
    assert "evidence" in changed.differs
    # every rule appears at most once, and passes that stayed passes are not listed
    rules = [c.rule for c in result.changes]
    assert len(rules) == len(set(rules))
    assert "lpdp.54.6.1-purposes" not in rules


def test_json_markdown_and_text_carry_citations(versions: tuple[Path, Path]) -> None:
    old, new = versions
    result, _ = diff_files(DiffRun(old=old, new=new, select=["art54"]))
    data = json.loads(render(result, "json"))
    assert data["summary"]["closed"] == len(data["closed"]) >= 1
    closed = next(c for c in data["closed"] if c["rule"] == "lpdp.54.13-review")
    assert closed["citation"]["text"] == "Art. 54(13)"
    assert closed["old"]["status"] == "fail" and closed["new"]["status"] == "pass"
    md = render(result, "md")
    assert "## Gaps closed" in md and "| Art. 54(13) | `lpdp.54.13-review`" in md
    text = render(result, "text")
    assert "New gaps" in text and "Art. 54(6)(3)" in text and "lpdp.54.6.3-risk-rated" in text
    assert render(result, "json") == render(diff_files(DiffRun(old=old, new=new, select=["art54"]))[0], "json")  # deterministic


def test_fail_on_new_sets_the_exit_code(versions: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = versions
    assert run_diff(DiffRun(old=old, new=new, select=["art54"])) == 0
    assert run_diff(DiffRun(old=old, new=new, select=["art54"], fail_on_new=True)) == 1
    assert run_diff(DiffRun(old=old, new=old, select=["art54"], fail_on_new=True)) == 0  # same document: nothing new
    out = tmp_path / "diff.md"
    capsys.readouterr()
    run_diff(DiffRun(old=old, new=new, fmt="md", output=out, select=["art54"]))
    assert capsys.readouterr().out == "" and out.read_text(encoding="utf-8").startswith("# DPIA version comparison")


def _finding(rule: str, status: str, article: int, paragraph: int, message: str = "m") -> Finding:
    return Finding(
        rule=rule, citation=Citation(article, paragraph), status=status, severity="high", title=rule, message=message,
        remediation="r", evidence=[Evidence(Location("x.yaml", pointer="/measures"), "q")], related={},
    )


def _report(*findings: Finding) -> Report:
    info = DocumentInfo(path="x.yaml", format="yaml", language="en", title="T", pages=None, readable=True, sha256="")
    return Report(tool={}, document=info, findings=list(findings), fail_on="info", lang="en", regime={})


def test_a_gap_that_moved_regime_is_paired_with_its_counterpart() -> None:
    old = _report(_finding("lpdp.54.6.4-measures", "fail", 54, 6), _finding("lpdp.54.8-measures", "not_applicable", 54, 8))
    new = _report(_finding("lpdp.54.6.4-measures", "not_applicable", 54, 6), _finding("lpdp.54.8-measures", "fail", 54, 8))
    plain = compare(old, new)
    assert [c.kind for c in plain.changes] == ["closed", "new"]
    paired = compare(old, new, {"lpdp.54.6.4-measures": "lpdp.54.8-measures", "lpdp.54.8-measures": "lpdp.54.6.4-measures"})
    [c] = paired.changes
    assert (c.kind, c.rule, c.old_rule, c.differs) == ("changed", "lpdp.54.8-measures", "lpdp.54.6.4-measures", ["regime"])


def test_manual_transitions_are_other() -> None:
    old = _report(_finding("lpdp.54.1-x", "fail", 54, 1), _finding("lpdp.54.3-y", "manual", 54, 3))
    new = _report(_finding("lpdp.54.1-x", "manual", 54, 1), _finding("lpdp.54.3-y", "pass", 54, 3))
    assert [(c.rule, c.kind) for c in compare(old, new).changes] == [("lpdp.54.1-x", "other"), ("lpdp.54.3-y", "other")]


@pytest.mark.skipif(not MOI_2019.exists(), reason="samples/moi-2019.dpia.yaml not written yet")
def test_ministry_2019_to_2020() -> None:
    result, _ = diff_files(DiffRun(old=MOI_2019, new=MOI))
    data = result.to_dict()
    assert data["old"]["document"]["path"].endswith("moi-2019.dpia.yaml")
    # 2020 still fails the law: gaps remain open (changed or unchanged) after the revision
    assert data["summary"]["changed"] + data["summary"]["unchanged"] >= 1
    for entry in data["closed"]:
        assert entry["old"]["status"] in ("fail", "warn") and entry["new"]["status"] in ("pass", "not_applicable")
    for entry in data["new"]:
        assert entry["new"]["status"] in ("fail", "warn")


def test_markdown_shows_hostile_titles_as_written(versions: tuple[Path, Path], tmp_path: Path) -> None:
    """A DPIA title with emphasis, a link, HTML and an entity is quoted, never rendered."""
    old, new = versions
    hostile = "**Bold** [x](https://evil.example) <b>&amp;</b> | pipe"
    for p in (old, new):
        text = p.read_text(encoding="utf-8")
        start = text.index("  title: ")
        end = text.index("\n", start)
        p.write_text(text[:start] + f"  title: {json.dumps(hostile)}" + text[end:], encoding="utf-8")
    result, _ = diff_files(DiffRun(old=old, new=new, select=["art54"]))
    md = render(result, "md")
    doc_lines = [line for line in md.splitlines() if line.startswith("- **")]
    assert doc_lines and all("\\*\\*Bold\\*\\*" in line and "\\[x\\]" in line and "\\<b\\>\\&amp;" in line and "\\|" in line for line in doc_lines[:2])
