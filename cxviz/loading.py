"""Reading spec files: bytes -> text -> YAML nodes that remember where they stand.

The validator works on PyYAML's composed node graph rather than on plain
Python values, because every node keeps its line and column: that is what
lets an error point at the exact spot in the file. This stage also refuses
what PyYAML would silently accept and a designer would regret, such as a key
written twice in one mapping.
"""

from __future__ import annotations

import io
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, Reporter, SpecError
from .limits import Limits
from .located import field_path, item_path

__all__ = [
    "LoadedSource",
    "read_source",
    "parse_yaml",
    "node_position",
    "RoundTrip",
    "read_roundtrip",
    "parse_roundtrip",
]


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
    limits = limits or Limits()
    name, text, reporter = _read_text(path, limits)
    if text is None:
        return LoadedSource(name, "", None, reporter)
    source = parse_yaml(text, name, limits)
    source.path = None if str(path) == "-" else Path(path)
    return source


def _read_text(path: Path | str, limits: Limits) -> tuple[str, str | None, Reporter]:
    """A spec file's name as diagnostics give it, its text (None if unreadable) and what was reported."""
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
        return name, None, reporter
    except IsADirectoryError:
        reporter.error(0, 0, "", "is a directory, not a spec file")
        return name, None, reporter
    except OSError as exc:
        reporter.error(0, 0, "", f"cannot be read: {exc.strerror or exc}")
        return name, None, reporter
    if len(data) > limits.max_file_bytes:
        reporter.error(
            0, 0, "", f"is larger than the limit of {limits.max_file_bytes:,} bytes"
        )
        return name, None, reporter
    return name, _decode(data, reporter), reporter


def _decode(data: bytes, reporter: Reporter) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        reporter.error(1, 1, "", "is UTF-16 encoded; save it as UTF-8")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        line, column = _byte_position(data, data.index(b"\x00"))
        reporter.error(line, column, "", "holds NUL bytes, so it is not UTF-8 text "
                                         "(UTF-16 without a byte-order mark, or not a text file at all?)")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        reporter.quote_from(data.decode("utf-8", "replace"))
        reporter.error(line, column, "", f"is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8")
        return None


def _byte_position(data: bytes, index: int) -> tuple[int, int]:
    """1-based (line, column in characters) of a byte offset."""
    before = data[:index]
    start = before.rfind(b"\n") + 1
    return before.count(b"\n") + 1, len(before[start:].decode("utf-8", "replace")) + 1


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
        documents = _compose_all(text, limits)
    except _TooMany as exc:
        reporter.error(exc.mark.line + 1, exc.mark.column + 1, "", _too_many(limits))
        return source
    except _NoSuchCharacter as exc:
        reporter.error(exc.mark.line + 1, max(1, exc.mark.column - 1), "",
                       "invalid YAML: this escape names no character (the last one is \\U0010FFFF)")
        return source
    except _TooDeep as exc:
        line, column = exc.mark.line + 1, exc.mark.column + 1
        reporter.error(line, column, "", f"nests deeper than {limits.max_depth} levels")
        return source
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        reporter.error(line, column, "", f"invalid YAML: {_character_problem(exc.character)}")
        return source
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "is not valid YAML"
        start = exc.context_mark
        if "\t" in text and "found character '\\t'" in str(exc):
            problem = "tabs cannot indent YAML; use spaces"
        elif (problem == "mapping values are not allowed here" or "simple key" in (exc.context or "")) \
                and mark and _key_length(text, mark) > 1024:
            problem = "a key may be at most 1024 characters long (or be written after '? ')"
        elif exc.problem and exc.context and start and (start.line, start.column) != (mark.line, mark.column):
            problem += f" {exc.context} that starts at line {start.line + 1}, column {start.column + 1}"
        for token, words in _TOKENS.items():
            problem = problem.replace(token, words)
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


class _Stop(Exception):
    """Composing stopped at a limit, at ``mark``."""

    def __init__(self, mark):
        super().__init__(str(mark))
        self.mark = mark


class _TooDeep(_Stop):
    pass


class _TooMany(_Stop):
    pass


class _NoSuchCharacter(_Stop):
    pass


class _Loader(yaml.SafeLoader):
    """PyYAML's safe composer, stopped at the depth and size limits where they are passed.

    PyYAML composes recursively, so without the depth limit a deep enough
    file would only be caught by Python's recursion limit, without a
    position; without the count, a file of a million tiny values would take
    hundreds of megabytes before its values could be counted.
    """

    max_depth = 64
    max_nodes = 100_000
    _depth = 0
    _count = 0

    def compose_node(self, parent, index):
        self._depth += 1
        self._count += 1
        try:
            if self._depth > self.max_depth:
                raise _TooDeep(self.peek_event().start_mark)
            if self._count > self.max_nodes:
                raise _TooMany(self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _compose_all(text: str, limits: Limits) -> list[Node]:
    fast = _compose_with_libyaml(text, limits)
    if fast is not None:
        return fast
    loader = _Loader(text)
    loader.max_depth, loader.max_nodes = limits.max_depth, limits.max_yaml_nodes
    try:
        documents: list[Node] = []
        while len(documents) < 2 and loader.check_node():  # a second document is already one too many
            node = loader.get_node()
            if node is not None:
                documents.append(node)
        return documents
    except (ValueError, OverflowError):  # PyYAML's scanner calls chr() on a "\U" escape beyond U+10FFFF
        raise _NoSuchCharacter(loader.get_mark()) from None
    finally:
        loader.dispose()


def _compose_with_libyaml(text: str, limits: Limits) -> list[Node] | None:
    """The nodes, composed by libyaml (about 15 times faster), when that is safe and simple.

    Only for a text too short to hold more values than the limit (a value
    takes two characters at least) and that composes without error within
    the depth limit; otherwise None, and the careful composer above runs,
    so problems are always reported the same way.
    """
    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None or len(text) > limits.max_yaml_nodes:
        return None
    try:
        documents = [node for node in yaml.compose_all(text, Loader=loader_class) if node is not None]
    except Exception:  # libyaml's own words for a problem: let the careful composer say it
        return None
    if len(documents) != 1 or _depth(documents[0]) > limits.max_depth:
        return None
    return documents


def _depth(root: Node) -> int:
    deepest, stack, seen = 0, [(root, 1)], set()
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if id(node) in seen:  # an alias: the same node again
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return deepest


#: PyYAML's names for what it expected or found, in words.
_TOKENS = {"'<stream end>'": "the end of the file", "<block end>": "the end of the indented block"}


def _key_length(text: str, mark) -> int:
    """How long the key before the ':' at ``mark`` is (PyYAML refuses plain keys over 1024 characters)."""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    return len(line[: mark.column].strip())


def _line_column(text: str, position: int) -> tuple[int, int]:
    """1-based (line, column) of a character index, counting lines as YAML does."""
    lines = (text[:position] + "x").splitlines()
    return len(lines), len(lines[-1])


def _character_problem(code: int) -> str:
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} is half of a UTF-16 surrogate pair, not a character"
    if code in (0xFFFE, 0xFFFF):
        return f"U+{code:04X} is not a character"
    return (f"control character U+{code:04X} is not allowed in YAML text "
            "(remove it, or write it as an escape in a double-quoted string)")


#: Tags a spec may carry: the ones YAML gives plain values by itself.
_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}"
               for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge", "value")}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_scalar(node: ScalarNode, path: str, reporter: Reporter) -> None:
    found = _SURROGATE.search(node.value)
    if found:
        line, column = node_position(node)
        reporter.error(line, column, path, f"holds U+{ord(found.group()):04X}, half of a UTF-16 surrogate pair, "
                                           "which is not a character; write the character itself")


def _check_tag(node: Node, path: str, reporter: Reporter) -> None:
    if node.tag in _PLAIN_TAGS:
        return
    line, column = node_position(node)
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    reporter.error(line, column, path,
                   f"the YAML tag {_shorten(tag)} is not allowed; a spec holds plain text, numbers, lists and mappings")


def _shorten(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _check_structure(root: Node, reporter: Reporter, limits: Limits) -> bool:
    """Refuse duplicate keys and hostile shapes; merge ``<<`` keys in place.

    Returns False when the tree must not be walked any further (too deep or
    too large), True otherwise (duplicate keys are reported but the tree can
    still be validated, so the user sees every problem at once).
    """
    constructor = yaml.SafeLoader("")
    count = 0
    # Each entry links to its parent's, so that a loop of aliases can be told from deep nesting.
    stack: list[tuple[Node, int, str, tuple | None]] = [(root, 1, "", None)]
    seen_ids: set[int] = set()
    while stack:
        entry = stack.pop()
        node, depth, path, _parent = entry
        count += 1
        if count > limits.max_yaml_nodes:
            line, column = node_position(node)
            reporter.error(line, column, "", _too_many(limits))
            return False
        if depth > limits.max_depth:
            line, column = node_position(node)
            looped = _loop_start(entry)
            if looped is not None:
                reporter.error(line, column, looped, "an alias is used inside the value it names, "
                                                     "so the value would contain itself without end")
            else:
                reporter.error(line, column, "", f"nests deeper than {limits.max_depth} levels")
            return False
        first_visit = id(node) not in seen_ids  # an alias visits its value again
        seen_ids.add(id(node))
        if first_visit:
            _check_tag(node, path, reporter)
            if isinstance(node, ScalarNode):
                _check_scalar(node, path, reporter)
        if isinstance(node, MappingNode):
            if first_visit:
                try:
                    constructor.flatten_mapping(node)
                except yaml.MarkedYAMLError as exc:
                    mark = exc.problem_mark or node.start_mark
                    problem = (exc.problem or "").replace("found scalar", "found a single value")
                    reporter.error(mark.line + 1, mark.column + 1, path, f"invalid merge key '<<': {problem}")
                    return False
                _report_duplicate_keys(node, path, reporter)
                for key, _value in node.value:
                    if isinstance(key, ScalarNode):
                        key_path = field_path(path, key.value)
                        _check_tag(key, key_path, reporter)
                        _check_scalar(key, key_path, reporter)
            for key, value in node.value:
                name = key.value if isinstance(key, ScalarNode) else "?"
                stack.append((value, depth + 1, field_path(path, name), entry))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, depth + 1, item_path(path, index), entry))
    return True


def _too_many(limits: Limits) -> str:
    return (f"has more than {limits.max_yaml_nodes:,} YAML values (aliases counted each time they are used); "
            "the limit guards against alias bombs")


def _loop_start(entry: tuple) -> str | None:
    """The path where a value holding an alias to itself starts, or None if there is no such loop."""
    first_path: dict[int, str] = {}
    looped = None
    while entry is not None:
        node, _depth, path, entry = entry
        if id(node) in first_path:
            looped = node
        first_path[id(node)] = path  # walking up: the last path seen is the outermost
    return None if looped is None else first_path[id(looped)]


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
                line, column, field_path(path, key.value),
                f"duplicate key (first written on line {first_line}); YAML would keep only the last one",
            )
        else:
            first_seen[key.value] = key


# -- Reading for editing ---------------------------------------------------------


class RoundTrip:
    """A spec read for editing with ruamel.yaml, which keeps comments, quotes and layout.

    ``data`` is the top-level mapping (a ruamel ``CommentedMap``): change it
    as a dict, and :meth:`dumps` gives the text back with every comment, and
    unchanged wherever nothing was changed, for a spec indented one way
    throughout (as cxviz's own starters and samples are). ``text`` is the
    text that was read.
    """

    def __init__(self, data: Any, name: str, text: str, yaml: Any, prelude: str):
        self.data = data
        self.name = name
        self.text = text
        self._yaml = yaml
        self._prelude = prelude

    def dumps(self) -> str:
        """The spec as YAML text, comments included."""
        out = io.StringIO()
        self._yaml.dump(self.data, out)
        return self._prelude + out.getvalue()

    def write(self, path: Path | str) -> None:
        """Write :meth:`dumps` to ``path``: UTF-8, and ``\\n`` line ends on every system."""
        Path(path).write_text(self.dumps(), encoding="utf-8", newline="")


def read_roundtrip(path: Path | str, limits: Limits | None = None) -> RoundTrip:
    """Read a spec file for editing (``"-"`` reads standard input); see :func:`parse_roundtrip`.

    Raises :class:`~cxviz.SpecError` when the file cannot be read or parsed,
    with the same diagnostics loading gives.
    """
    name, text, reporter = _read_text(path, limits or Limits())
    if text is None:
        raise SpecError(reporter.diagnostics)
    return parse_roundtrip(text, name)


def parse_roundtrip(text: str, name: str = "<string>") -> RoundTrip:
    """Parse spec text for editing, keeping its comments (see :class:`RoundTrip`).

    Only for tools that rewrite a spec: loading to draw stays on PyYAML and
    libyaml, many times faster. Text that is not one YAML mapping raises
    :class:`~cxviz.SpecError` with the problem located, in the words loading uses.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    if text.startswith("\ufeff"):
        text = text[1:]
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = sys.maxsize  # never fold a long line that was written on one line
    # [{because: B}] stays braced; ruamel would write [because: B] (the rarer form, which then gains braces).
    yaml.brace_single_entry_mapping_in_flow_sequence = True
    mapping, sequence, offset = _guess_indent(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    try:
        data = yaml.load(text)
    except Exception as exc:  # ruamel's parser fails in many ways (ValueError, RecursionError...) on hostile text
        raise SpecError(_roundtrip_problems(text, name, exc)) from None
    if not isinstance(data, CommentedMap):
        raise SpecError(_roundtrip_problems(text, name, None))
    return RoundTrip(data, name, text, yaml, _prelude(text))


def _roundtrip_problems(text: str, name: str, exc: Exception | None) -> list[Diagnostic]:
    """Why ruamel could not read ``text``: as loading says it, or else in ruamel's words."""
    errors = [d for d in parse_yaml(text, name).reporter.diagnostics if d.is_error]
    if errors:
        return errors
    reporter = Reporter(name, text)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if exc is None:
        reporter.error(1, 1, "", "the top level must be a mapping starting with 'kind:'")
    elif mark is None:  # not a YAML problem: a value ruamel cannot build, such as a number of 5,000 digits
        reporter.error(0, 0, "", f"cannot be read for editing: {str(exc) or type(exc).__name__}")
    else:
        reporter.error(mark.line + 1, mark.column + 1, "", f"invalid YAML: {getattr(exc, 'problem', None) or exc}")
    return reporter.diagnostics


_KEY_LINE = re.compile(r"^([ -]*)[^\s#-][^#]*:[ \t]*(?:#.*)?$")


def _guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) indentation as ruamel takes it, from the most common use in ``text``.

    ruamel writes one indentation throughout; it must be the one the file
    uses for the file to come back unchanged. Without evidence, cxviz's own
    style: two spaces, and list dashes two spaces in from their key.
    """
    mappings: Counter[int] = Counter()
    sequences: Counter[tuple[int, int]] = Counter()  # (sequence, offset): where items start, where dashes stand
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    for line, following in zip(lines, lines[1:]):
        found = _KEY_LINE.match(line)
        if found is None:
            continue
        key_column = len(found.group(1))
        indent = len(following) - len(following.lstrip(" "))
        content = following.lstrip(" ")
        if content == "-" or content.startswith("- "):
            after_dash = content[1:]
            gap = max(1, len(after_dash) - len(after_dash.lstrip(" ")))
            offset = max(0, indent - key_column)
            sequences[(offset + 1 + gap, offset)] += 1
        elif indent > key_column:
            mappings[indent - key_column] += 1
    mapping = mappings.most_common(1)[0][0] if mappings else 2
    sequence, offset = sequences.most_common(1)[0][0] if sequences else (4, 2)
    return mapping, sequence, offset


def _prelude(text: str) -> str:
    """Comment lines and a ``---`` line before the document, which ruamel would drop; else ``""``."""
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped == "---":
            return "".join(lines[: number + 1])
        if stripped and not stripped.startswith("#"):
            return ""
    return ""
