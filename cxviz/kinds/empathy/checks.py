"""What the empathy-map field types cannot say on their own."""

from __future__ import annotations

import dataclasses

from ...validation import Checker
from ..persona.reference import resolve_persona
from .model import AREAS, EmpathyMap


def check(empathy: EmpathyMap, checker: Checker) -> EmpathyMap | None:
    if not any(getattr(empathy, area) for area in AREAS):
        checker.error("", "an empathy map needs at least one note in " + _listing(AREAS, "or"))
        return None
    persona = resolve_persona(empathy.persona, "persona", checker)
    if persona is None and not empathy.who:
        checker.warning("who", "nobody to empathise with: add 'who' (a person in their situation) or a 'persona'")
    _check_layout(empathy, checker)
    if persona is not None and persona is not empathy.persona:
        return dataclasses.replace(empathy, persona=persona)
    return None


def _check_layout(empathy: EmpathyMap, checker: Checker) -> None:
    layout = empathy.chosen_layout
    if layout == "classic":
        for area in ("sees", "hears"):
            if getattr(empathy, area):
                checker.warning(area, f"the classic layout does not draw '{area}'; use 'layout: extended'")
        areas = [("says",), ("thinks",), ("does",), ("feels",)]
        if empathy.pains or empathy.gains:
            areas += [("pains",), ("gains",)]
    else:
        areas = [("sees",), ("hears",), ("thinks", "feels"), ("says", "does"), ("pains",), ("gains",)]
        if not empathy.goal:
            checker.warning("goal", "no goal; the band on top shows only its guiding question")
    for keys in areas:
        if any(getattr(empathy, key) for key in keys):
            continue
        if len(keys) == 1:
            message = f"no notes in '{keys[0]}'; its area shows only its guiding question"
        else:
            message = f"no notes in '{keys[0]}' or '{keys[1]}'; their area shows only its guiding question"
        checker.warning(keys[0], message)


def _listing(names: tuple[str, ...], joiner: str) -> str:
    return ", ".join(names[:-1]) + f" {joiner} " + names[-1]
