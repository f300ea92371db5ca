"""Accountable waivers: a known gap accepted by a named person, for a reason, until a date.

A waiver never hides a finding. A finding it covers keeps its place in the report with
status ``waived`` and the waiver attached, and the summary counts it. A waiver that is
expired, incomplete or aimed wider than the finding fails closed: the finding keeps its
status and gets a ``note`` that says why the waiver was not applied.

Waivers come from the DPIA's own ``waivers:`` list and from a waivers file
(``--waivers`` or the ``waivers`` setting), a YAML list of the same entries (or a
mapping with a ``waivers:`` list). File entries may add ``document:``: a glob matched
against the document's path, or its exact title; without it the entry applies to every
document checked.

``target`` is required: a JSON Pointer (``/risks/0``) covers findings whose evidence all
lies at or under it, ``page:12`` covers findings whose evidence is all on page 12 of a
PDF, and ``/`` covers the whole document (say so deliberately).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dpia_check.errors import InputError
from dpia_check.i18n import tr
from dpia_check.model import MISSING, Document, Location
from dpia_check.report.model import Finding, Report

KEYS = ("rule", "target", "reason", "owner", "approved_by", "expires", "document")
REQUIRED_TEXT = ("reason", "owner", "approved_by")
WAIVABLE = ("fail", "warn")


@dataclass(frozen=True)
class Waiver:
    """One waiver entry as written, plus what is wrong with it (empty = usable)."""

    rule: str | None
    target: str | None
    reason: str | None
    owner: str | None
    approved_by: str | None
    expires: dt.date | None
    source: str
    index: int
    line: int | None = None
    document: str | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def where(self) -> str:
        """``waivers.yaml entry 3 (line 12)`` or ``inline waiver 1``, for notes."""
        label = f"inline waiver {self.index + 1}" if self.source == "inline" else f"{self.source} entry {self.index + 1}"
        return label + (f" (line {self.line})" if self.line else "")

    def to_dict(self, waived_status: str) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "target": self.target,
            "reason": self.reason,
            "owner": self.owner,
            "approved_by": self.approved_by,
            "expires": self.expires.isoformat() if self.expires else None,
            "source": self.source,
            "waived_status": waived_status,
        }

    def covers_document(self, path: str, title: str | None) -> bool:
        if not self.document:
            return True
        posix = Path(path).as_posix()
        return fnmatch.fnmatchcase(posix, self.document) or fnmatch.fnmatchcase(posix, "*/" + self.document) or self.document == title


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        s = " ".join(str(value).split())
        return s or None
    return None


def _date(value: Any) -> tuple[dt.date | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()), None
        except ValueError:
            pass
    return None, f"expires {value!r} is not a date (YYYY-MM-DD)"


def parse_entry(raw: Any, source: str, index: int, line: int | None = None) -> Waiver:
    """Build a Waiver; never raises: problems are recorded so the waiver fails closed."""
    if not isinstance(raw, dict):
        return Waiver(None, None, None, None, None, None, source, index, line, problems=("not a mapping of rule, target, reason, owner, approved_by, expires",))
    problems: list[str] = []
    unknown = sorted(str(k) for k in raw if k not in KEYS)
    if unknown:
        problems.append("unknown key(s) " + ", ".join(unknown))
    rule = _text(raw.get("rule"))
    target = _text(raw.get("target"))
    if rule is None:
        problems.append("no rule")
    if target is None:
        problems.append("no target (use a JSON Pointer, page:N, or / for the whole document)")
    elif not (target.startswith("/") or _page(target) is not None):
        problems.append(f"target {target!r} is neither a JSON Pointer nor page:N")
    missing = [k for k in REQUIRED_TEXT if _text(raw.get(k)) is None]
    if missing:
        problems.append("missing " + ", ".join(missing))
    expires, bad_date = _date(raw.get("expires"))
    if bad_date:
        problems.append(bad_date)
    return Waiver(
        rule=rule,
        target=target,
        reason=_text(raw.get("reason")),
        owner=_text(raw.get("owner")),
        approved_by=_text(raw.get("approved_by")),
        expires=expires,
        source=source,
        index=index,
        line=line,
        document=_text(raw.get("document")),
        problems=tuple(problems),
    )


def _page(target: str) -> int | None:
    head, sep, num = target.partition(":")
    if sep and head.strip().lower() == "page" and num.strip().isdigit():
        return int(num)
    return None


def load_file(path: Path) -> list[Waiver]:
    """Read a waivers file. An unreadable or wrongly shaped file is an InputError (exit 2);
    a bad entry is kept and fails closed on the findings it names."""
    from dpia_check.load.yaml_loader import WAIVERS_FILE_LOOSE_DATES, read_settings_yaml

    name = path.as_posix()
    if not path.is_file():
        raise InputError(name, "waivers file not found", hint="check --waivers or the waivers setting")
    data, locs = read_settings_yaml(path, name, "waivers file", loose_dates=WAIVERS_FILE_LOOSE_DATES)
    if data is None:
        return []
    prefix = ""
    if isinstance(data, dict):
        extra = sorted(k for k in data if k != "waivers")
        if extra:
            loc = locs.get(f"/{extra[0]}")
            raise InputError(name, f"unknown key {extra[0]!r}", line=loc.line if loc else None, hint="a waivers file holds a `waivers:` list")
        data, prefix = data.get("waivers") or [], "/waivers"
    if not isinstance(data, list):
        raise InputError(name, "a waivers file must be a list of waivers (or a mapping with a `waivers:` list)", line=1)
    out = []
    for i, raw in enumerate(data):
        loc = locs.get(f"{prefix}/{i}")
        out.append(parse_entry(raw, name, i, loc.line if loc else None))
    return out


def from_document(doc: Document) -> list[Waiver]:
    """The DPIA's own ``waivers:`` list."""
    raw = doc.get("/waivers")
    if not isinstance(raw, list):
        return []
    out = []
    for i, item in enumerate(raw):
        loc = doc.exact_location(f"/waivers/{i}")
        out.append(parse_entry(item, "inline", i, loc.line if loc else None))
    return out


def _location_covered(target: str, loc: Location) -> bool:
    page = _page(target)
    if page is not None:
        return loc.page == page
    if target == "/":
        return True
    ptr = loc.pointer
    if not ptr:
        return False
    t = target.rstrip("/")
    return ptr == t or ptr.startswith(t + "/")


def _uncovered(target: str, finding: Finding) -> list[str]:
    """Evidence places of the finding that the target does not reach ([] = fully covered)."""
    if target == "/":
        return []
    if not finding.evidence:
        return ["the whole document"]
    out = []
    for e in finding.evidence:
        if not _location_covered(target, e.location):
            loc = e.location
            out.append(loc.pointer or (f"page {loc.page}" if loc.page else "the whole document"))
    return list(dict.fromkeys(out))


def _rejection(w: Waiver, finding: Finding, today: dt.date, doc: Document | None = None) -> str | None:
    """Why ``w`` cannot waive ``finding`` (None = it can)."""
    if w.problems:
        return "; ".join(w.problems)
    if w.expires is not None and w.expires < today:
        return f"expired on {w.expires.isoformat()}"
    assert w.target is not None
    gaps = _uncovered(w.target, finding)
    if gaps:
        gone = " (not in this document: renamed or removed since?)" if doc is not None and _target_gone(w.target, doc) else ""
        return f"target {w.target}{gone} does not cover " + ", ".join(gaps)
    return None


def _target_gone(target: str, doc: Document) -> bool:
    """A JSON Pointer target that names nothing in a YAML DPIA (the section was renamed or
    removed since the waiver was written)."""
    if doc.origin != "structured" or not target.startswith("/") or target == "/":
        return False
    return doc.get(target.rstrip("/")) is MISSING and target.rstrip("/") not in doc.locations


def _add_note(finding: Finding, note: str) -> None:
    finding.note = f"{finding.note}; {note}" if finding.note else note


def apply(report: Report, waivers: list[Waiver], *, today: dt.date, known_rules: set[str] | None = None, document: Document | None = None) -> None:
    """Waive the findings that valid waivers cover; note every waiver that was refused.

    ``today`` is passed in (never read here) so tests and reports stay deterministic.
    ``document`` (the loaded DPIA) lets a refusal say that a target no longer exists.
    Report-level warnings name waivers for unknown rules and waivers that matched
    nothing (only for inline waivers and file entries that name this document, so a
    shared file does not warn once per document).
    """
    doc = report.document
    lang = report.lang
    relevant = [w for w in waivers if w.covers_document(doc.path, doc.title)]
    used: set[int] = set()
    present = {f.rule for f in report.findings}
    by_rule: dict[str, list[tuple[int, Waiver]]] = {}
    for i, w in enumerate(relevant):
        if w.rule is not None:
            by_rule.setdefault(w.rule, []).append((i, w))
    for finding in report.findings:
        candidates = by_rule.get(finding.rule, [])
        if not candidates or finding.status not in WAIVABLE:
            continue
        refusals: list[str] = []
        for i, w in candidates:
            why = _rejection(w, finding, today, document)
            if why is None:
                used.add(i)
                finding.waiver = w.to_dict(finding.status)
                finding.status = "waived"
                break
            refusals.append(f"{w.where}: {why}")
            used.add(i)
        if finding.status != "waived" and refusals:
            _add_note(finding, tr(lang, "Waiver not applied — ", "Izuzeće nije primenjeno — ") + " | ".join(refusals))
    for i, w in enumerate(relevant):
        if i in used:
            continue
        if w.rule is not None and known_rules is not None and w.rule not in known_rules:
            report.warnings.append(_warning(report, "waiver-unknown-rule", f"{w.where}: no rule {w.rule!r} in the rule set; the waiver does nothing", w))
        elif w.rule is None:
            report.warnings.append(_warning(report, "waiver-malformed", f"{w.where}: " + "; ".join(w.problems), w))
        elif w.rule in present and (w.source == "inline" or w.document):
            report.warnings.append(_warning(report, "waiver-unused", f"{w.where}: no failing finding of {w.rule} to waive; remove the waiver", w))


def _warning(report: Report, code: str, message: str, w: Waiver) -> dict[str, Any]:
    path = report.document.path if w.source == "inline" else w.source
    return {"code": code, "message": message, "location": {"path": path, "page": None, "line": w.line, "pointer": f"/waivers/{w.index}" if w.source == "inline" else None}}
