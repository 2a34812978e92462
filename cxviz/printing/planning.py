"""Planning a printed canvas: which sheet, which way round, and how many pages.

A filled canvas is printed on its kind's paper unless told otherwise, and
moves up :data:`PAPER_LADDER` when its body text would print too small to
read there; a long journey continues on further pages rather than shrink
below :data:`MIN_BODY_PT`.
"""

from __future__ import annotations

import math

from ..limits import Limits
from ..locale import catalogue
from ..registry import Kind, RenderContext
from ..validation import Spec
from .paper import MM, Paper, frame_for, paper
from .pdf import PdfPage, diagram_pdf, fit

__all__ = ["MIN_BODY_PT", "MIN_LEGIBLE_PT", "DIAGRAM_BODY_PT", "PAPER_LADDER", "sheet_for", "diagram_pages",
           "best_sheet"]

#: A long journey continues on more pages rather than print body text below this size (points).
MIN_BODY_PT = 9.0
#: Without a paper given, a canvas whose body text would print below this moves to a larger sheet.
MIN_LEGIBLE_PT = 7.0
#: The body text size the diagrams are drawn with, in points.
DIAGRAM_BODY_PT = 13.0
#: Without a paper given, a canvas too dense to read on its kind's paper moves up this ladder.
PAPER_LADDER = ("a4", "a3", "a2", "a1")


def sheet_for(kind: Kind, paper_name: str | None, orientation: str | None) -> Paper:
    """The sheet named (the kind's own paper by default), turned as asked or as the kind prefers."""
    return paper(paper_name or kind.paper).oriented(orientation or kind.orientation)


def diagram_pages(spec: Spec, sheet: Paper, limits: Limits, options: dict,
                  laid_out: dict | None = None) -> list[PdfPage]:
    """The diagram as pages for ``sheet``: split (journeys) until readable or no narrower.

    ``laid_out`` keeps the layouts by page count across sheets tried for one
    canvas: the diagram does not depend on the sheet, only its scale does.
    """
    laid_out = {} if laid_out is None else laid_out
    context = RenderContext(catalogue(spec.model.lang), spec.base_dir, {**options, "framed": True})
    kind = spec.kind
    frame = frame_for(sheet)
    minimum = MIN_BODY_PT
    area_w, area_h = frame.area_w * MM, frame.area_h * MM
    parts, narrowest = 1, None
    while True:
        if parts not in laid_out:
            graphs = (kind.paginate(spec.model, context, parts) if kind.paginate
                      else [kind.build_graph(spec.model, context)])
            laid_out[parts] = [diagram_pdf(graph, limits.layout_seconds) for graph in graphs]
        pages = laid_out[parts]
        worst = min(fit(page, frame)[0] for page in pages)
        readable = DIAGRAM_BODY_PT * worst >= minimum
        # More pages only help a diagram too wide for the sheet, not one too tall.
        too_wide = any(area_w / page.width < area_h / page.height for page in pages)
        if readable or not too_wide or kind.paginate is None or len(pages) < parts:
            return pages
        widest = max(page.width for page in pages)
        if narrowest is not None and widest >= narrowest[0]:
            return narrowest[1]  # no narrower for more pages: a stage, or the header, is the widest part
        narrowest = (widest, pages)
        # Skip page counts that cannot be enough: each page keeps its lane labels and
        # margins, so scaling the count by the shortfall never passes the fewest
        # readable pages, and a long journey needs few layouts rather than one per count.
        parts = max(parts + 1, math.floor(parts * minimum / (DIAGRAM_BODY_PT * worst)))


def best_sheet(spec: Spec, paper_name: str | None, orientation: str | None, limits: Limits,
               options: dict) -> tuple[Paper, list[PdfPage]]:
    """The sheet and the diagram pages to print.

    Without a given orientation, the one that prints the diagram larger;
    without a given paper, the kind's own, or the next larger one on which
    body text stays readable (A1 at most).
    """
    names = [paper_name] if paper_name else list(PAPER_LADDER[PAPER_LADDER.index(spec.kind.paper):])
    other = "portrait" if spec.kind.orientation == "landscape" else "landscape"
    choices = [orientation] if orientation else [spec.kind.orientation, other]
    best = first = None
    laid_out: dict = {}
    for name in names:
        for choice in choices:
            sheet = sheet_for(spec.kind, name, choice)
            pages = diagram_pages(spec, sheet, limits, options, laid_out)
            scale = min(fit(page, frame_for(sheet))[0] for page in pages)
            legible = DIAGRAM_BODY_PT * scale >= MIN_LEGIBLE_PT
            # Legible first, then fewer pages, then a larger print; the kind's own orientation wins ties.
            key = (not legible, len(pages), -round(scale, 2))
            if best is None or key < best[0]:
                best = (key, sheet, pages, legible)
        if best[3]:
            return best[1], best[2]
        first = first or best
        best = None
    # Readable nowhere on the ladder: the kind's own paper, as dense as it must be.
    return first[1], first[2]
