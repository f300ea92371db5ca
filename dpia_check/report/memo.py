"""The findings memo's content, built once and shared by the Markdown, HTML, PDF and DOCX renderers.

Every renderer (and every firm's own ``--template``) reads the same plain-data context, so the
memo says the same thing in every format and in every language. The context is documented
variable by variable in docs/templates.md; keys may be added, never renamed.
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import Any

from dpia_check.citation import Citation
from dpia_check.i18n import Text, normalise_lang, tr
from dpia_check.model import Evidence, Location
from dpia_check.report.model import SEVERITY_ORDER, Finding, Report

CONTEXT_VERSION = 1
GAP_STATUSES = ("fail", "warn", "manual", "waived")
STATUS_ORDER = ("fail", "warn", "manual", "waived", "pass", "not_applicable")

STATUS_LABELS: dict[str, Text] = {
    "fail": Text("Fail", "Nije ispunjeno"),
    "warn": Text("Warning", "Upozorenje"),
    "manual": Text("Manual check", "Ručna provera"),
    "pass": Text("Pass", "Ispunjeno"),
    "not_applicable": Text("Not applicable", "Ne primenjuje se"),
    "waived": Text("Waived", "Izuzeto"),
}
SEVERITY_LABELS: dict[str, Text] = {
    "critical": Text("Critical", "Kritična"),
    "high": Text("High", "Visoka"),
    "medium": Text("Medium", "Srednja"),
    "low": Text("Low", "Niska"),
    "info": Text("Info", "Informativna"),
}
REGIME_LABELS: dict[str, Text] = {
    "general": Text("General regime", "Opšti režim"),
    "special": Text("Special-purpose regime (competent authorities)", "Režim posebnih svrha (nadležni organi)"),
    "both": Text("Both regimes", "Oba režima"),
}
VERDICT_TEXT: dict[str, Text] = {
    "fail": Text(
        "The DPIA does not meet the requirements checked: at least one gap is at or above the threshold ({fail_on}).",
        "Procena ne ispunjava proverene zahteve: bar jedan nedostatak je na pragu ({fail_on}) ili iznad njega.",
    ),
    "pass": Text(
        "No gap at or above the threshold ({fail_on}) was found in the requirements checked.",
        "U proverenim zahtevima nije nađen nedostatak na pragu ({fail_on}) ili iznad njega.",
    ),
}

# Headings and labels of the memo, in one place so a translation is one edit.
LABELS: dict[str, Text] = {
    "memo_title": Text("DPIA findings memo", "Izveštaj o nalazima procene uticaja"),
    "summary_title": Text("dpia-check summary", "dpia-check sažetak"),
    "document": Text("Document", "Dokument"),
    "file": Text("File", "Datoteka"),
    "pages": Text("Pages", "Strane"),
    "controller": Text("Controller", "Rukovalac"),
    "version_date": Text("Version / date", "Verzija / datum"),
    "regime": Text("Regime applied", "Primenjeni režim"),
    "regime_reason": Text("Why this regime", "Zašto ovaj režim"),
    "regime_col": Text("Regime", "Režim"),
    "checked_with": Text("Checked with", "Provereno alatom"),
    "ruleset": Text("Rule set", "Skup pravila"),
    "sha256": Text("Input file SHA-256", "SHA-256 ulazne datoteke"),
    "executive_summary": Text("Executive summary", "Rezime"),
    "verdict": Text("Verdict", "Ocena"),
    "verdict_fail": Text("Fail", "Nije prošla"),
    "verdict_pass": Text("Pass", "Prošla"),
    "status": Text("Status", "Status"),
    "count": Text("Count", "Broj"),
    "by_severity": Text("Failing requirements by severity", "Neispunjeni zahtevi po težini"),
    "severity": Text("Severity", "Težina"),
    "gravest": Text("The gravest gaps", "Najteži nedostaci"),
    "no_gaps": Text("No requirement checked failed.", "Nijedan provereni zahtev nije neispunjen."),
    "findings": Text("Findings", "Nalazi"),
    "findings_intro": Text(
        "Requirements that failed, need a manual check or were waived, grouped by article and paragraph. "
        "Requirements that were met are listed in the coverage table and the annex.",
        "Zahtevi koji nisu ispunjeni, koje treba ručno proveriti ili koji su izuzeti, po članovima i stavovima. "
        "Ispunjeni zahtevi navedeni su u tabeli pokrivenosti i u prilogu.",
    ),
    "no_findings": Text("No gaps: every requirement checked was met or does not apply.", "Nema nedostataka: svaki provereni zahtev je ispunjen ili se ne primenjuje."),
    "article": Text("Article", "Član"),
    "law_requires": Text("What the law requires", "Šta zakon zahteva"),
    "finding": Text("Finding", "Nalaz"),
    "dpia_says": Text("What the DPIA says", "Šta procena navodi"),
    "missing": Text("Not found in the DPIA", "Nije nađeno u proceni"),
    "remedy": Text("Remedy", "Kako otkloniti"),
    "waived_because": Text("Waived", "Izuzeto"),
    "note": Text("Note", "Napomena"),
    "rule": Text("Rule", "Pravilo"),
    "coverage": Text("Coverage by article", "Pokrivenost po članovima"),
    "coverage_intro": Text(
        "How many requirements of each article were checked, and with what result.",
        "Koliko je zahteva iz svakog člana provereno i sa kojim rezultatom.",
    ),
    "title": Text("Title", "Naslov"),
    "checked": Text("Checked", "Provereno"),
    "na_reasons": Text("Why requirements do not apply", "Zašto se zahtevi ne primenjuju"),
    "input_notes": Text("Notes on the input", "Napomene o ulaznom dokumentu"),
    "annex": Text("Annex: rules applied", "Prilog: primenjena pravila"),
    "annex_intro": Text(
        "Every rule of the rule set that was applied to this DPIA, in the order of the law.",
        "Sva pravila iz skupa pravila primenjena na ovu procenu, redom kojim ih navodi zakon.",
    ),
    "citation": Text("Citation", "Odredba"),
    "result": Text("Result", "Rezultat"),
    "gaps": Text("Gaps", "Nedostaci"),
    "disclaimer": Text(
        "This memo was produced automatically by dpia-check from the DPIA named above. It checks the DPIA's content "
        "against a rule set derived from the law; it is not legal advice, and findings marked for a manual check need a person's judgement.",
        "Ovaj izveštaj je automatski sačinio dpia-check na osnovu navedene procene uticaja. On proverava sadržaj procene prema skupu "
        "pravila izvedenom iz zakona; nije pravni savet, a nalazi označeni za ručnu proveru zahtevaju procenu stručnog lica.",
    ),
    "page": Text("Page", "Strana"),
    "of": Text("of", "od"),
}


# Words kept in Latin when a Serbian text is written in Cyrillic, beyond what the
# transliteration already keeps (acronyms, rule ids, pointers): the tool's own name.
_KEEP_LATIN = re.compile(r"(?<![\w-])dpia-check(?![\w-])")


def say(lang: str, en: str, sr: str) -> str:
    """``en`` or ``sr`` in the memo's language; Cyrillic is transliterated from ``sr``,
    keeping the tool's name (``dpia-check``) in Latin."""
    lang = normalise_lang(lang)
    if lang == "sr-Cyrl":
        from dpia_check.textprep import to_cyrillic

        return to_cyrillic(_KEEP_LATIN.sub(lambda m: "⟦" + m.group() + "⟧", sr))
    return en if lang == "en" else sr


def label(text: Text, lang: str) -> str:
    """A memo label (``Text``) in the memo's language; see ``say``."""
    return say(lang, text.en, text.sr)


def pages_text(pages: int, lang: str) -> str:
    """``1 page``, ``2 pages``; ``1 strana``, ``2 strane``, ``5 strana``, ``21 strana``."""
    if normalise_lang(lang) == "en":
        return f"{pages} page" if pages == 1 else f"{pages} pages"
    paucal = pages % 10 in (2, 3, 4) and pages % 100 not in (12, 13, 14)
    return say(lang, "", f"{pages} strane" if paucal else f"{pages} strana")


def article_heading(article: int, lang: str) -> str:
    """``Art. 54``; ``Član 54.`` (Serbian writes the ordinal with a full stop)."""
    return say(lang, f"Art. {article}", f"Član {article}.")


def cite(c: Citation, lang: str) -> str:
    """``Art. 54(6)(3)`` in English, ``čl. 54. st. 6. tač. 3)`` (or Cyrillic) in Serbian."""
    lang = normalise_lang(lang)
    text = c.text_in(lang)
    if lang == "sr-Cyrl":
        from dpia_check.textprep import to_cyrillic

        return to_cyrillic(text)
    return text


def where(e: Evidence, lang: str) -> str:
    """A localised place label: ``line 12``, ``p. 4, line 7`` / ``red 12``, ``str. 4``."""
    loc = e.location
    parts: list[str] = []
    if loc.page is not None:
        parts.append(tr(lang, f"p. {loc.page}", f"str. {loc.page}"))
    if loc.line is not None:
        parts.append(tr(lang, f"line {loc.line}", f"red {loc.line}"))
    return ", ".join(parts)


def _evidence(e: Evidence, lang: str) -> dict[str, Any]:
    loc = e.location
    return {
        "quote": e.quote,
        "where": where(e, lang),
        "page": loc.page,
        "line": loc.line,
        "pointer": loc.pointer,
        "pointers": [loc.pointer] if loc.pointer else [],
        "path": loc.path,
        "missing": e.quote is None,
    }


def _merged(items: list[Evidence], lang: str) -> list[dict[str, Any]]:
    """Evidence for the reader: the same quote at the same place, or the same absent field,
    is shown once (a rule that checks three purposes against one sentence quotes it once),
    with every field pointer it stands for in ``pointers``."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for e in items:
        loc = e.location
        key = (e.quote, loc.path, loc.page, loc.line) if e.quote is not None else (None, loc.path, loc.page, loc.line, loc.pointer)
        entry = out.get(key)
        if entry is None:
            out[key] = _evidence(e, lang)
        elif loc.pointer and loc.pointer not in entry["pointers"]:
            entry["pointers"].append(loc.pointer)
    return list(out.values())


def _law(ruleset: Any, c: Citation, lang: str) -> str | None:
    """The rule set's paraphrase of the cited paragraph; for an article cited as a whole
    (a single-paragraph article such as Art. 13), the paraphrase kept under paragraph 0."""
    info = ruleset.articles.get(c.article) if ruleset is not None else None
    if info is None:
        return None
    para = info.paragraphs.get(0 if c.paragraph is None else c.paragraph)
    return para.get(lang) if para is not None else None


def _article_title(ruleset: Any, article: int, lang: str) -> str:
    info = ruleset.articles.get(article) if ruleset is not None else None
    return info.title.get(lang) if info is not None else ""


def finding_context(f: Finding, ruleset: Any, lang: str) -> dict[str, Any]:
    """One finding as plain data, with every label already in the memo's language."""
    return {
        "rule": f.rule,
        "citation": cite(f.citation, lang),
        "citation_en": f.citation.text,
        "article": f.citation.article,
        "paragraph": f.citation.paragraph,
        "point": f.citation.point,
        "status": f.status,
        "status_label": STATUS_LABELS[f.status].get(lang),
        "severity": f.severity,
        "severity_label": SEVERITY_LABELS[f.severity].get(lang),
        "regime": f.regime,
        "regime_label": REGIME_LABELS.get(f.regime, REGIME_LABELS["both"]).get(lang),
        "title": f.title,
        "message": f.message,
        "remediation": f.remediation,
        "law": _law(ruleset, f.citation, lang),
        "evidence": [_evidence(e, lang) for e in f.evidence],
        "quotes": _merged([e for e in f.evidence if e.quote is not None], lang),
        "absent": _merged([e for e in f.evidence if e.quote is None], lang),
        "waiver_reason": str(f.waiver.get("reason", "")) if f.waiver else None,
        "note": f.note,
        "fingerprint": f.fingerprint,
    }


def _warning(w: dict[str, Any], lang: str) -> dict[str, Any]:
    loc = w.get("location") or {}
    place = Evidence(Location(path=str(loc.get("path") or ""), page=loc.get("page"), line=loc.get("line")))
    return {"message": w.get("message", ""), "line": loc.get("line"), "page": loc.get("page"), "where": where(place, lang)}


def _counts(findings: list[Finding]) -> dict[str, int]:
    out = {s: 0 for s in STATUS_ORDER}
    for f in findings:
        out[f.status] += 1
    out["total"] = len(findings)
    return out


def _na_reasons(findings: list[Finding]) -> list[dict[str, Any]]:
    """Not-applicable findings grouped by their reason, so one reason is not repeated ten times."""
    reasons: dict[str, list[str]] = {}
    for f in findings:
        if f.status == "not_applicable":
            reasons.setdefault(f.message, []).append(f.rule)
    return [{"reason": r, "rules": ids} for r, ids in reasons.items()]


def build_memo(report: Report, ruleset: Any = None) -> dict[str, Any]:
    """The template context (``memo``) for ``report``; see docs/templates.md."""
    if ruleset is None:
        from dpia_check.rules import load_ruleset

        ruleset = load_ruleset()
    lang = normalise_lang(report.lang)
    doc = report.document
    summary = report.summary
    findings = report.findings
    ctx_of = {id(f): finding_context(f, ruleset, lang) for f in findings}

    articles: list[dict[str, Any]] = []
    coverage: list[dict[str, Any]] = []
    for article, group in groupby(findings, key=lambda f: f.citation.article):
        items = list(group)
        gaps = [f for f in items if f.status in GAP_STATUSES]
        paragraphs: list[dict[str, Any]] = []
        for para, pgroup in groupby(gaps, key=lambda f: f.citation.paragraph):
            pitems = list(pgroup)
            c = Citation(article, para)
            paragraphs.append(
                {"number": para, "citation": cite(c, lang), "law": _law(ruleset, c, lang), "findings": [ctx_of[id(f)] for f in pitems]}
            )
        title = _article_title(ruleset, article, lang)
        heading = article_heading(article, lang)
        info = ruleset.articles.get(article)
        entry = {
            "number": article,
            "heading": heading,
            "title": title,
            "gdpr": info.gdpr if info else None,
            "led": info.led if info else None,
            "counts": _counts(items),
            "na_reasons": _na_reasons(items),
        }
        coverage.append(entry)
        if gaps:
            articles.append({**entry, "paragraphs": paragraphs})

    by_severity = [
        {"severity": s, "label": SEVERITY_LABELS[s].get(lang), "count": summary["failing_by_severity"][s]}
        for s in sorted(SEVERITY_ORDER, key=lambda s: -SEVERITY_ORDER[s])
    ]
    counts = _counts(findings)
    verdict = summary["verdict"]
    applied = list(report.regime.get("applied", []))
    purposes = [
        {"id": pid, "regime": reg, "regime_label": REGIME_LABELS.get(reg, REGIME_LABELS["both"]).get(lang)}
        for pid, reg in (report.regime.get("purposes") or {}).items()
    ]
    gaps_sorted = sorted(
        (f for f in findings if f.status in ("fail", "warn", "manual")),
        key=lambda f: (STATUS_ORDER.index(f.status), -SEVERITY_ORDER[f.severity], f.sort_key()),
    )
    return {
        "context_version": CONTEXT_VERSION,
        "lang": lang,
        "labels": {k: label(v, lang) for k, v in LABELS.items()},
        "status_labels": {k: v.get(lang) for k, v in STATUS_LABELS.items()},
        "severity_labels": {k: v.get(lang) for k, v in SEVERITY_LABELS.items()},
        "tool": {
            "name": report.tool.get("name", "dpia-check"),
            "version": report.tool.get("version", ""),
            "ruleset": report.tool.get("ruleset", ruleset.id),
            "ruleset_version": report.tool.get("ruleset_version", ruleset.version),
            "ruleset_title": ruleset.title.get(lang),
        },
        "document": {
            "title": doc.title or doc.path,
            "path": doc.path,
            "format": doc.format,
            "pages": doc.pages,
            "pages_text": pages_text(doc.pages, lang) if doc.pages else None,
            "language": doc.language,
            "controller": doc.controller,
            "controller_kind": doc.controller_kind,
            "version": doc.version,
            "date": doc.date,
            "sha256": doc.sha256,
            "engine": doc.engine,
        },
        "regime": {
            "applied": applied,
            "applied_labels": [REGIME_LABELS.get(r, REGIME_LABELS["both"]).get(lang) for r in applied],
            "reason": str(report.regime.get("reason_text") or report.regime.get("reason") or ""),
            "purposes": purposes,
            "groups": [
                {
                    "regime": r,
                    "label": REGIME_LABELS.get(r, REGIME_LABELS["both"]).get(lang),
                    "purposes": [p["id"] for p in purposes if p["regime"] == r],
                }
                for r in applied
            ],
        },
        "verdict": {
            "value": verdict,
            "label": label(LABELS["verdict_" + verdict], lang).upper(),
            "text": VERDICT_TEXT[verdict].get(lang).replace("{fail_on}", SEVERITY_LABELS[report.fail_on].get(lang).lower()),
            "fail_on": report.fail_on,
            "failing": len(report.failing()),
        },
        "counts": counts,
        "status_counts": [{"status": s, "label": STATUS_LABELS[s].get(lang), "count": counts[s]} for s in STATUS_ORDER],
        "by_severity": by_severity,
        "gravest": [ctx_of[id(f)] for f in report.gravest(3)],
        "gaps": [ctx_of[id(f)] for f in gaps_sorted],
        "articles": articles,
        "coverage": coverage,
        "rules": [ctx_of[id(f)] for f in findings],
        "warnings": [_warning(w, lang) for w in report.warnings],
    }
