"""Printable canvases: page geometry and the HTML pages the templates make.

A canvas page is a header (title, kind, "designed for / by / date /
version"), an *area*, and a footer. Filled canvases leave the area empty in
HTML and get the Graphviz diagram placed into it (see
:mod:`cxviz.rendering.pdf`); blank canvases fill it with empty zones and
their guiding questions from a template per kind.

Templates are looked up in the user's folder first, then in the package's own ``templates/`` folder.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .fonts import font_file
from .locale import Catalogue
from .paper import Paper
from .theme import FONT_FAMILY, PALETTE

__all__ = ["Frame", "frame_for", "TEMPLATE_DIR", "template_environment", "page_html"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Frame:
    """Where things go on one sheet, in millimetres from the top left."""

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


def template_environment(user_dir: Path | None = None):
    """A Jinja environment reading the user's templates first, then the built-in ones."""
    import jinja2

    loaders = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATE_DIR)))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def page_html(
    template: str,
    *,
    sheet: Paper,
    locale: Catalogue,
    title: str,
    subtitle: str,
    meta: list[tuple[str, str]],
    footer: str,
    pages: int = 1,
    authors: tuple[str, ...] = (),
    user_templates: Path | None = None,
    **extra: Any,
) -> str:
    """Render a canvas template to HTML for WeasyPrint.

    Every value reaches the HTML through Jinja's autoescaping, so spec text
    can never become markup.
    """
    frame = frame_for(sheet)
    environment = template_environment(user_templates)
    accents = {
        "blue": PALETTE.blue, "green": PALETTE.green, "orange": PALETTE.orange,
        "vermillion": PALETTE.vermillion, "purple": PALETTE.purple, "sky": PALETTE.sky,
    }
    return environment.get_template(template).render(
        frame=frame.as_dict(),
        font={"family": FONT_FAMILY, "regular": font_file("regular").as_uri(), "bold": font_file("bold").as_uri()},
        palette=asdict(PALETTE),
        accents=accents,
        lang=locale.lang,
        direction=locale.direction,
        start="right" if locale.rtl else "left",
        end="left" if locale.rtl else "right",
        words=_Words(locale),
        number=locale.number,
        title=title,
        subtitle=subtitle,
        meta=meta,
        footer=footer,
        pages=list(range(pages)),
        authors=authors,
        **extra,
    )


class _Words:
    """Lets templates write ``words.page`` or ``words["journey.lanes.pains"]``."""

    def __init__(self, locale: Catalogue):
        self._locale = locale

    def __getattr__(self, name: str) -> Any:
        return self._locale[f"common.{name}"]

    def __getitem__(self, key: str) -> Any:
        return self._locale[key]
