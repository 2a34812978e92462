"""What a journey's blank canvas (``blank.html.j2``) is drawn with: its stages and lanes."""

from __future__ import annotations

from typing import Any

from ...diagnostics import OptionError
from ...locale import Catalogue
from .model import JourneyMap

__all__ = ["blank_values", "blank_options"]


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
    """A blank canvas for a journey spec has its stages, by name."""
    return {"stages": [stage.name for stage in journey.stages] or None}
