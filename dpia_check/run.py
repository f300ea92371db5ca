"""One ``dpia-check check`` run: load each file, judge it, render to stdout and files.

Separated from the CLI so tests and other programs can drive a whole run and get
the exit code back without a subprocess.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dpia_check.errors import EXIT_FINDINGS, EXIT_OK, InputError


@dataclass
class RunConfig:
    files: list[Path]
    fmt: str = "text"
    outputs: list[str] = field(default_factory=list)
    fail_on: str = "info"
    lang: str = "en"
    pdf_engine: str = "pypdfium2"
    password: str | None = None
    max_bytes: int = 50 * 1024 * 1024
    max_pages: int = 2000
    verbose: bool = False
    color: bool = True
    template: Path | None = None
    summary: bool = False


def parse_outputs(specs: list[str], default_fmt: str) -> list[tuple[str, Path]]:
    """``-o PATH`` uses --format; ``-o FMT=PATH`` names its own format."""
    from dpia_check.report.registry import FORMATS, get_format

    out: list[tuple[str, Path]] = []
    for spec in specs:
        fmt, sep, path = spec.partition("=")
        if sep and fmt in FORMATS:
            out.append((fmt, Path(path)))
        elif sep and "/" not in fmt and "." not in fmt:
            get_format(fmt)  # raises a clear error for an unknown format
        else:
            out.append((default_fmt, Path(spec)))
    return out


def render_to(report: Any, fmt: str, cfg: RunConfig, ruleset: Any) -> str | bytes:
    """Every renderer takes the report plus the same keyword options."""
    from dpia_check.report.registry import renderer

    mod = renderer(fmt)
    return mod.render(report, ruleset=ruleset, template=cfg.template, summary=cfg.summary)  # type: ignore[no-any-return]


def run_check(cfg: RunConfig) -> int:
    """Run the check; return the exit code (0 clean, 1 failing findings). Raises InputError."""
    from dpia_check.engine import CheckOptions, Engine
    from dpia_check.load import LoadOptions, load_document
    from dpia_check.output import write_atomic
    from dpia_check.report.registry import get_format
    from dpia_check.rules import load_ruleset

    get_format(cfg.fmt)
    outputs = parse_outputs(cfg.outputs, cfg.fmt)
    for _, p in outputs:
        if not (p.parent if str(p.parent) else Path(".")).exists():
            raise InputError(str(p), f"output folder {p.parent} does not exist", hint="create it first or choose another --output path")
    if len(cfg.files) != 1:
        raise InputError(", ".join(map(str, cfg.files)) or "(none)", "give exactly one DPIA file")
    ruleset = load_ruleset()
    doc = load_document(
        cfg.files[0],
        LoadOptions(max_bytes=cfg.max_bytes, pdf_engine=cfg.pdf_engine, password=cfg.password, max_pages=cfg.max_pages),
    )
    report = Engine(ruleset).run(doc, CheckOptions(lang=cfg.lang, fail_on=cfg.fail_on))
    # render everything first, then write: nothing is half-written if a renderer fails
    rendered = [(path, render_to(report, fmt, cfg, ruleset)) for fmt, path in outputs]
    for path, payload in rendered:
        write_atomic(path, payload)
    if not outputs or cfg.fmt == "text":
        if cfg.fmt == "text":
            from rich.console import Console

            from dpia_check.report import terminal

            console = Console(no_color=not cfg.color, highlight=False, soft_wrap=False)
            titles = {a: info.title.get(cfg.lang) for a, info in ruleset.articles.items()}
            terminal.render(report, console, verbose=cfg.verbose, article_titles=titles)
        else:
            payload = render_to(report, cfg.fmt, cfg, ruleset)
            if isinstance(payload, bytes):
                raise InputError(cfg.fmt, f"the {cfg.fmt} format is binary", hint="write it to a file with --output")
            sys.stdout.write(payload)
    return EXIT_FINDINGS if report.failing() else EXIT_OK
