"""One ``dpia-check check`` run: load each file, judge it, render to stdout and files.

Separated from the CLI so tests and other programs can drive a whole run and get
the exit code back without a subprocess.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dpia_check.errors import EXIT_FINDINGS, EXIT_OK, InputError, printable


@dataclass
class RunConfig:
    """One run's choices. ``None`` means "not given": the config files or defaults decide
    (see dpia_check.config). ``files`` may name files, folders and globs."""

    files: list[Path]
    fmt: str | None = None
    outputs: list[str] = field(default_factory=list)
    fail_on: str | None = None
    lang: str | None = None
    pdf_engine: str = "pypdfium2"
    password: str | None = None
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 2000
    verbose: bool = False
    color: bool = True
    template: Path | None = None
    summary: bool = False
    config: Path | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: list[str] | None = None
    waivers: Path | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    jobs: int | None = None
    isolated: bool = False  # read no config file (files from outside)
    today: dt.date | None = None
    progress: bool | None = None


def parse_outputs(specs: list[str], default_fmt: str, *, by_extension: bool = False) -> list[tuple[str, Path]]:
    """``-o PATH`` uses --format; ``-o FMT=PATH`` names its own format. ``by_extension``
    (no --format and no format setting): ``-o report.sarif`` is SARIF, not the text report."""
    from dpia_check.report.registry import FORMATS, format_for_extension, get_format

    out: list[tuple[str, Path]] = []
    for spec in specs:
        fmt, sep, path = spec.partition("=")
        if sep and fmt in FORMATS:
            out.append((fmt, Path(path)))
        elif sep and "/" not in fmt and "." not in fmt:
            get_format(fmt)  # raises a clear error for an unknown format
        else:
            guessed = format_for_extension(Path(spec).suffix) if by_extension else None
            out.append((guessed or default_fmt, Path(spec)))
    return out


def _check_template_is_used(template: Path, formats: set[str], summary: bool) -> None:
    """A firm's template that no output of this run renders is a mistake, not a silent no-op."""
    from dpia_check.report.templating import template_kind

    kind = template_kind(template)
    users = {"md"} if kind == "md" and not summary else {"html", "pdf"} if kind == "html" else set()
    if not users & formats:
        wanted = "--format md (without --summary)" if kind == "md" else "--format html or pdf"
        raise InputError(str(template), f"this {'Markdown' if kind == 'md' else 'HTML'} template is not used by {', '.join(sorted(formats))} output", hint=f"use it with {wanted}")


def render_to(report: Any, fmt: str, cfg: RunConfig, ruleset: Any) -> str | bytes:
    """Every renderer takes the report plus the same keyword options."""
    from dpia_check.report.registry import renderer

    mod = renderer(fmt)
    return mod.render(report, ruleset=ruleset, template=cfg.template, summary=cfg.summary)  # type: ignore[no-any-return]


def cli_settings(cfg: RunConfig) -> dict[str, Any]:
    """The settings the caller gave explicitly (None = let the config files decide)."""
    return {
        "fail_on": cfg.fail_on,
        "format": cfg.fmt,
        "lang": cfg.lang,
        "select": cfg.select or None,
        "ignore": cfg.ignore or None,
        "severity": cfg.severity or None,
        "waivers": cfg.waivers,
        "baseline": cfg.baseline,
        "jobs": cfg.jobs,
    }


def run_check(cfg: RunConfig) -> int:
    """Check one or many documents; return the exit code (0 clean, 1 failing findings,
    2 when a document of a batch could not be used). Raises InputError for bad options
    and, with a single file, for an unusable file."""
    from dpia_check import baseline, batch, config, selection, waivers
    from dpia_check.load import LoadOptions
    from dpia_check.output import refuse_overwriting, write_atomic
    from dpia_check.report.registry import get_format
    from dpia_check.rules import load_ruleset

    if not cfg.files:
        raise InputError("(none)", "give at least one DPIA file, folder or glob")
    settings = config.load_settings(list(cfg.files), cli=cli_settings(cfg), explicit=cfg.config, isolated=cfg.isolated)
    fmt, fail_on, lang = settings["format"], settings["fail_on"], settings["lang"]
    get_format(fmt)
    outputs = parse_outputs(cfg.outputs or settings["outputs"], fmt, by_extension=settings.origin("format") is config.DEFAULT)
    if get_format(fmt).binary and not outputs:  # say so before a long check, not after
        raise InputError(fmt, f"the {fmt} format is binary", hint=f"write it to a file with --output memo{get_format(fmt).extension}")
    if cfg.template is not None:
        _check_template_is_used(cfg.template, {f for f, _ in outputs} or {fmt}, cfg.summary)
    for _, p in outputs:
        if not (p.parent if str(p.parent) else Path(".")).exists():
            raise InputError(str(p), f"output folder {p.parent} does not exist", hint="create it first or choose another --output path")
    items, combined = batch.expand([str(f) for f in cfg.files])
    # a report or a baseline must never replace a DPIA it judges (found in a folder or by a
    # glob too), nor the waivers or baseline file the run reads
    written = [p for _, p in outputs] + ([cfg.write_baseline] if cfg.write_baseline is not None else [])
    refuse_overwriting(written, [o.path for o in items if o.error is None])
    read = [settings["waivers"]] + ([settings["baseline"]] if cfg.write_baseline is None else [])
    refuse_overwriting(written, [p for p in read if p is not None], "a file this run reads")
    ruleset = load_ruleset()
    chosen = selection.build(ruleset, settings["select"], settings["ignore"], settings["severity"], settings.origins)
    file_waivers = tuple(waivers.load_file(settings["waivers"])) if settings["waivers"] else ()
    known: set[str] | None = None
    if settings["baseline"] and cfg.write_baseline is None:
        recorded = baseline.read(settings["baseline"])
        known = set(recorded.fingerprints)
        stale = recorded.staleness(ruleset.id, ruleset.version, {r.id for r in ruleset.rules})
        if stale:
            sys.stderr.write(f"dpia-check: warning: {Path(settings['baseline']).as_posix()}: {stale}\n")
    job = batch.Job(
        load=LoadOptions(max_bytes=cfg.max_bytes, pdf_engine=cfg.pdf_engine, password=cfg.password, max_pages=cfg.max_pages),
        lang=lang,
        fail_on=fail_on,
        selection=chosen,
        waivers=file_waivers,
        today=cfg.today or dt.date.today(),
        inline_waivers=not cfg.isolated,
    )
    if combined and all(o.error for o in items):  # nothing at all to check: a usage error
        first = items[0]
        raise InputError(first.path, (first.error or "").removeprefix(f"{printable(first.path)}: "))
    if combined:
        progress = batch.show_progress() if cfg.progress is None else cfg.progress
        if cfg.write_baseline is None and _json_only(fmt, outputs):
            from dataclasses import replace

            json_job = replace(job, encode_json=True, baseline=frozenset(known or ()))
            return _check_many_json(items, json_job, settings["jobs"] or batch.default_jobs(), progress, outputs, ruleset, fail_on)
        outcomes = batch.run_all(items, job, settings["jobs"] or batch.default_jobs(), progress)
    else:
        from dataclasses import replace

        # one document: its pages (40+, see load.pdf) and then its rules (long text, see engine) may use the processes
        page_jobs = replace(job, load=replace(job.load, jobs=settings["jobs"] or batch.default_jobs()))
        outcomes = [batch.Outcome(items[0].path, report=batch.judge(items[0].path, page_jobs, ruleset))]
    reports = [o.report for o in outcomes if o.report is not None]
    if cfg.write_baseline is not None:
        write_atomic(cfg.write_baseline, baseline.dumps(reports, ruleset.id, ruleset.version))
        known = {e["fingerprint"] for e in baseline.entries(reports)}
        sys.stderr.write(f"dpia-check: wrote {cfg.write_baseline} ({len(known)} known gaps)\n")
    if known:
        for r in reports:
            baseline.apply(r, known)
    if combined:
        _emit_many(outcomes, fmt, outputs, cfg, ruleset, fail_on=fail_on, lang=lang)
        for o in outcomes:  # also on stderr, one line each, like a single file's error
            if o.error:
                sys.stderr.write(f"dpia-check: error: {o.error}\n")
        return batch.exit_code(outcomes)
    report = reports[0]
    # render everything first, then write: nothing is half-written if a renderer fails
    rendered = [(path, render_to(report, f, cfg, ruleset)) for f, path in outputs]
    for path, payload in rendered:
        write_atomic(path, payload)
    if not outputs or fmt == "text":
        if fmt == "text":
            from rich.console import Console

            from dpia_check.report import terminal

            console = Console(no_color=not cfg.color, highlight=False, soft_wrap=False)
            titles = {a: info.title.get(lang) for a, info in ruleset.articles.items()}
            terminal.render(report, console, verbose=cfg.verbose, article_titles=titles)
        else:
            payload = render_to(report, fmt, cfg, ruleset)
            if isinstance(payload, bytes):
                raise InputError(fmt, f"the {fmt} format is binary", hint="write it to a file with --output")
            sys.stdout.write(payload)
    return EXIT_FINDINGS if report.failing() else EXIT_OK


def _tool(ruleset: Any) -> dict[str, str]:
    from dpia_check import __version__

    return {"name": "dpia-check", "version": __version__, "ruleset": ruleset.id, "ruleset_version": ruleset.version}


def _json_only(fmt: str, outputs: list[tuple[str, Path]]) -> bool:
    """Whether a batch's only payload is the combined JSON (files, or stdout when no file)."""
    if outputs:
        return fmt != "text" and all(f == "json" for f, _ in outputs)
    return fmt == "json"


def _check_many_json(items: list[Any], job: Any, jobs: int, progress: bool, outputs: list[tuple[str, Path]], ruleset: Any, fail_on: str) -> int:
    """A batch whose output is the combined JSON: workers encode each report, the
    pieces are spooled as they come and the document is streamed to each destination
    (a temp file renamed into place, or stdout); no report is held in memory."""
    from dpia_check import batch
    from dpia_check.output import atomic_writer
    from dpia_check.report.json_out import CombinedJSON

    with CombinedJSON(str(outputs[0][1].parent) if outputs else None) as doc:

        def spool(o: batch.Outcome) -> None:
            if o.encoded is not None:
                doc.add(o.encoded)

        outcomes = batch.run_all(items, job, jobs, progress, sink=spool)
        tool, summary, errors = _tool(ruleset), batch.summary(outcomes, fail_on), batch.error_list(outcomes)
        for _, path in outputs:
            with atomic_writer(path) as fh:
                doc.write(fh, tool, summary, errors)
        if not outputs:
            doc.write_text(sys.stdout, tool, summary, errors)
    for o in outcomes:  # also on stderr, one line each, like a single file's error
        if o.error:
            sys.stderr.write(f"dpia-check: error: {o.error}\n")
    return batch.exit_code(outcomes)


def _emit_many(outcomes: list[Any], fmt: str, outputs: list[tuple[str, Path]], cfg: RunConfig, ruleset: Any, *, fail_on: str, lang: str) -> None:
    """A batch: one combined payload per output, and on stdout (text: reports + table)."""
    from dpia_check import batch
    from dpia_check.output import write_atomic

    tool = _tool(ruleset)

    def one(report: Any, f: str) -> str | bytes:
        return render_to(report, f, cfg, ruleset)

    def combined(f: str) -> str | bytes:
        if f == "text":
            return batch.text_of(outcomes, ruleset, lang=lang, fail_on=fail_on, verbose=cfg.verbose)
        return batch.render_combined(outcomes, f, tool, fail_on, one)

    rendered = [(path, combined(f)) for f, path in outputs]
    for path, payload in rendered:
        write_atomic(path, payload)
    if not outputs or fmt == "text":
        if fmt == "text":
            from rich.console import Console

            console = Console(no_color=not cfg.color, highlight=False, soft_wrap=False)
            batch.print_text(outcomes, ruleset, console, lang=lang, fail_on=fail_on, verbose=cfg.verbose, errors=False)
        else:
            payload = combined(fmt)
            if isinstance(payload, bytes):
                raise InputError(fmt, f"the {fmt} format is binary", hint="write it to a file with --output")
            sys.stdout.write(payload)
