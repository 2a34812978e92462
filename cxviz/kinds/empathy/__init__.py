"""Empathy map: what one customer says, thinks, does and feels, around their portrait."""

from pathlib import Path

from ...registry import Kind
from .checks import check
from .graph import build_graph, describe
from .model import EmpathyMap

KIND = Kind(
    name="empathy",
    summary="Empathy map: says, thinks, does, feels (or the extended canvas) around a persona",
    model=EmpathyMap,
    build_graph=build_graph,
    check=check,
    describe=describe,
    folder=Path(__file__).parent,
)
