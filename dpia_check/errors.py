"""Errors that end a run with exit code 2 and one clear line.

Every problem with the user's input (a file we cannot read, a malformed DPIA, a bad
option) is raised as :class:`InputError`. The CLI prints ``str(error)`` on one line and
exits 2; nothing else in the code base prints tracebacks for user mistakes.
"""

from __future__ import annotations

from dataclasses import dataclass


def printable(text: str) -> str:
    """``text`` as valid Unicode: a file name that is not UTF-8 (from a Windows archive,
    say) reaches Python with lone surrogates, which no report, JSON file or terminal can
    encode; its undecodable bytes are shown as U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape" if _escaped_only(text) else "replace").decode("utf-8", "replace")


def _escaped_only(text: str) -> bool:
    """Every surrogate is one ``os.fsdecode`` made from a byte (U+DC80-U+DCFF)."""
    return all(not 0xD800 <= ord(ch) <= 0xDFFF or 0xDC80 <= ord(ch) <= 0xDCFF for ch in text)


@dataclass
class InputError(Exception):
    """The input (file, option, rule file, template) cannot be used.

    ``where`` is a human place such as ``line 3, column 5`` or ``page 12``; ``hint``
    says what the user can do about it.
    """

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    page: int | None = None
    hint: str | None = None

    def __post_init__(self) -> None:
        self.path, self.message = printable(self.path), printable(self.message)
        self.hint = printable(self.hint) if self.hint is not None else None
        super().__init__(str(self))

    @property
    def where(self) -> str:
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        place = self.path
        if self.where:
            place += f":{self.line}:{self.column}" if self.line is not None and self.column is not None and self.page is None else f" ({self.where})"
        text = f"{place}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return " ".join(text.split())  # one line, always


class RuleError(InputError):
    """A rule file (shipped or user-supplied) is malformed."""


class MissingExtraError(Exception):
    """An optional feature needs a package that is not installed."""

    def __init__(self, feature: str, extra: str) -> None:
        self.feature = feature
        self.extra = extra
        super().__init__(
            f"{feature} needs an optional package: pip install \"dpia-check[{extra}]\""
        )


EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
