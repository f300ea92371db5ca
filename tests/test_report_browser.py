"""End to end in a real headless browser: the HTML memo renders, escapes hostile text in the DOM,
and prints to a PDF whose text, running headers and page breaks are checked.

Needs Chromium, Google Chrome or Edge (Debian/Ubuntu: ``apt-get install chromium``; CI installs
it). Without one these tests are skipped, saying why. About 1.5 s per browser start.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

import pytest

from dpia_check.api import check_file
from dpia_check.engine import CheckOptions
from dpia_check.report import html, pdf
from tests.conftest import SAMPLES
from tests.test_report_memo import evil_dpia

BROWSER = pdf.find_browser()
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium/Chrome/Edge found (apt-get install chromium, or set DPIA_CHECK_CHROMIUM)")
MOI = SAMPLES / "moi-2020.dpia.yaml"


def browser(tmp_path: Path, *args: str) -> tuple[int, bytes, bytes]:
    assert BROWSER is not None
    return pdf.run_browser(BROWSER, tmp_path / "profile", list(args), timeout=120)


def page_texts(data: bytes) -> list[str]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        doc.close()


def test_screenshot_of_the_html_memo(tmp_path: Path) -> None:
    page = tmp_path / "memo.html"
    page.write_text(html.render(check_file(MOI)), encoding="utf-8")
    shot = tmp_path / "memo.png"
    _, _, err = browser(tmp_path, f"--screenshot={shot}", "--window-size=1200,1600", "--hide-scrollbars", page.as_uri())
    assert shot.is_file(), err.decode(errors="replace")[-500:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 1600)
    # a blank or unstyled page compresses to a few kB; the memo's first screen is far richer
    assert len(data) > 60_000, f"screenshot only {len(data)} bytes: see {shot}"


def test_hostile_text_stays_text_in_the_browser_dom(tmp_path: Path) -> None:
    page = tmp_path / "evil.html"
    page.write_text(html.render(check_file(evil_dpia(tmp_path))), encoding="utf-8")
    _, out, _ = browser(tmp_path, "--dump-dom", page.as_uri())
    dom = out.decode("utf-8")
    assert "<h1>" in dom.replace('<h1 ', "<h1>") and "findings memo" in dom.lower()
    assert not re.search(r"<script|<img", dom, flags=re.I), "the DPIA's markup became DOM elements"
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt;" in dom  # shown to the reader as text


@pytest.mark.parametrize(
    ("lang", "summary", "findings", "page_label"),
    [("en", "1. Executive summary", "2. Findings", "Page {i} of {n}"), ("sr-Cyrl", "1. Резиме", "2. Налази", "Страна {i} од {n}")],
)
def test_pdf_memo_text_headers_and_page_breaks(lang: str, summary: str, findings: str, page_label: str) -> None:
    report: Any = check_file(MOI, options=CheckOptions(lang=lang, fail_on="high"))
    data = pdf.render(report)
    assert data.startswith(b"%PDF-")
    assert b"/CreationDate (D:19700101000000" in data  # timestamps fixed: same memo, same bytes
    texts = page_texts(data)
    n = len(texts)
    assert n >= 4
    for i, text in enumerate(texts, start=1):
        flat = " ".join(text.split())
        assert page_label.format(i=i, n=n) in flat, f"page {i} lacks its running footer"
        assert "dpia-check" in flat, f"page {i} lacks the footer"
    assert summary in texts[0] and report.document.title.split()[0] in texts[0]
    # the findings section starts on a new page: its heading comes right after the running header
    starts = [t for t in texts if findings in t]
    assert starts and starts[0].splitlines()[2].strip() == findings
    everything = " ".join(" ".join(t.split()) for t in texts)
    assert "2020-04-15" in everything and "lpdp.54.1-before-processing" in everything


def test_a_firm_template_cannot_print_local_files_into_the_pdf(tmp_path: Path) -> None:
    """The page is printed from a local file, and a local page may show other local files:
    the printed page's policy keeps a template from pulling in anything outside itself."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT", encoding="utf-8")
    folder = tmp_path / "firm"
    folder.mkdir()
    tpl = folder / "memo.html.j2"
    tpl.write_text(
        '<!DOCTYPE html><html lang="{{ memo.lang }}"><head><meta charset="utf-8"><title>t</title></head><body>'
        "<h1>{{ memo.document.title }}</h1>"
        f'<iframe src="{secret.as_uri()}"></iframe><object data="{secret.as_uri()}" type="text/plain"></object>'
        f'<embed src="{secret.as_uri()}" type="text/plain"><script>document.write("SCRIPT RAN")</script>'
        "</body></html>",
        encoding="utf-8",
    )
    text = " ".join(page_texts(pdf.render(check_file(MOI), template=tpl)))
    assert "Impact assessment" in text
    assert "TOP SECRET" not in text and "SCRIPT RAN" not in text


def test_print_policy_comes_first_and_keeps_the_doctype() -> None:
    page = pdf.confine("<!DOCTYPE html>\n<html><head><title>x</title></head></html>")
    assert page.startswith("<!DOCTYPE html><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
    assert pdf.confine("<p>x</p>").startswith("<meta http-equiv=\"Content-Security-Policy\"")


MEASURE_RULE_IDS = """
<script>
const bad = [];
for (const code of document.querySelectorAll("#annex td code")) {
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = getComputedStyle(code).font;
  const cell = code.parentElement, style = getComputedStyle(cell);
  const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const longest = Math.max(...code.textContent.split(/(?<=-)/).map((part) => ctx.measureText(part).width));
  if (longest > room + 1) bad.push(code.textContent);
}
document.body.setAttribute("data-split-ids", JSON.stringify(bad));
</script>
"""


def test_rule_ids_in_the_annex_break_only_at_their_hyphens(tmp_path: Path) -> None:
    """At a printed page's width, the annex's rule column is as wide as the longest piece of a
    rule id between hyphens, so no id is cut in the middle of a word."""
    memo = html.render(check_file(MOI, options=CheckOptions(lang="sr-Cyrl")))
    memo = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", memo).replace("</body>", MEASURE_RULE_IDS + "</body>")
    page = tmp_path / "memo.html"
    page.write_text(memo, encoding="utf-8")
    _, out, _ = browser(tmp_path, "--dump-dom", "--window-size=700,1000", page.as_uri())
    found = re.search(r'data-split-ids="([^"]*)"', out.decode("utf-8"))
    assert found, "the measuring script did not run"
    assert found.group(1).replace("&quot;", '"') == "[]"
