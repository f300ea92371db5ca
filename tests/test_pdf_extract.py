"""PDF extraction: both engines, the shared clean-up, and every kind of unusable PDF.

Sample PDFs with embedded DejaVu subsets live in tests/data/pdf (made by
tests/corpus/make_pdfs.py from the .txt next to them); everything else is made at test
time by tests/pdfgen.py without reportlab or fonts.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dpia_check.errors import InputError
from dpia_check.load import pdf as pdfmod
from dpia_check.load.pdf import extract_pdf
from dpia_check.load.textsource import ExtractedText, TextLine
from dpia_check.textprep import normalise

try:  # pytest puts tests/ on sys.path while tests/ has no __init__.py
    import pdfgen
except ImportError:  # pragma: no cover - if tests/ becomes a package
    from tests import pdfgen

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "pdf"
ENGINES = ["pypdfium2", "pypdf"]
SAMPLES = ["dpia-en", "dpia-sr-latn", "dpia-sr-cyrl"]
PAGES = [
    ["# 1. Systematic description", "The controller processes personal data of customers.", "Data are kept for five years."],
    ["# 2. Risk assessment", "The risk of unauthorised disclosure is high.", "Measures are listed below."],
    ["# 3. Measures", "Backups are encrypted daily.", "Access is logged."],
]


def _ws(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _error(path: Path, **kwargs: object) -> InputError:
    with pytest.raises(InputError) as info:
        extract_pdf(path, **kwargs)  # type: ignore[arg-type]
    err = info.value
    assert "\n" not in str(err)
    assert err.path == str(path)
    return err


# ---------------------------------------------------------------------------
# Sample corpus: what the PDFs must give back
# ---------------------------------------------------------------------------


def _source(name: str) -> tuple[dict[str, str], list[list[str]]]:
    """Directives and per-page body lines of a sample's .txt (same format as make_pdfs.py)."""
    meta: dict[str, str] = {}
    pages: list[list[str]] = [[]]
    for line in (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("%"):
            key, _, value = line[1:].partition(" ")
            meta[key] = value
        elif line.strip() == "=== page ===":
            pages.append([])
        elif line.strip():
            pages[-1].append(normalise(line.removeprefix("# ")).strip())
    return meta, pages


def _expected_lines(pages: list[list[str]]) -> list[tuple[int, str]]:
    """(page, text) with a line-end hyphen before a lower-case start joined."""
    out: list[tuple[int, str]] = []
    for page_no, lines in enumerate(pages, 1):
        for text in lines:
            if out and out[-1][1].endswith("-") and out[-1][1][-2].isalpha() and text[0].islower():
                out[-1] = (out[-1][0], out[-1][1][:-1] + text)
            else:
                out.append((page_no, text))
    return out


@functools.cache
def _extract_sample(name: str, engine: str) -> ExtractedText:
    return extract_pdf(DATA / f"{name}.pdf", engine=engine)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", SAMPLES)
def test_sample_lines_equal_source(name: str, engine: str) -> None:
    meta, pages = _source(name)
    doc = _extract_sample(name, engine)
    assert doc.format == "pdf" and doc.engine == engine
    assert doc.pages == len(pages)
    assert doc.title == meta["title"]
    assert doc.language == {"dpia-en": "en", "dpia-sr-latn": "sr-Latn", "dpia-sr-cyrl": "sr-Cyrl"}[name]
    got = [(ln.page, _ws(ln.text)) for ln in doc.lines]
    assert got == [(page, _ws(text)) for page, text in _expected_lines(pages)]
    # words, not just characters, survive (spaces between words are kept)
    assert [w for ln in doc.lines for w in ln.text.split()] == [w for _, t in _expected_lines(pages) for w in t.split()]
    # line numbers restart on every page
    for page in range(1, len(pages) + 1):
        assert [ln.line for ln in doc.lines if ln.page == page] == list(range(1, 1 + sum(ln.page == page for ln in doc.lines)))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", SAMPLES)
def test_sample_headers_footers_ligatures_hyphens(name: str, engine: str) -> None:
    meta, _ = _source(name)
    text = _extract_sample(name, engine).text
    header = meta["header"]
    footer_word = meta["footer"].split()[0]  # Page / Strana / Страна
    assert header not in text
    assert not re.search(rf"^{footer_word} \d", text, re.MULTILINE)
    assert not re.search("[\ufb00-\ufb06\uf6c4-\uf6c8\u00ad\ufffe]", text)  # ligatures, private use, soft hyphen
    expected = {
        "dpia-en": [
            "official audit service", "optional fields", "efficient", "territory of the Republic", "information security", "sign-off"
        ],
        "dpia-sr-latn": ["obrade je jasno", "prikupljanja podataka", "veb-sajtu i uručuje", "putem vebsajta za kupce", "Ljiljana Njegovan"],
        "dpia-sr-cyrl": ["прикупљања података", "веб-сајту", "резервне копије", "Ђорђе Петровић", "Џепни приручник"],
    }[name]
    for phrase in expected:
        assert phrase in text


@pytest.mark.parametrize("name", SAMPLES)
def test_engines_agree_on_samples(name: str) -> None:
    a, b = (_extract_sample(name, engine) for engine in ENGINES)
    assert [(ln.page, ln.line, _ws(ln.text)) for ln in a.lines] == [(ln.page, ln.line, _ws(ln.text)) for ln in b.lines]


def test_samples_stay_small() -> None:
    for name in SAMPLES:
        assert (DATA / f"{name}.pdf").stat().st_size < 60_000


def test_import_is_lazy() -> None:
    code = "import sys, dpia_check.load.pdf; print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('pypdf', 'pypdfium2'))))"
    out = subprocess.run([sys.executable, "-c", "import json; " + code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


# ---------------------------------------------------------------------------
# Hand-made PDFs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_simple_pdf_pages_and_running_lines(tmp_path: Path, engine: str) -> None:
    path = pdfgen.simple_pdf(tmp_path / "s.pdf", PAGES, header="ACME DPIA v2 | Confidential", footer="Page {n} of 3", title="Sample")
    doc = extract_pdf(path, engine=engine)
    assert doc.pages == 3 and doc.title == "Sample"
    assert [(ln.page, ln.line, ln.text) for ln in doc.lines] == [
        (p, i, line.removeprefix("# ")) for p, lines in enumerate(PAGES, 1) for i, line in enumerate(lines, 1)
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_broken_xref_is_repaired(tmp_path: Path, engine: str) -> None:
    path = pdfgen.simple_pdf(tmp_path / "x.pdf", PAGES, broken_xref=True)
    doc = extract_pdf(path, engine=engine)
    assert [ln.text for ln in doc.lines][:2] == ["1. Systematic description", "The controller processes personal data of customers."]


def test_pypdf_parallel_gives_same_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    words = ["retention", "purpose", "recipient", "transfer", "safeguard", "consent", "erasure", "access", "portability", "objection"]
    pages = [
        [f"# Section {words[i % 10]} {i // 10}", f"Paragraph about {words[(i * 3) % 10]} and {words[(i * 7) % 10]}.", f"Closing {i * i}."]
        for i in range(45)
    ]
    path = pdfgen.simple_pdf(tmp_path / "long.pdf", pages, footer="Strana {n}")
    calls: list[int] = []
    real = pdfmod._pypdf_parallel

    def spy(*args: object) -> object:
        calls.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pdfmod, "_pypdf_parallel", spy)
    one = extract_pdf(path, engine="pypdf", jobs=1)
    assert calls == []
    two = extract_pdf(path, engine="pypdf", jobs=2)
    assert calls == [1]
    assert one.lines == two.lines and len(one.lines) == 45 * 3
    small = pdfgen.simple_pdf(tmp_path / "small.pdf", PAGES)
    extract_pdf(small, engine="pypdf", jobs=4)
    assert calls == [1]  # never for small documents


# ---------------------------------------------------------------------------
# The shared clean-up (engine-independent)
# ---------------------------------------------------------------------------


def test_assemble_hyphenation_rules() -> None:
    lines = pdfmod._assemble(
        [
            "Svrha obra-\nde je jasna, veb-sajt je naveden.\nIme Đorđe-\nJovanović ostaje.\nkraj strane na-",
            "stavlja se ovde.\nlista -\nstavka\nPDFium join\ufffedone here",
        ]
    )
    assert [(ln.page, ln.line, ln.text) for ln in lines] == [
        (1, 1, "Svrha obrade je jasna, veb-sajt je naveden."),
        (1, 2, "Ime Đorđe-"),
        (1, 3, "Jovanović ostaje."),
        (1, 4, "kraj strane nastavlja se ovde."),
        (2, 1, "lista -"),
        (2, 2, "stavka"),
        (2, 3, "PDFium joindone here"),
    ]


def test_assemble_separates_glued_list_numbers() -> None:
    lines = pdfmod._assemble(["99. Online shop orders\n100.Recruitment of applicants\n1.5 mg\n2.Član 54"])
    assert [ln.text for ln in lines] == ["99. Online shop orders", "100. Recruitment of applicants", "1.5 mg", "2. Član 54"]


def test_assemble_soft_hyphen_and_private_use() -> None:
    lines = pdfmod._assemble(["Заштита по\u00ad\nдатака и \uf6c5ез\uf6c4\uf6c6\uf6c7\uf6c8 o\ufb03cial"])
    assert [ln.text for ln in lines] == ["Заштита података и безгдпт official"]


BODIES = [
    ["Purpose of the processing is stated.", "Data categories are listed.", "Recipients are named."],
    ["Retention is five years.", "Transfers go to Switzerland.", "Rights are explained."],
    ["Risks are rated high.", "Backups are encrypted.", "The DPO was consulted."],
]


@pytest.mark.parametrize(
    "footer",
    ["Page {n}", "Page {n} of 9", "Strana {n}", "Strana {n} od 9", "Страна {n}", "Стр. {n}", "{n} / 9", "- {n} -", "— {n} —", "{n}"],
)
def test_page_numbers_removed(footer: str) -> None:
    raw = ["\n".join([*body, footer.format(n=i)]) for i, body in enumerate(BODIES, 1)]
    assert [ln.text for ln in pdfmod._assemble(raw)] == [t for body in BODIES for t in body]


def test_running_header_with_page_number_and_offset() -> None:
    # an unnumbered cover page: page 2 shows "Page 1 of 2", page 3 "Page 2 of 2"
    raw = ["Cover title\nDPIA 2026", *("\n".join(["ACME | DPIA v1.3", *body, f"Page {i} of 2"]) for i, body in enumerate(BODIES[:2], 1))]
    assert [ln.text for ln in pdfmod._assemble(raw)] == ["Cover title", "DPIA 2026", *BODIES[0], *BODIES[1]]


def test_numbered_lines_that_do_not_follow_pages_stay() -> None:
    raw = ["\n".join([f"R-0{n} risk rated high", *body]) for n, body in zip([4, 1, 7], BODIES, strict=True)]
    assert len(pdfmod._assemble(raw)) == 12


def test_page_number_patterns_on_a_single_page() -> None:
    lines = pdfmod._assemble(["Heading\nText body.\nStrana 1 od 1"])
    assert [ln.text for ln in lines] == ["Heading", "Text body."]
    lines = pdfmod._assemble(["Heading\nText body.\n7"])  # a lone number that is not the page number stays
    assert [ln.text for ln in lines] == ["Heading", "Text body.", "7"]


def test_running_line_kept_when_it_is_also_body_text() -> None:
    raw = [
        "Risk register\nline a\nline b\nline c\nline d\nline e\nline f\nRisk register\nmiddle\nline g\nline h\nline i",
        "Risk register\nmore a\nmore b\nmore c",
        "Risk register\nend a\nend b\nend c",
    ]
    texts = [ln.text for ln in pdfmod._assemble(raw)]
    assert texts.count("Risk register") == 4


def test_running_header_needs_most_pages() -> None:
    raw = ["Only here\nText one.", "Other\nText two.", "Third\nText three.", "Only here\nText four."]
    assert [ln.text for ln in pdfmod._assemble(raw)].count("Only here") == 2  # 2 of 4 pages is not "most"


# ---------------------------------------------------------------------------
# Unusable input: one InputError each, with the right words
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_not_a_pdf(tmp_path: Path, engine: str) -> None:
    docx = pdfgen.docx_named_pdf(tmp_path / "doc.pdf")
    err = _error(docx, engine=engine)
    assert "not a PDF" in err.message and "Word document (DOCX)" in err.message and err.hint and "PDF" in err.hint
    html = tmp_path / "page.pdf"
    html.write_text("<!DOCTYPE html><html><body>DPIA</body></html>")
    assert "HTML" in _error(html, engine=engine).message
    txt = tmp_path / "notes.pdf"
    txt.write_text("Procena uticaja\nRukovalac obrađuje podatke.\n", encoding="utf-8")
    err = _error(txt, engine=engine)
    assert "plain text" in err.message and err.hint and ".txt" in err.hint
    png = tmp_path / "scan.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    err = _error(png, engine=engine)
    assert "PNG image" in err.message and err.hint and "OCR" in err.hint
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert "empty file" in _error(empty, engine=engine).message


def test_missing_file_and_unknown_engine(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "nope.pdf").message
    path = pdfgen.simple_pdf(tmp_path / "s.pdf", PAGES)
    err = _error(path, engine="pdfminer")
    assert "unknown PDF engine" in err.message and err.hint and "pypdfium2" in err.hint


@pytest.mark.parametrize("engine", ENGINES)
def test_truncated(tmp_path: Path, engine: str) -> None:
    path = pdfgen.truncated_pdf(tmp_path / "cut.pdf", PAGES, keep=0.05)
    err = _error(path, engine=engine)
    assert "damaged PDF" in err.message and "truncated" in err.message
    assert "pypdfium2" in err.message and "pypdf:" in err.message  # both engines were tried
    assert err.hint and "re-download" in err.hint


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9, 0.98])
@pytest.mark.parametrize("engine", ENGINES)
def test_partly_truncated_never_escapes(tmp_path: Path, engine: str, keep: float) -> None:
    path = pdfgen.truncated_pdf(tmp_path / "cut.pdf", PAGES, keep=keep)
    try:
        doc = extract_pdf(path, engine=engine)
    except InputError as err:
        assert err.hint
    else:
        assert doc.lines


@pytest.mark.parametrize("engine", ENGINES)
def test_encrypted_rc4(tmp_path: Path, engine: str) -> None:
    path = pdfgen.encrypted_pdf(tmp_path / "rc4.pdf", PAGES, user_password="tajna", algorithm="RC4-128")
    err = _error(path, engine=engine)
    assert "encrypted" in err.message and err.hint and "--password" in err.hint
    err = _error(path, engine=engine, password="wrong")
    assert "wrong password" in err.message and err.hint and "--password" in err.hint
    doc = extract_pdf(path, engine=engine, password="tajna")
    assert doc.lines[0].text == "1. Systematic description" and doc.pages == 3
    assert extract_pdf(path, engine=engine, password="owner").pages == 3


@pytest.mark.parametrize("engine", ENGINES)
def test_encrypted_aes(tmp_path: Path, engine: str) -> None:
    pytest.importorskip("cryptography")
    path = pdfgen.encrypted_pdf(tmp_path / "aes.pdf", PAGES, user_password="tajna", algorithm="AES-256")
    assert "--password" in (_error(path, engine=engine).hint or "")
    assert extract_pdf(path, engine=engine, password="tajna").lines[1].text.startswith("The controller")


@pytest.mark.parametrize("engine", ENGINES)
def test_owner_password_only_opens_with_any_password(tmp_path: Path, engine: str) -> None:
    path = pdfgen.encrypted_pdf(tmp_path / "restricted.pdf", PAGES, user_password="", algorithm="RC4-128")
    assert extract_pdf(path, engine=engine).pages == 3
    assert extract_pdf(path, engine=engine, password="batch-password").pages == 3


def test_pypdf_aes_without_cryptography(tmp_path: Path) -> None:
    pytest.importorskip("cryptography")
    path = pdfgen.encrypted_pdf(tmp_path / "aes.pdf", PAGES, user_password="tajna", algorithm="AES-128")
    code = textwrap.dedent(
        f"""
        import sys
        sys.modules["cryptography"] = None  # as if the package were not installed
        sys.modules["Crypto"] = None
        from dpia_check.errors import InputError
        from dpia_check.load.pdf import extract_pdf
        try:
            extract_pdf({str(path)!r}, engine="pypdf", password="tajna")
        except InputError as err:
            print(err)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    assert "cryptography" in out.stdout and 'pip install "dpia-check[crypto]"' in out.stdout and "pypdfium2" in out.stdout
    assert out.stderr == ""


@pytest.mark.parametrize("engine", ENGINES)
def test_scanned(tmp_path: Path, engine: str) -> None:
    path = pdfgen.image_only_pdf(tmp_path / "scan.pdf", pages=3)
    err = _error(path, engine=engine)
    assert err.message == "no extractable text in scan.pdf; it looks scanned"
    assert err.hint == "run OCR first (e.g. ocrmypdf) and check the result"


@pytest.mark.parametrize("engine", ENGINES)
def test_almost_no_text_counts_as_scanned(tmp_path: Path, engine: str) -> None:
    path = pdfgen.simple_pdf(tmp_path / "sparse.pdf", [["x"], [], [], [], []], footer="Page {n}")
    assert "looks scanned" in _error(path, engine=engine).message


def test_text_without_unicode_is_not_called_scanned(tmp_path: Path) -> None:
    path = pdfgen.no_unicode_pdf(tmp_path / "glyphs.pdf")
    err = _error(path)  # PDFium gives nothing usable; pypdf would return glyph names like "/g1/g2"
    assert "cannot be converted to characters" in err.message and "scanned" not in err.message


def test_empty_text_explained() -> None:
    path = Path("odd.pdf")
    undecodable = pdfmod._RawDocument("pypdf", ["", ""], decode_problems=["Limit reached while decompressing."])
    with pytest.raises(InputError) as info:
        pdfmod._check_enough_text(path, undecodable, [])
    assert "could not be decoded" in info.value.message and "scanned" not in info.value.message
    no_unicode = pdfmod._RawDocument("pypdfium2", [""], has_text_operators=True)
    with pytest.raises(InputError) as info:
        pdfmod._check_enough_text(path, no_unicode, [])
    assert "cannot be converted" in info.value.message
    pdfmod._check_enough_text(path, no_unicode, [TextLine("ok", 1, 1)])


@pytest.mark.parametrize("engine", ENGINES)
def test_too_many_pages(tmp_path: Path, engine: str) -> None:
    path = pdfgen.many_pages_pdf(tmp_path / "many.pdf", 2500)
    err = _error(path, engine=engine)
    assert "2,500 pages" in err.message and err.hint and "--max-pages" in err.hint
    if engine == "pypdfium2":  # with a higher limit the page count passes (the repeated line is then a running header)
        assert "--max-pages" not in (_error(path, engine=engine, max_pages=2500).hint or "")


@pytest.mark.parametrize("engine", ENGINES)
def test_too_big(tmp_path: Path, engine: str) -> None:
    path = pdfgen.simple_pdf(tmp_path / "s.pdf", PAGES)
    err = _error(path, engine=engine, max_bytes=500)
    assert "over the" in err.message and err.hint and "--max-size" in err.hint


@pytest.mark.parametrize("engine", ENGINES)
def test_page_text_limit(tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = pdfgen.simple_pdf(tmp_path / "s.pdf", PAGES)
    monkeypatch.setattr(pdfmod, "_Limits", functools.partial(pdfmod._Limits, max_page_text=60))
    err = _error(path, engine=engine)
    assert err.page == 1 and "over the 60 limit" in err.message


# ---------------------------------------------------------------------------
# Decompression bomb: refused with bounded memory, measured in a child process
# ---------------------------------------------------------------------------

_BOMB_SCRIPT = """
import json, resource, sys
sys.path.insert(0, {tests!r})
import pdfgen
from dpia_check.errors import InputError
from dpia_check.load import pdf
path = pdfgen.bomb_pdf({path!r}, inflated_mib=500)
if {skip_prescan!r}:
    pdf._check_compressed_streams = lambda path: None  # exercise the engine's own limits
try:
    pdf.extract_pdf(path, engine={engine!r})
    error = None
except InputError as exc:
    error = {{"message": exc.message, "page": exc.page, "hint": exc.hint}}
print(json.dumps({{"error": error,
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


@pytest.mark.parametrize(
    ("engine", "skip_prescan"),
    [("pypdfium2", False), ("pypdf", False), ("pypdf", True)],
    ids=["pdfium-prescan", "pypdf-prescan", "pypdf-own-limits"],
)
def test_decompression_bomb_is_bounded(tmp_path: Path, engine: str, skip_prescan: bool) -> None:
    pytest.importorskip("resource")
    script = _BOMB_SCRIPT.format(
        tests=str(ROOT / "tests"), path=str(tmp_path / "bomb.pdf"), engine=engine, skip_prescan=skip_prescan
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    result = json.loads(out.stdout)
    assert (tmp_path / "bomb.pdf").stat().st_size < 1_000_000  # ~500 KB that would inflate to 500 MiB
    assert result["error"] is not None
    if skip_prescan:
        assert "could not be decoded" in result["error"]["message"] and result["error"]["page"] == 1
    else:
        assert "decompression bomb" in result["error"]["message"]
    assert result["maxrss_mib"] < 400  # well under 1 GiB (PDFium alone would take ~1 GiB)
