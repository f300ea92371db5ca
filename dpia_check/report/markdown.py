"""The findings memo in Markdown, or with ``summary=True`` a short pull-request comment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dpia_check.report.memo import build_memo
from dpia_check.report.model import Report
from dpia_check.report.templating import render_template


def render(report: Report, *, ruleset: Any = None, template: Path | None = None, summary: bool = False, **_: Any) -> str:
    """Render with the shipped template, or ``template`` when it is a Markdown template."""
    memo = build_memo(report, ruleset)
    name = "summary.md.j2" if summary else "memo.md.j2"
    context = {"memo": memo, "report": report.to_dict(), "summary": summary}
    return _tidy(render_template("md", name, None if summary else template, context))


def _tidy(text: str) -> str:
    """Collapse runs of blank lines the template's conditionals leave, and end with one newline."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line and lines and not lines[-1]:
            continue
        lines.append(line)
    return "\n".join(lines).strip("\n") + "\n"
