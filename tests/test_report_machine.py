"""Machine formats for CI: SARIF 2.1.0, JUnit XML, GitHub annotations, and several outputs in one run."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from dpia_check.api import check_file
from dpia_check.engine import CheckOptions
from dpia_check.model import Evidence, Location
from dpia_check.report import github, junit, sarif
from tests.conftest import ROOT, SAMPLES

MOI = SAMPLES / "moi-2020.dpia.yaml"
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"


def report_of(path: Path = MOI, **options: Any) -> Any:
    return check_file(path, options=CheckOptions(**{"fail_on": "high", **options}))


@pytest.fixture(scope="module")
def moi() -> Any:
    return report_of()


def with_statuses(report: Any) -> Any:
    """A copy of ``report`` where some failing findings became manual, waived, warn and not applicable,
    and one has its evidence on a PDF page: every mapping of every format gets exercised."""
    r = copy.deepcopy(report)
    fails = [f for f in r.findings if f.status == "fail"]
    assert len(fails) >= 5
    fails[0].status = "manual"
    fails[1].status = "waived"
    fails[1].waiver = {"reason": "Accepted by the DPO until the next review", "expires": "2030-01-01"}
    fails[2].status = "not_applicable"
    fails[3].status = "warn"
    fails[4].evidence = [Evidence(Location(path=r.document.path, page=12, line=7), "Rizici su minimalni.")]
    return r


def validate_sarif(log: dict[str, Any]) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return sorted(f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log))


# -- SARIF -------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", ["moi-2020", "hospital-booking", "border-anpr"])
def test_sarif_is_valid_against_the_2_1_0_schema(sample: str) -> None:
    log = json.loads(sarif.render(report_of(SAMPLES / f"{sample}.dpia.yaml")))
    assert validate_sarif(log) == []
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1


def test_sarif_with_every_status_and_a_pdf_page_is_valid(moi: Any) -> None:
    log = json.loads(sarif.render(with_statuses(moi)))
    assert validate_sarif(log) == []
    results = log["runs"][0]["results"]
    manual = next(r for r in results if r["properties"]["status"] == "manual")
    assert (manual["kind"], manual["level"]) == ("review", "none")
    waived = next(r for r in results if r["properties"]["status"] == "waived")
    assert waived["suppressions"][0]["justification"] == "Accepted by the DPO until the next review"
    assert not any(r["properties"]["status"] in ("pass", "not_applicable") for r in results)
    paged = [r for r in results if r["locations"][0]["physicalLocation"]["region"].get("properties", {}).get("page") == 12]
    assert len(paged) == 1 and paged[0]["locations"][0]["physicalLocation"]["region"]["properties"]["lineOnPage"] == 7


def test_sarif_rules_results_and_locations(moi: Any) -> None:
    run = json.loads(sarif.render(moi))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(dict.fromkeys(f.rule for f in moi.findings))
    rule = next(r for r in rules if r["id"] == "lpdp.54.1-before-processing")
    assert rule["shortDescription"]["text"] == "Art. 54(1): The DPIA is carried out before the processing starts"
    assert rule["fullDescription"]["text"] and "Remedy: State the DPIA date" in rule["help"]["text"]
    assert rule["helpUri"].endswith("docs/rules.md#lpdp541-before-processing")
    assert rule["defaultConfiguration"]["level"] == "error"  # high
    fails = [f for f in moi.findings if f.status in ("fail", "warn", "manual", "waived")]
    assert len(run["results"]) == len(fails)
    res = next(r for r in run["results"] if r["ruleId"] == "lpdp.54.1-before-processing")
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    assert res["level"] == "error" and res["message"]["text"].startswith("Art. 54(1) ")
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == MOI.as_uri()  # an absolute path becomes a file: URI
    assert loc["region"]["startLine"] == 12 and loc["region"]["snippet"]["text"] == "2020-04-15"
    assert res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "/meta/date"
    assert run["artifacts"][0]["hashes"]["sha-256"] == moi.document.sha256


def test_sarif_uri_is_relative_when_the_path_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    log = json.loads(sarif.render(report_of(Path("samples/moi-2020.dpia.yaml"))))
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == "samples/moi-2020.dpia.yaml"


def test_sarif_fingerprints_survive_runs_and_line_shifts(tmp_path: Path) -> None:
    """Code scanning tracks an alert by partialFingerprints: a comment added at the top of the
    DPIA moves every line, but must not make every alert new."""
    shifted = tmp_path / "moi-2020.dpia.yaml"
    shifted.write_text("# reviewed by legal\n# second comment\n" + MOI.read_text(encoding="utf-8"), encoding="utf-8")

    def prints(path: Path) -> dict[str, tuple[str, int]]:
        results = json.loads(sarif.render(report_of(path)))["runs"][0]["results"]
        return {r["ruleId"]: (r["partialFingerprints"]["dpiaCheckFinding/v1"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results}

    a, again, b = prints(MOI), prints(MOI), prints(shifted)
    assert a == again
    assert {k: v[0] for k, v in a.items()} == {k: v[0] for k, v in b.items()}
    assert a["lpdp.54.1-before-processing"][1] + 2 == b["lpdp.54.1-before-processing"][1]


# -- JUnit -------------------------------------------------------------------------------


def test_junit_one_suite_one_case_per_rule(moi: Any) -> None:
    report = with_statuses(moi)
    root = ET.fromstring(junit.render(report))
    suites = root.findall("testsuite")
    assert len(suites) == 1
    cases = suites[0].findall("testcase")
    assert len(cases) == len(report.findings) == int(suites[0].get("tests"))
    by_name = {c.get("name").split(":", 1)[0]: c for c in cases}
    for f in report.findings:
        case = by_name[f.rule]
        failure, skipped = case.find("failure"), case.find("skipped")
        if f.status == "fail":
            assert failure is not None and skipped is None
            assert failure.get("message").startswith(f.citation.text + ": ") and f.message in failure.get("message")
            assert f.remediation in failure.text and failure.get("type") == f.severity
        elif f.status in ("not_applicable", "waived", "manual"):
            assert skipped is not None and failure is None
        else:
            assert failure is None and skipped is None
    assert int(suites[0].get("failures")) == sum(f.status == "fail" for f in report.findings)
    waived = next(f for f in report.findings if f.status == "waived")
    assert by_name[waived.rule].find("skipped").get("message") == "waived: Accepted by the DPO until the next review"


def test_junit_escapes_hostile_text(moi: Any) -> None:
    report = copy.deepcopy(moi)
    f = next(f for f in report.findings if f.status == "fail")
    f.message = 'Quote "x" & <b>bold</b>\x07 ]]> end'
    root = ET.fromstring(junit.render(report))  # parses: well-formed
    case = next(c for c in root.iter("testcase") if c.get("name").startswith(f.rule + ":"))
    assert 'Quote "x" & <b>bold</b>\ufffd ]]> end' in case.find("failure").get("message")


# -- GitHub annotations -------------------------------------------------------------------


def test_github_annotations(moi: Any) -> None:
    lines = github.render(moi).splitlines()
    failing = moi.failing()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == len(failing)
    first = next(line for line in errors if "lpdp.54.1-before-processing" in line)
    assert first.startswith(f"::error file={MOI},line=12,title=Art. 54(1) The DPIA is carried out before the processing starts [lpdp.54.1-before-processing]::")
    assert "%0ARemedy: " in first and "\n" not in first
    below = [f for f in moi.findings if f.status == "fail" and f not in failing]
    assert len([line for line in lines if line.startswith("::warning ")]) == len(below) + sum(f.status == "warn" for f in moi.findings)
    assert lines[-1].startswith(f"dpia-check: {MOI}: FAIL (fail-on high)")


def test_github_annotations_cannot_be_hijacked(moi: Any) -> None:
    report = copy.deepcopy(moi)
    f = next(f for f in report.findings if f.status == "fail")
    f.title = "a, b: c"
    f.message = "100% done\n::error::injected"
    out = github.render(report)
    line = next(x for x in out.splitlines() if f.rule in x)
    assert f",title={f.citation.text} a%2C b%3A c [" in line  # property values cannot add properties
    assert "::100%25 done%0A::error::injected%0ARemedy: " in line  # the newline cannot start a command
    assert not any(x.startswith("::error::injected") for x in out.splitlines())


def test_pdf_evidence_is_named_by_page(moi: Any) -> None:
    report = with_statuses(moi)
    line = next(x for x in github.render(report).splitlines() if "(p. 12, line 7)" in x)
    assert ",line=" not in line.split("::")[1]


# -- the run: several outputs at once -----------------------------------------------------


def _cli(args: list[str]) -> Any:
    from typer.testing import CliRunner

    from dpia_check.cli import app

    return CliRunner().invoke(app, args, catch_exceptions=False)


def test_several_outputs_in_one_run_and_the_terminal_report_still_prints(tmp_path: Path) -> None:
    a, b, c = tmp_path / "report.json", tmp_path / "report.sarif", tmp_path / "memo.md"
    result = _cli(["check", str(MOI), "--no-color", "-o", f"json={a}", "-o", f"sarif={b}", "-o", f"md={c}"])
    assert result.exit_code == 1, result.output
    assert "Verdict: FAIL" in result.output and "lpdp.54.1-before-processing" in result.output
    assert json.loads(a.read_text(encoding="utf-8"))["summary"]["verdict"] == "fail"
    assert json.loads(b.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert c.read_text(encoding="utf-8").startswith("# DPIA findings memo: ")


@pytest.mark.parametrize(("fmt", "start"), [("md", "# DPIA findings memo"), ("html", "<!DOCTYPE html>"), ("junit", "<?xml"), ("sarif", "{"), ("github", "::error")])
def test_text_formats_go_to_stdout(fmt: str, start: str) -> None:
    result = _cli(["check", str(MOI), "-f", fmt])
    assert result.exit_code == 1
    assert result.output.startswith(start)


def test_binary_format_needs_an_output_file(tmp_path: Path) -> None:
    from dpia_check.errors import InputError

    with pytest.raises(InputError, match="the docx format is binary"):
        _cli(["check", str(MOI), "-f", "docx"])


def test_docx_and_text_written_with_output(tmp_path: Path) -> None:
    pytest.importorskip("docx")
    memo, txt = tmp_path / "memo.docx", tmp_path / "report.txt"
    result = _cli(["check", str(MOI), "-f", "docx", "-o", str(memo), "-o", f"text={txt}"])
    assert result.exit_code == 1 and result.output == ""
    assert memo.read_bytes()[:2] == b"PK"
    assert "Verdict: FAIL" in txt.read_text(encoding="utf-8") and "\x1b[" not in txt.read_text(encoding="utf-8")


def test_pdf_without_a_browser_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch, moi: Any, tmp_path: Path) -> None:
    from dpia_check.errors import InputError
    from dpia_check.report import pdf

    monkeypatch.setenv(pdf.ENV_VAR, str(tmp_path / "no-such-browser"))
    with pytest.raises(InputError) as err:
        pdf.render(moi)
    text = str(err.value)
    assert "\n" not in text and "Chromium" in text and "apt-get install chromium" in text


def test_registry_lists_every_format_with_a_renderer() -> None:
    import importlib

    from dpia_check.report.registry import FORMATS

    assert {"text", "json", "md", "html", "pdf", "docx", "sarif", "junit", "github"} <= set(FORMATS)
    for fmt in FORMATS.values():
        if fmt.name == "docx":
            continue  # imports python-docx lazily, inside render
        assert callable(importlib.import_module(fmt.module).render)
    assert [f.name for f in FORMATS.values() if f.binary] == ["pdf", "docx"]


def test_findings_are_not_mutated_by_renderers(moi: Any) -> None:
    before = [dataclasses.asdict(f) for f in moi.findings]
    for mod in (sarif, junit, github):
        mod.render(moi)
    assert [dataclasses.asdict(f) for f in moi.findings] == before


def test_template_option_through_the_cli(tmp_path: Path) -> None:
    tpl = tmp_path / "firm.md.j2"
    tpl.write_text("FIRM {{ memo.verdict.label }} {{ memo.counts.fail }}\n", encoding="utf-8")
    result = _cli(["check", str(MOI), "-f", "md", "--template", str(tpl)])
    assert result.exit_code == 1
    assert result.output.startswith("FIRM FAIL ")


def test_bad_template_exits_2_with_one_line_naming_file_and_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    tpl = tmp_path / "bad.html.j2"
    tpl.write_text("<h1>{{ memo.document.title }</h1>\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "dpia_check", "check", str(MOI), "-f", "html", "--template", str(tpl)],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
    )
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"dpia-check: error: {tpl} (line 1): template syntax error")


def test_a_real_pdf_dpia_is_located_by_page_in_every_format() -> None:
    pdf_dpia = ROOT / "tests" / "corpus" / "moi-2019-sr-cyrl.pdf"
    if not pdf_dpia.exists():
        pytest.skip("the PDF corpus is not present")
    report = report_of(pdf_dpia)
    paged = [f for f in report.findings if f.status == "fail" and any(e.location.page for e in f.evidence)]
    assert paged, "the deficient MOI 2019 PDF has failing findings with page evidence"
    log = json.loads(sarif.render(report))
    assert validate_sarif(log) == []
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in log["runs"][0]["results"]]
    assert any(isinstance(reg.get("properties", {}).get("page"), int) for reg in regions)
    from dpia_check.report import markdown

    assert re.search(r"\*What the DPIA says\* \(p\. \d+", markdown.render(report))
    assert re.search(r"\(p\. \d+", github.render(report))


# -- fixes found by reading the Serbian reports ----------------------------------------------


def test_sarif_help_and_messages_are_in_the_reports_language(moi: Any) -> None:
    report = with_statuses(report_of(lang="sr-Latn"))
    log = json.loads(sarif.render(report))
    assert validate_sarif(log) == []
    run = log["runs"][0]
    for rule in run["tool"]["driver"]["rules"]:
        assert "Remedy" not in rule["help"]["text"] and "Remedy" not in rule["help"]["markdown"]
        assert "\n\nKako otkloniti: " in rule["help"]["text"] and "\n\n**Kako otkloniti:** " in rule["help"]["markdown"]
    manual = next(r for r in run["results"] if r["properties"]["status"] == "manual")
    assert manual["message"]["text"].endswith(" [ručna provera]")
    english = json.loads(sarif.render(with_statuses(moi)))["runs"][0]
    assert next(r for r in english["results"] if r["properties"]["status"] == "manual")["message"]["text"].endswith(" [manual check]")


def test_sarif_help_markdown_escapes_the_rule_text(moi: Any) -> None:
    rules = json.loads(sarif.render(moi))["runs"][0]["tool"]["driver"]["rules"]
    owners = next(r for r in rules if r["id"] == "lpdp.5.2-measure-owners")
    assert "(measures\\[\\].owner)" in owners["help"]["markdown"] and "(measures[].owner)" in owners["help"]["text"]


def test_junit_warning_is_in_the_reports_language() -> None:
    for lang, word in (("sr-Latn", "UPOZORENJE "), ("sr-Cyrl", "УПОЗОРЕЊЕ "), ("en", "WARNING ")):
        root = ET.fromstring(junit.render(report_of(lang=lang)))
        outs = [c.find("system-out").text for c in root.iter("testcase") if c.find("system-out") is not None]
        assert outs and all(o.startswith(word) for o in outs), (lang, outs[:1])


def test_sarif_alert_sits_where_the_github_annotation_does(moi: Any) -> None:
    """A finding whose evidence lists an absent field before a quote is located at the quote's
    line (as the GitHub annotation and the JUnit testcase are), not at line 1."""
    import copy

    report = copy.deepcopy(moi)
    f = next(f for f in report.findings if f.status == "fail")
    path = report.document.path
    f.evidence = [Evidence(Location(path=path, pointer="/processing/automated_decisions/non_discrimination")), Evidence(Location(path=path, line=82, pointer="/risks"), "R1: ...")]
    results = json.loads(sarif.render(report))["runs"][0]["results"]
    res = next(r for r in results if r["ruleId"] == f.rule)
    assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == 82
    assert res["relatedLocations"][0]["physicalLocation"]["region"]["properties"] == {"missing": True}
    annotation = next(x for x in github.render(report).splitlines() if f"[{f.rule}]" in x)
    assert ",line=82," in annotation
    # and on every sample: the alert line is the annotation line (or 1 when there is none)
    for sample in ("moi-2020", "city-traffic-mixed"):
        rep = report_of(SAMPLES / f"{sample}.dpia.yaml")
        lines = {m.group(2): int(m.group(1)) for m in re.finditer(r",line=(\d+),title=.*?\[([\w.\-]+)\]::", github.render(rep))}
        for r in json.loads(sarif.render(rep))["runs"][0]["results"]:
            if r["properties"]["status"] == "waived":
                continue  # waived findings are not annotated
            assert r["locations"][0]["physicalLocation"]["region"]["startLine"] == lines.get(r["ruleId"], 1), r["ruleId"]


@pytest.mark.parametrize(
    ("lang", "start", "counts"),
    [
        ("sr", "NIJE PROŠLA (prag: visoka) — nije ispunjeno ", ("upozorenje", "ručna provera", "ispunjeno", "ne primenjuje se", "izuzeto")),
        ("sr-Cyrl", "НИЈЕ ПРОШЛА (праг: висока) — није испуњено ", ("упозорење", "ручна провера", "испуњено", "не примењује се", "изузето")),
    ],
)
def test_github_totals_line_speaks_the_report_language(moi: Any, lang: str, start: str, counts: tuple[str, ...]) -> None:
    report = copy.deepcopy(moi)
    report.lang = lang
    last = github.render(report).splitlines()[-1]
    assert last.startswith(f"dpia-check: {MOI}: {start}")
    assert all(f" {word} " in last or last.endswith(f" {word} 0") for word in counts), last
    assert "fail-on" not in last and "not applicable" not in last
