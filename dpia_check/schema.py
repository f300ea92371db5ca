"""The JSON Schema of the DPIA YAML format (version 1) and a small validator for it.

One definition serves three jobs: ``dpia-check schema`` prints it for editors, the
YAML loader validates types against it (wrong type = unusable input, exit 2), and
unknown keys found against it become warnings (a typo must not hide a section).
The validator implements only the keywords used here, so no runtime dependency.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator
from typing import Any

FORMAT_VERSION = 1
SCHEMA_ID = "https://dpia-check.github.io/schema/dpia-1.schema.json"

_TEXT = {"type": "string"}
_LEVEL = {"type": "string", "enum": ["low", "medium", "high"]}
_DATE = {"type": "string", "format": "date"}
_BOOL = {"type": "boolean"}


def _obj(props: dict[str, Any], description: str | None = None, required: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": True}
    if description:
        out["description"] = description
    if required:
        out["required"] = required
    return out


def _arr(items: dict[str, Any], description: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "array", "items": items}
    if description:
        out["description"] = description
    return out


def _d(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {**schema, "description": description}


_TEXT_OR_LIST = {"type": ["string", "array"], "items": {"type": "string"}}

DPIA_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "DPIA (dpia-check format 1)",
    "description": "A Data Protection Impact Assessment under the Serbian LPDP (Art. 54), structured for checking.",
    "type": "object",
    "additionalProperties": True,
    "required": ["dpia_format"],
    "properties": {
        "dpia_format": {"type": "integer", "enum": [FORMAT_VERSION], "description": "Format version; 1."},
        "meta": _obj(
            {
                "title": _TEXT,
                "language": {"type": "string", "enum": ["en", "sr-Latn", "sr-Cyrl"]},
                "version": {"type": ["string", "number"]},
                "date": _d(_DATE, "Date of this DPIA version."),
                "status": {"type": "string", "enum": ["draft", "final", "submitted", "approved"]},
                "processing_start": _d(_DATE, "When the processing started or will start (Art. 54(1): the DPIA comes first)."),
                "controller": _obj(
                    {
                        "name": _TEXT,
                        "kind": _d(
                            {"type": "string", "enum": ["competent_authority", "public_authority", "private"]},
                            "competent_authority = police, prosecution and others under Art. 4(26) LPDP.",
                        ),
                        "employees": {"type": "integer"},
                    }
                ),
                "dpo": _obj({"name": _TEXT, "contact": _TEXT, "designated": _BOOL}),
                "authors": _arr(_TEXT),
            },
            "Title, language, version and the controller.",
        ),
        "processing": _obj(
            {
                "description": _d(_TEXT, "Systematic description: nature, scope, context and purposes."),
                "purposes": _arr(
                    _obj(
                        {
                            "id": _TEXT,
                            "description": _TEXT,
                            "special_purpose": _d(_BOOL, "True when a competent authority processes for 'special purposes' (Art. 6(3))."),
                            "legitimate_interest": _TEXT,
                        }
                    )
                ),
                "operations": _TEXT_OR_LIST,
                "data_subjects": _arr(
                    _obj(
                        {
                            "category": _TEXT,
                            "approx_count": {"type": "integer"},
                            "vulnerable": _BOOL,
                            "children": _BOOL,
                        }
                    )
                ),
                "data_categories": _arr(
                    _obj(
                        {
                            "category": _TEXT,
                            "special": _d(
                                {"type": ["string", "boolean", "null"]},
                                "Special category per Art. 17(1)/18 (biometric, health, genetic, political_opinion, ...), or false.",
                            ),
                            "source": _TEXT,
                        }
                    )
                ),
                "scale": _obj(
                    {
                        "devices": {"type": "integer"},
                        "area": _TEXT,
                        "subjects": {"type": "integer"},
                        "locations": {"type": "integer"},
                    }
                ),
                "technologies": _arr(_obj({"name": _TEXT, "new": _BOOL, "supplier": _TEXT, "description": _TEXT})),
                "recipients": _arr(_obj({"name": _TEXT, "legal_basis": _TEXT, "purpose": _TEXT})),
                "processors": _arr(_obj({"name": _TEXT, "contract": _BOOL, "country": _TEXT, "role": _TEXT})),
                "transfers": _arr(_obj({"country": _TEXT, "mechanism": _TEXT})),
                "retention": {"type": ["string", "object"]},
                "data_flow": _TEXT,
                "new_filing_system": _d(_BOOL, "Creates a new filing system (Art. 55(3) trigger for competent authorities)."),
                "automated_decisions": _obj(
                    {
                        "solely_automated": _BOOL,
                        "profiling": _BOOL,
                        "description": _TEXT,
                        "legal_effects": _BOOL,
                        "exception": _d(
                            {"type": "string", "enum": ["contract", "law", "explicit_consent", "none"]},
                            "Art. 38(2) exception relied on for solely automated decisions.",
                        ),
                        "law": _TEXT,
                        "human_review": _TEXT,
                        "right_to_express_view": _TEXT,
                        "right_to_contest": _TEXT,
                        "safeguards": _TEXT,
                        "logic": _TEXT,
                        "uses_special_categories": _BOOL,
                        "non_discrimination": _TEXT,
                    }
                ),
            },
            "Systematic description of the processing.",
        ),
        "legal_basis": _arr(
            _obj(
                {
                    "id": _TEXT,
                    "purposes": _arr(_TEXT),
                    "lpdp": _d(_TEXT, "The LPDP provision relied on, e.g. 'Art. 12(1)(5)' or 'Art. 13'."),
                    "law": _d(_TEXT, "The specific law and provision that provides for the processing."),
                    "explanation": _TEXT,
                    "necessity": _TEXT,
                }
            ),
            "Legal basis per purpose (Art. 12-14).",
        ),
        "special_categories": _arr(
            _obj(
                {
                    "category": _TEXT,
                    "purposes": _d(
                        _arr(_TEXT),
                        "Ids of the purposes this category serves; in a mixed DPIA it is judged under Art. 17 for general and Art. 18 for special purposes.",
                    ),
                    "for_unique_identification": _BOOL,
                    "condition": _TEXT,
                    "law": _TEXT,
                    "safeguards": _TEXT,
                    "necessity": _TEXT,
                    "consent_context": _TEXT,
                }
            ),
            "One entry per special category processed (Art. 17 / 18).",
        ),
        "necessity_proportionality": _obj(
            {
                "necessity": _TEXT,
                "proportionality": _TEXT,
                "alternatives": _arr(_obj({"alternative": _TEXT, "rejected_because": _TEXT})),
                "evidence": _arr(_obj({"claim": _TEXT, "source": _TEXT})),
                "data_minimisation": _TEXT,
                "storage_limitation": _TEXT,
                "accuracy": _TEXT,
                "transparency": _TEXT,
                "data_subject_rights": _TEXT,
            }
        ),
        "risks": _arr(
            _obj(
                {
                    "id": _TEXT,
                    "description": _TEXT,
                    "rights_affected": _arr(_TEXT),
                    "likelihood": _LEVEL,
                    "severity": _LEVEL,
                    "measures": _arr(_TEXT),
                    "residual": _obj({"likelihood": _LEVEL, "severity": _LEVEL}),
                }
            ),
            "Risks to the rights and freedoms of data subjects.",
        ),
        "measures": _arr(
            _obj(
                {
                    "id": _TEXT,
                    "kind": {"type": "string", "enum": ["technical", "organisational", "staff"]},
                    "description": _TEXT,
                    "status": {"type": "string", "enum": ["planned", "implemented"]},
                    "owner": _TEXT,
                }
            )
        ),
        "consultation": _obj(
            {
                "dpo_advice": _TEXT,
                "dpo_advice_followed": _BOOL,
                "dpo_overruled_reason": _TEXT,
                "data_subjects_views": _TEXT,
                "commissioner": _obj(
                    {"required": _BOOL, "submitted": _DATE, "outcome": _TEXT, "opinion_date": _DATE, "reference": _TEXT}
                ),
            }
        ),
        "review": _obj({"schedule": _TEXT, "next": _DATE, "triggers": _TEXT_OR_LIST}),
        "sign_off": _obj({"by": _TEXT, "date": _DATE}),
        "waivers": _arr(
            _obj(
                {
                    "rule": _TEXT,
                    "target": _TEXT,
                    "reason": _TEXT,
                    "owner": _TEXT,
                    "approved_by": _TEXT,
                    "expires": _DATE,
                }
            )
        ),
    },
}

def _nullable(schema: dict[str, Any], top: bool = True) -> None:
    """Every optional field may be left empty (null): an empty section is a finding, not an error."""
    for name, prop in schema.get("properties", {}).items():
        if not (top and name == "dpia_format"):
            t = prop.get("type")
            if isinstance(t, str) and t != "null":
                prop["type"] = [t, "null"]
            elif isinstance(t, list) and "null" not in t:
                prop["type"] = [*t, "null"]
            if "enum" in prop and None not in prop["enum"]:
                prop["enum"] = [*prop["enum"], None]
        _nullable(prop, top=False)
    if isinstance(schema.get("items"), dict):
        _nullable(schema["items"], top=False)


_nullable(DPIA_SCHEMA)

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SchemaIssue:
    """One mismatch between a value and the schema."""

    def __init__(self, pointer: str, kind: str, message: str) -> None:
        self.pointer = pointer
        self.kind = kind  # "type" (fatal) | "enum" (fatal) | "unknown-key" (warning)
        self.message = message


def _type_ok(value: Any, types: list[str], fmt: str | None) -> bool:
    for t in types:
        if t == "string":
            if isinstance(value, str):
                return True
            if fmt == "date" and isinstance(value, (_dt.date, _dt.datetime)):
                return True
        elif t == "integer" and isinstance(value, int) and not isinstance(value, bool):
            return True
        elif t == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        elif t == "boolean" and isinstance(value, bool):
            return True
        elif t == "null" and value is None:
            return True
        elif t == "array" and isinstance(value, list):
            return True
        elif t == "object" and isinstance(value, dict):
            return True
    return False


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    return type(value).__name__


_NAMES = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
          "array": "a list", "object": "a mapping", "null": "null"}


def validate(data: Any, schema: dict[str, Any] = DPIA_SCHEMA, pointer: str = "") -> Iterator[SchemaIssue]:
    """Yield schema issues in document order. ``null`` is accepted for any optional field
    (an empty section is a finding for the rules, not a parse error)."""
    if data is None and pointer:
        return
    types = schema.get("type")
    if types is not None:
        tlist = types if isinstance(types, list) else [types]
        if not _type_ok(data, tlist, schema.get("format")):
            want = " or ".join(_NAMES[t] for t in tlist)
            yield SchemaIssue(pointer, "type", f"expected {want}, found {_describe(data)}")
            return
    if "enum" in schema and data not in schema["enum"]:
        allowed = ", ".join(str(v) for v in schema["enum"])
        yield SchemaIssue(pointer, "enum", f"value {data!r} is not one of: {allowed}")
        return
    if schema.get("format") == "date" and isinstance(data, str) and not _DATE_RE.match(data.strip()):
        yield SchemaIssue(pointer, "type", f"expected a date as YYYY-MM-DD, found {data!r}")
        return
    if isinstance(data, dict):
        props = schema.get("properties", {})
        for key, value in data.items():
            child = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key in props:
                yield from validate(value, props[key], child)
            elif props:
                yield SchemaIssue(child, "unknown-key", f"unknown key {key!r}" + _suggest(str(key), list(props)))
    elif isinstance(data, list) and "items" in schema:
        for i, item in enumerate(data):
            yield from validate(item, schema["items"], f"{pointer}/{i}")


def _suggest(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""
