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
                                  lang=spec.model.lang, overlays=graph.overlays, order=graph.order,
                                  embed_font=embed_font))
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
# The print stage lives in cxviz.printing, imported only when a canvas is printed.


def render_pdf(spec: Spec, *, paper: str | None = None, orientation: str | None = None,
               templates: str | Path | None = None, tile: str | None = None,
               limits: Limits | None = None, **options) -> bytes:
    """A printable canvas of a spec, as PDF bytes.

    The diagram is the same graph the SVG shows. Without ``paper``, the
    kind's own sheet, or a larger one if body text would print too small to
    read; without ``orientation``, the one that prints the diagram larger. A
    journey too long for the sheet continues on further pages instead of
    shrinking below a readable size. ``templates`` is a folder of canvas
    templates searched before the built-in ones (see
    :mod:`cxviz.printing.pages`); ``tile`` prints the canvas across sheets of
    that paper.
    """
    from .printing import canvases

    return canvases.render_pdf(spec, paper=paper, orientation=orientation, templates=templates, tile=tile,
                               limits=limits, **options)


def render_blank(kind_name: str, *, lang: str = "en", paper: str | None = None,
                 orientation: str | None = None, title: str | None = None,
                 stages: list[str] | int | None = None, lanes: list[str] | None = None,
                 templates: str | Path | None = None, tile: str | None = None) -> bytes:
    """A blank canvas of a kind, with its guiding questions, as PDF bytes.

    For journeys, ``stages`` is a number of stages or their names, and
    ``lanes`` the lanes to draw (keys of ``journey.lanes`` in the locale);
    other kinds ignore them. Raises KeyError for an unknown kind.
    """
    from .printing import canvases

    return canvases.render_blank(kind_name, lang=lang, paper=paper, orientation=orientation, title=title,
                                 stages=stages, lanes=lanes, templates=templates, tile=tile)


def render_pack(specs: list[Spec], *, blank: bool = False, title: str | None = None, lang: str = "en",
                paper: str | None = None, templates: str | Path | None = None) -> bytes:
    """Several canvases in one PDF, each on its own sheet size, after a cover page.

    With ``blank``, each spec gives a blank canvas of its kind with the
    spec's title (and a journey's stages).
    """
    from .printing import canvases

    return canvases.render_pack(specs, blank=blank, title=title, lang=lang, paper=paper, templates=templates)
