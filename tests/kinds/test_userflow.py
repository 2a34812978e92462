"""The user-flow kind: model, checks and drawing."""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import math
import random
import re
from collections import Counter

import pytest
import yaml

import cxviz
from cxviz.kinds.userflow.model import Edge, Step, resolve_lanes
from cxviz.scene import element_id

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
        ("optional: true}", "optional: true}\n  - {from: cart, to: home, label: Keep shopping}", [
            "u.yaml:16:5: warning: edges[3]: duplicate edge 'cart' -> 'home' labelled 'Keep shopping' "
            "(already in edges[2])",
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

def test_two_answers_leading_to_the_same_step_are_two_ways_not_a_duplicate():
    text = FLOW.replace('  - {from: ok, to: fail, label: "No", condition: after 2 tries}\n',
                        '  - {from: ok, to: fail, label: "No", condition: after 2 tries}\n'
                        '  - {from: ok, to: fail, label: Timed out}\n')
    assert headlines(text) == []
    links = [link for link in cxviz.loads(text).model.links() if link.edge.target == "fail"]
    assert [(link.edge.label, link.where) for link in links] == [("No", "edges[1]"), ("Timed out", "edges[2]")]
    # Both answers of a decision may lead to one step: they are still two branches.
    one_step = FLOW.replace("{from: ok, to: done, label: \"Yes\"}", "{from: ok, to: fail, label: \"Yes\"}")
    assert not [line for line in headlines(one_step) if "branch" in line]


def test_an_edge_after_a_labelled_path_step_between_the_same_steps_is_its_own_way():
    text = FLOW.replace("[home, cart, ok]", "[home, cart, ok, done]").replace(
        '  - {from: ok, to: done, label: "Yes"}\n',
        '  - {from: ok, to: done, label: "Yes"}\n  - {from: ok, to: done, label: Paid later}\n')
    links = [link for link in cxviz.loads(text).model.links() if (link.edge.source, link.edge.target) == ("ok", "done")]
    assert [(link.edge.label, link.where) for link in links] == [("Yes", "edges[0]"), ("Paid later", "edges[1]")]


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
    # A labelled way is drawn in two halves through its label: both are dashed.
    assert [line.split(" [")[0].strip() for line in dashed] == ['"edges.2-1" -> "nodes.cart"',
                                                                 '"nodes.home" -> "edges.2-1"']
    svg = cxviz.render_svg(spec)
    edges = dict(re.findall(r'<g id="([^"]*)" class="edge cxviz-edge">(.*?)</g>', svg, re.S))
    assert sorted(id for id, edge in edges.items() if "stroke-dasharray" in edge) == ["edges.2", "edges.2-2"]


def test_lanes_are_labelled_bands_in_the_listed_order():
    dot = cxviz.render_dot(cxviz.loads(FLOW.replace("title: Checkout", "direction: left-right\ntitle: Checkout")))
    assert 'rankdir=LR' in dot
    assert dot.index(">Customer<") < dot.index(">App<")
    # Each band sits in a wrapper with all the bands after it, the legend last; every cluster is
    # unnamed, so that Graphviz takes them in the order written, alone or in a batch.
    assert dot.index('id="bands-from-0"') < dot.index('id="lanes.0"') < dot.index('id="bands-from-1"') \
        < dot.index('id="lanes.1"') < dot.index('id=legend,')
    assert "subgraph cluster" not in dot and dot.count("cluster=true") == 6


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


def test_arabic_top_down_flows_put_the_first_lane_on_the_right_and_the_legend_beside_it():
    spec = cxviz.loads(ARABIC.replace("direction: left-right", "direction: top-down"))
    dot = cxviz.render_dot(spec)
    assert 'rankdir=TB' in dot
    clusters = geometry(cxviz.render_svg(spec)).clusters
    assert clusters["lanes.1"][0] < clusters["lanes.0"][0] < clusters["legend"][0]


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
    assert not [id for id in groups if id.endswith(("-start", "-tail", "-lead", "-trail", "-order", "-chain",
                                                    "-rail", "-bind", "-binding"))]
    # Labels are parts of their edge: edges.0 up to its label, edges.0-1 the label, edges.0-2 on to the step.
    assert groups["edges.0-1"] == groups["edges.0-2"] == "cxviz-edge"


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
    assert re.findall(r'<g id="([^"]*)" class="cluster cxviz', svg) == ["lanes.1", "lanes.0", "legend"]


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
    # The band draws nothing, so it leaves no group in the SVG; its steps do.
    assert "band" not in groups and "lanes.0" not in groups
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
    # A labelled way: up to its label, the label, and on to its step.
    assert set(after) - set(before) == {"nodes.extra-end", new_edge, f"{new_edge}-1", f"{new_edge}-2"}
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


# -- dense flows: words, labels, lanes, measured on the finished SVG ---------------

DENSE = [ROOT / "tests" / "dense" / name for name in
         ("userflow-checkout-45-steps.yaml", "userflow-booking-ar.yaml", "userflow-loan-id.yaml")]
FLOWS = SAMPLES + DENSE

_DRAWN = re.compile(r'<g id="([^"]*)" class="(node|edge|cluster)( [^"]*)?">\n(.*?)</g>\n', re.S)
_TEXT = re.compile(r"<text ([^>]*)>([^<]*)</text>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclasses.dataclass
class Geometry:
    """Boxes (left, top, right, bottom) and sampled lines of a finished user-flow SVG."""

    steps: dict[str, tuple[float, float, float, float]]  # every step and legend sample, by id
    labels: dict[str, tuple[float, float, float, float]]  # every edge's label text, by the edge's id
    lines: dict[str, list[tuple[float, float]]]  # every edge's drawn line (its halves), by the edge's id
    clusters: dict[str, tuple[float, float, float, float]]
    texts: dict[str, list[str]]  # the lines of text of every drawn group, in order


def _box(points):
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def _shape_points(body: str) -> list[tuple[float, float]]:
    points = []
    for values in re.findall(r'<(?:polygon|polyline)[^>]* points="([^"]*)"', body) + \
            re.findall(r'<path[^>]* d="([^"]*)"', body):
        numbers = [float(n) for n in _NUMBER.findall(values)]
        points += list(zip(numbers[0::2], numbers[1::2]))
    for shape in re.findall(r"<(?:rect|ellipse) ([^>]*)/>", body):
        a = {k: float(v) for k, v in _ATTRIBUTE.findall(shape) if re.fullmatch(r"-?[\d.]+", v)}
        if "width" in a:
            points += [(a["x"], a["y"]), (a["x"] + a["width"], a["y"] + a["height"])]
        else:
            points += [(a["cx"] - a["rx"], a["cy"] - a["ry"]), (a["cx"] + a["rx"], a["cy"] + a["ry"])]
    return points


def _text_box(attributes: str, content: str) -> tuple[float, float, float, float]:
    """Where a line of text is drawn: its anchor and its width as the font measures it."""
    from cxviz.fonts import measurer

    a = dict(_ATTRIBUTE.findall(attributes))
    size = float(a["font-size"])
    width = measurer().width(html.unescape(content), size, a.get("font-weight") == "bold")
    x, y = float(a["x"]), float(a["y"])
    anchor = a.get("text-anchor", "start")
    if a.get("direction") == "rtl":  # in a right-to-left line, start is the right end
        anchor = {"start": "end", "end": "start"}.get(anchor, anchor)
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, y - size * 0.9, left + width, y + size * 0.25


def _curve(d: str) -> list[tuple[float, float]]:
    """Points along a Graphviz path (a start point and cubic Bézier segments)."""
    numbers = [float(n) for n in _NUMBER.findall(d)]
    points = list(zip(numbers[0::2], numbers[1::2]))
    sampled = [points[0]]
    for i in range(1, len(points) - 2, 3):
        p0, p1, p2, p3 = points[i - 1:i + 3]
        for k in range(1, 13):
            t = k / 12
            sampled.append(tuple((1 - t) ** 3 * q0 + 3 * (1 - t) ** 2 * t * q1 + 3 * (1 - t) * t * t * q2 + t ** 3 * q3
                                 for q0, q1, q2, q3 in zip(p0, p1, p2, p3)))
    return sampled


def geometry(svg: str) -> Geometry:
    """Each edge is its group ``edges.N`` (a labelled one also ``edges.N-1``, its label, and ``edges.N-2``)."""
    found = Geometry({}, {}, {}, {}, {})
    label_parts: dict[str, list] = {}
    for id, what, classes, body in _DRAWN.findall(svg):
        classes = (classes or "").split()
        found.texts[id] = [html.unescape(c) for _, c in _TEXT.findall(body)]
        if what == "cluster":
            if classes:
                found.clusters[id] = _box(_shape_points(body))
        elif "cxviz-edge" in classes:
            edge = re.sub(r"-\d+$", "", id)
            for d in re.findall(r'<path[^>]* d="([^"]*)"', body):
                found.lines.setdefault(edge, []).extend(_curve(d))
            label_parts.setdefault(edge, []).extend(_text_box(a, c) for a, c in _TEXT.findall(body) if c.strip())
        else:
            found.steps[id] = _box(_shape_points(body))
    found.labels = {edge: _box([b[:2] for b in boxes] + [b[2:] for b in boxes])
                    for edge, boxes in label_parts.items() if boxes}
    return found


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _distance(box, points) -> float:
    return min(math.hypot(max(box[0] - x, 0, x - box[2]), max(box[1] - y, 0, y - box[3])) for x, y in points)


@functools.lru_cache(maxsize=None)
def rendered(path) -> tuple[cxviz.Spec, str]:
    spec = cxviz.load(path)
    return spec, cxviz.render_svg(spec)


def test_the_dense_flows_are_as_dense_as_they_say():
    checkout, booking, loan = (cxviz.load(path).model for path in DENSE)
    assert (len(checkout.nodes), len(checkout.lanes), checkout.lang) == (45, 4, "en")
    assert {"Authorisation result", "Reauthentication required"} <= {step.text for step in checkout.nodes}
    assert (len(booking.lanes), booking.lang, booking.direction) == (3, "ar", "top-down")
    assert (len(loan.lanes), loan.lang) == (4, "id")
    for flow in (checkout, booking, loan):
        answers = Counter(link.edge.source for link in flow.links() if link.edge.label)
        assert max(answers.values()) >= 3  # a decision with three answers
    assert all(cxviz.check(path) == [] for path in DENSE)


def _whole_words(lines: list[str], words: list[str], widest: float, size: float) -> None:
    """``lines`` say ``words`` in order, each word whole, or hyphenated only if wider than ``widest``."""
    from cxviz.fonts import measurer

    joined: list[str] = []
    for line in lines:
        tokens = line.split()
        if joined and joined[-1].endswith("-") and joined[-1][:-1] + tokens[0] in words \
                and joined[-1][:-1] + tokens[0] not in joined:
            whole = joined.pop()[:-1] + tokens.pop(0)
            assert measurer().width(whole, size) > widest, f"{whole!r} was hyphenated though it fits"
            joined.append(whole)
        joined += tokens
    assert joined == words, (lines, words)


@pytest.mark.parametrize("path", FLOWS, ids=[p.stem for p in FLOWS])
def test_every_line_of_a_step_is_made_of_whole_words(path):
    from cxviz.kinds.userflow.graph import WIDEST

    spec, svg = rendered(path)
    drawn = geometry(svg).texts
    for step in spec.model.nodes:
        lines = [line for line in drawn[f"nodes.{step.id}"] if line.strip() and line != "• • •"]
        if step.type in ("entry", "end") and (step.outcome or step.type == "entry"):
            lines = lines[1:]  # the mark: ENTRY POINT, ✓ SUCCESS ...
        words = step.text.split() + (step.note or "").split()
        _whole_words(lines, words, WIDEST["label"], 12)


def test_a_word_too_long_for_any_shape_is_hyphenated_and_only_that_word():
    word = "Reauthenticationauthorisationverificationprocedure"
    text = FLOW.replace("label: Cart,", f"label: {word} pending,").replace('label: "Paid?"', f"label: {word}")
    svg = cxviz.render_svg(cxviz.loads(text))
    drawn = geometry(svg).texts
    for step, said in (("nodes.cart", f"{word} pending"), ("nodes.ok", word)):
        lines = [line for line in drawn[step] if line != "• • •"]
        assert len(lines) > 1 and all(line.endswith("-") for line in lines[:-1])
        assert "".join(line[:-1] if line.endswith("-") else f"{line} " for line in lines).strip() == said


def test_authorisation_result_keeps_its_words_in_the_diamond():
    spec, svg = rendered(DENSE[0])
    assert geometry(svg).texts["nodes.auth-result"] == ["Authorisation", "result"]


@pytest.mark.parametrize("path", FLOWS, ids=[p.stem for p in FLOWS])
def test_every_edge_label_sits_on_its_own_edge_clear_of_steps_and_other_labels(path):
    _, svg = rendered(path)
    drawn = geometry(svg)
    assert drawn.labels, "no labels were found"
    for edge, label in drawn.labels.items():
        for step, box in drawn.steps.items():
            assert not _overlap(label, box), f"the label of {edge} lies over {step}"
        for other, box in drawn.labels.items():
            assert other == edge or not _overlap(label, box), f"the labels of {edge} and {other} touch"
        own = _distance(label, drawn.lines[edge])
        for other, points in drawn.lines.items():
            if other != edge:
                assert own < _distance(label, points), f"the label of {edge} is nearer {other} than its own line"


@pytest.mark.parametrize("path", FLOWS, ids=[p.stem for p in FLOWS])
def test_no_line_runs_through_a_step_it_does_not_join(path):
    spec, svg = rendered(path)
    drawn = geometry(svg)
    relations = {element.id: dict(element.relations) for element in cxviz.build_graph(spec).scene.with_role("edge")}
    for edge, points in drawn.lines.items():
        ends = {relations[edge]["from"], relations[edge]["to"]}
        for step, (left, top, right, bottom) in drawn.steps.items():
            if step not in ends:
                inside = [p for p in points if left + 3 < p[0] < right - 3 and top + 3 < p[1] < bottom - 3]
                assert not inside, f"{edge} runs through {step}"


def test_parallel_edges_with_different_labels_are_two_lines_with_their_own_labels():
    spec, svg = rendered(DENSE[1])
    drawn = geometry(svg)
    pairs = Counter((link.edge.source, link.edge.target) for link in spec.model.links())
    assert pairs[("room", "extras")] == pairs[("payment-result", "payment")] == pairs[("available", "other-dates")] == 2
    groups = named_groups(svg)
    for source, target in (("room", "extras"), ("payment-result", "payment")):
        ids = [element_id(link.where) for link in spec.model.links()
               if (link.edge.source, link.edge.target) == (source, target)]
        texts = [" ".join(line.strip() for line in drawn.texts.get(f"{id}-1", [])) for id in ids]
        for id in ids:
            assert groups[id] == groups[f"{id}-1"] == groups[f"{id}-2"] == "cxviz-edge"
        labels = [link.edge.label for link in spec.model.links() if (link.edge.source, link.edge.target) == (source, target)]
        assert [label in text for label, text in zip(labels, texts)] == [True, True]
        first, second = (drawn.lines[id] for id in ids)
        assert min(_distance(drawn.labels[ids[0]], second), _distance(drawn.labels[ids[1]], first)) > 3


@pytest.mark.parametrize("path", DENSE, ids=[p.stem for p in DENSE])
def test_a_way_back_runs_back_inside_the_lane_it_reaches(path):
    from cxviz.kinds.userflow.graph import _back_links

    spec, svg = rendered(path)
    flow = spec.model
    drawn = geometry(svg)
    lanes, lane_of = resolve_lanes(flow)
    links = flow.links()
    back = _back_links(list(flow.nodes), links)
    assert back, "the flow has no way back"
    for index in back:
        link = links[index]
        edge = element_id(link.where)
        left, top, right, bottom = drawn.clusters[f"lanes.{flow.lanes.index(lane_of[link.edge.target])}"]
        # The half that runs back to the step (all of it within one lane).
        part = drawn.lines[edge] if lane_of[link.edge.source] == lane_of[link.edge.target] else _half(svg, edge)
        outside = [p for p in part if not (left <= p[0] <= right and top <= p[1] <= bottom)]
        assert not outside, f"{edge} leaves the lane of {link.edge.target!r}"


def _half(svg: str, edge: str) -> list[tuple[float, float]]:
    body = dict((id, body) for id, _, _, body in _DRAWN.findall(svg))[f"{edge}-2"]
    return [p for d in re.findall(r'<path[^>]* d="([^"]*)"', body) for p in _curve(d)]


def _lane_order(svg: str, count: int, top_down: bool) -> tuple[list[int], tuple]:
    clusters = geometry(svg).clusters
    boxes = [clusters[f"lanes.{i}"] for i in range(count)]
    axis = 0 if top_down else 1
    return sorted(range(count), key=lambda i: boxes[i][axis]), clusters["legend"]


def _variants():
    """Every flow both ways, in its own script and the other; the dense ones also with lanes shuffled."""
    for path in FLOWS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        shuffles = [list(data["lanes"])]
        if path in DENSE:
            rng = random.Random(path.stem)
            shuffles += [rng.sample(data["lanes"], len(data["lanes"])) for _ in range(2)]
        for lanes in shuffles:
            for direction in ("left-right", "top-down"):
                for lang in sorted({data["lang"], "ar" if data["lang"] != "ar" else "en"}):
                    yield pytest.param(path, lanes, direction, lang,
                                       id=f"{path.stem}-{direction}-{lang}-{'-'.join(l[:4] for l in lanes)}")


def _variant(path, lanes, direction, lang) -> cxviz.Spec:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(lanes=lanes, direction=direction, lang=lang)
    return cxviz.loads(yaml.safe_dump(data, allow_unicode=True))


@pytest.mark.parametrize("path, lanes, direction, lang", list(_variants()))
def test_lanes_are_drawn_in_written_order_mirrored_right_to_left_and_the_legend_on_the_reading_side(
        path, lanes, direction, lang):
    _check_lane_order(cxviz.render_svg(_variant(path, lanes, direction, lang)), lanes, direction, lang)


def test_lanes_keep_their_order_in_a_batch_and_a_batch_draws_what_one_render_draws():
    """Graphviz lays out a batch in one process, where memory is laid out differently than alone."""
    variants = [param.values for param in _variants()]
    others = [cxviz.load(path) for path in sorted((ROOT / "samples").glob("*.yaml"))]
    specs = [_variant(*values) for values in variants]
    batch = cxviz.render_svgs([*others, *specs])[len(others):]
    for values, svg in zip(variants, batch):
        _check_lane_order(svg, *values[1:])
    for path in DENSE:
        spec, alone = rendered(path)
        assert cxviz.render_svgs([*others, spec])[-1] == alone


def _check_lane_order(svg: str, lanes: list[str], direction: str, lang: str) -> None:
    top_down, rtl = direction == "top-down", lang == "ar"
    order, legend = _lane_order(svg, len(lanes), top_down)
    clusters = geometry(svg).clusters
    if top_down:
        # Columns: the first lane on the left, or on the right in Arabic; the legend on the right.
        assert order == (list(range(len(lanes)))[::-1] if rtl else list(range(len(lanes))))
        assert legend[0] >= max(box[2] for id, box in clusters.items() if id.startswith("lanes."))
    else:
        # Bands: the first lane on top in both scripts; the legend under them, its heading on the reading side.
        assert order == list(range(len(lanes)))
        assert legend[1] >= max(box[3] for id, box in clusters.items() if id.startswith("lanes."))
        heading = _text_box(*re.search(r'<g id="legend" class="cluster[^"]*">\n.*?<text ([^>]*)>([^<]*)</text>',
                                       svg, re.S).groups())
        middle = (legend[0] + legend[2]) / 2
        assert (heading[0] > middle) if rtl else (heading[2] < middle)
