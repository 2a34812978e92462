"""Journeys and user flows as Mermaid text, for places that render only Mermaid.

A journey becomes a Mermaid ``journey``: its title, a ``section`` per stage
and a task per step, scored 1 to 5 from the step's emotion, with the
persona's name as the actor. A user flow becomes a ``flowchart``: a shape
per kind of step, a subgraph per lane, its ways as arrows with their labels.
Mermaid has no place for the rest (lanes of a journey, notes' styles, the
legend...): README.md, "Exporting to Mermaid", lists what each kind loses.
The same spec always gives the same text.

Spec text is written so that Mermaid draws it as written (see
:func:`escape`): a character it would read as syntax becomes an entity code
(``#35;`` for ``#``), which Mermaid turns back into the character when it
draws, and each line of a right-to-left spec is set right to left.

>>> import cxviz
>>> flow = cxviz.loads('''
... kind: userflow
... title: Sign in
... nodes:
...   - {id: open, type: entry, label: Opens the app}
...   - {id: check, type: decision, label: "Password right?"}
...   - {id: home, type: end, outcome: success, label: "Home: 3 new orders"}
...   - {id: again, label: Try again}
... edges:
...   - {from: check, to: home, label: "Yes"}
...   - {from: check, to: again, label: "No"}
... paths: [[open, check], [again, check]]
... ''')
>>> print(cxviz.export_mermaid(flow), end="")
---
title: "Sign in"
---
flowchart TB
    n0_open(["ENTRY POINT<br>Opens the app"]):::cxviz-entry
    n1_check{"Password right?"}:::cxviz-decision
    n2_home(["✓ SUCCESS<br>Home#58; 3 new orders"]):::cxviz-success
    n3_again["Try again"]:::cxviz-screen
    n0_open --> n1_check
    n3_again --> n1_check
    n1_check -->|"Yes"| n2_home
    n1_check -->|"No"| n3_again
    classDef cxviz-entry fill:#D9E9F4,stroke:#005A8C,color:#1F2933
    classDef cxviz-screen fill:#FFFFFF,stroke:#52606D,color:#1F2933
    classDef cxviz-decision fill:#F6E6EF,stroke:#8E4670,color:#1F2933
    classDef cxviz-success fill:#D6F0E8,stroke:#00684D,color:#1F2933
"""

from __future__ import annotations

import json
import re
from typing import Callable, Sequence

from ..diagnostics import OptionError
from ..kinds.journey.checks import number
from ..kinds.journey.model import JourneyMap, Scale, Step as JourneyStep
from ..kinds.persona.model import Persona
from ..kinds.userflow.graph import COLOURS, KINDS, MARKS, caption, step_kind
from ..kinds.userflow.model import Step as FlowStep, UserFlow, resolve_lanes
from ..locale import Catalogue, catalogue
from ..theme import PALETTE

__all__ = ["export", "journey", "userflow", "KINDS_EXPORTED"]

# Mermaid reads these as syntax in some place of a label: a quote ("), an
# entity (#, &), a statement's end (;), a journey's score (:), a comment (%%),
# Markdown (`), an edge label's end (|), HTML (<, >).
_ENTITIES = {char: f"#{ord(char)};" for char in "#&;:%`|<>"} | {'"': "#quot;"}
# Mermaid reads these pairs after it has turned entity codes back into characters: $$ opens
# math, fa:fa-car is an icon, and it marks entity codes with the other two while it draws.
# An invisible word joiner (U+2060) between the two characters keeps them apart.
_PAIRS = re.compile(r"(?<=\$)(?=\$)|(?<=:)(?=fa-)|(?<=\ufb02)(?=°)|(?<=¶)(?=ß)")
# Mermaid sets every text left to right: a right-to-left spec's lines are isolated as
# right-to-left runs (U+2067 ... U+2069), written as entity codes so that no invisible
# direction control sits in the exported text.
_RTL_LINE = "#8295;{}#8297;"

# A task whose text starts like one of a journey's statements would be read as that statement.
_JOURNEY_STATEMENT = re.compile(r"(?i)journey(?![a-z0-9_])|title\s|section\s|acc(title|descr)\s*[:{]")

#: The Mermaid shape of each type of step: an entry and an end are pills, a
#: system step has bars on both sides, as cxviz draws them.
SHAPES = {
    "entry": ('(["', '"])'),
    "screen": ('["', '"]'),
    "action": ('("', '")'),
    "decision": ('{"', '"}'),
    "system": ('[["', '"]]'),
    "end": ('(["', '"])'),
}


def escape(text: str, line_break: str = "<br>", *, also: str = "", rtl: bool = False) -> str:
    """``text`` as Mermaid draws it verbatim inside a label, its lines joined by ``line_break``.

    Syntax becomes entity codes, and a word joiner splits what Mermaid reads
    once those are characters again (``$$``, ``:fa-``); ``also`` names more
    characters to write as entity codes, such as the comma between a
    journey's actors. With ``rtl`` each line is set right to left.
    """
    lines = []
    for line in _PAIRS.sub("\u2060", text).split("\n"):
        written = "".join(_ENTITIES.get(char) or (f"#{ord(char)};" if char in also else char) for char in line)
        lines.append(_RTL_LINE.format(written) if rtl else written)
    return line_break.join(lines)


# -- journey ------------------------------------------------------------------------------

def _task(text: str, rtl: bool) -> str:
    """A journey task's text, which may not look like a statement of the diagram."""
    if not rtl and _JOURNEY_STATEMENT.match(text):
        return f"#{ord(text[0])};{escape(text[1:], ' ')}"
    return escape(text, " ", rtl=rtl)


def score(emotion: float | None, scale: Scale) -> str:
    """A step's emotion as a Mermaid score, 1 (worst) to 5 (best); 3, neutral, for a step without one.

    The map's neutral score becomes 3 and either end of its scale 1 or 5,
    each half of the scale stretched on its own: a face then smiles, frowns
    or stays flat as cxviz draws it, also on a scale such as -1..3 whose
    neutral (0) is not in its middle.
    """
    if emotion is None:
        return "3"
    low, high = scale.min, scale.max
    neutral = 0.0 if low < 0 < high else (low + high) / 2
    half = (high - neutral) if emotion >= neutral else (neutral - low)
    return number(round(3 + 2 * (emotion - neutral) / half, 2))


#: How tall Mermaid draws a journey's tasks, in pixels: the most its faces leave room for
#: (its axis runs at four times this height, its highest face at 300).
TASK_HEIGHT = 70
#: How many lines of a step's text a task shows; its width is made for the longest text.
TASK_LINES = 3
#: About how wide a character is drawn in a task, at Mermaid's 14 pixels, and a task's room around its text.
CHARACTER_WIDTH, TASK_PADDING = 7.5, 24
#: The narrowest task (Mermaid's own width) and the widest.
TASK_WIDTHS = (150, 400)


def task_width(steps: Sequence[JourneyStep]) -> int:
    """How wide Mermaid should draw every task so that the longest step text fits on ``TASK_LINES`` lines.

    Mermaid draws all tasks of a journey in boxes of one size and cuts off
    what does not fit; a text too long even for the widest task still is.
    """
    longest = max((len(step.action) for step in steps), default=0)
    word = max((len(word) for step in steps for word in step.action.split()), default=0)
    # A few characters more per line, for the room wrapping at spaces leaves at line ends;
    # Mermaid never breaks a word.
    width = max(-(-longest // TASK_LINES) + 4, word) * CHARACTER_WIDTH + TASK_PADDING
    return min(max(TASK_WIDTHS[0], 10 * -(-int(width) // 10)), TASK_WIDTHS[1])


def journey(model: JourneyMap) -> str:
    """A journey map as a Mermaid ``journey``: title, a section per stage, a scored task per step."""
    rtl = catalogue(model.lang).rtl
    lines = ["---", "config:", "  journey:", f"    width: {task_width(model.steps)}", f"    height: {TASK_HEIGHT}",
             "---", "journey", f"    title {escape(model.title, ' ', rtl=rtl)}"]
    if model.description:
        lines.append(f"    accDescr: {escape(model.description, ' ')}")
    persona = model.persona.name if isinstance(model.persona, Persona) else None
    actors = f": {escape(persona, ' ', also=',', rtl=rtl)}" if persona else ""
    for stage in model.stages:
        lines.append(f"    section {escape(stage.name, ' ', rtl=rtl)}")
        lines += [f"        {_task(step.action, rtl)}: {score(step.emotion, model.emotion_scale)}{actors}"
                  for step in stage.steps]
    return "\n".join(lines) + "\n"


# -- user flow ----------------------------------------------------------------------------

def _caption(kind: str, locale: Catalogue) -> str | None:
    """The line cxviz writes over an entry and an end with an outcome."""
    return caption(kind, locale).upper() if kind in ("entry", *MARKS) else None


def _node_ids(steps: tuple[FlowStep, ...]) -> dict[str, str]:
    """A Mermaid id for each step: its place in ``nodes``, then what of its id is plain ASCII.

    The place keeps ids apart and clear of Mermaid's keywords (``end``,
    ``graph``); the rest keeps the .mmd readable next to the spec.
    """
    ids = {}
    for index, step in enumerate(steps):
        plain = re.sub(r"[^A-Za-z0-9]+", "_", step.id).strip("_")[:40]
        ids.setdefault(step.id, f"n{index}_{plain}" if plain else f"n{index}")
    return ids


def _yaml_text(text: str, rtl: bool) -> str:
    """``text`` as a quoted YAML string, for Mermaid's front matter (a JSON string is one).

    Entity codes mean nothing there: a right-to-left title is isolated by
    the characters themselves, written as escapes.
    """
    quoted = json.dumps(f"\u2067{text}\u2069" if rtl else text, ensure_ascii=False)
    return quoted.replace("\u2067", "\\u2067").replace("\u2069", "\\u2069")


def _class(kind: str) -> str:
    """The ``classDef`` of a kind of step, named as in cxviz's SVG, in its colours; a failure keeps its thick border."""
    fill, border = COLOURS[kind]
    width = ",stroke-width:2.6px" if kind == "failure" else ""
    return f"    classDef cxviz-{kind} fill:{fill},stroke:{border},color:{PALETTE.ink}{width}"


def userflow(flow: UserFlow) -> str:
    """A user flow as a Mermaid ``flowchart``: shaped steps in lane subgraphs, labelled arrows."""
    locale = catalogue(flow.lang)
    rtl = locale.rtl
    direction = "TB" if flow.direction == "top-down" else "RL" if rtl else "LR"
    lines = ["---", f"title: {_yaml_text(flow.title, rtl)}", "---", f"flowchart {direction}"]
    if flow.description:
        lines.append(f"    accDescr: {escape(flow.description, ' ')}")
    ids = _node_ids(flow.nodes)

    def label(*parts: str | None) -> str:
        return "<br>".join(escape(part, rtl=rtl) for part in parts if part)

    def node(step: FlowStep) -> str:
        kind = step_kind(step)
        opening, closing = SHAPES[step.type]
        return f"{ids[step.id]}{opening}{label(_caption(kind, locale), step.text, step.note)}{closing}:::cxviz-{kind}"

    lanes, lane_of = resolve_lanes(flow)
    declared = list(flow.lanes) if flow.lanes else lanes
    for lane in lanes:
        steps = [step for step in flow.nodes if lane_of[step.id] == lane]
        if steps:  # a subgraph with nothing in it would be drawn as a step
            lines.append(f'    subgraph lane{declared.index(lane)}["{label(lane)}"]')
            lines += [f"        {node(step)}" for step in steps]
            lines.append("    end")
    if not lanes:
        lines += [f"    {node(step)}" for step in flow.nodes]
    for link in flow.links():
        edge = link.edge
        arrow = "-.->" if edge.optional else "-->"
        words = label(edge.label, edge.condition)
        if words:
            arrow += f'|"{words}"|'
        lines.append(f"    {ids[edge.source]} {arrow} {ids[edge.target]}")
    used = {step_kind(step) for step in flow.nodes}
    lines += [_class(kind) for kind in KINDS if kind in used]
    return "\n".join(lines) + "\n"


#: The kinds that export to Mermaid, each with its writer.
KINDS_EXPORTED: dict[str, Callable] = {"journey": journey, "userflow": userflow}


def export(kind: str, model) -> str:
    """A spec's model (of the kind named ``kind``) as Mermaid text; OptionError for a kind Mermaid cannot draw."""
    writer = KINDS_EXPORTED.get(kind)
    if writer is None:
        raise OptionError(f"cannot export kind {kind!r} to Mermaid; only "
                          f"{' and '.join(KINDS_EXPORTED)} specs export to Mermaid")
    return writer(model)
