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

The header's boxes have a fixed height, so its words are fitted to them
before printing (:func:`fit_header`): they wrap, then shrink, and only then
are cut short with an ellipsis; nothing crosses the header's rule. Dates and
versions are isolated as left-to-right text, so that a right-to-left page
prints 2025-03-20 as written.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..fonts import font_file, measurer
from ..locale import Catalogue
from ..registry import get_kind
from ..theme import FONT_FAMILY, PALETTE
from .paper import MM, Frame, Paper, frame_for

__all__ = ["TEMPLATE_DIR", "template_environment", "page_html", "blank_template", "meta_rows", "footer_line",
           "footer_stamp", "designed_for", "fit_header", "HeaderFit"]

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
    stamp: tuple[str, ...] = (),
    **extra: Any,
) -> str:
    """Render a canvas template to HTML for WeasyPrint.

    Every value reaches the HTML through Jinja's autoescaping, so spec text
    can never become markup. ``footer`` is the footer's name for the
    canvas, ``stamp`` the version and date printed after it; templates get
    them with ``header``, the header's words fitted to its boxes.
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
        stamp=stamp,
        header=fit_header(frame, title, subtitle, meta),
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


def ltr(text: str):
    """Text that keeps its left-to-right order on a right-to-left page (a date, a version)."""
    from markupsafe import Markup

    return Markup('<bdi dir="ltr">%s</bdi>') % text if text else ""


def meta_rows(locale: Catalogue, model=None) -> list[tuple[str, str]]:
    """The header's "designed for / by / date / version" rows, empty to fill in without a model."""
    if model is None:
        return [(locale["common.designed_for"], ""), (locale["common.designed_by"], ""),
                (locale["common.date"], ""), (locale["common.version"], "")]
    return [
        (locale["common.designed_for"], designed_for(model)),
        (locale["common.designed_by"], ", ".join(model.authors)),
        (locale["common.date"], ltr(model.date or "")),
        (locale["common.version"], ltr(model.version or "")),
    ]


def footer_stamp(model) -> tuple[str, ...]:
    """What the footer prints after the title: the model's version and date, when it has them."""
    return tuple(part for part in (model.version, model.date) if part)


def footer_line(title: str, model=None) -> str:
    """The footer as one line of text: the title, and the model's version and date when it has them."""
    return " · ".join([title, *(footer_stamp(model) if model is not None else ())])


@dataclass(frozen=True)
class HeaderFit:
    """The header's words as they fit its boxes: sizes in points, and each text as printed.

    ``title`` and the values of ``meta`` end with an ellipsis when even the
    smallest size could not hold them whole.
    """

    title: str
    title_pt: float
    subtitle: str
    subtitle_pt: float
    meta: list[tuple[str, str]]
    meta_pt: float
    line: float  # line height of the subtitle and the meta rows, as a multiple of their size
    title_line: float


#: How much smaller than their design the header's words may print before they are cut short.
_SHRINK = (1.0, 0.92, 0.85, 0.78, 0.72)
#: Line heights the stylesheet sets, so that the fitting below can count on them.
_LINE, _TITLE_LINE = 1.25, 1.15
#: Browsers break lines a little differently: fit as if boxes were this much narrower.
_SLACK = 0.95
_ELLIPSIS = "…"


def _plain(text) -> str:
    striptags = getattr(text, "striptags", None)
    return striptags() if striptags else str(text or "")


def _wrap(text: str, width: float, size: float, bold: bool) -> list[str]:
    return measurer().wrap(text, width * _SLACK, size, bold) if text else []


def _cut(text: str, width: float, size: float, bold: bool, lines: int) -> str:
    """``text`` cut to ``lines`` lines of ``width`` points, ending with an ellipsis if anything was left out."""
    wrapped = _wrap(text, width, size, bold)
    if len(wrapped) <= lines:
        return text
    kept = wrapped[:lines]
    last = kept[-1]
    while last and measurer().width(last + _ELLIPSIS, size, bold) > width * _SLACK:
        last = last[:-1]
    return " ".join(kept[:-1] + [last.rstrip() + _ELLIPSIS]) if lines > 1 else last.rstrip() + _ELLIPSIS


def fit_header(frame: Frame, title: str, subtitle: str, meta: list[tuple[str, str]]) -> HeaderFit:
    """Sizes and texts that keep the header's words inside its boxes, above its rule.

    The title, then the subtitle, fill the heading box; the meta rows fill
    theirs. Each shrinks in steps down to about three quarters of its size
    before its longest texts are cut short.
    """
    height = (frame.header - frame.gap / 4) * MM  # a little air above the rule
    heading_w, gap = frame.heading_w * MM, frame.gap * MM
    subtitle_pt = frame.caption_pt
    subtitle_lines = _wrap(subtitle, heading_w, subtitle_pt, False)[:1]
    subtitle_h = gap / 4 + len(subtitle_lines) * subtitle_pt * _LINE
    title_pt, title_text = frame.title_pt, title
    for factor in _SHRINK:
        title_pt = frame.title_pt * factor
        lines = len(_wrap(title, heading_w, title_pt, True))
        if lines * title_pt * _TITLE_LINE + subtitle_h <= height:
            break
    else:
        room = max(1, int((height - subtitle_h) // (title_pt * _TITLE_LINE)))
        title_text = _cut(title, heading_w, title_pt, True, room)
    subtitle_text = _cut(subtitle, heading_w, subtitle_pt, False, 1)

    label_w = (frame.meta_w - frame.fill_in - 2 * frame.gap / 3) * MM
    value_w = frame.fill_in * MM
    pad = (frame.gap / 8 + frame.rule / 2) * MM  # under each row: its padding and its rule

    def rows_height(size: float, values: list[str]) -> tuple[float, list[int]]:
        counts = [max(len(_wrap(_plain(label), label_w, size, False)), len(_wrap(value, value_w, size, True)), 1)
                  for (label, _), value in zip(meta, values)]
        return sum(counts) * size * _LINE + pad * len(counts), counts

    values = [_plain(value) for _, value in meta]
    meta_pt = frame.caption_pt
    for factor in _SHRINK:
        meta_pt = frame.caption_pt * factor
        total, counts = rows_height(meta_pt, values)
        if total <= height:
            break
    else:
        # Cut the longest values a line at a time until the rows fit.
        while total > height and max(counts) > 1:
            longest = counts.index(max(counts))
            values[longest] = _cut(values[longest], value_w, meta_pt, True, counts[longest] - 1)
            total, counts = rows_height(meta_pt, values)
    fitted = [(label, value if _plain(value) == text else text) for (label, value), text in zip(meta, values)]
    return HeaderFit(title_text, round(title_pt, 2), subtitle_text, round(subtitle_pt, 2), fitted, round(meta_pt, 2),
                     _LINE, _TITLE_LINE)


class _Words:
    """Lets templates write ``words.page`` or ``words["journey.lanes.pains"]``."""

    def __init__(self, locale: Catalogue):
        self._locale = locale

    def __getattr__(self, name: str) -> Any:
        return self._locale[f"common.{name}"]

    def __getitem__(self, key: str) -> Any:
        return self._locale[key]
