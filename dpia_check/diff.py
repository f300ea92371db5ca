"""Compare two versions of a DPIA: which gaps were closed, which are new, which changed.

Both versions are judged with the same rules and options, then findings are paired by
rule id. A *gap* is a ``fail`` or ``warn`` finding. Waivers and baselines do not apply
here: a diff is about what the documents themselves say. YAML and PDF may be mixed;
then evidence locations differ by nature, so evidence is compared by its quoted text.

* closed: a gap in OLD, ``pass`` or ``not_applicable`` in NEW (the NEW message says why);
* new: a gap in NEW only;
* changed: a gap in both whose status, severity, message or evidence differs;
* unchanged: a gap in both, word for word the same;
* other: a change to or from ``manual`` (a person must look), e.g. a gap that became ``manual``.

Changes between ``pass`` and ``not_applicable`` are not listed: neither is a gap. When
the regime differs between versions, a gap under one regime's provision and the same
gap under the counterpart provision (Art. 54(6) and 54(8), say) are paired, not
reported as one closed and one new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dpia_check.citation import Citation
from dpia_check.i18n import tr
from dpia_check.load import LoadOptions
from dpia_check.report.model import SEVERITY_ORDER, Finding, Report

GAP = ("fail", "warn")
KINDS = ("closed", "new", "changed", "unchanged", "other")


@dataclass
class Change:
    """One rule whose finding differs between versions (or is an unchanged gap)."""

    kind: str
    rule: str
    citation: Citation
    title: str
    severity: str
    old: Finding | None
    new: Finding | None
    differs: list[str] = field(default_factory=list)
    old_rule: str | None = None  # set when OLD's gap was under the counterpart rule (regime moved)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "old_rule": self.old_rule or self.rule,
            "citation": self.citation.to_dict(),
            "title": self.title,
            "severity": self.severity,
            "old": _side(self.old),
            "new": _side(self.new),
            "differs": self.differs,
        }


def _side(f: Finding | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {"status": f.status, "severity": f.severity, "message": f.message, "evidence": [e.to_dict() for e in f.evidence]}


@dataclass
class DiffResult:
    old: Report
    new: Report
    changes: list[Change]

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def summary(self) -> dict[str, int]:
        return {k: len(self.of(k)) for k in KINDS}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tool": self.new.tool,
            "old": {"document": self.old.document.to_dict(), "summary": self.old.summary},
            "new": {"document": self.new.document.to_dict(), "summary": self.new.summary},
            "summary": self.summary,
        }
        for k in KINDS:
            out[k] = [c.to_dict() for c in self.of(k)]
        return out


def _quotes(f: Finding) -> list[str]:
    return [" ".join((e.quote or "").split()).lower() for e in f.evidence]


def _differences(a: Finding, b: Finding) -> list[str]:
    out = []
    if a.status != b.status:
        out.append("status")
    if a.severity != b.severity:
        out.append("severity")
    if a.message != b.message:
        out.append("message")
    if _quotes(a) != _quotes(b):
        out.append("evidence")
    return out


def compare(old: Report, new: Report, counterparts: dict[str, str] | None = None) -> DiffResult:
    """Pair findings by rule id and sort each pair into closed/new/changed/unchanged/other.

    ``counterparts`` (rule id -> the same duty in the other regime) pairs a gap that
    moved regime: a gap under Art. 54(6) in OLD and under Art. 54(8) in NEW, because the
    controller's regime was judged differently, is one gap that carried over, not one
    closed and one new.
    """
    olds = {f.rule: f for f in old.findings}
    news = {f.rule: f for f in new.findings}
    moved: dict[str, str] = {}  # NEW rule -> OLD counterpart rule
    for rule, other in (counterparts or {}).items():
        a_same, b_same, a_other, b_other = olds.get(rule), news.get(rule), olds.get(other), news.get(other)
        if (
            b_same is not None and b_same.status in GAP
            and (a_same is None or a_same.status == "not_applicable")
            and a_other is not None and a_other.status in GAP
            and (b_other is None or b_other.status == "not_applicable")
        ):
            moved[rule] = other
    skip = set(moved.values())
    order = sorted((set(olds) | set(news)) - skip, key=lambda r: (news.get(r) or olds[r]).sort_key())
    changes: list[Change] = []
    for rule in order:
        a, b = olds.get(moved.get(rule, rule)), news.get(rule)
        ref = b or a
        assert ref is not None
        a_gap = a is not None and a.status in GAP
        b_gap = b is not None and b.status in GAP
        differs: list[str] = []
        if a_gap and b_gap:
            assert a is not None and b is not None
            differs = _differences(a, b) + (["regime"] if rule in moved else [])
            kind = "changed" if differs else "unchanged"
        elif a_gap:
            kind = "closed" if b is None or b.status in ("pass", "not_applicable") else "other"
        elif b_gap:
            kind = "new"
        elif a is not None and b is not None and a.status != b.status and "manual" in (a.status, b.status):
            kind = "other"
        else:
            continue
        changes.append(Change(kind, rule, ref.citation, ref.title, ref.severity, a, b, differs, old_rule=moved.get(rule)))
    return DiffResult(old, new, changes)


def exit_code(result: DiffResult, fail_on: str) -> int:
    """1 when a new ``fail`` gap is at or above ``fail_on`` (for ``--fail-on-new``)."""
    threshold = SEVERITY_ORDER[fail_on]
    for c in result.of("new"):
        if c.new is not None and c.new.status == "fail" and SEVERITY_ORDER[c.new.severity] >= threshold:
            return 1
    return 0


# -- rendering ------------------------------------------------------------------------

_HEADINGS = {
    "closed": ("Gaps closed", "Zatvoreni nedostaci"),
    "new": ("New gaps", "Novi nedostaci"),
    "changed": ("Gaps that changed", "Izmenjeni nedostaci"),
    "unchanged": ("Gaps still open, unchanged", "Nedostaci koji su ostali isti"),
    "other": ("Other status changes", "Ostale promene statusa"),
}
_MARK = {"closed": "✓", "new": "✗", "changed": "~", "unchanged": "•", "other": "?"}


def _doc_line(r: Report) -> str:
    s = r.summary
    return f"{r.document.title or r.document.path} ({r.document.path}) — fail {s['fail']}, warn {s['warn']}, manual {s['manual']}, pass {s['pass']}"


def _ev(f: Finding, limit: int = 3) -> list[str]:
    out = []
    for e in f.evidence[:limit]:
        loc = e.location
        where = loc.short() + (f" {loc.pointer}" if loc.pointer and loc.page is None else "")
        out.append(where + (f" “{e.quote}”" if e.quote else ""))
    return out


def render_text(result: DiffResult) -> str:
    lang = result.new.lang
    lines = [tr(lang, "old: ", "stara: ") + _doc_line(result.old), tr(lang, "new: ", "nova: ") + _doc_line(result.new)]
    for kind in KINDS:
        items = result.of(kind)
        if not items:
            continue
        lines += ["", f"{tr(lang, *_HEADINGS[kind])} ({len(items)})"]
        for c in items:
            lines.append(f"  {_MARK[kind]} {c.citation.text_in(lang):<15} {c.severity:<8} {c.title}  [{c.rule}]")
            if kind == "unchanged":
                continue
            if c.old is not None and (kind != "new" or c.old.status != "pass"):  # a new gap: say why it was not one before
                lines.append(f"      {tr(lang, 'was', 'bilo')} {c.old.status}: {c.old.message}")
            if c.new is not None:
                lines.append(f"      {tr(lang, 'now', 'sada')} {c.new.status}: {c.new.message}")
                if c.new.status in GAP:
                    lines += [f"        ↳ {e}" for e in _ev(c.new)]
            if c.differs:
                lines.append("      " + tr(lang, "differs in: ", "razlika u: ") + ", ".join(c.differs))
            if c.old_rule:
                lines.append("      " + tr(lang, "was under ", "bilo po ") + c.old_rule)
    s = result.summary
    lines += ["", tr(lang, "Summary: ", "Ukupno: ") + ", ".join(f"{s[k]} {k}" for k in KINDS)]
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    """DPIA titles and quotes in the diff's Markdown: the memo's escaping (no emphasis, links,
    HTML, entities or table breaks)."""
    from dpia_check.report.mdtext import md_escape

    return md_escape(text)


def render_markdown(result: DiffResult) -> str:
    lang = result.new.lang
    s = result.summary
    out = [
        f"# {tr(lang, 'DPIA version comparison', 'Poređenje verzija procene uticaja')}",
        "",
        f"- **{tr(lang, 'Old', 'Stara')}:** {_md_escape(_doc_line(result.old))}",
        f"- **{tr(lang, 'New', 'Nova')}:** {_md_escape(_doc_line(result.new))}",
        "",
        "| " + " | ".join(k for k in KINDS) + " |",
        "|" + "---|" * len(KINDS),
        "| " + " | ".join(str(s[k]) for k in KINDS) + " |",
    ]
    for kind in KINDS:
        items = result.of(kind)
        if not items:
            continue
        out += ["", f"## {tr(lang, *_HEADINGS[kind])} ({len(items)})", ""]
        out.append(f"| {tr(lang, 'Provision', 'Odredba')} | {tr(lang, 'Rule', 'Pravilo')} | {tr(lang, 'Severity', 'Težina')} | {tr(lang, 'Old', 'Stara')} | {tr(lang, 'New', 'Nova')} |")
        out.append("|---|---|---|---|---|")
        for c in items:
            old = f"{c.old.status}: {c.old.message}" if c.old is not None else "—"
            new = f"{c.new.status}: {c.new.message}" if c.new is not None else "—"
            if kind == "unchanged":
                old, new = c.old.status if c.old else "—", c.new.status if c.new else "—"
            out.append(f"| {c.citation.text_in(lang)} | `{c.rule}` {_md_escape(c.title)} | {c.severity} | {_md_escape(old)} | {_md_escape(new)} |")
    return "\n".join(out) + "\n"


def render(result: DiffResult, fmt: str) -> str:
    from dpia_check.errors import InputError
    from dpia_check.report.json_out import dumps

    if fmt == "json":
        return dumps(result.to_dict())
    if fmt in ("md", "markdown"):
        return render_markdown(result)
    if fmt == "text":
        return render_text(result)
    raise InputError("--format", f"unknown diff format {fmt!r}", hint="use text, json or md")


# -- the command ------------------------------------------------------------------------


@dataclass
class DiffRun:
    """The choices of one ``dpia-check diff`` (``None`` = from the config, else default)."""

    old: Path
    new: Path
    fmt: str = "text"
    output: Path | None = None
    lang: str | None = None
    config: Path | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on_new: bool = False
    load: LoadOptions | None = None
    isolated: bool = False  # read no config file


def diff_files(run: DiffRun) -> tuple[DiffResult, str]:
    """Judge both files with the same rules and options and compare; also the fail_on used."""
    from dpia_check import config, selection
    from dpia_check.engine import CheckOptions, Engine
    from dpia_check.load import load_document
    from dpia_check.rules import load_ruleset

    cli = {"lang": run.lang, "select": run.select or None, "ignore": run.ignore or None}
    settings = config.load_settings([run.old, run.new], cli=cli, explicit=run.config, isolated=run.isolated)
    ruleset = load_ruleset()
    chosen = selection.build(ruleset, settings["select"], settings["ignore"], settings["severity"], settings.origins)
    options = CheckOptions(lang=settings["lang"], fail_on=settings["fail_on"], select=chosen.predicate(), severity_overrides=dict(chosen.severity))
    engine = Engine(ruleset)
    reports = [engine.run(load_document(p, run.load), options) for p in (run.old, run.new)]
    counterparts = {r.id: r.counterpart for r in ruleset.rules if r.counterpart}
    return compare(reports[0], reports[1], counterparts), settings["fail_on"]


def run_diff(run: DiffRun) -> int:
    """Render the comparison to stdout or ``--output``; exit 1 only with --fail-on-new."""
    import sys

    from dpia_check.output import refuse_overwriting, write_atomic

    if run.output is not None:
        refuse_overwriting([run.output], [run.old, run.new], "a DPIA being compared")
    result, fail_on = diff_files(run)
    text = render(result, run.fmt)
    if run.output is not None:
        write_atomic(run.output, text)
    else:
        sys.stdout.write(text)
    return exit_code(result, fail_on) if run.fail_on_new else 0
