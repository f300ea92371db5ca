"""The command-line interface: parse arguments, call the library, choose a renderer.

Kept thin on purpose; the logic lives in dpia_check.api and the modules it calls.
Heavy modules (PDF engines, Jinja2, rule loading) are imported inside commands so
``--help`` stays fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

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
)
rules_app = typer.Typer(help="List the rules of the LPDP rule set.", no_args_is_help=True)
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
    files: Annotated[list[Path], typer.Argument(help="DPIA files (.yaml, .pdf, .txt, .md).", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", "-f", help="Report format: text, json (more with extras).")] = "text",
    output: Annotated[Optional[list[str]], typer.Option("--output", "-o", help="Write the report to PATH, or FORMAT=PATH (repeatable).")] = None,
    fail_on: Annotated[Severity, typer.Option("--fail-on", help="Exit 1 when a finding fails at or above this severity.")] = Severity.info,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the report text.")] = Lang.en,
    pdf_engine: Annotated[PdfEngine, typer.Option("--pdf-engine", help="PDF text engine.")] = PdfEngine.pypdfium2,
    password: Annotated[Optional[str], typer.Option("--password", help="Password of an encrypted PDF.")] = None,
    max_size: Annotated[int, typer.Option("--max-size", help="Largest input file to read, in MB.")] = 50,
    max_pages: Annotated[int, typer.Option("--max-pages", help="Largest PDF to read, in pages.")] = 2000,
    template: Annotated[Optional[Path], typer.Option("--template", help="Your own Jinja2 template for md/html/pdf memos.")] = None,
    summary: Annotated[bool, typer.Option("--summary", help="With --format md: a short summary for a pull-request comment.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show evidence for passing findings too.")] = False,
    no_color: Annotated[bool, typer.Option("--no-color", help="Plain terminal output.")] = False,
) -> None:
    """Check DPIA files and print or write a gap report.

    Exit codes: 0 no failing finding at or above --fail-on; 1 at least one; 2 unusable input or options.
    """
    from dpia_check.run import RunConfig, run_check

    cfg = RunConfig(
        files=files,
        fmt=fmt,
        outputs=output or [],
        fail_on=fail_on.value,
        lang=lang.value,
        pdf_engine=pdf_engine.value,
        password=password,
        max_bytes=max_size * 1024 * 1024,
        max_pages=max_pages,
        verbose=verbose,
        color=not no_color,
        template=template,
        summary=summary,
    )
    raise typer.Exit(run_check(cfg))


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A DPIA as PDF, .txt or .md.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the draft YAML here (default: stdout).")] = None,
    pdf_engine: Annotated[PdfEngine, typer.Option("--pdf-engine", help="PDF text engine.")] = PdfEngine.pypdfium2,
    password: Annotated[Optional[str], typer.Option("--password", help="Password of an encrypted PDF.")] = None,
    max_size: Annotated[int, typer.Option("--max-size", help="Largest input file to read, in MB.")] = 50,
    max_pages: Annotated[int, typer.Option("--max-pages", help="Largest PDF to read, in pages.")] = 2000,
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


def main() -> None:
    """Entry point: turn input errors into one line on stderr and exit 2."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        app(standalone_mode=True)
    except InputError as exc:
        if debug:
            raise
        sys.stderr.write(f"dpia-check: error: {exc}\n")
        sys.exit(EXIT_INPUT)
    except MissingExtraError as exc:
        sys.stderr.write(f"dpia-check: error: {exc}\n")
        sys.exit(EXIT_INPUT)
    except KeyboardInterrupt:
        sys.stderr.write("dpia-check: interrupted\n")
        sys.exit(130)
