"""Rendering folders: several formats, worker processes, the cache, progress lines."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from cxviz.cli import Progress, main

from .conftest import SAMPLES


@pytest.fixture
def tree(tmp_path):
    """A copy of a journey, its persona (with photo) and a 5 Whys, in a nested folder."""
    specs = tmp_path / "specs"
    (specs / "team" / "photos").mkdir(parents=True)
    shutil.copy(SAMPLES / "journey-grocery.yaml", specs / "team")
    shutil.copy(SAMPLES / "persona-dewi.yaml", specs / "team")
    shutil.copy(SAMPLES / "photos" / "dewi.png", specs / "team" / "photos")
    shutil.copy(SAMPLES / "whys-checkout.yaml", specs)
    return specs


def render(capsys, *argv):
    code = main(["render", *argv])
    return code, capsys.readouterr().err


def test_several_formats_into_a_mirrored_tree_with_workers(capsys, tmp_path, tree):
    out = tmp_path / "out"
    code, err = render(capsys, str(tree), "-o", str(out), "--format", "svg,dot", "--jobs", "2",
                       "--cache-dir", str(tmp_path / "cache"))
    assert code == 0, err
    for name in ("team/journey-grocery", "team/persona-dewi", "whys-checkout"):
        assert (out / f"{name}.svg").read_text(encoding="utf-8").startswith("<?xml")
        assert (out / f"{name}.dot").read_text(encoding="utf-8").startswith("digraph")
    assert "rendered 3 of 3 specs (0 from the cache)" in err


def test_an_unchanged_tree_comes_from_the_cache_and_a_changed_reference_does_not(capsys, tmp_path, tree):
    args = [str(tree), "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")]
    assert render(capsys, *args)[0] == 0
    first = (tmp_path / "out" / "team" / "journey-grocery.svg").read_bytes()
    code, err = render(capsys, *args)
    assert code == 0 and "rendered 3 of 3 specs (3 from the cache)" in err
    assert "journey-grocery.yaml -> " in err and "(cached)" in err
    # The journey draws its persona: changing the persona file must re-render the journey.
    persona = tree / "team" / "persona-dewi.yaml"
    persona.write_text(persona.read_text(encoding="utf-8").replace("Dewi Lestari", "Dewi Anggraini"),
                       encoding="utf-8")
    code, err = render(capsys, *args)
    assert code == 0 and "(1 from the cache)" in err
    second = (tmp_path / "out" / "team" / "journey-grocery.svg").read_bytes()
    assert second != first and b"Dewi Anggraini" in second
    assert "(0 from the cache)" in render(capsys, *args, "--no-cache")[1]


def test_bad_specs_fail_alone_with_json_diagnostics(capsys, tmp_path, tree):
    (tree / "broken.yaml").write_text("kind: whys\ntitle: T\nproblem: P\nwhys: []\n", encoding="utf-8")
    code, err = render(capsys, str(tree), "-o", str(tmp_path / "out"), "--error-format", "json", "--no-cache")
    assert code == 1
    problems = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert problems == [{"file": str(tree / "broken.yaml"), "line": 4, "column": 7, "field": "whys",
                         "severity": "error", "message": 'needs at least one answer to "why?"'}]
    assert (tmp_path / "out" / "whys-checkout.svg").is_file()
    # JSON on the stream means only JSON: no progress lines, no summary.
    assert all(line.startswith("{") for line in err.splitlines())


def test_an_output_that_did_not_change_is_not_rewritten(capsys, tmp_path, tree):
    out = tmp_path / "out"
    render(capsys, str(tree / "whys-checkout.yaml"), "-o", str(out) + "/", "--no-cache")
    target = out / "whys-checkout.svg"
    before = target.stat().st_mtime_ns
    render(capsys, str(tree / "whys-checkout.yaml"), "-o", str(out) + "/", "--no-cache")
    assert target.stat().st_mtime_ns == before


def test_progress_is_a_line_per_file_in_logs_and_a_bar_on_a_terminal(monkeypatch):
    log = io.StringIO()
    progress = Progress(2, stream=log)
    progress.step("a.yaml -> a.svg", "a.yaml")
    progress.step("b.yaml -> b.svg", "b.yaml")
    assert log.getvalue() == "a.yaml -> a.svg\nb.yaml -> b.svg\n"

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("CI", raising=False)
    screen = Terminal()
    progress = Progress(2, stream=screen)
    progress.step("a.yaml -> a.svg", "a.yaml")
    progress.log("a warning")
    progress.close()
    assert "[###############...............] 1/2 a.yaml" in screen.getvalue()
    assert "a warning\n" in screen.getvalue()


def test_a_missing_file_in_a_batch_is_reported_not_skipped(capsys, tmp_path, tree):
    missing = str(tree / "gone.yaml")
    code, err = render(capsys, str(tree / "whys-checkout.yaml"), missing, "-o", str(tmp_path / "out"),
                       "--error-format", "json", "--no-cache")
    assert code == 1
    assert [json.loads(line) for line in err.splitlines()] == [
        {"file": missing, "line": 0, "column": 0, "field": "", "severity": "error", "message": "no such file"}]
