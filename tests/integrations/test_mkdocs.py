"""The MkDocs plugin: real sites built with the mkdocs command."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cxviz.integrations.mkdocs import find_diagrams

from . import WHYS

FLOW = """\
kind: userflow
title: Password reset
nodes:
  - {id: start, type: entry, label: Taps Forgot password}
  - {id: form, label: Enter your email}
  - {id: done, type: end, outcome: success, label: Signed in again}
paths:
  - [start, form, done]
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")


def mkdocs_build(root: Path, plugin: str = "  - cxviz\n") -> subprocess.CompletedProcess:
    config = root / "mkdocs.yml"
    if not config.exists():
        config.write_text(f"site_name: Diagrams\nplugins:\n  - search\n{plugin}", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config)],
                          cwd=root, capture_output=True, text=True, timeout=120)


def fence(spec: str) -> str:
    return "```cxviz\n" + spec + "```\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    write(root, {
        "docs/diagrams/flow.yaml": FLOW,
        "specs/outside.yaml": WHYS.replace("Late deliveries", "Slow refunds"),
        "docs/index.md": "# Home\n\nA tree:\n\n" + fence(WHYS) + "\nA flow from a file:\n\n"
                         "![cxviz](diagrams/flow.yaml)\n\nA spec outside docs_dir:\n\n"
                         + fence("file: ../specs/outside.yaml\n")
                         + "\n````markdown\n```cxviz\nnot: drawn\n```\n![cxviz](not/drawn.yaml)\n````\n",
        "docs/guide/more.md": "# More\n\n![cxviz](/diagrams/flow.yaml)\n\n![cxviz](diagrams/flow.yaml)\n",
    })
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    return root


def ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def test_fenced_specs_and_spec_files_become_inline_svgs(site):
    html = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3
    assert "<?xml" not in html
    for index in (1, 2, 3):
        assert f'aria-labelledby="cxviz-index-{index}-cxviz-title cxviz-index-{index}-cxviz-desc"' in html
    assert '<title id="cxviz-index-1-cxviz-title">Late deliveries</title>' in html
    assert ">The cut&#45;off moved to 3 pm<" in html or ">The cut-off moved to 3 pm<" in html
    assert '<title id="cxviz-index-2-cxviz-title">Password reset</title>' in html
    assert '<title id="cxviz-index-3-cxviz-title">Slow refunds</title>' in html
    # A cxviz block shown as code inside another fence is left alone.
    assert "![cxviz](not/drawn.yaml)" in html and "not: drawn" in html


def test_diagrams_sharing_a_page_have_distinct_ids(site):
    for page in ("index.html", "guide/more/index.html"):
        html = (site / "site" / page).read_text(encoding="utf-8")
        found = ids(html)
        assert len(found) == len(set(found)), page
    more = (site / "site" / "guide/more/index.html").read_text(encoding="utf-8")
    titles = re.findall(r'<title id="(cxviz-[^"]+)">Password reset</title>', more)
    assert len(titles) == 2 and titles[0] != titles[1]
    assert all(t.startswith("cxviz-guide-more-") for t in titles)


def test_the_font_is_written_once_for_the_site_and_linked_from_every_page(site):
    css = list((site / "site" / "assets").glob("cxviz-*.css"))
    assert len(css) == 1
    text = css[0].read_text(encoding="utf-8")
    assert text.count("@font-face") == 2  # regular and bold
    assert ".cxviz-diagram svg{" in text
    for page in ("index.html", "guide/more/index.html"):
        html = (site / "site" / page).read_text(encoding="utf-8")
        assert css[0].name in html
        assert "@font-face" not in html  # not in every SVG, nor in the search index
    assert "@font-face" not in (site / "site" / "search" / "search_index.json").read_text(encoding="utf-8")


def test_a_rebuild_gives_the_same_pages(site):
    def page() -> str:
        html = (site / "site" / "index.html").read_text(encoding="utf-8")
        return re.sub(r"Build Date UTC : [^\n]*", "", html)

    before = page()
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    assert page() == before


def test_a_spec_error_fails_the_build_at_the_page_line_and_column(tmp_path):
    broken = "kind: journey\ntitle: Bank\nstages:\n  - name: Join\n    steps:\n      - action: Opens the app\n" \
             "        emotion: 7\n"
    write(tmp_path, {"docs/index.md": "---\ntitle: Home\n---\n# Home\n\nText.\n\n" + fence(broken)
                     + "\n![cxviz](missing.yaml)\n"})
    result = mkdocs_build(tmp_path)
    assert result.returncode != 0
    # Line 8 holds the fence (after three lines of front matter); the spec's line 7 is the page's line 15.
    assert "docs/index.md:15:18: error: stages[0].steps[0].emotion: 7 is outside the scale -2..2" in result.stderr
    assert "docs/index.md:18:10: error: missing.yaml: file not found" in result.stderr
    assert "Aborted with a BuildError" in result.stdout + result.stderr


def test_an_error_in_a_spec_file_is_reported_in_that_file(tmp_path):
    write(tmp_path, {"docs/index.md": "# Home\n\n![cxviz](bad.yaml)\n",
                     "docs/bad.yaml": "kind: whys\ntitle: x\nproblem: y\nwhys:\n  - becuase: z\n"})
    result = mkdocs_build(tmp_path)
    assert result.returncode != 0
    assert "docs/bad.yaml:5:5: error: whys[0].becuase: unknown field 'becuase'; did you mean 'because'?" in result.stderr
    assert "docs/index.md:3: note: the diagram is drawn here" in result.stderr


def test_strict_makes_a_warning_fail_the_build(tmp_path):
    one_why = "kind: whys\ntitle: x\nproblem: y\nwhys:\n  - because: z\n"  # stops short of a root cause
    write(tmp_path, {"docs/index.md": "# Home\n\n" + fence(one_why)})
    relaxed = mkdocs_build(tmp_path)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "docs/index.md:8:14: warning: whys[0].because:" in relaxed.stderr
    (tmp_path / "mkdocs.yml").unlink()
    strict = mkdocs_build(tmp_path, plugin="  - cxviz:\n      strict: true\n      embed_font: false\n")
    assert strict.returncode != 0
    assert "docs/index.md:8:14: warning: whys[0].because:" in strict.stderr


def test_find_diagrams_skips_other_code_and_reads_both_reference_forms():
    page = textwrap.dedent("""\
        ~~~
        ```cxviz
        kind: whys
        ```
        ~~~
        ```cxviz
        file: "a b.yaml"
        ```
        ![cxviz](<c d.yaml>)
            ```cxviz
            kind: whys
            ```
        """)
    blocks = find_diagrams(page)
    assert [(b.line, b.path, b.text) for b in blocks] == [
        (6, "a b.yaml", None), (9, "c d.yaml", None), (10, None, "kind: whys\n")]
    assert (blocks[0].path_line, blocks[0].path_column) == (7, 7)
    assert blocks[2].indent == "    "
