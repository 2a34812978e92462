"""The persona spec: a research-based portrait of a customer."""

from __future__ import annotations

from ...document import Document
from ...schema import record, spec

__all__ = ["Trait", "Persona", "PersonaSpec"]


@record("A personality trait drawn as a slider between two poles.")
class Trait:
    poles: tuple[str, ...] = spec("The two ends of the slider, e.g. [Introvert, Extrovert].", required=True)
    value: float = spec("Where the person sits, from 0 (first pole) to 100 (second pole).",
                        required=True, minimum=0, maximum=100)


@record("A persona: who the customer is and what drives them.")
class Persona:
    name: str = spec("The persona's name.", required=True)
    photo: str | None = spec("A photo or avatar: a PNG, JPEG, GIF or WebP file next to the spec. "
                             "Without one, initials are drawn.", default=None)
    quote: str | None = spec("One sentence they would say, in their words.", default=None)
    age: int | None = spec("Age in years.", default=None, minimum=0, maximum=130)
    role: str | None = spec("Role or occupation.", default=None)
    location: str | None = spec("Where they live or work.", default=None)
    bio: str | None = spec("A short story of who they are.", default=None)
    goals: tuple[str, ...] = spec("What they are trying to achieve.", default=())
    frustrations: tuple[str, ...] = spec("What gets in their way (pains).", default=())
    motivations: tuple[str, ...] = spec("What drives them.", default=())
    behaviours: tuple[str, ...] = spec("What they habitually do.", default=())
    channels: tuple[str, ...] = spec("Where they look, buy and ask for help.", default=())
    brands: tuple[str, ...] = spec("Brands they use and like.", default=())
    personality: tuple[Trait, ...] = spec("Traits as sliders between two poles.", default=())
    tech: float | None = spec("Comfort with technology, from 0 (none) to 100 (expert).",
                              default=None, minimum=0, maximum=100)


@record("A user persona spec.")
class PersonaSpec(Persona, Document):
    """A persona in a file of its own (``kind: persona``)."""
