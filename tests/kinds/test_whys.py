"""The 5-Whys kind: model, checks and drawing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cxviz
from cxviz.kinds.whys.model import Countermeasure, Why

CHAIN = """\
kind: whys
title: Late deliveries
problem: Orders arrive late
whys:
  - because: Couriers leave late
    evidence: GPS logs
    whys:
      - because: Packing finishes late
        whys:
          - because: Produce arrives at 9
            whys:
              - because: Supplier schedule predates morning slots
                whys:
                  - because: Contracts were never renegotiated
                    root: true
                    countermeasure: {action: Renegotiate, owner: Procurement, due: 2025-04-15}
"""


def headlines(text: str) -> list[str]:
    return [d.headline() for d in cxviz.checks(text, name="w.yaml")]


def test_the_spec_becomes_a_tree_of_whys():
    spec = cxviz.loads(CHAIN)
    first = spec.model.whys[0]
    assert first.because == "Couriers leave late" and first.evidence == "GPS logs"
    leaf = first.whys[0].whys[0].whys[0].whys[0]
    assert leaf == Why(
        because="Contracts were never renegotiated",
        root=True,
        countermeasure=Countermeasure(action="Renegotiate", owner="Procurement", due="2025-04-15"),
    )
    assert spec.diagnostics == []


def test_plain_strings_are_short_for_because_and_action():
    spec = cxviz.loads(
        "kind: whys\ntitle: T\nproblem: P\nwhys:\n  - B\n  - because: C\n    root: true\n    countermeasure: Fix it\n"
    )
    assert spec.model.whys[0] == Why(because="B")
    assert spec.model.whys[1].countermeasure == Countermeasure(action="Fix it")


def test_short_chains_and_missing_roots_are_warnings():
    assert headlines("kind: whys\ntitle: T\nproblem: P\nwhys:\n  - because: B\n") == [
        "w.yaml:5:14: warning: whys[0].because: this chain stops after 1 why; about 5 usually reach the root cause",
        "w.yaml:5:3: warning: whys: no root cause is marked; mark one with 'root: true'",
    ]


BRANCHES = Path(__file__).resolve().parents[1] / "dense" / "whys-branching-ar.yaml"


def test_a_chain_that_reaches_its_root_cause_early_is_not_too_short():
    text = (
        "kind: whys\ntitle: T\nproblem: P\nwhys:\n"
        "  - because: Couriers leave late\n    root: true\n    countermeasure: {action: Reroute, due: 2025-04-15}\n"
    )
    assert headlines(text) == []


def test_only_the_branch_that_stops_short_without_a_root_cause_is_warned_about():
    text = (
        "kind: whys\nlang: id\ntitle: Pesanan terlambat\nproblem: Pesanan sampai terlambat\nwhys:\n"
        "  - because: Kurir berangkat terlambat\n"
        "    whys:\n"
        "      - because: Pengemasan baru selesai pukul sepuluh\n"
        "        root: true\n"
        "        countermeasure: {action: Tambah petugas pengemasan pagi, owner: Gudang, due: 2025-05-02}\n"
        "  - because: Alamat pelanggan tidak lengkap\n"
        "    whys:\n"
        "      - because: Formulir alamat tidak mewajibkan patokan\n"
    )
    assert headlines(text) == [
        "w.yaml:13:18: warning: whys[1].whys[0].because: this chain stops after 2 whys; "
        "about 5 usually reach the root cause",
    ]


def test_a_root_cause_ends_its_chain_for_every_cause_asked_below_it():
    text = (
        "kind: whys\ntitle: T\nproblem: P\nwhys:\n"
        "  - because: A\n    root: true\n    whys:\n      - because: B\n"
    )
    assert headlines(text) == []


def test_without_any_root_cause_every_short_chain_is_warned_about():
    text = "kind: whys\ntitle: T\nproblem: P\nwhys:\n  - because: A\n    whys: [B]\n  - because: C\n"
    assert headlines(text) == [
        "w.yaml:6:12: warning: whys[0].whys[0].because: this chain stops after 2 whys; "
        "about 5 usually reach the root cause",
        "w.yaml:7:14: warning: whys[1].because: this chain stops after 1 why; about 5 usually reach the root cause",
        "w.yaml:5:3: warning: whys: no root cause is marked; mark one with 'root: true'",
    ]


def test_a_branching_arabic_analysis_with_early_root_causes_has_no_warnings():
    spec = cxviz.load(BRANCHES)
    assert spec.diagnostics == []
    cause = "              - because: أُزيلت ميزة الإشعار بالسفر عند إعادة تصميم التطبيق في الإصدار 5.0\n"
    text = BRANCHES.read_text(encoding="utf-8")
    assert cause + "                root: true\n" in text
    without = text.replace(cause + "                root: true\n", cause)
    assert headlines(without) == [
        "w.yaml:22:19: warning: whys[0].whys[0].whys[0].whys[0].countermeasure: a countermeasure belongs on a "
        "root cause ('root: true')",
        "w.yaml:20:26: warning: whys[0].whys[0].whys[0].whys[0].because: this chain stops after 4 whys; "
        "about 5 usually reach the root cause",
    ]


def test_a_countermeasure_off_a_root_cause_is_a_warning():
    found = headlines(CHAIN.replace("    evidence: GPS logs\n", "    evidence: GPS logs\n    countermeasure: Hurry\n"))
    assert found == ["w.yaml:7:21: warning: whys[0].countermeasure: a countermeasure belongs on a root cause ('root: true')"]


def test_a_misspelt_key_gets_a_suggestion():
    found = headlines(CHAIN.replace("evidence: GPS", "evidense: GPS"))
    assert found == ["w.yaml:6:5: error: whys[0].evidense: unknown field 'evidense'; did you mean 'evidence'?"]


def test_an_empty_list_of_whys_is_an_error():
    assert headlines("kind: whys\ntitle: T\nproblem: P\nwhys: []\n") == [
        "w.yaml:4:7: error: whys: needs at least one answer to \"why?\""
    ]


def test_the_svg_shows_every_cause_the_root_mark_and_the_countermeasure(layout_warnings):
    spec = cxviz.loads(CHAIN)
    svg = cxviz.render_svg(spec)
    for text in ("Orders arrive late", "Couriers leave late", "ROOT CAUSE · WHY 5", "COUNTERMEASURE",
                 "Owner: Procurement", "Due: 2025&#45;04&#45;15"):
        assert text in svg
    assert svg.count('stroke-width="3"') == 1  # the one root cause has the heavy border
    assert layout_warnings(spec) == ()


def test_left_right_puts_the_fix_under_its_cause():
    dot = cxviz.render_dot(cxviz.loads(CHAIN.replace("title: Late", "layout: left-right\ntitle: Late")))
    assert 'rankdir=LR' in dot
    cause = "whys.0.whys.0.whys.0.whys.0.whys.0"
    assert f'{{rank=same; "{cause}"; "{cause}.countermeasure"}}' in dot


def _groups(svg: str) -> dict[str, str]:
    return dict(re.findall(r'<g id="([^"]+)" class="([^"]+)"', svg))


def test_every_node_and_edge_is_named_by_its_spec_path():
    groups = _groups(cxviz.render_svg(cxviz.loads(CHAIN), embed_font=False))
    leaf = "whys.0.whys.0.whys.0.whys.0.whys.0"
    assert groups["problem"] == "node cxviz-problem"
    assert groups["whys.0"] == "node cxviz-why"
    assert groups["whys.0-edge"] == "edge cxviz-edge"
    assert groups[leaf] == "node cxviz-root-cause"
    assert groups[f"{leaf}.countermeasure"] == "node cxviz-countermeasure"
    assert not [name for name in groups if re.fullmatch(r"(node|edge|clust|a_node|a_edge)\d+", name)]


def test_adding_a_cause_adds_only_its_own_ids():
    before = _groups(cxviz.render_svg(cxviz.loads(CHAIN), embed_font=False))
    more = CHAIN.replace("    evidence: GPS logs\n", "    evidence: GPS logs\n") + "  - because: Drivers start late\n"
    after = _groups(cxviz.render_svg(cxviz.loads(more), embed_font=False))
    assert set(after) - set(before) == {"whys.1", "whys.1-edge"}
    assert all(after[name] == before[name] for name in before)


def test_the_scene_says_what_each_element_is_and_how_they_relate():
    scene = cxviz.build_graph(cxviz.loads(CHAIN)).scene
    assert scene["whys.0"].text == "Couriers leave late" and scene["whys.0"].parent == "problem"
    assert dict(scene["whys.0.whys.0-edge"].relations) == {"from": "whys.0", "to": "whys.0.whys.0"}
    assert [e.id for e in scene.with_role("countermeasure")] == ["whys.0.whys.0.whys.0.whys.0.whys.0.countermeasure"]


@pytest.mark.parametrize("lang, words", [("id", ["MASALAH", "AKAR MASALAH · MENGAPA 5", "Mengapa?"]),
                                         ("ar", ["المشكلة", "السبب الجذري · لماذا ٥", "لماذا؟"])])
def test_built_in_words_come_from_the_locale(lang, words):
    svg = cxviz.render_svg(cxviz.loads(CHAIN.replace("title: Late", f"lang: {lang}\ntitle: Late")))
    for word in words:
        assert word in svg


def test_arabic_trees_run_right_to_left_with_rtl_lines():
    text = (
        "kind: whys\nlang: ar\ntitle: لماذا يتصل العملاء مرتين؟\nproblem: العملاء يتصلون مرة ثانية\n"
        "whys:\n  - because: البطاقة لا تُفعَّل\n  - because: لا تصل رسالة تأكيد\n    root: true\n"
    )
    spec = cxviz.loads(text)
    dot = cxviz.render_dot(spec)
    # The first answer is declared last so that dot draws it on the right.
    assert dot.index("لا تصل رسالة تأكيد") < dot.index("البطاقة لا تُفعَّل")
    svg = cxviz.render_svg(spec)
    line = re.search(r"<text[^>]*>البطاقة لا تُفعَّل</text>", svg).group(0)
    assert 'direction="rtl"' in line


def test_user_text_cannot_become_markup():
    hostile = 'x" ]; evil [label="y <script>alert(1)</script> & {{ a }} ]]>'
    spec = cxviz.loads(CHAIN.replace("Orders arrive late", hostile.replace('"', '\\"')).replace(
        "problem: Orders", "problem: Orders").replace("problem: x", 'problem: "x').replace("]]>", ']]>"'))
    svg = cxviz.render_svg(spec)
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "evil" in svg and "{{ a }}" in svg
