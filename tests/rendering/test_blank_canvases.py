"""Blank canvases: one page of the right size, every guiding question in the
page's language, the journey's stages and lanes as asked, sticky-note wide
stage columns on large sheets, and right-to-left pages mirrored."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
from pypdf import PdfReader

import cxviz
from cxviz.api import render_blank
from cxviz.cli import main
from cxviz.locale import catalogue
from cxviz.printing.paper import MM, frame_for, paper
from cxviz.registry import kind_names

LANGS = ("en", "id", "ar")
STICKY_NOTE = 76.0  # mm

#: The guiding questions each kind's blank canvas must show (locale keys).
QUESTIONS = {
    "journey": ["journey.questions." + key for key in (
        "stage", "goal", "actions", "touchpoints", "thoughts", "emotions", "pains", "opportunities")],
    "empathy": ["empathy.questions." + key for key in (
        "goal", "who", "sees", "hears", "thinks_feels", "says_does", "pains", "gains")],
    "persona": ["persona.questions." + key for key in (
        "name", "quote", "bio", "goals", "frustrations", "motivations", "behaviours", "channels", "personality")],
    "whys": ["whys.questions." + key for key in ("problem", "why", "countermeasure")],
    "userflow": ["userflow.questions." + key for key in ("entry", "screen", "action", "decision", "system", "end")],
}

#: Width × height in points of each kind's default sheet.
A3_LANDSCAPE = (1190.55, 841.89)
A4_PORTRAIT = (595.28, 841.89)
SIZES = {"journey": A3_LANDSCAPE, "empathy": A3_LANDSCAPE, "whys": A3_LANDSCAPE,
         "userflow": A3_LANDSCAPE, "persona": A4_PORTRAIT}


@lru_cache(maxsize=None)
def blank(kind: str, lang: str, paper_name: str | None = None,
          stages: tuple[str, ...] | None = None, lanes: tuple[str, ...] | None = None) -> bytes:
    return render_blank(kind, lang=lang, paper=paper_name,
                        stages=list(stages) if stages else None, lanes=list(lanes) if lanes else None)


def first_page(data: bytes):
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return reader.pages[0]


def normal(text: str, lang: str) -> str:
    """Text as compared: whitespace collapsed; for Arabic, NFKC forms with no spacing or vowel marks."""
    if lang == "ar":
        text = unicodedata.normalize("NFKC", text)
        return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", text).strip()


def runs(page) -> list[tuple[str, float]]:
    """Every run of text on the page with its left edge in millimetres."""
    found: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text.strip(), (tm[4] * cm[0] + cm[4]) / MM))

    page.extract_text(visitor_text=visit)
    return found


def lefts(page, phrase: str) -> list[float]:
    """Left edges (mm) of the runs that are exactly ``phrase``, left to right."""
    return sorted(x for text, x in runs(page) if text == phrase)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", kind_names())
def test_a_blank_canvas_is_one_page_with_its_guiding_questions(kind, lang):
    page = first_page(blank(kind, lang))
    width, height = SIZES[kind]
    assert float(page.mediabox.width) == pytest.approx(width, abs=1)
    assert float(page.mediabox.height) == pytest.approx(height, abs=1)
    words = catalogue(lang)
    text = normal(page.extract_text(), lang)
    missing = [key for key in QUESTIONS[kind] if normal(words[key], lang) not in text]
    assert not missing, f"{kind} ({lang}) lacks the questions {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_a_blank_journey_draws_the_stages_and_lanes_asked_for(lang):
    words = catalogue(lang)
    page = first_page(blank("journey", lang, stages=("Discover", "Order"), lanes=("actions", "pains")))
    text = normal(page.extract_text(), lang)
    for present in ("Discover", "Order", words["journey.lanes.actions"], words["journey.lanes.pains"],
                    words["journey.questions.actions"], words["journey.questions.pains"],
                    words["journey.marks.pain"].upper()):
        assert normal(present, lang) in text, present
    for absent in ("journey.lanes.thoughts", "journey.lanes.emotions", "journey.lanes.opportunities",
                   "journey.questions.touchpoints", "journey.default_stages"):
        value = words[absent]
        for word in value if isinstance(value, list) else [value]:
            assert normal(word, lang) not in text, word


@pytest.mark.parametrize("sheet", ["a1", "a0"])
def test_journey_stage_columns_hold_a_sticky_note_on_large_sheets(sheet):
    """Measured in the PDF: the same question repeats once per stage column, so
    the distance between two of them is a column and the gap between columns."""
    page = first_page(blank("journey", "en", sheet))
    frame = frame_for(paper(sheet).oriented("landscape"))
    xs = lefts(page, catalogue("en")["journey.questions.stage"])
    assert len(xs) == 5
    columns = [b - a - frame.gap / 2 for a, b in zip(xs, xs[1:])]
    assert min(columns) >= STICKY_NOTE
    assert max(columns) - min(columns) < 0.5  # columns are equal


def test_a_right_to_left_journey_has_lane_labels_on_the_right_and_stages_from_the_right():
    stages, lanes = ("Discover", "Order"), ("actions", "pains")
    ltr, rtl = (first_page(blank("journey", lang, stages=stages, lanes=lanes)) for lang in ("en", "ar"))
    for page, lang in ((ltr, "en"), (rtl, "ar")):
        label = lefts(page, catalogue(lang)["journey.lanes.actions"])[0]
        first, second = lefts(page, "Discover")[0], lefts(page, "Order")[0]
        if lang == "ar":
            assert label > first > second
        else:
            assert label < first < second


@pytest.mark.parametrize("kind, first, last", [
    ("empathy", "empathy.areas.sees", "empathy.areas.hears"),
    ("userflow", "userflow.node_types.entry", "userflow.node_types.system"),
])
def test_right_to_left_canvases_are_mirrored(kind, first, last):
    for lang in ("en", "ar"):
        words = catalogue(lang)
        page = first_page(blank(kind, lang))
        start, end = lefts(page, words[first])[0], lefts(page, words[last])[0]
        assert (start > end) if lang == "ar" else (start < end), lang


def test_a_blank_blueprint_draws_its_three_lines_before_the_staff_lanes():
    words = catalogue("en")
    keys = ("evidence", "steps", "actions", "frontstage", "backstage", "support")
    text = normal(first_page(blank("journey", "en", lanes=keys)).extract_text(), "en")
    for key in ("interaction", "visibility", "internal"):
        assert words[f"journey.lines.{key}"] in text
    assert words["canvas_blank.steps"] in text
    assert text.index(words["journey.lanes.actions"]) < text.index(words["journey.lines.interaction"]) \
        < text.index(words["journey.lanes.frontstage"]) < text.index(words["journey.lines.visibility"]) \
        < text.index(words["journey.lanes.backstage"]) < text.index(words["journey.lines.internal"]) \
        < text.index(words["journey.lanes.support"])


# -- the blank canvas of a spec ------------------------------------------------------------------

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
DENSE = Path(__file__).resolve().parents[1] / "dense"
BLUEPRINT_ONLY = ("evidence", "frontstage", "backstage", "support")


def blank_text_of(spec_path: Path, lang: str, tmp_path: Path) -> str:
    """The text of the blank PDF ``cxviz render --format pdf --blank`` writes for a spec, compared as :func:`normal`.

    pdftotext reads it, as a reader copying from the page would; Arabic it
    gives in visual order, so Arabic text is read from the PDF's own text runs.
    """
    target = tmp_path / f"{spec_path.stem}-blank.pdf"
    assert main(["render", str(spec_path), "--format", "pdf", "--blank", "-o", str(target), "-q", "--no-cache"]) == 0
    page = first_page(target.read_bytes())
    if lang == "ar":
        return normal(page.extract_text(), lang)
    found = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True)
    return normal(found.stdout, lang)


@pytest.mark.parametrize("spec_path", [SAMPLES / "blueprint-telco.yaml", DENSE / "blueprint-puskesmas-id.yaml"],
                         ids=["telco-en", "puskesmas-id"])
def test_a_blueprints_blank_canvas_keeps_its_lanes_and_lines(spec_path, tmp_path):
    spec = cxviz.load(spec_path)
    words = catalogue(spec.model.lang)
    text = blank_text_of(spec_path, spec.model.lang, tmp_path)
    for key in BLUEPRINT_ONLY:
        assert normal(words[f"journey.lanes.{key}"], "en") in text, key
    for key in ("interaction", "visibility", "internal"):
        assert normal(words[f"journey.lines.{key}"], "en") in text, key
    for stage in spec.model.stages:
        assert normal(stage.name, "en") in text


@pytest.mark.parametrize("sample", ["journey-grocery.yaml", "journey-bank.yaml"])
def test_a_journeys_blank_canvas_has_no_blueprint_lanes(sample, tmp_path):
    spec = cxviz.load(SAMPLES / sample)
    words = catalogue(spec.model.lang)
    text = blank_text_of(SAMPLES / sample, spec.model.lang, tmp_path)
    for key in BLUEPRINT_ONLY:
        assert normal(words[f"journey.lanes.{key}"], spec.model.lang) not in text, key
    for key in ("actions", "emotions", "pains", "todo"):
        assert normal(words[f"journey.lanes.{key}"], spec.model.lang) in text, key


def test_a_right_to_left_blueprint_blank_keeps_its_lanes_in_the_drawn_order(tmp_path):
    words = catalogue("ar")
    spec = SAMPLES.joinpath("blueprint-telco.yaml").read_text(encoding="utf-8")
    arabic = tmp_path / "blueprint-ar.yaml"
    arabic.write_text(spec.replace("lang: en", "lang: ar").replace("persona: persona-maya.yaml",
                                                                  "persona: {name: مريم الحسيني}"), encoding="utf-8")
    page = first_page(render_pdf(cxviz.load(arabic), blank=True))
    order = ["evidence", "actions", "emotions", "frontstage", "backstage", "support", "pains", "todo"]
    heights = [where(page, words[f"journey.lanes.{key}"])[1] for key in order]
    assert heights == sorted(heights, reverse=True)  # PDF y grows upwards: each lane lies below the one before
    label, stage = where(page, words["journey.lanes.frontstage"])[0], where(page, "Notice")[0]
    assert label > stage  # lane labels on the right of a right-to-left page


def where(page, phrase: str) -> tuple[float, float]:
    """Left edge and height (mm from the bottom) of the first run of text holding ``phrase``."""
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, font, size):
        if normal(phrase, "ar") in normal(text, "ar"):
            found.append(((tm[4] * cm[0] + cm[4]) / MM, (tm[5] * cm[3] + cm[5]) / MM))

    page.extract_text(visitor_text=visit)
    assert found, phrase
    return found[0]


def render_pdf(spec, *, blank: bool) -> bytes:
    return cxviz.render(spec, "pdf", blank=blank)
