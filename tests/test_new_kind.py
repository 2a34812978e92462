"""A kind is one folder: a sixth kind written outside cxviz, as real files,
registered, and then validated, drawn, printed, blank, described by its
schema and started from its starter, through the API and the command line.

The toy kind has English words only, so drawing it in Indonesian shows its
words in English and notes each one as missing in 'id'.
"""

from __future__ import annotations

import importlib
import io
import json
import sys
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

import cxviz
from cxviz.api import render_blank, render_pdf, render_svg, schema, starter
from cxviz.cli import main
from cxviz.locale import MissingWord, catalogue, noting_missing_words
from cxviz.registry import all_kinds, get_kind, kind_names, register, unregister

PACKAGE = {
    "__init__.py": '''
        """A toy diagram: where it starts and the steps after it."""

        from pathlib import Path

        from cxviz.registry import Kind

        from .graph import build_graph
        from .model import Toy


        def check(toy, checker):
            if not toy.steps:
                checker.warning("steps", "a toy with no steps shows only its start")


        KIND = Kind(
            name="toy",
            summary="A start and the steps after it",
            model=Toy,
            build_graph=build_graph,
            check=check,
            folder=Path(__file__).parent,
            paper="a4",
            orientation="portrait",
        )
        ''',
    "model.py": '''
        from __future__ import annotations

        from cxviz.document import Document
        from cxviz.schema import record, spec


        @record("One step of a toy.", shorthand="name")
        class Step:
            name: str = spec("What happens.", required=True)
            note: str | None = spec("A note under it.", default=None)


        @record("A toy diagram.")
        class Toy(Document):
            start: str = spec("Where it starts.", required=True)
            steps: tuple[Step, ...] = spec("The steps, in order.", default=())
        ''',
    "graph.py": '''
        from cxviz.graph.dot import DotGraph, attrs, named, quote
        from cxviz.scene import Scene


        def build_graph(toy, context):
            locale = context.locale
            scene = Scene("toy")
            lines = []

            def node(element, label, **style):
                lines.append(f"  {quote(element.id)} {attrs(label=label, **named(element), **style)};")

            start = scene.add("start", "start", toy.start)
            node(start, f"{locale['toy.start']}\\n{toy.start}", shape="ellipse")
            previous = start
            for index, step in enumerate(toy.steps):
                element = scene.add(f"steps.{index}", "step", step.name)
                text = locale.format("toy.step", n=index + 1) + f"\\n{step.name}"
                node(element, text + (f"\\n{step.note}" if step.note else ""))
                link = scene.add(f"steps.{index}-edge", "edge",
                                 relations=(("from", previous.id), ("to", element.id)))
                lines.append(f"  {quote(previous.id)} -> {quote(element.id)} {attrs(**named(link))};")
                previous = element
            framed = context.options.get("framed", False)
            heading = None if framed else f"{toy.title} · {locale['kinds.toy']}"
            graph = attrs(id="diagram", rankdir="RL" if locale.rtl else "LR", label=heading, labelloc="t")
            source = "\\n".join([f"digraph {quote('toy')} {{", f"  graph {graph};",
                                 "  node [shape=box];", *lines, "}"])
            return DotGraph(source + "\\n", engine="dot", scene=scene)
        ''',
    "starter.yaml": '''
        # A toy diagram. Render it with: cxviz render this-file.yaml
        kind: toy
        cxviz: 1
        title: Making tea
        lang: en
        start: Thirsty
        steps:
          - Boil the kettle
          - name: Steep the leaves
            note: Four minutes
        ''',
    "blank.html.j2": '''
        {#- A blank toy canvas: where it starts on top, three steps under it. -#}
        {% extends "canvas/base.html.j2" %}
        {% block head %}
        .board { grid-template-columns: repeat(3, 1fr); grid-template-rows: 1fr 2fr; }
        .start { grid-column: 1 / span 3; background-color: {{ palette.yellow_tint }}; }
        {% endblock %}
        {% block area %}
        <div class="board">
          <div class="zone start"><h2>{{ words["toy.start"] }}</h2><p class="question">{{ words["toy.questions.start"] }}</p></div>
          {% for index in range(1, 4) %}
          <div class="zone"><h2>{{ words["toy.step"].format(n=number(index)) }}</h2>{% if index == 1 %}<p class="question">{{ words["toy.questions.step"] }}</p>{% endif %}</div>
          {% endfor %}
        </div>
        {% endblock %}
        ''',
    # English only: there is deliberately no locales/id.yaml.
    "locales/en.yaml": '''
        kinds:
          toy: Toy diagram
        toy:
          start: Starting point
          step: Toy step {n}
          questions:
            start: Where does the toy begin?
            step: What happens next?
        ''',
}

SPEC = """\
kind: toy
title: Morning routine
lang: {lang}
authors: [Tester]
start: Alarm rings
steps:
  - Snooze
  - name: Get up
    note: Eventually
"""

TOY_WORDS = ["toy.start", "toy.step", "kinds.toy"]


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """The toy kind written as a package in a temporary folder, imported and registered."""
    root = tmp_path_factory.mktemp("plugin")
    for name, text in PACKAGE.items():
        path = root / "toykind" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    sys.path.insert(0, str(root))
    try:
        module = importlib.import_module("toykind")
        register(module.KIND)
        yield module.KIND
    finally:
        if get_kind("toy", discover=False) is not None:
            unregister("toy")
        sys.path.remove(str(root))
        for name in [name for name in sys.modules if name == "toykind" or name.startswith("toykind.")]:
            del sys.modules[name]


def write_spec(folder: Path, lang: str = "en") -> Path:
    path = folder / f"toy-{lang}.yaml"
    path.write_text(SPEC.format(lang=lang), encoding="utf-8")
    return path


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_the_registry_lists_a_registered_kind_after_the_built_in_ones(toy):
    assert kind_names()[-1] == "toy" and "toy" not in kind_names()[:-1]
    assert get_kind("toy") is toy and all_kinds()[-1] is toy
    with pytest.raises(ValueError, match="already a kind named 'toy'"):
        register(toy)
    with pytest.raises(ValueError, match="built-in"):
        unregister("whys")


def test_a_name_the_shared_words_use_cannot_name_a_kind(toy):
    import dataclasses

    for name in ("common", "kinds", "canvas", "Toy", "to.y", ""):
        with pytest.raises(ValueError, match="cannot name a kind"):
            register(dataclasses.replace(toy, name=name))


def test_a_toy_spec_validates_and_renders_to_svg_with_its_ids_classes_and_words(toy, tmp_path):
    spec = cxviz.load(write_spec(tmp_path))
    assert spec.kind is toy and spec.model.steps[1].note == "Eventually"
    with noting_missing_words() as missed:
        svg = render_svg(spec)
    assert missed == []
    for piece in ('id="start" class="node cxviz-start"', 'id="steps.0" class="node cxviz-step"',
                  'id="steps.1-edge" class="edge cxviz-edge"', "Starting point", "Toy step 2", "Get up",
                  "Toy diagram"):
        assert piece in svg, piece


def test_a_toy_check_reports_through_the_checker(toy):
    diagnostics = cxviz.checks("kind: toy\ntitle: T\nstart: S\n", name="t.yaml")
    assert [d.headline() for d in diagnostics] == [
        "t.yaml:1:1: warning: steps: a toy with no steps shows only its start"]


def test_an_unknown_kind_lists_the_registered_one(toy):
    assert [d.headline() for d in cxviz.checks("kind: tyo\ntitle: T\n", name="t.yaml")] == [
        "t.yaml:1:7: error: kind: unknown kind 'tyo'; did you mean 'toy'?"]
    assert [d.headline() for d in cxviz.checks("kind: mindmap\ntitle: T\n", name="t.yaml")] == [
        f"t.yaml:1:7: error: kind: unknown kind 'mindmap' (expected one of {', '.join(kind_names())})"]
    assert kind_names()[-1] == "toy"


def test_a_toy_canvas_prints_to_pdf_with_its_words(toy, tmp_path):
    data = render_pdf(cxviz.load(write_spec(tmp_path)))
    text = pdf_text(data)
    for phrase in ("Morning routine", "Toy diagram", "Starting point", "Alarm rings", "Designed by", "Tester"):
        assert phrase in text, phrase


def test_a_blank_toy_canvas_comes_from_the_kinds_own_template(toy):
    reader = PdfReader(io.BytesIO(render_blank("toy")))
    assert len(reader.pages) == 1
    assert float(reader.pages[0].mediabox.height) > float(reader.pages[0].mediabox.width)  # its A4 portrait
    text = " ".join(reader.pages[0].extract_text().split())
    for phrase in ("Toy diagram", "Starting point", "Where does the toy begin?", "Toy step 3", "What happens next?"):
        assert phrase in text, phrase


def test_the_toys_schema_and_starter(toy):
    document = json.loads(schema("toy"))
    assert document["properties"]["kind"]["const"] == "toy"
    assert {"title", "start"} <= set(document["required"])
    text = starter("toy", "id")
    assert "lang: id" in text
    assert cxviz.loads(text).model.steps[0].name == "Boil the kettle"


def test_the_command_line_renders_prints_starts_and_describes_a_toy(toy, tmp_path, capsys):
    spec = write_spec(tmp_path)
    assert main(["render", str(spec), "-o", str(tmp_path / "toy.svg"), "--no-cache", "-q"]) == 0
    assert 'class="node cxviz-step"' in (tmp_path / "toy.svg").read_text(encoding="utf-8")
    assert main(["canvas", "toy", "-o", str(tmp_path / "blank.pdf"), "-q"]) == 0
    assert "Where does the toy begin?" in pdf_text((tmp_path / "blank.pdf").read_bytes())
    assert main(["init", "toy", "--lang", "id", "-o", str(tmp_path / "new.yaml"), "-q"]) == 0
    assert "kind: toy" in (tmp_path / "new.yaml").read_text(encoding="utf-8")
    assert main(["render", str(tmp_path / "new.yaml"), "-o", str(tmp_path / "new.svg"), "--no-cache", "-q"]) == 0
    capsys.readouterr()
    assert main(["schema", "toy"]) == 0
    assert json.loads(capsys.readouterr().out)["properties"]["kind"]["const"] == "toy"
    assert main(["kinds"]) == 0
    assert "toy        A start and the steps after it" in capsys.readouterr().out


def test_a_toy_in_a_language_it_has_no_words_in_draws_english_and_notes_each_word(toy, tmp_path):
    spec = cxviz.load(write_spec(tmp_path, "id"))
    with noting_missing_words() as missed:
        svg = render_svg(spec)
        pdf = render_pdf(spec)
    assert "Starting point" in svg and "Toy step 1" in svg
    noted = {word.key for word in missed}
    assert set(TOY_WORDS) <= noted and all(word.lang == "id" and word.english for word in missed)
    assert MissingWord("toy.start", "id", english=True).message == (
        "no word for 'toy.start' in 'id'; the English word is shown instead")
    text = pdf_text(pdf)
    assert "Dirancang oleh" in text and "Starting point" in text  # shared words in Indonesian, the toy's in English
    assert set(TOY_WORDS) <= {word.key for word in catalogue("id").missing()}


def test_the_command_line_names_each_missing_word_as_a_warning(toy, tmp_path, capsys):
    assert main(["render", str(write_spec(tmp_path, "id")), "-o", str(tmp_path / "toy.svg"), "-q"]) == 0
    err = capsys.readouterr().err
    assert "warning: lang: no word for 'toy.start' in 'id'; the English word is shown instead" in err
    assert main(["canvas", "toy", "--lang", "id", "-o", str(tmp_path / "blank.pdf"), "-q"]) == 0
    assert "cxviz: warning: --lang: no word for 'kinds.toy' in 'id'; the English word is shown instead" in (
        capsys.readouterr().err)


# -- a kind an installed package declares in the entry-point group cxviz.kinds ----------------

PLUGIN = '''
from pathlib import Path

from cxviz.document import Document
from cxviz.graph.dot import DotGraph
from cxviz.registry import Kind
from cxviz.schema import record, spec


@record("A plugged-in diagram.")
class Plug(Document):
    text: str = spec("What it says.", required=True)


def build_graph(plug, context):
    return DotGraph("digraph plug { a; }\\n")


KIND = Kind(name="plug", summary="A kind from an installed package", model=Plug, build_graph=build_graph)
'''

ENTRY_POINTS = "[cxviz.kinds]\nplug = plugkind:KIND\nbroken = plugkind_missing:KIND\n"


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """A package declaring the kinds ``plug`` and ``broken`` (which fails to import), as if installed."""
    from cxviz import registry

    (tmp_path / "plugkind.py").write_text(PLUGIN, encoding="utf-8")
    info = tmp_path / "plugkind-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: plugkind\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry._entry_points.cache_clear()
    yield
    registry._entry_points.cache_clear()
    registry._plugins.pop("plug", None)
    sys.modules.pop("plugkind", None)


def test_an_installed_kind_is_found_when_its_name_is_asked_for(installed_plugin):
    from cxviz.registry import KindLoadError

    assert not {"plug", "broken"} & set(kind_names())  # the entry points are not read yet
    assert [d for d in cxviz.checks("kind: plug\ntitle: T\ntext: Hello\n") if d.is_error] == []
    assert kind_names()[-2:] == ["broken", "plug"]
    assert get_kind("plug").summary == "A kind from an installed package"
    [error] = cxviz.checks("kind: broken\ntitle: T\n", name="b.yaml")
    assert error.headline().startswith("b.yaml:1:7: error: kind: the kind 'broken' (plugkind_missing:KIND) "
                                       "could not be loaded: ModuleNotFoundError")
    with pytest.raises(KindLoadError):
        all_kinds()


def test_an_installed_kind_is_listed_by_kind_names_when_asked_to_discover(installed_plugin):
    assert kind_names(discover=True)[-2:] == ["broken", "plug"]
    assert "plug" in [d.message for d in cxviz.checks("title: T\n")][0]


def test_drawing_a_built_in_kind_reads_no_entry_points(tmp_path):
    import subprocess

    sample = Path(__file__).resolve().parent.parent / "samples" / "whys-checkout.yaml"
    code = ("import sys, cxviz\n"
            f"cxviz.render_svg(cxviz.load({str(sample)!r}))\n"
            "print('importlib.metadata' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert result.stdout.strip() == "False"
