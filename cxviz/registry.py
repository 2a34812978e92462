"""The diagram kinds cxviz knows, each declared as one :class:`Kind` record.

A kind is one folder: a package holding its spec records (the model), its
checks, the way it becomes a graph, its ``starter.yaml``, its blank canvas
template ``blank.html.j2`` and its words in each language
(``locales/<lang>.yaml``, see :mod:`cxviz.locale`). Its :class:`Kind` record,
named ``KIND`` in the package, says where that folder is.

This module is the one list of kinds. The built-in ones are the packages
under ``cxviz/kinds/`` named in ``_BUILT_IN``; a kind defined anywhere else
joins them in either of two ways:

* :func:`register` adds a :class:`Kind` while the program runs (a test, an
  application embedding cxviz);
* an installed distribution names it in the entry-point group
  ``cxviz.kinds``, the entry point's name being the kind's name and its
  object the :class:`Kind` (or a module with a ``KIND``)::

      [project.entry-points."cxviz.kinds"]
      toy = "toykind:KIND"

  Entry points are read only when a name no other kind has is asked for
  (:func:`get_kind`) or every kind is listed (:func:`all_kinds`), so that
  drawing a built-in kind never pays for scanning the installed packages.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from .diagnostics import CxvizError

if TYPE_CHECKING:
    from .graph.dot import DotGraph
    from .locale import Catalogue
    from .validation import Checker

__all__ = ["Kind", "KindLoadError", "RenderContext", "all_kinds", "get_kind", "kind_names", "register",
           "unregister", "ENTRY_POINT_GROUP"]

#: The built-in kinds, in the order they are documented: each a package under ``cxviz/kinds/``.
_BUILT_IN = ("journey", "empathy", "persona", "whys", "userflow")

#: The entry-point group installed packages declare their kinds in.
ENTRY_POINT_GROUP = "cxviz.kinds"

#: What a kind's name may look like: it becomes a locale key, a template name and an SVG class.
_NAME = re.compile(r"[a-z][a-z0-9_-]*")

#: Kinds added with :func:`register`, in the order they were added.
_registered: dict[str, "Kind"] = {}
#: Kinds loaded from entry points, by name.
_plugins: dict[str, "Kind"] = {}


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
    #: The kind's folder: ``starter.yaml``, ``blank.html.j2`` and ``locales/<lang>.yaml``.
    folder: Path | None = None
    #: The sheet a canvas of this kind is printed on unless told otherwise.
    paper: str = "a3"
    orientation: str = "landscape"
    #: Splits a model over printed pages (a long journey), told how large a page of a size prints
    #: (a :class:`cxviz.printing.planning.PageFit`); None if it never splits.
    paginate: Callable[[Any, RenderContext, Any], Sequence["DotGraph"]] | None = None
    #: Words under the title of a printed canvas (the kind's name by default).
    subtitle: Callable[[Any, "Catalogue"], str] | None = None
    #: Values a blank canvas's template needs beyond those every page gets, from the
    #: options given for it (a journey's ``stages`` and ``lanes``); None if it needs none.
    blank_values: Callable[["Catalogue", dict[str, Any]], dict[str, Any]] | None = None
    #: The blank canvas options a spec suggests (a journey's stage names), for a
    #: pack of blank canvases made from specs; None if it suggests none.
    blank_options: Callable[[Any], dict[str, Any]] | None = None
    #: Records this kind owns that other kinds' specs embed (a persona in a journey),
    #: with their reference anchors: documented once, with this kind.
    shares: dict[type, str] = field(default_factory=dict)

    @property
    def starter_path(self) -> Path:
        """The kind's commented starter spec."""
        assert self.folder is not None
        return self.folder / "starter.yaml"

    @property
    def blank_template_path(self) -> Path | None:
        """The kind's blank canvas template, or None for a kind without a folder."""
        return self.folder / "blank.html.j2" if self.folder is not None else None

    def locale_path(self, lang: str) -> Path | None:
        """The file of the kind's words in ``lang`` (which may not exist), or None without a folder."""
        return self.folder / "locales" / f"{lang}.yaml" if self.folder is not None else None


class KindLoadError(CxvizError):
    """A kind an installed package declares could not be loaded."""


@lru_cache(maxsize=None)
def _load(name: str) -> Kind:
    return importlib.import_module(f".kinds.{name}", __package__).KIND


@lru_cache(maxsize=1)
def _entry_points() -> dict[str, Any]:
    """The entry points of group ``cxviz.kinds`` by name, read once."""
    from importlib.metadata import entry_points

    return {point.name: point for point in entry_points(group=ENTRY_POINT_GROUP)}


def _load_plugin(name: str) -> Kind | None:
    point = _entry_points().get(name)
    if point is None:
        return None
    try:
        loaded = point.load()
    except Exception as exc:  # a broken package must not hide the other kinds behind a traceback
        raise KindLoadError(f"the kind {name!r} ({point.value}) could not be loaded: "
                            f"{type(exc).__name__}: {exc}") from exc
    kind = getattr(loaded, "KIND", loaded)
    if not isinstance(kind, Kind) or kind.name != name:
        raise KindLoadError(f"the entry point {name!r} ({point.value}) is not a cxviz Kind named {name!r}")
    _plugins[name] = kind
    return kind


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValueError(f"{name!r} cannot name a kind: lower-case letters, digits, '_' and '-', "
                         "starting with a letter")
    from .locale import shared_sections

    if name in shared_sections():
        raise ValueError(f"{name!r} cannot name a kind: the shared words already have a section of that name")
    return name


def drawn_by(module: str, name: str) -> Callable[..., Any]:
    """A kind's drawing function, imported from ``module`` the first time it is called.

    A kind's record is read to validate a spec; its drawing code (and the
    graph and font modules it needs) loads only when something is drawn.
    """
    function: Callable[..., Any] | None = None

    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal function
        if function is None:
            function = getattr(importlib.import_module(module), name)
        return function(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"{module}.{name}, imported when first called."
    return call


def register(kind: Kind) -> None:
    """Add a kind defined outside cxviz, so that specs of that kind validate and render.

    Its words come from ``kind.folder / "locales" / "<lang>.yaml"`` and its
    blank canvas from ``kind.folder / "blank.html.j2"``. Raises ValueError if
    the name is taken or cannot name a kind, TypeError if ``kind`` is not a
    :class:`Kind`.
    """
    if not isinstance(kind, Kind):
        raise TypeError(f"expected a cxviz Kind, got {type(kind).__name__}")
    name = _check_name(kind.name)
    if name in _BUILT_IN or name in _registered:
        raise ValueError(f"there is already a kind named {name!r}")
    _registered[name] = kind


def unregister(name: str) -> None:
    """Remove a kind added with :func:`register`; ValueError for a built-in or unknown one."""
    if name in _BUILT_IN:
        raise ValueError(f"{name!r} is a built-in kind")
    if _registered.pop(name, None) is None:
        raise ValueError(f"no kind named {name!r} was registered")


def kind_names(*, discover: bool = False) -> list[str]:
    """The names of the kinds known so far: built-in ones in documented order, then added ones.

    Kinds installed packages declare are listed once their entry points have
    been read: after :func:`all_kinds`, after :func:`get_kind` was asked for
    a name no other kind has, or right away with ``discover=True``.
    """
    names = [*_BUILT_IN, *_registered]
    if discover or _entry_points.cache_info().currsize:
        names += sorted(name for name in _entry_points() if name not in names)
    return names


def all_kinds() -> list[Kind]:
    """Every kind, built-in, registered and installed, in the order :func:`kind_names` gives."""
    kinds = []
    for name in kind_names(discover=True):
        kind = get_kind(name)
        if kind is not None:
            kinds.append(kind)
    return kinds


def get_kind(name: str, *, discover: bool = True) -> Kind | None:
    """The kind called ``name``, or None; importing only its own package.

    A name no built-in or registered kind has is looked up among the
    installed packages' entry points, unless ``discover`` is false. Raises
    :class:`KindLoadError` if the package declaring it fails to load.
    """
    if name in _BUILT_IN:
        return _load(name)
    kind = _registered.get(name) or _plugins.get(name)
    if kind is None and discover and isinstance(name, str):
        kind = _load_plugin(name)
    return kind
