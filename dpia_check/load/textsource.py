"""The shape every text loader returns, and loading of plain-text and Markdown files.

A DPIA given as text (``.txt``/``.md``) or PDF becomes an :class:`ExtractedText`: a list
of :class:`TextLine` that keep where each line came from, so a finding can quote the
line and say "page 4, line 12" or "line 87". Text is normalised
(:func:`dpia_check.textprep.normalise`) but stays in its original script: evidence is
quoted as the author wrote it; matching uses :func:`dpia_check.textprep.fold`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dpia_check.errors import InputError
from dpia_check.load.encoding import decode_utf
from dpia_check.textprep import detect_script_language, normalise

__all__ = ["ExtractedText", "TextLine", "describe_binary", "read_text_file"]

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of a document."""

    text: str  # normalised text in the original script (this is what evidence quotes)
    page: int | None  # 1-based page for PDF, None for .txt/.md
    line: int  # 1-based: line in the file for .txt/.md; line within the page for PDF


@dataclass
class ExtractedText:
    """The text of one input file, line by line.

    For ``.txt``/``.md`` every line of the file is present, blank ones included, so
    ``lines[i].line == i + 1``. For PDF only non-empty lines are kept, running headers,
    footers and page numbers are removed, and ``line`` counts the kept lines of a page.
    """

    path: str
    format: str  # "pdf" | "text" | "markdown"
    lines: list[TextLine]
    pages: int | None
    engine: str | None  # "pypdfium2" | "pypdf" | None
    title: str | None  # PDF metadata title if any
    language: str  # detect_script_language result

    @property
    def text(self) -> str:
        """All lines joined with ``\\n`` (for whole-document searches)."""
        return "\n".join(line.text for line in self.lines)


def describe_binary(head: bytes, path: Path | None = None) -> tuple[str, str] | None:
    """Name a well-known non-text, non-PDF format from the first bytes of a file.

    Returns ``(what it looks like, what to do)`` or None when nothing is recognised. Used
    to turn "cannot read" into "this is a Word document: export it to PDF".
    """
    export = "export it to PDF (or save it as .txt/.md) and check the result"
    if head.startswith(b"PK\x03\x04"):
        kind = "a ZIP archive"
        if path is not None:
            import zipfile  # only here: it costs import time


            try:
                with zipfile.ZipFile(path) as zf:
                    names = set(zf.namelist()[:2000])
            except (zipfile.BadZipFile, OSError, ValueError):
                names = set()
            if any(n.startswith("word/") for n in names):
                kind = "a Word document (DOCX)"
            elif any(n.startswith("xl/") for n in names):
                kind = "an Excel workbook (XLSX)"
            elif any(n.startswith("ppt/") for n in names):
                kind = "a PowerPoint file (PPTX)"
            elif "content.xml" in names:
                kind = "an OpenDocument file (ODT/ODS)"
        return kind, export
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "a legacy Microsoft Office file (DOC/XLS)", export
    if head.startswith(b"{\\rtf"):
        return "an RTF document", export
    images = {
        b"\x89PNG\r\n\x1a\n": "PNG",
        b"\xff\xd8\xff": "JPEG",
        b"GIF87a": "GIF",
        b"GIF89a": "GIF",
        b"II*\x00": "TIFF",
        b"MM\x00*": "TIFF",
    }
    for magic, name in images.items():
        if head.startswith(magic):
            return f"a {name} image", "run OCR first (e.g. ocrmypdf) to make a searchable PDF, and check the result"
    if head.startswith(b"%!PS"):
        return "a PostScript file", "convert it to PDF (e.g. ps2pdf) first"
    lowered = head[:1024].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "an HTML page", "print it to PDF from a browser, or save it as text"
    if lowered.startswith(b"<?xml"):
        return "an XML file", export
    return None


def _decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (BOM optional) or BOM-marked UTF-16; a NUL byte means a binary file."""
    return decode_utf(data, name, nul_is_binary=True)


def read_text_file(path: Path, *, max_bytes: int) -> ExtractedText:
    """Read a ``.txt``/``.md`` DPIA into lines (UTF-8 with or without BOM, or UTF-16 with BOM).

    Raises :class:`InputError` for a missing/unreadable file, a file over ``max_bytes``
    (hint: ``--max-size``), any other encoding (with the byte offset and line of the first
    bad byte), binary formats, and empty or whitespace-only text.
    """
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError(name, "is a directory, not a text file")
        if size > max_bytes:
            raise InputError(
                name,
                f"file is {size:,} bytes, over the {max_bytes:,}-byte limit",
                hint="raise the limit with --max-size if the file is genuine",
            )
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:  # grew while we looked
        raise InputError(name, f"file is over the {max_bytes:,}-byte limit", hint="raise the limit with --max-size if the file is genuine")
    if data.startswith(b"%PDF-"):
        raise InputError(name, "this is a PDF file, not plain text", hint="give it a .pdf extension")
    binary = describe_binary(data[:2048], path)
    if binary is not None:
        raise InputError(name, f"not a text file: it looks like {binary[0]}", hint=binary[1])

    text = _decode(data, name)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Other line separators would change the line count that editors show; flatten them.
    text = text.translate({0x0B: " ", 0x0C: " ", 0x1C: " ", 0x1D: " ", 0x1E: " ", 0x85: " ", 0x2028: " ", 0x2029: " "})
    text = normalise(text)
    if not text.strip():
        raise InputError(name, "no text: the file is empty or only whitespace", hint="check that the right file was given")
    raw_lines = text.split("\n")
    if raw_lines and raw_lines[-1] == "":
        raw_lines.pop()
    lines = [TextLine(t, None, i) for i, t in enumerate(raw_lines, 1)]
    fmt = "markdown" if path.suffix.lower() in MARKDOWN_SUFFIXES else "text"
    return ExtractedText(
        path=name,
        format=fmt,
        lines=lines,
        pages=None,
        engine=None,
        title=None,
        language=detect_script_language(text),
    )
