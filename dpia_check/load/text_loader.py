"""Load a DPIA written for people (PDF, .txt, .md) into the shared document model.

Extraction (:mod:`dpia_check.load.pdf`, :mod:`dpia_check.load.textsource`) gives lines
with their page and line; :mod:`dpia_check.text` prepares them once, finds the
sections and maps the text onto the DPIA model. The result is a normal
:class:`~dpia_check.model.Document` with ``origin="text"``, so the same rules judge
it; ``doc.text`` keeps the prepared text (what was searched where, for messages and
for the text judge).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from dpia_check.errors import InputError, printable
from dpia_check.load import LoadOptions
from dpia_check.load.textsource import ExtractedText
from dpia_check.model import Document, Evidence, LoadWarning, Location

if TYPE_CHECKING:
    from dpia_check.text.vocab import Vocabulary


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


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document is read.

    Reading a long DPIA allocates hundreds of thousands of small lists, tuples and
    objects (lines, units, sentences, regex parse trees) that reference counting frees;
    the cyclic collector kept re-scanning them, about 5 % of a 200-page check. It is
    switched back on (if it was on) when the document is ready."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def document_from_text(path: Path, extracted: ExtractedText, vocab: Vocabulary | None = None, name: str | None = None) -> Document:
    """Prepare, segment and map extracted text into a Document (``name``: how reports name
    it, by default its path)."""
    from dpia_check.text.mapper import map_document
    from dpia_check.text.prepare import prepare
    from dpia_check.text.vocab import default_vocabulary

    if not any(line.text.strip() for line in extracted.lines):
        raise InputError(str(path), "no text to check", hint="check that the right file was given")
    name = name or printable(str(path))  # the name shown in reports; the file is read by ``path``
    if extracted.path != name:
        extracted = dataclasses.replace(extracted, path=name)
    with _no_cycle_collection():
        prepared = prepare(extracted, vocab or default_vocabulary())
        data, locations, quotes = map_document(prepared)
    doc = TextDocument(
        path=name,
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
            Location(name),
        ))
    return doc


def load_pdf_document(path: Path, options: LoadOptions, name: str | None = None) -> Document:
    """Extract a PDF (pypdfium2 by default) and map it; unreadable input is an InputError.

    While helper processes read the pages (``jobs > 1``, long documents), this process
    loads the vocabulary and compiles its regexes, which mapping needs next anyway."""
    from dpia_check.load.pdf import extract_pdf

    warmed: list[Vocabulary] = []

    def warm_up() -> None:
        from dpia_check.text import mapper  # noqa: F401 - imported now, not after extraction
        from dpia_check.text.vocab import compile_all, default_vocabulary

        try:
            vocab = default_vocabulary()
            compile_all(vocab)
        except Exception:  # noqa: BLE001 - done again (and reported) when the text is mapped
            return
        warmed.append(vocab)

    with _no_cycle_collection():
        extracted = extract_pdf(
            path,
            engine=options.pdf_engine,
            password=options.password,
            max_bytes=options.max_bytes,
            max_pages=options.max_pages,
            jobs=options.jobs,
            while_waiting=warm_up,
        )
        return document_from_text(path, extracted, warmed[0] if warmed else None, name=name)


def load_text_document(path: Path, options: LoadOptions) -> Document:
    """Read a .txt/.md DPIA (UTF-8) and map it; line numbers stand in for pages."""
    from dpia_check.load.textsource import read_text_file

    return document_from_text(path, read_text_file(path, max_bytes=options.max_bytes))
