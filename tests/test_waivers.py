"""Waivers: reported and counted, never hidden; expired or incomplete ones fail closed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from dpia_check import waivers
from dpia_check.citation import Citation
from dpia_check.errors import InputError
from dpia_check.model import Evidence, Location
from dpia_check.report.model import DocumentInfo, Finding, Report
from dpia_check.run import RunConfig, run_check

ROOT = Path(__file__).resolve().parent.parent
MOI = ROOT / "samples" / "moi-2020.dpia.yaml"
TODAY = dt.date(2025, 6, 1)
ART54 = ["art54"]


pytestmark = pytest.mark.usefixtures("no_machine_config")  # no user config or DPIA_CHECK_CONFIG leaks in


def _doc_with(tmp_path: Path, block: str, name: str = "moi.dpia.yaml") -> Path:
    p = tmp_path / name
    p.write_text(MOI.read_text(encoding="utf-8").rstrip("\n") + "\n" + block, encoding="utf-8")
    return p


def _run(capsys: pytest.CaptureFixture[str], path: Path, **kw: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = run_check(RunConfig(files=[path], fmt="json", select=ART54, today=TODAY, **kw))  # type: ignore[arg-type]
    return code, json.loads(capsys.readouterr().out)


def _finding(report: dict, rule: str) -> dict:  # type: ignore[type-arg]
    return next(f for f in report["findings"] if f["rule"] == rule)


VALID = """waivers:
  - rule: lpdp.54.13-review
    target: /review
    reason: Review cycle is set by the new police data rulebook, due in Q3.
    owner: DPO office
    approved_by: Head of legal
    expires: 2025-12-31
"""


def test_valid_inline_waiver_waives_reports_and_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, before = _run(capsys, MOI)
    code, report = _run(capsys, _doc_with(tmp_path, VALID))
    f = _finding(report, "lpdp.54.13-review")
    assert f["status"] == "waived"
    assert f["waiver"] == {
        "rule": "lpdp.54.13-review",
        "target": "/review",
        "reason": "Review cycle is set by the new police data rulebook, due in Q3.",
        "owner": "DPO office",
        "approved_by": "Head of legal",
        "expires": "2025-12-31",
        "source": "inline",
        "waived_status": "fail",
    }
    assert report["summary"]["waived"] == 1
    assert report["summary"]["fail"] == before["summary"]["fail"] - 1
    assert len(report["findings"]) == len(before["findings"])  # nothing hidden
    assert code == 1  # other gaps still fail
    assert TODAY.isoformat() not in json.dumps(report)  # the run date never enters the report


def test_waiving_every_gap_passes_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, before = _run(capsys, MOI)
    rules = [f["rule"] for f in before["findings"] if f["status"] in ("fail", "warn")]
    block = "waivers:\n" + "".join(
        f"  - {{rule: {r}, target: /, reason: accepted for the pilot, owner: DPO, approved_by: Minister, expires: 2030-01-01}}\n" for r in rules
    )
    code, report = _run(capsys, _doc_with(tmp_path, block))
    assert code == 0
    assert report["summary"]["waived"] == len(rules) and report["summary"]["verdict"] == "pass"


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("{rule: lpdp.54.13-review, target: /review, reason: r, owner: o, approved_by: a, expires: 2025-05-31}", "expired on 2025-05-31"),
        ("{rule: lpdp.54.13-review, target: /review, reason: r, owner: o, expires: 2030-01-01}", "missing approved_by"),
        ("{rule: lpdp.54.13-review, target: /review, owner: o, approved_by: a}", "missing reason"),
        ("{rule: lpdp.54.13-review, reason: r, owner: o, approved_by: a}", "no target"),
        ("{rule: lpdp.54.13-review, target: /review/next, reason: r, owner: o, approved_by: a}", "does not cover /review/schedule"),
    ],
)
def test_bad_waiver_fails_closed_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str, why: str) -> None:
    code, report = _run(capsys, _doc_with(tmp_path, f"waivers:\n  - {entry}\n"))
    f = _finding(report, "lpdp.54.13-review")
    assert f["status"] == "fail"
    assert "waiver" not in f
    assert f["note"].startswith("Waiver not applied") and why in f["note"] and "inline waiver 1" in f["note"]
    assert report["summary"]["waived"] == 0 and code == 1


@pytest.mark.parametrize(
    ("expires", "why"),
    [
        ("2025-13-45", "expires '2025-13-45' is not a date"),  # looks like a YAML date, is none
        ("2025-02-30", "expires '2025-02-30' is not a date"),
        ("soon", "expires 'soon' is not a date"),
        ("'next year'", "expires 'next year' is not a date"),
        ("[2030-01-01]", "is not a date"),
        ("2030", "expires 2030 is not a date"),
    ],
)
def test_malformed_expiry_in_the_dpia_fails_closed_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str], expires: str, why: str) -> None:
    """A bad date in an inline waiver refuses that waiver, not the whole DPIA (no exit 2)."""
    entry = f"{{rule: lpdp.54.13-review, target: /review, reason: r, owner: o, approved_by: a, expires: {expires}}}"
    code, report = _run(capsys, _doc_with(tmp_path, f"waivers:\n  - {entry}\n  - just text\n"))
    f = _finding(report, "lpdp.54.13-review")
    assert f["status"] == "fail" and code == 1
    assert f["note"].startswith("Waiver not applied") and why in f["note"] and "inline waiver 1" in f["note"]
    assert any(w["code"] == "waiver-malformed" and w["location"]["pointer"] == "/waivers/1" for w in report["warnings"])


def test_malformed_expiry_in_a_waivers_file_fails_closed_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wfile = tmp_path / "waivers.yaml"
    wfile.write_text(
        "waivers:\n"
        "  - {rule: lpdp.54.13-review, target: /review, reason: r, owner: o, approved_by: a, expires: 2025-13-45}\n"
        "  - {rule: lpdp.54.3-dpo-advice, target: /consultation, reason: r, owner: o, approved_by: a, expires: 2030-01-01}\n",
        encoding="utf-8",
    )
    code, report = _run(capsys, MOI, waivers=wfile)
    review = _finding(report, "lpdp.54.13-review")
    assert review["status"] == "fail" and "entry 1 (line 2): expires '2025-13-45' is not a date" in review["note"]
    assert _finding(report, "lpdp.54.3-dpo-advice")["status"] == "waived"  # the good entry still applies
    assert code == 1
    # elsewhere in a DPIA an impossible date stays an error
    bad = _doc_with(tmp_path, "").read_text(encoding="utf-8").replace("date: 2020-04-15", "date: 2020-13-45", 1)
    (tmp_path / "bad.dpia.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(InputError, match="cannot read value"):
        run_check(RunConfig(files=[tmp_path / "bad.dpia.yaml"], fmt="json", select=ART54, today=TODAY))


def test_today_decides_expiry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = _doc_with(tmp_path, VALID)
    assert _finding(_run(capsys, doc)[1], "lpdp.54.13-review")["status"] == "waived"
    code = run_check(RunConfig(files=[doc], fmt="json", select=ART54, today=dt.date(2026, 1, 1)))
    f = _finding(json.loads(capsys.readouterr().out), "lpdp.54.13-review")
    assert f["status"] == "fail" and "expired on 2025-12-31" in f["note"] and code == 1


def test_waivers_file_with_document_scope(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "moi.dpia.yaml"
    doc.write_text(MOI.read_text(encoding="utf-8"), encoding="utf-8")
    wfile = tmp_path / "waivers.yaml"
    wfile.write_text(
        "waivers:\n"
        "  - {rule: lpdp.54.3-dpo-advice, target: /consultation, reason: DPO appointed in May, owner: privacy team, approved_by: CISO, expires: 2030-01-01, document: moi.dpia.yaml}\n"
        "  - {rule: lpdp.54.13-review, target: /review, reason: other system, owner: x, approved_by: y, document: other.dpia.yaml}\n"
        "  - {rule: lpdp.99-nothing, target: /, reason: r, owner: o, approved_by: a}\n",
        encoding="utf-8",
    )
    _, report = _run(capsys, doc, waivers=wfile)
    dpo = _finding(report, "lpdp.54.3-dpo-advice")
    assert dpo["status"] == "waived" and dpo["waiver"]["source"].endswith("waivers.yaml")
    assert _finding(report, "lpdp.54.13-review")["status"] == "fail"  # scoped to another document
    codes = [w["code"] for w in report["warnings"]]
    assert "waiver-unknown-rule" in codes


def test_unused_inline_waiver_is_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    block = "waivers:\n  - {rule: lpdp.54.1-before-processing, target: /meta, reason: r, owner: o, approved_by: a}\n"
    text = MOI.read_text(encoding="utf-8").replace("processing_start: 2019-09-01", "processing_start: 2020-09-01")
    doc = tmp_path / "moi.dpia.yaml"
    doc.write_text(text + block, encoding="utf-8")
    _, report = _run(capsys, doc)
    assert _finding(report, "lpdp.54.1-before-processing")["status"] == "pass"
    assert any(w["code"] == "waiver-unused" and w["location"]["pointer"] == "/waivers/0" for w in report["warnings"])


def test_waivers_file_shapes(tmp_path: Path) -> None:
    plain = tmp_path / "a.yaml"
    plain.write_text("- {rule: lpdp.54.13-review, target: /, reason: r, owner: o, approved_by: a, expires: '2030-01-01'}\n", encoding="utf-8")
    [w] = waivers.load_file(plain)
    assert w.expires == dt.date(2030, 1, 1) and not w.problems and w.line == 1
    bad = tmp_path / "b.yaml"
    bad.write_text("rules: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'rules'"):
        waivers.load_file(bad)
    scalar = tmp_path / "c.yaml"
    scalar.write_text("just text\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a list"):
        waivers.load_file(scalar)
    with pytest.raises(InputError, match="not found"):
        waivers.load_file(tmp_path / "missing.yaml")


def test_entry_problems_are_recorded_not_raised() -> None:
    w = waivers.parse_entry({"rule": "x", "target": "risks/0", "reason": " ", "owner": "o", "approved_by": "a", "expires": "soon", "colour": "red"}, "w.yaml", 0)
    text = "; ".join(w.problems)
    assert "unknown key(s) colour" in text and "neither a JSON Pointer nor page:N" in text
    assert "missing reason" in text and "'soon' is not a date" in text


def _pdf_report(pages: list[int | None]) -> Report:
    ev = [Evidence(Location("dpia.pdf", page=p), "quote") for p in pages]
    f = Finding(
        rule="lpdp.54.6.3-risk-assessment", citation=Citation(54, 6, 3), status="fail", severity="high", title="t",
        message="m", remediation="r", evidence=ev, related={},
    )
    info = DocumentInfo(path="dpia.pdf", format="pdf", language="sr-Latn", title="T", pages=20, readable=True, sha256="")
    return Report(tool={}, document=info, findings=[f], fail_on="info", lang="en", regime={})


def test_page_target_for_pdf_evidence() -> None:
    entry = {"rule": "lpdp.54.6.3-risk-assessment", "target": "page:12", "reason": "r", "owner": "o", "approved_by": "a"}
    report = _pdf_report([12, 12])
    waivers.apply(report, [waivers.parse_entry(entry, "w.yaml", 0)], today=TODAY)
    assert report.findings[0].status == "waived" and not report.failing()
    report = _pdf_report([12, 13])
    waivers.apply(report, [waivers.parse_entry(entry, "w.yaml", 0)], today=TODAY)
    assert report.findings[0].status == "fail" and "does not cover page 13" in (report.findings[0].note or "")


def test_a_target_that_no_longer_exists_is_named_in_the_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The section a waiver pointed at was renamed: the waiver fails closed and the note says the
    target is gone (not just that it does not cover the finding). An absent field that is itself
    the gap can still be waived by its pointer."""
    block = (
        "waivers:\n"
        "  - {rule: lpdp.54.3-dpo-advice, target: /consultation/dpo_opinion, reason: r, owner: o, approved_by: a}\n"
        "  - {rule: lpdp.54.13-review, target: /review, reason: r, owner: o, approved_by: a}\n"
    )
    code, report = _run(capsys, _doc_with(tmp_path, block))
    dpo = _finding(report, "lpdp.54.3-dpo-advice")
    assert dpo["status"] == "fail" and "target /consultation/dpo_opinion (not in this document" in dpo["note"]
    assert "\nreview:" not in MOI.read_text(encoding="utf-8")  # the section is absent ...
    assert _finding(report, "lpdp.54.13-review")["status"] == "waived"  # ... and its absence is what is waived
    assert code == 1
