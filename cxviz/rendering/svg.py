"""Finishing Graphviz's SVG so it stands alone.

Graphviz draws; this module makes the result fit to publish:

* a ``<title>`` and ``<desc>`` for screen readers, and the document language;
* the drawing font embedded (only the glyphs used), so text fits its box in
  any viewer exactly as Graphviz measured it;
* right-to-left lines marked as such, so a browser orders Arabic correctly
  and keeps each line where Graphviz put it;
* overlays drawn on top (a persona's photo, embedded as data);
* no comments, version strings, timestamps or paths: the same input always
  gives the same bytes.
"""

from __future__ import annotations

import html
import re
import unicodedata

from ..fonts import embedded_font_css
from ..graph.dot import clean

__all__ = ["finish_svg", "first_strong_direction"]

_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_GV_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")
_ANCHOR = re.compile(r'text-anchor="(start|end|middle)"')


def first_strong_direction(text: str) -> str:
    """``rtl`` or ``ltr`` from the first letter with a strong direction (as HTML's dir=auto)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _mark_direction(match: re.Match) -> str:
    attributes, content = match.group(1), match.group(2)
    if first_strong_direction(html.unescape(content)) != "rtl":
        return match.group(0)
    # Graphviz anchors a line by its left edge ("start") or right edge ("end")
    # in left-to-right terms; in a right-to-left line those words swap.
    swapped = _ANCHOR.sub(
        lambda m: {"start": 'text-anchor="end"', "end": 'text-anchor="start"'}.get(m.group(1), m.group(0)),
        attributes,
    )
    return f'<text{swapped} direction="rtl">{content}</text>'


def _used_characters(svg: str) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {"regular": set(), "bold": set()}
    for match in _TEXT.finditer(svg):
        weight = "bold" if 'font-weight="bold"' in match.group(1) else "regular"
        used[weight].update(html.unescape(match.group(2)))
    return used


def finish_svg(
    svg: str,
    *,
    title: str,
    description: str,
    lang: str,
    overlays: tuple[str, ...] = (),
    embed_font: bool = True,
) -> str:
    """Turn Graphviz's SVG output into cxviz's published SVG."""
    svg = _COMMENT.sub("", svg)
    svg = _GV_TITLE.sub("", svg)
    svg = _TEXT.sub(_mark_direction, svg)
    if overlays:
        closing = svg.rindex("</g>")
        svg = svg[:closing] + "".join(overlays) + "\n" + svg[closing:]
    head = _SVG_OPEN.search(svg)
    if head is None:
        raise ValueError("Graphviz output holds no <svg> element")
    opening = head.group(0)[:-1].rstrip("/")
    opening += f' role="img" aria-labelledby="cxviz-title cxviz-desc" xml:lang="{html.escape(lang, quote=True)}">'
    inserted = [
        f'\n<title id="cxviz-title">{html.escape(clean(title), quote=False)}</title>',
        f'\n<desc id="cxviz-desc">{html.escape(clean(description), quote=False)}</desc>',
    ]
    if embed_font:
        css = embedded_font_css(_used_characters(svg))
        if css:
            inserted.append(f"\n<style>{css}</style>")
    return svg[: head.start()] + opening + "".join(inserted) + svg[head.end():]
