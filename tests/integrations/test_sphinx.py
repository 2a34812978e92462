"""The Sphinx extension: real projects built with sphinx-build."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from sphinx.cmd.build import build_main

from . import WHYS

CONF = 'project = "Diagrams"\nextensions = ["cxviz.integrations.sphinx"]\n'


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def sphinx_build(root: Path, *options: str, builder: str = "html") -> tuple[int, str]:
    """Build the project; the exit status and the warnings and errors it printed."""
    warnings = root / "warnings.txt"
    status = build_main(["-q", "-b", builder, "-w", str(warnings), *options, str(root), str(root / "_build" / builder)])
    return status, warnings.read_text(encoding="utf-8") if warnings.exists() else ""


def indented(spec: str) -> str:
    return textwrap.indent(spec, "   ")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sphinx")
    write(root, {
        "conf.py": CONF,
        "diagrams/slow.yaml": WHYS.replace("Late deliveries", "Slow refunds"),
        "index.rst": "Home\n====\n\n.. toctree::\n\n   guide/more\n\nA spec file:\n\n"
                     ".. cxviz:: diagrams/slow.yaml\n\nA spec in the page:\n\n.. cxviz::\n\n" + indented(WHYS),
        "guide/more.rst": "More\n====\n\n.. cxviz:: /diagrams/slow.yaml\n\n.. cxviz:: ../diagrams/slow.yaml\n",
    })
    status, warnings = sphinx_build(root)
    assert status == 0, warnings
    return root


def ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def test_both_forms_become_inline_svgs(project):
    html = (project / "_build" / "html" / "index.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 2
    assert "<?xml" not in html
    assert 'aria-labelledby="cxviz-index-1-cxviz-title cxviz-index-1-cxviz-desc"' in html
    assert '<title id="cxviz-index-1-cxviz-title">Slow refunds</title>' in html
    assert '<title id="cxviz-index-2-cxviz-title">Late deliveries</title>' in html
    assert "Couriers collect after the cut" in html


def test_diagrams_sharing_a_page_have_distinct_ids_and_one_font(project):
    for page in ("index.html", "guide/more.html"):
        html = (project / "_build" / "html" / page).read_text(encoding="utf-8")
        found = ids(html)
        assert len(found) == len(set(found)), page
        assert html.count("<style>") == 1 and html.count("@font-face") == 2  # regular and bold, once
    more = (project / "_build" / "html" / "guide" / "more.html").read_text(encoding="utf-8")
    titles = re.findall(r'<title id="([^"]+)">Slow refunds</title>', more)
    assert len(set(titles)) == 2 and all(t.startswith("cxviz-guide-more-") for t in titles)


def test_editing_the_spec_file_rebuilds_the_page(tmp_path):
    write(tmp_path, {"conf.py": CONF, "index.rst": "Home\n====\n\n.. cxviz:: slow.yaml\n", "slow.yaml": WHYS})
    assert sphinx_build(tmp_path)[0] == 0
    (tmp_path / "slow.yaml").write_text(WHYS.replace("Late deliveries", "Refunds take a week"), encoding="utf-8")
    status, warnings = sphinx_build(tmp_path)  # the same output folder: an incremental build
    assert status == 0, warnings
    assert ">Refunds take a week</title>" in (tmp_path / "_build" / "html" / "index.html").read_text(encoding="utf-8")


def test_other_builders_leave_diagrams_out(project):
    status, warnings = sphinx_build(project, builder="text")
    assert status == 0, warnings
    text = (project / "_build" / "text" / "index.txt").read_text(encoding="utf-8")
    assert "A spec in the page:" in text and "<svg" not in text


def test_a_spec_error_is_a_sphinx_error_at_the_document_line(tmp_path):
    broken = "kind: journey\ntitle: Bank\nstages:\n  - name: Join\n    steps:\n      - action: Opens the app\n" \
             "        emotion: 7\n"
    write(tmp_path, {"conf.py": CONF,
                     "index.rst": "Home\n====\n\nText.\n\n.. cxviz::\n\n" + indented(broken) + "\n.. cxviz:: nope.yaml\n"})
    status, warnings = sphinx_build(tmp_path, "-W")
    assert status != 0
    index = tmp_path / "index.rst"
    # The directive's content starts on line 8: the spec's line 7 is the document's line 14.
    assert f"{index}:14: ERROR: stages[0].steps[0].emotion: 7 is outside the scale -2..2" in warnings
    assert "   14 |            emotion: 7\n      |                     ^" in warnings
    assert f"{index}:16: ERROR: cxviz: nope.yaml: no such spec file" in warnings


def test_an_error_in_a_spec_file_is_reported_in_that_file(tmp_path):
    write(tmp_path, {"conf.py": CONF, "index.rst": "Home\n====\n\n.. cxviz:: bad.yaml\n",
                     "bad.yaml": "kind: whys\ntitle: x\nproblem: y\nwhys:\n  - becuase: z\n"})
    status, warnings = sphinx_build(tmp_path, "-W")
    assert status != 0
    assert f"{tmp_path / 'bad.yaml'}:5: ERROR: whys[0].becuase: unknown field 'becuase'; did you mean 'because'?" \
        in warnings
