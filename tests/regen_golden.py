"""Golden files: every report format rendered from the samples, compared byte for byte.

Regenerate all of them (and the README's example memo, samples/moi-2020.memo.md) after a
deliberate change to a renderer, a template or a rule, with ONE command from the repository root::

    python -m tests.regen_golden

(``UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` does the same.) Then review the diff
with ``git diff tests/golden samples/moi-2020.memo.md`` before committing.

The samples are loaded by relative path from the repository root, so no golden file holds an
absolute path; no format writes timestamps. PDF is not kept as a golden file: its bytes depend
on the browser version and the fonts installed. Its source, the HTML memo, is a golden file, and
tests/test_report_browser.py checks the printed PDF's text. DOCX is kept as its main XML part
(word/document.xml, indented) because the ZIP container's compression depends on zlib.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SAMPLES = ("hospital-booking", "border-anpr", "moi-2020")
EXAMPLE_MEMO = ROOT / "samples" / "moi-2020.memo.md"


@dataclass(frozen=True)
class Case:
    sample: str
    fmt: str
    name: str  # file name under tests/golden
    lang: str = "en"
    summary: bool = False


def cases() -> list[Case]:
    out: list[Case] = []
    for s in SAMPLES:
        out += [
            Case(s, "md", f"{s}.md"),
            Case(s, "md", f"{s}.summary.md", summary=True),
            Case(s, "html", f"{s}.html"),
            Case(s, "docx", f"{s}.docx.xml"),
            Case(s, "sarif", f"{s}.sarif"),
            Case(s, "junit", f"{s}.junit.xml"),
            Case(s, "github", f"{s}.github.txt"),
            Case(s, "json", f"{s}.json"),
            Case(s, "text", f"{s}.txt"),
        ]
    out += [
        Case("moi-2020", "md", "moi-2020.sr-Latn.md", lang="sr-Latn"),
        Case("moi-2020", "md", "moi-2020.sr-Cyrl.md", lang="sr-Cyrl"),
        Case("moi-2020", "html", "moi-2020.sr-Cyrl.html", lang="sr-Cyrl"),
        Case("moi-2020", "sarif", "moi-2020.sr-Latn.sarif", lang="sr-Latn"),
    ]
    return out


@contextmanager
def in_root() -> Iterator[None]:
    """Run from the repository root so reports carry the relative path ``samples/...``."""
    before = Path.cwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(before)


def docx_xml(data: bytes) -> bytes:
    """The document part of a .docx, indented, for a readable and zlib-independent golden file."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")


@cache
def report_of(sample: str, lang: str) -> Any:
    """One check per sample and language (renderers do not modify the report)."""
    from dpia_check.api import check_file
    from dpia_check.engine import CheckOptions
    from dpia_check.rules import load_ruleset

    with in_root():
        return check_file(f"samples/{sample}.dpia.yaml", options=CheckOptions(lang=lang, fail_on="info"), ruleset=load_ruleset())


def render_case(case: Case) -> bytes:
    """Render one golden case exactly as the test compares it."""
    from dpia_check.report.registry import renderer
    from dpia_check.rules import load_ruleset

    report = report_of(case.sample, case.lang)
    with in_root():
        payload = renderer(case.fmt).render(report, ruleset=load_ruleset(), template=None, summary=case.summary)
    if case.fmt == "docx":
        return docx_xml(payload)
    return payload if isinstance(payload, bytes) else payload.encode("utf-8")


def main() -> int:
    from dpia_check.errors import MissingExtraError

    GOLDEN.mkdir(parents=True, exist_ok=True)
    wanted = {c.name for c in cases()}
    changed = 0
    for case in cases():
        path = GOLDEN / case.name
        try:
            data = render_case(case)
        except MissingExtraError as exc:
            print(f"kept {path.relative_to(ROOT)} unchanged: {exc}")
            continue
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            changed += 1
            print(f"updated {path.relative_to(ROOT)}")
    for stale in sorted(GOLDEN.iterdir()):
        if stale.name not in wanted:
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)}")
    memo = (GOLDEN / "moi-2020.md").read_bytes()
    if not EXAMPLE_MEMO.exists() or EXAMPLE_MEMO.read_bytes() != memo:
        EXAMPLE_MEMO.write_bytes(memo)
        print(f"updated {EXAMPLE_MEMO.relative_to(ROOT)}")
    print(f"{len(wanted)} golden files, {changed} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
