"""Heading detection and mapping of a document's sections to the DPIA model."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpia_check.load import load_document
from dpia_check.load.textsource import ExtractedText, TextLine
from dpia_check.text.prepare import PreparedText, prepare, split_sentences
from dpia_check.text.sections import section_keys
from dpia_check.text.vocab import Vocabulary, default_vocabulary
from dpia_check.textprep import detect_script_language, fold, to_cyrillic


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return default_vocabulary()


def _prepared(text: str, vocab: Vocabulary, fmt: str = "text", page_lines: bool = False) -> PreparedText:
    lines = [TextLine(t, 1 if page_lines else None, i) for i, t in enumerate(text.split("\n"), 1)]
    if page_lines:
        lines = [ln for ln in lines if ln.text.strip()]
    ex = ExtractedText("mem.txt", "pdf" if page_lines else fmt, lines, 1 if page_lines else None, None, None, detect_script_language(text))
    return prepare(ex, vocab)


def _titles(pt: PreparedText) -> list[tuple[str, tuple[str, ...]]]:
    return [(s.title, s.keys) for s in pt.sections]


@pytest.mark.parametrize(
    ("heading", "keys"),
    [
        ("Procena neophodnosti i srazmernosti", ("necessity", "proportionality")),
        ("Opis predviđenih radnji obrade", ("description",)),
        ("Mere za ublažavanje rizika", ("measures",)),  # measures, not risks
        ("Identify measures to reduce risk", ("measures",)),
        ("Identify and assess risks", ("risks",)),
        ("Mišljenje lica za zaštitu podataka o ličnosti", ("dpo",)),
        ("Mišljenje lica na koja se podaci odnose", ("views",)),
        ("Controls protecting data subjects' rights", ("rights",)),
        ("Sign off and record outcomes", ("sign_off",)),
        ("Рок чувања и примаоци", ("retention", "recipients")),
        ("Načela obrade", ("principles",)),
        ("Усклађеност са начелима", ("principles",)),
        ("Начелник Полицијске управе", ()),  # a chief's signature line, not the principles
    ],
)
def test_heading_keys(vocab: Vocabulary, heading: str, keys: tuple[str, ...]) -> None:
    assert section_keys(fold(heading), vocab) == keys


def test_numbered_steps_caps_and_nesting(vocab: Vocabulary) -> None:
    text = "\n".join([
        "PROCENA UTICAJA NA ZAŠTITU PODATAKA O LIČNOSTI",
        "Step 2: Describe the processing",
        "The clinic books appointments online for its patients.",
        "2.1 Purposes of the processing",
        "Scheduling outpatient appointments.",
        "Step 5: Identify and assess risks",
        "R1. Staff read the reason for a visit. Likelihood: possible. Severity: severe.",
    ])
    pt = _prepared(text, vocab, page_lines=True)
    titles = _titles(pt)
    assert ("Describe the processing", ("description",)) in titles
    assert ("Purposes of the processing", ("purposes",)) in titles
    assert ("Identify and assess risks", ("risks",)) in titles
    purposes = pt.sections_for(("purposes",))[0]
    description = pt.sections_for(("description",))[0]
    assert description.start <= purposes.heading < description.end  # 2.1 nests under Step 2


def test_a_lower_case_step_word_still_numbers_a_heading(vocab: Vocabulary) -> None:
    """Lines that start in lower case are skipped early as wrapped text, except those
    that start with a word that can stand before a heading's number."""
    text = "\n".join([
        "korak 3: Procena rizika",
        "Rizik od neovlašćenog pristupa je nizak.",
        "procena rizika je urađena",
        "Rizik je nizak.",
    ])
    pt = _prepared(text, vocab, page_lines=True)
    assert _titles(pt) == [("Procena rizika", ("risks",))]
    assert pt.sections[0].number == "korak 3"


def test_numbered_list_is_not_headings(vocab: Vocabulary) -> None:
    text = "\n".join([
        "3. Svrhe obrade",
        "Svrhe su:",
        "1. naplata parkiranja",
        "2. kontrola plaćanja",
        "3. statistika korišćenja",
    ])
    pt = _prepared(text, vocab, page_lines=True)
    assert [s.title for s in pt.sections] == ["Svrhe obrade"]
    assert [u.kind for u in pt.units] == ["heading", "para", "item", "item", "item"]


def test_wrapped_number_is_not_a_list_item(vocab: Vocabulary) -> None:
    text = "Prethodno mišljenje Poverenika iz člana\n55. stav 1. Zakona nije potrebno."
    pt = _prepared(text, vocab, page_lines=True)
    assert len(pt.units) == 1 and pt.units[0].text.endswith("člana 55. stav 1. Zakona nije potrebno.")


def test_contents_list_is_skipped(vocab: Vocabulary) -> None:
    text = "\n".join([
        "Sadržaj",
        "1. Opis obrade ........ 2",
        "2. Procena rizika ........ 3",
        "1. Opis obrade",
        "Opština obrađuje podatke građana koji zakazuju termine.",
        "2. Procena rizika",
        "Rizik od neovlašćenog pristupa je nizak.",
    ])
    pt = _prepared(text, vocab, page_lines=True)
    described = pt.sections_for(("description",))
    assert len(described) == 1 and described[0].line == 4


def test_label_value_line_is_not_a_heading(vocab: Vocabulary) -> None:
    pt = _prepared("Lice za zaštitu podataka o ličnosti: Marko Janković, dpo@example.rs\nDatum: 3. februar 2026.", vocab)
    assert not pt.sections


def test_markdown_headings_and_cyrillic(vocab: Vocabulary) -> None:
    latin = "# Procena\n\n## 5. Procena rizika\n\nRizik od neovlašćenog pristupa.\n\n## 6. Mere zaštite\n\nŠifrovanje diska."
    for text in (latin, to_cyrillic(latin)):
        pt = _prepared(text, vocab, fmt="markdown")
        assert [s.keys for s in pt.sections if s.keys] == [("risks",), ("measures",)]


def test_no_headings_means_whole_document_search(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text(
        "Preduzeće je postavilo 12 kamera na parkiralištu. Snimci se čuvaju 30 dana, a zatim se brišu.\n"
        "Svrha obrade je naplata parkiranja.\n",
        encoding="utf-8",
    )
    doc = load_document(path)
    assert any(w.code == "text-no-sections" for w in doc.warnings)
    assert doc.get("/processing/retention").startswith("Snimci se čuvaju 30 dana")
    assert "whole document" in doc.text.searched["/consultation/dpo_advice"][0]


def test_sentences_keep_abbreviations_and_citations() -> None:
    text = "Obrada se zasniva na čl. 12. st. 1. Zakona. Primaoci su sudovi (član 282. Zakonika o krivičnom postupku). Dalje."
    assert [s for _, s in split_sentences(text)] == [
        "Obrada se zasniva na čl. 12. st. 1. Zakona.",
        "Primaoci su sudovi (član 282. Zakonika o krivičnom postupku).",
        "Dalje.",
    ]


@pytest.mark.parametrize(
    ("heading", "keys"),
    [
        # inflected and question-style Serbian headings, CNIL parts in Cyrillic (round 3)
        ("Da li je obrada nužna i srazmerna", ("necessity", "proportionality")),
        ("Stav lica za zaštitu podataka o ličnosti", ("dpo",)),
        ("Čemu obrada služi", ("purposes",)),
        ("Pravni osnov obrade i podaci o zdravlju", ("legal_basis", "special_categories")),
        ("Мере које обезбеђују сразмерност и неопходност", ("proportionality", "necessity")),
        ("Мере које штите права лица", ("rights",)),
        ("Информисање гледалаца", ("transparency",)),
        ("Neophodne tehničke mere", ("measures",)),  # not necessity
        ("Who we consulted", ("consultation",)),
        ("Whose data and how much", ("data",)),
    ],
)
def test_heading_keys_round3(vocab: Vocabulary, heading: str, keys: tuple[str, ...]) -> None:
    assert section_keys(fold(heading), vocab) == keys


def test_questionnaire_headings(vocab: Vocabulary) -> None:
    """A DPIA form of numbered questions: each question heads its answer, inside its part."""
    text = "\n".join([
        "Section B. The data",
        "B4. How long will the data be kept?",
        "Trip data are kept for 12 months after the policy ends and are then erased by the platform without any further step.",
        "Section F. Consultation",
        "F2. Were customers or their representatives consulted?",
        "Yes. A pilot with 300 volunteer customers ran for three months and their views were collected in a survey.",
        "The question of cost? It was raised by the board.",
    ])
    pt = _prepared(text, vocab)
    titles = _titles(pt)
    assert ("How long will the data be kept?", ("retention",)) in titles
    assert ("Were customers or their representatives consulted?", ("views",)) in titles
    assert [s.level for s in pt.sections if s.title.startswith(("How long", "Were"))] == [3, 3]
    assert [s.number for s in pt.sections if s.title.startswith("The data")] == ["Section B"]
    assert not any(t.startswith("The question of cost") for t, _ in titles)  # a question inside prose


def test_label_line_after_a_wrapped_sentence(vocab: Vocabulary) -> None:
    """"Belgrade. Owner: IT" ends a wrapped sentence; it does not start a labelled value."""
    text = "\n".join([
        "M5 (technical): daily backup of the platform to the Company's second data centre in",
        "Belgrade. Owner: IT Operations.",
        "Datum: 2. mart 2026.",
    ])
    pt = _prepared(text, vocab, page_lines=True)
    assert [u.text for u in pt.units][:2] == [
        "M5 (technical): daily backup of the platform to the Company's second data centre in Belgrade. Owner: IT Operations.",
        "Datum: 2. mart 2026.",
    ]


# ---------------------------------------------------------------------------
# a unit's folded form is put together from its folded sentences
# ---------------------------------------------------------------------------

_SEAM_CHARS = "aZ.!?…\"”»)( -\u2010\u2011\u00ad\u200b\tčĆđЉњжß1"


@given(st.lists(st.sampled_from(["Obrada", "je", "R1.", "čl.", "e-mail", "NAPOMENA", "Ђорђе", "veb-", "sajt", "…", "(", "“", "1.", "Dž"]) | st.text(alphabet=_SEAM_CHARS, max_size=4), max_size=20))
@settings(max_examples=400, deadline=None, derandomize=True)
def test_unit_fold_from_pieces_is_fold_of_the_unit(words: list[str]) -> None:
    """Folding a unit sentence by sentence (and the gaps between) gives fold(unit):
    whatever sits at a seam, nothing is joined or dropped across it."""
    from dpia_check.text.prepare import _fold_by_pieces, _Folds

    text = " ".join(words).strip()
    assert _fold_by_pieces(text, split_sentences(text), _Folds()) == fold(text)


def test_unit_fold_from_pieces_on_real_documents(vocab: Vocabulary) -> None:
    for name in ("moi-2020-sr-latn.pdf", "border-anpr-sr-cyrl.pdf", "bank-cctv-sr-latn.pdf"):
        doc = load_document(Path(__file__).resolve().parent / "corpus" / name)
        assert doc.text is not None
        for unit in doc.text.units:
            assert unit.folded == fold(unit.text), unit.text


def test_unit_fold_falls_back_when_a_seam_could_change_the_fold() -> None:
    from dpia_check.text.prepare import _fold_by_pieces, _Folds

    # a word hyphen split across two pieces is only dropped when the whole text is folded
    assert _fold_by_pieces("veb-sajt", [(0, "veb-"), (4, "sajt")], _Folds()) == "vebsajt"
    assert _fold_by_pieces("ab\u00ad-cd", [(0, "ab"), (2, "\u00ad-cd")], _Folds()) == fold("ab\u00ad-cd")
    # a piece that is not where its offset says
    assert _fold_by_pieces("Jedan. Dva.", [(0, "Jedan."), (3, "Dva.")], _Folds()) == "jedan. dva."


# Full lines of body text: a heading is recognised by being shorter than them.
_BODY = [
    "The controller keeps the records in a central register that only named employees can open, and",
    "every access is logged and reviewed by the information security officer once a month in writing.",
]


def test_cover_tables_are_not_headings(vocab: Vocabulary) -> None:
    """A PDF's cover table and revision history become lines of joined cells. A row that
    opens with a date, or holds an e-mail address, is no heading (it had opened
    "sign_off", "risks" and "dpo" sections), and each revision row is a unit of its own."""
    text = "\n".join([
        "Data protection officer Milica Ćirić, dpo@example.rs",
        "Version Date Author Change",
        "1.0 12 Jan 2026 Jelena Marković First draft",
        "1.1 02 Feb 2026 Milica Ćirić Comments of the data",
        "protection officer",
        "2.0 20 Feb 2026 Dušan Đukić Risk register revised",
        "2.1 14.03.2026. Jelena Marković Final version for approval",
        "1. Systematic description of the processing",
        *_BODY,
    ])
    pt = _prepared(text, vocab, page_lines=True)
    assert _titles(pt) == [("Systematic description of the processing", ("description",))]
    rows = [u.text for u in pt.units if u.text[:1].isdigit() and u.kind != "heading"]
    assert rows == [
        "1.0 12 Jan 2026 Jelena Marković First draft",
        "1.1 02 Feb 2026 Milica Ćirić Comments of the data protection officer",
        "2.0 20 Feb 2026 Dušan Đukić Risk register revised",
        "2.1 14.03.2026. Jelena Marković Final version for approval",
    ]


def test_a_wrapped_date_in_prose_stays_in_its_sentence(vocab: Vocabulary) -> None:
    text = "\n".join([
        "The data protection officer of the city administration was consulted on the draft on",
        "14 March 2026 and agreed with the assessment, with a recommendation to review it.",
    ])
    pt = _prepared(text, vocab, page_lines=True)
    assert len(pt.units) == 1 and "on 14 March 2026 and agreed" in pt.units[0].text


def test_wrapped_headings_are_read_whole(vocab: Vocabulary) -> None:
    """Headings are set large in a PDF, so a long one wraps; its second line belongs to it
    ("… and" / "approval" made the section about the DPO only)."""
    text = "\n".join([
        "3. Assessment of risks to the rights and freedoms of data",
        "subjects",
        *_BODY,
        "5. Consultation, opinion of the data protection officer and",
        "approval",
        "The assessment was approved by the head of the administration on 14 March 2026.",
        "5.1 Operation 1: Video surveillance of buildings (city",
        "centre office)",
        *_BODY,
    ])
    pt = _prepared(text, vocab, page_lines=True)
    titles = _titles(pt)
    assert titles[0] == ("Assessment of risks to the rights and freedoms of data subjects", ("risks",))
    assert titles[1] == ("Consultation, opinion of the data protection officer and approval", ("consultation", "dpo", "sign_off"))
    assert titles[2][0] == "Operation 1: Video surveillance of buildings (city centre office)"
    heading = pt.units[pt.sections[0].heading]
    assert (heading.first, heading.last) == (0, 1)
    assert not any(u.text in ("subjects", "approval", "centre office)") for u in pt.units)


def test_a_list_under_a_heading_is_not_its_second_line(vocab: Vocabulary) -> None:
    text = "\n".join([
        *_BODY,
        "2. Categories of personal data",
        "name and surname",
        "address of residence",
        "telephone number",
        *_BODY,
    ])
    pt = _prepared(text, vocab, page_lines=True)
    assert [s.title for s in pt.sections] == ["Categories of personal data"]
    assert "name and surname" not in pt.units[pt.sections[0].heading].text


def test_a_numbered_measure_with_a_heading_word_is_a_list_item(vocab: Vocabulary) -> None:
    """ "5. M5: quarterly review of access logs" names a review, but it is the fifth entry
    of a list of measures; as a heading it had ended the measures section early."""
    text = "\n".join([
        "4. Measures to address the risks",
        "4. M4: annual training of staff on data protection",
        "5. M5: quarterly review of access logs",
        "6. M6: documented procedure for handling data subject requests",
        *_BODY,
    ])
    pt = _prepared(text, vocab, page_lines=True)
    assert _titles(pt) == [("Measures to address the risks", ("measures",))]
    assert pt.sections[0].end == len(pt.units)


def test_a_table_header_row_is_not_a_heading(vocab: Vocabulary) -> None:
    """A PDF table's header row arrives as one line of column labels. Taken for a heading,
    "Data category Examples Source Retention" opened a retention section holding every
    table and paragraph after it (60 % of a 200-page DPIA); it is a unit of its own
    now, so the list item before it does not run on into the table either."""
    text = "\n".join([
        "2.1 Operation 1: Parking permits",
        *_BODY,
        "The operation is carried out in the following steps:",
        "1. collection of data through the electronic form",
        "Data category Examples Source Retention",
        "Contact data address, e-mail address,",
        "telephone number data subject 3 years",
        "3.2 Risk register",
        "ID Risk Likelihood Severity Measures",
        "R1 unauthorised access low high M1, M3",
        *_BODY,
    ])
    pt = _prepared(text, vocab, page_lines=True)
    assert [s.title for s in pt.sections] == ["Operation 1: Parking permits", "Risk register"]
    by_text = {u.text: u for u in pt.units}
    assert by_text["Data category Examples Source Retention"].kind == "para"
    assert by_text["collection of data through the electronic form"].kind == "item"
    assert "ID Risk Likelihood Severity Measures" in by_text


@pytest.mark.parametrize(
    ("line", "keys"),
    [
        ("Risk Assessment Methodology Overview", ("risks",)),  # Title Case, no id column
        ("Retention of data", ("retention",)),
        ("Rok čuvanja podataka", ("retention",)),
    ],
)
def test_title_case_headings_are_still_headings(vocab: Vocabulary, line: str, keys: tuple[str, ...]) -> None:
    pt = _prepared("\n".join([*_BODY, line, *_BODY]), vocab, page_lines=True)
    assert [(s.title, s.keys[:1]) for s in pt.sections] == [(line, keys)]


def test_the_dpo_named_in_full_chains_with_the_next_keys(vocab: Vocabulary) -> None:
    """ "lice za zaštitu podataka o ličnosti" is the DPO's full title; matched only up to
    "podataka", it left " o ličnosti, " between it and "stavovi korisnika", which broke
    the chain of keys after it."""
    title = "Mišljenje lica za zaštitu podataka o ličnosti, stavovi korisnika i odobrenje procene"
    assert section_keys(fold(title), vocab) == ("dpo", "views", "sign_off")


def test_wrapped_cell_closing_a_bracket_is_not_a_heading(vocab: Vocabulary) -> None:
    """A revision-history cell "N. Stojanović (Operations Excellence)" wraps, and its second
    line "Excellence) system and the data flows" names section words: it is no heading."""
    text = "\n".join([
        "Version Date Author Change",
        "0.1 2 September 2026 N. Stojanović (Operations First draft: description of the",
        "Excellence) system and the data flows",
        "",
        "1. Description of the processing",
        "The scanner records the barcode and the time of the scan.",
    ])
    pt = _prepared(text, vocab, page_lines=True)
    assert [(s.number, s.title) for s in pt.sections] == [("1.", "Description of the processing")]


def test_id_column_header_row_and_wrapped_cell_with_a_clause_break(vocab: Vocabulary) -> None:
    """A Cyrillic register header opens with its id column ("Ознака"), so no section word
    starts it: it is still a header row, a unit of its own, not glued to the first risk. A
    wrapped cell line "Прилога 1; слободан текст и" is no annex heading."""
    text = "\n".join([
        "7. Процена ризика по права и слободе лица",
        "Ознака Опис ризика Вероватноћа Тежина Мере Преостали ризик",
        "Р1 Лице које са Средња Висока М3, М4 Средњи",
        "осумњиченим дели телефон.",
        "8. Мере заштите",
        "М2 Пренос из ЕПП обухвата само Техничка Шеф информатичке службе",
        "структурисана поља из",
        "Прилога 1; слободан текст и",
        "поља о здравственом стању нису укључени",
    ])
    pt = _prepared(text, vocab, page_lines=True)
    assert [s.keys for s in pt.sections] == [("risks",), ("measures",)]
    header = next(u for u in pt.units if u.text.startswith("Ознака"))
    assert header.text == "Ознака Опис ризика Вероватноћа Тежина Мере Преостали ризик"
