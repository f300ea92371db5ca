"""The terminal report as plain text, for ``-o report.txt`` (the terminal renderer draws on a console)."""

from __future__ import annotations

import io
from typing import Any

from dpia_check.report.model import Report

WIDTH = 100


def render(report: Report, *, ruleset: Any = None, **_: Any) -> str:
    """The same report the terminal shows, without colours, wrapped at a fixed width."""
    from rich.console import Console

    from dpia_check.report import terminal

    if ruleset is None:
        from dpia_check.rules import load_ruleset

        ruleset = load_ruleset()
    console = Console(file=io.StringIO(), record=True, width=WIDTH, no_color=True, color_system=None, highlight=False, soft_wrap=False)
    titles = {a: info.title.get(report.lang) for a, info in ruleset.articles.items()}
    terminal.render(report, console, article_titles=titles)
    text = console.export_text(styles=False)
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
