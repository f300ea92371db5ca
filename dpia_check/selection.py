"""Choose which rules run and at what severity: by id, glob, article or tag.

A selector that matches nothing is an error, never an empty selection: a typo in
``--ignore`` must not silently leave a rule on, and a typo in ``--select`` must not
silently turn the whole check into "no findings".

Selector forms (case-insensitive where it makes sense):

* a rule id: ``lpdp.54.6.3-risk-assessment``
* a glob over rule ids: ``lpdp.54.6.*``, ``*-measures``
* an article, optionally narrowed to a paragraph and point: ``art54``, ``art54.6``,
  ``art54.6.3`` or ``art54(6)(3)``
* a tag from the rule files: ``risk`` or ``tag:risk``
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from dpia_check.config import DEFAULT, Origin
from dpia_check.rules import Rule, RuleSet

_ARTICLE = re.compile(r"^art\.?\s*(\d+)(?:[.(](\d+)\)?)?(?:[.(](\d+)\)?)?$", re.I)
_GLOB_CHARS = set("*?[")


class SelectorError(ValueError):
    """A selector that matches no rule (with a suggestion when one is close)."""

    def __init__(self, selector: str, hint: str) -> None:
        super().__init__(f"unknown rule, article or tag {selector!r}")
        self.selector = selector
        self.hint = hint


def match(selector: str, ruleset: RuleSet) -> list[Rule]:
    """The rules a selector names; raises SelectorError when it names none."""
    sel = selector.strip()
    exact = ruleset.get(sel)
    if exact is not None:
        return [exact]
    art = _ARTICLE.match(sel)
    if art:
        nums = [int(g) if g is not None else None for g in art.groups()]
        found = [r for r in ruleset.rules if _cites(r, nums[0], nums[1], nums[2])]
        if found:
            return found
        raise SelectorError(sel, "no rule of this rule set cites that provision; see `dpia-check rules list`")
    if _GLOB_CHARS & set(sel):
        found = [r for r in ruleset.rules if fnmatch.fnmatchcase(r.id, sel)]
        if found:
            return found
        raise SelectorError(sel, "the pattern matches no rule id; see `dpia-check rules list`")
    tag = sel[4:] if sel.lower().startswith("tag:") else sel
    found = [r for r in ruleset.rules if tag in r.tags]
    if found:
        return found
    return _unknown(sel, ruleset)


def _cites(rule: Rule, article: int | None, paragraph: int | None, point: int | None) -> bool:
    c = rule.citation
    return c.article == article and (paragraph is None or c.paragraph == paragraph) and (point is None or c.point == point)


def _unknown(sel: str, ruleset: RuleSet) -> list[Rule]:
    names = [r.id for r in ruleset.rules] + sorted({t for r in ruleset.rules for t in r.tags})
    close = difflib.get_close_matches(sel, names, n=3, cutoff=0.6)
    hint = ("did you mean " + ", ".join(close) + "?") if close else "use a rule id, a glob (lpdp.54.*), an article (art54) or a tag (risk)"
    raise SelectorError(sel, hint)


def _resolve(selectors: Iterable[str], ruleset: RuleSet, origin: Origin) -> list[Rule]:
    out: list[Rule] = []
    for sel in selectors:
        try:
            out.extend(match(sel, ruleset))
        except SelectorError as exc:
            raise origin.error(str(exc), hint=exc.hint) from None
    return out


@dataclass(frozen=True)
class Selection:
    """The rule ids to run (None = all) and per-rule severity overrides; picklable."""

    rule_ids: frozenset[str] | None = None
    severity: Mapping[str, str] = field(default_factory=dict)

    def predicate(self) -> Callable[[Rule], bool] | None:
        """For CheckOptions.select (None keeps every rule)."""
        ids = self.rule_ids
        if ids is None:
            return None
        return lambda rule: rule.id in ids


def build(
    ruleset: RuleSet,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    severity: Mapping[str, str] | None = None,
    origins: Mapping[str, Origin] | None = None,
) -> Selection:
    """Resolve selectors against the rule set; unknown ones are InputErrors at their origin."""
    origins = origins or {}
    ids: set[str] | None = None
    if select:
        ids = {r.id for r in _resolve(select, ruleset, origins.get("select", DEFAULT))}
    if ignore:
        dropped = {r.id for r in _resolve(ignore, ruleset, origins.get("ignore", DEFAULT))}
        ids = (ids if ids is not None else {r.id for r in ruleset.rules}) - dropped
    overrides: dict[str, str] = {}
    for sel, level in (severity or {}).items():
        for rule in _resolve([sel], ruleset, origins.get("severity", DEFAULT)):
            overrides[rule.id] = level
    return Selection(frozenset(ids) if ids is not None else None, overrides)
