"""``dpia-check init``: a commented DPIA skeleton in English or Serbian.

Every section the law requires is present with a fill-in marker, so a fresh
skeleton already passes the loader and ``check`` reports only "fill this in" gaps.
Keys stay English (they are the format); comments and markers follow ``--lang``.
"""

from __future__ import annotations

import re

from dpia_check.schema import SCHEMA_ID

# Each line: YAML text, then optional "#|en comment|sr comment". "@@" marks a fill-in value.
_TEMPLATE = """\
dpia_format: 1
meta:
  title: "@@title"  #|Name of the processing assessed|Naziv obrade koja se procenjuje
  language: {lang}
  version: "0.1"
  date: {today}  #|Date of this version (YYYY-MM-DD)|Datum ove verzije (GGGG-MM-DD)
  status: draft  #|`draft`, `final`, `submitted` or `approved`|`draft`, `final`, `submitted` ili `approved`
  processing_start:  #|When processing starts (Art. 54(1): the DPIA must come first)|Kada obrada počinje (čl. 54. st. 1: procena mora biti pre)
  controller:
    name: "@@controller"
    kind: private  #|`competent_authority` (police, prosecution: Art. 4(26)), `public_authority` or `private`|`competent_authority` (policija, tužilaštvo: čl. 4. tač. 26), `public_authority` ili `private`
  dpo: {{name: "@@dpo", contact: "@@dpo_contact"}}
  authors: []

processing:
  description: "@@description"  #|Nature, scope, context and purposes: what is done with which data, by whom, with which technology|Priroda, obim, okolnosti i svrhe: šta se radi sa kojim podacima, ko to radi i kojom tehnologijom
  purposes:  #|One entry per purpose; `special_purpose: true` only for a competent authority's special purposes (Art. 6(3))|Po jedan unos za svaku svrhu; `special_purpose: true` samo za posebne svrhe nadležnog organa (čl. 6. st. 3)
    - id: P1
      description: "@@purpose"
      special_purpose: false
  operations: []  #|e.g. collection, recording, storage, matching, disclosure, erasure|npr. prikupljanje, beleženje, čuvanje, upoređivanje, otkrivanje, brisanje
  data_subjects: []  #|- {{category: ..., approx_count: ..., vulnerable: false, children: false}}|- {{category: ..., approx_count: ..., vulnerable: false, children: false}}
  data_categories: []  #|- {{category: ..., special: false | biometric | health | ..., source: ...}}|- {{category: ..., special: false | biometric | health | ..., source: ...}}
  scale: {{}}  #|devices, subjects, locations, area|uređaji, broj lica, lokacije, područje
  technologies: []  #|- {{name: ..., new: true|false, supplier: ...}}|- {{name: ..., new: true|false, supplier: ...}}
  recipients: []  #|- {{name: ..., legal_basis: ..., purpose: ...}} — name each recipient, not "authorised recipients"|- {{name: ..., legal_basis: ..., purpose: ...}} — navedite svakog primaoca, ne "ovlašćeni primaoci"
  processors: []  #|- {{name: ..., contract: true, country: RS}}|- {{name: ..., contract: true, country: RS}}
  transfers: []
  retention: "@@retention"  #|A bounded period for each kind of data|Ograničen rok za svaku vrstu podataka
  automated_decisions:
    solely_automated: false
    profiling: false

legal_basis:  #|One entry per purpose: the LPDP provision and the specific law AND article that provides for the processing|Po jedan unos za svaku svrhu: odredba ZZPL i konkretan zakon I član koji predviđa obradu
  - id: L1
    purposes: [P1]
    lpdp: "@@lpdp_basis"
    law: "@@law"
    explanation: "@@explanation"

special_categories: []  #|One entry per special category (Art. 17 / 18): category, condition, law, safeguards, and `purposes` (ids) where only some purposes use it|Po jedan unos za svaku posebnu vrstu podataka (čl. 17 / 18): vrsta, uslov, zakon, mere zaštite, i `purposes` (oznake svrha) ako je koriste samo neke svrhe

necessity_proportionality:
  necessity: "@@necessity"  #|Why the purposes cannot be reached with less data or less intrusive means|Zašto se svrhe ne mogu postići sa manje podataka ili manje invazivnim sredstvima
  proportionality: "@@proportionality"
  alternatives: []  #|- {{alternative: ..., rejected_because: ...}}|- {{alternative: ..., rejected_because: ...}}
  evidence: []  #|- {{claim: ..., source: ...}} — every effectiveness claim needs a source|- {{claim: ..., source: ...}} — svaka tvrdnja o delotvornosti traži izvor
  data_minimisation: "@@minimisation"
  storage_limitation: "@@storage"
  accuracy: "@@accuracy"
  transparency: "@@transparency"  #|How data subjects are informed: signs, notices, website|Kako se lica obaveštavaju: oznake, obaveštenja, veb-sajt
  data_subject_rights: "@@rights"

risks:  #|Risks to the rights and freedoms of people, each with likelihood and severity (low, medium, high)|Rizici za prava i slobode ljudi, svaki sa verovatnoćom i ozbiljnošću (low, medium, high)
  - id: R1
    description: "@@risk"
    rights_affected: []
    likelihood:
    severity:
    measures: [M1]
    residual: {{likelihood: , severity: }}

measures:  #|`kind`: `technical`, `organisational` or `staff`|`kind`: `technical`, `organisational` ili `staff`
  - id: M1
    kind: technical
    description: "@@measure"
    status: planned
    owner: "@@owner"

consultation:
  dpo_advice: "@@dpo_advice"  #|What the DPO advised (Art. 54(3))|Šta je lice za zaštitu podataka savetovalo (čl. 54. st. 3)
  dpo_advice_followed:
  data_subjects_views: "@@views"  #|Views of data subjects or their representatives, or why they were not sought (Art. 54(11))|Mišljenje lica ili njihovih predstavnika, ili zašto nije traženo (čl. 54. st. 11)
  commissioner: {{required: , submitted: , outcome: }}  #|Prior opinion of the Commissioner (Art. 55)|Prethodno mišljenje Poverenika (čl. 55)

review:
  schedule: "@@review"  #|At least whenever the risk changes (Art. 54(13))|Najmanje kada se rizik promeni (čl. 54. st. 13)
  next:
sign_off: {{by: "@@sign_off", date: }}
"""

_MARK = {"en": "TODO: fill in", "sr": "POPUNITI"}
_HEADER = {
    "en": "# DPIA skeleton written by `dpia-check init`. Fill in every TODO, then run: `dpia-check check {name}`\n",
    "sr": "# Kostur procene uticaja napravljen komandom `dpia-check init`. Popunite svako POPUNITI, pa pokrenite: `dpia-check check {name}`\n",
}


def skeleton(lang: str, name: str = "FILE", today: str | None = None) -> str:
    """Return the skeleton text for ``lang`` (en, sr-Latn, sr-Cyrl)."""
    import datetime as _dt

    from dpia_check.textprep import to_cyrillic

    key = "en" if lang == "en" else "sr"
    cyr = lang == "sr-Cyrl"
    date = today or _dt.date.today().isoformat()
    body = _TEMPLATE.format(lang=lang, today=date)
    out: list[str] = [f"# yaml-language-server: $schema={SCHEMA_ID}\n"]
    header = _HEADER[key].format(name=name)
    out.append(to_cyrillic(header) if cyr else header)
    for line in body.splitlines():
        text, sep, comments = line.partition("  #|")
        if sep:
            en, sr = comments.split("|", 1)
            comment = en if key == "en" else sr
            if cyr:
                comment = to_cyrillic(comment)
            text = f"{text}  # {comment}"
        # the marker stays in Latin in every script, so it is searchable the same way
        text = re.sub(r'"@@\w+"', f'"{_MARK[key]}"', text)
        out.append(text + "\n")
    return "".join(out)
