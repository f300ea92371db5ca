"""The text judge: what a rule's verdict needs to say when the DPIA was read from text.

The engine calls :func:`refine` for every rule judged on a text-origin document. It
never turns a failure into a pass. It

* adds to the message what was searched for and where, for every absent value the
  verdict rests on ("searched for “Neophodnost”, “neophodn*” in section “5. …” (p. 2)
  and in the whole document"), so an analyst can check the tool's reading;
* applies the rule's *detector* from ``rules/lpdp/text/detectors.yaml``, if it has one:
  ``quote_sections`` quotes, when nothing was found, what the document says in the
  sections where the element belongs (a blanket "the risks are minimal" is the evidence
  of a missing risk assessment), and ``manual_if_mentioned`` turns a failure on absence into ``manual``
  when the element is mentioned somewhere the mapper does not read it from (the tool
  cannot tell; a person must look).
"""

from __future__ import annotations

from typing import Any

from dpia_check.checks import FAIL, UNKNOWN, Context
from dpia_check.model import Evidence, Location
from dpia_check.rules import Rule
from dpia_check.text.prepare import PreparedText

_MAX_NOTES = 3
_FAILED = (FAIL, "empty")


def _note_for(pt: PreparedText, pointer: str) -> tuple[str, str] | None:
    """The search note of ``pointer`` or of its nearest ancestor that was searched."""
    p = pointer
    while p:
        if p in pt.searched:
            return pt.searched[p]
        p = p.rsplit("/", 1)[0]
    return None


def refine(
    rule: Rule, ctx: Context, state: str, evidence: list[Evidence], values: dict[str, str]
) -> tuple[str, list[Evidence], dict[str, str]]:
    """Adjust a verdict judged on text (see the module docstring); returns the new triple."""
    doc = ctx.doc
    pt: PreparedText = doc.text
    det: dict[str, Any] = pt.vocab.detectors.get(rule.id, {})
    if state not in _FAILED and state != UNKNOWN:
        return state, evidence, values
    absent = [e.location.pointer for e in evidence if e.quote is None and e.location.page is None and e.location.line is None and e.location.pointer]
    notes: list[tuple[str, str]] = []
    for ptr in dict.fromkeys(absent):
        note = _note_for(pt, ptr)
        if note is not None and note not in notes:
            notes.append(note)
    if state in _FAILED and det.get("manual_if_mentioned") and absent:
        hit = _mentioned(pt, str(det["manual_if_mentioned"]))
        if hit is not None:
            state = UNKNOWN
            evidence = [*evidence, hit]
            notes.append((
                "It is mentioned here, in a form the tool could not read as the required element.",
                "Pominje se ovde, u obliku koji alat nije mogao da pročita kao traženi element.",
            ))
    nothing_found = all(e.quote is None for e in evidence)
    if state in _FAILED and det.get("quote_sections") and nothing_found:
        quoted = _section_quotes(pt, [str(k) for k in det["quote_sections"]])
        if quoted:
            evidence = [*evidence, *quoted]
            notes.append(("What the document says there is quoted.", "Navodi se šta dokument tamo kaže."))
    if notes:
        values = dict(values)
        values["text_note"] = " ".join(_sentence(n[0]) for n in notes[:_MAX_NOTES])
        values["text_note_sr"] = " ".join(_sentence(n[1]) for n in notes[:_MAX_NOTES])
    return state, evidence, values


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def _section_quotes(pt: PreparedText, keys: list[str], limit: int = 2) -> list[Evidence]:
    """The first sentences of the sections mapped to ``keys`` (what the text says instead)."""
    out: list[Evidence] = []
    for unit in pt.section_units(set(keys)):
        for s in unit.sentences:
            if s.text.rstrip().endswith(":") or len(s.folded.split()) < 3:
                continue  # a lead-in, or a bare "Yes." / "Da." that quotes nothing
            out.append(Evidence(Location(pt.path, page=s.page, line=s.line), _clip(s.text)))
            if len(out) >= limit:
                return out
    return out


def _mentioned(pt: PreparedText, lexicon: str) -> Evidence | None:
    """The first sentence anywhere that affirms a phrase of ``lexicon``."""
    lex = pt.vocab.lex.get(lexicon)
    if lex is None:
        return None
    affirmed = pt.scan.affirmed(lex, pt.negation)[0]  # one pass over the whole text
    if not affirmed:
        return None
    s = pt.all_sentences()[min(affirmed)]
    return Evidence(Location(pt.path, page=s.page, line=s.line), _clip(s.text))


def _clip(text: str, limit: int = 240) -> str:
    t = " ".join(text.split())
    return t if len(t) <= limit else t[: limit - 1].rstrip() + "…"
