"""The text of a printed canvas as readers copy, search and read it aloud.

Cairo (the diagram) and WeasyPrint (the page) write text as glyphs placed
where they show, each mapped to the characters it draws. Text extractors
such as poppler's ``pdftotext`` rebuild a line from where its glyphs sit,
left to right, and reverse its right-to-left runs. That breaks every glyph
that draws several characters: a ligature such as ``لا`` or ``في`` comes
out swapped, a harakah lands on the wrong letter, and the small gaps kerning
leaves between Arabic letters split words in two.

So a PDF holding right-to-left text gets a text layer, the way scanned
documents get one: the visible glyphs keep drawing exactly what they drew,
but map to no characters, and over them invisible text (rendering mode 3,
in a glyphless font) holds one glyph per character, in the order the
characters show, each word spanning the width of the word it stands for.
An extractor reversing the runs then reads every word whole and in reading
order, and selecting text still highlights the words as they are printed.

The layer is made from the page itself (its fonts' character maps and the
text operators' positions), so it covers every text a canvas prints: the
diagram, the header, a blank canvas's questions, a pack's cover. A page
that already has a layer is left alone, and a document without
right-to-left text is not touched at all.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = ["add_text_layer", "LAYER_FONT"]

#: The resource name of the layer's font; a page whose fonts include it already has a layer.
LAYER_FONT = "/CxvizText"

_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SPACES = {" ", "\u00a0", "\t"}
_ACTUAL_TEXT = re.compile(rb"/ActualText\s*(?:\((?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*\)|<[0-9A-Fa-f\s]*>)", re.S)


def _mul(m: tuple, n: tuple) -> tuple:
    """The matrix product m × n, in PDF's row-vector convention."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _ltr(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) == "L" for ch in text)


# -- fonts ---------------------------------------------------------------------------------


@dataclass
class _Font:
    """What the layer needs of one font: its codes' widths and characters."""

    two_bytes: bool
    widths: dict[int, float]
    default_width: float
    to_unicode: dict[int, str]
    scale: float = 0.001  # glyph space to text space
    used: set[int] = field(default_factory=set)

    def codes(self, data: bytes) -> list[int]:
        if self.two_bytes:
            return [data[i] << 8 | data[i + 1] for i in range(0, len(data) - 1, 2)]
        return list(data)

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default_width) * self.scale

    def text(self, code: int) -> str:
        if code in self.to_unicode:
            return self.to_unicode[code]
        if self.two_bytes:
            return ""
        return bytes([code]).decode("cp1252", "replace")


def _hex_text(token: bytes) -> str:
    raw = bytes.fromhex(token.decode("ascii"))
    return raw.decode("utf-16-be", "replace") if len(raw) % 2 == 0 else raw.decode("latin-1")


_CMAP_TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]|(beginbfchar|endbfchar|beginbfrange|endbfrange)")


def _parse_to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's mappings (``bfchar`` and ``bfrange``, hexadecimal strings)."""
    mapping: dict[int, str] = {}
    section, pending, array = None, [], None
    for match in _CMAP_TOKEN.finditer(data):
        keyword, token = match.group(2), match.group(0)
        if keyword is not None:
            section = keyword if keyword.startswith(b"begin") else None
            pending, array = [], None
            continue
        if section is None:
            continue
        if token == b"[":
            array = []
            continue
        if token == b"]":
            if array is not None and len(pending) == 2:
                low, high = pending
                for offset, text in enumerate(array[:high - low + 1]):
                    mapping[low + offset] = text
            pending, array = [], None
            continue
        digits = re.sub(rb"\s", b"", match.group(1))
        if array is not None:
            array.append(_hex_text(digits))
            continue
        if section == b"beginbfchar":
            if not pending:
                pending = [int(digits or b"0", 16)]
            else:
                mapping[pending[0]] = _hex_text(digits)
                pending = []
        else:
            if len(pending) < 2:
                pending.append(int(digits or b"0", 16))
            else:
                low, high = pending
                text = _hex_text(digits)
                for offset in range(min(high - low + 1, 65536)):
                    mapping[low + offset] = text[:-1] + chr(ord(text[-1]) + offset) if text else ""
                pending = []
    return mapping


def _text_string(value: Any) -> str:
    """A PDF text string as written: UTF-16 after its byte order mark, else PDFDocEncoding."""
    if hasattr(value, "original_bytes"):
        raw = value.original_bytes
    elif isinstance(value, bytes):
        raw = bytes(value)
    else:
        raw = str(value).encode("latin-1", "replace")
    if raw[:2] == b"\xfe\xff":
        return raw[2:].decode("utf-16-be", "replace")
    if raw[:3] == b"\xef\xbb\xbf":
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def _number(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _read_font(font: Any) -> _Font:
    subtype = font.get("/Subtype")
    to_unicode = {}
    if "/ToUnicode" in font:
        try:
            to_unicode = _parse_to_unicode(font["/ToUnicode"].get_object().get_data())
        except Exception:  # a broken map: the glyphs still draw, they just map to nothing
            to_unicode = {}
    if subtype == "/Type0":
        descendant = font["/DescendantFonts"][0].get_object()
        widths: dict[int, float] = {}
        items = list(descendant.get("/W", []))
        index = 0
        while index < len(items):
            first = int(items[index])
            following = items[index + 1].get_object() if index + 1 < len(items) else None
            if isinstance(following, list):
                for offset, width in enumerate(following):
                    widths[first + offset] = _number(width)
                index += 2
            else:
                last, width = int(items[index + 1]), _number(items[index + 2])
                for code in range(first, min(last, first + 65535) + 1):
                    widths[code] = width
                index += 3
        return _Font(True, widths, _number(descendant.get("/DW", 1000), 1000.0), to_unicode)
    first = int(font.get("/FirstChar", 0))
    widths = {first + i: _number(w) for i, w in enumerate(font.get("/Widths", []))}
    descriptor = font.get("/FontDescriptor")
    missing = _number(descriptor.get_object().get("/MissingWidth", 0)) if descriptor is not None else 0.0
    scale = 0.001
    if subtype == "/Type3":
        scale = _number(font.get("/FontMatrix", [0.001])[0], 0.001)
    return _Font(False, widths, missing, to_unicode, scale)


# -- content streams -----------------------------------------------------------------------

_TOKEN = re.compile(rb"""
    (?P<number>[+-]?(?:\d+\.?\d*|\.\d+))
  | (?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
  | (?P<open><<|\[|\{)
  | (?P<close>>>|\]|\})
  | (?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)
  | (?P<string>\((?:[^()\\]|\\.)*\))
  | (?P<nested>\()
  | (?P<comment>%[^\r\n]*)
  | (?P<word>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)
""", re.X | re.S)
_LITERAL_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|[\s\S])")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\r\n": b"", b"\n": b"", b"\r": b""}
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_INLINE_IMAGE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r ]|$)")


def _unescape(match: re.Match) -> bytes:
    escaped = match.group(1)
    if escaped[:1].isdigit():
        return bytes([int(escaped, 8) & 0xFF])
    return _ESCAPES.get(escaped, escaped)


def _literal(data: bytes, position: int) -> tuple[bytes, int]:
    """A literal string with nested brackets, starting after its ``(``, unescaped; and where it ends."""
    depth, index, length = 1, position, len(data)
    while index < length and depth:
        byte = data[index]
        if byte == 0x5C:
            index += 1
        elif byte == 0x28:
            depth += 1
        elif byte == 0x29:
            depth -= 1
        index += 1
    return _LITERAL_ESCAPE.sub(_unescape, data[position:index - 1]), index


def _operands(data: bytes) -> list:
    """The operands written in ``data``: numbers as floats, names as ``/Name`` text, strings as bytes,
    arrays as lists and dictionaries as dicts."""
    operands: list = []
    stack: list[list] = []
    position, length = 0, len(data)
    while position < length:
        restart = None
        for found in _TOKEN.finditer(data, position):
            kind = found.lastgroup
            target = stack[-1] if stack else operands
            if kind == "number":
                target.append(float(found.group()))
            elif kind == "hex":
                digits = re.sub(rb"[\x00\t\n\x0c\r ]", b"", found.group()[1:-1])
                target.append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii")))
            elif kind == "name":
                name = found.group()
                if b"#" in name:
                    name = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
                target.append(name.decode("latin-1"))
            elif kind == "string":
                target.append(_LITERAL_ESCAPE.sub(_unescape, found.group()[1:-1]))
            elif kind == "nested":
                text, restart = _literal(data, found.end())
                target.append(text)
                break
            elif kind == "open":
                stack.append([b"<<"] if found.group() == b"<<" else [])
            elif kind == "close" and stack:
                items = stack.pop()
                if items and items[0] == b"<<":
                    value = {items[i]: items[i + 1] for i in range(1, len(items) - 1, 2) if isinstance(items[i], str)}
                else:
                    value = items
                (stack[-1] if stack else operands).append(value)
            elif kind == "word":
                target.append(found.group())  # true, false, null
        if restart is None:
            break
        position = restart
    return operands


#: Finds operators (and what could hide one: strings, names, arrays and dictionaries) without
#: reading numbers, so that the paths of a drawing cost next to nothing.
_COARSE = re.compile(rb"""
    (?P<string>\((?:[^()\\]|\\.)*\))
  | (?P<nested>\()
  | (?P<hex><(?!<)[0-9A-Fa-f\x00\t\n\x0c\r ]*>)
  | (?P<open><<|\[)
  | (?P<close>>>|\])
  | (?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
  | (?P<comment>%[^\r\n]*)
  | (?P<word>[A-Za-z'"*][^\x00\t\n\x0c\r ()<>\[\]{}/%]*)
""", re.X | re.S)
#: The operators the text layer follows; every other one is skipped with its operands.
_FOLLOWED = {b"q", b"Q", b"cm", b"BT", b"Tf", b"Tc", b"Tw", b"Tz", b"TL", b"Ts", b"Td", b"TD", b"Tm", b"T*",
             b"'", b'"', b"Tj", b"TJ", b"BDC", b"BMC", b"EMC", b"Do"}


def _operations(data: bytes):
    """The operations of a content stream the layer follows, as (operands, operator); inline images skipped."""
    start = position = 0
    depth = 0
    length = len(data)
    while position < length:
        restart = None
        for found in _COARSE.finditer(data, position):
            kind = found.lastgroup
            if kind == "word":
                if depth:
                    continue
                operator = found.group()
                if operator in _FOLLOWED:
                    yield _operands(data[start:found.start()]), operator
                elif operator == b"ID":  # inline image data runs to EI
                    end = _INLINE_IMAGE_END.search(data, found.end())
                    restart = end.end() if end else length
                    start = restart
                    break
                start = found.end()
            elif kind == "open":
                depth += 1
            elif kind == "close":
                depth = max(0, depth - 1)
            elif kind == "nested":
                restart = _literal(data, found.end())[1]
                break
        if restart is None:
            return
        position = restart


# -- reading a page --------------------------------------------------------------------------


@dataclass(slots=True)
class _Glyph:
    """One glyph shown: where it starts on the page, how far it advances, what it stands for."""

    x: float
    y: float
    ux: float  # the direction of writing, a unit vector
    uy: float
    advance: float  # points along (ux, uy)
    size: float  # points
    text: str
    span: int | None  # the ActualText span it is inside, if any


def _resolved(value: Any) -> Any:
    """A PDF object behind a reference, or an empty dictionary for none (a form may lack resources)."""
    if value is None:
        return {}
    return value.get_object() if hasattr(value, "get_object") else value


class _Reader:
    """Follows a content stream's text operators, noting each glyph (forms included)."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.glyphs: list[_Glyph] = []
        self.fonts: dict[int, tuple[Any, _Font]] = {}
        self.spans: dict[int, str] = {}
        self.forms: dict[int, Any] = {}

    def font(self, reference: Any) -> _Font:
        key = reference.idnum if hasattr(reference, "idnum") else id(reference)
        if key not in self.fonts:
            self.fonts[key] = (reference.get_object(), _read_font(reference.get_object()))
        return self.fonts[key][1]

    def fonts_of(self, pages: list) -> list[_Font]:
        """The fonts the pages (and the forms they draw) use."""
        found: list[_Font] = []
        seen: set[int] = set()

        def visit(resources: Any, depth: int) -> None:
            resources = resources.get_object() if resources is not None else None
            if resources is None or id(resources) in seen or depth > 8:
                return
            seen.add(id(resources))
            fonts = resources.get("/Font")
            for reference in (fonts.get_object().values() if fonts is not None else ()):
                found.append(self.font(reference))
            objects = resources.get("/XObject")
            for reference in (objects.get_object().values() if objects is not None else ()):
                item = reference.get_object()
                if item.get("/Subtype") == "/Form":
                    visit(item.get("/Resources"), depth + 1)

        for page in pages:
            visit(page.get("/Resources"), 0)
        return found

    def read(self, data: bytes, resources: Any, ctm: tuple, depth: int = 0) -> None:
        resources = _resolved(resources)
        fonts = _resolved(resources.get("/Font"))
        state = {"ctm": ctm, "tc": 0.0, "tw": 0.0, "th": 1.0, "tl": 0.0, "font": None, "size": 0.0, "rise": 0.0}
        stack: list[dict] = []
        marks: list[int | None] = []
        tm = tlm = _IDENTITY
        for operands, operator in _operations(data):
            if operator == b"q":
                stack.append(dict(state))
            elif operator == b"Q":
                if stack:
                    state = stack.pop()
            elif operator == b"cm" and len(operands) == 6:
                state["ctm"] = _mul(tuple(_number(v) for v in operands), state["ctm"])
            elif operator == b"BT":
                tm = tlm = _IDENTITY
            elif operator == b"Tf" and len(operands) == 2:
                reference = fonts.get(operands[0])
                state["font"] = self.font(reference) if reference is not None else None
                state["size"] = _number(operands[1])
            elif operator == b"Tc" and operands:
                state["tc"] = _number(operands[0])
            elif operator == b"Tw" and operands:
                state["tw"] = _number(operands[0])
            elif operator == b"Tz" and operands:
                state["th"] = _number(operands[0], 100.0) / 100
            elif operator == b"TL" and operands:
                state["tl"] = _number(operands[0])
            elif operator == b"Ts" and operands:
                state["rise"] = _number(operands[0])
            elif operator in (b"Td", b"TD") and len(operands) == 2:
                tx, ty = _number(operands[0]), _number(operands[1])
                if operator == b"TD":
                    state["tl"] = -ty
                tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, tx, ty), tlm)
            elif operator == b"Tm" and len(operands) == 6:
                tm = tlm = tuple(_number(v) for v in operands)
            elif operator in (b"T*", b"'", b'"'):
                if operator == b'"' and len(operands) == 3:
                    state["tw"], state["tc"] = _number(operands[0]), _number(operands[1])
                tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -state["tl"]), tlm)
                if operator != b"T*" and operands:
                    tm = self.show([operands[-1]], state, tm, marks)
            elif operator == b"Tj" and operands:
                tm = self.show([operands[0]], state, tm, marks)
            elif operator == b"TJ" and operands:
                tm = self.show(list(operands[0]), state, tm, marks)
            elif operator in (b"BDC", b"BMC"):
                marks.append(self.span(operands, resources) if operator == b"BDC" else None)
            elif operator == b"EMC":
                if marks:
                    marks.pop()
            elif operator == b"Do" and operands and depth < 8:
                self.form(operands[0], resources, state["ctm"], depth)

    def span(self, operands: list, resources: Any) -> int | None:
        """The ActualText span a BDC opens, numbered, or None."""
        if len(operands) < 2:
            return None
        properties = operands[1]
        if isinstance(properties, str):
            named = resources.get("/Properties")
            properties = named.get_object().get(properties) if named is not None else None
            properties = properties.get_object() if properties is not None else None
        if not hasattr(properties, "get") or properties.get("/ActualText") is None:
            return None
        number = len(self.spans) + 1
        self.spans[number] = _text_string(properties["/ActualText"])
        return number

    def form(self, name: Any, resources: Any, ctm: tuple, depth: int) -> None:
        objects = resources.get("/XObject")
        reference = objects.get_object().get(name) if objects is not None else None
        if reference is None:
            return
        form = reference.get_object()
        if form.get("/Subtype") != "/Form":
            return
        matrix = tuple(_number(v) for v in form.get("/Matrix", _IDENTITY))
        key = reference.idnum if hasattr(reference, "idnum") else id(form)
        self.forms[key] = form
        self.read(form.get_data(), form.get("/Resources", resources), _mul(matrix, ctm), depth + 1)

    def show(self, items: list, state: dict, tm: tuple, marks: list) -> tuple:
        """Note the glyphs of a Tj or TJ; returns the text matrix after them."""
        font, size, th = state["font"], state["size"], state["th"]
        span = next((mark for mark in marks if mark is not None), None)
        # Glyphs only move the text matrix along its x axis: its linear part stays, its origin moves.
        a, b, c, d, e, f = tm
        ctm = state["ctm"]
        ma, mb, mc, md = _mul((a, b, c, d, 0.0, 0.0), ctm)[:4]
        length = math.hypot(ma, mb) or 1.0
        ux, uy = ma / length, mb / length
        height = math.hypot(mc, md) * abs(size)
        tc, tw, two_bytes = state["tc"], state["tw"], font.two_bytes if font is not None else True
        glyphs = self.glyphs
        for item in items:
            if isinstance(item, float):
                move = -item / 1000 * size * th
                e, f = e + move * a, f + move * b
                continue
            if font is None or not isinstance(item, bytes):
                continue
            codes = font.codes(item)
            font.used.update(codes)
            widths, default, scale, text = font.widths.get, font.default_width, font.scale, font.text
            for code in codes:
                step = (widths(code, default) * scale * size + tc + (tw if not two_bytes and code == 32 else 0.0)) * th
                if height > 0:
                    glyphs.append(_Glyph(e * ctm[0] + f * ctm[2] + ctm[4], e * ctm[1] + f * ctm[3] + ctm[5], ux, uy,
                                         step * length, height, text(code), span))
                e, f = e + step * a, f + step * b
        return (a, b, c, d, e, f)


# -- lines of the layer ----------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    """A glyph, or the glyphs of one ActualText span, with the characters it stands for (reading order)."""

    start: float  # along the line's direction
    end: float
    across: float
    size: float
    ux: float
    uy: float
    text: str
    order: int  # where it was shown in the content stream
    #: A combining mark drawn over a letter (a harakah, a shadda).
    mark: bool = False
    space: bool = False

    def __post_init__(self) -> None:
        text = self.text
        if text:
            self.mark = all(unicodedata.category(ch) in ("Mn", "Me") for ch in text)
            self.space = all(ch in _SPACES for ch in text)

    @property
    def visual(self) -> str:
        """The characters in the order they show: a right-to-left glyph's backwards."""
        return self.text[::-1] if len(self.text) > 1 and _rtl(self.text) and not _ltr(self.text) else self.text


def _units(glyphs: list[_Glyph], spans: dict[int, str]) -> list[_Unit]:
    units: list[_Unit] = []
    index = 0
    while index < len(glyphs):
        first = glyphs[index]
        group = [first]
        index += 1
        if first.span is not None:
            while index < len(glyphs) and glyphs[index].span == first.span:
                group.append(glyphs[index])
                index += 1
        ux, uy = first.ux, first.uy
        along = [g.x * ux + g.y * uy for g in group]
        ends = [a + g.advance for a, g in zip(along, group)]
        text = spans[first.span] if first.span is not None else first.text
        units.append(_Unit(min(along + ends), max(along + ends), first.y * ux - first.x * uy,
                           max(g.size for g in group), ux, uy, text, len(units)))
    return _attach_marks(units)


def _same_line(a: _Unit, b: _Unit, tolerance: float = 0.3) -> bool:
    return a.ux * b.ux + a.uy * b.uy > 0.999 and abs(a.across - b.across) < tolerance * max(a.size, b.size)


def _attach_marks(units: list[_Unit]) -> list[_Unit]:
    """Each combining mark joined to its letter, after it in reading order.

    A producer writes a mark next to its letter: after it when it writes in
    reading order (cairo), before it when it writes what shows from left to
    right (WeasyPrint, for right-to-left text). Of the two letters beside a
    mark in the stream, its own is therefore the one that comes first in
    reading order: the right one in right-to-left text, the left one else.
    Where the mark is drawn cannot tell, as a tanween often sits on the
    alef after its letter.
    """

    def beside(index: int, step: int) -> _Unit | None:
        index += step
        while 0 <= index < len(units) and units[index].mark:
            index += step
        if 0 <= index < len(units) and not units[index].space and units[index].text \
                and _same_line(units[index], units[index - step], 1.2):
            return units[index]
        return None

    for index, unit in enumerate(units):
        if not unit.mark:
            continue
        before, after = beside(index, -1), beside(index, 1)
        candidates = [other for other in (before, after) if other is not None]
        if not candidates:
            continue
        rtl = any(_rtl(other.text) for other in candidates)
        holder = max(candidates, key=lambda other: other.start if rtl else -other.start)
        holder.text += unit.text
        unit.text = ""
    return [unit for unit in units if unit.text or unit.end > unit.start]


@dataclass
class _Word:
    start: float
    end: float
    size: float
    chars: str


@dataclass
class _Line:
    ux: float
    uy: float
    across: float
    size: float
    units: list[_Unit] = field(default_factory=list)

    def words(self) -> list[_Word]:
        """The line's words in the order they show, split at spaces and wide gaps."""
        words: list[_Word] = []
        previous: _Unit | None = None
        for unit in sorted(self.units, key=lambda u: ((u.start + u.end) / 2, u.order)):
            if unit.space or not unit.text:
                previous = None if unit.space else previous
                continue
            gap = unit.start - previous.end if previous is not None else math.inf
            if gap > 0.2 * max(unit.size, previous.size if previous else 0) or not words:
                words.append(_Word(unit.start, unit.end, unit.size, ""))
            word = words[-1]
            word.start, word.end = min(word.start, unit.start), max(word.end, unit.end)
            word.size = max(word.size, unit.size)
            word.chars += unit.visual.replace("\u00a0", " ")
            previous = unit
        return words


def _lines(units: list[_Unit]) -> list[_Line]:
    """Units gathered into lines: on one baseline, in one direction, with no wide gap between them.

    Lines come in the order the page first shows them, so that a reader
    following the content stream meets them as before.
    """
    rows: list[list[_Unit]] = []
    for unit in sorted(units, key=lambda u: (round(u.ux, 3), round(u.uy, 3), u.across)):
        row = rows[-1] if rows else None
        if row is None or not (row[0].ux * unit.ux + row[0].uy * unit.uy > 0.999
                               and abs(unit.across - row[0].across) < 0.3 * min(row[0].size, unit.size)):
            rows.append(row := [])
        row.append(unit)
    lines: list[_Line] = []
    for row in rows:
        line = None
        reach = -math.inf
        for unit in sorted(row, key=lambda u: ((u.start + u.end) / 2, u.order)):
            if (line is None or unit.start - reach > 1.5 * max(unit.size, line.size)
                    or not 0.85 < unit.size / line.size < 1.18):  # a number, a label: a run of its own
                line = _Line(unit.ux, unit.uy, unit.across, unit.size)
                lines.append(line)
            line.units.append(unit)
            reach = max(reach, unit.end)
    return sorted(lines, key=lambda line: min(unit.order for unit in line.units))


# -- writing the layer ----------------------------------------------------------------------


class _Codes:
    """The layer font's codes: one for each character, given in order of first use."""

    def __init__(self) -> None:
        self.by_char: dict[str, int] = {}

    def hex(self, text: str) -> str:
        return "".join(f"{self.by_char.setdefault(ch, len(self.by_char) + 1):04x}" for ch in text)


def _f(value: float) -> str:
    return f"{value:.3f}"


def _layer(lines: list[_Line], codes: _Codes) -> bytes:
    """The invisible text of one page, as content stream operators: a text object a line.

    Each character takes an equal share of its word's width (set with the
    horizontal scaling, the font's every glyph being 1 em wide), and a space
    spans the gap to the next word, so one positioning per line suffices.
    """
    out = ["q"]
    for line in lines:
        words = line.words()
        if not words:
            continue
        ux, uy = line.ux, line.uy
        nx, ny = -uy, ux
        size = line.size
        first = words[0].start
        x, y = first * ux + line.across * nx, first * uy + line.across * ny
        out += ["BT", "3 Tr", f"{LAYER_FONT} {_f(size)} Tf", f"{_f(ux)} {_f(uy)} {_f(nx)} {_f(ny)} {_f(x)} {_f(y)} Tm"]
        reach = first
        for index, word in enumerate(words):
            if index:
                # The space ends where the word starts, so rounding never adds up along a line.
                gap = max(word.start - reach, 0.05 * size)
                out.append(f"{_f(100 * gap / size)} Tz <{codes.hex(' ')}> Tj")
                reach += gap
            width = max(word.end - reach, 0.05 * size)
            out.append(f"{_f(100 * width / len(word.chars) / size)} Tz <{codes.hex(word.chars)}> Tj")
            reach += width
        out.append("ET")
    out.append("Q")
    return ("\n".join(out) + "\n").encode("ascii")


@lru_cache(maxsize=1)
def _glyphless_font() -> bytes:
    """A TrueType font with one empty glyph: the layer's characters take room but draw nothing."""
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef"])
    builder.setupCharacterMap({})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph()})
    builder.setupHorizontalMetrics({".notdef": (1000, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "CxvizText", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    font = builder.font
    font["head"].created = font["head"].modified = 0  # the same bytes every run
    font.recalcTimestamp = False
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def _stream(writer: Any, data: bytes, **entries: Any) -> Any:
    from pypdf.generic import DecodedStreamObject, NameObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[NameObject(f"/{key}")] = value
    return writer._add_object(stream.flate_encode())


def _to_unicode(entries: list[tuple[int, str]], two_bytes: bool = True) -> bytes:
    """A ToUnicode CMap for ``entries`` (code, characters; empty characters map to nothing)."""
    width = 4 if two_bytes else 2
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def", "1 begincodespacerange",
             f"<{'0' * width}> <{'f' * width}>", "endcodespacerange"]
    for index in range(0, len(entries), 100):
        chunk = entries[index:index + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{code:0{width}x}> <{text.encode('utf-16-be').hex()}>" for code, text in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return ("\n".join(lines) + "\n").encode("ascii")


def _layer_font(writer: Any, codes: _Codes) -> Any:
    """The layer's font: Type0, glyphless, every code mapped to its one character."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

    def name(value: str) -> NameObject:
        return NameObject(value)

    count = len(codes.by_char) + 1
    to_gid = _stream(writer, bytes(2 * count))  # every code draws glyph 0, the empty one
    font_file = _stream(writer, _glyphless_font(), Length1=NumberObject(len(_glyphless_font())))
    descriptor = writer._add_object(DictionaryObject({
        name("/Type"): name("/FontDescriptor"), name("/FontName"): name("/CxvizText"),
        name("/Flags"): NumberObject(4),
        name("/FontBBox"): ArrayObject([NumberObject(v) for v in (0, -200, 1000, 800)]),
        name("/ItalicAngle"): NumberObject(0), name("/Ascent"): NumberObject(800), name("/Descent"): NumberObject(-200),
        name("/CapHeight"): NumberObject(700), name("/StemV"): NumberObject(80), name("/FontFile2"): font_file,
    }))
    descendant = writer._add_object(DictionaryObject({
        name("/Type"): name("/Font"), name("/Subtype"): name("/CIDFontType2"), name("/BaseFont"): name("/CxvizText"),
        name("/CIDSystemInfo"): DictionaryObject({name("/Registry"): TextStringObject("Adobe"),
                                                  name("/Ordering"): TextStringObject("Identity"),
                                                  name("/Supplement"): NumberObject(0)}),
        name("/FontDescriptor"): descriptor, name("/DW"): NumberObject(1000), name("/CIDToGIDMap"): to_gid,
    }))
    entries = sorted((code, char) for char, code in codes.by_char.items())
    return writer._add_object(DictionaryObject({
        name("/Type"): name("/Font"), name("/Subtype"): name("/Type0"), name("/BaseFont"): name("/CxvizText"),
        name("/Encoding"): name("/Identity-H"), name("/DescendantFonts"): ArrayObject([descendant]),
        name("/ToUnicode"): _stream(writer, _to_unicode(entries)),
    }))


def _has_layer(page: Any) -> bool:
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    return fonts is not None and LAYER_FONT in fonts.get_object()


def add_text_layer(writer: Any) -> bool:
    """Give every page of ``writer`` a text layer if any page without one holds right-to-left text.

    Returns whether anything changed. The visible glyphs draw as before; see
    the module's docstring for why and how.
    """
    from pypdf.generic import DictionaryObject, NameObject

    pages = [page for page in writer.pages if not _has_layer(page)]
    if not pages:
        return False
    reader = _Reader(writer)
    # Arabic text shows in the fonts' character maps: a document without any is not read at all.
    if not any(_rtl("".join(font.to_unicode.values())) for font in reader.fonts_of(pages)):
        return False
    try:
        read = []
        for page in pages:
            start = len(reader.glyphs)
            contents = page.get_contents()
            data = contents.get_data() if contents is not None else b""
            reader.read(data, page.get("/Resources"), _IDENTITY)
            read.append((page, data, reader.glyphs[start:]))
        if not any(_rtl(glyph.text) for glyph in reader.glyphs) and not any(_rtl(t) for t in reader.spans.values()):
            return False
        codes = _Codes()
        layers = [(page, data, _layer(_lines(_units(glyphs, reader.spans)), codes)) for page, data, glyphs in read]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, ZeroDivisionError):
        # A page the layer cannot follow (a template's own odd drawing) still prints, as it looks,
        # without the layer: nothing was changed yet.
        return False
    font = _layer_font(writer, codes)
    for page, data, layer in layers:
        original = _ACTUAL_TEXT.sub(b"", data)
        page[NameObject("/Contents")] = _stream(writer, b"q\n" + original + b"\nQ\n" + layer)
        resources = page.get("/Resources")
        if resources is None:
            page[NameObject("/Resources")] = resources = DictionaryObject()
        resources = resources.get_object()
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        resources["/Font"].get_object()[NameObject(LAYER_FONT)] = font
    for form in reader.forms.values():
        data = form.get_data()
        cleaned = _ACTUAL_TEXT.sub(b"", data)
        if cleaned != data:
            form.set_data(cleaned)
    # The visible glyphs map to no characters: the layer holds the text.
    for font_object, info in reader.fonts.values():
        if info.used:
            blank = _to_unicode([(code, "") for code in sorted(info.used)], info.two_bytes)
            font_object[NameObject("/ToUnicode")] = _stream(writer, blank)
    return True
