"""The public Python API: what the command line does, a program can do.

>>> import cxviz
>>> spec = cxviz.loads('''
... kind: whys
... title: Late deliveries
... problem: Orders arrive a day late
... whys:
...   - why: Couriers collect after the cut-off
...     root: true
... ''')
>>> spec.kind.name
'whys'
>>> svg = cxviz.render_svg(spec)
>>> svg.startswith('<?xml')
True
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

from .access import FileAccess, spec_link_problem
from .diagnostics import Diagnostic, RenderError, Reporter, SpecError
from .graph.dot import DotGraph
from .limits import Limits
from .loading import LoadedSource, parse_yaml, read_source
from .locale import catalogue
from .registry import Kind, RenderContext, all_kinds, get_kind
from .rendering.graphviz import LayoutBatch
from .rendering.svg import finish_svg, inline_svg
from .document import Document
from .schema import json_schema, reference_markdown, yaml_key
from .validation import Spec, validate_source

__all__ = [
    "Spec",
    "load",
    "loads",
    "check",
    "checks",
    "build_graph",
    "render_dot",
    "render_svg",
    "render_svgs",
    "render_png",
    "render_pngs",
    "kinds",
    "schema",
    "reference",
    "starter",
]


def load(path: str | Path, *, limits: Limits | None = None, access: FileAccess | None = None) -> Spec:
    """Read and validate a spec file (``"-"`` for standard input).

    Raises :class:`~cxviz.SpecError` carrying every diagnostic if the spec
    has errors; warnings are kept on the returned :class:`Spec`. ``access``
    says which files the spec's references may reach (its own folder by
    default).
    """
    spec, diagnostics = _validate(_read(path, limits, access), limits, access)
    if spec is None:
        raise SpecError(diagnostics)
    return spec


def loads(text: str, *, name: str = "<string>", base_dir: str | Path | None = None,
          limits: Limits | None = None, access: FileAccess | None = None) -> Spec:
    """Validate spec text; relative file references resolve against ``base_dir``."""
    source = parse_yaml(text, name, limits)
    if base_dir is not None:
        source.path = Path(base_dir) / "__spec__.yaml"
    spec, diagnostics = _validate(source, limits, access)
    if spec is None:
        raise SpecError(diagnostics)
    spec.name = name
    return spec


def check(path: str | Path, *, limits: Limits | None = None, access: FileAccess | None = None) -> list[Diagnostic]:
    """Every error and warning in a spec file, without raising."""
    return _validate(_read(path, limits, access), limits, access)[1]


def _read(path: str | Path, limits: Limits | None, access: FileAccess | None) -> LoadedSource:
    """A spec file read and parsed, unless it is a link leading out of its folder."""
    if str(path) != "-":
        problem = spec_link_problem(Path(path), access or FileAccess())
        if problem is not None:
            source = LoadedSource(str(path), "", None, Reporter(str(path)))
            source.reporter.error(0, 0, "", problem)
            return source
    return read_source(path, limits)


def checks(text: str, *, name: str = "<string>", limits: Limits | None = None) -> list[Diagnostic]:
    """Every error and warning in spec text, without raising."""
    return _validate(parse_yaml(text, name, limits), limits)[1]


def _validate(source, limits, access=None):
    return validate_source(source, limits, access=access)


def _context(spec: Spec, options: dict | None) -> RenderContext:
    return RenderContext(catalogue(spec.model.lang), spec.base_dir, dict(options or {}))


def build_graph(spec: Spec, **options) -> DotGraph:
    """The Graphviz graph for a spec, before layout."""
    return spec.kind.build_graph(spec.model, _context(spec, options))


def render_dot(spec: Spec, **options) -> str:
    """The DOT source Graphviz lays out for a spec."""
    return build_graph(spec, **options).source


def _description(spec: Spec) -> str:
    model = spec.model
    if model.description:
        return model.description
    locale = catalogue(model.lang)
    if spec.kind.describe is not None:
        return spec.kind.describe(model, locale)
    return f"{locale['kinds.' + spec.kind.name]}: {model.title}"


def _build_graphs(specs: list[Spec], options: dict, batch: LayoutBatch) -> list[DotGraph | RenderError]:
    """Each spec's graph, or the error that stopped building it; graphs go to ``batch`` as they are built."""
    graphs: list[DotGraph | RenderError] = []
    for spec in specs:
        try:
            graph = build_graph(spec, **options)
        except RenderError as exc:
            graphs.append(exc)
        except Exception as exc:  # one spec's bug must not stop the batch
            graphs.append(drawing_failed(exc))
        else:
            graphs.append(graph)
            batch.add(graph)
    return graphs


def _svg_layouts(specs: list[Spec], options: dict, limits: Limits):
    """Each spec with its graph and Graphviz's SVG of it, or the RenderError that stopped it.

    The graphs are laid out with one Graphviz process per engine, each
    graph as soon as it is drawn.
    """
    batch = LayoutBatch("svg", limits.layout_seconds)
    graphs = _build_graphs(specs, options, batch)
    laid_out = iter(batch.results())
    for spec, graph in zip(specs, graphs):
        if isinstance(graph, RenderError):
            yield spec, None, graph
            continue
        result = next(laid_out)
        yield spec, graph, result.output if result.error is None else result.error


def render_svgs(specs: list[Spec], *, embed_font: bool = True, limits: Limits | None = None,
                **options) -> list[str | RenderError]:
    """Render many specs to SVG with one Graphviz process per engine.

    Each entry is the SVG text, or the :class:`~cxviz.RenderError` that
    stopped that spec (the others still render).
    """
    results: list[str | RenderError] = []
    for spec, graph, svg in _svg_layouts(specs, options, limits or Limits()):
        if isinstance(svg, RenderError):
            results.append(svg)
            continue
        results.append(finish_svg(svg, title=spec.model.title, description=_description(spec),
                                  lang=spec.model.lang, overlays=graph.overlays, embed_font=embed_font))
    return results


def drawing_failed(exc: Exception) -> RenderError:
    """A RenderError for an unexpected failure while drawing one spec."""
    return RenderError(f"could not be drawn ({type(exc).__name__}: {exc}); this is a bug in cxviz, please report it")


def render_svg(spec: Spec, *, embed_font: bool = True, limits: Limits | None = None,
               inline_prefix: str | None = None, **options) -> str:
    """Render one spec to SVG text; raises :class:`~cxviz.RenderError` on failure.

    With ``inline_prefix`` the SVG is ready to embed in HTML: no XML prolog,
    and every id prefixed, so that several diagrams can share one page.
    """
    result = render_svgs([spec], embed_font=embed_font, limits=limits, **options)[0]
    if isinstance(result, RenderError):
        raise result
    return result if inline_prefix is None else inline_svg(result, inline_prefix)


def render_pngs(specs: list[Spec], *, scale: float | None = None, dpi: float | None = None,
                limits: Limits | None = None, **options) -> list[bytes | RenderError]:
    """Render many specs to PNG images, drawn by Graphviz in the SVG's font.

    ``scale`` is relative to the SVG's size (1 = one pixel per CSS pixel,
    96 dpi; default 2); ``dpi`` gives the resolution instead. Each entry is
    the PNG's bytes, or the :class:`~cxviz.RenderError` that stopped that
    spec, such as an image over ``limits.max_png_pixels``. Raises ValueError
    for a scale or dpi out of range.
    """
    from .rendering.png import check_size, diagram_png, pixel_size, resolution, svg_size

    dots = resolution(scale, dpi)
    limits = limits or Limits()
    results: list[bytes | RenderError] = []
    # Laid out to SVG first, to learn each size before any bitmap is allocated.
    for spec, graph, svg in _svg_layouts(specs, options, limits):
        try:
            if isinstance(svg, RenderError):
                raise svg
            check_size(pixel_size(*svg_size(svg), dots), dots, limits.max_png_pixels)
            results.append(diagram_png(graph, dots, limits.layout_seconds, title=spec.model.title,
                                       description=_description(spec), lang=spec.model.lang))
        except RenderError as exc:
            results.append(exc)
        except Exception as exc:  # one spec's bug must not stop the batch
            results.append(drawing_failed(exc))
    return results


def render_png(spec: Spec, *, scale: float | None = None, dpi: float | None = None,
               limits: Limits | None = None, **options) -> bytes:
    """Render one spec to PNG bytes; raises :class:`~cxviz.RenderError` on failure.

    See :func:`render_pngs` for ``scale`` and ``dpi``.
    """
    result = render_pngs([spec], scale=scale, dpi=dpi, limits=limits, **options)[0]
    if isinstance(result, RenderError):
        raise result
    return result


def kinds() -> list[Kind]:
    """Every diagram kind cxviz draws."""
    return all_kinds()


def schema(kind_name: str) -> str:
    """The JSON Schema of a kind's spec, as indented JSON text."""
    kind = get_kind(kind_name)
    if kind is None:
        raise KeyError(kind_name)
    document = json_schema(kind.model, title=f"cxviz {kind.name} spec", const={"kind": kind.name})
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def reference(kind_name: str) -> str:
    """The Markdown reference of a kind's spec fields (the common header left out)."""
    kind = get_kind(kind_name)
    if kind is None:
        raise KeyError(kind_name)
    from .kinds.persona.model import Persona, Trait

    header = tuple(yaml_key(f) for f in dataclasses.fields(Document))
    # A persona's fields are documented once, with the persona kind.
    elsewhere = {} if kind.name == "persona" else {Persona: "personaspec-persona", Trait: "trait-persona"}
    return reference_markdown(kind.model, skip=header, scope=kind.name, elsewhere=elsewhere)


def starter(kind_name: str, lang: str = "en") -> str:
    """A commented starter spec for a kind, in ``lang``."""
    kind = get_kind(kind_name)
    if kind is None:
        raise KeyError(kind_name)
    text = kind.starter_path.read_text(encoding="utf-8")
    return text.replace("lang: en", f"lang: {lang}", 1)


# -- Printable canvases (PDF) --------------------------------------------------------

#: A long journey continues on more pages rather than print body text below this size (points).
MIN_BODY_PT = 9.0
#: Without a paper given, a canvas whose body text would print below this moves to a larger sheet.
MIN_LEGIBLE_PT = 7.0
#: The body text size the diagrams are drawn with, in points.
DIAGRAM_BODY_PT = 13.0


def _sheet(kind: Kind, paper_name: str | None, orientation: str | None):
    from .paper import paper

    return paper(paper_name or kind.paper).oriented(orientation or kind.orientation)


def _designed_for(model) -> str:
    persona = getattr(model, "persona", None)
    if persona is not None and hasattr(persona, "name"):
        return persona.name
    if getattr(model, "who", None):
        return model.who
    if model.kind == "persona":
        return model.name
    return ""


def _meta(locale, model=None) -> list[tuple[str, str]]:
    if model is None:
        return [(locale["common.designed_for"], ""), (locale["common.designed_by"], ""),
                (locale["common.date"], ""), (locale["common.version"], "")]
    return [
        (locale["common.designed_for"], _designed_for(model)),
        (locale["common.designed_by"], ", ".join(model.authors)),
        (locale["common.date"], model.date or ""),
        (locale["common.version"], model.version or ""),
    ]


def _footer(title: str, model=None) -> str:
    parts = [title] + ([p for p in (model.version, model.date) if p] if model is not None else [])
    return " · ".join(parts)


def _diagram_pages(spec: Spec, sheet, limits: Limits, options: dict, laid_out: dict | None = None) -> list:
    """The diagram as pages for ``sheet``: split (journeys) until readable or no narrower.

    ``laid_out`` keeps the layouts by page count across sheets tried for one
    canvas: the diagram does not depend on the sheet, only its scale does.
    """
    from .canvas import frame_for
    from .paper import MM
    from .rendering.pdf import diagram_pdf, fit

    laid_out = {} if laid_out is None else laid_out
    context = _context(spec, {**options, "framed": True})
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


#: Without a paper given, a canvas too dense to read on its kind's paper moves up this ladder.
PAPER_LADDER = ("a4", "a3", "a2", "a1")


def _best_sheet(spec: Spec, paper: str | None, orientation: str | None, limits: Limits, options: dict):
    """The sheet and the diagram pages to print.

    Without a given orientation, the one that prints the diagram larger;
    without a given paper, the kind's own, or the next larger one on which
    body text stays readable (A1 at most).
    """
    from .canvas import frame_for
    from .rendering.pdf import fit

    names = [paper] if paper else list(PAPER_LADDER[PAPER_LADDER.index(spec.kind.paper):])
    other = "portrait" if spec.kind.orientation == "landscape" else "landscape"
    choices = [orientation] if orientation else [spec.kind.orientation, other]
    best = first = None
    laid_out: dict = {}
    for name in names:
        for choice in choices:
            sheet = _sheet(spec.kind, name, choice)
            pages = _diagram_pages(spec, sheet, limits, options, laid_out)
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


def render_pdf(spec: Spec, *, paper: str | None = None, orientation: str | None = None,
               templates: str | Path | None = None, tile: str | None = None,
               limits: Limits | None = None, **options) -> bytes:
    """A printable canvas of a spec, as PDF bytes.

    The diagram is the same graph the SVG shows. A journey too long for the
    sheet continues on further pages instead of shrinking below a readable
    size. ``tile`` prints the canvas across sheets of that paper.
    """
    from .canvas import page_html
    from .rendering.pdf import compose, html_to_pdf

    limits = limits or Limits()
    model, kind = spec.model, spec.kind
    locale = catalogue(model.lang)
    sheet, pages = _best_sheet(spec, paper, orientation, limits, options)
    subtitle = kind.subtitle(model, locale) if kind.subtitle else locale[f"kinds.{kind.name}"]
    html = page_html(
        "canvas/filled.html.j2", sheet=sheet, locale=locale, title=model.title, subtitle=subtitle,
        meta=_meta(locale, model), footer=_footer(model.title, model), pages=len(pages),
        authors=model.authors, user_templates=Path(templates) if templates else None,
    )
    data = compose(html_to_pdf(html), pages, sheet)
    return _finish(data, model.title, model.authors, model.lang, subtitle, sheet, tile, locale)


def _finish(data: bytes, title: str, authors, lang: str, subject: str, sheet, tile, locale) -> bytes:
    from .paper import paper
    from .rendering.pdf import finish_pdf, tile_pdf

    if tile:
        data = tile_pdf(data, sheet, paper(tile), locale, title)
    return finish_pdf(data, title=title, authors=tuple(authors), lang=lang, subject=subject)


def render_blank(kind_name: str, *, lang: str = "en", paper: str | None = None,
                 orientation: str | None = None, title: str | None = None,
                 stages: list[str] | int | None = None, lanes: list[str] | None = None,
                 templates: str | Path | None = None, tile: str | None = None) -> bytes:
    """A blank canvas of a kind, with its guiding questions, as PDF bytes.

    For journeys, ``stages`` is a number of stages or their names, and
    ``lanes`` the lanes to draw (keys of ``journey.lanes`` in the locale).
    """
    from .canvas import page_html
    from .rendering.pdf import html_to_pdf

    kind = get_kind(kind_name)
    if kind is None:
        raise KeyError(kind_name)
    locale = catalogue(lang)
    sheet = _sheet(kind, paper, orientation)
    heading = title or locale[f"kinds.{kind.name}"]
    if isinstance(stages, int):
        defaults = list(locale["journey.default_stages"])
        stage_names = defaults[:stages] + [""] * max(0, stages - len(defaults))
    else:
        stage_names = list(stages) if stages else list(locale["journey.default_stages"])
    html = page_html(
        f"canvas/blank/{kind.name}.html.j2", sheet=sheet, locale=locale, title=heading,
        subtitle=f"{locale[f'kinds.{kind.name}']} · {locale['canvas.blank']}", meta=_meta(locale),
        footer=heading, user_templates=Path(templates) if templates else None,
        stages=stage_names, lanes=list(lanes) if lanes else None,
    )
    return _finish(html_to_pdf(html), heading, (), lang, locale[f"kinds.{kind.name}"], sheet, tile, locale)


def render_pack(specs: list[Spec], *, blank: bool = False, title: str | None = None, lang: str = "en",
                paper: str | None = None, templates: str | Path | None = None) -> bytes:
    """Several canvases in one PDF, each on its own sheet size, after a cover page."""
    from .canvas import page_html
    from .paper import paper as paper_named
    from .rendering.pdf import finish_pdf, html_to_pdf, merge_pdfs

    locale = catalogue(lang)
    heading = title or locale["canvas.pack"]
    documents, contents = [], []
    for spec in specs:
        model = spec.model
        if blank:
            data = render_blank(spec.kind.name, lang=model.lang, paper=paper, templates=templates,
                                title=model.title, stages=_stage_names(model))
        else:
            data = render_pdf(spec, paper=paper, templates=templates)
        documents.append(data)
        sheet = _sheet(spec.kind, paper, None)
        contents.append((model.title, catalogue(model.lang)[f"kinds.{spec.kind.name}"], sheet.name))
    cover_sheet = paper_named(paper or "a4").oriented("portrait")
    cover = page_html(
        "canvas/cover.html.j2", sheet=cover_sheet, locale=locale, title=heading,
        subtitle=locale["canvas.contents"], meta=_meta(locale), footer=heading, contents=contents,
        user_templates=Path(templates) if templates else None,
    )
    data = merge_pdfs([html_to_pdf(cover), *documents])
    return finish_pdf(data, title=heading, authors=(), lang=lang, subject=locale["canvas.pack"])


def _stage_names(model) -> list[str] | None:
    stages = getattr(model, "stages", None)
    return [stage.name for stage in stages] if stages else None
