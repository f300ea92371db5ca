"""Plain-text and Markdown loading: encodings, line numbers, and every refusal."""

from __future__ import annotations

import codecs
import zipfile
from pathlib import Path

import pytest

from dpia_check.errors import InputError
from dpia_check.load.textsource import ExtractedText, TextLine, read_text_file

MB = 1 << 20
SERBIAN = "# Procena uticaja\n\nRukovalac obrađuje podatke o ličnosti.\r\nČuvaju se 5 godina.\n"


def _read(path: Path, max_bytes: int = MB) -> ExtractedText:
    return read_text_file(path, max_bytes=max_bytes)


def _error(path: Path, max_bytes: int = MB) -> InputError:
    with pytest.raises(InputError) as info:
        _read(path, max_bytes)
    err = info.value
    assert "\n" not in str(err)
    assert err.path == str(path)
    return err


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
        lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"),
        lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom"],
)
def test_accepted_encodings(tmp_path: Path, encode) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "dpia.md"
    path.write_bytes(encode(SERBIAN))
    doc = _read(path)
    assert doc.format == "markdown"
    assert doc.pages is None and doc.engine is None and doc.title is None
    assert doc.language == "sr-Latn"
    assert doc.lines == [
        TextLine("# Procena uticaja", None, 1),
        TextLine("", None, 2),
        TextLine("Rukovalac obrađuje podatke o ličnosti.", None, 3),
        TextLine("Čuvaju se 5 godina.", None, 4),
    ]


def test_lines_are_file_lines_and_normalised(tmp_path: Path) -> None:
    path = tmp_path / "dpia.txt"
    path.write_text("First\u00a0line  \n\n\nO\ufb03cial\u00adly\tok\nLast", encoding="utf-8")
    doc = _read(path)
    assert doc.format == "text"
    assert [(ln.line, ln.text) for ln in doc.lines] == [(1, "First line"), (2, ""), (3, ""), (4, "Officially ok"), (5, "Last")]
    assert all(ln.page is None for ln in doc.lines)
    assert doc.text.splitlines()[3] == "Officially ok"


def test_odd_line_separators_do_not_shift_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "dpia.txt"
    path.write_text("a\u2028b\x0cc\nsecond\rthird\r\nfourth\n", encoding="utf-8", newline="")
    assert [(ln.line, ln.text) for ln in _read(path).lines] == [(1, "a b c"), (2, "second"), (3, "third"), (4, "fourth")]


def test_cyrillic_and_english_language(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text("Руковалац обрађује податке о личности.\n", encoding="utf-8")
    (tmp_path / "e.txt").write_text("The controller processes personal data.\n", encoding="utf-8")
    assert _read(tmp_path / "c.txt").language == "sr-Cyrl"
    assert _read(tmp_path / "e.txt").language == "en"


def test_windows_1250_is_refused_with_offset_and_line(tmp_path: Path) -> None:
    path = tmp_path / "dpia.txt"
    path.write_bytes("Prva linija\nDruga: obrađuje podatke o ličnosti\n".encode("cp1250"))
    err = _error(path)
    assert "not valid UTF-8" in err.message
    assert "byte 0xF0 at byte offset 23" in err.message  # đ in cp1250
    assert "Windows-1250" in err.message
    assert (err.line, err.column) == (2, 12)
    assert err.hint and "UTF-8" in err.hint


def test_windows_1251_is_named(tmp_path: Path) -> None:
    path = tmp_path / "dpia.txt"
    path.write_bytes("Руковалац обрађује податке о личности купаца.".encode("cp1251"))
    err = _error(path)
    assert "Windows-1251" in err.message and err.line == 1 and err.column == 1


def test_utf16_without_bom_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dpia.txt"
    path.write_bytes("Plain text".encode("utf-16-le"))
    err = _error(path)
    assert "NUL" in err.message and "UTF-16 without a byte-order mark" in err.message


def test_bad_utf16_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dpia.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "ab\n".encode("utf-16-le") + b"\x00\xd8" + "c".encode("utf-16-le"))
    err = _error(path)
    assert "invalid UTF-16" in err.message and err.line == 2


def test_utf32_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dpia.txt"
    path.write_bytes(codecs.BOM_UTF32_LE + "abc".encode("utf-32-le"))
    assert "UTF-32" in _error(path).message


def test_too_big_names_max_size(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 1000)
    err = _error(path, max_bytes=1000)
    assert "5,000 bytes" in err.message and "1,000-byte limit" in err.message
    assert err.hint and "--max-size" in err.hint


@pytest.mark.parametrize("content", [b"", b"   \n\t\n\r\n", "\u00a0\u200b\n".encode()], ids=["empty", "spaces", "invisible"])
def test_no_text(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.md"
    path.write_bytes(content)
    assert "no text" in _error(path).message


def test_missing_and_directory(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "missing.txt").message
    assert "directory" in _error(tmp_path).message


def test_binary_formats_are_named(tmp_path: Path) -> None:
    pdf = tmp_path / "a.txt"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert "PDF" in _error(pdf).message
    docx = tmp_path / "b.txt"
    with zipfile.ZipFile(docx, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")
    err = _error(docx)
    assert "Word document" in err.message and err.hint and "PDF" in err.hint
    png = tmp_path / "c.md"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert "PNG image" in _error(png).message


def test_sample_sources_load(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parent / "data" / "pdf"
    for name, lang in [("dpia-en.txt", "en"), ("dpia-sr-latn.txt", "sr-Latn"), ("dpia-sr-cyrl.txt", "sr-Cyrl")]:
        doc = _read(data / name)
        assert doc.language == lang
        assert len(doc.lines) == len((data / name).read_text(encoding="utf-8").splitlines())
