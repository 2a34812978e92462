"""The print stage: specs and kinds to printable PDF canvases.

A filled canvas is the page (header, footer, an empty area) printed by
WeasyPrint from a Jinja template, with the diagram, the very graph the SVG
shows laid out by Graphviz straight to PDF, placed into the area by pypdf.
A blank canvas is a kind's template of empty zones and guiding questions,
to fill with sticky notes in a workshop.

    paper       sheet sizes, and where header, area and footer go on a sheet
    planning    which sheet and orientation, and how many pages a journey takes
    pages       the HTML pages, from the templates in ``templates/`` and each
                kind's ``blank.html.j2`` (its own folder under ``cxviz/kinds/``)
    pdf         WeasyPrint and pypdf: printing HTML, placing diagrams, tiling,
                merging, and the document's information
    canvases    render_pdf, render_blank and render_pack

Nothing here is imported with :mod:`cxviz`, and WeasyPrint, Jinja and pypdf
only when a canvas is printed, so drawing SVGs never pays for them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["render_pdf", "render_blank", "render_pack"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import canvases

        return getattr(canvases, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
