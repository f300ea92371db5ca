"""The text vocabulary: heading, field and cue phrase lists, loaded once and compiled lazily.

Data lives beside the rules (``rules/lpdp/text/*.yaml``) so analysts can extend the
words the tool understands without touching code; the rule set's own lexicons
(``biometric_terms``, ``face_recognition``, ``profiling_terms`` ...) are reused as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from dpia_check.errors import RuleError
from dpia_check.lexicon import Lexicon, _phrase_pattern, lexicon_from_data


@dataclass
class FieldSpec:
    """Where one model field is looked for (see fields.yaml)."""

    pointer: str
    labels: tuple[str, ...]
    sections: tuple[str, ...]
    cues: Lexicon | None
    exclude: frozenset[str]
    _label_re: re.Pattern[str] | None = None

    @property
    def label_re(self) -> re.Pattern[str] | None:
        """Matches a folded unit that starts with one of the labels and a colon or dash."""
        if not self.labels:
            return None
        if self._label_re is None:
            pats = sorted({_phrase_pattern(p) for p in self.labels}, key=len, reverse=True)
            self._label_re = re.compile(r"^\s*(?:" + "|".join(pats) + r")\s*(?:\([^)]{0,60}\))?\s*(?::|–|—|\s-\s)\s*")
        return self._label_re


@dataclass
class Vocabulary:
    """Everything the text path needs to know about words, in one object."""

    section_lexicons: dict[str, Lexicon]
    fields: dict[str, FieldSpec]
    lex: dict[str, Lexicon]
    detectors: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, name: str) -> Lexicon:
        try:
            return self.lex[name]
        except KeyError:
            raise RuleError("rules/lpdp/text", f"the text mapper needs a lexicon named {name!r}") from None


def _read(path: Path) -> Any:
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=loader)  # noqa: S506 - a safe loader
    except OSError as exc:
        raise RuleError(str(path), f"cannot read text vocabulary: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise RuleError(str(path), f"malformed YAML: {exc}") from None


def _phrases(data: Any, where: str) -> list[str]:
    if isinstance(data, list):
        return [str(p) for p in data]
    if isinstance(data, dict):
        return [str(p) for v in data.values() for p in (v or [])]
    raise RuleError(where, "expected a list of phrases or a mapping of language -> phrases")


def load_vocabulary(folder: Path, rule_lexicons: dict[str, Lexicon]) -> Vocabulary:
    """Load ``folder`` (``rules/lpdp/text``); cached per folder."""
    vocab = _load(str(folder.resolve()))
    merged = dict(rule_lexicons)
    merged.update(vocab.lex)
    return Vocabulary(vocab.section_lexicons, vocab.fields, merged, vocab.detectors)


@lru_cache(maxsize=4)
def _load(folder_s: str) -> Vocabulary:
    folder = Path(folder_s)
    sections_raw = _read(folder / "sections.yaml") or {}
    fields_raw = _read(folder / "fields.yaml") or {}
    lex_raw = _read(folder / "lexicons.yaml") or {}
    det_path = folder / "detectors.yaml"
    det_raw = _read(det_path) if det_path.is_file() else {}
    sections = {
        str(k): Lexicon(name=f"section:{k}", description="", phrases=_phrases(v, str(folder / "sections.yaml")))
        for k, v in (sections_raw.get("sections") or {}).items()
    }
    fields: dict[str, FieldSpec] = {}
    for ptr, spec in (fields_raw.get("fields") or {}).items():
        if not isinstance(spec, dict):
            raise RuleError(str(folder / "fields.yaml"), f"field {ptr}: expected a mapping")
        unknown = sorted(set(spec) - {"labels", "sections", "cues", "exclude"})
        if unknown:
            raise RuleError(str(folder / "fields.yaml"), f"field {ptr}: unknown key(s) {', '.join(unknown)}")
        for key in spec.get("sections") or []:
            if key not in sections:
                raise RuleError(str(folder / "fields.yaml"), f"field {ptr}: unknown section key {key!r}")
        cues = spec.get("cues")
        fields[str(ptr)] = FieldSpec(
            pointer=str(ptr),
            labels=tuple(str(x) for x in spec.get("labels") or []),
            sections=tuple(str(x) for x in spec.get("sections") or []),
            cues=Lexicon(name=f"cues:{ptr}", description="", phrases=[str(c) for c in cues]) if cues else None,
            exclude=frozenset(str(x) for x in spec.get("exclude") or []),
        )
    lex = {str(k): lexicon_from_data(str(k), v) for k, v in (lex_raw.get("lexicons") or {}).items()}
    detectors = {str(k): v for k, v in ((det_raw or {}).get("detectors") or {}).items()}
    return Vocabulary(sections, fields, lex, detectors)


def default_vocabulary() -> Vocabulary:
    """The shipped vocabulary together with the default rule set's lexicons."""
    from dpia_check.rules import load_ruleset

    rs = load_ruleset()
    return load_vocabulary(Path(rs.path) / "text", rs.lexicons)
