"""cxviz: customer-experience diagrams as code.

Journey maps and service blueprints, empathy maps, personas, 5-Whys trees and
user flows, written as YAML and drawn as SVG, PNG or printable PDF canvases.

The pipeline, one package or module per stage::

    loading     YAML text -> nodes that keep their line and column (and, on request, comments)
    validation  nodes -> model (every error at once), via schema and the kind's checks
    kinds/*     one folder per diagram kind: model, checks, scene, starter, blank canvas, words
    scene       what a diagram shows, each element named by its spec path
    graph       the scene written as DOT: layered graphs and fixed-position boards
    rendering   Graphviz -> finished SVG and PNG
    printing    paper, page planning and templates -> PDF canvases

Everything a program needs is in :mod:`cxviz.api` and re-exported here.
"""

from .api import *  # noqa: F403  (the public API, as listed in cxviz.api.__all__)
from .api import __all__ as _api
from .loading import RoundTrip, parse_roundtrip, read_roundtrip
from .scene import Element, Scene

__version__ = "0.1.0"

__all__ = ["__version__", *_api, "RoundTrip", "parse_roundtrip", "read_roundtrip", "Scene", "Element"]
