"""5 Whys: a problem, a tree of causes, root causes and their countermeasures."""

from pathlib import Path

from ...registry import Kind, drawn_by
from .checks import check
from .model import WhysAnalysis

KIND = Kind(
    name="whys",
    summary="5 Whys root-cause tree with countermeasures",
    model=WhysAnalysis,
    build_graph=drawn_by(__name__ + ".graph", "build_graph"),
    check=check,
    describe=drawn_by(__name__ + ".graph", "describe"),
    folder=Path(__file__).parent,
)
