"""Drawing a finished SVG as PNG or PDF: for drawings cxviz changes after Graphviz laid them out.

A marked diff (:mod:`cxviz.diffmarks`) adds outlines, badges, a legend and
ghosts to Graphviz's SVG, so Graphviz cannot draw it again. librsvg's
``rsvg-convert`` draws the SVG itself, with cairo and Pango as Graphviz
does: the same font, found through cxviz's fontconfig file, Arabic joined
and right to left, photos drawn from their data URIs. It is a system
program (Debian: ``librsvg2-bin``); without it these formats say so.

The bytes carry no time: the PNG gets cxviz's own chunks, the PDF cxviz's
document information (and a text layer for right-to-left text).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess

from ..diagnostics import RenderError
from ..fonts import fontconfig_environment
from .png import CSS_DPI, check_size, finish_png, pixel_size, svg_size

__all__ = ["RSVG_CONVERT", "svg_to_png", "svg_to_pdf"]

#: The program that draws a finished SVG.
RSVG_CONVERT = "rsvg-convert"
_MISSING = ("drawing a {format} of a changed drawing needs rsvg-convert, which is not installed "
            "(Debian and Ubuntu: apt install librsvg2-bin); an SVG needs nothing more")
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)
_DESC = re.compile(r"<desc\b[^>]*>(.*?)</desc>", re.S)


def _draw(svg: str, args: list[str], format: str, timeout: float) -> bytes:
    program = shutil.which(RSVG_CONVERT)
    if program is None:
        raise RenderError(_MISSING.format(format=format.upper()))
    # A fixed date keeps cairo's PDF free of the time it was drawn.
    env = {**os.environ, **fontconfig_environment(), "SOURCE_DATE_EPOCH": "0"}
    try:
        done = subprocess.run([program, *args], input=svg.encode("utf-8"), capture_output=True,
                              timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(f"drawing the {format.upper()} took longer than {timeout:g} s and was stopped") from None
    if done.returncode != 0 or not done.stdout:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"rsvg-convert could not draw the {format.upper()}"
                          + (f": {reason[-1]}" if reason else ""))
    return done.stdout


def _text_of(pattern: re.Pattern, svg: str) -> str:
    match = pattern.search(svg)
    return html.unescape(match.group(1)) if match else ""


def svg_to_png(svg: str, dpi: float, *, lang: str, max_pixels: int, timeout: float = 30.0) -> bytes:
    """The SVG drawn as a PNG at ``dpi`` (96 = one pixel per CSS pixel), titled from its ``<title>``.

    Raises :class:`~cxviz.RenderError` for an image over ``max_pixels`` or
    when it cannot be drawn.
    """
    width, height = svg_size(svg)
    check_size(pixel_size(width, height, dpi), dpi, max_pixels)
    data = _draw(svg, ["--format", "png", "--zoom", f"{dpi / CSS_DPI:.6g}", "--background-color", "white"],
                 "png", timeout)
    return finish_png(data, dpi=dpi, title=_text_of(_TITLE, svg), description=_text_of(_DESC, svg), lang=lang)


def svg_to_pdf(svg: str, *, lang: str, timeout: float = 30.0) -> bytes:
    """The SVG drawn as a one-page PDF of its own size, titled from its ``<title>``."""
    from ..printing.pdf import finish_pdf

    data = _draw(svg, ["--format", "pdf"], "pdf", timeout)
    return finish_pdf(data, title=_text_of(_TITLE, svg), authors=(), lang=lang, subject=_text_of(_DESC, svg))
