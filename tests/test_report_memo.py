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
