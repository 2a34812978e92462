"""Drawing an empathy map as a canvas of areas around the person.

The canvas is laid out here on a :class:`~cxviz.graph.board.Board` (every
box placed by cxviz, drawn by ``neato -n2``): a title, an optional goal band,
two rows of areas on either side of the person, and pains and gains below.
Areas grow to fit their notes, and the two areas of a row share a height so
the canvas stays square; a right-to-left board mirrors the whole canvas.

Every shape belongs to the spec value it draws: an area is named by its
list (``says``; a merged area by its key, ``thinks_feels``, holding the
lists ``thinks`` and ``feels``), a note by its path (``says.0``), and the
person in the centre is ``persona`` with its avatar ``persona.avatar``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...document import credits
from ...graph.board import Board
from ...graph.dot import DotGraph, TextStyle
from ...graph.pieces import draw_avatar, photo_uri
from ...locale import Catalogue
from ...registry import RenderContext
from ...theme import PALETTE, TYPE
from ..persona.model import Persona
from .model import EmpathyMap

__all__ = ["build_graph", "describe"]

MARGIN = 36.0
GAP = 16.0
SIDE_W = 400.0
CENTRE_W = 230.0
WIDTH = 2 * MARGIN + 2 * SIDE_W + CENTRE_W + 2 * GAP
INNER_W = WIDTH - 2 * MARGIN
PAD = 16.0
NOTE_GAP = 10.0
NOTE_MIN_W = 170.0
NOTE_PAD_X = 10.0
NOTE_PAD_Y = 9.0
MARK_W = 16.0
ACCENT = 12.0
GHOST_H = 52.0
PHOTO_R = 56.0
GOAL_LABEL_W = 250.0
BADGE = 18.0
SHADOW = "#1F293314"

TITLE = TextStyle(size=TYPE.title, bold=True)
SUBTITLE = TextStyle(size=TYPE.caption, colour=PALETTE.muted)
HEADING = TextStyle(size=TYPE.heading, bold=True)
QUESTION = TextStyle(size=TYPE.caption, colour=PALETTE.muted)
SUBLABEL = TextStyle(size=TYPE.caption, colour=PALETTE.muted, bold=True)
NOTE = TextStyle(size=TYPE.body)
QUOTE = TextStyle(size=TYPE.body, italic=True)
GOAL = TextStyle(size=TYPE.subheading + 1, bold=True)
NAME = TextStyle(size=TYPE.heading, bold=True)
WHO = TextStyle(size=TYPE.body, colour=PALETTE.muted)


@dataclass(frozen=True)
class Hue:
    """The colours of one area: a tint for its notes, a stronger hue for marks."""

    tint: str
    stroke: str
    mark: str


HUES = {
    "says": Hue(PALETTE.yellow_tint, "#D8CB2A", "#8A7F00"),
    "thinks": Hue(PALETTE.purple_tint, PALETTE.purple, PALETTE.purple_dark),
    "does": Hue(PALETTE.sky_tint, PALETTE.sky, PALETTE.blue_dark),
    "feels": Hue(PALETTE.orange_tint, PALETTE.orange, PALETTE.orange_dark),
    "sees": Hue(PALETTE.sky_tint, PALETTE.sky, PALETTE.blue_dark),
    "hears": Hue(PALETTE.orange_tint, PALETTE.orange, PALETTE.orange_dark),
    "thinks_feels": Hue(PALETTE.purple_tint, PALETTE.purple, PALETTE.purple_dark),
    "says_does": Hue(PALETTE.yellow_tint, "#D8CB2A", "#8A7F00"),
    "pains": Hue(PALETTE.vermillion_tint, PALETTE.vermillion, PALETTE.vermillion_dark),
    "gains": Hue(PALETTE.green_tint, PALETTE.green, PALETTE.green_dark),
    "goal": Hue(PALETTE.blue_tint, PALETTE.blue, PALETTE.blue_dark),
}

#: Pains and gains are told apart by heading, mark and border, not colour alone.
MARKS = {"pains": "\u2212", "gains": "+"}


@dataclass(frozen=True)
class Group:
    """Notes of one list inside an area, with a label when the area merges two lists."""

    name: str  # the spec list the notes come from
    label: str | None
    notes: tuple[str, ...]
    style: TextStyle
    quoted: bool = False


@dataclass(frozen=True)
class Area:
    key: str
    heading: str
    question: str
    groups: tuple[Group, ...]

    @property
    def hue(self) -> Hue:
        return HUES[self.key]

    @property
    def mark(self) -> str | None:
        return MARKS.get(self.key)

    @property
    def empty(self) -> bool:
        return not any(group.notes for group in self.groups)


@dataclass(frozen=True)
class NoteRow:
    """One row of notes: each note's lines, and the row's height."""

    notes: tuple[tuple[str, ...], ...]
    height: float
    first: int  # the index of the row's first note in its list


class _Canvas:
    """Measures and draws the areas of one map on one board."""

    def __init__(self, empathy: EmpathyMap, locale: Catalogue, base_dir: Path, framed: bool = False):
        self.empathy = empathy
        self.locale = locale
        self.base_dir = base_dir
        self.rtl = locale.rtl
        # On a printed canvas the page header carries the title.
        self.framed = framed

    # -- the areas -----------------------------------------------------------
    def area(self, key: str, *lists: str) -> Area:
        merged = len(lists) > 1
        groups = []
        for name in lists or (key,):
            notes = getattr(self.empathy, name)
            if merged and not notes:
                continue
            quoted = name == "says"
            style = QUOTE if quoted and not self.rtl else NOTE
            label = self.locale[f"empathy.areas.{name}"] if merged else None
            groups.append(Group(name, label, notes, style, quoted))
        return Area(key, self.locale[f"empathy.areas.{key}"], self.locale[f"empathy.questions.{key}"],
                    tuple(groups))

    def quoted(self, text: str) -> str:
        return self.locale.format("empathy.quote", text=text)

    # -- measuring ------------------------------------------------------------
    @staticmethod
    def columns(inner: float) -> int:
        return max(1, int((inner + NOTE_GAP) // (NOTE_MIN_W + NOTE_GAP)))

    def note_rows(self, area: Area, group: Group, inner: float) -> list[NoteRow]:
        columns = self.columns(inner)
        note_w = (inner - (columns - 1) * NOTE_GAP) / columns
        text_w = note_w - 2 * NOTE_PAD_X - (MARK_W if area.mark else 0)
        rows = []
        for start in range(0, len(group.notes), columns):
            wrapped = tuple(
                tuple(Board.wrap(self.quoted(note) if group.quoted else note, text_w, group.style))
                for note in group.notes[start:start + columns]
            )
            tallest = max(len(lines) for lines in wrapped)
            rows.append(NoteRow(wrapped, Board.text_height(tallest, group.style) + 2 * NOTE_PAD_Y, start))
        return rows

    def header_height(self, area: Area, width: float) -> float:
        inner = width - 2 * PAD
        question = Board.wrap(area.question, inner, QUESTION)
        heading = Board.wrap(area.heading, inner - _indent(area), HEADING)
        return Board.text_height(len(heading), HEADING) + 4 + Board.text_height(len(question), QUESTION) + 12

    def area_height(self, area: Area, width: float) -> float:
        inner = width - 2 * PAD
        height = PAD + self.header_height(area, width)
        if area.empty:
            return height + GHOST_H + PAD
        for index, group in enumerate(area.groups):
            if index:
                height += 8
            if group.label:
                height += SUBLABEL.line_height + 4
            rows = self.note_rows(area, group, inner)
            height += sum(row.height for row in rows) + NOTE_GAP * (len(rows) - 1)
        return height + PAD

    # -- drawing ----------------------------------------------------------------
    def draw_area(self, board: Board, area: Area, x: float, y: float, w: float, h: float) -> None:
        with board.element(area.key, "area", area.heading):
            self._draw_area(board, area, x, y, w, h)

    def _draw_area(self, board: Board, area: Area, x: float, y: float, w: float, h: float) -> None:
        hue = area.hue
        if area.mark:
            # Pains: dashed border; gains: a heavier solid one.
            board.rect(x, y, w, h, fill=PALETTE.paper, stroke=hue.mark, rounded=True,
                       penwidth=1.5 if area.key == "pains" else 2.2, dashed=area.key == "pains")
        else:
            board.rect(x, y, w, h, fill=PALETTE.paper, stroke=PALETTE.rule, rounded=True, penwidth=1.2)
        inner = w - 2 * PAD
        left = x + PAD
        top = y + PAD
        indent = _indent(area)
        heading = Board.wrap(area.heading, inner - indent, HEADING)
        heading_h = Board.text_height(len(heading), HEADING)
        if area.mark:
            self.badge(board, left, top + (HEADING.line_height - BADGE) / 2, BADGE, area.mark, hue)
        else:
            board.rect(left, top + (HEADING.line_height - ACCENT) / 2, ACCENT, ACCENT,
                       fill=hue.stroke, stroke=None, rounded=True)
        board.text(left + indent, top, inner - indent, heading, HEADING)
        top += heading_h + 4
        question = Board.wrap(area.question, inner, QUESTION)
        top += board.text(left, top, inner, question, QUESTION) + 12
        if area.empty:
            self.ghosts(board, left, top, inner)
            return
        for index, group in enumerate(area.groups):
            if index:
                top += 8
            if group.label:
                # A merged area: each list keeps its own name under the area's.
                with board.element(group.name, "list", group.label):
                    board.text(left, top, inner, [group.label], SUBLABEL)
                    top += SUBLABEL.line_height + 4
                    top = self.draw_notes(board, area, group, left, top, inner)
            else:
                top = self.draw_notes(board, area, group, left, top, inner)

    def draw_notes(self, board: Board, area: Area, group: Group, x: float, y: float, inner: float) -> float:
        hue = area.hue
        columns = self.columns(inner)
        note_w = (inner - (columns - 1) * NOTE_GAP) / columns
        rows = self.note_rows(area, group, inner)
        for row_index, row in enumerate(rows):
            if row_index:
                y += NOTE_GAP
            for column, lines in enumerate(row.notes):
                index = row.first + column
                nx = x + column * (note_w + NOTE_GAP)
                with board.element(f"{group.name}.{index}", "note", group.notes[index]):
                    board.rect(nx + 2, y + 2, note_w, row.height, fill=SHADOW, stroke=None)
                    board.rect(nx, y, note_w, row.height, fill=hue.tint, stroke=hue.stroke, penwidth=0.8)
                    text_x = nx + NOTE_PAD_X
                    text_w = note_w - 2 * NOTE_PAD_X
                    if area.mark:
                        board.text(text_x, y + NOTE_PAD_Y, MARK_W, [area.mark],
                                   TextStyle(size=NOTE.size, colour=hue.mark, bold=True))
                        text_x += MARK_W
                        text_w -= MARK_W
                    board.text(text_x, y + NOTE_PAD_Y, text_w, list(lines), group.style)
            y += row.height
        return y

    def ghosts(self, board: Board, x: float, y: float, inner: float) -> None:
        """Empty sticky-note outlines: room for the team to fill in."""
        columns = self.columns(inner)
        note_w = (inner - (columns - 1) * NOTE_GAP) / columns
        for column in range(columns):
            board.rect(x + column * (note_w + NOTE_GAP), y, note_w, GHOST_H,
                       stroke=PALETTE.faint, dashed=True, penwidth=1.0)

    @staticmethod
    def badge(board: Board, x: float, y: float, size: float, mark: str, hue: Hue) -> None:
        board.ellipse(x + size / 2, y + size / 2, size / 2, size / 2, fill=hue.mark, stroke=hue.mark)
        board.text(x, y, size, [mark], TextStyle(size=TYPE.body, colour=PALETTE.paper, bold=True),
                   align="center", h=size, valign="middle")

    # -- the goal band -----------------------------------------------------------
    def goal_height(self) -> float:
        label = self.goal_label_height()
        text = 0.0
        if self.empathy.goal:
            text = Board.text_height(len(Board.wrap(self.empathy.goal, self.goal_text_w(), GOAL)), GOAL)
        return max(label, text) + 2 * PAD

    def goal_label_height(self) -> float:
        inner = GOAL_LABEL_W - PAD
        question = Board.wrap(self.locale["empathy.questions.goal"], inner, QUESTION)
        return HEADING.line_height + 4 + Board.text_height(len(question), QUESTION)

    @staticmethod
    def goal_text_w() -> float:
        return INNER_W - 2 * PAD - GOAL_LABEL_W - PAD

    def draw_goal(self, board: Board, y: float, h: float) -> None:
        with board.element("goal", "goal", self.empathy.goal or ""):
            self._draw_goal(board, y, h)

    def _draw_goal(self, board: Board, y: float, h: float) -> None:
        hue = HUES["goal"]
        board.rect(MARGIN, y, INNER_W, h, fill=hue.tint, stroke=hue.stroke, rounded=True, penwidth=1.2)
        left = MARGIN + PAD
        label_h = self.goal_label_height()
        top = y + (h - label_h) / 2
        board.rect(left, top + (HEADING.line_height - ACCENT) / 2, ACCENT, ACCENT,
                   fill=hue.stroke, stroke=None, rounded=True)
        board.text(left + ACCENT + 8, top, GOAL_LABEL_W - PAD - ACCENT - 8,
                   [self.locale["empathy.areas.goal"]], HEADING)
        question = Board.wrap(self.locale["empathy.questions.goal"], GOAL_LABEL_W - PAD, QUESTION)
        board.text(left, top + HEADING.line_height + 4, GOAL_LABEL_W - PAD, question, QUESTION)
        rule_x = MARGIN + PAD + GOAL_LABEL_W
        board.line([(rule_x, y + PAD), (rule_x, y + h - PAD)], colour=hue.stroke, width=1.0)
        if self.empathy.goal:
            lines = Board.wrap(self.empathy.goal, self.goal_text_w(), GOAL)
            text_h = Board.text_height(len(lines), GOAL)
            board.text(rule_x + PAD, y + (h - text_h) / 2, self.goal_text_w(), lines, GOAL)
        else:
            board.rect(rule_x + PAD, y + PAD, self.goal_text_w(), h - 2 * PAD,
                       stroke=PALETTE.faint, dashed=True, penwidth=1.0)

    # -- the person -----------------------------------------------------------------
    def person_lines(self) -> tuple[list[str], list[str]]:
        persona = self.empathy.resolved_persona
        width = CENTRE_W - 2 * PAD
        name = Board.wrap(persona.name, width, NAME) if persona else []
        about = self.empathy.who
        if not about and persona is not None:
            about = " · ".join(part for part in (persona.role, persona.location) if part) or None
        if about:
            who = Board.wrap(about, width, WHO)
        elif persona is None:
            who = Board.wrap(self.locale["empathy.areas.who"], width, QUESTION)
        else:
            who = []
        return name, who

    def person_height(self) -> float:
        name, who = self.person_lines()
        return 2 * PHOTO_R + 14 + Board.text_height(len(name), NAME) + 4 + Board.text_height(len(who), WHO)

    def draw_person(self, board: Board, y: float, h: float) -> None:
        persona = self.empathy.resolved_persona
        with board.element("persona", "persona", persona.name if persona else self.empathy.who or ""):
            self._draw_person(board, persona, y, h)

    def _draw_person(self, board: Board, persona: Persona | None, y: float, h: float) -> None:
        x = MARGIN + SIDE_W + GAP
        board.rect(x, y, CENTRE_W, h, fill=PALETTE.panel, stroke=None, rounded=True)
        name, who = self.person_lines()
        top = y + (h - self.person_height()) / 2
        cx, cy = x + CENTRE_W / 2, top + PHOTO_R
        ring = HUES["goal"]
        with board.element("persona.avatar", "avatar", persona.name if persona else ""):
            if persona is not None:
                draw_avatar(board, cx, cy, PHOTO_R, name=persona.name, photo=photo_uri(self.base_dir, persona.photo),
                            tint=ring.tint, ink=ring.mark, ring=ring.stroke, ring_gap=3.0, ring_width=2.0,
                            text_size=34, paper=PALETTE.paper)
            else:
                board.ellipse(cx, cy, PHOTO_R + 3, PHOTO_R + 3, fill=PALETTE.paper, stroke=ring.stroke, penwidth=2.0)
                self.silhouette(board, cx, cy, ring)
        top += 2 * PHOTO_R + 14
        width = CENTRE_W - 2 * PAD
        if name:
            with board.element("persona.name", "name", persona.name):
                top += board.text(x + PAD, top, width, name, NAME, align="center")
        top += 4
        style = WHO if self.empathy.who or persona is not None else QUESTION
        if who:
            with board.element("who", "who", " ".join(who)):
                board.text(x + PAD, top, width, who, style, align="center")

    @staticmethod
    def silhouette(board: Board, cx: float, cy: float, hue: Hue) -> None:
        """A generic person for a map without a persona: head and shoulders."""
        board.ellipse(cx, cy, PHOTO_R, PHOTO_R, fill=hue.tint, stroke=hue.tint)
        shade = PALETTE.faint
        board.ellipse(cx, cy + 24, 32, 20, fill=shade, stroke=shade)
        board.rect(cx - 34, cy + 25, 68, 19, fill=hue.tint, stroke=None)
        board.ellipse(cx, cy - 10, 17, 17, fill=shade, stroke=hue.tint, penwidth=3.0)

    # -- the whole canvas ---------------------------------------------------------------
    def draw(self) -> Board:
        empathy = self.empathy
        extended = empathy.chosen_layout == "extended"
        if extended:
            grid = [[self.area("sees"), self.area("hears")],
                    [self.area("thinks_feels", "thinks", "feels"), self.area("says_does", "says", "does")]]
        else:
            grid = [[self.area("says"), self.area("thinks")], [self.area("does"), self.area("feels")]]
        below = [self.area("pains"), self.area("gains")] if extended or empathy.pains or empathy.gains else []
        show_goal = extended or bool(empathy.goal)

        title = [] if self.framed else Board.wrap(empathy.title, INNER_W, TITLE)
        subtitle = [] if self.framed else Board.wrap(self.subtitle(), INNER_W, SUBTITLE)
        heights = [max(self.area_height(area, SIDE_W) for area in row) for row in grid]
        needed = self.person_height() + 2 * PAD
        spare = needed - (sum(heights) + GAP)
        if spare > 0:
            heights = [h + spare / 2 for h in heights]
        half = (INNER_W - GAP) / 2
        below_h = max((self.area_height(area, half) for area in below), default=0.0)
        goal_h = self.goal_height() if show_goal else 0.0

        head_h = 0.0
        if not self.framed:
            head_h = Board.text_height(len(title), TITLE) + 4 + Board.text_height(len(subtitle), SUBTITLE) + 20
        total = MARGIN + head_h + (goal_h + GAP if show_goal else 0) + sum(heights) + GAP
        total += (below_h + GAP if below else 0) + MARGIN - GAP
        board = Board(WIDTH, total, kind="empathy", rtl=self.rtl)
        # Graphviz crops to the drawn boxes: a sheet of paper keeps the margins.
        board.rect(0, 0, WIDTH, total, fill=PALETTE.paper, stroke=None)

        y = MARGIN
        if not self.framed:
            with board.element("title", "title", empathy.title):
                y += board.text(MARGIN, y, INNER_W, title, TITLE) + 4
                y += board.text(MARGIN, y, INNER_W, subtitle, SUBTITLE) + 20
        if show_goal:
            self.draw_goal(board, y, goal_h)
            y += goal_h + GAP
        self.draw_person(board, y, sum(heights) + GAP)
        right_x = MARGIN + SIDE_W + GAP + CENTRE_W + GAP
        for row, height in zip(grid, heights):
            self.draw_area(board, row[0], MARGIN, y, SIDE_W, height)
            self.draw_area(board, row[1], right_x, y, SIDE_W, height)
            y += height + GAP
        if below:
            self.draw_area(board, below[0], MARGIN, y, half, below_h)
            self.draw_area(board, below[1], MARGIN + half + GAP, y, half, below_h)
        return board

    def subtitle(self) -> str:
        parts = [self.locale["kinds.empathy"]]
        parts += [f"{label}: {value}" for label, value in credits(self.empathy, self.locale)]
        return " · ".join(parts)


def _indent(area: Area) -> float:
    """Where a heading starts: after its colour square or its pains/gains badge."""
    return (BADGE if area.mark else ACCENT) + 8


def build_graph(empathy: EmpathyMap, context: RenderContext) -> DotGraph:
    return _Canvas(empathy, context.locale, context.base_dir, context.options.get("framed", False)).draw().to_graph()


def describe(empathy: EmpathyMap, locale: Catalogue) -> str:
    persona = empathy.resolved_persona
    who = ", ".join(part for part in (persona.name if persona else None, empathy.who) if part)
    text = f"{locale['kinds.empathy']}: {who}" if who else locale["kinds.empathy"]
    if empathy.goal:
        text += f". {locale['empathy.areas.goal']}: {empathy.goal}"
    return text
