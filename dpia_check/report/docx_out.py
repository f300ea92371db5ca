"""The findings memo as a Word document a lawyer can edit: real headings, tables and quotes.

Built with python-docx (the ``docx`` extra) from the same memo context as the HTML and Markdown
memos, so the three say the same thing. ``--template`` does not apply: Word styles are the
place to restyle it. The file is byte-for-byte reproducible: fixed document dates and fixed
timestamps inside the ZIP container.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path
from typing import Any

from dpia_check.errors import MissingExtraError
from dpia_check.report.memo import build_memo
from dpia_check.report.model import Report

STATUSES = ("pass", "fail", "warn", "manual", "waived", "not_applicable")
_WORD_LANG = {"en": "en-GB", "sr-Latn": "sr-Latn-RS", "sr-Cyrl": "sr-Cyrl-RS"}
_FIXED_TIME = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_STATUS_COLOUR = {"fail": "B42318", "warn": "B54708", "manual": "6941C6", "pass": "067647", "waived": "0E7090", "not_applicable": "667085"}


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        raise MissingExtraError("DOCX output", "docx") from None
    return docx


def render(report: Report, *, ruleset: Any = None, template: Path | None = None, summary: bool = False, **_: Any) -> bytes:
    """The memo as .docx bytes."""
    docx = _docx()
    memo = build_memo(report, ruleset)
    document = docx.Document()
    _setup(document, memo)
    _title_block(document, memo)
    _summary(document, memo)
    _findings(document, memo)
    _coverage(document, memo)
    _annex(document, memo)
    p = document.add_paragraph()
    p.add_run(memo["labels"]["disclaimer"]).italic = True
    buf = io.BytesIO()
    document.save(buf)
    return reproducible_zip(buf.getvalue())


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite a ZIP with fixed timestamps and attributes, keeping member order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


# -- building blocks -----------------------------------------------------------------------


def _setup(document: Any, memo: dict[str, Any]) -> None:
    """Document properties, language for the spell checker, page header and numbered footer."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    L = memo["labels"]
    props = document.core_properties
    props.title = f"{L['memo_title']}: {memo['document']['title']}"
    props.subject = memo["document"]["title"]
    props.author = memo["tool"]["name"]
    props.last_modified_by = memo["tool"]["name"]
    props.language = _WORD_LANG.get(memo["lang"], "en-GB")
    props.keywords = "DPIA, LPDP, ZZPL"
    props.created = _FIXED_TIME
    props.modified = _FIXED_TIME
    props.revision = 1

    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    rpr = normal.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), _WORD_LANG.get(memo["lang"], "en-GB"))

    section = document.sections[0]
    head = section.header.paragraphs[0]
    head.text = f"{L['memo_title']} — {memo['document']['title']}"
    head.style = document.styles["Header"]
    foot = section.footer.paragraphs[0]
    foot.style = document.styles["Footer"]
    foot.add_run(f"{memo['tool']['name']} {memo['tool']['version']} · {memo['tool']['ruleset']} {memo['tool']['ruleset_version']}    {L['page']} ")
    _field(foot, "PAGE")
    foot.add_run(f" {L['of']} ")
    _field(foot, "NUMPAGES")


def _field(paragraph: Any, code: str) -> None:
    """A Word field (page numbers); Word fills it in when the document is opened or printed."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _labelled(document: Any, label: str, text: str, style: str | None = None) -> Any:
    p = document.add_paragraph(style=style)
    p.add_run(f"{label}: ").bold = True
    p.add_run(text)
    return p


def _table(document: Any, header: list[str], rows: list[list[str]], numeric_from: int | None = None) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    for i, text in enumerate(header):
        cell = table.rows[0].cells[i]
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            cells[i].text = text
            if numeric_from is not None and i >= numeric_from:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _repeat_header(row: Any) -> None:
    """Mark a table's first row as a header Word repeats on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _status_run(paragraph: Any, status: str, label: str) -> None:
    from docx.shared import RGBColor

    run = paragraph.add_run(label)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(_STATUS_COLOUR.get(status, "000000"))


def _title_block(document: Any, memo: dict[str, Any]) -> None:
    L, d, tool = memo["labels"], memo["document"], memo["tool"]
    document.add_heading(f"{L['memo_title']}: {d['title']}", level=0)
    file_text = f"{d['path']} ({d['format']}" + (f", {d['pages_text']}" if d["pages"] else "") + ")"
    regime = "; ".join(g["label"] + (f" — {', '.join(g['purposes'])}" if g["purposes"] else "") for g in memo["regime"]["groups"])
    rows = [[L["document"], d["title"]], [L["file"], file_text]]
    if d["controller"]:
        rows.append([L["controller"], d["controller"]])
    rows += [
        [L["version_date"], f"{d['version'] or '—'} / {d['date'] or '—'}"],
        [L["regime"], regime],
        [L["regime_reason"], memo["regime"]["reason"]],
        [L["checked_with"], f"{tool['name']} {tool['version']}; {L['ruleset'].lower()} {tool['ruleset']} {tool['ruleset_version']} ({tool['ruleset_title']})"],
        [L["sha256"], d["sha256"]],
    ]
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value


def _summary(document: Any, memo: dict[str, Any]) -> None:
    L = memo["labels"]
    document.add_heading(f"1. {L['executive_summary']}", level=1)
    p = document.add_paragraph()
    p.add_run(f"{L['verdict']}: ").bold = True
    _status_run(p, "fail" if memo["verdict"]["value"] == "fail" else "pass", memo["verdict"]["label"] + ".")
    p.add_run(" " + memo["verdict"]["text"])
    _table(document, [L["status"], L["count"]], [[r["label"], str(r["count"])] for r in memo["status_counts"]], numeric_from=1)
    sev = "; ".join(f"{r['label'].lower()} {r['count']}" for r in memo["by_severity"]) + "."
    _labelled(document, L["by_severity"], sev)
    document.add_heading(L["gravest"], level=2)
    if not memo["gravest"]:
        document.add_paragraph(L["no_gaps"])
    for f in memo["gravest"]:
        p = document.add_paragraph(style="List Number")
        p.add_run(f"{f['citation']} ({f['severity_label'].lower()}) — {f['title']}.").bold = True
        p.add_run(f" {f['message']}")
    if memo["warnings"]:
        document.add_heading(L["input_notes"], level=2)
        for w in memo["warnings"]:
            place = f" ({w['where']})" if w["where"] else ""
            document.add_paragraph(w["message"] + place, style="List Bullet")


def _findings(document: Any, memo: dict[str, Any]) -> None:
    L = memo["labels"]
    document.add_heading(f"2. {L['findings']}", level=1).paragraph_format.page_break_before = True
    document.add_paragraph(L["findings_intro"])
    if not memo["articles"]:
        document.add_paragraph(L["no_findings"])
    for a in memo["articles"]:
        document.add_heading(f"{a['heading']} — {a['title']}" if a["title"] else a["heading"], level=2)
        for para in a["paragraphs"]:
            if para["number"] is not None:
                document.add_heading(para["citation"], level=3)
            if para["law"]:
                p = document.add_paragraph(style="Intense Quote")
                p.add_run(f"{L['law_requires']}: ").bold = True
                p.add_run(para["law"])
            for f in para["findings"]:
                _finding(document, memo, f)


def _finding(document: Any, memo: dict[str, Any], f: dict[str, Any]) -> None:
    L = memo["labels"]
    h = document.add_heading(level=4)
    _status_run(h, f["status"], f["status_label"])
    h.add_run(f" · {f['severity_label']} · {f['citation']} — {f['title']}")
    p = document.add_paragraph()
    p.add_run(f"{L['rule']}: ").bold = True
    p.add_run(f["rule"]).font.name = "Consolas"
    _labelled(document, L["finding"], f["message"])
    for e in f["quotes"]:
        place = " · ".join([e["where"] or "—", *e["pointers"]])
        q = document.add_paragraph(style="Quote")
        q.add_run(f"“{e['quote']}”")
        q.add_run(f"  ({L['dpia_says']}: {place})").italic = False
    if f["absent"]:
        _labelled(document, L["missing"], ", ".join(e["pointer"] or "—" for e in f["absent"]))
    if f["waiver_reason"]:
        _labelled(document, L["waived_because"], f["waiver_reason"])
    if f["note"]:
        _labelled(document, L["note"], f["note"])
    _labelled(document, L["remedy"], f["remediation"])


def _coverage(document: Any, memo: dict[str, Any]) -> None:
    L, S = memo["labels"], memo["status_labels"]
    document.add_heading(f"3. {L['coverage']}", level=1).paragraph_format.page_break_before = True
    document.add_paragraph(L["coverage_intro"])
    rows = [
        [f"{a['heading']} — {a['title']}" if a["title"] else a["heading"], str(a["counts"]["total"]), *(str(a["counts"][s]) for s in STATUSES)]
        for a in memo["coverage"]
    ]
    _table(document, [L["article"], L["checked"], *(S[s] for s in STATUSES)], rows, numeric_from=1)
    reasons = [(a, r) for a in memo["coverage"] for r in a["na_reasons"]]
    if reasons:
        document.add_heading(L["na_reasons"], level=2)
        for a, r in reasons:
            p = document.add_paragraph(style="List Bullet")
            p.add_run(f"{a['heading']} ({', '.join(r['rules'])}): ").bold = True
            p.add_run(r["reason"])


def _annex(document: Any, memo: dict[str, Any]) -> None:
    L = memo["labels"]
    document.add_heading(L["annex"], level=1).paragraph_format.page_break_before = True
    document.add_paragraph(L["annex_intro"])
    rows = [[r["rule"], r["citation"], r["regime_label"], r["severity_label"], r["title"], r["status_label"]] for r in memo["rules"]]
    _table(document, [L["rule"], L["citation"], L["regime_col"], L["severity"], L["title"], L["result"]], rows)
