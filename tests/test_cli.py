"""The core CLI: check, exit codes, JSON contract, schema, init, rules list, explain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dpia_check.cli import app
from tests.conftest import ROOT, SAMPLES

runner = CliRunner()
SOUND = SAMPLES / "hospital-booking.dpia.yaml"
MOI = SAMPLES / "moi-2020.dpia.yaml"


def _json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    res = runner.invoke(app, ["check", *args, "--format", "json"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    return res.exit_code, json.loads(res.stdout)


def test_sound_sample_exits_zero_and_deficient_exits_one() -> None:
    assert runner.invoke(app, ["check", str(SOUND)]).exit_code == 0
    assert runner.invoke(app, ["check", str(MOI)]).exit_code == 1


def test_json_report_follows_the_contract() -> None:
    code, rep = _json(str(MOI))
    assert code == 1
    assert set(rep) >= {"tool", "document", "summary", "findings"}
    assert rep["tool"]["name"] == "dpia-check" and rep["tool"]["ruleset"] == "lpdp"
    assert rep["document"]["format"] == "yaml" and rep["document"]["readable"] is True
    assert set(rep["summary"]) >= {"fail", "warn", "pass", "not_applicable", "manual", "waived", "verdict"}
    assert rep["summary"]["verdict"] == "fail"
    statuses = {"fail", "warn", "pass", "not_applicable", "manual", "waived"}
    severities = {"critical", "high", "medium", "low", "info"}
    keys = []
    for f in rep["findings"]:
        assert f["status"] in statuses and f["severity"] in severities
        c = f["citation"]
        assert c["law"] == "LPDP" and isinstance(c["article"], int)
        assert c["paragraph"] is None or isinstance(c["paragraph"], int)
        assert c["point"] is None or isinstance(c["point"], int)
        for e in f["evidence"]:
            loc = e["location"]
            assert set(loc) == {"path", "page", "line", "pointer"}
            if e["quote"] is None:
                assert loc["line"] is None and loc["page"] is None
            else:
                assert isinstance(loc["line"], int) and loc["pointer"].startswith("/")
        keys.append((c["article"], c["paragraph"] or 0, c["point"] or 0, f["rule"]))
    assert keys == sorted(keys), "findings must be ordered by article, paragraph, point, rule id"


def test_evidence_points_at_the_yaml_line() -> None:
    _, rep = _json(str(MOI))
    f = next(f for f in rep["findings"] if f["rule"] == "lpdp.54.1-before-processing")
    lines = MOI.read_text(encoding="utf-8").splitlines()
    ev = f["evidence"][0]
    assert ev["location"]["pointer"] == "/meta/date"
    assert lines[ev["location"]["line"] - 1].strip().startswith("date:")


def test_fail_on_threshold() -> None:
    code, rep = _json(str(MOI), "--fail-on", "critical")
    failing = [f for f in rep["findings"] if f["status"] == "fail" and f["severity"] == "critical"]
    assert code == (1 if failing else 0)
    assert rep["summary"]["verdict"] == ("fail" if failing else "pass")
    code_info, _ = _json(str(MOI), "--fail-on", "info")
    assert code_info == 1


def test_bad_fail_on_value_is_a_usage_error() -> None:
    res = runner.invoke(app, ["check", str(SOUND), "--fail-on", "fatal"])
    assert res.exit_code == 2


def test_same_input_same_bytes() -> None:
    a = runner.invoke(app, ["check", str(MOI), "-f", "json"]).stdout
    b = runner.invoke(app, ["check", str(MOI), "-f", "json"]).stdout
    assert a == b


def test_schema_is_valid_json_schema_and_accepts_the_samples() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    res = runner.invoke(app, ["schema"])
    schema = json.loads(res.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    import yaml

    for sample in sorted(SAMPLES.glob("*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(sample.read_text(encoding="utf-8")), default=str))
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        assert not errors, f"{sample.name}: {errors[0].message}"


@pytest.mark.parametrize("lang", ["en", "sr-Latn", "sr-Cyrl"])
def test_init_writes_a_skeleton_that_checks_with_only_fill_in_gaps(tmp_path: Path, lang: str) -> None:
    target = tmp_path / "new.dpia.yaml"
    res = runner.invoke(app, ["init", str(target), "--lang", lang])
    assert res.exit_code == 0, res.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    code, rep = _json(str(target))
    assert code == 1
    assert rep["warnings"] == []
    marker = "TODO" if lang == "en" else "POPUNITI"
    for f in rep["findings"]:
        if f["status"] not in ("fail", "manual", "warn"):
            continue
        # every gap is about an empty field or a fill-in marker, never a parse problem
        for e in f["evidence"]:
            assert e["quote"] is None or marker in e["quote"] or e["location"]["pointer"] is not None
    # a second init refuses to overwrite
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code != 0


def test_rules_list_json_gives_id_and_citation() -> None:
    res = runner.invoke(app, ["rules", "list", "--format", "json"])
    data = json.loads(res.stdout)
    assert data["ruleset"]["id"] == "lpdp"
    ids = [r["id"] for r in data["rules"]]
    assert len(ids) == len(set(ids)) and "lpdp.54.6.3-risk-assessment" in ids
    for r in data["rules"]:
        assert isinstance(r["citation"]["article"], int) and r["citation"]["text"].startswith("Art. ")


def test_explain_shows_law_fix_and_examples() -> None:
    res = runner.invoke(app, ["explain", "lpdp.54.6.3-risk-assessment"])
    assert res.exit_code == 0
    out = res.stdout
    for needle in ("Art. 54(6)(3)", "What the law requires", "How to fix", "Passing example", "Failing example"):
        assert needle in out
    sr = runner.invoke(app, ["explain", "lpdp.54.6.3-risk-assessment", "--lang", "sr-Cyrl"]).stdout
    assert "Како исправити" in sr


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dpia_check", *args], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_python_dash_m_and_input_errors_are_one_line_exit_two(tmp_path: Path) -> None:
    ok = _cli("check", str(SOUND), "--format", "json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["summary"]["verdict"] == "pass"
    bad = tmp_path / "bad.yaml"
    bad.write_text("meta:\n  title: x\n  title: y\n", encoding="utf-8")
    for args, words in (
        (("check", str(tmp_path / "missing.yaml")), "no such file"),
        (("check", str(tmp_path)), "directory"),
        (("check", str(bad)), "duplicate key"),
        (("explain", "lpdp.99-nothing"), "no such rule"),
    ):
        res = _cli(*args)
        assert res.returncode == 2, res.stderr
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and "Traceback" not in res.stderr


def test_output_without_a_format_takes_it_from_the_extension(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`-o report.sarif` with no --format (and none in a config) writes SARIF, not the terminal
    text; a format given on purpose is kept (`-f text -o notes.json` stays text)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("DPIA_CHECK_CONFIG", raising=False)
    outs = {ext: tmp_path / f"r{ext}" for ext in (".sarif", ".json", ".md", ".xml", ".txt")}
    args = ["check", str(MOI)] + [a for p in outs.values() for a in ("-o", str(p))]
    assert runner.invoke(app, args).exit_code == 1
    assert json.loads(outs[".sarif"].read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert json.loads(outs[".json"].read_text(encoding="utf-8"))["summary"]["verdict"] == "fail"
    assert outs[".md"].read_text(encoding="utf-8").startswith("# ")
    assert outs[".xml"].read_text(encoding="utf-8").startswith("<?xml")
    assert "Verdict: FAIL" in outs[".txt"].read_text(encoding="utf-8")
    kept = tmp_path / "notes.json"
    assert runner.invoke(app, ["check", str(MOI), "-f", "text", "-o", str(kept)]).exit_code == 1
    assert "Verdict: FAIL" in kept.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("firm.md.j2", ["--format", "json"]),
        ("firm.md.j2", ["--format", "md", "--summary"]),
        ("firm.html.j2", ["--format", "md"]),
    ],
)
def test_a_template_no_output_uses_is_an_error(tmp_path: Path, name: str, args: list[str]) -> None:
    """A firm's template that the chosen output never renders would be silently ignored."""
    template = tmp_path / name
    template.write_text("{{ memo.lang }}\n", encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "dpia_check", "check", str(SAMPLES / "hospital-booking.dpia.yaml"), "--template", str(template), *args],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert res.returncode == 2 and res.stdout == ""
    (line,) = res.stderr.strip().splitlines()
    assert "template is not used by" in line and name in line


_ENTRY_SCRIPT = """
import atexit, pathlib, sys
marker = pathlib.Path(sys.argv[1])
atexit.register(lambda: marker.write_text("handlers ran"))
sys.argv = ["dpia-check", *sys.argv[2:]]
from dpia_check.cli import entry
entry()
print("not reached")
"""


@pytest.mark.parametrize(
    ("args", "code"),
    [(["check", str(MOI), "--format", "json"], 1), (["check", str(SOUND), "--format", "json"], 0), (["check", "nothere.yaml"], 2), (["--version"], 0)],
)
def test_the_command_exits_quickly_with_its_output_and_code(tmp_path: Path, args: list[str], code: int) -> None:
    """entry() skips the interpreter's teardown: the exit code, every byte of output and
    the atexit handlers must survive that."""
    marker = tmp_path / "atexit.txt"
    res = subprocess.run([sys.executable, "-c", _ENTRY_SCRIPT, str(marker), *args], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert res.returncode == code, res.stderr
    assert marker.read_text() == "handlers ran"
    assert "not reached" not in res.stdout
    if "json" in args:
        assert json.loads(res.stdout)["summary"]["verdict"] == ("fail" if code else "pass")
    if code == 2:
        assert res.stderr.startswith("dpia-check: error: nothere.yaml")


def test_exit_code_of_a_system_exit_is_what_python_makes_of_it(capsys: pytest.CaptureFixture[str]) -> None:
    from dpia_check.cli import _exit_code

    assert (_exit_code(None), _exit_code(0), _exit_code(3)) == (0, 0, 3)
    assert _exit_code("went wrong") == 1 and capsys.readouterr().err == "went wrong\n"


@pytest.mark.parametrize(("args", "code"), [(["--version"], 0), (["check", str(MOI)], 1)])
def test_a_reader_gone_before_the_output_is_flushed_leaves_the_exit_code(args: list[str], code: int) -> None:
    """A short output (the version line) sits in stdout's buffer until the quick exit flushes
    it; if the reader has already gone, that flush fails, and the code must not change."""
    proc = subprocess.Popen([sys.executable, "-m", "dpia_check", *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # gone before anything was read
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=60) == code, err
    assert err == ""
