"""Mapping text onto the DPIA model: negation, inflection, both scripts, registers, provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dpia_check.engine import CheckOptions, Engine
from dpia_check.load import load_document
from dpia_check.model import MISSING, Document
from dpia_check.rules import load_ruleset
from dpia_check.text.find import Negation, find_affirmed, find_dates
from dpia_check.text.vocab import default_vocabulary
from dpia_check.textprep import fold, to_cyrillic

SR_LATN = """\
# Procena uticaja obrade na zaštitu podataka o ličnosti

Rukovalac: Gradska uprava grada Kraljeva
Lice za zaštitu podataka o ličnosti: Ana Jović, dpo@kraljevo.example.rs
Datum: 10. mart 2026. godine
Početak obrade: 1. jun 2026. godine

## 1. Opis obrade

Gradska uprava uvodi sistem za zakazivanje termina. Radnje obrade obuhvataju prikupljanje, čuvanje i brisanje podataka.
Tok podataka: portal, zatim server Gradske uprave, zatim šalter.
Lica na koja se podaci odnose su građani, oko 20.000 lica godišnje.
Vrste podataka su ime, prezime i broj telefona.
Ne obrađuju se biometrijski podaci. Ne donose se automatizovane odluke i ne vrši se profilisanje.
Rok čuvanja: podaci se brišu 30 dana posle termina.

## 2. Svrhe obrade

- P1: zakazivanje termina za predaju zahteva;

## 3. Pravni osnov

Obrada se vrši na osnovu člana 12. stav 1. tačka 5) Zakona o zaštiti podataka o ličnosti, u vezi sa članom 9. Zakona o elektronskoj upravi.

## 4. Neophodnost i srazmernost

Zakazivanje je neophodan način da se skrati čekanje, a bez imena i kontakta termin se ne može potvrditi.
Srazmernost: prikupljaju se samo ime i kontakt, podaci se brišu posle 30 dana, pa je zadiranje u privatnost malo u odnosu na korist.

## 5. Procena rizika

| Rizik | Opis | Verovatnoća | Ozbiljnost | Pogođena prava | Mere |
|---|---|---|---|---|---|
| R1 | Neovlašćeno lice vidi ko je zakazao termin | niska | srednja | pravo na privatnost | M1 |

## 6. Mere zaštite

- M1 (tehnička, primenjena): pristup samo preko ličnih naloga uz beleženje svakog pristupa. Nosilac: IT služba.
- M2 (kadrovska, planirana): obuka službenika na šalterima. Nosilac: Služba za kadrove.

## 7. Mišljenje lica za zaštitu podataka o ličnosti

Lice za zaštitu podataka savetovalo je da se rok čuvanja skrati na 30 dana; savet je prihvaćen.

## 8. Preispitivanje

Procena se preispituje jednom godišnje; sledeće preispitivanje je 10. marta 2027. godine.
"""


def _load(tmp_path: Path, text: str, name: str = "dpia.md") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path)


def _shape(value: Any) -> Any:
    """The model without the text (which differs by script): keys, numbers, flags, levels."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items() if k not in ("language", "title")}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, str):
        return "<text>" if len(value.split()) > 1 else fold(value)
    return value


def test_serbian_latin_document_is_mapped(tmp_path: Path) -> None:
    doc = _load(tmp_path, SR_LATN)
    assert doc.origin == "text" and doc.format == "markdown"
    assert doc.get("/meta/controller/kind") == "public_authority"
    assert doc.get("/meta/date") == "2026-03-10" and doc.get("/meta/processing_start") == "2026-06-01"
    assert doc.get("/meta/dpo") == {"name": "Ana Jović", "contact": "dpo@kraljevo.example.rs"}
    assert doc.get("/processing/operations") == ["collection", "storage", "erasure"]
    assert doc.get("/processing/data_subjects/0/approx_count") == 20000
    assert doc.get("/legal_basis/0/lpdp") == "Art. 12(1)(5)"
    risk = doc.get("/risks/0")
    assert risk["likelihood"] == "low" and risk["severity"] == "medium"
    assert risk["rights_affected"] == ["pravo na privatnost"] and risk["measures"] == ["M1"]
    kinds = {m["id"]: (m["kind"], m["status"], m["owner"]) for m in doc.get("/measures")}
    assert kinds == {"M1": ("technical", "implemented", "IT služba"), "M2": ("staff", "planned", "Služba za kadrove")}
    assert doc.get("/consultation/dpo_advice_followed") is True
    assert doc.get("/review/next") == "2027-03-10"


def test_negation_sets_facts_false(tmp_path: Path) -> None:
    doc = _load(tmp_path, SR_LATN)
    ad = doc.get("/processing/automated_decisions")
    assert ad["profiling"] is False and ad["solely_automated"] is False
    assert doc.get("/special_categories") is MISSING and doc.get("/processing/technologies") is MISSING
    report = Engine(load_ruleset()).run(doc, CheckOptions())
    status = {f.rule: f.status for f in report.findings}
    assert status["lpdp.17.1-declared"] == "not_applicable"  # "ne obrađuju se biometrijski podaci"
    assert status["lpdp.38.1-profiling-described"] == "not_applicable"


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("ne obrađuju se biometrijski podaci.", True),
        ("biometrijski podaci se ne obrađuju.", True),
        ("sistem obrađuje biometrijske podatke zaposlenih.", False),
        ("no biometric data are processed.", True),
        ("the terminal stores a biometric template.", False),
        ("not only biometric data but also names are stored.", False),
        ("sistem nije povezan sa bazama biometrijskih podataka.", True),
    ],
)
def test_negation_window(sentence: str, negated: bool) -> None:
    vocab = default_vocabulary()
    neg = Negation.of(vocab)
    aff, negm = find_affirmed(vocab.get("biometric_terms"), fold(sentence), neg)
    assert (aff is None and negm is not None) is negated


def test_no_automated_decisions_in_english(tmp_path: Path) -> None:
    text = "# DPIA\n\n## Automated decision-making\n\nNo automated decisions are taken and there is no profiling; a nurse decides every call.\n"
    doc = _load(tmp_path, text)
    assert doc.get("/processing/automated_decisions/solely_automated") is False
    assert doc.get("/processing/automated_decisions/profiling") is False


def test_inflection_fleeting_a(tmp_path: Path) -> None:
    text = "# Procena\n\n## Neophodnost\n\nSistem je neophodan jer se bez njega zahtevi ne mogu obraditi na vreme, a manji obim podataka nije dovoljan za svrhu.\n"
    doc = _load(tmp_path, text)
    assert doc.get("/necessity_proportionality/necessity").startswith("Sistem je neophodan")


def test_cyrillic_and_latin_give_the_same_model(tmp_path: Path) -> None:
    latin = _load(tmp_path, SR_LATN, "latin.md")
    cyrillic = _load(tmp_path, to_cyrillic(SR_LATN), "cyrillic.md")
    assert cyrillic.language_detected == "sr-Cyrl" and latin.language_detected == "sr-Latn"
    assert _shape(cyrillic.data) == _shape(latin.data)
    # evidence quotes the original script
    assert cyrillic.quotes["/processing/retention"].startswith("подаци се бришу")


def test_locations_and_quotes_point_at_the_source(tmp_path: Path) -> None:
    doc = _load(tmp_path, SR_LATN)
    ev = doc.evidence("/processing/retention")
    assert ev.location.line == SR_LATN.splitlines().index("Rok čuvanja: podaci se brišu 30 dana posle termina.") + 1
    assert ev.quote == "podaci se brišu 30 dana posle termina."
    risk = doc.evidence("/risks/0/likelihood")
    assert risk.location.line is not None and "niska" in (risk.quote or "")


def test_absence_fails_only_where_searched(tmp_path: Path) -> None:
    doc = _load(tmp_path, SR_LATN.replace("## 7. Mišljenje lica za zaštitu podataka o ličnosti\n\nLice za zaštitu podataka savetovalo je da se rok čuvanja skrati na 30 dana; savet je prihvaćen.\n", ""))
    report = Engine(load_ruleset()).run(doc, CheckOptions())
    finding = next(f for f in report.findings if f.rule == "lpdp.54.3-dpo-advice")
    assert finding.status == "fail"
    assert "Searched for" in finding.message and "whole document" in finding.message
    assert finding.evidence[0].location.page is None and finding.evidence[0].quote is None


def test_blanket_risk_verdict_is_quoted(tmp_path: Path) -> None:
    text = SR_LATN.split("## 5. Procena rizika")[0] + "## 5. Procena rizika\n\nRizici po prava lica su minimalni.\n"
    doc = _load(tmp_path, text)
    report = Engine(load_ruleset()).run(doc, CheckOptions())
    finding = next(f for f in report.findings if f.rule == "lpdp.54.6.3-risk-assessment")
    assert finding.status == "fail"
    assert any(e.quote == "Rizici po prava lica su minimalni." for e in finding.evidence)


def test_dates_in_every_script() -> None:
    import datetime as dt

    for text in ("15. april 2020. godine", "15.04.2020.", "2020-04-15", "April 15, 2020", "15 April 2020", "15. априла 2020."):
        assert find_dates(text)[0][0] == dt.date(2020, 4, 15), text
    assert find_dates("u septembru 2019. godine")[0][0] == dt.date(2019, 9, 1)


ROUND3_EN = """\
# Impact assessment: custody-suite recording

**Controller:** Ministry of Interior, Police Administration of Kraljevo
**Data protection officer of the Ministry:** Nemanja Lukić, lzp@mup.example.rs
**Version and date:** 1.0, 9 February 2026
**Recording starts:** 1 April 2026

## Purposes

- **P1:** evidence of criminal offences committed in the custody suite. This is a special purpose.
- **P2:** live supervision of detained persons' safety. This is not a special purpose; the general regime applies.

## Legal basis

For P2 the legal basis is Article 12 paragraph 1 point 5 of the Law on Personal Data Protection.

## Necessity and proportionality

**Necessity.** Complaints of ill-treatment have been decided only on conflicting statements.

**Data minimisation and accuracy.** Only images are recorded in the cells. The clock is synchronised every hour.

**Recipients and processors.** Recordings go only to the prosecutor. No processor has access to them.
"""


def test_round3_labels_regime_and_citations(tmp_path: Path) -> None:
    doc = _load(tmp_path, ROUND3_EN)
    d = doc.data
    assert [p.get("special_purpose") for p in d["processing"]["purposes"]] == [True, False]
    assert d["meta"]["dpo"]["name"] == "Nemanja Lukić"  # a label qualified by "of the Ministry"
    assert d["meta"]["processing_start"] == "2026-04-01"
    assert any(lb.get("lpdp") == "Art. 12(1)(5)" for lb in d["legal_basis"])  # "Article 12 paragraph 1 point 5"
    np_ = d["necessity_proportionality"]
    assert np_["necessity"].startswith("Complaints of ill-treatment")  # a bold run-in label, not its own value
    assert np_["data_minimisation"].startswith("Only images") and np_["accuracy"].startswith("Only images")
    assert doc.quotes["/necessity_proportionality/accuracy"].startswith("The clock is synchronised")  # the telling sentence
    assert d["processing"]["processors"] == []  # "No processor has access"


ROUND3_SR = """\
# Procena uticaja obrade na zaštitu podataka o ličnosti

Rukovalac: Zavod za hitnu medicinsku pomoć Zrenjanin
Datum: 16. januar 2026. godine

Procenu je pripremila radna grupa u kojoj je i lice za zaštitu podataka o ličnosti Zavoda, Snežana Ilić (lzp@hitna.example.rs, 023 000 194).

# Čemu obrada služi

Svrha snimanja je da se pacijentu brzo pruži pomoć na tačnoj adresi (svrha 1) i da se utvrdi kako je dispečer postupio (svrha 2). Podaci se ne koriste ni u koje druge svrhe.

# Rizici po prava pacijenata

Prvi rizik je da neovlašćeno lice presluša snimak i sazna za bolest pacijenta. Verovatnoću procenjujemo kao srednju, a ozbiljnost kao visoku, jer bi bila povređena privatnost pacijenta. Rizik umanjuju mere M1 i M2, posle čega ga ocenjujemo kao nizak.

# Predviđene mere

M1 (tehnička mera): snimci se čuvaju šifrovani. Nosilac: IT služba.
M2 (kadrovska mera): obuka dispečera. Nosilac: služba za kadrove.
"""


def test_round3_prose_risks_purpose_marks_and_dpo_in_prose(tmp_path: Path) -> None:
    d = _load(tmp_path, ROUND3_SR).data
    assert d["meta"]["dpo"]["name"] == "Snežana Ilić"
    assert "lzp@hitna.example.rs" in d["meta"]["dpo"]["contact"]
    purposes = d["processing"]["purposes"]
    assert [p["id"] for p in purposes] == ["P1", "P2"]  # "(svrha 1)", "(svrha 2)"; the limit is not a third purpose
    (risk,) = d["risks"]
    assert risk["description"].startswith("Neovlašćeno lice")
    assert (risk["likelihood"], risk["severity"]) == ("medium", "high")
    assert risk["measures"] == ["M1", "M2"] and risk["residual"] == {"likelihood": "low", "severity": "low"}
    assert "privacy" in risk["rights_affected"]


def test_no_dpo_designated_is_not_dpo_advice(tmp_path: Path) -> None:
    text = SR_LATN.replace("Lice za zaštitu podataka o ličnosti: Ana Jović, dpo@kraljevo.example.rs\n", "").replace(
        "Lice za zaštitu podataka savetovalo je da se rok čuvanja skrati na 30 dana; savet je prihvaćen.",
        "Društvo nije odredilo lice za zaštitu podataka o ličnosti, jer za to nema zakonske obaveze.",
    )
    d = _load(tmp_path, text).data
    assert d["meta"]["dpo"] == {"designated": False}
    assert "dpo_advice" not in d["consultation"]


def test_automated_outcome_described_not_named(tmp_path: Path) -> None:
    """"The premium is set automatically" is a solely automated decision; "automatski … ne može"
    is not a negated automation (the negation belongs to the next verb)."""
    en = "# DPIA\n\n## Automated decisions\n\nAt renewal the premium is set automatically from the driving score.\n"
    ad = _load(tmp_path, en).data["processing"]["automated_decisions"]
    assert ad["solely_automated"] is True and ad["legal_effects"] is True
    sr = "# Procena\n\n## Opis obrade\n\nAko sistem utvrdi podudaranje, kapija se automatski zaključava i gledalac ne može da uđe.\n"
    assert _load(tmp_path, sr, "sr.md").data["processing"]["automated_decisions"]["solely_automated"] is True


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [("this is not a special purpose", True), ("ovo je posebna svrha, a ne opšti režim", False)],
)
def test_english_article_after_negation(sentence: str, negated: bool) -> None:
    neg = Negation.of(default_vocabulary())
    start = sentence.index("special") if "special" in sentence else sentence.index("posebna")
    assert neg.negated(fold(sentence), start, start + 7) is negated


def test_retention_column_of_a_data_table(tmp_path: Path) -> None:
    text = "\n".join([
        "# Процена утицаја",
        "",
        "## Подаци, примаоци и рокови чувања",
        "",
        "| Подаци | Лица | Примаоци | Рок чувања |",
        "|---|---|---|---|",
        "| Број картице и стајалиште уласка | корисници | служба за рекламације | 90 дана, затим се број картице трајно брише |",
        "| Збирни подаци о броју путника | нико се не може идентификовати | Градска управа | трајно |",
        "",
    ])
    doc = _load(tmp_path, text)
    assert doc.data["processing"]["retention"] == "Број картице и стајалиште уласка: 90 дана, затим се број картице трајно брише"
    engine = Engine(load_ruleset())
    verdicts = {f.rule: f.status for f in engine.run(doc, CheckOptions()).findings}
    assert verdicts["lpdp.5.1.5-retention-bounded"] == "pass"  # "trajno briše" ends retention; anonymous rows are left out


def test_a_purpose_said_again_in_the_same_words_is_one_purpose(tmp_path: Path) -> None:
    """Long DPIAs repeat boilerplate in every processing operation; each repetition was a
    new purpose (300 on a 200-page document), which the report then listed one by one."""
    block = "The purpose of the processing is the booking of appointments at the counter.\n\nStaff check the booking.\n\n"
    text = "# DPIA\n\n## Description of the processing\n\n" + block * 3 + "The purpose of the processing is the statistics of visits.\n"
    purposes = _load(tmp_path, text).data["processing"]["purposes"]
    assert [p["id"] for p in purposes] == ["P1", "P2"]
    assert purposes[0]["description"].endswith("booking of appointments at the counter")
    assert purposes[1]["description"].endswith("statistics of visits")


def test_abbreviated_months_are_dates() -> None:
    import datetime as dt

    assert find_dates("12 Jan 2026")[0][0] == dt.date(2026, 1, 12)
    assert find_dates("14. avg. 2026.")[0][0] == dt.date(2026, 8, 14)
    assert find_dates("Sept 3, 2025")[0][0] == dt.date(2025, 9, 3)
    assert find_dates("novi 2026") == [] and find_dates("janu 2026") == []


# Full lines of body text: a heading is recognised by being shorter than them.
_FULL_LINES = [
    "Risks were identified in workshops with the owners of each processing operation and rated for",
    "likelihood and severity on a three-level scale, from low through medium to high, by the team.",
] * 2
_LONG = "\n".join(_FULL_LINES)


def test_an_undated_approver_takes_the_date_of_the_approval(tmp_path: Path) -> None:
    """The cover says who approved ("Approved by: …", no date); the last section, whose
    heading wrapped ("… and" / "approval") and also names the DPO, says when."""
    text = "\n".join([
        "Impact assessment of the payroll register",
        "",
        "Approved by: Žarko Šećerović, Head of the City Administration",
        "",
        "1. Systematic description of the processing",
        "",
        _LONG,
        "",
        "5. Consultation, opinion of the data protection officer and",
        "approval",
        "",
        "The data protection officer was consulted and agreed with the assessment.",
        "",
        "The assessment was approved by the head of the City Administration on 14 Mar 2026.",
        "",
    ])
    doc = _load(tmp_path, text, "dpia.txt")
    assert doc.data["sign_off"] == {"by": "Žarko Šećerović, Head of the City Administration", "date": "2026-03-14"}
    assert doc.quotes["/sign_off/date"].startswith("The assessment was approved")


def test_an_approval_in_a_section_that_also_names_the_dpo(tmp_path: Path) -> None:
    text = "\n".join([
        "Impact assessment of the payroll register",
        "",
        "1. Systematic description of the processing",
        "",
        _LONG,
        "",
        "5. Consultation, opinion of the data protection officer and approval",
        "",
        "The data protection officer was consulted and agreed with the assessment.",
        "",
        "The assessment was approved by the head of the City Administration on 14 March 2026.",
        "",
    ])
    doc = _load(tmp_path, text, "dpia.txt")
    assert doc.data["sign_off"]["date"] == "2026-03-14"
    assert doc.data["sign_off"]["by"].startswith("the head of the City Administration")


def test_a_hyphenated_risk_id_is_cut_off_the_description(tmp_path: Path) -> None:
    text = "\n".join([
        "# DPIA",
        "",
        "## Risks",
        "",
        "R-01 Unauthorised access to the database by external attackers: high",
        "R-02 Excessive access rights of internal users: medium",
        "",
    ])
    risks = _load(tmp_path, text).data["risks"]
    assert [(r["id"], r["description"]) for r in risks] == [
        ("R1", "Unauthorised access to the database by external attackers: high"),
        ("R2", "Excessive access rights of internal users: medium"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The system does not make decisions based solely on automated processing, including profiling.",
        "Sistem ne donosi odluke isključivo na osnovu automatizovane obrade, uključujući profilisanje.",
    ],
)
def test_art38_boilerplate_denies_profiling_too(tmp_path: Path, sentence: str) -> None:
    """The Art. 38 wording "…, including profiling" names profiling as a kind of the
    decisions it denies; read as a mention of profiling, it failed three Art. 5 and 38
    rules (logic never explained, profiling undescribed) on a DPIA without any."""
    doc = _load(tmp_path, f"# DPIA\n\n## Description of the processing\n\nStaff book appointments. {sentence}\n")
    assert doc.data["processing"]["automated_decisions"]["profiling"] is False
    status = {f.rule: f.status for f in Engine(load_ruleset()).run(doc, CheckOptions()).findings}
    assert status["lpdp.5.1.1-automated-logic"] == "not_applicable"
    assert status["lpdp.38.1-profiling-described"] == "not_applicable"
    assert status["lpdp.38.1-profiling-consistent"] == "not_applicable"


def test_a_heading_naming_two_kinds_of_measures_does_not_decide_the_kind(tmp_path: Path) -> None:
    text = "\n".join([
        "# DPIA",
        "",
        "## Technical and organisational measures",
        "",
        "- M1: role-based access control with two-factor authentication",
        "- M2: annual training of staff on data protection",
        "- M3: documented procedure for handling data subject requests",
        "",
        "## Staff measures",
        "",
        "- M4: confidentiality statements",
        "",
    ])
    kinds = {m["id"]: m["kind"] for m in _load(tmp_path, text).data["measures"]}
    assert kinds == {"M1": "technical", "M2": "staff", "M3": "organisational", "M4": "staff"}


def _load_pdf_lines(tmp_path: Path, lines: list[str]) -> Document:
    """A document read the way a PDF is: wrapped lines, no blank lines between paragraphs."""
    from dpia_check.load.text_loader import document_from_text
    from dpia_check.load.textsource import ExtractedText, TextLine
    from dpia_check.textprep import detect_script_language

    text = "\n".join(lines)
    (tmp_path / "mem.pdf").write_text(text, encoding="utf-8")  # (hashed for the report, not read)
    extracted = ExtractedText("mem.pdf", "pdf", [TextLine(t, 1, i) for i, t in enumerate(lines, 1)], 1, "pypdfium2", None, detect_script_language(text))
    return document_from_text(tmp_path / "mem.pdf", extracted, name="mem.pdf")



def test_a_pdf_risk_table_is_read_row_by_row_with_its_rating_columns(tmp_path: Path) -> None:
    """A register table's cells arrive as lines; each row starts with its id after the
    short last line of the row before, and its ratings stand in the columns the header row
    names. All rows had been one risk R1, unrated."""
    doc = _load_pdf_lines(tmp_path, [
        "3. Assessment of risks to the rights and freedoms of data subjects",
        *_FULL_LINES,
        "ID Risk Likelihood Severity Measures",
        "R1 unauthorised",
        "access to the",
        "register by an",
        "employee",
        "low high M1, M3",
        "R2 disclosure of",
        "recordings to third",
        "parties",
        "high medium M2",
        *_FULL_LINES,
    ])
    risks = [{k: r.get(k) for k in ("id", "description", "likelihood", "severity", "measures")} for r in doc.data["risks"]]
    assert risks == [
        {"id": "R1", "description": "unauthorised access to the register by an employee", "likelihood": "low", "severity": "high", "measures": ["M1", "M3"]},
        {"id": "R2", "description": "disclosure of recordings to third parties", "likelihood": "high", "severity": "medium", "measures": ["M2"]},
    ]


def test_a_wrapped_reference_to_a_risk_is_not_a_new_row(tmp_path: Path) -> None:
    doc = _load_pdf_lines(tmp_path, [
        "3. Risks",
        *_FULL_LINES,
        "R1 unauthorised access to the register by an employee, which is more likely than the risk",
        "R2 below because every employee has an account. Likelihood: low. Severity: high.",
        *_FULL_LINES,
    ])
    assert [r["id"] for r in doc.data["risks"]] == ["R1"]


def test_residual_risk_of_every_operation_in_serbian(tmp_path: Path) -> None:
    doc = _load_pdf_lines(tmp_path, [
        "3. Procena rizika",
        "R1. Neovlašćen pristup registru od strane zaposlenog. Verovatnoća: visoka. Ozbiljnost: visoka.",
        "4. Preostali rizik",
        "Nakon primene mera, preostali rizik svake radnje ocenjen je kao nizak ili srednji, pa prethodno",
        "mišljenje Poverenika nije potrebno.",
    ])
    assert doc.data["risks"][0]["residual"] == {"likelihood": "low", "severity": "low"}


_COVER = [
    "Data Protection Impact Assessment",
    "Item Data",
    "Controller City Administration of Kragujevac, Trg slobode 3,",
    "Kragujevac",
    "Data protection officer Milica Ćirić, dpo@example.rs",
    "System assessed Integrated city services platform",
    "Document version 2.1 of 14 March 2026",
    "Approved by Žarko Šećerović, Head of the City Administration",
    "1. Systematic description of the processing",
    *_FULL_LINES,
]


def test_a_pdf_cover_table_without_colons_is_read(tmp_path: Path) -> None:
    """A cover table's rows come out of a PDF as "label value" lines; read as prose, the
    controller's name began with "Controller", the date and the approver were lost and
    the DPO row was a heading."""
    doc = _load_pdf_lines(tmp_path, _COVER)
    meta = doc.data["meta"]
    assert meta["controller"] == {"name": "City Administration of Kragujevac, Trg slobode 3, Kragujevac", "kind": "public_authority"}
    assert meta["dpo"] == {"name": "Milica Ćirić", "contact": "dpo@example.rs"}
    assert meta["date"] == "2026-03-14"
    assert doc.data["sign_off"]["by"] == "Žarko Šećerović, Head of the City Administration"
    assert doc.quotes["/meta/controller/name"] == "Controller City Administration of Kragujevac, Trg slobode 3, Kragujevac"
    assert [s.title for s in doc.text.sections] == ["Systematic description of the processing"]


def test_a_cover_table_in_cyrillic(tmp_path: Path) -> None:
    doc = _load_pdf_lines(tmp_path, [
        "Руковалац Градска управа града Крагујевца",
        "Лице за заштиту података о личности Милица Ћирић, lzp@example.rs",
        "Верзија документа 2.1 од 14. марта 2026.",
        "1. Систематичан опис обраде",
        *_FULL_LINES,
    ])
    assert doc.data["meta"]["controller"]["name"] == "Градска управа града Крагујевца"
    assert doc.data["meta"]["dpo"]["name"] == "Милица Ћирић"
    assert doc.data["meta"]["date"] == "2026-03-14"


def test_one_label_like_line_or_prose_is_no_cover_table(tmp_path: Path) -> None:
    from dpia_check.text.prepare import Line, cover_rows
    from dpia_check.text.vocab import default_vocabulary

    vocab = default_vocabulary()

    def rows(texts: list[str]) -> list[str]:
        return [r.label for r in cover_rows([Line(t, 1, i) for i, t in enumerate(texts, 1)], vocab).values()]

    assert rows(["Controller City Administration of Kragujevac", *_FULL_LINES]) == []  # one row alone
    assert rows(["Data protection officer was consulted on 14 March 2026.", "Controller is the City Administration.", *_FULL_LINES]) == []
    assert rows(["Controller City Administration", "Data protection officer Milica Ćirić"]) == ["Controller", "Data protection officer"]


@pytest.mark.parametrize(
    ("sentence", "purpose"),
    [
        ("The purpose of the processing is defined in the decision of the City Council of 2020.", None),
        ("Svrha obrade je određena odlukom Gradskog veća iz 2024. godine.", None),
        ("The purpose of the processing is defined as the booking of appointments at the counter.", "defined as the booking of appointments at the counter"),
        ("The purpose of the processing is the booking of appointments at the counter.", "the booking of appointments at the counter"),
    ],
)
def test_where_a_purpose_is_written_down_is_not_a_purpose(tmp_path: Path, sentence: str, purpose: str | None) -> None:
    doc = _load(tmp_path, f"# DPIA\n\n## Description of the processing\n\nStaff book appointments for patients. {sentence}\n")
    found = [p["description"] for p in doc.data["processing"].get("purposes") or []]
    assert found == ([purpose] if purpose else [])


@pytest.mark.parametrize("told_elsewhere", [True, False])
def test_how_data_subjects_are_informed_may_be_said_outside_its_section(tmp_path: Path, told_elsewhere: bool) -> None:
    """The section "Information to data subjects" lists their rights only; each operation
    says how its data subjects are informed. Read from the section alone, the DPIA named
    no channel (lpdp.5.1.1-transparency failed)."""
    elsewhere = "Data subjects are informed about the processing through a notice at the counter and on the website." if told_elsewhere else ""
    text = "\n".join([
        "# DPIA",
        "",
        "## Description of the processing",
        "",
        f"The city keeps a register of parking permits. {elsewhere}",
        "",
        "## Information to data subjects",
        "",
        "Data subjects may exercise the following rights:",
        "",
        "- the right of access to their personal data",
        "- the right to erasure",
        "",
    ])
    doc = _load(tmp_path, text)
    value = doc.data["necessity_proportionality"]["transparency"]
    assert value.startswith("Data subjects may exercise the following rights")
    assert ("through a notice at the counter" in value) is told_elsewhere
    status = {f.rule: f.status for f in Engine(load_ruleset()).run(doc, CheckOptions()).findings}
    assert status["lpdp.5.1.1-transparency"] == ("pass" if told_elsewhere else "fail")


@pytest.mark.parametrize(
    "sentence",
    [
        "The data protection officer was consulted and agreed with the assessment.",
        "Lice za zaštitu podataka o ličnosti konsultovano je i saglasilo se sa procenom.",
        "Лице за заштиту података о личности консултовано је и сагласило се са проценом.",
    ],
)
def test_a_dpo_who_agreed_in_any_script(tmp_path: Path, sentence: str) -> None:
    doc = _load(tmp_path, f"# DPIA\n\n## Opinion of the data protection officer\n\n{sentence}\n")
    assert doc.data["consultation"]["dpo_advice_followed"] is True


def test_a_pdf_risk_table_with_one_line_rows(tmp_path: Path) -> None:
    """A browser-printed register keeps each row on one full line; a row ends with the
    ids of its measures, and the next starts with the next risk id."""
    doc = _load_pdf_lines(tmp_path, [
        "3. Assessment of risks to the rights and freedoms of data subjects",
        *_FULL_LINES,
        "ID Risk Likelihood Severity Measures",
        "R1 unauthorised access to the register by an employee of the city low high M1, M3",
        "R2 disclosure of the recordings of the cameras to third parties medium low M2, M4",
        "R3 loss of data because of a failure of the hardware in the server room low medium M3",
        *_FULL_LINES,
    ])
    assert [(r["id"], r["likelihood"], r["severity"]) for r in doc.data["risks"]] == [("R1", "low", "high"), ("R2", "medium", "low"), ("R3", "low", "medium")]


def test_an_alternative_weighed_inside_the_proportionality_paragraph(tmp_path: Path) -> None:
    """ "Srazmernost: …" labels the paragraph for proportionality; an alternative weighed in
    it, rejected in the next clause ("…; ta mogućnost je odbačena jer …"), is still an
    alternative considered, with its reason."""
    doc = _load(tmp_path, "\n".join([
        "# DPIA",
        "",
        "## Neophodnost i srazmernost",
        "",
        "Srazmernost: prikupljaju se samo podaci koje zakon propisuje. Razmatrano je da se provera vrši na osnovu uverenja "
        "koja podnosilac sam pribavlja; ta mogućnost je odbačena jer podnosioce opterećuje troškovima.",
        "",
    ]))
    alternatives = doc.data["necessity_proportionality"]["alternatives"]
    assert len(alternatives) == 1
    assert alternatives[0]["alternative"].startswith("Razmatrano je") and "odbačena jer" in alternatives[0]["rejected_because"]


def test_a_field_named_by_a_pdf_table_column_is_read_from_its_rows(tmp_path: Path) -> None:
    """The cue of the retention field sits in the table's header row ("… Rok čuvanja");
    the periods are in the rows below it."""
    doc = _load_pdf_lines(tmp_path, [
        "1. Opis obrade",
        *_FULL_LINES,
        "Vrsta podataka Primeri Izvor Rok čuvanja",
        "Podaci o identitetu ime, prezime, JMBG, podnosilac zahteva 10 godina od",
        "adresa prestanka prava",
        "Podaci o zdravlju nalaz o radnoj sposobnosti lekarska komisija 5 godina",
        "2. Pravni osnov",
        *_FULL_LINES,
    ])
    retention = doc.data["processing"]["retention"]
    assert "10 godina od" in retention and "5 godina" in retention
    status = {f.rule: f.status for f in Engine(load_ruleset()).run(doc, CheckOptions()).findings}
    assert status["lpdp.5.1.5-retention-period"] == "pass"


def test_a_register_row_whose_description_cell_wraps(tmp_path: Path) -> None:
    """A description cell wider than its column goes on below the ratings: "R1 neovlašćen
    uvid … u podatke o srednja visoka M1, M3" / "zdravlju korisnika …". The paragraph
    after the table is not part of the last row."""
    doc = _load_pdf_lines(tmp_path, [
        "4. Procena rizika",
        *_FULL_LINES,
        "Oznaka Rizik Verovatnoća Ozbiljnost Mere",
        "R1 neovlašćen uvid zaposlenih u podatke o srednja visoka M1, M3",
        "zdravlju korisnika, čime se povređuje njihova",
        "privatnost",
        "R2 pogrešno uparivanje podataka iz razmene niska visoka M2",
        "zbog kojeg korisnik neosnovano izgubi pravo",
        "na pomoć",
        "Nakon primene mera preostali rizik svih rizika ocenjen je kao nizak.",
        *_FULL_LINES,
    ])
    risks = doc.data["risks"]
    assert [r["description"] for r in risks] == [
        "neovlašćen uvid zaposlenih u podatke o zdravlju korisnika, čime se povređuje njihova privatnost",
        "pogrešno uparivanje podataka iz razmene zbog kojeg korisnik neosnovano izgubi pravo na pomoć",
    ]
    assert [(r["likelihood"], r["severity"]) for r in risks] == [("medium", "high"), ("low", "high")]
    assert [r["rights_affected"] for r in risks] == [["privacy", "health"], ["social_protection"]]
    assert all(r["residual"] == {"likelihood": "low", "severity": "low"} for r in risks)


def test_round5_refusal_reason_residual_by_id_and_commissioner_not_needed(tmp_path: Path) -> None:
    """Three ways a table-heavy DPIA says things: a DPO point refused with its reason after a
    colon; the residual risk of one risk said under the register by its id; the Commissioner's
    opinion declared unnecessary, which answers whether it was asked for (no "cannot tell")."""
    text = "\n".join([
        "# DPIA",
        "## 6. Opinion of the data protection officer",
        "The DPO advised a manual review of each placement in tier C before it counts. Point (3) was not accepted by management on 16 November 2026: "
        "the calculation rule is the same for everyone and a manual review would bring back subjective judgement.",
        "## 7. Risks",
        "- R1: Workers cut short their breaks, which harms their health. Likelihood: medium. Severity: high.",
        "- R2: A worker loses part of the wage by an automatic calculation. Likelihood: high. Severity: high.",
        "",
        "The residual risk of R2 remains high. Prior consultation of the Commissioner was considered and found unnecessary.",
    ])
    doc = _load(tmp_path, text)
    consultation = doc.data["consultation"]
    assert consultation["dpo_advice_followed"] is False
    assert consultation["dpo_overruled_reason"].startswith("Point (3) was not accepted")
    assert doc.data["risks"][1]["residual"] == {"likelihood": "high", "severity": "high"}
    assert "residual" not in doc.data["risks"][0]
    assert consultation["commissioner"]["required"] is False
    report = Engine(load_ruleset()).run(doc, CheckOptions())
    status = {f.rule: f.status for f in report.findings}
    assert status["lpdp.54.3-dpo-advice-followed"] == "pass"
    assert status["lpdp.55.1-prior-opinion"] == "fail"


def _pdf_like(tmp_path: Path, lines: list[str]) -> Document:
    """Map lines as a PDF gives them (one table row's cells side by side on each line)."""
    from dpia_check.load.textsource import ExtractedText, TextLine
    from dpia_check.text.mapper import map_document
    from dpia_check.text.prepare import prepare
    from dpia_check.textprep import detect_script_language

    text = "\n".join(lines)
    ex = ExtractedText("mem.pdf", "pdf", [TextLine(t, 1, i) for i, t in enumerate(lines, 1)], 1, None, None, detect_script_language(text))
    data, _, _ = map_document(prepare(ex, default_vocabulary()))
    return data  # type: ignore[return-value]


def test_kind_and_owner_cells_of_a_pdf_measures_table(tmp_path: Path) -> None:
    """"ID Measure Kind Owner Status": the kind and owner of each row are read from the row's
    first line, where the cells stand side by side, and taken out of the description."""
    data: Any = _pdf_like(tmp_path, [
        "8. Measures",
        "ID Measure Kind Owner Status",
        "M1 Idle intervals are Technical Head of IT Implemented in the",
        "recorded only from 4 pilot",
        "minutes.",
        "M2 Written notice, shift Organisational HR Manager Planned",
        "briefings and intranet Q&A.",
        "M3 Confidentiality Staff HR Manager with Planned",
        "training for all shift the DPO",
        "leaders.",
    ])
    got = [(m["id"], m["kind"], m.get("owner"), m.get("status")) for m in data["measures"]]
    assert got == [("M1", "technical", "Head of IT", "implemented"), ("M2", "organisational", "HR Manager", "planned"),
                   ("M3", "staff", "HR Manager with", "planned")]
    assert data["measures"][0]["description"].startswith("Idle intervals are recorded only")


def test_rights_named_or_harm_to_people_described(tmp_path: Path) -> None:
    """A risk meets lpdp.54.6.3-rights-focus by naming a right or by saying what happens to
    the people concerned; a risk to the system alone does neither."""
    text = "\n".join([
        "# DPIA",
        "## 7. Risks",
        "- R1: A worker loses part of the wage because the calculation does not know about a training day. Likelihood: high. Severity: high.",
        "- R2: Server outage makes the system unavailable for hours. Likelihood: low. Severity: medium.",
    ])
    doc = _load(tmp_path, text)
    finding = next(f for f in Engine(load_ruleset()).run(doc, CheckOptions()).findings if f.rule == "lpdp.54.6.3-rights-focus")
    assert finding.status == "fail" and "R2" in finding.message and "R1" not in finding.message


def test_table_column_outside_the_fields_section_and_category_names(tmp_path: Path) -> None:
    """A data table inside the description, with a retention column and no retention
    section, gives the retention row by row; a sentence naming two categories of data
    gives the categories when none introduces them."""
    text = "\n".join([
        "# Процена",
        "## 2. Опис обраде",
        "Модул сваке ноћи преузима из ЕПП поља о лицима, бројевима телефона, адресама и возилима.",
        "",
        "| Категорија података | Примери | Извор | Рок чувања |",
        "| Подаци о лицима | Име и презиме, ЈМБГ | ЕПП | 30 дана после окончања предмета |",
        "| Записи о приступу | Ко је прегледао мрежу | Модул | Пет година |",
    ])
    data = _load(tmp_path, text, "dpia.txt").data["processing"]
    assert data["retention"] == "Подаци о лицима: 30 дана после окончања предмета; Записи о приступу: Пет година"
    assert data["data_categories"][0]["category"].startswith("Модул сваке ноћи преузима")


def test_a_safeguard_stated_only_among_the_measures(tmp_path: Path) -> None:
    """Human decision said only by a measure ("the module's output is only a suggestion;
    the deputy prosecutor takes every decision") is a safeguard of the profiling."""
    text = "\n".join([
        "# DPIA",
        "## 1. Description",
        "The module compares identifiers across cases; this is profiling: an indicator is computed from the number of links.",
        "## 8. Measures",
        "- M4: The module decides nothing: every link and indicator is only a suggestion, and the deputy prosecutor takes every decision.",
    ])
    ad = _load(tmp_path, text).data["processing"]["automated_decisions"]
    assert ad["profiling"] is True and "only a suggestion" in ad["safeguards"]


def test_a_short_risk_is_described_when_it_names_the_people_it_happens_to(tmp_path: Path) -> None:
    """lpdp.54.6.3-risk-assessment: five words, or three naming the people concerned. The
    Serbian "Otkrivanje snimaka trećim licima" (disclosure of recordings to third parties)
    is a described risk; "Neovlašćeni pristup informacionom sistemu", a risk to the system
    in as many words, is not."""
    def status(risk: str) -> str:
        text = f"# Procena\n\n## 5. Procena rizika\n\n- R1: {risk} Verovatnoća: srednja. Ozbiljnost: visoka.\n"
        doc = _load(tmp_path, text, "sr.md")
        return next(f.status for f in Engine(load_ruleset()).run(doc, CheckOptions()).findings if f.rule == "lpdp.54.6.3-risk-assessment")

    assert status("Otkrivanje snimaka trećim licima.") == "pass"
    assert status("Neovlašćeni pristup informacionom sistemu.") == "fail"
