"""The shape every text loader returns, and loading of plain-text and Markdown files.

A DPIA given as text (``.txt``/``.md``) or PDF becomes an :class:`ExtractedText`: a list
of :class:`TextLine` that keep where each line came from, so a finding can quote the
line and say "page 4, line 12" or "line 87". Text is normalised
(:func:`dpia_check.textprep.normalise`) but stays in its original script: evidence is
quoted as the author wrote it; matching uses :func:`dpia_check.textprep.fold`.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from dpia_check.errors import InputError
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


def _guess_legacy_encoding(data: bytes) -> str | None:
    """Best guess for an 8-bit file: Windows-1251 (Cyrillic) or Windows-1250 (Latin)."""
    sample = data[:200_000]
    cyr = sum(1 for ch in sample.decode("cp1251", "replace") if "\u0400" <= ch <= "\u04ff")
    lat = sum(1 for ch in sample.decode("cp1250", "replace") if ch in "čćšžđČĆŠŽĐ")
    if cyr >= 20 and cyr > 3 * lat:
        return "Windows-1251 (Cyrillic)"
    if lat:
        return "Windows-1250 (Central European)"
    if cyr:
        return "Windows-1251 (Cyrillic)"
    return None


def _decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (BOM optional) or BOM-marked UTF-16; say exactly where anything else fails."""
    hint = "save the file as UTF-8 (UTF-16 with a byte-order mark is accepted too)"
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError(name, "text is UTF-32; expected UTF-8 or UTF-16 with a byte-order mark", hint=hint)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        body = data[2:]
        try:
            return body.decode(codec)
        except UnicodeDecodeError as exc:
            before = body[: exc.start - exc.start % 2].decode(codec, "replace")
            line = before.count("\n") + 1
            raise InputError(
                name,
                f"invalid UTF-16 at byte offset {exc.start + 2} ({exc.reason})",
                line=line,
                column=len(before) - (before.rfind("\n") + 1) + 1,
                hint=hint,
            ) from None
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    offset_base = len(data) - len(body)
    if b"\x00" in body[:65536]:
        at = body.index(b"\x00")
        raise InputError(
            name,
            f"contains NUL bytes (first at byte offset {at + offset_base}): this is UTF-16 without a byte-order mark or a binary file",
            hint=hint,
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = body[: exc.start]
        line = prefix.count(b"\n") + 1
        column = len(prefix) - (prefix.rfind(b"\n") + 1) + 1
        bad = body[exc.start : exc.start + 1].hex().upper()
        guess = _guess_legacy_encoding(body)
        raise InputError(
            name,
            f"not valid UTF-8: byte 0x{bad} at byte offset {exc.start + offset_base}"
            + (f"; it looks like {guess}" if guess else ""),
            line=line,
            column=column,
            hint=hint,
        ) from None


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
