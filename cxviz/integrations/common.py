"""What the docs integrations share: locating errors, naming ids, the page font."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path, PurePath

from ..diagnostics import Diagnostic
from ..fonts import embedded_font_css
from ..rendering.svg import used_characters as characters_of

__all__ = ["moved", "id_prefix", "used_characters", "page_css", "wrap", "FIT_CSS"]

#: Fits a diagram to the width of the text column (it keeps its proportions).
FIT_CSS = ".cxviz-diagram{margin:1em 0}.cxviz-diagram svg{display:block;max-width:100%;height:auto}"


def moved(diagnostic: Diagnostic, *, file: str, first_line: int = 0, indent: int = 0,
          lines: list[str] | None = None) -> Diagnostic:
    """A diagnostic of a spec embedded in a page, placed in that page.

    The spec's line 1 is the page's line ``first_line + 1``, and its column 1
    the page's column ``indent + 1``. ``lines`` are the page's lines, so the
    excerpt shows the page as written. A diagnostic without a position gets
    the first line of the block.
    """
    if not diagnostic.line:
        line, column = max(first_line, 1), indent + 1
    else:
        line, column = first_line + diagnostic.line, indent + diagnostic.column
    source_line = diagnostic.source_line
    if lines is not None and 0 < line <= len(lines):
        source_line = lines[line - 1]
    return dataclasses.replace(diagnostic, file=file, line=line, column=column, source_line=source_line)


def id_prefix(page: str | PurePath, index: int) -> str:
    """The id prefix of the ``index``-th diagram of a page: stable from build to build.

    Derived from the page's path (``guide/maps.md`` -> ``cxviz-guide-maps-2-``),
    so that pages put together (a single-page build) keep distinct ids too.
    """
    stem = str(PurePath(page).with_suffix("")).replace("\\", "/")
    slug = re.sub(r"[^0-9A-Za-z]+", "-", stem).strip("-").lower() or "page"
    if slug != stem.lower():  # two paths with one slug ("a/b", "a-b") still differ
        slug += "-" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:4]
    return f"cxviz-{slug}-{index}-"


def used_characters(svgs) -> dict[str, set[str]]:
    """The characters the SVGs draw, by weight (what the embedded font must hold)."""
    used: dict[str, set[str]] = {"regular": set(), "bold": set()}
    for svg in svgs:
        for weight, chars in characters_of(svg).items():
            used.setdefault(weight, set()).update(chars)
    return used


def page_css(chars: dict[str, set[str]] | None) -> str:
    """The style a page with diagrams needs: the font for ``chars`` (None: no font) and the fit rule."""
    font = embedded_font_css(chars) if chars else ""
    return font + FIT_CSS


def wrap(svg: str) -> str:
    """An inline SVG in the element the page's style sizes."""
    return f'<div class="cxviz-diagram">\n{svg.strip()}\n</div>'


def file_key(text: str, base_dir: Path, dependencies) -> str:
    """What an SVG is made of: the spec, where it sits and the files it read."""
    digest = hashlib.sha256(text.encode("utf-8"))
    digest.update(str(base_dir).encode("utf-8"))
    for path in sorted(dependencies):
        try:
            stat = Path(path).stat()
            digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}".encode("utf-8"))
        except OSError:
            digest.update(str(path).encode("utf-8"))
    return digest.hexdigest()
