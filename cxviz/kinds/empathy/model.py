"""The empathy-map spec: who we empathise with, and what they say, think, do and feel."""

from __future__ import annotations

from typing import Literal

from ...document import Document
from ...schema import record, spec
from ..persona.model import Persona

__all__ = ["EmpathyMap", "AREAS"]

#: Every list of notes a map may carry, in the order the spec lists them.
AREAS = ("says", "thinks", "does", "feels", "sees", "hears", "pains", "gains")


@record("An empathy map: a canvas to think and feel like one customer.")
class EmpathyMap(Document):
    persona: str | Persona | None = spec(
        "Who the map is about: a persona spec file (kind: persona) next to this one, "
        "or a persona written here as a mapping (name, photo, role...).",
        default=None,
        example="persona-dewi.yaml",
    )
    who: str | None = spec(
        "Who we empathise with, in their situation: shown under their name.",
        default=None,
        example="Working mother in Jakarta, ordering on her phone during the commute",
    )
    goal: str | None = spec(
        "What they need to do: the job or decision in front of them, shown on top.",
        default=None,
    )
    layout: Literal["auto", "classic", "extended"] = spec(
        "classic: four quadrants (says, thinks, does, feels) around the person, "
        "with pains and gains below when given; "
        "extended: sees, hears, thinks & feels, says & does, with pains and gains below; "
        "auto: extended when sees or hears is given, else classic.",
        default="auto",
    )
    says: tuple[str, ...] = spec("What they say out loud about the experience (quotes).", default=())
    thinks: tuple[str, ...] = spec("What occupies their mind but they may not say.", default=())
    does: tuple[str, ...] = spec("What they do: actions and behaviour.", default=())
    feels: tuple[str, ...] = spec("What they feel: emotions, worries, hopes.", default=())
    sees: tuple[str, ...] = spec("What they see around them while using the product (extended canvas).",
                                 default=())
    hears: tuple[str, ...] = spec("What friends, colleagues and the media tell them (extended canvas).",
                                  default=())
    pains: tuple[str, ...] = spec("Their fears, frustrations and obstacles.", default=())
    gains: tuple[str, ...] = spec("What they want and need; how they measure success.", default=())

    @property
    def chosen_layout(self) -> Literal["classic", "extended"]:
        """The layout drawn: ``auto`` becomes extended when sees or hears is given."""
        if self.layout != "auto":
            return self.layout
        return "extended" if self.sees or self.hears else "classic"

    @property
    def resolved_persona(self) -> Persona | None:
        """The persona once its file is loaded (after checks), else None."""
        return self.persona if isinstance(self.persona, Persona) else None
