"""Share one loop with forked helper processes: the pages of a long PDF, then its rules.

``fork`` gives a helper this process's memory as it is (the open document, the prepared
text, everything already cached), so nothing is sent to it but job numbers; only results
come back. Linux only (``fork`` is unsafe on macOS and absent on Windows), and only from a
single-threaded process; everywhere else, and whenever a helper fails, the work is done
here with the same results: a helper can change how long a loop takes, never its answer.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

R = TypeVar("R")

MAX_QUEUED = 15_000  # job numbers are written into a pipe before any helper starts


def can_fork() -> bool:
    """Forked helpers only on Linux, and only from a single-threaded process."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() == 1


def _nothing() -> None:
    return None


def shared_loop(
    count: int,
    work: Callable[[int], R],
    *,
    helpers: int = 1,
    helper_work: Callable[[], Callable[[int], R]] | None = None,
    first: Callable[[], None] = _nothing,
    encoding: str = "pickle",
) -> list[R]:
    """``[work(i) for i in range(count)]``, shared with ``helpers`` forked processes.

    The job numbers go into one pipe, in order; each process takes the next number when
    it is free, so a slow job never holds the others up and the cores stay evenly busy.
    A helper works with ``helper_work()`` (by default ``work``: for state it must not
    share, such as an open PDFium document, it builds its own) and sends its results in
    one message when the queue is empty (``encoding``: ``"marshal"`` for plain strings
    and numbers, else ``"pickle"``), then leaves with ``os._exit`` (no exit handlers, no
    flushing of inherited output buffers). This process runs ``first`` (work the helpers
    make room for; not at all when there are no helpers), then takes jobs too. Jobs a helper leaves unanswered, because it died
    or sent garbage, are done here. ``work`` must be deterministic; what it caches on
    the way is cached in each process separately.
    """
    if helpers < 1 or count < 2 or count > MAX_QUEUED or not can_fork():
        return [work(i) for i in range(count)]
    codec: Any
    if encoding == "marshal":
        import marshal as codec
    else:
        import pickle as codec
    queue_r, queue_w = os.pipe()
    queue = b"".join(i.to_bytes(4, "little") for i in range(count))
    try:
        os.set_blocking(queue_w, False)  # nobody reads yet: a full pipe must not block us
        written = os.write(queue_w, queue)
    except BlockingIOError:
        written = 0
    finally:
        os.close(queue_w)
    if written < len(queue):  # a small pipe buffer: no helpers
        os.close(queue_r)
        return [work(i) for i in range(count)]
    running: list[tuple[int, int]] = []
    results: dict[int, Any] = {}
    try:
        for _ in range(helpers):
            out_r, out_w = os.pipe()
            pid = os.fork()
            if pid == 0:  # a helper: take jobs until the queue is empty, send, leave
                try:
                    os.close(out_r)
                    mine = helper_work() if helper_work is not None else work
                    done: list[tuple[int, Any]] = []
                    while len(item := os.read(queue_r, 4)) == 4:
                        index = int.from_bytes(item, "little")
                        done.append((index, mine(index)))
                    with os.fdopen(out_w, "wb") as fh:
                        fh.write(codec.dumps(done))
                finally:
                    os._exit(0)
            os.close(out_w)
            running.append((pid, out_r))
        first()
        while len(item := os.read(queue_r, 4)) == 4:
            index = int.from_bytes(item, "little")
            results[index] = work(index)
        while running:
            pid, out_r = running[0]
            with os.fdopen(out_r, "rb") as fh:
                running[0] = (pid, -1)
                data = fh.read()
            os.waitpid(pid, 0)
            running.pop(0)
            try:
                results.update(codec.loads(data))
            except Exception:  # noqa: BLE001 - a helper that died half-way: its jobs are done below
                pass
    finally:
        os.close(queue_r)
        if running:  # only after an error here: stop the helpers and reap them
            import signal

            for pid, out_r in running:
                if out_r >= 0:
                    with contextlib.suppress(OSError):
                        os.close(out_r)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGTERM)
                with contextlib.suppress(OSError):
                    os.waitpid(pid, 0)
    return [results[i] if i in results else work(i) for i in range(count)]
