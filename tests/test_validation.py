"""Validation of whole specs: kind, header, and errors from referenced files."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import cxviz
from cxviz.registry import kind_names

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
    assert "v.yaml:3:7: warning: lang: no built-in words for 'xx' (have ar, en, id); using English" in found


def test_warnings_do_not_stop_a_spec_from_loading():
    spec = cxviz.loads(WHYS)
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
