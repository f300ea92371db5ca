"""The layouts of a real DPIA's PDF, through both PDF engines: a cover table, a revision
history, a wrapped heading, a risk register table, a heading naming two kinds of
measures. Each engine must read the same model from it (a difference is a bug), and the
model must be what the document says."""

from __future__ import annotations

import pytest

from dpia_check.engine import CheckOptions, Engine
from dpia_check.load import LoadOptions, load_document
from dpia_check.model import Document
from dpia_check.rules import load_ruleset
from tests import pdfgen

_BODY = [
    "The city keeps the register of parking permits on its own servers in Kragujevac, and",
    "only the named employees of the permits office can open it with individual accounts.",
]

PAGES = [
    [
        "# Data Protection Impact Assessment",
        "Item Data",
        "Controller City Administration of Kragujevac, Trg slobode 3,",
        "Kragujevac",
        "Data protection officer Milica Ciric, dpo@example.rs",
        "Document version 2.1 of 14 March 2026",
        "Approved by Zarko Secerovic, Head of the City Administration",
        "Version Date Author Change",
        "1.0 12 Jan 2026 Jelena Markovic First draft",
        "2.1 14 Mar 2026 Jelena Markovic Final version for approval",
        "# 1. Systematic description of the processing",
        *_BODY,
        "Data subjects are informed about the processing through a notice at the counter.",
        *_BODY,
    ],
    [
        "# 3. Assessment of risks to the rights and freedoms of data",
        "subjects",
        *_BODY,
        "ID Risk Likelihood Severity Measures",
        "R1 unauthorised access to the register by an employee low high M1, M3",
        "R2 disclosure of the permits to third parties without a legal basis medium low M2",
        "# 4. Technical and organisational measures",
        "M1: role-based access control with two-factor authentication",
        "M2: annual training of staff on data protection",
        "M3: encryption of the register at rest and in transit",
        "M4: a documented procedure for the requests of data subjects",
        "# 5. Consultation, opinion of the data protection officer and",
        "approval",
        "The data protection officer was consulted and agreed with the assessment.",
        "The assessment was approved by the head of the City Administration on 14 March 2026.",
    ],
]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    path = pdfgen.simple_pdf(tmp_path_factory.mktemp("layouts") / "dpia.pdf", PAGES, footer="Page {n}")
    return {engine: load_document(path, LoadOptions(pdf_engine=engine)) for engine in ("pypdfium2", "pypdf")}


def test_both_engines_read_the_same_model(documents: dict[str, Document]) -> None:
    assert documents["pypdfium2"].data == documents["pypdf"].data
    assert documents["pypdfium2"].quotes == documents["pypdf"].quotes


@pytest.mark.parametrize("engine", ["pypdfium2", "pypdf"])
def test_the_layouts_are_read_as_the_document_says(documents: dict[str, Document], engine: str) -> None:
    doc = documents[engine]
    meta = doc.data["meta"]
    assert meta["controller"]["name"] == "City Administration of Kragujevac, Trg slobode 3, Kragujevac"
    assert meta["dpo"] == {"name": "Milica Ciric", "contact": "dpo@example.rs"}
    assert meta["date"] == "2026-03-14"
    assert doc.data["sign_off"] == {"by": "Zarko Secerovic, Head of the City Administration", "date": "2026-03-14"}
    titles = [s.title for s in doc.text.sections] if doc.text else []
    assert titles == [
        "Systematic description of the processing",
        "Assessment of risks to the rights and freedoms of data subjects",
        "Technical and organisational measures",
        "Consultation, opinion of the data protection officer and approval",
    ]
    risks = [(r["id"], r["likelihood"], r["severity"], r["measures"]) for r in doc.data["risks"]]
    assert risks == [("R1", "low", "high", ["M1", "M3"]), ("R2", "medium", "low", ["M2"])]
    assert {m["id"]: m["kind"] for m in doc.data["measures"]} == {"M1": "technical", "M2": "staff", "M3": "technical", "M4": "organisational"}
    assert doc.data["consultation"]["dpo_advice_followed"] is True


def test_the_verdicts_follow(documents: dict[str, Document]) -> None:
    engine = Engine(load_ruleset())
    status = {f.rule: f.status for f in engine.run(documents["pypdfium2"], CheckOptions()).findings}
    for rule in ("lpdp.56.2-dpo-designated", "lpdp.56.10-dpo-contact", "lpdp.5.2-sign-off", "lpdp.54.6.3-risk-rated", "lpdp.54.6.4-measure-kinds", "lpdp.5.1.1-transparency"):
        assert status[rule] == "pass", rule
    assert status["lpdp.54.1-before-processing"] == "manual"  # dated; the start of processing is not stated
