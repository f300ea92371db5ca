"""The rule-set cache: same rule set as a fresh parse, never stale, never runs code."""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dpia_check import rulecache, rules
from dpia_check.rules import RuleSet, default_rules_dir, load_ruleset


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DPIA_CHECK_CACHE_DIR", str(folder))
    monkeypatch.delenv("DPIA_CHECK_NO_CACHE", raising=False)
    rules._load_cached.cache_clear()
    yield folder
    rules._load_cached.cache_clear()


@pytest.fixture
def ruleset_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "lpdp"
    shutil.copytree(default_rules_dir(), dest)
    return dest


def _shape(rs: RuleSet) -> list[tuple[object, ...]]:
    return [(r.id, r.severity, r.regime, r.check, r.applies_when, r.title.en, r.source, r.line) for r in rs.rules]


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("ruleset-*.pickle"))


def test_second_load_comes_from_the_cache_and_equals_a_fresh_parse(cache: Path, ruleset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_ruleset(ruleset_copy)
    assert len(_entries(cache)) == 1
    rules._load_cached.cache_clear()

    def no_parsing(*args: object) -> RuleSet:
        raise AssertionError("the rule files were parsed again")

    monkeypatch.setattr(rules, "_parse_ruleset", no_parsing)
    second = load_ruleset(ruleset_copy)
    assert second is not first
    assert _shape(second) == _shape(first)
    assert second.lexicons.keys() == first.lexicons.keys()
    assert all(second.lexicons[k].phrases == first.lexicons[k].phrases for k in first.lexicons)
    assert (second.id, second.version, second.path) == (first.id, first.version, first.path)


def test_an_edited_rule_file_is_never_served_stale(cache: Path, ruleset_copy: Path) -> None:
    before = load_ruleset(ruleset_copy).version
    rules._load_cached.cache_clear()
    meta = ruleset_copy / "ruleset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(f'version: "{before}"', 'version: "edited-9"'), encoding="utf-8")
    assert load_ruleset(ruleset_copy).version == "edited-9"
    assert len(_entries(cache)) == 2


def test_a_broken_rule_file_still_fails_and_writes_nothing(cache: Path, ruleset_copy: Path) -> None:
    (ruleset_copy / "art99.yaml").write_text("rules:\n  - id: not-an-id\n", encoding="utf-8")
    with pytest.raises(rules.RuleError):
        load_ruleset(ruleset_copy)
    assert _entries(cache) == []


def test_corrupt_entry_is_a_miss(cache: Path, ruleset_copy: Path) -> None:
    expected = _shape(load_ruleset(ruleset_copy))
    (entry,) = _entries(cache)
    entry.write_bytes(b"not a pickle at all")
    rules._load_cached.cache_clear()
    assert _shape(load_ruleset(ruleset_copy)) == expected
    assert pickle.loads(entry.read_bytes()).__class__ is RuleSet  # rewritten


class _Evil:
    def __reduce__(self) -> tuple[object, ...]:
        return (os.system, ("touch pwned-by-cache",))


def test_a_tampered_entry_cannot_run_code(cache: Path, ruleset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    expected = _shape(load_ruleset(ruleset_copy))
    (entry,) = _entries(cache)
    entry.write_bytes(pickle.dumps(_Evil()))
    with pytest.raises(pickle.UnpicklingError):
        rulecache.safe_loads(entry.read_bytes())
    rules._load_cached.cache_clear()
    assert _shape(load_ruleset(ruleset_copy)) == expected
    assert not (tmp_path / "pwned-by-cache").exists()


def test_turned_off_writes_nothing(cache: Path, ruleset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DPIA_CHECK_NO_CACHE", "1")
    assert rulecache.cache_dir() is None
    assert load_ruleset(ruleset_copy).rules
    assert not cache.exists()


def test_unwritable_cache_folder_is_ignored(tmp_path: Path, ruleset_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("DPIA_CHECK_CACHE_DIR", str(blocker / "cache"))  # a folder below a file
    rules._load_cached.cache_clear()
    try:
        assert load_ruleset(ruleset_copy).rules
    finally:
        rules._load_cached.cache_clear()


def test_old_entries_are_pruned(cache: Path) -> None:
    cache.mkdir(parents=True)
    for i in range(rulecache.KEEP_ENTRIES + 3):
        p = cache / f"ruleset-old{i}.pickle"
        p.write_bytes(b"x")
        os.utime(p, ns=(i * 10**9, i * 10**9))
    rulecache._write(cache / "ruleset-new.pickle", {"a": 1})
    left = {p.name for p in _entries(cache)}
    assert "ruleset-new.pickle" in left and len(left) == rulecache.KEEP_ENTRIES
    assert "ruleset-old0.pickle" not in left
