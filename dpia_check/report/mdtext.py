"""Markdown escaping for text that comes from a DPIA (memo templates, SARIF help).

Kept apart from the Jinja2 environments so that formats which only escape (SARIF) do not
import Jinja2.
"""

from __future__ import annotations

import re
from typing import Any


class MdSafe(str):
    """A string that is already Markdown (e.g. a code span) and must not be escaped again."""


# ``&`` too: "&amp;" or "&lt;b&gt;" in a DPIA must be shown as written, not decoded as entities.
# ``:`` before ``//`` and the dot of ``www.``: GitHub turns bare URLs into links otherwise.
_MD_ESCAPE = re.compile(r"[\\`*\[\]<>|~@&]|(?<!\w)_|_(?!\w)|:(?=//)|(?<=\bwww)\.", re.IGNORECASE)
_MD_LINE_START = re.compile(r"^(\s*)([#=+-]|\d+(?=[.)](?:\s|$)))")


def md_escape(value: Any) -> str:
    """Escape text for inline Markdown: no emphasis, links, HTML, entities or table breaks; one line."""
    if value is None:
        return ""
    if isinstance(value, MdSafe):
        return value
    text = re.sub(r"\s+", " ", str(value))
    text = _MD_ESCAPE.sub(lambda m: "\\" + m.group(), text)
    # a value at the start of a line (even after a space) must not become a heading, list
    # item or setext underline
    m = _MD_LINE_START.match(text)
    if m:
        cut = m.end()
        mark = m.end(1)
        text = (text[:cut] + "\\" + text[cut:]) if m.group(2)[0].isdigit() else text[:mark] + "\\" + text[mark:]
    return text


def md_code(value: Any) -> MdSafe:
    """A Markdown code span that survives backticks in the value.

    A value with a ``|`` is written as escaped text instead: in a GitHub table a pipe ends
    the cell even inside a code span, and the ``\\|`` that prevents it would be shown
    verbatim in a code span outside a table.
    """
    text = " ".join(str(value).split())
    if "|" in text:
        return MdSafe(md_escape(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return MdSafe(f"{fence}{pad}{text}{pad}{fence}")
