"""Drawing a user flow as a layered graph laid out by Graphviz's ``dot``.

Lanes are clusters. So that they read as bands of one length, each lane
holds an invisible start point on the first rank and an invisible tail
point on the last, on ranks of their own; invisible edges between the start
points keep the lanes in the order the spec lists them. (Linking every step to its lane's start
and tail would do the same, but those long edges make ``dot`` slow down
with the square of the flow's size.) The legend is one more cluster, after the last lane, its samples
chained along the ranks: a strip under a left-right flow, a column beside a
top-down one.

What is drawn is named by the spec: a step by its own id (``nodes.checkout``),
an edge by where it is declared (``edges.3``, ``paths.0.2``), a lane by its
place in ``lanes`` (``lanes.1``), the legend ``legend`` and its samples
``legend.<kind>``; the invisible helpers take their owner's name with a suffix.
"""

from __future__ import annotations

from collections import Counter

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


def _diamond_lines(text: str) -> list[str]:
    """A decision's text in lines that suit its diamond.

    A diamond is about twice as wide and twice as high as its text: one long
    line makes a flat sliver, so the text is set in lines about 2.5 times as
    wide as they are high, as even in length as the words allow.
    """
    width = measurer().width(text, BODY.size)
    lines = max(1, round((width / (2.5 * BODY.line_height)) ** 0.5))
    limit = max(width / lines, 40.0)
    while True:
        wrapped = wrap(text, limit, BODY)
        if len(wrapped) <= lines or limit >= DECISION_WIDTH:
            return wrapped
        limit += 4.0


def _kind(step: Step) -> str:
    if step.type == "end":
        return step.outcome or "end"
    return step.type


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

    def add(self, line: str) -> None:
        self.lines.append(line)

    # -- text -------------------------------------------------------------------
    @staticmethod
    def rows(rows: list[tuple[list[str], TextStyle]], align: str, spacing: int = 2) -> str:
        cells = "".join(
            f'<TR><TD ALIGN="{align}" BALIGN="{align}">{styled_text(lines, style, align)}</TD></TR>'
            for lines, style in rows
            if lines
        )
        return f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="{spacing}" CELLPADDING="0">{cells}</TABLE>'

    def mark(self, kind: str) -> str:
        """The caption of an entry or an end: its mark and its name."""
        word = self.locale[f"userflow.node_types.{kind}"]
        mark = (RTL_MARKS if self.rtl else MARKS).get(kind)
        if mark is None:
            return word
        return f"{word} {mark}" if self.rtl else f"{mark} {word}"

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

    def point(self, id: str, indent: str = "    ") -> str:
        """An invisible layout helper (a band's start or tail): its DOT name."""
        name = quote(id)
        self.add(f"{indent}{name} {attrs(label='', shape='point', width=0.01, height=0.01, style='invis', id=id)};")
        return name

    def hidden(self, tail: str, head: str, id: str, **style) -> None:
        """An invisible edge that only steers the layout, between two ids."""
        self.add(f"  {quote(tail)} -> {quote(head)} {attrs(style='invis', **style, id=id)};")

    def step(self, element: Element, step: Step) -> None:
        kind = _kind(step)
        align = "CENTER" if kind not in ("screen", "action", "system") else self.align
        rows: list[tuple[list[str], TextStyle]] = []
        if kind in ("entry", "success", "failure", "exit"):
            colour = COLOURS[kind][1]
            rows.append(([self.mark(kind).upper()], TextStyle(size=TYPE.caption - 1, colour=colour, bold=True)))
        if kind == "decision":
            rows.append((_diamond_lines(step.text), BODY))
        else:
            rows.append((wrap(step.text, LABEL_WIDTH, BODY), BODY))
        if step.note:
            width = DECISION_WIDTH if kind == "decision" else LABEL_WIDTH
            rows.append((wrap(step.note, width, NOTE), NOTE))
        self.shape(element, kind, self.rows(rows, align), sum(len(lines) for lines, _ in rows))

    def edge(self, tail: Element, head: Element, link: Link, weight: int) -> None:
        edge = link.edge
        element = self.scene.add(element_id(link.where), "edge", edge.label or "",
                                 relations=(("from", tail.id), ("to", head.id)))
        rows = []
        if edge.label:
            rows.append((wrap(edge.label, EDGE_LABEL_WIDTH, EDGE_LABEL), EDGE_LABEL))
        if edge.condition:
            rows.append((wrap(edge.condition, EDGE_LABEL_WIDTH, CONDITION), CONDITION))
        label = Html(self.rows(rows, "CENTER", 1)) if rows else None
        style = "dashed" if edge.optional else None
        self.add(f"  {quote(tail.id)} -> {quote(head.id)} "
                 f"{attrs(label=label, style=style, weight=weight, **named(element))};")

    # -- legend -----------------------------------------------------------------
    def legend(self, kinds: list[str], optional: bool) -> list[str]:
        """A cluster with a sample of each shape used; returns the ids of its nodes in order."""
        legend = self.scene.add("legend", "legend", self.locale["common.legend"])
        heading = styled_text([self.locale["common.legend"].upper()], LEGEND_HEADING, self.align)
        heading = f'<TABLE BORDER="0" CELLPADDING="4"><TR><TD>{heading}</TD></TR></TABLE>'
        self.add("  subgraph cluster_legend {")
        frame = attrs(label=Html(heading), labeljust=self.cluster_just, style="rounded", color=PALETTE.rule,
                      penwidth=1.0, margin=16, **named(legend))
        self.add(f"    graph {frame};")
        self.point("legend-start")
        self.point("legend-tail")
        names = []
        for kind in kinds:
            text = self.mark(kind) if kind in MARKS else self.locale[f"userflow.node_types.{kind}"]
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
        self.add("  }")
        chain = ["legend-start", *names, "legend-tail"]
        for left, right in zip(chain, chain[1:]):
            self.hidden(left, right, f"{right}-chain", weight=5)
        return chain


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

    # Without lanes, the steps sit in one band drawn without a frame.
    bands: list[str | None] = (list(reversed(lanes)) if locale.rtl and top_down else list(lanes)) or [None]
    band_of = {step.id: bands.index(lane_of[step.id]) if lanes else 0 for step in steps}
    # A lane's id is its place in 'lanes', or, with lanes named only by the steps, in the order they name them.
    declared = list(flow.lanes) if flow.lanes else lanes
    band_ids: list[str] = []
    elements: dict[str, Element] = {}
    for number, lane in enumerate(bands):
        if lane is None:
            band = scene.add("band", "band")
        else:
            band = scene.add(f"lanes.{declared.index(lane)}", "lane", lane)
        band_ids.append(band.id)
        writer.add(f"  subgraph cluster_lane{number} {{")
        if lane is None:
            writer.add(f"    graph {attrs(label='', peripheries=0, margin=0, **named(band))};")
        else:
            text = styled_text(wrap(lane, LANE_WIDTH * 2, LANE), LANE, writer.align)
            label = Html(f'<TABLE BORDER="0" CELLPADDING="6"><TR><TD BALIGN="{writer.align}">{text}</TD></TR></TABLE>')
            frame = attrs(label=label, labeljust=writer.cluster_just, labelloc="t", style="filled",
                          fillcolor=BAND_FILLS[number % 2], color=PALETTE.rule, penwidth=1.0, margin=16,
                          **named(band))
            writer.add(f"    graph {frame};")
        writer.point(f"{band.id}-start")
        writer.point(f"{band.id}-tail")
        for step in steps:
            if band_of[step.id] == number:
                element = scene.add(_step_id(step.id), "step", step.text, parent=band.id,
                                    classes=_classes(_kind(step)))
                elements[step.id] = element
                writer.step(element, step)
        writer.add("  }")

    used = {_kind(step) for step in steps}
    optional = any(link.edge.optional for link in flow.links())
    legend = writer.legend([kind for kind in KINDS if kind in used], optional)

    # Bands and legend start on one rank and end on one rank, so they line up;
    # invisible edges on the first rank put them in order (the legend last,
    # or first where right-to-left columns put it on the left).
    starts = [f"{band}-start" for band in band_ids]
    starts = [legend[0], *starts] if locale.rtl and top_down else [*starts, legend[0]]
    tails = [f"{band}-tail" for band in band_ids]
    writer.add("  {rank=min; " + " ".join(f"{quote(n)};" for n in starts) + "}")
    writer.add("  {rank=max; " + " ".join(f"{quote(n)};" for n in tails) + f" {quote(legend[-1])};}}")
    # The bands' ends get ranks of their own, before the first step and after the last:
    # an edge into every step nothing leads to, and out of every step that leads nowhere.
    targets = {link.edge.target for link in flow.links()}
    sources = {link.edge.source for link in flow.links()}
    for step in steps:
        name = elements[step.id].id
        if step.id not in targets:
            writer.hidden(f"{band_ids[0]}-start", name, f"{name}-lead", weight=0)
        if step.id not in sources:
            writer.hidden(name, f"{band_ids[0]}-tail", f"{name}-trail", weight=0)
    for left, right in zip(starts, starts[1:]):
        writer.hidden(left, right, f"{right}-order")
    # An edge from the neighbouring band keeps the legend next to it.
    neighbour = starts[1] if locale.rtl and top_down else starts[-2]
    writer.hidden(neighbour, legend[1], "legend-anchor", weight=0)

    for link in flow.links():
        source, target = link.edge.source, link.edge.target
        if source in elements and target in elements:
            same_lane = not lanes or lane_of[source] == lane_of[target]
            writer.edge(elements[source], elements[target], link, 3 if same_lane and not link.edge.optional else 1)

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
         *writer.lines, "}"]
    )
    return DotGraph(source + "\n", engine="dot", order=(*band_ids, "legend"), scene=scene)


def describe(flow: UserFlow, locale: Catalogue) -> str:
    types = Counter(step.type for step in flow.nodes)
    summary = locale.format("userflow.describe", title=flow.title, steps=len(flow.nodes),
                            decisions=types["decision"], ends=types["end"])
    return f"{locale['kinds.userflow']}: {summary}"
