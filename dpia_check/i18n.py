"""Bilingual text for rules and reports: English and Serbian (Latin, Cyrillic derived)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LANGS = ("en", "sr-Latn", "sr-Cyrl")


def normalise_lang(lang: str | None) -> str:
    """Accept en, sr, sr-Latn, sr-Cyrl (any case); unknown -> en."""
    if not lang:
        return "en"
    low = lang.lower()
    if low in ("sr-cyrl", "sr_cyrl", "cyrl", "sr-cyr"):
        return "sr-Cyrl"
    if low.startswith("sr"):
        return "sr-Latn"
    return "en"


@dataclass(frozen=True)
class Text:
    """A string in English and Serbian Latin; Cyrillic is transliterated on demand."""

    en: str
    sr: str

    def get(self, lang: str) -> str:
        lang = normalise_lang(lang)
        if lang == "en":
            return self.en
        if lang == "sr-Cyrl":
            from dpia_check.textprep import to_cyrillic

            return to_cyrillic(self.sr)
        return self.sr

    def to_dict(self) -> dict[str, str]:
        return {"en": self.en, "sr": self.sr}

    @staticmethod
    def of(data: Any) -> Text:
        return Text(en=str(data["en"]).strip(), sr=str(data["sr"]).strip())


def tr(lang: str, en: str, sr: str) -> str:
    """Inline bilingual string for report chrome (headings, labels)."""
    return Text(en, sr).get(lang)
