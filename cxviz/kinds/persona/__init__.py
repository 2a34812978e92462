"""User persona: a research-based portrait of a customer, drawn as a card."""

from pathlib import Path

from ...registry import Kind, drawn_by
from .checks import check
from .model import Persona, PersonaSpec, Trait

KIND = Kind(
    name="persona",
    summary="User persona card: photo, quote, goals, frustrations, personality sliders",
    model=PersonaSpec,
    build_graph=drawn_by(__name__ + ".graph", "build_graph"),
    check=check,
    describe=drawn_by(__name__ + ".graph", "describe"),
    folder=Path(__file__).parent,
    paper="a4",
    orientation="portrait",
    # A journey or an empathy map may hold a persona's fields: the reference documents them here.
    shares={Persona: "personaspec", Trait: "trait"},
)
