"""The public API: one options record, one entry point, one batch, cxviz's own errors, examples that run."""

from __future__ import annotations

import ast
import dataclasses
import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import cxviz
from cxviz import Options

from .conftest import ROOT

SAMPLES = ROOT / "samples"


def test_the_command_line_imports_nothing_but_the_public_api():
    tree = ast.parse((ROOT / "cxviz" / "cli.py").read_text(encoding="utf-8"))
    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("cxviz")):
            imported.append((node.module, sorted(alias.name for alias in node.names)))
        elif isinstance(node, ast.Import):
            assert not [a.name for a in node.names if a.name.startswith("cxviz")]
    assert imported == [(None, ["__version__", "api"])]
    # Every name the command line takes from the API is one the API declares public.
    used = set(re.findall(r"\bapi\.(\w+)", (ROOT / "cxviz" / "cli.py").read_text(encoding="utf-8")))
    assert used <= set(cxviz.api.__all__), used - set(cxviz.api.__all__)


def test_a_misspelt_option_is_an_error_that_lists_the_options():
    with pytest.raises(cxviz.OptionError) as caught:
        Options(papr="a4")
    names = ", ".join(field.name for field in dataclasses.fields(Options))
    assert str(caught.value) == f"unknown option 'papr' (did you mean 'paper'?); the options are: {names}"
    assert names.startswith("lang, ") and names.endswith(", templates, limits")
    with pytest.raises(cxviz.OptionError, match="unknown option 'colour'"):
        cxviz.render(cxviz.load(SAMPLES / "whys-checkout.yaml"), "svg", colour="red")


def test_options_are_frozen_and_checked():
    options = Options(paper="A3", scale=2)
    with pytest.raises(AttributeError):
        options.paper = "A4"  # type: ignore[misc]
    assert options.replace(paper="A4").paper == "A4" and options.paper == "A3"
    with pytest.raises(cxviz.OptionError, match=r"unknown paper 'A7'"):
        Options(paper="A7")
    with pytest.raises(cxviz.OptionError, match=r"scale must be from 0.25 to 12.5"):
        Options(scale=40)
    with pytest.raises(cxviz.OptionError, match="orientation must be portrait or landscape"):
        Options(orientation="sideways")


def test_one_entry_point_renders_every_format():
    spec = cxviz.load(SAMPLES / "whys-checkout.yaml")
    assert cxviz.render(spec).startswith("<?xml")
    assert cxviz.render(spec, "dot").startswith("digraph whys {")
    assert cxviz.render(spec, "png", Options(scale=0.5)).startswith(b"\x89PNG")
    assert cxviz.render(spec, "pdf", paper="A4").startswith(b"%PDF")
    with pytest.raises(cxviz.OptionError, match="unknown format 'jpg'; the formats are: svg, png, pdf, dot"):
        cxviz.render(spec, "jpg")


def test_lang_draws_cxviz_words_in_another_language():
    spec = cxviz.load(SAMPLES / "whys-checkout.yaml")
    svg = cxviz.render(spec, lang="id", embed_font=False)
    assert 'xml:lang="id"' in svg and "MASALAH" in svg


def test_the_file_batch_writes_reports_and_keeps_one_bad_file_from_stopping_the_rest(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: whys\ntitle: T\nproblem: P\nwhys: []\n", encoding="utf-8")
    sources = [SAMPLES / "whys-checkout.yaml", bad, SAMPLES / "persona-dewi.yaml"]
    targets = [{"svg": str(tmp_path / f"{i}.svg"), "png": str(tmp_path / f"{i}.png")} for i in range(3)]
    seen = []
    results = cxviz.render_files(sources, ("svg", "png"), targets=targets, options=Options(scale=0.5),
                                 cache=tmp_path / "cache", jobs=1, on_result=lambda r: seen.append(r.source))
    assert [r.source for r in results] == [str(s) for s in sources] and sorted(seen) == sorted(map(str, sources))
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].diagnostics[0].headline().endswith('whys: needs at least one answer to "why?"')
    assert (tmp_path / "0.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert (tmp_path / "2.png").read_bytes().startswith(b"\x89PNG") and not (tmp_path / "1.svg").exists()
    again = cxviz.render_files(sources[:1], ("svg",), cache=tmp_path / "cache", jobs=1)
    assert again[0].cached and again[0].outputs["svg"] == (tmp_path / "0.svg").read_bytes()


def test_no_bare_lookup_or_value_error_leaves_the_api():
    for call in (lambda: cxviz.schema("nope"), lambda: cxviz.reference("nope"), lambda: cxviz.starter("nope"),
                 lambda: cxviz.render_blank("nope"), lambda: cxviz.language_warning("en\nkind: x")):
        with pytest.raises(cxviz.CxvizError):
            call()
    with pytest.raises(cxviz.OptionError) as caught:
        cxviz.schema("jouney")
    assert str(caught.value) == ("unknown kind 'jouney' (did you mean 'journey'?); "
                                 "the kinds are: journey, empathy, persona, whys, userflow")
    from cxviz.access import AccessError
    from cxviz.images import ImageError

    assert issubclass(AccessError, cxviz.CxvizError) and issubclass(ImageError, cxviz.CxvizError)
    spec = cxviz.load(SAMPLES / "whys-checkout.yaml")
    with pytest.raises(cxviz.PathError, match="the nearest path is whys"):
        spec.where("whyz[0]")


def _modules_with_examples():
    for info in pkgutil.walk_packages(cxviz.__path__, "cxviz."):
        if info.name.startswith("cxviz.integrations."):
            continue  # they import MkDocs or Sphinx; their docs hold no examples
        path = Path(importlib.util.find_spec(info.name).origin)
        if ">>> " in path.read_text(encoding="utf-8"):
            yield info.name


@pytest.mark.parametrize("name", sorted(_modules_with_examples()))
def test_docstring_examples_run(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed
