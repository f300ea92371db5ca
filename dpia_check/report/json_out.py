"""The JSON report (the stable contract in docs/report-contract.md).

Reports are written indented (two spaces), which Python's ``json`` does only in its
pure-Python encoder: about three times slower than the C one, and a batch of 1,000
DPIAs is 110 MB of JSON. ``encode`` gives the same bytes faster: containers whose
values are all plain scalars (most of a report: locations, citations, evidence) go
through the C encoder in one call, with the line break and indentation of their level
as the item separator; only the nesting above them is walked in Python.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from dpia_check.report.model import Report

INDENT = 2

# the C accelerator; without it (other Pythons) every call falls back to json.dumps
_c_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_encode_str: Any = json.encoder.encode_basestring  # the C function when the accelerator is there

_levels: dict[int, tuple[Callable[[Any, int], Any], str, str, str, str, str]] = {}
_openers: dict[tuple[tuple[str, ...], int], list[str]] = {}  # (keys, level) -> what precedes each value
_OPENERS_MAX = 4096  # reports repeat a few dozen key sets; user-keyed mappings are not worth keeping


class _Unusual(Exception):
    """A value the fast path does not handle: json.dumps decides (same bytes, same errors)."""


def _float(value: float) -> str:
    """What json writes for a float (repr; NaN and infinities as JavaScript spells them)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _scalar(value: Any) -> str:
    t = type(value)
    if t is str:
        return _encode_str(value)  # type: ignore[no-any-return]
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return int.__repr__(value)
    if t is float:
        return _float(value)
    raise _Unusual


def _key_openers(keys: tuple[str, ...], level: int) -> list[str]:
    """For a mapping at ``level`` with these keys: the text before each value."""
    found = _openers.get((keys, level))
    if found is None:
        for k in keys:
            if type(k) is not str:
                raise _Unusual
        inner = "\n" + " " * (INDENT * (level + 1))
        found = ["{" + inner + _encode_str(keys[0]) + ": "] + ["," + inner + _encode_str(k) + ": " for k in keys[1:]]
        if len(_openers) < _OPENERS_MAX:
            _openers[(keys, level)] = found
    return found


def _is_flat(values: Any) -> bool:
    for v in values:
        t = type(v)
        if t is not str and t is not int and t is not bool and v is not None and t is not float:
            return False
    return True


def _level(level: int) -> tuple[Callable[[Any, int], Any], str, str, str, str, str]:
    """For a container at ``level``: the C encoder for its flat contents, and its
    brackets and item separator with the line breaks and indentation around them."""
    found = _levels.get(level)
    if found is None:
        inner = "\n" + " " * (INDENT * (level + 1))
        close = "\n" + " " * (INDENT * level)
        enc = _c_make_encoder(None, None, _encode_str, None, ": ", "," + inner, False, False, True)
        found = _levels[level] = (enc, "{" + inner, close + "}", "[" + inner, close + "]", "," + inner)
    return found


def _encode(value: Any, level: int, out: list[str]) -> None:
    """Append the indented JSON of ``value`` as it appears at nesting ``level``."""
    t = type(value)
    if t is dict:
        if not value:
            out.append("{}")
            return
        enc, opening, closing, _, _, _ = _level(level)
        if _is_flat(value.values()):  # one C call; it converts non-text keys as json.dumps does
            out.append(opening + "".join(enc(value, 0))[1:-1] + closing)
            return
        for opener, v in zip(_key_openers(tuple(value), level), value.values(), strict=True):
            out.append(opener)
            tv = type(v)
            if tv is str:
                out.append(_encode_str(v))
            elif tv is dict or tv is list:
                _encode(v, level + 1, out)
            else:
                out.append(_scalar(v))
        out.append(closing)
    elif t is list:
        if not value:
            out.append("[]")
            return
        enc, _, _, opening, closing, sep = _level(level)
        if _is_flat(value):
            out.append(opening + "".join(enc(value, 0))[1:-1] + closing)
            return
        out.append(opening)
        first = True
        for v in value:
            if not first:
                out.append(sep)
            first = False
            _encode(v, level + 1, out)
        out.append(closing)
    else:
        out.append(_scalar(value))


def encode(data: Any, level: int = 0) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, byte for byte, as it reads when
    nested ``level`` deep in a bigger document (lines after the first are indented for it)."""
    if _c_make_encoder is not None:
        out: list[str] = []
        try:
            _encode(data, level, out)
            return "".join(out)
        except _Unusual:
            pass
    text = json.dumps(data, ensure_ascii=False, indent=INDENT)
    return text.replace("\n", "\n" + " " * (INDENT * level)) if level else text


def dumps(data: Any) -> str:
    """Deterministic JSON: insertion order is fixed by the report model; UTF-8 text kept."""
    return encode(data) + "\n"


def render(report: Report, **_options: object) -> str:
    return dumps(report.to_dict())


class CombinedJSON:
    """The combined report of a batch, assembled without holding it in memory.

    The document is ``{"tool", "summary", "reports": [...], "errors"}``, and the summary
    is known only when every document has been judged, so each report's JSON (encoded
    at nesting level 2 by whoever judged it) goes to a spool file as it comes; ``write``
    then puts the head, the spooled reports and the tail together. The bytes are those
    of ``dumps(batch.combined_dict(...))``.
    """

    def __init__(self, spool_dir: str | None = None) -> None:
        import tempfile

        try:
            self._spool = tempfile.TemporaryFile(dir=spool_dir)  # beside the output: same disk, no RAM
        except OSError:
            self._spool = tempfile.TemporaryFile()
        self.count = 0

    def add(self, piece: bytes) -> None:
        """One report, as ``encode(report.to_dict(), 2)`` in UTF-8."""
        if self.count:
            self._spool.write(b",\n    ")
        self._spool.write(piece)
        self.count += 1

    def _head(self, tool: dict[str, Any], summary: dict[str, Any]) -> bytes:
        reports = "[\n    " if self.count else "[]"
        return f'{{\n  "tool": {encode(tool, 1)},\n  "summary": {encode(summary, 1)},\n  "reports": {reports}'.encode()

    def _tail(self, errors: list[dict[str, Any]]) -> bytes:
        close = "\n  ]" if self.count else ""
        return f'{close},\n  "errors": {encode(errors, 1)}\n}}\n'.encode()

    def write(self, fh: Any, tool: dict[str, Any], summary: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        """Write the whole document to the binary file ``fh``."""
        import shutil

        fh.write(self._head(tool, summary))
        self._spool.flush()
        self._spool.seek(0)
        shutil.copyfileobj(self._spool, fh, 1 << 20)
        fh.write(self._tail(errors))

    def write_text(self, out: Any, tool: dict[str, Any], summary: dict[str, Any], errors: list[dict[str, Any]]) -> None:
        """Write the whole document to the text stream ``out`` (stdout), a megabyte at a time."""
        import codecs

        out.write(self._head(tool, summary).decode())
        self._spool.flush()
        self._spool.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        while chunk := self._spool.read(1 << 20):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))
        out.write(self._tail(errors).decode())

    def close(self) -> None:
        self._spool.close()

    def __enter__(self) -> CombinedJSON:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
