"""Formatting a spec: its keys in the order the spec format declares them, nothing else changed.

A spec is read with the comment-keeping reader (:func:`cxviz.loading.parse_roundtrip`)
and each mapping's keys are put in the order its record declares its fields,
level by level (a journey's header, then ``stages``; in a stage ``name``,
``goal``, ``metrics``, ``steps``; in a step ``action``, ``touchpoints``...).
Keys the format does not know keep their order, after the known ones.
Comments, blank lines, quotes and flow or block style stay as written.

ruamel.yaml keeps a comment on the lines above a key with the value before
it: after a scalar, as the text following that scalar's line; after a nested
block, with the last scalar of that block. So that the comment above a key
moves with the key, the lines above each key are first taken from wherever
they are kept, then given back after the keys are in order: to the entry
now above the key, and the lines after the mapping's last entry (which
belong to what follows the mapping) to the new last entry. The lines above
a key that becomes a list item's first go above the item's dash.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any

from .diagnostics import CxvizError
from .document import Document
from .limits import Limits
from .loading import _guess_indent, parse_roundtrip
from .registry import get_kind
from .schema import record_fields, yaml_key

__all__ = ["format_spec", "canonical_order"]


def format_spec(text: str, name: str = "<string>", *, base_dir: str | Path | None = None,
                limits: Limits | None = None, access: Any = None) -> str:
    """``text`` with every mapping's keys in the spec format's order, comments and layout kept.

    The spec is validated first, its file references resolved against
    ``base_dir``: a spec with errors raises :class:`~cxviz.SpecError` with
    every diagnostic and is not formatted. Formatting a formatted spec
    changes nothing, and a formatted spec draws exactly as the original.
    """
    from .api import loads

    if text.startswith("\ufeff"):
        text = text[1:]
    spec = loads(text, name=name, base_dir=base_dir, limits=limits, access=access)
    document = parse_roundtrip(text, name)
    _keep_anchors(document.data)
    formatter = _Formatter(text)
    formatter.mapping(document.data, type(spec.model))
    formatted = document.dumps()
    if formatted == text:
        return text
    check = loads(formatted, name=name, base_dir=base_dir, limits=limits, access=access)
    if check.model != spec.model:  # never hand back a spec that says something else
        raise CxvizError(f"{name}: formatting would change what the spec says, so it is left as written")
    return formatted


def canonical_order(record: type) -> list[str]:
    """The keys of ``record`` in the order a formatted spec writes them: the header first."""
    keys = [yaml_key(field) for field, _tp, _spec in record_fields(record)]
    if issubclass(record, Document):
        header = [yaml_key(field) for field, _tp, _spec in record_fields(Document)]
        keys = header + [key for key in keys if key not in header]
    return keys


def _keep_anchors(root: Any) -> None:
    """Mark every anchor to be written again, used or not: ruamel.yaml leaves out the unused ones."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        anchor = getattr(node, "anchor", None)
        if anchor is not None and getattr(anchor, "value", None):
            anchor.always_dump = True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _record_of(tp: Any) -> type | None:
    return tp if isinstance(tp, type) and hasattr(tp, "__cxviz_record__") else None


def _mapping_type(tp: Any) -> Any:
    """What a mapping written for a field of type ``tp`` is: a record, a dict type, or None."""
    if _record_of(tp) or typing.get_origin(tp) is dict:
        return tp
    for arg in typing.get_args(tp) if _is_union(tp) else ():
        found = _mapping_type(arg)
        if found is not None:
            return found
    return None


def _item_type(tp: Any) -> Any:
    """The type of the items of a list written for a field of type ``tp``, or None."""
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        return args[0] if args else None
    for arg in typing.get_args(tp) if _is_union(tp) else ():
        found = _item_type(arg)
        if found is not None:
            return found
    return None


def _is_union(tp: Any) -> bool:
    import types

    return typing.get_origin(tp) in (typing.Union, types.UnionType)


class _Formatter:
    def __init__(self, text: str):
        self._lines = text.splitlines()
        sequence, offset = _guess_indent(text)[1:]
        self._dash = max(0, sequence - offset)  # how far a list item's keys stand right of its dash
        self._made: set[int] = set()  # comment tokens made here: they hold whole lines only
        self._seen: set[int] = set()  # a value an alias repeats is formatted once

    # -- walking the records ------------------------------------------------------------

    def value(self, node: Any, tp: Any, above: Any = None) -> None:
        """Format ``node``, written for a field of type ``tp``; ``above`` places lines above it."""
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        if id(node) in self._seen:
            return
        if isinstance(node, CommentedMap):
            self._seen.add(id(node))
            mapping_type = _mapping_type(tp)
            if _record_of(mapping_type):
                self.mapping(node, mapping_type, above)
            elif mapping_type is not None:
                value_type = typing.get_args(mapping_type)[1]
                for key in list(node):
                    self.value(node[key], value_type)
        elif isinstance(node, CommentedSeq):
            self._seen.add(id(node))
            item_type = _item_type(tp)
            if item_type is not None:
                for index, item in enumerate(node):
                    self.value(item, item_type, self._above_item(node, index))

    def mapping(self, node: Any, record: type, above: Any = None) -> None:
        """Put the keys of ``node``, written for ``record``, in order, then the values below them.

        ``above`` takes the lines written above a key that becomes the first:
        by default they go right above that key.
        """
        self._seen.add(id(node))
        fields = {yaml_key(field): tp for field, tp, _spec in record_fields(record)}
        own = list(node)
        if own and not getattr(node, "merge", None):  # a mapping with '<<' keys stays as written
            order = canonical_order(record)
            rank = {key: number for number, key in enumerate(order)}
            wanted = sorted(own, key=lambda key: (0, rank[key]) if key in rank else (1, own.index(key)))
            if wanted != own:
                self._reorder(node, own, wanted, above)
        for key in list(node):
            if key in fields:
                self.value(node[key], fields[key])

    # -- moving keys with their comments -------------------------------------------------

    def _reorder(self, node: Any, own: list, wanted: list, above: Any) -> None:
        lines = {key: self._take_above(node, own, number) for number, key in enumerate(own) if number}
        after = self._take_after(node, own[-1])
        for key in wanted:
            node.move_to_end(key)
        if lines.get(wanted[0]):
            if above is not None:
                above(lines[wanted[0]])
            else:
                slots = self._slots(node, wanted[0])
                slots[1] = (slots[1] or []) + [self._token(lines[wanted[0]])]
        for number, key in enumerate(wanted[1:], 1):
            self._give_after(node, wanted[number - 1], lines.get(key, ""))
        self._give_after(node, wanted[-1], after)

    def _above_item(self, seq: Any, index: int):
        """A function placing comment lines written for a key of item ``index`` above the item."""

        def place(lines: str) -> None:
            lines = "".join(_dedent(line, self._dash) for line in lines.splitlines(keepends=True))
            if index:
                self._give(self._after(seq, index - 1, 0), lines)
                return
            if seq.ca.comment is None:
                seq.ca.comment = [None, None]
            before = seq.ca.comment[1]
            if before:  # the same tokens may be kept with the key above the list too: lengthen the last
                before[-1].value = before[-1].value + lines
            else:
                seq.ca.comment[1] = [self._token(lines)]

        return place

    def _take_above(self, node: Any, own: list, number: int) -> str:
        """The comment and blank lines above key ``own[number]``, taken out of where they are kept."""
        lines = self._take_after(node, own[number - 1])
        slots = node.ca.items.get(own[number])
        if slots and slots[1]:
            lines += "".join(self._whole_lines(token) for token in slots[1])
            slots[1] = None
        return lines

    def _after(self, node: Any, key: Any, index: int = 2) -> tuple[list, int, Any, list]:
        """(slots, index, value, blocks) for the comment after entry ``key`` of ``node``.

        ``slots[index]`` keeps what follows the entry's last scalar; ``blocks``
        are the blocks that end with the entry, inmost last, whose ``ca.end``
        keeps what follows them.
        """
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        blocks = []
        while True:
            value = node[key]
            if not (isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style()):
                return self._slots(node, key), index, value, blocks
            blocks.append(value)
            node, key, index = ((value, list(value)[-1], 2) if isinstance(value, CommentedMap)
                                else (value, len(value) - 1, 0))

    def _take_after(self, node: Any, key: Any) -> str:
        slots, index, value, blocks = self._after(node, key)
        lines = self._take_lines(slots, index)
        for block in reversed(blocks):
            end = getattr(block.ca, "end", None)
            if end:
                lines += "".join(self._whole_lines(token) for token in end)
                block.ca.end = []
        return lines

    def _give_after(self, node: Any, key: Any, lines: str) -> None:
        self._give(self._after(node, key), lines)

    def _give(self, place: tuple[list, int, Any, list], lines: str) -> None:
        """Add whole comment and blank lines after an entry, found by :meth:`_after`."""
        from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

        if not lines:
            return
        slots, index, value, blocks = place
        for block in blocks:  # the outmost block's end comes last
            end = getattr(block.ca, "end", None)
            if end:
                end.append(self._token(lines))
                return
        token = slots[index]
        if token is not None:
            token.value = token.value + lines
            return
        # After a block scalar the writer stands at the start of a line; after anything else, at its end.
        block = isinstance(value, (FoldedScalarString, LiteralScalarString))
        slots[index] = self._token(lines if block else "\n" + lines)

    def _token(self, text: str) -> Any:
        from ruamel.yaml.error import CommentMark
        from ruamel.yaml.tokens import CommentToken

        token = CommentToken(text, CommentMark(0), None)
        self._made.add(id(token))
        return token

    @staticmethod
    def _slots(node: Any, key: Any) -> list:
        slots = node.ca.items.get(key)
        if slots is None:
            slots = node.ca.items[key] = [None] * 4
        return slots

    def _take_lines(self, slots: list, index: int) -> str:
        """The whole lines of the comment at ``slots[index]``, leaving only an end-of-line comment."""
        token = slots[index]
        if token is None:
            return ""
        text = token.value
        if self._ends_a_line(token):
            end, _, rest = text.partition("\n")
            token.value = end + "\n"
            if not end.strip():
                slots[index] = None
            return rest
        slots[index] = None
        return self._whole_lines(token)

    def _ends_a_line(self, token: Any) -> bool:
        """Whether ``token`` starts on the line of a value: with an end-of-line comment, or a line break."""
        if token.value.startswith("\n"):
            return True
        if id(token) in self._made:
            return False
        mark = token.start_mark
        line = self._lines[mark.line] if 0 <= mark.line < len(self._lines) else ""
        return bool(line[: mark.column].strip())

    def _whole_lines(self, token: Any) -> str:
        """A comment of whole lines as text, its first line indented as it was written."""
        text = token.value
        if text.startswith("\n") or id(token) in self._made:
            return text
        return " " * token.start_mark.column + text


def _dedent(line: str, width: int) -> str:
    """``line`` moved up to ``width`` spaces left."""
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, width):]
