"""The 5-Whys spec: a problem, a tree of answers to "why?", root causes and their fixes."""

from __future__ import annotations

from typing import Literal

from ...document import Document
from ...schema import Date, record, spec

__all__ = ["Countermeasure", "Why", "WhysAnalysis"]


@record("What will stop a root cause from coming back.", shorthand="action")
class Countermeasure:
    action: str = spec("What will be done.", required=True)
    owner: str | None = spec("Who owns it.", default=None)
    due: Date | None = spec("By when.", default=None)


@record("One answer to \"why?\": a cause of the level above.", shorthand="because")
class Why:
    because: str = spec("The cause: why the level above happened.", required=True)
    evidence: str | None = spec("What shows this is true (data, a quote, an observation).", default=None)
    root: bool = spec("Marks a root cause: the one to fix so the problem cannot recur.", default=False)
    countermeasure: Countermeasure | None = spec("The fix for a root cause.", default=None)
    whys: tuple[Why, ...] = spec("The causes of this cause, asked with the next \"why?\".", default=())


@record("A 5-Whys root-cause analysis.")
class WhysAnalysis(Document):
    problem: str = spec("The problem statement at the root of the tree.", required=True)
    layout: Literal["top-down", "left-right"] = spec("Which way the tree grows.", default="top-down")
    whys: tuple[Why, ...] = spec("The first answers to \"why did the problem happen?\".", required=True)
