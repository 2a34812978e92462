"""Printable canvases as PDF bytes: a spec's, a kind's blank one, and packs of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..limits import Limits
from ..locale import Catalogue, catalogue
from ..registry import Kind
from ..validation import Spec
from .pages import blank_template, footer_stamp, meta_rows, page_html
from .paper import Paper, paper as paper_named
from .pdf import compose, finish_pdf, html_to_pdf, merge_pdfs, tile_pdf
from .planning import MIN_TEXT_PT, Plan, best_sheet, sheet_for

__all__ = ["render_pdf", "render_blank", "render_pack"]


def render_pdf(spec: Spec, *, paper: str | None = None, orientation: str | None = None,
               templates: str | Path | None = None, tile: str | None = None,
               limits: Limits | None = None, min_text_pt: float | None = None, **options) -> bytes:
    """A printable canvas of a spec, as PDF bytes.

    The diagram is the same graph the SVG shows, its body text printed at
    ``min_text_pt`` (7 by default) or larger: a journey too long for the
    sheet continues on further pages, and without ``paper`` a diagram too
    large for its kind's sheet moves to a larger one, up to A0. When
    nothing keeps that floor, a warning on ``spec`` says how small the text
    prints. ``tile`` prints the canvas across sheets of that paper; a
    ``paper`` too small to keep the floor on one sheet gets the canvas of the
    sheet that keeps it, tiled across sheets of ``paper``.
    """
    return _filled(spec, paper=paper, orientation=orientation, templates=templates, tile=tile, limits=limits,
                   min_text_pt=min_text_pt, **options)[0]


def _filled(spec: Spec, *, paper: str | None, orientation: str | None, templates: str | Path | None,
            tile: str | None, limits: Limits | None, min_text_pt: float | None, **options) -> tuple[bytes, Paper]:
    """A spec's canvas, and the sheet it was printed on."""
    limits = limits or Limits()
    model, kind = spec.model, spec.kind
    locale = catalogue(model.lang)
    floor = MIN_TEXT_PT if min_text_pt is None else min_text_pt
    plan = best_sheet(spec, paper, orientation, limits, options, floor)
    if plan.forced and not plan.legible and plan.keeps is not None and not tile:
        # The sheet asked for is too small to keep the floor: print the canvas on the sheet
        # that keeps it, tiled across sheets of the one asked for.
        tile = plan.sheet.name
        plan = best_sheet(spec, plan.keeps.name, orientation, limits, options, floor)
    _warn_below_floor(spec, plan, tile)
    sheet, pages = plan.sheet, plan.pages
    subtitle = kind.subtitle(model, locale) if kind.subtitle else locale[f"kinds.{kind.name}"]
    html = page_html(
        "canvas/filled.html.j2", sheet=sheet, locale=locale, title=model.title, subtitle=subtitle,
        meta=meta_rows(locale, model), footer=model.title, stamp=footer_stamp(model), pages=len(pages),
        authors=model.authors, user_templates=Path(templates) if templates else None,
    )
    data = compose(html_to_pdf(html), pages, sheet)
    return _finish(data, model.title, model.authors, model.lang, subtitle, sheet, tile, locale), sheet


def floor_message(plan: Plan, tile: str | None = None) -> str | None:
    """What to say when a plan prints body text below its floor, or None when it does not."""
    if plan.legible:
        return None
    said = (f"prints body text at {plan.body_pt:.1f} pt on {plan.sheet.name}, "
            f"below the {plan.floor:g} pt floor")
    if plan.keeps is not None:
        sheets = paper_named(tile).name if tile else plan.sheet.name
        return (f"{said}; {plan.keeps.name} keeps it: --paper {plan.keeps.name}, or --paper {plan.keeps.name} "
                f"--tile {sheets} to print it on {sheets} sheets")
    where = "on any sheet up to A0" if plan.forced else "even on the largest sheet"
    return f"{said}, and would {where}; split the diagram into several specs, or lower the floor (--min-text)"


def _warn_below_floor(spec: Spec, plan: Plan, tile: str | None) -> None:
    """A warning on the spec when its body text prints below the floor."""
    message = floor_message(plan, tile)
    if message is None:
        return
    warning = Diagnostic(Severity.WARNING, spec.name, 0, 0, "paper" if plan.forced else "", message)
    if warning not in spec.diagnostics:
        spec.diagnostics.append(warning)


def render_blank(kind_name: str, *, lang: str = "en", paper: str | None = None,
                 orientation: str | None = None, title: str | None = None,
                 stages: list[str] | int | None = None, lanes: list[str] | None = None,
                 templates: str | Path | None = None, tile: str | None = None) -> bytes:
    """A blank canvas of a kind, with its guiding questions, as PDF bytes.

    ``stages`` and ``lanes`` shape the canvases of kinds that have them (see
    :attr:`cxviz.registry.Kind.blank_values`); others ignore them. For
    journeys, ``stages`` is a number of stages or their names, and ``lanes``
    the lanes to draw (keys of ``journey.lanes`` in the locale).
    """
    from ..api import _kind

    return _blank(_kind(kind_name), {"stages": stages, "lanes": lanes}, lang=lang, paper=paper,
                  orientation=orientation, title=title, templates=templates, tile=tile)


def render_blank_for(spec: Spec, *, paper: str | None = None, orientation: str | None = None,
                     templates: str | Path | None = None, tile: str | None = None) -> bytes:
    """A blank canvas of a spec's kind, with the spec's title and what else its kind takes from it.

    A journey's blank canvas keeps the spec's stage names, for a workshop to fill in again.
    """
    model, kind = spec.model, spec.kind
    options = kind.blank_options(model) if kind.blank_options else {}
    return _blank(kind, options, lang=model.lang, paper=paper, orientation=orientation, title=model.title,
                  templates=templates, tile=tile)


def _blank(kind: Kind, options: dict[str, Any], *, lang: str, paper: str | None, orientation: str | None,
           title: str | None, templates: str | Path | None, tile: str | None) -> bytes:
    locale = catalogue(lang)
    sheet = sheet_for(kind, paper, orientation)
    heading = title or locale[f"kinds.{kind.name}"]
    values = kind.blank_values(locale, options) if kind.blank_values else {}
    html = page_html(
        blank_template(kind.name), sheet=sheet, locale=locale, title=heading,
        subtitle=f"{locale[f'kinds.{kind.name}']} · {locale['canvas.blank']}", meta=meta_rows(locale),
        footer=heading, user_templates=Path(templates) if templates else None, **values,
    )
    return _finish(html_to_pdf(html), heading, (), lang, locale[f"kinds.{kind.name}"], sheet, tile, locale)


def _finish(data: bytes, title: str, authors, lang: str, subject: str, sheet: Paper, tile: str | None,
            locale: Catalogue) -> bytes:
    """Tile the canvas when asked, then set the document's information."""
    if tile:
        data = tile_pdf(data, sheet, paper_named(tile), locale, title)
    return finish_pdf(data, title=title, authors=tuple(authors), lang=lang, subject=subject)


def render_pack(specs: list[Spec], *, blank: bool = False, title: str | None = None, lang: str = "en",
                paper: str | None = None, templates: str | Path | None = None,
                min_text_pt: float | None = None) -> bytes:
    """Several canvases in one PDF, each on its own sheet size, after a cover page.

    With ``blank``, each spec gives a blank canvas of its kind, with its
    title and what else its kind takes from it (a journey's stages).
    Filled canvases keep body text at ``min_text_pt`` or larger as
    :func:`render_pdf` does, warning on the spec when they cannot.
    """
    locale = catalogue(lang)
    heading = title or locale["canvas.pack"]
    documents, contents = [], []
    for spec in specs:
        model, kind = spec.model, spec.kind
        if blank:
            data = render_blank_for(spec, paper=paper, templates=templates)
            sheet = sheet_for(kind, paper, None)
        else:
            data, sheet = _filled(spec, paper=paper, orientation=None, templates=templates, tile=None, limits=None,
                                  min_text_pt=min_text_pt)
        documents.append(data)
        contents.append((model.title, catalogue(model.lang)[f"kinds.{kind.name}"], sheet.name))
    cover_sheet = paper_named(paper or "a4").oriented("portrait")
    cover = page_html(
        "canvas/cover.html.j2", sheet=cover_sheet, locale=locale, title=heading,
        subtitle=locale["canvas.contents"], meta=meta_rows(locale), footer=heading, contents=contents,
        user_templates=Path(templates) if templates else None,
    )
    data = merge_pdfs([html_to_pdf(cover), *documents])
    return finish_pdf(data, title=heading, authors=(), lang=lang, subject=locale["canvas.pack"])
