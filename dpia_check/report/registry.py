"""Output formats and where their renderers live (imported lazily: start-up time matters).

Every renderer module exposes ``render(report, *, ruleset, template=None, summary=False)``
returning ``str`` (text formats, may go to stdout) or ``bytes`` (binary formats, which must be
written to a file with ``-o``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from dpia_check.errors import InputError


@dataclass(frozen=True)
class Format:
    name: str
    module: str
    binary: bool
    extension: str
    description: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "dpia_check.report.plain", False, ".txt", "coloured terminal report (default); plain text in a file"),
        Format("json", "dpia_check.report.json_out", False, ".json", "the JSON report contract"),
        Format("md", "dpia_check.report.markdown", False, ".md", "findings memo in Markdown; with --summary a pull-request comment"),
        Format("html", "dpia_check.report.html", False, ".html", "findings memo as one self-contained HTML page"),
        Format("pdf", "dpia_check.report.pdf", True, ".pdf", "findings memo as PDF (printed by headless Chromium/Chrome/Edge)"),
        Format("docx", "dpia_check.report.docx_out", True, ".docx", 'findings memo as Word document (pip install "dpia-check[docx]")'),
        Format("sarif", "dpia_check.report.sarif", False, ".sarif", "SARIF 2.1.0 for code-scanning tools"),
        Format("junit", "dpia_check.report.junit", False, ".xml", "JUnit XML for CI test reporters"),
        Format("github", "dpia_check.report.github", False, ".txt", "GitHub Actions annotations (::error file=..,line=..::)"),
    )
}


def register(fmt: Format) -> None:
    FORMATS[fmt.name] = fmt


def get_format(name: str) -> Format:
    if name not in FORMATS:
        raise InputError("--format", f"unknown format {name!r}", hint="choose one of: " + ", ".join(sorted(FORMATS)))
    return FORMATS[name]


_EXTENSION_ALIASES = {".markdown": "md", ".htm": "html"}


def format_for_extension(suffix: str) -> str | None:
    """The format a file name asks for (``report.sarif`` → sarif), from the formats' own
    extensions; None for ``.txt`` and the unknown, which text and github share."""
    suffix = suffix.lower()
    if suffix in _EXTENSION_ALIASES:
        return _EXTENSION_ALIASES[suffix]
    names = [f.name for f in FORMATS.values() if f.extension == suffix]
    return names[0] if len(names) == 1 else None


def renderer(name: str) -> Any:
    return importlib.import_module(get_format(name).module)
