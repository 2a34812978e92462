"""The README's generated parts and set-up commands stay true."""

from __future__ import annotations

import re

import cxviz
from cxviz.document import Document
from cxviz.registry import kind_names
from cxviz.schema import reference_markdown

from .conftest import ROOT

README = ROOT / "README.md"
SECTIONS = ["document", *kind_names()]


def generated(name: str) -> str:
    return reference_markdown(Document) if name == "document" else cxviz.reference(name)


def test_the_spec_reference_is_generated_from_the_declarations(request):
    text = README.read_text(encoding="utf-8")
    update = request.config.getoption("--update-goldens")
    for name in SECTIONS:
        pattern = re.compile(rf"(<!-- reference:{name} -->\n)(.*?)(<!-- /reference:{name} -->)", re.S)
        match = pattern.search(text)
        assert match, f"README has no reference block for {name}"
        if update:
            text = pattern.sub(lambda m: m.group(1) + "\n" + generated(name) + "\n" + m.group(3), text)
        else:
            assert match.group(2).strip() == generated(name).strip(), (
                f"README reference for {name} is stale; run pytest --update-goldens"
            )
    if update:
        README.write_text(text, encoding="utf-8")


def test_ci_runs_exactly_the_readme_test_command():
    readme = README.read_text(encoding="utf-8")
    command = "bash .ci/setup --test && .venv/bin/python -m pytest"
    assert command in readme
    assert command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash .ci/setup && .venv/bin/cxviz render samples -o build/samples" in readme


def test_every_picture_in_the_readme_exists():
    for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text(encoding="utf-8")):
        assert (ROOT / target).is_file(), target


def test_the_python_examples_run_as_written_in_order(tmp_path, monkeypatch, capsys):
    import shutil

    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- python-api -->\n```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 3, "README lost its Python API examples"
    shutil.copytree(ROOT / "samples", tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)
    printed = capsys.readouterr().out
    assert "unknown option 'papr'" in printed and "samples/journey-bank.yaml:" in printed
    assert (tmp_path / "out" / "topup.png").read_bytes().startswith(b"\x89PNG")
    assert "whys-checkout.yaml: 0 added, 1 changed, 0 removed, 0 moved" in printed
    assert "http://127.0.0.1:" in printed and "\nflowchart " in namespace["flow"]
    assert namespace["notes"].startswith("kind: journey\n") and 'why "Saved cards expire in the mobile app"' in namespace["outline"]
    assert "cxviz-diff-changed" in namespace["marked"]
    assert namespace["tidy"] == (tmp_path / "samples" / "whys-checkout.yaml").read_text(encoding="utf-8")
