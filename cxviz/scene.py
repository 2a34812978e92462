"""The scene: what a diagram shows, each thing named by where the spec says it.

A kind turns its model into a scene. The scene's **elements** are the
things a reader sees and a program may look for: a stage, a step, a pain
point, a lane, a node, an edge, a point of the emotion curve, the persona
card. Each has a role, its text, its parent, its relations to other
elements, and an **id derived from the spec**: the path of the value it
draws, written with dots (``stages.1.steps.0.pains.0`` for
``stages[1].steps[0].pains[0]``), or the user's own id where the format
has one (``nodes.checkout`` for the user-flow step ``id: checkout``).

The drawing writers (:class:`cxviz.graph.board.Board` for boards, and the
layered kinds' writers through :func:`cxviz.graph.dot.named`) write the scene
as DOT; every SVG element carries its element's id
and a ``cxviz-<role>`` class. An element drawn with several shapes gives
its id to the first and ``<id>-<n>`` to the others, so inserting a card
adds that card's ids and leaves every other id as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Element", "Scene", "element_id", "name_part"]

_INDEX = re.compile(r"\[(\d+)\]")
# Characters an XML name (an SVG id) may hold besides letters and digits.
_UNSAFE = re.compile(r"[^\w.\-]")


def element_id(path: str) -> str:
    """The id of the value at a spec path: ``stages[1].steps[0]`` -> ``stages.1.steps.0``."""
    return _INDEX.sub(r".\1", path).lstrip(".")


def name_part(text: str) -> str:
    """A user's own name made safe for an id: letters, digits, ``_ . -`` kept, others as ``_xHEX_``."""
    return _UNSAFE.sub(lambda m: f"_x{ord(m.group(0)):x}_", text) or "_"


@dataclass(frozen=True)
class Element:
    """One thing the diagram shows.

    ``relations`` pairs a relation name with another element's id, such as
    ``("from", "nodes.cart")`` for an edge or ``("persona", "persona")``.
    """

    id: str
    role: str
    text: str = ""
    parent: str | None = None
    relations: tuple[tuple[str, str], ...] = ()
    #: Further classes its shapes carry after ``cxviz-<role>`` (``cxviz-decision``).
    classes: tuple[str, ...] = ()

    @property
    def css_class(self) -> str:
        """The class every SVG shape of this element carries, then its further classes."""
        return " ".join((f"cxviz-{self.role}", *self.classes))


@dataclass
class Scene:
    """The elements of one diagram, in the order they are drawn."""

    kind: str
    elements: dict[str, Element] = field(default_factory=dict)

    def add(self, id: str, role: str, text: str = "", *, parent: str | None = None,
            relations: tuple[tuple[str, str], ...] = (), classes: tuple[str, ...] = ()) -> Element:
        """Declare an element; declaring the same id again returns the first declaration.

        An id names one thing: declaring it again with another role is a
        mistake in the kind's drawing code.
        """
        known = self.elements.get(id)
        if known is None and _UNSAFE.search(id):
            raise ValueError(f"scene id {id!r} holds characters an id cannot; make user text safe with name_part()")
        if known is not None:
            if known.role != role:
                raise ValueError(f"scene id {id!r} is a {known.role}, not a {role}")
            return known
        element = Element(id, role, text, parent, tuple(relations), tuple(classes))
        self.elements[id] = element
        return element

    def __getitem__(self, id: str) -> Element:
        return self.elements[id]

    def __iter__(self):
        return iter(self.elements.values())

    def __len__(self) -> int:
        return len(self.elements)

    def with_role(self, role: str) -> list[Element]:
        """Every element of one role, in drawing order."""
        return [element for element in self.elements.values() if element.role == role]
