"""Finishing Graphviz's SVG so it stands alone.

Graphviz draws; this module makes the result fit to publish:

* a ``<title>`` and ``<desc>`` for screen readers, and the document language;
* the drawing font embedded (only the glyphs used), so text fits its box in
  any viewer exactly as Graphviz measured it;
* right-to-left lines marked as such, so a browser orders Arabic correctly
  and keeps each line where Graphviz put it;
* overlays drawn on top (a persona's photo, embedded as data);
* nodes of class ``cxviz-pill`` (rounded boxes) given fully round ends,
  which Graphviz cannot draw (it caps the corner radius at a few points);
* no comments, version strings, timestamps or paths: the same input always
  gives the same bytes.
"""

from __future__ import annotations

import html
import re
import unicodedata

from ..fonts import embedded_font_css
from ..graph.dot import ImageOverlay, clean

__all__ = ["finish_svg", "inline_svg", "first_strong_direction", "used_characters"]

_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
_GV_TITLE = re.compile(r"<title>[^<]*</title>\n?")
# Graphviz numbers the later graphs of a batch as pages; a diagram is the same alone or in a batch.
_PAGE_ID = re.compile(r'id="page\d+,\d+_')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")
_ANCHOR = re.compile(r'text-anchor="(start|end|middle)"')
# Read after group openings have their hyphens back (see _GROUP_OPEN).
_PILL_NODE = re.compile(r'(<g id="[^"]*" class="node[^"]*\bcxviz-pill\b[^"]*">)(.*?)(</g>)', re.S)
_OUTLINE = re.compile(r'<path ([^>]*?)d="([^"]*)"/>')
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


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


def _pill_outline(match: re.Match) -> str:
    numbers = [float(n) for n in _NUMBER.findall(match.group(2))]
    xs, ys = numbers[0::2], numbers[1::2]
    x, y, width, height = min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
    return (f'<rect {match.group(1)}x="{x:g}" y="{y:g}" width="{width:g}" height="{height:g}" '
            f'rx="{height / 2:g}"/>')


def _round_pill(match: re.Match) -> str:
    return match.group(1) + _OUTLINE.sub(_pill_outline, match.group(2)) + match.group(3)


_CLUSTER = re.compile(r'<g id="([^"]*)" class="cluster[^"]*">\n.*?</g>\n', re.S)


def _sort_clusters(svg: str, order: dict[str, int]) -> str:
    """Clusters in the order the graph declares them.

    Graphviz draws clusters in an order that follows where their names sit
    in memory, which differs between a graph laid out alone and in a batch.
    """
    slots = list(_CLUSTER.finditer(svg))
    if len(slots) < 2:
        return svg
    blocks = sorted(slots, key=lambda m: order.get(m.group(1), -1))
    pieces, last = [], 0
    for slot, block in zip(slots, blocks):
        pieces += [svg[last:slot.start()], block.group(0)]
        last = slot.end()
    return "".join(pieces) + svg[last:]


_PAINTED = re.compile(r'<g id="([^"]*)" class="(?:node|edge)[^"]*">')


def _paint_in_order(svg: str, order: dict[str, int]) -> str:
    """Nodes and edges of a board in the order the board painted them (see Board)."""
    starts = [m.start() for m in _PAINTED.finditer(svg)]
    if len(starts) < 2:
        return svg
    end = svg.rindex("</g>\n</svg>")  # where the graph's group closes
    chunks = [svg[a:b] for a, b in zip(starts, starts[1:] + [end])]
    chunks.sort(key=lambda chunk: order.get(_PAINTED.match(chunk).group(1), -1))
    return svg[: starts[0]] + "".join(chunks) + svg[end:]


# Graphviz writes a hyphen in an attribute as "&#45;"; ids and classes read better plain.
_GROUP_OPEN = re.compile(r'<g id="[^"]*" class="[^"]*">')
# An invisible node, edge or cluster (a layout helper) leaves an empty group once its title is gone.
_EMPTY_GROUP = re.compile(r'<g id="[^"]*" class="(?:node|edge|cluster)[^"]*">\n</g>\n')


def _plain_hyphens(match: re.Match) -> str:
    opening = match.group(0)
    return opening.replace("&#45;", "-") if "&#45;" in opening else opening


def used_characters(svg: str) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {"regular": set(), "bold": set()}
    for match in _TEXT.finditer(svg):
        weight = "bold" if 'font-weight="bold"' in match.group(1) else "regular"
        used[weight].update(html.unescape(match.group(2)))
    return used


def _overlay_svg(overlays: tuple[ImageOverlay, ...]) -> str:
    parts = []
    for index, image in enumerate(overlays, start=1):
        name = image.id or f"cxviz-image{index}"
        clip = ""
        if image.circle:
            parts.append(
                f'<clipPath id="{name}-clip"><circle cx="{image.x + image.width / 2:.2f}" '
                f'cy="{image.y + image.height / 2:.2f}" r="{min(image.width, image.height) / 2:.2f}"/></clipPath>'
            )
            clip = f' clip-path="url(#{name}-clip)"'
        css = f' class="{image.css_class}"' if image.css_class else ""
        parts.append(
            f'<image id="{name}"{css} x="{image.x:.2f}" y="{image.y:.2f}" width="{image.width:.2f}" '
            f'height="{image.height:.2f}" preserveAspectRatio="xMidYMid slice"{clip} href="{image.href}"/>'
        )
    return "".join(parts) + "\n"


_ID = re.compile(r'\bid="([^"]+)"')
_PROLOG = re.compile(r"^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)


def _prefix_ids(svg: str, prefix: str) -> str:
    """Give every id (and every reference to one) a prefix, so several SVGs can share a page."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    names = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    svg = re.sub(rf'\bid="({names})"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(rf"url\(#({names})\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(rf'href="#({names})"', lambda m: f'href="#{prefix}{m.group(1)}"', svg)
    return re.sub(r'aria-labelledby="([^"]*)"',
                  lambda m: 'aria-labelledby="' + " ".join(prefix + i for i in m.group(1).split()) + '"', svg)


def inline_svg(svg: str, prefix: str) -> str:
    """A finished SVG ready to sit inside an HTML page: no XML prolog, ids made unique by ``prefix``."""
    return _prefix_ids(_PROLOG.sub("", svg), prefix)


def finish_svg(
    svg: str,
    *,
    title: str,
    description: str,
    lang: str,
    overlays: tuple[ImageOverlay, ...] = (),
    order: tuple[str, ...] = (),
    embed_font: bool = True,
) -> str:
    """Turn Graphviz's SVG output into cxviz's published SVG.

    ``order`` lists the ids of a board's shapes in painting order, or a
    layered graph's clusters in the order they were declared.
    """
    svg = _COMMENT.sub("", svg)
    svg = _GV_TITLE.sub("", svg)
    svg = _PAGE_ID.sub('id="', svg)
    svg = _GROUP_OPEN.sub(_plain_hyphens, svg)
    svg = _EMPTY_GROUP.sub("", svg)
    ranks = {name: index for index, name in enumerate(order)}
    svg = _sort_clusters(svg, ranks)
    svg = _paint_in_order(svg, ranks)
    svg = _TEXT.sub(_mark_direction, svg)
    svg = _PILL_NODE.sub(_round_pill, svg)
    if overlays:
        closing = svg.rindex("</svg>")
        svg = svg[:closing] + _overlay_svg(overlays) + svg[closing:]
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
        css = embedded_font_css(used_characters(svg))
        if css:
            inserted.append(f"\n<style>{css}</style>")
    return svg[: head.start()] + opening + "".join(inserted) + svg[head.end():]
