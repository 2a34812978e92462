"""Printable PDF canvases: WeasyPrint prints the page, Graphviz draws the diagram.

A filled canvas is composed from three layers:

1. the page (header, footer, an empty area), rendered by WeasyPrint from a
   Jinja template;
2. the diagram, the very graph the SVG output is drawn from, laid out by
   Graphviz straight to PDF, so its text is real, shaped text (Arabic joined)
   in the embedded font, placed into the area by pypdf;
3. images over the diagram (a persona's photo), rendered by WeasyPrint and
   placed from the diagram's own corner, inside Graphviz's margin, where the
   SVG measures them from.

Every finished document with right-to-left text then gets an invisible text
layer (:mod:`cxviz.printing.textlayer`), so that its words copy and search
whole and in reading order. Blank canvases, workshop packs and tiled posters
reuse the same pieces.
WeasyPrint and pypdf are imported here only, and only when called, so the
SVG path never pays for them.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Any

from ..fonts import font_file
from ..graph.dot import DotGraph, ImageOverlay
from ..locale import Catalogue
from ..rendering.graphviz import layout_one
from ..theme import FONT_FAMILY
from .paper import MM, Frame, Paper, frame_for

__all__ = ["PdfPage", "DIAGRAM_MARGIN", "html_to_pdf", "diagram_pdf", "overlay_box", "fit", "compose", "finish_pdf",
           "tile_pdf", "merge_pdfs"]


#: The margin Graphviz leaves around a diagram it lays out to PDF, in points (its 0.5 inch).
DIAGRAM_MARGIN = 36.0


@dataclass(frozen=True)
class PdfPage:
    """One diagram laid out as a one-page PDF, with the images to draw over it.

    ``origin`` is where the diagram's top left corner, from which overlays
    are measured, sits on the page: Graphviz's margin.
    """

    data: bytes
    width: float  # points
    height: float
    overlays: tuple[ImageOverlay, ...] = ()
    origin: tuple[float, float] = (0.0, 0.0)


def _fetcher_for(allowed: set[str]):
    """A WeasyPrint URL fetcher that reads only cxviz's own font files and data: URIs."""
    from weasyprint.urls import URLFetcher

    class OwnFilesOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None):
            if url.startswith("data:") or url in allowed:
                return super().fetch(url, headers)
            raise ValueError(f"cxviz canvases load no resource from {url[:80]!r}")

    return OwnFilesOnly(allowed_protocols=("file", "data"))


def html_to_pdf(html: str) -> bytes:
    """Print HTML with WeasyPrint, reading nothing but the fonts."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    import weasyprint

    allowed = {font_file("regular").as_uri(), font_file("bold").as_uri()}
    document = weasyprint.HTML(string=html, url_fetcher=_fetcher_for(allowed), base_url=".")
    return document.write_pdf()


def diagram_pdf(graph: DotGraph, timeout: float) -> PdfPage:
    """Lay a graph out straight to PDF with Graphviz."""
    from pypdf import PdfReader

    # The margin is named, not left to Graphviz's default, so that overlays land where it is.
    result = layout_one(graph, "pdf", timeout, attributes={"margin": f"{DIAGRAM_MARGIN / 72:g}"})
    if result.error is not None:
        raise result.error
    page = PdfReader(io.BytesIO(result.data)).pages[0]
    return PdfPage(result.data, float(page.mediabox.width), float(page.mediabox.height), graph.overlays,
                   (DIAGRAM_MARGIN, DIAGRAM_MARGIN))


def overlay_box(page: PdfPage, image: ImageOverlay, placement: tuple[float, float, float]) -> tuple[float, ...]:
    """Where an image over a diagram lands on the sheet: left, top, width, height in points from its top left."""
    scale, x, y = placement
    return (x + (page.origin[0] + image.x) * scale, y + (page.origin[1] + image.y) * scale,
            image.width * scale, image.height * scale)


def fit(page: PdfPage, frame: Frame, max_scale: float = 3.0) -> tuple[float, float, float]:
    """Scale and offset (points, from the sheet's top left) that fit a diagram in the area."""
    area_w, area_h = frame.area_w * MM, frame.area_h * MM
    scale = min(area_w / page.width, area_h / page.height, max_scale)
    x = frame.area_x * MM + (area_w - page.width * scale) / 2
    y = frame.area_y * MM + (area_h - page.height * scale) / 2
    return scale, x, y


def _overlay_html(frame: Frame, placed: list[tuple[PdfPage, tuple[float, float, float]]]) -> str | None:
    """A transparent page per diagram holding its images, at their places."""
    if not any(page.overlays for page, _ in placed):
        return None
    sections = []
    for page, placement in placed:
        images = []
        for image in page.overlays:
            left, top, width, height = overlay_box(page, image, placement)
            style = (
                f"position:absolute;left:{left / MM:.3f}mm;top:{top / MM:.3f}mm;"
                f"width:{width / MM:.3f}mm;height:{height / MM:.3f}mm;object-fit:cover;"
                + ("border-radius:50%;" if image.circle else "")
            )
            images.append(f'<img style="{style}" src="{image.href}">')
        sections.append(f'<section class="page">{"".join(images)}</section>')
    return (
        "<!DOCTYPE html><html><head><style>"
        f"@page{{size:{frame.width}mm {frame.height}mm;margin:0}}*{{margin:0;padding:0}}"
        f".page{{position:relative;width:{frame.width}mm;height:{frame.height}mm;page-break-after:always}}"
        ".page:last-child{page-break-after:auto}"
        f"</style></head><body>{''.join(sections)}</body></html>"
    )


def compose(frame_pdf: bytes, diagrams: list[PdfPage], sheet: Paper) -> bytes:
    """Place each diagram into the area of the matching page of ``frame_pdf``."""
    from pypdf import PdfReader, PdfWriter, Transformation

    frame = frame_for(sheet)
    writer = PdfWriter(clone_from=io.BytesIO(frame_pdf))
    placed = []
    for page, diagram in zip(writer.pages, diagrams):
        scale, x, y = fit(diagram, frame)
        placed.append((diagram, (scale, x, y)))
        source = PdfReader(io.BytesIO(diagram.data)).pages[0]
        sheet_height = float(page.mediabox.height)
        # PDF measures y upwards from the bottom of the sheet.
        bottom = sheet_height - y - diagram.height * scale
        _place_form(writer, page, source, Transformation().scale(scale).translate(x, bottom))
    overlay = _overlay_html(frame, placed)
    if overlay is not None:
        for page, layer in zip(writer.pages, PdfReader(io.BytesIO(html_to_pdf(overlay))).pages):
            page.merge_page(layer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _place_form(writer, page, source, transformation) -> None:
    """Draw ``source`` (a one-page PDF's page) on ``page`` as a form XObject, transformed.

    Unlike merging the pages, this never parses the diagram's drawing, which
    for a map of hundreds of steps costs seconds a page.
    """
    from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject)

    form = DecodedStreamObject()
    form.set_data(source.get_contents().get_data())
    form = form.flate_encode()
    box = source.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)),
        NameObject("/Resources"): source["/Resources"].get_object().clone(writer),
    })
    resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
    forms = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
    name = NameObject(f"/CxvizDiagram{len(forms)}")
    forms[name] = writer._add_object(form)
    a, b, c, d, e, f = (f"{v:.6f}" for v in transformation.ctm)
    drawing = DecodedStreamObject()
    # The page's own drawing is wrapped so that nothing it leaves set reaches the diagram.
    drawing.set_data(b"q\n" + page.get_contents().get_data()
                     + f"\nQ\nq {a} {b} {c} {d} {e} {f} cm {name} Do Q\n".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(drawing.flate_encode())


def merge_pdfs(documents: list[bytes]) -> bytes:
    """Concatenate PDFs page by page, keeping each page's own size."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in documents:
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def finish_pdf(data: bytes, *, title: str, authors: tuple[str, ...], lang: str, subject: str,
               keywords: str = "") -> bytes:
    """Set the document information and language; drop every date, so bytes are reproducible.

    A document with right-to-left text gets a text layer (see
    :mod:`cxviz.printing.textlayer`), so that its words copy, search and
    read aloud whole and in reading order.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    from .textlayer import add_text_layer

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    add_text_layer(writer)
    info = {"/Title": title, "/Subject": subject, "/Creator": "cxviz", "/Producer": "cxviz"}
    if authors:
        info["/Author"] = ", ".join(authors)
    if keywords:
        info["/Keywords"] = keywords
    writer.metadata = None
    writer.add_metadata(info)
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def tile_pdf(data: bytes, sheet: Paper, tile: Paper, locale: Catalogue, title: str,
             overlap_mm: float = 10.0) -> bytes:
    """Print each page of ``data`` across sheets of ``tile`` paper, to assemble on a wall.

    Sheets overlap by ``overlap_mm``; each carries cut marks where the next
    sheet begins and its place (row letter, column number). A sheet map comes
    first.
    """
    from pypdf import PdfReader, PdfWriter, Transformation

    from .pages import template_environment

    reader = PdfReader(io.BytesIO(data))
    big_w, big_h = sheet.width, sheet.height
    piece = tile.oriented(sheet.orientation)
    step_w, step_h = piece.width - overlap_mm, piece.height - overlap_mm
    columns = max(1, -int(-(big_w - overlap_mm) // step_w))
    rows = max(1, -int(-(big_h - overlap_mm) // step_h))
    cells = [(r, c) for r in range(rows) for c in range(columns)]
    # The sheet map fits its page both ways (30 mm margins, 45 mm for the words).
    cell_w = min((piece.width - 30) / columns, (piece.height - 75) / rows * step_w / step_h) - 1.5
    environment = template_environment()
    marks_html = environment.get_template("canvas/tiles.html.j2").render(
        piece=piece, sheet=sheet, rows=rows, columns=columns, cells=cells, overlap=overlap_mm,
        step_w=step_w, step_h=step_h, title=title, lang=locale.lang, direction=locale.direction,
        pages=len(reader.pages),
        cell_w=cell_w,
        cell_h=cell_w * step_h / step_w,
        instructions=locale.format(
            "canvas.tiles", sheet=sheet.name, orientation=locale[f"canvas.{sheet.orientation}"],
            count=rows * columns, piece=piece.name, rows=rows, columns=columns, overlap=round(overlap_mm),
        ),
        font={"family": FONT_FAMILY, "regular": font_file().as_uri(), "bold": font_file("bold").as_uri()},
        label=_cell_label,
    )
    marks = PdfReader(io.BytesIO(html_to_pdf(marks_html))).pages
    writer = PdfWriter()
    writer.add_page(marks[0])  # the sheet map
    mark_index = 1
    for big in reader.pages:
        for row, column in cells:
            target = writer.add_blank_page(piece.width * MM, piece.height * MM)
            dx = -column * step_w * MM
            dy = -(big_h - piece.height - row * step_h) * MM
            target.merge_transformed_page(big, Transformation().translate(dx, dy))
            target.merge_page(marks[mark_index])
            mark_index += 1
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _cell_label(row: int, column: int) -> str:
    return f"{chr(ord('A') + row)}{column + 1}"
