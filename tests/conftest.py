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


@pytest.fixture()
def no_machine_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user config or DPIA_CHECK_CONFIG from the machine running the tests."""
    from dpia_check.config import ENV_VAR

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv(ENV_VAR, raising=False)
