"""The user-flow spec: steps a customer takes through a product, and the ways between them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ...document import Document
from ...schema import record, spec

__all__ = ["Step", "Edge", "Link", "UserFlow", "resolve_lanes"]

NodeType = Literal["entry", "screen", "action", "decision", "system", "end"]
Outcome = Literal["success", "failure", "exit"]


@record("One step of the flow: where it starts, a screen, an action, a decision, a system step or an end.")
class Step:
    id: str = spec("A short name that edges and paths use to refer to this step.", required=True)
    type: NodeType = spec(
        "entry (where the user comes in), screen (what they see), action (what they do), "
        "decision (a branch), system (what happens out of sight) or end.",
        default="screen",
    )
    label: str | None = spec("What the step says on the diagram; the id when left out.", default=None)
    outcome: Outcome | None = spec("How an end finishes: success, failure or exit.", default=None)
    lane: str | None = spec(
        "The actor doing this step (one of 'lanes'). Left out, the step stays in the lane "
        "of the step that leads to it.",
        default=None,
    )
    note: str | None = spec("A detail shown small under the label.", default=None)

    @property
    def text(self) -> str:
        return self.label or self.id


@record("A way from one step to another.")
class Edge:
    source: str = spec("The id of the step it leaves.", required=True, key="from")
    target: str = spec("The id of the step it reaches.", required=True, key="to")
    label: str | None = spec("What it says: the answer of a decision (\"Yes\") or what the user does.",
                             default=None)
    condition: str | None = spec("When this way is taken, shown small under the label.", default=None)
    optional: bool = spec("An optional way, drawn dashed.", default=False)


@dataclass(frozen=True)
class Link:
    """An edge of the drawn flow, from ``edges`` or from a run of ``paths``.

    ``where`` is the field path of what declared it, for diagnostics;
    ``source_at``/``target_at`` the paths of its two ends.
    """

    edge: Edge
    where: str
    source_at: str
    target_at: str


@record("A user-flow diagram.")
class UserFlow(Document):
    direction: Literal["top-down", "left-right"] = spec(
        "Which way the flow runs. Arabic flows run right to left.", default="top-down")
    lanes: tuple[str, ...] = spec(
        "Actors (Customer, App, Payment provider...), each drawn as a labelled band, in this order.",
        default=())
    nodes: tuple[Step, ...] = spec("The steps of the flow.", required=True)
    edges: tuple[Edge, ...] = spec(
        "Ways between steps. An edge that repeats a step of 'paths' labels or styles that step.",
        default=())
    paths: tuple[tuple[str, ...], ...] = spec(
        "Straight runs of step ids: each step leads to the next one, as if written in 'edges'.",
        default=())

    def links(self) -> list[Link]:
        """Every edge of the flow: the runs of ``paths``, then ``edges`` not already in them.

        An edge that repeats a path's step replaces it (keeping its place), so a
        path can be labelled without being written twice. Only the first edge
        between two steps does: another one between the same steps (a second
        answer of a decision, with its own label) is a way of its own.
        """
        links: list[Link] = []
        unlabelled: dict[tuple[str, str], int] = {}  # the path steps no edge has taken over yet
        for p, path in enumerate(self.paths):
            for i in range(len(path) - 1):
                edge = Edge(source=path[i], target=path[i + 1])
                unlabelled.setdefault((edge.source, edge.target), len(links))
                links.append(Link(edge, f"paths[{p}][{i + 1}]", f"paths[{p}][{i}]", f"paths[{p}][{i + 1}]"))
        for e, edge in enumerate(self.edges):
            link = Link(edge, f"edges[{e}]", f"edges[{e}].from", f"edges[{e}].to")
            place = unlabelled.pop((edge.source, edge.target), None)
            if place is None:
                links.append(link)
            else:
                links[place] = link
        return links


def resolve_lanes(flow: UserFlow) -> tuple[list[str], dict[str, str]]:
    """The lanes in order and the lane of every step.

    A step without a lane stays in the lane of the first step leading to it;
    one that no step with a lane leads to goes in the first lane.
    """
    lanes = list(dict.fromkeys(flow.lanes or [s.lane for s in flow.nodes if s.lane]))
    if not lanes:
        return [], {}
    lane_of = {s.id: s.lane for s in flow.nodes if s.lane in lanes}
    links = flow.links()
    changed = True
    while changed:
        changed = False
        for link in links:
            source, target = link.edge.source, link.edge.target
            if target not in lane_of and source in lane_of:
                lane_of[target] = lane_of[source]
                changed = True
    for step in flow.nodes:
        lane_of.setdefault(step.id, lanes[0])
    return lanes, lane_of
