"""Reading spec files: every structural problem is reported with its position."""

from __future__ import annotations

import pytest

from cxviz.limits import Limits
from cxviz.loading import parse_yaml, read_source


def headlines(source) -> list[str]:
    return [d.headline() for d in source.reporter.diagnostics]


def test_a_valid_mapping_parses_with_no_diagnostics():
    source = parse_yaml("kind: whys\ntitle: T\n", "a.yaml")
    assert source.root is not None
    assert headlines(source) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "a.yaml:1:1: error: the file is empty; a spec starts with 'kind:'"),
        ("   \n\n", "a.yaml:1:1: error: the file is empty; a spec starts with 'kind:'"),
        ("# only a comment\n", "a.yaml:1:1: error: the file holds no content; a spec starts with 'kind:'"),
        ("- a\n- b\n", "a.yaml:1:1: error: the top level must be a mapping starting with 'kind:'"),
        ("just text\n", "a.yaml:1:1: error: the top level must be a mapping starting with 'kind:'"),
        ("kind: whys\n---\nkind: persona\n", "a.yaml:3:1: error: holds several YAML documents; write one spec per file"),
        ("kind: whys\ntitle: [unclosed\n", "a.yaml:3:1: error: invalid YAML: expected ',' or ']', but got the end "
         "of the file while parsing a flow sequence that starts at line 2, column 8"),
        ("kind: whys\nwhys:\n\t- a\n", "a.yaml:3:1: error: invalid YAML: tabs cannot indent YAML; use spaces"),
    ],
)
def test_structural_problems_are_reported_at_their_position(text, expected):
    source = parse_yaml(text, "a.yaml")
    assert source.root is None
    assert headlines(source) == [expected]


def test_duplicate_keys_are_errors_naming_the_first_line_and_full_path():
    text = "kind: whys\ntitle: T\nwhys:\n  - because: a\n    evidence: x\n    evidence: y\ntitle: U\n"
    source = parse_yaml(text, "a.yaml")
    assert headlines(source) == [
        "a.yaml:7:1: error: title: duplicate key (first written on line 2); YAML would keep only the last one",
        "a.yaml:6:5: error: whys[0].evidence: duplicate key (first written on line 5); YAML would keep only the last one",
    ]


def test_the_source_line_and_a_caret_are_printed_under_the_headline():
    source = parse_yaml("kind: whys\ntitle: T\ntitle: U\n", "a.yaml")
    assert source.reporter.diagnostics[0].format() == (
        "a.yaml:3:1: error: title: duplicate key (first written on line 2); YAML would keep only the last one\n"
        "    3 | title: U\n"
        "      | ^"
    )


def test_merge_keys_are_flattened_into_the_mapping():
    text = "base: &b {owner: Ops}\nkind: whys\nfix:\n  <<: *b\n  action: A\n"
    source = parse_yaml(text, "a.yaml")
    assert headlines(source) == []
    fix = dict((k.value, v) for k, v in source.root.value)["fix"]
    assert sorted(k.value for k, _ in fix.value) == ["action", "owner"]


def test_an_alias_bomb_stops_at_the_node_limit():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("kind: whys")
    source = parse_yaml("\n".join(lines) + "\n", "bomb.yaml", Limits(max_yaml_nodes=10_000))
    assert source.root is None
    assert "has more than 10,000 YAML values" in headlines(source)[0]


def test_nesting_deeper_than_the_limit_is_refused():
    text = "kind: whys\nx: " + "[" * 80 + "]" * 80 + "\n"
    source = parse_yaml(text, "deep.yaml")
    assert source.root is None
    assert headlines(source) == ["deep.yaml:2:67: error: nests deeper than 64 levels"]


def test_files_are_read_as_utf8_with_or_without_a_bom(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffkind: whys\ntitle: Café\n".encode("utf-8"))
    source = read_source(path)
    assert headlines(source) == []
    assert source.root is not None


def test_invalid_utf8_names_the_line_column_and_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"kind: whys\ntitle: Caf\xe9\n")
    source = read_source(path)
    assert headlines(source) == [f"{path}:2:11: error: is not valid UTF-8 (byte 0xe9); save it as UTF-8"]


def test_utf16_is_refused_with_advice(tmp_path):
    path = tmp_path / "utf16.yaml"
    path.write_bytes("kind: whys\n".encode("utf-16"))
    assert headlines(read_source(path)) == [f"{path}:1:1: error: is UTF-16 encoded; save it as UTF-8"]


def test_missing_and_oversized_files(tmp_path):
    assert headlines(read_source(tmp_path / "nope.yaml")) == [f"{tmp_path / 'nope.yaml'}: error: no such file"]
    big = tmp_path / "big.yaml"
    big.write_text("kind: whys\n" + "# padding\n" * 200, encoding="utf-8")
    assert headlines(read_source(big, Limits(max_file_bytes=1000))) == [
        f"{big}: error: is larger than the limit of 1,000 bytes"
    ]
    assert headlines(read_source(tmp_path)) == [f"{tmp_path}: error: is a directory, not a spec file"]


def test_nesting_that_would_exhaust_the_parser_is_refused_not_crashed():
    text = "kind: whys\nx: " + "[" * 50_000 + "]" * 50_000 + "\n"
    source = parse_yaml(text, "deep.yaml")
    assert source.root is None
    # The 65th level: the root mapping is the first, the list after "x: " the second.
    assert headlines(source) == ["deep.yaml:2:67: error: nests deeper than 64 levels"]
