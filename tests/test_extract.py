"""``dpia-check extract``: a draft YAML DPIA that loads cleanly and re-checks like the text."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dpia_check.engine import CheckOptions, Engine
from dpia_check.errors import InputError
from dpia_check.extract import draft_yaml, run_extract
from dpia_check.load import LoadOptions, load_document
from dpia_check.load.yaml_loader import load_yaml
from dpia_check.rules import load_ruleset

CORPUS = Path(__file__).resolve().parent / "corpus"


def _failing(doc: object) -> list[str]:
    report = Engine(load_ruleset()).run(doc, CheckOptions())  # type: ignore[arg-type]
    return sorted(f.rule for f in report.findings if f.status in ("fail", "warn"))


@pytest.mark.parametrize("name", ["bank-cctv-sr-latn.pdf", "moi-2019-sr-cyrl.pdf", "credit-scoring-en.md"])
def test_round_trip(tmp_path: Path, name: str) -> None:
    text_doc = load_document(CORPUS / name)
    out = tmp_path / "draft.dpia.yaml"
    run_extract(CORPUS / name, out, LoadOptions())
    draft = load_yaml(out, max_bytes=10_000_000)
    assert draft.warnings == []
    assert _failing(draft) == _failing(text_doc)


def test_draft_shape_comments_and_order(tmp_path: Path) -> None:
    doc = load_document(CORPUS / "moi-2020-sr-latn.pdf")
    text = draft_yaml(doc)
    assert text.startswith("# yaml-language-server: $schema=")
    assert "moi-2020-sr-latn.pdf (pdf, 2 pages, engine pypdfium2," in text
    top = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "#", "-"))]
    assert top[:3] == ["dpia_format", "meta", "processing"]
    assert top.index("risks") < top.index("measures") < top.index("consultation")
    assert "  date: 2020-04-15  # p. 1, line 4" in text
    assert "# dpo:  # TODO: searched for the data protection officer" in text
    data = yaml.safe_load(text)
    assert data["processing"]["scale"]["devices"] == 8100
    assert text == draft_yaml(load_document(CORPUS / "moi-2020-sr-latn.pdf"))  # deterministic


def test_stdout_and_yaml_input(capsys: pytest.CaptureFixture[str]) -> None:
    run_extract(CORPUS / "e-uprava-sr-latn.md", None, LoadOptions())
    assert "  processing_start: 2026-01-15" in capsys.readouterr().out
    with pytest.raises(InputError, match="already a YAML DPIA"):
        run_extract(Path("samples/hospital-booking.dpia.yaml"), None, LoadOptions())


def test_cli_extract(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dpia_check.cli import app

    out = tmp_path / "d.yaml"
    result = CliRunner().invoke(app, ["extract", str(CORPUS / "factory-fingerprint-sr-latn.pdf"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_yaml(out, max_bytes=10_000_000).get("/meta/controller/kind") == "private"
    missing = CliRunner().invoke(app, ["extract", str(tmp_path / "nope.pdf")])
    assert isinstance(missing.exception, InputError)  # the entry point turns it into exit 2
