"""The command line: commands, outputs, exit codes, and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cxviz.cli import main
from cxviz.registry import kind_names

ROOT = Path(__file__).resolve().parent.parent
# The first chain stops after one why without reaching a root cause: one warning.
WHYS = ("kind: whys\ntitle: Late\nproblem: Orders arrive late\nwhys:\n  - because: Couriers leave late\n"
        "  - because: Vans are full\n    root: true\n")


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
    assert [line.split()[0] for line in out.splitlines()] == kind_names()


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
    assert f"unknown kind 'mindmap' (must be one of {', '.join(kind_names())})" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, "render", str(empty))[0] == 2


def test_missing_file_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 1 and "nope.yaml: error: no such file" in err


@pytest.mark.parametrize("kind", kind_names())
def test_init_writes_a_starter_that_validates_and_renders(capsys, tmp_path, kind):
    target = tmp_path / f"{kind}.yaml"
    assert run(capsys, "init", kind, "--lang", "id", "-o", str(target))[0] == 0
    assert "lang: id" in target.read_text(encoding="utf-8")
    assert run(capsys, "render", str(target))[0] == 0
    assert run(capsys, "init", kind, "-o", str(target))[0] == 2  # will not overwrite without --force


@pytest.mark.parametrize("kind", kind_names())
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


# -- one command line: --lang, --strict, -q, JSON on stderr, --help --------------------------

FRENCH = "cxviz: warning: --lang: no built-in words for 'fr' (have ar, en, id, jv); using English"


def test_the_lang_warning_is_the_one_a_spec_gets():
    import cxviz

    found = [d.message for d in cxviz.checks(WHYS.replace("title: Late\n", "title: Late\nlang: fr\n"))
             if d.field == "lang"]
    assert found == [FRENCH.split("--lang: ", 1)[1]]


def test_render_lang_overrides_the_specs_language(capsys, spec):
    code, _, err = run(capsys, "render", str(spec), "--lang", "id", "--no-cache")
    assert code == 0, err
    svg = spec.with_suffix(".svg").read_text(encoding="utf-8")
    assert 'xml:lang="id"' in svg and "AKAR MASALAH" in svg  # the root cause's caption, in Indonesian
    spec.write_text(WHYS.replace("title: Late\n", "title: Late\nlang: ar\n"), encoding="utf-8")
    assert run(capsys, "render", str(spec), "--lang", "en", "--no-cache")[0] == 0
    svg = spec.with_suffix(".svg").read_text(encoding="utf-8")
    assert 'xml:lang="en"' in svg and "ROOT CAUSE" in svg


def test_render_lang_is_part_of_what_the_cache_remembers(capsys, spec, tmp_path):
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert run(capsys, "render", str(spec), *cache)[0] == 0
    code, _, err = run(capsys, "render", str(spec), "--lang", "id", *cache)
    assert code == 0 and "(cached)" not in err
    assert 'xml:lang="id"' in spec.with_suffix(".svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["render", "canvas", "init", "pack"])
def test_an_unknown_language_warns_alike_and_fails_under_strict(capsys, spec, tmp_path, command):
    target = tmp_path / ("out.svg" if command == "render" else "out.yaml" if command == "init" else "out.pdf")
    first = {"render": [str(spec)], "canvas": ["whys"], "init": ["whys"], "pack": [str(spec)]}[command]
    argv = [command, *first, "--lang", "fr", "-o", str(target)]
    code, out, err = run(capsys, *argv, "--strict")
    assert code == 1
    assert err.splitlines()[0] == FRENCH
    assert not target.exists()
    if command in ("render", "init"):  # canvas and pack print a PDF: the warning path is the same
        code, _, err = run(capsys, *argv)
        assert code == 0
        assert err.splitlines()[0] == FRENCH
        assert target.is_file()


def test_a_lang_that_is_no_language_tag_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["init", "whys", "--lang", "en\nkind: journey"])
    assert exited.value.code == 2
    assert "argument --lang: 'en\\nkind: journey' is not a language tag (such as en, id, ar or pt-BR)" \
        in capsys.readouterr().err


def _boom(*args, **kwargs):
    raise RuntimeError("boom")


@pytest.fixture
def whys_cannot_be_drawn(monkeypatch):
    """The whys kind, with a graph builder that fails as a bug would."""
    import dataclasses

    from cxviz import registry

    real = registry._load

    def load(name):
        kind = real(name)
        return dataclasses.replace(kind, build_graph=_boom) if name == "whys" else kind

    monkeypatch.setattr(registry, "_load", load)


def test_json_errors_are_the_only_lines_on_stderr(capsys, tmp_path):
    folder = tmp_path / "specs"
    folder.mkdir()
    (folder / "a.yaml").write_text(WHYS, encoding="utf-8")
    (folder / "b.yaml").write_text(WHYS.replace("    root: true\n", ""), encoding="utf-8")
    (folder / "c.yaml").write_text("kind: whys\ntitle: T\n", encoding="utf-8")
    code, out, err = run(capsys, "render", str(folder), "-o", str(tmp_path / "out"), "--error-format", "json",
                         "--lang", "fr")
    assert code == 1 and out == ""
    found = [json.loads(line) for line in err.splitlines()]
    assert [(Path(d["file"]).name, d["line"], d["field"], d["severity"]) for d in found] == [
        ("", 0, "--lang", "warning"),
        ("a.yaml", 5, "whys[0].because", "warning"),
        ("b.yaml", 5, "whys[0].because", "warning"),
        ("b.yaml", 6, "whys[1].because", "warning"),
        ("b.yaml", 5, "whys", "warning"),
        ("c.yaml", 1, "problem", "error"),
        ("c.yaml", 1, "whys", "error"),
    ]
    assert found[0]["message"] == FRENCH.split("--lang: ", 1)[1]
    assert (tmp_path / "out" / "a.svg").is_file() and (tmp_path / "out" / "b.svg").is_file()
    # The same run again comes from the cache, and still says nothing but JSON.
    code, out, err = run(capsys, "render", str(folder / "a.yaml"), str(folder / "b.yaml"), "-o",
                         str(tmp_path / "out"), "--error-format", "json", "--lang", "fr")
    assert code == 0 and out == ""
    assert all(json.loads(line) for line in err.splitlines())


def test_a_diagram_that_cannot_be_drawn_is_a_json_error(capsys, spec, whys_cannot_be_drawn):
    code, out, err = run(capsys, "render", str(spec), "--error-format", "json", "--no-cache", "-j", "1")
    assert code == 1 and out == ""
    found = [json.loads(line) for line in err.splitlines()]  # the spec's warning, then the failure
    assert [d["severity"] for d in found] == ["warning", "error"]
    assert found[1] == {
        "file": str(spec), "line": 0, "column": 0, "field": "", "severity": "error",
        "message": "could not be drawn (RuntimeError: boom); this is a bug in cxviz, please report it",
    }
    code, _, err = run(capsys, "render", str(spec), "--no-cache", "-j", "1")
    assert code == 1
    assert err.endswith(
        f"\n{spec}: error: could not be drawn (RuntimeError: boom); this is a bug in cxviz, please report it\n")


def test_command_line_errors_are_json_too(capsys, spec, tmp_path):
    code, out, err = run(capsys, "render", str(spec), "-o", str(spec), "--error-format", "json")
    assert code == 2 and out == ""
    assert json.loads(err) == {"file": "", "line": 0, "column": 0, "field": "", "severity": "error",
                               "message": f"{spec}: refusing to write over an input spec"}
    code, out, err = run(capsys, "pack", str(tmp_path / "c.yaml"), "-o", str(tmp_path / "p.pdf"),
                         "--error-format", "json")
    assert code == 1 and out == ""
    assert [json.loads(line)["message"] for line in err.splitlines()] == ["no such file"]


def test_every_command_that_writes_a_file_says_so(capsys, tmp_path, spec):
    canvas = tmp_path / "wall.pdf"
    code, _, err = run(capsys, "canvas", "whys", "-o", str(canvas))
    assert code == 0 and canvas.read_bytes().startswith(b"%PDF")
    assert err == f"cxviz: whys canvas -> {canvas}\n"
    starter = tmp_path / "new.yaml"
    assert run(capsys, "init", "whys", "-o", str(starter))[2] == f"cxviz: whys starter spec -> {starter}\n"
    schema = tmp_path / "whys.schema.json"
    assert run(capsys, "schema", "whys", "-o", str(schema))[2] == f"cxviz: whys JSON Schema -> {schema}\n"
    assert run(capsys, "render", str(spec))[2].endswith(f"\n{spec} -> {spec.with_suffix('.svg')}\n")
    # -q, and standard output, say nothing.
    assert run(capsys, "init", "whys", "-o", str(starter), "--force", "-q")[1:] == ("", "")
    assert run(capsys, "schema", "whys", "-q", "-o", str(schema))[2] == ""
    assert run(capsys, "init", "whys")[2] == ""


@pytest.mark.parametrize("command", ["render", "canvas", "pack", "init", "schema"])
def test_help_lists_the_kinds_papers_and_languages(capsys, command):
    from cxviz.locale import available_languages

    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    if command in ("canvas", "init", "schema"):
        assert f"KIND the diagram kind: {', '.join(kind_names()[:-1])} or {kind_names()[-1]}" in text
        assert all(name in text for name in kind_names())
    if command in ("render", "canvas", "pack"):
        assert "--paper SIZE A4, A3, A2, A1, A0, Letter or Tabloid" in text
    if command != "schema":
        assert f"{', '.join(available_languages()[:-1])} or {available_languages()[-1]}" in text
        assert "ar, en, id or jv" in text


def test_help_is_quick_to_load(tmp_path):
    """--help names the kinds, papers and languages without loading the printing modules."""
    code = (
        "import sys, cxviz.cli\n"
        "try:\n    cxviz.cli.main(['canvas', '--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('weasyprint', 'jinja2', 'pypdf', 'PIL', 'fontTools')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True)
    assert result.stderr.strip() == "[]"
    assert "Letter or Tabloid" in result.stdout
