"""The findings memo as one self-contained HTML page: inline CSS, no scripts, no network, print-ready."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dpia_check.report.memo import build_memo
from dpia_check.report.model import Report
from dpia_check.report.templating import render_template


def render(report: Report, *, ruleset: Any = None, template: Path | None = None, summary: bool = False, **_: Any) -> str:
    """Render with the shipped template, or ``template`` when it is an HTML template (autoescaped)."""
    context = {"memo": build_memo(report, ruleset), "report": report.to_dict(), "summary": summary}
    html = render_template("html", "memo.html.j2", template, context)
    return html if html.endswith("\n") else html + "\n"
