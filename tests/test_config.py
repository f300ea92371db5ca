"""Config discovery, precedence, validation and `config show`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dpia_check.cli import app
from dpia_check.config import ENV_VAR, load_settings, start_folder
from dpia_check.errors import InputError
from dpia_check.run import RunConfig, run_check

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


pytestmark = pytest.mark.usefixtures("no_machine_config")  # no user config or DPIA_CHECK_CONFIG leaks in


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "dpias" / "team").mkdir(parents=True)
    (repo / "dpias" / "team" / "a.dpia.yaml").write_text((SAMPLES / "hospital-booking.dpia.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return repo


def test_defaults_when_no_config_anywhere(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    s = load_settings([repo / "dpias/team/a.dpia.yaml"])
    assert s["fail_on"] == "info" and s["format"] == "text" and s["lang"] == "en"
    assert all(s.origin(k).label == "default" for k in s.values)
    assert s.files == []


def test_nearest_project_file_wins_searching_up_to_repo_root(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".dpia-check.yaml").write_text("fail_on: low\nlang: sr-Latn\n", encoding="utf-8")
    (repo / "dpias" / ".dpia-check.yaml").write_text("fail_on: high\n", encoding="utf-8")
    s = load_settings([repo / "dpias/team/a.dpia.yaml"])
    # the nearer file is used whole; the farther one is not merged in
    assert s["fail_on"] == "high"
    assert s["lang"] == "en"
    assert s.origin("fail_on").line == 1
    assert s.origin("fail_on").path is not None and s.origin("fail_on").path.endswith("dpias/.dpia-check.yaml")


def test_search_stops_at_the_repository_root(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (tmp_path / ".dpia-check.yaml").write_text("fail_on: critical\n", encoding="utf-8")  # outside the repo
    s = load_settings([repo / "dpias/team/a.dpia.yaml"])
    assert s["fail_on"] == "info"


def test_precedence_cli_over_explicit_over_project_over_pyproject_over_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    user = tmp_path / "xdg" / "dpia-check"
    user.mkdir(parents=True)
    (user / "config.yaml").write_text("fail_on: low\nlang: sr-Cyrl\nformat: json\njobs: 3\nselect: [art54]\n", encoding="utf-8")
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.dpia-check]\nfail_on = "medium"\nlang = "sr-Latn"\nformat = "json"\njobs = 2\n', encoding="utf-8")
    (repo / ".dpia-check.yaml").write_text("fail_on: high\nformat: text\njobs: 1\n", encoding="utf-8")
    explicit = tmp_path / "ci.yaml"
    explicit.write_text("fail_on: critical\njobs: 4\n", encoding="utf-8")
    target = [repo / "dpias/team/a.dpia.yaml"]

    s = load_settings(target, cli={"jobs": 5}, explicit=explicit)
    assert (s["jobs"], s.origin("jobs").label) == (5, "command line (--jobs)")
    assert s["fail_on"] == "critical" and s.origin("fail_on").label.startswith("--config")
    assert s["format"] == "text" and s.origin("format").label.startswith("project config")
    assert s["lang"] == "sr-Latn" and s.origin("lang").label.endswith("pyproject.toml:6")
    assert s["select"] == ["art54"] and s.origin("select").label.startswith("user config")
    assert len(s.files) == 4

    # DPIA_CHECK_CONFIG is used when --config is not given, and --config beats it
    monkeypatch.setenv(ENV_VAR, str(explicit))
    assert load_settings(target)["fail_on"] == "critical"
    other = tmp_path / "other.yaml"
    other.write_text("fail_on: low\n", encoding="utf-8")
    assert load_settings(target, explicit=other)["fail_on"] == "low"


def test_pyproject_subtable_and_hyphenated_keys(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "pyproject.toml").write_text('[tool.dpia-check]\nfail-on = "high"\n\n[tool.dpia-check.severity]\n"lpdp.54.13-review" = "high"\n', encoding="utf-8")
    s = load_settings([repo / "dpias"])
    assert s["fail_on"] == "high"
    assert s["severity"] == {"lpdp.54.13-review": "high"}
    assert s.origin("severity").line == 4


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        ("fail_on: high\nfial_on: low\n", "unknown setting 'fial_on'", 2),
        ("lang: en\nfail_on: severe\n", "fail_on must be one of", 2),
        ("jobs: 0\n", "jobs must be", 1),
        ("format: docx2\n", "unknown format", 1),
        ("severity: {lpdp.54.13-review: urgent}\n", "must be one of", 1),
        ("- just a list\n", "must be a mapping", 1),
    ],
)
def test_bad_config_is_an_input_error_naming_file_and_line(tmp_path: Path, text: str, needle: str, line: int) -> None:
    repo = _repo(tmp_path)
    (repo / ".dpia-check.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_settings([repo / "dpias"])
    assert needle in str(err.value)
    assert err.value.line == line
    assert err.value.path.endswith(".dpia-check.yaml")


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".dpia-check.yaml").write_text("waiver: w.yaml\n", encoding="utf-8")
    with pytest.raises(InputError, match="did you mean 'waivers'"):
        load_settings([repo / "dpias"])


def test_missing_explicit_config_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InputError, match="config file not found"):
        load_settings([tmp_path], explicit=tmp_path / "nope.yaml")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "nope.yaml"))
    with pytest.raises(InputError, match=ENV_VAR):
        load_settings([tmp_path])


def test_paths_in_a_config_file_are_relative_to_that_file(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".dpia-check.yaml").write_text("waivers: policy/waivers.yaml\noutputs: [json=out/report.json]\n", encoding="utf-8")
    s = load_settings([repo / "dpias/team/a.dpia.yaml"])
    assert Path(s["waivers"]).resolve() == (repo / "policy/waivers.yaml").resolve()
    fmt, _, path = s["outputs"][0].partition("=")
    assert fmt == "json" and Path(path).resolve() == (repo / "out/report.json").resolve()


def test_start_folder_is_the_common_folder_of_the_targets(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / "other").mkdir()
    assert start_folder([repo / "dpias/team/a.dpia.yaml"]) == (repo / "dpias/team").resolve()
    assert start_folder([repo / "dpias/team/a.dpia.yaml", repo / "other"]) == repo.resolve()
    assert start_folder([f"{repo}/dpias/**/*.yaml"]) == (repo / "dpias").resolve()


def test_check_takes_threshold_and_selection_from_the_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path)
    doc = repo / "dpias" / "moi.dpia.yaml"
    doc.write_text((SAMPLES / "moi-2020.dpia.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (repo / ".dpia-check.yaml").write_text("select: [lpdp.54.13-review]\nfail_on: medium\nformat: json\n", encoding="utf-8")
    code = run_check(RunConfig(files=[doc]))
    report = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in report["findings"]] == ["lpdp.54.13-review"]
    assert report["summary"]["fail_on"] == "medium"
    assert report["findings"][0]["severity"] == "low" and code == 0  # a low gap under a medium threshold
    # the command line beats the config
    assert run_check(RunConfig(files=[doc], fail_on="low")) == 1


def test_config_show_prints_values_and_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    (repo / ".dpia-check.yaml").write_text("fail_on: high\nignore: art54.13\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    runner = CliRunner()
    res = runner.invoke(app, ["config", "show", "dpias"])
    assert res.exit_code == 0, res.output
    line = next(x for x in res.output.splitlines() if x.startswith("fail_on"))
    assert "high" in line and ".dpia-check.yaml:1" in line
    assert "default" in next(x for x in res.output.splitlines() if x.startswith("lang"))
    res = runner.invoke(app, ["config", "show", "dpias", "--format", "json"])
    data = json.loads(res.output)
    assert data["settings"]["ignore"] == {"value": ["art54.13"], "source": "project config .dpia-check.yaml:2"}
    assert data["files"] == [".dpia-check.yaml"]


def test_hostile_pyproject_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pyproject.toml arrives with the pull request: deep nesting or a huge file is an
    InputError (exit 2), never a RecursionError traceback (exit 1, read as "findings")."""
    import dpia_check.load

    repo = _repo(tmp_path)
    py = repo / "pyproject.toml"
    py.write_text("[tool.dpia-check]\nfail_on = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply") as err:
        load_settings([repo / "dpias"])
    assert err.value.path.endswith("pyproject.toml")
    monkeypatch.setattr(dpia_check.load, "SETTINGS_FILE_LIMIT", 1_000)
    py.write_text('[tool.dpia-check]\nfail_on = "high"\n' + "# padding\n" * 200, encoding="utf-8")
    with pytest.raises(InputError, match="cannot be a settings file"):
        load_settings([repo / "dpias"])


def test_explicit_toml_without_the_table_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--config other.toml that has no [tool.dpia-check] must not silently apply nothing;
    a discovered pyproject.toml without it is simply not a config."""
    repo = _repo(tmp_path)
    other = tmp_path / "other.toml"
    other.write_text('[project]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"no \[tool.dpia-check\] table"):
        load_settings([repo / "dpias"], explicit=other)
    monkeypatch.setenv(ENV_VAR, str(other))
    with pytest.raises(InputError, match=r"no \[tool.dpia-check\] table"):
        load_settings([repo / "dpias"])
    monkeypatch.delenv(ENV_VAR)
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_settings([repo / "dpias"]).files == []


def test_isolated_reads_no_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A regulator checks a submission that ships its own .dpia-check.yaml switching rules off:
    --isolated ignores it (and pyproject, the user config, DPIA_CHECK_CONFIG)."""
    sub = tmp_path / "submission"
    sub.mkdir()
    (sub / "moi.dpia.yaml").write_text((SAMPLES / "moi-2020.dpia.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (sub / ".dpia-check.yaml").write_text("fail_on: critical\nignore: [art54, art55, art56, art5]\n", encoding="utf-8")
    (sub / "pyproject.toml").write_text('[tool.dpia-check]\nlang = "sr-Latn"\n', encoding="utf-8")
    (tmp_path / "xdg" / "dpia-check").mkdir(parents=True)
    (tmp_path / "xdg" / "dpia-check" / "config.yaml").write_text("format: md\n", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(sub / ".dpia-check.yaml"))
    tamed = load_settings([sub])
    assert tamed["fail_on"] == "critical" and tamed.files
    clean = load_settings([sub], isolated=True)
    assert clean.files == [] and all(clean.origin(k).label == "default" for k in clean.values)
    code = run_check(RunConfig(files=[sub / "moi.dpia.yaml"], fmt="json", isolated=True))
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["summary"]["fail_on"] == "info" and any(f["rule"].startswith("lpdp.54.") for f in report["findings"])
    res = CliRunner().invoke(app, ["config", "show", str(sub), "--isolated"])
    assert res.exit_code == 0 and "config files read (lowest precedence first): none" in res.stdout
    with pytest.raises(InputError, match="cannot be combined with --isolated"):
        load_settings([sub], explicit=sub / ".dpia-check.yaml", isolated=True)


def test_isolated_does_not_let_a_submission_waive_its_own_gaps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same DPIA with an inline waiver: honoured in a team's own run, set aside (and said
    so) under --isolated, where the finding fails again."""
    dpia = tmp_path / "sub.dpia.yaml"
    text = (SAMPLES / "moi-2020.dpia.yaml").read_text(encoding="utf-8")
    dpia.write_text(text + "\nwaivers:\n  - {rule: lpdp.5.1.2-no-open-ended, target: /, reason: Accepted by the board, owner: Legal, approved_by: Director, expires: 2999-01-01}\n", encoding="utf-8")

    def status(isolated: bool) -> tuple[str, list[str]]:
        run_check(RunConfig(files=[dpia], fmt="json", isolated=isolated))
        report = json.loads(capsys.readouterr().out)
        (finding,) = [f for f in report["findings"] if f["rule"] == "lpdp.5.1.2-no-open-ended"]
        return finding["status"], [w["code"] for w in report["warnings"]]

    honoured, codes = status(False)
    assert honoured == "waived" and "inline-waivers-ignored" not in codes
    isolated, codes = status(True)
    assert isolated == "fail" and "inline-waivers-ignored" in codes

