"""Property-based fuzzing: no spec, however mangled, makes cxviz raise anything but its own errors.

Specs of every kind are generated from the records in ``cxviz/kinds/*/model.py``
(so new fields are fuzzed too) with random values: any Unicode (Arabic
included), huge and non-finite numbers, empty and lone-value lists. Some are
then mangled (keys dropped, duplicated, renamed or retyped, characters
deleted or inserted) or replaced by random YAML-like text. Validation may
report anything; it may not raise. What validates is drawn, DOT and SVG.

The number of examples is set by ``CXVIZ_FUZZ_EXAMPLES`` (default 2000 per
test); a longer run for maintainers::

    CXVIZ_FUZZ_EXAMPLES=100000 .venv/bin/python -m pytest tests/test_fuzz.py -x
"""

from __future__ import annotations

import os
import types
import typing
import xml.etree.ElementTree as ET
from typing import Any, Literal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cxviz
from cxviz.api import checks, render_dot, render_svgs
from cxviz.diagnostics import SpecError
from cxviz.registry import all_kinds, get_kind
from cxviz.schema import record_fields, yaml_key

from .conftest import SAMPLES

#: Specs drawn with long texts make long reprs; Hypothesis says so every time.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

EXAMPLES = int(os.environ.get("CXVIZ_FUZZ_EXAMPLES", "2000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # a failure prints its example; none is saved for the next run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
#: Rendering costs more: a batch of specs per example, fewer examples.
RENDER = settings(FUZZ, max_examples=max(10, EXAMPLES // 25))

KINDS = [kind.name for kind in all_kinds()]


@pytest.fixture(scope="module", autouse=True)
def _in_a_folder_of_its_own(tmp_path_factory):
    """Specs are read from a scratch folder holding a persona and a photo they may refer to."""
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "p.yaml").write_text("kind: persona\ntitle: P\nname: Rina\nquote: Hi\nphoto: p.png\n", encoding="utf-8")
    (folder / "p.png").write_bytes((SAMPLES / "photos" / "dewi.png").read_bytes())
    (folder / "j.yaml").write_text("kind: journey\ntitle: J\npersona: j.yaml\nstages: [S]\n", encoding="utf-8")
    before = os.getcwd()
    os.chdir(folder)
    yield folder
    os.chdir(before)


# -- values ---------------------------------------------------------------------------------------

ARABIC = st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), min_size=1, max_size=20)
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
TRICKY = st.sampled_from([
    "", " ", "yes", "no", "null", "~", "0x1F", "1e3", "1_000", ".inf", "-.nan", "- a", "a: b", "[x", "{{ 7*7 }}",
    "<b>x</b>", '"]; a -> b [label="', "\\", "\t", "\r\n", "\x00", "\x1b[31m", "\u202e", "\ufeff", "\uffff",
    "…", "عميل", "مرحبا بالعالم 2025-05-31", "👩🏽‍💻", "p.yaml", "p.png", "j.yaml", "../p.png", "/etc/passwd",
    "file:///etc/passwd", "http://127.0.0.1:9/x.png", "x" * 2001,
])
TEXT = st.one_of(st.text(alphabet="abc XYZ-_.,", max_size=12), ANY_TEXT, ARABIC, TRICKY)
#: Text a field accepts: words, Latin or Arabic, or any printable Unicode.
WORDS = st.one_of(st.text(alphabet="abc XYZ-_.,", min_size=1, max_size=12).filter(str.strip), ARABIC,
                  st.text(alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs")),
                          min_size=1, max_size=30).filter(str.strip))
#: Mostly words, now and then anything at all.
GOOD_TEXT = st.one_of(WORDS, WORDS, WORDS, TEXT)
NUMBER = st.one_of(
    st.integers(min_value=-3, max_value=131),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 0.5, -2, 2, 100, 2**63, -(2**64)]),
)
ANYTHING = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBER, TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=6,
)


def _options(tp: Any) -> list:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [a for a in typing.get_args(tp) if a is not type(None)]
    return [tp]


def _is_record(tp: Any) -> bool:
    return isinstance(tp, type) and hasattr(tp, "__cxviz_record__")


def _value(tp: Any, depth: int, spec: Any, strict: bool) -> st.SearchStrategy:
    """Values of a field's type; unless ``strict``, now and then a near miss (a wrong choice, a number
    out of bounds, a lone record where a list goes, a text of nothing)."""
    strategies = []
    low, high = (spec.minimum, spec.maximum) if spec is not None else (None, None)
    for option in _options(tp):
        origin, args = typing.get_origin(option), typing.get_args(option)
        if option is str:
            strategies.append(WORDS if strict else GOOD_TEXT)
        elif option in (int, float):
            make = st.integers if option is int else st.floats
            good = make(min_value=-2 if low is None else int(low), max_value=(low or 0) + 2 if high is None else int(high))
            strategies.append(good if strict else st.one_of(good, good, good, NUMBER))
        elif option is bool:
            strategies.append(st.booleans())
        elif origin is Literal:
            strategies.append(st.sampled_from(args) if strict else st.one_of(st.sampled_from(args), st.sampled_from(args), TEXT))
        elif origin is tuple:
            item = _value(args[0], depth + 1, None, strict)
            many = st.lists(item, min_size=1 if strict else 0, max_size=3)
            lone = item if typing.get_origin(args[0]) is not tuple and not _is_record(args[0]) or not strict else many
            strategies.append(st.one_of(many, many, many, lone) if depth < 4 else st.just([]))
        elif origin is dict:
            strategies.append(st.dictionaries(WORDS if strict else TEXT, _value(args[1], depth + 1, None, strict),
                                              max_size=3))
        elif _is_record(option):
            strategies.append(_record(option, depth + 1, strict))
    return st.one_of(strategies) if strategies else ANYTHING


def _record(cls: type, depth: int = 0, strict: bool = False) -> st.SearchStrategy:
    """A record as a mapping: its required fields, some optional ones; a text for shorthand records."""
    required, optional = {}, {}
    for field, tp, spec in record_fields(cls):
        key = yaml_key(field)
        if depth > 3 and not spec.required:
            continue  # 5 Whys nest: keep the trees small
        value = st.deferred(lambda tp=tp, spec=spec: _value(tp, depth, spec, strict))
        (required if spec.required else optional)[key] = value
    mapping = st.fixed_dictionaries(required, optional=optional)
    shorthand = cls.__cxviz_record__.shorthand
    return st.one_of(mapping, WORDS if strict else TEXT) if shorthand else mapping


def _spec(kind_name: str, strict: bool = False) -> st.SearchStrategy:
    kind = get_kind(kind_name)
    lang = st.sampled_from(["en", "id", "ar", "ar-EG", "pt-BR", "xx"])
    if not strict:
        lang = st.one_of(lang, TEXT)

    def finish(parts: tuple) -> dict:
        data, language, with_lang = parts
        data = {**data, "kind": kind_name, **({"lang": language} if with_lang else {})}
        if strict:
            if not with_lang:
                data.pop("lang", None)  # a language of random letters is refused
            data.pop("cxviz", None)  # a format version other than 1 is refused
            for key in ("persona", "photo"):  # names of files, mostly missing
                if isinstance(data.get(key), str):
                    data[key] = "p.yaml" if key == "persona" else "p.png"
        return data

    return st.tuples(_record(kind.model, 0, strict), lang, st.booleans()).map(finish)


def _flow() -> st.SearchStrategy:
    """User flows whose edges name real steps, so that a good share of them validate."""

    @st.composite
    def build(draw):
        ids = draw(st.lists(st.one_of(st.text(alphabet="abcdef", min_size=1, max_size=4), ARABIC),
                            min_size=2, max_size=8, unique=True))
        types_ = ["entry"] + [draw(st.sampled_from(["screen", "action", "system", "end", "decision"]))
                              for _ in ids[1:]]
        lanes = draw(st.lists(TEXT.filter(str.strip), max_size=3, unique=True))
        nodes = []
        for name, kind in zip(ids, types_):
            node = {"id": name, "type": kind}
            if draw(st.booleans()):
                node["label"] = draw(TEXT)
            if lanes and draw(st.booleans()):
                node["lane"] = draw(st.sampled_from(lanes))
            nodes.append(node)
        edges = [{"from": draw(st.sampled_from(ids)), "to": draw(st.sampled_from(ids)),
                  "label": draw(TEXT), "optional": draw(st.booleans())}
                 for _ in range(draw(st.integers(0, 6)))]
        flow = {"kind": "userflow", "title": draw(TEXT), "nodes": nodes, "paths": [ids], "edges": edges,
                "direction": draw(st.sampled_from(["top-down", "left-right"]))}
        if lanes:
            flow["lanes"] = lanes
        if draw(st.booleans()):
            flow["lang"] = draw(st.sampled_from(["en", "id", "ar"]))
        return flow

    return build()


SPECS = st.one_of(*(_spec(name) for name in KINDS), _flow())
#: Specs meant to validate (cross-field rules aside): what the rendering test draws.
GOOD_SPECS = st.one_of(*(_spec(name, strict=True) for name in KINDS), _flow())


# -- mangling -------------------------------------------------------------------------------------

def _places(data: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in a spec, the root's own keys included."""
    found, stack = [], [data]
    while stack:
        node = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in list(items):
            found.append((node, key))
            stack.append(value)
    return found


@st.composite
def mangled(draw) -> str:
    """A generated spec, changed the ways people and attackers change files."""
    data = draw(SPECS)
    for _ in range(draw(st.integers(1, 3))):
        places = _places(data)
        if not places:
            break
        container, key = draw(st.sampled_from(places))
        how = draw(st.sampled_from(["drop", "retype", "rename", "add"]))
        if how == "drop":
            del container[key]
        elif how == "retype":
            container[key] = draw(ANYTHING)
        elif how == "rename" and isinstance(container, dict) and isinstance(key, str) and key:
            cut = draw(st.integers(0, len(key) - 1))
            container[key[:cut] + key[cut + 1:] + draw(st.sampled_from(["", "s", "e"]))] = container.pop(key)
        elif how == "add" and isinstance(container, dict):
            container[draw(TEXT)] = draw(ANYTHING)
    text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False,
                          default_flow_style=draw(st.sampled_from([False, None])))
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["duplicate line", "delete", "insert", "truncate"]))
        if how == "duplicate line" and lines:  # a key written twice
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            text = "".join(lines)
        elif how == "delete":
            text = text[:where] + text[where + draw(st.integers(1, 5)):]
        elif how == "insert":
            piece = draw(st.one_of(TRICKY, st.sampled_from(
                [":", "- ", "\n", "  ", "&a ", "*a", "<<: ", "!!binary ", '"\\UFFFFFFFF"', '"\\ud800"', "? "])))
            text = text[:where] + piece + text[where:]
        else:
            text = text[:where]
    return text


YAMLISH = st.one_of(
    st.text(alphabet=":-[]{}#&*!|>'\"%@`,? \n\tkindtitle0123.~", max_size=200),
    st.text(alphabet=":-[]{}#&*!|>'\"%@`,? \n\tabc", max_size=120).map(lambda t: "kind: journey\ntitle: t\n" + t),
    st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace")),
)


# -- the properties ---------------------------------------------------------------------------------

def _validate(text: str) -> cxviz.Spec | None:
    """Validation reports problems as diagnostics; any exception is a bug."""
    diagnostics = checks(text, name="fuzz.yaml")
    for diagnostic in diagnostics:
        assert diagnostic.format()  # printing a diagnostic does not fail either
    if any(d.is_error for d in diagnostics):
        return None
    try:
        return cxviz.loads(text, name="fuzz.yaml")
    except SpecError as exc:  # pragma: no cover - checks() said it was valid
        raise AssertionError(f"checks() found no error but loads() did: {exc}") from None


@FUZZ
@given(SPECS, st.booleans())
def test_generated_specs_validate_without_raising(data, flow_style):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None if flow_style else False)
    spec = _validate(text)
    if spec is not None:
        assert "digraph" in render_dot(spec)


@FUZZ
@given(mangled())
def test_mangled_specs_validate_without_raising(text):
    spec = _validate(text)
    if spec is not None:
        render_dot(spec)


@FUZZ
@given(YAMLISH)
def test_random_yaml_like_text_validates_without_raising(text):
    _validate(text)


@RENDER
@given(st.lists(GOOD_SPECS, min_size=4, max_size=10))
def test_specs_that_validate_are_drawn_as_well_formed_svg(batch):
    specs = []
    for data in batch:
        spec = _validate(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        if spec is not None:
            specs.append(spec)
    for spec, svg in zip(specs, render_svgs(specs, embed_font=False)):
        assert isinstance(svg, str), f"{spec.kind.name} could not be drawn: {svg}"
        ET.fromstring(svg.encode("utf-8"))
