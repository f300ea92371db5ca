"""Jinja2 environments for the memo: shipped templates and a firm's own ``--template``.

Safety rules, because a DPIA is untrusted text and a template may come from anyone:
- HTML templates autoescape; Markdown templates escape every ``{{ value }}`` for Markdown
  (``finalize``), so nothing from the DPIA is emitted raw in either.
- Templates run in a SandboxedEnvironment and load only from their own folder
  (FileSystemLoader rooted there; a symlink that leads out is refused too):
  ``{% include "../../etc/passwd" %}`` fails. Operations that could exhaust memory
  (``"x" * 3000000000``, ``|center(10**9)``, huge format widths) are refused.
- Undefined variables are errors (StrictUndefined); every template problem is an InputError
  naming the template file and line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from dpia_check.errors import InputError
from dpia_check.report.mdtext import MdSafe, md_code, md_escape

__all__ = ["BUILTIN_DIR", "MdSafe", "css_string", "make_env", "md_code", "md_escape", "render_template", "template_kind"]

BUILTIN_DIR = Path(__file__).resolve().parent / "templates"
_KIND_RE = re.compile(r"\.(md|markdown|html|htm)(\.(j2|jinja|jinja2))?$", re.IGNORECASE)


def css_string(value: Any) -> Any:
    """Quote text for a CSS string (page headers): every non-alphanumeric character is hex-escaped."""
    from markupsafe import Markup

    # a hex escape swallows one following space, so each escape ends with its own space
    out = "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):x} " for ch in re.sub(r"\s+", " ", str(value)))
    return Markup(f'"{out}"')


def _finalize_md(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return md_escape(value)


def template_kind(path: Path) -> str:
    """``md`` or ``html``, from the template's file name (``firm.html.j2``, ``memo.md``)."""
    m = _KIND_RE.search(path.name)
    if not m:
        raise InputError(str(path), "cannot tell whether this is a Markdown or an HTML template", hint="name it *.md.j2 or *.html.j2")
    return "md" if m.group(1).lower() in ("md", "markdown") else "html"


MAX_SIZE = 1_000_000  # characters one template operation may produce (``"x" * 3e9`` is refused)
_BIG_WIDTH = re.compile(r"%[-+ #0]*(\d{7,})|\{[^{}]*:[^{}]*?(\d{7,})")


class _OutsideFolder(jinja2.TemplateNotFound):
    """An include that resolves (through a symlink) to a file outside the template's folder."""


class _ConfinedLoader(jinja2.FileSystemLoader):
    """Loads only files whose real path is inside the folder: no ``..``, no symlink out."""

    def __init__(self, folder: Path, entry: str | None) -> None:
        super().__init__(str(folder), followlinks=False)
        self.root = folder.resolve()
        self.entry = entry  # the template the user named may itself be a symlink

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if template != self.entry and filename and not Path(filename).resolve().is_relative_to(self.root):
            raise _OutsideFolder(template, f"{template} is a symlink to a file outside the template's folder")
        return source, filename, uptodate


class _LimitedSandbox(SandboxedEnvironment):
    """The sandbox plus limits on operations that could exhaust memory."""

    intercepted_binops = frozenset(["*", "**", "%"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_SIZE:
                    raise SecurityError(f"template makes a value larger than {MAX_SIZE:,} items")
        elif operator == "**" and isinstance(right, (int, float)) and abs(right) > 100:
            raise SecurityError("template raises to a power above 100")
        elif operator == "%" and isinstance(left, str) and _BIG_WIDTH.search(left):
            raise SecurityError("template formats with a width above a million")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Any:
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map") and _BIG_WIDTH.search(owner):
            raise SecurityError("template formats with a width above a million")
        return super().wrap_str_format(value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
                raise SecurityError(f"template passes a number above {MAX_SIZE:,}")
            if isinstance(value, str) and _BIG_WIDTH.search(value):
                raise SecurityError("template formats with a width above a million")
        return super().call(__context, __obj, *args, **kwargs)


def _limited_filter(env: jinja2.Environment, name: str) -> None:
    """Refuse huge widths and lengths in the built-in filters that pad or wrap text."""
    original = env.filters[name]

    @functools.wraps(original)  # keeps Jinja's pass_environment/pass_context marks
    def guarded(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
                raise SecurityError(f"|{name} with a size above {MAX_SIZE:,}")
            if name == "format" and args and isinstance(args[0], str) and _BIG_WIDTH.search(args[0]):
                raise SecurityError("|format with a width above a million")
        return original(*args, **kwargs)

    env.filters[name] = guarded


def make_env(folder: Path, kind: str, entry: str | None = None) -> jinja2.Environment:
    """A sandboxed environment that loads templates from ``folder`` only."""
    options: dict[str, Any] = {
        "loader": _ConfinedLoader(folder, entry),
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "autoescape": kind == "html",
    }
    if kind == "md":
        options["finalize"] = _finalize_md
    env = _LimitedSandbox(**options)
    for name in ("center", "indent", "wordwrap", "truncate", "format", "batch", "slice"):
        _limited_filter(env, name)
    env.filters["md"] = md_escape
    env.filters["code"] = md_code
    env.filters["css_string"] = css_string
    return env


def _template_line(exc: BaseException, filename: str) -> int | None:
    """The line of ``filename`` a runtime template error happened on (Jinja rewrites tracebacks)."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).name == Path(filename).name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render_template(kind: str, builtin_name: str, template: Path | None, context: dict[str, Any]) -> str:
    """Render the firm's template if it is of this ``kind``, else the shipped ``builtin_name``."""
    if template is not None and template_kind(Path(template)) == kind:
        path = Path(template)
        if not path.is_file():
            raise InputError(str(path), "template not found", hint="give the path of a Jinja2 template file")
        folder, name = path.absolute().parent, path.name
        shown = str(path)
    else:
        folder, name, shown = BUILTIN_DIR, builtin_name, f"(built-in) {builtin_name}"
    env = make_env(folder, kind, entry=name)
    lang = context.get("memo", {}).get("lang", "en")
    from dpia_check.report.memo import say

    env.globals["tr"] = lambda en, sr: say(lang, en, sr)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        culprit = shown if not exc.name or exc.name == name else str(Path(shown).parent / exc.name)
        raise InputError(culprit, f"template syntax error: {exc.message}", line=exc.lineno) from None
    except _OutsideFolder as exc:
        raise InputError(shown, f"template refused: {exc.message}", hint="templates can include only files in their own folder") from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(shown, f"template not found: {exc.name}", hint="templates can include only files in their own folder") from None
    except (jinja2.UndefinedError, SecurityError, TypeError, ValueError, AttributeError, KeyError, OverflowError, ZeroDivisionError) as exc:
        raise InputError(shown, f"template error: {exc}", line=_template_line(exc, name)) from None
    except (RecursionError, MemoryError) as exc:
        raise InputError(shown, f"template error: {type(exc).__name__}") from None
