"""What the persona field types cannot say on their own."""

from __future__ import annotations

import dataclasses

from ...validation import Checker
from .model import Persona

#: Lists whose items are drawn one under another; repeating one is a slip.
_LISTS = ("goals", "frustrations", "motivations", "behaviours", "channels", "brands")


def check(persona: Persona, checker: Checker) -> Persona | None:
    drawn = checker.check_image("photo", persona.photo) if persona.photo is not None else None
    _check_traits(persona, checker)
    for field in _LISTS:
        _check_repeats(getattr(persona, field), field, checker)
    if _is_sparse(persona):
        checker.warning(
            "name",
            "only a name is given, so the card will be nearly empty; "
            "add a quote, goals, frustrations or a bio",
        )
    if drawn is not None and drawn != persona.photo:
        return dataclasses.replace(persona, photo=drawn)
    return None


def _check_traits(persona: Persona, checker: Checker) -> None:
    seen: dict[frozenset[str], int] = {}
    for index, trait in enumerate(persona.personality):
        path = f"personality[{index}].poles"
        if len(trait.poles) != 2:
            checker.error(
                path,
                f"needs exactly two poles, e.g. [Introvert, Extrovert]; got {len(trait.poles)}",
            )
            continue
        first, second = (pole.strip() for pole in trait.poles)
        if not first or not second:
            checker.error(path, "a pole needs a name")
            continue
        if first.casefold() == second.casefold():
            checker.error(path, f"both poles are {first!r}; a slider runs between two different ends")
            continue
        key = frozenset((first.casefold(), second.casefold()))
        if key in seen:
            checker.warning(
                path,
                f"the same poles as personality[{seen[key]}]; draw each trait once",
            )
        else:
            seen[key] = index


def _check_repeats(items: tuple[str, ...], field: str, checker: Checker) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        key = " ".join(item.casefold().split())
        if key in seen:
            checker.warning(f"{field}[{index}]", f"repeats {field}[{seen[key]}]")
        else:
            seen[key] = index


def _is_sparse(persona: Persona) -> bool:
    filled = (
        persona.photo, persona.quote, persona.age, persona.role, persona.location, persona.bio,
        persona.tech, *(getattr(persona, field) for field in _LISTS), persona.personality,
    )
    return not any(value not in (None, (), "") for value in filled)
