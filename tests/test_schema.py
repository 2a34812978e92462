"""The spec declarations: conversion with located errors, and the JSON Schema."""

from __future__ import annotations

from typing import Literal

import pytest

from cxviz.diagnostics import Reporter
from cxviz.loading import parse_yaml
from cxviz.schema import INVALID, Converter, Date, json_schema, record, reference_markdown, spec


@record("A task.", shorthand="action")
class Task:
    action: str = spec("What.", required=True)
    owner: str | None = spec("Who.", default=None)


@record("A thing to check conversion with.")
class Sample:
    name: str = spec("A name.", required=True)
    size: int = spec("A size.", default=1, minimum=1, maximum=10)
    ratio: float | None = spec("A ratio.", default=None)
    mode: Literal["fast", "slow"] = spec("A mode.", default="fast")
    tags: tuple[str, ...] = spec("Tags.", default=())
    tasks: tuple[Task, ...] = spec("Tasks.", default=())
    scores: dict[str, float] | None = spec("Named numbers.", default=None)
    flag: bool = spec("A flag.", default=False)
    source: str | None = spec("Where from.", default=None, key="from")


def convert(text: str):
    loaded = parse_yaml(text, "s.yaml")
    assert loaded.root is not None, loaded.reporter.diagnostics
    converter = Converter(loaded.reporter)
    return converter.convert(loaded.root, Sample), [d.headline() for d in loaded.reporter.diagnostics]


def test_a_full_record_converts_to_its_dataclass():
    value, problems = convert(
        "name: A\nsize: 3\nratio: 0.5\nmode: slow\ntags: [x, y]\n"
        "tasks:\n  - Call back\n  - {action: Fix, owner: Ops}\nscores: {NPS: 32}\nflag: yes\nfrom: here\n"
    )
    assert problems == []
    assert value == Sample(
        name="A", size=3, ratio=0.5, mode="slow", tags=("x", "y"),
        tasks=(Task(action="Call back"), Task(action="Fix", owner="Ops")),
        scores={"NPS": 32.0}, flag=True, source="here",
    )


def test_text_keeps_what_was_written_and_a_lone_value_is_a_one_item_list():
    value, problems = convert("name: 1.10\ntags: only\n")
    assert problems == []
    assert value.name == "1.10" and value.tags == ("only",)


def test_empty_entries_mean_not_given():
    value, problems = convert("name: A\ntags:\nsize:\n")
    assert problems == [] and value.tags == () and value.size == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("size: 2\n", "s.yaml:1:1: error: name: required field is missing"),
        ("name: A\nsise: 2\n", "s.yaml:2:1: error: sise: unknown field 'sise'; did you mean 'size'?"),
        ("name: A\nzzz: 2\n", "s.yaml:2:1: error: zzz: unknown field 'zzz' (expected name, size, ratio, mode, tags, tasks, scores, flag, from)"),
        ("name: A\nsize: 11\n", "s.yaml:2:7: error: size: 11 is outside 1..10"),
        ("name: A\nsize: 2.5\n", "s.yaml:2:7: error: size: expected a whole number, got 2.5"),
        ("name: A\nsize: big\n", "s.yaml:2:7: error: size: expected a whole number, got the text 'big'"),
        ("name: A\nratio: .nan\n", "s.yaml:2:8: error: ratio: expected a finite number, got .nan"),
        ("name: A\nratio: -.inf\n", "s.yaml:2:8: error: ratio: expected a finite number, got -.inf"),
        ("name: A\nmode: fsat\n", "s.yaml:2:7: error: mode: 'fsat' is not one of fast, slow; did you mean 'fast'?"),
        ("name: [a]\n", "s.yaml:1:7: error: name: expected text, got a list"),
        ("name: A\ntags: {a: 1}\n", "s.yaml:2:7: error: tags: expected a list, got a mapping"),
        ("name: A\ntasks:\n  - {owner: Ops}\n", "s.yaml:3:5: error: tasks[0].action: required field is missing"),
        ("name: A\nflag: maybe\n", "s.yaml:2:7: error: flag: expected true or false, got the text 'maybe'"),
        ("name: A\nscores: {NPS: high}\n", "s.yaml:2:15: error: scores.NPS: expected a number, got the text 'high'"),
    ],
)
def test_each_problem_is_reported_with_its_field_path_and_position(text, expected):
    value, problems = convert(text)
    assert value is INVALID
    assert problems == [expected]


def test_every_problem_is_reported_at_once():
    value, problems = convert("sise: 2\nmode: x\ntags: {}\n")
    assert value is INVALID
    assert len(problems) == 4  # unknown key, bad choice, wrong type, missing name


def test_text_longer_than_the_limit_is_refused():
    from cxviz.limits import Limits

    loaded = parse_yaml("name: " + "x" * 50 + "\n", "s.yaml")
    converter = Converter(loaded.reporter, Limits(max_text_chars=20))
    assert converter.convert(loaded.root, Sample) is INVALID
    assert loaded.reporter.diagnostics[0].message == "is 50 characters long; the limit is 20"


def test_checks_can_report_by_path_after_conversion():
    loaded = parse_yaml("name: A\ntasks:\n  - action: x\n", "s.yaml")
    converter = Converter(loaded.reporter)
    converter.convert(loaded.root, Sample)
    converter.error("tasks[0].action", "is wrong")
    converter.warning("tasks[0]", "looks odd")
    converter.error("tasks[0].owner", "falls back to the nearest node")
    assert [d.headline() for d in loaded.reporter.diagnostics] == [
        "s.yaml:3:13: error: tasks[0].action: is wrong",
        "s.yaml:3:5: warning: tasks[0]: looks odd",
        "s.yaml:3:5: error: tasks[0].owner: falls back to the nearest node",
    ]


def test_json_schema_comes_from_the_same_declarations():
    schema = json_schema(Sample, title="sample", const={"name": "fixed"})
    assert schema["title"] == "sample"
    assert schema["additionalProperties"] is False
    props = schema["properties"]
    assert props["name"] == {"description": "A name.", "const": "fixed"}
    assert props["size"] == {"type": "integer", "description": "A size.", "minimum": 1, "maximum": 10, "default": 1}
    assert props["mode"]["enum"] == ["fast", "slow"]
    assert "from" in props and "source" not in props
    task = schema["$defs"]["Task"]
    assert task["anyOf"][1]["required"] == ["action"]
    assert schema["required"] == ["name"]


def test_a_reporter_quotes_the_line_with_tabs_kept_under_the_caret():
    reporter = Reporter("t.yaml", "a:\n\tb: 1\n")
    reporter.error(2, 2, "a.b", "is odd")
    assert reporter.diagnostics[0].format().splitlines()[-1].endswith("|  \t^".replace("  ", " "))


# -- dates ------------------------------------------------------------------------------------------

@record("A plan with a date.")
class Plan:
    due: Date | None = spec("By when.", default=None)
    steps: tuple[Task, ...] = spec("Steps.", default=())
    days: tuple[Date, ...] = spec("Days.", default=())


def convert_plan(text: str):
    loaded = parse_yaml(text, "p.yaml")
    converter = Converter(loaded.reporter)
    return converter.convert(loaded.root, Plan), [d.headline() for d in loaded.reporter.diagnostics]


@pytest.mark.parametrize("written", ["2025-04-15", "'2025-04-15'", '"2025-04-15"'])
def test_a_date_is_kept_as_written_whether_yaml_read_it_as_a_date_or_a_text(written):
    value, problems = convert_plan(f"due: {written}\n")
    assert problems == []
    assert value.due == "2025-04-15" and type(value.due) is str


def test_a_leap_day_is_a_date_and_a_lone_date_is_a_one_item_list():
    value, problems = convert_plan("due: 2024-02-29\ndays: 2025-01-31\n")
    assert problems == [] and value.due == "2024-02-29" and value.days == ("2025-01-31",)


@pytest.mark.parametrize(
    "written, expected",
    [
        ("next week", "p.yaml:1:6: error: due: 'next week' is not a date; write it as YYYY-MM-DD, e.g. 2025-04-15"),
        ("2025-13-45", "p.yaml:1:6: error: due: '2025-13-45' is not a date (there is no month 13); "
                       "write it as YYYY-MM-DD, e.g. 2025-04-15"),
        ("2025-02-29", "p.yaml:1:6: error: due: '2025-02-29' is not a date (February 2025 has 28 days); "
                       "write it as YYYY-MM-DD, e.g. 2025-04-15"),
        ("0000-01-01", "p.yaml:1:6: error: due: '0000-01-01' is not a date (there is no year 0); "
                       "write it as YYYY-MM-DD, e.g. 2025-04-15"),
        ("2025-4-5", "p.yaml:1:6: error: due: '2025-4-5' is not written as YYYY-MM-DD; write it as 2025-04-05"),
        ("15/04/2025", "p.yaml:1:6: error: due: '15/04/2025' is not a date; write it as YYYY-MM-DD, e.g. 2025-04-15"),
        ("2025-04-15 09:30:00", "p.yaml:1:6: error: due: '2025-04-15 09:30:00' is not a date; "
                                "write it as YYYY-MM-DD, e.g. 2025-04-15"),
        ("20250415", "p.yaml:1:6: error: due: '20250415' is not a date; write it as YYYY-MM-DD, e.g. 2025-04-15"),
        ("minggu depan", "p.yaml:1:6: error: due: 'minggu depan' is not a date; "
                         "write it as YYYY-MM-DD, e.g. 2025-04-15"),
        ("الأسبوع القادم", "p.yaml:1:6: error: due: 'الأسبوع القادم' is not a date; "
                           "write it as YYYY-MM-DD, e.g. 2025-04-15"),
        ("٢٠٢٥-٠٤-١٥", "p.yaml:1:6: error: due: '٢٠٢٥-٠٤-١٥' is not written in the digits 0-9; write it as 2025-04-15"),
        ("''", "p.yaml:1:6: error: due: is empty; write a date as YYYY-MM-DD, e.g. 2025-04-15, or leave the field out"),
        ("[2025-04-15]", "p.yaml:1:6: error: due: expected a date (YYYY-MM-DD), got a list"),
    ],
)
def test_anything_but_a_date_is_refused_with_the_form_to_write(written, expected):
    value, problems = convert_plan(f"due: {written}\n")
    assert value is INVALID
    assert problems == [expected]


def test_the_json_schema_and_the_reference_call_a_date_a_date():
    props = json_schema(Plan)["properties"]
    date = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    assert props["due"] == {"anyOf": [date, {"type": "null"}], "description": "By when."}
    table = reference_markdown(Plan)
    assert "| `due` | date (YYYY-MM-DD) |  | By when. |" in table


# -- a lone value where a list belongs ---------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("steps: Call back\n", 'p.yaml:1:8: error: steps: expected a list, got the text \'Call back\'; '
                               'write each item on a line of its own, starting with "- ", as in "- Call back"'),
        ("steps: Hubungi pelanggan kembali dalam dua puluh empat jam kerja\n",
         'p.yaml:1:8: error: steps: expected a list, got the text '
         '\'Hubungi pelanggan kembali dalam dua pul…\'; write each item on a line of its own, starting with '
         '"- ", as in "- Hubungi pelanggan kembali dalam dua pul…"'),
        ("steps: 3\n", 'p.yaml:1:8: error: steps: expected a list, got the number 3; '
                       'write each item on a line of its own, starting with "- "'),
        ("steps: {action: Call back}\n", "p.yaml:1:8: error: steps: expected a list, got a mapping"),
    ],
)
def test_a_lone_value_where_a_list_of_records_belongs_is_an_error(text, expected):
    value, problems = convert_plan(text)
    assert value is INVALID
    assert problems == [expected]


def test_only_a_list_of_plain_values_may_be_written_as_one_value_in_the_json_schema():
    props = json_schema(Plan)["properties"]
    assert props["steps"] == {"type": "array", "items": {"$ref": "#/$defs/Task"}, "description": "Steps."}
    assert props["days"]["anyOf"][1]["format"] == "date"
    assert json_schema(Sample)["properties"]["tags"]["anyOf"][1] == {"type": ["string", "number"]}
