"""Start-up stays cheap: commands that need no PDF, template or pydantic never import them.

Each command runs in a fresh interpreter (``python -m dpia_check`` through runpy) and
reports which modules it loaded. Importing pypdf, pypdfium2 or Jinja2 costs 50-100 ms
each and pydantic (typer 0.29+) about 100 ms, on every run; ``--help`` must not even
load rich (plain help) or the YAML parser, and checking one YAML file needs no process
pool (multiprocessing, ~20 ms). Nothing here is timed: the figures live in benchmarks/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOUND = ROOT / "samples" / "hospital-booking.dpia.yaml"

RUNNER = r"""
import atexit, json, runpy, sys
out, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["dpia-check", *args]


def dump():  # at exit, however the command ends it (the command leaves through os._exit)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"modules": sorted(sys.modules)}, fh)


atexit.register(dump)
runpy.run_module("dpia_check", run_name="__main__", alter_sys=True)
"""

HEAVY = ("pypdf", "pypdfium2", "jinja2", "pydantic", "reportlab", "docx")


def loaded(tmp_path: Path, *args: str) -> tuple[int, set[str]]:
    """Run one CLI command in a fresh interpreter; return its exit code and top-level modules."""
    out = tmp_path / "modules.json"
    res = subprocess.run(
        [sys.executable, "-c", RUNNER, str(out), json.dumps(args)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert out.is_file(), res.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    return res.returncode, {m.split(".")[0] for m in data["modules"]} | set(data["modules"])


@pytest.mark.parametrize(
    ("args", "also_forbidden"),
    [
        (("--help",), ("rich", "yaml", "dpia_check.engine", "dpia_check.rules")),
        (("--version",), ("rich", "yaml", "dpia_check.engine")),
        (("check", "--help"), ("rich", "yaml", "dpia_check.engine")),
        (("rules", "list"), ()),
        (("check", str(SOUND), "--format", "json"), ("rich", "multiprocessing")),
    ],
    ids=["help", "version", "check-help", "rules-list", "check-yaml-json"],
)
def test_command_does_not_import_heavy_modules(tmp_path: Path, args: tuple[str, ...], also_forbidden: tuple[str, ...]) -> None:
    code, modules = loaded(tmp_path, *args)
    assert code == 0, f"dpia-check {' '.join(args)} exited {code}"
    assert "dpia_check.cli" in modules  # the command really ran
    unexpected = sorted(m for m in (*HEAVY, *also_forbidden) if m in modules)
    assert not unexpected, f"dpia-check {' '.join(args)} imported {unexpected}; import them inside the function that needs them"


def test_help_is_plain_text_without_markup_escapes() -> None:
    """Help is rendered without rich (fast), so rich escapes such as ``\\[`` would show as-is."""
    for args in (["--help"], ["check", "--help"]):
        res = subprocess.run([sys.executable, "-m", "dpia_check", *args], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert res.returncode == 0, res.stderr
        assert "Usage:" in res.stdout
        assert "\\[" not in res.stdout and "[/" not in res.stdout, f"rich markup left in `{' '.join(args)}` help"
