"""PDF and text DPIAs through ``check``: unreadable input is an error (exit 2), never a report
of "everything missing"; passwords work; page and quote reach the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dpia_check.errors import InputError
from dpia_check.load import LoadOptions, load_document
from dpia_check.run import RunConfig, run_check

try:  # pytest puts tests/ on sys.path while tests/ has no __init__.py
    import pdfgen
except ImportError:  # pragma: no cover
    from tests import pdfgen

CORPUS = Path(__file__).resolve().parent / "corpus"
PAGES = [
    ["# 1. Description of the processing", "The clinic books appointments for patients online.", "Recordings are kept for 30 days."],
    ["# 2. Risk assessment", "R1. Staff read health data without need. Likelihood: low. Severity: high."],
]


def _error(path: Path, **options: object) -> InputError:
    with pytest.raises(InputError) as info:
        load_document(path, LoadOptions(**options))  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
    return info.value


def test_scanned_pdf_is_an_error_not_a_report(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = pdfgen.image_only_pdf(tmp_path / "scan.pdf")
    err = _error(path)
    assert "no extractable text in scan.pdf; it looks scanned" in str(err) and "ocrmypdf" in str(err)
    out = subprocess.run([sys.executable, "-m", "dpia_check", "check", str(path), "-f", "json"], capture_output=True, text=True, timeout=60, check=False)
    assert out.returncode == 2 and out.stdout == ""  # no report of "everything missing"
    assert out.stderr.count("\n") == 1 and "it looks scanned — run OCR first (e.g. ocrmypdf)" in out.stderr


def test_encrypted_pdf_names_password_and_password_works(tmp_path: Path) -> None:
    path = pdfgen.encrypted_pdf(tmp_path / "locked.pdf", PAGES, user_password="tajna", algorithm="RC4-128")
    assert "--password" in str(_error(path))
    doc = load_document(path, LoadOptions(password="tajna"))
    assert doc.get("/processing/retention") == "Recordings are kept for 30 days."
    assert doc.locations["/processing/retention"].page == 1


@pytest.mark.parametrize("maker", ["truncated", "not_pdf", "empty_text"])
def test_broken_input_is_one_clear_line(tmp_path: Path, maker: str) -> None:
    if maker == "truncated":
        path = pdfgen.truncated_pdf(tmp_path / "cut.pdf", PAGES, keep=0.05)
    elif maker == "not_pdf":
        path = tmp_path / "fake.pdf"
        path.write_bytes(b"\x00\x01binary junk" * 10)
    else:
        path = tmp_path / "blank.txt"
        path.write_text("   \n\n", encoding="utf-8")
    err = _error(path)
    assert err.path == str(path) and err.message


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    """Refused by the pre-scan, before any engine inflates it (time and memory are
    bounded in test_pdf_extract, by memory; speed belongs to the benchmark)."""
    path = pdfgen.bomb_pdf(tmp_path / "bomb.pdf", inflated_mib=200)
    assert "decompression bomb" in str(_error(path))


def test_pdf_report_has_page_and_quote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_check(RunConfig(files=[CORPUS / "moi-2020-sr-latn.pdf"], fmt="json"))
    assert code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["document"]["format"] == "pdf" and report["document"]["language"] == "sr-Latn"
    assert report["document"]["pages"] == 2 and report["document"]["readable"] is True
    timing = next(f for f in report["findings"] if f["rule"] == "lpdp.54.1-before-processing")
    assert timing["status"] == "fail"
    pages = {e["location"]["page"] for e in timing["evidence"]}
    assert pages == {1} and any("septembru 2019" in (e["quote"] or "") for e in timing["evidence"])


def test_text_file_reports_lines_not_pages(tmp_path: Path) -> None:
    doc = load_document(CORPUS / "bodycam-traffic-en.txt")
    assert doc.format == "text" and doc.pages is None
    loc = doc.locations["/processing/retention"]
    assert loc.page is None and loc.line == 22
    assert len(doc.sha256) == 64


def test_yaml_path_does_not_import_the_text_package() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from dpia_check.api import check_file\n"
        "check_file('samples/hospital-booking.dpia.yaml')\n"
        "print(any(m == 'dpia_check.text' or m.startswith('dpia_check.text.') or m in ('dpia_check.load.text_loader', 'dpia_check.load.pdf') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"
