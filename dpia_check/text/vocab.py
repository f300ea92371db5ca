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
from dpia_check.textprep import fold

_WORD = re.compile(r"\w+")


@dataclass
class FieldSpec:
    """Where one model field is looked for (see fields.yaml)."""

    pointer: str
    labels: tuple[str, ...]
    sections: tuple[str, ...]
    cues: Lexicon | None
    exclude: frozenset[str]
    cues_elsewhere: bool = False  # a section without a cue is read with cue sentences from elsewhere
    _label_re: re.Pattern[str] | None = None

    def is_label_cell(self, cell: str) -> bool:
        """Whether a table cell is one of the labels ("Rok čuvanja", "Odobrio"): label_re
        wants a separator and a value after the label, which a cell has not."""
        rx = self.label_re
        return rx is not None and bool(cell.strip()) and rx.match(fold(cell).strip().rstrip(":") + ": x") is not None

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
    # folded heading -> its section keys (headings repeat: running table headers, contents)
    section_keys_cache: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    _section_words: tuple[dict[str, set[str]], dict[str, set[str]], set[str]] | None = field(default=None, repr=False, compare=False)
    _cover_re: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    # The label cells of a cover table: the controller, the DPO, the date, the start of
    # processing and who approved (lexicons, and the labels of the /sign_off/by field).
    COVER_LEXICONS = ("controller_label", "dpo_label", "date_label", "start_label")

    def cover_label_re(self) -> re.Pattern[str]:
        """Matches a folded line that starts with a label of a cover-table row and a space
        (group ``label``): "data protection officer milica ciric, …"."""
        if self._cover_re is None:
            phrases = {p for name in self.COVER_LEXICONS for p in self.get(name).phrases}
            sign_off = self.fields.get("/sign_off/by")
            if sign_off is not None:
                phrases.update(sign_off.labels)
            pats = sorted({_phrase_pattern(p) for p in phrases}, key=len, reverse=True)
            self._cover_re = re.compile(r"(?P<label>" + "|".join(pats) + r")\s+(?=\S)")
        return self._cover_re

    def get(self, name: str) -> Lexicon:
        try:
            return self.lex[name]
        except KeyError:
            raise RuleError("rules/lpdp/text", f"the text mapper needs a lexicon named {name!r}") from None

    def section_candidates(self, title_folded: str) -> set[str]:
        """Section keys whose lexicon could match ``title_folded``: a match starts at a word
        that is the first word of one of its phrases (see :mod:`dpia_check.text.scan`)."""
        if self._section_words is None:
            self._section_words = self._index_sections()
        exact, prefixes, always = self._section_words
        found = set(always)
        for word in _WORD.findall(title_folded):
            keys = exact.get(word)
            if keys:
                found |= keys
            if prefixes:
                for k in range(1, len(word) + 1):
                    keys = prefixes.get(word[:k])
                    if keys:
                        found |= keys
        return found

    def _index_sections(self) -> tuple[dict[str, set[str]], dict[str, set[str]], set[str]]:
        from dpia_check.lexicon import first_words

        exact: dict[str, set[str]] = {}
        prefixes: dict[str, set[str]] = {}
        always: set[str] = set()
        for key, lex in self.section_lexicons.items():
            first = first_words(lex.phrases)
            if first is None:
                always.add(key)
                continue
            for word in first[0]:
                exact.setdefault(word, set()).add(key)
            for p in first[1]:
                prefixes.setdefault(p, set()).add(key)
        return exact, prefixes, always


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
    if vocab._section_words is None:
        vocab._section_words = vocab._index_sections()
    # the section lexicons are the cached ones: their heading index and answers are shared
    return Vocabulary(vocab.section_lexicons, vocab.fields, merged, vocab.detectors, vocab.section_keys_cache, vocab._section_words)


@lru_cache(maxsize=4)
def _load(folder_s: str) -> Vocabulary:
    """Parse once per process; across runs the user cache skips the YAML (dpia_check.rulecache)."""
    from dpia_check import rulecache

    return rulecache.cached(
        "textvocab",
        lambda: rulecache.ruleset_key(Path(folder_s), ()),
        lambda: _parse(folder_s),
        lambda hit: isinstance(hit, Vocabulary),
    )


def _parse(folder_s: str) -> Vocabulary:
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
        unknown = sorted(set(spec) - {"labels", "sections", "cues", "exclude", "cues_elsewhere"})
        if unknown:
            raise RuleError(str(folder / "fields.yaml"), f"field {ptr}: unknown key(s) {', '.join(unknown)}")
        if not isinstance(spec.get("cues_elsewhere", False), bool):
            raise RuleError(str(folder / "fields.yaml"), f"field {ptr}: cues_elsewhere must be true or false")
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
            cues_elsewhere=bool(spec.get("cues_elsewhere", False)),
        )
    lex = {str(k): lexicon_from_data(str(k), v) for k, v in (lex_raw.get("lexicons") or {}).items()}
    detectors = {str(k): v for k, v in ((det_raw or {}).get("detectors") or {}).items()}
    return Vocabulary(sections, fields, lex, detectors)


def compile_all(vocab: Vocabulary) -> None:
    """Compile every regex the text path may use (lexicons, labels, section headings).

    Run while helper processes extract a PDF's pages (see ``extract_pdf``'s
    ``while_waiting``): the regexes are compiled on demand otherwise, one by one, after
    extraction."""
    for lex in [*vocab.lex.values(), *vocab.section_lexicons.values()]:
        _ = lex.regex, lex.negation_regex
    for spec in vocab.fields.values():
        _ = spec.label_re
        if spec.cues is not None:
            _ = spec.cues.regex
    vocab.cover_label_re()


def default_vocabulary() -> Vocabulary:
    """The shipped vocabulary together with the default rule set's lexicons."""
    from dpia_check.rules import load_ruleset

    rs = load_ruleset()
    return load_vocabulary(Path(rs.path) / "text", rs.lexicons)
