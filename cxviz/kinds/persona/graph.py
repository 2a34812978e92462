"""Drawing a persona as a portrait card on a :class:`~cxviz.graph.board.Board`.

The card reads top to bottom: a header band with the photo (or an initials
avatar), the name and a row of facts; the quote in large italics; the bio;
then two columns, the lists (goals, frustrations, motivations, behaviours)
on the wide one and the measures (personality sliders, tech comfort,
channels, brands) on the narrow one. Every block has a heading with its own
glyph, and list bullets repeat that glyph, so blocks differ in shape as well
as in colour.

Positions are computed here left to right; the board mirrors them for
right-to-left languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ...document import credits
from ...graph.board import Board
from ...graph.dot import DotGraph, TextStyle
from ...graph.pieces import draw_avatar, lay_out_chips, photo_uri
from ...locale import Catalogue
from ...registry import RenderContext
from ...theme import PALETTE, TYPE
from .model import Persona, PersonaSpec, Trait

__all__ = ["build_graph", "describe"]

WIDTH = 860.0
INSET = 12.0  # the card's border, inside the drawing's edge
MARGIN = 44.0  # the content's distance from the drawing's edge
COLUMN_GAP = 36.0
MAIN_SHARE = 0.56  # the lists' column; the measures take the rest
AVATAR = 140.0
BLOCK_GAP = 28.0

KIND_CAPTION = TextStyle(size=TYPE.caption, colour=PALETTE.muted, bold=True)
NAME = TextStyle(size=30, bold=True)
FACT_LABEL = TextStyle(size=TYPE.caption, colour=PALETTE.muted, bold=True)
FACT_VALUE = TextStyle(size=TYPE.subheading)
QUOTE = TextStyle(size=19, italic=True)
HEADING = TextStyle(size=15, bold=True)
BODY = TextStyle(size=TYPE.body)
BIO = TextStyle(size=TYPE.subheading, colour=PALETTE.ink)
POLE = TextStyle(size=TYPE.caption, colour=PALETTE.muted)
POLE_NEAR = TextStyle(size=TYPE.caption, bold=True)
SCALE = TextStyle(size=TYPE.caption, colour=PALETTE.muted)
CHIP = TextStyle(size=TYPE.caption + 1)
FOOTER = TextStyle(size=TYPE.caption, colour=PALETTE.muted)

BADGE = 24.0
FACT_GAP = 32.0
TRACK = 6.0
KNOB = 16.0
BAR = 12.0
CHIP_PAD_X, CHIP_PAD_Y, CHIP_GAP = 11.0, 5.0, 8.0


@dataclass(frozen=True)
class _Look:
    """How one block is told apart: a glyph first, then a colour."""

    glyph: str
    tint: str
    dark: str
    #: The glyph's size in its badge: small glyphs are drawn larger.
    size: float = 14
    #: How far to lower the glyph in its badge: a superscript-like mark sits high.
    drop: float = 0.0


_LOOKS = {
    "bio": _Look("i", PALETTE.panel, PALETTE.muted),
    "goals": _Look("✓", PALETTE.green_tint, PALETTE.green_dark),
    "frustrations": _Look("×", PALETTE.vermillion_tint, PALETTE.vermillion_dark, 17),
    "motivations": _Look("↑", PALETTE.orange_tint, PALETTE.orange_dark),
    "behaviours": _Look("↻", PALETTE.blue_tint, PALETTE.blue_dark),
    "personality": _Look("↔", PALETTE.purple_tint, PALETTE.purple_dark, 16),
    "tech": _Look("%", PALETTE.sky_tint, PALETTE.blue_dark, 13),
    "channels": _Look("@", PALETTE.sky_tint, PALETTE.blue_dark, 15),
    "brands": _Look("®", PALETTE.purple_tint, PALETTE.purple_dark, 20, drop=6.0),
}

#: The role of one item of each list, as the SVG's classes name it (``cxviz-goal``).
_ITEM_ROLES = {
    "goals": "goal",
    "frustrations": "frustration",
    "motivations": "motivation",
    "behaviours": "behaviour",
    "channels": "channel",
    "brands": "brand",
}

#: Initials avatars take one of these (tint, text) pairs, picked from the name.
_AVATAR_COLOURS = (
    (PALETTE.sky_tint, PALETTE.blue_dark),
    (PALETTE.green_tint, PALETTE.green_dark),
    (PALETTE.orange_tint, PALETTE.orange_dark),
    (PALETTE.purple_tint, PALETTE.purple_dark),
    (PALETTE.vermillion_tint, PALETTE.vermillion_dark),
)


def _share(natural: list[float], total: float) -> list[float]:
    """Widths for columns of ``natural`` widths in ``total``: short ones keep theirs, long ones share the rest."""
    if not natural:
        return []
    if sum(natural) <= total:
        return natural
    fixed = [w <= total / len(natural) for w in natural]
    while True:
        rest = total - sum(w for w, keep in zip(natural, fixed) if keep)
        share = rest / max(1, fixed.count(False))
        grown = [keep or w <= share for w, keep in zip(natural, fixed)]
        if grown == fixed:
            return [w if keep else share for w, keep in zip(natural, fixed)]
        fixed = grown


class _CardWriter:
    """Draws one card; every shape belongs to the spec value it shows.

    Ids are the spec's own paths: ``name``, ``quote``, ``bio``, ``goals``
    (the block: its heading) and ``goals.0`` (an item), ``personality.1``,
    ``channels.2``; the card's own furniture has fixed names (``persona``
    for the card, ``header``, ``photo``, ``tech.meter``, ``footer``).
    """

    def __init__(self, persona: PersonaSpec, context: RenderContext):
        self.persona = persona
        self.locale = context.locale
        self.base_dir = context.base_dir
        self.framed = context.options.get("framed", False)
        # The card grows with its content: its height is known only at the end.
        self.board = Board(WIDTH, kind="persona", rtl=self.locale.rtl)

    # -- pieces shared by the blocks ------------------------------------------
    def heading(self, x: float, y: float, w: float, key: str) -> float:
        """A block heading: glyph badge, words, a rule; returns the height used."""
        look = _LOOKS[key]
        b = self.board
        b.ellipse(x + BADGE / 2, y + BADGE / 2, BADGE / 2, BADGE / 2, fill=look.tint, stroke=look.dark, penwidth=1.2)
        badge_style = TextStyle(size=look.size, colour=look.dark, bold=True)
        b.text(x, y + look.drop, BADGE, [look.glyph], badge_style, align="center", h=BADGE, valign="middle")
        words = self.locale[f"persona.{key}"]
        lines = Board.wrap(words, w - BADGE - 10, HEADING)
        height = max(BADGE, Board.text_height(len(lines), HEADING))
        b.text(x + BADGE + 10, y, w - BADGE - 10, lines, HEADING, h=height, valign="middle")
        rule_y = y + height + 7
        b.line([(x, rule_y), (x + w, rule_y)], colour=PALETTE.rule, width=1.0)
        return height + 16

    def bullets(self, x: float, y: float, w: float, key: str, items: tuple[str, ...]) -> float:
        look = _LOOKS[key]
        bullet = TextStyle(size=min(look.size, 15), colour=look.dark, bold=True)
        # The bullet is centred on the item's first line, whatever its own size.
        nudge = (bullet.line_height - BODY.line_height) / 2
        top = y
        for index, item in enumerate(items):
            lines = Board.wrap(item, w - 22, BODY)
            with self.board.element(f"{key}.{index}", _ITEM_ROLES[key], item):
                self.board.text(x, y - nudge, 16, [look.glyph], bullet, align="center")
                y += self.board.text(x + 22, y, w - 22, lines, BODY) + 7
        return y - top - 7 if items else 0.0

    # -- header -------------------------------------------------------------------
    def header(self) -> float:
        p, b, locale = self.persona, self.board, self.locale
        text_x = MARGIN + AVATAR + 32
        text_w = WIDTH - MARGIN - text_x

        caption = [locale["kinds.persona"].upper()]
        name_lines = Board.wrap(p.name, text_w, NAME)
        facts = [
            (key, locale[f"persona.{key}"], value)
            for key, value in (
                ("age", locale.number(p.age) if p.age is not None else None),
                ("role", p.role),
                ("location", p.location),
            )
            if value
        ]
        widths = _share(
            [max(Board.text_width(label.upper(), FACT_LABEL), Board.text_width(value, FACT_VALUE)) + 12
             for _, label, value in facts],
            text_w - FACT_GAP * (len(facts) - 1),
        )
        fact_blocks = [
            (key, value, Board.wrap(label.upper(), w - 12, FACT_LABEL), Board.wrap(value, w - 12, FACT_VALUE), w)
            for (key, label, value), w in zip(facts, widths)
        ]
        facts_h = max(
            (Board.text_height(len(a), FACT_LABEL) + 3 + Board.text_height(len(v), FACT_VALUE)
             for _, _, a, v, _ in fact_blocks),
            default=0.0,
        )
        text_h = (Board.text_height(1, KIND_CAPTION) + 4 + Board.text_height(len(name_lines), NAME)
                  + (16 + facts_h if facts else 0))
        top = MARGIN + max(0.0, (AVATAR - text_h) / 2)
        bottom = max(MARGIN + AVATAR, top + text_h) + 28

        with b.element("header", "header"):
            # The band behind the header: rounded at the card's corners only.
            band_h = bottom - INSET
            b.rect(INSET, INSET, WIDTH - 2 * INSET, band_h, fill=PALETTE.panel, stroke=None, rounded=True)
            b.rect(INSET, INSET + band_h / 2, WIDTH - 2 * INSET, band_h / 2, fill=PALETTE.panel, stroke=None)
            b.line([(INSET, bottom), (WIDTH - INSET, bottom)], colour=PALETTE.rule)
            self.avatar(MARGIN, MARGIN)

            y = top
            y += b.text(text_x, y, text_w, caption, KIND_CAPTION) + 4
            with b.element("name", "name", p.name):
                y += b.text(text_x, y, text_w, name_lines, NAME) + 16
            x = text_x
            for key, value, label_lines, value_lines, fact_w in fact_blocks:
                with b.element(key, "fact", value):
                    b.line([(x, y + 1), (x, y + facts_h - 1)], colour=PALETTE.faint, width=2.0)
                    label_h = b.text(x + 12, y, fact_w - 12, label_lines, FACT_LABEL)
                    b.text(x + 12, y + label_h + 3, fact_w - 12, value_lines, FACT_VALUE)
                x += fact_w + FACT_GAP
        return bottom

    def avatar(self, x: float, y: float) -> None:
        p = self.persona
        # Without a photo (or with one validation found unreadable): initials,
        # in a colour picked from the name.
        tint, dark = _AVATAR_COLOURS[sum(map(ord, p.name)) % len(_AVATAR_COLOURS)]
        with self.board.element("photo", "avatar", p.name):
            draw_avatar(self.board, x + AVATAR / 2, y + AVATAR / 2, AVATAR / 2, name=p.name,
                        photo=photo_uri(self.base_dir, p.photo), tint=tint, ink=dark, ring=PALETTE.rule,
                        ring_gap=5.0, border=dark, border_width=2.0, text_size=46, paper=PALETTE.paper)

    # -- quote and bio --------------------------------------------------------
    def quote(self, y: float) -> float:
        p, b = self.persona, self.board
        text_x = MARGIN + 52
        lines = Board.wrap(p.quote, WIDTH - MARGIN - text_x, QUOTE)
        mark = TextStyle(size=64, colour=PALETTE.orange, bold=True)
        with b.element("quote", "quote", p.quote):
            b.text(MARGIN - 2, y - 12, 48, [self.locale["persona.quote_mark"]], mark)
            return b.text(text_x, y, WIDTH - MARGIN - text_x, lines, QUOTE)

    def bio(self, y: float) -> float:
        width = WIDTH - 2 * MARGIN
        top = y
        with self.board.element("bio", "block", self.persona.bio):
            y += self.heading(MARGIN, y, width, "bio")
            y += self.board.text(MARGIN, y, width, Board.wrap(self.persona.bio, width, BIO), BIO)
        return y - top

    # -- the measures column --------------------------------------------------
    def personality(self, x: float, y: float, w: float) -> float:
        top = y
        with self.board.element("personality", "block", self.locale["persona.personality"]):
            y += self.heading(x, y, w, "personality")
            for index, trait in enumerate(self.persona.personality):
                with self.board.element(f"personality.{index}", "trait", " / ".join(trait.poles)):
                    y += self.slider(x, y, w, trait) + 14
        return y - top - 14

    def slider(self, x: float, y: float, w: float, trait: Trait) -> float:
        b = self.board
        first, second = trait.poles[0], trait.poles[-1]
        nearer_first, nearer_second = trait.value < 50, trait.value > 50
        label_w = (w - 12) / 2
        first_style = POLE_NEAR if nearer_first else POLE
        second_style = POLE_NEAR if nearer_second else POLE
        first_lines = Board.wrap(first, label_w, first_style)
        second_lines = Board.wrap(second, label_w, second_style)
        labels_h = Board.text_height(max(len(first_lines), len(second_lines)), POLE)
        b.text(x, y, label_w, first_lines, first_style, align="left")
        b.text(x + w - label_w, y, label_w, second_lines, second_style, align="right")
        track_y = y + labels_h + 6 + (KNOB - TRACK) / 2
        inner_x, inner_w = x + KNOB / 2, w - KNOB
        b.rect(x, track_y, w, TRACK, fill=PALETTE.rule, stroke=None, rounded=True)
        b.line([(x + w / 2, track_y - 3), (x + w / 2, track_y + TRACK + 3)], colour=PALETTE.faint, width=1.5)
        knob_x = inner_x + inner_w * trait.value / 100
        look = _LOOKS["personality"]
        b.ellipse(knob_x, track_y + TRACK / 2, KNOB / 2, KNOB / 2, fill=look.dark, stroke=PALETTE.paper, penwidth=2.0)
        return labels_h + 6 + KNOB

    def tech(self, x: float, y: float, w: float) -> float:
        b, value = self.board, self.persona.tech
        top = y
        with b.element("tech", "block", self.locale["persona.tech"]):
            y += self.heading(x, y, w, "tech")
            look = _LOOKS["tech"]
            with b.element("tech.meter", "meter", f"{value:g}"):
                b.rect(x, y, w, BAR, fill=look.tint, stroke=look.dark, penwidth=1.0, rounded=True)
                if value:
                    b.rect(x, y, max(BAR, w * value / 100), BAR, fill=look.dark, stroke=look.dark, rounded=True)
                y += BAR + 6
                low, high = self.locale["persona.tech_scale"]
                label_w = (w - 12) / 2
                b.text(x, y, label_w, [low], SCALE, align="left")
                b.text(x + w - label_w, y, label_w, [high], SCALE, align="right")
        return y + SCALE.line_height - top

    def chips(self, x: float, y: float, w: float, key: str, items: tuple[str, ...]) -> float:
        b = self.board
        top = y
        with b.element(key, "block", self.locale[f"persona.{key}"]):
            y += self.heading(x, y, w, key)
            look = _LOOKS[key]
            # Channels are tinted pills, brands outlined boxes in bold: two shapes, not two colours.
            outlined = key == "brands"
            style = TextStyle(size=CHIP.size, colour=look.dark if outlined else PALETTE.ink, bold=outlined)
            chips, height = lay_out_chips(items, w, style, pad_x=CHIP_PAD_X, pad_y=CHIP_PAD_Y, gap=CHIP_GAP,
                                          extra=2.0)
            for index, (item, chip) in enumerate(zip(items, chips)):
                cx, cy = x + chip.x, y + chip.y
                with b.element(f"{key}.{index}", _ITEM_ROLES[key], item):
                    if outlined:
                        b.rect(cx, cy, chip.w, chip.h, fill=PALETTE.paper, stroke=look.dark, penwidth=1.2)
                    else:
                        b.rect(cx, cy, chip.w, chip.h, fill=look.tint, stroke=look.tint, rounded=True)
                    b.text(cx + CHIP_PAD_X, cy + CHIP_PAD_Y, chip.w - 2 * CHIP_PAD_X, chip.lines, style,
                           align="center")
        return y + height - top

    # -- the whole card -----------------------------------------------------------
    def columns(self, y: float) -> float:
        p = self.persona
        main = [
            (lambda x, y, w, key=key: self._list_block(x, y, w, key))
            for key in ("goals", "frustrations", "motivations", "behaviours")
            if getattr(p, key)
        ]
        side: list[Callable[[float, float, float], float]] = []
        if p.personality:
            side.append(self.personality)
        if p.tech is not None:
            side.append(self.tech)
        for key in ("channels", "brands"):
            if getattr(p, key):
                side.append(lambda x, y, w, key=key: self.chips(x, y, w, key, getattr(p, key)))
        content_w = WIDTH - 2 * MARGIN
        if main and side:
            main_w = round(content_w * MAIN_SHARE)
            spans = [(main, MARGIN, main_w), (side, MARGIN + main_w + COLUMN_GAP, content_w - main_w - COLUMN_GAP)]
        else:
            spans = [(main or side, MARGIN, content_w)]
        bottom = y
        for blocks, x, w in spans:
            column_y = y
            for draw in blocks:
                column_y += draw(x, column_y, w) + BLOCK_GAP + 4
            bottom = max(bottom, column_y - BLOCK_GAP - 4)
        return bottom

    def _list_block(self, x: float, y: float, w: float, key: str) -> float:
        with self.board.element(key, "block", self.locale[f"persona.{key}"]):
            head = self.heading(x, y, w, key)
            return head + self.bullets(x, y + head, w, key, getattr(self.persona, key))

    def footer(self, y: float) -> float:
        p, b, locale = self.persona, self.board, self.locale
        width = WIDTH - 2 * MARGIN
        with b.element("footer", "footer", p.title):
            b.line([(MARGIN, y), (WIDTH - MARGIN, y)], colour=PALETTE.rule)
            y += 10
            details = [f"{label} {value}" for label, value in credits(p, locale)]
            half = (width - 24) / 2 if details else width
            title_h = b.text(MARGIN, y, half, Board.wrap(p.title, half, FOOTER), FOOTER)
            details_h = 0.0
            if details:
                lines = Board.wrap(" · ".join(details), half, FOOTER)
                details_h = b.text(WIDTH - MARGIN - half, y, half, lines, FOOTER, align="right")
        return y + max(title_h, details_h)

    def draw(self) -> Board:
        p, b = self.persona, self.board
        with b.element("persona", "persona", p.name):
            y = self.header() + 30
            if p.quote:
                y += self.quote(y) + BLOCK_GAP + 4
            if p.bio:
                y += self.bio(y) + BLOCK_GAP + 4
            if any(getattr(p, key) for key in ("goals", "frustrations", "motivations", "behaviours",
                                                "channels", "brands", "personality")) or p.tech is not None:
                y = self.columns(y) + BLOCK_GAP + 4
            if not self.framed:  # on a printed canvas the page footer says the same
                y = self.footer(y)
            y += 14
            height = y + MARGIN - INSET
            # The card's border, painted over its header band.
            b.rect(INSET, INSET, WIDTH - 2 * INSET, height - 2 * INSET, stroke=PALETTE.rule,
                   penwidth=1.2, rounded=True)
        b.height = height
        return b


def build_graph(persona: PersonaSpec, context: RenderContext) -> DotGraph:
    return _CardWriter(persona, context).draw().to_graph()


def describe(persona: Persona, locale: Catalogue) -> str:
    who = ", ".join(part for part in (persona.name, persona.role, persona.location) if part)
    counts = [
        f"{locale[f'persona.{key}']}: {locale.number(len(getattr(persona, key)))}"
        for key in ("goals", "frustrations", "motivations", "behaviours")
        if getattr(persona, key)
    ]
    sentence = f"{locale['kinds.persona']}: {who}"
    if persona.quote:
        sentence += f" — {persona.quote}"
    return sentence + (f" ({'; '.join(counts)})" if counts else "")
