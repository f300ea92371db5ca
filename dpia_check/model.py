"""The DPIA document model shared by every loader, rule and renderer.

A document is plain data (the shape of the DPIA YAML format) plus a map from JSON
Pointer to where that value came from. YAML input fills the map with line/column;
PDF or text input fills it with page/line and the quote the value was read from.
Rules address values by pointer, so they work the same on both.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


class _Missing:
    """Sentinel for a pointer that resolves to nothing."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Location:
    """Where a piece of evidence is: YAML line + pointer, or PDF page (+ line)."""

    path: str
    page: int | None = None
    line: int | None = None
    column: int | None = None
    pointer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "page": self.page, "line": self.line, "pointer": self.pointer}

    def short(self) -> str:
        """A compact human label such as ``line 12`` or ``p. 4``."""
        if self.page is not None:
            return f"p. {self.page}" + (f", line {self.line}" if self.line else "")
        if self.line is not None:
            return f"line {self.line}"
        return "—"


@dataclass(frozen=True)
class Evidence:
    """A location and, when something was found, the quote it rests on."""

    location: Location
    quote: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"location": self.location.to_dict(), "quote": self.quote}


@dataclass
class LoadWarning:
    """Something odd about the input that does not stop the check (e.g. an unknown key)."""

    code: str
    message: str
    location: Location


class Memo:
    """What one check of a document works out again and again, worked out once.

    A check asks for the same pointers, evidence and lexicon matches dozens of times
    (90 rules, many on the same fields); the data does not change while it runs.
    ``cache`` holds other modules' per-check results under their own keys.
    """

    __slots__ = ("values", "evidence", "cache")

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.evidence: dict[tuple[str, str | None], Evidence] = {}
        self.cache: dict[str, Any] = {}


@dataclass
class Document:
    """A loaded DPIA: data in the YAML format's shape plus provenance.

    ``origin`` is ``structured`` for YAML and ``text`` for PDF/text input, where
    fields were filled from headings and keywords and absence is weaker evidence.
    """

    path: str
    format: str  # yaml | pdf | text | markdown
    data: dict[str, Any]
    locations: dict[str, Location] = field(default_factory=dict)
    quotes: dict[str, str] = field(default_factory=dict)
    origin: str = "structured"
    pages: int | None = None
    readable: bool = True
    sha256: str = ""
    warnings: list[LoadWarning] = field(default_factory=list)
    language_detected: str | None = None
    engine: str | None = None
    text: Any = None  # prepared text (dpia_check.text.PreparedText) for text-origin documents
    memo: Memo | None = field(default=None, init=False, repr=False, compare=False)

    @contextmanager
    def memoised(self) -> Iterator[Memo]:
        """Remember lookups while the data cannot change (one engine run); forget them after,
        so code that edits ``data`` between runs never reads a stale value."""
        if self.memo is not None:  # already inside a run
            yield self.memo
            return
        self.memo = Memo()
        try:
            yield self.memo
        finally:
            self.memo = None

    # -- navigation -------------------------------------------------------------
    def get(self, pointer: str) -> Any:
        """Resolve a JSON Pointer against the data; MISSING when absent."""
        memo = self.memo
        if memo is None:
            return resolve(self.data, pointer)
        values = memo.values
        try:
            return values[pointer]
        except KeyError:
            value = values[pointer] = resolve(self.data, pointer)
            return value

    def location(self, pointer: str) -> Location:
        """The best known location for ``pointer``: its own, else the nearest ancestor's."""
        p = pointer
        while True:
            loc = self.locations.get(p)
            if loc is not None:
                if loc.pointer != pointer:
                    return Location(loc.path, loc.page, loc.line, loc.column, pointer if self.origin == "structured" else loc.pointer)
                return loc
            if p in ("", "/"):
                return Location(self.path, pointer=pointer if self.origin == "structured" else None)
            p = p.rsplit("/", 1)[0]

    def exact_location(self, pointer: str) -> Location | None:
        """The location recorded for exactly this pointer (None when it is absent)."""
        return self.locations.get(pointer)

    def evidence(self, pointer: str, quote: str | None = None) -> Evidence:
        """Evidence for a value that exists: its location and a quote of it."""
        memo = self.memo
        if memo is not None:
            key = (pointer, quote)
            ev = memo.evidence.get(key)
            if ev is None:
                ev = memo.evidence[key] = self._evidence(pointer, quote)
            return ev
        return self._evidence(pointer, quote)

    def _evidence(self, pointer: str, quote: str | None) -> Evidence:
        if quote is None:
            quote = self.quotes.get(pointer)
        if quote is None:
            value = self.get(pointer)
            quote = quote_of(value)
        return Evidence(self.location(pointer), quote)

    def absent(self, pointer: str) -> Evidence:
        """Evidence for something missing: no quote, no line (contract: both null)."""
        return Evidence(Location(self.path, pointer=pointer if self.origin == "structured" else None))

    # -- convenience accessors used by the engine and renderers ------------------
    @property
    def title(self) -> str | None:
        v = self.get("/meta/title")
        return str(v) if v else None

    @property
    def language(self) -> str | None:
        v = self.get("/meta/language")
        return str(v) if v else self.language_detected

    @property
    def controller_name(self) -> str | None:
        v = self.get("/meta/controller/name")
        return str(v) if v else None

    @property
    def controller_kind(self) -> str | None:
        v = self.get("/meta/controller/kind")
        return str(v) if v else None


def escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: str | int) -> str:
    """Append tokens to a JSON Pointer."""
    out = pointer.rstrip("/") if pointer != "/" else ""
    for t in tokens:
        token = t if type(t) is str else str(t)
        out += "/" + (escape_token(token) if "~" in token or "/" in token else token)
    return out


def resolve(data: Any, pointer: str) -> Any:
    """Resolve an RFC 6901 pointer; MISSING when any step is absent."""
    if pointer in ("", "/"):
        return data
    cur = data
    for raw in pointer.lstrip("/").split("/"):
        tok = unescape_token(raw)
        if isinstance(cur, dict):
            if tok not in cur:
                return MISSING
            cur = cur[tok]
        elif isinstance(cur, list):
            if not tok.isdigit() or int(tok) >= len(cur):
                return MISSING
            cur = cur[int(tok)]
        else:
            return MISSING
    return cur


def is_empty(value: Any) -> bool:
    """None, MISSING, blank strings and empty containers count as empty."""
    if value is MISSING or value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return False


def quote_of(value: Any, limit: int = 240) -> str | None:
    """A short, deterministic quote of a value for evidence."""
    if value is MISSING or value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (_dt.date, _dt.datetime)):
        text = value.isoformat()
    elif isinstance(value, (int, float, str)):
        text = str(value)
    elif isinstance(value, list):
        if not value:
            return "[]"
        parts = [quote_of(v, limit) or "" for v in value]
        text = "; ".join(p for p in parts if p) or f"{len(value)} entries"
    elif isinstance(value, dict):
        label = next((str(value[k]) for k in ("id", "name", "category") if isinstance(value.get(k), (str, int))), None)
        body = next((str(value[k]) for k in ("description", "claim", "alternative", "outcome", "schedule", "category") if isinstance(value.get(k), str)), None)
        if label and body and body != label:
            text = f"{label}: {body}"
        else:
            text = body or label or ", ".join(
                f"{k}: {quote_of(v, 60)}" for k, v in value.items() if not isinstance(v, (dict, list)) and v is not None
            )
        if not text:
            return None
    else:
        return None
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
