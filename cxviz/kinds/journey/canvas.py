"""What a journey's blank canvas (``blank.html.j2``) is drawn with: its stages and lanes."""

from __future__ import annotations

from typing import Any

from ...diagnostics import OptionError
from ...locale import Catalogue
from .model import BLUEPRINT_LANES, JourneyMap

__all__ = ["blank_values", "blank_options", "BLANK_LANES"]

#: The lanes of a blank journey canvas when none are asked for: the customer's, then the insights.
BLANK_LANES = ("actions", "touchpoints", "thoughts", "emotions", "pains", "opportunities")


def blank_values(locale: Catalogue, options: dict[str, Any]) -> dict[str, Any]:
    """The stage names and lanes of a blank journey canvas.

    ``stages`` is a number of stages (named from the locale's default stages
    while they last, then left blank) or their names, the default stages
    without it; ``lanes`` the lanes to draw, all of them without it.
    """
    stages, lanes = options.get("stages"), options.get("lanes")
    known = list(locale["journey.lanes"])
    unknown = [lane for lane in lanes or () if lane not in known]
    if unknown:
        raise OptionError(f"unknown lane {unknown[0]!r} (must be among {', '.join(known)})")
    defaults = list(locale["journey.default_stages"])
    if isinstance(stages, int):
        names = defaults[:stages] + [""] * max(0, stages - len(defaults))
    else:
        names = list(stages) if stages else defaults
    return {"stages": names, "lanes": list(lanes) if lanes else None}


def blank_options(journey: JourneyMap) -> dict[str, Any]:
    """A blank canvas for a journey spec has its stages, by name, and the lanes its map draws.

    Those are the blank canvas's usual lanes, a service blueprint's
    evidence and staff lanes, and the actions to take when the spec has
    some, in the order the drawn map shows them: physical evidence above
    the customer's actions, the staff lanes between the customer's lanes
    and the insights.
    """
    blueprint = journey.type == "service-blueprint"
    evidence, *staff = BLUEPRINT_LANES
    lanes = [evidence] if blueprint else []
    lanes += ["actions", "touchpoints", "thoughts", "emotions"]
    lanes += staff if blueprint else []
    lanes += ["pains", "opportunities"]
    lanes += ["todo"] if any(step.todo for step in journey.steps) else []
    return {
        "stages": [stage.name for stage in journey.stages] or None,
        "lanes": None if tuple(lanes) == BLANK_LANES else lanes,
    }
