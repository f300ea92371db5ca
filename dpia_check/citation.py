"""Citations of the LPDP as the law numbers them: ``Art. 54(6)(3)``.

Paragraphs (stav) are counted in order, points (tačke) belong to their paragraph;
Art. 18 has a single paragraph, cited as 1. See docs/law-numbering.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Citation:
    article: int
    paragraph: int | None = None
    point: int | None = None
    law: str = "LPDP"

    @property
    def text(self) -> str:
        out = f"Art. {self.article}"
        if self.paragraph is not None:
            out += f"({self.paragraph})"
            if self.point is not None:
                out += f"({self.point})"
        return out

    def text_in(self, lang: str) -> str:
        """Serbian readers cite 'čl. 54 st. 6 tač. 3'."""
        if not lang.startswith("sr"):
            return self.text
        out = f"čl. {self.article}."
        if self.paragraph is not None:
            out += f" st. {self.paragraph}."
            if self.point is not None:
                out += f" tač. {self.point})"
        if lang == "sr-Cyrl":
            from dpia_check.textprep import to_cyrillic

            return to_cyrillic(out)
        return out

    def sort_key(self) -> tuple[int, int, int]:
        return (self.article, self.paragraph or 0, self.point or 0)

    def to_dict(self) -> dict[str, Any]:
        return {"law": self.law, "article": self.article, "paragraph": self.paragraph, "point": self.point, "text": self.text}
