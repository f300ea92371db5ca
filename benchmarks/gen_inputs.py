#!/usr/bin/env python3
"""Make the benchmark's inputs: DPIA-like PDFs and a thousand YAML DPIAs.

    python benchmarks/gen_inputs.py --out benchmarks/.inputs            # everything
    python benchmarks/gen_inputs.py --out /tmp/in --pages 10 50 --yaml 100

PDFs (``dpia-<lang>-<pages>.pdf``, lang = en, sr-Latn, sr-Cyrl) look like real DPIAs:
a title page with a metadata table, a revision history, numbered headings, numbered
and bulleted lists, data-category tables, a risk register, running headers and
footers with page numbers. A document grows by "processing operations" (about one
page each) and is padded with annex pages to hit the page count exactly. Everything
is seeded, so the same arguments give the same files.

YAML DPIAs (``yaml/dpia-NNNN.dpia.yaml``) are variations of the three shipped samples
(titles, counts, dropped optional sections), so a batch has passes and failures.
``small.yaml`` is the hospital sample itself.

PDFs need reportlab (``pip install reportlab``) and the DejaVu fonts (Debian/Ubuntu:
``apt-get install fonts-dejavu-core``; elsewhere point ``--font-dir`` or
``DPIA_BENCH_FONT_DIR`` at the folder holding DejaVuSans.ttf). Neither is needed by
dpia-check itself.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).resolve().parent.parent
LANGS = ("en", "sr-Latn", "sr-Cyrl")
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    str(Path.home() / "Library/Fonts"),
    str(Path.home() / ".fonts"),
)


class SetupError(Exception):
    """A missing benchmark-only dependency, with the line that installs it."""


# ---------------------------------------------------------------------------
# Text banks. Serbian is written in Latin; Cyrillic is derived by transliteration.
# ---------------------------------------------------------------------------

EN: dict[str, Any] = {
    "title": "Data Protection Impact Assessment",
    "subtitle": "Assessment under Article 54 of the Law on Personal Data Protection (Official Gazette RS 87/2018)",
    "header": "DPIA – {system} – version 2.1 – internal",
    "footer": "Page {n}",
    "system": "integrated city services platform",
    "meta_head": ("Item", "Details"),
    "meta": [
        ("Controller", "City Administration of Kragujevac, Trg slobode 3, Kragujevac"),
        ("Data protection officer", "Milica Ćirić, lice.za.zastitu@example.rs"),
        ("System assessed", "Integrated city services platform"),
        ("Document version", "2.1 of 14 March 2026"),
        ("Approved by", "Žarko Šećerović, Head of the City Administration"),
    ],
    "rev_head": ("Version", "Date", "Author", "Change"),
    "rev": [
        ("1.0", "12 Jan 2026", "Jelena Marković", "First draft"),
        ("1.1", "02 Feb 2026", "Milica Ćirić", "Comments of the data protection officer"),
        ("2.0", "20 Feb 2026", "Dušan Đukić", "Risk register revised"),
        ("2.1", "14 Mar 2026", "Jelena Marković", "Final version for approval"),
    ],
    "h": [
        "1. Systematic description of the processing",
        "2. Necessity and proportionality",
        "3. Assessment of risks to the rights and freedoms of data subjects",
        "4. Measures to address the risks",
        "5. Consultation, opinion of the data protection officer and approval",
        "Annex A. Document control",
    ],
    "sub": {
        "basis": "2.1 Legal basis",
        "minim": "2.2 Data minimisation and accuracy",
        "retention": "2.3 Storage limitation",
        "rights": "2.4 Information to data subjects and their rights",
        "processors": "2.5 Processors and transfers",
        "method": "3.1 Methodology",
        "register": "3.2 Risk register",
        "measures": "4.1 Technical and organisational measures",
        "residual": "4.2 Residual risk",
    },
    "op_label": "Processing operation",
    "ops": [
        "Video surveillance of public buildings", "Payroll and personnel records", "Parking permits",
        "Recruitment of job applicants", "Online payment of local fees", "Newsletter of the city",
        "Handling of citizens' complaints", "Access control to the archive", "Supplier contract management",
        "Analytics of the city website", "Tracking of utility vehicles", "Occupational health records",
        "Social assistance applications", "School enrolment support", "Public transport smart cards",
    ],
    "units": ["city centre office", "northern district office", "southern district office", "customer service desk", "data centre"],
    "data_head": ("Data category", "Examples", "Source", "Retention"),
    "data_rows": [
        ("Identification data", "name, surname, date of birth, personal ID number", "data subject", "5 years"),
        ("Contact data", "address, e-mail address, telephone number", "data subject", "3 years"),
        ("Financial data", "bank account, amount of the fee, payment reference", "bank", "10 years"),
        ("Video recordings", "images of persons at entrances and counters", "CCTV cameras", "30 days"),
        ("Location data", "GPS position of the vehicle, routes driven", "telematics unit", "90 days"),
        ("Health data", "sick-leave certificates, fitness for work", "occupational physician", "end of employment"),
        ("Online identifiers", "IP address, cookie identifier, device type", "website", "13 months"),
    ],
    "steps_intro": "The operation is carried out in the following steps:",
    "steps": [
        "collection of data through the electronic form or at the counter",
        "verification of the identity of the data subject",
        "entry of the data into the central register",
        "use of the data for the stated purpose only",
        "disclosure to the processor for technical support",
        "erasure or anonymisation at the end of the retention period",
    ],
    "sentences": [
        "The {op} is carried out by the {unit} and concerns about {n} data subjects per year.",
        "Personal data are collected directly from the data subject, except where a law provides otherwise.",
        "Access to the records of the {op} is limited to {k} named employees with individual accounts.",
        "The data are stored on servers located in the Republic of Serbia and are not transferred abroad.",
        "Each access to the register is logged, and the logs are reviewed by the information security officer every month.",
        "The purpose of the processing is defined in the decision of the City Council of {year} and is not extended to other purposes.",
        "The processor acts only on documented instructions of the controller under a written contract.",
        "Data subjects are informed about the processing through a notice at the counter and on the website.",
        "The retention period of {days} days was chosen because complaints must be lodged within that time.",
        "Where the data are no longer needed, they are erased automatically by a scheduled procedure.",
        "The system does not make decisions based solely on automated processing, including profiling.",
        "Special categories of personal data are processed only where the law expressly requires it.",
    ],
    "basis": "The processing is necessary for the performance of tasks carried out in the public interest and in the exercise of official authority vested in the controller by the Law on Local Self-Government.",
    "minim": "Only the data listed in the tables of section 1 are collected; free-text fields are limited to 500 characters and reviewed for unnecessary data.",
    "retention": "Retention periods are set for each data category in section 1 and enforced by automatic erasure.",
    "rights_intro": "Data subjects may exercise the following rights:",
    "rights": [
        "the right of access to their personal data",
        "the right to rectification of inaccurate data",
        "the right to erasure, where the conditions of the law are met",
        "the right to restriction of processing",
        "the right to object to processing based on a public interest task",
        "the right to lodge a complaint with the Commissioner",
    ],
    "processors": "Hosting and technical support are provided by a processor established in Serbia; no data are transferred to other countries.",
    "method": "Risks were identified in workshops with the owners of each processing operation and rated for likelihood and severity on a three-level scale (low, medium, high).",
    "risk_head": ("ID", "Risk", "Likelihood", "Severity", "Measures"),
    "risks": [
        "unauthorised access to the register by an employee",
        "disclosure of recordings to third parties",
        "loss of data because of a hardware failure",
        "processing beyond the retention period",
        "use of the data for an incompatible purpose",
        "insufficient information to data subjects",
    ],
    "levels": ["low", "medium", "high"],
    "measures_intro": "The following measures are applied:",
    "measures": [
        "role-based access control with two-factor authentication",
        "encryption of data at rest and in transit (AES-256, TLS 1.3)",
        "pseudonymisation of records used for statistics",
        "annual training of staff on data protection",
        "quarterly review of access logs",
        "documented procedure for handling data subject requests",
    ],
    "residual": "After the measures are applied, the residual risk of every operation is assessed as low or medium; prior consultation with the Commissioner is therefore not required.",
    "dpo": "The data protection officer was consulted on {date} and agreed with the assessment, with a recommendation to review it every two years.",
    "approval": "The assessment was approved by the head of the City Administration on {date}.",
    "annex": "This page is intentionally left blank for the signatures of the persons responsible for the document.",
}

SR: dict[str, Any] = {
    "title": "Procena uticaja na zaštitu podataka o ličnosti",
    "subtitle": "Procena prema članu 54. Zakona o zaštiti podataka o ličnosti (Službeni glasnik RS, broj 87/2018)",
    "header": "Procena uticaja – {system} – verzija 2.1 – interno",
    "footer": "Strana {n}",
    "system": "integrisana platforma gradskih usluga",
    "meta_head": ("Stavka", "Podaci"),
    "meta": [
        ("Rukovalac", "Gradska uprava grada Kragujevca, Trg slobode 3, Kragujevac"),
        ("Lice za zaštitu podataka o ličnosti", "Milica Ćirić, lice.za.zastitu@example.rs"),
        ("Sistem koji se procenjuje", "Integrisana platforma gradskih usluga"),
        ("Verzija dokumenta", "2.1 od 14. marta 2026."),
        ("Odobrio", "Žarko Šećerović, načelnik Gradske uprave"),
    ],
    "rev_head": ("Verzija", "Datum", "Autor", "Izmena"),
    "rev": [
        ("1.0", "12.01.2026.", "Jelena Marković", "Prvi nacrt"),
        ("1.1", "02.02.2026.", "Milica Ćirić", "Primedbe lica za zaštitu podataka"),
        ("2.0", "20.02.2026.", "Dušan Đukić", "Revidiran registar rizika"),
        ("2.1", "14.03.2026.", "Jelena Marković", "Konačna verzija za odobrenje"),
    ],
    "h": [
        "1. Sistematičan opis obrade",
        "2. Neophodnost i srazmernost",
        "3. Procena rizika po prava i slobode lica na koja se podaci odnose",
        "4. Mere za otklanjanje rizika",
        "5. Konsultacije, mišljenje lica za zaštitu podataka i odobrenje",
        "Prilog A. Kontrola dokumenta",
    ],
    "sub": {
        "basis": "2.1 Pravni osnov",
        "minim": "2.2 Minimizacija i tačnost podataka",
        "retention": "2.3 Ograničenje čuvanja",
        "rights": "2.4 Informisanje lica i njihova prava",
        "processors": "2.5 Obrađivači i prenos podataka",
        "method": "3.1 Metodologija",
        "register": "3.2 Registar rizika",
        "measures": "4.1 Tehničke i organizacione mere",
        "residual": "4.2 Preostali rizik",
    },
    "op_label": "Radnja obrade",
    "ops": [
        "Video nadzor javnih objekata", "Evidencije o zaradama i zaposlenima", "Parking dozvole",
        "Zapošljavanje kandidata", "Elektronsko plaćanje lokalnih taksi", "Bilten grada",
        "Postupanje po pritužbama građana", "Kontrola pristupa arhivi", "Upravljanje ugovorima sa dobavljačima",
        "Analitika gradskog veb-sajta", "Praćenje komunalnih vozila", "Evidencije medicine rada",
        "Zahtevi za socijalnu pomoć", "Podrška upisu u škole", "Pametne kartice javnog prevoza",
    ],
    "units": ["kancelarija u centru grada", "kancelarija severnog dela grada", "kancelarija južnog dela grada", "uslužni centar", "centar podataka"],
    "data_head": ("Vrsta podataka", "Primeri", "Izvor", "Rok čuvanja"),
    "data_rows": [
        ("Podaci o identitetu", "ime, prezime, datum rođenja, JMBG", "lice na koje se podaci odnose", "5 godina"),
        ("Kontakt podaci", "adresa, adresa elektronske pošte, broj telefona", "lice na koje se podaci odnose", "3 godine"),
        ("Finansijski podaci", "broj računa, iznos takse, poziv na broj", "banka", "10 godina"),
        ("Video zapisi", "snimci lica na ulazima i šalterima", "kamere video nadzora", "30 dana"),
        ("Podaci o lokaciji", "GPS položaj vozila, pređene rute", "telematski uređaj", "90 dana"),
        ("Podaci o zdravlju", "doznake za bolovanje, sposobnost za rad", "lekar medicine rada", "do prestanka radnog odnosa"),
        ("Mrežni identifikatori", "IP adresa, identifikator kolačića, vrsta uređaja", "veb-sajt", "13 meseci"),
    ],
    "steps_intro": "Radnja se obavlja u sledećim koracima:",
    "steps": [
        "prikupljanje podataka putem elektronskog obrasca ili na šalteru",
        "provera identiteta lica na koje se podaci odnose",
        "unos podataka u centralni registar",
        "upotreba podataka isključivo u navedenu svrhu",
        "otkrivanje obrađivaču radi tehničke podrške",
        "brisanje ili anonimizacija po isteku roka čuvanja",
    ],
    "sentences": [
        "Radnju „{op}” obavlja {unit} i ona se odnosi na približno {n} lica godišnje.",
        "Podaci o ličnosti prikupljaju se neposredno od lica na koje se odnose, osim kada je zakonom drugačije propisano.",
        "Pristup evidencijama ove radnje ima {k} imenovanih zaposlenih sa pojedinačnim nalozima.",
        "Podaci se čuvaju na serverima koji se nalaze u Republici Srbiji i ne prenose se u inostranstvo.",
        "Svaki pristup registru se beleži, a zapise mesečno pregleda lice zaduženo za bezbednost informacija.",
        "Svrha obrade određena je odlukom Gradskog veća iz {year}. godine i ne proširuje se na druge svrhe.",
        "Obrađivač postupa isključivo po dokumentovanim uputstvima rukovaoca, na osnovu pisanog ugovora.",
        "Lica na koja se podaci odnose informišu se o obradi putem obaveštenja na šalteru i na veb-sajtu.",
        "Rok čuvanja od {days} dana izabran je jer se pritužbe moraju podneti u tom roku.",
        "Kada podaci više nisu potrebni, brišu se automatski, zakazanim postupkom.",
        "Sistem ne donosi odluke isključivo na osnovu automatizovane obrade, uključujući profilisanje.",
        "Posebne vrste podataka o ličnosti obrađuju se samo kada to zakon izričito zahteva.",
    ],
    "basis": "Obrada je neophodna u cilju obavljanja poslova u javnom interesu i izvršenja zakonom propisanih ovlašćenja rukovaoca prema Zakonu o lokalnoj samoupravi.",
    "minim": "Prikupljaju se samo podaci navedeni u tabelama odeljka 1; polja za slobodan unos ograničena su na 500 znakova i proveravaju se radi uklanjanja nepotrebnih podataka.",
    "retention": "Rokovi čuvanja određeni su za svaku vrstu podataka u odeljku 1 i sprovode se automatskim brisanjem.",
    "rights_intro": "Lica na koja se podaci odnose mogu ostvariti sledeća prava:",
    "rights": [
        "pravo na pristup podacima o ličnosti",
        "pravo na ispravku netačnih podataka",
        "pravo na brisanje, kada su ispunjeni zakonski uslovi",
        "pravo na ograničenje obrade",
        "pravo na prigovor na obradu zasnovanu na poslu u javnom interesu",
        "pravo na pritužbu Povereniku",
    ],
    "processors": "Hosting i tehničku podršku pruža obrađivač sa sedištem u Srbiji; podaci se ne prenose u druge države.",
    "method": "Rizici su utvrđeni na radionicama sa vlasnicima svake radnje obrade i ocenjeni prema verovatnoći i ozbiljnosti na skali od tri nivoa (nizak, srednji, visok).",
    "risk_head": ("Oznaka", "Rizik", "Verovatnoća", "Ozbiljnost", "Mere"),
    "risks": [
        "neovlašćen pristup registru od strane zaposlenog",
        "otkrivanje snimaka trećim licima",
        "gubitak podataka usled kvara opreme",
        "obrada nakon isteka roka čuvanja",
        "upotreba podataka u nespojivu svrhu",
        "nedovoljno informisanje lica na koja se podaci odnose",
    ],
    "levels": ["nizak", "srednji", "visok"],
    "measures_intro": "Primenjuju se sledeće mere:",
    "measures": [
        "kontrola pristupa zasnovana na ulogama, sa dvofaktorskom autentifikacijom",
        "šifrovanje podataka u mirovanju i u prenosu (AES-256, TLS 1.3)",
        "pseudonimizacija zapisa koji se koriste za statistiku",
        "godišnja obuka zaposlenih o zaštiti podataka",
        "tromesečni pregled zapisa o pristupu",
        "dokumentovan postupak po zahtevima lica na koja se podaci odnose",
    ],
    "residual": "Nakon primene mera, preostali rizik svake radnje ocenjen je kao nizak ili srednji, pa prethodno mišljenje Poverenika nije potrebno.",
    "dpo": "Lice za zaštitu podataka o ličnosti konsultovano je {date} i saglasilo se sa procenom, uz preporuku da se ona preispituje svake dve godine.",
    "approval": "Procenu je odobrio načelnik Gradske uprave {date}.",
    "annex": "Ova strana namerno je ostavljena prazna za potpise lica odgovornih za dokument.",
}


def _require_reportlab() -> Any:
    try:
        import reportlab  # noqa: F401
    except ImportError:
        raise SetupError("reportlab is missing: install it with `pip install reportlab` (a benchmark-only dependency)") from None
    return reportlab


def find_font_dir(explicit: str | None = None) -> Path:
    """The folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf, or a SetupError saying how to get it."""
    candidates = [explicit] if explicit else [os.environ.get("DPIA_BENCH_FONT_DIR"), *FONT_DIRS]
    for c in candidates:
        if c and (Path(c) / "DejaVuSans.ttf").is_file() and (Path(c) / "DejaVuSans-Bold.ttf").is_file():
            return Path(c)
    raise SetupError(
        "the DejaVu fonts are missing (DejaVuSans.ttf, DejaVuSans-Bold.ttf): install them with "
        "`apt-get install fonts-dejavu-core` (Debian/Ubuntu) or pass --font-dir / set DPIA_BENCH_FONT_DIR"
    )


def _cyrillic() -> Callable[[str], str]:
    sys.path.insert(0, str(REPO))
    from dpia_check.textprep import to_cyrillic

    return to_cyrillic


# ---------------------------------------------------------------------------
# Document content: a list of blocks (kind, payload), independent of reportlab.
# ---------------------------------------------------------------------------

Block = tuple[str, Any]


def _operation(bank: dict[str, Any], rng: random.Random, k: int) -> list[Block]:
    name = bank["ops"][k % len(bank["ops"])]
    unit = bank["units"][(k // len(bank["ops"])) % len(bank["units"])]
    title = f"1.{k + 1} {bank['op_label']} {k + 1}: {name} ({unit})"

    def sentences(count: int) -> str:
        return " ".join(fill(t) for t in rng.sample(bank["sentences"], count))

    def fill(tmpl: str) -> str:
        return tmpl.format(op=name.lower(), unit=unit, n=rng.randrange(200, 90000), k=rng.randrange(3, 40),
                           year=rng.randrange(2015, 2026), days=rng.choice((30, 60, 90, 180)))

    blocks: list[Block] = [("h2", title)]
    for _ in range(3):
        blocks.append(("p", sentences(rng.randrange(4, 8))))
    blocks.append(("p", bank["steps_intro"]))
    blocks.append(("ol", rng.sample(bank["steps"], rng.randrange(3, len(bank["steps"]) + 1))))
    rows = rng.sample(bank["data_rows"], rng.randrange(2, 5))
    blocks.append(("table", [bank["data_head"], *rows]))
    blocks.append(("p", sentences(rng.randrange(2, 4))))
    return blocks


def build_blocks(bank: dict[str, Any], n_ops: int, seed: int) -> list[Block]:
    """The whole DPIA as blocks; ``n_ops`` processing operations make its length."""
    rng = random.Random(seed)
    date = "14.03.2026." if bank is SR else "14 March 2026"
    blocks: list[Block] = [
        ("title", bank["title"]),
        ("p", bank["subtitle"]),
        ("table", [bank["meta_head"], *bank["meta"]]),
        ("table", [bank["rev_head"], *bank["rev"]]),
        ("pagebreak", None),
        ("h1", bank["h"][0]),
    ]
    for k in range(n_ops):
        blocks.extend(_operation(bank, rng, k))
    s = bank["sub"]
    blocks += [
        ("h1", bank["h"][1]),
        ("h2", s["basis"]), ("p", bank["basis"]),
        ("h2", s["minim"]), ("p", bank["minim"]),
        ("h2", s["retention"]), ("p", bank["retention"]),
        ("h2", s["rights"]), ("p", bank["rights_intro"]), ("ul", bank["rights"]),
        ("h2", s["processors"]), ("p", bank["processors"]),
        ("h1", bank["h"][2]),
        ("h2", s["method"]), ("p", bank["method"]),
        ("h2", s["register"]),
    ]
    levels = bank["levels"]
    register = [bank["risk_head"]]
    for i in range(max(6, n_ops)):
        register.append((f"R{i + 1}", bank["risks"][i % len(bank["risks"])], rng.choice(levels), rng.choice(levels), f"M{i % 6 + 1}, M{(i + 2) % 6 + 1}"))
    blocks.append(("table", register))
    blocks += [
        ("h1", bank["h"][3]),
        ("h2", s["measures"]), ("p", bank["measures_intro"]),
        ("ol", [f"M{i + 1}: {m}" for i, m in enumerate(bank["measures"])]),
        ("h2", s["residual"]), ("p", bank["residual"]),
        ("h1", bank["h"][4]),
        ("p", bank["dpo"].format(date=date)),
        ("p", bank["approval"].format(date=date)),
    ]
    return blocks


def localise(blocks: list[Block], lang: str) -> list[Block]:
    """Serbian Cyrillic: transliterate every text of a Serbian Latin document."""
    if lang != "sr-Cyrl":
        return blocks
    cyr = _cyrillic()

    def conv(x: Any) -> Any:
        if isinstance(x, str):
            return cyr(x)
        if isinstance(x, (list, tuple)):
            return type(x)(conv(v) for v in x)
        return x

    return [(kind, conv(payload)) for kind, payload in blocks]


# ---------------------------------------------------------------------------
# Rendering with reportlab platypus
# ---------------------------------------------------------------------------


class PdfWriter:
    """Renders blocks to a PDF with embedded DejaVu subsets (real glyphs, ToUnicode maps)."""

    def __init__(self, font_dir: Path) -> None:
        _require_reportlab()
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, file in (("DejaVuSans", "DejaVuSans.ttf"), ("DejaVuSans-Bold", "DejaVuSans-Bold.ttf")):
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(font_dir / file)))
        from reportlab.lib.enums import TA_JUSTIFY

        base = ParagraphStyle("body", fontName="DejaVuSans", fontSize=9.5, leading=12.2, spaceAfter=4, alignment=TA_JUSTIFY)
        self.styles = {
            "p": base,
            "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5, spaceAfter=0, alignment=0),
            "title": ParagraphStyle("title", parent=base, fontName="DejaVuSans-Bold", fontSize=20, leading=25, spaceAfter=14, alignment=0),
            "h1": ParagraphStyle("h1", parent=base, fontName="DejaVuSans-Bold", fontSize=14, leading=18, spaceBefore=12, spaceAfter=6, alignment=0),
            "h2": ParagraphStyle("h2", parent=base, fontName="DejaVuSans-Bold", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4, alignment=0),
        }

    def _flowables(self, blocks: list[Block]) -> list[Any]:
        from xml.sax.saxutils import escape

        from reportlab.lib import colors
        from reportlab.lib.units import cm
        from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, Table, TableStyle

        st = self.styles
        out: list[Any] = []
        for kind, payload in blocks:
            if kind in ("p", "h1", "h2", "title"):
                out.append(Paragraph(escape(payload), st[kind]))
            elif kind in ("ol", "ul"):
                items = [ListItem(Paragraph(escape(t), st["p"]), leftIndent=18) for t in payload]
                if kind == "ol":
                    out.append(ListFlowable(items, bulletType="1", bulletFormat="%s.", bulletFontName="DejaVuSans", leftIndent=18))
                else:
                    out.append(ListFlowable(items, bulletType="bullet", start="•", bulletFontName="DejaVuSans", leftIndent=18))
            elif kind == "table":
                data = [[Paragraph(escape(str(c)), st["cell"]) for c in row] for row in payload]
                width = 17.0 * cm / len(payload[0])
                t = Table(data, colWidths=[width] * len(payload[0]), repeatRows=1)
                t.setStyle(TableStyle([
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf2")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]))
                out.append(t)
            elif kind == "pagebreak":
                out.append(PageBreak())
            elif kind == "annex":
                out.append(PageBreak())
                out.append(Paragraph(escape(payload[0]), st["h1"]))
                out.append(Paragraph(escape(payload[1]), st["p"]))
        return out

    def render(self, blocks: list[Block], path: Path, header: str, footer: str, title: str) -> int:
        """Write the PDF; return its page count."""
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import cm
        from reportlab.platypus import SimpleDocTemplate

        def on_page(canv: Any, doc: Any) -> None:
            canv.saveState()
            canv.setFont("DejaVuSans", 8)
            canv.drawString(2 * cm, A4[1] - 1.2 * cm, header)
            canv.drawRightString(A4[0] - 2 * cm, 1.2 * cm, footer.format(n=doc.page))
            canv.restoreState()

        doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=2 * cm,
                                bottomMargin=2 * cm, title=title, author="dpia-check benchmark", invariant=1)
        doc.build(self._flowables(blocks), onFirstPage=on_page, onLaterPages=on_page)
        return int(doc.page)


# ---------------------------------------------------------------------------
# Rendering with a headless Chromium (the way most real DPIAs become PDFs)
# ---------------------------------------------------------------------------


class BrowserPdfWriter:
    """Prints the same blocks as HTML with headless Chromium, through dpia-check's own
    memo printer (:func:`dpia_check.report.pdf.html_to_pdf`).

    reportlab writes compact text; a browser positions glyph runs one by one and embeds
    its own font subsets, which PDFium takes about twice as long per page to read. Real
    DPIAs are printed by browsers and word processors, so the benchmark has both kinds."""

    def __init__(self) -> None:
        sys.path.insert(0, str(REPO))
        from dpia_check.report import pdf as printer

        self.browser = printer.find_browser()
        if self.browser is None:
            raise SetupError("no Chromium-family browser found: install one (`apt-get install chromium`) or set DPIA_CHECK_CHROMIUM")
        self.printer = printer

    @staticmethod
    def html(blocks: list[Block], header: str, footer: str, title: str) -> str:
        from html import escape

        def css_string(text: str) -> str:
            return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

        before, _, after = footer.partition("{n}")
        page_no = f"{css_string(before)} counter(page) {css_string(after)}"
        body: list[str] = []
        for kind, payload in blocks:
            if kind in ("p", "h1", "h2"):
                body.append(f"<{kind}>{escape(payload)}</{kind}>")
            elif kind == "title":
                body.append(f'<h1 class="title">{escape(payload)}</h1>')
            elif kind in ("ol", "ul"):
                body.append(f"<{kind}>" + "".join(f"<li>{escape(t)}</li>" for t in payload) + f"</{kind}>")
            elif kind == "table":
                head, *rows = payload
                body.append("<table><thead><tr>" + "".join(f"<th>{escape(str(c))}</th>" for c in head) + "</tr></thead><tbody>"
                            + "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
                            + "</tbody></table>")
            elif kind == "pagebreak":
                body.append('<div class="break"></div>')
            elif kind == "annex":
                body.append(f'<h1 class="annex">{escape(payload[0])}</h1><p>{escape(payload[1])}</p>')
        return (
            f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title><style>'
            "@page { size: A4; margin: 2cm; "
            f"@top-left {{ content: {css_string(header)}; font: 8pt 'DejaVu Sans'; }} "
            f"@bottom-right {{ content: {page_no}; font: 8pt 'DejaVu Sans'; }} }}"
            "body { font: 9.5pt/1.3 'DejaVu Sans', sans-serif; text-align: justify; }"
            "h1 { font-size: 14pt; margin: 12pt 0 6pt; } h1.title { font-size: 20pt; } h2 { font-size: 11.5pt; margin: 8pt 0 4pt; }"
            "table { border-collapse: collapse; width: 100%; font-size: 8.5pt; text-align: left; margin: 4pt 0; }"
            "th, td { border: 0.4pt solid #888; padding: 2pt 3pt; vertical-align: top; } th { background: #e8ecf2; }"
            ".break, h1.annex { break-before: page; }"
            "</style></head><body>" + "".join(body) + "</body></html>"
        )

    def render(self, blocks: list[Block], path: Path, header: str, footer: str, title: str) -> int:
        """Write the PDF; return its page count."""
        import pypdfium2

        data = self.printer.html_to_pdf(self.html(blocks, header, footer, title), browser=self.browser, timeout=600)
        path.write_bytes(data)
        doc = pypdfium2.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()


_TJ_STRING = re.compile(rb"\(((?:[^()\\]|\\[0-7]{1,3}|\\.)*)\) ?Tj")
_TJ_UNIT = re.compile(rb"\\[0-7]{1,3}|\\.|[^\\]")


def _split_show(match: re.Match[bytes]) -> bytes:
    units = _TJ_UNIT.findall(match.group(1))
    return b"[" + b" 0 ".join(b"(" + u + b")" for u in units) + b"] TJ"


def fragment_text(path: Path) -> None:
    """Rewrite every ``(text) Tj`` as a ``TJ`` array with one glyph per element.

    Browsers and word processors position glyph runs individually (kerning), and pypdf's
    cost grows with the number of text fragments; reportlab writes whole lines. The
    zero adjustments keep the layout and the text exactly as they were.
    """
    import pypdf
    from pypdf.generic import DecodedStreamObject

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(str(path)))
    for page in writer.pages:
        contents = page.get_contents()
        if contents is None:
            continue
        stream = DecodedStreamObject()
        stream.set_data(_TJ_STRING.sub(_split_show, contents.get_data()))
        page.replace_contents(cast(Any, stream))  # accepted at run time; pypdf's annotation is narrower
        page.compress_content_streams()
    tmp = path.with_suffix(".tmp.pdf")
    with tmp.open("wb") as fh:
        writer.write(fh)
    tmp.replace(path)


def make_pdf(writer: PdfWriter | BrowserPdfWriter, lang: str, pages: int, path: Path, fragment: bool = True) -> int:
    """Render a ``pages``-page DPIA: estimate the operations needed, then pad with annex pages."""
    bank = EN if lang == "en" else SR
    header = bank["header"].format(system=bank["system"])
    footer = bank["footer"]
    if lang == "sr-Cyrl":
        cyr = _cyrillic()
        header, footer = cyr(header), cyr(footer)
    seed = {"en": 1, "sr-Latn": 2, "sr-Cyrl": 2}[lang] * 1000 + pages

    def render(n_ops: int, pad: int) -> int:
        blocks = localise(build_blocks(bank, n_ops, seed), lang)
        annex = localise([("annex", (bank["h"][5], bank["annex"]))], lang)
        return writer.render(blocks + annex * pad, path, header, footer, bank["title"])

    n_ops = max(1, pages - 4)
    got = render(n_ops, 0)
    for _ in range(4):  # shrink until it fits, keeping pages per operation in mind
        if got <= pages:
            break
        n_ops = max(1, int(n_ops * (pages - 1) / got))
        got = render(n_ops, 0)
    if got < pages:
        got = render(n_ops, pages - got)
    while got > pages and n_ops > 1:  # rare: the annex spilled over; drop an operation
        n_ops -= 1
        got = render(n_ops, 0)
        if got < pages:
            got = render(n_ops, pages - got)
    if fragment and isinstance(writer, PdfWriter):  # a browser's PDF is fragmented already
        fragment_text(path)
    return got


# ---------------------------------------------------------------------------
# YAML DPIAs for the batch
# ---------------------------------------------------------------------------

SAMPLES = ("hospital-booking.dpia.yaml", "border-anpr.dpia.yaml", "moi-2020.dpia.yaml")
_DROPPABLE = ("/consultation", "/necessity_proportionality", "/risks/0/measures", "/meta/dpo", "/processing/retention", "/review", "/measures/0")


def _drop(data: dict[str, Any], pointer: str) -> None:
    parts = pointer.strip("/").split("/")
    node: Any = data
    for p in parts[:-1]:
        node = node[int(p)] if isinstance(node, list) else node.get(p) if isinstance(node, dict) else None
        if node is None:
            return
    last = parts[-1]
    if isinstance(node, dict):
        node.pop(last, None)
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node.pop(int(last))


def make_yamls(out: Path, count: int) -> None:
    """``count`` variations of the shipped samples, deterministic (seeded)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    samples = [yaml.load((REPO / "samples" / s).read_text(encoding="utf-8"), Loader=loader) for s in SAMPLES]
    rng = random.Random(7)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("dpia-*.dpia.yaml"):
        old.unlink()
    for i in range(count):
        import copy

        data = copy.deepcopy(samples[i % len(samples)])
        meta = data.setdefault("meta", {})
        meta["title"] = f"{meta.get('title', 'DPIA')} — variant {i:04d}"
        scale = data.get("processing", {}).get("scale")
        if isinstance(scale, dict) and isinstance(scale.get("subjects"), int):
            scale["subjects"] = scale["subjects"] + rng.randrange(0, 5000)
        if rng.random() < 0.3:
            _drop(data, rng.choice(_DROPPABLE))
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
        (out / f"dpia-{i:04d}.dpia.yaml").write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------


def generate(
    out: Path, pages: list[int], langs: list[str], yaml_count: int, font_dir: str | None = None, quiet: bool = False, fragment: bool = True,
    browser_pages: list[int] | None = None,
) -> dict[str, Path]:
    """Write every input that is missing; return name -> path.

    ``browser_pages``: also print these page counts with headless Chromium
    (``dpia-<lang>-<pages>-browser.pdf``); skipped, with a note, when no browser is found."""
    out.mkdir(parents=True, exist_ok=True)
    made: dict[str, Path] = {}
    small = out / "small.yaml"
    shutil.copyfile(REPO / "samples" / "hospital-booking.dpia.yaml", small)
    made["small.yaml"] = small
    shutil.copyfile(REPO / "samples" / "moi-2020.dpia.yaml", out / "moi-2020.yaml")
    made["moi-2020.yaml"] = out / "moi-2020.yaml"
    if yaml_count:
        ydir = out / f"yaml-{yaml_count}"
        if not (ydir / f"dpia-{yaml_count - 1:04d}.dpia.yaml").is_file():
            make_yamls(ydir, yaml_count)
            if not quiet:
                print(f"wrote {yaml_count} YAML DPIAs to {ydir}", file=sys.stderr)
        made[ydir.name] = ydir
    def make_all(suffix: str, counts: list[int], new_writer: Callable[[], PdfWriter | BrowserPdfWriter], optional: bool) -> None:
        writer: PdfWriter | BrowserPdfWriter | None = None
        for lang in langs:
            for n in counts:
                path = out / f"dpia-{lang}-{n}{suffix}.pdf"
                if not path.is_file():
                    if writer is None:
                        try:
                            writer = new_writer()
                        except SetupError as exc:
                            if not optional:
                                raise
                            if not quiet:
                                print(f"no dpia-*{suffix}.pdf: {exc}", file=sys.stderr)
                            return
                    got = make_pdf(writer, lang, n, path, fragment)
                    if not quiet:
                        print(f"wrote {path} ({got} pages)", file=sys.stderr)
                made[path.name] = path

    make_all("", pages, lambda: PdfWriter(find_font_dir(font_dir)), optional=False)
    make_all("-browser", browser_pages or [], BrowserPdfWriter, optional=True)  # only where a browser is installed
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / ".inputs", help="output folder (default benchmarks/.inputs)")
    ap.add_argument("--pages", type=int, nargs="*", default=[10, 50, 200], help="PDF page counts (none: no PDFs)")
    ap.add_argument("--langs", nargs="*", default=list(LANGS), choices=LANGS)
    ap.add_argument("--yaml", type=int, default=1000, help="how many YAML DPIAs for the batch")
    ap.add_argument("--font-dir", help="folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf")
    ap.add_argument("--force", action="store_true", help="regenerate files that already exist")
    ap.add_argument("--browser-pages", type=int, nargs="*", default=[200], help="page counts to print with headless Chromium as well (none: no browser PDFs)")
    ap.add_argument("--plain", action="store_true", help="keep reportlab's whole-line text operators (pypdf reads them ~2x faster than browser-style PDFs)")
    args = ap.parse_args(argv)
    if args.force and args.out.is_dir():
        for f in args.out.glob("dpia-*.pdf"):
            f.unlink()
        for d in args.out.glob("yaml-*"):
            shutil.rmtree(d)
    try:
        generate(args.out, args.pages, args.langs, args.yaml, args.font_dir, fragment=not args.plain, browser_pages=args.browser_pages)
    except SetupError as exc:
        print(f"gen_inputs: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
