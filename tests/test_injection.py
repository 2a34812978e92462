"""No spec text can become DOT, SVG, HTML, a template or a script.

Every free-text field of every kind is found by walking the records in
``cxviz/kinds/*/model.py``, so a field added later is covered without
touching this file. Each field in turn gets a string that tries every way
out (DOT, HTML, Jinja, SVG markup, a ``javascript:`` link, CDATA, control
characters, bidirectional overrides); the diagram must stay well-formed,
create nothing the string asked for, and show the string as text.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import re
import typing
import xml.etree.ElementTree as ET
from typing import Any, Literal

import pytest
import yaml

import cxviz
from cxviz.api import render_dot, render_pdf, render_svgs
from cxviz.graph.dot import clean
from cxviz.registry import all_kinds
from cxviz.schema import record_fields, yaml_key

from .conftest import every_record_field, is_record as _is_record
from .rendering.test_pdf import contains, squash

#: The DOT way out: close the label, add an edge, open another label.
BREAKOUT = '"]; a -> b [label="x'
HOSTILE = (
    f'{BREAKOUT} }} <b>bold</b> <script>alert(1)</script> <img src=x onerror=alert(1)> '
    "{{ 7*7 }} {% raw %} </text><svg onload=alert(1)> javascript:alert(1) <![CDATA[ ]]> "
    "a\x01b\x1bc \u202eevil\u202c \u2066iso\u2069 end"
)

# -- one spec of each kind with every field given a value of its own -----------------------------

_PERSONA = {
    "name": "persona name", "quote": "persona quote", "age": 34, "role": "persona role",
    "location": "persona location", "bio": "persona bio", "goals": ["persona goal"],
    "frustrations": ["persona frustration"], "motivations": ["persona motivation"],
    "behaviours": ["persona behaviour"], "channels": ["persona channel"], "brands": ["persona brand"],
    "personality": [{"poles": ["first pole", "second pole"], "value": 40}], "tech": 70,
}
# Dates are not free text: anything but YYYY-MM-DD is refused before drawing.
_HEADER = {"description": "spec description", "version": "spec version", "date": "2025-03-18",
           "authors": ["spec author"]}

BASES: dict[str, dict] = {
    "journey": {
        "kind": "journey", "title": "journey title", **_HEADER, "type": "service-blueprint",
        "persona": dict(_PERSONA), "scale": {"min": -2, "max": 2},
        "stages": [{
            "name": "stage name", "goal": "stage goal", "metrics": {"metric name": "metric value"},
            "steps": [{
                "action": "step action", "touchpoints": ["step touchpoint"], "channel": "step channel",
                "thoughts": ["step thought"], "emotion": 1, "pains": ["step pain"],
                "opportunities": ["step opportunity"],
                "todo": [{"action": "todo action", "owner": "todo owner", "due": "2025-06-30"}],
                "evidence": ["step evidence"], "frontstage": ["step frontstage"],
                "backstage": ["step backstage"], "support": ["step support"],
            }],
        }],
    },
    "empathy": {
        "kind": "empathy", "title": "empathy title", **_HEADER, "persona": dict(_PERSONA),
        "who": "empathy who", "goal": "empathy goal", "layout": "extended",
        **{area: [f"empathy {area}"] for area in
           ("says", "thinks", "does", "feels", "sees", "hears", "pains", "gains")},
    },
    "persona": {"kind": "persona", "title": "persona title", **_HEADER, **_PERSONA},
    "whys": {
        "kind": "whys", "title": "whys title", **_HEADER, "problem": "whys problem",
        "whys": [{
            "because": "first because", "evidence": "first evidence",
            "whys": [{"because": "root because", "evidence": "root evidence", "root": True,
                      "countermeasure": {"action": "fix action", "owner": "fix owner", "due": "2025-07-31"}}],
        }],
    },
    "userflow": {
        "kind": "userflow", "title": "flow title", **_HEADER, "lanes": ["first lane", "second lane"],
        # Steps without a label show their id, so the ids the first edge and path use are drawn.
        "nodes": [
            {"id": "entry id", "type": "entry", "note": "entry note", "lane": "first lane"},
            {"id": "middle id"},
            {"id": "ask", "type": "decision", "label": "ask label", "lane": "second lane"},
            {"id": "yes id", "type": "end", "outcome": "success"},
            {"id": "no", "type": "end", "outcome": "failure", "label": "no label"},
        ],
        "edges": [{"from": "middle id", "to": "yes id", "label": "edge label", "condition": "edge condition",
                   "optional": True},
                  {"from": "ask", "to": "yes id", "label": "yes edge label"},
                  {"from": "ask", "to": "no", "label": "no edge label"}],
        "paths": [["entry id", "middle id", "ask"]],
    },
}

#: Fields that are not free text: they name the kind, a language, or a file (a photo, a persona spec).
NOT_TEXT = {("Document", "kind"), ("Document", "lang"), ("Persona", "photo"),
            ("JourneyMap", "persona"), ("EmpathyMap", "persona")}

#: Fields a kind keeps but does not draw on its SVG.
NOT_DRAWN = {
    "whys": {"version", "date", "authors"},
    "userflow": {"version", "date", "authors"},
}
#: Fields drawn on one line cut to fit (a metric's badge): only their start shows.
CUT_TO_FIT = {"journey": {"stages.metrics.name", "stages.metrics"}}


# -- finding the text fields ---------------------------------------------------------------------

def _options(tp: Any) -> list:
    if typing.get_origin(tp) in (typing.Union, getattr(__import__("types"), "UnionType")):
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return [tp]


def _owner(cls: type, field: dataclasses.Field) -> str:
    """The record that declares a field (Document for the header, Persona for a persona spec's fields)."""
    for base in cls.__mro__:
        if _is_record(base) and field.name in getattr(base, "__annotations__", {}):
            return base.__name__
    return cls.__name__


@dataclasses.dataclass(frozen=True)
class Slot:
    """One place of a spec where free text goes, and the value the base spec holds there."""

    kind: str
    path: str  # e.g. stages.steps.action (list indexes left out)
    field: tuple[str, str]  # (record, key) that declares it
    value: str


def _walk(cls: type, data: dict, kind: str, prefix: str, slots: list[Slot], seen: set,
          fill: set[str] | None = None) -> None:
    """Collect the text slots of ``data`` (a ``cls`` record), giving a value to text fields it lacks.

    ``fill`` limits which missing fields get one (in lists, only the fields
    no item has, on the first item, so that a step left without a label
    keeps showing its id).
    """
    taken = {slot.path for slot in slots if slot.kind == kind}

    def add(path: str, declared: tuple[str, str], value: str) -> None:
        seen.add(declared)
        if path not in taken:
            slots.append(Slot(kind, path, declared, value))
            taken.add(path)

    for field, tp, _spec in record_fields(cls):
        key = yaml_key(field)
        declared = (_owner(cls, field), key)
        path = f"{prefix}{key}"
        may_fill = fill is None or key in fill
        for option in _options(tp):
            origin, args = typing.get_origin(option), typing.get_args(option)
            if declared in NOT_TEXT or origin is Literal or option in (int, float, bool):
                continue
            if option is str:
                if key not in data and may_fill:
                    data[key] = f"{kind} {path} filled"
                if key in data:
                    add(path, declared, data[key])
            elif origin is tuple and args[0] is str:
                if key not in data and may_fill:
                    data[key] = [f"{kind} {path} filled"]
                if key in data:
                    add(path, declared, data[key][0])
            elif origin is tuple and typing.get_origin(args[0]) is tuple:  # lists of lists of text (paths)
                if key in data:
                    add(path, declared, data[key][0][0])
            elif origin is dict:
                if key not in data and may_fill:
                    data[key] = {f"{kind} {path} name": f"{kind} {path} value"}
                if key in data:
                    name, value = next(iter(data[key].items()))
                    add(f"{path}.name", declared, name)
                    add(path, declared, value)
            elif _is_record(option) and isinstance(data.get(key), dict):
                _walk(option, data[key], kind, f"{path}.", slots, seen)
            elif origin is tuple and _is_record(args[0]) and data.get(key):
                items = [item for item in data[key] if isinstance(item, dict)]
                given = set().union(*(item.keys() for item in items))
                for index, item in enumerate(items):
                    missing = {yaml_key(f) for f, _, _ in record_fields(args[0])} - given if index == 0 else set()
                    _walk(args[0], item, kind, f"{path}.", slots, seen, missing)


def _every_text_field() -> set[tuple[str, str]]:
    """(record, key) of every free-text field any kind declares."""
    found: set[tuple[str, str]] = set()
    for owner, field, tp in every_record_field():
        declared = (owner, yaml_key(field))
        for option in _options(tp):
            text = option is str or str in typing.get_args(option) or any(
                str in typing.get_args(n) for n in typing.get_args(option))
            if text and declared not in NOT_TEXT:
                found.add(declared)
    return found


def _slots() -> tuple[list[Slot], dict[str, dict], set]:
    bases = copy.deepcopy(BASES)
    slots: list[Slot] = []
    seen: set = set()
    for kind in all_kinds():
        _walk(kind.model, bases[kind.name], kind.name, "", slots, seen)
    return slots, bases, seen


SLOTS, FILLED, REACHED = _slots()


def _replaced(data: Any, old: str, new: str) -> Any:
    """``data`` with every text equal to ``old`` (a value, a key, a list item) made ``new``: ids stay linked."""
    if isinstance(data, str):
        return new if data == old else data
    if isinstance(data, list):
        return [_replaced(item, old, new) for item in data]
    if isinstance(data, dict):
        return {_replaced(k, old, new): _replaced(v, old, new) for k, v in data.items()}
    return data


def _spec(slot: Slot, text: str = HOSTILE) -> cxviz.Spec:
    data = _replaced(FILLED[slot.kind], slot.value, text)
    source = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return cxviz.loads(source, name=f"{slot.kind}:{slot.path}")


def test_every_text_field_of_every_kind_is_covered():
    assert len(SLOTS) >= 75
    missing = _every_text_field() - REACHED
    assert not missing, f"give these fields a value in BASES (a record no base spec holds): {sorted(missing)}"
    for kind in BASES:
        # User-flow ids and lanes are meant to repeat: renaming one renames every use.
        values = [slot.value for slot in SLOTS if slot.kind == kind and kind != "userflow"]
        assert len(values) == len(set(values)), f"{kind}: a base value repeats, so one rename would change two fields"


def test_the_base_specs_are_valid_and_show_every_drawn_field():
    specs = [cxviz.loads(yaml.safe_dump(FILLED[kind.name], allow_unicode=True), name=kind.name)
             for kind in all_kinds()]
    for spec, svg in zip(specs, render_svgs(specs)):
        assert isinstance(svg, str), svg
        text = _visible_text(ET.fromstring(svg.encode("utf-8")))
        for slot in SLOTS:
            if slot.kind == spec.kind.name and not _undrawn(slot):
                assert _shows(text, slot.value), f"{slot.kind}: {slot.path} ({slot.value!r}) is not drawn"


# -- the checks ----------------------------------------------------------------------------------

def _visible_text(root: ET.Element) -> str:
    return " ".join(root.itertext())


def _shows(text: str, value: str) -> bool:
    """Whether ``value`` is in ``text``, however wrapped (or upper-cased, as a journey's channels are)."""
    return squash(value).casefold() in squash(text).casefold()


def _undrawn(slot: Slot) -> bool:
    return slot.path.removesuffix(".name") in NOT_DRAWN.get(slot.kind, set())


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


SVG_CASES = [pytest.param(slot, id=f"{slot.kind}:{slot.path}") for slot in SLOTS]


@pytest.fixture(scope="module")
def rendered() -> dict[Slot, tuple[cxviz.Spec, str]]:
    """Every hostile spec rendered in one batch."""
    specs = [_spec(slot) for slot in SLOTS]
    return {slot: (spec, svg) for slot, spec, svg in zip(SLOTS, specs, render_svgs(specs))}


@pytest.mark.parametrize("slot", SVG_CASES)
def test_hostile_text_stays_text_in_the_svg_and_the_dot(slot, rendered):
    spec, svg = rendered[slot]
    assert isinstance(svg, str), f"not drawn: {svg}"
    root = ET.fromstring(svg.encode("utf-8"))  # well-formed XML

    for element in root.iter():
        assert _local(element.tag) not in ("script", "img", "iframe", "foreignObject", "b")
        assert element is root or _local(element.tag) != "svg"
        for name, value in element.attrib.items():
            assert not _local(name).lower().startswith("on"), f"event attribute {name}={value!r}"
            if _local(name) == "href":
                assert value.startswith(("data:image/", "#")), value
    assert "<script" not in svg and "<img" not in svg and "<![CDATA[" not in svg
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069]", svg)
    titles = {element.text for element in root.iter() if _local(element.tag) == "title"}
    assert not titles & {"a", "b", "a->b"}, "the label was closed and a new edge drawn"
    if slot.path in CUT_TO_FIT.get(slot.kind, set()):
        assert _shows(_visible_text(root), clean(HOSTILE)[:12])
    elif not _undrawn(slot):
        assert _shows(_visible_text(root), clean(HOSTILE))

    dot = render_dot(spec)
    assert not re.search(r'(?<!\\)"\]; a -> b', dot), "the DOT string was closed"


PDF_SLOTS = ["whys:title", "journey:stages.name", "empathy:says", "persona:quote", "userflow:edges.label"]


@pytest.mark.parametrize("name", PDF_SLOTS)
def test_hostile_text_stays_text_in_a_pdf_canvas(name):
    from pypdf import PdfReader

    slot = next(s for s in SLOTS if f"{s.kind}:{s.path}" == name)
    data = render_pdf(_spec(slot))
    reader = PdfReader(io.BytesIO(data))
    keys = _pdf_keys(reader.trailer)
    assert not keys & {"/JS", "/JavaScript", "/OpenAction", "/AA", "/Launch", "/URI", "/SubmitForm"}
    text = " ".join(page.extract_text() for page in reader.pages)
    assert contains(text, clean(HOSTILE))  # "{{ 7*7 }}" too: no template evaluated it


def _pdf_keys(root) -> set[str]:
    """Every dictionary key reachable from the PDF's trailer."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    keys: set[str] = set()
    stack, seen = [root], set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                keys.add(str(key))
                if key != "/Parent":
                    stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return keys
