"""The journey kind: its model, checks, persona references and the drawn map."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Callable

import pytest
import yaml

import cxviz
from cxviz.kinds.journey.model import JourneyMap, Scale, Step, Todo
from cxviz.kinds.persona.model import Persona
from cxviz.theme import PALETTE

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
JOURNEY_SAMPLES = [SAMPLES / name for name in ("journey-grocery.yaml", "journey-bank.yaml", "blueprint-telco.yaml")]

# The smallest valid PNG: one transparent pixel.
PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)

SMALL = """\
    kind: journey
    title: Opening a savings account
    persona:
      name: Maya Thompson
      quote: Just let me do it from my phone.
    stages:
      - name: Awareness
        goal: Find a bank that pays fair interest
        metrics: {NPS: 32, CSAT: "4.1/5"}
        steps:
          - Sees a friend's post about the app
          - action: Reads the store reviews
            touchpoints: [App store page]
            channel: mobile
            emotion: 1
            todo: [Add reviews to the store page]
      - name: Purchase
        steps:
          - action: Uploads her ID
            emotion: -2
            pains: [The photo is rejected twice]
            todo: [{action: Guide the camera, owner: Onboarding team, due: 2025-06-30}]
    """

INLINE_PERSONA = "    persona:\n      name: Maya Thompson\n      quote: Just let me do it from my phone.\n"

PERSONA_FILE = """\
    kind: persona
    title: Persona
    name: Ana Souza
    photo: ana.png
    role: Nurse
    """


def _checks(text: str) -> list[cxviz.Diagnostic]:
    return cxviz.checks(textwrap.dedent(text))


def _headlines(text: str) -> list[str]:
    return [d.headline() for d in _checks(text)]


def _svg(spec: cxviz.Spec) -> str:
    return cxviz.render_svg(spec, embed_font=False)


@pytest.fixture(scope="module")
def rendered_samples() -> dict[str, str]:
    specs = [cxviz.load(path) for path in JOURNEY_SAMPLES]
    return {path.stem: svg for path, svg in zip(JOURNEY_SAMPLES, cxviz.render_svgs(specs, embed_font=False))}


# -- model -----------------------------------------------------------------------


def test_small_spec_becomes_the_model(load_text):
    spec = load_text(SMALL)
    journey = spec.model
    assert isinstance(journey, JourneyMap)
    assert journey.type == "current-state"
    assert journey.emotion_scale == Scale(min=-2, max=2)
    assert isinstance(journey.persona, Persona) and journey.persona.name == "Maya Thompson"
    awareness = journey.stages[0]
    assert awareness.metrics == {"NPS": "32", "CSAT": "4.1/5"}
    assert awareness.steps[0] == Step(action="Sees a friend's post about the app")
    assert awareness.steps[1].todo == (Todo(action="Add reviews to the store page"),)
    assert journey.stages[1].steps[0].todo[0].owner == "Onboarding team"
    assert [step.emotion for step in journey.steps] == [None, 1.0, -2.0]
    assert spec.warnings == []


def test_schema_has_the_journey_fields():
    schema = json.loads(cxviz.schema("journey"))
    assert {"type", "persona", "scale", "stages"} <= set(schema["properties"])
    assert schema["properties"]["kind"]["const"] == "journey"
    step = schema["$defs"]["Step"]["anyOf"][1]["properties"]
    assert {"action", "touchpoints", "channel", "thoughts", "emotion", "pains", "opportunities", "todo",
            "evidence", "frontstage", "backstage", "support"} <= set(step)
    assert schema["properties"]["type"]["enum"] == [
        "current-state", "day-in-the-life", "future-state", "service-blueprint"]


def test_starter_validates_and_draws():
    spec = cxviz.loads(cxviz.starter("journey", "id"))
    assert spec.model.lang == "id"
    assert spec.diagnostics == []
    assert "Titik masalah" in _svg(spec)


# -- checks ------------------------------------------------------------------------


def test_emotion_outside_the_scale_points_at_the_score():
    text = SMALL.replace("emotion: 1", "emotion: 7")
    assert _headlines(text) == [
        "<string>:15:18: error: stages[0].steps[1].emotion: 7 is outside the scale -2..2"
    ]


def test_emotion_checked_against_a_custom_scale():
    text = SMALL.replace("    stages:\n", "    scale: {min: 1, max: 5}\n    stages:\n", 1)
    assert [d.message for d in _checks(text)] == ["-2 is outside the scale 1..5"]
    assert _checks(text.replace("emotion: -2", "emotion: 3")) == []


def test_scale_min_must_be_below_max():
    text = SMALL.replace("    stages:\n", "    scale: {min: 2, max: -2}\n    stages:\n", 1)
    assert _headlines(text) == [
        "<string>:6:8: error: scale: the scale runs from min 2 to max -2; min must be below max"
    ]


def test_misspelt_step_key_suggests_the_field():
    text = SMALL.replace("touchpoints:", "touchpoint:")
    assert _headlines(text) == [
        "<string>:13:9: error: stages[0].steps[1].touchpoint: unknown field 'touchpoint'; "
        "did you mean 'touchpoints'?"
    ]


def test_duplicate_stage_names():
    text = SMALL.replace("name: Purchase", "name: awareness")
    assert _headlines(text) == [
        "<string>:17:11: error: stages[1].name: stage 'awareness' is already used by stages[0]; "
        "stage names must differ"
    ]


def test_stage_without_steps_is_a_warning():
    text = SMALL.rstrip(" ") + "      - Advocacy\n"
    diagnostics = _checks(text)
    assert [d.headline() for d in diagnostics] == [
        "<string>:23:5: warning: stages[2]: stage 'Advocacy' has no steps; its column stays empty"
    ]
    spec = cxviz.loads(textwrap.dedent(text))
    assert "Advocacy" in _svg(spec)


def test_stages_written_as_one_text_are_an_error_not_one_empty_stage():
    text = SMALL.split("    stages:\n")[0] + "    stages: Awareness, Purchase, Retention\n"
    assert _headlines(text) == [
        "<string>:6:9: error: stages: expected a list, got the text 'Awareness, Purchase, Retention'; write each "
        "item on a line of its own, starting with \"- \", as in \"- Awareness, Purchase, Retention\""
    ]


def test_a_todo_due_that_is_not_a_date_points_at_it():
    text = SMALL.replace("due: 2025-06-30", "due: end of Q2")
    assert _headlines(text) == [
        "<string>:22:72: error: stages[1].steps[0].todo[0].due: 'end of Q2' is not a date; "
        "write it as YYYY-MM-DD, e.g. 2025-04-15"
    ]


def test_blueprint_lanes_on_another_map_are_a_warning():
    text = SMALL.replace("            channel: mobile\n",
                         "            channel: mobile\n            backstage: [Review moderation]\n")
    assert _headlines(text) == [
        "<string>:15:9: warning: stages[0].steps[1].backstage: 'backstage' is drawn only on a service "
        "blueprint (type: service-blueprint); this current-state map leaves it out"
    ]
    spec = cxviz.loads(textwrap.dedent(text))
    assert "Review moderation" not in _svg(spec)


def test_a_map_without_persona_is_a_warning():
    text = SMALL.replace(INLINE_PERSONA, "")
    assert _headlines(text) == [
        "<string>:1:1: warning: persona: no persona; a journey map is drawn for one persona "
        "(a persona file, or its name, photo and quote here)"
    ]


def test_missing_persona_file_is_an_error(load_text):
    with pytest.raises(cxviz.SpecError) as caught:
        load_text(SMALL.replace(INLINE_PERSONA, "    persona: persona-nobody.yaml\n"))
    assert [(d.line, d.column, d.field, d.message) for d in caught.value.diagnostics] == [
        (3, 10, "persona", "file not found: persona-nobody.yaml")
    ]


def test_persona_file_reference_resolves(load_text):
    text = SMALL.replace(INLINE_PERSONA, "    persona: people/ana.yaml\n")
    spec = load_text(text, files={"people/ana.yaml": PERSONA_FILE, "people/ana.png": PIXEL_PNG})
    persona = spec.model.persona
    assert type(persona) is Persona
    assert (persona.name, persona.role) == ("Ana Souza", "Nurse")
    assert persona.photo == "people/ana.png"  # found from the journey's folder
    svg = _svg(spec)
    assert "Ana Souza" in svg and "data:image/png;base64," in svg


def test_inline_persona_photo_must_exist():
    text = SMALL.replace("      quote:", "      photo: maya.png\n      quote:")
    assert [(d.field, d.message) for d in _checks(text)] == [("persona.photo", "file not found: maya.png")]


def test_a_referenced_spec_of_another_kind_is_an_error(load_text):
    text = SMALL.replace(INLINE_PERSONA, "    persona: other.yaml\n")
    with pytest.raises(cxviz.SpecError) as caught:
        load_text(text, files={"other.yaml": "kind: whys\ntitle: T\nproblem: P\nwhys: [Because]\n"})
    assert any(d.message == "other.yaml is a whys spec; expected a persona spec" for d in caught.value.diagnostics)


# -- drawing -----------------------------------------------------------------------


def _node_pos(source: str, text: str) -> tuple[float, float]:
    """Where the board node whose label holds ``text`` sits, in Graphviz points (y up)."""
    for line in source.splitlines():
        if text in line:
            match = re.search(r'pos="([\d.]+),([\d.]+)!"', line)
            if match:
                return float(match.group(1)), float(match.group(2))
    raise AssertionError(f"no node holds {text!r}")


def _board_width(source: str) -> float:
    return float(re.search(r'bb="0,0,([\d.]+),', source).group(1))


def test_only_lanes_with_content_are_drawn():
    svg = _svg(cxviz.loads(textwrap.dedent(SMALL)))
    for lane in ("Actions", "Touchpoints", "Emotions", "Pain points", "Actions to take"):
        assert f">{lane}</text>" in svg, lane
    for lane in ("Thoughts", "Opportunities", "Frontstage", "Line of visibility"):
        assert f">{lane}</text>" not in svg, lane


def test_emotion_curve_places_happier_steps_higher_and_colours_them():
    source = cxviz.render_dot(cxviz.loads(textwrap.dedent(SMALL)))
    happy = re.search(rf'fillcolor="{PALETTE.green}"[^\]]*pos="([\d.]+),([\d.]+)!"', source)
    sad = re.search(rf'fillcolor="{PALETTE.vermillion}"[^\]]*pos="([\d.]+),([\d.]+)!"', source)
    assert happy and sad
    assert float(happy.group(2)) > float(sad.group(2))  # Graphviz's y grows upwards
    assert float(happy.group(1)) < float(sad.group(1))  # the steps run left to right
    assert 'style=dashed' in source  # the neutral baseline


def test_user_text_is_escaped():
    nasty = '<script>alert("x")</script> & ] "]; a -> b [label="pwn'
    spec = cxviz.loads(textwrap.dedent(SMALL.replace("action: Uploads her ID", f"action: '{nasty}'")))
    assert spec.model.stages[1].steps[0].action == nasty
    source = cxviz.render_dot(spec)
    assert 'a -> b [label="pwn' not in source and "<script>" not in source
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#93; &quot;&#93;; a -&gt;" in source
    assert "b &#91;label=&quot;pwn" in source
    svg = _svg(spec)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg


def test_indonesian_map_uses_indonesian_words(rendered_samples):
    svg = rendered_samples["journey-grocery"]
    for word in ("Titik sentuh", "Titik masalah", "Peluang", "MASALAH", "IDE", "Kondisi saat ini"):
        assert f">{word}</text>" in svg, word
    assert "data:image/png;base64," in svg  # Dewi's photo


def test_arabic_map_runs_right_to_left(rendered_samples):
    svg = rendered_samples["journey-bank"]
    assert re.search(r'<text[^>]*direction="rtl">الأفعال</text>', svg)
    assert re.search(r'<text[^>]*direction="rtl">[^<]*فتح حساب مصرفي[^<]*</text>', svg)
    source = cxviz.render_dot(cxviz.load(SAMPLES / "journey-bank.yaml"))
    width = _board_width(source)
    label_x, _ = _node_pos(source, "الأفعال")
    first_x, _ = _node_pos(source, "يرى إعلانًا")
    last_x, _ = _node_pos(source, "يرسل رابط")
    assert label_x > width * 0.9  # lane labels on the right
    assert first_x > last_x  # the first step on the right, the last on the left


def test_english_map_runs_left_to_right():
    source = cxviz.render_dot(cxviz.loads(textwrap.dedent(SMALL)))
    label_x, _ = _node_pos(source, ">Actions<")
    assert label_x < _board_width(source) * 0.15


def test_blueprint_draws_its_three_lines_and_lanes(rendered_samples):
    svg = rendered_samples["blueprint-telco"]
    for label in ("Line of interaction", "Line of visibility", "Line of internal", "Physical evidence",
                  "Frontstage", "Backstage", "Support processes"):
        assert re.search(rf">{label}[^<]*</text>", svg), label
    assert "Line of" not in rendered_samples["journey-grocery"]


def test_blueprint_lines_come_in_order():
    source = cxviz.render_dot(cxviz.load(SAMPLES / "blueprint-telco.yaml"))
    heights = [_node_pos(source, label)[1] for label in
               ("Emotions", "Line of interaction", "Frontstage", "Line of visibility", "Backstage",
                "Line of internal", "Support processes", "Pain points")]
    assert heights == sorted(heights, reverse=True)


@pytest.mark.parametrize("path", JOURNEY_SAMPLES, ids=[p.stem for p in JOURNEY_SAMPLES])
def test_samples_fit_their_boxes(path, layout_warnings):
    spec = cxviz.load(path)
    assert spec.diagnostics == []
    assert layout_warnings(spec) == ()


def test_description_for_screen_readers():
    svg = _svg(cxviz.loads(textwrap.dedent(SMALL)))
    assert ('<desc id="cxviz-desc">Current state “Opening a savings account” for Maya Thompson: '
            "2 stages and 3 steps, from Awareness to Purchase</desc>") in svg


# -- names: every shape carries the id of the spec value it draws ---------------------

_GROUP = re.compile(r'<g id="([^"]*)" class="(?:node|edge) ([^"]*)">')


def _named(svg: str) -> dict[str, str]:
    """Each shape's id and its cxviz class."""
    return {match.group(1): match.group(2) for match in _GROUP.finditer(svg)}


def test_shapes_are_named_by_their_spec_paths():
    named = _named(_svg(cxviz.loads(textwrap.dedent(SMALL))))
    expected = {
        "title": "cxviz-title",
        "type": "cxviz-type",
        "persona": "cxviz-persona",
        "persona.avatar": "cxviz-avatar",
        "persona.quote": "cxviz-quote",
        "stages.0": "cxviz-stage",
        "stages.0.name": "cxviz-name",
        "stages.0.goal": "cxviz-goal",
        "stages.0.metrics.NPS": "cxviz-metric",
        "stages.0.steps.1": "cxviz-step",
        "stages.0.steps.1.action": "cxviz-action",
        "stages.0.steps.1.channel": "cxviz-channel",
        "stages.0.steps.1.touchpoints.0": "cxviz-touchpoint",
        "stages.0.steps.1.todo.0": "cxviz-todo",
        "stages.1.steps.0.pains.0": "cxviz-pain",
        "stages.1.steps.0.todo.0": "cxviz-todo",
        "stages.1.steps.0.todo.0.note": "cxviz-note",
        "lanes.stages": "cxviz-lane",
        "lanes.actions": "cxviz-lane",
        "lanes.pains": "cxviz-lane",
        "lanes.emotions.scale": "cxviz-scale",
        "emotion": "cxviz-curve",
        "emotion.neutral": "cxviz-baseline",
        "stages.0.steps.1.emotion": "cxviz-curve-point",
        "stages.1.steps.0.emotion": "cxviz-curve-point",
    }
    assert {name: named.get(name) for name in expected} == expected
    # The step without a score has no point on the curve.
    assert "stages.0.steps.0.emotion" not in named


def test_the_scene_knows_each_cards_step_and_text():
    graph = cxviz.api.build_graph(cxviz.loads(textwrap.dedent(SMALL)))
    scene = graph.scene
    pain = scene["stages.1.steps.0.pains.0"]
    assert (pain.role, pain.text, pain.parent) == ("pain", "The photo is rejected twice", "stages.1.steps.0")
    assert scene["stages.1.steps.0"].parent == "stages.1"
    assert scene["stages.0.steps.1.emotion"].relations == (("curve", "emotion"),)


def test_blueprint_lanes_and_lines_are_named(rendered_samples):
    named = _named(rendered_samples["blueprint-telco"])
    for lane in ("evidence", "frontstage", "backstage", "support", "thoughts", "opportunities"):
        assert named[f"lanes.{lane}"] == "cxviz-lane", lane
    for line in ("interaction", "visibility", "internal"):
        assert named[f"lines.{line}"] == "cxviz-line", line
    assert named["stages.0.steps.0.evidence.0"] == "cxviz-evidence"
    assert named["stages.1.steps.0.backstage.0"] == "cxviz-backstage"
    assert named["stages.0.steps.0.thoughts.0"] == "cxviz-thought"  # the card, not the bubbles under it
    assert named["stages.0.steps.1.opportunities.0"] == "cxviz-opportunity"


@pytest.mark.parametrize("sample", [p.stem for p in JOURNEY_SAMPLES])
def test_no_graphviz_counter_ids(rendered_samples, sample):
    svg = rendered_samples[sample]
    assert not re.findall(r'id="(?:node|edge|clust|a_node|a_edge)\d', svg)
    ids = re.findall(r'<g id="([^"]*)"', svg)
    assert len(ids) == len(set(ids))


def _ids_after(path: Path, change: Callable[[dict], None] | None = None) -> set[str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if change is not None:
        change(data)
    spec = cxviz.loads(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), base_dir=path.parent)
    return set(_named(_svg(spec)))


def _steps(data: dict, stage: int) -> list:
    return data["stages"][stage]["steps"]


def _step(data: dict, stage: int, step: int) -> dict:
    value = _steps(data, stage)[step]
    return value if isinstance(value, dict) else {"action": value}


def _append(field: str, item) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        step = _step(data, 1, 0)
        step[field] = [*step.get(field, []), item]
        _steps(data, 1)[0] = step
    return change


@pytest.mark.parametrize(("change", "added"), [
    (_append("pains", "The queue music loops every ten seconds"), "stages.1.steps.0.pains.{n}"),
    (_append("thoughts", "Is anyone there?"), "stages.1.steps.0.thoughts.{n}"),
    (_append("touchpoints", "Callback request"), "stages.1.steps.0.touchpoints.{n}"),
    (_append("backstage", "Queue rebalanced"), "stages.1.steps.0.backstage.{n}"),
    (_append("todo", {"action": "Offer a callback", "owner": "Contact centre"}), "stages.1.steps.0.todo.{n}"),
    (lambda data: _steps(data, 2).append({"action": "Hangs up", "emotion": -2, "pains": ["Nobody answered"]}),
     "stages.2.steps.{n}"),
], ids=["pain", "thought", "touchpoint", "backstage", "todo", "step"])
def test_adding_one_item_adds_only_its_ids(change, added):
    path = SAMPLES / "blueprint-telco.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    field = added.split(".")[-2]
    if field == "steps":
        n = len(_steps(data, 2))
    else:
        n = len(_step(data, 1, 0).get(field, []))
    item = added.format(n=n)
    before, after = _ids_after(path), _ids_after(path, change)
    assert before <= after
    new = after - before
    assert new and all(name == item or name.startswith((f"{item}.", f"{item}-")) for name in new), sorted(new)


def test_pages_keep_each_stages_index_in_the_whole_map():
    from cxviz.kinds.journey.graph import paginate
    from cxviz.locale import catalogue
    from cxviz.registry import RenderContext

    spec = cxviz.load(SAMPLES / "blueprint-telco.yaml")
    context = RenderContext(catalogue("en"), spec.base_dir, {"framed": True})
    whole = {element.id for element in cxviz.api.build_graph(spec).scene}
    pages = paginate(spec.model, context, 2)
    assert len(pages) == 2
    stages = [[e.id for e in page.scene.with_role("stage")] for page in pages]
    assert stages == [["stages.0", "stages.1", "stages.2"], ["stages.3", "stages.4"]]
    second = {element.id for element in pages[1].scene}
    assert "stages.3.steps.1.emotion" in second and "stages.0.steps.0" not in second
    assert {name for name in second if name.startswith("stages.")} <= whole
    assert 'id="stages.3.steps.1"' in pages[1].source


@pytest.mark.parametrize(("name", "initials"), [
    ("Omar Al Farouq Haddad", "OH"),
    ("عمر الفاروق", "ع ف"),
    ("ليلى الشمري", "ل ش"),
])
def test_avatar_initials_follow_the_one_rule(name, initials):
    svg = _svg(cxviz.loads(textwrap.dedent(SMALL.replace("name: Maya Thompson", f"name: {name}"))))
    avatar = re.search(r'<g id="persona\.avatar-2" class="node cxviz-avatar">(.*?)</g>', svg, re.S)
    assert avatar, "no initials drawn"
    assert re.findall(r"<text[^>]*>([^<]*)</text>", avatar.group(1)) == [initials]


# -- the blank canvas of a spec ----------------------------------------------------


def test_a_blueprints_blank_canvas_has_the_lanes_its_map_draws_in_the_same_order():
    from cxviz.kinds.journey.canvas import blank_options

    options = blank_options(cxviz.load(SAMPLES / "blueprint-telco.yaml").model)
    assert options["stages"] == ["Notice", "Reach out", "Diagnose", "Fix", "Follow up"]
    assert options["lanes"] == ["evidence", "actions", "touchpoints", "thoughts", "emotions",
                                "frontstage", "backstage", "support", "pains", "opportunities", "todo"]


def test_a_journeys_blank_canvas_keeps_the_usual_lanes_and_adds_the_actions_to_take(load_text):
    from cxviz.kinds.journey.canvas import BLANK_LANES, blank_options

    assert blank_options(cxviz.load(SAMPLES / "journey-grocery.yaml").model)["lanes"] == [*BLANK_LANES, "todo"]
    without_todo = SMALL.replace("            todo: [Add reviews to the store page]\n", "").replace(
        "            todo: [{action: Guide the camera, owner: Onboarding team, due: 2025-06-30}]\n", "")
    assert blank_options(load_text(without_todo).model) == {"stages": ["Awareness", "Purchase"], "lanes": None}
    blueprint = load_text(without_todo.replace("    title:", "    type: service-blueprint\n    title:"))
    assert blank_options(blueprint.model)["lanes"] == [
        "evidence", "actions", "touchpoints", "thoughts", "emotions", "frontstage", "backstage", "support",
        "pains", "opportunities"]
