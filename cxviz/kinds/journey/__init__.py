"""Customer journey maps and service blueprints: stages, steps, lanes and the emotion curve."""

from pathlib import Path

from ...registry import Kind, drawn_by
from .canvas import blank_options, blank_values
from .checks import check
from .model import JourneyMap

KIND = Kind(
    name="journey",
    summary="Customer journey map or service blueprint with an emotion curve",
    model=JourneyMap,
    build_graph=drawn_by(__name__ + ".graph", "build_graph"),
    check=check,
    describe=drawn_by(__name__ + ".graph", "describe"),
    folder=Path(__file__).parent,
    paginate=drawn_by(__name__ + ".graph", "paginate"),
    subtitle=drawn_by(__name__ + ".graph", "subtitle"),
    blank_values=blank_values,
    blank_options=blank_options,
)
