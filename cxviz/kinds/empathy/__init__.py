"""Empathy map: what one customer says, thinks, does and feels, around their portrait."""

from pathlib import Path

from ...registry import Kind, drawn_by
from .checks import check
from .model import EmpathyMap

KIND = Kind(
    name="empathy",
    summary="Empathy map: says, thinks, does, feels (or the extended canvas) around a persona",
    model=EmpathyMap,
    build_graph=drawn_by(__name__ + ".graph", "build_graph"),
    check=check,
    describe=drawn_by(__name__ + ".graph", "describe"),
    folder=Path(__file__).parent,
)
