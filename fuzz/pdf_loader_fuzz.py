"""Coverage-guided fuzzing of the PDF loader with atheris (not a dependency of dpia-check).

Every input must end in a Document or an InputError; anything else (another exception,
a crash of PDFium, a hang, memory past the limit) is a finding. Run it briefly::

    pip install atheris
    python fuzz/pdf_loader_fuzz.py -atheris_runs=2000 -max_len=65536 -rss_limit_mb=1024 -timeout=20
    python fuzz/pdf_loader_fuzz.py /tmp/pdf-corpus -max_total_time=60   # keep a corpus between runs

A corpus folder that is missing or empty is first seeded with a few small PDFs made by
tests/pdfgen.py (valid, uncompressed, broken xref, scanned, encrypted, truncated); with
no folder a temporary one is used. ``DPIA_FUZZ_ENGINE=pypdf`` fuzzes the pure-Python engine.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

with atheris.instrument_imports(include=["dpia_check", "pypdf"]):
    # import the lazily imported modules now, so they are instrumented too
    import pypdf  # noqa: F401

    import dpia_check.load.pdf  # noqa: F401
    import dpia_check.load.text_loader  # noqa: F401
    import dpia_check.text  # noqa: F401
    from dpia_check.errors import InputError
    from dpia_check.load import LoadOptions, load_document

OPTIONS = LoadOptions(max_bytes=4 * 1024 * 1024, max_pages=50, pdf_engine=os.environ.get("DPIA_FUZZ_ENGINE", "pypdfium2"))
WORK = Path(tempfile.mkdtemp(prefix="dpia-fuzz-"))
TARGET = WORK / "input.pdf"


def seed_corpus(folder: Path) -> None:
    """A few valid and hostile PDFs to start from (only if the folder is empty)."""
    if folder.exists() and any(folder.iterdir()):
        return
    folder.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "tests"))
    import pdfgen

    lines = [["# Data protection impact assessment", "The controller assesses risks to data subjects."]]
    pdfgen.simple_pdf(folder / "simple.pdf", lines)
    pdfgen.simple_pdf(folder / "uncompressed.pdf", lines * 2, compress=False)
    pdfgen.simple_pdf(folder / "broken-xref.pdf", lines, broken_xref=True)
    pdfgen.image_only_pdf(folder / "scanned.pdf", pages=1)
    pdfgen.encrypted_pdf(folder / "encrypted.pdf", lines)
    pdfgen.truncated_pdf(folder / "truncated.pdf", lines, keep=0.6)


def test_one_input(data: bytes) -> None:
    TARGET.write_bytes(data)
    try:
        load_document(TARGET, OPTIONS)
    except InputError as exc:
        if "\n" in str(exc):
            raise AssertionError(f"error message spans lines: {exc!r}") from None


def main() -> None:
    args = sys.argv[1:]
    folders = [a for a in args if not a.startswith("-")]
    if not folders:
        folders = [str(WORK / "corpus")]
        args.append(folders[0])
    seed_corpus(Path(folders[0]))
    atheris.Setup([sys.argv[0], *args], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
