"""GitHub Actions workflow commands: one annotation per gap, shown on the DPIA file in the PR.

``fail`` findings that fail the run (at or above ``--fail-on``) are ``::error``, other ``fail``
findings and ``warn`` ones are ``::warning``, ``manual`` ones ``::notice``. Values are escaped
as the Actions toolkit does (``%``, CR, LF; plus ``:`` and ``,`` in properties), so a DPIA's
text cannot inject a workflow command of its own. A last plain line gives the totals.
"""

from __future__ import annotations

from typing import Any

from dpia_check.i18n import normalise_lang, tr
from dpia_check.report.memo import SEVERITY_LABELS, STATUS_LABELS, cite, where
from dpia_check.report.model import Finding, Report


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(f: Finding, failing: set[int], path: str, lang: str) -> str | None:
    if f.status == "fail":
        kind = "error" if id(f) in failing else "warning"
    elif f.status == "warn":
        kind = "warning"
    elif f.status == "manual":
        kind = "notice"
    else:
        return None
    props = [f"file={escape_property(path)}"]
    line = next((e.location.line for e in f.evidence if e.location.line and e.location.page is None), None)
    if line:
        props.append(f"line={line}")
    props.append(f"title={escape_property(f'{cite(f.citation, lang)} {f.title} [{f.rule}]')}")
    message = f.message
    places = [where(e, lang) for e in f.evidence if e.location.page is not None]
    if places:
        message += " (" + "; ".join(dict.fromkeys(places)) + ")"
    message += "\n" + tr(lang, "Remedy: ", "Kako otkloniti: ") + f.remediation
    return f"::{kind} {','.join(props)}::{escape_data(message)}"


def _lines(report: Report) -> list[str]:
    lang = report.lang
    failing = {id(f) for f in report.failing()}
    lines = [c for f in report.findings if (c := _command(f, failing, report.document.path, lang))]
    lines.append(_totals(report))
    return lines


def _totals(report: Report) -> str:
    """The last line: verdict, threshold and counts, in the report's language (the English
    line keeps its machine-friendly words: FAIL/PASS, fail-on, status names)."""
    lang, s = normalise_lang(report.lang), report.summary
    counts = ("fail", "warn", "manual", "pass", "not_applicable", "waived")
    if lang == "en":
        verdict, threshold = s["verdict"].upper(), f"fail-on {s['fail_on']}"
        names = [k.replace("_", " ") for k in counts]
    else:
        verdict = tr(lang, "", "nije prošla" if s["verdict"] == "fail" else "prošla").upper()  # (an all-caps word would stay Latin)
        severity = SEVERITY_LABELS.get(s["fail_on"])
        threshold = tr(lang, "", "prag") + ": " + (severity.get(lang).lower() if severity else str(s["fail_on"]))
        names = [STATUS_LABELS[k].get(lang).lower() for k in counts]
    return f"dpia-check: {report.document.path}: {verdict} ({threshold}) — " + ", ".join(f"{n} {s[k]}" for n, k in zip(names, counts, strict=True))


def render(report: Report, **_: Any) -> str:
    """Annotations, then one summary line."""
    return "\n".join(_lines(report)) + "\n"


def render_many(outcomes: list[Any]) -> str:
    """A batch: each document's annotations; a document that could not be checked is an error."""
    lines: list[str] = []
    for o in outcomes:
        if o.report is not None:
            lines += _lines(o.report)
        else:
            lines.append(f"::error file={escape_property(o.path)},title=dpia-check::{escape_data(o.error or 'could not be checked')}")
    return "\n".join(lines) + "\n"
