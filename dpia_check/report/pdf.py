"""The findings memo as PDF: the HTML memo printed by a headless Chromium-family browser.

Why Chromium and not WeasyPrint: the PDF is then exactly the HTML memo that the browser test
checks (one layout engine, not two); it adds no Python dependency; and a Chromium-family
browser (Chromium, Google Chrome, Microsoft Edge) is already on most lawyers' desktops and CI
runners, while WeasyPrint needs the Pango libraries (a separate GTK install on Windows).

The browser runs with a throw-away profile and name resolution blocked, so a memo cannot
reach the network. The page it prints is a local file, and a file page may load other local
files (an ``<iframe src="file:///...">`` would print that file into the memo); so the printed
page always carries a Content-Security-Policy (``PRINT_POLICY``) that allows only inline
styles and ``data:`` images and fonts — a firm's template cannot pull in anything outside
itself, and cannot run scripts. Set ``DPIA_CHECK_CHROMIUM`` to the browser's path if it is not
found on PATH. The PDF's creation and modification dates are fixed (``SOURCE_DATE_EPOCH`` or
1970-01-01) so the same memo gives the same bytes with the same browser.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from dpia_check.errors import InputError
from dpia_check.report.model import Report

ENV_VAR = "DPIA_CHECK_CHROMIUM"
TIMEOUT_SECONDS = 120
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge", "microsoft-edge")
_FIXED_PATHS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
)
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})")
PRINT_POLICY = "default-src 'none'; style-src 'unsafe-inline' data:; img-src data:; font-src data:"
_POLICY_META = f'<meta http-equiv="Content-Security-Policy" content="{PRINT_POLICY}">'
_DOCTYPE = re.compile(r"\A\ufeff?\s*(?:<!--.*?-->\s*)*<!doctype[^>]*>", re.IGNORECASE | re.DOTALL)


def find_browser() -> str | None:
    """The browser to print with: ``$DPIA_CHECK_CHROMIUM``, else the first one found."""
    override = os.environ.get(ENV_VAR)
    if override:
        return override if (Path(override).is_file() or shutil.which(override)) else None
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _FIXED_PATHS if Path(p).is_file()), None)


def browser_args(browser: str, profile: Path) -> list[str]:
    """Headless flags: throw-away profile, no name resolution, no first-run chatter."""
    args = [
        browser,
        "--headless",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return args


def _missing_browser() -> InputError:
    return InputError(
        "--format pdf",
        "PDF output needs Chromium, Google Chrome or Microsoft Edge, and none was found",
        hint=f"install one (Debian/Ubuntu: apt-get install chromium) or set {ENV_VAR} to its path; or use --format html and print it",
    )


def _fixed_date() -> bytes:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "0")
    try:
        when = _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        when = _dt.datetime.fromtimestamp(0, tz=_dt.timezone.utc)
    stamp = when.strftime("%Y%m%d%H%M%S").encode()
    return stamp if len(stamp) == 14 else b"19700101000000"  # same length, or the offsets break


def stabilise(pdf: bytes) -> bytes:
    """Replace the run's timestamps by a fixed date of the same length (offsets stay valid)."""
    stamp = _fixed_date()
    return _PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + stamp, pdf)


def run_browser(browser: str, profile: Path, args: list[str], *, timeout: float = TIMEOUT_SECONDS) -> tuple[int, bytes, bytes]:
    """Run the headless browser in its own process group and leave nothing behind.

    Returns (exit code, stdout, stderr). Chromium forks helper processes that can outlive
    the main one for a moment; the whole group is killed once the main process is done.
    """
    cmd = [*browser_args(browser, profile), *args]
    posix = os.name == "posix"
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=posix)
    except (FileNotFoundError, PermissionError):
        raise _missing_browser() from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        raise InputError("--format pdf", f"{Path(browser).name} did not finish within {timeout:g} s") from None
    finally:
        _kill_group(proc)
    return proc.returncode, out, err


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    elif proc.poll() is None:
        proc.kill()


def confine(html: str) -> str:
    """``html`` with ``PRINT_POLICY`` as its first element, before anything that could load.

    The policy goes right after the doctype (so the page keeps its standards mode); the HTML
    parser moves a ``<meta>`` found there into the page's head, where a policy applies to all
    that follows. A policy of the page's own can only narrow it further.
    """
    m = _DOCTYPE.match(html)
    cut = m.end() if m else 0
    return html[:cut] + _POLICY_META + html[cut:]


def html_to_pdf(html: str, *, browser: str | None = None, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """Print ``html`` to PDF with a headless browser; InputError when that is impossible."""
    browser = browser or find_browser()
    if not browser:
        raise _missing_browser()
    with tempfile.TemporaryDirectory(prefix="dpia-check-pdf-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        page = folder / "memo.html"
        out = folder / "memo.pdf"
        page.write_text(confine(html), encoding="utf-8")
        code, _, err = run_browser(browser, folder / "profile", [f"--print-to-pdf={out}", "--no-pdf-header-footer", page.as_uri()], timeout=timeout)
        if not out.is_file() or not out.read_bytes().startswith(b"%PDF"):
            detail = err.decode("utf-8", "replace").strip().splitlines()
            last = detail[-1] if detail else f"exit code {code}"
            raise InputError("--format pdf", f"{Path(browser).name} could not print the memo: {last}")
        return stabilise(out.read_bytes())


def render(report: Report, *, ruleset: Any = None, template: Path | None = None, summary: bool = False, **_: Any) -> bytes:
    """The HTML memo (shipped or ``template``), printed to PDF."""
    from dpia_check.report import html

    browser = find_browser()
    if not browser:
        raise _missing_browser()
    return html_to_pdf(html.render(report, ruleset=ruleset, template=template), browser=browser)
