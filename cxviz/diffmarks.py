"""Marking what changed on the new version's SVG.

:func:`mark_svg` takes the SVG of a spec's new version, its scene and the
changes from :func:`cxviz.diffing.diff_scenes`, and returns the same drawing
with the changes marked:

* every shape of an added thing, and of everything inside it, gets the class
  ``cxviz-diff-added``; of a moved thing (and what moved with it)
  ``cxviz-diff-moved``; of a changed thing (and the shapes that draw its
  text) ``cxviz-diff-changed``. A thing's own mark wins over one it inherits,
  so a pain reworded inside a moved step shows as changed;
* the first shape of each marked thing also gets ``cxviz-diff-outline``, and a
  ``<style>`` draws that outline thick and solid (added), dashed (changed) or
  dotted (moved): the kinds differ in pattern, not only in colour, so a
  greyscale print keeps them apart;
* a small badge, ``+``, ``~`` or ``↕``, sits on the top-left corner of each
  changed thing's first shape;
* a legend (``<g id="diff-legend">``) under the drawing says what the marks
  mean in the spec's language and lists what was removed, since a removed
  thing has no shape in the new version. The SVG grows to make room;
* given the old version's SVG and scene, the legend also shows each removed
  thing as a ghost: its shapes as the old version drew them, faded, in a
  dash-dot frame with a ``−`` badge (``cxviz-diff-removed``). A removed
  connection between user-flow steps is only listed: a line alone says
  little away from the steps it joined.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .fonts import LINE_SPACING, measurer
from .theme import FONT_FAMILY

__all__ = ["MARKS", "mark_svg", "removed_labels"]

#: The change kinds drawn on the SVG: class suffix, badge, outline colour and dash pattern.
MARKS = {
    "added": ("+", "#007a5a", ""),
    "changed": ("~", "#b35900", "9 4"),
    "moved": ("↕", "#0062a3", "1.5 4"),
    "removed": ("−", "#52606d", "7 3 1.5 3"),
}
_MAX_REMOVED = 8
_GHOST_HEIGHT = 160.0  # a ghost may be this tall, in points, or half the drawing
_GHOST_OPACITY = 0.4
_BADGE = 9.0  # radius, in points
_SIZE = 12.0  # legend body text, in points
_TITLE_SIZE = 13.0
_MARGIN = 36.0

_GROUP = re.compile(r'<g id="([^"]*)" class="([^"]*)">(.*?)</g>', re.S)
_GRAPH = re.compile(r'<g id="[^"]*" class="graph" transform="([^"]*)">')
_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_SHAPE_NUMBERS = re.compile(r'\b(?:points|d)="([^"]*)"|\b(?:x|cx)="(-?[\d.]+)"[^>]*?\b(?:y|cy)="(-?[\d.]+)"')
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_SHAPE_SUFFIX = re.compile(r"-(?:\d+|image)$")
_TEXT = re.compile(r"<text\b([^>]*)>(.*?)</text>", re.S)
_TAG = re.compile(r"<[^>]+>")
# Ids and references a ghost must not repeat: the new drawing may use the same ids.
_GHOST_DROPPED = re.compile(r'\s(?:id|clip-path)="[^"]*"')


def _descendants(scene) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for element in scene:
        if element.parent is not None:
            children.setdefault(element.parent, []).append(element.id)
    return children


def _marks(scene, changes) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each marked element id with its kind, and the (id, kind) of each change itself, to badge."""
    children = _descendants(scene)

    def below(id: str, same_text: bool = False):
        text = scene.elements[id].text if id in scene.elements else None
        for child in children.get(id, ()):
            if same_text and scene.elements[child].text != text:
                continue
            yield child
            yield from below(child, same_text)

    inherited: dict[str, str] = {}
    own: dict[str, str] = {}
    badges: list[tuple[str, str]] = []
    for change in changes:
        if change.change not in MARKS or change.new_id is None:
            continue
        own[change.new_id] = change.change
        badges.append((change.new_id, change.change))
        # A changed thing's text is often drawn by a child repeating it (a step's action).
        for child in below(change.new_id, same_text=change.change == "changed"):
            inherited.setdefault(child, change.change)
    return {**inherited, **own}, badges


def _element_of(group_id: str, marks: dict[str, str]) -> str | None:
    """The marked element a shape belongs to: its own id, or ``<id>-<n>`` / ``<id>-image``."""
    if group_id in marks:
        return group_id
    base = _SHAPE_SUFFIX.sub("", group_id)
    return base if base != group_id and base in marks else None


def _attribute(attributes: str, name: str, default: str = "") -> str:
    match = re.search(rf'\b{name}="([^"]*)"', attributes)
    return match.group(1) if match else default


def _bounds(content: str) -> tuple[float, float, float, float] | None:
    """The box (left, top, right, bottom) a group's shapes and text cover, in its own coordinates."""
    xs: list[float] = []
    ys: list[float] = []
    for match in _TEXT.finditer(content):
        attributes = match.group(1)
        x, y = float(_attribute(attributes, "x", "0")), float(_attribute(attributes, "y", "0"))
        size = float(_attribute(attributes, "font-size", "14"))
        width = measurer().width(html.unescape(_TAG.sub("", match.group(2))), size,
                                 bold=_attribute(attributes, "font-weight") == "bold")
        anchor = _attribute(attributes, "text-anchor", "start")
        if _attribute(attributes, "direction") == "rtl":  # a right-to-left line starts at its right end
            anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
        left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
        xs += [left, left + width]
        ys += [y - size, y + size * 0.3]
    corner_free = _TEXT.sub("", content)
    for match in _SHAPE_NUMBERS.finditer(corner_free):
        if match.group(1) is not None:
            numbers = [float(n) for n in _NUMBER.findall(match.group(1))]
            xs += numbers[0::2]
            ys += numbers[1::2]
        else:
            xs.append(float(match.group(2)))
            ys.append(float(match.group(3)))
    return (min(xs), min(ys), max(xs), max(ys)) if xs and ys else None


@dataclass(frozen=True)
class _Ghost:
    """A removed thing's shapes from the old drawing, and the box they cover there."""

    shapes: str
    box: tuple[float, float, float, float]


def _ghosts(old_svg: str, old_scene, changes) -> list[_Ghost]:
    """The first :data:`_MAX_REMOVED` removed things (connections aside) as drawn in the old version."""
    groups = [(html.unescape(id), classes, content) for id, classes, content in _GROUP.findall(old_svg)]
    children = _descendants(old_scene)
    ghosts = []
    for change in changes:
        if change.change != "removed" or change.role == "edge" or change.old_id is None:
            continue
        members = {change.old_id}
        pending = [change.old_id]
        while pending:
            for child in children.get(pending.pop(), ()):
                members.add(child)
                pending.append(child)
        shapes, boxes = [], []
        for id, classes, content in groups:
            if _element_of(id, members) is None:
                continue
            box = _bounds(content)
            if box is not None:
                boxes.append(box)
            flat = _GHOST_DROPPED.sub("", content).replace("\n", "")
            shapes.append(f'<g class="{classes} cxviz-diff-removed">{flat}</g>')
        if boxes:
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                   max(b[2] for b in boxes), max(b[3] for b in boxes))
            ghosts.append(_Ghost("".join(shapes), box))
        if len(ghosts) == _MAX_REMOVED:
            break
    return ghosts


def _ghost_row(ghosts: list[_Ghost], inner: float, top: float, at, rtl: bool,
               tallest: float) -> tuple[str, float]:
    """The ghosts laid out in rows along the reading direction from ``top``, and the rows' height.

    A ghost keeps its size where it fits across the drawing and is no taller
    than ``tallest``; a larger one (a whole stage) is shrunk to fit.
    """
    pad, gap = 8.0, 24.0
    parts = []
    offset = row_height = 0.0
    y = top
    for ghost in ghosts:
        left, upper, right, lower = ghost.box
        width, height = max(right - left, 1.0), max(lower - upper, 1.0)
        scale = min(1.0, tallest / height, (inner - 2 * pad) / width)
        framed_width, framed_height = width * scale + 2 * pad, height * scale + 2 * pad
        if offset and offset + framed_width > inner:
            offset, y, row_height = 0.0, y + row_height + gap, 0.0
        frame_left = at(offset + framed_width) if rtl else at(offset)
        place_x, place_y = frame_left + pad - left * scale, y + pad - upper * scale
        _, colour, dashes = MARKS["removed"]
        parts.append(
            f'<g class="cxviz-diff-ghost cxviz-diff-removed">'
            f'<rect x="{frame_left:.2f}" y="{y:.2f}" width="{framed_width:.2f}" height="{framed_height:.2f}" '
            f'rx="4" fill="#ffffff" stroke="{colour}" stroke-width="2" stroke-dasharray="{dashes}"/>'
            f'<g opacity="{_GHOST_OPACITY:g}" transform="translate({place_x:.2f} {place_y:.2f}) scale({scale:.4f})">'
            f'{ghost.shapes}</g>{_badge("removed", frame_left if not rtl else frame_left + framed_width, y)}</g>')
        offset += framed_width + gap
        row_height = max(row_height, framed_height)
    return "".join(parts), (y + row_height - top) if ghosts else 0.0


def _style() -> str:
    shapes = ("path", "polygon", "ellipse", "rect", "polyline")
    rules = []
    for kind, (_, colour, dashes) in MARKS.items():
        selector = ",".join(f".cxviz-diff-{kind}.cxviz-diff-outline {shape}" for shape in shapes)
        dash = f"stroke-dasharray:{dashes};stroke-linecap:round;" if dashes else ""
        rules.append(f"{selector}{{stroke:{colour};stroke-width:3.5px;{dash}}}")
    return "<style>" + "".join(rules) + "</style>"


def _badge(kind: str, x: float, y: float) -> str:
    symbol, colour, _ = MARKS[kind]
    return (f'<g class="cxviz-diff-badge cxviz-diff-{kind}"><circle cx="{x:.2f}" cy="{y:.2f}" r="{_BADGE:g}" '
            f'fill="{colour}" stroke="#ffffff" stroke-width="1.5"/><text x="{x:.2f}" y="{y + 4.5:.2f}" '
            f'text-anchor="middle" font-family="{FONT_FAMILY}" font-weight="bold" font-size="13" '
            f'fill="#ffffff">{html.escape(symbol)}</text></g>')


def removed_labels(changes) -> list[str]:
    """What each removal names, quoted: its text, or for a connection the two things it joined."""
    labels = []
    for change in changes:
        if change.change != "removed":
            continue
        text = " ".join((change.old_text or "").split())
        if change.role == "edge":
            ends = re.sub(r'"([^"]*)"', r"“\1”", change.path_label)
            labels.append(f"{ends} ({text})" if text else ends)
        else:
            labels.append(f"“{text if len(text) <= 48 else text[:47] + '…'}”")
    return labels


def _text(x: float, y: float, content: str, *, rtl: bool, size: float = _SIZE, bold: bool = False,
          anchor: str | None = None) -> str:
    weight = ' font-weight="bold"' if bold else ""
    # In a right-to-left line "start" is its right end, so both directions anchor where reading starts.
    anchor = anchor or "start"
    direction = ' direction="rtl"' if rtl else ""
    return (f'<text x="{x:.2f}" y="{y:.2f}" text-anchor="{anchor}"{direction} font-family="{FONT_FAMILY}"'
            f'{weight} font-size="{size:g}" fill="#1f2933">{html.escape(content, quote=False)}</text>')


def _legend(words, changes, width: float, top: float, ghosts: list[_Ghost]) -> tuple[str, float]:
    """The legend's SVG, laid out from ``top`` (the drawing's height) across ``width``, and its height."""
    drawing_height = top
    rtl = words.get("dir") == "rtl"
    inner = width - 2 * _MARGIN
    start = width - _MARGIN if rtl else _MARGIN

    def at(offset: float) -> float:  # a distance along the reading direction
        return start - offset if rtl else start + offset

    step = _SIZE * LINE_SPACING + 6
    parts = []
    y = top + _MARGIN * 0.75 + _TITLE_SIZE
    parts.append(_text(at(0), y, words["diff.legend"], rtl=rtl, size=_TITLE_SIZE, bold=True))
    y += step + 16
    offset = 0.0
    removed = removed_labels(changes)
    for kind, (symbol, colour, dashes) in MARKS.items():
        if kind == "removed" and not removed:
            continue
        label = words[f"diff.{kind}"]
        item = 38 + measurer().width(label, _SIZE)
        if offset and offset + item > inner:  # a narrow drawing: the next sample on a row of its own
            offset, y = 0.0, y + step + 14
        box_left = at(offset + 28) if rtl else at(offset)
        dash = f' stroke-dasharray="{dashes}" stroke-linecap="round"' if dashes else ""
        parts.append(f'<rect class="cxviz-diff-{kind}" x="{box_left:.2f}" y="{y - 15:.2f}" width="28" height="20" '
                     f'rx="3" fill="#ffffff" stroke="{colour}" stroke-width="3.5"{dash}/>')
        parts.append(_badge(kind, box_left if not rtl else box_left + 28, y - 15))
        parts.append(_text(at(offset + 38), y, label, rtl=rtl))
        offset += item + 36
    if removed:
        shown = ", ".join(removed[:_MAX_REMOVED])
        if len(removed) > _MAX_REMOVED:
            shown += " " + words.format("diff.more", count=len(removed) - _MAX_REMOVED)
        line = f"{words['diff.removed']}: {shown}"
        line_pieces = measurer().wrap(line, inner, _SIZE)
        for piece in line_pieces:
            y += step + (6 if piece is line_pieces[0] else 0)
            parts.append(_text(at(0), y, piece, rtl=rtl))
    if ghosts:
        row, row_height = _ghost_row(ghosts, inner, y + 18, at, rtl, max(_GHOST_HEIGHT, drawing_height / 2))
        parts.append(row)
        y += 18 + row_height
    height = y - top + _MARGIN * 0.75
    background = (f'<rect x="0" y="{top:.2f}" width="{width:.2f}" height="{height:.2f}" fill="#ffffff"/>'
                  f'<line x1="{_MARGIN:g}" y1="{top + 0.5:.2f}" x2="{width - _MARGIN:.2f}" y2="{top + 0.5:.2f}" '
                  f'stroke="#cbd2d9" stroke-width="1"/>')
    return f'<g id="diff-legend">{background}{"".join(parts)}</g>\n', height


def _grow(opening: str, height: float, extra: float) -> str:
    """The ``<svg>`` tag with its viewBox and height enlarged by ``extra`` points."""
    def box(match: re.Match) -> str:
        x, y, w, h = (float(n) for n in match.group(1).split())
        return f'viewBox="{x:.2f} {y:.2f} {w:.2f} {h + extra:.2f}"'

    def tall(match: re.Match) -> str:
        value, unit = float(match.group(1)), match.group(2)
        return f'height="{value * (height + extra) / height:.0f}{unit}"'

    opening = re.sub(r'viewBox="([^"]*)"', box, opening, count=1)
    return re.sub(r'\bheight="([\d.]+)([a-z]*)"', tall, opening, count=1)


def mark_svg(svg: str, scene, changes, words, *, font_css=None, old=None) -> str:
    """The SVG with the changes marked and a legend added (see the module's description).

    ``words`` is the spec's :class:`~cxviz.locale.Catalogue`; ``font_css``,
    when given, turns the characters the marked SVG draws into ``@font-face``
    rules (so the legend's words are embedded too); ``old``, the old
    version's ``(svg, scene)``, adds the ghosts of removed things.
    """
    marks, badged = _marks(scene, changes)
    corners: dict[str, tuple[float, float]] = {}

    def mark(match: re.Match) -> str:
        group_id, classes, content = match.group(1), match.group(2), match.group(3)
        element = _element_of(html.unescape(group_id), marks)
        if element is None:
            return match.group(0)
        added = f" cxviz-diff-{marks[element]}"
        if group_id == element:
            added += " cxviz-diff-outline"
        box = _bounds(content)
        if box is not None and element not in corners:
            corners[element] = box[:2]
        return f'<g id="{group_id}" class="{classes}{added}">{content}</g>'

    svg = _GROUP.sub(mark, svg)
    graph = _GRAPH.search(svg)
    head = _SVG_OPEN.search(svg)
    if head is None:
        raise ValueError("the SVG holds no <svg> element")
    box = [float(n) for n in re.search(r'viewBox="([^"]*)"', head.group(0)).group(1).split()]
    height_match = re.search(r'\bheight="([\d.]+)', head.group(0))
    ghosts = _ghosts(*old, changes) if old is not None else []
    legend, legend_height = _legend(words, changes, box[2], box[1] + box[3], ghosts)
    badges = "".join(_badge(kind, *corners[id]) for id, kind in badged if id in corners)
    transform = graph.group(1) if graph else ""
    closing = svg.rindex("</svg>")
    svg = (svg[:closing] + f'<g id="diff-badges" transform="{transform}">{badges}</g>\n' + legend
           + svg[closing:])
    opening = _grow(head.group(0), float(height_match.group(1)) if height_match else box[3], legend_height)
    inserted = _style()
    if font_css is not None:
        css = font_css(svg)
        if css:
            inserted = f"<style>{css}</style>" + inserted
    # After the title and description, where the drawing's own style sits.
    desc_end = svg.find("</desc>", head.end())
    at = desc_end + len("</desc>") if desc_end != -1 else head.end()
    return svg[: head.start()] + opening + svg[head.end():at] + "\n" + inserted + svg[at:]
