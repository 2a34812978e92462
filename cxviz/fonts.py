"""The font cxviz draws with: where it lives, how wide text is, how to embed it.

cxviz ships its type family as a Python package, so Graphviz (through a
fontconfig file that adds the package's folder), the text measurer below and
the fonts embedded in each SVG all use the very same files. That is what
makes text fit its box in any browser exactly as it did when Graphviz
measured it.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from .theme import FONT_FAMILY

__all__ = [
    "font_file",
    "fontconfig_environment",
    "TextMeasurer",
    "measurer",
    "embedded_font_css",
    "font_cache_dir",
    "LINE_SPACING",
]

#: A line of label text takes at most this many font sizes of height in
#: Graphviz (Pango's line height for this family, rounded up, is 1.08-1.11).
LINE_SPACING = 1.15

_WEIGHTS = {"regular": "Regular", "bold": "Bold"}

# Hyphenating a word too long for its line: where it can, a break goes before a consonant
# and a vowel, and not inside a pair of letters that makes one sound (English, Indonesian).
_VOWELS = "aeiouyàáâäèéêëìíîïòóôöùúûü"
_DIGRAPHS = ("ch", "ck", "gh", "ng", "ny", "ph", "sh", "th", "wh")
# Letters of right-to-left scripts (Hebrew, Arabic), which are not hyphenated.
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


@lru_cache(maxsize=1)
def _font_dir() -> Path:
    import fontpkg_ibm_plex_sans_arabic as package

    return Path(package.__file__).resolve().parent / "files"


def font_file(weight: str = "regular") -> Path:
    """The TrueType file for ``weight`` (``regular`` or ``bold``)."""
    return _font_dir() / f"IBMPlexSansArabic-{_WEIGHTS[weight]}.ttf"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cxviz"


@lru_cache(maxsize=1)
def fontconfig_environment() -> dict[str, str]:
    """Environment variables that let Graphviz find cxviz's font.

    The fontconfig file includes the system configuration, so fallback
    fonts for scripts outside the family still work.
    """
    font_dir = _font_dir()
    config = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{font_dir}</dir>\n"
        '  <cachedir prefix="xdg">fontconfig</cachedir>\n'
        "  <cachedir>/var/cache/fontconfig</cachedir>\n"
        "</fontconfig>\n"
    )
    digest = hashlib.sha256(config.encode()).hexdigest()[:16]
    for folder in (_cache_dir() / "fontconfig", Path(tempfile.gettempdir()) / "cxviz-fontconfig"):
        path = folder / f"fonts-{digest}.conf"
        try:
            if not path.exists():
                folder.mkdir(parents=True, exist_ok=True)
                partial = folder / f".{path.name}.{os.getpid()}"
                partial.write_text(config, encoding="utf-8")
                partial.replace(path)
            return {"FONTCONFIG_FILE": str(path)}
        except OSError:
            continue
    return {}


class TextMeasurer:
    """Measures text in the drawing font, for wrapping and sizing boxes.

    Text is shaped with HarfBuzz, the shaper Graphviz uses through Pango,
    so Arabic is measured joined, as it is drawn. A small allowance covers
    Graphviz rounding each line up to whole points.
    """

    #: Graphviz rounds widths up and hints glyphs; never promise a tighter fit.
    ALLOWANCE = 1.02

    def __init__(self) -> None:
        import uharfbuzz

        self._hb = uharfbuzz
        self._fonts = {}
        for weight in _WEIGHTS:
            face = uharfbuzz.Face(font_file(weight).read_bytes())
            self._fonts[weight] = (uharfbuzz.Font(face), float(face.upem))

    @lru_cache(maxsize=50_000)
    def _word_units(self, word: str, bold: bool) -> int:
        font, _ = self._fonts["bold" if bold else "regular"]
        buffer = self._hb.Buffer()
        buffer.add_str(word)
        buffer.guess_segment_properties()
        self._hb.shape(font, buffer, {})
        return sum(position.x_advance for position in buffer.glyph_positions)

    @lru_cache(maxsize=50_000)
    def _units(self, text: str, bold: bool) -> int:
        # Word by word: Pango shapes each script run on its own (Arabic joined, Latin
        # kerned), so a line that mixes scripts is the sum of its words, not one run.
        words = text.split(" ")
        units = sum(self._word_units(word, bold) for word in words if word)
        return units + (len(words) - 1) * self._word_units(" ", bold)

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Width of one line of ``text`` at ``size`` points, as Graphviz will draw it."""
        if not text:
            return 0.0
        _, upem = self._fonts["bold" if bold else "regular"]
        return self._units(text, bold) * size / upem * self.ALLOWANCE + 1.0

    def wrap(self, text: str, max_width: float, size: float, bold: bool = False) -> list[str]:
        """Break ``text`` into lines no wider than ``max_width`` points.

        Breaks at spaces; only a word longer than a whole line is broken,
        with a hyphen (see :meth:`_split`). Line breaks already in the text
        are kept.
        """
        _, upem = self._fonts["bold" if bold else "regular"]

        def fits(units: float) -> bool:  # the very sum width() makes
            return units * size / upem * self.ALLOWANCE + 1.0 <= max_width

        space = self._word_units(" ", bold)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current, units = "", 0
            for word in paragraph.split():
                word_units = self._units(word, bold)
                if current and fits(units + space + word_units):
                    current, units = f"{current} {word}", units + space + word_units
                    continue
                if not current and fits(word_units):
                    current, units = word, word_units
                    continue
                if current:
                    lines.append(current)
                *pieces, word = self._split(word, max_width, size, bold)
                lines.extend(pieces)
                current, units = word, self._units(word, bold)
            lines.append(current)
        return lines

    def _split(self, word: str, max_width: float, size: float, bold: bool) -> list[str]:
        """A word wider than a line, in pieces that fit: hyphenated, never cut silently.

        It breaks after a hyphen or slash the word already has where one
        fits; otherwise between two letters, with a hyphen added (Arabic
        script, which is not hyphenated, is broken without one).
        """
        pieces = []
        while self.width(word, size, bold) > max_width and len(word) > 1:
            fits = [i for i in range(1, len(word) - 1)
                    if word[i - 1] in "-/" and self.width(word[:i], size, bold) <= max_width]
            if fits:
                cut = fits[-1]
                pieces.append(word[:cut])
                word = word[cut:]
                continue
            mark = "" if _RTL_LETTER.search(word) else "-"
            cut = 1
            while cut < len(word) - 1 and self.width(word[: cut + 1] + mark, size, bold) <= max_width:
                cut += 1
            if len(word) - cut == 1 and cut > 2:
                cut -= 1  # a lone letter reads worse on the next line than one letter fewer on this one
            # Up to three letters back, a break before a consonant and a vowel reads like a syllable.
            syllable = [k for k in range(cut, max(cut - 3, 2) - 1, -1)
                        if k + 1 < len(word) and word[k].lower() not in _VOWELS and word[k].isalpha()
                        and word[k + 1].lower() in _VOWELS and word[k - 1].isalpha()
                        and word[k - 1:k + 1].lower() not in _DIGRAPHS]
            if mark and syllable:
                cut = syllable[0]
            # A hyphen joins two letters; after a digit or a sign the break shows without one.
            joined = mark if word[cut - 1].isalpha() and word[cut].isalpha() else ""
            pieces.append(word[:cut] + joined)
            word = word[cut:]
        return [*pieces, word]

    @staticmethod
    def line_height(size: float) -> float:
        return size * LINE_SPACING


@lru_cache(maxsize=1)
def measurer() -> TextMeasurer:
    """The process-wide text measurer (loading the font once)."""
    return TextMeasurer()


def font_cache_dir() -> Path:
    """Where subset fonts are kept between runs: beside the render cache."""
    return _cache_dir() / "fonts"


@lru_cache(maxsize=2)
def _font_identity(weight: str) -> str:
    import uharfbuzz

    digest = hashlib.sha256(font_file(weight).read_bytes())
    digest.update(uharfbuzz.__version__.encode())  # another HarfBuzz may subset to other bytes
    return digest.hexdigest()[:32]


@lru_cache(maxsize=2)
def _face(weight: str):
    import uharfbuzz as hb

    return hb.Face(hb.Blob.from_file_path(str(font_file(weight))))


def _harfbuzz_subset(weight: str, chars: frozenset[str]) -> bytes:
    import uharfbuzz as hb

    face = _face(weight)
    wanted = hb.SubsetInput()
    for char in chars:
        wanted.unicode_set.add(ord(char))
    wanted.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    names = wanted.sets(hb.SubsetInputSets.NAME_ID)
    names.clear()
    names.update({1, 2})  # family and style: all a browser needs from the name table
    return hb.subset(face, wanted).blob.data


@lru_cache(maxsize=256)
def _subset(weight: str, chars: frozenset[str]) -> str:
    """The font reduced to ``chars``, base64-encoded; kept on disk for later processes."""
    text = "".join(sorted(chars))
    key = hashlib.sha256(f"{_font_identity(weight)}\0{weight}\0{text}".encode()).hexdigest()
    path = font_cache_dir() / key[:2] / f"{key}.b64"
    try:
        return path.read_text(encoding="ascii")
    except (OSError, ValueError):
        pass
    encoded = base64.b64encode(_harfbuzz_subset(weight, chars)).decode("ascii")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(encoded, encoding="ascii")
        partial.replace(path)
    except OSError:
        pass  # a read-only cache only costs the next process a subset
    return encoded


def embedded_font_css(chars_by_weight: dict[str, set[str]]) -> str:
    """``@font-face`` rules embedding just the glyphs an SVG uses.

    ``chars_by_weight`` maps ``regular``/``bold`` to the characters drawn in
    that weight.
    """
    rules = []
    for weight, chars in sorted(chars_by_weight.items()):
        if not chars:
            continue
        data = _subset(weight, frozenset(chars))
        css_weight = 700 if weight == "bold" else 400
        rules.append(
            f"@font-face{{font-family:'{FONT_FAMILY}';font-weight:{css_weight};"
            f"src:url(data:font/ttf;base64,{data}) format('truetype');}}"
        )
    return "".join(rules)
