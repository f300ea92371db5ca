"""The fast paths of a batch: JSON encoded in the workers and streamed, per-check memos,
lexicon searches over many strings at once, the guarded YAML composer. Each must give
exactly what the plain path gives."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from dpia_check import batch
from dpia_check.checks import _FoldedStrings
from dpia_check.engine import Engine
from dpia_check.load import load_document
from dpia_check.load import yaml_loader as yl
from dpia_check.model import MISSING
from dpia_check.report.json_out import CombinedJSON, dumps, encode
from dpia_check.rules import load_ruleset
from dpia_check.run import RunConfig, run_check

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


pytestmark = pytest.mark.usefixtures("no_machine_config")  # no user config or DPIA_CHECK_CONFIG leaks in


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    r = rng.random()
    if depth > 4 or r < 0.4:
        return rng.choice(["x", 'é"\\\n\t\u2028ü', "", "\x00\x1f", 0, -5, 10**20, 1.5, -0.0, float("nan"), float("inf"), True, False, None])
    if r < 0.7:
        return {rng.choice(["a", "ключ", "", '"q', "~/"]) + str(i): _random_value(rng, depth + 1) for i in range(rng.randint(0, 4))}
    return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]


def _indented(data: Any, level: int) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)


def test_encode_is_json_dumps_indent_2_byte_for_byte() -> None:
    rng = random.Random(7)
    for _ in range(3000):
        value = _random_value(rng)
        for level in (0, 2):
            assert encode(value, level) == _indented(value, level)
    odd_keys = ({1: "a", None: [True, {2.5: 1}]}, {"s": [1, {3: "x"}]}, {7: "a", None: 2, 2.5: 3, True: 4, -0.5: 5}, [{"k": 10**30}])
    for odd in odd_keys:  # keys json converts to text itself
        assert encode(odd) == _indented(odd, 0)


def test_a_report_encodes_as_json_dumps_would() -> None:
    report = Engine(load_ruleset()).run(load_document(SAMPLES / "moi-2020.dpia.yaml"))
    assert dumps(report.to_dict()) == json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def test_combined_document_matches_the_dict_it_stands_for(tmp_path: Path) -> None:
    rs = load_ruleset()
    reports = [Engine(rs).run(load_document(SAMPLES / n)) for n in ("hospital-booking.dpia.yaml", "moi-2020.dpia.yaml")]
    tool = {"name": "dpia-check", "version": "x", "ruleset": rs.id, "ruleset_version": rs.version}
    for kept in (reports, []):
        outcomes = [batch.Outcome(r.document.path, report=r) for r in kept] + [batch.Outcome("bad.yaml", error="bad.yaml: broken")]
        with CombinedJSON(str(tmp_path)) as doc:
            for r in kept:
                doc.add(encode(r.to_dict(), 2).encode())
            with (tmp_path / "out.json").open("wb") as fh:
                doc.write(fh, tool, batch.summary(outcomes, "high"), batch.error_list(outcomes))
        assert (tmp_path / "out.json").read_text(encoding="utf-8") == dumps(batch.combined_dict(outcomes, tool, "high"))


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "many"
    root.mkdir()
    for i, name in enumerate(["hospital-booking", "moi-2020", "border-anpr", "credit-scoring", "city-traffic-mixed"]):
        shutil.copy(SAMPLES / f"{name}.dpia.yaml", root / f"d{i}.dpia.yaml")
    (root / "d9.dpia.yaml").write_text("dpia_format: 1\nmeta: [\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("jobs", [1, 2])
def test_streamed_json_is_what_the_report_objects_give(folder: Path, tmp_path: Path, jobs: int, capsys: pytest.CaptureFixture[str]) -> None:
    fast, slow, text = tmp_path / "fast.json", tmp_path / "slow.json", tmp_path / "r.txt"
    code_fast = run_check(RunConfig(files=[folder], fmt="json", outputs=[f"json={fast}"], jobs=jobs))
    # a text output as well makes the run keep every Report and render the combined JSON from them
    code_slow = run_check(RunConfig(files=[folder], fmt="json", outputs=[f"json={slow}", f"text={text}"], jobs=jobs))
    assert fast.read_bytes() == slow.read_bytes()
    assert code_fast == code_slow == 2
    run_check(RunConfig(files=[folder], fmt="json", jobs=jobs))
    assert capsys.readouterr().out == fast.read_text(encoding="utf-8")  # stdout gets the same document


def test_baseline_is_applied_in_the_workers(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    known = tmp_path / "baseline.json"
    run_check(RunConfig(files=[folder], fmt="json", write_baseline=known, jobs=1))
    capsys.readouterr()
    fast, slow = tmp_path / "fast.json", tmp_path / "slow.json"
    run_check(RunConfig(files=[folder], fmt="json", baseline=known, outputs=[f"json={fast}"], jobs=2))
    run_check(RunConfig(files=[folder], fmt="json", baseline=known, outputs=[f"json={slow}", f"text={tmp_path / 'r.txt'}"], jobs=1))
    assert fast.read_bytes() == slow.read_bytes()
    assert json.loads(fast.read_text(encoding="utf-8"))["summary"]["baseline"] > 0


def test_run_all_hands_each_report_on_in_order_and_keeps_only_counts(folder: Path) -> None:
    items, _ = batch.expand([str(folder)])
    seen: list[str] = []
    job = batch.Job(load=batch.LoadOptions(), encode_json=True)
    outcomes = batch.run_all(items, job, jobs=2, sink=lambda o: seen.append(o.path) if o.encoded else None)
    assert seen == [o.path for o in outcomes if o.error is None]
    assert all(o.report is None and o.encoded is None for o in outcomes)
    assert sum(1 for o in outcomes if o.stats is not None) == 5


def test_memos_live_for_one_run_only() -> None:
    doc = load_document(SAMPLES / "hospital-booking.dpia.yaml")
    engine = Engine(load_ruleset())
    first = engine.run(doc)
    assert doc.memo is None
    doc.data["meta"]["title"] = "Renamed"
    assert doc.get("/meta/title") == "Renamed"
    assert engine.run(doc).document.title == "Renamed" != first.document.title
    with doc.memoised():
        assert doc.get("/nothing/here") is MISSING and doc.memo is not None


def test_searching_runs_of_strings_finds_what_each_string_would() -> None:
    lexicons = load_ruleset().lexicons
    rng = random.Random(11)
    for path in sorted(SAMPLES.glob("*.yaml")):
        folded = _FoldedStrings(load_document(path))
        assert folded.text is not None
        n = len(folded.strings)
        for lex in lexicons.values():
            hits = [lex.matches(text) for _, text in folded.strings]
            for _ in range(5):
                a = rng.randint(0, n)
                b = rng.randint(a, n)
                assert folded.first(lex, a, b) == next((i for i in range(a, b) if hits[i]), None)
                assert folded.every(lex, a, b) == [i for i in range(a, b) if hits[i]]


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: &x 2\n" + "[" * 70 + "]" * 70,  # a composer error before a limit: the limit is reported, as before
        "a: *nowhere\nb: [\n",  # a composer error before a syntax error: the syntax error wins
        "a: 1\n---\n" + "[" * 70 + "]" * 70,  # a second document that is too deep
        "- " * 64 + "x\n",  # a scalar one level below the deepest allowed list: fine
        "a: &a [1]\nb: [" + ", ".join(["*a"] * 50) + "]\n",
    ],
)
def test_guarded_composer_reports_what_the_prescan_reported(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yl, "MAX_NODES", 60)

    def outcome() -> tuple[str, Any]:
        try:
            return ("ok", yl.parse_yaml_text(text, "f.yaml")[0])
        except yl.InputError as exc:
            return ("error", (str(exc), exc.line, exc.column))

    guarded = outcome()
    compose = yl._compose

    def prescan_then_compose(text: str, guarded: bool) -> Any:  # the order before the guard existed
        yl._prescan(text, "f.yaml")
        return compose(text, guarded=False)

    monkeypatch.setattr(yl, "_compose", prescan_then_compose)
    assert guarded == outcome()
