"""Same input, same bytes: reports do not depend on hash seeds, dict or set order.

Two fresh interpreters with different ``PYTHONHASHSEED`` values check every sample and
write every text report format the registry knows (JSON always; SARIF, Markdown, HTML,
JUnit, ... when they are registered). The outputs must be byte-identical. A second test
does the same for a batch run over the samples folder (parallel workers, combined report).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from dpia_check.report.registry import FORMATS
from tests.conftest import ROOT, SAMPLES

SAMPLE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in SAMPLES.glob("*.yaml"))
# text formats only: pdf/docx need a browser or an optional package and are not byte-stable by design
TEXT_FORMATS = sorted(name for name, fmt in FORMATS.items() if not fmt.binary)

# One interpreter per seed renders every sample in every format through the CLI's main().
_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from dpia_check.cli import main

    out, formats, samples = Path(sys.argv[1]), sys.argv[2].split(","), sys.argv[3:]
    for sample in samples:
        stem = Path(sample).name.split(".")[0]
        args = [a for f in formats for a in ("-o", f"{f}={out / (stem + '.' + f)}")]
        sys.argv = ["dpia-check", "check", sample, "--format", "json", "--no-color", *args]
        try:
            main()
        except SystemExit as exc:
            if exc.code not in (0, 1):
                raise SystemExit(f"{sample}: exit {exc.code}")
    """
)


def _env(seed: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DPIA_CHECK", "PYTHONPATH"))}
    env.update(PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(home / "xdg"), COLUMNS="100", TZ="UTC")
    return env


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _first_difference(a: bytes, b: bytes) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"byte {i}: {a[max(0, i - 60):i + 60]!r} vs {b[max(0, i - 60):i + 60]!r}"


def _compare(one: Path, two: Path) -> None:
    first, second = _tree(one), _tree(two)
    assert first, "nothing was written"
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], f"{name} differs between hash seeds at {_first_difference(first[name], second[name])}"


def test_the_format_list_is_not_empty() -> None:
    assert "json" in TEXT_FORMATS and SAMPLE_FILES


def test_every_format_is_byte_identical_across_hash_seeds(tmp_path: Path) -> None:
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        out.mkdir()
        proc = subprocess.run(
            [sys.executable, "-c", _SCRIPT, str(out), ",".join(TEXT_FORMATS), *SAMPLE_FILES],
            cwd=ROOT, env=_env(seed, tmp_path), capture_output=True, text=True, timeout=120,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
    _compare(tmp_path / "seed1", tmp_path / "seed2")
    assert len(_tree(tmp_path / "seed1")) == len(SAMPLE_FILES) * len(TEXT_FORMATS)


def test_a_batch_report_is_byte_identical_across_hash_seeds_and_workers(tmp_path: Path) -> None:
    fmt = "json"
    for seed, jobs in (("1", "1"), ("2", "2")):
        out = tmp_path / f"seed{seed}"
        out.mkdir()
        proc = subprocess.run(
            [sys.executable, "-m", "dpia_check", "check", "samples", "--jobs", jobs, "-f", fmt, "-o", str(out / f"all.{fmt}")],
            cwd=ROOT, env=_env(seed, tmp_path), capture_output=True, text=True, timeout=120,
        )
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
    _compare(tmp_path / "seed1", tmp_path / "seed2")
