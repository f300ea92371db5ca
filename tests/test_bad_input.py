"""Hostile and broken input: every case ends in exit 2 and one clear stderr line.

A DPIA checker reads files from outside the organisation. For each bad input built
below (no committed blobs: every file is generated in the test set-up) the CLI must:
exit 2; print exactly one line on stderr that names the file and says what is wrong
(and where, and what to do); never print a traceback; finish within seconds and well
under 1 GiB of memory; and leave no output file behind, half-written or otherwise (an
existing report stays byte-identical).

Cases whose cost or danger matters (bombs, deep nesting, huge inputs, damaged PDFs,
permissions, pipes) run in a subprocess under ``RLIMIT_AS`` (1 GiB) and a timeout, and
their peak memory is checked; the others run ``main()`` in-process to keep the suite fast. Beyond the one parametrised test, a few focused
tests cover what is not an exit-2 case: BOM-marked files load, both YAML loaders
report the same errors, DPIA text is escaped in reports, ``--debug`` shows the traceback.
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import resource
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from dpia_check.errors import InputError
from dpia_check.load import load_document
from dpia_check.load import yaml_loader as yl
from tests.conftest import ROOT, SAMPLES

try:
    from tests import pdfgen
except ImportError:  # pragma: no cover - run from inside tests/
    import pdfgen  # type: ignore[no-redef]

TIMEOUT_S = 20.0
MEMORY_LIMIT = 1 << 30  # RLIMIT_AS for subprocess cases
SOUND = SAMPLES / "hospital-booking.dpia.yaml"
SENTINEL = b"previous report, must survive a failed run\n"
PWNED = "pwned-marker"

HAVE_TEXT_LOADER = (ROOT / "dpia_check" / "load" / "text_loader.py").exists()
NEEDS_TEXT_LOADER = pytest.mark.xfail(
    not HAVE_TEXT_LOADER, strict=True, reason="dpia_check/load/text_loader.py (PDF/text -> Document) is not written yet"
)


# -- the corpus ---------------------------------------------------------------------------


def _sound_text() -> str:
    return SOUND.read_text(encoding="utf-8")


def _with_title(title_yaml: str) -> str:
    """The sound sample with its meta.title replaced by ``title_yaml`` (a YAML scalar)."""
    lines = _sound_text().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("  title:"):
            lines[i] = f"  title: {title_yaml}"
            return "\n".join(lines)
    raise AssertionError("sample has no meta.title")  # pragma: no cover


def _billion_laughs() -> str:
    out = ['dpia_format: 1', 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    prev = "a"
    for name in "bcdefghi":
        out.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    out.append("risks: *i")
    return "\n".join(out) + "\n"


def _alias_text_bomb() -> str:
    """300 KB of text repeated by 3,000 aliases: a 0.5 MB file that is 900 MB of risk text."""
    lines = ["dpia_format: 1", 'boiler: &t "' + "risk of harm to data subjects " * 10_000 + '"', "risks:"]
    lines += [f"  - {{id: R{i}, description: *t, likelihood: high, severity: high}}" for i in range(3_000)]
    return "\n".join(lines) + "\n"


def _xref_loop_pdf(path: Path) -> None:
    """A text PDF whose trailer's /Prev points back at its own xref table (a loop)."""
    pdfgen.simple_pdf(path, [["# Data protection impact assessment", "The controller assesses the risks."]])
    data = path.read_bytes()
    start = int(data.rsplit(b"startxref", 1)[1].split()[0])
    data = data.replace(b"trailer\n<<", b"trailer\n<< /Prev %d" % start, 1)
    path.write_bytes(data)


@dataclass(frozen=True)
class Case:
    """One bad input: how to build it, what the CLI must say about it."""

    id: str
    build: Callable[[Path], list[str]]  # writes files into the case folder, returns the CLI arguments
    expect: tuple[str, ...]  # case-insensitive substrings of the stderr line ("a|b" = either)
    names: str | None = None  # the path the line must name (default: the first argument)
    subprocess: bool = False  # run under memory/time limits (costly or dangerous cases)
    existing_output: bool = False  # a previous report exists and must stay byte-identical
    codes: frozenset[int] = frozenset({2})
    needs_text_loader: bool = False
    needs_privilege_drop: bool = False


def _yaml(name: str, text: str | bytes) -> Callable[[Path], list[str]]:
    def build(d: Path) -> list[str]:
        p = d / name
        p.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return [name]

    return build


def _file(name: str, make: Callable[[Path], object], *extra: str) -> Callable[[Path], list[str]]:
    def build(d: Path) -> list[str]:
        make(d / name)
        return [name, *extra]

    return build


def _with_args(build: Callable[[Path], list[str]], *extra: str) -> Callable[[Path], list[str]]:
    return lambda d: [*build(d), *extra]


def _missing(d: Path) -> list[str]:
    return ["nowhere/missing.dpia.yaml"]


def _directory(d: Path) -> list[str]:
    (d / "folder.yaml").mkdir()
    return ["folder.yaml"]


def _unreadable(d: Path) -> list[str]:
    p = d / "locked.dpia.yaml"
    p.write_text(_sound_text(), encoding="utf-8")
    p.chmod(0)
    return [p.name]


def _fifo(d: Path) -> list[str]:
    os.mkfifo(d / "pipe.yaml")
    return ["pipe.yaml"]


def _docx(d: Path) -> list[str]:
    import zipfile

    with zipfile.ZipFile(d / "submission.docx", "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return ["submission.docx"]


def _out_missing_folder(d: Path) -> list[str]:
    (d / "ok.yaml").write_text(_sound_text(), encoding="utf-8")
    return ["ok.yaml", "-o", "no-such-folder/report.json"]


def _out_is_directory(d: Path) -> list[str]:
    (d / "ok.yaml").write_text(_sound_text(), encoding="utf-8")
    (d / "report-dir").mkdir()
    return ["ok.yaml", "-o", "report-dir"]


def _bad_config(d: Path) -> list[str]:
    (d / "ok.yaml").write_text(_sound_text(), encoding="utf-8")
    (d / "settings.yaml").write_text("fail_on: high\nlang: en\nfail_on: info\n", encoding="utf-8")
    return ["ok.yaml", "--config", "settings.yaml"]


def _template(body: str, *, secret_link: bool = False) -> Callable[[Path], list[str]]:
    """A memo template in its own folder, next to a secret file it must never reach."""

    def build(d: Path) -> list[str]:
        (d / "ok.yaml").write_text(_sound_text(), encoding="utf-8")
        (d / "secret.txt").write_text("TOP-SECRET-DO-NOT-LEAK\n", encoding="utf-8")
        folder = d / "tpl"
        folder.mkdir()
        if secret_link:
            (folder / "notes.txt").symlink_to(d / "secret.txt")
        (folder / "memo.md.j2").write_text(body, encoding="utf-8")
        return ["ok.yaml", "-f", "md", "--template", "tpl/memo.md.j2", "-o", "out/report.md"]

    return build


def _scanned_as_yaml(path: Path) -> None:
    pdfgen.image_only_pdf(path)


def _text_as_pdf(path: Path) -> None:
    path.write_text("This is a plain text DPIA, saved with the wrong extension.\n" * 20, encoding="utf-8")


def _garbage_pdf(path: Path) -> None:
    import random

    rng = random.Random(8)
    path.write_bytes(b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(20_000)))


def _binary_txt(path: Path) -> None:
    import random

    rng = random.Random(9)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4_000)))


DOC = ["# Data protection impact assessment", "The controller describes the processing."]


def _javascript_pdf(path: Path) -> None:
    """A text PDF whose catalog runs JavaScript on open and launches a program on close:
    read like any other (PDF text engines run no script), nothing executed."""
    pdfgen.simple_pdf(path, [DOC])
    data = path.read_bytes().replace(
        b"<< /Type /Catalog",
        b"<< /OpenAction << /S /JavaScript /JS (app.launchURL\\('https://evil.example/'\\); while\\(true\\){}) >>"
        b" /AA << /WC << /S /Launch /F (/usr/bin/touch) /P (" + PWNED.encode() + b") >> >> /Type /Catalog",
        1,
    )
    path.write_bytes(data)  # object offsets are now stale: readers rebuild the table


def _copy_sound(d: Path) -> list[str]:
    (d / "ok.yaml").write_text(_sound_text(), encoding="utf-8")
    return ["ok.yaml"]

CASES: list[Case] = [
    # -- YAML ------------------------------------------------------------------------------
    Case("yaml-empty", _yaml("empty.yaml", ""), ("the file is empty",), existing_output=True),
    Case("yaml-only-comments", _yaml("comments.yaml", "# nothing here yet\n\n"), ("the file is empty",)),
    Case("yaml-root-list", _yaml("list.yaml", "- dpia_format: 1\n- meta: {}\n"), (":1:1:", "top level must be a mapping", "found a list")),
    Case("yaml-root-scalar", _yaml("scalar.yaml", "just a sentence\n"), (":1:1:", "top level must be a mapping")),
    Case("yaml-syntax-unclosed-quote", _yaml("quote.yaml", 'dpia_format: 1\nmeta:\n  title: "unclosed\n  language: en\n'),
         ("yaml syntax error", ":5:1:", "line 3", "not closed")),
    Case("yaml-syntax-flow", _yaml("flow.yaml", "dpia_format: 1\nmeta: [a, b\nrisks: []\n"), ("yaml syntax error", ":3:6:", "unclosed '['")),
    Case("yaml-tab-indent", _yaml("tabs.yaml", "dpia_format: 1\nmeta:\n\ttitle: x\n"), (":3:1:", "tab", "spaces")),
    Case("yaml-duplicate-key", _yaml("dup.yaml", "dpia_format: 1\nrisks: []\nmeta: {}\nrisks:\n  - id: R1\n"),
         (":4:1:", "duplicate key 'risks'"), existing_output=True),
    Case("yaml-wrong-type", _yaml("type.yaml", "dpia_format: 1\nrisks: none at all\n"), (":2:1:", "/risks", "expected a list")),
    Case("yaml-unknown-format", _yaml("v7.yaml", "dpia_format: 7\nmeta: {}\n"), (":1:1:", "unknown dpia_format 7", "format 1")),
    Case("yaml-python-tag", _yaml("py.yaml", f'dpia_format: 1\nmeta: !!python/object/apply:os.system ["touch {PWNED}"]\n'),
         (":2:7:", "python/object/apply", "not allowed")),
    Case("yaml-custom-tag", _yaml("vault.yaml", "dpia_format: 1\nmeta:\n  title: !vault abc\n"), (":3:10:", "'!vault' is not allowed")),
    Case("yaml-billion-laughs", _yaml("lol.yaml", _billion_laughs()), ("aliases expand to more than 200,000 values",),
         subprocess=True, existing_output=True),
    Case("yaml-alias-text-bomb", _yaml("aliastext.yaml", _alias_text_bomb()), ("aliases expand the text",), subprocess=True),
    Case("yaml-recursive-alias", _yaml("self.yaml", "dpia_format: 1\nrisks: &r [*r]\n"), ("nesting deeper than 64",)),
    Case("yaml-deep-flow-100k", _yaml("deepflow.yaml", "[" * 100_000), (":1:65:", "nesting deeper than 64"), subprocess=True),
    Case("yaml-deep-block-10k", _yaml("deepblock.yaml", "".join(" " * i + f"k{i}:\n" for i in range(10_000))),
         (":65:65:", "nesting deeper than 64"), subprocess=True),
    Case("yaml-deep-compact-seq-10k", _yaml("deepseq.yaml", "- " * 10_000 + "x\n"), (":1:129:", "nesting deeper than 64")),
    Case("yaml-million-values", _yaml("flat.yaml", "[" + "0," * 1_000_000 + "]\n"), ("more than 200,000 values",), subprocess=True),
    Case("yaml-over-max-size", _with_args(_yaml("huge.yaml", "dpia_format: 1\nmeta:\n  title: " + "x" * (3 << 20) + "\n"), "--max-size", "2"),
         ("3.0 mb", "over the 2 mb limit", "--max-size")),
    Case("yaml-latin2-bytes", _yaml("latin.yaml", b"dpia_format: 1\nmeta:\n  title: Procena uticaja \xe8\xe6\n"),
         (":3:26:", "not valid utf-8", "expected utf-8", "windows-1250")),
    Case("yaml-utf16-without-bom", _yaml("utf16.yaml", "dpia_format: 1\nmeta: {}\n".encode("utf-16-le")), ("utf-16 without a byte-order mark", "utf-8")),
    Case("yaml-nul-byte", _yaml("nul.yaml", b"dpia_format: 1\nmeta:\x00 {}\n"), (":2:6:", "nul byte")),
    Case("yaml-two-documents", _yaml("two.yaml", "dpia_format: 1\n---\ndpia_format: 1\n"), (":2:1:", "more than one yaml document")),
    Case("yaml-terminal-escape", _yaml("esc.yaml", _with_title('"Plan \\e]8;;https://evil.example\\e\\\\click\\e]8;;\\e\\\\"')),
         ("u+001b", "control character")),
    Case("yaml-impossible-date", _yaml("date.yaml", "dpia_format: 1\nmeta:\n  date: 2026-02-30\n"), (":3:9:", "cannot read value '2026-02-30'")),
    # -- paths -----------------------------------------------------------------------------
    Case("path-missing", _missing, ("no such file",)),
    Case("path-directory", _directory, ("folder|directory",)),
    Case("path-unreadable", _unreadable, ("permission denied",), subprocess=True, needs_privilege_drop=True),
    Case("path-fifo", _fifo, ("not a regular file",), subprocess=True),
    Case("path-docx", _docx, ("docx files are not read yet", "libreoffice --headless --convert-to pdf")),
    Case("path-unsupported-extension", _yaml("data.csv", "a,b\n1,2\n"), ("unsupported file type .csv", ".yaml")),
    Case("output-missing-folder", _out_missing_folder, ("does not exist",), names="no-such-folder/report.json"),
    Case("output-is-directory", _out_is_directory, ("directory",), names="report-dir"),
    # -- rules, config and templates ------------------------------------------------------
    Case("config-duplicate-key", _bad_config, (":3:1:", "duplicate key 'fail_on'"), names="settings.yaml"),
    Case("template-syntax-error", _template("# {{ memo.title }\n"), ("template syntax error",), names="tpl/memo.md.j2"),
    Case("template-include-outside", _template('{% include "../secret.txt" %}\n'), ("template not found", "own folder"), names="tpl/memo.md.j2"),
    Case("template-symlink-outside", _template('{% include "notes.txt" %}\n', secret_link=True), ("outside|symlink|not found",),
         names="tpl/memo.md.j2"),
    Case("template-memory-bomb", _template('{{ "x" * 3000000000 }}\n'), ("template",), names="tpl/memo.md.j2", subprocess=True),
    # -- PDF -------------------------------------------------------------------------------
    Case("pdf-not-a-pdf", _file("notes.pdf", _text_as_pdf), ("not a pdf", "plain text"), needs_text_loader=True),
    Case("pdf-docx-renamed", _file("renamed.pdf", pdfgen.docx_named_pdf), ("not a pdf", "docx"), needs_text_loader=True),
    Case("pdf-truncated", _file("cut.pdf", lambda p: pdfgen.truncated_pdf(p, [DOC] * 3, keep=0.5)), ("damaged|truncated",),
         subprocess=True, needs_text_loader=True),
    Case("pdf-garbage-body", _file("garbage.pdf", _garbage_pdf), ("damaged",), subprocess=True, needs_text_loader=True),
    Case("pdf-encrypted-no-password", _file("locked.pdf", lambda p: pdfgen.encrypted_pdf(p, [DOC])), ("encrypted", "--password"),
         existing_output=True, needs_text_loader=True),
    Case("pdf-wrong-password", _file("locked2.pdf", lambda p: pdfgen.encrypted_pdf(p, [DOC]), "--password", "guess"),
         ("wrong password", "--password"), needs_text_loader=True),
    Case("pdf-scanned", _file("scan.pdf", pdfgen.image_only_pdf), ("scanned", "ocr"), needs_text_loader=True),
    Case("pdf-scanned-named-yaml", _file("scan.yaml", _scanned_as_yaml), ("scanned",), needs_text_loader=True),
    Case("pdf-flate-bomb", _file("bomb.pdf", pdfgen.bomb_pdf), ("decompression bomb",), subprocess=True, existing_output=True,
         needs_text_loader=True),
    Case("pdf-5000-pages", _file("many.pdf", lambda p: pdfgen.many_pages_pdf(p, 5_000)), ("5,000 pages", "--max-pages"),
         subprocess=True, needs_text_loader=True),
    Case("pdf-xref-prev-loop-pypdf", _file("loop.pdf", _xref_loop_pdf, "--pdf-engine", "pypdf"), ("",),
         subprocess=True, codes=frozenset({0, 1, 2}), needs_text_loader=True),
    Case("txt-binary-bytes", _file("blob.txt", _binary_txt), ("utf-8|binary",), needs_text_loader=True),
    # -- added: inputs the corpus above did not try ----------------------------------------
    Case("yaml-bom-mid-file", _yaml("joined.yaml", "dpia_format: 1\nmeta: {}\n\ufeffrisks: []\n"), (":3:1:", "byte-order mark", "u+feff")),
    Case("yaml-bom-in-a-key", _yaml("key.yaml", "dpia_format: 1\nmeta:\n  \ufefftitle: x\n"), (":3:3:", "byte-order mark")),
    Case("yaml-crlf-syntax-error", _yaml("crlf.yaml", "dpia_format: 1\r\nmeta: [a, b\r\nrisks: []\r\n"), (":3:6:", "unclosed '['")),
    Case("yaml-not-a-dpia", _yaml("ci.yaml", "stages: [test]\nimage: python:3.11\n"), (":1:1:", "does not look like a dpia", "dpia_format: 1")),
    Case("pdf-zero-bytes", _yaml("empty.pdf", b""), ("empty file", "0 bytes")),
    Case("pdf-is-html", _yaml("page.pdf", "<!DOCTYPE html>\n<html><body><h1>DPIA</h1></body></html>\n"), ("not a pdf", "html")),
    Case("pdf-javascript-action", _file("js.pdf", lambda p: _javascript_pdf(p)), ("",), subprocess=True, codes=frozenset({0, 1}),
         needs_text_loader=True),
    Case("path-spaces-cyrillic-missing", lambda d: ["моја фасцикла/процена утицаја.dpia.yaml"], ("no such file",)),
    Case("option-unknown-format", lambda d: [*_copy_sound(d), "-f", "nosuch", "-o", "out/report.x"], ("unknown format 'nosuch'", "json"),
         names="--format"),
    Case("output-in-missing-cyrillic-folder", lambda d: [*_copy_sound(d), "-o", "извештаји/report.json"], ("does not exist",),
         names="извештаји/report.json"),
]


# -- running the CLI ----------------------------------------------------------------------


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float | None  # subprocess only: the child's own peak RSS


def _drop_file_privileges() -> None:
    """As root, lose the capabilities that bypass file permissions (for the unreadable case)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _can_drop_privileges() -> bool:
    if os.geteuid() != 0:
        return True
    import subprocess

    try:
        subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_drop_file_privileges, check=True, timeout=10)
    except (subprocess.SubprocessError, OSError):
        return False
    return True


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DPIA_CHECK", "PYTHONPATH"))}
    env.update(PYTHONPATH=str(ROOT), XDG_CONFIG_HOME=str(home / "xdg"), HOME=str(home), COLUMNS="120", NO_COLOR="1")
    return env


def run_subprocess(args: list[str], cwd: Path, *, drop_privileges: bool = False) -> Result:
    """Run ``python -m dpia_check check ARGS`` under RLIMIT_AS and a timeout; measure it."""
    import subprocess

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        if drop_privileges and os.geteuid() == 0:
            _drop_file_privileges()

    out, err = cwd / ".stdout", cwd / ".stderr"
    start = time.monotonic()
    with out.open("wb") as fo, err.open("wb") as fe:
        proc = subprocess.Popen(
            [sys.executable, "-m", "dpia_check", "check", *args],
            cwd=cwd, env=_env(cwd), stdin=subprocess.DEVNULL, stdout=fo, stderr=fe, preexec_fn=limits,
        )
        while True:  # wait4, not wait(): it returns the child's own resource usage
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > TIMEOUT_S:
                proc.kill()
                os.wait4(proc.pid, 0)
                pytest.fail(f"dpia-check check {' '.join(args)} did not finish within {TIMEOUT_S} s")
            time.sleep(0.005)
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - start
    result = Result(code, out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"), seconds, usage.ru_maxrss / 1024)
    out.unlink()
    err.unlink()
    return result


def run_inprocess(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Result:
    """Run ``dpia-check check ARGS`` through ``dpia_check.cli.main()`` in this process (cheap cases only)."""
    return _main(["check", *args], cwd, monkeypatch, capsys)


# -- the test -----------------------------------------------------------------------------


def _param(case: Case) -> object:
    marks = [NEEDS_TEXT_LOADER] if case.needs_text_loader else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[str]]]:
    """Build every bad input, each in its own folder with an ``out/`` folder for reports."""
    root = tmp_path_factory.mktemp("bad-inputs")
    built: dict[str, tuple[Path, list[str]]] = {}
    for case in CASES:
        folder = root / case.id
        (folder / "out").mkdir(parents=True)
        args = case.build(folder)
        if "-o" not in args:
            args = [*args, "-f", "json", "-o", "out/report.json"]
        if case.existing_output:
            (folder / "out" / "report.json").write_bytes(SENTINEL)
        built[case.id] = (folder, args)
    return built


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_bad_input_exits_2_with_one_clear_line(
    case: Case, corpus: dict[str, tuple[Path, list[str]]], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, args = corpus[case.id]
    if case.needs_privilege_drop and not _can_drop_privileges():
        pytest.skip("running as root without CAP_SETPCAP: file permissions cannot be enforced")
    if case.subprocess:
        res = run_subprocess(args, folder, drop_privileges=case.needs_privilege_drop)
    else:
        res = run_inprocess(args, folder, monkeypatch, capsys)

    assert "Traceback" not in res.stderr + res.stdout, res.stderr[-2000:]
    assert res.code in case.codes, f"exit {res.code}, stderr: {res.stderr[-1000:]}"
    assert res.seconds < TIMEOUT_S
    if res.peak_mib is not None:
        assert res.peak_mib < 768, f"peak memory {res.peak_mib:.0f} MiB"
    if res.code == 2:
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1, f"expected one stderr line, got: {res.stderr!r}"
        line = lines[0]
        assert line.startswith("dpia-check: error: "), line
        assert (case.names or args[0]) in line, f"the line must name the file: {line}"
        for words in case.expect:
            assert any(w.lower() in line.lower() for w in words.split("|")), f"missing {words!r} in: {line}"
        assert len(line) < 600, f"an error line must stay short: {len(line)} characters"
    # no report, or the previous report untouched, and no temp file left behind
    out = folder / "out"
    if res.code == 2:
        leftovers = sorted(p.name for p in out.iterdir())
        assert leftovers == (["report.json"] if case.existing_output else []), leftovers
        if case.existing_output:
            assert (out / "report.json").read_bytes() == SENTINEL
    assert not (folder / PWNED).exists(), "a YAML tag executed code"
    assert "TOP-SECRET" not in res.stdout
    if (out / "report.md").exists():
        assert "TOP-SECRET" not in (out / "report.md").read_text("utf-8"), "a template read a file outside its folder"


def test_corpus_covers_every_class() -> None:
    """Guard against a case being dropped: each class of the issue keeps its cases."""
    ids = {c.id for c in CASES}
    for prefix, least in {"yaml-": 20, "path-": 5, "output-": 2, "template-": 3, "pdf-": 8, "config-": 1}.items():
        assert sum(i.startswith(prefix) for i in ids) >= least, prefix
    assert len(ids) == len(CASES), "case ids must be unique"


# -- what is not an exit-2 case -----------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16-native-bom"),
        pytest.param(lambda t: b"\xff\xfe" + t.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(lambda t: b"\xfe\xff" + t.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode("utf-8"), id="crlf"),
    ],
)
def test_bom_marked_and_crlf_files_load_like_plain_utf8(tmp_path: Path, encode: Callable[[str], bytes]) -> None:
    text = _sound_text()
    plain = load_document(SOUND)
    path = tmp_path / "marked.dpia.yaml"
    path.write_bytes(encode(text))
    doc = load_document(path)
    assert doc.data == plain.data
    assert doc.locations["/risks"].line == plain.locations["/risks"].line


BROKEN_YAML = [
    "dpia_format: 1\nmeta:\n  title: \"unclosed\n  language: en\n",
    "dpia_format: 1\nmeta: [a, b\nrisks: []\n",
    "dpia_format: 1\nmeta: {a: 1\n",
    "dpia_format: 1\nmeta:\n\ttitle: x\n",
    "dpia_format: 1\nmeta: title: x\n",
    "- a\nb: 1\n",
    "dpia_format: 1\n---\nb: 2\n",
    "a: &x 1\nb: *y\n",
    "a: &x 1\nc: &x 2\n",
    "a: 1\na: 2\n",
    "a: !!python/name:os.system x\n",
    "[" * 70,
    "".join(" " * i + "k:\n" for i in range(70)),
    "a: 1\x07\n",
    "a: 1\n\ufeffb: 2\n",  # a byte-order mark where a line starts: libyaml and PyYAML read it differently
    "a:\n\ufeff  b: 1\n",
    "a:\n  \ufeffb: 1\n",
]


@pytest.mark.parametrize("text", BROKEN_YAML)
def test_c_and_python_loaders_report_the_same_error(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml (the default) and the pure-Python fallback give the same line, column and words."""
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")

    def error(loader: type) -> InputError:
        monkeypatch.setattr(yl, "_Loader", loader)
        with pytest.raises(InputError) as info:
            yl.parse_yaml_text(text, "x.yaml")
        return info.value

    fast, slow = error(yaml.CSafeLoader), error(yaml.SafeLoader)
    assert (fast.line, fast.column) == (slow.line, slow.column)
    assert fast.message.split(":")[0] == slow.message.split(":")[0]
    assert str(fast).count("\n") == 0


def test_limits_reject_just_past_the_bound_and_accept_just_below(monkeypatch: pytest.MonkeyPatch) -> None:
    def nested(levels: int) -> str:  # ``levels`` nested block mappings
        return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "end\n"

    assert yl.parse_yaml_text(nested(yl.MAX_DEPTH), "ok.yaml")[0]
    assert yl.parse_yaml_text("[" * yl.MAX_DEPTH + "]" * yl.MAX_DEPTH, "ok.yaml")[0] is not None
    with pytest.raises(InputError, match="nesting deeper"):
        yl.parse_yaml_text(nested(yl.MAX_DEPTH + 1), "deep.yaml")
    with pytest.raises(InputError, match="nesting deeper"):
        yl.parse_yaml_text("[" * (yl.MAX_DEPTH + 1) + "]" * (yl.MAX_DEPTH + 1), "deep.yaml")
    monkeypatch.setattr(yl, "MAX_NODES", 1_000)  # the real bound is checked by the corpus
    assert len(yl.parse_yaml_text("[" + ", ".join(["1"] * 999) + "]", "many.yaml")[0]) == 999
    with pytest.raises(InputError, match="more than 1,000 values"):
        yl.parse_yaml_text("[" + ", ".join(["1"] * 1_000) + "]", "many.yaml")
    # aliases: 10 x 10 x 10 = 1,000 leaves plus the lists that hold them
    bomb = "a: &a [" + ", ".join(["x"] * 10) + "]\nb: &b [" + ", ".join(["*a"] * 10) + "]\nc: [" + ", ".join(["*b"] * 10) + "]\n"
    with pytest.raises(InputError, match="aliases expand to more than 1,000 values"):
        yl.parse_yaml_text(bomb, "lol.yaml")


def test_a_stream_without_a_document_parses_to_none() -> None:
    """Config and waiver files may hold only comments; only a DPIA file must not be empty."""
    assert yl.parse_yaml_text("# settings to come\n\n", "c.yaml") == (None, {})
    assert yl.parse_yaml_text("~\n", "c.yaml")[0] is None


def test_merge_keys_and_small_aliases_still_work() -> None:
    text = "base: &b {likelihood: low, severity: low}\nrisks:\n  - <<: *b\n    id: R1\n  - <<: [*b]\n    id: R2\n    severity: high\n"
    data, locs = yl.parse_yaml_text(text, "m.yaml")
    assert data["risks"] == [{"id": "R1", "likelihood": "low", "severity": "low"}, {"id": "R2", "severity": "high", "likelihood": "low"}]
    assert locs["/risks/1/id"].line == 6


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"


def test_markup_from_a_dpia_is_shown_as_text(tmp_path: Path) -> None:
    """JSON keeps DPIA text as plain strings; the terminal and the memos show it, never run it."""
    from rich.console import Console

    from dpia_check.engine import Engine
    from dpia_check.report import terminal
    from dpia_check.report.registry import FORMATS, renderer
    from dpia_check.rules import load_ruleset

    data, _ = yl.parse_yaml_text(_sound_text(), "sample")
    title = f"{SCRIPT} [bold]x[/] [/] **bold** | `tick`"
    data["meta"]["title"] = title
    data["meta"]["controller"]["name"] = f"ACME {IMG}"
    data["risks"][0]["description"] = f"{SCRIPT} {IMG} ]]> --> </style>"
    data["risks"][0].pop("measures", None)  # make the risk a finding, so its text is quoted
    path = tmp_path / "markup.dpia.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    ruleset = load_ruleset()
    report = Engine(ruleset).run(load_document(path))

    as_json = json.loads(renderer("json").render(report, ruleset=ruleset))
    assert as_json["document"]["title"] == title

    console = Console(record=True, width=200, no_color=True, file=io.StringIO())
    terminal.render(report, console, verbose=True)
    assert f"{SCRIPT} [bold]x[/] [/]" in console.export_text()

    for fmt in ("html", "md"):
        if fmt not in FORMATS:
            continue
        out = renderer(fmt).render(report, ruleset=ruleset)
        out = out.decode("utf-8") if isinstance(out, bytes) else out
        assert SCRIPT not in out and IMG not in out, f"{fmt} memo emits DPIA text as markup"
        if fmt == "html":
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
            assert "ACME &lt;img src=x onerror=alert(2)&gt;" in out
        else:
            assert "**bold**" not in out


def test_pypdf_limits_are_all_applied_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF loader's pypdf limits are known to this pypdf (none silently dropped after a
    rename) and are pypdf's active configuration while it reads; outside, its defaults apply."""
    import pypdf

    from dpia_check.load.pdf import PYPDF_LIMITS, extract_pdf

    assert set(PYPDF_LIMITS) <= set(pypdf.Configuration.__dataclass_fields__)
    seen: list[object] = []
    original = pypdf.PdfReader.__init__

    def spy(self: object, *args: object, **kwargs: object) -> None:
        seen.append(pypdf.get_configuration())
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pypdf.PdfReader, "__init__", spy)
    path = pdfgen.simple_pdf(tmp_path / "s.pdf", [["# Data protection impact assessment", "Risks are assessed."]])
    assert extract_pdf(path, engine="pypdf").engine == "pypdf"
    assert seen, "pypdf never opened the file"
    for config in seen:
        assert {k: getattr(config, k) for k in PYPDF_LIMITS} == PYPDF_LIMITS
    assert pypdf.get_configuration().zlib_maximum_output_length != PYPDF_LIMITS["zlib_maximum_output_length"]


def test_debug_flag_shows_the_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dpia_check.cli import main

    (tmp_path / "dup.yaml").write_text("a: 1\na: 2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "argv", ["dpia-check", "check", "dup.yaml", "--debug"])
    with pytest.raises(InputError, match="duplicate key"):
        main()


def test_a_good_run_replaces_an_existing_report_atomically(tmp_path: Path) -> None:
    """Write to a temp file, then rename: the old report is replaced whole, its mode kept."""
    from dpia_check.output import write_atomic

    target = tmp_path / "report.json"
    target.write_bytes(SENTINEL)
    target.chmod(0o640)
    write_atomic(target, '{"new": true}\n')
    assert target.read_text() == '{"new": true}\n'
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    fresh = tmp_path / "fresh.json"
    write_atomic(fresh, b"{}")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


def test_a_failing_write_leaves_the_old_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dpia_check import output

    target = tmp_path / "report.json"
    target.write_bytes(SENTINEL)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(InputError, match="No space left"):
        output.write_atomic(target, "x" * 10_000)
    assert target.read_bytes() == SENTINEL
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_malformed_user_rule_file_is_a_clear_error(tmp_path: Path) -> None:
    """No CLI option takes user rules yet; the API that will must fail cleanly."""
    from dpia_check.rules import load_ruleset

    bad = tmp_path / "art99.yaml"
    bad.write_text("article: 99\nrules:\n  - id: x\n  - id: x\nrules: []\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate key 'rules'") as info:
        load_ruleset(extra=[bad])
    assert str(bad) in str(info.value) and info.value.line == 5
    bad.write_text("article: 99\nrules:\n  - id: lpdp.99-x\n    severity: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="YAML syntax error"):
        load_ruleset(extra=[bad])
    bad.write_text("article: 99\nrules:\n  - just text\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_ruleset(extra=[bad])


# -- added: what the corpus above does not reach -------------------------------------------


def _main(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Result:
    """``dpia-check ARGS`` in this process (any command, not only check)."""
    from dpia_check.cli import main

    for key in [k for k in os.environ if k.startswith("DPIA_CHECK")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(cwd / "xdg"))
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["dpia-check", *args])
    capsys.readouterr()
    start = time.monotonic()
    code: int | str | None = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return Result(int(code or 0) if not isinstance(code, str) else 1, captured.out, captured.err, time.monotonic() - start, None)


def _one_line(res: Result, *words: str) -> str:
    assert res.code == 2, (res.code, res.stderr)
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dpia-check: error: "), res.stderr
    for w in words:
        assert w.lower() in lines[0].lower(), lines[0]
    return lines[0]


def test_no_command_writes_over_a_file_it_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """-o (or --write-baseline) naming a DPIA found in a folder or by a glob, a hard link to
    it, the waivers file, diff's OLD or NEW, or extract's PDF: exit 2, the file untouched."""
    dpias = tmp_path / "dpias"
    dpias.mkdir()
    (dpias / "a.dpia.yaml").write_text(_sound_text(), encoding="utf-8")
    (dpias / "b.dpia.yaml").write_text(_sound_text(), encoding="utf-8")
    (tmp_path / "w.yaml").write_text("waivers: []\n", encoding="utf-8")
    os.link(dpias / "a.dpia.yaml", tmp_path / "linked.json")
    pdfgen.simple_pdf(tmp_path / "sub.pdf", [DOC])
    before = {p: p.read_bytes() for p in (dpias / "a.dpia.yaml", dpias / "b.dpia.yaml", tmp_path / "w.yaml", tmp_path / "sub.pdf")}
    for args, words in (
        (["check", "dpias", "-f", "json", "-o", "dpias/a.dpia.yaml"], ("dpias/a.dpia.yaml", "overwrite an input dpia")),
        (["check", "dpias/*.yaml", "-o", "json=./dpias/../dpias/b.dpia.yaml"], ("overwrite an input dpia",)),
        (["check", "dpias/a.dpia.yaml", "-f", "json", "-o", "linked.json"], ("linked.json", "dpias/a.dpia.yaml")),
        (["check", "dpias", "--write-baseline", "dpias/b.dpia.yaml"], ("overwrite an input dpia",)),
        (["check", "dpias/a.dpia.yaml", "--waivers", "w.yaml", "-f", "json", "-o", "w.yaml"], ("w.yaml", "a file this run reads")),
        (["diff", "dpias/a.dpia.yaml", "dpias/b.dpia.yaml", "-o", "dpias/a.dpia.yaml"], ("a dpia being compared",)),
        (["extract", "sub.pdf", "-o", "sub.pdf"], ("sub.pdf", "document being extracted")),
    ):
        _one_line(_main(args, tmp_path, monkeypatch, capsys), *words)
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in dpias.iterdir()) == ["a.dpia.yaml", "b.dpia.yaml"]  # no temp file left


def test_file_names_that_are_not_utf8_are_checked_and_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Archives unpacked from Windows keep cp1251/cp1250 names, which reach Python as lone
    surrogates. Every format is written (the bad bytes shown as U+FFFD), no traceback."""
    from dpia_check.report.registry import FORMATS

    folder = os.fsdecode(b"predmet-\xe8\xe6")  # "predmet-čć" in Windows-1250
    try:
        (tmp_path / folder).mkdir()
    except (OSError, UnicodeEncodeError):  # pragma: no cover - a file system that wants UTF-8 names
        pytest.skip("this file system refuses names that are not UTF-8")
    good = os.fsdecode(b"\xcf\xf0\xee\xf6\xe5\xed\xe0.dpia.yaml")  # "Процена" in Windows-1251
    (tmp_path / folder / good).write_text(MOI_TEXT, encoding="utf-8")
    broken = os.fsdecode(b"\xe8broken.dpia.yaml")
    (tmp_path / folder / broken).write_text("dpia_format: 1\nmeta: [a\n", encoding="utf-8")
    pdfgen.simple_pdf(tmp_path / folder / os.fsdecode(b"\xe8.pdf"), [DOC])
    (tmp_path / "out").mkdir()
    one = f"{folder}/{good}"
    for target, code in ((one, 1), (folder, 2)):
        for fmt in sorted(f for f, spec in FORMATS.items() if not spec.binary):
            if fmt == "html" and target == folder:
                continue  # one document per file
            res = _main(["check", target, "-f", fmt, "-o", f"out/r.{fmt}"], tmp_path, monkeypatch, capsys)
            assert "Traceback" not in res.stderr and res.code == code, (fmt, res.code, res.stderr[-600:])
            written = (tmp_path / "out" / f"r.{fmt}").read_text(encoding="utf-8")  # valid UTF-8
            assert "\ufffd" in written or "%EF%BF%BD" in written, fmt  # SARIF: a percent-encoded URI
    res = _main(["check", folder, "-f", "json", "--jobs", "2"], tmp_path, monkeypatch, capsys)
    data = json.loads(res.stdout)
    assert [e["path"] for e in data["errors"]] == ["predmet-\ufffd\ufffd/\ufffdbroken.dpia.yaml"]
    assert len(data["reports"]) == 2 and res.stderr.count("\n") == 1
    line = _one_line(_main(["check", f"{folder}/{broken}"], tmp_path, monkeypatch, capsys), "yaml syntax error")
    assert "predmet-\ufffd\ufffd/\ufffdbroken.dpia.yaml:3:1" in line


MOI_TEXT = (SOUND.parent / "moi-2020.dpia.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["check", str(SOUND), "-v"], 0),
        (["check", str(SOUND), "-f", "json", "-v"], 0),
        (["check", str(SOUND.parent / "moi-2020.dpia.yaml"), "-v"], 1),
        (["check", str(SOUND.parent), "-f", "json"], 1),  # a batch, streamed
        (["diff", str(SOUND.parent / "moi-2019.dpia.yaml"), str(SOUND.parent / "moi-2020.dpia.yaml"), "-f", "json"], 0),
    ],
)
def test_a_reader_that_stops_early_does_not_change_the_exit_code(tmp_path: Path, args: list[str], code: int) -> None:
    """`dpia-check check x | head`: the check's verdict stays the exit code (not click's 1 for a
    broken pipe, which reads as "failing findings"), with nothing on stderr; -o files are written."""
    out = tmp_path / "r.json"
    extra = ["-o", f"json={out}"] if args[0] == "check" else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "dpia_check", *args, *extra], cwd=ROOT, env=_env(tmp_path),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(5)
    proc.stdout.close()  # the reader leaves, like `head -c 5`
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == code, err
    assert err == ""
    if extra:
        assert json.loads(out.read_text(encoding="utf-8"))  # written whole


def test_an_internal_error_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A bug must not look like a verdict: exit 2 (not Python's 1 = "findings"), one line; --debug shows it."""
    import dpia_check.run

    def broken(cfg: object) -> int:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(dpia_check.run, "run_check", broken)
    line = _one_line(_main(["check", str(SOUND)], tmp_path, monkeypatch, capsys), "internal error", "RecursionError", "--debug")
    assert "Traceback" not in line
    with pytest.raises(RecursionError):
        _main(["check", str(SOUND), "--debug"], tmp_path, monkeypatch, capsys)


@pytest.mark.parametrize("option", ["--max-size", "--max-pages", "--jobs"])
@pytest.mark.parametrize("value", ["0", "-1"])
def test_limits_below_one_are_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], option: str, value: str) -> None:
    _one_line(_main(["check", str(SOUND), option, value], tmp_path, monkeypatch, capsys), option, "x>=1")


def _stdin_run(tmp_path: Path, args: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "dpia_check", *args], cwd=tmp_path, env=_env(tmp_path), input=data, capture_output=True, timeout=120,
    )


def test_standard_input_is_read_as_yaml_or_pdf(tmp_path: Path) -> None:
    """`git show v1:x.dpia.yaml | dpia-check check -` (or `diff - new.yaml`): YAML or PDF on
    standard input, named <stdin> in reports; no temp file left behind."""
    res = _stdin_run(tmp_path, ["check", "-", "-f", "json"], SOUND.read_bytes())
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    assert report["document"]["path"] == "<stdin>" and report["summary"]["verdict"] == "pass"
    pdf = pdfgen.simple_pdf(tmp_path / "s.pdf", [DOC, ["# Risks", "Risks to the rights of data subjects are assessed."]]).read_bytes()
    before = set(Path(os.environ.get("TMPDIR", "/tmp")).glob("dpia-check-stdin-*"))
    res = _stdin_run(tmp_path, ["check", "-", "-f", "json"], pdf)
    report = json.loads(res.stdout)
    assert report["document"]["format"] == "pdf" and report["document"]["path"] == "<stdin>"
    assert all(e["location"]["path"] == "<stdin>" for f in report["findings"] for e in f["evidence"])
    assert set(Path(os.environ.get("TMPDIR", "/tmp")).glob("dpia-check-stdin-*")) == before
    old = (SOUND.parent / "moi-2019.dpia.yaml").read_bytes()
    res = _stdin_run(tmp_path, ["diff", "-", str(SOUND.parent / "moi-2020.dpia.yaml"), "-f", "json"], old)
    assert json.loads(res.stdout)["old"]["document"]["path"] == "<stdin>"


@pytest.mark.parametrize(
    ("args", "data", "words"),
    [
        (["check", "-"], b"", ("<stdin>", "standard input is empty")),
        (["check", "-"], b"dpia_format: 1\nmeta: [\n", ("<stdin>:3:1", "yaml syntax error")),
        (["check", "-"], b"# DPIA\n\n%Notes: text, not YAML\n", ("<stdin>", "read as a yaml dpia or a pdf")),
        (["check", "-", "--max-size", "1"], b"dpia_format: 1\n" + b"#" * (2 << 20), ("<stdin>", "over the 1 mb limit")),
        (["check", "-", str(SOUND)], b"", ("<stdin>", "only on its own")),
        (["check", "-"], b"%PDF-1.7\n" + b"\x00" * 500, ("<stdin>", "damaged")),
    ],
)
def test_bad_standard_input_is_one_clear_line(tmp_path: Path, args: list[str], data: bytes, words: tuple[str, ...]) -> None:
    res = _stdin_run(tmp_path, args, data)
    err = res.stderr.decode("utf-8", "replace")
    assert res.returncode == 2 and "Traceback" not in err, err
    [line] = err.strip().splitlines()
    for w in words:
        assert w.lower() in line.lower(), line
    assert "dpia-check-stdin-" not in line  # the temporary file is never named


def test_a_pipe_given_as_a_path_says_to_use_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`dpia-check diff <(git show v1:x.yaml) x.yaml` hands over /dev/fd/63, a pipe: refused
    unopened (a FIFO would block), with the way that works."""
    os.mkfifo(tmp_path / "pipe.yaml")
    _one_line(_main(["diff", "pipe.yaml", str(SOUND)], tmp_path, monkeypatch, capsys), "pipe.yaml", "not a regular file", "give - as the file")


@pytest.mark.parametrize("engine", ["pypdfium2", "pypdf"])
def test_a_looping_xref_chain_is_read_not_hung_on(tmp_path: Path, engine: str) -> None:
    """/Prev pointing back at its own xref table: both engines read the one page (the corpus case
    only checks that pypdf finishes); bounded time and memory, a report, no error."""
    _xref_loop_pdf(tmp_path / "loop.pdf")
    res = run_subprocess(["loop.pdf", "--pdf-engine", engine, "-f", "json"], tmp_path)
    assert res.code in (0, 1), res.stderr[-800:]
    assert res.stderr == "" and res.peak_mib is not None and res.peak_mib < 768
    report = json.loads(res.stdout)
    assert report["document"]["format"] == "pdf" and report["document"]["pages"] == 1


def test_paths_with_spaces_and_cyrillic_are_checked_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from dpia_check.report.registry import FORMATS

    folder = tmp_path / "предмети 2026" / "МУП"
    folder.mkdir(parents=True)
    (folder / "процена утицаја.dpia.yaml").write_text(MOI_TEXT, encoding="utf-8")
    pdfgen.simple_pdf(folder / "прилог 1.pdf", [DOC])
    out = tmp_path / "извештаји"
    out.mkdir()
    for fmt in sorted(f for f, spec in FORMATS.items() if not spec.binary):
        res = _main(["check", "предмети 2026/МУП/процена утицаја.dpia.yaml", "-f", fmt, "-o", f"извештаји/r {fmt}"], tmp_path, monkeypatch, capsys)
        assert res.code == 1 and res.stderr == "", (fmt, res.stderr)
    assert "процена утицаја.dpia.yaml" in (out / "r json").read_text(encoding="utf-8")
    res = _main(["check", "предмети 2026", "-f", "json"], tmp_path, monkeypatch, capsys)
    paths = [r["document"]["path"] for r in json.loads(res.stdout)["reports"]]
    assert paths == ["предмети 2026/МУП/прилог 1.pdf", "предмети 2026/МУП/процена утицаја.dpia.yaml"] and res.code == 1
