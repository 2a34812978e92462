"""Filled canvases, packs and tiles: page sizes and counts, real text, stable bytes."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

import cxviz
from cxviz.api import render_blank, render_pack, render_pdf
from cxviz.printing.paper import MM, paper

from ..conftest import SAMPLES

WHYS = SAMPLES / "whys-checkout.yaml"


def pages(data: bytes):
    return PdfReader(io.BytesIO(data)).pages


def size_mm(page) -> tuple[int, int]:
    return round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)


def squash(text: str) -> str:
    """Text without spacing, presentation forms or vowel marks (PDF extraction varies in all three)."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Mn")


def contains(pdf_text: str, phrase: str) -> bool:
    """Whether the extracted text holds ``phrase``.

    Graphviz writes right-to-left words in visual order, so for those each
    word may come out reversed.
    """
    text = squash(pdf_text)
    if squash(phrase) in text:
        return True
    words = [squash(w) for w in phrase.split()]
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in phrase) and all(
        w in text or w[::-1] in text for w in words
    )


def test_a_filled_canvas_has_the_spec_text_metadata_and_footer():
    spec = cxviz.load(WHYS)
    data = render_pdf(spec)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    assert size_mm(reader.pages[0]) in ((297, 420), (420, 297))
    text = reader.pages[0].extract_text()
    for phrase in ("Why do mobile customers abandon checkout?", "Customers have to type their card details",
                   "ROOT CAUSE", "Ownership of shared components", "Head of engineering",
                   "Digital CX team", "Page 1 / 1", "1.2 · 2025-02-14"):
        assert contains(text, phrase), phrase
    info = reader.metadata
    assert info.title == "Why do mobile customers abandon checkout?"
    assert info.author == "Digital CX team"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/CreationDate" not in info and "/ModDate" not in info


@pytest.mark.parametrize("name, sheet", [("A4", (297, 210)), ("A2", (594, 420)), ("Letter", (279, 216))])
def test_paper_and_orientation_are_honoured(name, sheet):
    data = render_pdf(cxviz.load(WHYS), paper=name, orientation="landscape")
    assert size_mm(pages(data)[0]) == sheet


def test_arabic_and_indonesian_canvases_carry_their_text():
    arabic = pages(render_pdf(cxviz.load(SAMPLES / "whys-card-block.yaml")))[0].extract_text()
    assert contains(arabic, "لماذا يتصل العملاء بخط الدعم أكثر من مرة؟")  # the page header
    assert contains(arabic, "لا تصل رسالة تأكيد بعد رفع الحظر")  # a node of the diagram
    assert contains(arabic, "صفحة ١ / ١")
    indonesian = pages(render_pdf(cxviz.load(SAMPLES / "whys-delivery.yaml")))[0].extract_text()
    assert contains(indonesian, "Kontrak pemasok dibuat sebelum slot pagi diluncurkan")
    assert contains(indonesian, "Halaman 1 / 1")


def test_two_renders_give_the_same_bytes():
    spec = cxviz.load(SAMPLES / "whys-card-block.yaml")
    assert render_pdf(spec) == render_pdf(spec)
    assert render_blank("empathy", lang="id") == render_blank("empathy", lang="id")


def test_a_tiled_a0_poster_on_a4_sheets():
    data = render_pdf(cxviz.load(WHYS), paper="A0", orientation="landscape", tile="A4")
    sheets = pages(data)
    # 1189 x 841 mm in 287 x 200 mm steps (10 mm overlap): 5 columns x 5 rows, after the sheet map.
    assert len(sheets) == 1 + 25
    assert {size_mm(s) for s in sheets} == {(297, 210)}
    assert contains(sheets[0].extract_text(), "A1") and contains(sheets[0].extract_text(), "E5")
    assert "A1" in sheets[1].extract_text() and "E5" in sheets[25].extract_text()


def test_a_pack_has_a_cover_and_each_spec_on_its_own_sheet():
    specs = [cxviz.load(SAMPLES / "persona-maya.yaml"), cxviz.load(WHYS)]
    data = render_pack(specs, title="Kick-off")
    sheets = pages(data)
    assert len(sheets) == 3
    cover = sheets[0].extract_text()
    assert contains(cover, "Kick-off") and contains(cover, "Maya Thompson") or contains(cover, specs[0].model.title)
    assert size_mm(sheets[0]) == (210, 297)
    assert size_mm(sheets[1]) == (210, 297)  # a persona prints on A4 portrait
    blank = pages(render_pack(specs, blank=True))
    assert len(blank) == 3


def test_user_templates_come_first(tmp_path):
    folder = tmp_path / "canvas"
    folder.mkdir()
    (folder / "filled.html.j2").write_text(
        '{% extends "canvas/base.html.j2" %}{% block area %}<p>Made by the Acme studio</p>{% endblock %}',
        encoding="utf-8",
    )
    data = render_pdf(cxviz.load(WHYS), templates=tmp_path)
    assert contains(pages(data)[0].extract_text(), "Made by the Acme studio")


def test_spec_text_cannot_become_markup_in_a_canvas(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(
        'kind: whys\ntitle: "<b>bold</b> <script>alert(1)</script> {{ 7*7 }}"\nproblem: "<img src=x>"\n'
        "whys:\n  - because: '{% raw %}x'\n    root: true\n",
        encoding="utf-8",
    )
    text = pages(render_pdf(cxviz.load(path)))[0].extract_text()
    assert contains(text, "<b>bold</b> <script>alert(1)</script> {{ 7*7 }}")
    assert contains(text, "<img src=x>")


def test_paper_names_are_checked():
    with pytest.raises(ValueError, match="unknown paper 'A5' .*; did you mean 'A4'"):
        paper("A5")
