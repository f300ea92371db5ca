"""Work shared with forked helpers gives exactly what one process gives, whatever the helpers do."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

import dpia_check.engine as engine_mod
from dpia_check.engine import CheckOptions, Engine
from dpia_check.forked import shared_loop
from dpia_check.load import load_document
from dpia_check.report.json_out import render

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked helpers are used on Linux only")

CORPUS = Path(__file__).resolve().parent / "corpus"


def _no_zombies() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_results_keep_their_order_and_helpers_really_work() -> None:
    me = os.getpid()

    def work(i: int) -> tuple[int, bool]:
        time.sleep(0.005)  # slow enough that the helpers get jobs before this process has taken them all
        return i * i, os.getpid() == me

    out = shared_loop(50, work, helpers=2)
    assert [v for v, _ in out] == [i * i for i in range(50)]
    assert not all(here for _, here in out)  # some were done by a helper
    assert _no_zombies()


def test_a_helper_that_dies_or_raises_changes_nothing() -> None:
    me = os.getpid()

    def dies() -> object:
        os._exit(3)

    def raising(i: int) -> tuple[int, bool]:
        if os.getpid() != me:
            raise RuntimeError("helper trouble")
        return i, True

    for out in (
        shared_loop(30, lambda i: (i, os.getpid() == me), helper_work=dies),  # type: ignore[arg-type]
        shared_loop(30, raising),
    ):
        assert out == [(i, True) for i in range(30)]  # every job done here, in order
    assert _no_zombies()


def test_an_error_here_reaches_the_caller_and_the_helper_is_reaped() -> None:
    me = os.getpid()

    def work(i: int) -> int:
        if os.getpid() == me and i >= 0:
            raise ValueError(f"job {i}")
        return i

    with pytest.raises(ValueError, match="job"):
        shared_loop(20, work)
    assert _no_zombies()


def test_first_runs_once_and_only_when_there_are_helpers() -> None:
    ran: list[int] = []
    shared_loop(10, lambda i: i, helpers=0, first=lambda: ran.append(1))
    assert ran == []
    shared_loop(10, lambda i: i, first=lambda: ran.append(1))
    assert ran == [1]


@pytest.mark.parametrize("name", ["bodycam-traffic-en.txt", "bank-cctv-sr-latn.pdf", "border-anpr-sr-cyrl.pdf"])
def test_rules_judged_in_two_processes_give_the_same_report(ruleset, name: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """The engine shares the rules of a long text with a helper; the report is byte for byte
    the one a single process writes (forced here for documents below the length limit)."""
    monkeypatch.setattr(engine_mod, "PARALLEL_MIN_TEXT", 0)
    path = CORPUS / name
    one = render(Engine(ruleset).run(load_document(path), CheckOptions(jobs=1)), ruleset=ruleset)
    two = render(Engine(ruleset).run(load_document(path), CheckOptions(jobs=2)), ruleset=ruleset)
    assert two == one
    assert _no_zombies()


def test_short_texts_and_yaml_are_judged_in_one_process(ruleset, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    real = engine_mod._long_text
    monkeypatch.setattr(engine_mod, "_long_text", lambda doc: calls.append(1) or real(doc))
    for path in (CORPUS / "bodycam-traffic-en.txt", Path(__file__).resolve().parent.parent / "samples" / "moi-2020.dpia.yaml"):
        assert not real(load_document(path))
        Engine(ruleset).run(load_document(path), CheckOptions(jobs=2))
    assert calls == [1, 1]
