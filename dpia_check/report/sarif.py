"""SARIF 2.1.0 for code-scanning tools (GitHub, GitLab, Azure DevOps, VS Code SARIF viewer).

One run; the rules that were applied are ``tool.driver.rules``; every gap (fail, warn,
manual, waived) is a result. Passing and not-applicable rules are not results: code
scanning shows results as alerts, and a pass is not one.

Locations: YAML (and .txt/.md) evidence points at its file line. A PDF has no file lines,
so its region carries the page in ``region.properties.page`` (and the line counted on that
page in ``lineOnPage``). GitHub needs a ``startLine`` in every region, so evidence without a
line (a PDF page, or something absent from the DPIA) is anchored at line 1, and the
result's message says what is missing. A result's location is its first evidence that has a
place; the rest are ``relatedLocations``. ``partialFingerprints`` reuse the report's finding
fingerprint, which is stable across runs and line shifts, so alerts are tracked, not
re-opened.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from dpia_check.model import Evidence, Location
from dpia_check.report.mdtext import md_escape
from dpia_check.report.memo import LABELS, STATUS_LABELS, cite, label
from dpia_check.report.model import Finding, Report

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/dpia-check/dpia-check"
HELP_URI = "https://github.com/dpia-check/dpia-check/blob/main/docs/rules.md#{anchor}"
FINGERPRINT_KEY = "dpiaCheckFinding/v1"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
RESULT_STATUSES = ("fail", "warn", "manual", "waived")


def artifact_uri(path: str) -> str:
    """A relative path stays relative (GitHub resolves it against the repository root)."""
    p = Path(path)
    return p.as_uri() if p.is_absolute() else quote(p.as_posix())


def help_uri(rule_id: str) -> str:
    """The rule's section in docs/rules.md, by GitHub's heading anchor (``lpdp541-before-processing``)."""
    return HELP_URI.format(anchor=re.sub(r"[^\w\- ]", "", rule_id.lower()).replace(" ", "-"))


def level_of(f: Finding) -> str:
    """fail and waived: by severity; warn: at most a warning; manual: none (kind review)."""
    if f.status == "manual":
        return "none"
    if f.status == "warn":
        return "note" if LEVELS[f.severity] == "note" else "warning"
    return LEVELS[f.severity]


def _rule(rule: Any, f: Finding, lang: str) -> dict[str, Any]:
    why = rule.why.get(lang) if rule else f.message
    fix = rule.remediation.get(lang) if rule else f.remediation
    citation = cite(f.citation, lang)
    remedy = label(LABELS["remedy"], lang)
    return {
        "id": f.rule,
        "shortDescription": {"text": f"{citation}: {f.title}"},
        "fullDescription": {"text": why},
        "help": {
            "text": f"{f.title} ({citation}). {why}\n\n{remedy}: {fix}",
            "markdown": f"**{md_escape(f.title)}** ({md_escape(citation)})\n\n{md_escape(why)}\n\n**{remedy}:** {md_escape(fix)}",
        },
        "helpUri": help_uri(f.rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity if rule else f.severity]},
        "properties": {
            "tags": sorted({"dpia", "lpdp", *f.tags}),
            "citation": f.citation.text,
            "regime": f.regime,
            "severity": rule.severity if rule else f.severity,
            "related": {k: v for k, v in f.related.items() if v},
        },
    }


def _location(e: Evidence, uri: str) -> dict[str, Any]:
    loc = e.location
    region: dict[str, Any] = {"startLine": loc.line if (loc.line and loc.page is None) else 1}
    props: dict[str, Any] = {}
    if loc.page is not None:
        props["page"] = loc.page
        if loc.line is not None:
            props["lineOnPage"] = loc.line
    if e.quote is None:
        props["missing"] = True
    if props:
        region["properties"] = props
    if e.quote is not None and loc.page is None and loc.line:
        region["snippet"] = {"text": e.quote}
    out: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}
    if loc.pointer:
        out["logicalLocations"] = [{"fullyQualifiedName": loc.pointer, "kind": "object"}]
    return out


def _placed_first(evidence: list[Evidence]) -> list[Evidence]:
    """The evidence with the first place in the file (a line, or a PDF page) leads: it is the
    alert's location, as it is the annotation's line in the GitHub and JUnit formats; an
    absent field (no place) leads only when nothing was found anywhere."""
    first = next((i for i, e in enumerate(evidence) if e.location.line is not None or e.location.page is not None), 0)
    return [evidence[first], *evidence[:first], *evidence[first + 1 :]]


def _result(f: Finding, index: int, uri: str, lang: str) -> dict[str, Any]:
    evidence = _placed_first(f.evidence) if f.evidence else [Evidence(Location(path=uri))]
    locations = [_location(e, uri) for e in evidence]
    text = f"{cite(f.citation, lang)} {f.title}: {f.message}"
    if f.status == "manual":
        text += f" [{label(STATUS_LABELS['manual'], lang).lower()}]"
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index,
        "kind": "review" if f.status == "manual" else "fail",
        "level": level_of(f),
        "message": {"text": text},
        "locations": locations[:1],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"status": f.status, "severity": f.severity, "citation": f.citation.text, "remediation": f.remediation},
    }
    if len(locations) > 1:
        related = []
        for i, (e, loc) in enumerate(zip(evidence[1:], locations[1:], strict=True), start=1):
            item = {"id": i, **loc}
            if e.quote:
                item["message"] = {"text": e.quote}
            related.append(item)
        result["relatedLocations"] = related
    if f.status == "waived":
        reason = str((f.waiver or {}).get("reason", "waived"))
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": reason}]
    return result


def build(report: Report, ruleset: Any = None) -> dict[str, Any]:
    """The SARIF log as a dict (``render`` serialises it)."""
    lang = report.lang
    doc = report.document
    uri = artifact_uri(doc.path)
    rule_ids: list[str] = []
    first: dict[str, Finding] = {}
    for f in report.findings:
        if f.rule not in first:
            first[f.rule] = f
            rule_ids.append(f.rule)
    get = ruleset.get if ruleset is not None else (lambda _id: None)
    rules = [_rule(get(rid), first[rid], lang) for rid in rule_ids]
    index = {rid: i for i, rid in enumerate(rule_ids)}
    results = [_result(f, index[f.rule], uri, lang) for f in report.findings if f.status in RESULT_STATUSES]
    tool = report.tool
    artifact: dict[str, Any] = {"location": {"uri": uri}, "roles": ["analysisTarget"]}
    if doc.sha256:
        artifact["hashes"] = {"sha-256": doc.sha256}
    mime = {"yaml": "application/yaml", "pdf": "application/pdf", "text": "text/plain", "markdown": "text/markdown"}.get(doc.format)
    if mime:
        artifact["mimeType"] = mime
    summary = report.summary
    # per-document facts sit on the artifact, so a batch's logs merge into one run intact
    artifact["properties"] = {
        "verdict": summary["verdict"],
        "failOn": summary["fail_on"],
        "regime": report.regime.get("applied", []),
        "counts": {k: summary[k] for k in ("fail", "warn", "pass", "not_applicable", "manual", "waived")},
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": tool.get("name", "dpia-check"),
                        "version": tool.get("version", ""),
                        "semanticVersion": tool.get("version", ""),
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                        "properties": {"ruleset": tool.get("ruleset"), "rulesetVersion": tool.get("ruleset_version")},
                    }
                },
                "language": lang,
                "columnKind": "unicodeCodePoints",
                "artifacts": [artifact],
                "results": results,
            }
        ],
    }


def render(report: Report, *, ruleset: Any = None, **_: Any) -> str:
    """Deterministic SARIF JSON (stable key order, UTF-8 kept)."""
    if ruleset is None:
        from dpia_check.rules import load_ruleset

        ruleset = load_ruleset()
    return json.dumps(build(report, ruleset), ensure_ascii=False, indent=2) + "\n"
