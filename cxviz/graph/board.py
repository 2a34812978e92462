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

import math

from ..fonts import measurer
from ..theme import FONT_FAMILY, PALETTE
from .dot import DotGraph, Html, ImageOverlay, Literal, TextStyle, attrs, position, quote, styled_text, wrap

__all__ = ["Board", "TextStyle", "smooth_curve"]

_DPI = 72.0


class Board:
    """Boxes, text, lines and curves at fixed positions, written as DOT."""

    def __init__(self, width: float, height: float, *, rtl: bool = False, title: str = "cxviz",
                 in_order: bool = False):
        self.width = width
        self.height = height
        self.rtl = rtl
        self.title = title
        #: Paint boxes and lines in the order they were added (a curve under the
        #: marks on it); otherwise every line is painted over every box.
        self.in_order = in_order
        self._items: list[str] = []
        self._edges: list[str] = []
        self._overlays: list[str] = []
        self._count = 0
        self._painted = 0

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

    # -- coordinates ----------------------------------------------------------
    def _x(self, x: float, w: float = 0.0) -> float:
        """The left edge of a box after mirroring."""
        return self.width - x - w if self.rtl else x

    def _align(self, align: str) -> str:
        if self.rtl and align in ("left", "right"):
            return "right" if align == "left" else "left"
        return align

    def _name(self) -> str:
        self._count += 1
        return f"b{self._count}"

    def _paint_id(self, edge: bool = False) -> str:
        """An id that fixes when a node or edge is painted.

        Graphviz's own painting order can change with what it laid out
        before in the same run; the finished SVG is sorted by these ids
        instead (cxviz.rendering.svg). Without ``in_order`` every line comes
        after every box.
        """
        self._painted += 1
        order = self._painted + (_EDGES_LAST if edge and not self.in_order else 0)
        return Literal(f"z{order:06d}")

    def _place(self, x: float, y: float, w: float, h: float) -> dict:
        left = self._x(x, w)
        centre_x = left + w / 2
        centre_y = self.height - (y + h / 2)
        return {
            "id": self._paint_id(),
            "pos": position((centre_x, centre_y), pinned=True),
            "width": _inches(w),
            "height": _inches(h),
            "fixedsize": True,
        }

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
        styles = []
        if fill:
            styles.append("filled")
        if rounded:
            styles.append("rounded")
        if dashed:
            styles.append("dashed")
        if stroke is None and not fill:
            styles.append("invis")
        self._items.append(
            f"{self._name()} "
            + attrs(
                shape="box",
                label="",
                style=",".join(styles) or None,
                fillcolor=fill,
                color=stroke or fill,
                penwidth=float(penwidth) if stroke else 0.0,
                tooltip=tooltip,
                **self._place(x, y, w, h),
            )
        )

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, *, fill: str, stroke: str, penwidth: float = 1.0) -> None:
        self._items.append(
            f"{self._name()} "
            + attrs(
                shape="ellipse",
                label="",
                style="filled",
                fillcolor=fill,
                color=stroke,
                penwidth=float(penwidth),
                **self._place(cx - rx, cy - ry, 2 * rx, 2 * ry),
            )
        )

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
        if not lines:
            return height
        align = self._align(align)
        font = styled_text(lines, style, align)
        cell_w, cell_h = max(1, int(w)), max(1, int(math.ceil(height)))
        label = (
            f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" FIXEDSIZE="TRUE" '
            f'WIDTH="{cell_w}" HEIGHT="{cell_h}"><TR><TD FIXEDSIZE="TRUE" WIDTH="{cell_w}" '
            f'HEIGHT="{cell_h}" ALIGN="{align.upper()}" BALIGN="{align.upper()}" '
            f'VALIGN="{valign.upper()}">{font}</TD></TR></TABLE>'
        )
        self._items.append(
            f"{self._name()} "
            + attrs(shape="none", margin=0.0, label=Html(label), **self._place(x, y, cell_w, cell_h))
        )
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
            control = [(x1, y1), (x1 + (x2 - x1) / 3, y1 + (y2 - y1) / 3),
                       (x1 + 2 * (x2 - x1) / 3, y1 + 2 * (y2 - y1) / 3), (x2, y2)]
            self._bezier(control, colour, width, dashed)

    def curve(self, points: list[tuple[float, float]], *, colour: str, width: float = 2.5) -> None:
        """A smooth curve through ``points`` (a Catmull-Rom spline)."""
        if len(points) < 2:
            return
        self._bezier(smooth_curve(points), colour, width, False)

    def _bezier(self, control: list[tuple[float, float]], colour: str, width: float, dashed: bool) -> None:
        start, end = self._anchor(control[0]), self._anchor(control[-1])
        pos = position(*((self._x(px), self.height - py) for px, py in control))
        self._edges.append(
            f"{start} -> {end} "
            + attrs(
                id=self._paint_id(edge=True),
                pos=pos,
                dir="none",
                color=colour,
                penwidth=float(width),
                style="dashed" if dashed else None,
            )
        )

    def _anchor(self, point: tuple[float, float]) -> str:
        name = self._name()
        x, y = point
        self._items.append(
            f"{name} "
            + attrs(
                id=self._paint_id(),
                shape="point",
                style="invis",
                width=0.01,
                height=0.01,
                fixedsize=True,
                pos=position((self._x(x), self.height - y), pinned=True),
            )
        )
        return name

    def image(self, x: float, y: float, w: float, h: float, data_uri: str, *, circle: bool = False) -> None:
        """An embedded image, drawn over the board (Graphviz never reads it)."""
        self._overlays.append(ImageOverlay(self._x(x, w), y, w, h, data_uri, circle))

    # -- output ----------------------------------------------------------------
    def to_graph(self) -> DotGraph:
        """The DOT source for ``neato -n2``."""
        # Graphviz sizes a drawing to what is drawn, not to its bounding box:
        # two invisible corners keep the board's margins and the overlays in register.
        corners = []
        for x, y in ((0.0, 0.0), (self.width - 1, self.height - 1)):
            corners.append(f"{self._name()} " + attrs(shape="box", label="", style="invis", **self._place(x, y, 1, 1)))
        head = attrs(
            bb=f"0,0,{self.width:.2f},{self.height:.2f}",
            pad=0.0,
            outputorder=None if self.in_order else "nodesfirst",
            splines=True,
            bgcolor=PALETTE.paper,
        )
        lines = [
            f"digraph {quote(self.title)} {{",
            f"  graph {head};",
            f"  node {attrs(fontname=FONT_FAMILY, margin=0.0)};",
            *(f"  {item};" for item in corners + self._items),
            *(f"  {edge};" for edge in self._edges),
            "}",
        ]
        return DotGraph("\n".join(lines) + "\n", engine="neato", overlays=tuple(self._overlays))


#: Added to a line's paint order so that lines come after all boxes.
_EDGES_LAST = 500_000


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
