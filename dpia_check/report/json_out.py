"""The JSON report (the stable contract in docs/report-contract.md)."""

from __future__ import annotations

import json
from typing import Any

from dpia_check.report.model import Report


def dumps(data: Any) -> str:
    """Deterministic JSON: insertion order is fixed by the report model; UTF-8 text kept."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(report: Report, **_options: object) -> str:
    return dumps(report.to_dict())
