"""Find a document's headings and map its sections to the parts of the DPIA model.

Headings come in many shapes: Markdown ``#``, numbered ("1.", "2.3", "IV", "А)",
"Step 4:", "Korak 2"), ALL CAPS, or a short line standing alone before body text.
A line shaped like a heading is accepted when its words are heading words
(``rules/lpdp/text/sections.yaml``), or when its shape is unambiguous (multi-level
numbering, "Step N", all caps, Markdown). A numbered line inside a run of numbered
lines is a list item, not a heading. Table-of-contents lines (dot leaders, page
numbers, a "Contents"/"Sadržaj" block) are not headings.

Each heading opens a section that runs to the next heading of the same or a higher
level; a section's ``keys`` say which parts of the model it holds. When a document
has no usable headings the mapper searches the whole document instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dpia_check.textprep import fold

if TYPE_CHECKING:
    from dpia_check.text.prepare import Line, Unit
    from dpia_check.text.vocab import Vocabulary

# Words that may stand before a heading's number ("Step 2", "Korak 3", "Поглавље IV").
_NUMBER_WORDS = "step|korak|part|deo|dio|section|odeljak|poglavlje|chapter|корак|део|одељак|поглавље"
_NUMBER_RE = re.compile(
    r"^\s*(?:(?P<word>" + _NUMBER_WORDS + r")\s+)?"
    r"(?P<num>\d{1,2}(?:\.\d{1,2}){0,3}\.?|[IVX]{1,5}\.?|[A-ZА-Я][.)])"
    r"(?=[\s:–—-])[\s:–—-]*(?P<rest>.*)$"
)
_WORD_NUMBER_RE = re.compile(
    r"^\s*(?P<word>" + _NUMBER_WORDS.replace("|dio|", "|") + r")\s+(?P<num>\d{1,2}|[IVX]{1,5}|[A-HА-Ж](?=[:.–—-]))\s*[:.–—-]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_TOC_LINE_RE = re.compile(r"(?:\.{4,}|…{2,}|(?:\s\.){3,}|\t)\s*\d{1,4}\s*$")
_CONJ_RE = re.compile(r"^\s*(?:[,/&;]\s*(?:(?:and|i|и|or|ili|te)\s+)?|(?:and|i|и|or|ili|te|as well as)\s+)$")
_INTRO_RE = re.compile(r"(?<!\w)(je|su|is|are|include\w*|obuhvat\w*|sledec\w*|following|as follows|navedeni|listed)\s*:?$")
_MAX_HEADING_WORDS = 16
_VALUE_AFTER_LABEL = re.compile(r":\s*\S.*(?:@|\d|,)")
_APOSTROPHES = re.compile(r"['’‘`´]")
_NUMBER_AT_END = re.compile(r"(?:^|\s)(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5})\.$")  # "… 3.", "… IV." end no sentence
# Questionnaire numbering ("A1.", "B2)", "Q3") in front of a question heading.
_QUESTION_NUMBER_RE = re.compile(r"^\s*(?P<num>[A-ZА-Я]\d{1,2}[.)]?)\s+(?P<rest>\S.*\?)\s*$")
_MAX_QUESTION_WORDS = 14
# A line that can have a number not starting with a digit or a capital letter: it starts
# with one of the number words, in any case (a superset of what the two patterns match).
_NUMBER_WORD_START = re.compile(_NUMBER_WORDS, re.IGNORECASE)
_DECIMAL_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2}){0,3}\.?")
_ROMAN_NUMBER = re.compile(r"[IVX]{1,5}\.?")
_QUESTION_LEVEL = 3  # below "Section A" / "2.1" levels, so a question nests in its part


@dataclass
class HeadingInfo:
    """A line accepted as a heading."""

    number: str | None
    level: int
    text: str  # the heading as written (number kept)
    title: str  # without the number
    continued: int | None = None  # the line a wrapped heading goes on in (its index), if any


@dataclass
class Section:
    """A heading and the units under it (``start``..``end``-1, nested sections included)."""

    heading: int  # unit index of the heading
    title: str
    number: str | None
    level: int
    keys: tuple[str, ...]
    start: int
    end: int
    page: int | None
    line: int

    def label(self) -> str:
        """How messages name the section: its number and title, and where it starts."""
        where = f"p. {self.page}" if self.page is not None else f"line {self.line}"
        num = f"{self.number} " if self.number else ""
        return f"“{num}{self.title}” ({where})"


def _shape(text: str) -> tuple[str | None, int | None, str]:
    """(number, level from numbering, title without number)."""
    q = _QUESTION_NUMBER_RE.match(text)
    if q:  # "C2. What is the legal basis?": a questionnaire item, below its part
        return q.group("num"), _QUESTION_LEVEL, q.group("rest").strip()
    m = _WORD_NUMBER_RE.match(text)
    if m:
        return f"{m.group('word')} {m.group('num')}", 1, m.group("rest").strip()
    m = _NUMBER_RE.match(text)
    if m and m.group("rest"):
        num = m.group("num")
        if _DECIMAL_NUMBER.fullmatch(num):
            level = len([p for p in num.rstrip(".").split(".") if p])
        elif _ROMAN_NUMBER.fullmatch(num):
            level = 1
        else:
            level = 2
        return num, level, m.group("rest").strip()
    return None, None, text.strip()


def _is_caps(text: str) -> bool:
    """At least six letters, nine in ten of them capitals."""
    if text.islower():
        return False  # no capital letter at all
    letters = list(filter(str.isalpha, text))
    return len(letters) >= 6 and sum(map(str.isupper, letters)) >= 0.9 * len(letters)


def section_keys(title_folded: str, vocab: Vocabulary) -> tuple[str, ...]:
    """Model parts a heading belongs to (see the module docstring for conjunctions).

    Only the section lexicons that have a phrase starting with a word of the title are
    run (:meth:`Vocabulary.section_candidates`): the others cannot match it."""
    cache = vocab.section_keys_cache
    cached = cache.get(title_folded)
    if cached is not None:
        return cached
    keys = _section_keys(title_folded, vocab)
    if len(cache) < 20_000:
        cache[title_folded] = keys
    return keys


def _section_keys(title_folded: str, vocab: Vocabulary) -> tuple[str, ...]:
    title_folded = _APOSTROPHES.sub("", title_folded)
    hits: list[tuple[int, int, str]] = []
    candidates = vocab.section_candidates(title_folded)
    for key, lex in vocab.section_lexicons.items():
        if key not in candidates:
            continue
        for m in lex.regex.finditer(title_folded):
            hits.append((m.start(), -(m.end() - m.start()), key))
    if not hits:
        return ()
    hits.sort()
    # drop matches overlapping a longer, earlier one
    chosen: list[tuple[int, int, str]] = []
    for start, neg_len, key in hits:
        end = start - neg_len
        if chosen and start < chosen[-1][1]:
            continue
        chosen.append((start, end, key))
    keys = [chosen[0][2]]
    for (_, prev_end, _), (start, _, key) in zip(chosen, chosen[1:], strict=False):
        if _CONJ_RE.match(title_folded[prev_end:start]) and key not in keys:
            keys.append(key)
        else:
            break
    return tuple(keys)


def detect_headings(
    lines: list[Line],
    vocab: Vocabulary,
    *,
    markdown: bool = False,
    column_rows: set[int] | None = None,
    not_headings: set[int] | frozenset[int] = frozenset(),
) -> dict[int, HeadingInfo]:
    """Decide which lines are headings; returns line index -> HeadingInfo. The header rows
    of tables, which look like headings but are not (:func:`_column_labels`), are added
    to ``column_rows``: a unit ends before and after one. Lines in ``not_headings`` (the
    rows of a cover table) are never headings."""
    from dpia_check.text.prepare import BULLET_RE, ID_ITEM_RE, MD_HEADING_RE, TABLE_ROW_RE

    n = len(lines)
    width = max(40, sorted(len(ln.text) for ln in lines)[int(n * 0.9) - 1] if n > 1 else 80)
    out: dict[int, HeadingInfo] = {}
    numbered_single: list[int] = []
    in_toc = False
    toc_entries: set[str] = set()
    numbered = False  # whether a heading found so far has a number
    continuation = -1  # the line the last heading wrapped onto
    for i, ln in enumerate(lines):
        raw = ln.text.strip()
        if not raw or i == continuation or i in not_headings:
            continue
        md = MD_HEADING_RE.match(raw) if raw[0] == "#" else None  # (raw is stripped: a '#' heading starts with '#')
        if md:
            title = md.group("text").strip().strip("*_").strip()
            num, nlevel, rest = _shape(title)
            hashes = len(md.group("hashes"))
            out[i] = HeadingInfo(num, max(hashes, nlevel) if nlevel else hashes, title, rest or title)
            numbered = numbered or bool(num)
            in_toc = "toc" in section_keys(fold(rest or title), vocab)
            continue
        if markdown or (raw[0] == "|" and TABLE_ROW_RE.match(raw)):
            # in Markdown only '#' lines are headings (bold lines are too ambiguous)
            if markdown and raw.startswith("**") and raw.endswith("**") and len(raw) < 100:
                title = raw.strip("*").strip()
                num, nlevel, rest = _shape(title)
                if section_keys(fold(rest), vocab):
                    out[i] = HeadingInfo(num, 6, title, rest)
                    numbered = numbered or bool(num)
            continue
        if raw[-1].isdecimal() and _TOC_LINE_RE.search(raw):  # (a contents line ends in a page number)
            entry = _TOC_LINE_RE.sub("", raw).strip()
            toc_entries.add(fold(_shape(entry)[2].rstrip(":").strip()))
            continue
        words = raw.split()
        if len(words) > _MAX_HEADING_WORDS or len(raw) > 120 or raw.endswith((",", ";")):
            in_toc = False  # body text: any contents list is over
            continue
        if not (raw[0].isupper() or raw[0].isdigit()) and not _NUMBER_WORD_START.match(raw):
            continue  # no number to strip, so the title starts in lower case: a wrapped line (the check below)
        num, nlevel, title = _shape(raw)
        title_clean = title.rstrip(":").strip()
        if _VALUE_AFTER_LABEL.search(title_clean) or "@" in title_clean:
            # "Lice za zaštitu podataka: Marko Janković, dpo@…" is a labelled value, not a
            # heading, and so is a table row "Data protection officer M. Ćirić, dpo@…"
            continue
        if not title_clean or not (title_clean[0].isupper() or title_clean[0].isdigit()):
            continue
        if _closes_unopened(title_clean) or ";" in title_clean:
            # "Excellence) system and the data flows", "Прилога 1; слободан текст и": lines of
            # a wrapped table cell (its "(" on the line above; a clause break inside)
            continue
        if title_clean[0].isdigit() and _starts_with_date(title_clean):
            continue  # "1.1 02 Feb 2026 M. Ćirić Comments": a row of a revision history, not a heading
        if (item := ID_ITEM_RE.match(title_clean)) is not None and item.group("id"):
            continue  # "5. M5: quarterly review of access logs": an entry of a list of measures or risks
        folded = fold(title_clean)
        if in_toc:
            if folded in toc_entries:
                in_toc = False  # the contents listed this heading; now it comes for real
            elif num is not None and len(words) <= 10:
                toc_entries.add(folded)
                continue  # a contents line without dot leaders, such as "3. Procena rizika"
        # the heading words (section_keys) are looked up only where a decision needs them
        ends_sentence = raw.endswith((".", "!", "?")) and not _NUMBER_AT_END.search(raw)
        short = len(raw) <= 0.75 * width
        accept = False
        level = nlevel or 1
        if _is_question_heading(lines, i, raw, words, short, out):
            # a questionnaire DPIA: "C2. What is the legal basis for each purpose?" + answer
            accept = True
            level = nlevel if num is not None and nlevel == _QUESTION_LEVEL else (1 if not out else 9)
        elif ends_sentence:
            accept = False
        elif raw.endswith(":") and (not section_keys(folded, vocab) or len(words) > 4 or _INTRO_RE.search(folded)):
            accept = False
        elif num is not None and nlevel is not None and (("." in num.rstrip(".")) or " " in num or _ROMAN_NUMBER.fullmatch(num)):
            accept = short and (len(words) <= 10 or bool(section_keys(folded, vocab)))
        elif num is not None:
            # "3. Procena rizika" or a list item "3. prikupljanje snimaka"?
            accept = short and (bool(section_keys(folded, vocab)) or (len(words) <= 8 and not _in_numbered_run(lines, i)))
            if accept and not section_keys(folded, vocab):
                numbered_single.append(i)
        elif _is_caps(title_clean):
            accept = len(words) <= 12
            level = 1
        elif fold(words[0]) in _ID_COLUMN_WORDS and _column_labels(words, folded, vocab):
            # "Ознака Опис ризика Вероватноћа Тежина Мере": an id column first, so no section
            # word opens the line, yet it is a register's header row (a unit of its own)
            if column_rows is not None:
                column_rows.add(i)
        elif len(words) <= 9 and short and _next_text(lines, i) and not BULLET_RE.match(raw) and section_keys(folded, vocab):
            if _column_labels(words, folded, vocab):
                if column_rows is not None:
                    column_rows.add(i)
            else:
                accept = True
                level = 9 if numbered else 1
        if accept:
            out[i] = HeadingInfo(num, level, raw.rstrip(":").strip(), title_clean)
            more = _wrapped_heading_end(lines, i, raw, num)
            if more is not None:
                rest = lines[more].text.strip()
                out[i] = HeadingInfo(num, level, f"{raw} {rest}".rstrip(":").strip(), f"{title_clean} {rest}".rstrip(":").strip(), more)
                continuation = more
            numbered = numbered or bool(num)
            if "toc" in section_keys(folded, vocab):
                in_toc = True
        elif in_toc and not (raw[-1].isdecimal() and _TOC_LINE_RE.search(raw)):
            in_toc = False  # body text: the contents are over
    _drop_toc_duplicates(out, lines)
    return out


def _closes_unopened(text: str) -> bool:
    """Whether ``text`` closes a bracket it never opened: the line goes on from the one
    above, as the second line of a wrapped table cell does, so it is not a heading."""
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            if depth == 0:
                return True
            depth -= 1
    return False


def _is_question_heading(lines: list[Line], i: int, raw: str, words: list[str], short: bool, found: dict[int, HeadingInfo]) -> bool:
    """A short question standing alone before its answer, as DPIA questionnaires are laid
    out ("How long will the data be kept?" then the answer). It must start a paragraph
    (after a heading, a finished sentence or a blank line), so a question inside prose
    that happens to end a wrapped line is not taken for a heading."""
    from dpia_check.text.prepare import BULLET_RE, ID_ITEM_RE

    if not raw.endswith("?") or len(words) > _MAX_QUESTION_WORDS or not short or BULLET_RE.match(raw):
        return False
    if ID_ITEM_RE.match(raw):
        return False  # "R2. Can a match be wrong?" is an entry of a register, not a heading
    if not _next_text(lines, i):
        return False
    for j in range(i - 1, -1, -1):
        prev = lines[j].text.strip()
        if not prev:
            return True
        return j in found or prev.endswith((".", "!", "?", ":", ";", ")"))
    return True


# Joining words (articles, prepositions, conjunctions): a heading has them and a row of
# column labels does not ("Retention of data"); a title does not end on one, so a heading
# line that does was wrapped ("… opinion of the data protection officer and").
_JOINING_WORDS = frozenset(
    "of to the and or for in on with by from a an at as is are i и ili или te те za за od од o о u у na на sa са s с "
    "iz из pri при po по do до kod код prema према radi ради".split()
)
_OPEN_END = re.compile(r"(?:^|\s)(?:" + "|".join(sorted(_JOINING_WORDS)) + r")$|[,–—-]$", re.IGNORECASE)


def _wrapped_heading_end(lines: list[Line], i: int, raw: str, num: str | None) -> int | None:
    """The line a heading goes on in when it was too long for one line, or None.

    PDF headings are set large, so a long one wraps: "3. Assessment of risks to the
    rights and freedoms of data" / "subjects". The next line goes on with it when it
    starts in lower case, is a few words without a sentence or list ending, and is not
    the first of several such lines (a list without markers under a heading); and the
    heading line looks cut: it ends on a word such as "and" or "of", a comma or an open
    bracket, or it is a long numbered heading."""
    if raw.endswith((":", ".", "?", "!")) or i + 1 >= len(lines):
        return None
    nxt = lines[i + 1].text.strip()
    if not nxt or not nxt[0].islower() or len(nxt.split()) > 5 or nxt.endswith((",", ";", ":", ".")):
        return None
    cut = bool(_OPEN_END.search(raw)) or raw.count("(") > raw.count(")") or (num is not None and len(raw) >= 40)
    if not cut:
        return None
    after = lines[i + 2].text.strip() if i + 2 < len(lines) else ""
    if after and after[0].islower() and len(after.split()) <= 5:
        return None  # short lower-case lines one after another: a list, not a wrapped title
    return i + 1


# The label of a table's first column: "ID Risk Likelihood Severity Measures".
_REGISTER_COLUMNS = ("likelihood", "severity", "residual", "kind", "owner", "status")
_ID_COLUMN_WORDS = frozenset("id no no. br br. # oznaka ознака sifra шифра redni".split())


def _column_labels(words: list[str], folded: str, vocab: Vocabulary) -> bool:
    """Whether an unnumbered line is the header row of a table whose cells were joined into
    one line, not a heading: "Data category Examples Source Retention" (a column of
    retention periods) had opened a retention section holding every table after it.

    Column labels are a few nouns without joining words or punctuation, and either
    sentence case restarts within the line (a lower-case word, then two capitalised
    ones: one label after another) or the first label is an id column and the others
    name two different parts of the model. A Title Case heading ("Risk Assessment
    Methodology Overview") is neither."""
    if not 4 <= len(words) <= 12 or any(ch in folded for ch in ":,.;()?!"):
        return False
    if any(w.lower() in _JOINING_WORDS for w in words):
        return False
    lower = next((k for k, w in enumerate(words) if w[0].islower()), None)
    if lower is not None and sum(1 for w in words[lower + 1 :] if w[0].isupper()) >= 2:
        return True
    if fold(words[0]) not in _ID_COLUMN_WORDS:
        return False
    if len(_separate_keys(folded, vocab)) >= 2:
        return True
    # "ID Measure Kind Owner Status": the columns of a register (column_* lexicons)
    return sum(1 for name in _REGISTER_COLUMNS if vocab.get(f"column_{name}").regex.search(folded)) >= 2


def _separate_keys(title_folded: str, vocab: Vocabulary) -> set[str]:
    """Every part of the model a line's phrases name (section_keys stops at the first
    phrase not joined to the one before by "and", "i", a comma)."""
    title_folded = _APOSTROPHES.sub("", title_folded)
    candidates = vocab.section_candidates(title_folded)
    return {key for key, lex in vocab.section_lexicons.items() if key in candidates and lex.regex.search(title_folded)}


def _starts_with_date(title: str) -> bool:
    """Whether a title opens with a date, as the rows of a revision history do once
    their cells are joined into one line (version, date, author, change)."""
    from dpia_check.text.find import find_dates

    dates = find_dates(title)
    return bool(dates) and dates[0][1] == 0


def _next_text(lines: list[Line], i: int) -> str:
    """The next non-empty line within two lines of ``i`` ("" if none)."""
    for j in range(i + 1, min(len(lines), i + 3)):
        text = lines[j].text.strip()
        if text:
            return text
    return ""


def _in_numbered_run(lines: list[Line], i: int) -> bool:
    """A single-level numbered line next to another numbered line is a list item."""
    m = _NUMBER_RE.match(lines[i].text.strip())
    if not m:
        return False
    try:
        k = int(m.group("num").rstrip(".)"))
    except ValueError:
        return False
    for j in (i - 1, i + 1):
        if 0 <= j < len(lines):
            o = _NUMBER_RE.match(lines[j].text.strip())
            if o:
                try:
                    if abs(int(o.group("num").rstrip(".)")) - k) == 1:
                        return True
                except ValueError:
                    continue
    return False


def _drop_toc_duplicates(out: dict[int, HeadingInfo], lines: list[Line]) -> None:
    """A run of 3+ headings with no text between them, repeated later, is a contents list."""
    idx = sorted(out)
    folded = {i: fold(out[i].text) for i in idx}
    last: dict[str, int] = {}  # folded heading -> the last line it stands on
    for i in idx:
        last[folded[i]] = i
    run: list[int] = []

    def close() -> None:
        if len(run) >= 3 and sum(1 for r in run if last[folded[r]] > run[-1]) >= 2:
            for r in run:
                out.pop(r, None)

    for a, b in zip(idx, idx[1:] + [None], strict=False):
        run.append(a)
        if b is None or any(lines[k].text.strip() for k in range(a + 1, b)):
            close()
            run = []


def build_sections(units: list[Unit], vocab: Vocabulary) -> list[Section]:
    """Sections from heading units: each runs to the next heading of the same or higher level."""
    heads = [u for u in units if u.kind == "heading"]
    out: list[Section] = []
    for k, h in enumerate(heads):
        num, _, title = _shape(h.text)
        title = (title or h.text).rstrip(":").strip()
        end = len(units)
        for later in heads[k + 1 :]:
            if later.level <= h.level:
                end = later.index
                break
        keys = section_keys(fold(title), vocab)
        out.append(Section(h.index, title, num, h.level, keys, h.index + 1, end, h.page, h.line))
    return out
