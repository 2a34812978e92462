"""What the 5-Whys field types cannot say on their own."""

from __future__ import annotations

from ...validation import Checker
from .model import Why, WhysAnalysis

#: Practitioners ask about five times; shorter chains rarely reach the root.
ADVISED_DEPTH = 5


def check(analysis: WhysAnalysis, checker: Checker) -> None:
    """Report an empty tree, short chains that find no root cause, a tree without one, and misplaced fixes."""
    if not analysis.whys:
        checker.error("whys", "needs at least one answer to \"why?\"")
        return
    any_root = False
    for index, why in enumerate(analysis.whys):
        any_root |= _walk(why, f"whys[{index}]", 1, False, checker)
    if not any_root:
        checker.warning("whys", "no root cause is marked; mark one with 'root: true'")


def _walk(why: Why, path: str, depth: int, rooted: bool, checker: Checker) -> bool:
    """Check one cause and those below it; ``rooted`` when a cause above it is a root cause.

    Returns whether a root cause is marked here or below.
    """
    if why.countermeasure is not None and not why.root:
        checker.warning(f"{path}.countermeasure", "a countermeasure belongs on a root cause ('root: true')")
    rooted = rooted or why.root
    # A chain that reached its root cause is done, however few whys it took.
    if not why.whys and depth < ADVISED_DEPTH and not rooted:
        checker.warning(
            f"{path}.because",
            f"this chain stops after {depth} why{'s' if depth > 1 else ''}; "
            f"about {ADVISED_DEPTH} usually reach the root cause",
        )
    found = why.root
    for index, child in enumerate(why.whys):
        found |= _walk(child, f"{path}.whys[{index}]", depth + 1, rooted, checker)
    return found
