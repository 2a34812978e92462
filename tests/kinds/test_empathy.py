"""The empathy-map kind: model, checks and drawing."""

from __future__ import annotations

import json
import re
import struct
import zlib

import pytest
import yaml

import cxviz
from cxviz.kinds.persona.model import Persona

from ..conftest import SAMPLES, sample_files, shape_roles, svg_of

CLASSIC = """\
kind: empathy
title: Dewi orders the weekly groceries
persona:
  name: Dewi Lestari
  role: Accountant
who: Working mother ordering on her phone during the commute
goal: A week of fresh groceries delivered before Saturday
says:
  - Why is Saturday full again?
thinks:
  - Is the fish still fresh if it comes in the afternoon?
does:
  - Repeats last week's order
feels:
  - Relieved when everything arrives
"""

EXTENDED = """\
kind: empathy
title: Maya reports slow internet
who: Freelance designer whose calls stutter
goal: Get her line back to full speed
sees: [A speed test showing 12 Mbps]
hears: [Her partner says it is slow for him too]
thinks: [Wonders whether to switch]
feels: [Embarrassed in front of clients]
says: [I already restarted the router]
does: [Tethers to her phone]
pains: [40-minute queues]
gains: [One contact fixes it]
"""

PERSONA = """\
kind: persona
title: Dewi
name: Dewi Lestari
photo: photos/dewi.png
role: Accountant
"""


def tiny_png() -> bytes:
    """A valid 2x2 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xcc\x66\x33" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def headlines(text: str) -> list[str]:
    return [d.headline() for d in cxviz.checks(text, name="e.yaml")]


def file_headlines(tmp_path, text: str, files: dict[str, str | bytes] | None = None) -> list[str]:
    for name, content in (files or {}).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content) if isinstance(content, bytes) else target.write_text(content, encoding="utf-8")
    path = tmp_path / "e.yaml"
    path.write_text(text, encoding="utf-8")
    return [d.headline().replace(str(tmp_path) + "/", "") for d in cxviz.check(path)]


def x_of(dot: str, text: str) -> float:
    """The x position of the Board text box that holds ``text``."""
    line = next(line for line in dot.splitlines() if f">{text}<" in line)
    return float(re.search(r'pos="([\d.]+),', line).group(1))


# -- the model -----------------------------------------------------------------


def test_the_spec_becomes_an_immutable_map_with_an_inline_persona():
    spec = cxviz.loads(CLASSIC)
    model = spec.model
    assert model.persona == Persona(name="Dewi Lestari", role="Accountant")
    assert model.says == ("Why is Saturday full again?",)
    assert model.sees == () and model.layout == "auto"
    assert model.chosen_layout == "classic"
    assert spec.diagnostics == []
    with pytest.raises(AttributeError):
        model.says = ()


@pytest.mark.parametrize("extra, expected", [
    ("", "classic"),
    ("sees: [A queue]\n", "extended"),
    ("hears: [A friend]\n", "extended"),
    ("layout: extended\n", "extended"),
    ("layout: classic\nsees: [A queue]\n", "classic"),
])
def test_the_layout_follows_the_notes_unless_it_is_named(extra, expected):
    assert cxviz.loads(CLASSIC + extra).model.chosen_layout == expected


def test_the_schema_lists_every_field():
    schema = json.loads(cxviz.schema("empathy"))
    props = schema["properties"]
    for key in ("persona", "who", "goal", "layout", "says", "thinks", "does", "feels", "sees", "hears",
                "pains", "gains"):
        assert key in props
    assert props["kind"]["const"] == "empathy"
    assert props["layout"]["enum"] == ["auto", "classic", "extended"]
    assert {"$ref": "#/$defs/Persona"} in props["persona"]["anyOf"]


def test_the_starter_is_valid_and_renders(layout_warnings):
    spec = cxviz.loads(cxviz.starter("empathy", "id"))
    assert spec.model.lang == "id" and spec.diagnostics == []
    assert layout_warnings(spec) == ()


# -- checks ----------------------------------------------------------------------


def test_a_map_without_notes_is_an_error():
    assert headlines("kind: empathy\ntitle: T\nwho: Someone\nsays: []\n") == [
        "e.yaml:1:1: error: an empathy map needs at least one note in "
        "says, thinks, does, feels, sees, hears, pains or gains"
    ]


def test_a_misspelt_area_gets_a_suggestion():
    found = headlines(CLASSIC.replace("thinks:", "thinkz:"))
    assert found == ["e.yaml:10:1: error: thinkz: unknown field 'thinkz'; did you mean 'thinks'?"]


def test_nobody_to_empathise_with_is_a_warning():
    text = "kind: empathy\ntitle: T\nsays: [a]\nthinks: [b]\ndoes: [c]\nfeels: [d]\n"
    assert headlines(text) == [
        "e.yaml:1:1: warning: who: nobody to empathise with: add 'who' (a person in their situation) or a 'persona'"
    ]


def test_an_empty_area_is_a_warning_at_its_key():
    found = headlines(CLASSIC.replace("does:\n  - Repeats last week's order\n", "does: []\n"))
    assert found == ["e.yaml:12:7: warning: does: no notes in 'does'; its area shows only its guiding question"]


def test_the_extended_canvas_warns_about_merged_areas_and_a_missing_goal():
    text = EXTENDED.replace("goal: Get her line back to full speed\n", "").replace(
        "thinks: [Wonders whether to switch]\nfeels: [Embarrassed in front of clients]\n", "")
    assert headlines(text) == [
        "e.yaml:1:1: warning: goal: no goal; the band on top shows only its guiding question",
        "e.yaml:1:1: warning: thinks: no notes in 'thinks' or 'feels'; their area shows only its guiding question",
    ]


def test_sees_on_a_classic_map_is_a_warning():
    found = headlines(CLASSIC + "layout: classic\nsees: [A queue]\n")
    assert found == ["e.yaml:17:7: warning: sees: the classic layout does not draw 'sees'; use 'layout: extended'"]


def test_a_missing_persona_file_is_an_error(tmp_path):
    text = CLASSIC.replace("persona:\n  name: Dewi Lestari\n  role: Accountant\n", "persona: persona-dewi.yaml\n")
    assert file_headlines(tmp_path, text) == ["e.yaml:3:10: error: persona: file not found: persona-dewi.yaml"]


def test_a_persona_file_of_another_kind_is_an_error(tmp_path):
    text = CLASSIC.replace("persona:\n  name: Dewi Lestari\n  role: Accountant\n", "persona: other.yaml\n")
    other = "kind: whys\ntitle: T\nproblem: P\nwhys:\n  - because: B\n    root: true\n"
    found = file_headlines(tmp_path, text, {"other.yaml": other})
    assert "e.yaml:3:10: error: persona: other.yaml is a whys spec; expected a persona spec" in found


def test_an_inline_persona_photo_must_exist_and_be_an_image(tmp_path):
    text = CLASSIC.replace("  role: Accountant\n", "  role: Accountant\n  photo: dewi.png\n")
    assert file_headlines(tmp_path, text) == ["e.yaml:6:10: error: persona.photo: file not found: dewi.png"]
    found = file_headlines(tmp_path, text, {"dewi.png": "<svg/>"})
    assert found == ["e.yaml:6:10: error: persona.photo: dewi.png is not a PNG, JPEG, GIF or WebP image"]


# -- persona references ---------------------------------------------------------------


def test_a_persona_reference_resolves_with_its_photo(load_text):
    text = CLASSIC.replace("persona:\n  name: Dewi Lestari\n  role: Accountant\n", "persona: people/dewi.yaml\n")
    spec = load_text(text, files={"people/dewi.yaml": PERSONA, "people/photos/dewi.png": tiny_png()})
    persona = spec.model.persona
    assert isinstance(persona, Persona) and persona.name == "Dewi Lestari"
    # The photo is relative to the persona's file; the map keeps it relative to its own folder.
    assert persona.photo == "people/photos/dewi.png"
    svg = cxviz.render_svg(spec)
    assert re.search(r'<clipPath id="([^"]+)"><circle [^>]*/></clipPath><image [^>]*clip-path="url\(#\1\)"', svg)
    assert 'href="data:image/png;base64,' in svg
    assert ">Dewi Lestari<" in svg


def test_without_a_photo_the_persona_shows_initials():
    svg = cxviz.render_svg(cxviz.loads(CLASSIC))
    assert ">DL<" in svg and "<image" not in svg


# -- drawing ---------------------------------------------------------------------------


def test_the_classic_map_shows_four_quadrants_around_the_person(layout_warnings):
    spec = cxviz.loads(CLASSIC)
    dot = cxviz.render_dot(spec)
    for heading in ("Says", "Thinks", "Does", "Feels", "Goal", "Dewi Lestari"):
        assert f">{heading}<" in dot
    for absent in ("Sees", "Hears", "Pains", "Gains"):
        assert f">{absent}<" not in dot
    assert "What do they say out loud about the experience?" in dot
    assert ">“Why is Saturday" in dot and "again?”<" in dot  # what they say is quoted
    assert x_of(dot, "Says") < x_of(dot, "Dewi Lestari") < x_of(dot, "Thinks")
    assert layout_warnings(spec) == ()


def test_the_extended_canvas_merges_areas_and_marks_pains_and_gains(layout_warnings):
    spec = cxviz.loads(EXTENDED)
    dot = cxviz.render_dot(spec)
    for heading in ("Sees", "Hears", "Thinks &amp; feels", "Says &amp; does", "Pains", "Gains", "Goal"):
        assert f">{heading}<" in dot
    # Merged areas keep each list under its own small label.
    for label in ("Thinks", "Feels", "Says", "Does"):
        assert f">{label}<" in dot
    # Pains and gains differ by mark and border style, not only by colour.
    assert dot.count(">\u2212<") == 2 and dot.count(">+<") == 2  # heading badge + one per note
    assert 'style="filled,rounded,dashed"' in dot
    assert layout_warnings(spec) == ()


def test_areas_grow_to_fit_long_notes(layout_warnings):
    long = "A very long note that goes on and on about the delivery slot " * 8
    short = cxviz.render_dot(cxviz.loads(CLASSIC))
    spec = cxviz.loads(CLASSIC.replace("Repeats last week's order", long.strip()))
    tall = cxviz.render_dot(spec)
    height = lambda dot: float(re.search(r'bb="0,0,[\d.]+,([\d.]+)"', dot).group(1))  # noqa: E731
    assert height(tall) > height(short) + 100
    assert layout_warnings(spec) == ()


def test_an_indonesian_map_uses_indonesian_words(layout_warnings):
    spec = cxviz.loads(EXTENDED.replace("title:", "lang: id\ntitle:"))
    svg = cxviz.render_svg(spec)
    for word in ("Melihat", "Mendengar", "Berpikir &amp; merasakan", "Kesulitan", "Harapan", "Tujuan"):
        assert f">{word}<" in svg
    assert layout_warnings(spec) == ()


def test_an_arabic_map_is_mirrored_with_rtl_lines(layout_warnings):
    text = """\
kind: empathy
lang: ar
title: عمر يفتح حسابًا
who: مهني شاب في عمّان
sees: [إعلانات البنوك الرقمية]
hears: [صديقه يشتكي من التحقق]
says: [أريد حسابي اليوم]
pains: [رسائل خطأ غامضة]
gains: [بطاقة رقمية فورًا]
"""
    spec = cxviz.loads(text)
    dot = cxviz.render_dot(spec)
    english = cxviz.render_dot(cxviz.loads(EXTENDED))
    # Sees is on the left of Hears left to right, and on the right in Arabic.
    assert x_of(english, "Sees") < x_of(english, "Hears")
    assert x_of(dot, "يرى") > x_of(dot, "يسمع")
    assert x_of(dot, "الآلام") > x_of(dot, "المكاسب")
    assert 'ALIGN="RIGHT"' in dot
    svg = cxviz.render_svg(spec)
    line = re.search(r"<text[^>]*>إعلانات البنوك الرقمية</text>", svg).group(0)
    assert 'direction="rtl"' in line
    assert '"أريد حسابي اليوم"' in svg.replace("&quot;", '"')
    assert layout_warnings(spec) == ()


def test_user_text_cannot_become_markup():
    hostile = 'x" ]; evil [label="y <script>alert(1)</script> & {{ a }} ]]>'
    text = CLASSIC.replace("  - Repeats last week's order\n", "  - " + json.dumps(hostile) + "\n")
    dot = cxviz.render_dot(cxviz.loads(text))
    assert "<script>" not in dot and '" ];' not in dot
    svg = cxviz.render_svg(cxviz.loads(text))
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "evil" in svg and "{{ a }}" in svg


def test_the_description_names_the_person_and_the_goal():
    svg = cxviz.render_svg(cxviz.loads(CLASSIC))
    assert ('<desc id="cxviz-desc">Empathy map: Dewi Lestari, Working mother ordering on her phone during the '
            "commute. Goal: A week of fresh groceries delivered before Saturday</desc>") in svg


EMPATHY_SAMPLES = [p for p in sample_files() if p.name.startswith("empathy-")]


@pytest.mark.parametrize("path", EMPATHY_SAMPLES, ids=[p.stem for p in EMPATHY_SAMPLES])
def test_samples_are_clean_and_fit(path, layout_warnings):
    spec = cxviz.load(path)
    assert spec.kind.name == "empathy" and spec.diagnostics == []
    assert isinstance(spec.model.persona, Persona)
    assert layout_warnings(spec) == ()


def test_there_are_classic_and_extended_samples_in_three_languages():
    specs = [cxviz.load(path) for path in EMPATHY_SAMPLES]
    assert {s.model.lang for s in specs} == {"en", "id", "ar"}
    assert {s.model.chosen_layout for s in specs} == {"classic", "extended"}


# -- names: every shape is named by the spec value it draws -----------------------------

def test_ids_are_spec_paths_and_classes_name_roles():
    classic = shape_roles(cxviz.render_svg(cxviz.loads(CLASSIC), embed_font=False))
    expected = {
        "title": "title", "goal": "goal", "persona": "persona", "persona.avatar": "avatar",
        "persona.name": "name", "who": "who", "says": "area", "thinks": "area", "does": "area", "feels": "area",
        "says.0": "note", "says.0-1": "note", "feels.0": "note",
    }
    assert {id: classic.get(id) for id in expected} == expected
    extended = shape_roles(cxviz.render_svg(cxviz.loads(EXTENDED), embed_font=False))
    expected = {
        "sees": "area", "hears": "area", "thinks_feels": "area", "thinks": "list", "feels": "list",
        "says_does": "area", "says": "list", "does": "list", "pains": "area", "gains": "area",
        "sees.0": "note", "thinks.0": "note", "says.0": "note", "pains.0": "note", "gains.0": "note",
        "persona.avatar": "avatar",
    }
    assert {id: extended.get(id) for id in expected} == expected


@pytest.mark.parametrize("path", EMPATHY_SAMPLES, ids=[p.stem for p in EMPATHY_SAMPLES])
def test_no_graphviz_counter_ids(path):
    svg = cxviz.render_svg(cxviz.load(path), embed_font=False)
    assert not re.search(r'id="(node|edge|clust|a_node|a_edge)[0-9]', svg)


@pytest.mark.parametrize("area", ["says", "feels", "pains", "gains"])
def test_adding_a_note_adds_exactly_its_ids(area):
    data = yaml.safe_load((SAMPLES / "empathy-maya.yaml").read_text(encoding="utf-8"))
    before = set(shape_roles(svg_of(data)))
    data[area] = [*data.get(area, []), "One more note"]
    after = set(shape_roles(svg_of(data)))
    new = f"{area}.{len(data[area]) - 1}"
    assert before <= after
    assert after - before and all(id == new or id.startswith(f"{new}-") for id in after - before)


@pytest.mark.parametrize(("name", "expected"), [
    ("Omar Al Farouq Haddad", "OH"), ("عمر الفاروق", "ع ف"), ("ليلى الشمري", "ل ش"),
])
def test_the_avatar_draws_the_one_initials_rule(name, expected):
    svg = cxviz.render_svg(cxviz.loads(CLASSIC.replace("Dewi Lestari", name)), embed_font=False)
    drawn = re.search(r'<g id="persona.avatar-2" class="node cxviz-avatar">\s*<text[^>]*>([^<]*)</text>', svg)
    assert drawn and drawn.group(1) == expected
