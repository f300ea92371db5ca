"""Pages read by forked helper processes give exactly what one process gives."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import dpia_check.load.pdf as pdfmod
from dpia_check.load.pdf import extract_pdf

try:  # pytest puts tests/ on sys.path while tests/ has no __init__.py
    import pdfgen
except ImportError:  # pragma: no cover - if tests/ becomes a package
    from tests import pdfgen

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked helpers are used on Linux only")

WORDS = ["retention", "purpose", "recipient", "transfer", "safeguard", "consent", "erasure", "access", "portability", "objection"]


def _long_pdf(tmp_path: Path, pages: int = 45) -> Path:
    content = [
        [f"# Section {WORDS[i % 10]} {i // 10}", f"Paragraph about {WORDS[(i * 3) % 10]} and {WORDS[(i * 7) % 10]}.", f"Closing {i * i}."]
        for i in range(pages)
    ]
    return pdfgen.simple_pdf(tmp_path / "long.pdf", content, footer="Strana {n}")


@pytest.mark.parametrize("engine", ["pypdfium2", "pypdf"])
def test_helpers_give_the_same_lines_and_run_the_waiting_work(tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _long_pdf(tmp_path)
    used: list[int] = []
    real = pdfmod._pages_in_parallel

    def spy(count: int, jobs: int, *rest: object) -> object:
        used.append(jobs)
        return real(count, jobs, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(pdfmod, "_pages_in_parallel", spy)
    waited: list[int] = []
    one = extract_pdf(path, engine=engine, jobs=1, while_waiting=lambda: waited.append(1))
    assert used == [] and waited == []  # no helpers, nothing to wait for
    two = extract_pdf(path, engine=engine, jobs=2, while_waiting=lambda: waited.append(1))
    assert used == [2] and waited == [1]
    assert two.lines == one.lines and len(one.lines) == 45 * 3
    assert (two.pages, two.title, two.language) == (one.pages, one.title, one.language)


def test_pages_in_parallel_keeps_page_order_and_survives_a_dead_helper() -> None:
    pid = os.getpid()

    def read(i: int) -> tuple[str, int, int]:
        return ("ok", i, os.getpid() == pid)  # type: ignore[return-value]

    def dying_helper() -> object:
        os._exit(3)  # a helper that dies before reading anything

    records = pdfmod._pages_in_parallel(60, 2, lambda: read, read, lambda: None)
    assert [r[1] for r in records] == list(range(60))
    records = pdfmod._pages_in_parallel(60, 3, dying_helper, read, lambda: None)
    assert [r[1] for r in records] == list(range(60)) and all(r[2] for r in records)  # all read here


def test_a_bad_page_is_reported_as_reading_one_by_one_would(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first problem in page order wins, whichever process met it."""
    path = _long_pdf(tmp_path)
    real_call = pdfmod._PdfiumPages.__call__

    def flaky(self: object, index: int) -> tuple[object, ...]:
        if index in (30, 12):
            return ("error", f"page text cannot be read (broken {index})")
        return real_call(self, index)  # type: ignore[arg-type]

    monkeypatch.setattr(pdfmod._PdfiumPages, "__call__", flaky)
    with pytest.raises(pdfmod.InputError) as err:
        extract_pdf(path, jobs=2)
    assert err.value.page == 13 and "broken 12" in err.value.message
