"""The command-line interface: parse arguments, call the library, choose a renderer.

Kept thin on purpose; the logic lives in dpia_check.api and the modules it calls.
Heavy modules (PDF engines, Jinja2, rule loading) are imported inside commands so
``--help`` stays fast.
"""

# No ``from __future__ import annotations`` here: Typer reads every option's annotation,
# and string annotations are evaluated twice per command (inspect and get_type_hints),
# which cost ~35 ms of every run, --help included.
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from dpia_check import __version__
from dpia_check.errors import EXIT_INPUT, InputError, MissingExtraError

app = typer.Typer(
    name="dpia-check",
    help="Audit a Data Protection Impact Assessment (YAML, PDF or text) against the Serbian "
    "Law on Personal Data Protection (LPDP). Every finding cites article, paragraph and point.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs ~100 ms of imports
)
rules_app = typer.Typer(help="List the rules of the LPDP rule set.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")


class Severity(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"


class Lang(str, Enum):
    en = "en"
    sr_latn = "sr-Latn"
    sr_cyrl = "sr-Cyrl"


class PdfEngine(str, Enum):
    pypdfium2 = "pypdfium2"
    pypdf = "pypdf"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dpia-check {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    """dpia-check."""


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="DPIA files, folders or globs (.yaml, .pdf, .txt, .md); - reads one YAML or PDF DPIA from standard input.", show_default=False, readable=False)],
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="Report format: text, json, sarif, junit, github, md, html, pdf (needs Chromium), docx (needs the docx extra). [default: text, or the config]", show_default=False)] = None,
    output: Annotated[list[str] | None, typer.Option("--output", "-o", help="Write the report to PATH (as --format; with no format set, as its extension says: .json, .sarif, .md, .html, .pdf, .docx, .xml), or FORMAT=PATH (repeatable).")] = None,
    fail_on: Annotated[Severity | None, typer.Option("--fail-on", help="Exit 1 when a finding fails at or above this severity. [default: info, or the config]", show_default=False)] = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help="Language of the report text. [default: en, or the config]", show_default=False)] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Config file (.yaml, or .toml with [tool.dpia-check]); also DPIA_CHECK_CONFIG.")] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Read no config file and apply no waivers written in the DPIA itself (for files from outside: a submission cannot steer its own check).")] = False,
    select: Annotated[list[str] | None, typer.Option("--select", help="Run only these rules: ids, globs, articles (art54) or tags; comma-separated or repeated.")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Leave out these rules (same forms as --select).")] = None,
    severity: Annotated[list[str] | None, typer.Option("--severity", help="Override a severity: RULE=LEVEL (RULE may be a glob, article or tag; repeatable).")] = None,
    waivers: Annotated[Path | None, typer.Option("--waivers", help="Waivers file (YAML); the DPIA's own waivers: list always applies.")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="Baseline file: findings recorded there do not fail the run.")] = None,
    write_baseline: Annotated[Path | None, typer.Option("--write-baseline", help="Record the current failing findings as the baseline in this file.")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Parallel processes: for 4+ documents, or the pages and rules of one long PDF. [default: CPUs, at most 8]", show_default=False)] = None,
    pdf_engine: Annotated[PdfEngine, typer.Option("--pdf-engine", help="PDF text engine.")] = PdfEngine.pypdfium2,
    password: Annotated[str | None, typer.Option("--password", help="Password of an encrypted PDF.")] = None,
    max_size: Annotated[int, typer.Option("--max-size", min=1, help="Largest input file to read, in MB.")] = 50,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Largest PDF to read, in pages.")] = 2000,
    template: Annotated[Path | None, typer.Option("--template", help="Your own Jinja2 template for md/html/pdf memos.")] = None,
    summary: Annotated[bool, typer.Option("--summary", help="With --format md: a short summary for a pull-request comment.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show evidence for passing findings too.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain terminal output.")] = False,
) -> None:
    """Check DPIA files and print or write a gap report.

    Several files, folders or globs give one combined report (JSON: reports + summary); folders are searched for YAML files with a dpia_format key and PDFs.

    Exit codes: 0 no failing finding at or above --fail-on; 1 at least one; 2 unusable input or options (in a batch: any document that could not be read; the others are still reported).
    """
    from dpia_check.run import RunConfig, run_check

    cfg = RunConfig(
        files=files,
        fmt=fmt,
        outputs=output or [],
        fail_on=fail_on.value if fail_on else None,
        lang=lang.value if lang else None,
        pdf_engine=pdf_engine.value,
        password=password,
        max_bytes=max_size * 1024 * 1024,
        max_pages=max_pages,
        verbose=verbose,
        color=not no_color,
        template=template,
        summary=summary,
        config=config,
        select=select,
        ignore=ignore,
        severity=severity,
        waivers=waivers,
        baseline=baseline,
        write_baseline=write_baseline,
        jobs=jobs,
        isolated=isolated,
    )
    raise typer.Exit(run_check(cfg))


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The earlier DPIA (YAML or PDF; - for standard input).", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The later DPIA (YAML or PDF; - for standard input).", show_default=False)],
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="text, json or md.")] = DiffFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the comparison to PATH instead of stdout.")] = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help="Language of the messages. [default: en, or the config]", show_default=False)] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Config file (rule selection, severities, language).")] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Read no config file (for files from outside).")] = False,
    select: Annotated[list[str] | None, typer.Option("--select", help="Compare only these rules (ids, globs, art54, tags).")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Leave out these rules.")] = None,
    fail_on_new: Annotated[bool, typer.Option("--fail-on-new", help="Exit 1 when NEW has a failing gap that OLD did not have (at or above fail_on).")] = False,
    pdf_engine: Annotated[PdfEngine, typer.Option("--pdf-engine", help="PDF text engine.")] = PdfEngine.pypdfium2,
    max_size: Annotated[int, typer.Option("--max-size", min=1, help="Largest input file to read, in MB.")] = 50,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Largest PDF to read, in pages.")] = 2000,
) -> None:
    """Compare two versions of a DPIA: gaps closed, new gaps, gaps that changed (with citations)."""
    from dpia_check.diff import DiffRun, run_diff
    from dpia_check.load import LoadOptions

    run = DiffRun(
        old=old,
        new=new,
        fmt=fmt.value,
        output=output,
        lang=lang.value if lang else None,
        config=config,
        select=select,
        ignore=ignore,
        fail_on_new=fail_on_new,
        isolated=isolated,
        load=LoadOptions(max_bytes=max_size * 1024 * 1024, pdf_engine=pdf_engine.value, max_pages=max_pages),
    )
    raise typer.Exit(run_diff(run))


config_app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show(
    targets: Annotated[list[Path] | None, typer.Argument(help="Files or folders whose config to show (default: the current folder).", show_default=False)] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Config file to add on top of the discovered ones.")] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Read no config file: show what --isolated runs use.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Print every setting, its effective value and where it came from."""
    from dpia_check.config import load_settings
    from dpia_check.report.json_out import dumps

    settings = load_settings(list(targets or [Path(".")]), explicit=config, isolated=isolated)
    if fmt == "json":
        sys.stdout.write(dumps(settings.to_dict()))
    elif fmt == "text":
        sys.stdout.write(settings.render_text())
    else:
        raise InputError("--format", f"unknown format {fmt!r}", hint="use text or json")


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A DPIA as PDF, .txt or .md.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the draft YAML here (default: stdout).")] = None,
    pdf_engine: Annotated[PdfEngine, typer.Option("--pdf-engine", help="PDF text engine.")] = PdfEngine.pypdfium2,
    password: Annotated[str | None, typer.Option("--password", help="Password of an encrypted PDF.")] = None,
    max_size: Annotated[int, typer.Option("--max-size", min=1, help="Largest input file to read, in MB.")] = 50,
    max_pages: Annotated[int, typer.Option("--max-pages", min=1, help="Largest PDF to read, in pages.")] = 2000,
) -> None:
    """Turn a PDF or text DPIA into a draft YAML DPIA to correct and re-check."""
    from dpia_check.extract import run_extract
    from dpia_check.load import LoadOptions

    run_extract(file, output, LoadOptions(max_bytes=max_size * 1024 * 1024, pdf_engine=pdf_engine.value, password=password, max_pages=max_pages))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the DPIA YAML format (for editors and validators)."""
    from dpia_check.report.json_out import dumps
    from dpia_check.schema import DPIA_SCHEMA

    sys.stdout.write(dumps(DPIA_SCHEMA))


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the skeleton (e.g. my-system.dpia.yaml).")],
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the comments and prompts.")] = Lang.en,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented DPIA skeleton to fill in."""
    from dpia_check.output import write_atomic
    from dpia_check.skeleton import skeleton

    if path.exists() and not force:
        raise InputError(str(path), "already exists", hint="use --force to overwrite")
    write_atomic(path, skeleton(lang.value, name=str(path)))
    typer.echo(f"wrote {path}; fill it in, then run: dpia-check check {path}")


@rules_app.command("list")
def rules_list(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    lang: Annotated[Lang, typer.Option("--lang", help="Language of titles.")] = Lang.en,
) -> None:
    """List every rule: id, citation, regime, severity, title."""
    from dpia_check.ruledocs import rules_listing

    sys.stdout.write(rules_listing(fmt, lang.value))


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. lpdp.54.6.3-risk-assessment.")],
    lang: Annotated[Lang, typer.Option("--lang", help="Language.")] = Lang.en,
) -> None:
    """Explain a rule: what it checks, why (the law), how to fix, and examples."""
    from dpia_check.ruledocs import explain_rule

    sys.stdout.write(explain_rule(rule_id, lang.value))


def _click_kind(exc: BaseException) -> str | None:
    """Name of the click exception class behind ``exc`` (click may be vendored by typer)."""
    names = {c.__name__ for c in type(exc).__mro__}
    for kind in ("NoArgsIsHelpError", "UsageError", "Abort", "Exit"):
        if kind in names:
            return kind
    return None


class _ReaderMayLeave:
    """``sys.stdout`` for one run: when the reader goes away (``dpia-check check ... | head``)
    the rest of the output is dropped and the run goes on, so the exit code still says
    what the check found (files named with -o are still written). Without this, click
    turns the broken pipe into exit 1, which here means "failing findings"."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.reader_left = False

    def write(self, text: str) -> int:
        if not self.reader_left:
            try:
                return int(self._stream.write(text))
            except BrokenPipeError:
                self._drop()
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.reader_left:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()

    def _drop(self) -> None:
        self.reader_left = True
        try:  # what is still buffered, and the flush at exit, go nowhere instead of failing
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self._stream.fileno())
            finally:
                os.close(devnull)
        except (OSError, ValueError, AttributeError):
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def entry() -> None:
    """The ``dpia-check`` command (and ``python -m dpia_check``): :func:`main`, then a quick exit.

    An interpreter that exits normally frees every object it holds one by one: the rule
    set, the compiled lexicons, a long document's units and sentences. That took 30-60 ms
    after every check, for nothing. Once the command has finished, its output is flushed
    and the atexit handlers have run, the process ends at once (mypy does the same). A
    library caller of :func:`main`, a test for instance, is not affected."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    _quick_exit(code)


def _exit_code(code: object) -> int:
    """What the interpreter would make of ``SystemExit(code)`` (a message goes to stderr)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1


def _quick_exit(code: int) -> None:
    import atexit
    import threading

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None or threading.active_count() > 1:
        sys.exit(code)  # something still runs, or no way to run the handlers: exit normally
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        pass  # the reader left before the last of the output: the exit code stays the verdict
    except (OSError, ValueError) as exc:  # a full disk, say: the report is incomplete
        sys.stderr.write(f"dpia-check: error: standard output could not be written ({exc})\n")
        code = EXIT_INPUT
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass
    run_exit_handlers()
    os._exit(code)


def main() -> None:
    """Entry point: every input or usage error becomes one line on stderr and exit 2."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    stdout = sys.stdout
    if stdout is not None:
        sys.stdout = _ReaderMayLeave(stdout)  # type: ignore[assignment]
    try:
        _main(debug)
    finally:
        sys.stdout = stdout


def _main(debug: bool) -> None:
    try:
        code = app(standalone_mode=False)
    except (InputError, MissingExtraError) as exc:
        if debug:
            raise
        sys.stderr.write(f"dpia-check: error: {exc}\n")
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        sys.stderr.write("dpia-check: interrupted\n")
        sys.exit(130)
    except Exception as exc:
        kind = _click_kind(exc)
        ctx = getattr(exc, "ctx", None)
        if kind == "NoArgsIsHelpError":
            # no arguments at all: the help text is the most useful answer
            sys.stdout.write((ctx.get_help() if ctx else "") + "\n")
            sys.exit(0)
        if kind == "UsageError" and not debug:
            cmd = ctx.command_path if ctx else "dpia-check"
            message = " ".join(exc.format_message().split())  # type: ignore[attr-defined]
            sys.stderr.write(f"dpia-check: error: {message} (see '{cmd} --help')\n")
            sys.exit(EXIT_INPUT)
        if kind == "Abort":
            sys.stderr.write("dpia-check: interrupted\n")
            sys.exit(130)
        if kind == "Exit":
            sys.exit(getattr(exc, "exit_code", 0))
        if debug:
            raise
        # a bug, not the user's input: still one line and exit 2, never exit 1 ("findings")
        detail = " ".join(str(exc).split())[:200]
        sys.stderr.write(
            f"dpia-check: error: internal error ({type(exc).__name__}{': ' + detail if detail else ''}) — "
            "run again with --debug for the traceback and report it\n"
        )
        sys.exit(EXIT_INPUT)
    sys.exit(code if isinstance(code, int) else 0)
