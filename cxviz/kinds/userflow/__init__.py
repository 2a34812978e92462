"""User flow: how a customer moves through a product, step by step."""

from pathlib import Path

from ...registry import Kind
from .checks import check
from .graph import build_graph, describe
from .model import UserFlow

KIND = Kind(
    name="userflow",
    summary="User-flow diagram: entry points, screens, decisions, system steps and end states",
    model=UserFlow,
    build_graph=build_graph,
    check=check,
    describe=describe,
    folder=Path(__file__).parent,
)
