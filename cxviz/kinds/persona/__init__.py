"""User persona: a research-based portrait of a customer, drawn as a card."""

from pathlib import Path

from ...registry import Kind
from .checks import check
from .graph import build_graph, describe
from .model import PersonaSpec

KIND = Kind(
    name="persona",
    summary="User persona card: photo, quote, goals, frustrations, personality sliders",
    model=PersonaSpec,
    build_graph=build_graph,
    check=check,
    describe=describe,
    folder=Path(__file__).parent,
    paper="a4",
    orientation="portrait",
)
