"""Loaders: turn a file into a :class:`dpia_check.model.Document`.

``load_document`` picks the loader from the file's content and extension, and
turns every problem into an :class:`~dpia_check.errors.InputError` (exit 2).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dpia_check.errors import InputError
from dpia_check.model import Document

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
YAML_SUFFIXES = {".yaml", ".yml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
PDF_SUFFIXES = {".pdf"}


@dataclass
class LoadOptions:
    """Knobs for loading. ``max_bytes`` guards against huge inputs (``--max-size``)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    pdf_engine: str = "pypdfium2"
    password: str | None = None
    max_pages: int = 2000
    jobs: int = 1


def check_path(path: Path) -> None:
    """Fail early and clearly for paths that are not readable files."""
    name = str(path)
    if not path.exists():
        raise InputError(name, "no such file")
    if path.is_dir():
        raise InputError(name, "is a directory, not a DPIA file", hint="name a .yaml, .pdf, .txt or .md file")
    try:
        with path.open("rb"):
            pass
    except PermissionError:
        raise InputError(name, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def load_document(path: Path | str, options: LoadOptions | None = None) -> Document:
    """Load any supported DPIA file (YAML, PDF, plain text, Markdown)."""
    options = options or LoadOptions()
    path = Path(path)
    check_path(path)
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if size > options.max_bytes:
        raise InputError(
            str(path),
            f"file is {size:,} bytes, over the {options.max_bytes:,}-byte limit",
            hint="raise it with --max-size if the file is genuine",
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    kind = _sniff(head)
    if suffix in {".docx", ".doc", ".odt", ".rtf"} or (kind == "zip" and suffix not in PDF_SUFFIXES):
        raise InputError(
            str(path),
            "word-processor files are not read yet",
            hint="export it to PDF (e.g. libreoffice --headless --convert-to pdf FILE) and check the PDF",
        )
    if suffix in YAML_SUFFIXES:
        from dpia_check.load.yaml_loader import load_yaml

        return load_yaml(path, max_bytes=options.max_bytes)
    if suffix in PDF_SUFFIXES or kind == "pdf":
        from dpia_check.load.text_loader import load_pdf_document

        return load_pdf_document(path, options)
    if suffix in TEXT_SUFFIXES:
        from dpia_check.load.text_loader import load_text_document

        return load_text_document(path, options)
    raise InputError(
        str(path),
        f"unsupported file type {suffix or '(no extension)'!s}",
        hint="dpia-check reads .yaml/.yml DPIAs, .pdf, .txt and .md",
    )
