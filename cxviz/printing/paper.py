"""Sheets: paper sizes, and where the parts of a canvas go on a sheet."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass

__all__ = ["Paper", "PAPERS", "paper", "MM", "Frame", "frame_for"]

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


@dataclass(frozen=True)
class Frame:
    """Where things go on one sheet, in millimetres from the top left.

    A canvas page is a header (title, kind, "designed for / by / date /
    version"), an *area* for the diagram or the blank zones, and a footer.
    """

    width: float
    height: float
    margin: float
    header: float
    footer: float
    gap: float
    rule: float
    body_pt: float
    caption_pt: float
    heading_pt: float
    title_pt: float
    fill_in: float
    grid: float
    dot: float

    @property
    def area_x(self) -> float:
        return self.margin

    @property
    def area_y(self) -> float:
        return self.margin + self.header + self.gap

    @property
    def area_w(self) -> float:
        return self.width - 2 * self.margin

    @property
    def area_h(self) -> float:
        return self.height - self.area_y - self.gap - self.footer - self.margin / 2

    @property
    def meta_w(self) -> float:
        """Width of the "designed for / by / date / version" block."""
        return 2 * self.fill_in

    @property
    def heading_w(self) -> float:
        return self.area_w - self.meta_w - self.gap

    def as_dict(self) -> dict[str, float]:
        """Every measure, the computed ones too, rounded for the templates."""
        values = asdict(self)
        values.update(area_x=self.area_x, area_y=self.area_y, area_w=self.area_w, area_h=self.area_h,
                      meta_w=self.meta_w, heading_w=self.heading_w)
        return {k: round(v, 3) for k, v in values.items()}


def frame_for(sheet: Paper) -> Frame:
    """The geometry of a canvas on ``sheet``; everything grows with the paper.

    Body text is 9 pt on A4 and grows with the short side, so an A3 print
    has 12.7 pt body text and an A0 poster 36 pt.
    """
    s = sheet.scale
    return Frame(
        width=sheet.width,
        height=sheet.height,
        margin=10 * s,
        header=24 * s,
        footer=6 * s,
        gap=5 * s,
        rule=0.35 * s,
        body_pt=9 * s,
        caption_pt=7.5 * s,
        heading_pt=11 * s,
        title_pt=16 * s,
        fill_in=35 * s,
        # Sticky notes are 76 mm square; dots every 76/4 mm let them line up at any size.
        grid=19.0,
        dot=0.35 + 0.1 * s,
    )
