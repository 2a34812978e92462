"""Where each value of a loaded spec was written, and reading a spec for editing with its comments kept."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import pytest

import cxviz
from cxviz.diagnostics import CxvizError, PathError, SpecError
from cxviz.loading import parse_roundtrip, read_roundtrip
from cxviz.located import Location, dotted_path

from .conftest import ROOT, SAMPLES, sample_files


def at(text: str, line_text: str, start: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of ``start`` (or of ``line_text``) on the one line holding ``line_text``."""
    lines = [number for number, line in enumerate(text.splitlines()) if line_text in line]
    assert len(lines) == 1, f"{line_text!r} is on {len(lines)} lines"
    line = text.splitlines()[lines[0]]
    return lines[0] + 1, line.index(start or line_text) + 1


def sample(name: str) -> tuple[cxviz.Spec, str]:
    path = SAMPLES / name
    return cxviz.load(path), path.read_text(encoding="utf-8")


WHYS_ROOT = "whys[1].whys[0].whys[0].whys[0].whys[0]"


@pytest.mark.parametrize(
    "path, line_text, start",
    [
        ("kind", "kind: whys", "whys"),
        ("whys[1].evidence", "evidence: Real-user monitoring", "Real-user"),
        ("whys[1].whys[0]", "because: The page loads three fraud-check", "because"),
        (f"{WHYS_ROOT}.countermeasure.owner", "owner: Checkout squad lead", "Checkout"),
        # A mapping is where its first key is, as diagnostics point at it.
        (f"{WHYS_ROOT}.countermeasure", "action: Set a 2-second budget", "action"),
        ("authors[0]", "authors: [Digital CX team]", "Digital"),
    ],
)
def test_where_a_whys_value_was_written(path, line_text, start):
    spec, text = sample("whys-checkout.yaml")
    assert spec.where(path) == Location(str(SAMPLES / "whys-checkout.yaml"), *at(text, line_text, start))


@pytest.mark.parametrize(
    "path, line_text, start",
    [
        ("edges[3].condition", "label: \"No\", condition: first try}", "first try"),
        ("paths[1][2]", "[card, charge, ok]", "ok"),
        ("lanes[2]", "lanes: [Customer, App, Payment provider]", "Payment"),
        ("nodes[0].label", "label: Opens the app from", "Opens"),
    ],
)
def test_where_a_userflow_value_was_written(path, line_text, start):
    spec, text = sample("userflow-checkout.yaml")
    assert spec.where(path) == Location(str(SAMPLES / "userflow-checkout.yaml"), *at(text, line_text, start))


def test_where_counts_columns_in_characters_as_diagnostics_do():
    spec, text = sample("journey-bank.yaml")
    assert (spec.where("stages[1].steps[0].pains[0]").line, spec.where("stages[1].steps[0].pains[0]").column) == at(
        text, "pains: [الرسوم مدفونة", "الرسوم"
    )
    # A key of a mapping of names may hold spaces, and comes back as written.
    assert (spec.where("stages[0].metrics.نسبة النقر").line, spec.where("stages[0].metrics.نسبة النقر").column) == at(
        text, "metrics: {الوصول", "1.8%"
    )
    assert spec.where("persona").line == at(text, "persona: persona-omar.yaml")[0]


@pytest.mark.parametrize(
    "name, path",
    [
        ("whys-checkout.yaml", f"{WHYS_ROOT}.countermeasure.due"),
        ("userflow-checkout.yaml", "paths[1][2]"),
        ("journey-bank.yaml", "stages[1].steps[0].pains[0]"),
    ],
)
def test_the_dotted_form_names_the_same_value(name, path):
    spec, _ = sample(name)
    dotted = dotted_path(path)
    assert "[" not in dotted and dotted.count(".") == path.count(".") + path.count("[")
    assert spec.where(dotted) == spec.where(path)


def test_key_true_points_at_the_key_of_a_mapping_entry():
    spec, text = sample("whys-checkout.yaml")
    line, _ = at(text, "evidence: Real-user monitoring")
    assert spec.where("whys[1].evidence", key=True) == Location(spec.name, line, 5)
    assert spec.where("whys.1.evidence", key=True) == Location(spec.name, line, 5)
    key = spec.where(f"{WHYS_ROOT}.countermeasure", key=True)
    value = spec.where(f"{WHYS_ROOT}.countermeasure")
    assert text.splitlines()[key.line - 1][key.column - 1:] == "countermeasure:"
    assert (key.line, key.column) == (value.line - 1, value.column - 2)


def test_a_list_item_and_the_whole_spec_have_no_key_so_their_value_is_given():
    spec, _ = sample("whys-checkout.yaml")
    assert spec.where("whys[1]", key=True) == spec.where("whys[1]")
    assert spec.where("", key=True) == spec.where("") == Location(spec.name, 2, 1)  # line 1 is a comment


def test_every_path_a_spec_lists_can_be_looked_up_in_both_forms():
    for path in sample_files():
        spec = cxviz.load(path)
        paths = list(spec.paths())
        assert "kind" in paths
        assert len(paths) == len(set(paths))
        for written in paths:
            assert spec.where(dotted_path(written)) == spec.where(written), (path.name, written)


def test_paths_come_in_the_order_the_file_writes_them():
    spec, _ = sample("whys-checkout.yaml")
    paths = list(spec.paths())
    assert paths[:4] == ["kind", "cxviz", "title", "lang"]
    assert paths.index("whys[0].because") < paths.index("whys[0].evidence") < paths.index("whys[1]")
    lines = [spec.where(path).line for path in paths]
    assert lines == sorted(lines)


WHYS = textwrap.dedent("""\
    kind: whys
    title: T  # the working title
    lang: xx
    problem: P
    whys:
      - because: B
        root: true
""")


def test_a_spec_read_from_text_is_located_too():
    spec = cxviz.loads(WHYS, name="w.yaml")
    assert spec.where("whys[0].root") == Location("w.yaml", 7, 11)
    assert str(spec.where("whys.0.root")) == "w.yaml:7:11"
    assert cxviz.loads(WHYS).where("title") == Location("<string>", 2, 8)


def test_where_agrees_with_the_position_a_diagnostic_printed():
    spec = cxviz.loads(WHYS.replace("    root: true\n", ""), name="w.yaml")  # a short chain with no root cause
    assert [warning.field for warning in spec.warnings] == ["lang", "whys[0].because", "whys"]
    for warning in spec.warnings:
        assert spec.where(warning.field) == Location(warning.file, warning.line, warning.column)


def test_a_key_holding_dots_is_found_in_both_forms():
    text = (SAMPLES / "journey-grocery.yaml").read_text(encoding="utf-8")
    first = text.index("metrics: {") + len("metrics: {")
    spec = cxviz.loads(text[:first] + "Conv. rate: 5%, " + text[first:], name="j.yaml",
                       base_dir=SAMPLES)
    line = text[:first].count("\n") + 1
    assert spec.where("stages[0].metrics.Conv. rate").line == line
    assert spec.where("stages.0.metrics.Conv. rate") == spec.where("stages[0].metrics.Conv. rate")


def test_an_alias_is_where_its_anchor_wrote_the_value_and_a_merged_key_where_it_was_merged_from():
    spec = cxviz.loads("kind: whys\ntitle: &t T\nproblem: *t\nwhys:\n  - because: B\n    root: true\n"
                       "    countermeasure:\n      <<: {owner: O}\n      action: A\n", name="m.yaml")
    assert spec.where("problem") == spec.where("title") == Location("m.yaml", 2, 8)
    assert spec.where("problem", key=True) == Location("m.yaml", 3, 1)
    assert spec.where("whys[0].countermeasure.owner") == Location("m.yaml", 8, 19)


@pytest.mark.parametrize(
    "path, message, nearest",
    [
        ("whys[3]", "w.yaml: nothing is written at whys[3]; the nearest path is whys[0]", "whys[0]"),
        ("whys.3.because", "w.yaml: nothing is written at whys.3.because; the nearest path is whys[0]", "whys[0]"),
        ("whys[0].becuse", "w.yaml: nothing is written at whys[0].becuse; the nearest path is whys[0].because",
         "whys[0].because"),
        ("title.text", "w.yaml: nothing is written at title.text; the nearest path is title", "title"),
        ("whys[0].fix", "w.yaml: nothing is written at whys[0].fix; the nearest path is whys[0]", "whys[0]"),
        ("whys.first", "w.yaml: nothing is written at whys.first; the nearest path is whys", "whys"),
        ("stages[0]", "w.yaml: nothing is written at stages[0]; the nearest path is the top level", ""),
    ],
)
def test_an_unknown_path_names_the_nearest_one_that_exists(path, message, nearest):
    spec = cxviz.loads(WHYS, name="w.yaml")
    with pytest.raises(PathError) as caught:
        spec.where(path)
    assert str(caught.value) == message
    assert (caught.value.path, caught.value.nearest) == (path, nearest)
    assert isinstance(caught.value, CxvizError) and isinstance(caught.value, KeyError)


# -- Reading for editing ------------------------------------------------------------


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.stem)
def test_every_sample_comes_back_byte_for_byte(path, tmp_path):
    document = read_roundtrip(path)
    assert document.dumps() == path.read_text(encoding="utf-8")
    document.write(tmp_path / path.name)
    assert (tmp_path / path.name).read_bytes() == path.read_bytes()


def test_comments_survive_an_edit():
    text = (SAMPLES / "whys-checkout.yaml").read_text(encoding="utf-8")
    document = parse_roundtrip(text, "whys-checkout.yaml")
    document.data["title"] = "Why do shoppers leave at payment?"
    document.data["whys"][0]["evidence"] = "300 session recordings, February"
    changed = document.dumps().splitlines()
    before = text.splitlines()
    assert changed[0] == before[0] == "# Why do mobile customers abandon checkout? A branching 5 Whys with two root causes."
    assert [number for number, (old, new) in enumerate(zip(before, changed)) if old != new] == [
        at(text, "title: Why do mobile")[0] - 1, at(text, "evidence: 212 session")[0] - 1
    ]
    assert "title: Why do shoppers leave at payment?" in changed


def test_a_spec_gives_its_document_on_demand_with_its_comments():
    spec = cxviz.loads(WHYS, name="w.yaml")
    document = spec.document()
    assert document is spec.document()
    assert document.dumps() == WHYS
    document.data["title"] = "U"
    assert "title: U  # the working title\n" in document.dumps()


def test_a_spec_read_from_standard_input_gives_its_document(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(WHYS.encode("utf-8"))))
    spec = cxviz.load("-")
    assert spec.where("problem") == Location("<stdin>", 4, 10)
    assert spec.document().dumps() == WHYS


def test_a_comment_and_a_document_start_before_the_spec_are_kept():
    text = "# A 5 Whys\n---\n# the header\nkind: whys\ntitle: T\n"
    assert parse_roundtrip(text).dumps() == text


@pytest.mark.parametrize(
    "text",
    [
        "kind: whys\nwhys:\n- because: a\n  whys:\n  - because: b\nfix:\n    owner: O\n",
        "kind: whys\nwhys:\n    -   because: a\n        root: true\n",
    ],
)
def test_other_consistent_indentations_come_back_unchanged(text):
    assert parse_roundtrip(text).dumps() == text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("kind: whys\ntitle: [unclosed\n", "a.yaml:3:1: error: invalid YAML: expected ',' or ']', but got the end "
         "of the file while parsing a flow sequence that starts at line 2, column 8"),
        ("kind: whys\nwhys:\n\t- a\n", "a.yaml:3:1: error: invalid YAML: tabs cannot indent YAML; use spaces"),
        ("kind: whys\ntitle: T\ntitle: U\n",
         "a.yaml:3:1: error: title: duplicate key (first written on line 2); YAML would keep only the last one"),
        ("- a\n", "a.yaml:1:1: error: the top level must be a mapping starting with 'kind:'"),
        ("", "a.yaml:1:1: error: the file is empty; a spec starts with 'kind:'"),
    ],
)
def test_text_that_cannot_be_read_for_editing_is_a_located_spec_error(text, expected):
    with pytest.raises(SpecError) as caught:
        parse_roundtrip(text, "a.yaml")
    assert [d.headline() for d in caught.value.diagnostics] == [expected]


def test_a_file_that_cannot_be_read_for_editing_is_a_spec_error(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: whys\ntitle: 'unclosed\n", encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        read_roundtrip(broken)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.file, diagnostic.line, diagnostic.column) == (str(broken), 3, 1)
    with pytest.raises(SpecError, match="no such file"):
        read_roundtrip(tmp_path / "missing.yaml")


def test_loading_to_draw_does_not_import_ruamel():
    code = ("import sys, cxviz; cxviz.load('samples/whys-checkout.yaml').where('title'); "
            "print(sorted(m for m in sys.modules if m.startswith('ruamel')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
