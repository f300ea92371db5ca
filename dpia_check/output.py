"""Write output files atomically: a temp file in the same folder, then rename.

A crash or an error half-way never leaves a half-written report behind, and an
existing file is only replaced once the new one is complete.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dpia_check.errors import InputError


def write_atomic(path: Path | str, data: bytes | str) -> None:
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise InputError(str(path), f"output folder {folder} does not exist", hint="create it first or choose another --output path")
    if path.is_dir():
        raise InputError(str(path), "output path is a directory")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(str(path), f"cannot write output: {exc.strerror or exc}") from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
