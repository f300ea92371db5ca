"""Safe YAML loading that keeps the line and column of every value.

We compose the YAML node tree (C composer when available: ~12x faster than the pure
Python one) and build plain data ourselves, which lets us: record a JSON Pointer ->
line/column map, refuse duplicate keys (a second ``risks:`` would silently replace the
first), refuse every non-standard tag (no Python objects, ever), and bound alias
expansion and nesting depth (billion-laughs and stack exhaustion).

Files come from outside the organisation, so every step is bounded *before* the costly
one: the text is checked for characters YAML forbids, then the recursive composer builds
the node tree (~400 bytes per node) under a guard that stops it as soon as it nests
deeper than ``MAX_DEPTH`` or makes more than ``MAX_NODES`` nodes, and the builder bounds
what aliases may add (``MAX_NODES`` values, and scalar text of at most twice the file
plus 1 MB). Whenever the guarded composer stops or fails, a streaming pass over the
parser's events (iterative in both libyaml and PyYAML, and lazy: it stops at the first
violation) names the first problem in the file, exactly as if it had run first; a file
within the limits is parsed once, not twice.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from dpia_check.errors import InputError, printable
from dpia_check.load import SETTINGS_FILE_LIMIT
from dpia_check.load.encoding import ENCODING_HINT, decode_utf
from dpia_check.model import Document, LoadWarning, Location, escape_token, join
from dpia_check.schema import DPIA_SCHEMA, FORMAT_VERSION, validate

MAX_NODES = 200_000  # values in the document, counting every alias expansion
MAX_DEPTH = 64  # nested mappings/lists; real DPIAs use fewer than 10
ALIAS_TEXT_ALLOWANCE = 1_000_000  # characters aliases may add on top of twice the file size
MiB = 1024 * 1024

try:  # pragma: no cover - depends on the PyYAML wheel
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:merge",
}
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"

# A waiver's ``expires`` that looks like a date but is none (2025-13-45) stays text: the
# waiver then fails closed with a note (dpia_check.waivers) instead of the whole file
# being refused. In a DPIA the waivers are under /waivers; a waivers file is a list or
# a mapping with a ``waivers:`` list.
DPIA_LOOSE_DATES = re.compile(r"^/waivers/\d+/expires$")
WAIVERS_FILE_LOOSE_DATES = re.compile(r"^(?:/waivers)?/\d+/expires$")

# What YAML 1.1 allows in a stream (PyYAML's Reader.NON_PRINTABLE, inverted).
_NOT_YAML_CHAR = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Control characters a value may not carry even when written as an escape ("\e[31m"):
# they would reach terminals and memos as escape sequences. Bidirectional overrides
# (U+202A-202E, U+2066-2069) are refused too: they can make a quote read backwards.
_CONTROL_IN_VALUE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")


def _short(value: str, limit: int = 60) -> str:
    """A value for an error line: repr'd, one line, never longer than ``limit``."""
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(text)


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1




def read_settings_yaml(path: Path, name: str, what: str, loose_dates: re.Pattern[str] | None = None) -> tuple[Any, dict[str, Location]]:
    """Parse a small YAML settings file (config, waivers): size-bounded, every problem an
    InputError naming ``what`` it is. Empty or comment-only gives ``(None, {})``.
    ``loose_dates``: see :func:`parse_yaml_text`."""
    try:
        if path.stat().st_size > SETTINGS_FILE_LIMIT:
            raise InputError(name, f"{what} is over {SETTINGS_FILE_LIMIT // 1_000_000} MB; this cannot be a settings file")
        text = decode_text(path.read_bytes(), name)
    except OSError as exc:
        raise InputError(name, f"cannot read {what}: {exc.strerror or exc}") from None
    if not text.strip():
        return None, {}
    return parse_yaml_text(text, name, loose_dates=loose_dates)


def decode_text(raw: bytes, name: str) -> str:
    """Decode UTF-8 (BOM optional) or UTF-16 with BOM; see dpia_check.load.encoding."""
    return decode_utf(raw, name, nul_is_binary=False)


_BOM_HINT = "delete it: it is invisible in most editors (two files pasted together?)"
_BOM_AT_LINE_START = re.compile("^[ \t]*\ufeff", re.M)


def _check_characters(text: str, name: str) -> None:
    """Characters YAML forbids in a file, reported with line and column (not a byte offset).

    A byte-order mark that starts a line (after the first) is refused here too: libyaml
    and PyYAML read it differently (an odd syntax error, a key with a hidden character,
    or nothing at all), and it usually means two files were pasted together."""
    bom = next((m for m in _BOM_AT_LINE_START.finditer(text) if m.start() > 0), None) if text.find("\ufeff", 1) >= 0 else None
    if bom is not None:
        line, col = _line_col(text, bom.end() - 1)
        raise InputError(name, "a byte-order mark (U+FEFF) in the middle of the file", line=line, column=col, hint=_BOM_HINT)
    bad = _NOT_YAML_CHAR.search(text)
    if bad is None:
        return
    line, col = _line_col(text, bad.start())
    ch = bad.group()
    if ch == "\x00":
        raise InputError(
            name, "contains a NUL byte: this is a binary file or UTF-16 without a byte-order mark, not YAML text",
            line=line, column=col, hint=ENCODING_HINT,
        )
    raise InputError(
        name, f"contains the control character U+{ord(ch):04X}, which YAML does not allow",
        line=line, column=col, hint="remove it (it is invisible in most editors)",
    )


def _prescan(text: str, name: str) -> None:
    """Bound depth and size on the parser's event stream, before any tree is built.

    Both parsers keep their state on explicit stacks, so this pass cannot exhaust the C
    or Python stack; it stops at the first event past a limit, so a 50 MB flow list or
    100,000 nested brackets cost milliseconds, not gigabytes.

    libyaml 0.2.5+ (bundled since PyYAML 6.0.4) refuses flow nesting past 1,000 levels
    while *scanning ahead*, before it hands us the 65th event; that error would name
    column 1,001. The pure-Python parser scans ahead only as far as a simple key can
    reach, so it is asked again to name the first place past our own limit.
    """
    try:
        _prescan_with(text, name, _Loader)
    except yaml.MarkedYAMLError as exc:
        if _Loader is yaml.SafeLoader or "nesting depth" not in str(exc.problem):
            raise
        _prescan_with(text, name, yaml.SafeLoader)
        raise


def _prescan_with(text: str, name: str, loader: Any) -> None:
    depth = 0
    count = 0
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    nodes = (yaml.ScalarEvent, yaml.AliasEvent, *starts)
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, starts):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise InputError(
                    name, f"nesting deeper than {MAX_DEPTH} levels",
                    line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None, hint="a DPIA needs only a few levels; is this file generated?",
                )
        elif isinstance(event, ends):
            depth -= 1
        if isinstance(event, nodes):
            count += 1
            if count > MAX_NODES:
                mark = event.start_mark
                raise InputError(
                    name, f"more than {MAX_NODES:,} values", line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None,
                    hint="a DPIA holds a few thousand; is this file generated?",
                )


class _LimitReached(Exception):
    """The guarded composer went past a limit (or close to one): let ``_prescan`` judge."""


class _Guard:
    """Mixed into the safe loader: stops it with ``_LimitReached`` before a node would nest
    deeper than ``MAX_DEPTH`` or the parser events could number more than ``MAX_NODES``.

    The composer calls ``descend_resolver`` before it composes each node that is not an
    alias and ``ascend_resolver`` after, so these two see every level of its recursion
    (libyaml's composer recurses on the C stack: this bounds it, as the prescan did).
    The guard is a little stricter than the limits (a scalar may sit one level below
    the deepest collection; aliases are counted by the ``*`` in the text), so stopping
    is not yet an error: ``_prescan`` decides.
    """

    def __init__(self, stream: str, max_nodes: int) -> None:
        super().__init__(stream)  # type: ignore[call-arg]
        self._depth = 0
        self._nodes = 0
        self._max_nodes = max_nodes

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        self._depth += 1
        self._nodes += 1
        if self._depth > MAX_DEPTH or self._nodes > self._max_nodes:
            raise _LimitReached

    def ascend_resolver(self) -> None:
        self._depth -= 1


_guarded: dict[type, type] = {}


def _compose(text: str, guarded: bool) -> yaml.Node | None:
    loader: Any
    if guarded:
        cls = _guarded.get(_Loader)
        if cls is None:  # built on first use, so it follows _Loader (C or pure Python)
            cls = _guarded[_Loader] = type("_GuardedLoader", (_Guard, _Loader), {})
        loader = cls(text, MAX_NODES - text.count("*"))
    else:
        loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class _Builder:
    """Turn composed nodes into plain data with a pointer -> Location map."""

    def __init__(self, name: str, max_chars: int, loose_dates: re.Pattern[str] | None = None) -> None:
        self.name = name
        self.loose_dates = loose_dates
        self.locations: dict[str, Location] = {}
        self.nodes = 0
        self.chars = 0
        self.max_chars = max_chars
        # a fresh constructor per file: SafeConstructor caches every node it constructs
        self.constructor = yaml.constructor.SafeConstructor()

    def _err(self, node: yaml.Node, message: str, hint: str | None = None) -> InputError:
        mark = node.start_mark
        return InputError(self.name, message, line=mark.line + 1, column=mark.column + 1, hint=hint)

    def _count(self, node: yaml.Node) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._err(node, f"aliases expand to more than {MAX_NODES:,} values", hint="YAML aliases may not multiply the document")

    def _check_tag(self, node: yaml.Node) -> None:
        if node.tag not in _SAFE_TAGS:
            raise self._err(node, f"tag {_short(node.tag)} is not allowed", hint="DPIA files may use only plain YAML values")

    def _scalar(self, node: yaml.ScalarNode, pointer: str) -> Any:
        value: str = node.value
        self.chars += len(value)
        if self.chars > self.max_chars:
            raise self._err(node, f"aliases expand the text to more than {self.max_chars:,} characters", hint="YAML aliases may not multiply the document")
        bad = _CONTROL_IN_VALUE.search(value)
        if bad is not None:
            raise self._err(
                node, f"value contains the control character U+{ord(bad.group()):04X} (a terminal escape code or a text-direction override?)",
                hint="DPIA text may not contain control characters; remove the escape",
            )
        if node.tag == _STR:  # what SafeConstructor would return for it, without the detour
            return value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, TypeError, yaml.YAMLError) as exc:
            if node.tag == _TIMESTAMP and self.loose_dates is not None and self.loose_dates.match(pointer):
                return value  # judged (and refused, with a note) by dpia_check.waivers
            reason = " ".join(str(exc).split())
            if "integer string conversion" in reason:
                reason = "a number longer than Python reads (4300 digits)"
            raise self._err(node, f"cannot read value {_short(value)}: {reason[:120]}") from None

    def _merge_pairs(self, value_node: yaml.Node, depth: int) -> list[tuple[yaml.Node, yaml.Node]]:
        """The key/value pairs a ``<<`` key brings in (nested merges followed, every pair counted)."""
        if depth > MAX_DEPTH:
            raise self._err(value_node, f"merge keys (<<) nested deeper than {MAX_DEPTH} levels")
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        for src in sources:
            if not isinstance(src, yaml.MappingNode):
                raise self._err(src, "a merge key (<<) must refer to a mapping")
            for key_node, val_node in src.value:
                self._count(key_node)
                if key_node.tag == _MERGE:
                    pairs.extend(self._merge_pairs(val_node, depth + 1))
                else:
                    pairs.append((key_node, val_node))
        return pairs

    def _key(self, key_node: yaml.Node) -> str:
        if not isinstance(key_node, yaml.ScalarNode):
            raise self._err(key_node, "mapping keys must be plain text")
        self._check_tag(key_node)
        key: str = key_node.value
        if _CONTROL_IN_VALUE.search(key):
            raise self._err(key_node, "a key contains a control character", hint="remove it")
        if "\ufeff" in key:  # would turn `title:` into an unknown key and hide the section
            raise self._err(key_node, f"the key {_short(key)} contains a byte-order mark (U+FEFF)", hint=_BOM_HINT)
        return key

    def build(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        self._count(node)
        if depth > MAX_DEPTH:
            raise self._err(node, f"nesting deeper than {MAX_DEPTH} levels", hint="an alias that contains itself?")
        self._check_tag(node)
        locations = self.locations
        if pointer not in locations:
            locations[pointer] = Location(self.name, line=node.start_mark.line + 1, column=node.start_mark.column + 1, pointer=pointer)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, pointer)
        base = join(pointer)  # join(pointer, token) == join(pointer) + "/" + escaped token
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, f"{base}/{i}", depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            merged: list[tuple[yaml.Node, yaml.Node]] = []
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    merged.extend(self._merge_pairs(value_node, depth + 1))
                    continue
                key = self._key(key_node)
                if key in out:
                    raise self._err(key_node, f"duplicate key {_short(key)}", hint="a second occurrence would silently replace the first; merge them")
                child = base + "/" + (escape_token(key) if "~" in key or "/" in key else key)
                # keep the key's line (more useful than the value's) for the pointer
                mark = key_node.start_mark
                locations[child] = Location(self.name, line=mark.line + 1, column=mark.column + 1, pointer=child)
                out[key] = self.build(value_node, child, depth + 1)
            for key_node, value_node in merged:  # explicit keys win, then earlier merges
                key = self._key(key_node)
                if key not in out:
                    out[key] = self.build(value_node, join(pointer, key), depth + 1)
            return out
        raise self._err(node, "unsupported YAML node")  # pragma: no cover


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


# libyaml and PyYAML word some problems differently; give both loaders one message.
_PROBLEMS: tuple[tuple[str, str, str | None], ...] = (
    ("mapping values are not allowed", "a ': ' where no key can start",
     "put quotes around text that contains ': ', or fix the indentation"),
    ("expected ',' or ']'", "an unclosed '[' or a missing comma", None),
    ("expected ',' or '}'", "an unclosed '{' or a missing comma", None),
    ("undefined alias", "an alias (*name) that refers to no anchor", None),
    ("duplicate anchor", "the same anchor (&name) is defined twice", None),
    ("found another document", "more than one YAML document", "a DPIA file holds exactly one YAML document"),
    ("end of stream", "the file ends inside a value", "a quote or bracket is probably not closed"),
    ("expected '-' indicator", "a list item is mis-indented or mixed with keys", "check the indentation"),
)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, name: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    problem = " ".join((exc.problem or exc.context or "syntax error").split())
    hint: str | None = None
    if (mark is not None and _char_at(text, mark.line, mark.column) == "\t") or "\\t" in problem or "tab" in problem.lower():
        problem, hint = "a tab character where YAML needs spaces", "indent with spaces, never tabs"
    else:
        for needle, better, tip in _PROBLEMS:
            if needle in problem or needle in (exc.context or ""):
                problem, hint = better, tip
                break
        started = exc.context_mark
        if started is not None and mark is not None and started.line != mark.line and (exc.context or "").startswith("while "):
            where = " ".join((exc.context or "").split()).removeprefix("while ")
            problem += f" ({where} that starts at line {started.line + 1})"
    return InputError(
        name,
        f"YAML syntax error: {problem}",
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
        hint=hint,
    )


def parse_yaml_text(text: str, name: str, *, loose_dates: re.Pattern[str] | None = None) -> tuple[Any, dict[str, Location]]:
    """Parse YAML text into (data, locations); every problem is an InputError.

    A stream with no document at all (empty, or only comments) gives ``(None, {})``.
    A date-like value that is no date (``2025-13-45``) is an error, except at pointers
    ``loose_dates`` matches, where it stays text for the caller to judge.
    """
    _check_characters(text, name)
    try:
        try:
            root = _compose(text, guarded=True)
        except _LimitReached:
            _prescan(text, name)  # raises for the first event past a limit, if there is one
            root = _compose(text, guarded=False)  # within the limits after all (see _Guard)
        except yaml.YAMLError:
            _prescan(text, name)  # a problem earlier in the file, or a limit, is reported first
            raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, name) from None
    except yaml.YAMLError as exc:
        raise InputError(name, f"YAML error: {' '.join(str(exc).split())[:200]}") from None
    except RecursionError:  # pragma: no cover - the prescan bounds depth first
        raise InputError(name, "nesting too deep to read") from None
    if root is None:  # only comments or blank lines: callers decide (config: fine; DPIA: an error)
        return None, {}
    builder = _Builder(name, max_chars=2 * len(text) + ALIAS_TEXT_ALLOWANCE, loose_dates=loose_dates)
    try:
        data = builder.build(root, "", 0)
    except RecursionError:  # pragma: no cover - depth is bounded by MAX_DEPTH
        raise InputError(name, "nesting too deep to read") from None
    return data, builder.locations


def _size_error(name: str, size: int | None, max_bytes: int) -> InputError:
    limit = f"{max_bytes / MiB:g} MB" if max_bytes >= MiB else f"{max_bytes:,}-byte"
    what = f"file is {size / MiB:.1f} MB" if size is not None else "file is larger than the limit"
    return InputError(name, f"{what}, over the {limit} limit", hint="raise the limit with --max-size (in MB) if the file is genuine")


def read_limited(path: Path, max_bytes: int) -> bytes:
    """Read at most ``max_bytes`` (a file may grow, or lie about its size like /proc files)."""
    name = str(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except PermissionError:
        raise InputError(name, "permission denied: the file cannot be read") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise _size_error(name, None, max_bytes)
    return raw


def load_yaml(path: Path, *, max_bytes: int) -> Document:
    """Load a YAML DPIA; structural problems end the run, unknown keys become warnings."""
    name = printable(str(path))  # the name shown in reports; the file is read by ``path``
    return load_yaml_bytes(read_limited(path, max_bytes), name)


def load_yaml_bytes(raw: bytes, name: str) -> Document:
    """``load_yaml`` for bytes already read (standard input)."""
    text = decode_text(raw, name)
    if not text.strip():
        raise InputError(name, "the file is empty", hint="start from `dpia-check init`")
    data, locations = parse_yaml_text(text, name, loose_dates=DPIA_LOOSE_DATES)
    if data is None and not locations:
        raise InputError(name, "the file is empty", hint="start from `dpia-check init`")
    return document_from_data(data, locations, name, sha256=hashlib.sha256(raw).hexdigest())


def document_from_data(data: Any, locations: dict[str, Location], name: str, sha256: str = "") -> Document:
    """Validate parsed data against the format and wrap it in a Document."""
    if not isinstance(data, dict):
        loc = locations.get("")
        kind = "a list" if isinstance(data, list) else "a single value"
        raise InputError(
            name, f"the top level must be a mapping of sections, found {kind}",
            line=loc.line if loc else None, column=loc.column if loc else None,
            hint="a DPIA file starts with `dpia_format: 1` and sections such as `meta:`",
        )
    warnings: list[LoadWarning] = []
    version = data.get("dpia_format")
    if version is None:
        sections = set(DPIA_SCHEMA["properties"]) - {"waivers"}  # a waivers file has that key too
        if not any(key in sections for key in data):
            # a config, a waivers file, a CI file: judging it would report every section missing
            raise InputError(
                name, "does not look like a DPIA: no dpia_format key and none of its sections (meta, processing, risks, ...)",
                line=1, column=1, hint=f"a DPIA file starts with `dpia_format: {FORMAT_VERSION}`; `dpia-check init` writes one",
            )
        warnings.append(LoadWarning("format-missing", f"no dpia_format key; read as format {FORMAT_VERSION}", Location(name, line=1, pointer="")))
    elif version != FORMAT_VERSION or isinstance(version, bool):
        loc = locations.get("/dpia_format")
        shown = _short(version) if isinstance(version, str) else repr(version)[:60]
        hint = "upgrade dpia-check or convert the file"
        if isinstance(version, str) and version.strip() == str(FORMAT_VERSION):
            hint = f"write it as a number: dpia_format: {FORMAT_VERSION}"
        raise InputError(
            name,
            f"unknown dpia_format {shown}; this version of dpia-check reads format {FORMAT_VERSION}",
            line=loc.line if loc else None,
            column=loc.column if loc else None,
            hint=hint,
        )
    for issue in validate(data):
        loc = _nearest(locations, issue.pointer, name)
        if issue.kind == "unknown-key":
            warnings.append(LoadWarning("unknown-key", f"{issue.message[:200]} at {issue.pointer[:200]}", loc))
            continue
        if _WAIVER_ENTRY.match(issue.pointer):
            continue  # a malformed waiver fails closed, with a note, in dpia_check.waivers
        raise InputError(name, f"{issue.pointer[:200]}: {issue.message[:200]}", line=loc.line, column=loc.column)
    return Document(path=name, format="yaml", data=data, locations=locations, sha256=sha256, warnings=warnings)


_WAIVER_ENTRY = re.compile(r"^/waivers/\d+(?:/|$)")


def _nearest(locations: dict[str, Location], pointer: str, name: str) -> Location:
    p = pointer
    while p:
        if p in locations:
            return locations[p]
        p = p.rsplit("/", 1)[0]
    return locations.get("", Location(name, line=1, pointer=""))
