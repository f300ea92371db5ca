"""Facts about a DPIA that decide which rules apply (regime, triggers, scale).

Facts are computed once per document from the structured fields and, where the
format leaves room for prose, from lexicons (e.g. "face recognition" in a
technology's name makes biometric identification a fact). Rules name facts in
``applies_when`` and in ``{op: fact}`` conditions; the names and their bilingual
labels below are the whole vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dpia_check.checks import FAIL, PASS, Outcome
from dpia_check.i18n import Text
from dpia_check.lexicon import Lexicon
from dpia_check.model import Document, Evidence, is_empty, join

LARGE_SCALE_SUBJECTS = 10_000
LARGE_SCALE_DEVICES = 100

def risk_level(likelihood: Any, severity: Any) -> str | None:
    """Combine likelihood and severity into a level (see checks.level_of)."""
    from dpia_check.checks import level_of

    return level_of(likelihood, severity)


class Facts:
    """Lazily computed, cached facts with the evidence that established them."""

    def __init__(self, doc: Document, lexicons: dict[str, Lexicon]) -> None:
        self.doc = doc
        self.lexicons = lexicons
        self._cache: dict[str, Outcome] = {}

    def outcome(self, name: str) -> Outcome:
        if name not in self._cache:
            fn = FACTS[name][0]
            ev = fn(self)
            self._cache[name] = Outcome(PASS, support=ev) if ev is not None else Outcome(FAIL)
        return self._cache[name]

    def holds(self, name: str) -> bool:
        return self.outcome(name).state == PASS

    # helpers -------------------------------------------------------------------
    def items(self, pointer: str) -> list[tuple[str, Any]]:
        v = self.doc.get(pointer)
        if not isinstance(v, list):
            return []
        return [(join(pointer, i), x) for i, x in enumerate(v)]

    def lex_in(self, lexicon: str, *pointers: str) -> Evidence | None:
        """The first string (in document order) at or below one of ``pointers`` that holds
        a phrase of ``lexicon``, as evidence quoting the sentence."""
        lex = self.lexicons.get(lexicon)
        if lex is None:
            return None
        from dpia_check.checks import _match_quote, _string_index, folded_strings

        doc = self.doc
        spans = _string_index(doc).spans
        folded = folded_strings(doc)
        first: int | None = None  # index of the string in document order
        for q in pointers:  # the earliest hit under each pointer; the earliest of those wins
            start, end = spans.get(q, (0, 0))
            i = folded.first(lex, start, end if first is None else min(end, first))
            if i is not None:
                first = i
        if first is None:
            return None
        p, text = folded.strings[first]
        return doc.evidence(p, _match_quote(text, lex, doc))


FactFn = Callable[[Facts], "list[Evidence] | None"]


def _kind(f: Facts) -> str | None:
    v = f.doc.get("/meta/controller/kind")
    return str(v) if isinstance(v, str) else None


def competent_authority(f: Facts) -> list[Evidence] | None:
    return [f.doc.evidence("/meta/controller/kind")] if _kind(f) == "competent_authority" else None


def public_authority(f: Facts) -> list[Evidence] | None:
    return [f.doc.evidence("/meta/controller/kind")] if _kind(f) in ("public_authority", "competent_authority") else None


def special_purposes(f: Facts) -> list[Evidence] | None:
    if _kind(f) != "competent_authority":
        return None
    ev = [f.doc.evidence(join(p, "special_purpose")) for p, x in f.items("/processing/purposes") if isinstance(x, dict) and x.get("special_purpose") is True]
    if ev:
        return ev
    if not f.items("/processing/purposes"):
        return [f.doc.evidence("/meta/controller/kind")]
    return None


def general_purposes(f: Facts) -> list[Evidence] | None:
    purposes = f.items("/processing/purposes")
    if _kind(f) != "competent_authority":
        return [f.doc.evidence("/meta/controller/kind")] if not is_empty(f.doc.get("/meta/controller/kind")) else [f.doc.absent("/meta/controller/kind")]
    ev = [f.doc.evidence(p) for p, x in purposes if isinstance(x, dict) and x.get("special_purpose") is not True]
    return ev or None


_NOT_SPECIAL = ("", "none", "no", "false", "ne", "nema")
_CRIMINAL_WORDS = ("criminal", "offence", "offense", "conviction", "krivic", "kazn", "osudj")


def _is_criminal(value: str) -> bool:
    """Art. 19 data (convictions, offences) are not an Art. 17(1) special category."""
    return any(w in value for w in _CRIMINAL_WORDS)


def _special_values(f: Facts, criminal: bool = False) -> list[tuple[str, str]]:
    """(pointer, value) of every declared special category; ``criminal`` picks Art. 19 data instead."""
    from dpia_check.textprep import fold

    out: list[tuple[str, str]] = []
    for p, x in f.items("/processing/data_categories"):
        if isinstance(x, dict):
            s = x.get("special")
            if isinstance(s, str) and fold(s.strip()) not in _NOT_SPECIAL:
                out.append((join(p, "special"), fold(s.strip())))
            elif s is True:
                out.append((join(p, "special"), "special"))
    for p, x in f.items("/special_categories"):
        if isinstance(x, dict) and isinstance(x.get("category"), str):
            out.append((join(p, "category"), fold(x["category"].strip())))
    return [(p, v) for p, v in out if _is_criminal(v) == criminal]


def _biometric_hit(f: Facts, *pointers: str) -> Evidence | None:
    """Biometric data named under ``pointers``. A fingerprint or a face template is biometric
    data by its nature; a facial image is biometric data only when it goes through the
    technical processing that identifies a person (Art. 4(15), Art. 17(1): "radi
    jedinstvene identifikacije"), so ordinary video of faces counts only where the DPIA
    also uses biometric identification."""
    hit = f.lex_in("biometric_template_terms", *pointers)
    if hit is not None:
        return hit
    if biometric_identification(f):
        return f.lex_in("biometric_terms", *pointers)
    return None


def special_categories(f: Facts) -> list[Evidence] | None:
    ev = [f.doc.evidence(p) for p, _ in _special_values(f)]
    if ev:
        return ev
    hit = _biometric_hit(f, "/processing/data_categories", "/processing/technologies")
    return [hit] if hit else None


def special_categories_declared(f: Facts) -> list[Evidence] | None:
    """At least one ``special_categories`` entry (other than Art. 19 data) exists."""
    items = [
        (p, x) for p, x in f.items("/special_categories")
        if not (isinstance(x, dict) and isinstance(x.get("category"), str) and _is_criminal(x["category"].lower()))
    ]
    return [f.doc.evidence(p) for p, _ in items] or None


def criminal_data(f: Facts) -> list[Evidence] | None:
    """Data on criminal convictions and offences (Art. 19) are processed."""
    ev = [f.doc.evidence(p) for p, _ in _special_values(f, criminal=True)]
    if ev:
        return ev
    hit = f.lex_in("criminal_terms", "/processing/data_categories")
    return [hit] if hit else None


def biometric(f: Facts) -> list[Evidence] | None:
    ev = [f.doc.evidence(p) for p, v in _special_values(f) if "biometric" in v or "biometrij" in v]
    if ev:
        return ev
    hit = _biometric_hit(f, "/processing/data_categories", "/processing/technologies", "/special_categories")
    return [hit] if hit else None


def biometric_identification(f: Facts) -> list[Evidence] | None:
    for p, x in f.items("/special_categories"):
        if isinstance(x, dict) and x.get("for_unique_identification") is True:
            return [f.doc.evidence(join(p, "for_unique_identification"))]
    hit = f.lex_in("face_recognition", "/processing/technologies", "/processing/description", "/processing/data_categories")
    return [hit] if hit else None


def health_data(f: Facts) -> list[Evidence] | None:
    ev = [f.doc.evidence(p) for p, v in _special_values(f) if "health" in v or "zdrav" in v]
    return ev or None


def everyone_captured(f: Facts) -> list[Evidence] | None:
    """Everyone who passes through an area is captured, not a defined group."""
    hit = f.lex_in("everyone_terms", "/processing/data_subjects")
    return [hit] if hit else None


def dependent_relationship(f: Facts) -> list[Evidence] | None:
    """Data subjects depend on the controller (employer, school, public authority),
    so their consent is hardly free (Art. 4(12): consent must be voluntary)."""
    contexts = [join(p, "consent_context") for p, _ in f.items("/special_categories")]
    hit = f.lex_in("dependency_terms", "/processing/data_subjects", "/meta/controller/name", *contexts)
    if hit:
        return [hit]
    # consent written into an employment contract says who depends on whom, whatever the
    # data subjects are called (couriers, drivers, nurses)
    bases = [join(p, "explanation") for p, _ in f.items("/legal_basis")]
    hit = f.lex_in("employment_terms", *bases) if bases else None
    if hit:
        return [hit]
    return public_authority(f)


def special_consent(f: Facts) -> list[Evidence] | None:
    """Consent is the exception relied on for a special category (Art. 17(2)(1))."""
    from dpia_check.checks import citations_in, lex_matches

    lex = f.lexicons.get("consent_terms")
    for p, x in f.items("/special_categories"):
        if not isinstance(x, dict):
            continue
        cond = x.get("condition")
        if isinstance(cond, str) and (
            any(c[0] == 17 and c[1] == 2 and c[2] == 1 for c in citations_in(cond)) or (lex is not None and lex_matches(f.doc, lex, cond))
        ):
            return [f.doc.evidence(join(p, "condition"))]
    return None


def children(f: Facts) -> list[Evidence] | None:
    ev = [f.doc.evidence(join(p, "children")) for p, x in f.items("/processing/data_subjects") if isinstance(x, dict) and x.get("children") is True]
    if ev:
        return ev
    hit = f.lex_in("children_terms", "/processing/data_subjects")
    return [hit] if hit else None


def _true(f: Facts, ptr: str) -> list[Evidence] | None:
    return [f.doc.evidence(ptr)] if f.doc.get(ptr) is True else None


def profiling(f: Facts) -> list[Evidence] | None:
    return _true(f, "/processing/automated_decisions/profiling")


def profiling_mentioned(f: Facts) -> list[Evidence] | None:
    """Profiling is spoken of outside the automated-decisions section (which states the
    DPIA's own position), so the two can be compared for consistency."""
    lex = f.lexicons.get("profiling_terms")
    if lex is None:
        return None
    from dpia_check.checks import _match_quote, folded_strings

    text = f.doc.text
    if text is not None and not text.scan.affirmed(lex, text.negation)[0]:
        # no sentence of the document affirms profiling: every mention is denied where it
        # is written (the strings below are made of those sentences; reading a 500 k
        # character description mention by mention cost 40-70 ms on a 200-page DPIA)
        return None
    folded = folded_strings(f.doc)
    strings = folded.strings
    start = 0
    while start < len(strings):  # runs of strings outside the automated-decisions section
        if strings[start][0].startswith("/processing/automated_decisions"):
            start += 1
            continue
        end = start
        while end < len(strings) and not strings[end][0].startswith("/processing/automated_decisions"):
            end += 1
        for i in folded.every(lex, start, end):
            p, text = strings[i]
            if not _only_denied(f.doc, lex, text):
                return [f.doc.evidence(p, _match_quote(text, lex, f.doc))]
        start = end
    return None


def _only_denied(doc: Document, lex: Lexicon, text: str) -> bool:
    """Whether every mention of ``lex`` in ``text`` is denied in its clause: "does not make
    decisions based solely on automated processing, including profiling" speaks of
    profiling only to deny it (the lexicon's own negations, "no profiling", are left out
    before this is asked). Read with the text mapper's negation reader; a document read
    from YAML borrows the default one, loaded only when a mention is found."""
    from dpia_check.text.find import Negation, find_affirmed
    from dpia_check.textprep import fold

    if doc.text is not None:
        neg = doc.text.negation
    else:
        from dpia_check.text.vocab import default_vocabulary

        try:
            neg = Negation.of(default_vocabulary())
        except Exception:  # noqa: BLE001 - no text vocabulary: the mention stands
            return False
    affirmed, denied = find_affirmed(lex, fold(text), neg)
    return affirmed is None and denied is not None


def solely_automated(f: Facts) -> list[Evidence] | None:
    return _true(f, "/processing/automated_decisions/solely_automated")


def significant_effects(f: Facts) -> list[Evidence] | None:
    return _true(f, "/processing/automated_decisions/legal_effects")


def automated_significant(f: Facts) -> list[Evidence] | None:
    a, b = solely_automated(f), significant_effects(f)
    return a + b if a and b else None


def public_monitoring(f: Facts) -> list[Evidence] | None:
    hit = f.lex_in("public_space", "/processing/description", "/processing/scale", "/processing/data_subjects", "/processing/data_categories", "/meta/title")
    return [hit] if hit else None


def large_scale(f: Facts) -> list[Evidence] | None:
    for ptr, limit in (("/processing/scale/subjects", LARGE_SCALE_SUBJECTS), ("/processing/scale/devices", LARGE_SCALE_DEVICES)):
        v = f.doc.get(ptr)
        if isinstance(v, int) and not isinstance(v, bool) and v >= limit:
            return [f.doc.evidence(ptr)]
    for p, x in f.items("/processing/data_subjects"):
        if isinstance(x, dict):
            n = x.get("approx_count")
            if isinstance(n, int) and not isinstance(n, bool) and n >= LARGE_SCALE_SUBJECTS:
                return [f.doc.evidence(join(p, "approx_count"))]
    return None


def new_technology(f: Facts) -> list[Evidence] | None:
    ev = [f.doc.evidence(join(p, "new")) for p, x in f.items("/processing/technologies") if isinstance(x, dict) and x.get("new") is True]
    return ev or None


def new_filing_system(f: Facts) -> list[Evidence] | None:
    return _true(f, "/processing/new_filing_system")


def _risk_levels(f: Facts, residual: bool) -> list[Evidence] | None:
    out: list[Evidence] = []
    for p, x in f.items("/risks"):
        if not isinstance(x, dict):
            continue
        inherent = risk_level(x.get("likelihood"), x.get("severity"))
        level = inherent
        if residual:
            r = x.get("residual")
            if isinstance(r, dict) and risk_level(r.get("likelihood"), r.get("severity")):
                level = risk_level(r.get("likelihood"), r.get("severity"))
                if level == "high":
                    out.append(f.doc.evidence(join(p, "residual")))
                continue
        if level == "high":
            out.append(f.doc.evidence(p, x.get("description") if isinstance(x.get("description"), str) else None))
    return out or None


def high_inherent_risk(f: Facts) -> list[Evidence] | None:
    return _risk_levels(f, residual=False)


def high_residual_risk(f: Facts) -> list[Evidence] | None:
    return _risk_levels(f, residual=True)


def trigger_54_4_1(f: Facts) -> list[Evidence] | None:
    """Systematic and extensive automated evaluation with significant effects."""
    a = profiling(f) or solely_automated(f)
    b = significant_effects(f)
    return a + b if a and b else None


def trigger_54_4_2(f: Facts) -> list[Evidence] | None:
    """Large-scale processing of Art. 17(1) / 18(1) data or of Art. 19 data."""
    a, b = large_scale(f), special_categories(f) or criminal_data(f)
    return a + b if a and b else None


def trigger_54_4_3(f: Facts) -> list[Evidence] | None:
    a, b = large_scale(f), public_monitoring(f)
    return a + b if a and b else None


def dpo_mandatory(f: Facts) -> list[Evidence] | None:
    """Art. 56(2) and (4): public and competent authorities, large-scale monitoring or special data."""
    pa = public_authority(f)
    if pa:
        return pa
    ls = large_scale(f)
    if ls:
        other = public_monitoring(f) or special_categories(f) or criminal_data(f)
        if other:
            return ls + other
    return None


def transfers(f: Facts) -> list[Evidence] | None:
    return [f.doc.evidence(p) for p, _ in f.items("/processing/transfers")] or None


def processors(f: Facts) -> list[Evidence] | None:
    return [f.doc.evidence(p) for p, _ in f.items("/processing/processors")] or None


def commissioner_consulted(f: Facts) -> list[Evidence] | None:
    """A request for the Commissioner's prior opinion is recorded (Art. 55)."""
    ptr = "/consultation/commissioner/submitted"
    return [f.doc.evidence(ptr)] if not is_empty(f.doc.get(ptr)) else None


def consent_basis(f: Facts) -> list[Evidence] | None:
    hit = f.lex_in("consent_terms", "/legal_basis", "/special_categories")
    return [hit] if hit else None


def automated_decisions_described(f: Facts) -> list[Evidence] | None:
    v = f.doc.get("/processing/automated_decisions")
    return [f.doc.evidence("/processing/automated_decisions")] if isinstance(v, dict) and v else None


FACTS: dict[str, tuple[FactFn, Text]] = {
    "competent_authority": (competent_authority, Text("the controller is a competent authority (Art. 4(26))", "rukovalac je nadležni organ (čl. 4. tač. 26)")),
    "public_authority": (public_authority, Text("the controller is a public authority", "rukovalac je organ vlasti")),
    "special_purposes": (special_purposes, Text("processing for special purposes (Art. 6(3))", "obrada u posebne svrhe (čl. 6. st. 3)")),
    "general_purposes": (general_purposes, Text("processing under the general regime", "obrada po opštem režimu")),
    "special_categories": (special_categories, Text("special categories of personal data are processed", "obrađuju se posebne vrste podataka o ličnosti")),
    "special_categories_declared": (special_categories_declared, Text("special categories are analysed in the DPIA", "posebne vrste podataka su analizirane u proceni")),
    "biometric": (biometric, Text("biometric data are processed", "obrađuju se biometrijski podaci")),
    "biometric_identification": (biometric_identification, Text("biometric data are used to identify persons uniquely", "biometrijski podaci služe jedinstvenoj identifikaciji lica")),
    "criminal_data": (criminal_data, Text("data on criminal convictions or offences are processed (Art. 19)", "obrađuju se podaci o krivičnim presudama ili kažnjivim delima (čl. 19)")),
    "everyone_captured": (everyone_captured, Text("everyone present in the covered area is captured", "obuhvaćena su sva lica prisutna na području")),
    "dependent_relationship": (dependent_relationship, Text("data subjects depend on the controller (employer, school, public authority)", "lica zavise od rukovaoca (poslodavac, škola, organ vlasti)")),
    "special_consent": (special_consent, Text("consent is relied on for a special category (Art. 17(2)(1))", "za posebnu vrstu podataka poziva se na pristanak (čl. 17. st. 2. tač. 1)")),
    "health_data": (health_data, Text("data concerning health are processed", "obrađuju se podaci o zdravlju")),
    "children": (children, Text("data of children are processed", "obrađuju se podaci dece")),
    "profiling": (profiling, Text("profiling is carried out", "vrši se profilisanje")),
    "profiling_mentioned": (profiling_mentioned, Text("the DPIA mentions profiling outside its automated-decisions section", "procena pominje profilisanje van odeljka o automatizovanom odlučivanju")),
    "solely_automated": (solely_automated, Text("decisions are based solely on automated processing", "odluke se donose isključivo automatizovanom obradom")),
    "significant_effects": (significant_effects, Text("decisions have legal or similarly significant effects", "odluke proizvode pravne ili slično značajne posledice")),
    "automated_significant": (automated_significant, Text("solely automated decisions with significant effects", "isključivo automatizovane odluke sa značajnim posledicama")),
    "public_monitoring": (public_monitoring, Text("publicly accessible areas are monitored", "nadziru se javno dostupne površine")),
    "large_scale": (large_scale, Text(f"large scale (≥{LARGE_SCALE_SUBJECTS:,} persons or ≥{LARGE_SCALE_DEVICES} devices)", f"velik obim (≥{LARGE_SCALE_SUBJECTS:,} lica ili ≥{LARGE_SCALE_DEVICES} uređaja)")),
    "new_technology": (new_technology, Text("new technology is used", "koriste se nove tehnologije")),
    "new_filing_system": (new_filing_system, Text("a new filing system is created", "formira se nova zbirka podataka")),
    "high_inherent_risk": (high_inherent_risk, Text("a risk is high before measures", "rizik je visok pre mera")),
    "high_residual_risk": (high_residual_risk, Text("a risk stays high after measures", "rizik ostaje visok i posle mera")),
    "trigger_54_4_1": (trigger_54_4_1, Text("systematic automated evaluation with significant effects (Art. 54(4)(1))", "sistematska automatizovana procena sa značajnim posledicama (čl. 54. st. 4. tač. 1)")),
    "trigger_54_4_2": (trigger_54_4_2, Text("large-scale processing of special categories or of criminal-offence data (Art. 54(4)(2))", "obrada posebnih vrsta podataka ili podataka o krivičnim presudama i kažnjivim delima u velikom obimu (čl. 54. st. 4. tač. 2)")),
    "trigger_54_4_3": (trigger_54_4_3, Text("large-scale systematic monitoring of public areas (Art. 54(4)(3))", "sistematski nadzor javno dostupnih površina u velikoj meri (čl. 54. st. 4. tač. 3)")),
    "dpo_mandatory": (dpo_mandatory, Text("a DPO must be designated (Art. 56(2), (4))", "lice za zaštitu podataka mora biti određeno (čl. 56. st. 2. i 4)")),
    "transfers": (transfers, Text("data are transferred abroad", "podaci se prenose u inostranstvo")),
    "processors": (processors, Text("processors are engaged", "angažovani su obrađivači")),
    "commissioner_consulted": (commissioner_consulted, Text("the Commissioner's prior opinion was requested", "zatraženo je prethodno mišljenje Poverenika")),
    "consent_basis": (consent_basis, Text("consent is relied on", "poziva se na pristanak")),
    "automated_decisions_described": (automated_decisions_described, Text("automated decisions are described", "automatizovane odluke su opisane")),
}
