"""textprep: normalisation, Serbian transliteration, folding, script/language detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from dpia_check.textprep import (
    detect_script_language,
    fold,
    normalise,
    round_trip_ok,
    to_cyrillic,
    to_latin,
)

DATA = Path(__file__).resolve().parent / "data" / "pdf"

# ---------------------------------------------------------------------------
# normalise
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("o\ufb03cial \ufb01le e\ufb00ort \ufb02ow", "official file effort flow"),  # ligatures
        ("\uf6c5ез\uf6c4е\uf6c6а\uf6c7\uf6c8", "безгедапт"),  # private-use Cyrillic б г д п т
        ("obra\u00adde", "obrade"),  # soft hyphen
        ("a\u00a0b\u2009c\u202fd\u2007e", "a b c d e"),  # NBSP, thin, narrow NBSP, figure space
        ("a \t\t b", "a b"),  # tabs and runs of spaces inside a line
        ("trailing   \nnext\t", "trailing\nnext"),
        ("zero\u200bwidth\u200c\u200d\ufeff\u2060x", "zerowidthx"),
        ("bidi\u200e\u202amark\u202c", "bidimark"),
        ("crlf\r\nold mac\rline\u2028sep", "crlf\nold mac\nline\nsep"),
        ("ctrl\x00\x07\x1b chars", "ctrl chars"),
        ("ǅak ǈubav ǋegoš", "Džak Ljubav Njegoš"),  # one-code-point Latin digraphs
    ],
)
def test_normalise_cleans(raw: str, clean: str) -> None:
    assert normalise(raw) == clean


def test_normalise_keeps_indentation_and_lines() -> None:
    text = "# Title\n\n- item\n    - nested  item\n\tcode  line \n"
    assert normalise(text) == "# Title\n\n- item\n    - nested item\n    code line\n"
    assert normalise(text).count("\n") == text.count("\n")


def test_normalise_is_idempotent_and_cheap_on_ascii() -> None:
    samples = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))]
    for s in samples:
        once = normalise(s)
        assert normalise(once) == once
    plain = "plain ascii line\n" * 10_000
    assert normalise(plain) == plain


# ---------------------------------------------------------------------------
# to_latin
# ---------------------------------------------------------------------------

ALPHABET_CYR = "А Б В Г Д Ђ Е Ж З И Ј К Л Љ М Н Њ О П Р С Т Ћ У Ф Х Ц Ч Џ Ш"
ALPHABET_LAT = "A B V G D Đ E Ž Z I J K L Lj M N Nj O P R S T Ć U F H C Č Dž Š"


def test_to_latin_alphabet() -> None:
    assert to_latin(ALPHABET_CYR) == ALPHABET_LAT
    assert to_latin(ALPHABET_CYR.lower()) == ALPHABET_LAT.lower()


@pytest.mark.parametrize(
    ("cyr", "lat"),
    [
        ("Љубав", "Ljubav"),
        ("ЉУБАВ", "LJUBAV"),
        ("ЊЕГОШ", "NJEGOŠ"),
        ("Његош", "Njegoš"),
        ("ЏЕП и Џеп", "DŽEP i Džep"),
        ("ПАЊ", "PANJ"),  # all-caps word ending in the digraph
        ("Љ", "Lj"),
        ("Ђорђе Шећеровић, чађ, жути", "Đorđe Šećerović, čađ, žuti"),
        ("GDPR и LPDP, {rule_id}", "GDPR i LPDP, {rule_id}"),
        ("\uf6c5а\uf6c4", "bag"),  # private-use stand-ins
        ("plain ascii", "plain ascii"),
    ],
)
def test_to_latin(cyr: str, lat: str) -> None:
    assert to_latin(cyr) == lat


# ---------------------------------------------------------------------------
# to_cyrillic
# ---------------------------------------------------------------------------


def test_to_cyrillic_alphabet() -> None:
    assert to_cyrillic("a b v g d đ e ž z i j k l lj m n nj o p r s t ć u f h c č dž š") == (
        "а б в г д ђ е ж з и ј к л љ м н њ о п р с т ћ у ф х ц ч џ ш"
    )
    assert to_cyrillic("Ljubav Njegoš Džep Đorđe Ćuprija Čačak Šabac Žabalj") == "Љубав Његош Џеп Ђорђе Ћуприја Чачак Шабац Жабаљ"


@pytest.mark.parametrize(
    "token",
    [
        "LPDP", "GDPR", "DPIA", "DPO", "LED", "JSON", "YAML", "PDF", "SARIF", "ID", "ISO27001", "IV",
        "lpdp.54.6.3-risk-assessment",
        "/risks/0",
        "/processing/purposes/2/legal_basis",
        "{rule_id}",
        "{count}",
        "%(name)s",
        "`dpia-check check --format sarif`",
        "https://www.poverenik.rs/sr/zakoni.html",
        "www.example.rs/dpia",
        "dpo@example.rs",
        "rules/lpdp/art54.yaml",
        "samples/",
        "./out/report.json",
        "~/dpia/nacrt.md",
        "dpia.yaml",
        "LoyaltyPlus",
        "HelpDesk",
        "Windows",
        "legal_basis[].law",
        "measures[].owner",
        "special_categories",
        "rights_affected",
        "processing.automated_decisions.logic",
    ],
)
def test_to_cyrillic_keeps_technical_tokens(token: str) -> None:
    sentence = f"Videti {token} za detalje."
    assert to_cyrillic(sentence) == f"Видети {token} за детаље."


def test_to_cyrillic_brackets_and_serbian_abbreviations() -> None:
    assert to_cyrillic("Sistem ⟦SAP HR⟧ i ⟦eKarton⟧") == "Систем SAP HR и eKarton"
    assert to_cyrillic("Pekara d.o.o. i/ili čl. 54 st. 1") == "Пекара д.о.о. и/или чл. 54 ст. 1"
    assert to_cyrillic("NAPOMENA: rok") == "НАПОМЕНА: рок"  # long all-caps words are words
    assert to_cyrillic("GDPR-a i DPIA-u") == "GDPR-а и DPIA-у"


@pytest.mark.parametrize(
    ("lat", "cyr"),
    [
        ("injekcija", "инјекција"),
        ("konjunkcija", "конјункција"),
        ("nadživeti", "надживети"),
        ("podžupan", "поджупан"),
        ("Tanjug", "Танјуг"),
        ("džep", "џеп"),
        ("konj", "коњ"),
    ],
)
def test_to_cyrillic_digraph_exceptions(lat: str, cyr: str) -> None:
    assert to_cyrillic(lat) == cyr


ROUND_TRIP = [
    "Ljubaznost, njegovanje i džentlmenstvo su đačke vrline.",
    "Čuvanje ličnih podataka je obaveza rukovaoca; šifrovanje je ključno, a žalba se podnosi Povereniku.",
    "LJILJANA NJEGOVAN i ĐORĐE DŽAMIĆ potpisuju procenu (ČLAN 54).",
    "Ljiljana Njegovan, Đorđe Džamić, Ćirić, Šećerović i Žarko su Lj. N. Dž. članovi komisije.",
    "Rukovalac: Pekara Đurić d.o.o., Bulevar oslobođenja 12, Novi Sad; DPO: dpo@example.rs.",
    "Pravilo lpdp.54.6.3-risk-assessment traži opis rizika u /risks/0 (vidi {rule_id}).",
    "Obaveštenje o privatnosti objavljeno je na veb-sajtu https://example.rs/privatnost.",
    "Injekcija, konjunkcija i nadživeti nisu digrafi, ali konj i džep jesu.",
    "GDPR, LPDP i DPIA: izveštaj u formatu JSON, YAML, PDF ili SARIF za ID 7.",
]


@pytest.mark.parametrize("sentence", ROUND_TRIP)
def test_round_trip(sentence: str) -> None:
    cyr = to_cyrillic(sentence)
    assert to_latin(cyr) == sentence
    assert round_trip_ok(sentence)
    assert any("\u0400" <= ch <= "\u04ff" for ch in cyr)


def test_round_trip_ok_strips_brackets() -> None:
    assert round_trip_ok("Sistem ⟦LoyaltyPlus⟧ radi.")
    assert not round_trip_ok("LJubav")  # odd capitalisation has no single Cyrillic spelling


# ---------------------------------------------------------------------------
# fold
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("veb-sajtu", "vebsajtu"),
        ("Веб-сајту", "vebsajtu"),
        ("veb\u00adsajtu", "VEBSAJTU"),
        ("Obrada podataka o ličnosti", "ОБРАДА ПОДАТАКА О ЛИЧНОСТИ"),
        ("Đorđe", "djordje"),
        ("Ђорђе", "Djordje"),
        ("DŽEP", "dzep"),
        ("Procena uticaja", "procena  uticaja".replace("  ", " ")),
        ("Ćirić Šećerović Žarko", "ciric secerovic zarko"),
        ("\uf6c5езбедност", "bezbednost"),
        ("Ljubav", "ЉУБАВ"),
        ("résumé", "resume"),
    ],
)
def test_fold_equal(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_fold_examples() -> None:
    assert fold("Đorđe Džamić") == "djordje dzamic"
    assert fold("Процена утицаја на заштиту") == "procena uticaja na zastitu"
    assert fold("dpia-check R-01") == "dpiacheck r01"
    assert fold("a - b – c") == "a - b – c"  # free-standing dashes are not word hyphens


def test_fold_translates_every_character_as_its_table_says() -> None:
    """fold's list lookup and ASCII shortcut give what the plain dict table gives, for
    every BMP character, for characters past the list, and in long mixed text."""
    from dpia_check import textprep

    assert not any(cp < 128 for cp in textprep._FOLD_TABLE)  # what the ASCII shortcut relies on
    every = "".join(chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF) + "\U0001f600\U00010400"
    assert textprep._translate(every) == every.translate(textprep._FOLD_TABLE)
    text = (DATA / "dpia-sr-cyrl.txt").read_text(encoding="utf-8") + "\uf6c5\ufeff■➢€ plain ASCII"
    for sample in (text, text.upper(), (DATA / "dpia-en.txt").read_text(encoding="utf-8")):
        assert textprep._translate(sample) == sample.translate(textprep._FOLD_TABLE)
    assert "obrade" in fold(text)


# ---------------------------------------------------------------------------
# detect_script_language
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "lang"),
    [("dpia-en.txt", "en"), ("dpia-sr-latn.txt", "sr-Latn"), ("dpia-sr-cyrl.txt", "sr-Cyrl")],
)
def test_detect_on_samples(name: str, lang: str) -> None:
    assert detect_script_language((DATA / name).read_text(encoding="utf-8")) == lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The controller processes personal data of customers.", "en"),
        ("Controller Đorđe Šećerović, Žarko Ćirić and the DPO signed the assessment.", "en"),
        ("Rukovalac obrađuje podatke o ličnosti kupaca.", "sr-Latn"),
        ("Rukovalac obradjuje podatke o licnosti kupaca i cuva ih u skladu sa zakonom.", "sr-Latn"),
        ("Руковалац обрађује податке о личности, GDPR и LPDP.", "sr-Cyrl"),
        ("", "en"),
        ("12345 — 678", "en"),
    ],
)
def test_detect_short(text: str, lang: str) -> None:
    assert detect_script_language(text) == lang


def test_detect_samples_only_the_beginning() -> None:
    text = "The data and the controller of the processing. " * 1200 + "Руковалац обрађује " * 20_000
    assert len(text) > 100_000
    assert detect_script_language(text) == "en"


def _fold_map_by_character(text: str) -> tuple[str, list[int]]:
    """fold_map as first written: each character folded on its own, then the hyphens
    between two word characters dropped (the reference its faster paths must equal)."""
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for c in fold(ch) if not ch.isascii() or ch.isupper() else ch:
            chars.append(c)
            index.append(i)
    out: list[str] = []
    out_index: list[int] = []
    for k, c in enumerate(chars):
        if c in "-\u2010\u2011" and 0 < k < len(chars) - 1 and (chars[k - 1].isalnum() or chars[k - 1] == "_") and (chars[k + 1].isalnum() or chars[k + 1] == "_"):
            continue
        out.append(c)
        out_index.append(index[k])
    out_index.append(len(text))
    return "".join(out), out_index


def test_fold_map_equals_folding_character_by_character() -> None:
    import random

    from dpia_check.text.find import fold_map

    rng = random.Random(5)
    alphabets = ["aB-_ 1.-x", "aB-_ 1.-xčĐЉж\u2010ß"]
    for alphabet in alphabets:
        for _ in range(2000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
            assert fold_map(text) == _fold_map_by_character(text), text
    assert fold_map("R-01 Un-authorised ACCESS") == ("r01 unauthorised access", [0, 2, 3, 4, 5, 6, 8, *range(9, 26)])
