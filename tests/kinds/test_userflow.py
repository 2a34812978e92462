"""The user-flow kind: model, checks and drawing."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
import yaml

import cxviz
from cxviz.kinds.userflow.model import Edge, Step, resolve_lanes

from ..conftest import ROOT

FLOW = """\
kind: userflow
title: Checkout
lanes: [Customer, App]
nodes:
  - {id: home, type: entry, label: Opens the app, lane: Customer}
  - {id: cart, label: Cart, lane: App}
  - {id: ok, type: decision, label: "Paid?"}
  - {id: done, type: end, outcome: success, label: Order confirmed}
  - {id: fail, type: end, outcome: failure, label: Declined}
paths:
  - [home, cart, ok]
edges:
  - {from: ok, to: done, label: "Yes"}
  - {from: ok, to: fail, label: "No", condition: after 2 tries}
  - {from: cart, to: home, label: Keep shopping, optional: true}
"""

SAMPLES = sorted((ROOT / "samples").glob("userflow-*.yaml"))


def headlines(text: str) -> list[str]:
    return [d.headline() for d in cxviz.checks(text, name="u.yaml")]


# -- the model -------------------------------------------------------------------

def test_the_spec_becomes_steps_and_edges():
    spec = cxviz.loads(FLOW)
    flow = spec.model
    assert spec.diagnostics == []
    assert flow.direction == "top-down" and flow.lanes == ("Customer", "App")
    assert flow.nodes[1] == Step(id="cart", label="Cart", lane="App")  # a screen unless told
    assert flow.nodes[3].outcome == "success"
    assert flow.edges[1] == Edge(source="ok", target="fail", label="No", condition="after 2 tries")
    assert flow.edges[2].optional and not flow.edges[0].optional
    assert flow.paths == (("home", "cart", "ok"),)


def test_paths_are_a_shorthand_for_edges_between_consecutive_steps():
    flow = cxviz.loads(FLOW).model
    pairs = [(link.edge.source, link.edge.target, link.where) for link in flow.links()]
    assert pairs[:2] == [("home", "cart", "paths[0][1]"), ("cart", "ok", "paths[0][2]")]
    assert len(pairs) == 5
    dot = cxviz.render_dot(cxviz.loads(FLOW))
    assert re.search(r'^  "nodes.home" -> "nodes.cart" \[', dot, re.M)
    assert re.search(r'^  "nodes.cart" -> "nodes.ok" \[', dot, re.M)


def test_an_edge_repeating_a_path_step_labels_it_instead_of_doubling_it():
    flow = cxviz.loads(FLOW.replace("[home, cart, ok]", "[home, cart, ok, done]")).model
    links = [link for link in flow.links() if (link.edge.source, link.edge.target) == ("ok", "done")]
    assert [(link.edge.label, link.where) for link in links] == [("Yes", "edges[0]")]


def test_a_step_without_a_lane_stays_in_the_lane_of_the_step_before_it():
    lanes, lane_of = resolve_lanes(cxviz.loads(FLOW).model)
    assert lanes == ["Customer", "App"]
    assert lane_of == {"home": "Customer", "cart": "App", "ok": "App", "done": "App", "fail": "App"}


def test_without_a_lanes_list_the_steps_name_the_lanes_in_order():
    flow = cxviz.loads(FLOW.replace("lanes: [Customer, App]\n", "")).model
    assert resolve_lanes(flow)[0] == ["Customer", "App"]
    bare = cxviz.loads(re.sub(r", lane: \w+", "", FLOW.replace("lanes: [Customer, App]\n", ""))).model
    assert resolve_lanes(bare) == ([], {})


def test_the_json_schema_describes_the_fields():
    schema = json.loads(cxviz.schema("userflow"))
    assert {"direction", "lanes", "nodes", "edges", "paths"} <= set(schema["properties"])
    edge = schema["$defs"]["Edge"]
    assert set(edge["required"]) == {"from", "to"}
    assert {"label", "condition", "optional"} <= set(edge["properties"])
    step = schema["$defs"]["Step"]["properties"]
    assert step["type"]["enum"] == ["entry", "screen", "action", "decision", "system", "end"]
    assert step["outcome"]["anyOf"][0]["enum"] == ["success", "failure", "exit"]


# -- the checks ------------------------------------------------------------------

@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("{id: fail,", "{id: cart,", [
            "u.yaml:9:10: error: nodes[4].id: duplicate node id 'cart' (first used by nodes[1])",
            "u.yaml:14:20: error: edges[1].to: unknown node 'fail' (expected one of home, cart, ok, done)",
        ]),
        ("{from: ok, to: done,", "{from: ok, to: don,", [
            "u.yaml:13:20: error: edges[0].to: unknown node 'don'; did you mean 'done'?",
        ]),
        ("[home, cart, ok]", "[home, cartt, ok]", [
            "u.yaml:11:12: error: paths[0][1]: unknown node 'cartt'; did you mean 'cart'?",
        ]),
        ("lane: App}", "lane: Ap}", [
            "u.yaml:6:35: error: nodes[1].lane: unknown lane 'Ap'; did you mean 'App'?",
        ]),
        ("lane: App}", "lane: Warehouse}", [
            "u.yaml:6:35: error: nodes[1].lane: unknown lane 'Warehouse' (expected one of Customer, App)",
        ]),
        ("[Customer, App]", "[Customer, App, Customer]", [
            "u.yaml:3:24: error: lanes[2]: lane 'Customer' is listed twice",
        ]),
        ("[Customer, App]", "[Customer, App, Support]", [
            "u.yaml:3:24: warning: lanes[2]: lane 'Support' has no steps; it is drawn empty",
        ]),
        ("  - {from: ok, to: fail, label: \"No\", condition: after 2 tries}\n", "", [
            "u.yaml:7:10: error: nodes[2].id: decision 'ok' has 1 branch; a decision needs at least two",
            "u.yaml:9:10: error: nodes[4].id: 'fail' cannot be reached from any entry point",
        ]),
        ("label: \"No\", ", "", [
            "u.yaml:14:5: warning: edges[1]: branch 'ok' -> 'fail' has no label; "
            "say which answer leads here (label: ...)",
        ]),
        ("[home, cart, ok]", "[home, cart, ok, done]\n  - [done, home]", [
            "u.yaml:12:6: warning: paths[1][0]: 'done' is an end, so no edge should leave it",
        ]),
        ("type: entry, ", "", [
            "u.yaml:5:3: error: nodes: no entry point; mark where the flow starts with 'type: entry'",
        ]),
        ("optional: true}", "optional: true}\n  - {from: cart, to: home}", [
            "u.yaml:16:5: warning: edges[3]: duplicate edge 'cart' -> 'home' (already in edges[2])",
        ]),
        ("[home, cart, ok]", "[home, cart, ok]\n  - [home, cart]", [
            "u.yaml:12:12: warning: paths[1][1]: duplicate edge 'home' -> 'cart' (already in paths[0][1])",
        ]),
        ("{id: cart, label:", "{id: cart, outcome: exit, label:", [
            "u.yaml:6:25: warning: nodes[1].outcome: only an end has an outcome; this is a screen",
        ]),
        ("[home, cart, ok]", "[home, cart, ok]\n  - [done]", [
            "u.yaml:12:5: warning: paths[1]: a path needs at least two steps to draw a way between them",
        ]),
        ("type: decision", "type: decison", [
            "u.yaml:7:20: error: nodes[2].type: 'decison' is not one of entry, screen, action, decision, "
            "system, end; did you mean 'decision'?",
        ]),
    ],
    ids=["duplicate-id", "unknown-edge-node", "unknown-path-node", "unknown-lane", "unknown-lane-far",
         "lane-twice", "empty-lane", "one-branch", "unlabelled-branch", "end-with-exit", "no-entry", "duplicate-edge",
         "duplicate-path-edge", "outcome-off-an-end", "one-step-path", "unknown-type"],
)
def test_each_check_reports_where_and_what(old, new, expected):
    assert old in FLOW
    assert headlines(FLOW.replace(old, new)) == expected


def test_a_step_no_entry_leads_to_is_an_error():
    text = FLOW.replace("  - {id: fail,", "  - {id: help, label: Help centre}\n  - {id: fail,")
    assert headlines(text) == ["u.yaml:9:10: error: nodes[4].id: 'help' cannot be reached from any entry point"]
    with pytest.raises(cxviz.SpecError):
        cxviz.loads(text)


def test_unknown_ids_do_not_also_make_every_later_step_unreachable():
    found = headlines(FLOW.replace("[home, cart, ok]", "[home, basket, ok]"))
    assert found == [
        "u.yaml:11:12: error: paths[0][1]: unknown node 'basket' (expected one of home, cart, ok, done, fail)"
    ]


# -- the drawing -----------------------------------------------------------------

def test_the_svg_has_every_shape_the_marks_and_a_legend(layout_warnings):
    spec = cxviz.loads(FLOW)
    svg = cxviz.render_svg(spec)
    for text in ("Checkout", "User flow", "Opens the app", "ENTRY POINT", "✓ SUCCESS", "× FAILURE",
                 "Keep shopping", "after 2 tries", "LEGEND", "Entry point", "Screen", "Decision",
                 "✓ Success", "× Failure", "Optional path"):
        assert text in svg, text
    for unused in ("System step", "Action", "↪ Exit"):
        assert unused not in svg  # the legend shows only the shapes used
    assert layout_warnings(spec) == ()


def test_entries_and_ends_are_pills_and_success_has_a_double_border():
    svg = cxviz.render_svg(cxviz.loads(FLOW))
    pills = re.findall(r'<g id="[^"]*" class="node [^"]*\bcxviz-pill\b[^"]*">(.*?)</g>', svg, re.S)
    assert len(pills) == 6  # three in the flow, three in the legend
    for pill in pills:
        rect = re.search(r'<rect [^>]*height="([\d.]+)" rx="([\d.]+)"', pill)
        assert rect and float(rect.group(2)) == pytest.approx(float(rect.group(1)) / 2)
        assert "<path" not in pill
    success = next(p for p in pills if "Order confirmed" in p)
    failure = next(p for p in pills if "Declined" in p)
    assert success.count("<rect") == 2
    assert failure.count("<rect") == 1 and 'stroke-width="2.6"' in failure


def test_optional_edges_are_dashed():
    spec = cxviz.loads(FLOW)
    dashed = [line for line in cxviz.render_dot(spec).splitlines() if 'style=dashed' in line]
    assert len(dashed) == 1 and dashed[0].startswith('  "nodes.cart" -> "nodes.home" ')
    svg = cxviz.render_svg(spec)
    edges = re.findall(r'<g id="[^"]*" class="edge cxviz-edge">(.*?)</g>', svg, re.S)
    assert sum("stroke-dasharray" in edge for edge in edges) == 1


def test_lanes_are_labelled_bands_in_the_listed_order():
    dot = cxviz.render_dot(cxviz.loads(FLOW.replace("title: Checkout", "direction: left-right\ntitle: Checkout")))
    assert 'rankdir=LR' in dot
    assert dot.index(">Customer<") < dot.index(">App<")
    assert re.search(r'"lanes.0-start" -> "lanes.1-start" .*\n.*"lanes.1-start" -> "legend-start"', dot)


def test_indonesian_words_come_from_the_locale():
    svg = cxviz.render_svg(cxviz.loads(FLOW.replace("title: Checkout", "lang: id\ntitle: Checkout")))
    for word in ("Alur pengguna", "TITIK MASUK", "✓ BERHASIL", "× GAGAL", "KETERANGAN", "Jalur opsional"):
        assert word in svg, word


ARABIC = """\
kind: userflow
lang: ar
title: تحويل الأموال
direction: left-right
lanes: [العميل, التطبيق]
nodes:
  - {id: start, type: entry, label: يفتح التطبيق, lane: العميل}
  - {id: otp, type: decision, label: هل الرمز صحيح؟, lane: التطبيق}
  - {id: done, type: end, outcome: success, label: تمّ التحويل}
  - {id: retry, type: action, label: يعيد إدخال الرمز, lane: العميل}
paths:
  - [start, otp]
  - [retry, otp]
edges:
  - {from: otp, to: done, label: نعم}
  - {from: otp, to: retry, label: لا}
"""


def test_arabic_flows_run_right_to_left_with_rtl_lines(layout_warnings):
    spec = cxviz.loads(ARABIC)
    dot = cxviz.render_dot(spec)
    assert 'rankdir=RL' in dot
    assert 'ALIGN="RIGHT"' in dot
    svg = cxviz.render_svg(spec)
    for text in ("يفتح التطبيق", "نقطة الدخول", "مفتاح الرموز"):
        line = re.search(rf"<text[^>]*>[^<]*{text}[^<]*</text>", svg).group(0)
        assert 'direction="rtl"' in line
    assert "نجاح ✓" in svg  # the mark follows the word in reading order
    assert layout_warnings(spec) == ()


def test_arabic_top_down_flows_put_the_first_lane_on_the_right_and_the_legend_on_the_left():
    dot = cxviz.render_dot(cxviz.loads(ARABIC.replace("direction: left-right", "direction: top-down")))
    assert 'rankdir=TB' in dot
    # Lanes are declared (and ordered) from the left: the first lane comes last.
    assert dot.index(">التطبيق<") < dot.index(">العميل<")
    assert re.search(r'"legend-start" -> "lanes.1-start" ', dot)


def test_user_text_cannot_become_markup():
    hostile = 'x" ]; evil [label="y <script>alert(1)</script> & {{ a }} ]]>'
    escaped = hostile.replace('"', '\\"')
    text = (FLOW.replace("label: Opens the app", f'label: "{escaped}"')
            .replace("lanes: [Customer, App]", f'lanes: [Customer, "{escaped}"]')
            .replace("lane: App}", f'lane: "{escaped}"}}')
            .replace('condition: after 2 tries', f'condition: "{escaped}"'))
    spec = cxviz.loads(text)
    dot = cxviz.render_dot(spec)
    assert "<script>" not in dot and 'evil [label="y' not in dot
    assert "&lt;script&gt;" in dot and "&amp;" in dot and "&#93;" in dot and "&quot;" in dot
    svg = cxviz.render_svg(spec)
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_the_samples_fit_their_boxes(path, layout_warnings):
    assert layout_warnings(cxviz.load(path)) == ()


def test_there_are_samples_in_english_indonesian_and_arabic():
    assert {cxviz.load(path).model.lang for path in SAMPLES} == {"en", "id", "ar"}


def test_the_starter_validates_and_renders_in_every_language():
    for lang in ("en", "id", "ar"):
        spec = cxviz.loads(cxviz.starter("userflow", lang))
        assert spec.model.lang == lang and spec.diagnostics == []
        assert cxviz.render_svg(spec).startswith("<?xml")


def test_the_description_counts_steps_decisions_and_ends():
    spec = cxviz.loads(FLOW)
    svg = cxviz.render_svg(spec)
    assert '<desc id="cxviz-desc">User flow: Checkout (steps: 5, decisions: 1, ends: 2)</desc>' in svg


# -- the names of what is drawn --------------------------------------------------

_GROUP = re.compile(r'<g id="([^"]*)" class="(?:node|edge|cluster) ([^"]*)"')
COUNTER_ID = re.compile(r'id="(?:node|edge|clust|a_node|a_edge|graph)\d')


def named_groups(svg: str) -> dict[str, str]:
    """The id and cxviz classes of every drawn group of an SVG."""
    groups = _GROUP.findall(svg)
    assert len(groups) == len(dict(groups)), "an id names two shapes"
    return dict(groups)


def test_steps_edges_lanes_and_the_legend_are_named_by_the_spec():
    spec = cxviz.loads(FLOW)
    groups = named_groups(cxviz.render_svg(spec))
    assert groups["nodes.home"] == "cxviz-step cxviz-entry cxviz-pill"
    assert groups["nodes.cart"] == "cxviz-step cxviz-screen"
    assert groups["nodes.ok"] == "cxviz-step cxviz-decision"
    assert groups["nodes.done"] == "cxviz-step cxviz-end cxviz-success cxviz-pill"
    assert groups["nodes.fail"] == "cxviz-step cxviz-end cxviz-failure cxviz-pill"
    for edge in ("paths.0.1", "paths.0.2", "edges.0", "edges.1", "edges.2"):
        assert groups[edge] == "cxviz-edge", edge
    assert groups["lanes.0"] == groups["lanes.1"] == "cxviz-lane"
    assert groups["legend"] == "cxviz-legend"
    assert groups["legend.decision"] == "cxviz-legend cxviz-decision"
    assert groups["legend.success"] == "cxviz-legend cxviz-end cxviz-success cxviz-pill"
    assert groups["legend.optional"] == "cxviz-legend cxviz-optional"
    # The layout helpers (start and tail points, invisible edges) leave nothing behind.
    assert not [id for id in groups if id.endswith(("-start", "-tail", "-lead", "-trail", "-order", "-chain"))]


def test_the_scene_says_what_each_thing_is_and_links_edges_to_their_steps():
    graph = cxviz.build_graph(cxviz.loads(FLOW))
    scene = graph.scene
    assert [e.id for e in scene.with_role("lane")] == ["lanes.0", "lanes.1"]
    assert [e.text for e in scene.with_role("lane")] == ["Customer", "App"]
    assert scene["nodes.home"].parent == "lanes.0" and scene["nodes.ok"].parent == "lanes.1"
    assert scene["nodes.ok"].text == "Paid?"
    assert scene["edges.1"].relations == (("from", "nodes.ok"), ("to", "nodes.fail"))
    assert scene["edges.1"].text == "No"
    assert scene["paths.0.1"].relations == (("from", "nodes.home"), ("to", "nodes.cart"))
    assert scene["legend.entry"].parent == "legend"
    # Clusters are painted in the order they are declared, lanes first.
    assert graph.order == ("lanes.0", "lanes.1", "legend")


def test_a_right_to_left_top_down_flow_keeps_each_lane_its_own_id():
    spec = cxviz.loads(ARABIC.replace("direction: left-right", "direction: top-down"))
    graph = cxviz.build_graph(spec)
    assert graph.order == ("lanes.1", "lanes.0", "legend")  # declared from the left
    assert graph.scene["lanes.0"].text == "العميل"
    assert graph.scene["nodes.start"].parent == "lanes.0"
    svg = cxviz.render_svg(spec)
    assert re.findall(r'<g id="([^"]*)" class="cluster', svg) == ["lanes.1", "lanes.0", "legend"]


def test_lanes_named_only_by_the_steps_are_numbered_in_the_order_the_steps_name_them():
    text = FLOW.replace("lanes: [Customer, App]\n", "").replace(
        "{id: home, type: entry, label: Opens the app, lane: Customer}", "{id: home, type: entry, label: Opens the app}"
    ).replace("{id: fail,", "{id: fail, lane: Customer,")
    graph = cxviz.build_graph(cxviz.loads(text))
    assert [(e.id, e.text) for e in graph.scene.with_role("lane")] == [("lanes.0", "App"), ("lanes.1", "Customer")]
    assert graph.scene["nodes.fail"].parent == "lanes.1"


def test_without_lanes_the_steps_sit_in_one_unframed_band():
    text = re.sub(r", lane: \w+", "", FLOW.replace("lanes: [Customer, App]\n", ""))
    spec = cxviz.loads(text)
    assert cxviz.build_graph(spec).order == ("band", "legend")
    groups = named_groups(cxviz.render_svg(spec))
    assert groups["band"] == "cxviz-band" and "lanes.0" not in groups
    assert groups["nodes.home"] == "cxviz-step cxviz-entry cxviz-pill"


def test_a_step_id_any_svg_id_could_not_hold_is_made_safe():
    text = FLOW.replace("{id: cart,", '{id: "my cart",').replace("[home, cart, ok]", '[home, "my cart", ok]') \
        .replace("{from: cart,", '{from: "my cart",')
    groups = named_groups(cxviz.render_svg(cxviz.loads(text)))
    assert groups["nodes.my_x20_cart"] == "cxviz-step cxviz-screen"


def test_of_two_steps_sharing_an_id_the_first_is_drawn():
    spec = cxviz.loads(FLOW)
    twin = Step(id="cart", label="Second cart", lane="Customer")
    model = dataclasses.replace(spec.model, nodes=(*spec.model.nodes, twin))
    dot = cxviz.render_dot(dataclasses.replace(spec, model=model))
    assert len(re.findall(r'^ +"nodes.cart" \[', dot, re.M)) == 1
    assert ">Cart<" in dot and "Second cart" not in dot


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_adding_a_step_and_an_edge_adds_only_their_ids(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    before = named_groups(cxviz.render_svg(cxviz.loads(yaml.safe_dump(data, allow_unicode=True))))
    # An end of a kind the flow already has, so the legend stays as it was.
    end = next(step for step in data["nodes"] if step.get("type") == "end")
    data["nodes"].append({"id": "extra-end", "type": "end", "outcome": end.get("outcome"), "label": "One more end"})
    data.setdefault("edges", []).append({"from": data["nodes"][0]["id"], "to": "extra-end", "label": "Skip"})
    new_edge = f"edges.{len(data['edges']) - 1}"
    after = named_groups(cxviz.render_svg(cxviz.loads(yaml.safe_dump(data, allow_unicode=True))))
    assert set(after) - set(before) == {"nodes.extra-end", new_edge}
    assert set(before) <= set(after)
    assert {id: after[id] for id in before} == before


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_no_graphviz_counter_ids_are_left(path):
    text = path.read_text(encoding="utf-8")
    for variant in (text, text.replace("direction: left-right", "direction: top-down"),
                    re.sub(r"\n    lane: .*", "", re.sub(r"\nlanes: .*", "", text))):
        svg = cxviz.render_svg(cxviz.loads(variant))
        assert not COUNTER_ID.search(svg)
        assert "diagram_" not in svg  # Graphviz's name for a shape without an id in a graph with one
