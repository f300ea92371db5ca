"""The terminal report: findings grouped by article, coloured by status and severity."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text as RText

from dpia_check.i18n import tr
from dpia_check.model import Location
from dpia_check.report.model import Finding, Report

STATUS_STYLE = {
    "fail": ("✗ FAIL", "bold red"),
    "warn": ("! WARN", "yellow"),
    "manual": ("? MANUAL", "magenta"),
    "pass": ("✓ pass", "green"),
    "not_applicable": ("– n/a", "dim"),
    "waived": ("~ waived", "cyan"),
}
SEVERITY_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}


# mixed case on purpose: all-caps words of up to five letters stay Latin in Cyrillic output
_STATUS_SR = {"fail": "✗ Ne", "warn": "! Pažnja", "manual": "? Ručno", "pass": "✓ da", "not_applicable": "– n/p", "waived": "~ izuzeto"}
_SEVERITY_SR = {"critical": "kritično", "high": "visoko", "medium": "srednje", "low": "nisko", "info": "info"}


def _status_label(status: str, lang: str) -> str:
    return tr(lang, STATUS_STYLE[status][0], _STATUS_SR[status])


def _severity_label(severity: str, lang: str) -> str:
    return tr(lang, severity, _SEVERITY_SR[severity])


def _where(loc: Location, lang: str) -> str:
    """``line 12`` / ``p. 4, line 3`` in the report's language."""
    parts: list[str] = []
    if loc.page is not None:
        parts.append(tr(lang, f"p. {loc.page}", f"str. {loc.page}"))
    if loc.line is not None:
        parts.append(tr(lang, f"line {loc.line}", f"red {loc.line}"))
    return ", ".join(parts) or "—"


def render(report: Report, console: Console, *, verbose: bool = False, article_titles: dict[int, str] | None = None) -> None:
    """Print the report. Fails, warnings and manual checks are shown in full; passes in one line
    (with their evidence when ``verbose``)."""
    lang = report.lang
    doc = report.document
    head = RText()
    head.append(doc.title or doc.path, style="bold")
    head.append(f"\n{doc.path}  ·  {doc.format}")
    if doc.pages:
        head.append(f"  ·  {doc.pages} " + tr(lang, "pages", "strana"))
    if doc.language:
        head.append(f"  ·  {doc.language}")
    head.append("\n" + tr(lang, "Regime: ", "Režim: ") + str(report.regime.get("reason_text", "")), style="italic")
    console.print(Panel(head, title="dpia-check", title_align="left", border_style="blue"))
    for w in report.warnings:
        loc = w["location"]
        where = tr(lang, f"line {loc['line']}", f"red {loc['line']}") if loc.get("line") else ""
        console.print(f"[yellow]{tr(lang, 'warning', 'upozorenje')}[/] {escape(w['message'])}" + (f" [dim]({where})[/]" if where else ""))
    titles = article_titles or {}
    for article, group in groupby(report.findings, key=lambda f: f.citation.article):
        items = list(group)
        heading = tr(lang, f"Art. {article}", f"Član {article}.")
        if article in titles:
            heading += f" — {titles[article]}"
        console.print()
        console.rule(RText(heading, style="bold"), align="left")
        for f in items:
            _finding(console, f, lang, verbose)
    console.print()
    console.print(_summary_line(report))


def _finding(console: Console, f: Finding, lang: str, verbose: bool) -> None:
    label, style = STATUS_STYLE[f.status]
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, min_width=10)
    grid.add_column(no_wrap=True, min_width=14)
    grid.add_column(no_wrap=True, min_width=8)
    grid.add_column(ratio=1)
    title = RText(f.title)
    title.append(f"  {f.rule}", style="dim")
    grid.add_row(
        RText(_status_label(f.status, lang), style=style),
        RText(f.citation.text_in(lang), style="bold"),
        RText(_severity_label(f.severity, lang), style=SEVERITY_STYLE.get(f.severity, "")),
        title,
    )
    console.print(grid)
    full = f.status in ("fail", "warn", "manual", "waived") or verbose
    if not full:
        return
    body: list[RText] = [RText(f.message)]
    for e in f.evidence[:4]:
        loc = e.location
        where = _where(loc, lang)
        if loc.pointer and loc.page is None:
            where += f" {loc.pointer}"
        t = RText("↳ ", style="dim")
        t.append(where, style="cyan")
        if e.quote:
            t.append(f"  “{e.quote}”", style="italic")
        body.append(t)
    if f.status in ("fail", "warn", "manual"):
        body.append(RText(tr(lang, "Fix: ", "Popravka: ") + f.remediation, style="green"))
    if f.waiver:
        body.append(RText(tr(lang, "Waived: ", "Izuzeto: ") + str(f.waiver.get("reason", "")), style="cyan"))
    if f.note:
        body.append(RText(f.note, style="yellow"))
    console.print(Padding(Group(*body), (0, 0, 0, 2)))


def _summary_line(report: Report) -> RText:
    s = report.summary
    lang = report.lang
    t = RText()
    verdict = s["verdict"]
    t.append(tr(lang, "Verdict: ", "Ocena: "), style="bold")
    t.append(tr(lang, verdict.upper(), "Nije prošla" if verdict == "fail" else "Prošla"), style="bold red" if verdict == "fail" else "bold green")
    t.append(f"  (--fail-on {s['fail_on']})\n")
    names_sr = {"fail": "nije ispunjeno", "warn": "upozorenja", "manual": "ručna provera", "pass": "ispunjeno", "not_applicable": "ne primenjuje se", "waived": "izuzeto"}
    for key, style in (("fail", "red"), ("warn", "yellow"), ("manual", "magenta"), ("pass", "green"), ("not_applicable", "dim"), ("waived", "cyan")):
        t.append(tr(lang, key.replace("_", " "), names_sr[key]) + f": {s[key]}  ", style=style)
    return t
