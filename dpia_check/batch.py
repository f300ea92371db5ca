"""Check many DPIAs in one run: expand folders and globs, judge in parallel, combine.

Folders are searched recursively (hidden folders skipped) for files that look like
DPIAs: YAML files with a top-level ``dpia_format`` key, and PDFs. Plain text and
Markdown files are only checked when named explicitly or by a glob, because a folder
holds too many READMEs. A file that cannot be read or judged becomes an error entry
of the combined report; the other documents are still checked.

Documents are judged in worker processes when there are at least ``PARALLEL_MIN`` of
them and ``--jobs`` allows more than one; each worker loads the rule set once.

For JSON output (``Job.encode_json``) a worker also encodes each report and sends back
only its JSON and a few counts (``Stats``), which the caller streams to a spool file
(``report.json_out.CombinedJSON``): a batch of 1,000 DPIAs is 110 MB of JSON, and
neither the reports nor the whole document are ever held in memory at once.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dpia_check.errors import EXIT_FINDINGS, EXIT_INPUT, EXIT_OK, InputError, MissingExtraError, printable
from dpia_check.load import LoadOptions
from dpia_check.report.model import Report
from dpia_check.rules import RuleSet
from dpia_check.selection import Selection
from dpia_check.waivers import Waiver

PARALLEL_MIN = 4
MAX_DEFAULT_JOBS = 8
SKIP_DIRS = {"node_modules", "__pycache__", "venv", "site-packages"}
_DPIA_KEY = re.compile(rb"^dpia_format\s*:", re.M)
# Globs name files more deliberately than folders: a YAML file they match is taken when it
# has dpia_format or any DPIA section at the top level (older DPIAs may lack the key), so
# a waivers file, a config or a CI file next to the DPIAs is left out, as in a folder.
_DPIA_SECTION = re.compile(
    rb"^(?:dpia_format|meta|processing|legal_basis|special_categories|necessity_proportionality|risks|measures|consultation|review|sign_off)\s*:",
    re.M,
)
_GLOB_CHARS = set("*?[")


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to judge one document (picklable)."""

    load: LoadOptions
    lang: str = "en"
    fail_on: str = "info"
    selection: Selection = field(default_factory=Selection)
    waivers: tuple[Waiver, ...] = ()
    today: dt.date | None = None  # for waiver expiry; None = the real today
    encode_json: bool = False  # return the report's JSON and Stats instead of the Report
    baseline: frozenset[str] = frozenset()  # fingerprints of known gaps (--baseline)
    inline_waivers: bool = True  # honour the DPIA's own waivers: list (not with --isolated)


@dataclass(frozen=True)
class Stats:
    """What the combined summary and the exit code need from one report."""

    failing: bool
    statuses: dict[str, int]
    baseline: int

    @staticmethod
    def of(report: Report) -> Stats:
        counts = {s: 0 for s in ("fail", "warn", "pass", "not_applicable", "manual", "waived")}
        for f in report.findings:
            counts[f.status] += 1
        return Stats(bool(report.failing()), counts, sum(1 for f in report.findings if f.baseline))


@dataclass
class Outcome:
    """One input: its report (or, for JSON output, its encoded JSON and Stats), or the
    one-line error that stopped it."""

    path: str
    report: Report | None = None
    error: str | None = None
    stats: Stats | None = None
    encoded: bytes | None = None  # the report as JSON at nesting level 2; dropped once delivered

    def summary_stats(self) -> Stats | None:
        """The counts of a judged document (from the worker, or worked out from its report)."""
        if self.stats is not None:
            return self.stats
        return Stats.of(self.report) if self.report is not None else None


# -- finding the documents ---------------------------------------------------------------


def looks_like_dpia(path: Path, *, matched: bool = False) -> bool:
    """In folders: PDFs, and YAML files with a top-level ``dpia_format`` key.

    ``matched``: the file was matched by a glob; then any other file (text, Markdown)
    is taken, and a YAML file with a top-level DPIA section is enough."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return True
    if suffix not in (".yaml", ".yml"):
        return matched
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError:
        return True  # let the loader report why it cannot be read
    return (_DPIA_SECTION if matched else _DPIA_KEY).search(_as_utf8(head)) is not None


def _as_utf8(head: bytes) -> bytes:
    """The start of a YAML file as UTF-8 without a byte-order mark (the loader accepts
    UTF-8 with a BOM and UTF-16 with a BOM; their first key must be found too)."""
    import codecs

    if head.startswith(codecs.BOM_UTF8):
        return head[len(codecs.BOM_UTF8):]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        body = head[2:]
        return body[: len(body) - len(body) % 2].decode(codec, "replace").encode("utf-8")
    return head


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(files):
            p = Path(root) / name
            if not name.startswith(".") and looks_like_dpia(p):
                found.append(p)
    return found


def expand(targets: list[str]) -> tuple[list[Outcome], bool]:
    """Turn files, folders and globs into an ordered list of inputs.

    Returns (items, combined): an item with ``error`` set is a target that named
    nothing checkable; ``combined`` is False only for a single plain file target, which
    keeps the one-document report shape.
    """
    if len(targets) == 1 and not Path(targets[0]).is_dir() and (Path(targets[0]).exists() or not (_GLOB_CHARS & set(targets[0]))):
        return [Outcome(targets[0])], False
    items: list[Outcome] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            items.append(Outcome(p.as_posix() if not p.is_absolute() else str(p)))

    for target in targets:
        path = Path(target)
        if target == "-":
            items.append(Outcome("<stdin>", error="<stdin>: standard input (-) can be checked only on its own, not in a batch"))
            continue
        if path.is_dir():
            docs = _walk(path)
            if not docs:
                items.append(Outcome(target, error=printable(f"{target}: a directory with no DPIA files in it (looked for YAML files with a dpia_format key, and PDFs)")))
            for d in docs:
                add(d)
        elif not path.exists() and _GLOB_CHARS & set(target):
            matches = sorted(glob.glob(target, recursive=True))
            docs = [d for m in matches for d in (_walk(Path(m)) if Path(m).is_dir() else [Path(m)] if looks_like_dpia(Path(m), matched=True) else [])]
            if not matches:
                items.append(Outcome(target, error=printable(f"{target}: no files match this pattern")))
            elif not docs:
                items.append(Outcome(target, error=printable(f"{target}: the pattern matches {len(matches)} file(s), none of them a DPIA (YAML files need a top-level dpia_format key or DPIA sections)")))
            for d in docs:
                add(d)
        else:
            add(path)
    return items, True


# -- judging -----------------------------------------------------------------------------


def judge(path: str, job: Job, ruleset: RuleSet | None = None) -> Report:
    """Load, check and apply waivers to one document; InputError when it is unusable."""
    from dpia_check import waivers
    from dpia_check.engine import CheckOptions, Engine
    from dpia_check.load import load_document
    from dpia_check.rules import load_ruleset

    rs = ruleset or load_ruleset()
    doc = load_document(Path(path), job.load)
    options = CheckOptions(
        lang=job.lang, fail_on=job.fail_on, select=job.selection.predicate(), severity_overrides=dict(job.selection.severity), jobs=job.load.jobs
    )
    report = Engine(rs).run(doc, options)
    own = waivers.from_document(doc)
    if own and not job.inline_waivers:
        # a submission must not waive its own gaps when the checker is isolated from it
        report.warnings.append({
            "code": "inline-waivers-ignored",
            "message": f"{len(own)} waiver(s) in the document itself were not applied (--isolated)",
            "location": {"path": doc.path, "page": None, "line": own[0].line, "pointer": "/waivers"},
        })
        own = []
    waivers.apply(report, [*own, *job.waivers], today=job.today or dt.date.today(), known_rules={r.id for r in rs.rules}, document=doc)
    return report


def check_one(path: str, job: Job, ruleset: RuleSet | None = None) -> Outcome:
    """Like ``judge`` but never raises for one bad document: the error becomes the outcome."""
    try:
        report = judge(path, job, ruleset)
        if job.baseline:
            from dpia_check import baseline

            baseline.apply(report, set(job.baseline))
        if not job.encode_json:
            return Outcome(path, report=report)
        from dpia_check.report.json_out import encode

        return Outcome(path, stats=Stats.of(report), encoded=encode(report.to_dict(), 2).encode())
    except (InputError, MissingExtraError) as exc:
        return Outcome(path, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - a parser bug on one odd file must not lose the other reports
        return Outcome(path, error=printable(f"{path}: unexpected error ({type(exc).__name__}: {' '.join(str(exc).split())})"))


def _check_chunk(paths: list[str], job: Job) -> list[Outcome]:
    from dpia_check.rules import load_ruleset

    ruleset = load_ruleset()  # once per chunk: finding the cached set costs a path resolution
    return [check_one(p, job, ruleset) for p in paths]


def _warm_up() -> None:
    """Import what judging needs, once, before workers are forked from this process."""
    import dpia_check.baseline  # noqa: F401
    import dpia_check.engine  # noqa: F401
    import dpia_check.load.yaml_loader  # noqa: F401
    import dpia_check.report.json_out  # noqa: F401
    import dpia_check.waivers  # noqa: F401

    _init_worker()


def _init_worker() -> None:
    """Load the rule set once per worker process."""
    from dpia_check.rules import load_ruleset

    load_ruleset()


def default_jobs() -> int:
    return max(1, min(MAX_DEFAULT_JOBS, os.cpu_count() or 1))


def show_progress() -> bool:
    """A progress bar only for people: stderr is a terminal and no CI variable is set."""
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def _progress(total: int, enabled: bool) -> Iterator[Callable[[int], None]]:
    if not enabled or total < 2:
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("checking DPIAs"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=Console(stderr=True), transient=True
    ) as bar:
        task = bar.add_task("check", total=total)
        yield lambda n: bar.advance(task, n)


def _futures() -> tuple[Any, Any]:
    """``ProcessPoolExecutor`` and ``BrokenProcessPool``, imported on first use.

    ``concurrent.futures.process`` pulls in multiprocessing and socket (~20 ms), which a
    single-document run never needs. The module attributes of the same names resolve
    through here too (so tests can still replace them).
    """
    g = globals()
    if "ProcessPoolExecutor" not in g:
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        g.setdefault("ProcessPoolExecutor", ProcessPoolExecutor)
        g.setdefault("BrokenProcessPool", BrokenProcessPool)
    return g["ProcessPoolExecutor"], g["BrokenProcessPool"]


def __getattr__(name: str) -> Any:
    if name in ("ProcessPoolExecutor", "BrokenProcessPool"):
        return _futures()[name == "BrokenProcessPool"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run_all(items: list[Outcome], job: Job, jobs: int, progress: bool = False, sink: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Judge every item without an error, in input order; in processes when worthwhile.

    ``sink`` is called with each judged outcome in input order as soon as it and all
    before it are done; an outcome's ``encoded`` JSON is dropped once the sink has had it.
    """
    todo = [o.path for o in items if o.error is None]
    results: dict[str, Outcome] = {}

    def deliver(o: Outcome) -> None:
        if sink is not None:
            sink(o)
        o.encoded = None
        results[o.path] = o

    if jobs > 1 and len(todo) >= PARALLEL_MIN:
        workers = min(jobs, len(todo))
        size = max(1, min(8, len(todo) // (workers * 4)))
        chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
        _warm_up()  # forked workers inherit the loaded modules and rule set
        ProcessPoolExecutor, BrokenProcessPool = _futures()  # noqa: N806 - the classes, looked up lazily
        # At most ``window`` chunks are in flight: the workers can outrun this process (which
        # competes with them for the cores while it writes the output), and every finished
        # chunk waits here with its encoded JSON until its turn; without a bound, a slow
        # writer could end up holding most of a 110 MB batch report.
        window = workers * 4
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
            futures = [pool.submit(_check_chunk, chunk, job) for chunk in chunks[:window]]  # workers start before any thread
            with _progress(len(todo), progress) as advance:
                for i, chunk in enumerate(chunks):
                    fut, futures[i] = futures[i], None  # a finished future holds its results: let them go
                    if i + window < len(chunks):
                        try:
                            futures.append(pool.submit(_check_chunk, chunks[i + window], job))
                        except BrokenProcessPool:  # a worker died: the pool takes no more work
                            futures.append(None)
                    try:
                        if fut is None:
                            raise BrokenProcessPool
                        outs = fut.result()
                    except BrokenProcessPool:
                        outs = [Outcome(p, error=f"{p}: a worker process crashed while checking this batch; check the file alone") for p in chunk]
                    del fut
                    for o in outs:
                        deliver(o)
                    advance(len(chunk))
    else:
        from dpia_check.rules import load_ruleset

        ruleset = load_ruleset()
        with _progress(len(todo), progress) as advance:
            for p in todo:
                deliver(check_one(p, job, ruleset))
                advance(1)
    return [o if o.error is not None else results[o.path] for o in items]


# -- combining ---------------------------------------------------------------------------


def exit_code(outcomes: list[Outcome]) -> int:
    """The worst document decides: 2 any error, 1 any failing report, else 0."""
    if any(o.error for o in outcomes):
        return EXIT_INPUT
    if any((st := o.summary_stats()) is not None and st.failing for o in outcomes):
        return EXIT_FINDINGS
    return EXIT_OK


def summary(outcomes: list[Outcome], fail_on: str) -> dict[str, Any]:
    stats = [st for o in outcomes if (st := o.summary_stats()) is not None]
    failing = sum(1 for st in stats if st.failing)
    errors = sum(1 for o in outcomes if o.error)
    totals = {s: 0 for s in ("fail", "warn", "pass", "not_applicable", "manual", "waived")}
    for st in stats:
        for status, n in st.statuses.items():
            totals[status] += n
    return {
        "documents": len(outcomes),
        "checked": len(stats),
        "failing": failing,
        "passing": len(stats) - failing,
        "errors": errors,
        "baseline": sum(st.baseline for st in stats),
        "findings": totals,
        "fail_on": fail_on,
        "verdict": "error" if errors else ("fail" if failing else "pass"),
    }


def error_list(outcomes: list[Outcome]) -> list[dict[str, str]]:
    return [{"path": printable(o.path), "error": o.error} for o in outcomes if o.error]


def _shown(outcomes: list[Outcome]) -> list[Outcome]:
    """The outcomes with paths fit to print (a path is kept as given for opening the file)."""
    from dataclasses import replace

    return [o if printable(o.path) == o.path else replace(o, path=printable(o.path)) for o in outcomes]


def combined_dict(outcomes: list[Outcome], tool: dict[str, str], fail_on: str) -> dict[str, Any]:
    return {
        "tool": tool,
        "summary": summary(outcomes, fail_on),
        "reports": [o.report.to_dict() for o in outcomes if o.report is not None],
        "errors": error_list(outcomes),
    }


def merge_sarif(payloads: list[str]) -> str:
    """Merge one-run SARIF logs (one per document) into one run: rules and artifacts
    are de-duplicated and result indexes renumbered."""
    import json

    logs = [json.loads(p) for p in payloads]
    if not logs:
        return ""
    base = logs[0]
    run = base["runs"][0]
    driver = run["tool"]["driver"]
    rules: list[dict[str, Any]] = list(driver.get("rules", []))
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    artifacts: list[dict[str, Any]] = list(run.get("artifacts", []))
    art_index = {a.get("location", {}).get("uri"): i for i, a in enumerate(artifacts)}
    for log in logs[1:]:
        for other in log.get("runs", []):
            o_rules = other["tool"]["driver"].get("rules", [])
            o_arts = other.get("artifacts", [])
            for r in o_rules:
                if r["id"] not in rule_index:
                    rule_index[r["id"]] = len(rules)
                    rules.append(r)
            for a in o_arts:
                uri = a.get("location", {}).get("uri")
                if uri not in art_index:
                    art_index[uri] = len(artifacts)
                    artifacts.append(a)
            for res in other.get("results", []):
                if "ruleIndex" in res and res.get("ruleId") in rule_index:
                    res["ruleIndex"] = rule_index[res["ruleId"]]
                for loc in res.get("locations", []):
                    al = loc.get("physicalLocation", {}).get("artifactLocation", {})
                    if "index" in al and 0 <= al["index"] < len(o_arts):
                        al["index"] = art_index[o_arts[al["index"]].get("location", {}).get("uri")]
                run.setdefault("results", []).append(res)
    if rules:
        driver["rules"] = rules
    if artifacts:
        run["artifacts"] = artifacts
    return json.dumps(base, ensure_ascii=False, indent=2) + "\n"


def render_combined(outcomes: list[Outcome], fmt: str, tool: dict[str, str], fail_on: str, render_one: Callable[[Report, str], str | bytes]) -> str | bytes:
    """One payload for many documents: combined JSON, merged SARIF, concatenated Markdown,
    or the renderer's own ``render_many`` when it has one."""
    from dpia_check.report.json_out import dumps
    from dpia_check.report.registry import renderer

    reports = [o.report for o in outcomes if o.report is not None]
    if fmt == "json":
        return dumps(combined_dict(outcomes, tool, fail_on))
    mod = renderer(fmt)
    if hasattr(mod, "render_many"):
        return mod.render_many(_shown(outcomes))  # type: ignore[no-any-return]
    if fmt == "sarif":
        return merge_sarif([str(render_one(r, fmt)) for r in reports])
    if fmt in ("md", "markdown"):
        parts = [str(render_one(r, fmt)).rstrip("\n") for r in reports]
        parts += [f"**Error:** {o.error}" for o in outcomes if o.error]
        return "\n\n---\n\n".join(parts) + "\n"
    raise InputError("--format", f"the {fmt} format holds one document; {len(outcomes)} were given", hint="check them one by one, or use json, sarif or md")


def text_of(outcomes: list[Outcome], ruleset: RuleSet, *, lang: str, fail_on: str, verbose: bool) -> str:
    """The text report of a batch as plain text (for ``-o report.txt``)."""
    import io

    from rich.console import Console

    console = Console(file=io.StringIO(), width=100, no_color=True, highlight=False, soft_wrap=False, force_terminal=False)
    print_text(outcomes, ruleset, console, lang=lang, fail_on=fail_on, verbose=verbose)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def print_text(outcomes: list[Outcome], ruleset: RuleSet, console: Any, *, lang: str, fail_on: str, verbose: bool, errors: bool = True) -> None:
    """Each report in full, the errors (unless they go to stderr), then one table row per document."""
    from rich.markup import escape
    from rich.table import Table

    from dpia_check.i18n import tr
    from dpia_check.report import terminal

    titles = {a: info.title.get(lang) for a, info in ruleset.articles.items()}
    outcomes = _shown(outcomes)
    for o in outcomes:
        if o.report is not None:
            terminal.render(o.report, console, verbose=verbose, article_titles=titles)
            console.print()
    for o in outcomes:
        if o.error and errors:
            console.print(f"[bold red]error[/] {escape(o.error)}")
    table = Table(title=tr(lang, "DPIAs checked", "Proverene procene"), title_justify="left")
    for col in (tr(lang, "document", "dokument"), tr(lang, "verdict", "ocena"), "fail", "warn", "manual", "waived", "pass", "n/a"):
        left = col in ("document", "dokument", "verdict", "ocena")
        table.add_column(col, justify="left" if left else "right", overflow="fold")
    for o in outcomes:
        if o.report is None:
            table.add_row(escape(o.path), "[red]ERROR[/]", "", "", "", "", "", "")
            continue
        s = o.report.summary
        verdict = "[red]FAIL[/]" if s["verdict"] == "fail" else "[green]pass[/]"
        table.add_row(escape(o.path), verdict, *(str(s[k]) for k in ("fail", "warn", "manual", "waived", "pass", "not_applicable")))
    # in a log or a file there is no screen edge: widen the table so paths stay whole (greppable)
    wide = max((len(o.path) for o in outcomes), default=0) + 64
    if not console.is_terminal and console.width < wide:
        console.width = wide
    console.print(table)
    sm = summary(outcomes, fail_on)
    console.print(f"{sm['documents']} documents: {sm['failing']} failing, {sm['passing']} passing, {sm['errors']} errors")
