"""Validation of whole specs: kind, header, and errors from referenced files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cxviz
from cxviz.registry import all_kinds, kind_names
from cxviz.schema import Date, yaml_key

from .conftest import every_record_field, types_within

KINDS = ", ".join(kind_names())


def headlines(text: str) -> list[str]:
    return [d.headline() for d in cxviz.checks(text, name="v.yaml")]


def test_a_spec_without_kind_names_the_kinds():
    assert headlines("title: T\n") == [
        f"v.yaml:1:1: error: kind: required field is missing (one of {KINDS})"
    ]


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("jouney", "v.yaml:1:7: error: kind: unknown kind 'jouney'; did you mean 'journey'?"),
        ("mindmap", f"v.yaml:1:7: error: kind: unknown kind 'mindmap' (expected one of {KINDS})"),
    ],
)
def test_an_unknown_kind_is_reported_with_a_suggestion(kind, expected):
    assert headlines(f"kind: {kind}\ntitle: T\n") == [expected]


WHYS = "kind: whys\ntitle: T\nproblem: P\nwhys:\n  - because: B\n    root: true\n"


def test_a_newer_format_version_asks_for_an_upgrade():
    assert "v.yaml:2:8: error: cxviz: format version 2 is newer than this cxviz reads (1); upgrade cxviz" in headlines(
        WHYS.replace("title: T\n", "cxviz: 2\ntitle: T\n")
    )


def test_an_unknown_language_is_a_warning_and_english_is_used():
    found = headlines(WHYS.replace("title: T\n", "title: T\nlang: xx\n"))
    assert "v.yaml:3:7: warning: lang: no built-in words for 'xx' (have ar, en, id, jv); using English" in found


def test_warnings_do_not_stop_a_spec_from_loading():
    spec = cxviz.loads(WHYS + "  - because: C\n")  # a second chain that stops short without a root cause
    assert spec.kind.name == "whys"
    assert [d.severity.value for d in spec.diagnostics] == ["warning"]


def test_load_raises_with_every_error_attached():
    with pytest.raises(cxviz.SpecError) as caught:
        cxviz.loads("kind: whys\ntitel: T\nwhys: {a: 1}\n", name="v.yaml")
    assert [d.headline() for d in caught.value.diagnostics] == [
        "v.yaml:2:1: error: titel: unknown field 'titel'; did you mean 'title'?",
        "v.yaml:3:7: error: whys: expected a list, got a mapping",
        "v.yaml:1:1: error: title: required field is missing",
        "v.yaml:1:1: error: problem: required field is missing",
    ]
    assert "v.yaml:2:1: error: titel" in str(caught.value)


def test_a_language_that_is_not_a_tag_is_quoted_in_the_error():
    assert "v.yaml:3:7: error: lang: 'en us' is not a language tag (such as en, id, ar or pt-BR)" in headlines(
        WHYS.replace("title: T\n", "title: T\nlang: en us\n")
    )


def test_reading_and_validating_import_no_drawing_code():
    package = Path(cxviz.__file__).parent
    for module in ("loading", "located", "schema", "validation"):
        tree = ast.parse((package / f"{module}.py").read_text(encoding="utf-8"))
        imported = {node.module.removeprefix("cxviz.") for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom) and node.module}
        assert not {name for name in imported if name.split(".")[0] in ("graph", "rendering", "kinds")}, module


# -- dates ----------------------------------------------------------------------------------------------

#: One spec of each kind, each date written as {date}, {due} …, in the languages teams write them in.
DATED = {
    "journey": """\
kind: journey
title: Pendaftaran rekening tabungan lewat aplikasi
lang: id
date: {date}
persona: {{name: Dewi Lestari}}
stages:
  - name: Pendaftaran
    steps:
      - action: Mengunggah foto KTP
        todo:
          - action: Pandu posisi kamera
            owner: Tim Orientasi
            due: {due}
""",
    "whys": """\
kind: whys
title: لماذا يتصل العملاء مرتين؟
lang: ar
date: {date}
problem: العملاء يتصلون مرة ثانية
whys:
  - because: لا تصل رسالة تأكيد
    root: true
    countermeasure:
      action: إرسال رسالة نصية فور رفع الحظر
      owner: فريق الرسائل
      due: {due}
""",
    "empathy": "kind: empathy\ntitle: Dewi belanja dapur\nlang: id\ndate: {date}\npersona: {{name: Dewi}}\n"
               "says: [Ongkirnya kenapa mahal?]\n",
    "persona": "kind: persona\ntitle: \"Persona: مريم\"\nlang: ar\ndate: {date}\nname: مريم الحسيني\n",
    "userflow": "kind: userflow\ntitle: Isi ulang pulsa\nlang: id\ndate: {date}\n"
                "nodes:\n  - {{id: mulai, type: entry}}\n  - {{id: selesai, type: end}}\n"
                "edges:\n  - {{from: mulai, to: selesai}}\n",
}
#: (kind, field as diagnostics print it, line, column, placeholder) of every date the specs above hold.
DATE_FIELDS = [
    ("journey", "date", 4, 7, "date"),
    ("journey", "stages[0].steps[0].todo[0].due", 13, 18, "due"),
    ("whys", "date", 4, 7, "date"),
    ("whys", "whys[0].countermeasure.due", 12, 12, "due"),
    ("empathy", "date", 4, 7, "date"),
    ("persona", "date", 4, 7, "date"),
    ("userflow", "date", 4, 7, "date"),
]
GOOD_DATES = {"date": "2025-03-18", "due": "2025-06-30"}


def _dated(kind: str, **values: str) -> str:
    return DATED[kind].format(**{**GOOD_DATES, **values})


def _date_fields() -> set[tuple[str, str]]:
    """(record, key) of every field a spec of any kind writes a date in, found by type."""
    return {(owner, yaml_key(field)) for owner, field, tp in every_record_field() if Date in types_within(tp)}


def test_every_field_that_holds_a_date_is_a_date_and_the_specs_here_write_each():
    assert _date_fields() == {("Document", "date"), ("Todo", "due"), ("Countermeasure", "due")}
    assert {kind for kind, *_ in DATE_FIELDS} == set(kind_names())


@pytest.mark.parametrize("kind", sorted(DATED))
def test_the_dated_specs_are_valid_and_keep_each_date_as_written(kind):
    spec = cxviz.loads(_dated(kind), name=f"{kind}.yaml")
    assert spec.model.date == "2025-03-18"
    assert [d for d in spec.diagnostics if d.is_error] == []


@pytest.mark.parametrize("written, problem", [
    ("next week", "'next week' is not a date; write it as YYYY-MM-DD, e.g. 2025-04-15"),
    ("2025-13-45", "'2025-13-45' is not a date (there is no month 13); write it as YYYY-MM-DD, e.g. 2025-04-15"),
])
@pytest.mark.parametrize("kind, field, line, column, placeholder", DATE_FIELDS,
                         ids=[f"{kind}:{field}" for kind, field, *_ in DATE_FIELDS])
def test_every_date_refuses_what_is_not_one_at_its_line(kind, field, line, column, placeholder, written, problem):
    found = [d.headline() for d in cxviz.checks(_dated(kind, **{placeholder: written}), name=f"{kind}.yaml")
             if d.is_error]
    assert found == [f"{kind}.yaml:{line}:{column}: error: {field}: {problem}"]


def test_a_date_in_words_is_refused_in_the_language_it_was_written_in():
    text = _dated("whys", due="الأسبوع القادم", date="minggu depan")
    assert [d.headline() for d in cxviz.checks(text, name="w.yaml")] == [
        "w.yaml:4:7: error: date: 'minggu depan' is not a date; write it as YYYY-MM-DD, e.g. 2025-04-15",
        "w.yaml:12:12: error: whys[0].countermeasure.due: 'الأسبوع القادم' is not a date; "
        "write it as YYYY-MM-DD, e.g. 2025-04-15",
    ]


def test_a_date_yaml_reads_as_a_date_renders_as_written(tmp_path):
    for quoted in (False, True):
        due = "'2025-06-30'" if quoted else "2025-06-30"
        spec = cxviz.loads(_dated("journey", due=due), name="j.yaml")
        assert spec.model.stages[0].steps[0].todo[0].due == "2025-06-30"
        assert "Tenggat: 2025&#45;06&#45;30" in cxviz.render_svg(spec, embed_font=False)


# -- a lone value where a list belongs -----------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("kind: journey\ntitle: Perjalanan nasabah\nlang: id\npersona: {name: Dewi}\nstages: Pendaftaran rekening\n",
     "j.yaml:5:9: error: stages: expected a list, got the text 'Pendaftaran rekening'; write each item on a "
     "line of its own, starting with \"- \", as in \"- Pendaftaran rekening\""),
    ("kind: journey\ntitle: T\npersona: {name: Dewi}\nstages:\n  - name: Pendaftaran\n"
     "    steps: Mengunggah foto KTP\n",
     "j.yaml:6:12: error: stages[0].steps: expected a list, got the text 'Mengunggah foto KTP'; write each item "
     "on a line of its own, starting with \"- \", as in \"- Mengunggah foto KTP\""),
    ("kind: whys\ntitle: T\nlang: ar\nproblem: العملاء يتصلون مرة ثانية\nwhys: لا تصل رسالة تأكيد\n",
     "j.yaml:5:7: error: whys: expected a list, got the text 'لا تصل رسالة تأكيد'; write each item on a "
     "line of its own, starting with \"- \", as in \"- لا تصل رسالة تأكيد\""),
    ("kind: userflow\ntitle: T\nnodes:\n  - {id: a}\n  - {id: b}\nedges: a to b\n",
     "j.yaml:6:8: error: edges: expected a list, got the text 'a to b'; write each item on a line of its own, "
     "starting with \"- \""),
    ("kind: persona\ntitle: T\nname: Dewi\npersonality: Introvert\n",
     "j.yaml:4:14: error: personality: expected a list, got the text 'Introvert'; write each item on a line "
     "of its own, starting with \"- \""),
])
def test_a_lone_value_where_a_list_of_records_belongs_is_an_error_at_its_line(text, expected):
    assert [d.headline() for d in cxviz.checks(text, name="j.yaml") if d.is_error] == [expected]


def test_a_lone_text_where_a_list_of_texts_belongs_is_one_item():
    spec = cxviz.loads("kind: persona\ntitle: T\nname: Dewi\nauthors: Tim Riset CX\ngoals: Belanja cepat\n")
    assert spec.model.authors == ("Tim Riset CX",) and spec.model.goals == ("Belanja cepat",)
