"""5 Whys: a problem, a tree of causes, root causes and their countermeasures."""

from pathlib import Path

from ...registry import Kind
from .checks import check
from .graph import build_graph, describe
from .model import WhysAnalysis

KIND = Kind(
    name="whys",
    summary="5 Whys root-cause tree with countermeasures",
    model=WhysAnalysis,
    build_graph=build_graph,
    check=check,
    describe=describe,
    folder=Path(__file__).parent,
)
