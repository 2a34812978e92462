"""Planning a printed canvas: which sheet, which way round, and how many pages.

Body text never prints below a floor (:data:`MIN_TEXT_PT` unless told
otherwise) while anything can keep it there. A diagram is printed on its
kind's paper, in the orientation that prints it larger; a journey too long
for the sheet continues on further pages (see
:func:`cxviz.kinds.journey.graph.paginate`), as few as the floor allows.
What pages cannot fix moves up :data:`PAPER_LADDER`, unless a paper was
given: then the canvas prints on it as legibly as it can, and the plan says
how small its text is and which sheet would keep the floor.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..limits import Limits
from ..locale import catalogue
from ..registry import RenderContext
from ..validation import Spec
from .paper import MM, PAPERS, Paper, frame_for, paper
from .pdf import PdfPage, diagram_pdf, fit

__all__ = ["MIN_TEXT_PT", "DIAGRAM_BODY_PT", "PAPER_LADDER", "PageFit", "Plan", "sheet_for", "best_sheet"]

#: Body text prints at this size or larger unless told otherwise (points).
MIN_TEXT_PT = 7.0
#: The body text size the diagrams are drawn with, in points.
DIAGRAM_BODY_PT = 13.0
#: Without a paper given, a canvas too dense to read on its kind's paper moves up this ladder.
PAPER_LADDER = ("a4", "a3", "a2", "a1", "a0")
#: A diagram never prints larger than this (as :func:`cxviz.printing.pdf.fit`).
MAX_SCALE = 3.0
#: What Graphviz adds around a board when it draws it as PDF (points, both sides together), until measured.
_GRAPHVIZ_MARGIN = [72.0]
_BOARD_SIZE = re.compile(r'\bbb="0,0,([0-9.]+),([0-9.]+)"')


def sheet_for(kind, paper_name: str | None, orientation: str | None) -> Paper:
    """The sheet named (the kind's own paper by default), turned as asked or as the kind prefers."""
    return paper(paper_name or kind.paper).oriented(orientation or kind.orientation)


@dataclass(frozen=True)
class PageFit:
    """How large a page of a diagram prints in a sheet's area: what a kind splitting pages is told.

    Sizes are in points; ``margin`` is what Graphviz adds around a board it
    draws, and ``minimum`` the smallest scale that keeps body text at the floor.
    """

    width: float
    height: float
    margin: float
    minimum: float

    def scale(self, width: float, height: float) -> float:
        """The scale a board of ``width`` x ``height`` points prints at."""
        return min(self.width / (width + self.margin), self.height / (height + self.margin), MAX_SCALE)

    def by_height(self, width: float, height: float) -> bool:
        """Whether the area's height, not its width, limits how large such a board prints."""
        return self.height / (height + self.margin) <= self.width / (width + self.margin)


@dataclass
class Plan:
    """A canvas's sheet and diagram pages, and how small its body text prints.

    ``keeps`` is the smallest sheet that would keep the floor when the one
    given does not (None when none would, or when it does).
    """

    sheet: Paper
    pages: list[PdfPage]
    body_pt: float
    floor: float
    forced: bool
    keeps: Paper | None = None

    @property
    def legible(self) -> bool:
        return self.body_pt >= self.floor - 0.005


@dataclass
class _Candidate:
    sheet: Paper
    scales: list[float]
    graphs: list | None = None  # pages still to lay out (a split diagram)
    pages: list[PdfPage] | None = None

    @property
    def scale(self) -> float:
        return min(self.scales)

    def key(self, floor_scale: float) -> tuple:
        # Legible first, then fewer pages, then a larger print; the kind's own orientation wins ties.
        if self.scale >= floor_scale - 1e-6:
            return (0, len(self.scales), -round(self.scale, 3))
        return (1, -round(self.scale, 3), len(self.scales))


class _Planner:
    """Tries sheets for one spec; a diagram is laid out once, a split one measured per sheet."""

    def __init__(self, spec: Spec, limits: Limits, options: dict, floor: float):
        self.spec, self.limits, self.floor = spec, limits, floor
        self.kind = spec.kind
        self.context = RenderContext(catalogue(spec.model.lang), spec.base_dir, {**options, "framed": True})
        self.minimum = floor / DIAGRAM_BODY_PT
        self._whole: PdfPage | None = None
        self._tried: dict[tuple[float, float], _Candidate] = {}

    def candidate(self, sheet: Paper) -> _Candidate:
        key = (sheet.width, sheet.height)
        if key not in self._tried:
            self._tried[key] = self._candidate(sheet)
        return self._tried[key]

    def _candidate(self, sheet: Paper) -> _Candidate:
        frame = frame_for(sheet)
        if self.kind.paginate is None:
            if self._whole is None:
                self._whole = diagram_pdf(self.kind.build_graph(self.spec.model, self.context),
                                          self.limits.layout_seconds)
            return _Candidate(sheet, [fit(self._whole, frame)[0]], pages=[self._whole])
        # A point more than the margin: Graphviz rounds a drawing's size up to whole points.
        page_fit = PageFit(frame.area_w * MM, frame.area_h * MM, _GRAPHVIZ_MARGIN[0] + 1.0, self.minimum)
        graphs = self.kind.paginate(self.spec.model, self.context, page_fit)
        # A kind may say its pages' sizes before drawing them (a journey does); a board's DOT says it too.
        sizes = getattr(graphs, "sizes", None) or [_board_size(graph) for graph in graphs]
        if any(size is None for size in sizes):  # not a board: its size is known once laid out
            pages = self._laid_out(graphs)
            return _Candidate(sheet, [fit(page, frame)[0] for page in pages], pages=pages)
        return _Candidate(sheet, [page_fit.scale(w, h) for w, h in sizes], graphs=graphs)

    def lay_out(self, chosen: _Candidate) -> list[PdfPage]:
        """The chosen candidate's pages, laid out by Graphviz."""
        if chosen.pages is None:
            chosen.pages = self._laid_out(chosen.graphs)
        return chosen.pages

    def _laid_out(self, graphs) -> list[PdfPage]:
        """Graphs laid out to PDF, a Graphviz process a page, as many at once as there are cores."""
        graphs = list(graphs)
        if len(graphs) == 1:
            return [diagram_pdf(graphs[0], self.limits.layout_seconds)]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(len(graphs), os.cpu_count() or 1)) as pool:
            return list(pool.map(lambda graph: diagram_pdf(graph, self.limits.layout_seconds), graphs))

    def best(self, names: list[str], orientations: list[str]) -> tuple[_Candidate, bool]:
        """The best sheet of the first paper in ``names`` that keeps the floor, else the most legible."""
        fallback = None
        for name in names:
            best = min((self.candidate(sheet_for(self.kind, name, choice)) for choice in orientations),
                       key=lambda c: c.key(self.minimum))
            if best.key(self.minimum)[0] == 0:
                return best, True
            if fallback is None or best.scale > fallback.scale:
                fallback = best
        return fallback, False


def _board_size(graph) -> tuple[float, float] | None:
    """A board's width and height in points, from its DOT (a layered graph has none before layout)."""
    found = _BOARD_SIZE.search(graph.source)
    return (float(found.group(1)), float(found.group(2))) if found else None


def best_sheet(spec: Spec, paper_name: str | None, orientation: str | None, limits: Limits, options: dict,
               floor: float = MIN_TEXT_PT) -> Plan:
    """The sheet and the diagram pages to print, keeping body text at ``floor`` points or larger.

    Without a given orientation, the one that prints the diagram larger (or
    on fewer pages); without a given paper, the kind's own, or the next
    larger one up to A0 that keeps the floor, else the most legible.
    """
    kind = spec.kind
    other = "portrait" if kind.orientation == "landscape" else "landscape"
    orientations = [orientation] if orientation else [kind.orientation, other]
    names = [paper_name] if paper_name else [kind.paper, *_larger(kind.paper)]
    for _ in range(2):
        planner = _Planner(spec, limits, options, floor)
        chosen, legible = planner.best(names, orientations)
        pages = planner.lay_out(chosen)
        if chosen.graphs is None or _margin_known(chosen.graphs[0], pages[0]):
            break
    printed = min(fit(page, frame_for(chosen.sheet))[0] for page in pages)  # as laid out, not as planned
    plan = Plan(chosen.sheet, pages, DIAGRAM_BODY_PT * printed, floor, forced=paper_name is not None)
    if not legible and paper_name and _larger(paper_name):
        keeps, found = planner.best(_larger(paper_name), orientations)
        plan.keeps = keeps.sheet if found else None
    return plan


def _larger(name: str) -> list[str]:
    """The sheets of the ladder larger than the paper called ``name``, smallest first."""
    short = min(paper(name).width, paper(name).height)
    return [step for step in PAPER_LADDER if min(PAPERS[step].width, PAPERS[step].height) > short]


def _margin_known(graph, page: PdfPage) -> bool:
    """Whether the pages were planned with the margin Graphviz really draws; learn it if not."""
    size = _board_size(graph)
    margin = page.width - size[0]
    if abs(margin - _GRAPHVIZ_MARGIN[0]) <= 1.0:
        return True
    _GRAPHVIZ_MARGIN[0] = margin
    return False
