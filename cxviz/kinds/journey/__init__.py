"""Customer journey maps and service blueprints: stages, steps, lanes and the emotion curve."""

from pathlib import Path

from ...registry import Kind
from .canvas import blank_options, blank_values
from .checks import check
from .graph import build_graph, describe, paginate, subtitle
from .model import JourneyMap

KIND = Kind(
    name="journey",
    summary="Customer journey map or service blueprint with an emotion curve",
    model=JourneyMap,
    build_graph=build_graph,
    check=check,
    describe=describe,
    folder=Path(__file__).parent,
    paginate=paginate,
    subtitle=subtitle,
    blank_values=blank_values,
    blank_options=blank_options,
)
