"""Run a rule set against a document: decide the regime, judge each rule, build the report.

Every rule yields exactly one finding, including ``not_applicable`` ones (with the
reason), so a report always shows the whole law that was considered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from dpia_check import __version__
from dpia_check.checks import FAIL, PASS, UNKNOWN, Context, Outcome, evaluate
from dpia_check.facts import FACTS, Facts
from dpia_check.i18n import Text, normalise_lang
from dpia_check.model import Document, Evidence, is_empty, join, quote_of
from dpia_check.regime import RegimeDecision, decide_regime
from dpia_check.report.model import DocumentInfo, Finding, Report, fingerprint
from dpia_check.rules import Rule, RuleSet

MAX_EVIDENCE = 8


@dataclass
class CheckOptions:
    """What the caller chose: language, threshold, rule selection and severity overrides."""

    lang: str = "en"
    fail_on: str = "high"
    select: Callable[[Rule], bool] | None = None
    severity_overrides: dict[str, str] = field(default_factory=dict)
    jobs: int = 1  # processes for the rules of one long text document (see PARALLEL_MIN_TEXT)


# Below this many characters of prepared text (about 70 pages), judging the rules takes
# less than ~60 ms, and a helper process would save less than it costs.
PARALLEL_MIN_TEXT = 200_000
# Each process re-derives what it needs of the document and copies the memory it touches;
# ~90 rules do not keep more than a few busy (measured on 2 cores only).
MAX_RULE_PROCESSES = 4


_GENERIC_NA = {
    "regime": Text(
        "Not applicable: this provision belongs to the {rule_regime} regime; this DPIA is judged under {applied}.",
        "Ne primenjuje se: odredba pripada režimu {rule_regime_sr}; ova procena se ocenjuje po režimu {applied_sr}.",
    ),
    "facts": Text("Not applicable: {facts_missing}.", "Ne primenjuje se: {facts_missing}."),
}
_REGIME_NAMES = {
    "general": Text("general", "opšti"),
    "special": Text("special-purpose (competent authorities)", "posebnih svrha (nadležni organi)"),
}


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace ``{name}`` placeholders; unknown names stay as they are (no format())."""
    if "{" not in template:
        return template
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


_RULE_TEXTS: dict[tuple[int, str], tuple[Text, str]] = {}
_RULE_TEXTS_MAX = 8192


def _text_in(text: Text, lang: str) -> str:
    """A rule's fixed text (title, remediation) in ``lang``: transliterating to Cyrillic
    costs far more than a lookup, and every document asks for the same texts. Keyed by
    identity (the entry keeps the text alive, so its id cannot be reused)."""
    key = (id(text), lang)
    hit = _RULE_TEXTS.get(key)
    if hit is not None and hit[0] is text:
        return hit[1]
    out = text.get(lang)
    if len(_RULE_TEXTS) < _RULE_TEXTS_MAX:
        _RULE_TEXTS[key] = (text, out)
    return out


@lru_cache(maxsize=8192)
def _cyrillic(text: str) -> str:
    """Messages repeat across documents and rules (pass messages have no placeholders)."""
    from dpia_check.textprep import to_cyrillic

    return to_cyrillic(text)


def _label(doc: Document, item_ptr: str, label_field: str | None) -> str:
    if label_field:
        v = doc.get(join(item_ptr, label_field))
        if isinstance(v, (str, int)) and not isinstance(v, bool) and str(v).strip():
            return str(v)
    return item_ptr


def _facts_in(cond: Any) -> list[str]:
    """Fact names a condition requires (for not-applicable explanations)."""
    if not isinstance(cond, dict):
        return []
    if cond.get("op") == "fact":
        return [cond["name"]]
    if cond.get("op") in ("all", "any"):
        return [n for c in cond["of"] for n in _facts_in(c)]
    return []


def judge_rule(rule: Rule, ctx: Context) -> tuple[str, list[Evidence], dict[str, str]]:
    """Evaluate a rule's check: (state, evidence, placeholder values)."""
    check = rule.check
    doc = ctx.doc
    values: dict[str, str] = {}
    each = check.get("each")
    if each is None:
        outs = [evaluate(ctx, c, "") for c in check["require"]]
        state = _combine(outs)
        facts = [f for o in outs for f in o.facts]
        if facts:
            values["facts"] = "; ".join(FACTS[f][1].en for f in facts)
            values["facts_sr"] = "; ".join(FACTS[f][1].sr for f in facts)
        ev = _evidence(outs, state)
        if state != PASS:
            values["items"] = ", ".join(dict.fromkeys(e.location.pointer or e.location.short() for e in ev)) or "—"
        return state, ev, values
    items = doc.get(each)
    items = items if isinstance(items, list) else []
    judged: list[tuple[str, list[Outcome]]] = []
    for i in range(len(items)):
        ptr = join(each, i)
        if "where" in check:
            w = evaluate(ctx, check["where"], ptr)
            if w.state != PASS:
                continue
        judged.append((ptr, [evaluate(ctx, c, ptr) for c in check["require"]]))
    if not judged:
        if_none = check.get("if_none", "fail")
        values["count"] = "0"
        state = {"fail": FAIL, "pass": PASS, "manual": UNKNOWN, "not_applicable": "na"}[if_none]
        if state == FAIL and is_empty(doc.get(each)):
            return "empty", [_absent_evidence(ctx, each)], values
        return state, [doc.evidence(each)] if state == PASS and not is_empty(doc.get(each)) else [], values
    bad = [(p, o) for p, o in judged if _combine(o) == FAIL]
    unknown = [(p, o) for p, o in judged if _combine(o) == UNKNOWN]
    label_field = check.get("label", "id")
    if bad:
        values["items"] = ", ".join(_label(doc, p, label_field) for p, _ in bad)
        values["count"] = str(len(bad))
        ev = [e for p, o in bad for e in _evidence(o, FAIL, p, doc)]
        return FAIL, ev, values
    if unknown:
        values["items"] = ", ".join(_label(doc, p, label_field) for p, _ in unknown)
        values["count"] = str(len(unknown))
        return UNKNOWN, [e for p, o in unknown for e in _evidence(o, UNKNOWN, p, doc)], values
    values["items"] = ", ".join(_label(doc, p, label_field) for p, _ in judged)
    values["count"] = str(len(judged))
    return PASS, [e for p, o in judged for e in _evidence(o, PASS, p, doc)], values


def _absent_evidence(ctx: Context, ptr: str) -> Evidence:
    return ctx.doc.absent(ptr)


def _combine(outs: list[Outcome]) -> str:
    if any(o.state == FAIL for o in outs):
        return FAIL
    if any(o.state == UNKNOWN for o in outs):
        return UNKNOWN
    return PASS


def _evidence(outs: list[Outcome], state: str, item_ptr: str | None = None, doc: Document | None = None) -> list[Evidence]:
    ev: list[Evidence] = []
    for o in outs:
        if state == PASS:
            ev.extend(o.support)
        elif o.state == state:
            ev.extend(o.problems)
    if not ev and item_ptr is not None and doc is not None:
        ev.append(doc.evidence(item_ptr, _item_quote(doc, item_ptr)))
    seen: set[tuple[Any, ...]] = set()
    out: list[Evidence] = []
    for e in ev:
        key = (e.location.page, e.location.line, e.location.pointer, e.quote)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _item_quote(doc: Document, ptr: str) -> str | None:
    v = doc.get(ptr)
    if isinstance(v, dict):
        for k in ("description", "category", "name", "claim", "alternative"):
            if isinstance(v.get(k), str):
                return quote_of(v[k])
        return None
    return quote_of(v)


def _is_absence(e: Evidence) -> bool:
    """Evidence of something not found: no quote, no page, no line (the report contract)."""
    return e.quote is None and e.location.line is None and e.location.page is None


def _long_text(doc: Document) -> bool:
    """A document read from text long enough for a second process to pay off."""
    if doc.origin != "text" or doc.text is None:
        return False
    return sum(len(u.text) for u in doc.text.units) >= PARALLEL_MIN_TEXT


class Engine:
    """Holds a loaded rule set; ``run`` judges one document."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset

    def run(self, doc: Document, options: CheckOptions | None = None) -> Report:
        with doc.memoised():  # the data cannot change while the rules read it
            return self._run(doc, options or CheckOptions())

    def _run(self, doc: Document, options: CheckOptions) -> Report:
        lang = normalise_lang(options.lang)
        facts = Facts(doc, self.ruleset.lexicons)
        regime = decide_regime(doc, self.ruleset.lexicons)
        ctx = Context(doc=doc, lexicons=self.ruleset.lexicons, facts=facts, purpose_regimes=regime.purposes)
        rules = [r for r in self.ruleset.rules if options.select is None or options.select(r)]
        if options.jobs > 1 and _long_text(doc):
            from dpia_check.checks import folded_strings
            from dpia_check.forked import shared_loop

            # built once, before the helper is forked, and shared with it: the searchable
            # strings and the facts that decide which rules apply (most rules ask for them)
            folded_strings(doc)
            for name in sorted({n for r in rules for n in _facts_in(r.applies_when)}):
                facts.outcome(name)
            helpers = min(options.jobs, MAX_RULE_PROCESSES) - 1
            findings = shared_loop(len(rules), lambda i: self._finding(rules[i], ctx, regime, lang, options), helpers=helpers)
        else:
            findings = [self._finding(rule, ctx, regime, lang, options) for rule in rules]
        findings.sort(key=Finding.sort_key)
        info = DocumentInfo(
            path=doc.path,
            format=doc.format,
            language=doc.language,
            title=doc.title,
            pages=doc.pages,
            readable=doc.readable,
            sha256=doc.sha256,
            controller=doc.controller_name,
            controller_kind=doc.controller_kind,
            version=str(doc.get("/meta/version")) if not is_empty(doc.get("/meta/version")) else None,
            date=quote_of(doc.get("/meta/date")),
            engine=doc.engine,
        )
        warnings = [
            {"code": w.code, "message": w.message, "location": w.location.to_dict()} for w in doc.warnings
        ] + [{"code": "regime", "message": n.get(lang), "location": {"path": doc.path, "page": None, "line": None, "pointer": "/processing/purposes"}} for n in regime.notes]
        regime_dict = regime.to_dict()
        regime_dict["reason_text"] = regime.reason.get(lang)
        return Report(
            tool={"name": "dpia-check", "version": __version__, "ruleset": self.ruleset.id, "ruleset_version": self.ruleset.version},
            document=info,
            findings=findings,
            fail_on=options.fail_on,
            lang=lang,
            regime=regime_dict,
            warnings=warnings,
        )

    def _finding(self, rule: Rule, ctx: Context, regime: RegimeDecision, lang: str, options: CheckOptions) -> Finding:
        doc = ctx.doc
        severity = options.severity_overrides.get(rule.id, rule.severity)
        values: dict[str, str] = {}
        evidence: list[Evidence] = []
        if not regime.applies(rule.regime):
            status = "not_applicable"
            applied_en = " and ".join(_REGIME_NAMES[r].en for r in regime.applied)
            applied_sr = " i ".join(_REGIME_NAMES[r].sr for r in regime.applied)
            values.update(rule_regime=_REGIME_NAMES[rule.regime].en, rule_regime_sr=_REGIME_NAMES[rule.regime].sr, applied=applied_en, applied_sr=applied_sr)
            template = _GENERIC_NA["regime"]
        else:
            applies = Outcome(PASS)
            if rule.applies_when is not None:
                applies = evaluate(ctx, rule.applies_when, "")
            if applies.state == FAIL:
                status = "not_applicable"
                names = [n for n in _facts_in(rule.applies_when) if not ctx.facts.holds(n)]
                values["facts_missing"] = "; ".join(f"not the case that {FACTS[n][1].en}" for n in names) or "its conditions are not met"
                values["facts_missing_sr"] = "; ".join(f"nije slučaj da {FACTS[n][1].sr}" for n in names) or "uslovi nisu ispunjeni"
                template = rule.messages.get("not_applicable") or _GENERIC_NA["facts"]
            else:
                state, evidence, values = judge_rule(rule, ctx)
                if doc.origin == "text" and doc.text is not None:
                    from dpia_check.text.judge import refine

                    state, evidence, values = refine(rule, ctx, state, evidence, values)
                if state == UNKNOWN or (applies.state == UNKNOWN and state != PASS):
                    status = "manual"
                    template = rule.messages.get("manual") or rule.messages["fail"]
                elif state == FAIL:
                    status = "warn" if rule.on_fail == "warn" else "fail"
                    missing = "missing" in rule.messages and bool(evidence) and all(_is_absence(e) for e in evidence)
                    template = rule.messages["missing"] if missing else rule.messages["fail"]
                elif state == "empty":
                    status = "warn" if rule.on_fail == "warn" else "fail"
                    template = rule.messages.get("empty") or rule.messages["fail"]
                elif state == "na":
                    status = "not_applicable"
                    template = rule.messages.get("not_applicable") or rule.messages["pass"]
                else:
                    status = "pass"
                    template = rule.messages["pass"]
        message = self._message(template, values, lang)
        if values.get("text_note") and status in ("fail", "warn", "manual"):
            message += " " + self._message(Text(values["text_note"], values.get("text_note_sr", values["text_note"])), {}, lang)
        if status == "manual" and "manual" not in rule.messages:
            message = ("Cannot tell from the document; a person must check: " if lang == "en" else "Iz dokumenta se ne može utvrditi; potrebna je provera: ") + message
        evidence = evidence[:MAX_EVIDENCE]
        pointer = next((e.location.pointer for e in evidence if e.location.pointer), "") or ""
        content = " ".join(e.quote or "" for e in evidence)
        return Finding(
            rule=rule.id,
            citation=rule.citation,
            status=status,
            severity=severity,
            title=_text_in(rule.title, lang),
            message=message,
            remediation=_text_in(rule.remediation, lang),
            evidence=evidence,
            related=rule.related,
            regime=rule.regime,
            tags=list(rule.tags),
            fingerprint=fingerprint(rule.id, doc.title or doc.path.rsplit("/", 1)[-1], pointer, content if status in ("fail", "warn") else status),
        )

    @staticmethod
    def _message(template: Text, values: dict[str, str], lang: str) -> str:
        if lang == "en":
            return _fill(template.en, values)
        sr_values = {k: values.get(k + "_sr", v) for k, v in values.items()}
        sr_values.update({k[:-3]: v for k, v in values.items() if k.endswith("_sr")})
        text = _fill(template.sr, sr_values)
        if lang == "sr-Cyrl":
            return _cyrillic(text)
        return text


def check_document(doc: Document, ruleset: RuleSet, options: CheckOptions | None = None) -> Report:
    """Library entry point: judge ``doc`` with ``ruleset``."""
    return Engine(ruleset).run(doc, options)
