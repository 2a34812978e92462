"""cxviz: customer-experience diagrams as code.

Journey maps and service blueprints, empathy maps, personas, 5-Whys trees and
user flows, written as YAML and drawn as SVG or PNG with Graphviz.

The pipeline, one module per stage::

    loading     YAML text -> nodes that keep their line and column
    validation  nodes -> model (every error at once), via schema and the kind's checks
    kinds/*     one package per diagram kind: its model and how it becomes a graph
    graph       DOT text: layered graphs and fixed-position boards
    rendering   Graphviz -> finished SVG, PNG, and PDF canvases
"""

from .api import (
    Spec,
    build_graph,
    check,
    checks,
    kinds,
    load,
    loads,
    render_dot,
    render_png,
    render_pngs,
    render_svg,
    reference,
    render_svgs,
    schema,
    starter,
)
from .diagnostics import CxvizError, Diagnostic, RenderError, Severity, SpecError
from .limits import Limits

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Spec",
    "Limits",
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
    "CxvizError",
    "SpecError",
    "RenderError",
    "Diagnostic",
    "Severity",
]
