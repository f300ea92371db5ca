"""Loaders: turn a file into a :class:`dpia_check.model.Document`.

``load_document`` picks the loader from the file's content and extension, and
turns every problem into an :class:`~dpia_check.errors.InputError` (exit 2).
"""

from __future__ import annotations

import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from dpia_check.errors import InputError
from dpia_check.model import Document

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
SETTINGS_FILE_LIMIT = 5_000_000  # bytes; a config or waivers file is never larger (here, not in yaml_loader: config must not import PyYAML to read a pyproject.toml)
YAML_SUFFIXES = {".yaml", ".yml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
PDF_SUFFIXES = {".pdf"}
STDIN = "-"  # the file argument that means standard input
STDIN_NAME = "<stdin>"  # how standard input is named in reports and errors


@dataclass
class LoadOptions:
    """Knobs for loading. ``max_bytes`` guards against huge inputs (``--max-size``)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    pdf_engine: str = "pypdfium2"
    password: str | None = None
    max_pages: int = 2000
    jobs: int = 1


def check_path(path: Path) -> None:
    """Fail early and clearly for paths that are not readable regular files.

    Pipes and devices are refused before anything opens them: opening a FIFO blocks
    until someone writes to it, and ``/dev/zero`` never ends.
    """
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(name, "no such file", hint="check the path") from None
    except PermissionError:
        raise InputError(name, "permission denied: the file or a folder above it cannot be read") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(name, "is a directory, not a DPIA file", hint="name a .yaml, .pdf, .txt or .md file")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(name, "is not a regular file (a device, pipe or socket)", hint="save the DPIA to a file, or pipe it to standard input and give - as the file")
    try:
        with path.open("rb"):
            pass
    except PermissionError:
        raise InputError(name, "permission denied: the file cannot be read", hint="check its permissions (chmod u+r)") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):  # junk before the header: only a .pdf name makes it a PDF
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


_WORD_FORMATS = {".docx": "DOCX", ".doc": "DOC", ".odt": "ODT", ".rtf": "RTF", ".pages": "Pages"}


def _too_big(name: str, size: int, max_bytes: int) -> InputError:
    mib = 1024 * 1024
    limit = f"{max_bytes / mib:g} MB" if max_bytes >= mib else f"{max_bytes:,}-byte"
    return InputError(
        name,
        f"file is {size / mib:.1f} MB, over the {limit} limit",
        hint="raise the limit with --max-size (in MB) if the file is genuine",
    )


def load_document(path: Path | str, options: LoadOptions | None = None) -> Document:
    """Load any supported DPIA file (YAML, PDF, plain text, Markdown).

    The content decides before the extension where they disagree: a PDF saved as
    ``.yaml`` or ``.txt`` is read as a PDF, a Word document as ``.pdf`` is named as such.
    """
    options = options or LoadOptions()
    if str(path) == STDIN:
        return _load_stdin(options)
    path = Path(path)
    check_path(path)
    name = str(path)
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if size > options.max_bytes:
        raise _too_big(name, size, options.max_bytes)
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None
    kind = _sniff(head)
    if suffix in _WORD_FORMATS or (kind == "zip" and suffix not in PDF_SUFFIXES):
        what = _WORD_FORMATS.get(suffix, "word-processor (ZIP)")
        raise InputError(
            name,
            f"{what} files are not read yet",
            hint="convert it to PDF (libreoffice --headless --convert-to pdf FILE, or Save as PDF in Word) and check the PDF",
        )
    if kind == "pdf" or suffix in PDF_SUFFIXES:
        from dpia_check.load.text_loader import load_pdf_document

        return load_pdf_document(path, options)
    if suffix in YAML_SUFFIXES:
        from dpia_check.load.yaml_loader import load_yaml

        return load_yaml(path, max_bytes=options.max_bytes)
    if suffix in TEXT_SUFFIXES:
        from dpia_check.load.text_loader import load_text_document

        return load_text_document(path, options)
    raise InputError(
        name,
        f"unsupported file type {suffix or '(no extension)'!s}",
        hint="dpia-check reads .yaml/.yml DPIAs, .pdf, .txt and .md",
    )


def _load_stdin(options: LoadOptions) -> Document:
    """A DPIA piped to standard input (``git show v1:x.dpia.yaml | dpia-check check -``):
    YAML, or a PDF (recognised by its header). Read up to the size limit, never waited
    for when standard input is a terminal."""
    stream = sys.stdin
    if stream is None or stream.closed:
        raise InputError(STDIN_NAME, "there is no standard input to read", hint="pipe a DPIA in, or name its file")
    try:
        interactive = stream.isatty()
    except (OSError, ValueError):
        interactive = False
    if interactive:
        raise InputError(STDIN_NAME, "standard input is a terminal, not a DPIA", hint="pipe one in: git show HEAD:dpia.yaml | dpia-check check -")
    try:
        raw = getattr(stream, "buffer", stream).read(options.max_bytes + 1)
    except OSError as exc:
        raise InputError(STDIN_NAME, f"cannot be read: {exc.strerror or exc}") from None
    if isinstance(raw, str):  # a text stream without a buffer (tests, embedding programs)
        raw = raw.encode("utf-8")
    if len(raw) > options.max_bytes:
        raise _too_big(STDIN_NAME, len(raw), options.max_bytes)
    if not raw.strip():
        raise InputError(STDIN_NAME, "standard input is empty", hint="pipe a DPIA in, or name its file")
    kind = _sniff(raw[:2048])
    if kind == "zip":
        raise InputError(STDIN_NAME, "word-processor (ZIP) files are not read yet", hint="convert it to PDF and check the PDF")
    if kind == "pdf":
        return _load_pdf_bytes(raw, options)
    from dpia_check.load.yaml_loader import load_yaml_bytes

    try:
        return load_yaml_bytes(raw, STDIN_NAME)
    except InputError as exc:
        if exc.hint:
            raise
        import dataclasses

        hint = "standard input is read as a YAML DPIA or a PDF; save a .txt or .md DPIA to a file and name that"
        raise dataclasses.replace(exc, hint=hint) from None


def _load_pdf_bytes(raw: bytes, options: LoadOptions) -> Document:
    """A PDF from standard input: the engines (and their helper processes) read files, so it
    is put in a private temporary file for the time of the reading; reports name it <stdin>."""
    import dataclasses
    import os
    import tempfile

    from dpia_check.load.text_loader import load_pdf_document

    fd, tmp = tempfile.mkstemp(prefix="dpia-check-stdin-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        try:
            return load_pdf_document(Path(tmp), options, name=STDIN_NAME)
        except InputError as exc:
            raise dataclasses.replace(exc, path=STDIN_NAME, message=exc.message.replace(tmp, STDIN_NAME).replace(Path(tmp).name, STDIN_NAME)) from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
