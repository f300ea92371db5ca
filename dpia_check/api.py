"""The library API behind the CLI: load, check, render. Usable from Python directly::

    from dpia_check.api import check_file
    report = check_file("samples/hospital-booking.dpia.yaml")
    print(report.summary)
"""

from __future__ import annotations

from pathlib import Path

from dpia_check.engine import CheckOptions, Engine
from dpia_check.load import LoadOptions, load_document
from dpia_check.report.model import Report
from dpia_check.rules import RuleSet, load_ruleset


def check_file(
    path: Path | str,
    *,
    load_options: LoadOptions | None = None,
    options: CheckOptions | None = None,
    ruleset: RuleSet | None = None,
) -> Report:
    """Load one DPIA file and judge it against the (default LPDP) rule set."""
    doc = load_document(Path(path), load_options)
    rs = ruleset or load_ruleset()
    return Engine(rs).run(doc, options)


def render(report: Report, fmt: str, **kwargs: object) -> str | bytes:
    """Render a report in a named format (json, md, html, sarif, ...)."""
    from dpia_check.report.registry import renderer

    mod = renderer(fmt)
    return mod.render(report, **kwargs)  # type: ignore[no-any-return]
