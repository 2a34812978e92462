"""The persona kind: its model, checks and portrait card."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest
import yaml

import cxviz
from cxviz.graph.pieces import initials
from cxviz.kinds.persona.model import PersonaSpec, Trait

from ..conftest import shape_roles, svg_of

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PERSONA_SAMPLES = sorted(SAMPLES.glob("persona-*.yaml"))

# The smallest valid PNG: one transparent pixel.
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)

SMALL = """\
    kind: persona
    title: Persona sketch
    name: Rina Putri
    quote: Just tell me when it arrives.
    age: 41
    role: Shop owner
    goals: [Restock before the weekend]
    personality:
      - poles: [Cautious, Adventurous]
        value: 20
    tech: 55
    """


def _diagnostics(text: str, tmp_path: Path, files: dict[str, bytes] | None = None) -> list[cxviz.Diagnostic]:
    for name, content in (files or {}).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    path = tmp_path / "persona.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return cxviz.check(path)


def _headlines(diagnostics: list[cxviz.Diagnostic]) -> list[str]:
    return [d.headline() for d in diagnostics]


# -- model ---------------------------------------------------------------------


def test_small_spec_becomes_the_model(load_text):
    spec = load_text(SMALL)
    persona = spec.model
    assert isinstance(persona, PersonaSpec)
    assert persona.name == "Rina Putri"
    assert persona.age == 41
    assert persona.goals == ("Restock before the weekend",)
    assert persona.personality == (Trait(poles=("Cautious", "Adventurous"), value=20),)
    assert persona.tech == 55
    assert persona.photo is None and persona.frustrations == ()
    assert spec.warnings == []


def test_schema_lists_every_persona_field():
    schema = json.loads(cxviz.schema("persona"))
    fields = set(schema["properties"])
    assert {"name", "photo", "quote", "age", "role", "location", "bio", "goals", "frustrations",
            "motivations", "behaviours", "channels", "brands", "personality", "tech"} <= fields
    assert "name" in schema["required"]


def test_slider_value_is_bounded(tmp_path):
    text = SMALL.replace("value: 20", "value: 120")
    assert _headlines(_diagnostics(text, tmp_path)) == [
        f"{tmp_path / 'persona.yaml'}:10:12: error: personality[0].value: 120 is outside 0..100"
    ]


# -- checks -----------------------------------------------------------------------


def test_missing_photo_is_an_error_at_the_photo_field(tmp_path):
    text = SMALL.replace("age: 41", "photo: photos/rina.png\n    age: 41")
    diagnostics = _diagnostics(text, tmp_path)
    assert [(d.line, d.column, d.field, d.message, d.is_error) for d in diagnostics] == [
        (5, 8, "photo", "file not found: photos/rina.png", True)
    ]


def test_photo_that_is_not_an_image_is_an_error(tmp_path):
    text = SMALL.replace("age: 41", "photo: rina.png\n    age: 41")
    diagnostics = _diagnostics(text, tmp_path, {"rina.png": b"<svg onload='alert(1)'/>"})
    assert [(d.line, d.column, d.field, d.message) for d in diagnostics] == [
        (5, 8, "photo", "rina.png is not a PNG, JPEG, GIF or WebP image")
    ]
    assert diagnostics[0].is_error


def test_three_poles_are_an_error(tmp_path):
    text = SMALL.replace("[Cautious, Adventurous]", "[Cautious, Balanced, Adventurous]")
    diagnostics = _diagnostics(text, tmp_path)
    assert [(d.line, d.column, d.message, d.is_error) for d in diagnostics] == [
        (9, 12, "needs exactly two poles, e.g. [Introvert, Extrovert]; got 3", True)
    ]
    assert diagnostics[0].field == "personality[0].poles"


def test_identical_poles_are_an_error(tmp_path):
    text = SMALL.replace("[Cautious, Adventurous]", "[Calm, calm]")
    assert [d.message for d in _diagnostics(text, tmp_path)] == [
        "both poles are 'Calm'; a slider runs between two different ends"
    ]


def test_repeated_trait_is_a_warning(tmp_path):
    text = SMALL.replace("    tech: 55", "      - poles: [adventurous, cautious]\n        value: 70\n    tech: 55")
    diagnostics = _diagnostics(text, tmp_path)
    assert [(d.line, d.column, d.field, d.message, d.is_error) for d in diagnostics] == [
        (11, 12, "personality[1].poles", "the same poles as personality[0]; draw each trait once", False)
    ]


def test_repeated_list_item_is_a_warning(tmp_path):
    text = SMALL.replace("[Restock before the weekend]", "[Restock before the weekend, restock  before the weekend]")
    diagnostics = _diagnostics(text, tmp_path)
    assert [(d.field, d.message, d.is_error) for d in diagnostics] == [
        ("goals[1]", "repeats goals[0]", False)
    ]


def test_a_name_alone_warns_of_a_sparse_card(tmp_path):
    diagnostics = _diagnostics("kind: persona\ntitle: Nobody yet\nname: Sam\n", tmp_path)
    assert [(d.line, d.column, d.field, d.is_error) for d in diagnostics] == [(3, 7, "name", False)]
    assert diagnostics[0].message == (
        "only a name is given, so the card will be nearly empty; add a quote, goals, frustrations or a bio"
    )


# -- drawing ---------------------------------------------------------------------


def test_photo_is_embedded_as_data_not_linked(load_text):
    spec = load_text(
        SMALL.replace("age: 41", "photo: photos/rina.png\n    age: 41"),
        files={"photos/rina.png": PIXEL_PNG},
    )
    svg = cxviz.render_svg(spec, embed_font=False)
    assert "data:image/png;base64," in svg
    assert "<clipPath" in svg and "clip-path=\"url(#" in svg
    assert "rina.png" not in svg
    assert "photos/" not in svg


def test_without_photo_initials_are_drawn(load_text):
    svg = cxviz.render_svg(load_text(SMALL), embed_font=False)
    assert "<image" not in svg
    assert ">RP</text>" in svg


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Maya Thompson", "MT"), ("dewi", "D"), ("Ana Maria de la Cruz", "AC"), ("عمر الخطيب", "ع خ"), ("", "?")],
)
def test_initials(name, expected):
    assert initials(name) == expected


def test_indonesian_persona_renders_with_its_words(load_text):
    spec = load_text("""\
        kind: persona
        title: Persona
        lang: id
        name: Dewi Lestari
        age: 36
        goals: [Belanja mingguan selesai dalam 15 menit]
        frustrations: [Barang diganti tanpa ditanya]
        tech: 65
        """)
    svg = cxviz.render_svg(spec, embed_font=False)
    for words in ("Tujuan", "Frustrasi", "USIA", "Kenyamanan teknologi", "Pemula", "Mahir", "Belanja mingguan"):
        assert words in svg
    assert "Goals" not in svg


def test_arabic_persona_is_right_to_left(load_text):
    spec = load_text("""\
        kind: persona
        title: شخصية
        lang: ar
        name: عمر الخطيب
        age: 26
        goals: [فتح حساب جارٍ عبر الإنترنت]
        personality:
          - poles: [حذر, مغامر]
            value: 0
        """)
    svg = cxviz.render_svg(spec, embed_font=False)
    assert 'direction="rtl">الأهداف</text>' in svg
    assert 'direction="rtl">فتح حساب جارٍ عبر الإنترنت</text>' in svg
    assert "٢٦" in svg  # the age in the catalogue's digits


def test_arabic_slider_puts_value_zero_at_the_first_pole_on_the_right(load_text):
    text = """\
        kind: persona
        title: t
        lang: {lang}
        name: N
        personality:
          - poles: [A, B]
            value: 0
        """
    positions = {}
    for lang in ("en", "ar"):
        dot = cxviz.render_dot(load_text(text.format(lang=lang)))
        knob = next(line for line in dot.splitlines() if 'shape=ellipse' in line and "#8E4670" in line
                    and 'width=0.2222' in line)
        positions[lang] = float(knob.split('pos="')[1].split(",")[0])
    assert positions["en"] < 860 / 2 < positions["ar"]
    assert positions["en"] + positions["ar"] == pytest.approx(860)


def test_user_text_is_escaped(load_text):
    spec = load_text("""\
        kind: persona
        title: 'Escapes'
        name: 'Eve <script>alert(1)</script>'
        quote: 'She said "hi" & left ]; node [shape=box'
        goals: ['a -> b; }} digraph x {{']
        channels: ['<b>bold</b>']
        """)
    dot = cxviz.render_dot(spec)
    assert "<script>" not in dot and "<b>bold" not in dot
    svg = cxviz.render_svg(spec, embed_font=False)
    assert "<script>" not in svg
    assert "Eve &lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "She said &quot;hi&quot; &amp; left ]; node [shape=box" in svg
    assert "a &#45;&gt; b; }} digraph x {{" in svg
    assert "&lt;b&gt;bold&lt;/b&gt;" in svg


def test_describe_names_the_persona(load_text):
    svg = cxviz.render_svg(load_text(SMALL), embed_font=False)
    expected = "User persona: Rina Putri, Shop owner — Just tell me when it arrives. (Goals: 1)"
    assert f'<desc id="cxviz-desc">{expected}</desc>' in svg


def test_there_are_three_persona_samples():
    assert [p.name for p in PERSONA_SAMPLES] == ["persona-dewi.yaml", "persona-maya.yaml", "persona-omar.yaml"]


@pytest.mark.parametrize("path", PERSONA_SAMPLES, ids=lambda p: p.stem)
def test_samples_are_clean_and_nothing_overflows(path, layout_warnings):
    spec = cxviz.load(path)
    assert spec.warnings == []
    assert layout_warnings(spec) == ()


def test_samples_with_photos_embed_them_and_rtl_sample_mirrors():
    omar = cxviz.load(SAMPLES / "persona-omar.yaml")
    svg = cxviz.render_svg(omar, embed_font=False)
    assert svg.count("data:image/png;base64,") == 1
    assert "omar.png" not in svg
    assert 'direction="rtl">عمر الخطيب</text>' in svg


def test_starter_is_valid_and_renders():
    spec = cxviz.loads(cxviz.starter("persona", "id"))
    assert spec.model.lang == "id" and spec.warnings == []
    assert "Kepribadian" in cxviz.render_svg(spec, embed_font=False)


# -- names: every shape is named by the spec value it draws -----------------------------

def test_ids_are_spec_paths_and_classes_name_roles():
    shapes = shape_roles(cxviz.render_svg(cxviz.load(SAMPLES / "persona-dewi.yaml"), embed_font=False))
    expected = {
        "persona": "persona", "header": "header", "photo": "avatar", "name": "name", "age": "fact",
        "role": "fact", "location": "fact", "quote": "quote", "bio": "block", "goals": "block",
        "goals.0": "goal", "goals.0-1": "goal", "frustrations.0": "frustration", "motivations.2": "motivation",
        "behaviours.0": "behaviour", "personality": "block", "personality.1": "trait", "tech": "block",
        "tech.meter": "meter", "channels": "block", "channels.0": "channel", "brands.0": "brand",
        "footer": "footer",
    }
    assert {id: shapes.get(id) for id in expected} == expected


@pytest.mark.parametrize("path", PERSONA_SAMPLES, ids=lambda p: p.stem)
def test_no_graphviz_counter_ids(path):
    svg = cxviz.render_svg(cxviz.load(path), embed_font=False)
    assert not re.search(r'id="(node|edge|clust|a_node|a_edge)[0-9]', svg)


@pytest.mark.parametrize("key", ["goals", "frustrations", "behaviours", "channels", "brands", "personality"])
def test_adding_an_item_adds_exactly_its_ids(key):
    data = yaml.safe_load((SAMPLES / "persona-dewi.yaml").read_text(encoding="utf-8"))
    before = set(shape_roles(svg_of(data)))
    item = {"poles": ["Calm", "Restless"], "value": 30} if key == "personality" else "One more item"
    data[key] = [*data[key], item]
    after = set(shape_roles(svg_of(data)))
    new = f"{key}.{len(data[key]) - 1}"
    assert before <= after
    assert after - before and all(id == new or id.startswith(f"{new}-") for id in after - before)


@pytest.mark.parametrize(("name", "expected"), [
    ("Omar Al Farouq Haddad", "OH"), ("عمر الفاروق", "ع ف"), ("ليلى الشمري", "ل ش"),
])
def test_the_avatar_draws_the_one_initials_rule(load_text, name, expected):
    svg = cxviz.render_svg(load_text(f"kind: persona\ntitle: t\nname: {name}\ngoals: [g]\n"), embed_font=False)
    drawn = re.search(r'<g id="photo-2" class="node cxviz-avatar">\s*<text[^>]*>([^<]*)</text>', svg)
    assert drawn and drawn.group(1) == expected
