"""Every sample DPIA is judged end to end and compared with its expected findings.

The expectations live in ``tests/data/expected/<name>.yaml`` beside the sample
``samples/<name>.dpia.yaml`` and are written from the law, not from the engine's
output: ``must_fail`` lists the citations a careful lawyer would flag (each with a
one-line ``why`` pointing at the gap), ``must_pass`` the areas the document handles
well, ``regime`` the regimes that apply, and ``compliant: true`` marks a sound DPIA
that must produce no fail, warn or manual finding at all.

An expected citation matches a finding when it is equal to the finding's citation or
coarser: ``Art. 17(2)`` matches a finding citing ``Art. 17(2)(1)``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from dpia_check.api import check_file
from dpia_check.load import load_document
from dpia_check.report.model import Report
from tests.conftest import ROOT, SAMPLES

EXPECTED_DIR = ROOT / "tests" / "data" / "expected"
SAMPLE_SUFFIX = ".dpia.yaml"
FAILING = ("fail", "warn")
CITATION_RE = re.compile(r"^Art\. \d+(\(\d+\)){0,2}$")
EXPECTED_KEYS = {"sample", "compliant", "regime", "must_fail", "why", "must_pass"}


def _load_expected() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(EXPECTED_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            out[path.stem] = yaml.safe_load(fh)
    return out


EXPECTED = _load_expected()
SAMPLE_FILES = sorted(SAMPLES.glob("*" + SAMPLE_SUFFIX))


def _cases(key: str) -> list[tuple[str, str]]:
    return [(name, cite) for name, exp in EXPECTED.items() for cite in exp.get(key) or []]


def _sample_path(name: str) -> Path:
    return SAMPLES / (name + SAMPLE_SUFFIX)


@cache
def _report(name: str) -> Report:
    """One engine run per sample, shared by all the expectations about it."""
    return check_file(_sample_path(name))


def covers(expected: str, actual: str) -> bool:
    """True when ``expected`` names the same provision as ``actual`` or a coarser one."""
    return actual == expected or actual.startswith(expected + "(")


def _failing(report: Report) -> list[tuple[str, str, str]]:
    return [(f.citation.text, f.rule, f.status) for f in report.findings if f.status in FAILING]


def test_every_sample_has_expectations() -> None:
    missing = [p.name for p in SAMPLE_FILES if p.name[: -len(SAMPLE_SUFFIX)] not in EXPECTED]
    assert not missing, f"samples without tests/data/expected/<name>.yaml: {missing}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_expectation_file_is_well_formed(name: str) -> None:
    exp = EXPECTED[name]
    assert isinstance(exp, dict) and set(exp) <= EXPECTED_KEYS, f"unexpected keys: {set(exp) - EXPECTED_KEYS}"
    assert exp["sample"] == name + SAMPLE_SUFFIX and _sample_path(name).is_file()
    assert exp["regime"] and set(exp["regime"]) <= {"general", "special"}
    must_fail, must_pass = exp.get("must_fail") or [], exp.get("must_pass") or []
    for cite in must_fail + must_pass:
        assert CITATION_RE.match(cite), f"{cite!r} is not cited like 'Art. 54(6)(3)'"
    clashes = [(f, p) for f in must_fail for p in must_pass if covers(p, f) or covers(f, p)]
    assert not clashes, f"must_fail and must_pass overlap: {clashes}"
    why = exp.get("why") or {}
    assert set(why) == set(must_fail), "every must_fail citation needs exactly one 'why' line"
    assert all(isinstance(w, str) and w.strip().startswith("/") for w in why.values()), "why lines start with a YAML path"
    if exp.get("compliant"):
        assert not must_fail, "a compliant sample cannot have must_fail entries"


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_sample_loads_without_warnings(path: Path) -> None:
    doc = load_document(path)
    assert [w.message for w in doc.warnings] == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_regime(name: str) -> None:
    assert _report(name).regime["applied"] == sorted(EXPECTED[name]["regime"])


@pytest.mark.parametrize(("name", "citation"), _cases("must_fail"), ids=[f"{n}:{c}" for n, c in _cases("must_fail")])
def test_must_fail(name: str, citation: str) -> None:
    failing = _failing(_report(name))
    assert any(covers(citation, cite) for cite, _, _ in failing), (
        f"{name}: expected a failing finding under {citation} ({EXPECTED[name]['why'][citation]}); "
        f"failing now: {sorted({c for c, _, _ in failing})}"
    )


@pytest.mark.parametrize(("name", "citation"), _cases("must_pass"), ids=[f"{n}:{c}" for n, c in _cases("must_pass")])
def test_must_pass(name: str, citation: str) -> None:
    wrong = [(cite, rule, status) for cite, rule, status in _failing(_report(name)) if covers(citation, cite)]
    assert not wrong, f"{name}: {citation} is handled well, but these findings fail it: {wrong}"


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e.get("compliant")))
def test_compliant_sample_has_no_gap(name: str) -> None:
    gaps = [(f.citation.text, f.rule, f.status) for f in _report(name).findings if f.status in (*FAILING, "manual")]
    assert not gaps, f"{name} is a sound DPIA, yet: {gaps}"
