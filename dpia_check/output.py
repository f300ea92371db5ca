"""Write output files atomically: a temp file in the same folder, then rename.

A crash or an error half-way never leaves a half-written report behind, and an
existing file is only replaced once the new one is complete (and flushed to disk).
The new file gets the permissions a plain ``open()`` would give it (or keeps those of
the file it replaces), not the private 0600 of a temp file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from dpia_check.errors import InputError


def _target_mode(path: Path) -> int:
    """The existing file's permission bits, else 0666 minus the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def refuse_overwriting(outputs: Iterable[Path | str], inputs: Iterable[Path | str], what: str = "an input DPIA") -> None:
    """InputError when an output path is one of the inputs (the same file, however named:
    ``./a/../x.yaml``, a symlink or a hard link), before anything is read or written."""
    seen: dict[tuple[int, int], str] = {}
    for p in inputs:
        try:
            st = os.stat(p)
        except (OSError, ValueError):
            continue
        seen.setdefault((st.st_dev, st.st_ino), str(p))
    for out in outputs:
        try:
            st = os.stat(out)
        except (OSError, ValueError):
            continue  # not there yet: nothing to overwrite
        source = seen.get((st.st_dev, st.st_ino))
        if source is not None:
            shown = "" if os.path.normpath(str(out)) == os.path.normpath(source) else f" ({source})"
            raise InputError(str(out), f"the output would overwrite {what}{shown}", hint="choose another output path")


def write_atomic(path: Path | str, data: bytes | str) -> None:
    """Write ``data`` to ``path`` all at once or not at all (InputError on failure)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_writer(path) as fh:
        fh.write(payload)


@contextmanager
def atomic_writer(path: Path | str) -> Iterator[BinaryIO]:
    """``write_atomic`` for output too big to hold in memory: write to the yielded file as
    the data comes; it replaces ``path`` only when the block ends without an error."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(str(path), f"output folder {folder} does not exist", hint="create it first or choose another --output path")
    if path.is_dir():
        raise InputError(str(path), "output path is a directory", hint="name a file inside it")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(str(path), f"cannot write output: {exc.strerror or exc}", hint="check the folder's permissions") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            try:
                yield fh
                fh.flush()
                os.fsync(fh.fileno())
            except OSError as exc:
                raise InputError(str(path), f"cannot write output: {exc.strerror or exc}") from None
        os.chmod(tmp, _target_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise InputError(str(path), f"cannot write output: {exc.strerror or exc}") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
