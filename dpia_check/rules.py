"""Load and validate rule sets: rules are data (YAML), never code.

A rule set is a folder: ``ruleset.yaml`` (id, version, title), one file per article
(``art54.yaml``: the article's paraphrase and its rules) and ``lexicons/*.yaml``.
Every rule is validated when loaded; a malformed file is a :class:`RuleError` naming
the file, the rule and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from dpia_check.citation import Citation
from dpia_check.errors import RuleError
from dpia_check.i18n import Text
from dpia_check.lexicon import Lexicon, lexicon_from_data

SEVERITIES = ("critical", "high", "medium", "low", "info")
REGIMES = ("general", "special", "both")
RULE_ID_RE = re.compile(r"^[a-z][a-z0-9]*\.\d+(\.\d+){0,2}-[a-z0-9][a-z0-9-]*$")
# "empty": an ``each`` list with no items; "missing": a fail whose every piece of evidence
# is something absent (the fail message may then say what was wrong with a value).
MESSAGE_KEYS = ("pass", "fail", "manual", "not_applicable", "empty", "missing")


@dataclass
class Rule:
    """One requirement of the law, with everything needed to judge and explain it."""

    id: str
    citation: Citation
    severity: str
    regime: str
    title: Text
    why: Text
    remediation: Text
    messages: dict[str, Text]
    check: dict[str, Any]
    source: str
    line: int | None = None
    applies_when: dict[str, Any] | None = None
    on_fail: str = "fail"
    tags: list[str] = field(default_factory=list)
    related: dict[str, str | None] = field(default_factory=dict)
    counterpart: str | None = None
    examples: dict[str, Any] = field(default_factory=dict)
    note: Text | None = None

    @property
    def article(self) -> int:
        return self.citation.article

    def sort_key(self) -> tuple[int, int, int, str]:
        return (*self.citation.sort_key(), self.id)


@dataclass
class ArticleInfo:
    """The paraphrase of an article, for ``explain`` and the memo."""

    article: int
    title: Text
    paragraphs: dict[int, Text]
    gdpr: str | None = None
    led: str | None = None


@dataclass
class RuleSet:
    id: str
    version: str
    title: Text
    rules: list[Rule]
    articles: dict[int, ArticleInfo]
    lexicons: dict[str, Lexicon]
    path: str

    def get(self, rule_id: str) -> Rule | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None


def default_rules_dir() -> Path:
    """The shipped rule set: inside the wheel, or ``rules/`` of a source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_rules" / "lpdp"
    if packaged.is_dir():
        return packaged
    return here.parent / "rules" / "lpdp"


def _text(data: Any, where: str, key: str, path: str, line: int | None, required: bool = True) -> Text | None:
    if data is None:
        if required:
            raise RuleError(path, f"{where}: missing {key} (needs en and sr)", line=line)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("en"), str) or not isinstance(data.get("sr"), str):
        raise RuleError(path, f"{where}: {key} must have 'en' and 'sr' text", line=line)
    extra = sorted(set(data) - {"en", "sr"})
    if extra:
        raise RuleError(
            path,
            f"{where}: {key} has unexpected key {extra[0]!r}",
            line=line,
            hint="a comma inside an unquoted {en: ..., sr: ...} value splits it; quote the text",
        )
    if not data["en"].strip() or not data["sr"].strip():
        raise RuleError(path, f"{where}: {key} has empty text", line=line)
    return Text.of(data)


def _citation(data: Any, where: str, path: str, line: int | None) -> Citation:
    if not isinstance(data, dict) or not isinstance(data.get("article"), int):
        raise RuleError(path, f"{where}: citation needs an integer article", line=line)
    para = data.get("paragraph")
    point = data.get("point")
    for name, value in (("paragraph", para), ("point", point)):
        if value is not None and not isinstance(value, int):
            raise RuleError(path, f"{where}: citation {name} must be an integer or null", line=line)
    if point is not None and para is None:
        raise RuleError(path, f"{where}: a citation with a point needs its paragraph", line=line)
    return Citation(article=data["article"], paragraph=para, point=point)


def parse_rule(raw: Any, path: str, line: int | None, lexicons: dict[str, Lexicon]) -> Rule:
    """Validate one rule mapping and build a Rule."""
    from dpia_check.checks import validate_check

    if not isinstance(raw, dict):
        raise RuleError(path, "each rule must be a mapping", line=line)
    rid = raw.get("id")
    if not isinstance(rid, str) or not RULE_ID_RE.match(rid):
        raise RuleError(path, f"rule id {rid!r} must look like 'lpdp.54.6.3-short-name'", line=line)
    where = f"rule {rid}"
    known = {
        "id", "citation", "severity", "regime", "title", "why", "remediation", "messages", "check",
        "applies_when", "on_fail", "tags", "related", "counterpart", "examples", "note",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise RuleError(path, f"{where}: unknown key(s) {', '.join(unknown)}", line=line)
    citation = _citation(raw.get("citation"), where, path, line)
    expected_prefix = f"{rid.split('.', 1)[0]}.{citation.article}"
    if not (rid.startswith(expected_prefix + ".") or rid.startswith(expected_prefix + "-")):
        raise RuleError(path, f"{where}: id does not match its citation {citation.text}", line=line)
    severity = raw.get("severity")
    if severity not in SEVERITIES:
        raise RuleError(path, f"{where}: severity must be one of {', '.join(SEVERITIES)}", line=line)
    regime = raw.get("regime", "both")
    if regime not in REGIMES:
        raise RuleError(path, f"{where}: regime must be one of {', '.join(REGIMES)}", line=line)
    on_fail = raw.get("on_fail", "fail")
    if on_fail not in ("fail", "warn"):
        raise RuleError(path, f"{where}: on_fail must be fail or warn", line=line)
    msgs_raw = raw.get("messages")
    if not isinstance(msgs_raw, dict) or "pass" not in msgs_raw or "fail" not in msgs_raw:
        raise RuleError(path, f"{where}: messages needs at least pass and fail", line=line)
    messages: dict[str, Text] = {}
    for key, value in msgs_raw.items():
        if key not in MESSAGE_KEYS:
            raise RuleError(path, f"{where}: unknown message kind {key!r}", line=line)
        t = _text(value, where, f"messages.{key}", path, line)
        assert t is not None
        messages[key] = t
    check = raw.get("check")
    try:
        validate_check(check, lexicons)
        if raw.get("applies_when") is not None:
            validate_check({"require": [raw["applies_when"]]}, lexicons)
    except ValueError as exc:
        raise RuleError(path, f"{where}: {exc}", line=line) from None
    related = raw.get("related") or {}
    if not isinstance(related, dict):
        raise RuleError(path, f"{where}: related must map gdpr/led to citations", line=line)
    examples = raw.get("examples") or {}
    if not isinstance(examples, dict):
        raise RuleError(path, f"{where}: examples must be a mapping", line=line)
    tags = raw.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise RuleError(path, f"{where}: tags must be a list of words", line=line)
    title = _text(raw.get("title"), where, "title", path, line)
    why = _text(raw.get("why"), where, "why", path, line)
    remediation = _text(raw.get("remediation"), where, "remediation", path, line)
    assert title and why and remediation
    return Rule(
        id=rid,
        citation=citation,
        severity=severity,
        regime=regime,
        title=title,
        why=why,
        remediation=remediation,
        messages=messages,
        check=check if isinstance(check, dict) else {},
        source=path,
        line=line,
        applies_when=raw.get("applies_when"),
        on_fail=on_fail,
        tags=tags,
        related={k: (str(v) if v is not None else None) for k, v in related.items()},
        counterpart=raw.get("counterpart"),
        examples=examples,
        note=_text(raw.get("note"), where, "note", path, line, required=False),
    )


def _read_yaml(path: Path) -> tuple[Any, dict[str, Any]]:
    from dpia_check.errors import InputError
    from dpia_check.load.yaml_loader import decode_text, parse_yaml_text

    try:
        text = decode_text(path.read_bytes(), str(path))
        return parse_yaml_text(text, str(path))
    except InputError as exc:
        raise RuleError(exc.path, exc.message, line=exc.line, column=exc.column, hint=exc.hint) from None
    except OSError as exc:
        raise RuleError(str(path), f"cannot read rule file: {exc.strerror or exc}") from None


def load_lexicons(folder: Path) -> dict[str, Lexicon]:
    lexicons: dict[str, Lexicon] = {}
    lex_dir = folder / "lexicons"
    if lex_dir.is_dir():
        for f in sorted(lex_dir.glob("*.yaml")):
            data, _ = _read_yaml(f)
            if not isinstance(data, dict):
                raise RuleError(str(f), "a lexicon file must be a mapping of lexicon names")
            for name, body in data.items():
                if not isinstance(body, dict):
                    raise RuleError(str(f), f"lexicon {name!r} must be a mapping with phrases")
                if name in lexicons:
                    raise RuleError(str(f), f"lexicon {name!r} is defined twice")
                lexicons[name] = lexicon_from_data(name, body)
    return lexicons


def load_ruleset(folder: Path | str | None = None, extra: list[Path] | None = None) -> RuleSet:
    """Load a rule set folder (default: the shipped LPDP set) plus optional extra rule files."""
    folder = Path(folder) if folder else default_rules_dir()
    return _load_cached(str(folder.resolve()), tuple(str(p) for p in (extra or [])))


@lru_cache(maxsize=8)
def _load_cached(folder_s: str, extra: tuple[str, ...]) -> RuleSet:
    """Parse once per process; across runs the user cache skips parsing (see dpia_check.rulecache)."""
    from dpia_check import rulecache

    return rulecache.cached(
        "ruleset",
        lambda: rulecache.ruleset_key(Path(folder_s), extra),
        lambda: _parse_ruleset(folder_s, extra),
        lambda hit: isinstance(hit, RuleSet),
    )


def _parse_ruleset(folder_s: str, extra: tuple[str, ...]) -> RuleSet:
    folder = Path(folder_s)
    meta_path = folder / "ruleset.yaml"
    if not meta_path.is_file():
        raise RuleError(str(folder), "not a rule set folder (no ruleset.yaml)")
    meta, _ = _read_yaml(meta_path)
    if not isinstance(meta, dict) or "id" not in meta or "version" not in meta:
        raise RuleError(str(meta_path), "ruleset.yaml needs id and version")
    lexicons = load_lexicons(folder)
    rules: list[Rule] = []
    articles: dict[int, ArticleInfo] = {}
    files = sorted(folder.glob("art*.yaml")) + [Path(p) for p in extra]
    seen: dict[str, str] = {}
    for f in files:
        data, locs = _read_yaml(f)
        if not isinstance(data, dict):
            raise RuleError(str(f), "a rule file must be a mapping with 'rules'")
        art = data.get("article")
        if isinstance(art, int) and data.get("title") is not None:
            paras: dict[int, Text] = {}
            for k, v in (data.get("paragraphs") or {}).items():
                t = _text(v, f"article {art}", f"paragraph {k}", str(f), None)
                assert t
                paras[int(k)] = t
            title = _text(data.get("title"), f"article {art}", "title", str(f), None)
            assert title
            articles[art] = ArticleInfo(art, title, paras, data.get("gdpr"), data.get("led"))
        raw_rules = data.get("rules") or []
        if not isinstance(raw_rules, list):
            raise RuleError(str(f), "'rules' must be a list")
        for i, raw in enumerate(raw_rules):
            line_loc = locs.get(f"/rules/{i}")
            rule = parse_rule(raw, str(f), line_loc.line if line_loc else None, lexicons)
            if rule.id in seen:
                raise RuleError(str(f), f"rule id {rule.id} is defined twice (also in {seen[rule.id]})", line=rule.line)
            seen[rule.id] = str(f)
            rules.append(rule)
    rules.sort(key=Rule.sort_key)
    for r in rules:
        if r.counterpart and r.counterpart not in seen:
            raise RuleError(r.source, f"rule {r.id}: counterpart {r.counterpart} does not exist", line=r.line)
    title = _text(meta.get("title"), "ruleset", "title", str(meta_path), None)
    assert title
    return RuleSet(
        id=str(meta["id"]),
        version=str(meta["version"]),
        title=title,
        rules=rules,
        articles=articles,
        lexicons=lexicons,
        path=str(folder),
    )
