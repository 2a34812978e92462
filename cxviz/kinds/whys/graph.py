"""Drawing a 5-Whys analysis as a tree laid out by Graphviz's ``dot``."""

from __future__ import annotations

from ...graph.pieces import owner_due
from ...graph.dot import DotGraph, Html, TextStyle, attrs, named, quote, styled_text, wrap
from ...locale import Catalogue
from ...registry import RenderContext
from ...scene import Element, Scene
from ...theme import FONT_FAMILY, PALETTE, TYPE
from .model import Countermeasure, Why, WhysAnalysis

TEXT_WIDTH = 210.0
PROBLEM_WIDTH = 270.0

CAPTION = TextStyle(size=TYPE.caption - 1, colour=PALETTE.muted, bold=True)
BODY = TextStyle(size=TYPE.body)
EVIDENCE = TextStyle(size=TYPE.caption, colour=PALETTE.muted, italic=True)
PROBLEM = TextStyle(size=TYPE.subheading, bold=True)


def _label(rows: list[tuple[list[str], TextStyle]], align: str) -> Html:
    cells = "".join(
        f'<TR><TD ALIGN="{align}" BALIGN="{align}">{styled_text(lines, style, align)}</TD></TR>'
        for lines, style in rows
        if lines
    )
    return Html(f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="0">{cells}</TABLE>')


class _TreeWriter:
    def __init__(self, locale: Catalogue, top_down: bool):
        self.locale = locale
        self.top_down = top_down
        self.rtl = locale.rtl
        self.align = "RIGHT" if self.rtl else "LEFT"
        self.lines: list[str] = []
        self.scene = Scene("whys")

    def node(self, element: Element, rows, **style) -> str:
        name = quote(element.id)
        self.lines.append(f"  {name} {attrs(label=_label(rows, self.align), **named(element), **style)};")
        return name

    def edge(self, tail: Element, head: Element, **style) -> None:
        link = self.scene.add(f"{head.id}-edge", "edge", relations=(("from", tail.id), ("to", head.id)))
        self.lines.append(f"  {quote(tail.id)} -> {quote(head.id)} {attrs(**named(link), **style)};")

    def why(self, why: Why, path: str, depth: int, parent: Element) -> None:
        caption = self.locale.format("whys.level", n=depth)
        if why.root:
            caption = f"{self.locale['whys.root_cause']} · {caption}"
        rows = [
            ([caption.upper()], CAPTION if not why.root else TextStyle(
                size=CAPTION.size, colour=PALETTE.vermillion_dark, bold=True)),
            (wrap(why.because, TEXT_WIDTH, BODY), BODY),
        ]
        if why.evidence:
            rows.append((wrap(f"{self.locale['whys.evidence']}: {why.evidence}", TEXT_WIDTH, EVIDENCE), EVIDENCE))
        element = self.scene.add(path, "root-cause" if why.root else "why", why.because, parent=parent.id)
        if why.root:
            self.node(element, rows, fillcolor=PALETTE.vermillion_tint, color=PALETTE.vermillion_dark, penwidth=3.0)
        else:
            self.node(element, rows)
        self.edge(parent, element, label=Html(styled_text([self.locale["whys.why"]], CAPTION, "CENTER")))
        if why.countermeasure is not None:
            self.countermeasure(why.countermeasure, element)
        children = list(enumerate(why.whys))
        for index, child in reversed(children) if self.rtl and self.top_down else children:
            self.why(child, f"{path}.whys.{index}", depth + 1, element)

    def countermeasure(self, fix: Countermeasure, cause: Element) -> None:
        details = owner_due(self.locale, fix.owner, fix.due)
        style = TextStyle(size=CAPTION.size, colour=PALETTE.green_dark, bold=True)
        rows = [
            ([self.locale["whys.countermeasure"].upper()], style),
            (wrap(fix.action, TEXT_WIDTH, BODY), BODY),
        ]
        detail_style = TextStyle(size=TYPE.caption, colour=PALETTE.green_dark)
        for detail in details:
            rows.append((wrap(detail, TEXT_WIDTH, detail_style), detail_style))
        element = self.scene.add(f"{cause.id}.countermeasure", "countermeasure", fix.action, parent=cause.id)
        name = self.node(element, rows, shape="box", style="filled", fillcolor=PALETTE.green_tint,
                         color=PALETTE.green_dark, penwidth=1.5)
        self.edge(cause, element, color=PALETTE.green_dark, penwidth=1.5, arrowhead="empty")
        if not self.top_down:
            # Growing sideways, a fix sits under its cause instead of lengthening the row.
            self.lines.append(f"  {{rank=same; {quote(cause.id)}; {name}}}")


def build_graph(analysis: WhysAnalysis, context: RenderContext) -> DotGraph:
    locale = context.locale
    writer = _TreeWriter(locale, top_down=analysis.layout == "top-down")
    rankdir = "TB" if writer.top_down else ("RL" if locale.rtl else "LR")
    problem = writer.node(
        writer.scene.add("problem", "problem", analysis.problem),
        [
            ([locale["whys.problem"].upper()], TextStyle(size=CAPTION.size, colour=PALETTE.ink, bold=True)),
            (wrap(analysis.problem, PROBLEM_WIDTH, PROBLEM), PROBLEM),
        ],
        shape="box", style="filled", fillcolor=PALETTE.yellow_tint, color=PALETTE.ink, penwidth=2.5,
    )
    top = list(enumerate(analysis.whys))
    for index, why in reversed(top) if locale.rtl and writer.top_down else top:
        writer.why(why, f"whys.{index}", 1, writer.scene["problem"])
    title = TextStyle(size=TYPE.title, bold=True)
    subtitle = TextStyle(size=TYPE.caption, colour=PALETTE.muted)
    align = "RIGHT" if locale.rtl else "LEFT"
    heading = Html(
        f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">'
        f'<TR><TD ALIGN="{align}" BALIGN="{align}">{styled_text(wrap(analysis.title, 640, title), title, align)}</TD></TR>'
        f'<TR><TD ALIGN="{align}">{styled_text([locale["kinds.whys"]], subtitle, align)}</TD></TR>'
        f"<TR><TD> </TD></TR></TABLE>"
    )
    # On a printed canvas the page header carries the title.
    framed = context.options.get("framed", False)
    graph = attrs(
        id="diagram", rankdir=rankdir, ordering="out", nodesep=0.35, ranksep=0.5, pad=0.3,
        bgcolor=PALETTE.paper, fontname=FONT_FAMILY, label=None if framed else heading, labelloc="t",
        labeljust="r" if locale.rtl else "l",
    )
    node = attrs(shape="box", style="rounded,filled", fillcolor=PALETTE.paper, color=PALETTE.rule,
                 penwidth=1.2, margin="0.14,0.08", fontname=FONT_FAMILY)
    edge = attrs(color=PALETTE.faint, arrowsize=0.7, penwidth=1.2, fontname=FONT_FAMILY)
    source = "\n".join(
        [f"digraph {quote('whys')} {{", f"  graph {graph};", f"  node {node};", f"  edge {edge};",
         *writer.lines, "}"]
    )
    return DotGraph(source + "\n", engine="dot", scene=writer.scene)


def describe(analysis: WhysAnalysis, locale: Catalogue) -> str:
    causes = roots = 0
    stack = list(analysis.whys)
    while stack:
        why = stack.pop()
        causes += 1
        roots += why.root
        stack.extend(why.whys)
    return (
        f"{locale['kinds.whys']}: {analysis.problem} "
        f"({causes} causes, {roots} marked as root cause{'s' if roots != 1 else ''})"
    )
