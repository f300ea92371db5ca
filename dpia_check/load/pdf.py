"""Text extraction from PDF DPIAs, with two engines behind one small interface.

* ``pypdfium2`` (default): PDFium, about 5 ms per page, best text quality.
* ``pypdf``: pure Python, about 20x slower; ``jobs > 1`` spreads a long document over
  processes.

Both engines only produce the raw text of each page; everything after that is shared
(:func:`_assemble`), so both give the same lines: NFKC and private-use clean-up
(:func:`dpia_check.textprep.normalise`), words hyphenated at a line end joined, running
headers, footers and page numbers removed.

Every unusable input ends in :class:`~dpia_check.errors.InputError` with a hint, never
a traceback and never a silently empty result: not a PDF, damaged, encrypted (or wrong
password), AES without the ``cryptography`` package (pypdf), too big, too many pages,
decompression bombs, no extractable text (scanned).

Engines are imported inside the functions that use them: importing this module costs
no pypdf or pypdfium2 import time.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dpia_check.errors import InputError
from dpia_check.forked import MAX_QUEUED, can_fork, shared_loop
from dpia_check.load.textsource import ExtractedText, TextLine, describe_binary
from dpia_check.textprep import detect_script_language, normalise

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_PAGES",
    "ENGINES",
    "extract_pdf",
]

MiB = 1 << 20
ENGINES = ("pypdfium2", "pypdf")
DEFAULT_MAX_BYTES = 100 * MiB
DEFAULT_MAX_PAGES = 2000

# Safety limits. Real DPIAs are far below all of them.
MAX_PAGE_TEXT = 2_000_000  # characters of text on one page
MAX_TOTAL_TEXT = 200_000_000  # characters in the whole document
MAX_STREAM_INFLATE = 64 * MiB  # one decompressed non-image stream (content, font, form)
MAX_TOTAL_INFLATE = 512 * MiB  # all decompressed non-image streams together
PARALLEL_MIN_PAGES = 40  # below this, worker start-up costs more than it saves

_OCR_HINT = "run OCR first (e.g. ocrmypdf) and check the result"
_BOMB_HINT = "the file is probably malicious or broken; ask for a clean export of the document"


# ---------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------


def extract_pdf(
    path: Path,
    *,
    engine: str = "pypdfium2",
    password: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
    jobs: int = 1,
    while_waiting: Callable[[], None] | None = None,
) -> ExtractedText:
    """Extract the text of a PDF as lines with page numbers.

    ``engine`` is ``"pypdfium2"`` or ``"pypdf"``; if the chosen engine cannot open the
    file at all, the other one is tried before the file is called damaged (the result's
    ``engine`` says which one read it). ``password`` opens encrypted files; a PDF that
    only has an owner password (empty user password) opens without one. ``jobs > 1``
    reads documents of 40+ pages with helper processes (see :func:`_pages_in_parallel`).

    ``while_waiting`` is run once, in this process, while helper processes read pages
    (not at all when there are none): work that does not need the text, such as
    compiling the vocabulary, gets done while the helpers keep the other cores busy.
    """
    path = Path(path)
    name = str(path)
    if engine not in ENGINES:
        raise InputError(name, f"unknown PDF engine {engine!r}", hint="use one of: " + ", ".join(ENGINES))
    _check_file(path, max_bytes)
    _check_compressed_streams(path)

    limits = _Limits(max_pages=max_pages)
    waiter = _Once(while_waiting)
    order = [engine, *(e for e in ENGINES if e != engine)]
    failures: list[str] = []
    raw: _RawDocument | None = None
    for candidate in order:
        try:
            if candidate == "pypdfium2":
                raw = _read_with_pdfium(path, password, limits, jobs, waiter)
            else:
                raw = _read_with_pypdf(path, password, limits, jobs, waiter)
            break
        except _Unopenable as exc:
            failures.append(f"{candidate}: {exc}")
    if raw is None:
        raise InputError(name, _damaged_message(path, failures), hint="re-export or re-download the PDF and try again")

    lines = _assemble(raw.pages)
    _check_enough_text(path, raw, lines)
    text = "\n".join(line.text for line in lines)
    title = normalise(raw.title).strip() if raw.title else ""
    return ExtractedText(
        path=name,
        format="pdf",
        lines=lines,
        pages=len(raw.pages),
        engine=raw.engine,
        title=title or None,
        language=detect_script_language(text),
    )


# ---------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------


@dataclass
class _Limits:
    max_pages: int
    max_page_text: int = MAX_PAGE_TEXT
    max_total_text: int = MAX_TOTAL_TEXT


@dataclass
class _RawDocument:
    """What an engine hands back: raw text per page, before any clean-up."""

    engine: str
    pages: list[str]
    title: str | None = None
    decode_problems: list[str] = field(default_factory=list)  # streams that could not be decoded
    has_text_operators: bool | None = None  # filled in only when the text came out empty


class _Unopenable(Exception):
    """The engine cannot parse the file at all (another engine may)."""


def _nothing() -> None:
    return None


class _Once:
    """Runs a callable at most once (``extract_pdf``'s ``while_waiting``)."""

    def __init__(self, fn: Callable[[], None] | None) -> None:
        self.fn = fn

    def __call__(self) -> None:
        fn, self.fn = self.fn, None
        if fn is not None:
            fn()


# ---------------------------------------------------------------------------
# Pages in parallel
# ---------------------------------------------------------------------------


def _pages_in_parallel(
    count: int,
    jobs: int,
    helper_reader: Callable[[], Callable[[int], Any]],
    read: Callable[[int], Any],
    waiter: Callable[[], None],
) -> list[Any]:
    """Read pages ``0..count-1`` with this process and ``jobs - 1`` forked helpers
    (:func:`dpia_check.forked.shared_loop`).

    A helper opens the document itself (``helper_reader()`` gives its page reader;
    nothing is shared with this process's open document) and sends its pages back as
    ``marshal`` data: plain strings and numbers, no pickling. This process runs
    ``waiter`` first (work the helpers make room for), then reads pages too. Page readers
    return plain records and never raise for a bad page, so the caller can report the
    first problem in page order, exactly as reading page by page would."""
    return shared_loop(count, read, helpers=jobs - 1, helper_work=helper_reader, first=waiter, encoding="marshal")


def _check_file(path: Path, max_bytes: int) -> None:
    """Existence, size and the %PDF signature, with a description of what it is instead."""
    name = str(path)
    try:
        if path.is_dir():
            raise InputError(name, "is a directory, not a PDF")
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(2048)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise InputError(
            name,
            f"PDF is {size / MiB:.1f} MiB, over the {max_bytes / MiB:.1f} MiB limit",
            hint="raise the limit with --max-size if the file is genuine",
        )
    if size == 0:
        raise InputError(name, "empty file (0 bytes), not a PDF", hint="re-export or re-download the PDF")
    if b"%PDF-" in head[:1024]:
        return
    known = describe_binary(head, path)
    if known is not None:
        raise InputError(name, f"not a PDF (no %PDF header): it looks like {known[0]}", hint=known[1])
    try:
        sample = head.decode("utf-8")
        is_text = sum(ch.isprintable() or ch in "\r\n\t" for ch in sample) >= 0.95 * len(sample)
    except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of the sample
        is_text = exc.start >= len(head) - 4
    if is_text:
        raise InputError(
            name,
            "not a PDF (no %PDF header): it looks like plain text",
            hint="give it a .txt or .md extension, or export the document to PDF",
        )
    raise InputError(name, "not a PDF (no %PDF header): it looks like binary data", hint="export the document to PDF and try again")


def _damaged_message(path: Path, failures: list[str]) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(max(0, path.stat().st_size - 2048))
            tail = fh.read()
    except OSError:
        tail = b""
    detail = "; ".join(f.replace("\n", " ")[:160].rstrip(". ") for f in failures)
    if b"%%EOF" not in tail:
        return f"damaged PDF: it looks truncated (no %%EOF end marker) and no engine could open it ({detail})"
    return f"damaged PDF: no engine could open it ({detail})"


# "stream" then an end of line, not "endstream": the look-behind follows the literal so
# that the regex engine can jump from one "stream" to the next (30x faster on a 3.5 MB PDF)
_STREAM_KEYWORD = re.compile(rb"stream(?<!endstream)(?:\r\n|\n|\r)")
_FLATE_FILTER = re.compile(rb"/Fl(?:ateDecode)?(?![A-Za-z])")


def _inflate(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Inflate a zlib stream piecewise (1 MiB at a time), stopping at its end."""
    decomp = zlib.decompressobj()
    for chunk in chunks:
        while chunk:
            out = decomp.decompress(chunk, MiB)
            if out:
                yield out
            if decomp.eof:
                return
            chunk = decomp.unconsumed_tail


def _check_compressed_streams(path: Path) -> None:
    """Refuse decompression bombs before any engine sees the file.

    PDFium inflates a content stream completely in memory (a 500 KB file can cost 1 GB),
    so each Flate-compressed non-image stream is inflated here first, in 1 MiB pieces that
    are counted and thrown away: memory stays small, time is bounded by the limits.
    Chained Flate filters are followed. Image streams and attachments are skipped (text
    extraction does not decode them). Encrypted streams cannot be checked here (they look
    like noise); for them the per-page text limits and pypdf's own limits remain.
    """
    total = 0
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            view = memoryview(mm)
            try:
                for match in _STREAM_KEYWORD.finditer(mm):
                    head = mm[max(0, match.start() - 2048) : match.start()]
                    obj = head.rfind(b"obj")
                    if obj >= 0:
                        head = head[obj + 3 :]
                    if b"/Image" in head or b"/EmbeddedFile" in head:
                        continue  # never decoded for text extraction
                    layers = len(_FLATE_FILTER.findall(head))
                    if not layers:
                        continue
                    start = match.end()
                    pieces: Iterable[bytes] = (
                        bytes(view[i : i + 65536]) for i in range(start, len(mm), 65536)
                    )
                    for _ in range(min(layers, 4)):
                        pieces = _inflate(pieces)
                    size = 0
                    try:
                        for piece in pieces:
                            size += len(piece)
                            if size > MAX_STREAM_INFLATE or total + size > MAX_TOTAL_INFLATE:
                                break
                    except zlib.error:
                        pass  # not valid zlib data (encrypted, or not really a stream): the engines decide
                    total += size
                    if size > MAX_STREAM_INFLATE:
                        raise InputError(
                            str(path),
                            f"a compressed stream inflates to more than {MAX_STREAM_INFLATE // MiB} MiB "
                            "(decompression bomb); refusing to read it",
                            hint=_BOMB_HINT,
                        )
                    if total > MAX_TOTAL_INFLATE:
                        raise InputError(
                            str(path),
                            f"compressed streams inflate to more than {MAX_TOTAL_INFLATE // MiB} MiB in total "
                            "(decompression bomb?); refusing to read it",
                            hint=_BOMB_HINT,
                        )
            finally:
                view.release()
    except (OSError, ValueError) as exc:  # mmap of an odd file: let the engines report it
        if isinstance(exc, FileNotFoundError):
            raise InputError(str(path), "no such file") from None


def _page_limit_error(path: Path, count: int, limits: _Limits) -> InputError:
    return InputError(
        str(path),
        f"PDF has {count:,} pages, more than the limit of {limits.max_pages:,}",
        hint="raise the limit with --max-pages if the document is genuine",
    )


class _TextBudget:
    """Stops extraction when a page or the whole document holds absurd amounts of text."""

    def __init__(self, path: Path, limits: _Limits) -> None:
        self.path, self.limits, self.total = path, limits, 0

    def check_page(self, page_no: int, chars: int) -> None:
        if chars > self.limits.max_page_text:
            raise InputError(
                str(self.path),
                f"page holds {chars:,} characters of text, over the {self.limits.max_page_text:,} limit "
                "(decompression bomb or generated garbage?)",
                page=page_no,
                hint=_BOMB_HINT,
            )
        self.total += chars
        if self.total > self.limits.max_total_text:
            raise InputError(
                str(self.path),
                f"document holds more than {self.limits.max_total_text:,} characters of text; refusing to go on",
                page=page_no,
                hint=_BOMB_HINT,
            )


def _little_text(pages: list[str]) -> bool:
    """Cheap first look: could this document fail :func:`_check_enough_text`?

    Then the engine also finds out whether the pages draw text at all, while it still has
    the document open (it tells "scanned" from "fonts without a Unicode map").
    """
    if sum(len(p) for p in pages) >= 8 * len(pages):
        return False
    visible = sum(len("".join(normalise(p).split())) for p in pages)
    return visible < max(1, len(pages))


def _check_enough_text(path: Path, raw: _RawDocument, lines: list[TextLine]) -> None:
    """No silent empty results: too little text is an error that says why if it can."""
    pages = max(1, len(raw.pages))
    chars = sum(len(line.text) - line.text.count(" ") for line in lines)
    if chars >= pages:  # about one character per page on average is the least we accept
        return
    name = str(path)
    if raw.decode_problems:
        raise InputError(
            name,
            f"the page content of {path.name} could not be decoded ({raw.decode_problems[0]})",
            hint=_BOMB_HINT if any("limit" in p.lower() for p in raw.decode_problems) else "re-export the PDF from the source document",
        )
    if raw.has_text_operators:
        raise InputError(
            name,
            f"{path.name} draws text but it cannot be converted to characters (fonts without a Unicode map)",
            hint="re-export the PDF from the source document, or run OCR (e.g. ocrmypdf --force-ocr) and check the result",
        )
    raise InputError(name, f"no extractable text in {path.name}; it looks scanned", hint=_OCR_HINT)


# ---------------------------------------------------------------------------
# Engine: pypdfium2
# ---------------------------------------------------------------------------


_OTHER_ENGINE_HINT = "try --pdf-engine pypdf, or re-export the PDF"


def _read_with_pdfium(path: Path, password: str | None, limits: _Limits, jobs: int = 1, waiter: Callable[[], None] | None = None) -> _RawDocument:
    import pypdfium2 as pdfium  # lazy: ~60 ms

    name = str(path)
    raw_api: Any = pdfium.raw

    def open_doc(pw: str | None) -> Any:
        return pdfium.PdfDocument(name, password=pw)

    opened_with = password  # what a helper process opens the document with
    try:
        doc = open_doc(password)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw_api.FPDF_ERR_PASSWORD:
            if not password:
                raise InputError(name, "the PDF is encrypted", hint="give its password with --password") from None
            try:  # an owner-password-only PDF opens with an empty user password
                doc = open_doc(None)
                opened_with = None
            except pdfium.PdfiumError:
                raise InputError(name, "wrong password for the encrypted PDF", hint="check the value given with --password") from None
        elif code == raw_api.FPDF_ERR_SECURITY:
            raise InputError(
                name, "the PDF uses an encryption method PDFium does not support", hint="try --pdf-engine pypdf"
            ) from None
        elif code == raw_api.FPDF_ERR_FILE:
            raise InputError(name, "cannot be opened (file error)") from None
        else:
            raise _Unopenable(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - anything else while parsing: let the other engine try
        raise _Unopenable(f"{type(exc).__name__}: {exc}") from None

    try:
        count = len(doc)
        if count > limits.max_pages:
            raise _page_limit_error(path, count, limits)
        if count == 0:
            raise InputError(name, "the PDF has no pages", hint="re-export the PDF")
        budget = _TextBudget(path, limits)
        pages: list[str] = []
        jobs = max(1, min(jobs, os.cpu_count() or 1, count // 10 or 1))
        if jobs > 1 and PARALLEL_MIN_PAGES <= count <= MAX_QUEUED and can_fork():
            # helpers open their own copy: PDFium's file access is not shared across processes
            records = _pages_in_parallel(
                count, jobs, lambda: _PdfiumPages(pdfium, open_doc(opened_with), limits), _PdfiumPages(pdfium, doc, limits), waiter or _nothing
            )
            for index, record in enumerate(records):  # in page order: the first problem is reported
                if record[0] == "error":
                    raise InputError(name, record[1], page=index + 1, hint=_OTHER_ENGINE_HINT)
                budget.check_page(index + 1, record[1])
                pages.append(record[2])
        else:
            for index in range(count):
                try:
                    page = doc[index]
                except pdfium.PdfiumError as exc:
                    raise InputError(name, f"page cannot be read ({exc})", page=index + 1, hint=_OTHER_ENGINE_HINT) from None
                try:
                    textpage = page.get_textpage()
                    try:
                        budget.check_page(index + 1, textpage.count_chars())
                        pages.append(textpage.get_text_range())
                    finally:
                        textpage.close()
                except pdfium.PdfiumError as exc:
                    raise InputError(name, f"page text cannot be read ({exc})", page=index + 1, hint=_OTHER_ENGINE_HINT) from None
                finally:
                    page.close()
        raw = _RawDocument("pypdfium2", pages, title=_pdfium_title(doc))
        if _little_text(pages):
            raw.has_text_operators = _pdfium_has_text_objects(doc, raw_api)
        return raw
    finally:
        doc.close()


class _PdfiumPages:
    """Reads one page of an open PDFium document into a plain record (for
    :func:`_pages_in_parallel`): ``("ok", characters, text)``, ``("error", message)``, or,
    for a page over the per-page limit or once this reader alone has passed the
    document limit, ``("ok", characters, "")`` (the caller's budget stops there first)."""

    def __init__(self, pdfium: Any, doc: Any, limits: _Limits) -> None:
        self.pdfium, self.doc, self.limits, self.total = pdfium, doc, limits, 0

    def __call__(self, index: int) -> tuple[Any, ...]:
        error = self.pdfium.PdfiumError
        try:
            page = self.doc[index]
        except error as exc:
            return ("error", f"page cannot be read ({exc})")
        try:
            textpage = page.get_textpage()
            try:
                chars = textpage.count_chars()
                self.total += chars
                if chars > self.limits.max_page_text or self.total > self.limits.max_total_text:
                    return ("ok", chars, "")
                return ("ok", chars, textpage.get_text_range())
            finally:
                textpage.close()
        except error as exc:
            return ("error", f"page text cannot be read ({exc})")
        finally:
            page.close()


def _pdfium_title(doc: Any) -> str | None:
    try:
        value = doc.get_metadata_value("Title")
    except Exception:  # noqa: BLE001 - metadata is optional; never fail on it
        return None
    return str(value) if value else None


def _pdfium_has_text_objects(doc: Any, raw_api: Any) -> bool:
    """Does any of the first pages draw text? (Tells 'scanned' from 'undecodable fonts'.)"""
    for index in range(min(len(doc), 10)):
        page = doc[index]
        try:
            if any(True for _ in page.get_objects(filter=[raw_api.FPDF_PAGEOBJ_TEXT], max_depth=3)):
                return True
        finally:
            page.close()
    return False


# ---------------------------------------------------------------------------
# Engine: pypdf
# ---------------------------------------------------------------------------

# pypdf's own limits, set on purpose (its defaults are 75 MB per stream): content streams
# of text documents are kilobytes to a few megabytes.
PYPDF_LIMITS: dict[str, int] = {
    "zlib_maximum_output_length": MAX_STREAM_INFLATE,
    "lzw_maximum_output_length": MAX_STREAM_INFLATE,
    "run_length_maximum_output_length": MAX_STREAM_INFLATE,
    "brotli_maximum_output_length": MAX_STREAM_INFLATE,
    "array_based_stream_maximum_output_length": MAX_STREAM_INFLATE,
    "maximum_declared_stream_length": MAX_STREAM_INFLATE,
    "stream_decoding_work_maximum_length": 4 * MAX_STREAM_INFLATE,
}


_LOG_LIMIT = 50  # pypdf log messages kept per reading


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[list[str]]:
    """pypdf with our limits applied and its log records and warnings kept, not printed.

    pypdf reports recoverable problems through :mod:`logging` (which would print them on
    stderr) and :mod:`warnings`; the kept messages explain an empty result ("could not be
    decoded" rather than "scanned").
    """
    import logging
    import warnings

    import pypdf

    messages: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if len(messages) < _LOG_LIMIT:
                messages.append(record.getMessage())

    logger = logging.getLogger("pypdf")
    handler = Collector(logging.WARNING)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with pypdf.apply_configuration(None, **_supported_limits(pypdf)), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _supported_limits(pypdf_module: Any) -> dict[str, int]:
    """Only the limit names this pypdf version knows (they were renamed in 6.x/7.x)."""
    known = set(getattr(pypdf_module.Configuration, "__dataclass_fields__", {}))
    return {k: v for k, v in PYPDF_LIMITS.items() if k in known}


def _decode_problem(messages: list[str]) -> list[str]:
    keys = ("limit", "decompress", "zlib", "decode", "stream", "filter")
    return [m for m in messages if any(k in m.lower() for k in keys)]


def _pypdf_page_text(page: Any) -> str:
    """pypdf's text for one page, with its line breaks between fragments on one baseline removed.

    pypdf starts a new line for every text object, so a list number and its item, or the
    cells of a table row, come out on separate lines where PDFium (and the reader's eye)
    see one line. The visitor reports each fragment's position; a break is dropped when
    the next fragment sits on the same baseline. Nothing else of pypdf's output changes.
    """
    frags: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[3] * cm[3]) or 1.0
            frags.append((text, y, (size or 1.0) * scale))

    out: str = page.extract_text(visitor_text=visit)
    if "".join(f[0] for f in frags) != out:
        return out
    parts: list[str] = []
    for i, (text, y, size) in enumerate(frags):
        if text.endswith("\n") and text.count("\n") == 1 and i + 1 < len(frags):
            _, next_y, next_size = frags[i + 1]
            if abs(next_y - y) < 0.5 * min(size, next_size):
                text = text[:-1] + " "
        parts.append(text)
    return "".join(parts)


def _crypto_missing(name: str, exc: Exception) -> InputError:
    return InputError(
        name,
        f"the PDF is AES-encrypted and the pypdf engine needs the cryptography package for that ({exc})",
        hint='pip install "dpia-check[crypto]", or use the default engine (--pdf-engine pypdfium2)',
    )


def _open_pypdf(path: Path, password: str | None) -> Any:
    """Open with pypdf; raise InputError for encryption problems, _Unopenable for damage."""
    from pypdf import PdfReader, errors

    name = str(path)
    try:
        try:
            reader = PdfReader(name, password=password)
        except errors.WrongPasswordError:
            if not password:
                raise
            reader = PdfReader(name)  # owner-password-only PDFs open without one
            if reader.is_encrypted:
                _ = reader.pages[0]  # raises FileNotDecryptedError if it really needs a password
        _ = len(reader.pages)
        return reader
    except errors.DependencyError as exc:
        raise _crypto_missing(name, exc) from None
    except errors.WrongPasswordError:
        raise InputError(name, "wrong password for the encrypted PDF", hint="check the value given with --password") from None
    except errors.FileNotDecryptedError:
        if password:
            raise InputError(name, "wrong password for the encrypted PDF", hint="check the value given with --password") from None
        raise InputError(name, "the PDF is encrypted", hint="give its password with --password") from None
    except errors.LimitReachedError as exc:
        raise InputError(name, f"the PDF structure exceeds a safety limit ({exc})", hint=_BOMB_HINT) from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on broken files
        raise _Unopenable(f"{type(exc).__name__}: {exc}") from None


def _pypdf_title(reader: Any) -> str | None:
    try:
        meta = reader.metadata
        return str(meta.title) if meta is not None and meta.title else None
    except Exception:  # noqa: BLE001 - metadata is optional; never fail on it
        return None


def _pypdf_extract_range(path: Path, password: str | None, start: int, stop: int, reader: Any = None) -> tuple[list[str], list[str]]:
    """Text of pages ``start``..``stop-1`` (0-based) and the decode problems pypdf logged.

    Raises InputError for a page that cannot be read.
    """
    with _quiet_pypdf() as log:
        if reader is None:
            reader = _open_pypdf(path, password)
        texts = [_pypdf_read_page(path, reader, index) for index in range(start, stop)]
        return texts, _decode_problem(log)


def _pypdf_read_page(path: Path, reader: Any, index: int) -> str:
    """One page's text (inside :func:`_quiet_pypdf`); InputError for a page that cannot be read."""
    from pypdf import errors

    try:
        return _pypdf_page_text(reader.pages[index])
    except errors.DependencyError as exc:
        raise _crypto_missing(str(path), exc) from None
    except errors.LimitReachedError as exc:
        raise InputError(
            str(path),
            f"page content could not be decoded: it exceeds a safety limit ({exc}); decompression bomb?",
            page=index + 1,
            hint=_BOMB_HINT,
        ) from None
    except Exception as exc:  # noqa: BLE001 - pypdf raises many types on broken content
        raise InputError(
            str(path),
            f"page cannot be read by pypdf ({type(exc).__name__}: {exc})",
            page=index + 1,
            hint="try the default engine (--pdf-engine pypdfium2), or re-export the PDF",
        ) from None


def _pypdf_worker(path: str, password: str | None, start: int, stop: int) -> tuple[str, Any]:
    """Process-pool task. Returns ("ok", (texts, problems)) or ("error", fields of an InputError).

    InputError itself does not survive pickling (its __init__ takes keywords), so
    errors travel as plain data.
    """
    try:
        return "ok", _pypdf_extract_range(Path(path), password, start, stop)
    except InputError as exc:
        return "error", (exc.message, exc.page, exc.hint)
    except Exception as exc:  # noqa: BLE001 - anything else becomes one clear message
        return "error", (f"pypdf failed: {type(exc).__name__}: {exc}", start + 1, "try --jobs 1")


def _read_with_pypdf(path: Path, password: str | None, limits: _Limits, jobs: int, waiter: Callable[[], None] | None = None) -> _RawDocument:
    with _quiet_pypdf():
        reader = _open_pypdf(path, password)
        count = len(reader.pages)
        title = _pypdf_title(reader)
    if count > limits.max_pages:
        raise _page_limit_error(path, count, limits)
    if count == 0:
        raise InputError(str(path), "the PDF has no pages", hint="re-export the PDF")
    jobs = max(1, min(jobs, os.cpu_count() or 1, count // 10 or 1))
    results: list[tuple[list[str], list[str]]] | None = None
    if jobs > 1 and count >= PARALLEL_MIN_PAGES:
        results = _pypdf_parallel(path, password, count, jobs, reader, waiter or _nothing)
    if results is None:
        results = [_pypdf_extract_range(path, password, 0, count, reader)]
    pages: list[str] = []
    problems: list[str] = []
    budget = _TextBudget(path, limits)
    for texts, found in results:
        for text in texts:
            budget.check_page(len(pages) + 1, len(text))
            pages.append(text)
        problems.extend(found)
    raw = _RawDocument("pypdf", pages, title=title, decode_problems=problems)
    if _little_text(pages):
        raw.has_text_operators = _pypdf_has_text_operators(reader)
    return raw


class _PypdfPages:
    """Reads one page with an open pypdf reader into a plain record (for
    :func:`_pages_in_parallel`): ``("ok", text, log messages)`` or ``("error", message,
    page, hint)`` with the InputError reading the page one by one would raise."""

    def __init__(self, path: Path, reader: Any) -> None:
        self.path, self.reader = path, reader

    def __call__(self, index: int) -> tuple[Any, ...]:
        try:
            with _quiet_pypdf() as log:
                text = _pypdf_read_page(self.path, self.reader, index)
                return ("ok", text, list(log))
        except InputError as exc:
            return ("error", exc.message, exc.page, exc.hint)
        except Exception as exc:  # noqa: BLE001 - anything else becomes one clear message
            return ("error", f"pypdf failed: {type(exc).__name__}: {exc}", index + 1, "try --jobs 1")


def _pypdf_parallel(
    path: Path, password: str | None, count: int, jobs: int, reader: Any = None, waiter: Callable[[], None] = _nothing
) -> list[tuple[list[str], list[str]]] | None:
    """Pages read by several processes; one ``(texts, problems)`` result, as one process gives.

    On Linux the helpers are forked and take pages from a shared queue
    (:func:`_pages_in_parallel`): they inherit the parsed ``reader``, so nothing is
    parsed twice, and they send back plain text. Elsewhere a process pool reads
    contiguous ranges of pages."""
    if reader is not None and count <= MAX_QUEUED and can_fork():
        pages = _PypdfPages(path, reader)
        records = _pages_in_parallel(count, jobs, lambda: pages, pages, waiter)
        texts: list[str] = []
        log: list[str] = []
        for record in records:  # in page order: the first problem is reported
            if record[0] == "error":
                raise InputError(str(path), record[1], page=record[2], hint=record[3])
            texts.append(record[1])
            log.extend(record[2])
        return [(texts, _decode_problem(log[:_LOG_LIMIT]))]  # as one reader logs them
    return _pypdf_pool(path, password, count, jobs, waiter)


def _pypdf_pool(path: Path, password: str | None, count: int, jobs: int, waiter: Callable[[], None]) -> list[tuple[list[str], list[str]]] | None:
    """Split the pages into contiguous ranges, one process pool task each (in order)."""
    import concurrent.futures
    import multiprocessing

    chunks = jobs * 2
    bounds = [count * i // chunks for i in range(chunks + 1)]
    ranges = [(bounds[i], bounds[i + 1]) for i in range(chunks) if bounds[i] < bounds[i + 1]]
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    try:
        pool = concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method))
    except (OSError, ValueError, NotImplementedError):
        return None  # no process pool here: do it in one process
    outcomes: list[tuple[str, Any]] = []
    try:
        with pool:
            futures = [pool.submit(_pypdf_worker, str(path), password, a, b) for a, b in ranges]
            waiter()
            for future in futures:
                outcomes.append(future.result())
    except concurrent.futures.process.BrokenProcessPool:
        raise InputError(
            str(path), "a PDF worker process died (out of memory?)", hint="try --jobs 1 or the default engine"
        ) from None
    results: list[tuple[list[str], list[str]]] = []
    for status, payload in outcomes:
        if status == "error":
            message, page, hint = payload
            raise InputError(str(path), message, page=page, hint=hint)
        results.append(payload)
    return results


_TEXT_SHOW = re.compile(rb"(?:\)|>|\])\s*(?:Tj|TJ|'|\")")


def _pypdf_has_text_operators(reader: Any) -> bool:
    """Does any of the first pages' content contain text-showing operators?"""
    with _quiet_pypdf():
        for page in list(reader.pages)[:10]:
            try:
                contents = page.get_contents()
                data = contents.get_data() if contents is not None else b""
            except Exception:  # noqa: BLE001 - undecodable content simply does not count
                data = b""
            if _TEXT_SHOW.search(data):
                return True
    return False


# ---------------------------------------------------------------------------
# From raw page text to TextLines (engine-independent)
# ---------------------------------------------------------------------------

_HYPHENS = ("-", "\u2010", "\u2011")
_PAGE_NUMBER = re.compile(
    r"""^(?:
        (?:page|p\.|pg\.|strana|str\.|страна|стр\.)\s*\d{1,5}(?:\s*(?:of|od|од|iz|из|/)\s*\d{1,5})?
      | \d{1,5}\s*(?:/|of|od|од|iz|из)\s*\d{1,5}
      | [-–—]\s*\d{1,5}\s*[-–—]
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_DIGITS = re.compile(r"\d+")
_GLUED_LIST_NUMBER = re.compile(r"^(\d{1,3}\.)(?=[^\W\d_])")
_EDGE = 3  # running headers/footers are looked for among the first and last 3 lines of a page


def _split_page(raw: str) -> list[str]:
    """Raw engine text of a page -> normalised non-empty lines.

    PDFium removes a hyphen at a line end and marks the spot with U+FFFE (older builds:
    U+0002), joining the two lines; putting ``-`` and the break back makes its output
    match pypdf's, and the shared hyphenation rule below decides for both. A soft hyphen
    at a line end is a hyphenation point too, so it becomes ``-`` before normalise() would
    delete it. A wide list number glued to its item (``100.Recruitment``: PDFium saw no
    gap) gets its space back, as pypdf gives it.
    """
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "\ufffe" in raw or "\x02" in raw:
        raw = raw.replace("\ufffe", "-\n").replace("\x02", "-\n")
    if "\u00ad" in raw:
        raw = re.sub(r"\u00ad[ \t]*\n", "-\n", raw)
    lines = []
    for line in normalise(raw).split("\n"):
        line = line.strip()
        if line:
            if line[0].isdigit():
                line = _GLUED_LIST_NUMBER.sub(r"\1 ", line)
            lines.append(line)
    return lines


def _running_key(line: str) -> str:
    """Compare running lines ignoring case, spacing and digits ("Page 3" ~ "page 12")."""
    return " ".join(_DIGITS.sub("#", line.casefold()).split())


def _remove_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop running headers/footers and page numbers.

    A line is running if, ignoring case and digits, it appears among the first or last
    three lines of more than half of the pages (and of at least two), never elsewhere on
    a page, and its digits are either the same everywhere ("Version 1.3") or follow the
    page number ("Page 3 of 41", also with a constant offset for unnumbered cover pages).
    Lines that look like page numbers ("Page 3", "Strana 3 od 41", "Страна 3", "3 / 41",
    "- 3 -", or a lone number equal to the page number) are dropped from those positions
    on any page.
    """
    with_text = sum(1 for lines in pages if lines)
    occurrences: dict[str, list[tuple[int, str]]] = {}
    for page_no, lines in enumerate(pages, 1):
        for i in sorted(_edge_positions(len(lines))):
            occurrences.setdefault(_running_key(lines[i]), []).append((page_no, lines[i]))
    running = {
        key
        for key, occ in occurrences.items()
        if len({page for page, _ in occ}) >= 2
        and len({page for page, _ in occ}) * 2 > with_text
        and len(key) <= 200
        and _digits_follow_pages(occ)
    }
    if running:  # a running line never appears in the body of a page (else it is content)
        lengths = [len(text) for key in running for _, text in occurrences[key]]
        shortest, longest = min(lengths) - 4, max(lengths) + 4
        checked: set[str] = set()  # body lines repeat; each text is looked at once
        for lines in pages:
            edge_idx = _edge_positions(len(lines))
            for i, line in enumerate(lines):
                if i not in edge_idx and shortest <= len(line) <= longest and line not in checked:
                    checked.add(line)
                    running.discard(_running_key(line))
    cleaned: list[list[str]] = []
    for page_no, lines in enumerate(pages, 1):
        edge_idx = _edge_positions(len(lines))
        kept = [
            line
            for i, line in enumerate(lines)
            if i not in edge_idx or not (_is_page_number(line, page_no) or (running and _running_key(line) in running))
        ]
        cleaned.append(kept)
    return cleaned


def _digits_follow_pages(occurrences: list[tuple[int, str]]) -> bool:
    """True if every number in the line is constant or equals the page number plus a constant."""
    if len({text for _, text in occurrences}) == 1:
        return True
    columns = list(zip(*[[int(d) for d in _DIGITS.findall(text)] for _, text in occurrences], strict=False))
    for values in columns:
        if len(set(values)) == 1:
            continue
        offsets = {value - page for value, (page, _) in zip(values, occurrences, strict=True)}
        if len(offsets) != 1:
            return False
    return bool(columns)


def _edge_positions(n: int) -> set[int]:
    return set(range(min(_EDGE, n))) | set(range(max(0, n - _EDGE), n))


def _is_page_number(line: str, page_no: int) -> bool:
    if line.isdigit():
        return int(line) == page_no
    return bool(_PAGE_NUMBER.match(line))


def _join_hyphenated(pages: list[list[str]]) -> list[TextLine]:
    """Number lines per page and join ``obra-`` + ``de`` into ``obrade``.

    A line ending in a hyphen right after a letter is joined with the next line when that
    one starts with a lower-case letter (also across a page break; the joined line keeps
    the first page). Hyphens inside a line are never touched, and neither is a line end
    followed by a capital (``Petrović-`` / ``Jovanović``).
    """
    out: list[TextLine] = []
    pending: tuple[str, int, int] | None = None  # text, page, line
    for page_no, lines in enumerate(pages, 1):
        line_no = 0
        for text in lines:
            if pending is not None and text[0].islower():
                pending = (pending[0][:-1] + text, pending[1], pending[2])
            else:
                if pending is not None:
                    out.append(TextLine(*pending))
                line_no += 1
                pending = (text, page_no, line_no)
            if not (pending[0].endswith(_HYPHENS) and len(pending[0]) > 1 and pending[0][-2].isalpha()):
                out.append(TextLine(*pending))
                pending = None
    if pending is not None:
        out.append(TextLine(*pending))
    return out


def _assemble(raw_pages: list[str]) -> list[TextLine]:
    """Shared by both engines, so they give the same lines for the same PDF."""
    pages = [_split_page(raw) for raw in raw_pages]
    pages = _remove_running_lines(pages)
    return _join_hyphenated(pages)
