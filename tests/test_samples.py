"""Every sample validates, renders, fits, and matches its golden SVG."""

from __future__ import annotations

import subprocess
import sys

import pytest

import cxviz
from cxviz.registry import kind_names

from .conftest import ROOT, sample_files

SAMPLES = sample_files()


@pytest.fixture(scope="module")
def rendered():
    """All samples rendered in one batch, as the CLI does."""
    specs = [cxviz.load(path) for path in SAMPLES]
    return dict(zip(SAMPLES, cxviz.render_svgs(specs)))


def test_there_are_at_least_two_samples_of_every_kind_in_three_languages():
    specs = [cxviz.load(path) for path in SAMPLES]
    for kind in kind_names():
        assert sum(s.kind.name == kind for s in specs) >= 2, kind
    assert {s.model.lang for s in specs} >= {"en", "id", "ar"}
    assert any(s.model.type == "service-blueprint" for s in specs if s.kind.name == "journey")


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_validates_without_errors(path):
    errors = [d for d in cxviz.check(path) if d.is_error]
    assert errors == []


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_renders_to_its_golden_svg(path, rendered, golden):
    svg = rendered[path]
    assert isinstance(svg, str), svg
    golden(f"{path.stem}.svg", svg)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_no_text_overflows_its_box(path, layout_warnings):
    """Graphviz warns when a label does not fit its fixed-size cell or node."""
    assert layout_warnings(cxviz.load(path)) == ()


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_svg_stands_alone(path, rendered):
    svg = rendered[path]
    assert '<title id="cxviz-title">' in svg and '<desc id="cxviz-desc">' in svg
    assert "@font-face" in svg
    assert str(ROOT) not in svg and "<!--" not in svg
    assert "xlink:href=\"/" not in svg and 'href="file:' not in svg


def test_a_render_in_another_process_gives_the_same_bytes(tmp_path, rendered):
    out = tmp_path / "out"
    completed = subprocess.run(
        [sys.executable, "-m", "cxviz", "render", str(ROOT / "samples"), "-o", str(out), "-q"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    for path in SAMPLES:
        assert (out / f"{path.stem}.svg").read_text(encoding="utf-8") == rendered[path], path.name


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_prints_on_its_default_paper_and_on_a4(path):
    import io

    from pypdf import PdfReader

    from cxviz.api import render_pdf
    from cxviz.printing.paper import MM

    spec = cxviz.load(path)
    for paper in (None, "A4"):
        reader = PdfReader(io.BytesIO(render_pdf(spec, paper=paper)))
        assert len(reader.pages) >= 1
        sizes = {tuple(sorted((round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM))))
                 for p in reader.pages}
        assert len(sizes) == 1
        if paper == "A4":
            assert sizes == {(210, 297)}
        assert reader.metadata.title == spec.model.title


def test_pdfs_rendered_in_two_processes_are_identical(tmp_path):
    outputs = []
    for run in ("one", "two"):
        out = tmp_path / run
        completed = subprocess.run(
            [sys.executable, "-m", "cxviz", "render", str(ROOT / "samples"), "-o", str(out), "-q",
             "--format", "pdf", "--no-cache"],
            capture_output=True, text=True, cwd=ROOT,
        )
        assert completed.returncode == 0, completed.stderr
        outputs.append({p.name: p.read_bytes() for p in sorted(out.glob("*.pdf"))})
    assert len(outputs[0]) == len(SAMPLES)
    assert outputs[0] == outputs[1]
