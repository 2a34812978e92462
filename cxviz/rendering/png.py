"""PNG images: Graphviz draws the diagram at the asked resolution, cxviz adds the photos.

The image is the very graph the SVG shows, drawn by Graphviz's cairo
renderer with the same font (found through the same fontconfig file), its
text shaped by Pango, so Arabic comes out joined and right to left. Pillow
(imported here only, so the SVG path never pays for it) lays the drawing on
its paper colour and draws the images over it (a persona's photo).

Size: at scale 1 a PNG has one pixel per CSS pixel of the SVG, 96 per inch
(4/3 per point); the default scale is 2, sharp on high-density screens.
Graphviz holds the whole bitmap in memory while it draws, so the diagram is
first laid out to learn its size, and a PNG over the pixel limit is refused
instead of drawn.

The same spec gives the same bytes: no time or software stamps; the
resolution, title, description and language are written as PNG chunks.
"""

from __future__ import annotations

import base64
import io
import math
import re
import struct
import zlib
from contextlib import contextmanager

from ..diagnostics import RenderError
from ..graph.dot import DotGraph, ImageOverlay, clean
from ..theme import PALETTE
from .graphviz import layout_one

__all__ = [
    "CSS_DPI",
    "DEFAULT_SCALE",
    "MIN_DPI",
    "MAX_DPI",
    "MAX_SIDE",
    "resolution",
    "dpi_text",
    "svg_size",
    "pixel_size",
    "check_size",
    "diagram_png",
    "finish_png",
]

#: Dots per inch at scale 1: a CSS pixel is 1/96 inch, so a point is 4/3 pixel.
CSS_DPI = 96.0
#: Twice the SVG's CSS size: sharp on high-density screens and projectors.
DEFAULT_SCALE = 2.0
#: The resolutions a PNG may be drawn at (scale 0.25 to 12.5).
MIN_DPI, MAX_DPI = 24.0, 1200.0
#: cairo's largest bitmap side; Graphviz would shrink a larger drawing without saying so.
MAX_SIDE = 32767

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that may carry a time, a software name or text of their own; cxviz writes its own.
_DROPPED = {b"tIME", b"tEXt", b"zTXt", b"iTXt", b"pHYs", b"eXIf"}
_VIEWBOX = re.compile(r'<svg\b[^>]*?\bviewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def _number(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"the PNG {what} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"the PNG {what} must be a finite number, not {value!r}")
    return number


def resolution(scale: float | None = None, dpi: float | None = None) -> float:
    """The dots per inch to draw a PNG at, from a scale or a dpi (not both).

    Scale 1 is the SVG's CSS size (96 dpi); without either, the scale is
    :data:`DEFAULT_SCALE`. Raises ValueError, saying the allowed range, for
    a value outside it.
    """
    if scale is not None and dpi is not None:
        raise ValueError("give the PNG a scale or a dpi, not both")
    if dpi is not None:
        dots = _number(dpi, "dpi")
        if not MIN_DPI <= dots <= MAX_DPI:
            raise ValueError(f"a PNG's dpi must be from {MIN_DPI:g} to {MAX_DPI:g}, not {dots:g}")
    else:
        factor = DEFAULT_SCALE if scale is None else _number(scale, "scale")
        if not MIN_DPI / CSS_DPI <= factor <= MAX_DPI / CSS_DPI:
            raise ValueError(
                f"a PNG's scale must be from {MIN_DPI / CSS_DPI:g} to {MAX_DPI / CSS_DPI:g} "
                f"(1 is the SVG's size), not {factor:g}"
            )
        dots = factor * CSS_DPI
    # Graphviz reads the dpi as text: keep the value it reads and the one sizes are checked with the same.
    return round(dots, 3)


def dpi_text(dpi: float) -> str:
    """``dpi`` as Graphviz is given it: ``192``, ``144.5``."""
    return f"{dpi:.3f}".rstrip("0").rstrip(".")


def svg_size(svg: str) -> tuple[float, float]:
    """Width and height in points of a diagram, from Graphviz's SVG of it."""
    match = _VIEWBOX.search(svg)
    if match is None:
        raise RenderError("Graphviz gave no size for the diagram")
    return float(match.group(1)), float(match.group(2))


def pixel_size(width_pt: float, height_pt: float, dpi: float) -> tuple[int, int]:
    """The PNG's size in pixels for a diagram of ``width_pt`` by ``height_pt`` points.

    Graphviz rounds each side to the nearest pixel, halves up.
    """
    factor = dpi / 72.0
    return max(1, math.floor(width_pt * factor + 0.5)), max(1, math.floor(height_pt * factor + 0.5))


def check_size(size: tuple[int, int], dpi: float, max_pixels: int) -> None:
    """Refuse a PNG too large to draw, saying how large it would be and what to do."""
    width, height = size
    where = f"at {dpi_text(dpi)} dpi the PNG would be {width:,} x {height:,} pixels"
    if max(width, height) > MAX_SIDE:
        raise RenderError(f"{where}, but a PNG is drawn at most {MAX_SIDE:,} pixels on a side; "
                          "lower --scale or --dpi")
    if width * height > max_pixels:
        raise RenderError(
            f"{where} ({width * height / 1e6:.1f} million), over the limit of {max_pixels:,} pixels; "
            "lower --scale or --dpi, or raise the limit (--limit max_png_pixels=PIXELS)"
        )


def diagram_png(graph: DotGraph, dpi: float, timeout: float, *, title: str, description: str,
                lang: str) -> bytes:
    """Draw a graph as PNG with Graphviz at ``dpi``, its overlays composited, ready to publish.

    The caller checks the size first (:func:`check_size`). Raises
    :class:`~cxviz.RenderError` if Graphviz or a photo fails.
    """
    # A Graphviz process of its own: laid out after other boards in one run, neato paints
    # some of them in another order, and a bitmap, unlike an SVG, cannot be sorted afterwards.
    result = layout_one(graph, "png:cairo", timeout, attributes={"dpi": dpi_text(dpi)})
    if result.error is not None:
        raise result.error
    data = _compose(result.data, graph.overlays, dpi)
    return finish_png(data, dpi=dpi, title=title, description=description, lang=lang)


# -- PNG chunks ---------------------------------------------------------------------------

def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(_SIGNATURE):
        raise RenderError("Graphviz did not draw a PNG image")
    chunks, index = [], len(_SIGNATURE)
    while index + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[index:index + 8])
        chunks.append((kind, data[index + 8:index + 8 + length]))
        index += 12 + length
        if kind == b"IEND":
            return chunks
    raise RenderError("Graphviz drew a damaged PNG image")


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _text_chunk(keyword: str, text: str, lang: str) -> bytes:
    """An international text chunk (UTF-8, in ``lang``), uncompressed."""
    tag = lang if _LANGUAGE_TAG.fullmatch(lang) else ""
    # keyword NUL, compression flag and method (none), language tag NUL, translated keyword (none) NUL, text
    body = (keyword.encode("latin-1") + b"\0\0\0" + tag.encode("ascii") + b"\0" + b"\0"
            + clean(text).encode("utf-8"))
    return _chunk(b"iTXt", body)


def finish_png(data: bytes, *, dpi: float, title: str, description: str, lang: str) -> bytes:
    """A composed PNG with cxviz's chunks (resolution, title, description) and no stamps."""
    parts = [_SIGNATURE]
    for kind, body in _chunks(data):
        if kind in _DROPPED:
            continue
        parts.append(_chunk(kind, body))
        if kind == b"IHDR":
            per_metre = round(dpi / 0.0254)
            parts.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
            parts.append(_text_chunk("Title", title, lang))
            if description:
                parts.append(_text_chunk("Description", description, lang))
    return b"".join(parts)


# -- photos over the diagram --------------------------------------------------------------

def _photo(href: str):
    """An overlay's image, decoded (the formats a spec's photo may have), upright, with alpha."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    header, _, payload = href.partition(",")
    if not (header.startswith("data:") and header.endswith(";base64")):
        raise RenderError("a photo over the diagram is not embedded data")
    try:
        data = base64.b64decode(payload, validate=True)
        with Image.open(io.BytesIO(data), formats=["PNG", "JPEG", "GIF", "WEBP"]) as image:
            return ImageOps.exif_transpose(image).convert("RGBA")
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise RenderError(f"a photo could not be decoded ({exc}); replace the image file") from None


def _circle_mask(size: tuple[int, int], centre: tuple[float, float], radius: float):
    """An anti-aliased disc (255 inside) over a box of ``size`` pixels."""
    from PIL import Image, ImageDraw

    # Drawn larger and scaled down for a smooth edge; no larger than a few thousand pixels a side.
    factor = max(1, min(4, 4096 // max(size)))
    mask = Image.new("L", (size[0] * factor, size[1] * factor), 0)
    (cx, cy), r = centre, radius
    ImageDraw.Draw(mask).ellipse(
        [(cx - r) * factor, (cy - r) * factor, (cx + r) * factor - 1, (cy + r) * factor - 1], fill=255
    )
    return mask if factor == 1 else mask.resize(size, Image.Resampling.BOX)


def _compose(data: bytes, overlays: tuple[ImageOverlay, ...], dpi: float) -> bytes:
    """Graphviz's drawing on its paper, opaque as the SVG is, with each overlay's image over it.

    cairo's bitmap is the drawing's size rounded to whole pixels; where it
    rounds up, the background covers the last row or column only in part,
    which would show as a faint line on a dark page. An image covers its box
    (cut to a circle if clipped), as in the SVG.
    """
    if not overlays and data[25:26] == b"\x02":  # IHDR colour type 2: already opaque RGB
        return data
    with _strict_decoding():
        return _draw(data, overlays, dpi)


@contextmanager
def _strict_decoding():
    """Pillow refuses a truncated image while cxviz decodes.

    WeasyPrint, once imported, lets Pillow load a truncated image padded
    with grey; a PNG must not depend on whether a PDF was printed before it
    in the same process.
    """
    from PIL import ImageFile

    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _draw(data: bytes, overlays: tuple[ImageOverlay, ...], dpi: float) -> bytes:
    from PIL import Image, ImageChops, ImageOps

    factor = dpi / 72.0
    try:
        with Image.open(io.BytesIO(data), formats=["PNG"]) as opened:
            drawn = opened.convert("RGBA") if opened.mode != "RGBA" else opened
            drawn.load()
            canvas = Image.new("RGB", drawn.size, PALETTE.paper)
            canvas.paste(drawn, mask=drawn)
    except (OSError, ValueError) as exc:
        raise RenderError(f"Graphviz drew a damaged PNG image ({exc})") from None
    for overlay in overlays:
        left, top = round(overlay.x * factor), round(overlay.y * factor)
        right = round((overlay.x + overlay.width) * factor)
        bottom = round((overlay.y + overlay.height) * factor)
        size = (max(1, right - left), max(1, bottom - top))
        # Scaled to cover the box and cut to it, centred: the SVG's "xMidYMid slice".
        photo = ImageOps.fit(_photo(overlay.href), size, Image.Resampling.LANCZOS, centering=(0.5, 0.5))
        if overlay.circle:
            centre = ((overlay.x + overlay.width / 2) * factor - left, (overlay.y + overlay.height / 2) * factor - top)
            radius = min(overlay.width, overlay.height) / 2 * factor
            photo.putalpha(ImageChops.multiply(photo.getchannel("A"), _circle_mask(size, centre, radius)))
        canvas.paste(photo, (left, top), mask=photo)
    buffer = io.BytesIO()
    canvas.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()
