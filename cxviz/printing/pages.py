"""The HTML pages of printable canvases, made from Jinja templates.

Filled canvases leave the page's area empty in HTML and get the Graphviz
diagram placed into it (see :mod:`cxviz.printing.pdf`); blank canvases fill
it with empty zones and their guiding questions from a template per kind.

Templates are named as they are looked up:

* ``canvas/<file>``: the page every canvas shares (``canvas/base.html.j2``,
  its ``canvas/canvas.css.j2``), the filled canvas (``canvas/filled.html.j2``),
  a pack's cover (``canvas/cover.html.j2``) and a tiled poster's sheet map
  (``canvas/tiles.html.j2``), from this package's ``templates/`` folder;
* ``canvas/blank/<kind>.html.j2``: a kind's blank canvas, from the file
  ``blank.html.j2`` in the kind's own folder (its ``Kind.folder`` in
  :mod:`cxviz.registry`, so a registered kind's template is found as a
  built-in one's).

A user's folder of templates is searched first, by the same names: a file
``canvas/base.html.j2`` or ``canvas/blank/journey.html.j2`` in it is used
instead of the built-in one.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..fonts import font_file
from ..locale import Catalogue
from ..registry import get_kind
from ..theme import FONT_FAMILY, PALETTE
from .paper import Paper, frame_for

__all__ = ["TEMPLATE_DIR", "template_environment", "page_html", "blank_template", "meta_rows", "footer_line",
           "designed_for"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

_BLANK = "blank/"
_SUFFIX = ".html.j2"


def blank_template(kind_name: str) -> str:
    """The name a kind's blank canvas template is looked up by."""
    return f"canvas/{_BLANK}{kind_name}{_SUFFIX}"


def _kind_blank_source(name: str):
    """``blank/<kind>.html.j2`` (below ``canvas/``): the kind's own ``blank.html.j2``, or None."""
    kind_name = name[len(_BLANK):-len(_SUFFIX)] if name.startswith(_BLANK) and name.endswith(_SUFFIX) else ""
    kind = get_kind(kind_name) if kind_name else None
    path = kind.blank_template_path if kind is not None else None
    if path is None:
        return None
    try:
        source, mtime = path.read_text(encoding="utf-8"), path.stat().st_mtime
    except FileNotFoundError:
        return None

    def uptodate() -> bool:
        try:
            return path.stat().st_mtime == mtime
        except OSError:
            return False

    return source, str(path), uptodate


def template_environment(user_dir: Path | None = None):
    """A Jinja environment reading the user's templates first, then the built-in ones."""
    import jinja2

    loaders = []
    if user_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_dir)))
    built_in = jinja2.ChoiceLoader([jinja2.FunctionLoader(_kind_blank_source),
                                    jinja2.FileSystemLoader(str(TEMPLATE_DIR))])
    loaders.append(jinja2.PrefixLoader({"canvas": built_in}))
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


def designed_for(model) -> str:
    """Whom a canvas is designed for: the persona it draws or is about, else its ``who``."""
    from ..kinds.persona.model import Persona

    for candidate in (getattr(model, "persona", None), model):
        if isinstance(candidate, Persona):
            return candidate.name
    return getattr(model, "who", None) or ""


def meta_rows(locale: Catalogue, model=None) -> list[tuple[str, str]]:
    """The header's "designed for / by / date / version" rows, empty to fill in without a model."""
    if model is None:
        return [(locale["common.designed_for"], ""), (locale["common.designed_by"], ""),
                (locale["common.date"], ""), (locale["common.version"], "")]
    return [
        (locale["common.designed_for"], designed_for(model)),
        (locale["common.designed_by"], ", ".join(model.authors)),
        (locale["common.date"], model.date or ""),
        (locale["common.version"], model.version or ""),
    ]


def footer_line(title: str, model=None) -> str:
    """The footer: the title, and the model's version and date when it has them."""
    parts = [title] + ([p for p in (model.version, model.date) if p] if model is not None else [])
    return " · ".join(parts)


class _Words:
    """Lets templates write ``words.page`` or ``words["journey.lanes.pains"]``."""

    def __init__(self, locale: Catalogue):
        self._locale = locale

    def __getattr__(self, name: str) -> Any:
        return self._locale[f"common.{name}"]

    def __getitem__(self, key: str) -> Any:
        return self._locale[key]
