"""What the journey field types cannot say on their own."""

from __future__ import annotations

import dataclasses

from ...validation import Checker
from ..persona.model import Persona
from ..persona.reference import resolve_persona
from .model import BLUEPRINT_LANES, JourneyMap


def number(value: float) -> str:
    """A score as people write it: ``2``, not ``2.0``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def check(journey: JourneyMap, checker: Checker) -> JourneyMap | None:
    _check_scale(journey, checker)
    _check_stages(journey, checker)
    persona = _resolve_persona(journey, checker)
    if persona is not journey.persona:
        return dataclasses.replace(journey, persona=persona)
    return None


def _check_scale(journey: JourneyMap, checker: Checker) -> None:
    scale = journey.emotion_scale
    if scale.min >= scale.max:
        checker.error("scale", f"the scale runs from min {number(scale.min)} to max {number(scale.max)}; "
                               "min must be below max")
        return
    for s, stage in enumerate(journey.stages):
        for t, step in enumerate(stage.steps):
            if step.emotion is not None and not scale.min <= step.emotion <= scale.max:
                checker.error(
                    f"stages[{s}].steps[{t}].emotion",
                    f"{number(step.emotion)} is outside the scale {number(scale.min)}..{number(scale.max)}",
                )


def _check_stages(journey: JourneyMap, checker: Checker) -> None:
    seen: dict[str, int] = {}
    blueprint = journey.type == "service-blueprint"
    for s, stage in enumerate(journey.stages):
        key = stage.name.casefold()
        if key in seen:
            checker.error(f"stages[{s}].name",
                          f"stage {stage.name!r} is already used by stages[{seen[key]}]; stage names must differ")
        else:
            seen[key] = s
        if not stage.steps:
            checker.warning(f"stages[{s}]", f"stage {stage.name!r} has no steps; its column stays empty")
        if blueprint:
            continue
        for t, step in enumerate(stage.steps):
            for lane in BLUEPRINT_LANES:
                if getattr(step, lane):
                    checker.warning(
                        f"stages[{s}].steps[{t}].{lane}",
                        f"{lane!r} is drawn only on a service blueprint (type: service-blueprint); "
                        f"this {journey.type} map leaves it out",
                        at_key=True,
                    )
    if not journey.stages:
        checker.error("stages", "needs at least one stage")


def _resolve_persona(journey: JourneyMap, checker: Checker) -> Persona | None:
    if journey.persona is None:
        checker.warning("persona", "no persona; a journey map is drawn for one persona "
                                   "(a persona file, or its name, photo and quote here)", at_key=True)
        return None
    return resolve_persona(journey.persona, "persona", checker)
