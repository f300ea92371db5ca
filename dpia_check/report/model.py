"""The report: findings plus the facts about the document and the run.

``Report.to_dict`` is the JSON report contract (shared/spec/report-contract.md):
keys may be added, never renamed or dropped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from dpia_check.citation import Citation
from dpia_check.model import Evidence

STATUSES = ("fail", "warn", "pass", "not_applicable", "manual", "waived")
SEVERITY_ORDER = {"critical": 4, "high": 3, "medium": 2, "low": 1, "info": 0}


@dataclass
class Finding:
    rule: str
    citation: Citation
    status: str
    severity: str
    title: str
    message: str
    remediation: str
    evidence: list[Evidence]
    related: dict[str, str | None]
    regime: str = "both"
    waiver: dict[str, Any] | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    fingerprint: str = ""
    baseline: bool = False

    def sort_key(self) -> tuple[int, int, int, str]:
        return (*self.citation.sort_key(), self.rule)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "citation": self.citation.to_dict(),
            "status": self.status,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "remediation": self.remediation,
            "evidence": [e.to_dict() for e in self.evidence],
            "related": {"gdpr": self.related.get("gdpr"), "led": self.related.get("led")},
            "regime": self.regime,
            "fingerprint": self.fingerprint,
        }
        if self.waiver is not None:
            out["waiver"] = self.waiver
        if self.note:
            out["note"] = self.note
        if self.baseline:
            out["baseline"] = True
        return out


@dataclass
class DocumentInfo:
    path: str
    format: str
    language: str | None
    title: str | None
    pages: int | None
    readable: bool
    sha256: str
    controller: str | None = None
    controller_kind: str | None = None
    version: str | None = None
    date: str | None = None
    engine: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path,
            "format": self.format,
            "language": self.language,
            "title": self.title,
            "pages": self.pages,
            "readable": self.readable,
            "sha256": self.sha256,
            "controller": self.controller,
            "controller_kind": self.controller_kind,
            "version": self.version,
            "date": self.date,
        }
        if self.engine:
            out["engine"] = self.engine
        return out


@dataclass
class Report:
    tool: dict[str, str]
    document: DocumentInfo
    findings: list[Finding]
    fail_on: str
    lang: str
    regime: dict[str, Any]
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, Any]:
        counts = {s: 0 for s in ("fail", "warn", "pass", "not_applicable", "manual", "waived")}
        for f in self.findings:
            counts[f.status] += 1
        out: dict[str, Any] = dict(counts)
        out["verdict"] = "fail" if self.failing() else "pass"
        out["fail_on"] = self.fail_on
        by_sev = {s: 0 for s in SEVERITY_ORDER}
        for f in self.findings:
            if f.status == "fail":
                by_sev[f.severity] += 1
        out["failing_by_severity"] = by_sev
        return out

    def failing(self) -> list[Finding]:
        threshold = SEVERITY_ORDER[self.fail_on]
        return [f for f in self.findings if f.status == "fail" and SEVERITY_ORDER[f.severity] >= threshold and not f.baseline]

    def gravest(self, n: int = 3) -> list[Finding]:
        fails = [f for f in self.findings if f.status == "fail"]
        return sorted(fails, key=lambda f: (-SEVERITY_ORDER[f.severity], f.sort_key()))[:n]

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "document": self.document.to_dict(),
            "summary": self.summary,
            "regime": self.regime,
            "warnings": self.warnings,
            "findings": [f.to_dict() for f in self.findings],
        }


def fingerprint(rule: str, document_identity: str, pointer: str, content: str) -> str:
    """Stable across runs and line shifts: rule + document + pointer + normalised content."""
    norm = " ".join(content.split()).lower()
    raw = "\x1f".join((rule, document_identity, pointer, hashlib.sha256(norm.encode()).hexdigest()[:16]))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
