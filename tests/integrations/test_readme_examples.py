"""The README's MkDocs and Sphinx examples, built exactly as shown, with warnings as errors.

Each example is the fenced block after a ``<!-- example:NAME -->`` line in
README.md. Their spec files are the repository's own samples, copied next
to the page as ``samples/``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

#: A marker line, then a fence of three or more backticks (or tildes), its body, and the same fence.
_EXAMPLE = re.compile(r"^<!-- example:(?P<name>[\w.-]+) -->\n(?P<fence>`{3,}|~{3,})[^\n]*\n(?P<body>.*?)^(?P=fence)$",
                      re.S | re.M)


def readme_examples() -> dict[str, str]:
    """Every marked example block of the README, by name."""
    text = README.read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for match in _EXAMPLE.finditer(text):
        assert match["name"] not in found, f"README.md marks two examples {match['name']!r}"
        found[match["name"]] = match["body"]
    markers = re.findall(r"<!-- example:([\w.-]+) -->", text)
    assert sorted(markers) == sorted(found), (
        f"README.md: an example marker is not followed by a fenced block: {sorted(set(markers) - set(found))}"
    )
    return found


def example(name: str) -> str:
    examples = readme_examples()
    assert name in examples, f"README.md has no <!-- example:{name} --> block (found: {', '.join(examples) or 'none'})"
    assert examples[name].strip(), f"README.md's example {name!r} is empty"
    return examples[name]


def test_the_examples_are_found_and_whole():
    assert example("mkdocs.yml").startswith("# mkdocs.yml\n")
    assert "- cxviz:" in example("mkdocs.yml")
    page = example("mkdocs-page")
    assert page.count("```cxviz") == 2 and "![cxviz](" in page
    assert example("conf.py").startswith("# conf.py\n")
    assert example("sphinx-page").count(".. cxviz::") == 2


def with_samples(folder: Path) -> None:
    """The repository's samples (and their photos) beside the page, where the examples look for them."""
    shutil.copytree(ROOT / "samples", folder / "samples")


def test_the_mkdocs_example_builds_under_strict(tmp_path):
    pytest.importorskip("mkdocs")
    (tmp_path / "mkdocs.yml").write_text(example("mkdocs.yml"), encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(example("mkdocs-page"), encoding="utf-8")
    with_samples(docs)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(tmp_path / "mkdocs.yml")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3


def test_the_sphinx_example_builds_under_W(tmp_path):
    pytest.importorskip("sphinx")
    from sphinx.cmd.build import build_main

    (tmp_path / "conf.py").write_text(example("conf.py"), encoding="utf-8")
    (tmp_path / "index.rst").write_text(example("sphinx-page"), encoding="utf-8")
    with_samples(tmp_path)
    warnings = tmp_path / "warnings.txt"
    status = build_main(["-q", "-W", "--keep-going", "-b", "html", "-w", str(warnings),
                         str(tmp_path), str(tmp_path / "_build")])
    shown = warnings.read_text(encoding="utf-8") if warnings.exists() else ""
    assert status == 0 and not shown.strip(), shown
    html = (tmp_path / "_build" / "index.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 2
