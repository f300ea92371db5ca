"""JUnit XML for CI test reporters: one testsuite per document, one testcase per rule.

Mapping (so a test report reads like the exit code):
- ``fail``  → ``<failure>`` with the message, the citation, the evidence and the remedy;
- ``warn``  → passes, with the warning in ``<system-out>`` (a warning never fails a run);
- ``manual`` → ``<skipped>`` "manual check needed" (the tool could not decide);
- ``not_applicable`` and ``waived`` → ``<skipped>`` with the reason;
- ``pass``  → an empty, passing testcase.
No timestamps or durations: the same input gives the same bytes.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from dpia_check.i18n import tr
from dpia_check.report.memo import cite, where
from dpia_check.report.model import Finding, Report

# characters XML 1.0 cannot carry at all (control characters other than tab, LF, CR)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: Any) -> str:
    return _XML_ILLEGAL.sub("\ufffd", str(text))


def _attr(text: Any) -> str:
    return quoteattr(_clean(text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def _body(f: Finding, lang: str) -> str:
    lines = [f"{cite(f.citation, lang)} — {f.title}", f.message]
    for e in f.evidence:
        place = where(e, lang) or "—"
        if e.location.pointer:
            place += f" {e.location.pointer}"
        lines.append(f"  {place}: " + (f"“{e.quote}”" if e.quote else tr(lang, "not found", "nije nađeno")))
    lines.append(tr(lang, "Remedy: ", "Kako otkloniti: ") + f.remediation)
    return "\n".join(lines)


def _testcase(f: Finding, classname: str, path: str, lang: str) -> str:
    name = f"{f.rule}: {f.title}"
    line = next((e.location.line for e in f.evidence if e.location.line and e.location.page is None), None)
    attrs = f"classname={_attr(classname)} name={_attr(name)} file={_attr(path)}"
    if line:
        attrs += f' line="{line}"'
    head = f"    <testcase {attrs}"
    citation = cite(f.citation, lang)
    if f.status == "fail":
        msg = f"{citation}: {f.message}"
        return f"{head}>\n      <failure message={_attr(msg)} type={_attr(f.severity)}>{escape(_clean(_body(f, lang)))}</failure>\n    </testcase>\n"
    if f.status == "warn":
        warning = tr(lang, "WARNING ", "UPOZORENJE ")
        return f"{head}>\n      <system-out>{escape(_clean(warning + _body(f, lang)))}</system-out>\n    </testcase>\n"
    if f.status == "manual":
        msg = tr(lang, "manual check needed: ", "potrebna ručna provera: ") + f"{citation}: {f.message}"
        return f"{head}>\n      <skipped message={_attr(msg)}/>\n    </testcase>\n"
    if f.status == "not_applicable":
        return f"{head}>\n      <skipped message={_attr(f.message)}/>\n    </testcase>\n"
    if f.status == "waived":
        reason = str((f.waiver or {}).get("reason", ""))
        msg = tr(lang, "waived: ", "izuzeto: ") + (reason or f.message)
        return f"{head}>\n      <skipped message={_attr(msg)}/>\n    </testcase>\n"
    return f"{head}/>\n"


def _suite(report: Report) -> tuple[str, int, int, int]:
    """One ``<testsuite>``: (xml, tests, failures, skipped)."""
    doc = report.document
    lang = report.lang
    fs = report.findings
    failures = sum(1 for f in fs if f.status == "fail")
    skipped = sum(1 for f in fs if f.status in ("manual", "not_applicable", "waived"))
    tool = report.tool
    props = {
        "document": doc.path,
        "sha256": doc.sha256,
        "format": doc.format,
        "regime": ",".join(report.regime.get("applied", [])),
        "ruleset": f"{tool.get('ruleset')} {tool.get('ruleset_version')}",
        "tool": f"{tool.get('name')} {tool.get('version')}",
        "verdict": report.summary["verdict"],
        "fail_on": report.fail_on,
    }
    out = [f'  <testsuite name={_attr(doc.title or doc.path)} tests="{len(fs)}" failures="{failures}" errors="0" skipped="{skipped}" file={_attr(doc.path)}>\n']
    out.append("    <properties>\n")
    out += [f"      <property name={_attr(k)} value={_attr(v)}/>\n" for k, v in props.items()]
    out.append("    </properties>\n")
    out += [_testcase(f, f"{tool.get('ruleset', 'lpdp')}.art{f.citation.article}", doc.path, lang) for f in fs]
    out.append("  </testsuite>\n")
    return "".join(out), len(fs), failures, skipped


def _error_suite(path: str, error: str) -> str:
    """A document that could not be checked: one testcase with an ``<error>``."""
    return (
        f'  <testsuite name={_attr(path)} tests="1" failures="0" errors="1" skipped="0" file={_attr(path)}>\n'
        f"    <testcase classname={_attr('dpia-check')} name={_attr('load')} file={_attr(path)}>\n"
        f"      <error message={_attr(error)} type={_attr('input')}/>\n"
        "    </testcase>\n  </testsuite>\n"
    )


def _document(suites: list[tuple[str, int, int, int]], errors: int) -> str:
    tests = sum(s[1] for s in suites) + errors
    failures = sum(s[2] for s in suites)
    skipped = sum(s[3] for s in suites)
    head = f'<testsuites name="dpia-check" tests="{tests}" failures="{failures}" errors="{errors}" skipped="{skipped}">\n'
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + head + "".join(s[0] for s in suites) + "</testsuites>\n"


def render(report: Report, **_: Any) -> str:
    """One ``<testsuites>`` with one ``<testsuite>`` for the document."""
    return _document([_suite(report)], 0)


def render_many(outcomes: list[Any]) -> str:
    """A batch: one ``<testsuite>`` per document; a document that failed to load is an error."""
    suites = [_suite(o.report) for o in outcomes if o.report is not None]
    errors = [o for o in outcomes if o.report is None]
    xml = _document(suites, len(errors))
    if errors:
        extra = "".join(_error_suite(o.path, o.error or "could not be checked") for o in errors)
        xml = xml.replace("</testsuites>\n", extra + "</testsuites>\n")
    return xml
