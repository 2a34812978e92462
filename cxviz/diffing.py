"""What changed between two versions of one spec: added, removed, changed and moved things.

The two versions are compared through their scenes (see :mod:`cxviz.scene`):
the stages, steps, pains, causes, nodes and every other thing a reader sees.
Most scene ids are positions (``stages.1.steps.0``), so inserting a step
at the front would shift every id after it; things are therefore matched
by what they say and where they sit, in this order:

1. **Named things** keep their id: an id with no list position in it
   (``title``, ``persona.quote``, the user-flow step ``nodes.checkout``) is
   the same thing in both versions when it has the same role (a cause and
   a root cause count as one role).
2. **Same text under the same parent.** From the top down, the children of
   two matched parents are matched, role by role, along the longest common
   subsequence of their texts (:class:`difflib.SequenceMatcher`), so an
   inserted step leaves every other step matched.
3. **Moved.** A thing left over under one parent whose exact text is left
   over, with the same role, under another parent (or at another place
   under the same parent) has moved.
4. **Changed.** What is still left over under two matched parents is
   paired in order, role by role, when the texts are alike (a
   ``SequenceMatcher`` ratio of at least 0.3) or when exactly one thing of
   that role is left on each side: the same place with different text.

Steps 2 to 4 repeat until nothing new matches, so the pains of a renamed
step still match. What is left is added or removed; the things inside an
added or removed thing are counted with it (a new step with its pains is
one addition). Connections between user-flow steps are compared by the
steps they join and their label; those joining an added or removed step go
with it, and the lines that only join a cause to its parent are drawn by
the cause. Things that only repeat their parent's text (a stage's name
over its column, a step's action), decoration without text, and the
headings and legend cxviz writes itself are left out. A thing moved out of
a removed parent shows as a removal and an addition.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import OptionError

__all__ = ["Change", "diff_specs", "diff_scenes", "format_changes", "outline", "read_revision", "tracked_folders"]

#: Roles cxviz draws from its own words or for decoration, never from the spec's text.
_SKIPPED_ROLES = frozenset({"legend", "rule", "tail", "grid", "baseline", "scale", "canvas", "kicker", "header"})
#: Roles that are one thing drawn two ways: a cause marked as the root is still that cause.
_FAMILIES = {"root-cause": "why"}
_POSITION = re.compile(r"(^|\.)\d+(\.|$)")
_ALIKE = 0.3
_LABEL_WIDTH = 48


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a spec.

    ``change`` is ``added``, ``removed``, ``changed`` or ``moved``; ids are
    scene ids (None on the side where the thing is absent), and
    ``path_label`` names where the thing sits, as ``stage "Purchase" › step
    "Pays"`` (in the new version, or the old one for a removal).
    """

    change: str
    role: str
    old_id: str | None
    new_id: str | None
    old_text: str | None
    new_text: str | None
    path_label: str
    old_path_label: str = ""

    def as_dict(self) -> dict:
        """The change as a JSON object (``old_path_label`` only for a move)."""
        record = dataclasses.asdict(self)
        if self.change != "moved":
            del record["old_path_label"]
        return record


@dataclass(frozen=True)
class _Item:
    id: str
    role: str
    text: str
    parent: str | None
    order: int
    ends: tuple[str, str] | None = None  # an edge's two ends


def _items(scene) -> dict[str, _Item]:
    """The scene's comparable things, each under its nearest comparable ancestor."""
    elements = scene.elements
    kept: dict[str, _Item] = {}
    parents: dict[str, str | None] = {}

    def kept_parent(parent: str | None) -> str | None:
        while parent is not None and parent not in kept:
            parent = parents.get(parent, elements[parent].parent if parent in elements else None)
        return parent

    for order, element in enumerate(scene):
        parents[element.id] = element.parent
        if element.role == "edge":
            continue
        if element.role in _SKIPPED_ROLES or not element.text.strip():
            continue
        if element.role == "lane" and element.id.startswith("lanes.") and not element.id[6:].isdigit():
            continue  # a journey's lane headings are cxviz's words
        parent = elements.get(element.parent) if element.parent else None
        if parent is not None and parent.text == element.text:
            continue  # the parent shown again
        kept[element.id] = _Item(element.id, element.role, " ".join(element.text.split()),
                                 kept_parent(element.parent), order)
    for order, element in enumerate(scene):
        if element.role != "edge":
            continue
        relations = dict(element.relations)
        start, end = relations.get("from"), relations.get("to")
        if start not in kept or end not in kept or kept[end].parent == start:
            continue
        kept[element.id] = _Item(element.id, "edge", " ".join(element.text.split()), None, order, (start, end))
    return kept


def _family(item: _Item) -> str:
    return _FAMILIES.get(item.role, item.role)


def _named(id: str) -> bool:
    return not _POSITION.search(id)


class _Matcher:
    """Pairs the things of an old and a new scene (see the module's description)."""

    def __init__(self, old: dict[str, _Item], new: dict[str, _Item]):
        self.old = {id: item for id, item in old.items() if item.ends is None}
        self.new = {id: item for id, item in new.items() if item.ends is None}
        self.pairs: dict[str, str] = {}
        self.back: dict[str, str] = {}
        self.reordered: set[str] = set()
        # Each group gets one longest-common-subsequence pass: what it leaves is moved, changed or new.
        self.aligned: set[tuple] = set()
        self.children_old = self._children(self.old)
        self.children_new = self._children(self.new)

    @staticmethod
    def _children(items: dict[str, _Item]) -> dict[str | None, list[_Item]]:
        children: dict[str | None, list[_Item]] = {}
        for item in sorted(items.values(), key=lambda i: i.order):
            children.setdefault(item.parent, []).append(item)
        return children

    def pair(self, old_id: str, new_id: str) -> None:
        self.pairs[old_id] = new_id
        self.back[new_id] = old_id

    def run(self) -> dict[str, str]:
        for id, item in self.old.items():
            if _named(id) and id in self.new and _family(self.new[id]) == _family(item):
                self.pair(id, id)
        while True:
            self._same_text()
            if self._moves():
                continue
            if not self._alike():
                return self.pairs

    def _groups(self):
        """For each pair of matched parents (and the top), the left-over children role by role."""
        parents = [(None, None), *self.pairs.items()]
        for old_parent, new_parent in parents:
            olds = [i for i in self.children_old.get(old_parent, ()) if i.id not in self.pairs]
            news = [i for i in self.children_new.get(new_parent, ()) if i.id not in self.back]
            for role in dict.fromkeys(_family(i) for i in olds):
                a = [i for i in olds if _family(i) == role]
                b = [i for i in news if _family(i) == role]
                if a and b:
                    yield (old_parent, new_parent, role), a, b

    def _same_text(self) -> None:
        progress = True
        while progress:
            progress = False
            for group, a, b in list(self._groups()):
                if group in self.aligned:
                    continue
                self.aligned.add(group)
                matcher = difflib.SequenceMatcher(None, [i.text for i in a], [i.text for i in b], autojunk=False)
                for block in matcher.get_matching_blocks():
                    for k in range(block.size):
                        self.pair(a[block.a + k].id, b[block.b + k].id)
                        progress = True

    def _moves(self) -> bool:
        """Pair left-over things of equal role and text under any matched parents."""
        olds, news = [], []
        parents = [(None, None), *self.pairs.items()]
        for old_parent, new_parent in parents:
            olds += [i for i in self.children_old.get(old_parent, ()) if i.id not in self.pairs]
            news += [i for i in self.children_new.get(new_parent, ()) if i.id not in self.back]
        waiting: dict[tuple[str, str], list[_Item]] = {}
        for item in news:
            waiting.setdefault((_family(item), item.text), []).append(item)
        found = False
        for item in olds:
            candidates = waiting.get((_family(item), item.text))
            if candidates and item.id not in self.pairs:
                match = candidates.pop(0)
                self.pair(item.id, match.id)
                if self.pairs.get(item.parent) == match.parent or (item.parent is None and match.parent is None):
                    self.reordered.add(item.id)
                found = True
        return found

    def _alike(self) -> bool:
        found = False
        for _, a, b in list(self._groups()):
            single = len(a) == 1 and len(b) == 1
            taken: set[str] = set()
            for old in a:
                if old.id in self.pairs:
                    continue
                for new in b:
                    if new.id in taken or new.id in self.back:
                        continue
                    ratio = difflib.SequenceMatcher(None, old.text, new.text, autojunk=False).ratio()
                    if single or ratio >= _ALIKE:
                        self.pair(old.id, new.id)
                        taken.add(new.id)
                        found = True
                        break
        return found


def _quote(text: str) -> str:
    return '"' + (text if len(text) <= _LABEL_WIDTH else text[:_LABEL_WIDTH - 1] + "…") + '"'


def _label(items: dict[str, _Item], id: str | None) -> str:
    """``stage "Purchase" › step "Pays"``: the ancestors of the thing ``id`` names."""
    parts = []
    item = items.get(id) if id else None
    while item is not None:
        parts.append(f"{item.role} {_quote(item.text)}")
        item = items.get(item.parent) if item.parent else None
    return " › ".join(reversed(parts))


def _inside(items: dict[str, _Item], item: _Item, unmatched: set[str]) -> bool:
    """Whether an ancestor of ``item`` is itself added or removed (so ``item`` goes with it)."""
    parent = item.parent
    while parent is not None:
        if parent in unmatched:
            return True
        parent = items[parent].parent if parent in items else None
    return False


def diff_scenes(old_scene, new_scene) -> list[Change]:
    """The changes from one scene to another, in the new version's drawing order."""
    old, new = _items(old_scene), _items(new_scene)
    matcher = _Matcher(old, new)
    pairs = matcher.run()
    changes: list[tuple[float, Change]] = []
    removed = {id for id in matcher.old if id not in pairs}
    added = {id for id in matcher.new if id not in matcher.back}
    for id in sorted(removed, key=lambda id: old[id].order):  # removals under one parent keep their order
        item = old[id]
        if not _inside(old, item, removed):
            changes.append((_order_of_removed(item, old, pairs, new), Change(
                "removed", item.role, id, None, item.text, None, _label(old, item.parent))))
    for id in added:
        item = new[id]
        if not _inside(new, item, added):
            changes.append((item.order, Change("added", item.role, None, id, None, item.text,
                                               _label(new, item.parent))))
    for old_id, new_id in pairs.items():
        before, after = old[old_id], new[new_id]
        moved = old_id in matcher.reordered or pairs.get(before.parent) != after.parent
        if moved:
            changes.append((after.order, Change("moved", after.role, old_id, new_id, before.text, after.text,
                                                _label(new, after.parent), _label(old, before.parent))))
        elif before.text != after.text:
            changes.append((after.order, Change("changed", after.role, old_id, new_id, before.text, after.text,
                                                _label(new, after.parent))))
    changes += _edge_changes(old, new, pairs, removed, added)
    return [change for _, change in sorted(changes, key=lambda pair: pair[0])]


def _order_of_removed(item: _Item, old, pairs, new) -> float:
    """Where a removed thing would sit among the new version's things: just after its matched parent."""
    parent = item.parent
    while parent is not None and parent not in pairs:
        parent = old[parent].parent if parent in old else None
    return (new[pairs[parent]].order if parent is not None else -1) + 0.5


def _edge_changes(old, new, pairs, removed, added) -> list[tuple[float, Change]]:
    """Connections compared by the two things they join (in the new version's terms) and their label."""
    def ends_text(items, ends):
        return f"{_quote(items[ends[0]].text)} → {_quote(items[ends[1]].text)}"

    old_edges: dict[tuple[str, str], list[_Item]] = {}
    for item in old.values():
        if item.ends is None or item.ends[0] in removed or item.ends[1] in removed:
            continue
        old_edges.setdefault((pairs[item.ends[0]], pairs[item.ends[1]]), []).append(item)
    changes = []
    for item in sorted((i for i in new.values() if i.ends is not None), key=lambda i: i.order):
        if item.ends[0] in added or item.ends[1] in added:
            continue
        same_ends = old_edges.get(item.ends, [])
        match = next((e for e in same_ends if e.text == item.text), same_ends[0] if same_ends else None)
        label = ends_text(new, item.ends)
        if match is None:
            changes.append((item.order, Change("added", "edge", None, item.id, None, item.text, label)))
            continue
        same_ends.remove(match)
        if match.text != item.text:
            changes.append((item.order, Change("changed", "edge", match.id, item.id, match.text, item.text, label)))
    for items in old_edges.values():
        for item in items:
            changes.append((len(new) + item.order, Change("removed", "edge", item.id, None, item.text, None,
                                                          ends_text(old, item.ends))))
    return changes


def diff_specs(old, new) -> list[Change]:
    """The changes from one version of a spec to another (see the module's description for the matching).

    Raises :class:`~cxviz.OptionError` when the two are specs of different kinds.
    """
    from .api import build_graph

    if old.kind.name != new.kind.name:
        raise OptionError(f"{old.name} is a {old.kind.name} spec and {new.name} a {new.kind.name} spec; "
                          "cxviz diff compares two versions of one spec")
    return diff_scenes(build_graph(old).scene, build_graph(new).scene)


def outline(scene) -> str:
    """What a scene shows as an indented outline: one thing a line, in drawing order, under its parent.

    The things are those a diff compares (``stage "Purchase"``, then its
    steps indented under it); connections between user-flow steps follow,
    as ``edge "label": "from" → "to"``. Text is whole, on one line, so a
    line diff of two outlines (git's textconv) shows changes thing by thing.
    """
    items = _items(scene)
    children = _Matcher._children({id: item for id, item in items.items() if item.ends is None})
    lines = []

    def write(parent: str | None, depth: int) -> None:
        for item in children.get(parent, ()):
            lines.append("  " * depth + f'{item.role} "{item.text}"')
            write(item.id, depth + 1)

    write(None, 0)
    for item in sorted(items.values(), key=lambda i: i.order):
        if item.ends is not None:
            label = f' "{item.text}"' if item.text else ""
            lines.append(f'edge{label}: "{items[item.ends[0]].text}" → "{items[item.ends[1]].text}"')
    return "\n".join(lines) + "\n"


def _one_line(text: str | None) -> str:
    return _quote(" ".join((text or "").split()))


def format_changes(changes: list[Change], name: str) -> str:
    """The changes as text: a count line, then one line per change (``+ - ~ >``)."""
    counts = {kind: sum(1 for c in changes if c.change == kind) for kind in ("added", "changed", "removed", "moved")}
    lines = [f"{name}: " + ", ".join(f"{count} {kind}" for kind, count in counts.items())]
    for change in changes:
        where = f"{change.path_label} › " if change.path_label else ""
        if change.role == "edge":
            label = f"{_one_line(change.new_text or change.old_text)} " if (change.new_text or change.old_text) else ""
            where, thing = "", f"edge {label}{change.path_label}".rstrip()
        else:
            thing = f"{change.role} {_one_line(change.new_text if change.new_text is not None else change.old_text)}"
        if change.change == "added":
            lines.append(f"  + {where}{thing} ({change.new_id})")
        elif change.change == "removed":
            lines.append(f"  - {where}{thing} (was {change.old_id})")
        elif change.change == "changed":
            place = change.path_label + ": " if change.path_label and change.role != "edge" else ""
            what = "edge " + change.path_label + " label" if change.role == "edge" else change.role
            lines.append(f"  ~ {place}{what} {_one_line(change.old_text)} -> {_one_line(change.new_text)}")
        else:
            old_place = change.old_path_label or "the top"
            new_place = change.path_label or "the top"
            if old_place == new_place:
                moved = f"  > {change.role} {_one_line(change.new_text)}: reordered in {new_place}"
            else:
                moved = f"  > {change.role} {_one_line(change.new_text)}: {old_place} -> {new_place}"
            if change.old_text != change.new_text:
                moved += f" (was {_one_line(change.old_text)})"
            lines.append(moved)
    return "\n".join(lines) + "\n"


def read_revision(revision: str, path: str | Path) -> str:
    """The text of the file ``path`` as it was at a git ``revision``, read with ``git show``.

    Raises :class:`~cxviz.OptionError` with a one-line reason when git is
    missing, the folder is not in a git repository, the revision is
    unknown, or the file is not in that revision.
    """
    import subprocess

    path = Path(path)
    folder = (path.parent if str(path.parent) else Path(".")).resolve()
    if not folder.is_dir():
        raise OptionError(f"{path}: no such folder {path.parent}")

    def git(*arguments: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(["git", *arguments], cwd=folder, capture_output=True, timeout=60,
                                  env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
        except FileNotFoundError:
            raise OptionError("git is not installed, or not on PATH") from None
        except subprocess.TimeoutExpired:
            raise OptionError("git took longer than 60 seconds") from None

    top = git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise OptionError(f"{path}: not in a git repository")
    if revision.startswith("-") or git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode:
        raise OptionError(f"{revision!r} is not a revision of this git repository")
    root = Path(top.stdout.decode("utf-8", "replace").strip()).resolve()
    try:
        inside = (folder / path.name).relative_to(root).as_posix()
    except ValueError:
        raise OptionError(f"{path}: outside the git repository at {root}") from None
    shown = git("show", f"{revision}:{inside}")
    if shown.returncode != 0:
        raise OptionError(f"{path}: not in revision {revision}")
    try:
        return shown.stdout.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise OptionError(f"{path} at {revision} is not valid UTF-8") from None


def tracked_folders(name: str) -> list[Path]:
    """The folders of the current git work tree that hold a tracked file called ``name``.

    git hands a textconv driver a copy of an old version in a temporary
    folder, under the file's own name, and runs it at the top of the work
    tree: these are the folders whose files that version may name. Empty
    outside a git work tree.
    """
    import subprocess

    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--", name, f"*/{name}"], capture_output=True,
                                timeout=60, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
    except (OSError, subprocess.TimeoutExpired):
        return []
    if listed.returncode != 0:
        return []
    paths = [Path(entry) for entry in listed.stdout.decode("utf-8", "replace").split("\0") if entry]
    return list(dict.fromkeys(path.parent.resolve() for path in paths))
