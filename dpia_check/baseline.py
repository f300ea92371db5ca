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


def dumps(reports: Iterable[Report], ruleset: str) -> str:
    data: dict[str, Any] = {FORMAT_KEY: FORMAT_VERSION, "ruleset": ruleset, "findings": entries(reports)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write(path: Path, reports: Iterable[Report], ruleset: str) -> None:
    from dpia_check.output import write_atomic

    write_atomic(path, dumps(reports, ruleset))


def load(path: Path) -> set[str]:
    """The fingerprints in a baseline file; a missing or malformed file is an InputError."""
    name = path.as_posix()
    if not path.is_file():
        raise InputError(name, "baseline file not found", hint="create one with --write-baseline")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(name, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, f"cannot read baseline: {exc}") from None
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != FORMAT_VERSION or not isinstance(data.get("findings"), list):
        raise InputError(name, "not a dpia-check baseline (version 1)", hint="write a new one with --write-baseline")
    out: set[str] = set()
    for i, item in enumerate(data["findings"]):
        fp = item.get("fingerprint") if isinstance(item, dict) else None
        if not isinstance(fp, str) or not fp:
            raise InputError(name, f"findings[{i}] has no fingerprint")
        out.add(fp)
    return out


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
