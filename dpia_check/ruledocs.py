"""Rule documentation: ``rules list`` and ``explain``, generated from the rule files."""

from __future__ import annotations

from dpia_check.errors import InputError
from dpia_check.i18n import tr
from dpia_check.report.json_out import dumps
from dpia_check.rules import Rule, RuleSet, load_ruleset

REGIME_LABEL = {
    "general": ("general regime", "opšti režim"),
    "special": ("competent authorities, special purposes", "nadležni organi, posebne svrhe"),
    "both": ("both regimes", "oba režima"),
}


def rule_summary(rule: Rule, lang: str) -> dict[str, object]:
    return {
        "id": rule.id,
        "citation": rule.citation.to_dict(),
        "regime": rule.regime,
        "severity": rule.severity,
        "title": rule.title.get(lang),
        "tags": rule.tags,
        "related": rule.related,
        "counterpart": rule.counterpart,
    }


def rules_listing(fmt: str, lang: str, ruleset: RuleSet | None = None) -> str:
    rs = ruleset or load_ruleset()
    if fmt == "json":
        return dumps({"ruleset": {"id": rs.id, "version": rs.version}, "rules": [rule_summary(r, lang) for r in rs.rules]})
    if fmt != "text":
        raise InputError("--format", f"unknown format {fmt!r}", hint="use text or json")
    lines = []
    for r in rs.rules:
        lines.append(f"{r.id:<52} {r.citation.text:<16} {r.regime:<8} {r.severity:<8} {r.title.get(lang)}")
    lines.append(f"\n{len(rs.rules)} " + tr(lang, "rules", "pravila") + f" · {rs.id} {rs.version}")
    return "\n".join(lines) + "\n"


def explain_rule(rule_id: str, lang: str, ruleset: RuleSet | None = None) -> str:
    rs = ruleset or load_ruleset()
    rule = rs.get(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, [r.id for r in rs.rules], n=3, cutoff=0.4)
        raise InputError(rule_id, "no such rule", hint=("did you mean " + ", ".join(close) + "?") if close else "see `dpia-check rules list`")
    out: list[str] = []
    out.append(f"{rule.id} — {rule.title.get(lang)}")
    out.append("")
    regime = REGIME_LABEL[rule.regime]
    out.append(tr(lang, "Citation: ", "Odredba: ") + f"LPDP {rule.citation.text}" + (f"  ({rule.citation.text_in(lang)})" if lang != "en" else ""))
    rel = ", ".join(f"{k.upper()} {v}" for k, v in rule.related.items() if v)
    if rel:
        out.append(tr(lang, "EU counterpart: ", "Odgovarajuća odredba EU: ") + rel)
    out.append(tr(lang, "Applies to: ", "Primenjuje se na: ") + (regime[0] if lang == "en" else regime[1]))
    if rule.counterpart:
        other = rs.get(rule.counterpart)
        if other:
            out.append(tr(lang, "Counterpart in the other regime: ", "Odgovarajuće pravilo drugog režima: ") + f"{other.id} ({other.citation.text})")
    out.append(tr(lang, "Severity: ", "Ozbiljnost: ") + rule.severity)
    out.append("")
    art = rs.articles.get(rule.citation.article)
    out.append(tr(lang, "What the law requires", "Šta zakon zahteva"))
    if art is not None:
        out.append(f"  Art. {art.article} — {art.title.get(lang)}")
        para = art.paragraphs.get(rule.citation.paragraph or 0)
        if para is not None:
            out.append(f"  ({rule.citation.paragraph}) {para.get(lang)}")
    out.append("")
    out.append(tr(lang, "Why it matters", "Zašto je važno"))
    out.append("  " + rule.why.get(lang))
    out.append("")
    out.append(tr(lang, "How to fix", "Kako ispraviti"))
    out.append("  " + rule.remediation.get(lang))
    if rule.note is not None:
        out.append("")
        out.append(tr(lang, "Note", "Napomena"))
        out.append("  " + rule.note.get(lang))
    for kind, label in (("pass", tr(lang, "Passing example", "Primer koji prolazi")), ("fail", tr(lang, "Failing example", "Primer koji ne prolazi"))):
        ex = rule.examples.get(kind)
        if isinstance(ex, str) and ex.strip():
            out.append("")
            out.append(label + ":")
            out.extend("    " + ln for ln in ex.rstrip().splitlines())
    out.append("")
    return "\n".join(out) + "\n"
