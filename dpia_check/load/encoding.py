"""Decode a DPIA's bytes to text, or say exactly why not and where.

YAML and plain-text DPIAs share this: UTF-8 (with or without a byte-order mark) and
UTF-16 with a byte-order mark are accepted. Anything else is an InputError naming the
byte, its offset, line and column and, for the Windows code pages Serbian files are
often saved in, the likely encoding.
"""

from __future__ import annotations

import codecs

from dpia_check.errors import InputError

ENCODING_HINT = "save the file as UTF-8 (UTF-16 with a byte-order mark is accepted too)"


def guess_legacy_encoding(data: bytes) -> str | None:
    """Best guess for an 8-bit file: Windows-1251 (Cyrillic) or Windows-1250 (Latin)."""
    sample = data[:200_000]
    cyr = sum(1 for ch in sample.decode("cp1251", "replace") if "\u0400" <= ch <= "\u04ff")
    lat = sum(1 for ch in sample.decode("cp1250", "replace") if ch in "čćšžđČĆŠŽĐ")
    if cyr >= 20 and cyr > 3 * lat:
        return "Windows-1251 (Cyrillic)"
    if lat:
        return "Windows-1250 (Central European)"
    if cyr:
        return "Windows-1251 (Cyrillic)"
    return None


def looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: ASCII text with a NUL in every other byte."""
    sample = raw[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)


def _line_col(text: str) -> tuple[int, int]:
    """Line and column just after ``text`` (1-based)."""
    return text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1


def decode_utf(raw: bytes, name: str, *, nul_is_binary: bool) -> str:
    """Decode UTF-8 (BOM optional) or BOM-marked UTF-16.

    ``nul_is_binary``: a NUL byte in plain text means a binary file; YAML reports it
    itself, with its line and column, as a character YAML does not allow.
    """
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise InputError(name, "the text is UTF-32; expected UTF-8 or UTF-16 with a byte-order mark", hint=ENCODING_HINT)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if raw.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        body = raw[2:]
        try:
            return body.decode(codec)
        except UnicodeDecodeError as exc:
            line, col = _line_col(body[: exc.start - exc.start % 2].decode(codec, "replace"))
            raise InputError(
                name,
                f"invalid UTF-16 at byte offset {exc.start + 2} ({exc.reason}); expected UTF-16 with a byte-order mark",
                line=line,
                column=col,
                hint=ENCODING_HINT,
            ) from None
    body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    offset_base = len(raw) - len(body)
    if b"\x00" in body[:65536]:
        if looks_utf16(body):
            raise InputError(name, "contains NUL bytes: the text looks like UTF-16 without a byte-order mark; expected UTF-8", hint=ENCODING_HINT)
        if nul_is_binary:
            at = body.index(b"\x00") + offset_base
            raise InputError(name, f"contains NUL bytes (first at byte offset {at}): a binary file, not text", hint=ENCODING_HINT)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(body[: exc.start].decode("utf-8", "replace"))
        column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1  # in bytes, as editors show for bad bytes
        guess = guess_legacy_encoding(body)
        raise InputError(
            name,
            f"not valid UTF-8: byte 0x{body[exc.start]:02X} at byte offset {exc.start + offset_base}; expected UTF-8"
            + (f", it looks like {guess}" if guess else ""),
            line=line,
            column=column,
            hint=ENCODING_HINT,
        ) from None
