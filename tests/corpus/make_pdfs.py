#!/usr/bin/env python3
"""Render the sample DPIA texts in tests/data/pdf/*.txt into small PDFs (not run by pytest).

The PDFs are committed; run this only after changing a .txt:

    python tests/corpus/make_pdfs.py            # all samples
    python tests/corpus/make_pdfs.py dpia-en    # one

Needs reportlab and the DejaVu fonts (Debian/Ubuntu: fonts-dejavu-core). The fonts are
embedded as subsets, so the PDFs need nothing at test time; no font is kept in the repo.

Source format (tests read the same files to know what the PDFs must give back):

* ``%title …``, ``%header …``, ``%footer …`` — document title (metadata) and the running
  header/footer drawn on every page; ``{n}``/``{total}`` are the page number and count;
* ``=== page ===`` — page break;
* ``# …`` — a heading (bold, larger);
* any other line — one line of body text, drawn exactly as written (no re-wrapping, so a
  line ending in ``-`` is a hyphenation the extractor must join).

Corpus mode (``--corpus``) renders the labelled DPIA corpus ``tests/corpus/<name>.txt``
(sources with a ``%title`` line) into ``tests/corpus/<name>.pdf``. There a source line is
a *paragraph*: it is wrapped to the page width like a word processor would, list items
(``- …``, ``1. …``, ``а) …``) wrap with a hanging indent, ``# ``/``## `` are headings, an
empty line adds space, pages break when full (or at ``=== page ===``), and with
``%hyphenate`` long words are split at a line end with a hyphen (deterministically), so
the extractor's hyphen joining is exercised on real documents; with ``%wrap-headings`` a
heading too long for a line wraps onto the next, as a word processor's would. Consecutive lines
``| cell | cell |`` are a table without rules: each column as wide as its longest cell
needs (shared out to the page width), each cell wrapped in its column, the cells of a
row side by side, so the extractor gives the row as lines of joined cells, the way
word processors' tables come out of PDFs (a cover table, a register):

    python tests/corpus/make_pdfs.py --corpus                 # every corpus source
    python tests/corpus/make_pdfs.py --corpus moi-2019-sr-cyrl
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DATA = Path(__file__).resolve().parent.parent / "data" / "pdf"
LEFT, RIGHT, TOP = 56.0, 56.0, 770.0
BODY, HEAD, SMALL = ("DejaVuSans", 10.5), ("DejaVuSans-Bold", 14.0), ("DejaVuSans", 8.0)


def parse(text: str) -> tuple[dict[str, str], list[list[str]]]:
    """Directives and pages (lists of lines, headings still marked with '# ')."""
    meta: dict[str, str] = {}
    pages: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("%"):
            key, _, value = line[1:].partition(" ")
            meta[key] = value
        elif line.strip() == "=== page ===":
            pages.append([])
        elif line.strip():
            pages[-1].append(line)
    return meta, pages


def render(src: Path, out: Path) -> None:
    meta, pages = parse(src.read_text(encoding="utf-8"))
    c = canvas.Canvas(str(out), pagesize=A4, pageCompression=1, invariant=1)
    c.setTitle(meta.get("title", src.stem))
    c.setAuthor("dpia-check test corpus")
    width = A4[0] - LEFT - RIGHT
    for n, lines in enumerate(pages, 1):
        if meta.get("header"):
            c.setFont(*SMALL)
            c.drawString(LEFT, A4[1] - 36, meta["header"].format(n=n, total=len(pages)))
        y = TOP
        for line in lines:
            font = HEAD if line.startswith("# ") else BODY
            text = line.removeprefix("# ")
            if pdfmetrics.stringWidth(text, *font) > width:
                raise SystemExit(f"{src.name}: line too wide for the page: {text!r}")
            if line.startswith("# "):
                y -= 8
            c.setFont(*font)
            c.drawString(LEFT, y, text)
            y -= font[1] * 1.45
        if meta.get("footer"):
            c.setFont(*SMALL)
            c.drawRightString(A4[0] - RIGHT, 30, meta["footer"].format(n=n, total=len(pages)))
        c.showPage()
    c.save()
    print(f"{out}: {len(pages)} pages, {out.stat().st_size / 1024:.1f} KiB")


CORPUS = Path(__file__).resolve().parent
BOTTOM = 64.0
_ITEM = re.compile(r"^(?:[-•–]|\d{1,2}[.)]|\d{1,2}\.\d{1,2}\.?|[a-zа-шđčćšž]\)|[RMРМ]\d{1,2}[.:])\s+")


def _wrap(text: str, font: tuple[str, float], width: float, hyphenate: bool) -> list[str]:
    """Greedy word wrap; with ``hyphenate`` a long word that does not fit is split with '-'."""
    out: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if pdfmetrics.stringWidth(candidate, *font) <= width:
            line = candidate
            continue
        if hyphenate and line and len(word) >= 9 and word.isalpha():
            for cut in range(len(word) - 3, 3, -1):
                head = f"{line} {word[:cut]}-"
                if pdfmetrics.stringWidth(head, *font) <= width:
                    out.append(head)
                    line = word[cut:]
                    break
            else:
                out.append(line)
                line = word
            continue
        if line:
            out.append(line)
        line = word
    if line:
        out.append(line)
    return out


def render_corpus(src: Path, out: Path) -> None:
    """Render a corpus source: paragraphs wrapped, headings, lists, automatic page breaks."""
    text = src.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        if line.startswith("%"):
            key, _, value = line[1:].partition(" ")
            meta[key] = value
        else:
            body.append(line)
    hyphenate = "hyphenate" in meta
    wrap_headings = "wrap-headings" in meta  # (older sources let a long title run off the page)
    c = canvas.Canvas(str(out), pagesize=A4, pageCompression=1, invariant=1)
    c.setTitle(meta.get("title", src.stem))
    c.setAuthor("dpia-check test corpus")
    width = A4[0] - LEFT - RIGHT
    # lay out first (to know the page count for "{total}"), then draw
    pages: list[list[tuple[str, tuple[str, float], float, float]]] = [[]]
    y = TOP

    def put(line: str, font: tuple[str, float], x: float, gap: float = 0.0) -> None:
        nonlocal y
        y -= gap
        if y < BOTTOM:
            pages.append([])
            y = TOP
        pages[-1].append((line, font, x, y))
        y -= font[1] * 1.45

    def put_table(rows: list[list[str]]) -> None:
        nonlocal y
        gap = 10.0
        ncol = max(len(r) for r in rows)
        cells_of = [[r[k] if k < len(r) else "" for r in rows] for k in range(ncol)]
        need = [max(pdfmetrics.stringWidth(c, *BODY) for c in col) for col in cells_of]
        least = [max(pdfmetrics.stringWidth(w, *BODY) for c in col for w in (c.split() or [""])) for col in cells_of]
        room = width - gap * (ncol - 1)
        widths = list(need)
        while sum(widths) > room:  # narrow the widest column that can still wrap
            k = max((k for k in range(ncol) if widths[k] > least[k] + 1), key=lambda k: widths[k], default=None)
            if k is None:
                break
            widths[k] = max(least[k], widths[k] - (sum(widths) - room) if sum(widths) - room < 20 else widths[k] * 0.9)
        xs = [LEFT + sum(widths[:k]) + gap * k for k in range(ncol)]
        for row in rows:
            cells = [_wrap(cell, BODY, widths[k] + 0.5, False) or [""] for k, cell in enumerate(row)]
            height = max(len(c) for c in cells)
            y -= 3
            if y - BODY[1] * 1.45 * (height - 1) < BOTTOM:
                pages.append([])
                y = TOP
            for k in range(height):
                for col, lines in enumerate(cells):
                    if k < len(lines) and lines[k]:
                        pages[-1].append((lines[k], BODY, xs[col], y))
                y -= BODY[1] * 1.45

    table: list[list[str]] = []
    for raw in [*body, ""]:
        if raw.startswith("|"):
            table.append([c.strip() for c in raw.strip().strip("|").split("|")])
            continue
        if table:
            put_table(table)
            table = []
        if raw.strip() == "=== page ===":
            pages.append([])
            y = TOP
            continue
        if not raw.strip():
            y -= 5
            continue
        if raw.startswith("## "):
            for k, ln in enumerate(_wrap(raw[3:], ("DejaVuSans-Bold", 11.5), width, False) if wrap_headings else [raw[3:]]):
                put(ln, ("DejaVuSans-Bold", 11.5), LEFT, 0 if k else 6)
            continue
        if raw.startswith("# "):
            for k, ln in enumerate(_wrap(raw[2:], HEAD, width, False) if wrap_headings else [raw[2:]]):
                put(ln, HEAD, LEFT, 0 if k else 9)
            continue
        m = _ITEM.match(raw)
        if m:
            marker, rest = raw[: m.end()].strip(), raw[m.end():]
            indent = 18.0 if len(marker) <= 3 else pdfmetrics.stringWidth(marker + " ", *BODY) + 4
            lines = _wrap(rest, BODY, width - indent, hyphenate)
            for k, ln in enumerate(lines):
                put((marker + " " + ln) if k == 0 else ln, BODY, LEFT if k == 0 else LEFT + indent)
            continue
        for ln in _wrap(raw, BODY, width, hyphenate):
            put(ln, BODY, LEFT)
    total = len(pages)
    for n, items in enumerate(pages, 1):
        if meta.get("header"):
            c.setFont(*SMALL)
            c.drawString(LEFT, A4[1] - 36, meta["header"].format(n=n, total=total))
        for line, font, x, ypos in items:
            c.setFont(*font)
            c.drawString(x, ypos, line)
        if meta.get("footer"):
            c.setFont(*SMALL)
            c.drawRightString(A4[0] - RIGHT, 30, meta["footer"].format(n=n, total=total))
        c.showPage()
    c.save()
    print(f"{out}: {total} pages, {out.stat().st_size / 1024:.1f} KiB")


def main(args: list[str]) -> None:
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    if args[:1] == ["--corpus"]:
        names = args[1:]
        for src in sorted(CORPUS.glob("*.txt")):
            if (not names or src.stem in names) and src.read_text(encoding="utf-8").startswith("%title"):
                render_corpus(src, src.with_suffix(".pdf"))
        return
    for src in sorted(DATA.glob("*.txt")):
        if not args or src.stem in args:
            render(src, src.with_suffix(".pdf"))


if __name__ == "__main__":
    main(sys.argv[1:])
