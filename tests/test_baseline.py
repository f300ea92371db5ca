"""Baselines: known gaps stay in the report but fail only when new; fingerprints are stable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dpia_check import baseline
from dpia_check.errors import InputError
from dpia_check.run import RunConfig, run_check

ROOT = Path(__file__).resolve().parent.parent
MOI = ROOT / "samples" / "moi-2020.dpia.yaml"
ART54 = ["art54"]


pytestmark = pytest.mark.usefixtures("no_machine_config")  # no user config or DPIA_CHECK_CONFIG leaks in


def _report(capsys: pytest.CaptureFixture[str], path: Path, **kw: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = run_check(RunConfig(files=[path], fmt="json", select=ART54, **kw))  # type: ignore[arg-type]
    return code, json.loads(capsys.readouterr().out)


def _fps(report: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {f["rule"]: f["fingerprint"] for f in report["findings"]}


def test_fingerprints_survive_moved_lines_and_a_renamed_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, original = _report(capsys, MOI)
    text = MOI.read_text(encoding="utf-8")
    moved = tmp_path / "elsewhere" / "renamed-2020.yaml"
    moved.parent.mkdir()
    head, sep, rest = text.partition("dpia_format: 1\n")
    moved.write_text(head + sep + "# a comment\n# and another\n\n" + rest, encoding="utf-8")
    _, shifted = _report(capsys, moved)
    # lines really moved ...
    line = lambda r: next(f for f in r["findings"] if f["rule"] == "lpdp.54.6.4-measures")["evidence"][0]["location"]["line"]  # noqa: E731
    assert line(shifted) == line(original) + 3
    # ... and the fingerprints did not
    assert _fps(shifted) == _fps(original)


def test_fingerprint_changes_when_the_content_behind_a_gap_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, original = _report(capsys, MOI)
    text = MOI.read_text(encoding="utf-8")
    old = "Appropriate technical and organisational measures will be applied."
    assert old in text
    changed = tmp_path / "moi.dpia.yaml"
    changed.write_text(text.replace(old, "Appropriate measures will be applied where needed."), encoding="utf-8")
    _, after = _report(capsys, changed)
    a, b = _fps(original), _fps(after)
    assert a["lpdp.54.6.4-measures"] != b["lpdp.54.6.4-measures"]
    assert a["lpdp.54.13-review"] == b["lpdp.54.13-review"]


def test_write_then_use_a_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "moi.dpia.yaml"
    doc.write_text(MOI.read_text(encoding="utf-8"), encoding="utf-8")
    base = tmp_path / "baseline.json"
    code, written = _report(capsys, doc, write_baseline=base)
    assert code == 0  # everything just recorded is known
    data = json.loads(base.read_text(encoding="utf-8"))
    fails = [f for f in written["findings"] if f["status"] in ("fail", "warn")]
    assert data["dpia_check_baseline"] == 1 and len(data["findings"]) == len(fails)
    assert data["findings"] == sorted(data["findings"], key=lambda e: (e["document"], e["rule"], e["fingerprint"]))

    code, again = _report(capsys, doc, baseline=base)
    assert code == 0
    assert all(f.get("baseline") is True and "known gap" in f["note"] for f in again["findings"] if f["status"] in ("fail", "warn"))
    assert again["summary"]["fail"] + again["summary"]["warn"] == len(fails)  # still reported
    assert again["summary"]["verdict"] == "pass"

    # a new gap (a risk loses its rating) fails the run on its own; the known ones stay quiet
    worse = doc.read_text(encoding="utf-8").replace("    likelihood: low\n    severity: medium\n", "")
    assert worse != doc.read_text(encoding="utf-8")
    doc.write_text(worse, encoding="utf-8")
    code, report = _report(capsys, doc, baseline=base)
    new_fails = [f["rule"] for f in report["findings"] if f["status"] == "fail" and not f.get("baseline")]
    assert "lpdp.54.6.3-risk-rated" in new_fails
    assert "lpdp.54.13-review" not in new_fails
    assert code == 1


def test_same_baseline_file_is_written_byte_for_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    _report(capsys, MOI, write_baseline=a)
    _report(capsys, MOI, write_baseline=b)
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.parametrize(
    ("text", "needle"),
    [("{not json", "not valid JSON"), ('{"findings": []}', "not a dpia-check baseline"), ('{"dpia_check_baseline": 1, "findings": [{}]}', "no fingerprint")],
)
def test_bad_baseline_is_an_input_error(tmp_path: Path, text: str, needle: str) -> None:
    p = tmp_path / "b.json"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=needle):
        baseline.load(p)


def test_missing_baseline_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="baseline file not found"):
        baseline.load(tmp_path / "nope.json")


def test_a_blank_line_at_the_top_keeps_every_fingerprint(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The issue's own example: lines move, the baseline still knows every gap."""
    base = tmp_path / "b.json"
    _report(capsys, MOI, write_baseline=base)
    shifted = tmp_path / "moi.dpia.yaml"
    shifted.write_text("\n" + MOI.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    code, report = _report(capsys, shifted, baseline=base)
    assert code == 0 and report["summary"]["verdict"] == "pass"
    assert all(f.get("baseline") for f in report["findings"] if f["status"] in ("fail", "warn"))


def test_baseline_records_the_rule_set_and_warns_when_it_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from dpia_check.rules import load_ruleset

    ruleset = load_ruleset()
    base = tmp_path / "b.json"
    _report(capsys, MOI, write_baseline=base)
    data = json.loads(base.read_text(encoding="utf-8"))
    assert (data["ruleset"], data["ruleset_version"]) == (ruleset.id, ruleset.version)
    assert list(data) == ["dpia_check_baseline", "ruleset", "ruleset_version", "findings"]
    def run(path: Path) -> tuple[int, str]:
        code = run_check(RunConfig(files=[MOI], fmt="json", select=ART54, baseline=path))
        return code, capsys.readouterr().err

    assert "warning" not in run(base)[1]  # same rule set: nothing to say

    # an older rule set: another version, and a rule that was renamed since
    data["ruleset_version"] = "2019.1"
    data["findings"][0] = {**data["findings"][0], "rule": "lpdp.54.6.3-old-name", "fingerprint": "0" * 32}
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    code, err = run(old)
    assert f"rule set {ruleset.id} 2019.1, this run uses {ruleset.version}" in err and "lpdp.54.6.3-old-name" in err
    assert "--write-baseline" in err and len(err.strip().splitlines()) == 1
    assert code == 1  # the gap whose fingerprint is not recorded fails closed: it counts as new
    # a baseline written before the version was recorded still gets the renamed-rule warning
    del data["ruleset_version"]
    old.write_text(json.dumps(data), encoding="utf-8")
    err = run(old)[1]
    assert "1 rule(s) this rule set does not have" in err and "2019.1" not in err


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        (b"[" * 100_000, "nested too deeply"),
        (b'{"dpia_check_baseline": 1, "findings": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "nested too deeply"),
        (b"\xff\xfe{", "UTF-16"),
        (b"\x80 not text", "not valid UTF-8"),
    ],
)
def test_hostile_baseline_is_one_clear_error(tmp_path: Path, raw: bytes, needle: str) -> None:
    p = tmp_path / "b.json"
    p.write_bytes(raw)
    with pytest.raises(InputError, match=needle):
        baseline.load(p)
    with pytest.raises(InputError, match="is a directory"):
        baseline.load(tmp_path)


def test_baseline_over_the_size_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(baseline, "MAX_BYTES", 1_000)
    p = tmp_path / "b.json"
    p.write_text('{"dpia_check_baseline": 1, "findings": []}' + " " * 1_000, encoding="utf-8")
    with pytest.raises(InputError, match="this is not a dpia-check baseline"):
        baseline.load(p)


def test_baseline_saved_with_a_byte_order_mark_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = tmp_path / "b.json"
    _report(capsys, MOI, write_baseline=base)
    expected = baseline.load(base)
    for encoding in ("utf-8-sig", "utf-16"):
        base.write_bytes(base.read_text(encoding="utf-8-sig" if encoding == "utf-16" else "utf-8").encode(encoding))
        assert baseline.load(base) == expected
        base.write_bytes(base.read_bytes().decode(encoding).encode("utf-8"))
