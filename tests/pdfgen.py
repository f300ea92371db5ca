"""Make small PDFs at test time, without reportlab or system fonts.

A fresh checkout only has pypdf, pypdfium2 and pytest, so the documents here are
written by hand: standard Helvetica (a base-14 font every reader knows, nothing to
embed), WinAnsi encoding, English text. pypdf is used only where hand-writing would be
silly (encryption). Hostile files (a Flate bomb, a truncated file, a broken xref,
thousands of pages) are built so that making them is cheap: the bomb's compressed
payload is assembled from one repeated deflate block instead of compressing 500 MB.

Page content: every string in a page list is one line of text; a line starting with
``"# "`` is drawn as a bold heading. Lines are drawn top to bottom and never wrapped.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

PAGE_W, PAGE_H = 612, 792  # US Letter, points
TOP, LEFT, LEADING = 740, 72, 16


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252) with (, ) and \\ escaped."""
    raw = text.encode("cp1252")
    raw = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return b"(" + raw + b")"


def _page_content(lines: Sequence[str], header: str | None, footer: str | None) -> bytes:
    ops: list[bytes] = []
    if header:
        ops.append(b"BT /F1 8 Tf %d %d Td %s Tj ET" % (LEFT, PAGE_H - 40, _pdf_string(header)))
    y = TOP
    for line in lines:
        if line.startswith("# "):
            ops.append(b"BT /F2 15 Tf %d %d Td %s Tj ET" % (LEFT, y, _pdf_string(line[2:])))
            y -= LEADING + 8
        else:
            ops.append(b"BT /F1 11 Tf %d %d Td %s Tj ET" % (LEFT, y, _pdf_string(line)))
            y -= LEADING
    if footer:
        ops.append(b"BT /F1 8 Tf %d %d Td %s Tj ET" % (PAGE_W - 140, 30, _pdf_string(footer)))
    return b"\n".join(ops) + b"\n"


class _Writer:
    """Collects numbered objects and writes a classic xref table."""

    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def set(self, num: int, body: bytes) -> None:
        self.objects[num - 1] = body

    @staticmethod
    def stream(data: bytes, extra: bytes = b"", *, compress: bool = False) -> bytes:
        if compress:
            data = zlib.compress(data)
            extra += b" /Filter /FlateDecode"
        return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"

    def render(self, root: int, info: int | None = None, *, broken_xref: bool = False) -> bytes:
        out = io.BytesIO()
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for num, body in enumerate(self.objects, 1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % num + body + b"\nendobj\n")
        xref_at = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1))
        for off in offsets:
            if broken_xref:
                off = off * 3 + 7  # points into nowhere: readers must rebuild the table
            out.write(b"%010d 00000 n \n" % off)
        trailer = b"<< /Size %d /Root %d 0 R" % (len(self.objects) + 1, root)
        if info is not None:
            trailer += b" /Info %d 0 R" % info
        out.write(b"trailer\n" + trailer + b" >>\n")
        out.write(b"startxref\n%d\n%%%%EOF\n" % (xref_at + (5 if broken_xref else 0)))
        return out.getvalue()


def _document(
    page_contents: Sequence[bytes | int],
    *,
    title: str | None = None,
    compress: bool = False,
    extra_objects: Sequence[bytes] = (),
    page_resources: bytes = b"",
    broken_xref: bool = False,
) -> bytes:
    """Assemble a document; an ``int`` in page_contents re-uses that object number."""
    w = _Writer()
    catalog = w.add(b"")
    pages = w.add(b"")
    f1 = w.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    f2 = w.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    for body in extra_objects:
        w.add(body)
    kids = []
    for content in page_contents:
        ref = content if isinstance(content, int) else w.add(w.stream(content, compress=compress))
        kids.append(
            w.add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> %s >> >>"
                % (pages, PAGE_W, PAGE_H, ref, f1, f2, page_resources)
            )
        )
    w.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    w.set(pages, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)))
    info = w.add(b"<< /Title %s /Producer (dpia-check tests) >>" % _pdf_string(title)) if title else None
    return w.render(catalog, info, broken_xref=broken_xref)


def simple_pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    *,
    header: str | None = None,
    footer: str | None = None,
    title: str | None = None,
    compress: bool = True,
    broken_xref: bool = False,
) -> Path:
    """Write a text PDF: one list of lines per page.

    ``header``/``footer`` are drawn on every page; ``{n}`` in them becomes the page
    number (``footer="Page {n}"``).
    """
    contents = [
        _page_content(
            lines,
            header.format(n=i) if header else None,
            footer.format(n=i) if footer else None,
        )
        for i, lines in enumerate(pages, 1)
    ]
    data = _document(contents, title=title, compress=compress, broken_xref=broken_xref)
    Path(path).write_bytes(data)
    return Path(path)


def many_pages_pdf(path: Path, count: int, line: str = "Short page of text.") -> Path:
    """Thousands of pages that share one content stream: a big page count in a small file."""
    shared = _Writer.stream(_page_content([line], None, None))
    data = _document([5] * count, extra_objects=[shared])  # object 5: the shared stream
    Path(path).write_bytes(data)
    return Path(path)


def image_only_pdf(path: Path, pages: int = 2) -> Path:
    """Pages that only paint an image (what a scanner makes): no text operators at all."""
    side = 64
    pixels = bytes((x * 4 + y * 2) % 256 for y in range(side) for x in range(side))
    image = _Writer.stream(
        pixels,
        b" /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
        % (side, side),
        compress=True,
    )
    draw = b"q 468 0 0 600 72 100 cm /Im1 Do Q\n"
    data = _document([draw] * pages, extra_objects=[image], page_resources=b"/XObject << /Im1 5 0 R >>")
    Path(path).write_bytes(data)
    return Path(path)


def no_unicode_pdf(path: Path, pages: int = 2) -> Path:
    """Text drawn with a Type 3 font whose glyphs have made-up names and no ToUnicode map:
    there are text operators, but no engine can say which characters they are."""
    w = _Writer()
    w.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages)).encode()
    w.add(b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, kids))
    first_extra = 3 + pages
    content, font, procs, glyph = first_extra, first_extra + 1, first_extra + 2, first_extra + 3
    for _ in range(pages):
        w.add(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content, font)
        )
    w.add(w.stream(b"BT /F1 12 Tf 72 700 Td (\001\002\003\004\001\002) Tj ET"))
    w.add(
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
        b"/CharProcs %d 0 R /Encoding << /Type /Encoding /Differences [1 /g1 /g2 /g3 /g4] >> "
        b"/FirstChar 1 /LastChar 4 /Widths [500 500 500 500] >>" % procs
    )
    w.add(b"<< /g1 %d 0 R /g2 %d 0 R /g3 %d 0 R /g4 %d 0 R >>" % (glyph, glyph, glyph, glyph))
    w.add(w.stream(b"500 0 d0 0 0 500 500 re f"))
    Path(path).write_bytes(w.render(1))
    return Path(path)


def _bomb_payload(inflated_mib: int) -> bytes:
    """A valid zlib stream that inflates to ``inflated_mib`` MiB of spaces (~1 KB per MiB).

    After a full flush deflate forgets its history, so compressing the same 1 MiB chunk
    again gives the same bytes: compress it twice, repeat the second block, then end the
    stream with an empty final block and the Adler-32 of all the data (computed with the
    combination formula instead of hashing 500 MB).
    """
    chunk = b" " * (1 << 20)
    comp = zlib.compressobj(9)
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    mod = 65521
    one = zlib.adler32(chunk)
    a1, b1 = one & 0xFFFF, one >> 16
    a, b = 1, 0
    for _ in range(inflated_mib):
        b = (b + b1 + len(chunk) * (a - 1)) % mod
        a = (a + a1 - 1) % mod
    return first + again * (inflated_mib - 1) + b"\x03\x00" + ((b << 16) | a).to_bytes(4, "big")


def bomb_pdf(path: Path, inflated_mib: int = 500) -> Path:
    """One page whose Flate content stream inflates to ``inflated_mib`` MiB (~500 KB on disk)."""
    payload = _bomb_payload(inflated_mib)
    content = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(payload) + payload + b"\nendstream"
    w = _Writer()
    w.add(b"<< /Type /Catalog /Pages 2 0 R >>")
    w.add(b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>")
    w.add(
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    )
    w.add(content)
    w.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    Path(path).write_bytes(w.render(1))
    return Path(path)


def encrypted_pdf(
    path: Path,
    pages: Sequence[Sequence[str]],
    *,
    user_password: str = "secret",
    owner_password: str = "owner",
    algorithm: str = "RC4-128",
) -> Path:
    """An encrypted copy of :func:`simple_pdf` made by pypdf.

    RC4 works with pypdf alone; ``"AES-128"``/``"AES-256"`` need the cryptography package.
    """
    from pypdf import PdfReader, PdfWriter

    plain = io.BytesIO(_document([_page_content(lines, None, None) for lines in pages]))
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    with open(path, "wb") as fh:
        writer.write(fh)
    return Path(path)


def truncated_pdf(path: Path, pages: Sequence[Sequence[str]], keep: float = 0.05) -> Path:
    """A text PDF cut after ``keep`` of its bytes, like an interrupted download."""
    buf = io.BytesIO()
    data = _document([_page_content(lines, None, None) for lines in pages], compress=True)
    buf.write(data[: max(16, int(len(data) * keep))])
    Path(path).write_bytes(buf.getvalue())
    return Path(path)


def docx_named_pdf(path: Path) -> Path:
    """A Word document (a ZIP) saved with a .pdf extension."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return Path(path)
