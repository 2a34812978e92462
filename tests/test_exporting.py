"""`cxviz export mermaid`: the text it writes, and what the real Mermaid CLI draws from it."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET

import pytest

import cxviz
from cxviz.cli import main
from cxviz.exporting.mermaid import score
from cxviz.kinds.journey.model import Scale

from .conftest import ROOT, SAMPLES
from .test_cli import run

MERMAID = ROOT / ".venv" / "mermaid"
MMDC = MERMAID / "node_modules" / ".bin" / "mmdc"
PUPPETEER = MERMAID / "puppeteer.json"
SETUP = "run `bash .ci/setup --test` (it installs the Mermaid CLI into .venv/mermaid)"
#: Characters the export adds that draw nothing: the word joiner, and the right-to-left isolate around a line.
INVISIBLE = dict.fromkeys(map(ord, "\u2060\u2067\u2069"))


def exported_samples() -> list:
    """Every journey and user-flow spec in samples/."""
    return sorted(path for path in SAMPLES.glob("*.yaml")
                  if re.search(r"^kind: (journey|userflow)$", path.read_text(encoding="utf-8"), re.M))


def export(text: str) -> str:
    return cxviz.export_mermaid(cxviz.loads(textwrap.dedent(text)))


# -- the text ---------------------------------------------------------------------------

JOURNEY = """\
    kind: journey
    title: Morning coffee
    persona: {name: Rina}
    stages:
      - name: Order
        steps:
          - {action: Opens the app, emotion: 1}
          - {action: "Pays: the card is declined", emotion: -2}
      - name: Collect
        steps: [Picks up the cup]
    """

USERFLOW = """\
    kind: userflow
    title: Reset password
    direction: left-right
    lanes: [Customer, App]
    nodes:
      - {id: forgot, type: entry, label: Taps "Forgot password", lane: Customer}
      - {id: email, label: Email form, lane: App, note: Sends a link}
      - {id: sent, type: system, label: Sends the e-mail}
      - {id: valid, type: decision, label: Link still valid?}
      - {id: done, type: end, outcome: success, label: New password set}
      - {id: gone, type: end, label: Gives up, lane: Customer}
    edges:
      - {from: valid, to: done, label: "Yes"}
      - {from: valid, to: email, label: "No", condition: after 24 hours}
      - {from: email, to: gone, optional: true}
    paths: [[forgot, email, sent, valid]]
    """


def test_a_journey_becomes_a_mermaid_journey():
    assert export(JOURNEY) == textwrap.dedent("""\
        ---
        config:
          journey:
            width: 150
            height: 70
        ---
        journey
            title Morning coffee
            section Order
                Opens the app: 4: Rina
                Pays#58; the card is declined: 1: Rina
            section Collect
                Picks up the cup: 3: Rina
        """)


def test_a_user_flow_becomes_a_flowchart_with_lanes_as_subgraphs():
    assert export(USERFLOW) == textwrap.dedent("""\
        ---
        title: "Reset password"
        ---
        flowchart LR
            subgraph lane0["Customer"]
                n0_forgot(["ENTRY POINT<br>Taps #quot;Forgot password#quot;"]):::cxviz-entry
                n5_gone(["Gives up"]):::cxviz-end
            end
            subgraph lane1["App"]
                n1_email["Email form<br>Sends a link"]:::cxviz-screen
                n2_sent[["Sends the e-mail"]]:::cxviz-system
                n3_valid{"Link still valid?"}:::cxviz-decision
                n4_done(["✓ SUCCESS<br>New password set"]):::cxviz-success
            end
            n0_forgot --> n1_email
            n1_email --> n2_sent
            n2_sent --> n3_valid
            n3_valid -->|"Yes"| n4_done
            n3_valid -->|"No<br>after 24 hours"| n1_email
            n1_email -.-> n5_gone
            classDef cxviz-entry fill:#D9E9F4,stroke:#005A8C,color:#1F2933
            classDef cxviz-screen fill:#FFFFFF,stroke:#52606D,color:#1F2933
            classDef cxviz-decision fill:#F6E6EF,stroke:#8E4670,color:#1F2933
            classDef cxviz-system fill:#FFFFFF,stroke:#52606D,color:#1F2933
            classDef cxviz-success fill:#D6F0E8,stroke:#00684D,color:#1F2933
            classDef cxviz-end fill:#F5F7FA,stroke:#1F2933,color:#1F2933
        """)


def test_an_arabic_flow_runs_right_to_left_and_sets_each_line_right_to_left():
    assert export("""\
        kind: userflow
        title: تحويل الأموال
        lang: ar
        direction: left-right
        nodes:
          - {id: start, type: entry, label: يفتح التطبيق}
          - {id: failed, type: end, outcome: failure, label: "فشل التحويل: حاول لاحقًا"}
        paths: [[start, failed]]
        """) == textwrap.dedent("""\
        ---
        title: "\\u2067تحويل الأموال\\u2069"
        ---
        flowchart RL
            n0_start(["#8295;نقطة الدخول#8297;<br>#8295;يفتح التطبيق#8297;"]):::cxviz-entry
            n1_failed(["#8295;فشل ×#8297;<br>#8295;فشل التحويل#58; حاول لاحقًا#8297;"]):::cxviz-failure
            n0_start --> n1_failed
            classDef cxviz-entry fill:#D9E9F4,stroke:#005A8C,color:#1F2933
            classDef cxviz-failure fill:#F8E1D3,stroke:#A34400,color:#1F2933,stroke-width:2.6px
        """)


def test_scores_keep_the_neutral_at_3_and_the_scale_ends_at_1_and_5():
    default = Scale()
    assert [score(e, default) for e in (-2, -1, 0, 1, 2, 0.5, None)] == ["1", "2", "3", "4", "5", "3.5", "3"]
    # Neutral is 0 inside the scale, its middle outside it, as the map's faces have it.
    assert [score(e, Scale(min=-1, max=3)) for e in (-1, -0.5, 0, 1, 3)] == ["1", "2", "3", "3.67", "5"]
    assert [score(e, Scale(min=1, max=10)) for e in (1, 5.5, 10, 7)] == ["1", "3", "5", "3.67"]


def test_node_ids_are_safe_identifiers_that_never_collide():
    text = export("""\
        kind: userflow
        title: Ids
        nodes:
          - {id: end, type: entry}
          - {id: a-b}
          - {id: a_b}
          - {id: دفع}
          - {id: graph}
          - {id: x, type: end}
        paths: [[end, a-b, a_b, دفع, graph, x]]
        """)
    ids = re.findall(r"^ {4}(\S+?)[\[({]", text, re.M)
    assert ids == ["n0_end", "n1_a_b", "n2_a_b", "n3", "n4_graph", "n5_x"]


def test_the_same_spec_gives_the_same_bytes():
    for path in exported_samples():
        assert cxviz.export_mermaid(cxviz.load(path)) == cxviz.export_mermaid(cxviz.load(path))


@pytest.mark.parametrize("name", ["empathy-maya.yaml", "persona-dewi.yaml", "whys-checkout.yaml"])
def test_other_kinds_are_an_option_error_naming_the_kind(name):
    spec = cxviz.load(SAMPLES / name)
    with pytest.raises(cxviz.OptionError) as caught:
        cxviz.export_mermaid(spec)
    assert str(caught.value) == (f"cannot export kind {spec.kind.name!r} to Mermaid; "
                                 "only journey and userflow specs export to Mermaid")


# -- what Mermaid draws -----------------------------------------------------------------

#: Texts full of what Mermaid would read as syntax, in Latin, Indonesian and Arabic.
SPECIAL = {
    "special-flow": """\
        kind: userflow
        title: 'Pay "now" #1; costs: [50%] & a < b > c'
        lang: id
        description: 'Quotes "x", #35; and ; then %% and $$x$$'
        lanes: ['Pelanggan "VIP"; #1', 'سيرفر: النظام']
        nodes:
          - id: end
            type: entry
            label: 'Membuka "aplikasi": langkah #1; [kurung] {kurawal} (bulat) <b>tebal</b>'
            lane: 'Pelanggan "VIP"; #1'
          - id: graph
            type: decision
            label: 'هل الرمز صحيح؟ "نعم" أم لا: #2'
            lane: 'سيرفر: النظام'
          - id: o
            type: action
            label: 'fa:fa-car 50% %% no comment $$x^2$$ `code` a|b &lt; &amp; #35; ﬂ°°35¶ß'
            note: 'Catatan: Rp15.000; "diskon" #3'
          - id: x
            type: system
            label: Supercalifragilisticexpialidociousnessinthemiddleofnowhereandbeyondwordsveryverylong
          - id: subgraph
            type: end
            outcome: success
            label: 'Berhasil! style: #fff; classDef x fill:#f00;'
          - id: style
            type: end
            outcome: failure
            label: "Two\\nlines"
        edges:
          - {from: end, to: graph, label: 'Ya: "ok" #1;', condition: 'jika <i>PIN</i> benar; [3x]'}
          - {from: graph, to: o, label: 'نعم | yes'}
          - {from: graph, to: style, label: 'لا', optional: true}
          - {from: o, to: x}
          - {from: x, to: subgraph, label: end}
        """,
    "special-journey": """\
        kind: journey
        title: 'Belanja "mingguan": #1; 50% <b>hemat</b> & [promo]'
        description: 'desc: "x" #35; ; %%'
        persona: {name: 'Dewi, "the" #1: buyer'}
        stages:
          - name: 'Tahap: "satu"; #1 [a]'
            steps:
              - {action: 'Melihat promo: "gratis ongkir"; #1 <b>bold</b> & [kurung] {x}', emotion: 2}
              - {action: Title deed signed, emotion: -2}
              - {action: section ends here, emotion: 0}
              - {action: journey begins, emotion: 1}
              - {action: '%% no comment 50%', emotion: -1}
              - 'accDescr { hi }'
          - name: 'المرحلة: الثانية'
            steps:
              - {action: 'يرى إعلانًا: "فتح الحساب" #١; في عشر دقائق', emotion: 1.5}
              - {action: Supercalifragilisticexpialidociousnessinthemiddleofnowhereandbeyond, emotion: -0.5}
              - "Two\\nlines ﬂ°°35¶ß $$x$$ `c` a|b &lt;"
        """,
    "special-arabic-journey": """\
        kind: journey
        title: 'فتح حساب: "الخطوة" #1؛ 50% <b>'
        lang: ar
        persona: {name: 'عمر، "العميل" #1'}
        stages:
          - name: 'الوعي: تطبيق BNI Mobile'
            steps:
              - {action: 'يرى إعلانًا على إنستغرام: "افتح حسابك" #1; [جديد] <b>', emotion: 2}
              - {action: 'title يكتب اسمه بالإنجليزية', emotion: -1}
        """,
}


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict:
    """Each exported spec and the SVG the Mermaid CLI draws of it, all from one run (Chromium starts once)."""
    if not (MMDC.is_file() and PUPPETEER.is_file()):
        pytest.fail(f"these tests draw with the Mermaid CLI at {MMDC}: {SETUP}")
    specs = {path.name: cxviz.load(path) for path in exported_samples()}
    specs |= {name: cxviz.loads(textwrap.dedent(text), name=name) for name, text in SPECIAL.items()}
    folder = tmp_path_factory.mktemp("mermaid")
    # A Markdown file's charts are all drawn in one browser, each to chart-N.svg.
    (folder / "charts.md").write_text(
        "".join(f"```mermaid\n{cxviz.export_mermaid(spec)}```\n\n" for spec in specs.values()), encoding="utf-8")
    result = subprocess.run([str(MMDC), "-p", str(PUPPETEER), "-i", "charts.md", "-o", "chart.svg", "-q"],
                            cwd=folder, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"the Mermaid CLI failed:\n{result.stderr}"
    return {name: (spec, ET.parse(folder / f"chart-{number}.svg").getroot())
            for number, (name, spec) in enumerate(specs.items(), start=1)}


def texts(svg: ET.Element) -> set[str]:
    """Every text the SVG draws, without the invisible characters the export adds."""
    found = set()
    for element in svg.iter():
        for text in ((element.tail,) if element.tag.endswith("style") else (element.text, element.tail)):
            if text and text.strip():
                found.add(text.translate(INVISIBLE).strip())
    return found


def journey_texts(journey) -> list[str]:
    """What Mermaid must draw of a journey: title, persona, stages with steps, steps (lines joined)."""
    wanted = [journey.title, journey.persona.name]
    for stage in journey.stages:
        wanted += [stage.name] if stage.steps else []
        wanted += [" ".join(step.action.split("\n")) for step in stage.steps]
    return wanted


def userflow_texts(flow) -> list[str]:
    """What Mermaid must draw of a user flow: each line of its steps, notes, lanes and ways."""
    from cxviz.kinds.userflow.model import resolve_lanes

    # Mermaid reads the title as HTML and shows it escaped, as README.md says.
    wanted = [html.escape(flow.title, quote=False)]
    wanted += sorted(set(resolve_lanes(flow)[1].values()))
    for part in [*(s.text for s in flow.nodes), *(s.note for s in flow.nodes),
                 *(link.edge.label for link in flow.links()), *(link.edge.condition for link in flow.links())]:
        wanted += part.split("\n") if part else []
    return wanted


def expected_texts(spec) -> list[str]:
    wanted = journey_texts(spec.model) if spec.kind.name == "journey" else userflow_texts(spec.model)
    return [text.strip() for text in wanted]


def faces(svg: ET.Element) -> list[float]:
    """The score of each face of a Mermaid journey, from its height (Mermaid puts score s at 300 + (5 - s) * 30)."""
    return [round(5 - (float(circle.get("cy")) - 300) / 30, 2)
            for circle in svg.iter("{http://www.w3.org/2000/svg}circle") if circle.get("class") == "face"]


@pytest.mark.parametrize("name", [path.name for path in exported_samples()])
def test_mermaid_draws_every_text_of_every_sample(drawn, name):
    spec, svg = drawn[name]
    missing = [text for text in expected_texts(spec) if text not in texts(svg)]
    assert not missing, f"{name}: Mermaid did not draw {missing}"
    if spec.kind.name == "journey":
        # The samples use the default scale, -2..2: a score is the emotion plus 3.
        assert spec.model.emotion_scale == Scale()
        steps = spec.model.steps
        assert faces(svg) == [3 if step.emotion is None else step.emotion + 3 for step in steps]


def test_the_samples_include_indonesian_and_arabic_journeys_and_flows():
    languages = {(spec.kind.name, spec.model.lang) for spec in map(cxviz.load, exported_samples())}
    assert {("journey", "id"), ("journey", "ar"), ("userflow", "id"), ("userflow", "ar")} <= languages


@pytest.mark.parametrize("name", list(SPECIAL))
def test_quotes_colons_hashes_brackets_markup_and_arabic_come_out_as_written(drawn, name):
    spec, svg = drawn[name]
    missing = [text for text in expected_texts(spec) if text not in texts(svg)]
    assert not missing, f"{name}: Mermaid did not draw {missing}"


def test_special_texts_keep_their_scores_and_hide_no_statement(drawn):
    _, svg = drawn["special-journey"]
    # A task that starts like "title" or "section" stays a task: nine tasks, nine faces.
    assert faces(svg) == [5, 1, 3, 4, 2, 3, 4.5, 2.5, 3]
    drawn_texts = texts(svg)
    assert "Belanja \"mingguan\": #1; 50% <b>hemat</b> & [promo]" in drawn_texts  # a journey title keeps &
    assert 'Dewi, "the" #1: buyer' in drawn_texts  # one actor, comma and all
    _, flow = drawn["special-flow"]
    # No icon and no math: the label is one text, drawn as written.
    assert not list(flow.iter("{http://www.w3.org/1999/xhtml}i"))
    assert not [e for e in flow.iter() if "katex" in (e.get("class") or "")]


# -- the command ------------------------------------------------------------------------

def test_export_writes_standard_output_or_a_file(capsys, tmp_path, monkeypatch):
    spec = SAMPLES / "userflow-checkout.yaml"
    expected = cxviz.export_mermaid(cxviz.load(spec))
    assert run(capsys, "export", "mermaid", str(spec)) == (0, expected, "")
    target = tmp_path / "checkout.mmd"
    assert run(capsys, "export", "mermaid", str(spec), "-o", str(target)) == (
        0, "", f"cxviz: {spec} as Mermaid -> {target}\n")
    assert target.read_text(encoding="utf-8") == expected
    assert run(capsys, "export", "mermaid", str(spec), "-o", str(tmp_path), "-q") == (0, "", "")
    assert (tmp_path / "userflow-checkout.mmd").read_text(encoding="utf-8") == expected
    monkeypatch.setattr(sys, "stdin", open(SAMPLES / "userflow-transfer.yaml", encoding="utf-8"))
    code, out, _ = run(capsys, "export", "mermaid", "-")
    assert code == 0 and out.startswith('---\ntitle: "\\u2067') and "flowchart RL\n" in out


@pytest.mark.parametrize("name", ["empathy-maya.yaml", "persona-dewi.yaml", "whys-checkout.yaml"])
def test_export_of_another_kind_is_an_error_naming_it(capsys, tmp_path, name):
    spec = SAMPLES / name
    kind = cxviz.load(spec).kind.name
    message = f"cannot export kind {kind!r} to Mermaid; only journey and userflow specs export to Mermaid"
    target = tmp_path / "out.mmd"
    assert run(capsys, "export", "mermaid", str(spec), "-o", str(target)) == (
        2, "", f"cxviz: error: {spec}: {message}\n")
    assert not target.exists()
    code, out, err = run(capsys, "export", "mermaid", str(spec), "--error-format", "json")
    assert (code, out) == (2, "")
    assert json.loads(err) == {"file": str(spec), "line": 0, "column": 0, "field": "", "severity": "error",
                               "message": message}


def test_export_of_a_broken_spec_reports_as_validate_does(capsys, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: journey\ntitle: T\nstages:\n  - name: S\n    steps:\n      - actoin: Pays\n",
                      encoding="utf-8")
    _, _, checked = run(capsys, "validate", str(broken))
    target = tmp_path / "broken.mmd"
    code, out, err = run(capsys, "export", "mermaid", str(broken), "-o", str(target))
    assert (code, out) == (1, "") and not target.exists()
    assert f"{broken}:6:9: error: stages[0].steps[0].actoin: unknown field 'actoin'" in err
    assert err == checked.removesuffix("cxviz: 0 of 1 specs valid\n")


def test_export_refuses_to_write_over_its_spec_and_knows_only_mermaid(capsys, tmp_path):
    spec = tmp_path / "flow.yaml"
    spec.write_text((SAMPLES / "userflow-checkout.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run(capsys, "export", "mermaid", str(spec), "-o", str(spec))
    assert code == 2 and err == f"cxviz: error: {spec}: refusing to write over the spec being exported\n"
    with pytest.raises(SystemExit) as exited:
        main(["export", "plantuml", str(spec)])
    assert exited.value.code == 2
    assert "invalid choice: 'plantuml' (choose from 'mermaid')" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["export", "--help"])
    assert exited.value.code == 0 and "example" in capsys.readouterr().out
