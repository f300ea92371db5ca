"""Load a DPIA written for people (PDF, .txt, .md) into the shared document model.

Extraction (:mod:`dpia_check.load.pdf`, :mod:`dpia_check.load.textsource`) gives lines
with their page and line; :mod:`dpia_check.text` prepares them once, finds the
sections and maps the text onto the DPIA model. The result is a normal
:class:`~dpia_check.model.Document` with ``origin="text"``, so the same rules judge
it; ``doc.text`` keeps the prepared text (what was searched where, for messages and
for the text judge).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dpia_check.errors import InputError
from dpia_check.load import LoadOptions
from dpia_check.load.textsource import ExtractedText
from dpia_check.model import Document, Evidence, LoadWarning, Location


class TextDocument(Document):
    """A document read from text: absent values keep the model pointer they were searched as,
    so messages can name the field (there is no page or quote for something missing)."""

    def absent(self, pointer: str) -> Evidence:
        return Evidence(Location(self.path, pointer=pointer))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    return h.hexdigest()


def document_from_text(path: Path, extracted: ExtractedText) -> Document:
    """Prepare, segment and map extracted text into a Document."""
    from dpia_check.text.mapper import map_document
    from dpia_check.text.prepare import prepare
    from dpia_check.text.vocab import default_vocabulary

    if not any(line.text.strip() for line in extracted.lines):
        raise InputError(str(path), "no text to check", hint="check that the right file was given")
    prepared = prepare(extracted, default_vocabulary())
    data, locations, quotes = map_document(prepared)
    doc = TextDocument(
        path=str(path),
        format=extracted.format,
        data=data,
        locations=locations,
        quotes=quotes,
        origin="text",
        pages=extracted.pages,
        readable=True,
        sha256=_sha256(path),
        language_detected=extracted.language,
        engine=extracted.engine,
        text=prepared,
    )
    mapped = sorted({k for s in prepared.sections for k in s.keys})
    if not mapped:
        doc.warnings.append(LoadWarning(
            "text-no-sections",
            "No usable section headings were recognised; every requirement was searched for in the whole document.",
            Location(str(path)),
        ))
    return doc


def load_pdf_document(path: Path, options: LoadOptions) -> Document:
    """Extract a PDF (pypdfium2 by default) and map it; unreadable input is an InputError."""
    from dpia_check.load.pdf import extract_pdf

    extracted = extract_pdf(
        path,
        engine=options.pdf_engine,
        password=options.password,
        max_bytes=options.max_bytes,
        max_pages=options.max_pages,
        jobs=options.jobs,
    )
    return document_from_text(path, extracted)


def load_text_document(path: Path, options: LoadOptions) -> Document:
    """Read a .txt/.md DPIA (UTF-8) and map it; line numbers stand in for pages."""
    from dpia_check.load.textsource import read_text_file

    return document_from_text(path, read_text_file(path, max_bytes=options.max_bytes))
