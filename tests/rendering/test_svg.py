"""Finishing Graphviz's SVG: accessibility, fonts, direction, determinism."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cxviz.graph.dot import DotGraph
from cxviz.rendering.graphviz import layout, layout_one
from cxviz.rendering.svg import finish_svg, first_strong_direction

GRAPH = DotGraph(
    'digraph "g" { node [fontname="IBM Plex Sans Arabic"];'
    ' a [label="Hello"]; b [label="مرحبا بالعالم"]; c [label=<<B>Bold</B>>]; a -> b -> c }\n'
)


def test_first_strong_direction_follows_the_first_letter():
    assert first_strong_direction("مرحبا Hello") == "rtl"
    assert first_strong_direction("123 Hello مرحبا") == "ltr"
    assert first_strong_direction("١٢٣ - !") == "ltr"  # digits and punctuation are not strong


def test_finished_svg_has_title_desc_language_and_no_graphviz_leftovers():
    raw = layout_one(GRAPH).output
    assert "<!--" in raw and "<title>g</title>" in raw
    svg = finish_svg(raw, title="A & B <x>", description="What it shows", lang="ar")
    assert '<title id="cxviz-title">A &amp; B &lt;x&gt;</title>' in svg
    assert '<desc id="cxviz-desc">What it shows</desc>' in svg
    assert 'role="img" aria-labelledby="cxviz-title cxviz-desc" xml:lang="ar"' in svg
    assert "<!--" not in svg and "<title>g</title>" not in svg


def test_arabic_lines_are_marked_rtl_and_their_anchor_swapped():
    raw = '<svg>\n<text text-anchor="start" x="1">مرحبا</text><text text-anchor="start" x="2">Hi</text></svg>'
    svg = finish_svg(raw, title="t", description="d", lang="en", embed_font=False)
    assert '<text text-anchor="end" x="1" direction="rtl">مرحبا</text>' in svg
    assert '<text text-anchor="start" x="2">Hi</text>' in svg


def test_the_font_is_embedded_with_only_the_weights_used():
    svg = finish_svg(layout_one(GRAPH).output, title="t", description="d", lang="en")
    assert svg.count("@font-face") == 2
    assert "font-weight:400" in svg and "font-weight:700" in svg
    plain = finish_svg(layout_one(GRAPH).output, title="t", description="d", lang="en", embed_font=False)
    assert "@font-face" not in plain and len(plain) < len(svg)


def test_a_batch_runs_one_process_and_keeps_the_order():
    other = DotGraph('digraph "h" { x -> y }\n')
    results = layout([GRAPH, other, GRAPH])
    assert [r.error for r in results] == [None, None, None]
    alone = finish_svg(layout_one(GRAPH).output, title="t", description="d", lang="en", embed_font=False)
    for result in (results[0], results[2]):
        assert finish_svg(result.output, title="t", description="d", lang="en", embed_font=False) == alone
    assert ">x</text>" in results[1].output


def test_a_broken_graph_in_a_batch_fails_alone():
    broken = DotGraph('digraph { a -> }\n')
    results = layout([GRAPH, broken, GRAPH])
    assert results[0].error is None and results[2].error is None
    assert "Graphviz failed" in str(results[1].error)


def test_nodes_of_class_cxviz_pill_get_fully_round_ends():
    graph = DotGraph('digraph "g" { a [shape=box, style="rounded", class="cxviz-pill", peripheries=2]; b }\n')
    svg = finish_svg(layout_one(graph).output, title="t", description="d", lang="en", embed_font=False)
    pill = re.search(r'class="node cxviz-pill">(.*?)</g>', svg, re.S).group(1)
    sizes = re.findall(r'<rect [^>]*height="([\d.]+)" rx="([\d.]+)"/>', pill)
    assert len(sizes) == 2 and "<path" not in pill  # both outlines
    assert all(float(rx) == float(height) / 2 for height, rx in sizes)


def test_clusters_come_out_in_the_order_the_graph_declares():
    raw = (
        '<svg>\n<g id="lanes.1" class="cluster">\n<text>B</text>\n</g>\n'
        '<g id="lanes.0" class="cluster">\n<text>A</text>\n</g>\n<g id="nodes.a" class="node">\n<text>a</text>\n</g>\n</svg>'
    )
    svg = finish_svg(raw, title="t", description="d", lang="en", embed_font=False, order=("lanes.0", "lanes.1"))
    assert svg.index('id="lanes.0"') < svg.index('id="lanes.1"') < svg.index('id="nodes.a"')


def test_ids_and_classes_read_plain_and_empty_groups_go():
    raw = ('<svg>\n<g id="graph0" class="graph">\n<g id="a&#45;1" class="node cxviz&#45;pain">\n<text>x&#45;y</text>\n</g>\n'
           '<g id="helper" class="node">\n</g>\n</g>\n</svg>')
    svg = finish_svg(raw, title="t", description="d", lang="en", embed_font=False)
    assert '<g id="a-1" class="node cxviz-pain">' in svg and "x&#45;y" in svg and 'id="helper"' not in svg


def test_a_command_line_svg_render_loads_no_printing_imaging_or_web_modules(tmp_path):
    """One diagram is what an editor or a hook asks for: it must not pay for PDFs, PNGs or HTTP."""
    spec = Path(__file__).resolve().parents[2] / "samples" / "persona-dewi.yaml"
    code = (
        "import sys, cxviz.cli\n"
        f"cxviz.cli.main(['render', {str(spec)!r}, '-o', {str(tmp_path / 'one.svg')!r}, '--no-cache', '-q'])\n"
        "heavy = ('PIL', 'weasyprint', 'jinja2', 'pypdf', 'fontTools', 'http', 'urllib.request', 'email', 'ssl')\n"
        "print(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert result.stdout.strip() == "[]"
    assert (tmp_path / "one.svg").read_text(encoding="utf-8").startswith("<?xml")
