"""Every report format on every sample equals its golden file, byte for byte.

After a deliberate change, regenerate with ``python -m tests.regen_golden`` (see that module)
or ``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py``, and review the diff.
"""

from __future__ import annotations

import os

import pytest

from tests.regen_golden import EXAMPLE_MEMO, GOLDEN, Case, cases, main, render_case

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module", autouse=True)
def _update() -> None:
    if UPDATE:
        main()


@pytest.mark.parametrize("case", cases(), ids=[c.name for c in cases()])
def test_golden(case: Case) -> None:
    if case.fmt == "docx":
        pytest.importorskip("docx", reason='DOCX needs the docx extra: pip install "dpia-check[docx]"')
    path = GOLDEN / case.name
    assert path.exists(), f"missing {path}; run: python -m tests.regen_golden"
    assert render_case(case) == path.read_bytes(), f"{case.name} changed; if intended run: python -m tests.regen_golden and review git diff"


@pytest.mark.parametrize("fmt", ["md", "html", "sarif", "junit", "github"])
def test_rendering_twice_gives_the_same_bytes(fmt: str) -> None:
    case = Case("moi-2020", fmt, "x")
    assert render_case(case) == render_case(case)


def test_golden_files_hold_nothing_machine_specific() -> None:
    root = str(GOLDEN.parent.parent)
    for path in GOLDEN.iterdir():
        text = path.read_text(encoding="utf-8")
        assert root not in text, f"{path.name} holds the absolute path {root}"
        assert "/home/" not in text and "/tmp/" not in text, path.name


def test_example_memo_in_samples_is_current() -> None:
    """The README links samples/moi-2020.memo.md: it must be today's memo, not a stale one."""
    assert EXAMPLE_MEMO.read_bytes() == render_case(Case("moi-2020", "md", "moi-2020.md"))
