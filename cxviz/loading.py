"""Reading spec files: bytes -> text -> YAML nodes that remember where they stand.

The validator works on PyYAML's composed node graph rather than on plain
Python values, because every node keeps its line and column: that is what
lets an error point at the exact spot in the file. This stage also refuses
what PyYAML would silently accept and a designer would regret, such as a key
written twice in one mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Reporter
from .limits import Limits

__all__ = ["LoadedSource", "read_source", "parse_yaml", "node_position"]


@dataclass
class LoadedSource:
    """A spec file's text and its YAML root node (``None`` if it did not parse)."""

    name: str
    text: str
    root: Node | None
    reporter: Reporter
    path: Path | None = None


def node_position(node: Node) -> tuple[int, int]:
    """1-based (line, column) where ``node`` starts."""
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


def read_source(path: Path | str, limits: Limits | None = None) -> LoadedSource:
    """Read and parse one spec file; ``"-"`` reads standard input."""
    import sys

    limits = limits or Limits()
    name = "<stdin>" if str(path) == "-" else str(path)
    reporter = Reporter(name)
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(limits.max_file_bytes + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        reporter.error(0, 0, "", "no such file")
        return LoadedSource(name, "", None, reporter)
    except IsADirectoryError:
        reporter.error(0, 0, "", "is a directory, not a spec file")
        return LoadedSource(name, "", None, reporter)
    except OSError as exc:
        reporter.error(0, 0, "", f"cannot be read: {exc.strerror or exc}")
        return LoadedSource(name, "", None, reporter)
    if len(data) > limits.max_file_bytes:
        reporter.error(
            0, 0, "", f"is larger than the limit of {limits.max_file_bytes:,} bytes"
        )
        return LoadedSource(name, "", None, reporter)
    text = _decode(data, reporter)
    if text is None:
        return LoadedSource(name, "", None, reporter)
    source = parse_yaml(text, name, limits)
    source.path = None if str(path) == "-" else Path(path)
    return source


def _decode(data: bytes, reporter: Reporter) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        reporter.error(1, 1, "", "is UTF-16 encoded; save it as UTF-8")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        reporter.error(line, column, "", f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})")
        return None


def parse_yaml(text: str, name: str = "<string>", limits: Limits | None = None) -> LoadedSource:
    """Parse YAML text into a located node tree, reporting every structural problem."""
    limits = limits or Limits()
    if text.startswith("\ufeff"):
        text = text[1:]
    reporter = Reporter(name, text)
    source = LoadedSource(name, text, None, reporter)
    if not text.strip():
        reporter.error(1, 1, "", "the file is empty; a spec starts with 'kind:'")
        return source
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "is not valid YAML"
        if "\t" in text and "found character '\\t'" in str(exc):
            problem = "tabs cannot indent YAML; use spaces"
        reporter.error(line, column, "", f"invalid YAML: {problem}")
        return source
    except yaml.YAMLError as exc:
        reporter.error(0, 0, "", f"invalid YAML: {exc}")
        return source
    except RecursionError:
        reporter.error(1, 1, "", f"nests deeper than {limits.max_depth} levels")
        return source
    documents = [d for d in documents if d is not None]
    if not documents:
        reporter.error(1, 1, "", "the file holds no content; a spec starts with 'kind:'")
        return source
    if len(documents) > 1:
        line, column = node_position(documents[1])
        reporter.error(line, column, "", "holds several YAML documents; write one spec per file")
        return source
    root = documents[0]
    if not isinstance(root, MappingNode):
        line, column = node_position(root)
        reporter.error(line, column, "", "the top level must be a mapping starting with 'kind:'")
        return source
    if _check_structure(root, reporter, limits):
        source.root = root
    return source


def _check_structure(root: Node, reporter: Reporter, limits: Limits) -> bool:
    """Refuse duplicate keys and hostile shapes; merge ``<<`` keys in place.

    Returns False when the tree must not be walked any further (too deep or
    too large), True otherwise (duplicate keys are reported but the tree can
    still be validated, so the user sees every problem at once).
    """
    constructor = yaml.SafeLoader("")
    count = 0
    stack: list[tuple[Node, int, str]] = [(root, 1, "")]
    seen_ids: set[int] = set()
    while stack:
        node, depth, path = stack.pop()
        count += 1
        if count > limits.max_yaml_nodes:
            line, column = node_position(node)
            reporter.error(
                line, column, "",
                f"has more than {limits.max_yaml_nodes:,} YAML values (aliases counted "
                "each time they are used); the limit guards against alias bombs",
            )
            return False
        if depth > limits.max_depth:
            line, column = node_position(node)
            reporter.error(line, column, "", f"nests deeper than {limits.max_depth} levels")
            return False
        if isinstance(node, MappingNode):
            if id(node) not in seen_ids:
                seen_ids.add(id(node))
                try:
                    constructor.flatten_mapping(node)
                except yaml.YAMLError as exc:
                    line, column = node_position(node)
                    reporter.error(line, column, "", f"invalid merge key: {exc}")
                    return False
                _report_duplicate_keys(node, path, reporter)
            for key, value in node.value:
                name = key.value if isinstance(key, ScalarNode) else "?"
                stack.append((value, depth + 1, f"{path}.{name}" if path else name))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, depth + 1, f"{path}[{index}]"))
    return True


def _report_duplicate_keys(node: MappingNode, path: str, reporter: Reporter) -> None:
    first_seen: dict[str, ScalarNode] = {}
    for key, _value in node.value:
        if not isinstance(key, ScalarNode):
            line, column = node_position(key)
            reporter.error(line, column, "", "keys must be plain words, not lists or mappings")
            continue
        earlier = first_seen.get(key.value)
        if earlier is not None:
            line, column = node_position(key)
            first_line, _ = node_position(earlier)
            reporter.error(
                line, column, f"{path}.{key.value}" if path else key.value,
                f"duplicate key (first written on line {first_line}); YAML would keep only the last one",
            )
        else:
            first_seen[key.value] = key
