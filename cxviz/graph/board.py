"""A board: a drawing whose every box is placed by cxviz and drawn by Graphviz.

Journey maps, empathy maps and persona cards are grids, not graphs: their
layout is computed here, in points with the origin at the top left, and
written as DOT for ``neato -n2``, which keeps every position as given. Text
is wrapped with :mod:`cxviz.fonts`, which measures with the very font
Graphviz draws with, so boxes fit their text.

A right-to-left board mirrors itself: callers lay out left to right and the
board flips every x and every alignment when ``rtl`` is set.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from ..fonts import measurer
from ..scene import Element, Scene
from ..theme import FONT_FAMILY, PALETTE
from .dot import DotGraph, Html, ImageOverlay, Literal, TextStyle, attrs, position, quote, styled_text, wrap

__all__ = ["Board", "CANVAS", "TextStyle", "smooth_curve"]

_DPI = 72.0


class Board:
    """Boxes, text, lines and curves at fixed positions: a scene's shapes, written as DOT.

    Shapes are drawn inside :meth:`element` blocks, which name the scene
    element they show; every shape becomes a DOT node or edge carrying that
    element's id and class. The height may be left open until the drawing
    is done (a card that grows with its content): shapes are kept in
    top-left coordinates and only placed when the board is written.
    """

    def __init__(self, width: float, height: float | None = None, *, kind: str, rtl: bool = False,
                 in_order: bool = False):
        self.width = width
        self.height = height
        self.rtl = rtl
        self.scene = Scene(kind)
        #: Paint shapes in the order they were added (a curve under the
        #: marks on it); otherwise every line is painted over every box.
        self.in_order = in_order
        self._shapes: list[_Shape] = []
        self._overlays: list[ImageOverlay] = []
        self._owners = [self.scene.add(CANVAS, "canvas")]
        self._parts: dict[str, int] = {}

    # -- text measuring -----------------------------------------------------
    @staticmethod
    def wrap(text: str, width: float, style: TextStyle) -> list[str]:
        """Lines of ``text`` that fit ``width`` points in ``style``."""
        return wrap(text, width, style)

    @staticmethod
    def text_width(text: str, style: TextStyle) -> float:
        return measurer().width(text, style.size, style.bold)

    @staticmethod
    def text_height(lines: int, style: TextStyle) -> float:
        return lines * style.line_height

    # -- scene elements -------------------------------------------------------
    def element(self, id: str, role: str, text: str = "", *,
                relations: tuple[tuple[str, str], ...] = ()) -> "_Drawing":
        """Draw the shapes of one scene element (inside the element drawn around it), in a ``with`` block."""
        return _Drawing(self, self.scene.add(id, role, text, parent=self._owners[-1].id, relations=relations))

    def _part(self) -> tuple[str, Element]:
        """The id of the next shape of the current element, and the element."""
        owner = self._owners[-1]
        count = self._parts.get(owner.id, 0)
        self._parts[owner.id] = count + 1
        return (owner.id if count == 0 else f"{owner.id}-{count}"), owner

    def _add(self, shape_type, *, part: str | None = None, **values) -> None:
        if part is None:
            part, owner = self._part()
        else:
            owner = self._owners[-1]
        # Ids are spec paths and safe names (see cxviz.scene): DOT takes them quoted as they are.
        self._shapes.append(shape_type(Literal(f'"{part}"'), Literal(f'"{owner.css_class}"'), **values))

    # -- drawing ---------------------------------------------------------------
    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        *,
        fill: str | None = None,
        stroke: str | None = PALETTE.rule,
        penwidth: float = 1.0,
        rounded: bool = False,
        dashed: bool = False,
        tooltip: str | None = None,
    ) -> None:
        """A rectangle; ``stroke=None`` draws none."""
        self._add(_Box, x=x, y=y, w=w, h=h, shape="box", fill=fill, stroke=stroke, penwidth=penwidth,
                  rounded=rounded, dashed=dashed, tooltip=tooltip)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, *, fill: str, stroke: str, penwidth: float = 1.0) -> None:
        self._add(_Box, x=cx - rx, y=cy - ry, w=2 * rx, h=2 * ry, shape="ellipse", fill=fill, stroke=stroke,
                  penwidth=penwidth, rounded=False, dashed=False, tooltip=None)

    def text(
        self,
        x: float,
        y: float,
        w: float,
        lines: list[str],
        style: TextStyle,
        *,
        align: str = "left",
        h: float | None = None,
        valign: str = "top",
    ) -> float:
        """Lines of text in a box ``w`` wide; returns the height they take."""
        height = h if h is not None else self.text_height(len(lines), style)
        if lines:
            self._add(_Text, x=x, y=y, w=w, h=height, lines=tuple(lines), style=style, align=align, valign=valign)
        return height

    def line(
        self,
        points: list[tuple[float, float]],
        *,
        colour: str = PALETTE.faint,
        width: float = 1.0,
        dashed: bool = False,
    ) -> None:
        """A straight polyline through ``points``."""
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            control = ((x1, y1), (x1 + (x2 - x1) / 3, y1 + (y2 - y1) / 3),
                       (x1 + 2 * (x2 - x1) / 3, y1 + 2 * (y2 - y1) / 3), (x2, y2))
            self._add(_Path, control=control, colour=colour, width=width, dashed=dashed)

    def curve(self, points: list[tuple[float, float]], *, colour: str, width: float = 2.5) -> None:
        """A smooth curve through ``points`` (a Catmull-Rom spline)."""
        if len(points) < 2:
            return
        self._add(_Path, control=tuple(smooth_curve(points)), colour=colour, width=width, dashed=False)

    def image(self, x: float, y: float, w: float, h: float, data_uri: str, *, circle: bool = False) -> None:
        """An embedded image, drawn over the board (Graphviz never reads it)."""
        owner = self._owners[-1]
        self._overlays.append(ImageOverlay(x, y, w, h, data_uri, circle, f"{owner.id}-image", owner.css_class))

    # -- output ----------------------------------------------------------------
    def to_graph(self) -> DotGraph:
        """The DOT source for ``neato -n2``."""
        if self.height is None:
            raise ValueError("a board's height must be set before it is written")
        # Graphviz sizes a drawing to what is drawn, not to its bounding box:
        # two invisible corners keep the board's margins and the overlays in register.
        with self.element(CANVAS, "canvas"):
            for corner, (x, y) in (("top", (0.0, 0.0)), ("bottom", (self.width - 1, self.height - 1))):
                self._add(_Box, part=f"{CANVAS}-{corner}", x=x, y=y, w=1, h=1, shape="box", fill=None,
                          stroke=None, penwidth=0.0, rounded=False, dashed=False, tooltip=None)
        writer = _DotWriter(self.width, self.height, self.rtl)
        shapes = self._shapes[-2:] + self._shapes[:-2]  # the corners first, as Graphviz sizes by them
        nodes = [writer.node(shape) for shape in shapes if not isinstance(shape, _Path)]
        edges = [writer.path(shape) for shape in shapes if isinstance(shape, _Path)]
        painted = shapes if self.in_order else [s for s in shapes if not isinstance(s, _Path)] + [
            s for s in shapes if isinstance(s, _Path)]
        head = attrs(
            id="diagram",
            bb=f"0,0,{self.width:.2f},{self.height:.2f}",
            pad=0.0,
            outputorder=None if self.in_order else "nodesfirst",
            splines=True,
            bgcolor=PALETTE.paper,
        )
        lines = [
            f"digraph {quote(self.scene.kind)} {{",
            f"  graph {head};",
            f"  node {attrs(fontname=FONT_FAMILY, margin=0.0)};",
            *(f"  {item};" for item in nodes + writer.anchors),
            *(f"  {edge};" for edge in edges),
            "}",
        ]
        overlays = tuple(
            dataclasses.replace(o, x=self.width - o.x - o.width) if self.rtl else o for o in self._overlays
        )
        return DotGraph("\n".join(lines) + "\n", engine="neato", overlays=overlays,
                        order=tuple(shape.id.strip('"') for shape in painted), scene=self.scene)


#: The element every board has: the sheet itself, and whatever is drawn outside any other element.
CANVAS = "canvas"


class _Drawing:
    """The ``with`` block of :meth:`Board.element`: shapes drawn inside belong to the element.

    A plain class rather than a generator-based context manager: a journey
    map opens hundreds of these.
    """

    __slots__ = ("board", "element")

    def __init__(self, board: Board, element: Element):
        self.board, self.element = board, element

    def __enter__(self) -> Element:
        self.board._owners.append(self.element)
        return self.element

    def __exit__(self, *exc_info) -> None:
        self.board._owners.pop()


@dataclass(slots=True)
class _Placed:
    """A shape in a box, in points from the board's top left (before mirroring)."""

    id: str
    css_class: str
    x: float
    y: float
    w: float
    h: float


@dataclass(slots=True)
class _Box(_Placed):
    shape: str
    fill: str | None
    stroke: str | None
    penwidth: float
    rounded: bool
    dashed: bool
    tooltip: str | None


@dataclass(slots=True)
class _Text(_Placed):
    lines: tuple[str, ...]
    style: TextStyle
    align: str
    valign: str


@dataclass(slots=True)
class _Path:
    id: str
    css_class: str
    control: tuple[tuple[float, float], ...]
    colour: str
    width: float
    dashed: bool


_Shape = _Box | _Text | _Path


class _DotWriter:
    """Writes a board's shapes as DOT nodes and edges, mirrored for right to left."""

    def __init__(self, width: float, height: float, rtl: bool):
        self.width, self.height, self.rtl = width, height, rtl
        self.anchors: list[str] = []

    def _x(self, x: float, w: float = 0.0) -> float:
        """The left edge of a box after mirroring."""
        return self.width - x - w if self.rtl else x

    def _align(self, align: str) -> str:
        if self.rtl and align in ("left", "right"):
            return "right" if align == "left" else "left"
        return align

    def _place(self, shape, w: float, h: float) -> dict:
        left = self._x(shape.x, w)
        return {
            "id": shape.id,
            "class": shape.css_class,
            "pos": position((left + w / 2, self.height - (shape.y + h / 2)), pinned=True),
            "width": _inches(w),
            "height": _inches(h),
            "fixedsize": True,
        }

    def node(self, shape: _Box | _Text) -> str:
        name = shape.id
        if isinstance(shape, _Text):
            align = self._align(shape.align)
            font = styled_text(list(shape.lines), shape.style, align)
            cell_w, cell_h = max(1, int(shape.w)), max(1, int(math.ceil(shape.h)))
            label = (
                f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" FIXEDSIZE="TRUE" '
                f'WIDTH="{cell_w}" HEIGHT="{cell_h}"><TR><TD FIXEDSIZE="TRUE" WIDTH="{cell_w}" '
                f'HEIGHT="{cell_h}" ALIGN="{align.upper()}" BALIGN="{align.upper()}" '
                f'VALIGN="{shape.valign.upper()}">{font}</TD></TR></TABLE>'
            )
            return f"{name} " + attrs(shape="none", margin=0.0, label=Html(label),
                                      **self._place(shape, cell_w, cell_h))
        if shape.shape == "ellipse":
            return f"{name} " + attrs(shape="ellipse", label="", style="filled", fillcolor=shape.fill,
                                      color=shape.stroke, penwidth=float(shape.penwidth),
                                      **self._place(shape, shape.w, shape.h))
        styles = []
        if shape.fill:
            styles.append("filled")
        if shape.rounded:
            styles.append("rounded")
        if shape.dashed:
            styles.append("dashed")
        if shape.stroke is None and not shape.fill:
            styles.append("invis")
        return f"{name} " + attrs(
            shape="box", label="", style=",".join(styles) or None, fillcolor=shape.fill,
            color=shape.stroke or shape.fill, penwidth=float(shape.penwidth) if shape.stroke else 0.0,
            tooltip=shape.tooltip, **self._place(shape, shape.w, shape.h),
        )

    def path(self, shape: _Path) -> str:
        start = self._anchor(shape, shape.control[0], "start")
        end = self._anchor(shape, shape.control[-1], "end")
        pos = position(*((self._x(px), self.height - py) for px, py in shape.control))
        return f"{start} -> {end} " + attrs(
            id=shape.id, **{"class": shape.css_class}, pos=pos, dir="none", color=shape.colour,
            penwidth=float(shape.width), style="dashed" if shape.dashed else None,
        )

    def _anchor(self, shape: _Path, point: tuple[float, float], end: str) -> str:
        """An invisible point a line starts or ends at; named after the line."""
        name = Literal(f'{shape.id[:-1]}-{end}"')
        x, y = point
        self.anchors.append(f"{name} " + attrs(
            id=name, shape="point", style="invis", width=0.01, height=0.01, fixedsize=True,
            pos=position((self._x(x), self.height - y), pinned=True),
        ))
        return name


def _inches(points: float) -> float:
    return max(points, 0.01) / _DPI


def smooth_curve(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Bezier control points of a Catmull-Rom curve through ``points``.

    Control points are clamped between neighbouring points' heights so the
    curve never swings past a score it does not have.
    """
    result = [points[0]]
    for i in range(len(points) - 1):
        p0 = points[i - 1] if i > 0 else points[i]
        p1, p2 = points[i], points[i + 1]
        p3 = points[i + 2] if i + 2 < len(points) else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        low, high = min(p1[1], p2[1]), max(p1[1], p2[1])
        c1 = (c1[0], min(max(c1[1], low), high))
        c2 = (c2[0], min(max(c2[1], low), high))
        result.extend([c1, c2, p2])
    return result
