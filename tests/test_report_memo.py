"""The findings memo (Markdown, HTML, DOCX): content, escaping, languages and firm templates."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from dpia_check.api import check_file
from dpia_check.engine import CheckOptions
from dpia_check.errors import InputError, MissingExtraError
from dpia_check.report import docx_out, html, markdown
from dpia_check.report.memo import LABELS, REGIME_LABELS, SEVERITY_LABELS, STATUS_LABELS, VERDICT_TEXT, build_memo
from tests.conftest import ROOT, SAMPLES

MOI = SAMPLES / "moi-2020.dpia.yaml"
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) | cell `tick` @team'


def evil_dpia(folder: Path) -> Path:
    """The MOI sample with hostile text in its title and in a quoted field."""
    data = yaml.safe_load(MOI.read_text(encoding="utf-8"))
    data["meta"]["title"] = EVIL
    data["necessity_proportionality"]["necessity"] = EVIL
    path = folder / "evil.dpia.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def report_of(path: Path = MOI, lang: str = "en", fail_on: str = "high") -> Any:
    return check_file(path, options=CheckOptions(lang=lang, fail_on=fail_on))


@pytest.fixture(scope="module")
def moi() -> Any:
    return report_of()


# -- content -----------------------------------------------------------------------------


def test_markdown_memo_has_every_part_the_issue_asks_for(moi: Any) -> None:
    md = markdown.render(moi)
    doc = moi.document
    for part in (doc.title, doc.controller, doc.version, doc.date, doc.sha256, "dpia-check", moi.tool["ruleset_version"]):
        assert part in md
    for heading in ("## 1. Executive summary", "### The gravest gaps", "## 2. Findings", "## 3. Coverage by article", "## Annex: rules applied"):
        assert heading in md
    assert "**Verdict: FAIL.**" in md
    gravest = moi.gravest(3)
    assert len(gravest) == 3
    for f in gravest:
        assert f"**{f.citation.text}**" in md
    # every finding of the annex is listed, one table row per rule applied
    annex = md.split("## Annex: rules applied", 1)[1]
    assert sum(1 for line in annex.splitlines() if line.startswith("| `lpdp.")) == len(moi.findings)


def test_findings_are_grouped_by_article_then_paragraph_with_the_law_and_evidence(moi: Any) -> None:
    md = markdown.render(moi)
    findings = md.split("## 2. Findings", 1)[1].split("## 3. Coverage", 1)[0]
    before = next(f for f in moi.findings if f.rule == "lpdp.54.1-before-processing")
    assert before.status == "fail"
    section = findings.split("#### Art. 54(1)\n", 1)[1].split("####", 1)[0]
    assert "*What the law requires:*" in section and "before the processing starts" in section
    assert "(`lpdp.54.1-before-processing`)" in section
    assert "*What the DPIA says* (line " in section and "> 2020-04-15" in section
    assert f"*Remedy:* {before.remediation}" in section
    # articles appear in the law's order
    arts = [int(m) for m in re.findall(r"^### Art\. (\d+) ", findings, flags=re.M)]
    assert arts == sorted(arts) and 54 in arts


def test_coverage_matrix_counts_add_up_and_not_applicable_reasons_are_given() -> None:
    report = report_of(SAMPLES / "hospital-booking.dpia.yaml")
    memo = build_memo(report)
    total = sum(a["counts"]["total"] for a in memo["coverage"])
    assert total == len(report.findings)
    for a in memo["coverage"]:
        c = a["counts"]
        assert c["total"] == sum(c[s] for s in ("pass", "fail", "warn", "manual", "waived", "not_applicable"))
    na = [f for f in report.findings if f.status == "not_applicable"]
    assert na, "the general-regime sample has special-regime rules that do not apply"
    md = markdown.render(report)
    assert "### Why requirements do not apply" in md
    assert na[0].message in md


def test_sound_dpia_memo_says_there_are_no_gaps() -> None:
    md = markdown.render(report_of(SAMPLES / "hospital-booking.dpia.yaml", fail_on="info"))
    assert "**Verdict: PASS.**" in md
    assert "No gaps: every requirement checked was met or does not apply." in md


def test_pull_request_summary_is_short_and_lists_the_gaps(moi: Any) -> None:
    text = markdown.render(moi, summary=True)
    assert text.startswith("### ❌ dpia-check summary:")
    assert len(text) < 65536  # GitHub's comment limit
    gaps = [f for f in moi.findings if f.status in ("fail", "warn", "manual")]
    assert text.count("\n| ") >= len(gaps)
    assert "## Annex" not in text


# -- escaping ----------------------------------------------------------------------------


def test_nothing_from_the_dpia_reaches_markdown_raw(tmp_path: Path) -> None:
    md = markdown.render(report_of(evil_dpia(tmp_path)))
    assert not re.search(r"(?<!\\)<(script|img)", md), "an unescaped tag"
    assert "\\<script\\>" in md
    assert "[link](javascript" not in md and "\\[link\\](javascript" in md
    assert "**bold**" not in md and "\\*\\*bold\\*\\*" in md
    assert "\\| cell" in md and "\\@team" in md


def test_nothing_from_the_dpia_reaches_html_raw(tmp_path: Path) -> None:
    page = html.render(report_of(evil_dpia(tmp_path)))
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_html_is_self_contained() -> None:
    page = html.render(report_of())
    assert "<style>" in page and 'http-equiv="Content-Security-Policy"' in page and "default-src 'none'" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "no remote resource may be loaded"
    assert "<link" not in page and "@import" not in page
    assert "@page" in page and "counter(pages)" in page  # print: page size, running header, page numbers


# -- languages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "present", "absent"),
    [
        ("en", ["Executive summary", "What the law requires", "Remedy"], ["Rezime"]),
        ("sr-Latn", ["Rezime", "Šta zakon zahteva", "Kako otkloniti", "čl. 54. st. 1."], ["Executive summary", "Remedy"]),
        ("sr-Cyrl", ["Резиме", "Шта закон захтева", "Како отклонити", "чл. 54. ст. 1.", "НИЈЕ ПРОШЛА"], ["Rezime", "Executive summary"]),
    ],
)
def test_memo_language(lang: str, present: list[str], absent: list[str]) -> None:
    md = markdown.render(report_of(lang=lang))
    for text in present:
        assert text in md, text
    for text in absent:
        assert text not in md, text


def test_cyrillic_is_the_transliteration_of_latin_and_round_trips(ruleset: Any) -> None:
    """Every Serbian text the memo can show — the rule set's and the memo's own — survives
    Latin → Cyrillic → Latin unchanged (so the Cyrillic memo says exactly what the Latin one does)."""
    from dpia_check.textprep import to_cyrillic, to_latin

    texts = [ruleset.title.sr]
    for r in ruleset.rules:
        texts += [r.title.sr, r.why.sr, r.remediation.sr, *(m.sr for m in r.messages.values())]
        if r.note:
            texts.append(r.note.sr)
    for a in ruleset.articles.values():
        texts += [a.title.sr, *(p.sr for p in a.paragraphs.values())]
    for table in (LABELS, STATUS_LABELS, SEVERITY_LABELS, REGIME_LABELS, VERDICT_TEXT):
        texts += [t.sr for t in table.values()]
    assert len(texts) > 100
    bad = [t for t in texts if to_latin(to_cyrillic(t)) != t]
    assert not bad, bad[:3]
    assert any(re.search("[А-Яа-я]", to_cyrillic(t)) for t in texts)


# -- firm templates ----------------------------------------------------------------------


def test_firm_markdown_template_gets_the_documented_context(tmp_path: Path, moi: Any) -> None:
    tpl = tmp_path / "firm.md.j2"
    tpl.write_text(
        "# {{ tr('Memo', 'Izveštaj') }}: {{ memo.document.title }}\n"
        "{% for f in memo.gaps %}- {{ f.citation }} {{ f.rule|code }}\n{% endfor %}"
        "{{ report.summary.fail }} {{ summary }}\n",
        encoding="utf-8",
    )
    out = markdown.render(moi, template=tpl)
    assert out.startswith(f"# Memo: {moi.document.title}\n")
    assert "- Art. 54(1) `lpdp.54.1-before-processing`" in out
    assert out.rstrip().endswith(f"{moi.summary['fail']} False")


def test_firm_html_template_autoescapes_and_includes_from_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "head.html.j2").write_text("<header>LAW FIRM</header>", encoding="utf-8")
    tpl = tmp_path / "firm.html.j2"
    tpl.write_text('{% include "head.html.j2" %}<h1>{{ memo.document.title }}</h1>', encoding="utf-8")
    out = html.render(report_of(evil_dpia(tmp_path)), template=tpl)
    assert out.startswith("<header>LAW FIRM</header><h1>&lt;script&gt;")


def test_template_of_the_other_kind_is_left_to_its_own_format(tmp_path: Path, moi: Any) -> None:
    tpl = tmp_path / "firm.md.j2"
    tpl.write_text("FIRM MARKDOWN", encoding="utf-8")
    assert markdown.render(moi, template=tpl) == "FIRM MARKDOWN\n"
    assert html.render(moi, template=tpl).startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        ("bad.md.j2", "line one\nline two\n{% for x in %}\n", r"bad\.md\.j2 \(line 3\): template syntax error"),
        ("typo.md.j2", "ok\n{{ memo.no_such_key }}\n", r"typo\.md\.j2 \(line 2\): template error: .*no_such_key"),
        ("escape.md.j2", '{% include "../secret.md" %}', r"escape\.md\.j2: template not found: \.\./secret\.md"),
        ("sandbox.md.j2", "{{ memo.__class__.__mro__ }}", r"sandbox\.md\.j2.*template error"),
        ("memo.txt", "x", r"memo\.txt: cannot tell whether this is a Markdown or an HTML template"),
        ("bomb.md.j2", '{{ "x" * 3000000000 }}', r"bomb\.md\.j2 \(line 1\): template error: .*larger than"),
        ("pad.md.j2", '{{ "x"|center(3000000000) }}', r"pad\.md\.j2 \(line 1\): template error: \|center"),
        ("width.md.j2", '{{ "{:900000000}".format("x") }}', r"width\.md\.j2.*template error: .*width"),
    ],
)
def test_bad_templates_are_one_line_input_errors(tmp_path: Path, moi: Any, name: str, body: str, expected: str) -> None:
    (tmp_path.parent / "secret.md").write_text("secret", encoding="utf-8")
    tpl = tmp_path / name
    tpl.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as err:
        markdown.render(moi, template=tpl)
    message = str(err.value)
    assert "\n" not in message
    assert re.search(expected, message), message


def test_a_symlink_cannot_lead_a_template_out_of_its_folder(tmp_path: Path, moi: Any) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "notes.md").symlink_to(secret)
    tpl = folder / "memo.md.j2"
    tpl.write_text('{% include "notes.md" %}', encoding="utf-8")
    with pytest.raises(InputError, match="symlink to a file outside the template's folder"):
        markdown.render(moi, template=tpl)


def test_docs_describe_every_context_key(moi: Any) -> None:
    """docs/templates.md is the template contract: every key of the context is documented."""
    doc = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    missing: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if f"`{k}`" not in doc and f"`memo.{k}`" not in doc:
                    missing.add(k)
                walk(v)
        elif isinstance(value, list):
            for v in value[:1]:
                walk(v)

    walk(build_memo(report_of(SAMPLES / "hospital-booking.dpia.yaml")))
    walk(build_memo(moi))
    assert not missing, sorted(missing)


# -- DOCX --------------------------------------------------------------------------------


def test_docx_has_headings_tables_and_quotes_a_lawyer_can_edit(moi: Any) -> None:
    docx = pytest.importorskip("docx")
    data = docx_out.render(moi)
    assert data[:2] == b"PK"
    d = docx.Document(io.BytesIO(data))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    for h in ("1. Executive summary", "2. Findings", "3. Coverage by article", "Annex: rules applied"):
        assert h in headings
    assert any(h.startswith("Fail · High · Art. 54(1) — ") for h in headings)
    quotes = [p.text for p in d.paragraphs if p.style.name == "Quote"]
    assert any("“2020-04-15”" in q for q in quotes)
    assert len(d.tables) >= 4
    annex = d.tables[-1]
    assert len(annex.rows) == len(moi.findings) + 1
    assert annex.rows[0].cells[0].text == "Rule"
    assert d.core_properties.title.startswith("DPIA findings memo: ")
    assert docx_out.render(moi) == data  # reproducible


def test_docx_without_python_docx_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch, moi: Any) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "docx", None)
    with pytest.raises(MissingExtraError) as err:
        docx_out.render(moi)
    assert str(err.value) == 'DOCX output needs an optional package: pip install "dpia-check[docx]"'


# -- fixes found by reading the memos ------------------------------------------------------


def _markdown_tokens(text: str) -> list[Any]:
    """The memo parsed as GitHub does (CommonMark plus tables), flattened."""
    from markdown_it import MarkdownIt

    def walk(tokens: list[Any]) -> list[Any]:
        out: list[Any] = []
        for t in tokens:
            out.append(t)
            out += walk(t.children or [])
        return out

    return walk(MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text))


def test_article_cited_as_a_whole_gets_its_paraphrase_of_the_law(moi: Any) -> None:
    """Art. 13 has one paragraph, cited "Art. 13"; the rule set keeps its paraphrase under
    paragraph 0, and the memo must show it like any other "What the law requires"."""
    memo = build_memo(moi)
    art13 = next(a for a in memo["articles"] if a["number"] == 13)
    para = art13["paragraphs"][0]
    assert para["number"] is None
    assert para["law"] and para["law"].startswith("Processing for special purposes is lawful only if")
    assert all(f["law"] == para["law"] for f in para["findings"])
    section = markdown.render(moi).split("### Art. 13 ", 1)[1].split("\n### ", 1)[0]
    assert f"*What the law requires:* {para['law']}" in section
    page = html.render(moi).split('id="art-13"', 1)[1].split("<h3 ", 1)[0]
    assert 'class="law"' in page


def test_markdown_memo_keeps_hostile_text_inside_its_cell_and_as_written(tmp_path: Path) -> None:
    """Quotes and titles with | * & URLs, and a file name with |, stay in their table cell,
    add no emphasis, link, entity or heading, and read exactly as written."""
    data = yaml.safe_load(MOI.read_text(encoding="utf-8"))
    data["meta"]["title"] = "A | B *star* &amp; &lt;b&gt; https://evil.example/x www.evil.example"
    data["meta"]["controller"]["name"] = "1. Ctl | *x*"
    data["processing"]["retention"] = "30 days | *always* or longer"
    path = tmp_path / "pipe|star*.dpia.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = report_of(path)
    md = markdown.render(report)
    tokens = _markdown_tokens(md)
    # the title block: every row has its two cells, and the file cell holds the whole path
    head = md.split("## 1.", 1)[0]
    rows = _markdown_tokens(head)
    cells = [rows[i + 1].content for i, t in enumerate(rows) if t.type == "td_open"]
    assert sum(1 for t in rows if t.type == "tr_open") == len(cells) / 2 + 1  # two cells a row, plus the header row
    assert cells[cells.index("File") + 1].replace("\\", "") == f"{path} (yaml)"
    from markdown_it import MarkdownIt

    shown = MarkdownIt("commonmark").enable("table").render(head)
    assert "A | B *star* &amp;amp; &amp;lt;b&amp;gt; https://evil.example/x www.evil.example" in shown
    assert not any(t.type in ("html_inline", "html_block", "link_open", "s_open") for t in tokens)
    # no emphasis opened by the DPIA's stars: every strong/em run is the template's own
    assert not any(t.type == "text" and t.content in ("star", "always", "x") for t in tokens)
    summary = markdown.render(report, summary=True)
    for row in summary.splitlines():
        if row.startswith("| ") and "lpdp.5.1.5-retention-bounded" in row:
            assert row.replace("\\|", "").count("|") == 6, row  # five cells


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        (" # not a heading", " \\# not a heading"),
        (" - not a list", " \\- not a list"),
        (" 1. not a list", " 1\\. not a list"),
        ("&amp; &lt;b&gt;", "\\&amp; \\&lt;b\\&gt;"),
        ("see https://evil.example and WWW.evil.example", "see https\\://evil.example and WWW\\.evil.example"),
    ],
)
def test_markdown_escaping(value: str, escaped: str) -> None:
    from dpia_check.report.templating import md_escape

    assert md_escape(value) == escaped


def test_markdown_code_span_with_a_pipe_is_escaped_text() -> None:
    from dpia_check.report.templating import md_code

    assert md_code("a|b") == "a\\|b"  # a pipe ends a GitHub table cell even inside a code span
    assert md_code("a`b") == "``a`b``"


def test_cyrillic_memo_keeps_the_tools_name_in_latin(tmp_path: Path) -> None:
    report = report_of(lang="sr-Cyrl")
    md = markdown.render(report)
    assert "дпиа" not in md.lower() and "сачинио dpia-check на основу" in md
    assert markdown.render(report, summary=True).startswith("### ❌ dpia-check сажетак: ")
    tpl = tmp_path / "firm.md.j2"
    tpl.write_text("{{ tr('by dpia-check', 'izradio dpia-check') }}", encoding="utf-8")
    assert markdown.render(report, template=tpl) == "израдио dpia-check\n"


@pytest.mark.parametrize(
    ("lang", "pages", "text"),
    [
        ("en", 1, "1 page"), ("en", 2, "2 pages"),
        ("sr-Latn", 1, "1 strana"), ("sr-Latn", 2, "2 strane"), ("sr-Latn", 4, "4 strane"), ("sr-Latn", 5, "5 strana"),
        ("sr-Latn", 11, "11 strana"), ("sr-Latn", 12, "12 strana"), ("sr-Latn", 21, "21 strana"), ("sr-Latn", 22, "22 strane"),
        ("sr-Latn", 112, "112 strana"), ("sr-Cyrl", 3, "3 стране"), ("sr-Cyrl", 41, "41 страна"),
    ],
)
def test_page_count_takes_the_right_grammatical_number(lang: str, pages: int, text: str) -> None:
    from dpia_check.report.memo import pages_text

    assert pages_text(pages, lang) == text


def test_one_page_pdf_is_one_page_in_the_title_block() -> None:
    one = ROOT / "tests" / "corpus" / "school-cameras-sr-cyrl.pdf"
    if not one.exists():
        pytest.skip("the PDF corpus is not present")
    assert "(pdf, 1 page)" in markdown.render(report_of(one))
    assert "(pdf, 1 strana)" in markdown.render(report_of(one, lang="sr-Latn"))


def test_the_same_quote_at_the_same_place_is_shown_once(moi: Any) -> None:
    import copy

    from dpia_check.model import Evidence, Location

    report = copy.deepcopy(moi)
    f = next(f for f in report.findings if f.status == "fail")
    path = report.document.path
    f.evidence = [
        Evidence(Location(path=path, line=65, pointer="/legal_basis/0/explanation"), "Authorised to record."),
        Evidence(Location(path=path, line=65, pointer="/legal_basis/0/explanation"), "Authorised to record."),
        Evidence(Location(path=path, page=1, line=32, pointer="/measures/0/id"), "Measures apply."),
        Evidence(Location(path=path, page=1, line=32, pointer="/measures/0/kind"), "Measures apply."),
        Evidence(Location(path=path, pointer="/review/next")),
        Evidence(Location(path=path, pointer="/review/next")),
    ]
    ctx = next(x for x in build_memo(report)["rules"] if x["rule"] == f.rule)
    assert [(q["quote"], q["pointers"]) for q in ctx["quotes"]] == [
        ("Authorised to record.", ["/legal_basis/0/explanation"]),
        ("Measures apply.", ["/measures/0/id", "/measures/0/kind"]),
    ]
    assert [a["pointer"] for a in ctx["absent"]] == ["/review/next"]
    assert len(ctx["evidence"]) == 6  # the full evidence stays available to templates
    md = markdown.render(report)
    assert md.count("> Authorised to record.") == 1
    assert "*What the DPIA says* (p. 1, line 32, `/measures/0/id`, `/measures/0/kind`):" in md
    assert html.render(report).count("“Authorised to record.”") == 1


def test_title_block_says_which_regime_and_why(moi: Any) -> None:
    from markupsafe import escape

    reason = build_memo(moi)["regime"]["reason"]
    md = markdown.render(moi)
    title_block = md.split("## 1.", 1)[0]
    assert f"| Why this regime | {reason} |" in title_block
    assert md.count(reason) == 1
    page = html.render(moi)
    meta = page.split('<table class="meta">', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">Why this regime</th>' in meta and str(escape(reason)) in meta


def test_serbian_article_headings_write_the_ordinal_with_a_full_stop() -> None:
    md = markdown.render(report_of(lang="sr-Latn"))
    assert "### Član 54. — " in md and "| Član 5. — Načela obrade |" in md
    assert "### Члан 54. — " in markdown.render(report_of(lang="sr-Cyrl"))


def test_docx_title_block_has_the_regime_reason_and_notes_have_their_place(moi: Any) -> None:
    docx = pytest.importorskip("docx")
    import copy

    report = copy.deepcopy(moi)
    report.warnings = [{"code": "unknown-key", "message": "Unknown key titel", "location": {"path": "x", "page": None, "line": 12, "pointer": "/meta/titel"}}]
    d = docx.Document(io.BytesIO(docx_out.render(report)))
    rows = {r.cells[0].text: r.cells[1].text for r in d.tables[0].rows}
    assert rows["Why this regime"] == build_memo(report)["regime"]["reason"]
    assert not any(p.text.startswith("Why this regime:") for p in d.paragraphs)
    assert "Unknown key titel (line 12)" in [p.text for p in d.paragraphs]


def test_cyrillic_labels_round_trip_to_the_latin_ones() -> None:
    """The Cyrillic memo's own labels (with the tool's name kept in Latin) read back as the Latin ones."""
    from dpia_check.report.memo import label
    from dpia_check.textprep import to_latin

    for table in (LABELS, STATUS_LABELS, SEVERITY_LABELS, REGIME_LABELS, VERDICT_TEXT):
        for text in table.values():
            assert to_latin(label(text, "sr-Cyrl")) == label(text, "sr-Latn"), text.sr
