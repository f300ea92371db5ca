"""Build the documents behind a rule's examples: a base DPIA with the example merged in.

Rules carry a passing and a failing example (YAML snippets). Merged onto a sound base
DPIA (general or special-purpose regime) they become the rule's test fixtures and the
examples ``explain`` prints, so documentation and tests cannot drift apart.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from dpia_check.load.yaml_loader import document_from_data, parse_yaml_text
from dpia_check.model import Document
from dpia_check.rules import Rule

BASES = {"general": "hospital-booking.dpia.yaml", "special": "border-anpr.dpia.yaml"}


def deep_merge(base: Any, patch: Any) -> Any:
    """Mappings merge key by key; a ``null`` in the patch deletes the key; anything else replaces."""
    if isinstance(base, dict) and isinstance(patch, dict):
        out = dict(base)
        for k, v in patch.items():
            if v is None:
                out.pop(k, None)
            elif k in out:
                out[k] = deep_merge(out[k], v)
            else:
                out[k] = copy.deepcopy(v)
        return out
    return copy.deepcopy(patch)


def example_document(rule: Rule, kind: str, samples_dir: Path) -> Document:
    """The document for ``rule``'s ``kind`` (pass/fail) example."""
    ex = rule.examples
    base_name = BASES[ex.get("base", "general")]
    base_path = samples_dir / base_name
    base, locations = parse_yaml_text(base_path.read_text(encoding="utf-8"), str(base_path))
    patch, _ = parse_yaml_text(ex[kind], f"{rule.id}:{kind}")
    merged = deep_merge(base, patch)
    return document_from_data(merged, locations, f"{rule.id}.{kind}.yaml")
