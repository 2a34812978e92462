"""What the empathy-map field types cannot say on their own."""

from __future__ import annotations

import dataclasses
from pathlib import PurePosixPath

from ...validation import Checker
from ..persona.model import Persona
from .model import AREAS, EmpathyMap


def check(empathy: EmpathyMap, checker: Checker) -> EmpathyMap | None:
    if not any(getattr(empathy, area) for area in AREAS):
        checker.error("", "an empathy map needs at least one note in " + _listing(AREAS, "or"))
        return None
    persona = _persona(empathy, checker)
    if persona is None and not empathy.who:
        checker.warning("who", "nobody to empathise with: add 'who' (a person in their situation) or a 'persona'")
    _check_layout(empathy, checker)
    if persona is not None and persona is not empathy.persona:
        return dataclasses.replace(empathy, persona=persona)
    return None


def _persona(empathy: EmpathyMap, checker: Checker) -> Persona | None:
    """The persona the map is about, loaded from its file when it names one."""
    if isinstance(empathy.persona, Persona):
        return _check_photo(empathy.persona, "persona.photo", checker)
    if not empathy.persona:
        return None
    persona = checker.load_reference("persona", empathy.persona, "persona")
    if persona is None or not persona.photo:
        return persona
    # The photo is relative to the persona's file; drawing resolves it
    # against this spec's folder.
    folder = PurePosixPath(checker.drawn_path(empathy.persona)).parent
    return dataclasses.replace(persona, photo=str(folder / persona.photo))


def _check_photo(persona: Persona, path: str, checker: Checker) -> Persona:
    """The persona, its photo checked (and found where drawing will read it)."""
    if not persona.photo:
        return persona
    drawn = checker.check_image(path, persona.photo)
    if drawn is not None and drawn != persona.photo:
        return dataclasses.replace(persona, photo=drawn)
    return persona


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
