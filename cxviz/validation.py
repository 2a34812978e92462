"""Validation: a located YAML tree becomes a model, or every reason it cannot.

Field types, required fields, bounds and unknown keys are checked from the
kind's records (:mod:`cxviz.schema`); what types cannot say (duplicate ids,
edges to unknown nodes, a missing persona file...) is checked by the kind's
``check`` function through a :class:`Checker`.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, ScalarNode

from .access import AccessError, FileAccess, is_url, resolve_reference
from .diagnostics import CxvizError, Diagnostic, Reporter
from .document import FORMAT_VERSION
from .limits import Limits
from .loading import LoadedSource, RoundTrip, node_position, parse_roundtrip, parse_yaml, read_source
from .located import LocatedTree, Location
from .locale import LANGUAGE_TAG, language_warning
from .registry import Kind, KindLoadError, get_kind, kind_names
from .schema import INVALID, Converter, quote_value

__all__ = ["Spec", "Checker", "validate_source"]


@dataclass
class Spec:
    """A validated spec: its kind, its model and where it came from.

    :meth:`where` tells where in the file any value was written, and
    :meth:`document` gives the text again with its comments, for editing.
    """

    kind: Kind
    model: Any
    name: str
    base_dir: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: Every other file the spec made cxviz read (persona specs, photos): what a cache must watch.
    dependencies: tuple[Path, ...] = ()
    #: The text the spec was read from (without a byte-order mark).
    source_text: str = field(default="", repr=False, compare=False)
    #: The YAML nodes of ``source_text``, each with its position: read again when first asked
    #: for, since a batch of specs holding their node trees would hold several times the memory.
    located: LocatedTree | None = field(default=None, repr=False, compare=False)
    _document: RoundTrip | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]

    def where(self, path: str, *, key: bool = False) -> Location:
        """Where the value at ``path`` was written: ``spec.where("stages[1].steps[0]")``.

        ``path`` is written as diagnostics print it or dotted
        (``stages.1.steps.0``); with ``key=True``, where the key of a mapping
        entry was written. Raises :class:`~cxviz.diagnostics.PathError`,
        naming the nearest path that exists, when nothing is written there.
        """
        return self._located().where(path, key=key)

    def paths(self) -> Iterator[str]:
        """Every path written in the spec, in the file's order, as diagnostics print them."""
        return self._located().paths()

    def document(self) -> RoundTrip:
        """The spec's text read for editing, comments kept (read on the first call, then kept)."""
        if self._document is None:
            self._document = parse_roundtrip(self.source_text, self._located().name)
        return self._document

    def _located(self) -> LocatedTree:
        if self.located is None:
            if not self.source_text:
                raise CxvizError(f"{self.name}: this spec was not read from text, so its positions are unknown")
            # The text parsed once already, within the limits it was read with: none apply again.
            unbounded = Limits(max_file_bytes=10**12, max_yaml_nodes=10**12, max_depth=10**6, max_items=10**12,
                               max_text_chars=10**12)
            source = parse_yaml(self.source_text, self.name, unbounded)
            self.located = LocatedTree(source.root, self.name)
        return self.located


class Checker:
    """What a kind's ``check`` function reports through and reads files with."""

    def __init__(self, converter: Converter, base_dir: Path, limits: Limits, stack: tuple[Path, ...],
                 access: FileAccess):
        self._converter = converter
        self.base_dir = base_dir
        self.limits = limits
        self._stack = stack
        self.access = access
        self.dependencies: list[Path] = []
        self._resolved: dict[str, Path] = {}

    def error(self, path: str, message: str, *, at_key: bool = False) -> None:
        """Report an error at the field ``path`` (``stages[0].steps[1].emotion``)."""
        self._converter.error(path, message, at_key=at_key)

    def warning(self, path: str, message: str, *, at_key: bool = False) -> None:
        """Report a warning at the field ``path``."""
        self._converter.warning(path, message, at_key=at_key)

    @property
    def reporter(self) -> Reporter:
        return self._converter.reporter

    def resolve_file(self, path: str, reference: str) -> Path | None:
        """The file a spec refers to, relative to the spec's folder; reports why not.

        References stay inside the spec's folder (or the root the user
        named) unless the user allowed more: see :mod:`cxviz.access`.
        """
        if not reference.strip():
            self.error(path, "is empty; name a file, or leave the field out")
            return None
        try:
            resolved = resolve_reference(reference, self.base_dir, self.access)
            self.dependencies.append(resolved)
            self._resolved[reference] = resolved
            return resolved
        except AccessError as exc:
            reason, shown = str(exc), _short(reference)
            self.error(path, f"file not found: {shown}" if reason == "file not found" else f"{shown} {reason}")
            return None

    def drawn_path(self, reference: str) -> str:
        """How drawing finds a file this spec refers to, relative to the spec's folder.

        The reference itself, except a URL (``file://``, or ``https://`` when
        allowed), which drawing could not read: the file it led to instead.
        """
        if is_url(reference) and reference in self._resolved:
            return str(self._resolved[reference])
        return reference

    def check_image(self, path: str, reference: str) -> str | None:
        """Check that an image the spec refers to (a photo) can be read and embedded.

        Reports why not at ``path`` and returns None; otherwise returns the
        reference drawing should read (see :meth:`drawn_path`).
        """
        from .images import ImageError, read_image

        target = self.resolve_file(path, reference)
        if target is None:
            return None
        try:
            read_image(target)
        except ImageError as exc:
            self.error(path, f"{reference} {exc}")
        except OSError as exc:
            self.error(path, f"{reference} cannot be read ({exc.strerror or exc})")
        else:
            return self.drawn_path(reference)
        return None

    def load_reference(self, path: str, reference: str, expected_kind: str) -> Any:
        """Load and validate another spec this one refers to (a journey's persona).

        Its own errors are reported against its own file; returns its model,
        or None after reporting why not.
        """
        target = self.resolve_file(path, reference)
        if target is None:
            return None
        resolved = target
        if resolved in self._stack:
            self.error(path, f"{_short(reference)} refers back to a spec that refers to it (a loop)")
            return None
        source = read_source(_shown(target), self.limits)
        declared = _declared_kind(source)
        if declared is not None and declared != expected_kind:
            # Not validated: its own references could lead on from spec to spec.
            self.error(path, f"{_short(reference)} is a {declared} spec; expected a {expected_kind} spec")
            return None
        spec, diagnostics = validate_source(source, self.limits, self._stack, access=self.access)
        self.reporter.diagnostics.extend(diagnostics)
        if spec is not None:
            self.dependencies.extend(spec.dependencies)
        if spec is None:
            self.error(path, f"{_short(reference)} is not a valid spec (see its errors)")
            return None
        if spec.kind.name != expected_kind:
            self.error(path, f"{_short(reference)} is a {spec.kind.name} spec; expected a {expected_kind} spec")
            return None
        return spec.model


def _short(reference: str, limit: int = 300) -> str:
    """A reference as quoted in a message: whole unless it is very long."""
    return reference if len(reference) <= limit else reference[: limit - 1] + "…"


def _shown(path: Path) -> Path:
    """A referenced file as the user would name it: relative to the working folder when inside it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _declared_kind(source: LoadedSource) -> str | None:
    """The kind a parsed spec names, if it names a known one; reports nothing."""
    if not isinstance(source.root, MappingNode):
        return None
    for key, value in source.root.value:
        if isinstance(key, ScalarNode) and key.value == "kind" and isinstance(value, ScalarNode):
            try:
                return value.value if get_kind(value.value) is not None else None
            except KindLoadError:
                return None  # reported when that spec itself is validated
    return None


def _kind_of(source: LoadedSource) -> Kind | None:
    """The kind a spec's ``kind:`` names, through the registry; None after reporting why not."""
    root = source.root
    assert isinstance(root, MappingNode)
    reporter = source.reporter
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "kind":
            line, column = node_position(value)
            if not isinstance(value, ScalarNode) or not value.value:
                reporter.error(line, column, "kind", "expected one of " + ", ".join(kind_names(discover=True)))
                return None
            try:
                kind = get_kind(value.value)
            except KindLoadError as exc:
                reporter.error(line, column, "kind", str(exc))
                return None
            if kind is None:
                # Listed only now: the installed packages' kinds are read for an error, not for every spec.
                names = kind_names(discover=True)
                shown = quote_value(value.value)
                message = f"unknown kind {shown} (expected one of {', '.join(names)})"
                close = difflib.get_close_matches(value.value, names, n=1)
                if close:
                    message = f"unknown kind {shown}; did you mean {close[0]!r}?"
                reporter.error(line, column, "kind", message)
            return kind
    line, column = node_position(root)
    reporter.error(line, column, "kind",
                   "required field is missing (one of " + ", ".join(kind_names(discover=True)) + ")")
    return None


def validate_source(
    source: LoadedSource,
    limits: Limits | None = None,
    _stack: tuple[Path, ...] = (),
    *,
    access: FileAccess | None = None,
) -> tuple[Spec | None, list[Diagnostic]]:
    """Validate a loaded source; returns the spec (None on errors) and every diagnostic.

    ``access`` says which files references may reach; by default the folder
    of this spec (kept as the root for the specs it refers to).
    """
    limits = limits or Limits()
    reporter = source.reporter
    if source.root is None:
        return None, reporter.diagnostics
    kind = _kind_of(source)
    if kind is None:
        return None, reporter.diagnostics
    converter = Converter(reporter, limits)
    model = converter.convert(source.root, kind.model)
    dependencies: tuple[Path, ...] = ()
    base_dir = source.path.parent if source.path is not None else Path.cwd()
    access = access or FileAccess()
    if access.root is None:
        access = dataclasses.replace(access, root=base_dir.resolve())
    if model is not INVALID:
        if model.cxviz > FORMAT_VERSION:
            converter.error(
                "cxviz", f"format version {model.cxviz} is newer than this cxviz reads ({FORMAT_VERSION}); upgrade cxviz"
            )
        if not LANGUAGE_TAG.fullmatch(model.lang):
            converter.error("lang", f"{quote_value(model.lang)} is not a language tag (such as en, id, ar or pt-BR)")
        elif (unknown := language_warning(model.lang)) is not None:
            converter.warning("lang", unknown)
        if kind.check is not None:
            stack = _stack + ((source.path.resolve(),) if source.path is not None else ())
            checker = Checker(converter, base_dir, limits, stack, access)
            checked = kind.check(model, checker)
            if checked is not None:
                model = checked
            dependencies = tuple(dict.fromkeys(checker.dependencies))
    if reporter.has_errors or model is INVALID:
        return None, reporter.diagnostics
    spec = Spec(kind, model, source.name, base_dir, reporter.diagnostics, dependencies, source.text)
    return spec, reporter.diagnostics
