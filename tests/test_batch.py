"""Batch runs: folders and globs, parallel workers, one combined report, worst exit code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dpia_check import batch
from dpia_check.run import RunConfig, run_check

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SOUND = SAMPLES / "hospital-booking.dpia.yaml"
MOI = SAMPLES / "moi-2020.dpia.yaml"


pytestmark = pytest.mark.usefixtures("no_machine_config")  # no user config or DPIA_CHECK_CONFIG leaks in


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """A repository with DPIAs, a broken one, and files that are not DPIAs."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "a").mkdir()
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    shutil.copy(SOUND, root / "a" / "1-hospital.dpia.yaml")
    shutil.copy(MOI, root / "a" / "2-moi.dpia.yaml")
    shutil.copy(SOUND, root / "b" / "deep" / "3-hospital.yml")
    (root / "b" / "4-broken.dpia.yaml").write_text("dpia_format: 1\nmeta: [\n", encoding="utf-8")
    (root / "b" / "ci.yaml").write_text("stages: [test]\n", encoding="utf-8")  # YAML, but not a DPIA
    (root / "a" / "README.md").write_text("# notes\n", encoding="utf-8")
    shutil.copy(MOI, root / ".hidden" / "x.dpia.yaml")
    return root


def _json(capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    return json.loads(capsys.readouterr().out)


def test_folders_hold_only_dpia_like_files(tree: Path) -> None:
    items, combined = batch.expand([str(tree)])
    assert combined
    names = [Path(o.path).name for o in items]
    assert names == ["1-hospital.dpia.yaml", "2-moi.dpia.yaml", "4-broken.dpia.yaml", "3-hospital.yml"]


def test_globs_and_duplicates(tree: Path) -> None:
    items, combined = batch.expand([f"{tree}/a/*.yaml", str(tree / "a" / "2-moi.dpia.yaml"), f"{tree}/nothing/*.pdf"])
    assert combined
    assert [Path(o.path).name for o in items] == ["1-hospital.dpia.yaml", "2-moi.dpia.yaml", "*.pdf"]
    assert items[2].error is not None and "no files match" in items[2].error
    single, combined = batch.expand([str(tree / "a" / "2-moi.dpia.yaml")])
    assert not combined and len(single) == 1


def test_combined_json_with_a_broken_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run_check(RunConfig(files=[tree], fmt="json", select=["art54"], jobs=1))
    data = _json(capsys)
    assert code == 2  # a broken file makes the run unusable for CI, but ...
    assert [Path(r["document"]["path"]).name for r in data["reports"]] == ["1-hospital.dpia.yaml", "2-moi.dpia.yaml", "3-hospital.yml"]  # ... the others are reported
    [err] = data["errors"]
    assert err["path"].endswith("4-broken.dpia.yaml") and "YAML syntax error" in err["error"]
    s = data["summary"]
    assert (s["documents"], s["checked"], s["failing"], s["passing"], s["errors"], s["verdict"]) == (4, 3, 1, 2, 1, "error")
    assert data["tool"]["name"] == "dpia-check"


def test_exit_code_is_the_worst_document(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = tree / "a"
    assert run_check(RunConfig(files=[a / "1-hospital.dpia.yaml", tree / "b" / "deep"], fmt="json", select=["art54"])) == 0
    assert run_check(RunConfig(files=[a], fmt="json", select=["art54"])) == 1
    capsys.readouterr()


def test_parallel_output_is_byte_identical_to_serial(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(6):
        shutil.copy(MOI if i % 2 else SOUND, folder / f"d{i}.dpia.yaml")
    (folder / "d9.dpia.yaml").write_text("dpia_format: 7\n", encoding="utf-8")
    run_check(RunConfig(files=[folder], fmt="json", jobs=1))
    serial = capsys.readouterr().out
    code = run_check(RunConfig(files=[folder], fmt="json", jobs=2))
    assert capsys.readouterr().out == serial
    assert code == 2 and json.loads(serial)["summary"]["checked"] == 6


def test_run_all_uses_processes_only_for_several_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []

    class Spy(batch.ProcessPoolExecutor):
        def __init__(self, *a, **kw) -> None:  # type: ignore[no-untyped-def]
            started.append(kw.get("max_workers", 0))
            super().__init__(*a, **kw)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Spy)
    job = batch.Job(load=batch.LoadOptions())
    few = [batch.Outcome(str(SOUND)) for _ in range(batch.PARALLEL_MIN - 1)]
    assert all(o.report is not None for o in batch.run_all(few, job, jobs=4))
    assert started == []
    many = [batch.Outcome(str(p)) for p in (SOUND, MOI, SOUND, MOI)]
    out = batch.run_all(many, job, jobs=2)
    assert started == [2]
    assert [o.report.document.path if o.report else None for o in out] == [str(p) for p in (SOUND, MOI, SOUND, MOI)]


def test_text_output_ends_with_a_table(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_check(RunConfig(files=[tree / "a", tree / "b"], select=["art54"], color=False, jobs=1))
    out = capsys.readouterr().out
    assert "DPIAs checked" in out and "ERROR" in out and "FAIL" in out
    assert out.rstrip().endswith("4 documents: 1 failing, 2 passing, 1 errors")


def test_outputs_for_many_documents(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    js, md, txt = tmp_path / "r.json", tmp_path / "r.md", tmp_path / "r.txt"
    run_check(RunConfig(files=[tree / "a"], fmt="json", select=["art54"], outputs=[f"json={js}", f"md={md}", f"text={txt}"]))
    assert capsys.readouterr().out == ""
    assert len(json.loads(js.read_text(encoding="utf-8"))["reports"]) == 2
    memo = md.read_text(encoding="utf-8")
    assert "1-hospital.dpia.yaml" in memo and "2-moi.dpia.yaml" in memo
    assert "DPIAs checked" in txt.read_text(encoding="utf-8")


def test_no_progress_bar_in_ci_or_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    monkeypatch.setenv("CI", "true")
    assert not batch.show_progress()
    monkeypatch.delenv("CI")
    assert batch.show_progress()
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    assert not batch.show_progress()


def _sarif(uri: str, rules: list[str]) -> str:
    return json.dumps({
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "dpia-check", "rules": [{"id": r} for r in rules]}},
            "artifacts": [{"location": {"uri": uri}}],
            "results": [
                {"ruleId": r, "ruleIndex": i, "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": 0}}}]}
                for i, r in enumerate(rules)
            ],
        }],
    })


def test_sarif_logs_merge_into_one_run() -> None:
    merged = json.loads(batch.merge_sarif([_sarif("a.yaml", ["r1", "r2"]), _sarif("b.yaml", ["r2", "r3"])]))
    [run] = merged["runs"]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["r1", "r2", "r3"]
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["a.yaml", "b.yaml"]
    got = [(r["ruleId"], r["ruleIndex"], r["locations"][0]["physicalLocation"]["artifactLocation"]["index"]) for r in run["results"]]
    assert got == [("r1", 0, 0), ("r2", 1, 0), ("r2", 1, 1), ("r3", 2, 1)]


def test_globs_leave_out_yaml_files_that_are_not_dpias(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A glob such as dpias/**/*.yaml also matches the waivers file and the CI file next to the
    DPIAs; they are left out as in a folder, not judged as DPIAs with every section missing."""
    (tree / "b" / "waivers.yaml").write_text("waivers:\n  - {rule: lpdp.54.13-review, target: /, reason: r, owner: o, approved_by: a}\n", encoding="utf-8")
    old = SOUND.read_text(encoding="utf-8").replace("dpia_format: 1\n", "")  # an older DPIA without the key
    (tree / "b" / "old.yaml").write_text(old, encoding="utf-8")
    items, _ = batch.expand([f"{tree}/**/*.yaml"])
    names = [Path(o.path).name for o in items]
    assert names == ["1-hospital.dpia.yaml", "2-moi.dpia.yaml", "4-broken.dpia.yaml", "old.yaml"]
    # a pattern that matches only files that are not DPIAs says so
    [item] = batch.expand([f"{tree}/b/[cw]*.yaml"])[0]
    assert item.error and "matches 2 file(s), none of them a DPIA" in item.error
    code = run_check(RunConfig(files=[tree / "a", Path(f"{tree}/b/[cw]*.yaml")], fmt="json", select=["art54"], jobs=1))
    data = _json(capsys)
    assert code == 2 and len(data["reports"]) == 2 and "none of them a DPIA" in data["errors"][0]["error"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_folders_find_dpias_saved_with_a_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    """The loader reads BOM-marked UTF-8 and UTF-16; the folder search must not skip them."""
    folder = tmp_path / "dpias"
    folder.mkdir()
    (folder / "marked.dpia.yaml").write_bytes(SOUND.read_text(encoding="utf-8").encode(encoding))
    (folder / "ci.yaml").write_bytes("stages: [test]\n".encode(encoding))
    items, _ = batch.expand([str(folder)])
    assert [Path(o.path).name for o in items] == ["marked.dpia.yaml"]
    assert batch.check_one(items[0].path, batch.Job(load=batch.LoadOptions())).report is not None


def test_a_named_yaml_file_that_is_not_a_dpia_is_an_input_error(tmp_path: Path) -> None:
    from dpia_check.errors import InputError

    for text in ("stages: [test]\nimage: python\n", "waivers: []\n", "{}\n"):
        p = tmp_path / "other.yaml"
        p.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match="does not look like a DPIA") as info:
            run_check(RunConfig(files=[p], fmt="json"))
        assert info.value.line == 1 and "dpia_format: 1" in str(info.value)
