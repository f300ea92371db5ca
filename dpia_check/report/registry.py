"""Output formats and where their renderers live (imported lazily: start-up time matters)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from dpia_check.errors import InputError


@dataclass(frozen=True)
class Format:
    name: str
    module: str
    binary: bool
    extension: str
    description: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "dpia_check.report.terminal", False, ".txt", "coloured terminal report (default)"),
        Format("json", "dpia_check.report.json_out", False, ".json", "the JSON report contract"),
    )
}


def register(fmt: Format) -> None:
    FORMATS[fmt.name] = fmt


def get_format(name: str) -> Format:
    if name not in FORMATS:
        raise InputError("--format", f"unknown format {name!r}", hint="choose one of: " + ", ".join(sorted(FORMATS)))
    return FORMATS[name]


def renderer(name: str) -> Any:
    return importlib.import_module(get_format(name).module)
