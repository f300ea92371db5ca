"""Shared fixtures: the repository's folders and the loaded rule set."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def ruleset():  # type: ignore[no-untyped-def]
    from dpia_check.rules import load_ruleset

    return load_ruleset()
