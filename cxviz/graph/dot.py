"""Writing DOT safely.

All user text reaches Graphviz through :func:`html_text` (inside HTML-like
labels) or :func:`quote` (inside double-quoted strings), so no spec can ever
inject DOT, HTML or SVG syntax.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

import graphviz

from ..fonts import LINE_SPACING, measurer
from ..scene import Element, Scene
from ..theme import FONT_FAMILY, PALETTE
from ..text import clean

__all__ = ["DotGraph", "ImageOverlay", "Html", "Literal", "named", "position", "TextStyle", "quote", "html_text", "attrs", "html_lines", "styled_text", "wrap"]


@dataclass(frozen=True)
class ImageOverlay:
    """An embedded image drawn over a diagram, in points from its top-left corner.

    Graphviz never reads the image: it is placed into the finished SVG or PDF.
    """

    x: float
    y: float
    width: float
    height: float
    href: str  # a data: URI
    circle: bool = False
    #: The id and class of the image in the SVG (named after the element it shows).
    id: str = ""
    css_class: str = ""


@dataclass(frozen=True)
class DotGraph:
    """A graph ready for Graphviz.

    ``engine`` is ``dot`` for layered layouts or ``neato`` for boards whose
    every position is fixed (run as ``neato -n2``, with no padding, so that
    overlay coordinates match the drawing's). ``overlays`` are images drawn
    over the result (a persona's embedded photo).
    """

    source: str
    engine: str = "dot"
    overlays: tuple[ImageOverlay, ...] = field(default=())
    #: The ids of the drawn shapes in the order they must be painted (a board's),
    #: or of the clusters (a layered graph's): Graphviz's own order can change
    #: with what it laid out before in the same run.
    order: tuple[str, ...] = field(default=())
    #: The elements the graph draws, by id.
    scene: "Scene | None" = field(default=None, compare=False)


@dataclass(frozen=True)
class TextStyle:
    """How a run of label text looks: size in points, colour, weight, slant."""

    size: float = 13
    colour: str = PALETTE.ink
    bold: bool = False
    italic: bool = False

    @property
    def line_height(self) -> float:
        return self.size * LINE_SPACING


def wrap(text: str, width: float, style: TextStyle) -> list[str]:
    """Lines of ``text`` no wider than ``width`` points in ``style``."""
    return measurer().wrap(text, width, style.size, style.bold)


class Html(str):
    """A value written as an HTML-like label ``<...>`` rather than a quoted string."""


class Literal(str):
    """A value cxviz made that is already valid DOT (a number list, an id): written as it is.

    Positions are written by the thousand and never repeat, so they skip the
    escaping that user text needs. Only for text cxviz formats itself.
    """


def position(*points: tuple[float, float], pinned: bool = False) -> Literal:
    """A DOT ``pos`` value: points in points, ``!`` when a node must not move."""
    text = " ".join(f"{x:.2f},{y:.2f}" for x, y in points)
    return Literal(f'"{text}!"' if pinned else f'"{text}"')


def quote(value: object) -> str:
    """A DOT identifier or string for ``value``, quoted and escaped where DOT needs it."""
    return _quoted(str(value))


@lru_cache(maxsize=16384)
def _quoted(text: str) -> str:
    # Colours, styles and sizes repeat thousands of times in a large diagram.
    # escape() doubles backslashes, so no user text can form a DOT escape such as \l;
    # nohtml() keeps text that looks like <...> a quoted string, never an HTML label.
    escaped = graphviz.escape(clean(text)).replace("\n", "\\n")
    return graphviz.quoting.quote(graphviz.nohtml(escaped))


_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_COMPOUND_NUMBER = re.compile(r"(?<![\d\u200e])(\d+(?:[-/.:]\d+)+)")


def keep_numbers_whole(text: str) -> str:
    """Keep dates and times (2025-05-31, 09:30) in reading order inside right-to-left text.

    After an Arabic letter, the bidirectional algorithm treats digits as
    Arabic numbers and the separators between them as neutral, so a browser
    shows 2025-05-31 as 31-05-2025. A left-to-right mark before the number
    keeps it whole.
    """
    if not _RTL_LETTER.search(text):
        return text
    return _COMPOUND_NUMBER.sub("\u200e\\1", text)


def html_text(text: str) -> str:
    """User text escaped for an HTML-like label."""
    return (
        keep_numbers_whole(clean(text))
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("]", "&#93;")
        .replace("[", "&#91;")
    )


def html_lines(lines: list[str], align: str = "LEFT") -> str:
    """Escaped lines joined by line breaks that keep ``align``."""
    return f'<BR ALIGN="{align}"/>'.join(html_text(line) for line in lines)


def _value(value: object) -> str:
    kind = type(value)
    if kind is str:
        return _quoted(value)
    if kind is float:  # a DOT numeral needs no quotes, and positions rarely repeat
        return f"{value:.4f}".rstrip("0").rstrip(".")
    if kind is Literal:
        return value
    if isinstance(value, Html):
        return f"<{value}>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return quote(value)


def named(element: Element, part: str | None = None) -> dict[str, str]:
    """The DOT ``id`` and ``class`` of one shape of a scene element (``part`` for a further shape)."""
    return {"id": element.id if part is None else f"{element.id}-{part}", "class": element.css_class}


def attrs(**values: object) -> str:
    """``[key="value", ...]`` for the values that are not None."""
    parts = [f"{key}={_value(v)}" for key, v in values.items() if v is not None]
    return f"[{', '.join(parts)}]" if parts else ""


def styled_text(lines: list[str], style: TextStyle, align: str = "LEFT") -> str:
    """Escaped lines as an HTML-like ``<FONT>`` run in ``style``.

    Italics apply to lines without right-to-left letters only: Arabic and
    Hebrew have no italic in the font, and Graphviz would slant the upright
    letters instead. A line stays one run, so that its words keep their order.
    """
    if not any(line.strip() for line in lines):
        return ""  # Graphviz rejects an empty <FONT> element
    upright = [bool(_RTL_LETTER.search(line)) for line in lines] if style.italic else []
    if style.italic and any(upright):
        separator = f'<BR ALIGN="{align.upper()}"/>'
        body = separator.join(html_text(line) if flat or not line.strip() else f"<I>{html_text(line)}</I>"
                              for line, flat in zip(lines, upright))
        return f'<FONT FACE="{FONT_FAMILY}" POINT-SIZE="{style.size:g}" COLOR="{style.colour}">' + (
            f"<B>{body}</B>" if style.bold else body) + "</FONT>"
    body = html_lines(lines, align.upper())
    if style.bold:
        body = f"<B>{body}</B>"
    if style.italic:
        body = f"<I>{body}</I>"
    return f'<FONT FACE="{FONT_FAMILY}" POINT-SIZE="{style.size:g}" COLOR="{style.colour}">{body}</FONT>'
