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

from .diagnostics import Diagnostic, RenderError, SpecError
from .graph.dot import DotGraph
from .limits import Limits
from .loading import parse_yaml, read_source
from .locale import catalogue
from .registry import Kind, RenderContext, all_kinds, get_kind
from .rendering.graphviz import layout
from .rendering.svg import finish_svg
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
    "kinds",
    "schema",
    "reference",
    "starter",
]


def load(path: str | Path, *, limits: Limits | None = None) -> Spec:
    """Read and validate a spec file (``"-"`` for standard input).

    Raises :class:`~cxviz.SpecError` carrying every diagnostic if the spec
    has errors; warnings are kept on the returned :class:`Spec`.
    """
    spec, diagnostics = _validate(read_source(path, limits), limits)
    if spec is None:
        raise SpecError(diagnostics)
    return spec


def loads(text: str, *, name: str = "<string>", base_dir: str | Path | None = None,
          limits: Limits | None = None) -> Spec:
    """Validate spec text; relative file references resolve against ``base_dir``."""
    source = parse_yaml(text, name, limits)
    if base_dir is not None:
        source.path = Path(base_dir) / "__spec__.yaml"
    spec, diagnostics = _validate(source, limits)
    if spec is None:
        raise SpecError(diagnostics)
    spec.name = name
    return spec


def check(path: str | Path, *, limits: Limits | None = None) -> list[Diagnostic]:
    """Every error and warning in a spec file, without raising."""
    return _validate(read_source(path, limits), limits)[1]


def checks(text: str, *, name: str = "<string>", limits: Limits | None = None) -> list[Diagnostic]:
    """Every error and warning in spec text, without raising."""
    return _validate(parse_yaml(text, name, limits), limits)[1]


def _validate(source, limits):
    return validate_source(source, limits)


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


def render_svgs(specs: list[Spec], *, embed_font: bool = True, limits: Limits | None = None,
                **options) -> list[str | RenderError]:
    """Render many specs to SVG with one Graphviz process per engine.

    Each entry is the SVG text, or the :class:`~cxviz.RenderError` that
    stopped that spec (the others still render).
    """
    limits = limits or Limits()
    graphs: list[DotGraph | RenderError] = []
    for spec in specs:
        try:
            graphs.append(build_graph(spec, **options))
        except RenderError as exc:
            graphs.append(exc)
    ready = [g for g in graphs if isinstance(g, DotGraph)]
    laid_out = iter(layout(ready, "svg", limits.layout_seconds))
    results: list[str | RenderError] = []
    for spec, graph in zip(specs, graphs):
        if isinstance(graph, RenderError):
            results.append(graph)
            continue
        result = next(laid_out)
        if result.error is not None:
            results.append(result.error)
            continue
        results.append(
            finish_svg(
                result.output,
                title=spec.model.title,
                description=_description(spec),
                lang=spec.model.lang,
                overlays=graph.overlays,
                embed_font=embed_font,
            )
        )
    return results


def render_svg(spec: Spec, *, embed_font: bool = True, limits: Limits | None = None, **options) -> str:
    """Render one spec to SVG text; raises :class:`~cxviz.RenderError` on failure."""
    result = render_svgs([spec], embed_font=embed_font, limits=limits, **options)[0]
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
    header = tuple(yaml_key(f) for f in dataclasses.fields(Document))
    return reference_markdown(kind.model, skip=header)


def starter(kind_name: str, lang: str = "en") -> str:
    """A commented starter spec for a kind, in ``lang``."""
    kind = get_kind(kind_name)
    if kind is None:
        raise KeyError(kind_name)
    text = kind.starter_path.read_text(encoding="utf-8")
    return text.replace("lang: en", f"lang: {lang}", 1)
