"""User flow: how a customer moves through a product, step by step."""

from pathlib import Path

from ...registry import Kind, drawn_by
from .checks import check
from .model import UserFlow

KIND = Kind(
    name="userflow",
    summary="User-flow diagram: entry points, screens, decisions, system steps and end states",
    model=UserFlow,
    build_graph=drawn_by(__name__ + ".graph", "build_graph"),
    check=check,
    describe=drawn_by(__name__ + ".graph", "describe"),
    folder=Path(__file__).parent,
)
