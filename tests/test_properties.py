"""Property-based tests: whatever bytes arrive, the loaders give a Document or an InputError.

Hypothesis feeds random YAML-ish text, mutations of a real sample (byte flips,
truncation, deleted/duplicated/swapped lines, inserted tabs, anchors, aliases and tags)
and random bytes under the .yaml/.pdf/.txt suffixes into ``load_document``. Any other
exception is a bug: a user would see a traceback instead of one clear line. Documents
that do load must go through the engine and the JSON renderer without an exception.

Examples are bounded (``max_examples`` per test, no deadline) so the file runs in a few
seconds; set ``HYPOTHESIS_PROFILE=fuzz`` for a 25 times longer, randomised local hunt.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from dpia_check.errors import InputError
from dpia_check.load import LoadOptions, load_document
from dpia_check.load import yaml_loader as yl
from dpia_check.model import Document
from tests.conftest import ROOT, SAMPLES

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"  # a long, randomised local hunt: 25x the examples
settings.register_profile("default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.register_profile("fuzz", max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fuzz" if FUZZ else "default")


def examples(n: int) -> int:
    """Per-test example counts, scaled up under the fuzz profile."""
    return n * 25 if FUZZ else n


SAMPLE = (SAMPLES / "hospital-booking.dpia.yaml").read_bytes()
SPECIAL_SAMPLE = (SAMPLES / "border-anpr.dpia.yaml").read_bytes()
HAVE_TEXT_LOADER = (ROOT / "dpia_check" / "load" / "text_loader.py").exists()
NEEDS_TEXT_LOADER = pytest.mark.xfail(
    not HAVE_TEXT_LOADER, strict=True, reason="dpia_check/load/text_loader.py (PDF/text -> Document) is not written yet"
)
# Until the text loader exists its tests fail at once: skip Hypothesis's slow shrinking then.
TEXT_LOADER_SETTINGS = settings(max_examples=examples(100)) if HAVE_TEXT_LOADER else settings(max_examples=3, phases=[Phase.generate])
OPTIONS = LoadOptions(max_bytes=4 * 1024 * 1024, max_pages=50)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    """One folder for the whole module (hypothesis reruns a test body; tmp_path is per test)."""
    with tempfile.TemporaryDirectory(prefix="dpia-props-") as d:
        yield Path(d)


@pytest.fixture(scope="module")
def engine() -> Any:
    from dpia_check.engine import Engine
    from dpia_check.rules import load_ruleset

    ruleset = load_ruleset()
    return Engine(ruleset), ruleset


def load_or_input_error(path: Path) -> Document | None:
    """The property itself: a Document, or an InputError that names the file on one line."""
    try:
        return load_document(path, OPTIONS)
    except InputError as exc:
        line = str(exc)
        assert "\n" not in line and str(path) in line, line
        assert len(line) < 1_000, line
        return None


def judge(doc: Document, engine: Any) -> None:
    """A loaded document goes through the engine and the JSON contract without exception."""
    from dpia_check.engine import CheckOptions
    from dpia_check.report.registry import renderer

    eng, ruleset = engine
    report = eng.run(doc, CheckOptions())
    payload = renderer("json").render(report, ruleset=ruleset)
    data = json.loads(payload)
    assert len(data["findings"]) == len(ruleset.rules)


def _write(workdir: Path, name: str, data: bytes) -> Path:
    path = workdir / name
    path.write_bytes(data)
    return path


# -- strategies --------------------------------------------------------------------------

YAML_PIECES = [
    "dpia_format: 1\n", "meta:\n", "  title: x\n", "risks:\n", "  - id: R1\n", "    severity: high\n",
    "&a ", "*a", "<<: *a\n", "!!python/object/apply:os.system ['true']", "!!binary aGk=", "!tag ", "? ", ": ", "- ",
    "[", "]", "{", "}", ",", "'", '"', "|\n", ">-\n", "#", "\t", "\n", "  ", "---\n", "...\n", "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n", "2026-02-30", "0x1F", "1e999", ".nan", "~", "null", "yes", "\ufeff", "\x00", "\x1b[31m", "é", "ж",
    "\\e", "\\x07", "\"\\u202e\"",
]

yaml_ish = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=8), max_size=40).map("".join)


@st.composite
def mutated(draw: st.DrawFn, base: bytes = SAMPLE) -> bytes:
    """A sample after 1-6 random edits of the kinds that real corruption and tampering make."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "truncate", "delete", "duplicate", "swap", "insert", "tab", "indent"]))
        lines = bytes(data).split(b"\n")
        n = len(lines)
        if op == "flip" and data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        elif op == "truncate":
            del data[draw(st.integers(0, len(data))):]
        elif op in ("delete", "duplicate", "swap", "insert", "tab", "indent") and n > 1:
            i = draw(st.integers(0, n - 1))
            if op == "delete":
                del lines[i]
            elif op == "duplicate":
                lines.insert(i, lines[i])
            elif op == "swap":
                j = draw(st.integers(0, n - 1))
                lines[i], lines[j] = lines[j], lines[i]
            elif op == "insert":
                piece = draw(st.sampled_from(YAML_PIECES)).encode("utf-8")
                at = draw(st.integers(0, len(lines[i])))
                lines[i] = lines[i][:at] + piece + lines[i][at:]
            elif op == "tab":
                lines[i] = b"\t" + lines[i]
            else:
                lines[i] = b"  " * draw(st.integers(1, 3)) + lines[i]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def _pdf_bytes() -> bytes:
    try:
        from tests import pdfgen
    except ImportError:  # pragma: no cover
        import pdfgen  # type: ignore[no-redef]
    with tempfile.TemporaryDirectory() as d:
        path = pdfgen.simple_pdf(Path(d) / "s.pdf", [["# Data protection impact assessment", "Risks to the rights of data subjects."]])
        return path.read_bytes()


# -- tests -------------------------------------------------------------------------------


@given(text=yaml_ish)
def test_random_yaml_ish_text(workdir: Path, engine: Any, text: str) -> None:
    doc = load_or_input_error(_write(workdir, "random.yaml", text.encode("utf-8", "surrogatepass")))
    if doc is not None:
        judge(doc, engine)


@given(data=mutated())
def test_mutated_general_sample(workdir: Path, engine: Any, data: bytes) -> None:
    doc = load_or_input_error(_write(workdir, "mutated.dpia.yaml", data))
    if doc is not None:
        judge(doc, engine)


@settings(max_examples=examples(100))
@given(data=mutated(SPECIAL_SAMPLE))
def test_mutated_special_purpose_sample(workdir: Path, engine: Any, data: bytes) -> None:
    doc = load_or_input_error(_write(workdir, "mutated-special.dpia.yaml", data))
    if doc is not None:
        judge(doc, engine)


random_text_bytes = st.binary(max_size=2_048) | st.builds(
    lambda t, enc: t.encode(enc, "replace"), st.text(max_size=200), st.sampled_from(["utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1250"])
)


@settings(max_examples=examples(200))
@given(data=random_text_bytes)
def test_random_bytes_as_yaml(workdir: Path, data: bytes) -> None:
    assume(HAVE_TEXT_LOADER or not data.startswith(b"%PDF-"))  # a PDF named .yaml is read as a PDF
    load_or_input_error(_write(workdir, "bytes.yaml", data))


@NEEDS_TEXT_LOADER
@pytest.mark.parametrize("suffix", [".txt", ".md", ".pdf"])
@TEXT_LOADER_SETTINGS
@given(data=random_text_bytes | st.builds(lambda b: b"%PDF-1.7\n" + b, st.binary(max_size=2_048)))
def test_random_bytes_as_text_and_pdf(workdir: Path, suffix: str, data: bytes) -> None:
    load_or_input_error(_write(workdir, "bytes" + suffix, data))


@NEEDS_TEXT_LOADER
@TEXT_LOADER_SETTINGS
@given(data=st.data())
def test_mutated_pdf(workdir: Path, data: st.DataObject) -> None:
    base = _PDF_CACHE.setdefault("pdf", _pdf_bytes())
    load_or_input_error(_write(workdir, "mutated.pdf", data.draw(mutated(base))))


_PDF_CACHE: dict[str, bytes] = {}


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, (*prefix, i))


ODD_VALUES = [None, "", " ", [], {}, [None], [{}], [[]], {"x": None}, "text", 0, -1, 10**15, 1.5, True, False,
              "2026-13-45", [""], ["x", None], "<b>x</b>", "ж" * 300]
SAMPLE_DATA = {name: yl.parse_yaml_text(raw.decode("utf-8"), name)[0] for name, raw in (("general", SAMPLE), ("special", SPECIAL_SAMPLE))}


@st.composite
def odd_document(draw: st.DrawFn) -> str:
    """A sample whose values are replaced by nulls, empties and wrong types: valid YAML, odd content."""
    import copy

    data = copy.deepcopy(SAMPLE_DATA[draw(st.sampled_from(sorted(SAMPLE_DATA)))])
    paths = [p for p in _paths(data) if p and p != ("dpia_format",)]
    for _ in range(draw(st.integers(1, 5))):
        path = draw(st.sampled_from(paths))
        parent = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed or replaced this path
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@settings(max_examples=examples(60))  # ~50 ms per document through the whole rule set
@given(text=odd_document())
def test_odd_values_reach_the_engine(workdir: Path, engine: Any, text: str) -> None:
    doc = load_or_input_error(_write(workdir, "odd.dpia.yaml", text.encode("utf-8")))
    if doc is not None:
        judge(doc, engine)

plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=examples(100))
@given(data=plain, flow=st.booleans())
def test_yaml_round_trip(data: Any, flow: bool) -> None:
    """What PyYAML writes, we read back identically, or refuse with a reason (control characters)."""
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, allow_unicode=True)
    try:
        parsed, locations = yl.parse_yaml_text(text, "round.yaml")
    except InputError as exc:
        assert "control character" in exc.message or "U+" in exc.message, exc
        return
    assert parsed == {"root": data}
    assert "/root" in locations
