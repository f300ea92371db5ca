"""The pre-commit hook, the GitHub Action and the GitLab CI snippet: parsed, and their
commands run offline against the samples (a shim stands in for the installed script)."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dpia_check.config import ENV_VAR

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BASH = shutil.which("bash")


@pytest.fixture()
def shim_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has a ``dpia-check`` that runs this checkout."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "dpia-check"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT))} exec {shlex.quote(sys.executable)} -m dpia_check "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")
    env.pop("CI", None)
    return env


def _command(words: list[str]) -> list[str]:
    """The installed console script when it exists, else this interpreter's module."""
    if words[0] == "dpia-check" and shutil.which("dpia-check") is None:
        return [sys.executable, "-m", "dpia_check", *words[1:]]
    return words


# -- pre-commit --------------------------------------------------------------------------


def _hook() -> dict:  # type: ignore[type-arg]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    return next(h for h in hooks if h["id"] == "dpia-check")


def test_hook_definition() -> None:
    hook = _hook()
    assert hook["language"] == "python"
    assert shlex.split(hook["entry"])[:2] == ["dpia-check", "check"]
    pattern = re.compile(hook["files"])
    assert pattern.search("dpias/booking.dpia.yaml") and pattern.search("x.dpia.yml")
    assert not pattern.search("config.yaml") and not pattern.search("x.dpia.yaml.bak")


def test_hook_entry_runs_on_samples(tmp_path: Path) -> None:
    hook = _hook()
    samples = [SAMPLES / "hospital-booking.dpia.yaml", SAMPLES / "moi-2020.dpia.yaml"]
    argv = _command(shlex.split(hook["entry"])) + list(hook.get("args", [])) + [str(s) for s in samples]
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR} | {"XDG_CONFIG_HOME": str(tmp_path)}
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr  # the deficient Ministry DPIA fails the commit
    table = proc.stdout[proc.stdout.index("DPIAs checked"):]
    assert "hospital-booking.dpia.yaml" in table and "moi-2020.dpia.yaml" in table and "FAIL" in table and "pass" in table
    assert "\x1b[" not in proc.stdout  # no colour codes in hook output


# -- GitHub Action -----------------------------------------------------------------------


def _action() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _step(action: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(s for s in action["runs"]["steps"] if s.get("name") == name)


def test_action_definition() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"files", "fail-on", "args", "sarif-file"}
    install = _step(action, "Install dpia-check")
    assert '"${{ github.action_path }}"' in install["run"] and "pip install" in install["run"]
    upload = _step(action, "Upload SARIF")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    run = _step(action, "Run dpia-check")
    assert "${{" not in run["run"], "inputs must reach the script through env, never be pasted into it"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash"


def _run_action_step(action: dict, env: dict[str, str], cwd: Path, inputs: dict[str, str]) -> tuple[int, dict[str, str]]:  # type: ignore[type-arg]
    step = _step(action, "Run dpia-check")
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | inputs
    step_env = dict(env)
    for key, expr in step["env"].items():
        m = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", expr)
        assert m, expr
        step_env[key] = values[m.group(1)]
    out = cwd / "github_output"
    out.write_text("", encoding="utf-8")
    step_env["GITHUB_OUTPUT"] = str(out)
    assert BASH is not None
    proc = subprocess.run([BASH, "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=cwd, env=step_env, capture_output=True, text=True, timeout=120)
    outputs = dict(line.split("=", 1) for line in out.read_text(encoding="utf-8").splitlines() if "=" in line)
    return proc.returncode, outputs


@pytest.mark.skipif(BASH is None, reason="needs bash")
def test_action_run_step_writes_sarif_and_reports_the_exit_code(tmp_path: Path, shim_env: dict[str, str]) -> None:
    from dpia_check.report.registry import FORMATS

    if "sarif" not in FORMATS:
        pytest.skip("the sarif format is not registered in this build")
    work = tmp_path / "repo"
    (work / ".git").mkdir(parents=True)
    (work / "dpias").mkdir()
    shutil.copy(SAMPLES / "hospital-booking.dpia.yaml", work / "dpias")
    shutil.copy(SAMPLES / "moi-2020.dpia.yaml", work / "dpias")
    action = _action()

    code, outputs = _run_action_step(action, shim_env, work, {"files": "dpias", "args": "--select art54"})
    assert code == 0  # the step itself succeeds; the exit code travels as an output
    assert outputs["exit-code"] == "1"
    sarif = json.loads((work / "dpia-check.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    [run] = sarif["runs"]
    uris = {a["location"]["uri"] for a in run["artifacts"]}
    assert uris == {"dpias/hospital-booking.dpia.yaml", "dpias/moi-2020.dpia.yaml"}
    assert run["results"] and all(r["ruleId"].startswith("lpdp.54.") for r in run["results"])



# -- GitLab CI ---------------------------------------------------------------------------


def _gitlab_snippet() -> dict:  # type: ignore[type-arg]
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- gitlab-ci -->\s*```yaml\n(.*?)```", text, re.S)
    assert m, "docs/ci.md must hold the GitLab snippet after a <!-- gitlab-ci --> marker"
    return yaml.safe_load(m.group(1))


@pytest.mark.skipif(BASH is None, reason="needs bash")
def test_gitlab_snippet_parses_and_its_script_runs(tmp_path: Path, shim_env: dict[str, str]) -> None:
    from dpia_check.report.registry import FORMATS

    job = _gitlab_snippet()["dpia-check"]
    assert job["artifacts"]["when"] == "always"
    script = [line for line in job["script"] if not line.lstrip().startswith(("pip ", "python -m pip"))]
    assert any(line.startswith("dpia-check check") for line in script)
    needed = set(re.findall(r"(\w+)=\S+", " ".join(script))) & {"json", "junit", "sarif", "md"}
    if not needed <= set(FORMATS):
        pytest.skip("a format the snippet writes is not registered in this build")
    work = tmp_path / "repo"
    (work / ".git").mkdir(parents=True)
    shutil.copy(SAMPLES / "hospital-booking.dpia.yaml", work)
    shutil.copy(SAMPLES / "border-anpr.dpia.yaml", work)
    assert BASH is not None
    proc = subprocess.run([BASH, "-eo", "pipefail", "-c", "\n".join(script)], cwd=work, env=shim_env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for path in job["artifacts"]["paths"]:
        assert (work / path).is_file(), path
    report = json.loads((work / "dpia-report.json").read_text(encoding="utf-8"))
    assert report["summary"]["checked"] == 2
