"""A per-user cache of the loaded rule set, so a run does not re-parse every rule file.

Parsing and validating the LPDP rule set (a dozen YAML files with positions, 50+
rules) costs 100-300 ms, on every ``check``, ``rules list`` and ``explain``; reading it
back from this cache costs about a millisecond. The cache key is a hash of the rule
files' *contents* and paths plus the dpia-check code that builds the rule set (file
sizes and modification times), the Python version and the cache format, so an edited
rule file or an upgraded dpia-check is never served a stale entry.

Entries are pickles, read with an unpickler that only accepts dpia-check's own classes
and a few plain types: a tampered cache file cannot run code, it is just a miss. Any
problem (no home folder, read-only disk, corrupt file) quietly falls back to parsing.

Where: ``$DPIA_CHECK_CACHE_DIR``, else the platform's user cache folder
(``$XDG_CACHE_HOME/dpia-check``, ``~/.cache/dpia-check``, ``~/Library/Caches/dpia-check``,
``%LOCALAPPDATA%\\dpia-check\\cache``). ``DPIA_CHECK_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

CACHE_FORMAT = "1"
KEEP_ENTRIES = 4  # per kind
PACKAGE_DIR = Path(__file__).resolve().parent
T = TypeVar("T")

# Globals a cache entry may name besides dpia_check's own classes.
_ALLOWED = {
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("re", "_compile"),
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("collections", "OrderedDict"),
}


def cache_dir() -> Path | None:
    """The folder for cache entries, or None when caching is turned off."""
    if os.environ.get("DPIA_CHECK_NO_CACHE", "").strip() not in ("", "0"):
        return None
    explicit = os.environ.get("DPIA_CHECK_CACHE_DIR", "").strip()
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "dpia-check" / "cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "dpia-check"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    try:
        return Path(xdg) / "dpia-check" if xdg else Path.home() / ".cache" / "dpia-check"
    except RuntimeError:  # no home folder
        return None


def _code_fingerprint(h: Any) -> None:
    """dpia-check's own modules: a changed parser or validator must not reuse old entries."""
    from dpia_check import __version__

    h.update(f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:2]}|{PACKAGE_DIR}\n".encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        st = path.stat()
        h.update(f"{path.relative_to(PACKAGE_DIR)}|{st.st_size}|{st.st_mtime_ns}\n".encode())


def ruleset_key(folder: Path, extra: tuple[str, ...]) -> str:
    """Hash of everything a loaded rule set depends on (rule files by content)."""
    h = hashlib.sha256()
    _code_fingerprint(h)
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".yaml", ".yml") and p.is_file())
    for path in [*files, *(Path(e) for e in extra)]:
        data = path.read_bytes()
        h.update(f"{path.resolve()}|{len(data)}\n".encode())
        h.update(data)
    return h.hexdigest()


class _SafeUnpickler(pickle.Unpickler):
    """Accepts dpia_check's classes and a short list of plain types; refuses anything else."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module == "dpia_check" or module.startswith("dpia_check."):
            obj = super().find_class(module, name)
            if isinstance(obj, type):
                return obj
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a dpia-check cache entry")


def safe_loads(data: bytes) -> Any:
    return _SafeUnpickler(io.BytesIO(data)).load()


def _read(path: Path) -> Any | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        return safe_loads(data)
    except Exception:  # noqa: BLE001 - a broken or foreign entry is a miss, never an error
        return None


def _write(path: Path, value: Any) -> None:
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, path)  # atomic: a concurrent reader sees the old entry or the new one
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(path)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is simply not used
        return


def _prune(newest: Path) -> None:
    """Keep the latest few entries of a kind (rule edits and upgrades leave old ones behind)."""
    kind = newest.name.split("-", 1)[0]
    entries = sorted(newest.parent.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in entries[KEEP_ENTRIES:]:
        if old != newest:
            old.unlink(missing_ok=True)


def cached(kind: str, key_of: Callable[[], str], build: Callable[[], T], check: Callable[[Any], bool]) -> T:
    """``build()``, or its cached result under ``key_of()`` when ``check`` accepts it."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        key = key_of()
    except OSError:
        return build()
    path = folder / f"{kind}-{key[:32]}.pickle"
    hit = _read(path)
    if hit is not None and check(hit):
        return hit  # type: ignore[no-any-return]
    value = build()
    _write(path, value)
    return value
