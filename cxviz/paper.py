"""Paper sizes and page geometry for printable canvases."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

__all__ = ["Paper", "PAPERS", "paper", "MM"]

#: PDF points per millimetre.
MM = 72 / 25.4


@dataclass(frozen=True)
class Paper:
    """A sheet size in millimetres, portrait (width <= height) unless turned."""

    name: str
    width: float
    height: float

    def oriented(self, orientation: str) -> "Paper":
        """The same sheet, turned to ``landscape`` or ``portrait``."""
        short, long = sorted((self.width, self.height))
        if orientation == "landscape":
            return Paper(self.name, long, short)
        return Paper(self.name, short, long)

    @property
    def orientation(self) -> str:
        return "landscape" if self.width > self.height else "portrait"

    @property
    def scale(self) -> float:
        """How much larger than A4 the sheet is, along its short side (A3: 1.41, A0: 4)."""
        return min(self.width, self.height) / 210.0

    @property
    def css_size(self) -> str:
        return f"{self.width:g}mm {self.height:g}mm"


PAPERS = {
    "a4": Paper("A4", 210, 297),
    "a3": Paper("A3", 297, 420),
    "a2": Paper("A2", 420, 594),
    "a1": Paper("A1", 594, 841),
    "a0": Paper("A0", 841, 1189),
    "letter": Paper("Letter", 215.9, 279.4),
    "tabloid": Paper("Tabloid", 279.4, 431.8),
}


def paper(name: str) -> Paper:
    """The paper called ``name`` (case does not matter); ValueError lists the choices."""
    found = PAPERS.get(name.lower())
    if found is None:
        choices = ", ".join(p.name for p in PAPERS.values())
        close = difflib.get_close_matches(name.lower(), list(PAPERS), n=1, cutoff=0.5)
        hint = f"; did you mean {PAPERS[close[0]].name!r}?" if close else ""
        raise ValueError(f"unknown paper {name!r} (must be one of {choices}){hint}")
    return found
