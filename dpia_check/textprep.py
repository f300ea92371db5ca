"""Text clean-up, Serbian transliteration and the folded form used for matching.

Everything here is a pure function on ``str`` built on ``str.translate`` tables and
precompiled regular expressions, so it is cheap enough to run on every line of a
200-page DPIA and imports nothing heavier than :mod:`re` and :mod:`unicodedata`.

Why each piece exists:

* :func:`normalise` — PDF engines hand back ligatures (``ﬁ``), private-use code points
  instead of some Serbian Cyrillic letters, soft hyphens, NBSP and thin spaces. Evidence
  quotes must show clean text, so every loader runs its text through this first.
* :func:`to_latin` / :func:`to_cyrillic` — Serbian is written in both scripts; rules and
  keywords are kept in Latin and reports can be produced in Cyrillic.
* :func:`fold` — the comparison form: one script, no case, no diacritics, no hyphens
  inside words, so ``Обрада``, ``obrada`` and ``OBRADA`` match, and so do ``veb-sajtu``
  and ``vebsajtu`` (PDF engines often drop a hyphen that fell at a line end).
* :func:`detect_script_language` — picks ``en``, ``sr-Latn`` or ``sr-Cyrl`` for
  reporting and for choosing keyword lists.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "detect_script_language",
    "fold",
    "normalise",
    "round_trip_ok",
    "to_cyrillic",
    "to_latin",
]

# ---------------------------------------------------------------------------
# normalise
# ---------------------------------------------------------------------------

# Fonts with Serbian localised glyphs (italic б, г, д, п, т) put these private-use code
# points into PDFs; pypdf passes them through, pdfium maps them back.
PRIVATE_USE_CYRILLIC: dict[str, str] = {
    "\uf6c4": "г",
    "\uf6c5": "б",
    "\uf6c6": "д",
    "\uf6c7": "п",
    "\uf6c8": "т",
}

_INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u180e"  # Mongolian vowel separator
    "\u200b\u200c\u200d"  # zero width space / non-joiner / joiner
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"  # bidi marks and embeddings
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # BOM / zero width no-break space
    "\ufffe\uffff"  # non-characters (pdfium uses U+FFFE as a hyphenation marker)
)
_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_CONTROLS = "".join(chr(c) for c in [*range(0x09), *range(0x0E, 0x1C), 0x1F, 0x7F, *range(0x80, 0x85), *range(0x86, 0xA0)])

_NORMALISE_TABLE: dict[int, str | None] = {
    **{ord(k): v for k, v in PRIVATE_USE_CYRILLIC.items()},
    **dict.fromkeys(map(ord, _INVISIBLE + _CONTROLS)),
    **dict.fromkeys(map(ord, _LINE_BREAKS), "\n"),
    **dict.fromkeys(map(ord, _ODD_SPACES), " "),
}
_NEEDS_TABLE = re.compile("[" + re.escape("".join(map(chr, _NORMALISE_TABLE))) + "]")
_LEADING_TABS = re.compile(r"^[ \t]*\t[ \t]*", re.MULTILINE)
_INNER_SPACES = re.compile(r" (?<=\S )  *")  # 2+ spaces after a non-space (look-behind after the first space: fast scan)
_TRAILING_SPACES = re.compile(r" +(?=\n|\Z)")


def normalise(text: str) -> str:
    """Return ``text`` cleaned for quoting and matching, keeping its script and lines.

    * NFKC: ligatures (``ﬁ ﬀ ﬃ``) and compatibility forms become plain letters.
    * The private-use code points U+F6C4–U+F6C8 become г б д п т.
    * Soft hyphens, zero-width characters, bidi marks and control characters go.
    * ``\\r\\n``, ``\\r`` and other line separators become ``\\n`` (the count of
      ``\\n`` after the call is what line numbers are based on).
    * NBSP, thin and other odd spaces and tabs become spaces; inside a line any run of
      spaces becomes one. Leading indentation is kept (a tab counts as four spaces, so
      Markdown nesting survives); trailing spaces are stripped.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _NEEDS_TABLE.search(text):
        text = text.translate(_NORMALISE_TABLE)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if "\t" in text:
        text = _LEADING_TABS.sub(lambda m: m.group().replace("\t", "    "), text).replace("\t", " ")
    if "  " in text:
        text = _INNER_SPACES.sub(" ", text)
    if " \n" in text or text.endswith(" "):
        text = _TRAILING_SPACES.sub("", text)
    return text


# ---------------------------------------------------------------------------
# Cyrillic -> Latin
# ---------------------------------------------------------------------------

_CYR = "абвгдђежзијклмнопрстћуфхцчш"
_LAT = ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "m", "n", "o",
        "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "š"]
_TO_LATIN_TABLE: dict[int, str] = {}
for _c, _l in zip(_CYR, _LAT, strict=True):
    _TO_LATIN_TABLE[ord(_c)] = _l
    _TO_LATIN_TABLE[ord(_c.upper())] = _l.upper()
_TO_LATIN_TABLE.update({ord("љ"): "lj", ord("њ"): "nj", ord("џ"): "dž"})
# Capital digraph letters are resolved by _CAP_DIGRAPH below (Lj or LJ); these are the
# title-case fall-backs.
_TO_LATIN_TABLE.update({ord("Љ"): "Lj", ord("Њ"): "Nj", ord("Џ"): "Dž"})
for _pua, _letter in PRIVATE_USE_CYRILLIC.items():
    _TO_LATIN_TABLE[ord(_pua)] = _TO_LATIN_TABLE[ord(_letter)]

_CAP_DIGRAPH = re.compile(r"[ЉЊЏ]")
_HAS_CYRILLIC = re.compile("[\u0400-\u04ff" + "".join(PRIVATE_USE_CYRILLIC) + "]")
_ALL_CAPS_DIGRAPH = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}


def _cap_digraph(match: re.Match[str]) -> str:
    """Љ/Њ/Џ are LJ/NJ/DŽ in an all-caps word (ЉУБАВ -> LJUBAV), else Lj/Nj/Dž."""
    text, i = match.string, match.start()
    nxt = text[i + 1] if i + 1 < len(text) else ""
    prev = text[i - 1] if i > 0 else ""
    upper = nxt.isupper() if nxt.isalpha() else prev.isupper()
    return _ALL_CAPS_DIGRAPH[match.group()] if upper else _TO_LATIN_TABLE[ord(match.group())]


def to_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic to Serbian Latin; other characters are unchanged.

    Capital Љ Њ Џ become ``LJ NJ DŽ`` inside all-caps words and ``Lj Nj Dž`` otherwise.
    The private-use stand-ins for б г д п т are transliterated too.
    """
    if text.isascii() or not _HAS_CYRILLIC.search(text):
        return text
    if "Љ" in text or "Њ" in text or "Џ" in text:
        text = _CAP_DIGRAPH.sub(_cap_digraph, text)
    return text.translate(_TO_LATIN_TABLE)


# ---------------------------------------------------------------------------
# Latin -> Cyrillic
# ---------------------------------------------------------------------------

_TO_CYRILLIC_TABLE: dict[int, str] = {}
for _c, _l in zip(_CYR, _LAT, strict=True):
    _TO_CYRILLIC_TABLE[ord(_l)] = _c
    _TO_CYRILLIC_TABLE[ord(_l.upper())] = _c.upper()
_DIGRAPHS_TO_CYR = {
    "lj": "љ", "Lj": "Љ", "LJ": "Љ",
    "nj": "њ", "Nj": "Њ", "NJ": "Њ",
    "dž": "џ", "Dž": "Џ", "DŽ": "Џ",
}
_DIGRAPH_RE = re.compile("|".join(_DIGRAPHS_TO_CYR))
# Words where the two letters are separate sounds (nad-živeti, in-jekcija): a marker is
# put between them so they are not read as a digraph.
_NOT_DIGRAPH = re.compile(
    r"(?i)(?<=na|po)(d)(ž)(?=iv|nj|anr|up|ir)"
    r"|(?<=i)(n)(j)(?=ek)"
    r"|(?<=ko)(n)(j)(?=u[gn])"
    r"|(?<=va)(n)(j)(?=ez)"
    r"|(?<=ta)(n)(j)(?=ug)"
)
_SPLIT_MARK = "\ue000"

# Spans kept in Latin. Named groups tell the callback what was found.
_PROTECTED = re.compile(
    r"""
      ⟦(?P<keep>[^⟧]*)⟧                                   # explicit: keep, drop the brackets
    | (?P<code>`[^`\n]*`)                                 # code in backticks
    | (?P<placeholder>\{[^{}\n]*\}|%\(\w+\)[sdfr])        # {name} and %(name)s placeholders
    | (?P<url>(?:https?|ftp)://[^\s<>"'`]+|www\.[^\s<>"'`]+|mailto:[^\s<>"'`]+)
    | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
    | (?P<pointer>(?<![\w/.~])(?:\.\.?|~)?/[\w.~%+-]+(?:/[\w.~%+-]*)*)   # /risks/0, ./x, ~/x
    | (?P<winpath>\b[A-Za-z]:\\[^\s]*)
    | (?P<relpath>\b[\w.-]+(?:/[\w.-]*)+)                 # rules/lpdp/x.yaml (checked below)
    | (?P<field>\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\[\](?:\.[a-z]\w*(?:\[\])?)*|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\.[a-z]\w*(?:\[\])?)*)  # DPIA fields: legal_basis[].law, measures[].owner, rights_affected
    | (?P<dotted>\b[A-Za-z][\w-]*(?:\.[A-Za-z0-9][\w-]*)+)   # lpdp.54.6.3-risk-assessment, dpia.yaml
    | (?P<acronym>\b[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*\b|\b[A-Z][0-9]+\b)   # LPDP, GDPR, ID, SHA256, IV; ids P1, R12 (checked below)
    | (?P<foreign>\b\w*[qwxyQWXY]\w*\b)                   # letters Serbian does not use
    | (?P<camel>\b\w*[a-zčćđšž][A-ZČĆĐŠŽ]\w*\b)           # HelpDesk, dpiaCheck
    """,
    re.VERBOSE,
)


def _keep_relpath(token: str) -> bool:
    """A slash-separated token is a path if it looks like one, not like ``i/ili``."""
    last = token.rstrip("/").rsplit("/", 1)[-1]
    return token.endswith("/") or token.count("/") >= 2 or bool(re.search(r"\.\w{1,8}$", last))


def _keep_dotted(token: str) -> bool:
    """``lpdp.54.6``, ``dpia.yaml`` are identifiers; ``d.o.o`` is a Serbian abbreviation."""
    return any(ch.isdigit() for ch in token) or any(len(part) > 1 for part in token.split(".")[1:])


# Serbian acronyms are written in Cyrillic in a Cyrillic text (ЗЗПЛ, МУП), unlike LPDP or GDPR.
_SERBIAN_ACRONYMS = frozenset({"ZZPL", "RS", "MUP", "ZEOPUP", "JMBG", "PIB", "SRB", "UGP", "KZ", "ZKP"})


def _keep_acronym(token: str) -> bool:
    """Acronyms are short (LPDP, SARIF) or carry digits (ISO27001, ids such as P1);
    NAPOMENA is a word, and Serbian acronyms (ZZPL, MUP) follow the script."""
    if token in _SERBIAN_ACRONYMS:
        return False
    return len(token) <= 5 or any(ch.isdigit() or ch in "QWXY" for ch in token)


def _latin_plain_to_cyrillic(text: str) -> str:
    if not text:
        return text
    if _NOT_DIGRAPH.search(text):
        text = _NOT_DIGRAPH.sub(lambda m: _SPLIT_MARK.join(g for g in m.groups() if g), text)
    text = _DIGRAPH_RE.sub(lambda m: _DIGRAPHS_TO_CYR[m.group()], text)
    text = text.translate(_TO_CYRILLIC_TABLE)
    return text.replace(_SPLIT_MARK, "") if _SPLIT_MARK in text else text


def to_cyrillic(text: str) -> str:
    """Transliterate Serbian Latin to Cyrillic for reports, leaving technical tokens alone.

    Kept in Latin: ``{placeholders}``, ``%(name)s``, code in backticks, URLs, e-mail
    addresses, JSON pointers (``/risks/0``) and file paths, DPIA field names
    (``legal_basis[].law``, ``rights_affected``: snake_case or with ``[]``), dotted identifiers such as
    rule ids (``lpdp.54.6.3-risk-assessment``) and file names, ALL-CAPS ASCII acronyms of
    two to five letters or with digits (LPDP, GDPR, DPIA, JSON, SARIF, ID, ISO27001, Roman
    numerals — a longer all-caps word such as NAPOMENA is translated), words with q/w/x/y
    and camelCase names. Text in ``⟦…⟧`` is kept as it is and the brackets are removed.
    Digraphs lj/nj/dž become љ/њ/џ except in known words where they are two sounds
    (injekcija, nadživeti). Input is NFC-normalised first.
    """
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        kind = m.lastgroup
        token = m.group()
        if kind == "relpath" and not _keep_relpath(token):
            continue
        if kind == "dotted" and not _keep_dotted(token):
            continue
        if kind == "acronym" and not _keep_acronym(token):
            continue
        out.append(_latin_plain_to_cyrillic(text[pos : m.start()]))
        out.append(m.group("keep") if kind == "keep" else token)
        pos = m.end()
    out.append(_latin_plain_to_cyrillic(text[pos:]))
    return "".join(out)


def round_trip_ok(latin: str) -> bool:
    """True if ``to_latin(to_cyrillic(latin))`` gives ``latin`` back (``⟦⟧`` removed).

    Holds for ordinary Serbian Latin; it can fail for oddly capitalised digraphs such as
    ``LJubav`` or a lone ``DŽ``, which have no single Cyrillic spelling.
    """
    expected = unicodedata.normalize("NFC", latin).replace("⟦", "").replace("⟧", "")
    return to_latin(to_cyrillic(latin)) == expected


# ---------------------------------------------------------------------------
# fold
# ---------------------------------------------------------------------------


def _build_fold_table() -> dict[int, str | None]:
    """One table for casefolded text: Cyrillic to plain Latin (ч->c, ђ->dj, џ->dz), Latin
    diacritics stripped (č->c, é->e, đ->dj), invisible marks dropped."""
    table: dict[int, str | None] = {}
    for cp in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii() and base:
            table[cp] = base.lower()
    table.update({ord("đ"): "dj", ord("Đ"): "dj", ord("ß"): "ss", ord("æ"): "ae", ord("ø"): "o", ord("ł"): "l"})
    table.update(dict.fromkeys(map(ord, _INVISIBLE)))
    for pua, letter in PRIVATE_USE_CYRILLIC.items():
        table[ord(pua)] = _TO_LATIN_TABLE[ord(letter)]
    for cyr in _CYR + "љњџ":
        latin = _TO_LATIN_TABLE[ord(cyr)]
        table[ord(cyr)] = "".join(str(table.get(ord(ch), ch)) for ch in latin)
    return table


_FOLD_TABLE = _build_fold_table()
_WORD_HYPHEN = re.compile(r"[-\u2010\u2011](?<=\w[-\u2010\u2011])(?=\w)")  # a hyphen between word characters

# ``str.translate`` looks each character up in its table; a list answers that lookup
# about twice as fast as a dict. The list covers U+0000..U+2FFF (letters, punctuation,
# arrows, bullets); a character past its end raises IndexError, which translate takes
# as "unchanged", so the few folded characters above it get a second, rare pass.
_FOLD_LIST_END = 0x3000
_FOLD_HIGH = {cp: out for cp, out in _FOLD_TABLE.items() if cp >= _FOLD_LIST_END}
_FOLD_HIGH_RE = re.compile("[" + "".join(map(chr, sorted(_FOLD_HIGH))) + "]") if _FOLD_HIGH else None
_FOLD_LIST: list[int | str | None] = [_FOLD_TABLE.get(cp, cp) for cp in range(_FOLD_LIST_END)]


def _translate(text: str) -> str:
    """``text.translate(_FOLD_TABLE)``, faster: the table has no ASCII keys, and a list
    lookup beats a dict lookup."""
    if text.isascii():
        return text
    text = text.translate(_FOLD_LIST)
    if _FOLD_HIGH_RE is not None and _FOLD_HIGH_RE.search(text):
        text = text.translate(_FOLD_HIGH)
    return text


def fold(text: str) -> str:
    """Return the matching form: Latin script, casefolded, no diacritics, no word hyphens.

    ``Обрада`` -> ``obrada``, ``Đorđe`` -> ``djordje``, ``Džep`` -> ``dzep``; a hyphen
    (``-``, U+2010, U+2011) between two word characters and soft hyphens are removed,
    so ``veb-sajtu`` and ``vebsajtu`` both fold to ``vebsajtu``. The result is not
    offset-compatible with the input (``đ`` becomes two letters); compare folded forms
    with each other, quote the original.
    """
    text = _translate(text.casefold())  # casefold first: Љ -> љ -> lj needs no case rule
    if "-" in text or "\u2010" in text or "\u2011" in text:
        text = _WORD_HYPHEN.sub("", text)
    return text


# ---------------------------------------------------------------------------
# detect_script_language
# ---------------------------------------------------------------------------

_SAMPLE_CHARS = 50_000
_WORD = re.compile(r"[^\W\d_]+")
_SERBIAN_WORDS = frozenset(
    {
        "je", "da", "se", "na", "za", "od", "su", "sa", "ili", "koji", "koja", "koje", "kojim",
        "kao", "što", "sto", "nije", "biti", "bi", "će", "ce", "iz", "po", "ako", "li", "ovaj",
        "ova", "ovo", "te", "pri", "kod", "prema", "radi", "podataka", "podaci", "lica", "lice",
        "obrade", "obrada", "ličnosti", "licnosti", "zaštite", "zastite", "rukovalac",
        "obrađivač", "obradjivac", "godine", "takođe", "samo", "kada", "ukoliko", "odnosno"
    }
)
_SERBIAN_SINGLE = frozenset({"i", "u", "o", "a", "s", "k"})  # counted only in lower case
_ENGLISH_WORDS = frozenset(
    {
        "the", "and", "of", "in", "is", "are", "for", "that", "with", "be", "by", "this",
        "which", "or", "as", "an", "it", "from", "not", "shall", "will", "was", "were", "has",
        "have", "been", "their", "its", "any", "all", "such", "these", "those", "may", "must",
        "should", "where", "when", "who", "data", "processing", "personal", "controller"
    }
)
_SERBIAN_DIACRITICS = frozenset("čćšžđČĆŠŽĐ")


def detect_script_language(text: str) -> str:
    """Return ``"sr-Cyrl"``, ``"sr-Latn"`` or ``"en"`` for a document's text.

    Looks at the first ~50,000 characters only. Cyrillic wins when most letters are
    Cyrillic. Otherwise Serbian Latin and English are told apart by common function
    words, with the Serbian letters č ć š ž đ as extra evidence (a Serbian name in an
    English text adds little against hundreds of ``the``/``and``). Empty or letterless
    text gives ``"en"``.
    """
    sample = text[:_SAMPLE_CHARS]
    cyrillic = latin = 0
    for ch in sample:
        if ch.isalpha():
            if "\u0400" <= ch <= "\u04ff" or ch in PRIVATE_USE_CYRILLIC:
                cyrillic += 1
            else:
                latin += 1
    if cyrillic and cyrillic >= latin:
        return "sr-Cyrl"
    serbian = english = 0
    for word in _WORD.findall(sample):
        lower = word.lower()
        if lower in _ENGLISH_WORDS:
            english += 1
        elif lower in _SERBIAN_WORDS or word in _SERBIAN_SINGLE:
            serbian += 1
    diacritics = sum(1 for ch in sample if ch in _SERBIAN_DIACRITICS)
    score_sr = serbian + 0.5 * diacritics
    if score_sr > english and (serbian or diacritics >= 3):
        return "sr-Latn"
    return "en"
