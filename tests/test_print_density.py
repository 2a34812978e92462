"""Printed canvases keep body text at the floor (7 pt unless told), measured in the real PDFs.

The dense specs in ``tests/dense/`` are written as teams write them: a
300-step journey in Indonesian and in English, a 72-step journey in Arabic, a
service blueprint with every lane full of long sentences, 45-step user flows
in Indonesian and English and a branching 5 Whys tree in Arabic. Each prints on its kind's paper and on
A4: its smallest body text is at the floor or larger, or, where nothing can
keep it there, the spec carries a warning naming the size it prints at.

Sizes are read from the PDF itself: every text drawn at the diagrams' body
size (13 pt in its own drawing) is followed through the transformations
that place it on the sheet, form XObjects included.
"""

from __future__ import annotations

import io
import math
import re
import subprocess
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

import cxviz
from cxviz.api import render_pdf
from cxviz.cli import main
from cxviz.printing.paper import MM, frame_for, paper
from cxviz.printing.planning import DIAGRAM_BODY_PT, MIN_TEXT_PT, PAPER_LADDER

from .conftest import ROOT

DENSE = ROOT / "tests" / "dense"
FLOOR = MIN_TEXT_PT
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


# -- reading printed sizes from a PDF ------------------------------------------------------------

def _mul(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _scale(m) -> float:
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def body_sizes(data: bytes, own: float = DIAGRAM_BODY_PT) -> list[list[float]]:
    """For each page, the printed size (points) of every visible text drawn at ``own`` points in its drawing."""
    reader = PdfReader(io.BytesIO(data))
    pages = []
    for page in reader.pages:
        found: list[float] = []
        _walk(page.get_contents(), page.get("/Resources"), _IDENTITY, reader, found, own, 0)
        pages.append(found)
    return pages


def _walk(content, resources, ctm, reader, found, own, depth) -> None:
    if content is None or depth > 4:
        return
    resources = resources.get_object() if resources is not None else {}
    forms = resources.get("/XObject", {})
    forms = forms.get_object() if forms else {}
    stack, tm, size, mode = [], _IDENTITY, 0.0, 0
    stream = content if isinstance(content, ContentStream) else ContentStream(content, reader)
    for operands, op in stream.operations:
        if op == b"q":
            stack.append((ctm, size, mode))
        elif op == b"Q" and stack:
            ctm, size, mode = stack.pop()
        elif op == b"cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)
        elif op == b"BT":
            tm = _IDENTITY
        elif op == b"Tm":
            tm = tuple(float(v) for v in operands)
        elif op == b"Td":
            tm = _mul((1, 0, 0, 1, float(operands[0]), float(operands[1])), tm)
        elif op == b"Tf":
            size = float(operands[1])
        elif op == b"Tr":
            mode = int(operands[0])
        elif op in (b"Tj", b"TJ", b"'", b'"') and mode != 3:  # mode 3 draws nothing
            if abs(size * _scale(tm) - own) < 0.01:
                found.append(size * _scale(_mul(tm, ctm)))
        elif op == b"Do" and operands[0] in forms:
            form = forms[operands[0]].get_object()
            if form.get("/Subtype") == "/Form":
                matrix = tuple(float(v) for v in form.get("/Matrix", _IDENTITY))
                _walk(ContentStream(form, reader), form.get("/Resources"), _mul(matrix, ctm), reader, found, own,
                      depth + 1)


def page_sizes_mm(data: bytes) -> set[tuple[int, int]]:
    return {(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM))
            for p in PdfReader(io.BytesIO(data)).pages}


def floor_warnings(spec) -> list:
    return [d for d in spec.warnings if "pt floor" in d.message]


def printed_figure(message: str) -> float:
    return float(re.search(r"prints body text at ([0-9.]+) pt", message).group(1))


# -- the dense specs, printed once each -----------------------------------------------------------

CASES = [
    ("journey-300-steps-id", None),
    ("journey-300-steps-id", "A4"),
    ("journey-300-steps-en", None),
    ("journey-dense-ar", None),
    ("journey-dense-ar", "A4"),
    ("blueprint-dense-en", None),
    ("blueprint-dense-en", "A4"),
    ("userflow-45-steps-id", None),
    ("userflow-45-steps-id", "A4"),
    ("userflow-checkout-45-steps", None),
    ("userflow-checkout-45-steps", "A4"),
    ("whys-branching-ar", None),
    ("whys-branching-ar", "A4"),
]


@pytest.fixture(scope="module")
def printed():
    """Each case's spec, PDF bytes and seconds taken, rendered on first use."""
    done: dict = {}

    def get(name: str, paper_name: str | None):
        if (name, paper_name) not in done:
            spec = cxviz.load(DENSE / f"{name}.yaml")
            start = time.perf_counter()
            data = render_pdf(spec, paper=paper_name)
            done[(name, paper_name)] = spec, data, time.perf_counter() - start
        return done[(name, paper_name)]

    return get


@pytest.mark.parametrize(("name", "paper_name"), CASES, ids=[f"{n}-{p or 'default'}" for n, p in CASES])
def test_body_text_keeps_the_floor_or_a_warning_names_the_size(printed, name, paper_name):
    spec, data, _ = printed(name, paper_name)
    sizes = body_sizes(data)
    if paper_name and not sizes[0]:
        # A paper too small for the floor: the canvas that keeps it, tiled, each page after its sheet map.
        sizes = [page for page in sizes if page]
    assert all(sizes), "a page without body text to measure"
    smallest = min(min(page) for page in sizes)
    warned = floor_warnings(spec)
    if smallest >= FLOOR - 0.01:
        assert not warned, warned
    else:
        # Nothing could keep the floor: on the paper asked for, or on the largest sheet there is.
        assert len(warned) == 1, (smallest, spec.warnings)
        assert abs(printed_figure(warned[0].message) - smallest) < 0.06, (warned[0].message, smallest)
        assert f"below the {FLOOR:g} pt floor" in warned[0].message
        if paper_name is None:
            largest = paper(PAPER_LADDER[-1])
            assert page_sizes_mm(data) <= {(round(largest.width), round(largest.height)),
                                           (round(largest.height), round(largest.width))}
    if paper_name:
        sheet = paper(paper_name)
        assert page_sizes_mm(data) <= {(round(sheet.width), round(sheet.height)),
                                       (round(sheet.height), round(sheet.width))}


def test_a_300_step_journey_prints_at_the_floor_on_a3_in_seconds(printed):
    spec, data, seconds = printed("journey-300-steps-id", None)
    sizes = body_sizes(data)
    assert page_sizes_mm(data) == {(420, 297)}  # its kind's paper, turned to print it on fewest pages
    assert min(min(page) for page in sizes) >= FLOOR
    # As few pages as the floor allows: at 7 pt an A3 page holds at most 10 of its 196 pt steps.
    assert 30 <= len(sizes) <= 42
    # Pages are filled: their text is near the floor, not scaled up on a half-empty page.
    assert sorted(min(page) for page in sizes)[len(sizes) // 2] < FLOOR * 1.25
    assert seconds < 30, f"{seconds:.1f} s"  # a few seconds on the project's machine; CI machines vary
    reader = PdfReader(io.BytesIO(data))
    assert "Kesadaran (lanjutan)" in reader.pages[1].extract_text()


def test_a_blueprint_too_tall_for_a4_prints_on_a3_tiled_across_a4_sheets(printed):
    spec, data, _ = printed("blueprint-dense-en", "A4")
    assert not floor_warnings(spec)
    reader = PdfReader(io.BytesIO(data))
    assert "A3 portrait on" in reader.pages[0].extract_text() and "Cut along the dashed lines" in (
        reader.pages[0].extract_text())
    assert page_sizes_mm(data) <= {(210, 297), (297, 210)}
    assert min(min(page) for page in body_sizes(data)[1:] if page) >= FLOOR - 0.01


def test_a_paper_asked_for_with_a_tile_keeps_it_and_names_the_sheet_that_keeps_the_floor():
    spec = cxviz.load(DENSE / "blueprint-dense-en.yaml")
    render_pdf(spec, paper="A4", tile="A4")
    [warning] = floor_warnings(spec)
    assert warning.field == "paper" and warning.line == 0
    assert "on A4, below the 7 pt floor; A3 keeps it: --paper A3, or --paper A3 --tile A4" in warning.message


def test_a_flow_too_wide_for_a0_says_so(printed):
    spec, _, _ = printed("userflow-45-steps-id", None)
    [warning] = floor_warnings(spec)
    assert "on A0, below the 7 pt floor, and would even on the largest sheet" in warning.message


# -- journeys split between steps -----------------------------------------------------------------

def _pages(name: str, paper_name: str = "a3", orientation: str = "landscape", floor: float = FLOOR):
    from cxviz.locale import catalogue
    from cxviz.printing.planning import PageFit
    from cxviz.registry import RenderContext

    spec = cxviz.load(DENSE / f"{name}.yaml" if "/" not in name else ROOT / name)
    frame = frame_for(paper(paper_name).oriented(orientation))
    fit = PageFit(frame.area_w * MM, frame.area_h * MM, 72.0, floor / DIAGRAM_BODY_PT)
    context = RenderContext(catalogue(spec.model.lang), spec.base_dir, {"framed": True})
    return spec, spec.kind.paginate(spec.model, context, fit)


@pytest.mark.parametrize("name", ["journey-300-steps-en", "journey-dense-ar"])
def test_every_step_is_on_exactly_one_page_and_a_split_stage_says_it_continues(name):
    spec, pages = _pages(name)
    model = spec.model
    steps = [f"stages.{i}.steps.{j}" for i, stage in enumerate(model.stages) for j in range(len(stage.steps))]
    seen: list[str] = []
    continued = 0
    for page in pages:
        ids = {element.id for element in page.scene}
        seen += [step for step in steps if step in ids]
        first_stage = next(element for element in page.scene.with_role("stage"))
        index = int(first_stage.id.split(".")[1])
        first_step = min(int(e.id.split(".")[3]) for e in page.scene.with_role("step")
                         if e.id.startswith(f"stages.{index}.steps."))
        if first_step > 0:
            continued += 1
            word = {"en": "(continued)", "ar": "(تابع)"}[model.lang]
            assert word in page.source  # after the stage's name, which may wrap
    assert sorted(seen) == sorted(steps) and len(seen) == len(steps)
    assert continued > 0  # stages longer than a page are cut between their steps
    # Only the first page carries the persona card.
    assert ["persona" in {e.id for e in page.scene} for page in pages] == [True] + [False] * (len(pages) - 1)


def test_short_stages_share_a_page_and_pages_are_measured_before_they_are_drawn():
    spec, pages = _pages("samples/journey-grocery.yaml")  # five stages of two steps, on two pages
    stages_on = [len(list(page.scene.with_role("stage"))) for page in pages]
    assert len(pages) < len(spec.model.stages) and max(stages_on) >= 3
    for page, (width, height) in zip(pages, pages.sizes):
        bb = re.search(r'bb="0,0,([0-9.]+),([0-9.]+)"', page.source)
        assert (float(bb.group(1)), float(bb.group(2))) == pytest.approx((width, height), abs=0.01)


def test_a_lower_floor_takes_fewer_pages():
    _, at_floor = _pages("journey-300-steps-en")
    _, lower = _pages("journey-300-steps-en", floor=5.0)
    assert len(lower) < len(at_floor)


# -- the option and the command line ---------------------------------------------------------------

def test_the_floor_is_an_option_checked_like_the_others():
    assert cxviz.Options().min_text_pt == MIN_TEXT_PT
    assert cxviz.Options(min_text_pt=9).min_text_pt == 9
    for bad in (0, -3, 100, "7", True):
        with pytest.raises(cxviz.OptionError, match="min_text_pt must be a size in points from 1 to 72"):
            cxviz.Options(min_text_pt=bad)


def test_a_forced_paper_and_tile_below_the_floor_warn_and_strict_writes_nothing(tmp_path, capsys):
    spec = DENSE / "whys-branching-ar.yaml"
    out = tmp_path / "whys.pdf"
    assert main(["render", str(spec), "--format", "pdf", "--paper", "A4", "--tile", "A4", "-o", str(out), "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert "warning: paper: prints body text at 6.4 pt on A4, below the 7 pt floor; A3 keeps it" in err
    assert out.exists()
    out.unlink()
    assert main(["render", str(spec), "--format", "pdf", "--paper", "A4", "--tile", "A4", "-o", str(out), "--strict"]) == 1
    assert "below the 7 pt floor" in capsys.readouterr().err
    assert not out.exists()
    # A lower floor accepts it.
    assert main(["render", str(spec), "--format", "pdf", "--paper", "A4", "--tile", "A4", "-o", str(out), "--min-text", "6",
                 "--strict", "--no-cache"]) == 0
    assert "floor" not in capsys.readouterr().err and out.exists()


def test_a_warned_canvas_is_not_served_from_the_cache_to_a_strict_run(tmp_path, capsys):
    spec, cache = DENSE / "whys-branching-ar.yaml", tmp_path / "cache"
    out = tmp_path / "whys.pdf"
    argv = ["render", str(spec), "--format", "pdf", "--paper", "A4", "--tile", "A4", "-o", str(out), "--cache-dir", str(cache)]
    assert main(argv) == 0
    out.unlink()
    assert main([*argv, "--strict"]) == 1 and not out.exists()
    assert "below the 7 pt floor" in capsys.readouterr().err


def test_a_pack_under_strict_is_not_written_when_a_canvas_is_below_the_floor(tmp_path, capsys):
    out = tmp_path / "pack.pdf"
    specs = [str(DENSE / "whys-branching-ar.yaml"), str(ROOT / "samples" / "persona-omar.yaml")]
    # No sheet up to A0 prints this tree's body text at 30 pt.
    assert main(["pack", *specs, "--paper", "A4", "--min-text", "30", "-o", str(out), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "below the 30 pt floor" in err and "not written" in err and not out.exists()
    assert main(["pack", *specs, "--paper", "A4", "-o", str(out), "--min-text", "6", "--strict", "-q"]) == 0
    assert out.exists()


# -- the header stays above its rule ------------------------------------------------------------------

LONG_HEADER = """\
kind: empathy
cxviz: 1
title: "{title}"
lang: {lang}
version: "12.4-rc.3"
date: 2025-03-20
authors: [{authors}]
who: "{who}"
says: ["{says}"]
"""

HEADERS = {
    "id": dict(
        title="Memahami pengalaman pedagang pasar tradisional yang beralih ke pembayaran digital QRIS di Jawa "
              "Tengah dan Daerah Istimewa Yogyakarta selama tahun pertama penggunaan",
        authors="Tim Riset Pengalaman Pelanggan Divisi Pembayaran Digital, Lembaga Penelitian Ekonomi Kerakyatan "
                "Universitas Gadjah Mada, Konsultan Desain Layanan Independen",
        who="Pedagang sayur dan bumbu dapur di Pasar Beringharjo yang menerima pembayaran QRIS sejak 2024 namun "
            "masih menyimpan uang tunai di kaleng",
        says="Pembeli sekarang lebih suka scan daripada bayar tunai"),
    "ar": dict(
        title="لماذا يتصل العملاء بخط الدعم أكثر من مرة خلال ثمانٍ وأربعين ساعة بعد حظر بطاقاتهم الائتمانية "
              "والمدينة بسبب الاشتباه في عمليات احتيال عبر الإنترنت والهاتف؟",
        authors="فريق تجربة العملاء في إدارة الخدمات المصرفية للأفراد, مركز الاتصال الرئيسي في الرياض, "
                "إدارة مكافحة الاحتيال",
        who="عميل يسافر كثيرًا للعمل بين الرياض ودبي ولندن ويستخدم بطاقته الائتمانية في الحجوزات والمطاعم",
        says="لماذا تُرفض بطاقتي كلما سافرت؟"),
}


def _words(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """Every word pdftotext finds on the first page: text, left, top, right, bottom in points."""
    html = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [(text, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, text in
            re.findall(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>',
                       html)]


@pytest.mark.parametrize("paper_name", ["A4", "A3"])
@pytest.mark.parametrize("lang", ["id", "ar"])
def test_long_header_values_stay_above_the_rule_and_dates_keep_their_order(tmp_path, lang, paper_name):
    path = tmp_path / "long.yaml"
    path.write_text(LONG_HEADER.format(lang=lang, **HEADERS[lang]), encoding="utf-8")
    spec = cxviz.load(path)
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_pdf(spec, paper=paper_name, orientation="landscape"))
    frame = frame_for(paper(paper_name).oriented("landscape"))
    rule = (frame.margin + frame.header) * MM
    words = _words(pdf)
    header = [word for word in words if word[2] < rule]
    crossing = [word for word in header if word[4] > rule + 0.5]
    assert not crossing, crossing
    texts = [word[0] for word in header]
    # Every field is there, the date and version whole and in order, even on a right-to-left page.
    assert "2025-03-20" in texts and "12.4-rc.3" in texts
    footer = [word[0] for word in words if word[2] > frame.height * MM - (frame.margin + frame.footer) * MM]
    assert "2025-03-20" in footer and "12.4-rc.3" in footer
    assert "20-03-2025" not in " ".join(word[0] for word in words)
