"""Decide which regime of the LPDP applies: general (GDPR-like) or special purposes (LED-like).

A competent authority (Art. 4(26)) processing for special purposes (Art. 6(3)) is
judged under Art. 13, 18, 39, 54(8), 55(3); everyone else, and a competent
authority's other purposes (traffic safety, internal control...), under Art. 12,
17, 38, 54(6), 55(1). Mixed DPIAs are judged under both, purpose by purpose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dpia_check.i18n import Text
from dpia_check.model import Document, join

GENERAL, SPECIAL = "general", "special"


@dataclass
class RegimeDecision:
    applied: list[str]
    purposes: dict[str, str]
    reason: Text
    notes: list[Text] = field(default_factory=list)

    def applies(self, regime: str) -> bool:
        return regime == "both" or regime in self.applied

    def to_dict(self) -> dict[str, Any]:
        return {
            "applied": self.applied,
            "purposes": dict(sorted(self.purposes.items())),
            "reason": self.reason.en,
            "reason_sr": self.reason.sr,
            "notes": [n.en for n in self.notes],
        }


def decide_regime(doc: Document) -> RegimeDecision:
    kind = doc.get("/meta/controller/kind")
    purposes = doc.get("/processing/purposes")
    purposes = purposes if isinstance(purposes, list) else []
    per: dict[str, str] = {}
    notes: list[Text] = []
    for i, p in enumerate(purposes):
        if not isinstance(p, dict):
            continue
        pid = str(p.get("id") or join("/processing/purposes", i))
        special = p.get("special_purpose") is True
        if special and kind != "competent_authority":
            notes.append(Text(
                f"Purpose {pid} is marked special_purpose, but the controller is not a competent authority (Art. 4(26)); the general regime applies to it.",
                f"Svrha {pid} je označena kao posebna svrha, ali rukovalac nije nadležni organ (čl. 4. tač. 26); na nju se primenjuje opšti režim.",
            ))
            special = False
        per[pid] = SPECIAL if special else GENERAL
    if kind == "competent_authority" and not per:
        return RegimeDecision(
            [GENERAL, SPECIAL], per,
            Text("The controller is a competent authority but no purposes are listed, so both regimes are applied.",
                 "Rukovalac je nadležni organ, ali svrhe nisu navedene, pa se primenjuju oba režima."),
            notes,
        )
    regimes = sorted(set(per.values())) or [GENERAL]
    if regimes == [SPECIAL]:
        reason = Text(
            "Competent authority processing for special purposes (Art. 4(26), Art. 6(3)): judged under Art. 13, 18, 39, 54(8) and 55(3) instead of Art. 12, 17, 38, 54(6) and 55(1).",
            "Nadležni organ obrađuje podatke u posebne svrhe (čl. 4. tač. 26, čl. 6. st. 3): primenjuju se čl. 13, 18, 39, 54. st. 8. i 55. st. 3. umesto čl. 12, 17, 38, 54. st. 6. i 55. st. 1.",
        )
    elif regimes == [GENERAL]:
        if kind == "competent_authority":
            reason = Text("Competent authority, but none of its purposes is a special purpose: the general regime applies.",
                          "Nadležni organ, ali nijedna svrha nije posebna svrha: primenjuje se opšti režim.")
        else:
            reason = Text("The controller is not a competent authority acting for special purposes: the general regime applies (Art. 12, 17, 38, 54(6), 55(1)).",
                          "Rukovalac nije nadležni organ koji postupa u posebne svrhe: primenjuje se opšti režim (čl. 12, 17, 38, 54. st. 6, 55. st. 1).")
    else:
        sp = ", ".join(k for k, v in sorted(per.items()) if v == SPECIAL)
        gp = ", ".join(k for k, v in sorted(per.items()) if v == GENERAL)
        reason = Text(
            f"Mixed purposes: {sp} under the special-purpose regime (Art. 13, 18, 39, 54(8), 55(3)); {gp} under the general regime (Art. 12, 17, 38, 54(6), 55(1)).",
            f"Mešovite svrhe: {sp} po režimu posebnih svrha (čl. 13, 18, 39, 54. st. 8, 55. st. 3); {gp} po opštem režimu (čl. 12, 17, 38, 54. st. 6, 55. st. 1).",
        )
    return RegimeDecision(regimes, per, reason, notes)
