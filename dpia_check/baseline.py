"""Baselines: adopt dpia-check on existing DPIAs and fail only on new gaps.

``--write-baseline FILE`` records the fingerprint of every failing (fail/warn) finding;
``--baseline FILE`` marks findings with a recorded fingerprint ``baseline: true``. They
stay in the report (nothing is hidden) but no longer decide the exit code.

A fingerprint is rule + document identity (its title, else its file name) + evidence
pointer + a hash of the normalised evidence text (see ``report.model.fingerprint``), so
it survives moved lines, renamed files and reformatting, and changes when the
content behind the gap changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dpia_check.errors import InputError
from dpia_check.i18n import tr
from dpia_check.report.model import Report

FORMAT_KEY = "dpia_check_baseline"
FORMAT_VERSION = 1
RECORDED = ("fail", "warn")


def entries(reports: Iterable[Report]) -> list[dict[str, str]]:
    """One entry per failing finding, sorted so the file is stable under re-runs."""
    seen: dict[str, dict[str, str]] = {}
    for report in reports:
        identity = report.document.title or Path(report.document.path).name
        for f in report.findings:
            if f.status in RECORDED and f.fingerprint and f.fingerprint not in seen:
                seen[f.fingerprint] = {"fingerprint": f.fingerprint, "rule": f.rule, "document": identity, "status": f.status}
    return sorted(seen.values(), key=lambda e: (e["document"], e["rule"], e["fingerprint"]))


MAX_BYTES = 64 * 1024 * 1024  # ~400,000 recorded gaps; a baseline is never larger


def dumps(reports: Iterable[Report], ruleset: str, ruleset_version: str | None = None) -> str:
    data: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION, "ruleset": ruleset}
    if ruleset_version is not None:  # lets a later run say that the rules changed since
        data["ruleset_version"] = ruleset_version
    data["findings"] = entries(reports)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write(path: Path, reports: Iterable[Report], ruleset: str, ruleset_version: str | None = None) -> None:
    from dpia_check.output import write_atomic

    write_atomic(path, dumps(reports, ruleset, ruleset_version))


@dataclass(frozen=True)
class Baseline:
    """A baseline file as read: the fingerprints, and what it was recorded with."""

    fingerprints: frozenset[str]
    rules: frozenset[str]
    ruleset: str | None
    ruleset_version: str | None

    def staleness(self, ruleset_id: str, ruleset_version: str, known_rules: set[str]) -> str | None:
        """Why this baseline may not match the rule set now in use (None: it does)."""
        why: list[str] = []
        if self.ruleset is not None and self.ruleset != ruleset_id:
            why.append(f"it was recorded for rule set {self.ruleset!r}, this run uses {ruleset_id!r}")
        elif self.ruleset_version is not None and self.ruleset_version != ruleset_version:
            why.append(f"it was recorded with rule set {ruleset_id} {self.ruleset_version}, this run uses {ruleset_version}")
        gone = sorted(self.rules - known_rules)
        if gone:
            more = f" and {len(gone) - 3} more" if len(gone) > 3 else ""
            why.append(f"it lists gaps of {len(gone)} rule(s) this rule set does not have ({', '.join(gone[:3])}{more})")
        if not why:
            return None
        return "; ".join(why) + ": gaps of rules that changed count as new until it is rewritten with --write-baseline"


def read(path: Path) -> Baseline:
    """A baseline file; a missing, oversized or malformed file is an InputError."""
    from dpia_check.load.yaml_loader import decode_text

    name = path.as_posix()
    if path.is_dir():
        raise InputError(name, "is a directory, not a baseline file", hint="name the JSON file written by --write-baseline")
    if not path.is_file():
        raise InputError(name, "baseline file not found", hint="create one with --write-baseline")
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(name, f"cannot read baseline: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise InputError(name, f"baseline is over {MAX_BYTES // (1024 * 1024)} MB; this is not a dpia-check baseline")
    text = decode_text(raw, name)  # UTF-8 (a byte-order mark is fine) or UTF-16 with one
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise InputError(name, "not a dpia-check baseline: JSON nested too deeply to read", hint="write a new one with --write-baseline") from None
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != FORMAT_VERSION or not isinstance(data.get("findings"), list):
        raise InputError(name, "not a dpia-check baseline (version 1)", hint="write a new one with --write-baseline")
    out: set[str] = set()
    rules: set[str] = set()
    for i, item in enumerate(data["findings"]):
        fp = item.get("fingerprint") if isinstance(item, dict) else None
        if not isinstance(fp, str) or not fp:
            raise InputError(name, f"findings[{i}] has no fingerprint")
        out.add(fp)
        rule = item.get("rule")
        if isinstance(rule, str) and rule:
            rules.add(rule)
    ruleset, version = data.get("ruleset"), data.get("ruleset_version")
    return Baseline(frozenset(out), frozenset(rules), ruleset if isinstance(ruleset, str) else None, str(version) if isinstance(version, (str, int, float)) else None)


def load(path: Path) -> set[str]:
    """The fingerprints in a baseline file; a missing or malformed file is an InputError."""
    return set(read(path).fingerprints)


def apply(report: Report, fingerprints: set[str]) -> int:
    """Mark known gaps ``baseline: true`` (with a note); return how many were marked."""
    n = 0
    for f in report.findings:
        if f.status in RECORDED and f.fingerprint in fingerprints:
            f.baseline = True
            note = tr(report.lang, "known gap (in the baseline); does not fail the run", "poznat nedostatak (u osnovnoj liniji); ne obara proveru")
            f.note = f"{f.note}; {note}" if f.note else note
            n += 1
    return n
