"""The command line: commands, outputs, exit codes, and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cxviz.cli import main

ROOT = Path(__file__).resolve().parent.parent
WHYS = "kind: whys\ntitle: Late\nproblem: Orders arrive late\nwhys:\n  - because: Couriers leave late\n    root: true\n"


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "late.yaml"
    path.write_text(WHYS, encoding="utf-8")
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_kinds_lists_the_five_kinds(capsys):
    code, out, _ = run(capsys, "kinds")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["journey", "empathy", "persona", "whys", "userflow"]


def test_version(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("cxviz 0.")


@pytest.mark.parametrize("command", ["validate", "render", "init", "schema", "kinds"])
def test_every_command_has_help_with_an_example(capsys, command):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert "example" in capsys.readouterr().out


def test_render_writes_next_to_the_spec_by_default(capsys, spec):
    code, _, err = run(capsys, "render", str(spec))
    assert code == 0
    svg = spec.with_suffix(".svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "Couriers leave late" in svg
    assert f"{spec} -> {spec.with_suffix('.svg')}" in err


def test_render_to_stdout_and_from_stdin(capsys, spec, monkeypatch):
    code, out, _ = run(capsys, "render", str(spec), "-o", "-")
    assert code == 0 and out.startswith("<?xml")
    monkeypatch.setattr(sys, "stdin", open(spec, encoding="utf-8"))
    code, out, _ = run(capsys, "render", "-", "--format", "dot")
    assert code == 0 and out.startswith('digraph whys {')


def test_render_a_folder_mirrors_it_into_the_output_folder(capsys, tmp_path):
    source = tmp_path / "specs"
    (source / "team").mkdir(parents=True)
    (source / "a.yaml").write_text(WHYS, encoding="utf-8")
    (source / "team" / "b.yaml").write_text(WHYS, encoding="utf-8")
    code, _, err = run(capsys, "render", str(source), "-o", str(tmp_path / "out"))
    assert code == 0
    assert (tmp_path / "out" / "a.svg").is_file() and (tmp_path / "out" / "team" / "b.svg").is_file()
    assert "rendered 2 of 2 specs" in err


def test_a_bad_spec_in_a_batch_is_reported_and_the_others_still_render(capsys, tmp_path):
    (tmp_path / "good.yaml").write_text(WHYS, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("kind: whys\ntitle: T\n", encoding="utf-8")
    code, _, err = run(capsys, "render", str(tmp_path), "-o", str(tmp_path / "out"))
    assert code == 1
    assert (tmp_path / "out" / "good.svg").is_file() and not (tmp_path / "out" / "bad.svg").exists()
    assert "bad.yaml:1:1: error: problem: required field is missing" in err


def test_render_never_writes_over_its_input(capsys, spec):
    code, _, err = run(capsys, "render", str(spec), "-o", str(spec))
    assert code == 2
    assert "refusing to write over an input spec" in err
    assert spec.read_text(encoding="utf-8") == WHYS


def test_validate_exit_codes_and_json_errors(capsys, spec, tmp_path):
    assert run(capsys, "validate", str(spec))[0] == 0
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: whys\ntitle: T\nproblem: P\nwhys:\n  - because: B\n    rooot: true\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", "--error-format", "json", str(broken))
    assert code == 1
    assert json.loads(err.splitlines()[0]) == {
        "file": str(broken), "line": 6, "column": 5, "field": "whys[0].rooot",
        "severity": "error", "message": "unknown field 'rooot'; did you mean 'root'?",
    }


def test_strict_turns_warnings_into_failure(capsys, tmp_path):
    path = tmp_path / "short.yaml"
    path.write_text(WHYS, encoding="utf-8")  # a one-why chain: a warning
    assert run(capsys, "validate", str(path))[0] == 0
    assert run(capsys, "validate", "--strict", str(path))[0] == 1


def test_usage_errors_exit_2(capsys, tmp_path):
    with pytest.raises(SystemExit) as exited:
        main(["render"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit) as exited:
        main(["schema", "mindmap"])
    assert exited.value.code == 2
    assert "unknown kind 'mindmap' (must be one of journey, empathy, persona, whys, userflow)" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, "render", str(empty))[0] == 2


def test_missing_file_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 1 and "nope.yaml: error: no such file" in err


@pytest.mark.parametrize("kind", ["journey", "empathy", "persona", "whys", "userflow"])
def test_init_writes_a_starter_that_validates_and_renders(capsys, tmp_path, kind):
    target = tmp_path / f"{kind}.yaml"
    assert run(capsys, "init", kind, "--lang", "id", "-o", str(target))[0] == 0
    assert "lang: id" in target.read_text(encoding="utf-8")
    assert run(capsys, "render", str(target))[0] == 0
    assert run(capsys, "init", kind, "-o", str(target))[0] == 2  # will not overwrite without --force


@pytest.mark.parametrize("kind", ["journey", "empathy", "persona", "whys", "userflow"])
def test_schema_prints_a_json_schema_pinned_to_the_kind(capsys, kind):
    code, out, _ = run(capsys, "schema", kind)
    schema = json.loads(out)
    assert code == 0
    assert schema["properties"]["kind"]["const"] == kind
    assert "title" in schema["required"]


def test_the_installed_command_runs_and_never_shows_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"kind: whys\ntitle: \xff\xfe\n")
    completed = subprocess.run(
        [sys.executable, "-m", "cxviz", "render", str(bad)], capture_output=True, text=True, cwd=ROOT
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert "is not valid UTF-8" in completed.stderr
