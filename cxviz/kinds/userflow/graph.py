"""Drawing a user flow as a layered graph laid out by Graphviz's ``dot``.

**Lanes** are clusters, in the order ``lanes`` lists them:

* in a left-right flow they are horizontal bands, the first on top, in
  either script; an Arabic flow runs from the right (``rankdir=RL``) and
  its lane names stand on the right;
* in a top-down flow they are columns: the first lane is on the left, and
  in Arabic, mirrored, on the right.

The **legend** comes after the lanes, on the reading side: a strip under a
left-right flow, its heading and samples starting on the left, or on the
right in Arabic; a column on the right of a top-down one in both scripts,
which in Arabic is where the reader starts, beside the first lane.

So that lanes read as bands of one length, each holds an invisible start
point on the first rank, as long along the flow as the longest first step,
and a tail point on a rank after the last step. dot orders sibling clusters
as its first sweep meets them and then swaps them to cross fewer edges, so
lanes linked more often than their neighbours would trade places: the
clusters are nested two by two (see ``_nested``) and every band is bound to
the next by edges that would cross any band put between them. An invisible
rail from each band's start to its tail gives the band a point on every rank
(around a rank a cluster leaves empty, dot 2.43 routes edges through the
nodes beside it).

**Edge labels** are nodes of their own: a labelled way is drawn in two
halves through its label, which dot places like any step, so a label never
lies over a step or another label and always sits on its own line. The
label comes right after the step the way leaves, in the lane of the step it
reaches, so a long way runs inside that lane rather than between lanes. Two
ways between the same steps with different labels are two such lines.

**Back links** (a retry leading to a step written earlier, closing a loop)
are turned round for the layout and drawn with the arrow at their end, so
the flow runs along the spec's order; one that crosses lanes bends through
a point in the lane it reaches, and runs back inside that lane.

Text is wrapped at word boundaries; a shape grows to keep its longest word
whole (up to ``WIDEST``), and only a word longer still is hyphenated.

What is drawn is named by the spec: a step by its own id (``nodes.checkout``),
an edge by where it is declared (``edges.3``, ``paths.0.2``; a labelled one
is ``edges.3`` up to its label, ``edges.3-1`` the label, ``edges.3-2`` on to
its step), a lane by its place in ``lanes`` (``lanes.1``), the legend
``legend`` and its samples ``legend.<kind>``; the invisible helpers take
their owner's name with a suffix.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ...fonts import measurer
from ...graph.dot import DotGraph, Html, TextStyle, attrs, named, quote, styled_text, wrap
from ...locale import Catalogue
from ...registry import RenderContext
from ...scene import Element, Scene, element_id, name_part
from ...theme import FONT_FAMILY, PALETTE, TYPE
from .model import Link, Step, UserFlow, resolve_lanes

__all__ = ["build_graph", "describe"]

LABEL_WIDTH = 150.0
DECISION_WIDTH = 110.0
EDGE_LABEL_WIDTH = 110.0
LANE_WIDTH = 120.0
#: Room around an edge label, so the halves of its way and other lines keep clear of the words.
LABEL_PAD = 3
#: Room between the last band and the legend, in points.
LEGEND_GAP = 10
#: How strongly a label keeps to the step its way leaves (against 1 or 3 for the ways themselves).
LABEL_WEIGHT = 6
#: How wide a shape's text may grow to keep a long word whole; only a word
#: wider still is hyphenated.
WIDEST = {"label": 230.0, "decision": 170.0, "edge": 170.0}

BODY = TextStyle(size=TYPE.body)
NOTE = TextStyle(size=TYPE.caption, colour=PALETTE.muted)
EDGE_LABEL = TextStyle(size=TYPE.caption, colour=PALETTE.ink, bold=True)
CONDITION = TextStyle(size=TYPE.caption, colour=PALETTE.muted, italic=True)
LANE = TextStyle(size=TYPE.subheading, colour=PALETTE.ink, bold=True)
LEGEND = TextStyle(size=TYPE.caption, colour=PALETTE.ink)
LEGEND_HEADING = TextStyle(size=TYPE.caption, colour=PALETTE.muted, bold=True)

#: Lane bands alternate between these fills.
BAND_FILLS = (PALETTE.panel, "#FBFCFD")

#: The look of each kind of step (an end's kind is its outcome): fill and border.
COLOURS = {
    "entry": (PALETTE.blue_tint, PALETTE.blue_dark),
    "screen": (PALETTE.paper, PALETTE.muted),
    "action": (PALETTE.orange_tint, PALETTE.orange_dark),
    "decision": (PALETTE.purple_tint, PALETTE.purple_dark),
    "system": (PALETTE.paper, PALETTE.muted),
    "success": (PALETTE.green_tint, PALETTE.green_dark),
    "failure": (PALETTE.vermillion_tint, PALETTE.vermillion_dark),
    "exit": (PALETTE.panel, PALETTE.muted),
    "end": (PALETTE.panel, PALETTE.ink),
}
#: Ends say how they end in words and a mark, not by colour alone.
MARKS = {"success": "✓", "failure": "×", "exit": "↪"}
#: Leaving points the way the flow runs.
RTL_MARKS = {**MARKS, "exit": "↩"}
#: The order of the legend.
KINDS = ("entry", "screen", "action", "decision", "system", "success", "failure", "exit", "end")
#: Kinds drawn as pills, with fully round ends (see cxviz.rendering.svg).
PILLS = ("entry", "success", "failure", "exit", "end")


def _widest_word(text: str, style: TextStyle) -> float:
    return max((measurer().width(word, style.size, style.bold) for word in text.split()), default=0.0)


def _lines(text: str, width: float, style: TextStyle, widest: float) -> list[str]:
    """``text`` wrapped at ``width``, or as wide as its longest word (up to ``widest``) to keep it whole."""
    return wrap(text, min(max(width, _widest_word(text, style)), widest), style)


def _diamond_lines(text: str) -> list[str]:
    """A decision's text in lines that suit its diamond.

    A diamond is about twice as wide and twice as high as its text: one long
    line makes a flat sliver, so the text is set in lines about 2.5 times as
    wide as they are high, as even in length as the words allow. Lines are
    never narrower than the longest word: the diamond grows instead, up to
    ``WIDEST["decision"]``, beyond which only that word is hyphenated.
    """
    width = measurer().width(text, BODY.size)
    lines = max(1, round((width / (2.5 * BODY.line_height)) ** 0.5))
    start = limit = min(max(width / lines, 40.0, _widest_word(text, BODY)), WIDEST["decision"])
    while True:
        wrapped = wrap(text, limit, BODY)
        if len(wrapped) <= lines or limit >= max(DECISION_WIDTH, start):
            return wrapped
        limit += 4.0


def step_kind(step: Step) -> str:
    """What a step is drawn as: its type, or an end's outcome."""
    if step.type == "end":
        return step.outcome or "end"
    return step.type


def caption(kind: str, locale: Catalogue) -> str:
    """The name of a ``kind`` of step in ``locale``, with its mark for an end that has an outcome."""
    word = locale[f"userflow.node_types.{kind}"]
    mark = (RTL_MARKS if locale.rtl else MARKS).get(kind)
    if mark is None:
        return word
    return f"{word} {mark}" if locale.rtl else f"{mark} {word}"


def _classes(kind: str) -> tuple[str, ...]:
    """The classes a step of ``kind`` (or its legend sample) adds to its role's: type, outcome, pill."""
    types = ("end", kind) if kind in MARKS else (kind,)
    return tuple(f"cxviz-{name}" for name in (*types, *(("pill",) if kind in PILLS else ())))


def _step_id(step_id: str) -> str:
    return f"nodes.{name_part(step_id)}"


class _Writer:
    def __init__(self, locale: Catalogue, top_down: bool):
        self.locale = locale
        self.rtl = locale.rtl
        self.align = "RIGHT" if self.rtl else "LEFT"
        # Graphviz mirrors a cluster's label side along with rankdir=RL.
        self.cluster_just = "r" if self.rtl and top_down else "l"
        self.lines: list[str] = []
        self.scene = Scene("userflow")
        #: What each cluster (a band ``lane<N>``, the ``legend``) holds, by name.
        self.inside: dict[str, list[str]] = {}
        #: The cluster being written, or None for the graph itself.
        self.current: str | None = None

    def add(self, line: str) -> None:
        (self.inside.setdefault(self.current, []) if self.current else self.lines).append(line)

    def join(self, band: int, line: str) -> None:
        """Add ``line`` to the ``band``-th band's cluster."""
        self.inside.setdefault(f"lane{band}", []).append(f"    {line}")

    # -- text -------------------------------------------------------------------
    @staticmethod
    def rows(rows: list[tuple[list[str], TextStyle]], align: str, spacing: int = 2) -> str:
        cells = "".join(
            f'<TR><TD ALIGN="{align}" BALIGN="{align}">{styled_text(lines, style, align)}</TD></TR>'
            for lines, style in rows
            if lines
        )
        return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="{spacing}" CELLPADDING="0">{cells}</TABLE>'

    # -- shapes -----------------------------------------------------------------
    def shape(self, element: Element, kind: str, content: str, lines: int, indent: str = "    ") -> None:
        """The node of ``element``, a ``kind`` of step around ``content`` (an HTML table of ``lines`` lines)."""
        fill, border = COLOURS[kind]
        if kind in PILLS:
            # The caps are half circles as high as the pill: keep the text clear of them.
            side = 0.08 + lines * 0.085
            style = attrs(
                label=Html(content), shape="box", style="rounded,filled", fillcolor=fill, color=border,
                penwidth=2.6 if kind == "failure" else 1.6, peripheries=2 if kind == "success" else None,
                margin=f"{side:.2f},0.07", **named(element),
            )
        elif kind == "screen":
            dots = styled_text(["• • •"], TextStyle(size=8, colour=PALETTE.muted), self.align)
            style = attrs(shape="plain", label=Html(
                f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" COLOR="{border}" BGCOLOR="{fill}">'
                f'<TR><TD BGCOLOR="{PALETTE.sky_tint}" ALIGN="{self.align}" HEIGHT="11" CELLPADDING="1" '
                f'SIDES="B" BORDER="1">{dots}</TD></TR>'
                f'<TR><TD CELLPADDING="9" ALIGN="{self.align}">{content}</TD></TR></TABLE>'
            ), **named(element))
        elif kind == "system":
            bar = '<TD WIDTH="7" SIDES="{}" BORDER="1"> </TD>'
            style = attrs(shape="plain", label=Html(
                f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" COLOR="{border}" BGCOLOR="{fill}">'
                f'<TR>{bar.format("R")}<TD CELLPADDING="9" ALIGN="{self.align}">{content}</TD>'
                f'{bar.format("L")}</TR></TABLE>'
            ), **named(element))
        elif kind == "decision":
            style = attrs(label=Html(content), shape="diamond", style="filled", fillcolor=fill, color=border,
                          penwidth=1.6, margin="0.04,0.06", **named(element))
        else:
            style = attrs(label=Html(content), shape="box", style="rounded,filled", fillcolor=fill, color=border,
                          penwidth=1.3, margin="0.15,0.1", **named(element))
        self.add(f"{indent}{quote(element.id)} {style};")

    def point(self, id: str, indent: str = "    ", size: tuple[float, float] = (0.0, 0.0)) -> str:
        """An invisible layout helper (a band's start or tail) ``size`` points large: its DOT name."""
        name = quote(id)
        width, height = (max(0.01, round(value / 72, 2)) for value in size)
        self.add(f"{indent}{name} {attrs(label='', shape='box', fixedsize=True, width=width, height=height, style='invis', id=id)};")
        return name

    def hidden(self, tail: str, head: str, id: str, **style) -> None:
        """An invisible edge that only steers the layout, between two ids."""
        self.add(f"  {quote(tail)} -> {quote(head)} {attrs(style='invis', **style, id=id)};")

    def text_rows(self, step: Step) -> list[tuple[list[str], TextStyle]]:
        """The lines a step shows, each run with its style: its mark, its words, its note."""
        kind = step_kind(step)
        rows: list[tuple[list[str], TextStyle]] = []
        if kind in ("entry", "success", "failure", "exit"):
            colour = COLOURS[kind][1]
            rows.append(([caption(kind, self.locale).upper()], TextStyle(size=TYPE.caption - 1, colour=colour, bold=True)))
        if kind == "decision":
            rows.append((_diamond_lines(step.text), BODY))
        else:
            rows.append((_lines(step.text, LABEL_WIDTH, BODY, WIDEST["label"]), BODY))
        if step.note:
            width = DECISION_WIDTH if kind == "decision" else LABEL_WIDTH
            rows.append((_lines(step.note, width, NOTE, WIDEST["label"]), NOTE))
        return rows

    def step(self, element: Element, step: Step) -> None:
        kind = step_kind(step)
        align = "CENTER" if kind not in ("screen", "action", "system") else self.align
        rows = self.text_rows(step)
        self.shape(element, kind, self.rows(rows, align), sum(len(lines) for lines, _ in rows))

    def extent(self, step: Step) -> tuple[float, float]:
        """About how wide and high a step is drawn, in points, never less than Graphviz makes it."""
        rows = self.text_rows(step)
        width = max(measurer().width(line, style.size, style.bold) for lines, style in rows for line in lines)
        height = sum(len(lines) * style.line_height + 2 for lines, style in rows)
        kind = step_kind(step)
        if kind == "decision":
            width, height = width * 2, height * 2
        elif kind in PILLS:
            lines = sum(len(lines) for lines, _ in rows)
            width += 2 * 72 * (0.08 + lines * 0.085)
            height += 2 * 72 * 0.07
        else:
            width, height = width + 40, height + 32
        return width + 12, height + 12

    def edge(self, tail: Element, head: Element, link: Link, plan: "_Plan") -> None:
        """One way of the flow: a single line, or two halves through its label (see the module's notes)."""
        edge = link.edge
        element = self.scene.add(element_id(link.where), "edge", edge.label or "",
                                 relations=(("from", tail.id), ("to", head.id)))
        rows = []
        if edge.label:
            rows.append((_lines(edge.label, EDGE_LABEL_WIDTH, EDGE_LABEL, WIDEST["edge"]), EDGE_LABEL))
        if edge.condition:
            rows.append((_lines(edge.condition, EDGE_LABEL_WIDTH, CONDITION, WIDEST["edge"]), CONDITION))
        style = "dashed" if edge.optional else None
        if not rows and plan.via:
            # A way back into another lane bends once, in that lane, and runs back inside it.
            mid = f"{element.id}-1"
            point = attrs(label="", shape="point", width=0.01, height=0.01, style="invis", id=mid)
            self.join(plan.band, f"{quote(mid)} {point};")
            self.halves(tail, head, mid, plan, element, style)
            return
        if not rows:
            ends = (head.id, tail.id) if plan.back else (tail.id, head.id)
            self.add(f"  {quote(ends[0])} -> {quote(ends[1])} "
                     f"{attrs(style=style, weight=plan.weight, dir='back' if plan.back else None, **named(element))};")
            return
        if tail.id == head.id:
            # A loop on one step: dot places its label beside the loop, clear of the step.
            label = Html(self.rows(rows, "CENTER", 1))
            self.add(f"  {quote(tail.id)} -> {quote(head.id)} {attrs(label=label, style=style, **named(element))};")
            return
        # The label is a node of its own, right after the step the way leaves, in the lane of
        # the step it reaches: a long way then runs inside that lane, not between lanes.
        mid = f"{element.id}-1"
        table = self.rows(rows, "CENTER", 1).replace('CELLPADDING="0"', f'CELLPADDING="{LABEL_PAD}"', 1)
        self.join(plan.band, f"{quote(mid)} {attrs(shape='plain', label=Html(table), **named(element, '1'))};")
        self.halves(tail, head, mid, plan, element, style)

    def halves(self, tail: Element, head: Element, mid: str, plan: "_Plan", element: Element,
               style: str | None) -> None:
        """A way drawn in two halves through ``mid``, which keeps close to the tail."""
        first = attrs(style=style, dir="none", weight=LABEL_WEIGHT, **named(element))
        second = attrs(style=style, weight=plan.weight, dir="back" if plan.back else None, **named(element, "2"))
        if plan.back:
            self.add(f"  {quote(mid)} -> {quote(tail.id)} {first};")
            self.add(f"  {quote(head.id)} -> {quote(mid)} {second};")
        else:
            self.add(f"  {quote(tail.id)} -> {quote(mid)} {first};")
            self.add(f"  {quote(mid)} -> {quote(head.id)} {second};")

    # -- legend -----------------------------------------------------------------
    def legend(self, kinds: list[str], optional: bool, start_size: tuple[float, float]) -> list[str]:
        """A cluster with a sample of each shape used; returns the ids of its nodes in order."""
        legend = self.scene.add("legend", "legend", self.locale["common.legend"])
        heading = styled_text([self.locale["common.legend"].upper()], LEGEND_HEADING, self.align)
        heading = f'<TABLE BORDER="0" CELLPADDING="4"><TR><TD>{heading}</TD></TR></TABLE>'
        self.current = "legend"
        frame = attrs(label=Html(heading), labeljust=self.cluster_just, style="rounded", color=PALETTE.rule,
                      bgcolor=PALETTE.paper, penwidth=1.0, peripheries=1, margin=16, **named(legend))
        self.add(f"    graph {frame};")
        self.point("legend-start", size=start_size)
        self.point("legend-bind")
        self.point("legend-tail")
        names = []
        for kind in kinds:
            text = caption(kind, self.locale) if kind in MARKS else self.locale[f"userflow.node_types.{kind}"]
            sample = self.scene.add(f"legend.{kind}", "legend", text, parent=legend.id, classes=_classes(kind))
            self.shape(sample, kind, self.rows([([text], LEGEND)], "CENTER"), 1)
            names.append(sample.id)
        if optional:
            # The dashed line is the lower border of the upper half-cell: it runs mid-height.
            line = f'<TD WIDTH="36" HEIGHT="9" SIDES="B" BORDER="1" STYLE="dashed" COLOR="{PALETTE.muted}"></TD>'
            text = (f'<TD ROWSPAN="2" ALIGN="{self.align}">'
                    f'{styled_text([self.locale["userflow.optional"]], LEGEND, self.align)}</TD>')
            gap = '<TD ROWSPAN="2" WIDTH="6"></TD>'
            cells = text + gap + line if self.rtl else line + gap + text
            table = (f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2"><TR>{cells}</TR>'
                     f'<TR><TD HEIGHT="9"></TD></TR></TABLE>')
            sample = self.scene.add("legend.optional", "legend", self.locale["userflow.optional"],
                                    parent=legend.id, classes=("cxviz-optional",))
            self.add(f"    {quote(sample.id)} {attrs(shape='plain', label=Html(table), **named(sample))};")
            names.append(sample.id)
        self.current = None
        chain = ["legend-start", *names, "legend-tail"]
        for left, right in zip(chain, chain[1:]):
            self.hidden(left, right, f"{right}-chain", weight=5)
        return chain


@dataclass(frozen=True)
class _Plan:
    """How one way of the flow is laid out: the band of its label, its weight, whether it leads back."""

    band: int
    weight: int
    back: bool
    #: Whether a way without words still bends through a point in the band it reaches.
    via: bool = False


def _back_links(steps: list[Step], links: list[Link]) -> set[int]:
    """The links that lead back: those closing a loop onto a step written earlier in ``nodes``.

    Only a link inside a loop (its two steps reach each other) can lead
    back, and of a loop's links those going up the list of steps do: a
    retry leads back to the step it repeats. The layout then runs along
    every other link, in the order the spec writes its steps.
    """
    place = {step.id: index for index, step in enumerate(steps)}
    leaving: dict[str, list[str]] = {step.id: [] for step in steps}
    for link in links:
        leaving[link.edge.source].append(link.edge.target)
    loop = _loops(list(place), leaving)
    return {index for index, link in enumerate(links)
            if loop[link.edge.source] == loop[link.edge.target]
            and place[link.edge.target] <= place[link.edge.source]}


def _loops(names: list[str], leaving: dict[str, list[str]]) -> dict[str, str]:
    """The loop every step belongs to, named by one of its steps (Tarjan's strongly
    connected components, without recursion: a flow may be long)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, str] = {}
    stack: list[str] = []
    for root in names:
        if root in index:
            continue
        work = [(root, iter(leaving[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            name, todo = work[-1]
            target = next(todo, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    work.append((target, iter(leaving[target])))
                elif target not in component:
                    low[name] = min(low[name], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[name])
            if low[name] == index[name]:
                while True:
                    member = stack.pop()
                    component[member] = name
                    if member == name:
                        break
    return component


def _nested(inside: dict[str, list[str]], names: list[str], top_down: bool) -> list[str]:
    """The clusters ``names``, nested so that dot keeps them in this order.

    dot orders sibling clusters as its first sweep meets them, then swaps
    them where that crosses fewer edges: lanes linked more often than their
    neighbours would trade places. Each wrapper here holds one cluster and
    the wrapper of all the ones after it, so dot has two siblings to order
    at every level; the edges that bind each band to the next (see
    build_graph) make the written order the one that crosses fewest. The
    sweep meets the sibling written last first, and a left-right layout
    turns the order over: top-down, the wrapper comes first. The wrappers
    draw nothing.

    Every cluster is an unnamed subgraph marked ``cluster=true``: Graphviz
    takes named subgraphs in the order their names happen to sit in memory,
    which differs between a graph laid out alone and in a batch, unnamed
    ones in the order they are written.
    """
    lines: list[str] = []
    for index, name in reversed(list(enumerate(names))):
        block = ["  subgraph {", "    graph [cluster=true];", *inside.get(name, []), "  }"]
        if index == len(names) - 1:
            # Bands touch; the last cluster (the legend) keeps a gap from them.
            frame = attrs(cluster=True, label="", style="invis", margin=LEGEND_GAP, id=f"{name}-gap")
            lines = [f"  subgraph {{ graph {frame};", *block, "  }"]
            continue
        frame = attrs(cluster=True, label="", style="invis", margin=0, id=f"bands-from-{index}")
        parts = [lines, block] if top_down else [block, lines]
        lines = [f"  subgraph {{ graph {frame};", *parts[0], *parts[1], "  }"]
    return lines


def build_graph(flow: UserFlow, context: RenderContext) -> DotGraph:
    locale = context.locale
    top_down = flow.direction == "top-down"
    writer = _Writer(locale, top_down)
    scene = writer.scene
    # Two steps sharing an id is an error the checks report; the drawing keeps the first.
    firsts: dict[str, Step] = {}
    for step in flow.nodes:
        firsts.setdefault(step.id, step)
    steps = list(firsts.values())
    lanes, lane_of = resolve_lanes(flow)
    links = [link for link in flow.links() if link.edge.source in firsts and link.edge.target in firsts]

    # Without lanes, the steps sit in one band drawn without a frame. Top-down,
    # lanes are columns, declared from the left: right to left, the first lane is last.
    bands: list[str | None] = (list(reversed(lanes)) if locale.rtl and top_down else list(lanes)) or [None]
    band_of = {step.id: bands.index(lane_of[step.id]) if lanes else 0 for step in steps}
    # A lane's id is its place in 'lanes', or, with lanes named only by the steps, in the order they name them.
    declared = list(flow.lanes) if flow.lanes else lanes
    back = _back_links(steps, links)
    # The layout runs along the links, back links turned round: which steps start it
    # (nothing leads to them) and which end it (they lead nowhere).
    leads_to = {link.edge.source if index in back else link.edge.target for index, link in enumerate(links)}
    leads_from = {link.edge.target if index in back else link.edge.source for index, link in enumerate(links)}
    # The first steps share the first rank with the bands' start points, each as long
    # as the longest of them along the flow, so every band begins at one line.
    length = 1 if top_down else 0  # an extent's height in a top-down flow, its width in a left-right one
    first = max((writer.extent(step)[length] for step in steps if step.id not in leads_to), default=0.0)
    start_size = (0.0, first) if top_down else (first, 0.0)
    band_ids: list[str] = []
    elements: dict[str, Element] = {}
    for number, lane in enumerate(bands):
        if lane is None:
            band = scene.add("band", "band")
        else:
            band = scene.add(f"lanes.{declared.index(lane)}", "lane", lane)
        band_ids.append(band.id)
        writer.current = f"lane{number}"
        if lane is None:
            writer.add(f"    graph {attrs(label='', peripheries=0, margin=0, **named(band))};")
        else:
            text = styled_text(wrap(lane, LANE_WIDTH * 2, LANE), LANE, writer.align)
            label = Html(f'<TABLE BORDER="0" CELLPADDING="6"><TR><TD BALIGN="{writer.align}">{text}</TD></TR></TABLE>')
            frame = attrs(label=label, labeljust=writer.cluster_just, labelloc="t", style="filled",
                          fillcolor=BAND_FILLS[number % 2], color=PALETTE.rule, penwidth=1.0, peripheries=1,
                          margin=16, **named(band))
            writer.add(f"    graph {frame};")
        writer.point(f"{band.id}-start", size=start_size)
        writer.point(f"{band.id}-bind")
        writer.point(f"{band.id}-tail")
        for step in steps:
            if band_of[step.id] == number:
                element = scene.add(_step_id(step.id), "step", step.text, parent=band.id,
                                    classes=_classes(step_kind(step)))
                elements[step.id] = element
                writer.step(element, step)
        writer.current = None

    used = {step_kind(step) for step in steps}
    optional = any(link.edge.optional for link in links)
    legend = writer.legend([kind for kind in KINDS if kind in used], optional, start_size)

    for index, link in enumerate(links):
        source, target = link.edge.source, link.edge.target
        same_lane = band_of[source] == band_of[target]
        weight = 3 if same_lane and not link.edge.optional else 1
        via = index in back and not same_lane
        writer.edge(elements[source], elements[target], link, _Plan(band_of[target], weight, index in back, via))

    # Bands and legend start on one rank and end on one rank, so they line up.
    starts = [*(f"{band}-start" for band in band_ids), legend[0]]
    tails = [f"{band}-tail" for band in band_ids]
    writer.add("  {rank=min; " + " ".join(f"{quote(n)};" for n in starts) + "}")
    writer.add("  {rank=max; " + " ".join(f"{quote(n)};" for n in tails) + f" {quote(legend[-1])};}}")
    # With newrank, rank=min and rank=max only keep the points on one rank: edges from
    # its band's start to every step nothing leads to (on the same rank or later), and
    # from every step that leads nowhere to its band's tail (on a later rank), put the
    # points before and after the steps. Inside its band, such an edge leaves no gap
    # between bands.
    for step in steps:
        name, band = elements[step.id].id, band_ids[band_of[step.id]]
        if step.id not in leads_to:
            writer.hidden(f"{band}-start", name, f"{name}-lead", weight=0, minlen=0)
        if step.id not in leads_from:
            writer.hidden(name, f"{band}-tail", f"{name}-trail", weight=0)
    # A rail along every band, from its start to its tail, gives the band a point on every
    # rank: around a rank a band would leave empty, dot 2.43 routes edges through the
    # nodes beside it. (A slack rail, of weight 0, can make dot crash on a long flow.)
    for band in band_ids:
        writer.hidden(f"{band}-start", f"{band}-tail", f"{band}-rail", weight=1)
    # Edges between each band's start and a point right after the next band's start,
    # both ways, would cross any band put between the two: one more of them than the
    # ways that pass over that next band in the written order, so that no other order
    # crosses fewer edges. (dot fans out edges that share both ends; two pairs of ends
    # keep each fan half as wide.)
    owners = [*band_ids, "legend"]
    for owner in owners:
        writer.hidden(f"{owner}-start", f"{owner}-bind", f"{owner}-bind", weight=10)
    for number, (left, right) in enumerate(zip(owners, owners[1:]), start=1):
        over = sum(min(band_of[link.edge.source], band_of[link.edge.target]) < number
                   < max(band_of[link.edge.source], band_of[link.edge.target]) for link in links)
        for count in range(over + 1):
            ends = (left, right) if count % 2 == 0 else (right, left)
            writer.hidden(f"{ends[0]}-start", f"{ends[1]}-bind", f"{right}-binding", weight=0)

    title = TextStyle(size=TYPE.title, bold=True)
    subtitle = TextStyle(size=TYPE.caption, colour=PALETTE.muted)
    align = writer.align
    heading = Html(
        f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">'
        f'<TR><TD ALIGN="{align}" BALIGN="{align}">{styled_text(wrap(flow.title, 640, title), title, align)}</TD></TR>'
        f'<TR><TD ALIGN="{align}">{styled_text([locale["kinds.userflow"]], subtitle, align)}</TD></TR>'
        f"<TR><TD> </TD></TR></TABLE>"
    )
    rankdir = "TB" if top_down else ("RL" if locale.rtl else "LR")
    graph = attrs(
        id="diagram", rankdir=rankdir, newrank=True, nodesep=0.35, ranksep=0.3, pad=0.3,
        bgcolor=PALETTE.paper, fontname=FONT_FAMILY, labelloc="t",
        # On a printed canvas the page header carries the title.
        label=None if context.options.get("framed") else heading,
        labeljust="r" if locale.rtl else "l",
    )
    node = attrs(fontname=FONT_FAMILY, fontsize=TYPE.body)
    edge = attrs(color=PALETTE.muted, arrowsize=0.7, penwidth=1.3, fontname=FONT_FAMILY)
    source = "\n".join(
        [f"digraph {quote('userflow')} {{", f"  graph {graph};", f"  node {node};", f"  edge {edge};",
         *_nested(writer.inside, [*(f"lane{n}" for n in range(len(bands))), "legend"], top_down),
         *writer.lines, "}"]
    )
    return DotGraph(source + "\n", engine="dot", order=(*band_ids, "legend"), scene=scene)


def describe(flow: UserFlow, locale: Catalogue) -> str:
    types = Counter(step.type for step in flow.nodes)
    summary = locale.format("userflow.describe", title=flow.title, steps=len(flow.nodes),
                            decisions=types["decision"], ends=types["end"])
    return f"{locale['kinds.userflow']}: {summary}"
