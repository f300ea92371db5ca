"""Generated documentation stays true: docs/rules.md matches the rule files, links resolve."""

from __future__ import annotations

import re

from dpia_check.ruledocs import rules_markdown
from tests.conftest import ROOT


def test_rule_reference_is_current() -> None:
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == rules_markdown("en"), "regenerate: python -m dpia_check.ruledocs > docs/rules.md"


def test_readme_links_and_commands_point_at_real_things() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        if not target.startswith("http"):
            assert (ROOT / target).exists(), target
    for path in re.findall(r"(?:samples|tests/corpus)/[\w.-]+\.(?:yaml|pdf)", readme):
        assert (ROOT / path).exists(), path
    from dpia_check.rules import load_ruleset

    ids = {r.id for r in load_ruleset().rules}
    for rid in re.findall(r"explain (lpdp\.[\w.-]+)", readme):
        assert rid in ids, rid
