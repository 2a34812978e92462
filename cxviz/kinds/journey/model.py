"""The journey spec: a persona's way through stages and steps, lane by lane.

One spec format covers the four kinds of map practitioners draw: current
state, day in the life, future state, and the service blueprint, whose steps
add physical evidence, frontstage, backstage and support processes.
"""

from __future__ import annotations

from typing import Literal

from ...document import Document
from ...schema import Date, record, spec
from ..persona.model import Persona

__all__ = ["MapType", "Scale", "Todo", "Step", "Stage", "JourneyMap", "BLUEPRINT_LANES", "DEFAULT_SCALE"]

MapType = Literal["current-state", "day-in-the-life", "future-state", "service-blueprint"]

#: Step fields only a service blueprint draws.
BLUEPRINT_LANES = ("evidence", "frontstage", "backstage", "support")


@record("The emotion scale the steps are scored on.")
class Scale:
    min: float = spec("The lowest score (the worst feeling).", default=-2)
    max: float = spec("The highest score (the best feeling).", default=2)


DEFAULT_SCALE = Scale()


@record("A recommended action with who owns it.", shorthand="action")
class Todo:
    action: str = spec("What will be done.", required=True)
    owner: str | None = spec("Who owns it: a person or a team.", default=None)
    due: Date | None = spec("By when.", default=None)


@record("One thing the customer does, with everything that happens around it.", shorthand="action")
class Step:
    action: str = spec("What the customer does.", required=True)
    touchpoints: tuple[str, ...] = spec("Where they meet the organisation: app screen, shop, call, email...",
                                        default=())
    channel: str | None = spec("The channel of the touchpoints: mobile app, web, phone, store...", default=None)
    thoughts: tuple[str, ...] = spec("What they think or say, in their words.", default=())
    emotion: float | None = spec("How they feel, on the map's scale (default -2..2); draws the emotion curve.",
                                 default=None)
    pains: tuple[str, ...] = spec("What frustrates or blocks them here.", default=())
    opportunities: tuple[str, ...] = spec("How this step could be better.", default=())
    todo: tuple[Todo, ...] = spec("Recommended actions, each with an owner.", default=())
    evidence: tuple[str, ...] = spec("Service blueprint: what the customer sees or holds (receipt, SMS, screen).",
                                     default=())
    frontstage: tuple[str, ...] = spec("Service blueprint: what staff or systems do in view of the customer.",
                                       default=())
    backstage: tuple[str, ...] = spec("Service blueprint: what staff do out of the customer's view.", default=())
    support: tuple[str, ...] = spec("Service blueprint: the systems, partners and processes behind it.",
                                    default=())


@record("A phase of the journey: a column group of steps.", shorthand="name")
class Stage:
    name: str = spec("The stage name, e.g. Awareness, Consideration, Purchase, Retention, Advocacy.",
                     required=True)
    goal: str | None = spec("What the customer (and the business) want from this stage.", default=None)
    metrics: dict[str, str] | None = spec("Named measures of the stage, e.g. {NPS: 32, CSAT: 4.1/5}.",
                                          default=None)
    steps: tuple[Step, ...] = spec("The customer's steps in this stage, in order.", default=())


@record("A customer journey map or service blueprint.")
class JourneyMap(Document):
    type: MapType = spec("Which map this is; a service blueprint adds the employee lanes.",
                         default="current-state")
    persona: str | Persona | None = spec(
        "Who the map is for: a persona spec file next to this one (persona-maya.yaml), "
        "or the persona's fields written here (name, photo, quote, role...).",
        default=None,
    )
    scale: Scale | None = spec("The emotion scale; -2..2 when not given.", default=None)
    stages: tuple[Stage, ...] = spec("The stages, in the order the customer goes through them.", required=True)

    @property
    def emotion_scale(self) -> Scale:
        return self.scale or DEFAULT_SCALE

    @property
    def steps(self) -> tuple[Step, ...]:
        """Every step of the map, stage after stage."""
        return tuple(step for stage in self.stages for step in stage.steps)
