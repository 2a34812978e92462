"""Every language whole, and printed details right.

Javanese is built in for every kind; a folder of one's own words adds a
language or changes single words for SVG, PDF and blank canvases, through
the option, the command line and the environment alike; the words of Arabic
PDFs copy back whole and in reading order; a persona's photo sits in its ring
in a PDF as in the SVG; Arabic is never slanted; each diagram writes its own
numbers in one digit style.
"""

from __future__ import annotations

import datetime
import html
import io
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

import cxviz
from cxviz import Options
from cxviz.cli import main
from cxviz.locale import BUILTIN_DIR, LOCALE_DIR_VARIABLE, catalogue
from cxviz.registry import get_kind, kind_names

from .conftest import ROOT, SAMPLES

DENSE = ROOT / "tests" / "dense"

#: One Indonesian sample of each kind, to draw in Javanese.
INDONESIAN = {"journey": "journey-grocery.yaml", "empathy": "empathy-dewi.yaml", "persona": "persona-dewi.yaml",
              "whys": "whys-delivery.yaml", "userflow": "userflow-topup.yaml"}
#: Words each kind draws, looked for in its Javanese drawing.
JAVANESE_WORDS = {"journey": ["journey.lanes.actions", "journey.lanes.pains", "journey.goal"],
                  "empathy": ["empathy.areas.says", "empathy.areas.thinks", "empathy.questions.feels"],
                  "persona": ["persona.goals", "persona.frustrations", "persona.tech"],
                  "whys": ["whys.problem", "whys.root_cause"],
                  "userflow": ["common.legend", "userflow.node_types.decision"]}
#: The Arabic samples, one of each kind.
ARABIC = ["journey-bank.yaml", "userflow-transfer.yaml", "whys-card-block.yaml", "empathy-omar.yaml",
          "persona-omar.yaml"]
#: Fields a printed canvas does not show (the description is for screen readers).
UNDRAWN = {"kind", "cxviz", "lang", "description", "photo"}
#: An Arabic word: letters and harakat, no punctuation or digits.
ARABIC_WORD = re.compile("[\u0621-\u064a\u064b-\u065f\u0670-\u06d3]+")


def lang_warnings(spec: cxviz.Spec) -> list[str]:
    return [d.message for d in spec.diagnostics if d.field == "lang"]


def pdftotext(data: bytes, tmp_path: Path) -> str:
    """The text poppler's pdftotext reads from a PDF, as a reader copying from it gets."""
    path = tmp_path / "canvas.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def texts(value, skip=UNDRAWN):
    """Every text value of a spec's data, the undrawn fields left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from texts(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item, skip)
    elif isinstance(value, (str, int, float, datetime.date)) and not isinstance(value, bool):
        yield str(value)


def spec_data(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# -- Javanese ------------------------------------------------------------------------------


def test_javanese_is_built_in_with_every_word_english_has():
    assert "jv" in cxviz.languages()
    assert cxviz.language_warning("jv") is None
    words = catalogue("jv")
    assert words["language"] == "Basa Jawa"
    assert words["kinds.journey"] == "Peta lelampahan pelanggan"
    assert words["journey.lanes.pains"] == "Rasa lara"
    assert words["journey.marks.pain"] == "Masalah"


@pytest.mark.parametrize("kind", kind_names())
def test_every_kind_draws_in_javanese_with_no_word_falling_back(kind):
    spec = cxviz.load(SAMPLES / INDONESIAN[kind])
    svg = cxviz.render(spec, "svg", Options(lang="jv"))
    assert lang_warnings(spec) == []
    drawn = html.unescape(svg).casefold()
    for key in JAVANESE_WORDS[kind]:
        assert catalogue("jv")[key].casefold() in drawn, key
    assert 'xml:lang="jv"' in svg


def test_a_javanese_blueprint_names_every_lane_and_line_in_javanese():
    spec = cxviz.load(DENSE / "blueprint-puskesmas-id.yaml")
    svg = cxviz.render(spec, "svg", Options(lang="jv"))
    assert lang_warnings(spec) == []
    drawn = set(" ".join(html.unescape(text) for text in ANY_TEXT.findall(svg)).split())
    for key in ("lanes.evidence", "lanes.frontstage", "lanes.backstage", "lanes.support", "lines.visibility"):
        assert set(catalogue("jv")[f"journey.{key}"].split()) <= drawn, key  # a long label wraps


@pytest.mark.parametrize("kind", kind_names())
def test_every_blank_canvas_has_every_javanese_word(kind):
    with cxviz.noting_missing_words() as missed:
        data = cxviz.render_blank(kind, lang="jv")
    assert missed == []
    assert catalogue("jv")[f"kinds.{kind}"] in pdf_text(data)


def test_a_dense_javanese_journey_prints_in_javanese(tmp_path):
    spec = cxviz.load(DENSE / "journey-warung-jv.yaml")
    data = cxviz.render(spec, "pdf")
    assert lang_warnings(spec) == []
    text = set(pdf_text(data).split())
    for word in ("Tataran", "Rasa lara", "Kasempatan", "Tumindak sabanjure", "Kaca"):
        assert set(word.split()) <= text, word
    assert "CxvizText" not in data.decode("latin-1")  # no right-to-left text: no text layer


# -- your own words --------------------------------------------------------------------------


def whole_language(folder: Path, tag: str = "xx", **words: str) -> Path:
    """A user's file for ``tag`` with every word English has, some of them changed (dotted keys)."""
    merged = yaml.safe_load((BUILTIN_DIR / "en.yaml").read_text(encoding="utf-8"))
    merged["language"] = "Testese"
    merged["kinds"] = {}
    for name in kind_names():
        own = yaml.safe_load(get_kind(name).locale_path("en").read_text(encoding="utf-8"))
        merged[name] = own[name]
        merged["kinds"][name] = own["kinds"][name]
    for key, word in words.items():
        node = merged
        *path, last = key.split(".")
        for part in path:
            node = node[part]
        node[last] = word
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{tag}.yaml").write_text(yaml.safe_dump(merged, allow_unicode=True), encoding="utf-8")
    return folder


WHYS_XX = """\
kind: whys
title: Parcels come late
lang: xx
problem: A third of parcels arrive after the promised day
whys:
  - because: Couriers collect after the cut-off
    root: true
    countermeasure: Move the cut-off to 16:00
"""


@pytest.fixture
def words_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(LOCALE_DIR_VARIABLE, raising=False)
    return whole_language(tmp_path / "words", **{"whys.problem": "Perkara XX", "whys.questions.why": "Lapa XX?",
                                                 "common.version": "Vershun XX"})


def test_an_option_adds_a_language_to_the_svg_and_forgets_the_warning_it_loaded_with(words_folder, tmp_path):
    spec = cxviz.loads(WHYS_XX)
    assert lang_warnings(spec) == ["no built-in words for 'xx' (have ar, en, id, jv); using English"]
    svg = cxviz.render(spec, "svg", Options(locale_dir=str(words_folder)))
    assert "perkara xx" in svg.casefold()
    assert lang_warnings(spec) == []
    assert "xx" in cxviz.languages(words_folder) and cxviz.language_warning("xx", words_folder) is None
    assert "xx" not in cxviz.languages()  # only for that render
    assert "perkara xx" not in cxviz.render(cxviz.loads(WHYS_XX), "svg").casefold()


def test_the_environment_adds_a_language_everywhere(words_folder, monkeypatch):
    monkeypatch.setenv(LOCALE_DIR_VARIABLE, str(words_folder))
    spec = cxviz.loads(WHYS_XX)
    assert lang_warnings(spec) == []
    assert "perkara xx" in cxviz.render(spec, "svg").casefold()
    assert "perkara xx" in pdf_text(cxviz.render(spec, "pdf")).casefold()
    assert "Lapa XX?" in pdf_text(cxviz.render_blank("whys", lang="xx"))
    assert "xx" in cxviz.languages()


def test_an_option_adds_a_language_to_pdfs_and_blank_canvases(words_folder):
    spec = cxviz.loads(WHYS_XX)
    printed = pdf_text(cxviz.render(spec, "pdf", locale_dir=str(words_folder))).casefold()
    assert "perkara xx" in printed and "vershun xx" in printed
    blank = pdf_text(cxviz.render(spec, "pdf", locale_dir=str(words_folder), blank=True))
    assert "Lapa XX?" in blank
    with cxviz.noting_missing_words() as missed:
        canvas = cxviz.render_blank("whys", lang="xx", locale_dir=words_folder)
    assert missed == [] and "Lapa XX?" in pdf_text(canvas)
    assert "perkara xx" in pdf_text(cxviz.render_pack([spec], locale_dir=words_folder, lang="xx")).casefold()


def test_a_users_file_changes_single_words_of_a_built_in_language(tmp_path):
    (tmp_path / "id.yaml").write_text("journey:\n  lanes:\n    pains: Keluhan pelanggan\n", encoding="utf-8")
    spec = cxviz.load(SAMPLES / "journey-grocery.yaml")
    svg = cxviz.render(spec, "svg", Options(locale_dir=str(tmp_path)))
    drawn = set(" ".join(html.unescape(text) for text in ANY_TEXT.findall(svg)).casefold().split())
    assert {"keluhan", "pelanggan"} <= drawn and catalogue("id")["journey.lanes.actions"].casefold() in drawn
    assert lang_warnings(spec) == []


def test_the_command_line_option_reaches_render_workers_canvas_and_pack(words_folder, tmp_path, capsys):
    specs = []
    for index in range(2):
        path = tmp_path / f"whys-{index}.yaml"
        path.write_text(WHYS_XX, encoding="utf-8")
        specs.append(str(path))
    out = tmp_path / "out"
    assert main(["render", *specs, "-o", str(out), "--format", "svg,pdf", "--jobs", "2", "--no-cache",
                 "--locale-dir", str(words_folder), "--strict"]) == 0
    for index in range(2):
        assert "perkara xx" in (out / f"whys-{index}.svg").read_text(encoding="utf-8").casefold()
        assert "perkara xx" in pdf_text((out / f"whys-{index}.pdf").read_bytes()).casefold()
    canvas = tmp_path / "canvas.pdf"
    assert main(["canvas", "whys", "--lang", "xx", "--locale-dir", str(words_folder), "-o", str(canvas),
                 "--strict"]) == 0
    assert "Lapa XX?" in pdf_text(canvas.read_bytes())
    pack = tmp_path / "pack.pdf"
    assert main(["pack", *specs, "--lang", "xx", "--locale-dir", str(words_folder), "-o", str(pack),
                 "--strict"]) == 0
    assert "warning" not in capsys.readouterr().err
    assert os.environ.get(LOCALE_DIR_VARIABLE) is None  # the run's folder does not outlive it


def test_a_language_without_words_warns_naming_it_on_every_command(tmp_path, capsys):
    assert main(["canvas", "empathy", "--lang", "xx", "-o", str(tmp_path / "c.pdf")]) == 0
    assert "warning: --lang: no built-in words for 'xx'" in capsys.readouterr().err
    spec = tmp_path / "s.yaml"
    spec.write_text(WHYS_XX, encoding="utf-8")
    assert main(["render", str(spec), "--format", "pdf", "--no-cache", "-o", str(tmp_path / "s.pdf")]) == 0
    assert "warning: lang: no built-in words for 'xx'" in capsys.readouterr().err


def test_a_missing_folder_and_a_broken_file_are_clear_errors(tmp_path, capsys):
    with pytest.raises(cxviz.OptionError, match="not a folder"):
        Options(locale_dir=str(tmp_path / "nowhere"))
    with pytest.raises(SystemExit) as stopped:
        main(["canvas", "whys", "--locale-dir", str(tmp_path / "nowhere")])
    assert stopped.value.code == 2 and "nowhere: not a folder of words" in capsys.readouterr().err
    (tmp_path / "xx.yaml").write_text("whys:\n  problem: [Perkara\n", encoding="utf-8")
    assert main(["canvas", "whys", "--lang", "xx", "--locale-dir", str(tmp_path), "-o",
                 str(tmp_path / "c.pdf")]) == 1
    assert f"{tmp_path / 'xx.yaml'}:3:1: not valid YAML" in capsys.readouterr().err
    spec = tmp_path / "s.yaml"
    spec.write_text(WHYS_XX, encoding="utf-8")
    assert main(["render", str(spec), "--no-cache", "--locale-dir", str(tmp_path), "-o", str(tmp_path / "s.svg")]) == 1
    err = capsys.readouterr().err
    assert "xx.yaml:3:1: not valid YAML" in err and "Traceback" not in err and "bug in cxviz" not in err


def test_the_cache_knows_the_folders_words(words_folder, tmp_path):
    spec = tmp_path / "whys.yaml"
    spec.write_text(WHYS_XX, encoding="utf-8")
    options = Options(locale_dir=str(words_folder))

    def svg() -> str:
        result, = cxviz.render_files([spec], ("svg",), options=options, cache=tmp_path / "cache")
        return result.outputs["svg"].decode("utf-8")

    assert "perkara xx" in svg().casefold()
    whole_language(words_folder, **{"whys.problem": "Masalah YY"})
    assert "masalah yy" in svg().casefold()


# -- Arabic words copy back whole ------------------------------------------------------------


def arabic_words(path: Path) -> list[str]:
    return [word for text in texts(spec_data(path)) for word in ARABIC_WORD.findall(text)]


@pytest.mark.parametrize("name", ARABIC)
def test_every_arabic_word_of_a_printed_canvas_extracts_verbatim(name, tmp_path):
    """Measured before the text layer: 66-81% of these words came back, ligatures such as
    في and لا swapped, harakat on the wrong letter, words split at kerning gaps."""
    words = arabic_words(SAMPLES / name)
    text = pdftotext(cxviz.render(cxviz.load(SAMPLES / name), "pdf"), tmp_path)
    missing = sorted({word for word in words if word not in text})
    found = sum(word in text for word in words)
    assert missing == [], f"{found}/{len(words)} words ({100 * found / len(words):.1f}%); missing {missing}"


def test_a_dense_arabic_journey_over_many_pages_extracts_verbatim(tmp_path):
    words = arabic_words(DENSE / "journey-dense-ar.yaml")
    text = pdftotext(cxviz.render(cxviz.load(DENSE / "journey-dense-ar.yaml"), "pdf"), tmp_path)
    assert sorted({word for word in words if word not in text}) == []


@pytest.mark.parametrize("kind", kind_names())
def test_an_arabic_blank_canvas_gives_back_its_questions_line_by_line(kind, tmp_path):
    words = catalogue("ar")
    text = pdftotext(cxviz.render_blank(kind, lang="ar"), tmp_path)
    lines = {line.strip("\u202a\u202b\u202c ") for line in text.splitlines()}
    assert words[f"kinds.{kind}"] in lines
    questions = yaml.safe_load(get_kind(kind).locale_path("ar").read_text(encoding="utf-8"))[kind]["questions"]
    shown = [question for question in questions.values() if all(word in text for word in question.split())]
    assert shown, "no guiding question came back whole"


def test_the_text_layer_draws_nothing_and_keeps_pdfs_byte_stable():
    spec = cxviz.load(SAMPLES / "whys-card-block.yaml")
    first, second = cxviz.render(spec, "pdf"), cxviz.render(spec, "pdf")
    assert first == second
    page = PdfReader(io.BytesIO(first)).pages[0]
    assert "/CxvizText" in page["/Resources"]["/Font"]
    layer = page.get_contents().get_data()
    assert b"3 Tr" in layer and b"ActualText" not in layer


def test_a_pdf_without_right_to_left_text_is_left_as_it_was():
    data = cxviz.render(cxviz.load(SAMPLES / "whys-delivery.yaml"), "pdf")
    assert b"/CxvizText" not in data


def test_a_pack_gets_one_layer_per_page(tmp_path):
    specs = [cxviz.load(SAMPLES / name) for name in ("whys-card-block.yaml", "whys-delivery.yaml")]
    data = cxviz.render_pack(specs, lang="ar")
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        contents = page.get_contents().get_data()
        assert contents.count(b"3 Tr") >= 1
    text = pdftotext(data, tmp_path)
    assert "حزمة ورشة العمل" in text and "لماذا يتصل العملاء بخط الدعم أكثر من مرة؟" in text


# -- photos in their rings -------------------------------------------------------------------


def image_boxes(page) -> list[tuple[float, float, float, float]]:
    """Each image drawn on a page: left, top, width, height in points from the sheet's top left."""
    from pypdf.generic import ContentStream

    sheet_height = float(page.mediabox.height)
    objects = page["/Resources"].get("/XObject", {})
    boxes, stack, ctm = [], [], (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for operands, operator in ContentStream(page.get_contents(), None).operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q" and stack:
            ctm = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
        elif operator == b"Do" and objects[operands[0]].get_object().get("/Subtype") == "/Image":
            a, _, _, d, e, f = ctm
            boxes.append((e, sheet_height - f - d, a, d))
    return boxes


@pytest.mark.parametrize("name", ["journey-bank.yaml", "persona-omar.yaml", "empathy-dewi.yaml",
                                  "persona-dewi.yaml"])
def test_a_photo_sits_in_its_ring_in_the_pdf_as_in_the_svg(name, monkeypatch):
    """Graphviz draws a PDF with a margin the SVG lacks: the photo is placed from the diagram's corner,
    which is where the SVG measures it from (checked in the laid out PDF), not from the page's."""
    from cxviz.printing import pdf

    placed = []
    real_fit = pdf.fit

    def fit(page, frame, *args, **kwargs):
        placement = real_fit(page, frame, *args, **kwargs)
        placed.append((page, placement))
        return placement

    monkeypatch.setattr(pdf, "fit", fit)
    spec = cxviz.load(SAMPLES / name)
    data = cxviz.render(spec, "pdf")
    page, placement = next((page, placement) for page, placement in reversed(placed) if page.overlays)
    image = page.overlays[0]
    drawn = image_boxes(PdfReader(io.BytesIO(data)).pages[0])
    expected = pdf.overlay_box(page, image, placement)
    assert len(drawn) == 1
    assert drawn[0] == pytest.approx(expected, abs=0.3)
    scale, x, y = placement
    assert drawn[0][0] == pytest.approx(x + (36 + image.x) * scale, abs=0.3)
    # In the laid out diagram, the drawing (what the SVG shows) fills the page inside that margin,
    content = PdfReader(io.BytesIO(page.data)).pages[0].get_contents().get_data().decode("latin-1")
    clip = tuple(float(v) for v in re.search(r"([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) re W n", content).groups())
    assert clip[:2] == page.origin == (36, 36)
    assert clip[2:] == pytest.approx((page.width - 72, page.height - 72), abs=1)
    # and in the SVG the photo is where its overlay says, from the drawing's corner.
    from cxviz.api import build_graph

    svg, overlay = cxviz.render(spec, "svg"), build_graph(spec).overlays[0]
    box = re.search(r'<image id="[^"]*-image"[^>]* x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', svg)
    assert box is not None
    assert tuple(float(v) for v in box.groups()) == pytest.approx((overlay.x, overlay.y, overlay.width), abs=0.01)


# -- no slanted Arabic -----------------------------------------------------------------------


ITALIC_TEXT = re.compile(r'<text[^>]*font-style="italic"[^>]*>([^<]*)</text>')
ANY_TEXT = re.compile(r"<text[^>]*>([^<]*)</text>")


@pytest.mark.parametrize("name", ARABIC)
def test_no_arabic_text_is_slanted(name):
    svg = cxviz.render(cxviz.load(SAMPLES / name), "svg")
    assert ITALIC_TEXT.findall(svg) == []


def test_italics_stay_for_latin_lines_and_leave_arabic_ones(load_text):
    spec = load_text("""\
        kind: whys
        title: Keterlambatan paket
        lang: id
        problem: Paket tiba terlambat
        whys:
          - because: Kurir datang setelah batas waktu
            evidence: Catatan GPS kurir bulan Maret
            root: true
            countermeasure: Majukan batas waktu
          - because: Gudang tutup lebih awal
            evidence: رسالة من مدير المستودع
            root: true
            countermeasure: Tambah satu sif sore
        """)
    svg = cxviz.render(spec, "svg")
    slanted = [html.unescape(text) for text in ITALIC_TEXT.findall(svg)]
    assert any("Catatan GPS" in text for text in slanted)
    assert not any(ARABIC_WORD.search(text) for text in slanted)
    assert any("رسالة من مدير المستودع" in html.unescape(text) for text in ANY_TEXT.findall(svg))


def test_styled_text_drops_italics_line_by_line():
    from cxviz.graph.dot import TextStyle, styled_text

    style = TextStyle(italic=True, bold=True)
    assert "<I>" not in styled_text(["قال العميل"], style)
    mixed = styled_text(["He said:", "قال العميل"], style)
    assert "<I>He said:</I>" in mixed and "<I>قال" not in mixed
    assert styled_text(["Latin only", "two lines"], style).count("<I>") == 1


# -- one digit style -------------------------------------------------------------------------


LATIN_DIGIT = re.compile("[0-9]")
ARABIC_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


def own_numbers(svg: str, data: dict) -> str:
    """The text of an SVG with the user's own text taken out: what cxviz wrote itself."""
    users = sorted({text for text in texts(data, skip={"kind", "cxviz", "lang"})}, key=len, reverse=True)
    kept = []
    for text in (html.unescape(t).replace("\u200e", "") for t in ANY_TEXT.findall(svg)):
        if any(text.strip() in value for value in users):
            continue  # a line of the user's text, wrapped
        for value in users:
            if len(value) > 2 or not value.isdigit():
                text = text.replace(value, "")
        kept.append(text)
    return "\n".join(kept)


@pytest.mark.parametrize("path", [SAMPLES / name for name in ARABIC] + [DENSE / "journey-dense-ar.yaml",
                                                                         DENSE / "whys-branching-ar.yaml"],
                         ids=lambda path: path.stem)
def test_an_arabic_diagram_writes_its_own_numbers_in_arabic_indic_digits(path):
    spec = cxviz.load(path)
    own = own_numbers(cxviz.render(spec, "svg"), spec_data(path))
    assert not LATIN_DIGIT.search(own), LATIN_DIGIT.findall(own)


@pytest.mark.parametrize("path", [SAMPLES / "journey-grocery.yaml", SAMPLES / "persona-dewi.yaml",
                                  SAMPLES / "whys-delivery.yaml", DENSE / "journey-warung-jv.yaml"],
                         ids=lambda path: path.stem)
def test_a_latin_script_diagram_writes_its_own_numbers_in_latin_digits(path):
    spec = cxviz.load(path)
    own = own_numbers(cxviz.render(spec, "svg"), spec_data(path))
    assert not ARABIC_DIGIT.search(own)


def test_the_arabic_numbers_cxviz_writes_are_there_to_check():
    """The digit tests above check something: scale ticks, levels, ages and page numbers."""
    journey = cxviz.render(cxviz.load(SAMPLES / "journey-bank.yaml"), "svg")
    assert "−٢" in journey and "+١" in journey
    assert "لماذا ٣" in cxviz.render(cxviz.load(SAMPLES / "whys-card-block.yaml"), "svg")
    assert "٢٦" in cxviz.render(cxviz.load(SAMPLES / "persona-omar.yaml"), "svg")
    words = catalogue("ar")
    assert words.number(2025) == "٢٠٢٥" and words.number("-1.5") == "-١.٥"
    assert words.format("whys.level", n=4) == "لماذا ٤"
    assert catalogue("jv").format("whys.level", n=4) == "Kenapa 4"


def test_a_printed_arabic_canvas_numbers_its_pages_in_arabic_indic_digits(tmp_path):
    data = cxviz.render(cxviz.load(SAMPLES / "journey-bank.yaml"), "pdf")
    text = pdftotext(data, tmp_path)
    text = re.sub("[\u202a-\u202e]", "", text)  # pdftotext marks runs' directions
    # "page 1 / 2": pdftotext keeps "2 / 1" as it shows, taking numbers and the slash between them
    # for one left-to-right run, so the order is not checked here.
    pages = re.findall(r"صفحة ([٠-٩]+) / ([٠-٩]+)", text)
    assert len(pages) == len(PdfReader(io.BytesIO(data)).pages)
    assert not re.search(r"صفحة [0-9]", text)
