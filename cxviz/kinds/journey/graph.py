"""Drawing a journey map or service blueprint on a board.

Every position is computed here, left to right, and drawn by ``neato -n2``
(see :mod:`cxviz.graph.board`); a right-to-left board mirrors it all. The
map is a header (persona card, title, map type and date), a band of stage
headers, then lanes as rows under a column per step: each row is as tall as
its tallest cell, measured with the font Graphviz draws with.

Every shape belongs to a scene element named by its spec path: a stage is
``stages.1``, a step ``stages.1.steps.0`` (its action card), a pain point of
it ``stages.1.steps.0.pains.2`` (role ``pain``), its face on the emotion
curve ``stages.1.steps.0.emotion``. A printed map too long for its sheet is
cut into pages between stages or steps (:func:`paginate`), each page
keeping every stage's and step's index in the whole map. Things the spec
has no path for have fixed names: ``lanes.<key>`` for a lane's label,
``emotion`` for the curve, ``lines.<line>`` for a service blueprint's lines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from collections.abc import Sequence
from typing import Callable

from ...document import credits
from ...graph.board import Board
from ...graph.dot import DotGraph, TextStyle
from ...graph.pieces import draw_avatar, lay_out_chips, owner_due, photo_uri
from ...locale import Catalogue
from ...registry import RenderContext
from ...scene import name_part
from ...theme import PALETTE, TYPE, emotion_colour
from ..persona.model import Persona
from .checks import number
from .model import BLUEPRINT_LANES, JourneyMap, Scale, Stage, Step

__all__ = ["build_graph", "describe"]

# -- geometry, in points -------------------------------------------------------
MARGIN = 36.0
LABEL_W = 150.0  # the lane label column
LABEL_GAP = 10.0  # between the label column and the first step
COLUMN_W = 196.0  # one step
STAGE_GAP = 12.0  # between two stages
CELL_PAD = 9.0  # around the cards of a cell
CARD_PAD = 9.0  # inside a card
ITEM_GAP = 6.0  # between two cards of a cell
BAR_W = 4.0  # the bar down a recommended action
ICON_R = 8.0  # the round mark of a pain point or an idea
FACE_R = 12.0  # an emotion face
PERSONA_W = 380.0
AVATAR = 68.0
META_W = 210.0
MIN_TITLE_W = 320.0
MAX_TITLE_W = 820.0
SECTION_GAP = 26.0
BADGE_H = 25.0

# -- type ------------------------------------------------------------------------
TITLE = TextStyle(TYPE.title, bold=True)
HEADING = TextStyle(TYPE.heading, bold=True)
KICKER = TextStyle(TYPE.caption, PALETTE.muted, bold=True)
BODY = TextStyle(TYPE.body)
MUTED = TextStyle(TYPE.body, PALETTE.muted)
CAPTION = TextStyle(TYPE.caption, PALETTE.muted)
QUOTE = TextStyle(TYPE.body, italic=True)
LANE = TextStyle(TYPE.subheading, bold=True)
CHIP = TextStyle(TYPE.caption)
VALUE = TextStyle(TYPE.body, bold=True)
LINE_LABEL = TextStyle(TYPE.caption, PALETTE.ink, bold=True)


@dataclass(frozen=True)
class Accent:
    """A stage's colour: a strong hue for bars and borders, its tint for fills."""

    strong: str
    tint: str
    dark: str


#: Stages take these in turn. They only group columns (each stage is named),
#: so no meaning rests on them; vermillion and green stay free for pains and ideas.
STAGE_ACCENTS = (
    Accent(PALETTE.blue, PALETTE.blue_tint, PALETTE.blue_dark),
    Accent(PALETTE.sky, PALETTE.sky_tint, PALETTE.blue_dark),
    Accent(PALETTE.purple, PALETTE.purple_tint, PALETTE.purple_dark),
    Accent(PALETTE.orange, PALETTE.orange_tint, PALETTE.orange_dark),
    Accent(PALETTE.green, PALETTE.green_tint, PALETTE.green_dark),
)


@dataclass(frozen=True)
class Look:
    """How the cards of one lane look; marks and borders keep lanes apart in greyscale."""

    fill: str
    stroke: str
    text: TextStyle = BODY
    penwidth: float = 1.0
    dashed: bool = False
    rounded: bool = True
    mark: str | None = None  # locale key of the word on top of the card
    icon: str | None = None  # the glyph in the round mark
    tone: str = PALETTE.ink  # colour of the mark, the icon and the note
    bar: str | None = None  # a bar down the leading edge
    quoted: bool = False


LOOKS = {
    "thoughts": Look(PALETTE.yellow_tint, PALETTE.orange, QUOTE, quoted=True),
    "pains": Look(PALETTE.vermillion_tint, PALETTE.vermillion_dark, penwidth=1.5,
                  mark="journey.marks.pain", icon="!", tone=PALETTE.vermillion_dark),
    "opportunities": Look(PALETTE.green_tint, PALETTE.green_dark, penwidth=1.5, dashed=True,
                          mark="journey.marks.opportunity", icon="+", tone=PALETTE.green_dark),
    "todo": Look(PALETTE.paper, PALETTE.rule, rounded=False, bar=PALETTE.blue, tone=PALETTE.blue_dark),
    "evidence": Look(PALETTE.panel, PALETTE.faint, dashed=True),
    "frontstage": Look(PALETTE.sky_tint, PALETTE.sky),
    "backstage": Look(PALETTE.blue_tint, PALETTE.blue),
    "support": Look(PALETTE.purple_tint, PALETTE.purple),
}

CUSTOMER_LANES = ("actions", "touchpoints", "thoughts", "emotions")
INSIGHT_LANES = ("pains", "opportunities", "todo")
#: The blueprint lanes below the customer's, each under the line drawn above it.
STAFF_LANES = (("frontstage", "interaction"), ("backstage", "visibility"), ("support", "internal"))


@dataclass(frozen=True)
class Column:
    """One step's column (a stage without steps keeps one empty column).

    ``stage_index`` counts in the whole map, also on a page that shows some of its stages.
    """

    stage_index: int
    stage: Stage
    step: Step | None
    x: float
    w: float
    accent: Accent
    step_index: int = 0

    @property
    def step_id(self) -> str:
        """The scene id of the column's step."""
        return step_id(self.stage_index, self.step_index)

    @property
    def centre(self) -> float:
        return self.x + self.w / 2

    @property
    def inner_x(self) -> float:
        return self.x + CELL_PAD

    @property
    def inner_w(self) -> float:
        return self.w - 2 * CELL_PAD


def stage_id(index: int) -> str:
    return f"stages.{index}"


def step_id(stage_index: int, step_index: int) -> str:
    return f"{stage_id(stage_index)}.steps.{step_index}"


#: The role of a card in each card lane: the lane's spec field, singular.
CARD_ROLES = {
    "thoughts": "thought",
    "pains": "pain",
    "opportunities": "opportunity",
    "todo": "todo",
    "evidence": "evidence",
    "frontstage": "frontstage",
    "backstage": "backstage",
    "support": "support",
}


def _lines(text: str, width: float, style: TextStyle) -> list[str]:
    # Graphviz cells are whole points wide; keep a point or two in hand.
    return Board.wrap(text, width - 2, style)


def _single_width(text: str, style: TextStyle) -> float:
    """The width of a box that holds ``text`` on one line."""
    return math.ceil(Board.text_width(text, style)) + 3


def _pack(items: list[str], width: float, style: TextStyle, separator: str = " · ") -> list[str]:
    """Short items on as few lines as fit, never splitting an item that fits a line of its own."""
    lines: list[str] = []
    for item in items:
        candidate = f"{lines[-1]}{separator}{item}" if lines else item
        if lines and Board.text_width(candidate, style) <= width - 2:
            lines[-1] = candidate
        else:
            lines.extend(_lines(item, width, style))
    return lines


def _height(lines: list[str], style: TextStyle) -> float:
    return Board.text_height(len(lines), style)


# -- cards -------------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    text: str
    note: str | None = None


class CardStack:
    """Cards one under another in a cell, measured before they are drawn."""

    def __init__(self, look: Look, locale: Catalogue):
        self.look = look
        self.locale = locale

    def _text(self, card: Card) -> str:
        return self.locale.format("journey.quote", text=card.text) if self.look.quoted else card.text

    def _text_w(self, width: float) -> float:
        return width - 2 * CARD_PAD - (BAR_W + 3 if self.look.bar else 0)

    def _mark_h(self) -> float:
        return max(2 * ICON_R, KICKER.line_height) + 5 if self.look.mark else 0.0

    def card_height(self, card: Card, width: float) -> float:
        text_w = self._text_w(width)
        height = 2 * CARD_PAD + self._mark_h() + _height(_lines(self._text(card), text_w, self.look.text),
                                                          self.look.text)
        if card.note:
            height += 4 + _height(_lines(card.note, text_w, self._note_style()), self._note_style())
        return height + self._tail_h()

    def _tail_h(self) -> float:
        """Room under a thought for the bubbles that trail from it."""
        return 16.0 if self.look.quoted else 0.0

    def _note_style(self) -> TextStyle:
        return TextStyle(TYPE.caption, self.look.tone, bold=True)

    def height(self, cards: list[Card], width: float) -> float:
        if not cards:
            return 0.0
        return sum(self.card_height(c, width) for c in cards) + ITEM_GAP * (len(cards) - 1)

    def draw(self, board: Board, cards: list[Card], x: float, y: float, width: float, *, path: str,
             role: str) -> None:
        """The cards one under another; card ``k`` is the element ``<path>.<k>``."""
        for index, card in enumerate(cards):
            with board.element(f"{path}.{index}", role, card.text) as element:
                self._draw_card(board, card, element.id, x, y, width)
            y += self.card_height(card, width) + ITEM_GAP

    def _draw_card(self, board: Board, card: Card, id: str, x: float, y: float, width: float) -> None:
        look = self.look
        h = self.card_height(card, width) - self._tail_h()
        if look.quoted:
            # The bubbles trail from the card but are painted under it: an element of their own
            # keeps the card's id on its box.
            with board.element(f"{id}.tail", "tail"):
                for dx, dy, r in ((24, h + 6.5, 4.2), (14, h + 13.0, 2.6)):
                    board.ellipse(x + dx, y + dy, r, r, fill=look.fill, stroke=look.stroke)
        board.rect(x, y, width, h, fill=look.fill, stroke=look.stroke, penwidth=look.penwidth,
                   rounded=look.rounded, dashed=look.dashed)
        text_x = x + CARD_PAD
        if look.bar:
            board.rect(x, y, BAR_W, h, fill=look.bar, stroke=None)
            text_x += BAR_W + 3
        text_w = self._text_w(width)
        top = y + CARD_PAD
        if look.mark:
            self._draw_mark(board, text_x, top, text_w)
            top += self._mark_h()
        lines = _lines(self._text(card), text_w, look.text)
        top += board.text(text_x, top, text_w, lines, look.text)
        if card.note:
            note = self._note_style()
            with board.element(f"{id}.note", "note", card.note):
                board.text(text_x, top + 4, text_w, _lines(card.note, text_w, note), note)

    def _draw_mark(self, board: Board, x: float, y: float, width: float) -> None:
        look = self.look
        row_h = max(2 * ICON_R, KICKER.line_height)
        cy = y + row_h / 2
        board.ellipse(x + ICON_R, cy, ICON_R, ICON_R, fill=look.tone, stroke=look.tone)
        icon = TextStyle(TYPE.caption, PALETTE.paper, bold=True)
        board.text(x, cy - icon.line_height / 2, 2 * ICON_R, [look.icon or ""], icon, align="center")
        word = TextStyle(TYPE.caption, look.tone, bold=True)
        label = self.locale[look.mark].upper()
        board.text(x + 2 * ICON_R + 6, cy - word.line_height / 2, width - 2 * ICON_R - 6, [label], word)


# -- lanes -------------------------------------------------------------------------

class Lane:
    """A row of the map: a label on the side and a cell under every step."""

    def __init__(self, key: str, label: str):
        self.key = key
        self.label = label
        # Cell heights by step and column width: pages of a long map measure the same cells many times.
        self._cells: dict[tuple[int, int, float], float] = {}

    def cell_height(self, column: Column) -> float:
        raise NotImplementedError

    def draw_cell(self, board: Board, column: Column, y: float, h: float) -> None:
        raise NotImplementedError

    def measured(self, column: Column) -> float:
        """The height of a column's cell (0 for a stage without steps), measured once."""
        if column.step is None:
            return 0.0
        key = (column.stage_index, column.step_index, column.w)
        if key not in self._cells:
            self._cells[key] = self.cell_height(column)
        return self._cells[key]

    def height(self, columns: list[Column]) -> float:
        return self.height_for(max((self.measured(c) for c in columns), default=0.0))

    def height_for(self, tallest: float) -> float:
        """The lane's height when its tallest cell is ``tallest`` high."""
        return max(tallest, LANE.line_height) + 2 * CELL_PAD

    def label_width(self) -> float:
        return LABEL_W - 2 * CELL_PAD

    def draw(self, board: Board, columns: list[Column], y: float, h: float) -> None:
        """Each step's cell, drawn inside the step's element."""
        for column in columns:
            if column.step is not None:
                with board.element(column.step_id, "step", column.step.action):
                    self.draw_cell(board, column, y + CELL_PAD, h - 2 * CELL_PAD)

    def draw_label(self, board: Board, y: float, h: float, left: float = MARGIN) -> None:
        """The lane's name, inside the lane's element, in the label column from ``left``."""
        lines = _lines(self.label, self.label_width(), LANE)
        board.text(left + CELL_PAD + 4, y + CELL_PAD + 2, self.label_width() - 4, lines, LANE)

    def label_height(self) -> float:
        return _height(_lines(self.label, self.label_width(), LANE), LANE) + 2 * CELL_PAD + 4


class CardLane(Lane):
    """Cards, one per item of a step's list field."""

    def __init__(self, key: str, label: str, stack: CardStack, cards: Callable[[Step], list[Card]]):
        super().__init__(key, label)
        self.stack = stack
        self.cards = cards

    def cell_height(self, column: Column) -> float:
        return self.stack.height(self.cards(column.step), column.inner_w)

    def draw_cell(self, board: Board, column: Column, y: float, h: float) -> None:
        self.stack.draw(board, self.cards(column.step), column.inner_x, y, column.inner_w,
                        path=f"{column.step_id}.{self.key}", role=CARD_ROLES[self.key])


class ActionLane(Lane):
    """The customer's step, a card edged in its stage's colour: the step's own shapes, its action inside."""

    def _lines(self, column: Column) -> list[str]:
        return _lines(column.step.action, column.inner_w - 2 * CARD_PAD, BODY)

    def cell_height(self, column: Column) -> float:
        return _height(self._lines(column), BODY) + 2 * CARD_PAD + 4

    def draw_cell(self, board: Board, column: Column, y: float, h: float) -> None:
        board.rect(column.inner_x, y, column.inner_w, h, fill=PALETTE.paper, stroke=column.accent.strong,
                   penwidth=1.5, rounded=True)
        board.rect(column.inner_x + 8, y, column.inner_w - 16, 4, fill=column.accent.strong, stroke=None)
        with board.element(f"{column.step_id}.action", "action", column.step.action):
            board.text(column.inner_x + CARD_PAD, y + CARD_PAD + 4, column.inner_w - 2 * CARD_PAD,
                       self._lines(column), BODY)


CHIP_PAD_X, CHIP_PAD_Y, CHIP_GAP = 8.0, 4.0, 5.0


class TouchpointLane(Lane):
    """The touchpoints of a step as chips, under the name of their channel."""

    CHANNEL = TextStyle(TYPE.caption, PALETTE.blue_dark, bold=True)

    def _channel(self, column: Column) -> list[str]:
        channel = column.step.channel
        return _lines(channel.upper(), column.inner_w, self.CHANNEL) if channel else []

    @staticmethod
    def _chips(column: Column):
        # Text wraps two points short of the chip, as every cell keeps a point or two in hand.
        return lay_out_chips(column.step.touchpoints, column.inner_w, CHIP, pad_x=CHIP_PAD_X, pad_y=CHIP_PAD_Y,
                             gap=CHIP_GAP, extra=2.0, slack=2.0)

    def cell_height(self, column: Column) -> float:
        channel = self._channel(column)
        _, chips_h = self._chips(column)
        gap = 5 if channel and chips_h else 0
        return _height(channel, self.CHANNEL) + gap + chips_h

    def draw_cell(self, board: Board, column: Column, y: float, h: float) -> None:
        channel = self._channel(column)
        if channel:
            with board.element(f"{column.step_id}.channel", "channel", column.step.channel):
                y += board.text(column.inner_x, y, column.inner_w, channel, self.CHANNEL) + 5
        chips, _ = self._chips(column)
        for index, (chip, touchpoint) in enumerate(zip(chips, column.step.touchpoints)):
            with board.element(f"{column.step_id}.touchpoints.{index}", "touchpoint", touchpoint):
                board.rect(column.inner_x + chip.x, y + chip.y, chip.w, chip.h, fill=PALETTE.paper,
                           stroke=PALETTE.blue, penwidth=1.2, rounded=True)
                board.text(column.inner_x + chip.x + CHIP_PAD_X, y + chip.y + CHIP_PAD_Y,
                           chip.w - 2 * CHIP_PAD_X, chip.lines, CHIP)


#: The id of the emotion curve.
CURVE = "emotion"


class EmotionLane(Lane):
    """The emotion curve: a face at each step's score, a line through them all."""

    SCALE_W = 34.0  # the scale's numbers, at the inner edge of the label column
    STEP_H = 26.0  # height of one point of the scale

    def __init__(self, key: str, label: str, scale: Scale, locale: Catalogue):
        super().__init__(key, label)
        self.scale = scale
        self.locale = locale
        span = scale.max - scale.min
        self.plot_h = min(max(span * self.STEP_H, 96.0), 160.0)

    @property
    def neutral(self) -> float:
        low, high = self.scale.min, self.scale.max
        return 0.0 if low < 0 < high else (low + high) / 2

    def cell_height(self, column: Column) -> float:
        return 0.0

    def height_for(self, tallest: float) -> float:
        return max(self.plot_h + 2 * (FACE_R + 12), self.label_height())

    def label_width(self) -> float:
        return LABEL_W - 2 * CELL_PAD - self.SCALE_W

    def _y(self, top: float, score: float) -> float:
        low, high = self.scale.min, self.scale.max
        return top + FACE_R + 12 + (high - score) / (high - low) * self.plot_h

    def _ticks(self) -> list[float]:
        low, high = self.scale.min, self.scale.max
        whole = [float(v) for v in range(int(-(-low // 1)), int(high // 1) + 1)]
        ticks = whole if len(whole) <= 11 else []
        for value in (low, self.neutral, high):
            if value not in ticks:
                ticks.append(value)
        return sorted(ticks)

    def _labelled_ticks(self) -> list[float]:
        """The ticks whose numbers fit beside each other: the ends and neutral first."""
        unit = self.plot_h / (self.scale.max - self.scale.min)
        kept: list[float] = []
        ends = [self.scale.min, self.scale.max, self.neutral]
        for tick in ends + [t for t in self._ticks() if t not in ends]:
            if all(abs(tick - other) * unit >= CAPTION.line_height for other in kept):
                kept.append(tick)
        return sorted(kept)

    def draw_label(self, board: Board, y: float, h: float, left: float = MARGIN) -> None:
        super().draw_label(board, y, h, left)
        style = CAPTION
        with board.element(f"lanes.{self.key}.scale", "scale"):
            for tick in self._labelled_ticks():
                text = "".join(self.locale.number(int(c)) if c.isdigit() else c for c in number(abs(tick)))
                if tick < 0:
                    text = "\u2212" + text
                elif tick > 0 and self.neutral == 0:
                    text = "+" + text
                ty = self._y(y, tick) - style.line_height / 2
                board.text(left + LABEL_W - self.SCALE_W - 6, ty, self.SCALE_W, [text], style, align="right")

    def draw(self, board: Board, columns: list[Column], y: float, h: float) -> None:
        """The curve ``emotion``: its grid, the line through the scores, a face (``<step>.emotion``) on each."""
        left, right = columns[0].x, columns[-1].x + columns[-1].w
        with board.element(CURVE, "curve", self.label):
            for tick in self._ticks():
                ty = self._y(y, tick)
                if tick == self.neutral:
                    with board.element(f"{CURVE}.neutral", "baseline"):
                        board.line([(left, ty), (right, ty)], colour=PALETTE.faint, width=1.4, dashed=True)
                else:
                    with board.element(f"{CURVE}.grid", "grid"):
                        board.line([(left, ty), (right, ty)], colour=PALETTE.rule, width=0.7)
            points = [(c, c.centre, self._y(y, c.step.emotion), c.step.emotion)
                      for c in columns if c.step is not None and c.step.emotion is not None]
            board.curve([(px, py) for _, px, py, _ in points], colour=PALETTE.muted, width=3.0)
        for column, px, py, score in points:
            with board.element(column.step_id, "step", column.step.action), \
                    board.element(f"{column.step_id}.emotion", "curve-point", number(score),
                                  relations=(("curve", CURVE),)):
                self._face(board, px, py, score)

    def _face(self, board: Board, cx: float, cy: float, score: float) -> None:
        low, high = self.scale.min, self.scale.max
        board.ellipse(cx, cy, FACE_R + 2.5, FACE_R + 2.5, fill=PALETTE.paper, stroke=PALETTE.paper)
        board.ellipse(cx, cy, FACE_R, FACE_R, fill=emotion_colour(score, low, high), stroke=PALETTE.ink,
                      penwidth=1.3)
        for side in (-1, 1):
            board.ellipse(cx + side * 4.2, cy - 3.2, 1.5, 1.9, fill=PALETTE.ink, stroke=PALETTE.ink)
        half = (high - self.neutral) if score >= self.neutral else (self.neutral - low)
        mood = (score - self.neutral) / half if half else 0.0
        bend = 3.4 * mood
        mouth_y = cy + 4.6
        board.curve([(cx - 5.5, mouth_y - bend / 2), (cx, mouth_y + bend / 2), (cx + 5.5, mouth_y - bend / 2)],
                    colour=PALETTE.ink, width=1.6)


# -- the whole map -------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    lane: Lane | None  # None: a blueprint line between two lanes
    y: float
    h: float
    line: str | None = None


#: Where a map's header goes: above the stages, or beside the lanes (the first page of a split map).
TOP, SIDE = "top", "side"


def column_width(persona: bool, pieces: int, count: int, header: str | None) -> float:
    """A step's width on a page of ``count`` columns in ``pieces`` stages: wider when too few for the header."""
    if header != TOP:
        return COLUMN_W
    gaps = STAGE_GAP * (pieces - 1)
    header_w = (PERSONA_W + SECTION_GAP if persona else 0) + MIN_TITLE_W + SECTION_GAP + META_W
    needed = header_w - LABEL_W - LABEL_GAP
    return max(COLUMN_W, (needed - gaps) / count)


@dataclass(frozen=True)
class Piece:
    """The steps ``start`` to ``stop`` (not included) of the stage ``stage``, on one page.

    A stage without steps is the piece ``(stage, 0, 0)``; a piece that does
    not start at the stage's first step is drawn as continued.
    """

    stage: int
    start: int
    stop: int

    @property
    def continued(self) -> bool:
        return self.start > 0


def whole_stages(journey: JourneyMap, indexes=None) -> tuple[Piece, ...]:
    """Pieces holding the stages at ``indexes`` (every stage by default) whole."""
    stages = journey.stages
    chosen = range(len(stages)) if indexes is None else indexes
    return tuple(Piece(index, 0, len(stages[index].steps)) for index in chosen)


class MapLayout:
    """Where everything goes, measured before a single thing is drawn.

    ``pieces`` are the steps a page of a long map shows (the whole map by
    default). ``header`` places the persona card, description and map type:
    :data:`TOP` above the stages, :data:`SIDE` in a column beside the lanes
    (on a printed page too short for them on top), or None on the pages
    after the first. ``lanes`` are the whole map's, when already known.
    """

    def __init__(self, journey: JourneyMap, context: RenderContext, pieces: tuple[Piece, ...] | None = None, *,
                 header: str | None = TOP, lanes: dict[str, Lane] | None = None):
        self.journey = journey
        self.locale = context.locale
        self.base_dir = context.base_dir
        self.persona = journey.persona if isinstance(journey.persona, Persona) else None
        # A page of a long map shows some steps; lanes and colours still follow the whole map.
        self.pieces = whole_stages(journey) if pieces is None else pieces
        self.header = header
        #: Where the lane labels begin: the margin, or past the header beside them.
        self.left = MARGIN + (PERSONA_W + SECTION_GAP if header == SIDE else 0.0)
        self.framed = context.options.get("framed", False)
        self.columns = self._columns()
        self.lanes_by_key = self._lanes() if lanes is None else lanes

    # columns
    def _columns(self) -> list[Column]:
        stages = self.journey.stages
        count = sum(max(piece.stop - piece.start, 1) for piece in self.pieces)
        width = column_width(self.persona is not None, len(self.pieces), count, self.header)
        columns = []
        x = self.left + LABEL_W + LABEL_GAP
        for piece in self.pieces:
            stage = stages[piece.stage]
            accent = STAGE_ACCENTS[piece.stage % len(STAGE_ACCENTS)]
            steps = list(enumerate(stage.steps))[piece.start:piece.stop] or [(0, None)]
            for step_index, step in steps:
                columns.append(Column(piece.stage, stage, step, x, width, accent, step_index))
                x += width
            x += STAGE_GAP
        return columns

    @property
    def content_right(self) -> float:
        return self.columns[-1].x + self.columns[-1].w

    @property
    def width(self) -> float:
        return self.content_right + MARGIN

    def stage_span(self, index: int) -> tuple[float, float]:
        mine = [c for c in self.columns if c.stage_index == index]
        return mine[0].x, mine[-1].x + mine[-1].w

    # lanes
    def _lanes(self) -> dict[str, Lane]:
        locale = self.locale
        steps = [step for stage in self.journey.stages for step in stage.steps]
        blueprint = self.journey.type == "service-blueprint"

        def label(key: str) -> str:
            return locale[f"journey.lanes.{key}"]

        def plain(field: str) -> Callable[[Step], list[Card]]:
            return lambda step: [Card(text) for text in getattr(step, field)]

        def todo(step: Step) -> list[Card]:
            cards = []
            for item in step.todo:
                notes = owner_due(locale, item.owner, item.due)
                cards.append(Card(item.action, "\n".join(notes) or None))
            return cards

        looks = dict(LOOKS)
        if locale.rtl:
            # Arabic script has no italics: a slanted quote only looks broken.
            looks["thoughts"] = replace(looks["thoughts"], text=BODY)
        lanes: dict[str, Lane] = {"actions": ActionLane("actions", label("actions"))}
        if any(s.touchpoints or s.channel for s in steps):
            lanes["touchpoints"] = TouchpointLane("touchpoints", label("touchpoints"))
        if any(s.emotion is not None for s in steps):
            lanes["emotions"] = EmotionLane("emotions", label("emotions"), self.journey.emotion_scale, locale)
        drawn = [f for f in ("thoughts", "pains", "opportunities") if any(getattr(s, f) for s in steps)]
        # A blueprint always shows its lanes: an empty backstage is a finding too.
        drawn += list(BLUEPRINT_LANES) if blueprint else []
        for field in drawn:
            lanes[field] = CardLane(field, label(field), CardStack(looks[field], locale), plain(field))
        if any(s.todo for s in steps):
            lanes["todo"] = CardLane("todo", label("todo"), CardStack(looks["todo"], locale), todo)
        return lanes

    def lane_order(self) -> list[tuple[str, str | None]]:
        """The lanes top to bottom, each with the blueprint line drawn above it (or None)."""
        lanes = self.lanes_by_key
        order: list[tuple[str, str | None]] = []
        if "evidence" in lanes:
            order.append(("evidence", None))
        order += [(key, None) for key in CUSTOMER_LANES if key in lanes]
        if self.journey.type == "service-blueprint":
            order += [(key, line) for key, line in STAFF_LANES]
        order += [(key, None) for key in INSIGHT_LANES if key in lanes]
        return order

    def rows(self, top: float) -> list[Row]:
        lanes = self.lanes_by_key
        rows = []
        y = top
        for key, line in self.lane_order():
            if line is not None:
                h = self.line_height(line)
                rows.append(Row(None, y, h, line))
                y += h
            lane = lanes[key]
            h = max(lane.height(self.columns), lane.label_height())
            rows.append(Row(lane, y, h))
            y += h
        return rows

    def line_height(self, line: str) -> float:
        lines = _lines(self.locale[f"journey.lines.{line}"], LABEL_W - 2 * CELL_PAD, LINE_LABEL)
        return _height(lines, LINE_LABEL) + 16


class MapPainter:
    def __init__(self, layout: MapLayout):
        self.layout = layout
        self.journey = layout.journey
        self.locale = layout.locale
        self.quote_style = BODY if self.locale.rtl else QUOTE

    # header
    def _persona_lines(self, persona: Persona, width: float) -> list[Block]:
        facts = [persona.role, self.locale.format("journey.age", n=persona.age) if persona.age else None,
                 persona.location]
        blocks = [
            Block([self.locale["common.persona"].upper()], KICKER, 2.0),
            Block(_lines(persona.name, width, HEADING), HEADING, 2.0, "persona.name", "name", persona.name),
        ]
        fact_lines = _pack([f for f in facts if f], width, CAPTION)
        if fact_lines:
            blocks.append(Block(fact_lines, CAPTION, 8.0, "persona.facts", "facts", " · ".join(f for f in facts if f)))
        if persona.quote:
            quote = self.locale.format("journey.quote", text=persona.quote)
            blocks.append(Block(_lines(quote, width, self.quote_style), self.quote_style, 0.0, "persona.quote",
                                "quote", persona.quote))
        return blocks

    def persona_height(self) -> float:
        persona = self.layout.persona
        if persona is None:
            return 0.0
        blocks = self._persona_lines(persona, self._persona_text_w())
        text_h = sum(block.height for block in blocks)
        return max(AVATAR, text_h) + 2 * 18

    @staticmethod
    def _persona_text_w() -> float:
        return PERSONA_W - 2 * 18 - AVATAR - 16

    def _title_x(self) -> float:
        return MARGIN + (PERSONA_W + SECTION_GAP if self.layout.persona else 0)

    def _title_w(self) -> float:
        return min(self.layout.width - MARGIN - META_W - SECTION_GAP - self._title_x(), MAX_TITLE_W)

    def _title_blocks(self, width: float | None = None) -> list[Block]:
        width = self._title_w() if width is None else width
        kicker = self.locale["kinds.journey"]
        blocks = [
            Block([kicker.upper()], KICKER, 4.0, "kicker", "kicker", kicker),
            Block(_lines(self.journey.title, width, TITLE), TITLE, 6.0, "title", "title", self.journey.title),
        ]
        if self.layout.framed:  # the printed page's header carries the title
            blocks = []
        if self.journey.description:
            blocks.append(Block(_lines(self.journey.description, width, MUTED), MUTED, 0.0, "description",
                                "description", self.journey.description))
        return blocks

    def _meta_lines(self) -> list[str]:
        if self.layout.framed:  # the printed page's header carries the date, version and authors
            return []
        lines = [f"{label}: {value}" for label, value in credits(self.journey, self.locale)]
        return [line for text in lines for line in _lines(text, META_W, CAPTION)]

    def header_height(self) -> float:
        if self.layout.header != TOP:
            return 0.0
        title_h = sum(block.height for block in self._title_blocks())
        meta_h = 30 + 8 + _height(self._meta_lines(), CAPTION)
        return max(self.persona_height(), title_h + 8, meta_h)

    def draw_header(self, board: Board, y: float, h: float) -> None:
        persona = self.layout.persona
        if persona is not None:
            self._draw_persona(board, persona, MARGIN, y, self.persona_height())
        _draw_blocks(board, self._title_blocks(), self._title_x(), y + 6, self._title_w())
        self._draw_meta(board, y)

    def _side_parts(self) -> tuple[float, list[Block], float]:
        """The header as a column: the persona card's height, the description, and where the type goes."""
        persona_h = self.persona_height()
        blocks = self._title_blocks(PERSONA_W)
        top = MARGIN + (persona_h + 16 if persona_h else 0.0)
        pill_y = top + sum(block.height for block in blocks) + (16 if blocks else 0.0)
        return persona_h, blocks, pill_y

    def side_height(self) -> float:
        """How far down the header beside the lanes reaches, from the top of the board."""
        return self._side_parts()[2] + 4 + 26 if self.layout.header == SIDE else 0.0

    def draw_side(self, board: Board) -> None:
        """The header in a column beside the lanes: persona card, description, map type."""
        persona_h, blocks, pill_y = self._side_parts()
        if self.layout.persona is not None:
            self._draw_persona(board, self.layout.persona, MARGIN, MARGIN, persona_h)
        _draw_blocks(board, blocks, MARGIN, MARGIN + (persona_h + 16 if persona_h else 0.0), PERSONA_W)
        self._draw_type(board, MARGIN, pill_y)

    def _draw_persona(self, board: Board, persona: Persona, x: float, y: float, h: float) -> None:
        with board.element("persona", "persona", persona.name):
            board.rect(x, y, PERSONA_W, h, fill=PALETTE.panel, stroke=PALETTE.rule, rounded=True)
            with board.element("persona.avatar", "avatar", persona.name):
                draw_avatar(board, x + 18 + AVATAR / 2, y + 18 + AVATAR / 2, AVATAR / 2, name=persona.name,
                            photo=photo_uri(self.layout.base_dir, persona.photo), tint=PALETTE.blue_tint,
                            ink=PALETTE.blue_dark, ring=PALETTE.rule, border=PALETTE.blue, border_width=1.5,
                            text_size=22.0, paper=PALETTE.paper, photo_backing=PALETTE.blue_tint)
            _draw_blocks(board, self._persona_lines(persona, self._persona_text_w()), x + 18 + AVATAR + 16,
                         y + 18, self._persona_text_w())

    def _pill(self) -> tuple[str, TextStyle, float]:
        kind = self.locale[f"journey.types.{self.journey.type}"]
        pill = TextStyle(TYPE.caption, PALETTE.paper, bold=True)
        return kind, pill, min(Board.text_width(kind, pill) + 28, META_W)

    def _draw_type(self, board: Board, x: float, y: float) -> None:
        """The map's type in a pill whose left edge is at ``x``."""
        kind, pill, pill_w = self._pill()
        # Not the role "pill": that one is redrawn with round ends (see rendering.svg).
        with board.element("type", "type", kind):
            board.rect(x, y + 4, pill_w, 26, fill=PALETTE.ink, stroke=None, rounded=True)
            board.text(x, y + 4 + (26 - pill.line_height) / 2, pill_w, [kind], pill, align="center")

    def _draw_meta(self, board: Board, y: float) -> None:
        right = self.layout.width - MARGIN
        self._draw_type(board, right - self._pill()[2], y)
        meta = self._meta_lines()
        with board.element("credits", "credits", "\n".join(meta)):
            board.text(right - META_W, y + 4 + 26 + 10, META_W, meta, CAPTION, align="right")

    # stage band
    def _stage_blocks(self, stage: Stage, index: int, width: float, continued: bool = False) -> list[Block]:
        name = self.locale.format("journey.continued", name=stage.name) if continued else stage.name
        blocks = [Block(_lines(name, width, HEADING), HEADING, 8.0, f"{stage_id(index)}.name", "name", stage.name)]
        if stage.goal:
            goal_label = TextStyle(TYPE.caption, PALETTE.ink, bold=True)
            goal = f"{stage_id(index)}.goal"
            blocks.append(Block([self.locale["journey.goal"].upper()], goal_label, 1.0, goal, "goal", stage.goal))
            blocks.append(Block(_lines(stage.goal, width, BODY), BODY, 0.0, goal, "goal", stage.goal))
        return blocks

    @staticmethod
    def _badge_parts(name: str, value: str, width: float) -> tuple[str, str, float, float]:
        """A metric's name and value cut to fit a badge, with their widths."""
        name_w = min(_single_width(name, CAPTION), width / 2)
        name = _lines(name, name_w + 2, CAPTION)[0]
        value_w = min(_single_width(value, VALUE), width - name_w - 24)
        value = _lines(value, value_w + 2, VALUE)[0]
        return name, value, name_w, value_w

    def _badges(self, stage: Stage, width: float) -> tuple[list[tuple[float, float, str, str, str]], float]:
        """Where each metric's badge goes, its name and value cut to fit, and the metric's own name."""
        badges = []
        x = y = 0.0
        for key, value in (stage.metrics or {}).items():
            name, value, name_w, value_w = self._badge_parts(key, value, width)
            w = name_w + value_w + 24
            if x > 0 and x + w > width:
                x, y = 0.0, y + BADGE_H + 6
            badges.append((x, y, name, value, key))
            x += w + 6
        return badges, (y + BADGE_H if badges else 0.0)

    def _piece_badges(self, piece: Piece, width: float) -> tuple[list[tuple[float, float, str, str, str]], float]:
        """A stage's metrics, on the page where the stage begins only."""
        return ([], 0.0) if piece.continued else self._badges(self.journey.stages[piece.stage], width)

    def piece_height(self, piece: Piece, span: float) -> float:
        """What a stage's header holds over ``span`` points of its columns: name, goal and metrics."""
        width = span - 2 * 14
        stage = self.journey.stages[piece.stage]
        text_h = sum(block.height for block in self._stage_blocks(stage, piece.stage, width, piece.continued))
        _, badges_h = self._piece_badges(piece, width)
        return text_h + (12 + badges_h if badges_h else 0)

    @staticmethod
    def band_height(tallest: float) -> float:
        """The band of stage headers, when the fullest of them holds ``tallest`` points."""
        return tallest + 6 + 2 * 14

    def stage_height(self) -> float:
        tallest = 0.0
        for piece in self.layout.pieces:
            left, right = self.layout.stage_span(piece.stage)
            tallest = max(tallest, self.piece_height(piece, right - left))
        return self.band_height(tallest)

    def draw_stages(self, board: Board, y: float, h: float) -> None:
        label = self.locale["journey.stage"]
        with board.element("lanes.stages", "lane", label):
            left = self.layout.left
            board.rect(left, y, LABEL_W, h, fill=PALETTE.panel, stroke=None, rounded=True)
            label_w = LABEL_W - 2 * CELL_PAD - 4
            board.text(left + CELL_PAD + 4, y + 6 + 14, label_w, _lines(label, label_w, LANE), LANE)
        for piece in self.layout.pieces:
            index = piece.stage
            stage = self.journey.stages[index]
            with board.element(stage_id(index), "stage", stage.name):
                self._draw_stage(board, piece, y, h)
                # The steps belong to their stage, whichever lane draws them first.
                for step_index in range(piece.start, piece.stop):
                    with board.element(step_id(index, step_index), "step", stage.steps[step_index].action):
                        pass

    def _draw_stage(self, board: Board, piece: Piece, y: float, h: float) -> None:
        index = piece.stage
        stage = self.journey.stages[index]
        accent = STAGE_ACCENTS[index % len(STAGE_ACCENTS)]
        left, right = self.layout.stage_span(index)
        board.rect(left, y, right - left, h, fill=accent.tint, stroke=None)
        board.rect(left, y, right - left, 6, fill=accent.strong, stroke=None)
        width = right - left - 2 * 14
        _draw_blocks(board, self._stage_blocks(stage, index, width, piece.continued), left + 14, y + 6 + 14, width)
        badges, badges_h = self._piece_badges(piece, width)
        base = y + h - 14 - badges_h
        for bx, by, name, value, key in badges:
            name, value, name_w, value_w = self._badge_parts(name, value, width)
            bx, by = left + 14 + bx, base + by
            with board.element(f"{stage_id(index)}.metrics.{name_part(key)}", "metric",
                               f"{key}: {stage.metrics[key]}"):
                board.rect(bx, by, name_w + value_w + 24, BADGE_H, fill=PALETTE.paper, stroke=accent.strong,
                           penwidth=1.2, rounded=True)
                board.text(bx + 10, by + (BADGE_H - CAPTION.line_height) / 2, name_w, [name], CAPTION)
                board.text(bx + 14 + name_w, by + (BADGE_H - VALUE.line_height) / 2, value_w, [value], VALUE)

    # lanes
    def draw_rows(self, board: Board, rows: list[Row]) -> None:
        columns = self.layout.columns
        indexes = [piece.stage for piece in self.layout.pieces]
        for number, row in enumerate(rows):
            if row.lane is None:
                self._draw_line(board, row)
                continue
            lane = row.lane
            with board.element(f"lanes.{lane.key}", "lane", lane.label):
                board.rect(self.layout.left, row.y + 2, LABEL_W, row.h - 4, fill=PALETTE.panel, stroke=None,
                           rounded=True)
                if number + 1 == len(rows) or rows[number + 1].lane is not None:
                    for index in indexes:
                        left, right = self.layout.stage_span(index)
                        with board.element(f"lanes.{lane.key}.rules.{index}", "rule"):
                            board.line([(left, row.y + row.h), (right, row.y + row.h)], colour=PALETTE.rule)
                lane.draw_label(board, row.y, row.h, self.layout.left)
            lane.draw(board, columns, row.y, row.h)

    def _draw_line(self, board: Board, row: Row) -> None:
        text = self.locale[f"journey.lines.{row.line}"]
        lines = _lines(text, LABEL_W - 2 * CELL_PAD, LINE_LABEL)
        mid = row.y + row.h / 2
        with board.element(f"lines.{row.line}", "line", text):
            left = self.layout.left
            board.line([(left, mid), (self.layout.content_right, mid)], colour=PALETTE.ink, width=1.5,
                       dashed=True)
            text_h = _height(lines, LINE_LABEL)
            board.rect(left, mid - text_h / 2 - 3, LABEL_W, text_h + 6, fill=PALETTE.paper, stroke=None)
            board.text(left + CELL_PAD + 4, mid - text_h / 2, LABEL_W - 2 * CELL_PAD, lines, LINE_LABEL)


@dataclass(frozen=True)
class Block:
    """Lines of text in one style, and the gap under them; drawn as the element ``id`` when given."""

    lines: list[str]
    style: TextStyle
    gap: float
    id: str | None = None
    role: str = ""
    text: str = ""

    @property
    def height(self) -> float:
        return _height(self.lines, self.style) + self.gap


def _draw_blocks(board: Board, blocks: list[Block], x: float, top: float, width: float) -> float:
    """Blocks one under another from ``top``; returns where the last one ends."""
    for block in blocks:
        if block.id is None:
            top += board.text(x, top, width, block.lines, block.style) + block.gap
            continue
        with board.element(block.id, block.role, block.text):
            top += board.text(x, top, width, block.lines, block.style) + block.gap
    return top


def _stages_top(header_h: float, header: str | None) -> float:
    """Where the band of stage headers begins: under the map's header, or at the top of the board."""
    return MARGIN + header_h + SECTION_GAP if header == TOP else MARGIN


def build_graph(journey: JourneyMap, context: RenderContext, pieces: tuple[Piece, ...] | None = None, *,
                header: str | None = TOP, lanes: dict[str, Lane] | None = None) -> DotGraph:
    """The map, or the page of it showing ``pieces`` (see :class:`MapLayout`), as a board."""
    layout = MapLayout(journey, context, pieces, header=header, lanes=lanes)
    painter = MapPainter(layout)
    header_h = painter.header_height()
    stages_y = _stages_top(header_h, header)
    stages_h = painter.stage_height()
    rows = layout.rows(stages_y + stages_h + 8)
    height = max((rows[-1].y + rows[-1].h if rows else stages_y + stages_h), painter.side_height()) + MARGIN
    board = Board(layout.width, height, kind="journey", rtl=context.locale.rtl, in_order=True)
    if header == TOP:
        painter.draw_header(board, MARGIN, header_h)
    elif header == SIDE:
        painter.draw_side(board)
    painter.draw_stages(board, stages_y, stages_h)
    painter.draw_rows(board, rows)
    return board.to_graph()


def paginate(journey: JourneyMap, context: RenderContext, fit) -> Sequence[DotGraph]:
    """The map cut into pages, each with the lane headings, the first with the map's header.

    ``fit`` tells how large a page prints (see :class:`cxviz.printing.planning.PageFit`):
    its ``scale(width, height)`` of a page of that many points, the
    ``minimum`` scale that keeps body text legible, and ``by_height(width,
    height)``, whether the sheet's height rather than its width limits a
    page. Pages break between stages or, when a stage is too long for a
    page, between its steps (its header says it is continued); short
    stages share a page. They are as few as the ``minimum`` allows, then as
    even as that number allows, and break between stages where that costs
    text less than a tenth of its size.

    The pages come as a sequence that draws each page when first asked for,
    and says every page's size (``sizes``, in points) before.

    ``fit`` may also be a number of pages: whole stages are then grouped
    into that many pages of about as many steps (never more pages than stages).
    """
    if isinstance(fit, int):
        return [build_graph(journey, context, pieces) for pieces in _by_stages(journey, fit)]
    pager = _pager(journey, context)
    return _Pages(journey, context, pager, pager.plan(fit))


class _Pages(Sequence):
    """A split map's pages, each drawn when first asked for; ``sizes`` holds their sizes in points meanwhile.

    A printer trying several sheets compares them by size and draws only the chosen sheet's pages.
    """

    def __init__(self, journey: JourneyMap, context: RenderContext, pager: "_Pager",
                 cuts: list[tuple[int, int, str | None]]):
        self._journey, self._context, self._pager, self._cuts = journey, context, pager, cuts
        self.sizes = [pager.size(a, b, header) for a, b, header in cuts]
        self._drawn: dict[int, DotGraph] = {}

    def __len__(self) -> int:
        return len(self._cuts)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]
        if index not in self._drawn:
            a, b, header = self._cuts[index]
            self._drawn[index] = build_graph(self._journey, self._context, self._pager.pieces(a, b), header=header,
                                             lanes=self._pager.lanes)
        return self._drawn[index]


_LAST_PAGER: list = []


def _pager(journey: JourneyMap, context: RenderContext) -> "_Pager":
    """The pager of the map last paginated, if it is this one: the sheets tried for one canvas share it."""
    if _LAST_PAGER and _LAST_PAGER[0] is journey and _LAST_PAGER[1] is context:
        return _LAST_PAGER[2]
    pager = _Pager(journey, context)
    _LAST_PAGER[:] = [journey, context, pager]
    return pager


def _by_stages(journey: JourneyMap, parts: int) -> list[tuple[Piece, ...]]:
    """Whole stages in ``parts`` groups of about as many steps."""
    stages = journey.stages
    parts = max(1, min(parts, len(stages)))
    weights = [max(len(stage.steps), 1) for stage in stages]
    total = sum(weights)
    groups: list[tuple[Piece, ...]] = []
    start, done = 0, 0
    for index, weight in enumerate(weights):
        done += weight
        pages_left = parts - len(groups) - 1  # pages still to fill after this cut
        stages_left = len(stages) - index - 1
        balanced = done >= total * (len(groups) + 1) / parts
        if pages_left and (stages_left == pages_left or (stages_left > pages_left and balanced)):
            groups.append(whole_stages(journey, range(start, index + 1)))
            start = index + 1
    groups.append(whole_stages(journey, range(start, len(stages))))
    return groups


def _grow(pieces: list[Piece], unit: tuple[int, int, Step | None]) -> bool:
    """Add a unit to the pieces of a page; True if it begins a new piece."""
    stage, step, drawn = unit
    stop = step + 1 if drawn is not None else step
    if pieces and pieces[-1].stage == stage:
        pieces[-1] = Piece(stage, pieces[-1].start, stop)
        return False
    pieces.append(Piece(stage, step, stop))
    return True


class _Run:
    """The pages measured from one unit on: their sizes, and what the next one builds on."""

    def __init__(self) -> None:
        self.sizes: list[tuple[float, float]] = []
        self.pieces: list[Piece] = []
        self.tallest: list[float] = []  # the tallest cell so far, lane by lane
        self.band = 0.0  # the fullest stage header but the last one's
        self.width_each = 0.0


#: Pages may print text this much smaller than the most even cut allows, to break between stages.
SNAP = 0.9
#: Cuts whose smallest text differs by less than this factor count as alike, and the one breaking fewer stages wins.
SNAP_STEP = 1.03


class _Pager:
    """Where a long map's pages break, chosen from the sizes of pages measured before any is drawn.

    The map is a row of units, one per step (one for a stage without steps);
    a page is a run of units, from ``a`` to ``b`` (not included). The first
    page carries the map's header, above the stages or beside the lanes,
    whichever prints larger.
    """

    def __init__(self, journey: JourneyMap, context: RenderContext):
        self.journey = journey
        whole = MapLayout(journey, context)
        self.layout, self.painter = whole, MapPainter(whole)
        self.lanes = whole.lanes_by_key
        self.units = [(column.stage_index, column.step_index, column.step) for column in whole.columns]
        order = whole.lane_order()
        self.cell_lanes = [self.lanes[key] for key, _ in order]
        self.fixed_h = sum(whole.line_height(line) for _, line in order if line is not None)
        self.labels = [lane.label_height() for lane in self.cell_lanes]
        self.header_h = self.painter.header_height()
        side = MapLayout(journey, context, (), header=SIDE, lanes=self.lanes) if journey.stages else None
        self.side_h = MapPainter(side).side_height() if side is not None else 0.0
        self._runs: dict[tuple[int, str | None], _Run] = {}
        self._pieces: dict[tuple[int, int, int, float], float] = {}

    def pieces(self, a: int, b: int) -> tuple[Piece, ...]:
        """The stages' steps the units ``a`` to ``b`` hold."""
        pieces: list[Piece] = []
        for unit in self.units[a:b]:
            _grow(pieces, unit)
        return tuple(pieces)

    def size(self, a: int, b: int, header: str | None = None) -> tuple[float, float]:
        """The width and height, in points, of the page of units ``a`` to ``b``."""
        run = self._runs.get((a, header))
        if run is None:
            run = self._runs[(a, header)] = _Run()
        while len(run.sizes) < b - a:
            self._extend(a, header, run)
        return run.sizes[b - a - 1]

    def _extend(self, a: int, header: str | None, run: "_Run") -> None:
        """Measure the page from ``a`` one unit longer than the last one measured.

        The same sums as build_graph and MapLayout make, from cells measured once
        and kept as the tallest so far in each lane.
        """
        b = a + len(run.sizes) + 1
        if _grow(run.pieces, self.units[b - 1]) and len(run.pieces) > 1:
            run.band = max(run.band, self._piece_height(run.pieces[-2], run.width_each))
        count = b - a
        width_each = column_width(self.layout.persona is not None, len(run.pieces), count, header)
        if width_each != run.width_each:  # a first page of few steps: its columns widen for the header
            run.width_each = width_each
            run.tallest = [0.0] * len(self.cell_lanes)
            run.band = max((self._piece_height(piece, width_each) for piece in run.pieces[:-1]), default=0.0)
            units = self.units[a:b]
        else:
            units = self.units[b - 1:b]
        for stage, index, step in units:
            column = Column(stage, self.journey.stages[stage], step, 0.0, width_each, STAGE_ACCENTS[0], index)
            run.tallest = [max(tallest, lane.measured(column)) for tallest, lane in zip(run.tallest, self.cell_lanes)]
        left = MARGIN + (PERSONA_W + SECTION_GAP if header == SIDE else 0.0)
        width = left + LABEL_W + LABEL_GAP + count * width_each + STAGE_GAP * (len(run.pieces) - 1) + MARGIN
        rows_h = self.fixed_h + sum(max(lane.height_for(tallest), label)
                                    for lane, tallest, label in zip(self.cell_lanes, run.tallest, self.labels))
        band = max(run.band, self._piece_height(run.pieces[-1], width_each))
        top = _stages_top(self.header_h, header)
        bottom = max(top + self.painter.band_height(band) + 8 + rows_h, self.side_h if header == SIDE else 0.0)
        run.sizes.append((width, bottom + MARGIN))

    def _piece_height(self, piece: Piece, width_each: float) -> float:
        key = (piece.stage, piece.start, piece.stop, width_each)
        if key not in self._pieces:
            span = max(piece.stop - piece.start, 1) * width_each
            self._pieces[key] = self.painter.piece_height(piece, span)
        return self._pieces[key]

    @staticmethod
    def _headers(a: int) -> tuple[str | None, ...]:
        return (TOP, SIDE) if a == 0 else (None,)

    def _page(self, fit, a: int, b: int, threshold: float) -> tuple[bool, float, str | None]:
        """Whether the page of units ``a`` to ``b`` will do at ``threshold``, its scale, and its header.

        A page will do when it prints at ``threshold`` or larger, or as large
        as a page starting at ``a`` can; when none keeps the floor
        (``fit.minimum``), when the sheet's height alone holds it back, so
        that such pages fill the sheet's width.
        """
        cap = self._cap(fit, a)
        found = []
        for header in self._headers(a):
            width, height = self.size(a, b, header)
            scale = fit.scale(width, height)
            good = scale >= min(threshold, cap) if cap >= fit.minimum else fit.by_height(width, height)
            found.append((good, scale, header))
        return max(found, key=lambda page: page[:2])

    def _cap(self, fit, a: int) -> float:
        """About the largest scale a page starting at ``a`` prints at: that of its first step or two."""
        stop = min(a + 2, len(self.units))
        return max(fit.scale(*self.size(a, b, header)) for header in self._headers(a) for b in range(a + 1, stop + 1))

    def _greedy(self, fit, threshold: float) -> int:
        """How many pages, each as full as ``threshold`` allows."""
        count, a, n = 0, 0, len(self.units)
        while a < n:
            b = a + 1
            while b < n and self._page(fit, a, b + 1, threshold)[0]:
                b += 1
            count += 1
            a = b
        return count

    def plan(self, fit) -> list[tuple[int, int, str | None]]:
        """The pages, as runs of units with their header: as few as ``fit.minimum`` allows, then as even."""
        least = self._greedy(fit, fit.minimum)
        # The largest threshold that still needs no more pages; each try narrows the range.
        low, high = fit.minimum, fit.scale(1.0, 1.0)
        if self._greedy(fit, high) <= least:
            low = high
        for _ in range(12):
            if high / low < 1.01:
                break
            middle = math.sqrt(low * high)
            if self._greedy(fit, middle) <= least:
                low = middle
            else:
                high = middle
        return self._snapped(fit, max(fit.minimum, low * SNAP), low / SNAP)

    def _snapped(self, fit, threshold: float, full: float) -> list[tuple[int, int, str | None]]:
        """The pages at ``threshold``: fewest, then the largest smallest text (in steps of
        :data:`SNAP_STEP`), then the fewest pages printing larger than ``full`` (pages left half
        empty), then the fewest breaks inside a stage, then the largest smallest text."""
        n = len(self.units)
        best: list[tuple | None] = [None] * (n + 1)
        best[0] = (0, -math.inf, 0, 0, -math.inf, None, None)
        for a in range(n):
            if best[a] is None:
                continue
            pages, _, emptier, breaks, worst = best[a][:5]
            for b in range(a + 1, n + 1):
                good, scale, header = self._page(fit, a, b, threshold)
                if not good and b > a + 1:
                    break
                inside = b < n and self.units[b][1] > 0
                smallest = max(worst, -scale)
                candidate = (pages + 1, math.ceil(math.log(-smallest) / -math.log(SNAP_STEP)),
                             emptier + (scale > full), breaks + inside, smallest, a, header)
                if best[b] is None or candidate[:5] < best[b][:5]:
                    best[b] = candidate
        cuts, b = [], n
        while b > 0:
            a, header = best[b][5:]
            cuts.append((a, b, header))
            b = a
        return cuts[::-1]


def describe(journey: JourneyMap, locale: Catalogue) -> str:
    stages = journey.stages
    values = dict(
        type=locale[f"journey.types.{journey.type}"],
        title=journey.title,
        stages=len(stages),
        steps=len(journey.steps),
        first=stages[0].name if stages else "",
        last=stages[-1].name if stages else "",
    )
    if isinstance(journey.persona, Persona):
        return locale.format("journey.describe_persona", persona=journey.persona.name, **values)
    return locale.format("journey.describe", **values)


def subtitle(journey: JourneyMap, locale: Catalogue) -> str:
    """Under the title of a printed map: the kind of map it is."""
    return f"{locale['kinds.journey']} · {locale[f'journey.types.{journey.type}']}"
