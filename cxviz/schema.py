"""Declaring the spec format once.

Each diagram kind describes its spec as frozen dataclasses decorated with
:func:`record`, each field declared with :func:`spec` (its documentation,
default and bounds). From those declarations alone cxviz

* validates a YAML node tree, collecting every error with its position
  (:class:`Converter`),
* builds the immutable model the renderers draw from, and
* prints a JSON Schema for editors (:func:`json_schema`).

So the validator, the models, the editor schema and the reference in the
docs can never disagree.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
import difflib
import math
import re
import types
import typing
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Union

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Reporter
from .limits import Limits
from .loading import node_position
from .located import field_path, item_path, parent_path
from .text import clean

__all__ = [
    "spec",
    "record",
    "Date",
    "FieldSpec",
    "RecordInfo",
    "Converter",
    "INVALID",
    "json_schema",
    "record_fields",
    "yaml_key",
    "quote_value",
]


class _Invalid:
    """Marks a value that failed validation (its error is already reported)."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"

#: A calendar date written YYYY-MM-DD. The model keeps the text as written
#: (``due: 2025-04-15`` stays "2025-04-15", whether YAML read it as a
#: timestamp or the spec quoted it); validation refuses anything else.
Date = typing.NewType("Date", str)

_DATE_FORM = "YYYY-MM-DD"
_DATE_EXAMPLE = "2025-04-15"
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Written with one-digit months or days (2025-4-5), which YAML also reads as a date.
_LOOSE_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")

# Builds numbers exactly as YAML defines them (0x1F, 1_000, .inf, 1e3...).
_SCALARS = yaml.SafeLoader("")
_EXPONENT = re.compile(r"[-+]?[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]+")
#: Whole numbers from here on fit no 64-bit integer; no spec field needs one.
_LARGEST_INT = 2**63


@dataclass(frozen=True)
class FieldSpec:
    """What the spec format says about one field."""

    doc: str
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    key: str | None = None
    example: Any = None


@dataclass(frozen=True)
class RecordInfo:
    """What the spec format says about one record (a YAML mapping)."""

    doc: str
    shorthand: str | None = None


def spec(
    doc: str,
    *,
    default: Any = dataclasses.MISSING,
    required: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
    key: str | None = None,
    example: Any = None,
) -> Any:
    """Declare one field of a spec record.

    ``key`` is the YAML key when it cannot be the attribute name (``from``
    is a Python keyword). A field that is not ``required`` needs a
    ``default``.
    """
    meta = {"cxviz": FieldSpec(doc, required, minimum, maximum, key, example)}
    if required:
        return dataclasses.field(metadata=meta)
    if default is dataclasses.MISSING:
        raise TypeError(f"optional field needs a default: {doc!r}")
    return dataclasses.field(default=default, metadata=meta)


def record(doc: str, *, shorthand: str | None = None):
    """Make a class a spec record: a frozen, keyword-only dataclass.

    ``shorthand`` names the field that a plain string stands for, so that
    ``- Opens the app`` may be written for ``- action: Opens the app``.
    """

    def wrap(cls):
        cls = dataclass(frozen=True, kw_only=True)(cls)
        cls.__cxviz_record__ = RecordInfo(doc, shorthand)
        return cls

    return wrap


def _is_record(tp: Any) -> bool:
    return isinstance(tp, type) and hasattr(tp, "__cxviz_record__")


def _field_spec(field: dataclasses.Field) -> FieldSpec:
    return field.metadata.get("cxviz") or FieldSpec(doc="")


def yaml_key(field: dataclasses.Field) -> str:
    """The key a field is written under in YAML."""
    return _field_spec(field).key or field.name


@lru_cache(maxsize=None)
def record_fields(cls: type) -> tuple[tuple[dataclasses.Field, Any, FieldSpec], ...]:
    """(field, resolved type, spec) for every field of a record, in order."""
    hints = typing.get_type_hints(cls, include_extras=False)
    return tuple((f, hints[f.name], _field_spec(f)) for f in dataclasses.fields(cls))


def _union_args(tp: Any) -> tuple | None:
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        return typing.get_args(tp)
    return None


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL_TAG:
        return "nothing"
    if node.tag == _BOOL_TAG:
        return f"true/false ({node.value})"
    if node.tag in (_INT_TAG, _FLOAT_TAG):
        return f"the number {node.value}"
    return f"the text {quote_value(node.value)}"


def quote_value(text: str, limit: int = 40) -> str:
    """A value from a spec as a message quotes it: in quotes, and cut short after ``limit`` characters."""
    return repr(_cut(text, limit))


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _date_problem(text: str) -> str | None:
    """Why ``text`` is not a date written YYYY-MM-DD, or None when it is one."""
    advice = f"write it as {_DATE_FORM}, e.g. {_DATE_EXAMPLE}"
    if not text:
        return f"is empty; write a date as {_DATE_FORM}, e.g. {_DATE_EXAMPLE}, or leave the field out"
    western = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    if western != text and _date_problem(western) is None:
        # Arabic-Indic and other digits: the date is right, its digits are not the ones the format uses.
        return f"{quote_value(text)} is not written in the digits 0-9; write it as {western}"
    exact = _ISO_DATE.fullmatch(text)
    loose = exact or _LOOSE_DATE.fullmatch(text)
    if not loose:
        return f"{quote_value(text)} is not a date; {advice}"
    year, month, day = (int(part) for part in loose.groups())
    if not 1 <= month <= 12:
        return f"{quote_value(text)} is not a date (there is no month {month}); {advice}"
    if year < 1:
        return f"{quote_value(text)} is not a date (there is no year 0); {advice}"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"{quote_value(text)} is not a date ({_MONTHS[month - 1]} {year} has {last} days); {advice}"
    written = datetime.date(year, month, day)
    if not exact:
        return f"{quote_value(text)} is not written as {_DATE_FORM}; write it as {written.isoformat()}"
    return None


def _type_name(tp: Any) -> str:
    if tp is str:
        return "text"
    if tp is int:
        return "a whole number"
    if tp is float:
        return "a number"
    if tp is bool:
        return "true or false"
    if tp is Date:
        return f"a date ({_DATE_FORM})"
    if _is_record(tp):
        info = tp.__cxviz_record__
        return "a mapping" + (" or a text" if info.shorthand else "")
    origin = typing.get_origin(tp)
    if origin is tuple:
        return "a list"
    if origin is dict:
        return "a mapping"
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in typing.get_args(tp))
    args = _union_args(tp)
    if args:
        return " or ".join(_type_name(a) for a in args if a is not type(None))
    return str(tp)


class Converter:
    """Turns a YAML node tree into records, reporting every problem it meets.

    After :meth:`convert`, :attr:`nodes` maps each field path (as printed in
    diagnostics, e.g. ``stages[1].steps[0].emotion``) to its YAML node, so
    that checks which run on the finished model can still point at the line.
    """

    def __init__(self, reporter: Reporter, limits: Limits | None = None):
        self.reporter = reporter
        self.limits = limits or Limits()
        self.nodes: dict[str, Node] = {}
        self.keys: dict[str, Node] = {}

    # -- reporting ----------------------------------------------------------
    def error_at(self, node: Node, path: str, message: str) -> None:
        line, column = node_position(node)
        self.reporter.error(line, column, path, message)

    def _locate(self, path: str, prefer_key: bool) -> Node | None:
        probe = path
        while True:
            if prefer_key and probe in self.keys:
                return self.keys[probe]
            if probe in self.nodes:
                return self.nodes[probe]
            if not probe:
                return None
            probe = parent_path(probe)

    def error(self, path: str, message: str, *, at_key: bool = False) -> None:
        """Report an error on a field of the finished model by its path."""
        node = self._locate(path, at_key)
        line, column = node_position(node) if node is not None else (0, 0)
        self.reporter.error(line, column, path, message)

    def warning(self, path: str, message: str, *, at_key: bool = False) -> None:
        """Report a warning on a field of the finished model by its path."""
        node = self._locate(path, at_key)
        line, column = node_position(node) if node is not None else (0, 0)
        self.reporter.warning(line, column, path, message)

    # -- conversion ---------------------------------------------------------
    def convert(self, node: Node, tp: Any, path: str = "") -> Any:
        """Convert ``node`` to a value of type ``tp``; INVALID after an error."""
        self.nodes[path] = node
        args = _union_args(tp)
        if args is not None:
            return self._convert_union(node, args, path)
        if _is_record(tp):
            return self._convert_record(node, tp, path)
        origin = typing.get_origin(tp)
        if origin is tuple:
            return self._convert_list(node, typing.get_args(tp)[0], path)
        if origin is dict:
            return self._convert_mapping(node, typing.get_args(tp)[1], path)
        if origin is Literal:
            return self._convert_choice(node, typing.get_args(tp), path)
        if tp is str:
            return self._convert_text(node, path)
        if tp is Date:
            return self._convert_date(node, path)
        if tp in (int, float):
            return self._convert_number(node, tp, path)
        if tp is bool:
            if isinstance(node, ScalarNode) and node.tag == _BOOL_TAG:
                return node.value.lower() in ("true", "yes", "on")
            self.error_at(node, path, f"expected true or false, got {_describe(node)}")
            return INVALID
        raise TypeError(f"unsupported spec type {tp!r}")

    def _convert_union(self, node: Node, args: tuple, path: str) -> Any:
        options = [a for a in args if a is not type(None)]
        if type(None) in args and isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
            return None
        if len(options) == 1:
            return self.convert(node, options[0], path)
        # A union of a text and a record: the node's shape decides.
        for option in options:
            if isinstance(node, MappingNode) and (_is_record(option) or typing.get_origin(option) is dict):
                return self.convert(node, option, path)
            if isinstance(node, ScalarNode) and not (_is_record(option) or typing.get_origin(option) in (dict, tuple)):
                return self.convert(node, option, path)
            if isinstance(node, SequenceNode) and typing.get_origin(option) is tuple:
                return self.convert(node, option, path)
        expected = " or ".join(_type_name(o) for o in options)
        self.error_at(node, path, f"expected {expected}, got {_describe(node)}")
        return INVALID

    def _convert_text(self, node: Node, path: str) -> Any:
        if not isinstance(node, ScalarNode) or node.tag == _NULL_TAG:
            self.error_at(node, path, f"expected text, got {_describe(node)}")
            return INVALID
        # Control characters and direction overrides are dropped here, once, so that no
        # output sees them and a text of nothing else counts as empty.
        text = clean(node.value).strip()
        if len(text) > self.limits.max_text_chars:
            self.error_at(
                node, path,
                f"is {len(text):,} characters long; the limit is {self.limits.max_text_chars:,}",
            )
            return INVALID
        return text

    def _convert_date(self, node: Node, path: str) -> Any:
        if not isinstance(node, ScalarNode) or node.tag == _NULL_TAG:
            self.error_at(node, path, f"expected a date ({_DATE_FORM}), got {_describe(node)}")
            return INVALID
        # The text as written: YAML's own reading of 2025-04-15 (a timestamp) is not used.
        text = clean(node.value).strip()
        problem = _date_problem(text)
        if problem:
            self.error_at(node, path, problem)
            return INVALID
        return text

    def _convert_number(self, node: Node, tp: type, path: str) -> Any:
        if not isinstance(node, ScalarNode) or node.tag not in (_INT_TAG, _FLOAT_TAG):
            message = f"expected {_type_name(tp)}, got {_describe(node)}"
            if isinstance(node, ScalarNode) and not node.style and _EXPONENT.fullmatch(node.value):
                message += " (YAML reads an exponent as a number only with a dot and a sign, as in 1.0e+3)"
            self.error_at(node, path, message)
            return INVALID
        too_large = f"the number {quote_value(node.value)} is too large"
        try:
            if node.tag == _FLOAT_TAG:
                value = _SCALARS.construct_yaml_float(node)
            else:
                value = _SCALARS.construct_yaml_int(node)
                if abs(value) >= _LARGEST_INT:
                    raise OverflowError
            if tp is float:
                value = float(value)
        except OverflowError:  # beyond a float, or a 64-bit whole number
            self.error_at(node, path, too_large)
            return INVALID
        except ValueError:  # more digits than Python converts, or no digit at all ("0x_")
            digits = sum(c.isdigit() for c in node.value)
            self.error_at(node, path, too_large if digits > 100 else f"{quote_value(node.value)} is not a number")
            return INVALID
        if math.isnan(value) or math.isinf(value):
            written_so = node.value.lstrip("+-").lower() in (".inf", ".nan")
            self.error_at(node, path, f"expected a finite number, got {node.value}" if written_so else too_large)
            return INVALID
        if tp is int and node.tag != _INT_TAG:
            self.error_at(node, path, f"expected a whole number, got {node.value}")
            return INVALID
        return value

    def _convert_choice(self, node: Node, choices: tuple, path: str) -> Any:
        if not isinstance(node, ScalarNode) or node.tag == _NULL_TAG:
            self.error_at(node, path, f"expected one of {', '.join(choices)}, got {_describe(node)}")
            return INVALID
        if node.value in choices:
            return node.value
        message = f"{quote_value(node.value)} is not one of {', '.join(choices)}"
        close = difflib.get_close_matches(node.value, choices, n=1)
        if close:
            message += f"; did you mean {close[0]!r}?"
        self.error_at(node, path, message)
        return INVALID

    def _convert_list(self, node: Node, item_type: Any, path: str) -> Any:
        lone = isinstance(node, ScalarNode) and node.tag != _NULL_TAG
        if lone and _plain(item_type):
            # A lone text where a list of texts is expected is a one-item list (authors: Dewi).
            item = self.convert(node, item_type, item_path(path, 0))
            return INVALID if item is INVALID else (item,)
        if not isinstance(node, SequenceNode):
            message = f"expected a list, got {_describe(node)}"
            if lone:
                # Where records belong, a lone value is a slip (a forgotten "- ", a stray line), not one item.
                message += '; write each item on a line of its own, starting with "- "'
                if _is_record(item_type) and item_type.__cxviz_record__.shorthand and node.tag == _STR_TAG:
                    message += f", as in \"- {_cut(' '.join(clean(node.value).split()))}\""
            self.error_at(node, path, message)
            return INVALID
        if len(node.value) > self.limits.max_items:
            self.error_at(
                node, path,
                f"has {len(node.value):,} items; the limit is {self.limits.max_items:,}",
            )
            return INVALID
        items = tuple(
            self.convert(item, item_type, item_path(path, index)) for index, item in enumerate(node.value)
        )
        return INVALID if any(i is INVALID for i in items) else items

    def _convert_mapping(self, node: Node, value_type: Any, path: str) -> Any:
        if not isinstance(node, MappingNode):
            self.error_at(node, path, f"expected a mapping, got {_describe(node)}")
            return INVALID
        if len(node.value) > self.limits.max_items:
            self.error_at(
                node, path,
                f"has {len(node.value):,} entries; the limit is {self.limits.max_items:,}",
            )
            return INVALID
        result = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                result[""] = INVALID  # reported while loading: keys must be plain words
                continue
            sub = field_path(path, key.value)
            self.keys[sub] = key
            name = self._convert_text(key, sub)
            result[name if name is INVALID else str(name)] = self.convert(value, value_type, sub)
        return INVALID if any(k is INVALID or v is INVALID for k, v in result.items()) else result

    def _convert_record(self, node: Node, cls: type, path: str) -> Any:
        info: RecordInfo = cls.__cxviz_record__
        if isinstance(node, ScalarNode) and info.shorthand and node.tag != _NULL_TAG:
            return self._build(cls, {info.shorthand: self.convert(node, _field_type(cls, info.shorthand), path)}, node, path)
        if not isinstance(node, MappingNode):
            self.error_at(node, path, f"expected {_type_name(cls)}, got {_describe(node)}")
            return INVALID
        fields = record_fields(cls)
        by_key = {yaml_key(f): (f, tp) for f, tp, _ in fields}
        values: dict[str, Any] = {}
        unknown = False
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                unknown = True  # reported while loading: keys must be plain words
                continue
            name = key.value
            sub = field_path(path, name)
            self.keys[sub] = key
            if name not in by_key:
                message = f"unknown field {quote_value(name)}"
                close = difflib.get_close_matches(name, list(by_key), n=1, cutoff=0.6)
                if close:
                    message += f"; did you mean {close[0]!r}?"
                else:
                    message += " (expected " + ", ".join(by_key) + ")"
                self.error_at(key, sub, message)
                unknown = True
                continue
            field, tp = by_key[name]
            if isinstance(value, ScalarNode) and value.tag == _NULL_TAG and _union_args(tp) is None:
                # An empty entry ("pains:") means "not given".
                self.nodes[sub] = value
                values[field.name] = dataclasses.MISSING
                continue
            values[field.name] = self.convert(value, tp, sub)
        built = self._build(cls, values, node, path)
        return INVALID if unknown else built

    def _build(self, cls: type, values: dict[str, Any], node: Node, path: str) -> Any:
        ok = True
        kwargs = {}
        for field, _tp, fspec in record_fields(cls):
            value = values.get(field.name, dataclasses.MISSING)
            if value is INVALID:
                ok = False
                continue
            if value is dataclasses.MISSING:
                if fspec.required:
                    sub = field_path(path, yaml_key(field))
                    self.error_at(node, sub, "required field is missing")
                    ok = False
                continue
            if fspec.required and value == "":
                sub = field_path(path, yaml_key(field))
                self.error_at(self.nodes.get(sub, node), sub, "required field is empty")
                ok = False
                continue
            if not self._in_bounds(value, fspec, path, field):
                ok = False
                continue
            kwargs[field.name] = value
        return cls(**kwargs) if ok else INVALID

    def _in_bounds(self, value: Any, fspec: FieldSpec, path: str, field: dataclasses.Field) -> bool:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return True
        sub = field_path(path, yaml_key(field))
        low, high = fspec.minimum, fspec.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                message = f"{_number(value)} is outside {_number(low)}..{_number(high)}"
            elif low is not None:
                message = f"{_number(value)} is below the smallest allowed value, {_number(low)}"
            else:
                message = f"{_number(value)} is above the largest allowed value, {_number(high)}"
            self.error_at(self.nodes[sub], sub, message)
            return False
        return True


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _field_type(cls: type, name: str) -> Any:
    for field, tp, _ in record_fields(cls):
        if field.name == name:
            return tp
    raise KeyError(name)


def _plain(tp: Any) -> bool:
    """Whether ``tp`` is a plain value (text, a number, a date), which a lone value may stand for a list of."""
    if tp in (str, int, float, Date) or typing.get_origin(tp) is Literal:
        return True
    args = _union_args(tp)
    return bool(args) and all(_plain(a) for a in args if a is not type(None))


# -- JSON Schema ----------------------------------------------------------------

def json_schema(cls: type, *, title: str = "", const: dict[str, str] | None = None) -> dict:
    """A JSON Schema (draft 2020-12) for a record, for editors and the YAML language server.

    ``const`` pins fields of the top-level record to one value (``kind``).
    """
    definitions: dict[str, dict] = {}
    _schema_for(cls, definitions)
    root_def = dict(definitions.pop(cls.__name__))
    if const:
        props = dict(root_def["properties"])
        for name, value in const.items():
            props[name] = {**props.get(name, {}), "const": value}
            props[name].pop("type", None)
            props[name].pop("anyOf", None)
        root_def["properties"] = props
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    if title:
        schema["title"] = title
    schema.update(root_def)
    if definitions:
        schema["$defs"] = dict(sorted(definitions.items()))
    return schema


_TEXT = {"type": ["string", "number"]}


def _schema_for(tp: Any, definitions: dict[str, dict]) -> dict:
    args = _union_args(tp)
    if args is not None:
        options = [_schema_for(a, definitions) for a in args if a is not type(None)]
        if type(None) in args:
            options.append({"type": "null"})
        return options[0] if len(options) == 1 else {"anyOf": options}
    if _is_record(tp):
        name = tp.__name__
        if name not in definitions:
            definitions[name] = {}  # placeholder against recursion
            info: RecordInfo = tp.__cxviz_record__
            props = {}
            required = []
            for field, ftp, fspec in record_fields(tp):
                key = yaml_key(field)
                prop = dict(_schema_for(ftp, definitions))
                if fspec.doc:
                    prop["description"] = fspec.doc
                if fspec.minimum is not None:
                    prop["minimum"] = fspec.minimum
                if fspec.maximum is not None:
                    prop["maximum"] = fspec.maximum
                if field.default is not dataclasses.MISSING and field.default not in (None, (), {}):
                    prop["default"] = field.default
                props[key] = prop
                if fspec.required:
                    required.append(key)
            body = {
                "type": "object",
                "description": info.doc,
                "properties": props,
                "additionalProperties": False,
            }
            if required:
                body["required"] = required
            if info.shorthand:
                body = {
                    "description": info.doc,
                    "anyOf": [
                        {**_TEXT, "description": f"Short for {{{info.shorthand}: ...}}"},
                        {k: v for k, v in body.items() if k != "description"},
                    ],
                }
            definitions[name] = body
        return {"$ref": f"#/$defs/{name}"}
    origin = typing.get_origin(tp)
    if origin is tuple:
        item_type = typing.get_args(tp)[0]
        array = {"type": "array", "items": _schema_for(item_type, definitions)}
        if _plain(item_type):
            return {"anyOf": [array, _schema_for(item_type, definitions)]}
        return array
    if origin is dict:
        return {"type": "object", "additionalProperties": _schema_for(typing.get_args(tp)[1], definitions)}
    if origin is Literal:
        return {"enum": list(typing.get_args(tp))}
    if tp is str:
        return dict(_TEXT)
    if tp is Date:
        return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is bool:
        return {"type": "boolean"}
    raise TypeError(f"unsupported spec type {tp!r}")


# -- Reference documentation --------------------------------------------------------

def _anchor(record_cls: type, scope: str) -> str:
    name = record_cls.__name__
    return f"{name.lower()}-{scope}" if scope else name.lower()


def _type_label(tp: Any, scope: str = "", elsewhere: dict | None = None) -> str:
    elsewhere = elsewhere or {}
    args = _union_args(tp)
    if args is not None:
        return " or ".join(_type_label(a, scope, elsewhere) for a in args if a is not type(None))
    if _is_record(tp):
        info: RecordInfo = tp.__cxviz_record__
        anchor = elsewhere.get(tp) or _anchor(tp, scope)
        return f"[{tp.__name__}](#{anchor})" + (" or text" if info.shorthand else "")
    origin = typing.get_origin(tp)
    if origin is tuple:
        return f"list of {_type_label(typing.get_args(tp)[0], scope, elsewhere)}"
    if origin is dict:
        return f"mapping of name to {_type_label(typing.get_args(tp)[1], scope, elsewhere)}"
    if origin is Literal:
        return " \\| ".join(f"`{a}`" for a in typing.get_args(tp))
    return {str: "text", int: "whole number", float: "number", bool: "true/false",
            Date: f"date ({_DATE_FORM})"}.get(tp, str(tp))


def _records_in(cls: type, seen: list[type], stop: tuple = ()) -> list[type]:
    if cls in seen or cls in stop:
        return seen
    seen.append(cls)
    for _field, tp, _ in record_fields(cls):
        stack = [tp]
        while stack:
            current = stack.pop()
            if _is_record(current):
                _records_in(current, seen, stop)
            stack.extend(a for a in typing.get_args(current) if a is not Ellipsis)
    return seen


def reference_markdown(cls: type, *, skip: tuple[str, ...] = (), scope: str = "",
                       elsewhere: dict[type, str] | None = None) -> str:
    """A Markdown reference of a record and every record it contains.

    ``skip`` leaves out fields documented elsewhere (the common header);
    ``scope`` (a kind's name) keeps headings and links of records with the
    same name in different kinds apart; records in ``elsewhere`` are linked
    to the anchor given there instead of being repeated.
    """
    elsewhere = elsewhere or {}
    sections = []
    for record_cls in _records_in(cls, [], tuple(elsewhere)):
        info: RecordInfo = record_cls.__cxviz_record__
        rows = ["| Key | Type | Default | Description |", "| --- | --- | --- | --- |"]
        for field, tp, fspec in record_fields(record_cls):
            key = yaml_key(field)
            if record_cls is cls and key in skip:
                continue
            if fspec.required:
                default = "**required**"
            elif field.default in (None, (), {}):
                default = ""
            else:
                default = f"`{field.default}`" if not isinstance(field.default, bool) else f"`{str(field.default).lower()}`"
            bounds = ""
            if fspec.minimum is not None and fspec.maximum is not None:
                bounds = f" ({_number(fspec.minimum)}..{_number(fspec.maximum)})"
            elif fspec.minimum is not None:
                bounds = f" (at least {_number(fspec.minimum)})"
            elif fspec.maximum is not None:
                bounds = f" (at most {_number(fspec.maximum)})"
            rows.append(f"| `{key}` | {_type_label(tp, scope, elsewhere)}{bounds} | {default} | {fspec.doc} |")
        shorthand = f" A plain text is short for `{info.shorthand}:`." if info.shorthand else ""
        heading = f"{record_cls.__name__} ({scope})" if scope else record_cls.__name__
        sections.append(f"#### {heading}\n\n{info.doc}{shorthand}\n\n" + "\n".join(rows))
    return "\n\n".join(sections) + "\n"
