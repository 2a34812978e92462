"""What the user-flow field types cannot say on their own."""

from __future__ import annotations

import difflib

from ...validation import Checker
from .model import Link, UserFlow, resolve_lanes

__all__ = ["check"]


def _unknown(kind: str, name: str, known: list[str]) -> str:
    message = f"unknown {kind} {name!r}"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    if known:
        shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
        return f"{message} (expected one of {shown})"
    return message


def check(flow: UserFlow, checker: Checker) -> None:
    first_use: dict[str, int] = {}
    for index, step in enumerate(flow.nodes):
        if step.id in first_use:
            checker.error(f"nodes[{index}].id",
                          f"duplicate node id {step.id!r} (first used by nodes[{first_use[step.id]}])")
        else:
            first_use[step.id] = index
        if step.outcome is not None and step.type != "end":
            checker.warning(f"nodes[{index}].outcome", f"only an end has an outcome; this is a {step.type}")
    _check_lanes(flow, checker)
    for p, path in enumerate(flow.paths):
        if len(path) < 2:
            checker.warning(f"paths[{p}]", "a path needs at least two steps to draw a way between them")

    ids = list(first_use)
    links = flow.links()
    reported: set[str] = set()
    for link in links:
        for name, at in ((link.edge.source, link.source_at), (link.edge.target, link.target_at)):
            # A path's middle step ends one link and starts the next: report it once.
            if name not in first_use and at not in reported:
                checker.error(at, _unknown("node", name, ids))
                reported.add(at)

    # Two answers of a decision may lead to the same step ("Applied", "Rejected"):
    # only the same way with the same words is a repetition.
    seen: dict[tuple[str, str, str], str] = {}
    for link in links:
        key = (link.edge.source, link.edge.target, link.edge.label or "")
        if key in seen:
            said = f" labelled {key[2]!r}" if key[2] else ""
            checker.warning(link.where, f"duplicate edge {key[0]!r} -> {key[1]!r}{said} "
                                        f"(already in {seen[key]})")
        else:
            seen[key] = link.where

    outgoing: dict[str, list[Link]] = {name: [] for name in ids}
    for link in links:
        if link.edge.source in outgoing:
            outgoing[link.edge.source].append(link)
    for name, leaving in outgoing.items():
        step = flow.nodes[first_use[name]]
        if step.type == "decision":
            _check_decision(name, f"nodes[{first_use[name]}].id", leaving, checker)
        elif step.type == "end":
            for link in leaving:
                checker.warning(link.source_at, f"{name!r} is an end, so no edge should leave it")

    entries = [name for name in ids if flow.nodes[first_use[name]].type == "entry"]
    if not entries:
        checker.error("nodes", "no entry point; mark where the flow starts with 'type: entry'")
    elif not reported:  # behind an unknown id, every later step would be unreachable too
        _check_reachable(entries, outgoing, first_use, checker)


def _check_decision(name: str, at: str, leaving: list[Link], checker: Checker) -> None:
    branches = len({(link.edge.target, link.edge.label) for link in leaving})
    if branches < 2:
        plural = "branch" if branches == 1 else "branches"
        checker.error(at, f"decision {name!r} has {branches} {plural}; a decision needs at least two")
    for link in leaving:
        if not link.edge.label:
            checker.warning(link.where, f"branch {name!r} -> {link.edge.target!r} has no label; "
                                        "say which answer leads here (label: ...)")


def _check_reachable(entries: list[str], outgoing: dict[str, list[Link]], first_use: dict[str, int],
                     checker: Checker) -> None:
    reached = set(entries)
    queue = list(entries)
    while queue:
        for link in outgoing[queue.pop()]:
            if link.edge.target not in reached:
                reached.add(link.edge.target)
                queue.append(link.edge.target)
    for name, index in first_use.items():
        if name not in reached:
            checker.error(f"nodes[{index}].id", f"{name!r} cannot be reached from any entry point")


def _check_lanes(flow: UserFlow, checker: Checker) -> None:
    listed: set[str] = set()
    for index, lane in enumerate(flow.lanes):
        if lane in listed:
            checker.error(f"lanes[{index}]", f"lane {lane!r} is listed twice")
        listed.add(lane)
    if not flow.lanes:
        return  # lanes are then named by the steps, in the order they appear
    lanes = list(dict.fromkeys(flow.lanes))
    misnamed = False
    for index, step in enumerate(flow.nodes):
        if step.lane is not None and step.lane not in listed:
            checker.error(f"nodes[{index}].lane", _unknown("lane", step.lane, lanes))
            misnamed = True
    if misnamed:
        return  # the misnamed lane would also be reported empty
    used = set(resolve_lanes(flow)[1].values())
    for index, lane in enumerate(lanes):
        if lane not in used:
            checker.warning(f"lanes[{flow.lanes.index(lane)}]", f"lane {lane!r} has no steps; it is drawn empty")
