"""The diagram kinds cxviz knows, each declared as one :class:`Kind` record.

A kind lives in its own package under ``cxviz/kinds/``: its spec records
(the model), its checks, and the way it becomes a graph. Adding a kind means
adding one package and listing it in ``_KIND_MODULES``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from .graph.dot import DotGraph
    from .locale import Catalogue
    from .validation import Checker

__all__ = ["Kind", "RenderContext", "all_kinds", "get_kind", "kind_names"]

_KIND_MODULES = ("journey", "empathy", "persona", "whys", "userflow")


@dataclass(frozen=True)
class RenderContext:
    """What a kind needs besides its model to draw: words, files, options."""

    locale: "Catalogue"
    base_dir: Path
    options: dict[str, Any]


@dataclass(frozen=True)
class Kind:
    """Everything cxviz knows about one diagram kind."""

    name: str
    #: One line for ``cxviz kinds``.
    summary: str
    #: The root spec record; its fields are the spec format.
    model: type
    #: Draws a valid model: returns the graph Graphviz lays out.
    build_graph: Callable[[Any, RenderContext], "DotGraph"]
    #: Checks what field types cannot say (unknown ids, unreachable nodes...),
    #: reporting through the checker; may return the model with references resolved.
    check: Callable[[Any, "Checker"], Any] | None = None
    #: A sentence describing a model, for the SVG's <desc> when the spec has none.
    describe: Callable[[Any, "Catalogue"], str] | None = None
    #: The package folder (holds ``starter.yaml``).
    folder: Path | None = None
    #: The sheet a canvas of this kind is printed on unless told otherwise.
    paper: str = "a3"
    orientation: str = "landscape"
    #: Splits a model over ``parts`` pages (a long journey); None if it never splits.
    paginate: Callable[[Any, RenderContext, int], list["DotGraph"]] | None = None
    #: Words under the title of a printed canvas (the kind's name by default).
    subtitle: Callable[[Any, "Catalogue"], str] | None = None
    #: Values a blank canvas's template needs beyond those every page gets, from the
    #: options given for it (a journey's ``stages`` and ``lanes``); None if it needs none.
    blank_values: Callable[["Catalogue", dict[str, Any]], dict[str, Any]] | None = None
    #: The blank canvas options a spec suggests (a journey's stage names), for a
    #: pack of blank canvases made from specs; None if it suggests none.
    blank_options: Callable[[Any], dict[str, Any]] | None = None

    @property
    def starter_path(self) -> Path:
        assert self.folder is not None
        return self.folder / "starter.yaml"


@lru_cache(maxsize=None)
def _load(name: str) -> Kind:
    return importlib.import_module(f".kinds.{name}", __package__).KIND


def all_kinds() -> list[Kind]:
    """Every kind, in the order they are documented."""
    return [_load(name) for name in _KIND_MODULES]


def kind_names() -> list[str]:
    return list(_KIND_MODULES)


def get_kind(name: str) -> Kind | None:
    """The kind called ``name``, importing only its own package."""
    return _load(name) if name in _KIND_MODULES else None
