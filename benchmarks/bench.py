#!/usr/bin/env python3
"""dpia-check benchmark: one run, one side-by-side table.

    python benchmarks/bench.py --quick     # ~1-2 minutes: 10/50-page PDFs, 200 YAML files
    python benchmarks/bench.py             # full: 10/50/200-page PDFs, 1,000 YAML files

Everything runs as separate processes, the way a user runs the tool, against this
checkout (``python -m dpia_check`` with the repository first on PYTHONPATH). Inputs are
generated on first use (benchmarks/gen_inputs.py) and kept in benchmarks/.inputs.

What it prints, with the issue's targets next to the figures:

* cold start: ``--help``, ``rules list``, ``check small.yaml --format json`` against a
  bare ``python -c "import typer"``;
* PDFs: each engine's bare extraction (a minimal script: import the engine, read every
  page's text) against the full ``dpia-check check --format json`` with that engine,
  the check's peak memory, and whether both engines gave the same verdicts;
* batch: 1,000 YAML DPIAs through the CLI's batch mode (when it exists) and through the
  library in one process.

Times are wall-clock medians of repeated runs; the machine may be noisy, so read the
ratios. Bytecode is cached under the inputs folder (PYTHONPYCACHEPREFIX) and warmed up
first, as it is for an installed tool. Peak memory is the largest resident set of the
process tree (``wait4``), so Unix only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import gen_inputs  # noqa: E402  (the sibling module, found through sys.path)

BARE_EXTRACT = {
    # what a minimal tool does: import the engine, read every page's text, nothing else
    "pypdfium2": (
        "import sys, pypdfium2 as pdfium\n"
        "doc = pdfium.PdfDocument(sys.argv[1])\n"
        "n = 0\n"
        "for i in range(len(doc)):\n"
        "    page = doc[i]; tp = page.get_textpage(); n += len(tp.get_text_range()); tp.close(); page.close()\n"
        "print(n)\n"
    ),
    "pypdf": (
        "import sys, pypdf\n"
        "print(sum(len(p.extract_text()) for p in pypdf.PdfReader(sys.argv[1]).pages))\n"
    ),
}


@dataclass
class Run:
    seconds: float
    peak_mb: float
    code: int
    cpu: float = 0.0  # user + system seconds of the process tree: steadier than wall time on a busy machine
    stdout: bytes = b""
    stderr: bytes = b""


@dataclass
class Row:
    section: str
    case: str
    value: str
    ratio: str = ""
    target: str = ""
    verdict: str = ""
    note: str = ""


@dataclass
class Bench:
    inputs: Path
    repeat: int
    env: dict[str, str] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.inputs / ".pycache")
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [env.get("PYTHONPATH")])])
        env.setdefault("COLUMNS", "120")
        self.env = env

    # -- running ------------------------------------------------------------

    def run(self, argv: list[str], capture: bool = False, cwd: Path | None = None) -> Run:
        """One process: wall time and peak resident memory of its tree."""
        # files, not pipes: nothing to drain while we wait, and wait4 reaps the child itself
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=out if capture else subprocess.DEVNULL, stderr=err, env=self.env, cwd=cwd or REPO)
            _, status, usage = os.wait4(proc.pid, 0)
            seconds = time.perf_counter() - start
            proc.returncode = code = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            return Run(seconds, usage.ru_maxrss / 1024, code, cpu=usage.ru_utime + usage.ru_stime, stdout=out.read(), stderr=err.read())

    def add(self, *args: Any, **kw: Any) -> None:
        row = Row(*args, **kw)
        self.rows.append(row)
        print(f"  {row.section:<10} {row.case:<44} {row.value:>10} {row.ratio:>7} {row.target:>8} {row.verdict:<4} {row.note}", file=sys.stderr, flush=True)


PY = sys.executable
CLI = [PY, "-m", "dpia_check"]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def judge(ratio: float, limit: float) -> str:
    return "ok" if ratio <= limit else "MISS"


def worked(r: Run) -> bool:
    """Exit 0 or 1 (findings) without a Python traceback."""
    return r.code in (0, 1) and b"Traceback (most recent call last)" not in r.stderr


def first_line(data: bytes) -> str:
    text = data.decode("utf-8", "replace").strip().splitlines()
    return text[-1][:110] if text else ""


def cli_help(b: Bench, *args: str) -> str:
    r = b.run([*CLI, *args, "--help"], capture=True)
    return r.stdout.decode("utf-8", "replace")


# ---------------------------------------------------------------------------
# sections
# ---------------------------------------------------------------------------


def cold_start(b: Bench, rounds: int) -> None:
    small = b.inputs / "small.yaml"
    moi = b.inputs / "moi-2020.yaml"
    cases = {
        "python -c pass": [PY, "-c", "pass"],
        'python -c "import typer"': [PY, "-c", "import typer"],
        "dpia-check --help": [*CLI, "--help"],
        "dpia-check rules list": [*CLI, "rules", "list"],
        "dpia-check check small.yaml --format json": [*CLI, "check", str(small), "--format", "json"],
        "dpia-check check moi-2020.yaml (text report)": [*CLI, "check", str(moi), "--no-color"],
    }
    for argv in cases.values():  # warm-up: compile bytecode into the cache
        b.run(argv)
    times: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(rounds):  # interleaved, so a noisy moment hits every case alike
        for name, argv in cases.items():
            times[name].append(b.run(argv).seconds)
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med['python -c "import typer"']
    targets = {"dpia-check --help": 1.5, "dpia-check check small.yaml --format json": 3.0}
    for name, t in med.items():
        ratio = t / base
        limit = targets.get(name)
        b.add("start-up", name, ms(t), f"{ratio:.2f}x", f"<= {limit}x" if limit else "", judge(ratio, limit) if limit else "")
    b.results["cold_start_ms"] = {k: round(v * 1000, 1) for k, v in med.items()}


def _statuses(payload: bytes) -> dict[str, str] | None:
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    reports = data if isinstance(data, list) else data.get("reports", [data]) if isinstance(data, dict) else []
    out: dict[str, str] = {}
    for rep in reports:
        for f in rep.get("findings", []) if isinstance(rep, dict) else []:
            out[f"{rep.get('document', {}).get('path', '')}:{f.get('rule')}"] = f.get("status")
    return out


def _valid_json_file(path: Path) -> bool:
    """Parse a (110 MB) batch report in a child process, never in this one.

    On Linux a process's peak RSS (ru_maxrss) survives fork and exec, so every later
    measured run would report at least this process's size: parsing the report here once
    made the next batch run show ~585 MB when it never used more than ~35 MB.
    """
    if not path.is_file():
        return False
    probe = "import json, sys\nwith open(sys.argv[1], 'rb') as fh:\n    json.load(fh)\n"
    return subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True).returncode == 0


def pdf_section(b: Bench, pages: list[int], langs: list[str], pypdf_pages: list[int], jobs_flag: bool, browser_pages: list[int]) -> None:
    """Each PDF: bare extraction against the full check, per engine, and the two engines'
    verdicts compared. Browser-printed PDFs (``-browser``) get the default engine's
    timing and the verdict comparison; pypdf's timing on them would add minutes and its
    target is already measured on the reportlab PDFs."""
    cpus = os.cpu_count() or 1
    b.results["pdf"] = []
    files = [(n, b.inputs / f"dpia-{lang}-{n}.pdf", False) for n in pages for lang in langs]
    for n in browser_pages:
        for lang in langs:
            pdf = b.inputs / f"dpia-{lang}-{n}-browser.pdf"
            if pdf.is_file():
                files.append((n, pdf, True))
            else:
                b.add("pdf", pdf.name, "n/a", note="not made: no Chromium-family browser (see benchmarks/README.md)")
    for n, pdf, printed in files:
        verdicts: dict[str, dict[str, str] | None] = {}
        for engine in ("pypdfium2", "pypdf"):
            if engine == "pypdf" and n not in pypdf_pages and not printed:
                continue
            verdict_only = engine == "pypdf" and printed
            reps = b.repeat if (engine == "pypdfium2" or n < 200) else 1
            bare_argv = [PY, "-c", BARE_EXTRACT[engine], str(pdf)]
            bare_runs = [] if verdict_only else [b.run(bare_argv)]
            argv = [*CLI, "check", str(pdf), "--format", "json", "--pdf-engine", engine]
            label = f"{pdf.name} {engine}"
            if engine == "pypdf" and jobs_flag:
                argv += ["--jobs", str(cpus)]
                label += f" --jobs {cpus}"
            first = b.run(argv, capture=True)
            if not worked(first) or _statuses(first.stdout) is None:
                bare = bare_runs[0].seconds if bare_runs else float("nan")
                b.add("pdf", label, "n/a", note=f"bare {ms(bare)}; check not available: {first_line(first.stderr)}")
                b.results["pdf"].append({"file": pdf.name, "engine": engine, "bare_ms": round(bare * 1000) if bare_runs else None, "check": None})
                continue
            verdicts[engine] = _statuses(first.stdout)
            if verdict_only:
                continue
            runs = [first]
            for _ in range(reps - 1):  # interleaved, so a busy moment hits both alike
                bare_runs.append(b.run(bare_argv))
                runs.append(b.run(argv))
            bare = statistics.median(r.seconds for r in bare_runs)
            bare_cpu = statistics.median(r.cpu for r in bare_runs)
            check = statistics.median(r.seconds for r in runs)
            check_cpu = statistics.median(r.cpu for r in runs)
            peak = max(r.peak_mb for r in runs)
            ratio = check / bare
            target, verdict = "", ""
            if n >= 200 and engine == "pypdfium2":
                target, verdict = "<= 1.3x", judge(ratio, 1.3)
            elif n >= 200 and engine == "pypdf":
                if cpus >= 2 and jobs_flag:
                    target, verdict = "<= 0.7x", judge(ratio, 0.7)
                else:
                    target = "<= 0.7x"
                    verdict = "n/a"
            note = f"bare {ms(bare)}; cpu {check_cpu / bare_cpu:.2f}x of bare's; peak {peak:.0f} MB"
            if n >= 200:
                note += " (<= 200 MB " + ("ok)" if peak <= 200 else "MISS)")
            b.add("pdf", label, ms(check), f"{ratio:.2f}x", target, verdict, note)
            b.results["pdf"].append({"file": pdf.name, "engine": engine, "bare_ms": round(bare * 1000), "check_ms": round(check * 1000),
                                     "ratio": round(ratio, 3), "cpu_ratio": round(check_cpu / bare_cpu, 3), "peak_mb": round(peak)})
        if len(verdicts) == 2:
            a, c = verdicts["pypdfium2"], verdicts["pypdf"]
            if a is None or c is None:
                same = "n/a (no JSON)"
            else:
                # paths differ only by nothing: same file; compare rule -> status
                diff = sorted(k.rsplit(":", 1)[-1] for k in set(a) | set(c) if a.get(k) != c.get(k))
                same = "same" if not diff else f"DIFFERENT: {', '.join(diff[:4])}{' ...' if len(diff) > 4 else ''}"
            b.add("pdf", f"{pdf.name} verdicts pypdfium2 vs pypdf", same, verdict="ok" if same == "same" else "BUG" if same.startswith("DIFF") else "")


def stages(b: Bench, pdf: Path) -> None:
    """Where the time of one default-engine check goes (in one process, warm)."""
    script = (
        "import sys, time, json\n"
        "from pathlib import Path\n"
        "t0 = time.perf_counter()\n"
        "from dpia_check.load.pdf import extract_pdf\n"
        "t1 = time.perf_counter(); extract_pdf(Path(sys.argv[1])); t2 = time.perf_counter()\n"
        "from dpia_check.load import load_document\n"
        "from dpia_check.engine import Engine, CheckOptions\n"
        "from dpia_check.rules import load_ruleset\n"
        "t3 = time.perf_counter(); doc = load_document(Path(sys.argv[1])); t4 = time.perf_counter()\n"
        "rs = load_ruleset(); t5 = time.perf_counter()\n"
        "rep = Engine(rs).run(doc, CheckOptions()); t6 = time.perf_counter()\n"
        "from dpia_check.report.json_out import render\n"
        "render(rep, ruleset=rs); t7 = time.perf_counter()\n"
        "print(json.dumps({'import pdf module + engine': t1 - t0, 'extract_pdf (engine + clean-up)': t2 - t1,"
        " 'load_document (extract + map to model)': t4 - t3, 'load rule set': t5 - t4, 'engine.run': t6 - t5, 'render json': t7 - t6}))\n"
    )
    r = b.run([PY, "-c", script, str(pdf)], capture=True)
    if r.code != 0:
        b.add("stages", pdf.name, "n/a", note=f"not available: {first_line(r.stderr)}")
        return
    data = json.loads(r.stdout)
    b.results["stages_ms"] = {k: round(v * 1000, 1) for k, v in data.items()}
    for k, v in data.items():
        b.add("stages", f"{pdf.name}: {k}", ms(v))


def batch_section(b: Bench, ydir: Path, count: int, jobs_flag: bool) -> None:
    cpus = os.cpu_count() or 1
    files = sorted(ydir.glob("*.dpia.yaml"))
    lib = (
        "import sys\nfrom pathlib import Path\nfrom dpia_check.api import check_file\n"
        "n = 0\nfor f in sorted(Path(sys.argv[1]).glob('*.dpia.yaml')):\n    check_file(f); n += 1\nprint(n)\n"
    )
    r = b.run([PY, "-c", lib, str(ydir)], capture=True)
    if r.code == 0:
        rate = len(files) / r.seconds
        b.add("batch", f"{len(files)} YAML: library loop, 1 process", f"{r.seconds:.2f} s", note=f"{rate:,.0f} files/s; peak {r.peak_mb:.0f} MB")
    else:
        b.add("batch", f"{len(files)} YAML: library loop, 1 process", "n/a", note=first_line(r.stderr))
    out = Path(tempfile.mkdtemp(prefix="dpia-bench-"))
    variants = [["--jobs", "1"], ["--jobs", str(cpus)]] if jobs_flag else [[]]
    b.results["batch"] = {}
    for extra in variants:
        argv = [*CLI, "check", str(ydir), "--format", "json", "-o", str(out / "batch.json"), *extra]
        label = f"{len(files)} YAML: dpia-check check DIR {' '.join(extra)}".rstrip()
        r = b.run(argv)
        if not worked(r) or not _valid_json_file(out / "batch.json"):
            b.add("batch", label, "n/a", note=f"batch mode not available: {first_line(r.stderr)}")
            continue
        # the target is for the tool as it runs by default (one process per CPU); one
        # process is shown for comparison with the library loop
        judged = count >= 1000 and extra != ["--jobs", "1"]
        target = "<= 10 s" if judged else ""
        verdict = judge(r.seconds, 10.0) if judged else ""
        b.add("batch", label, f"{r.seconds:.2f} s", "", target, verdict, f"{len(files) / r.seconds:,.0f} files/s; peak {r.peak_mb:.0f} MB")
        b.results["batch"][" ".join(extra) or "default"] = round(r.seconds, 2)


def versions() -> str:
    parts = [f"Python {platform.python_version()}", f"{os.cpu_count()} CPUs"]
    from importlib import metadata

    for dist in ("typer", "pypdfium2", "pypdf", "PyYAML"):
        try:
            parts.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{dist} (missing)")
    return ", ".join(parts)


def print_table(b: Bench, header: str) -> None:
    cols = ("section", "case", "value", "ratio", "target", "ok", "notes")
    rows = [(r.section, r.case, r.value, r.ratio, r.target, r.verdict, r.note) for r in b.rows]
    widths = [max(len(c), *(len(row[i]) for row in rows)) if rows else len(c) for i, c in enumerate(cols)]
    widths[-1] = len(cols[-1])
    print(header)
    print()
    line = lambda cells: "  ".join(  # noqa: E731
        (c.rjust(widths[i]) if i in (2, 3) else c.ljust(widths[i])) for i, c in enumerate(cells)
    ).rstrip()
    print(line(cols))
    print(line(tuple("-" * w for w in widths)))
    last = None
    for row in rows:
        if last is not None and row[0] != last:
            print()
        last = row[0]
        print(line(row))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="dpia-check benchmark (see benchmarks/README.md)")
    ap.add_argument("--quick", action="store_true", help="10/50-page PDFs, 200 YAML files, fewer repeats")
    ap.add_argument("--inputs", type=Path, default=HERE / ".inputs", help="where generated inputs are kept")
    ap.add_argument("--repeat", type=int, help="runs per measurement (default 5, quick 3)")
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDF section (no reportlab needed)")
    ap.add_argument("--only", help="comma-separated sections to run: start-up, pdf, batch (default: all)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)

    only = set(args.only.split(",")) if args.only else {"start-up", "pdf", "batch"}
    if "pdf" not in only:
        args.no_pdf = True
    pages = [10, 50] if args.quick else [10, 50, 200]
    pypdf_pages = [50] if args.quick else [10, 50, 200]
    browser_pages = [] if args.quick else [200]  # headless Chromium, when installed
    langs = list(gen_inputs.LANGS)
    count = 200 if args.quick else 1000
    repeat = args.repeat or (3 if args.quick else 5)
    try:
        gen_inputs.generate(args.inputs, [] if args.no_pdf else pages, langs, count, browser_pages=[] if args.no_pdf else browser_pages)
    except gen_inputs.SetupError as exc:
        print(f"bench: {exc}\n       (or run with --no-pdf to skip the PDF section)", file=sys.stderr)
        return 2

    b = Bench(args.inputs, repeat)
    started = time.perf_counter()
    load = f"; load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    header = f"dpia-check benchmark ({'quick' if args.quick else 'full'}): {versions()}; medians of {repeat} runs{load}"
    print(header, file=sys.stderr)
    check_help = cli_help(b, "check")
    jobs_flag = "--jobs" in check_help
    if "start-up" in only:
        cold_start(b, rounds=max(repeat, 7))
    if not args.no_pdf:
        pdf_section(b, pages, langs, pypdf_pages, jobs_flag, browser_pages)
        stages(b, args.inputs / f"dpia-en-{pages[-1]}.pdf")
    if "batch" in only:
        batch_section(b, args.inputs / f"yaml-{count}", count, jobs_flag)
    print(file=sys.stderr)
    print_table(b, header + f"; took {time.perf_counter() - started:.0f} s")
    if args.json:
        b.results["header"] = header
        args.json.write_text(json.dumps(b.results, indent=2) + "\n", encoding="utf-8")
    return 1 if any(r.verdict in ("MISS", "BUG") for r in b.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
