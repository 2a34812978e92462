"""PNG images: sized as asked, text and photos drawn, the same bytes every time, clear refusals."""

from __future__ import annotations

import io
import re
import shutil
import struct

import pytest
from PIL import Image, ImageChops, ImageOps

import cxviz
from cxviz.api import build_graph
from cxviz.cli import main

from ..conftest import SAMPLES

WHYS = SAMPLES / "whys-checkout.yaml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def header_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG's IHDR chunk."""
    assert data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def points(spec: cxviz.Spec) -> tuple[float, float]:
    """The diagram's size in points, from its SVG's viewBox."""
    svg = cxviz.render_svg(spec, embed_font=False)
    width, height = re.search(r'viewBox="0\.00 0\.00 ([\d.]+) ([\d.]+)"', svg).groups()
    return float(width), float(height)


def assert_drawn_at(data: bytes, spec: cxviz.Spec, dpi: float) -> None:
    width_pt, height_pt = points(spec)
    width, height = header_size(data)
    # Graphviz rounds each side to whole pixels.
    assert abs(width - width_pt * dpi / 72) <= 1, (width, width_pt)
    assert abs(height - height_pt * dpi / 72) <= 1, (height, height_pt)


def grey(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("L")


def assert_has_text(data: bytes) -> None:
    image = grey(data)
    dark = sum(image.histogram()[:100])
    assert dark > 5000 and dark > 0.005 * image.width * image.height, dark


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- size -------------------------------------------------------------------------

@pytest.mark.parametrize("given, dpi", [
    ({}, 192),  # the default: scale 2, twice the SVG's CSS size
    ({"scale": 1}, 96),  # one pixel per CSS pixel: 4/3 of a pixel per point
    ({"scale": 1.5}, 144),
    ({"dpi": 300}, 300),
])
def test_the_api_draws_at_the_asked_scale_or_dpi(given, dpi):
    spec = cxviz.load(WHYS)
    assert_drawn_at(cxviz.render_png(spec, **given), spec, dpi)


def test_the_cli_draws_at_the_asked_dpi_and_scale(capsys, tmp_path):
    spec = cxviz.load(WHYS)
    target = tmp_path / "whys.png"
    code, _, err = run(capsys, "render", str(WHYS), "--format", "png", "--dpi", "150", "-o", str(target))
    assert code == 0, err
    assert_drawn_at(target.read_bytes(), spec, 150)
    code, _, err = run(capsys, "render", str(WHYS), "--format", "png", "--scale", "0.5", "-o", str(target))
    assert code == 0, err
    assert_drawn_at(target.read_bytes(), spec, 48)


def test_the_image_is_opaque_to_its_last_pixel():
    # 890.2 pt at 192 dpi is 2373.9 pixels: the bitmap's last row is only partly covered by the drawing.
    spec = cxviz.load(WHYS)
    with Image.open(io.BytesIO(cxviz.render_png(spec))) as image:
        assert image.mode == "RGB"
        bottom_row = image.crop((0, image.height - 1, image.width, image.height))
        assert bottom_row.getcolors() == [(image.width, (255, 255, 255))]


def test_the_png_says_its_resolution_title_and_language():
    spec = cxviz.load(SAMPLES / "whys-card-block.yaml")
    with Image.open(io.BytesIO(cxviz.render_png(spec, dpi=300))) as image:
        assert [round(d) for d in image.info["dpi"]] == [300, 300]
        assert image.info["Title"] == spec.model.title
        assert image.info["Title"].lang == "ar"
        assert image.info["Description"].startswith("تحليل لماذا الخمسة")


# -- what is drawn ------------------------------------------------------------------

def test_text_is_drawn_where_the_title_is(load_text):
    text = """\
        kind: whys
        title: {title}
        problem: Orders placed after noon reach customers a whole day later than the app promised
        whys:
          - because: Couriers collect parcels from the warehouse before most afternoon orders are packed
            root: true
        """
    first = cxviz.render_png(load_text(text.format(title="Late deliveries"), "a.yaml"), scale=1)
    second = cxviz.render_png(load_text(text.format(title="Late arrivals"), "b.yaml"), scale=1)
    assert_has_text(first)
    assert header_size(first) == header_size(second)
    changed = ImageChops.difference(grey(first), grey(second)).getbbox()
    assert changed is not None
    left, top, right, bottom = changed
    per_point = 96 / 72
    # Only the heading differs (the title, and the line below it, which follows the title's width),
    # drawn at the top left below a 0.3 in margin; the diagram under it (from about 90 pt) does not.
    assert 15 * per_point <= top and bottom <= 80 * per_point, changed
    assert left <= 40 * per_point and right - left > 50 * per_point, changed


def _text_rows(data: bytes, below_pt: float) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom) of the runs of rows holding dark pixels near the top."""
    image = grey(data)
    rows = []
    for y in range(int(below_pt * 96 / 72)):
        box = image.crop((0, y, image.width, y + 1)).point(lambda v: 255 if v < 160 else 0).getbbox()
        if box is None:
            continue
        if rows and rows[-1][3] == y:
            left, top, right, _ = rows[-1]
            rows[-1] = (min(left, box[0]), top, max(right, box[2]), y + 1)
        else:
            rows.append((box[0], y, box[2], y + 1))
    return rows


def test_arabic_is_drawn_from_the_right_and_english_from_the_left():
    arabic = cxviz.render_png(cxviz.load(SAMPLES / "whys-card-block.yaml"), scale=1)
    english = cxviz.render_png(cxviz.load(WHYS), scale=1)
    # The heading's second line (the kind's name, a short line) sits against the reading side.
    arabic_line = _text_rows(arabic, 80)[1]
    english_line = _text_rows(english, 80)[1]
    assert arabic_line[0] > header_size(arabic)[0] / 2
    assert english_line[2] < header_size(english)[0] / 2


@pytest.mark.parametrize("name", ["whys-delivery", "empathy-dewi", "whys-card-block", "userflow-transfer",
                                  "persona-omar"])
def test_indonesian_and_arabic_samples_render(name):
    spec = cxviz.load(SAMPLES / f"{name}.yaml")
    assert spec.model.lang in ("id", "ar")
    data = cxviz.render_png(spec, scale=1)
    assert_drawn_at(data, spec, 96)
    assert_has_text(data)


def test_a_persona_photo_is_drawn_in_its_circle():
    spec = cxviz.load(SAMPLES / "persona-dewi.yaml")
    (overlay,) = build_graph(spec).overlays
    assert overlay.circle
    per_point = 2 * 96 / 72
    data = cxviz.render_png(spec)  # scale 2
    with Image.open(io.BytesIO(data)) as opened:
        image = opened.convert("RGB")
    left, top = round(overlay.x * per_point), round(overlay.y * per_point)
    size = round(overlay.width * per_point)
    with Image.open(SAMPLES / "photos" / "dewi.png") as photo:
        expected = ImageOps.fit(photo.convert("RGB"), (size, size))
    # Inside the circle: the photo itself, at its place and scale.
    for fx, fy in ((0.5, 0.5), (0.5, 0.3), (0.35, 0.6), (0.65, 0.6), (0.5, 0.85)):
        got = image.getpixel((left + int(size * fx), top + int(size * fy)))
        want = expected.getpixel((int(size * fx), int(size * fy)))
        assert max(abs(a - b) for a, b in zip(got, want)) <= 24, (fx, fy, got, want)
    inside = image.crop((left + size // 4, top + size // 4, left + 3 * size // 4, top + 3 * size // 4))
    assert len(inside.getcolors(maxcolors=100_000)) > 50  # an image, not a flat fill
    # The box's corner lies outside the circle: the card shows there, not the photo.
    corner = image.getpixel((left + 3, top + 3))
    assert corner == image.getpixel((left - 30, top + size // 2))
    assert corner != expected.getpixel((3, 3))


def test_a_photo_that_cannot_be_decoded_is_reported_for_its_spec(load_text):
    # A PNG header passes the check made while validating; the rest of the file is missing.
    damaged = (SAMPLES / "photos" / "dewi.png").read_bytes()[:200]
    spec = load_text("kind: persona\ntitle: Rina\nname: Rina Putri\nphoto: rina.png\n",
                     files={"rina.png": damaged})
    with pytest.raises(cxviz.RenderError, match="a photo could not be decoded .*; replace the image file"):
        cxviz.render_png(spec, scale=1)


def test_the_same_spec_gives_the_same_bytes(capsys, tmp_path):
    spec = cxviz.load(SAMPLES / "persona-omar.yaml")
    first = cxviz.render_png(spec, scale=1)
    assert cxviz.render_png(spec, scale=1) == first
    target = tmp_path / "omar.png"
    code, _, err = run(capsys, "render", str(SAMPLES / "persona-omar.yaml"), "--format", "png", "--scale", "1",
                       "-o", str(target), "--no-cache")
    assert code == 0, err
    assert target.read_bytes() == first


# -- refusals -----------------------------------------------------------------------

@pytest.mark.parametrize("argv, message", [
    (["--scale", "0"], "a PNG's scale must be from 0.25 to 12.5 (1 is the SVG's size), not 0"),
    (["--scale", "-2"], "a PNG's scale must be from 0.25 to 12.5"),
    (["--scale", "1e9"], "a PNG's scale must be from 0.25 to 12.5"),
    (["--scale", "nan"], "the PNG scale must be a finite number, not nan"),
    (["--scale", "big"], "'big': the scale must be a number, as in --scale 2"),
    (["--dpi", "5000"], "a PNG's dpi must be from 24 to 1200, not 5000"),
    (["--dpi", "inf"], "the PNG dpi must be a finite number, not inf"),
    (["--dpi", "300dpi"], "'300dpi': the dpi must be a number, as in --dpi 192"),
    (["--scale", "2", "--dpi", "150"], "argument --dpi: not allowed with argument --scale"),
])
def test_a_bad_scale_or_dpi_is_a_usage_error(capsys, tmp_path, argv, message):
    target = tmp_path / "whys.png"
    with pytest.raises(SystemExit) as exited:
        main(["render", str(WHYS), "--format", "png", *argv, "-o", str(target)])
    assert exited.value.code == 2
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_a_scale_without_png_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "render", str(WHYS), "--scale", "2", "-o", str(tmp_path / "whys.svg"))
    assert code == 2
    assert "--scale and --dpi size PNG images; add --format png" in err


def test_the_api_refuses_a_bad_scale_or_dpi():
    spec = cxviz.load(WHYS)
    with pytest.raises(ValueError, match="from 0.25 to 12.5"):
        cxviz.render_png(spec, scale=0)
    with pytest.raises(ValueError, match="not both"):
        cxviz.render_png(spec, scale=2, dpi=150)
    with pytest.raises(ValueError, match="must be a number"):
        cxviz.render_png(spec, dpi="150")


def test_a_png_over_the_pixel_limit_is_refused_before_it_is_drawn(capsys, tmp_path):
    target = tmp_path / "whys.png"
    code, _, err = run(capsys, "render", str(WHYS), "--format", "png", "--limit", "max_png_pixels=100000",
                       "-o", str(target), "--no-cache")
    assert code == 1
    assert "at 192 dpi the PNG would be 1,547 x 2,374 pixels (3.7 million), over the limit of 100,000 pixels" in err
    assert "--limit max_png_pixels=PIXELS" in err and "Traceback" not in err
    assert not target.exists()
    with pytest.raises(cxviz.RenderError, match="over the limit of 100,000 pixels"):
        cxviz.render_png(cxviz.load(WHYS), limits=cxviz.Limits(max_png_pixels=100_000))


def test_a_png_wider_than_a_bitmap_can_be_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "render", str(SAMPLES / "blueprint-telco.yaml"), "--format", "png", "--dpi", "1200",
                       "-o", str(tmp_path / "telco.png"), "--no-cache")
    assert code == 1
    assert "at 1200 dpi the PNG would be 34,0" in err and "at most 32,767 pixels on a side" in err


# -- batches and the cache ------------------------------------------------------------

def test_a_batch_writes_svg_and_png_and_caches_each_scale(capsys, tmp_path):
    specs = tmp_path / "specs"
    (specs / "photos").mkdir(parents=True)
    shutil.copy(WHYS, specs)
    shutil.copy(SAMPLES / "persona-dewi.yaml", specs)
    shutil.copy(SAMPLES / "photos" / "dewi.png", specs / "photos")
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = [str(specs), "-o", str(out), "--format", "svg,png", "--cache-dir", str(cache), "--jobs", "2"]
    code, _, err = run(capsys, "render", *args)
    assert code == 0, err
    assert "rendered 2 of 2 specs (0 from the cache)" in err
    for name in ("whys-checkout", "persona-dewi"):
        assert (out / f"{name}.svg").read_text(encoding="utf-8").startswith("<?xml")
        data = (out / f"{name}.png").read_bytes()
        assert_drawn_at(data, cxviz.load(specs / f"{name}.yaml"), 192)
        assert_has_text(data)
    first = (out / "whys-checkout.png").read_bytes()
    assert "(2 from the cache)" in run(capsys, "render", *args)[2]
    # The same resolution asked as a dpi is the same image; another scale is not.
    assert "(2 from the cache)" in run(capsys, "render", *args, "--dpi", "192")[2]
    code, _, err = run(capsys, "render", *args, "--scale", "1")
    assert code == 0 and "(0 from the cache)" in err
    assert header_size((out / "whys-checkout.png").read_bytes())[0] < header_size(first)[0]
