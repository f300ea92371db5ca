"""Decide which regime of the LPDP applies: general (GDPR-like) or special purposes (LED-like).

A competent authority (Art. 4(26)) processing for special purposes (Art. 6(3)) is
judged under Art. 13, 18, 39, 54(8), 55(3) and (9); everyone else, and a competent
authority's other purposes (traffic safety, internal control...), under Art. 12,
17, 38, 54(6), 55(1) and (7). Mixed DPIAs are judged under both, purpose by purpose, and
the decision says for every purpose which regime applies and why.

A purpose's ``special_purpose`` flag decides. When a competent authority leaves the
flag out (text input usually does), the purpose's wording decides, using the
``special_purpose_terms`` lexicon, and a note says the regime was inferred.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dpia_check.i18n import Text
from dpia_check.lexicon import Lexicon
from dpia_check.model import Document, join

GENERAL, SPECIAL = "general", "special"

_ARTS = {
    SPECIAL: Text("Art. 13, 18, 39, 54(8), 55(3) and (9)", "čl. 13, 18, 39, 54. st. 8, 55. st. 3. i 9"),
    GENERAL: Text("Art. 12, 17, 38, 54(6), 55(1) and (7)", "čl. 12, 17, 38, 54. st. 6, 55. st. 1. i 7"),
}
_NAMES = {
    SPECIAL: Text("special-purpose regime", "režim posebnih svrha"),
    GENERAL: Text("general regime", "opšti režim"),
}


@dataclass
class PurposeRegime:
    """The regime of one purpose and the reason for it."""

    purpose: str
    regime: str
    reason: Text
    inferred: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"regime": self.regime, "reason": self.reason.en, "reason_sr": self.reason.sr, "inferred": self.inferred}


@dataclass
class RegimeDecision:
    applied: list[str]
    purposes: dict[str, str]
    reason: Text
    notes: list[Text] = field(default_factory=list)
    details: dict[str, PurposeRegime] = field(default_factory=dict)

    def applies(self, regime: str) -> bool:
        return regime == "both" or regime in self.applied

    def to_dict(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "purposes": dict(sorted(self.purposes.items())),
            "reason": self.reason.en,
            "reason_sr": self.reason.sr,
            "notes": [n.en for n in self.notes],
            "purpose_reasons": {k: v.to_dict() for k, v in sorted(self.details.items())},
        }


def _purpose_regime(pid: str, purpose: dict[str, Any], competent: bool, lex: Lexicon | None) -> tuple[PurposeRegime, Text | None]:
    """Judge one purpose: (decision, optional note for the report)."""
    flag = purpose.get("special_purpose")
    text = purpose.get("description") if isinstance(purpose.get("description"), str) else ""
    reads_special = bool(lex is not None and text and lex.matches(text))
    if not competent:
        note = None
        if flag is True:
            note = Text(
                f"Purpose {pid} is marked as a special purpose (special_purpose: true), but the controller is not a competent authority (Art. 4(26)); the general regime applies to it.",
                f"Svrha {pid} je označena kao posebna svrha (special_purpose), ali rukovalac nije nadležni organ (čl. 4. tač. 26); na nju se primenjuje opšti režim.",
            )
        return PurposeRegime(pid, GENERAL, Text(
            "the controller is not a competent authority (Art. 4(26)), so only the general regime can apply",
            "rukovalac nije nadležni organ (čl. 4. tač. 26), pa se može primeniti samo opšti režim",
        )), note
    if flag is True:
        return PurposeRegime(pid, SPECIAL, Text(
            "marked as a special purpose of a competent authority: prevention, investigation, detection or prosecution of criminal offences, criminal sanctions, threats to public security (Art. 6(3))",
            "označeno kao posebna svrha nadležnog organa: sprečavanje, istraga, otkrivanje i gonjenje krivičnih dela, izvršenje krivičnih sankcija, pretnje javnoj bezbednosti (čl. 6. st. 3)",
        )), None
    if flag is False:
        note = None
        if reads_special:
            note = Text(
                f"Purpose {pid} is marked as not a special purpose, but its wording points to crime prevention or public security; check which regime applies.",
                f"Svrha {pid} je označena da nije posebna svrha, ali njen opis upućuje na suzbijanje kriminala ili javnu bezbednost; proverite koji režim se primenjuje.",
            )
        return PurposeRegime(pid, GENERAL, Text(
            "a competent authority's purpose that is not a special purpose under Art. 6(3) (e.g. traffic safety, internal control)",
            "svrha nadležnog organa koja nije posebna svrha iz čl. 6. st. 3. (npr. bezbednost saobraćaja, unutrašnja kontrola)",
        )), note
    regime = SPECIAL if reads_special else GENERAL
    what = _NAMES[regime]
    return PurposeRegime(pid, regime, Text(
        f"not marked either way; {what.en} inferred from the wording",
        f"nije označeno; {what.sr} zaključen iz opisa",
    ), inferred=True), Text(
        f"The regime of purpose {pid} was inferred from its wording ({what.en}); state special_purpose (true or false) for each purpose.",
        f"Režim svrhe {pid} zaključen je iz njenog opisa ({what.sr}); za svaku svrhu navedite u polju special_purpose da li je posebna svrha.",
    )


def _sentence(regime: str, ids: list[str], why: Text) -> Text:
    """One sentence per group of purposes sharing a regime and a reason."""
    return Text(
        f"{_NAMES[regime].en.capitalize()} ({_ARTS[regime].en}) for {', '.join(ids)}: {why.en}.",
        f"{_NAMES[regime].sr.capitalize()} ({_ARTS[regime].sr}) za {', '.join(ids)}: {why.sr}.",
    )


def decide_regime(doc: Document, lexicons: dict[str, Lexicon] | None = None) -> RegimeDecision:
    """Judge every purpose; the document is judged under each regime some purpose needs."""
    kind = doc.get("/meta/controller/kind")
    competent = kind == "competent_authority"
    lex = (lexicons or {}).get("special_purpose_terms")
    purposes = doc.get("/processing/purposes")
    purposes = purposes if isinstance(purposes, list) else []
    per: dict[str, str] = {}
    details: dict[str, PurposeRegime] = {}
    notes: list[Text] = []
    for i, p in enumerate(purposes):
        if not isinstance(p, dict):
            continue
        pid = str(p.get("id") or join("/processing/purposes", i))
        decision, note = _purpose_regime(pid, p, competent, lex)
        per[pid] = decision.regime
        details[pid] = decision
        if note is not None:
            notes.append(note)
    if competent and not per:
        return RegimeDecision(
            [GENERAL, SPECIAL], per,
            Text("The controller is a competent authority but no purposes are listed, so both regimes are applied.",
                 "Rukovalac je nadležni organ, ali svrhe nisu navedene, pa se primenjuju oba režima."),
            notes, details,
        )
    regimes = sorted(set(per.values())) or [GENERAL]
    if not competent:
        reason = Text(
            "The controller is not a competent authority acting for special purposes (Art. 4(26), Art. 6(3)): the general regime applies (Art. 12, 17, 38, 54(6), 55(1) and (7)).",
            "Rukovalac nije nadležni organ koji postupa u posebne svrhe (čl. 4. tač. 26, čl. 6. st. 3): primenjuje se opšti režim (čl. 12, 17, 38, 54. st. 6, 55. st. 1. i 7).",
        )
    else:
        parts = [Text("Competent authority (Art. 4(26)); each purpose is judged under its own regime.",
                      "Nadležni organ (čl. 4. tač. 26); svaka svrha se ocenjuje po svom režimu.")]
        for regime in (SPECIAL, GENERAL):
            groups: dict[Text, list[str]] = {}
            for d in details.values():
                if d.regime == regime:
                    groups.setdefault(d.reason, []).append(d.purpose)
            for why, ids in groups.items():
                parts.append(_sentence(regime, ids, why))
        if regimes == [SPECIAL]:
            parts.append(Text("Art. 13, 18, 39, 54(8), 55(3) and 55(9) replace Art. 12, 17, 38, 54(6), 55(1) and 55(7).",
                              "Čl. 13, 18, 39, 54. st. 8. i 55. st. 3. i 9. zamenjuju čl. 12, 17, 38, 54. st. 6. i 55. st. 1. i 7."))
        elif regimes == [GENERAL]:
            parts.append(Text("None of its purposes is a special purpose (Art. 6(3)).",
                              "Nijedna svrha nije posebna svrha (čl. 6. st. 3)."))
        else:
            parts.append(Text("Mixed purposes: rules of both regimes apply, the per-purpose rules purpose by purpose.",
                              "Mešovite svrhe: primenjuju se pravila oba režima, a pravila po svrsi za svaku svrhu posebno."))
        reason = Text(" ".join(t.en for t in parts), " ".join(t.sr for t in parts))
    return RegimeDecision(regimes, per, reason, notes, details)
