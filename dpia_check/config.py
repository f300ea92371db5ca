"""Settings from config files, the environment and the command line, with their origin.

A team keeps its choices (threshold, rule selection, severity overrides, output formats,
language, waivers file) next to its DPIAs so every run, local or in CI, judges the same
way. Each setting is taken whole from the highest layer that sets it:

1. the command line;
2. ``--config PATH`` (or, without it, the file named by ``DPIA_CHECK_CONFIG``);
3. the ``.dpia-check.yaml`` nearest to the target, searching its folder and then each
   parent up to the repository root (a folder with ``.git`` or ``.hg``);
4. the nearest ``pyproject.toml`` with a ``[tool.dpia-check]`` table, same search;
5. the user config ``$XDG_CONFIG_HOME/dpia-check/config.yaml`` (``~/.config/...``);
6. built-in defaults.

Every setting remembers where it came from (file and line) so ``dpia-check config show``
can explain the effective configuration and errors can point at the line to fix.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dpia_check.errors import InputError

PROJECT_FILE = ".dpia-check.yaml"
ENV_VAR = "DPIA_CHECK_CONFIG"
TOOL_TABLE = "dpia-check"
SEVERITIES = ("critical", "high", "medium", "low", "info")
LANGS = ("en", "sr-Latn", "sr-Cyrl")
REPO_MARKERS = (".git", ".hg")


@dataclass(frozen=True)
class Origin:
    """Where a setting came from: a label for people plus the file and line for errors."""

    label: str
    path: str | None = None
    line: int | None = None

    def error(self, message: str, hint: str | None = None) -> InputError:
        """An InputError pointing at this origin (the file and line, or the option)."""
        return InputError(self.path or self.label, message, line=self.line, hint=hint)


DEFAULT = Origin("default")


@dataclass(frozen=True)
class Spec:
    """One setting: how to check a raw value and what it defaults to."""

    name: str
    default: Any
    check: Callable[[Any, Origin, Path | None], Any]
    help: str


def _severity(value: Any, origin: Origin, _base: Path | None) -> str:
    if value not in SEVERITIES:
        raise origin.error(f"fail_on must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return str(value)


def _lang(value: Any, origin: Origin, _base: Path | None) -> str:
    if value not in LANGS:
        raise origin.error(f"lang must be one of {', '.join(LANGS)}, not {value!r}")
    return str(value)


def _patterns(value: Any, origin: Origin, _base: Path | None) -> list[str]:
    """A list of selectors, or one comma-separated string of them."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise origin.error("expected a list of rule ids, globs, articles (art54) or tags")
    return [part.strip() for v in items for part in v.split(",") if part.strip()]


def _severity_map(value: Any, origin: Origin, _base: Path | None) -> dict[str, str]:
    """``{selector: level}``; the CLI gives ``["selector=level", ...]``."""
    if isinstance(value, list):
        pairs: dict[str, str] = {}
        for item in value:
            sel, sep, level = str(item).partition("=")
            if not sep or not sel.strip():
                raise origin.error(f"severity override {item!r} must look like RULE=LEVEL", hint="e.g. lpdp.54.13-review=high")
            pairs[sel.strip()] = level.strip()
        value = pairs
    if not isinstance(value, dict):
        raise origin.error("severity must map rule ids (or globs, articles, tags) to a severity")
    out: dict[str, str] = {}
    for sel, level in value.items():
        if level not in SEVERITIES:
            raise origin.error(f"severity for {sel!r} must be one of {', '.join(SEVERITIES)}, not {level!r}")
        out[str(sel)] = str(level)
    return out


def _format(value: Any, origin: Origin, _base: Path | None) -> str:
    from dpia_check.report.registry import FORMATS

    if not isinstance(value, str) or value not in FORMATS:
        raise origin.error(f"unknown format {value!r}", hint="choose one of: " + ", ".join(sorted(FORMATS)))
    return value


def _outputs(value: Any, origin: Origin, base: Path | None) -> list[str]:
    """``FORMAT=PATH`` (or ``PATH``) items; relative paths are relative to the config file."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        raise origin.error("outputs must be a list of FORMAT=PATH items")
    out: list[str] = []
    for item in items:
        fmt, sep, path = item.partition("=")
        if sep and "/" not in fmt and "." not in fmt:
            _format(fmt, origin, base)
            out.append(f"{fmt}={_rebase(path, base)}")
        else:
            out.append(str(_rebase(item, base)))
    return out


def _path(value: Any, origin: Origin, base: Path | None) -> Path:
    if not isinstance(value, (str, Path)) or not str(value).strip():
        raise origin.error("expected a file path")
    return _rebase(str(value), base)


def _jobs(value: Any, origin: Origin, _base: Path | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise origin.error(f"jobs must be a whole number of at least 1, not {value!r}")
    return value


def _rebase(path: str, base: Path | None) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() or base is None else _tidy(base / p)


SPECS: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec("fail_on", "info", _severity, "exit 1 when a finding fails at or above this severity"),
        Spec("select", [], _patterns, "rules to run (ids, globs, art54, tags); empty = all"),
        Spec("ignore", [], _patterns, "rules to leave out (ids, globs, art54, tags)"),
        Spec("severity", {}, _severity_map, "severity overrides: {rule or selector: level}"),
        Spec("format", "text", _format, "report format on stdout"),
        Spec("outputs", [], _outputs, "reports to write: FORMAT=PATH items"),
        Spec("lang", "en", _lang, "language of the report"),
        Spec("waivers", None, _path, "waivers file (YAML)"),
        Spec("baseline", None, _path, "baseline file: known gaps that do not fail the run"),
        Spec("jobs", None, _jobs, "parallel processes for many documents (default: CPUs, at most 8)"),
    )
}


@dataclass
class Layer:
    """The settings one source gives, each with its origin."""

    label: str
    path: str | None
    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)


@dataclass
class Settings:
    """Effective settings plus where each came from and which files were read."""

    values: dict[str, Any]
    origins: dict[str, Origin]
    files: list[str]

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def origin(self, name: str) -> Origin:
        return self.origins[name]

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": {k: {"value": _plain(v), "source": self.origins[k].label} for k, v in self.values.items()},
            "files": self.files,
        }

    def render_text(self) -> str:
        """One line per setting: name, value, source; then the files consulted."""
        rows = [(k, _show(v), self.origins[k].label) for k, v in self.values.items()]
        w0 = max(len(r[0]) for r in rows)
        w1 = min(48, max(len(r[1]) for r in rows))
        lines = [f"{k:<{w0}}  {v:<{w1}}  {src}" for k, v, src in rows]
        lines.append("")
        lines.append("config files read (lowest precedence first): " + (", ".join(self.files) if self.files else "none"))
        return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "{}"
    if isinstance(value, list):
        return ", ".join(str(_plain(v)) for v in value) or "[]"
    return str(_plain(value))


def _tidy(path: Path) -> Path:
    """Shorten to a path relative to the working folder when it lies inside it (stable output)."""
    try:
        return Path(os.path.relpath(path)) if path.is_absolute() and path.resolve().is_relative_to(Path.cwd().resolve()) else path
    except ValueError:  # other drive on Windows
        return path


def _display(path: Path) -> str:
    return _tidy(path).as_posix()


# -- reading files -------------------------------------------------------------------


def read_yaml_layer(path: Path, label: str) -> Layer:
    """A ``.dpia-check.yaml`` (or the user config): a mapping of settings."""
    from dpia_check.load.yaml_loader import read_settings_yaml

    name = _display(path)
    layer = Layer(f"{label} {name}", name)
    data, locs = read_settings_yaml(path, name, "config file")
    if data is None:
        return layer
    if not isinstance(data, dict):
        raise InputError(name, "a config file must be a mapping of settings", line=1)
    _fill(layer, data, lambda key: locs[f"/{key}"].line if f"/{key}" in locs else None, path.parent)
    return layer


def _load_toml(text: str, name: str) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            raise InputError(name, "reading [tool.dpia-check] needs Python 3.11+ or the tomli package") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(name, f"TOML syntax error: {exc}") from None
    except RecursionError:  # tomllib recurses on nested arrays and inline tables
        raise InputError(name, "TOML nested too deeply to read", hint="a config needs only a few levels; is this file generated?") from None


_TOML_HEADER = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
_TOML_KEY = re.compile(r"""^\s*("?)([A-Za-z0-9_-]+)\1\s*=""")


def _toml_key_lines(text: str) -> dict[str, int]:
    """Lines of the keys of ``[tool.dpia-check]`` (tomllib keeps no positions)."""
    lines: dict[str, int] = {}
    table: str | None = None
    for no, raw in enumerate(text.splitlines(), 1):
        m = _TOML_HEADER.match(raw)
        if m:
            table = m.group(1).replace('"', "").replace("'", "").replace(" ", "")
            prefix = f"tool.{TOOL_TABLE}."
            if table.startswith(prefix):
                lines.setdefault(table[len(prefix):].split(".")[0], no)
            continue
        k = _TOML_KEY.match(raw)
        if k and table == f"tool.{TOOL_TABLE}":
            lines.setdefault(k.group(2), no)
    return lines


def has_tool_table(path: Path) -> bool:
    """Cheap test before parsing: does this pyproject mention [tool.dpia-check]?"""
    from dpia_check.load import SETTINGS_FILE_LIMIT

    try:
        with path.open("rb") as fh:
            text = fh.read(SETTINGS_FILE_LIMIT + 1).decode("utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r'^\s*\[\s*tool\.\s*"?dpia-check"?\s*[\].]', text, re.M) is not None


def read_toml_layer(path: Path, label: str, *, explicit: bool = False) -> Layer:
    """The ``[tool.dpia-check]`` table of a pyproject.toml (or any TOML file)."""
    from dpia_check.load import SETTINGS_FILE_LIMIT

    name = _display(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(SETTINGS_FILE_LIMIT + 1)
        if len(raw) > SETTINGS_FILE_LIMIT:
            raise InputError(name, f"config file is over {SETTINGS_FILE_LIMIT // 1_000_000} MB; this cannot be a settings file")
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(name, f"cannot read config file: {exc}") from None
    data = _load_toml(text, name)
    tool = data.get("tool", {})
    table = tool.get(TOOL_TABLE) if isinstance(tool, dict) else None
    layer = Layer(f"{label} {name}".strip(), name)
    if table is None:
        if explicit:  # named on purpose (--config, DPIA_CHECK_CONFIG): say it holds nothing
            raise InputError(name, f"no [tool.{TOOL_TABLE}] table in this TOML file", hint=f"put the settings under [tool.{TOOL_TABLE}], or name a .dpia-check.yaml")
        return layer
    if not isinstance(table, dict):
        raise InputError(name, f"[tool.{TOOL_TABLE}] must be a table")
    lines = _toml_key_lines(text)
    _fill(layer, table, lambda key: lines.get(key), path.parent)
    return layer


def read_layer(path: Path, label: str) -> Layer:
    if path.suffix.lower() == ".toml":
        return read_toml_layer(path, label, explicit=True)
    return read_yaml_layer(path, label)


def _fill(layer: Layer, data: dict[str, Any], line_of: Callable[[str], int | None], base: Path) -> None:
    """Validate every key of a config mapping; unknown keys and bad values are errors."""
    for raw_key, value in data.items():
        key = str(raw_key).replace("-", "_")
        line = line_of(str(raw_key))
        origin = Origin(f"{layer.label}:{line}" if line else layer.label, layer.path, line)
        spec = SPECS.get(key)
        if spec is None:
            import difflib

            close = difflib.get_close_matches(key, list(SPECS), n=1)
            raise origin.error(
                f"unknown setting {raw_key!r}",
                hint=f"did you mean {close[0]!r}?" if close else "settings: " + ", ".join(SPECS),
            )
        if key in layer.values:
            raise origin.error(f"setting {key!r} is given twice")
        layer.values[key] = spec.check(value, origin, base)
        layer.origins[key] = origin


# -- discovery -----------------------------------------------------------------------


def start_folder(targets: list[Path | str]) -> Path:
    """The folder whose config applies: the deepest folder that holds every target."""
    folders: list[Path] = []
    for t in targets:
        s = str(t)
        cut = min((s.find(c) for c in "*?[" if c in s), default=-1)
        if cut >= 0:  # a glob: its fixed leading folder
            s = s[:cut].rsplit("/", 1)[0] if "/" in s[:cut] else "."
            p = Path(s or "/")
        else:
            p = Path(s)
            if not p.is_dir():
                p = p.parent
        folders.append(p.resolve())
    if not folders:
        return Path.cwd().resolve()
    return Path(os.path.commonpath([str(f) for f in folders]))


def _ancestors(start: Path) -> list[Path]:
    """``start`` and its parents, stopping at the repository root (or the filesystem root)."""
    out: list[Path] = []
    for folder in (start, *start.parents):
        out.append(folder)
        if any((folder / m).exists() for m in REPO_MARKERS):
            break
    return out


def find_project_file(start: Path) -> Path | None:
    for folder in _ancestors(start):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def find_pyproject(start: Path) -> Path | None:
    for folder in _ancestors(start):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and has_tool_table(candidate):
            return candidate
    return None


def user_config_path(env: Mapping[str, str]) -> Path:
    if os.name == "nt" and env.get("APPDATA"):  # pragma: no cover - Windows
        return Path(env["APPDATA"]) / "dpia-check" / "config.yaml"
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "dpia-check" / "config.yaml"


def layers_for(targets: list[Path | str], explicit: Path | None = None, env: Mapping[str, str] | None = None) -> list[Layer]:
    """The config layers that apply to ``targets``, lowest precedence first."""
    env = os.environ if env is None else env
    out: list[Layer] = []
    user = user_config_path(env)
    if user.is_file():
        out.append(read_yaml_layer(user, "user config"))
    start = start_folder(targets)
    pyproject = find_pyproject(start)
    if pyproject is not None:
        out.append(read_toml_layer(pyproject, ""))
    project = find_project_file(start)
    if project is not None:
        out.append(read_yaml_layer(project, "project config"))
    if explicit is not None:
        if not explicit.is_file():
            raise InputError(str(explicit), "config file not found", hint="check the --config path")
        out.append(read_layer(explicit, "--config"))
    elif env.get(ENV_VAR):
        path = Path(env[ENV_VAR])
        if not path.is_file():
            raise InputError(f"{ENV_VAR}={path}", "config file not found", hint=f"fix or unset {ENV_VAR}")
        out.append(read_layer(path, ENV_VAR))
    return out


def cli_layer(values: Mapping[str, Any]) -> Layer:
    """Settings given on the command line (only those actually given: not None)."""
    layer = Layer("command line", None)
    for key, value in values.items():
        if value is None:
            continue
        origin = Origin(f"command line (--{key.replace('_', '-')})", f"--{key.replace('_', '-')}")
        layer.values[key] = SPECS[key].check(value, origin, None)
        layer.origins[key] = origin
    return layer


def resolve(layers: list[Layer]) -> Settings:
    """Each setting from the highest layer that sets it, else its default."""
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for name, spec in SPECS.items():
        values[name] = spec.default
        origins[name] = DEFAULT
        for layer in reversed(layers):
            if name in layer.values:
                values[name] = layer.values[name]
                origins[name] = layer.origins[name]
                break
    return Settings(values, origins, [la.path for la in layers if la.path])


def load_settings(
    targets: list[Path | str],
    cli: Mapping[str, Any] | None = None,
    explicit: Path | None = None,
    env: Mapping[str, str] | None = None,
    isolated: bool = False,
) -> Settings:
    """Discover config files for ``targets`` and merge them with the command line.

    ``isolated`` (``--isolated``) reads no config file at all, not even ``--config``: for
    files from outside (a submission that ships its own ``.dpia-check.yaml`` must not
    switch rules off or lower the threshold for whoever checks it)."""
    if isolated and explicit is not None:
        raise InputError("--config", "cannot be combined with --isolated", hint="--isolated reads no config file; drop one of the two")
    layers = [] if isolated else layers_for(targets, explicit, env)
    layers.append(cli_layer(cli or {}))
    return resolve(layers)
