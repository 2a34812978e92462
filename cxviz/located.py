"""Paths to the values of a spec, and where in its file each value was written.

A path names a value the way diagnostics print it, ``stages[1].steps[0].pains[0]``,
or in the dotted form element ids use, ``stages.1.steps.0.pains.0``. Paths
are written (:func:`field_path`, :func:`item_path`), converted
(:func:`dotted_path`) and looked up (:class:`LocatedTree`) here and nowhere
else, so that a path a diagnostic prints is always one that can be looked up.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import PathError

__all__ = ["Location", "LocatedTree", "field_path", "item_path", "parent_path", "dotted_path"]


def field_path(path: str, key: str) -> str:
    """The path of the value under ``key`` in the mapping at ``path``: ``stages[1].steps``."""
    return f"{path}.{key}" if path else key


def item_path(path: str, index: int) -> str:
    """The path of item ``index`` (from 0) of the list at ``path``: ``stages[1]``."""
    return f"{path}[{index}]"


def parent_path(path: str) -> str:
    """The path one level up: ``stages[1]`` for ``stages[1].steps``, ``""`` for a top-level key."""
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else ""


_INDEX = re.compile(r"\[(\d+)\]")


def dotted_path(path: str) -> str:
    """The dotted form of a path: ``stages.1.steps.0`` for ``stages[1].steps[0]``."""
    dotted = _INDEX.sub(r".\1", path)
    return dotted[1:] if path.startswith("[") else dotted


def _tokens(path: str) -> list[str | int]:
    """A path's parts: the names between dots, and the indices in brackets as numbers.

    A name made of digits stays text: it is an index only where it meets a
    list. A key may itself hold dots, so names are joined again where a key
    needs them (see :meth:`LocatedTree._resolve`).
    """
    tokens: list[str | int] = []
    for number, piece in enumerate(_INDEX.split(path)):
        if number % 2:
            tokens.append(int(piece))
            continue
        if number:  # what follows an index: ".name..." or nothing
            if not piece:
                continue
            if piece.startswith("."):
                piece = piece[1:]
        elif not piece:
            continue
        tokens.extend(piece.split("."))
    return tokens


def _as_index(token: str | int) -> int | None:
    if isinstance(token, int):
        return token
    return int(token) if token.isascii() and token.isdigit() else None


@dataclass(frozen=True)
class Location:
    """Where a value was written: a file and a 1-based line and column, as diagnostics print them."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class _Miss:
    """How far a lookup got: ``token`` is not found under the value at ``path``."""

    depth: int
    node: Node
    path: str
    token: str | int


class LocatedTree:
    """A spec's YAML nodes, kept after validation to say where each value was written.

    ``name`` is the file as diagnostics name it. Lookups walk down from the
    root, so they cost one step a level; each mapping's keys are indexed the
    first time a lookup passes through it.
    """

    def __init__(self, root: Node, name: str):
        self.root = root
        self.name = name
        self._keys: dict[int, dict[str, tuple[Node, Node]]] = {}

    def where(self, path: str, *, key: bool = False) -> Location:
        """Where the value at ``path`` was written (its key's position with ``key=True``).

        ``path`` is written as diagnostics print it (``stages[1].steps[0]``)
        or dotted (``stages.1.steps.0``); ``""`` is the whole spec. A list item
        and the whole spec have no key, so ``key=True`` gives their value's
        position. Raises :class:`~cxviz.diagnostics.PathError`, naming the
        nearest path that exists, when nothing is written at ``path``.
        """
        found = self._resolve(self.root, None, "", _tokens(path), 0)
        if isinstance(found, _Miss):
            nearest = self._nearest(found)
            shown = nearest or "the top level"
            raise PathError(f"{self.name}: nothing is written at {path}; the nearest path is {shown}", path, nearest)
        key_node, value_node = found
        mark = (key_node if key and key_node is not None else value_node).start_mark
        return Location(self.name, mark.line + 1, mark.column + 1)

    def paths(self) -> Iterator[str]:
        """Every path in the spec, in the order the file writes them, as diagnostics print them."""
        stack: list[tuple[Node, str]] = [(self.root, "")]
        while stack:
            node, path = stack.pop()
            if path:
                yield path
            if isinstance(node, MappingNode):
                children = [(value, field_path(path, name)) for name, (_key, value) in self._children(node).items()]
            elif isinstance(node, SequenceNode):
                children = [(item, item_path(path, index)) for index, item in enumerate(node.value)]
            else:
                continue
            stack.extend(reversed(children))

    def _children(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        children = self._keys.get(id(node))
        if children is None:
            children = {key.value: (key, value) for key, value in node.value if isinstance(key, ScalarNode)}
            self._keys[id(node)] = children
        return children

    def _resolve(self, node: Node, key_node: Node | None, path: str, tokens: list[str | int],
                 start: int) -> tuple[Node | None, Node] | _Miss:
        """The (key, value) nodes ``tokens[start:]`` lead to from ``node``, or how far they led."""
        if start == len(tokens):
            return key_node, node
        token = tokens[start]
        if isinstance(node, SequenceNode):
            index = _as_index(token)
            if index is None or index >= len(node.value):
                return _Miss(start, node, path, token)
            return self._resolve(node.value[index], None, item_path(path, index), tokens, start + 1)
        if not isinstance(node, MappingNode) or isinstance(token, int):
            return _Miss(start, node, path, token)
        children = self._children(node)
        best = _Miss(start, node, path, token)
        name, end = "", start
        # A key holding dots ("Conv. rate") spans several names of the path: try each length.
        while end < len(tokens) and isinstance(tokens[end], str):
            name = f"{name}.{tokens[end]}" if end > start else tokens[end]
            end += 1
            if name in children:
                key, value = children[name]
                found = self._resolve(value, key, field_path(path, name), tokens, end)
                if not isinstance(found, _Miss):
                    return found
                if found.depth > best.depth:
                    best = found
        return best

    def _nearest(self, miss: _Miss) -> str:
        """The existing path closest to a failed lookup: a similar key, the last item, or the parent."""
        node, path, token = miss.node, miss.path, miss.token
        if isinstance(node, MappingNode):
            close = difflib.get_close_matches(str(token), list(self._children(node)), n=1)
            if close:
                return field_path(path, close[0])
        elif isinstance(node, SequenceNode) and node.value:
            index = _as_index(token)
            if index is not None:
                return item_path(path, min(index, len(node.value) - 1))
        return path
