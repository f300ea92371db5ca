"""``dpia-check extract FILE``: a draft YAML DPIA read from a PDF or text DPIA.

The analyst corrects the draft and re-runs ``check`` on it as structured input. The
draft is the mapped model (:mod:`dpia_check.text.mapper`) written in the order of the
format's schema, each value followed by a comment saying where in the source it was
read (``# p. 3, line 12``), and every field that was not found written as a ``# TODO``
comment with what was searched for. The output is plain YAML that the loader reads
without warnings; the same input always gives the same bytes.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

from dpia_check.errors import InputError
from dpia_check.load import LoadOptions
from dpia_check.model import Document, join
from dpia_check.schema import DPIA_SCHEMA, SCHEMA_ID

_WIDTH = 100
_SKIP_TODO = {"waivers", "authors", "version", "status", "employees", "designated", "transfers", "new_filing_system",
              "legitimate_interest", "dpo_overruled_reason", "consent_context", "opinion_date", "reference", "triggers",
              "exception", "law", "logic", "right_to_express_view", "right_to_contest", "uses_special_categories",
              "non_discrimination", "human_review", "safeguards", "necessity", "role", "country", "purpose"}


def _scalar(value: Any) -> str:
    """One YAML scalar on one line, quoted where YAML needs it."""
    import yaml

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value is None:
        return "null"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    out = yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=10**9).strip()
    if out.endswith("\n..."):
        out = out[: -len("\n...")]
    return out.splitlines()[0] if "\n" not in text else out


def _props(schema: dict[str, Any]) -> dict[str, Any]:
    if schema.get("type") == "array" or (isinstance(schema.get("type"), list) and "array" in schema["type"]):
        return _props(schema.get("items", {}))
    return dict(schema.get("properties", {}))


class _Writer:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.lines: list[str] = []
        self.searched: dict[str, tuple[str, str]] = getattr(doc.text, "searched", {}) or {}
        self.competent = doc.get("/meta/controller/kind") == "competent_authority"

    def where(self, ptr: str) -> str:
        loc = self.doc.locations.get(ptr)
        if loc is None:
            return ""
        if loc.page is not None:
            return f"  # p. {loc.page}" + (f", line {loc.line}" if loc.line else "")
        return f"  # line {loc.line}" if loc.line else ""

    def todo(self, ptr: str, key: str, indent: str) -> None:
        note = self.searched.get(ptr)
        why = note[0] if note else "not found in the text"
        self.lines.append(f"{indent}# {key}:  # TODO: {why}")

    def value(self, key: str, value: Any, ptr: str, indent: str, schema: dict[str, Any], dash: bool = False) -> None:
        lead = f"{indent}- " if dash else indent
        sub = indent + ("  " if not dash else "    ")
        if isinstance(value, dict):
            self.lines.append(f"{lead}{key}:{self.where(ptr)}")
            self.mapping(value, ptr, sub, schema)
        elif isinstance(value, list):
            if not value:
                self.lines.append(f"{lead}{key}: []{self.where(ptr)}")
            elif all(not isinstance(v, (dict, list)) for v in value):
                self.lines.append(f"{lead}{key}: [{', '.join(_scalar(v) for v in value)}]{self.where(ptr)}")
            else:
                self.lines.append(f"{lead}{key}:{self.where(ptr)}")
                for i, item in enumerate(value):
                    self.item(item, join(ptr, i), sub, schema.get("items", {}))
        elif isinstance(value, str) and len(value) > 80:
            self.lines.append(f"{lead}{key}: >-{self.where(ptr)}")
            for line in textwrap.wrap(" ".join(value.split()), _WIDTH, break_long_words=False, break_on_hyphens=False):
                self.lines.append(f"{sub}{line}")
        else:
            self.lines.append(f"{lead}{key}: {_scalar(value)}{self.where(ptr)}")

    def item(self, item: Any, ptr: str, indent: str, schema: dict[str, Any]) -> None:
        if isinstance(item, dict):
            keys = self.ordered(item, schema)
            if not keys:
                self.lines.append(f"{indent}- {{}}")
                return
            first, rest = keys[0], keys[1:]
            self.value(first, item[first], join(ptr, first), indent, _props(schema).get(first, {}), dash=True)
            sub = indent + "  "
            for k in rest:
                self.value(k, item[k], join(ptr, k), sub, _props(schema).get(k, {}))
            for k in _props(schema):
                if k not in item and k not in _SKIP_TODO and not (k == "special_purpose" and not self.competent):
                    self.todo(join(ptr, k), k, sub)
        else:
            self.lines.append(f"{indent}- {_scalar(item)}{self.where(ptr)}")

    def ordered(self, value: dict[str, Any], schema: dict[str, Any]) -> list[str]:
        known = [k for k in _props(schema) if k in value]
        return known + sorted(k for k in value if k not in known)

    def mapping(self, value: dict[str, Any], ptr: str, indent: str, schema: dict[str, Any]) -> None:
        for k in self.ordered(value, schema):
            self.value(k, value[k], join(ptr, k), indent, _props(schema).get(k, {}))
        for k in _props(schema):
            if k not in value and k not in _SKIP_TODO:
                self.todo(join(ptr, k), k, indent)


def draft_yaml(doc: Document) -> str:
    """The draft YAML text for a document read from text."""
    w = _Writer(doc)
    engine = f", engine {doc.engine}" if doc.engine else ""
    pages = f", {doc.pages} pages" if doc.pages else ""
    w.lines += [
        f"# yaml-language-server: $schema={SCHEMA_ID}",
        f"# Draft DPIA extracted by `dpia-check extract` from {doc.path} ({doc.format}{pages}{engine},",
        f"# language {doc.language_detected}, sha256 {doc.sha256[:16]}…).",
        "# Every value was read from the text: the comment after it says where. Check each one,",
        "# fill in the TODOs, then run: dpia-check check THIS-FILE",
    ]
    data = dict(doc.data)
    data.setdefault("dpia_format", 1)
    top = _props(DPIA_SCHEMA)
    for key in [k for k in top if k in data] + sorted(k for k in data if k not in top):
        w.lines.append("")
        w.value(key, data[key], "/" + key, "", top.get(key, {}))
    for key in top:
        if key not in data and key not in _SKIP_TODO:
            w.lines.append("")
            w.todo("/" + key, key, "")
    return "\n".join(w.lines) + "\n"


def run_extract(file: Path, output: Path | None, options: LoadOptions) -> None:
    """Write the draft for ``file`` to ``output`` (stdout when None)."""
    import sys

    from dpia_check.load import YAML_SUFFIXES, load_document
    from dpia_check.output import refuse_overwriting, write_atomic

    if Path(file).suffix.lower() in YAML_SUFFIXES:
        raise InputError(str(file), "is already a YAML DPIA; extract reads PDF, .txt or .md", hint=f"run: dpia-check check {file}")
    if output is not None:
        refuse_overwriting([output], [file], "the document being extracted")
    doc = load_document(Path(file), options)
    if doc.origin != "text":
        raise InputError(str(file), "is not a PDF or text DPIA", hint="extract reads PDF, .txt or .md")
    text = draft_yaml(doc)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
