"""Pieces several kinds draw alike: the avatar and its initials, chips, owner and due notes.

Each exists once, so a persona's avatar reads the same on its card, in an
empathy map and in a journey map.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..images import ImageError, read_image
from ..locale import Catalogue
from .board import Board
from .dot import TextStyle

__all__ = ["Chip", "initials", "lay_out_chips", "owner_due", "photo_uri", "draw_avatar"]

_ARABIC_ARTICLE = "ال"


def _joins(letter: str) -> bool:
    """Whether a letter joins its neighbours into one shape (Arabic script and its kin)."""
    return unicodedata.bidirectional(letter) == "AL"


def initials(name: str) -> str:
    """Up to two initials, of the first word and of the last, for an avatar without a photo.

    Arabic's article is skipped ("عمر الفاروق" gives ع and ف). Letters of a
    script whose letters join are set apart by a space: side by side they
    would join into a word of their own ("ليلى الشمري" must not read "لا").
    """
    words = [word for word in name.split() if word[:1].isalpha()]
    if not words:
        return name.strip()[:1] or "?"
    picked = words[:1] if len(words) == 1 else [words[0], words[-1]]
    letters = []
    for word in picked:
        if word.startswith(_ARABIC_ARTICLE) and len(word) > len(_ARABIC_ARTICLE) + 1:
            word = word[len(_ARABIC_ARTICLE):]
        letters.append(word[0].upper())
    return (" " if any(_joins(letter) for letter in letters) else "").join(letters)


def photo_uri(base_dir: Path, photo: str | None) -> str | None:
    """A photo as a data URI, or None when there is none or it cannot be read.

    Validation has already reported an unreadable photo; the drawing then
    shows initials rather than nothing.
    """
    if not photo:
        return None
    try:
        return read_image(base_dir / photo).data_uri()
    except (ImageError, OSError):
        return None


def draw_avatar(board: Board, cx: float, cy: float, radius: float, *, name: str, photo: str | None,
                tint: str, ink: str, ring: str, ring_gap: float = 3.0, ring_width: float = 1.0,
                border: str | None = None, border_width: float = 1.5, text_size: float = 22.0,
                paper: str = "#FFFFFF", photo_backing: str | None = None) -> None:
    """A round portrait: the photo (a data URI) in a ring, or the name's initials on ``tint``.

    ``border`` outlines the initials disc (none when left out); ``photo_backing``
    fills a disc under the photo (shown through a transparent one).
    """
    board.ellipse(cx, cy, radius + ring_gap, radius + ring_gap, fill=paper, stroke=ring, penwidth=ring_width)
    if photo is not None:
        if photo_backing is not None:
            board.ellipse(cx, cy, radius, radius, fill=photo_backing, stroke=photo_backing)
        board.image(cx - radius, cy - radius, 2 * radius, 2 * radius, photo, circle=True)
        return
    board.ellipse(cx, cy, radius, radius, fill=tint, stroke=border or tint, penwidth=border_width if border else 1.0)
    style = TextStyle(size=text_size, colour=ink, bold=True)
    board.text(cx - radius, cy - radius, 2 * radius, [initials(name)], style, align="center",
               h=2 * radius, valign="middle")


@dataclass(frozen=True)
class Chip:
    """One chip placed in a run of chips: its box from the run's top left, and its lines."""

    x: float
    y: float
    w: float
    h: float
    lines: list[str]


def lay_out_chips(items: tuple[str, ...] | list[str], width: float, style: TextStyle, *, pad_x: float,
                  pad_y: float, gap: float, extra: float = 0.0, slack: float = 0.0) -> tuple[list[Chip], float]:
    """Chips for ``items`` in rows no wider than ``width``; returns them and the height they take.

    A chip is as wide as its text (plus ``extra``), and wraps only when one
    would not fit a row alone; its text wraps ``slack`` points short of the chip.
    """
    chips: list[Chip] = []
    x = y = row_h = 0.0
    for item in items:
        lines = Board.wrap(item, width - 2 * pad_x - slack, style)
        w = min(max(Board.text_width(line, style) for line in lines) + 2 * pad_x + extra, width)
        h = Board.text_height(len(lines), style) + 2 * pad_y
        if x > 0 and x + w > width:
            x, y, row_h = 0.0, y + row_h + gap, 0.0
        chips.append(Chip(x, y, w, h, lines))
        x += w + gap
        row_h = max(row_h, h)
    return chips, (y + row_h if chips else 0.0)


def owner_due(locale: Catalogue, owner: str | None, due: str | None) -> list[str]:
    """"Owner: …" and "Due: …" notes, in the diagram's language, for what is given."""
    notes = []
    if owner:
        notes.append(f"{locale['common.owner']}: {owner}")
    if due:
        notes.append(f"{locale['common.due']}: {due}")
    return notes
