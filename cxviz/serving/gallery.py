"""The specs of a folder, watched: each one's last good picture and its current diagnostics.

A :class:`Gallery` is told to :meth:`~Gallery.scan` again and again (by the
preview's watcher thread). A scan compares the time stamps and sizes of the
spec files, and of the files each spec read (a persona spec, a photo), with
those it saw last, and reads and draws again only the specs that changed.
A spec that has errors keeps the picture it last rendered, so that a typo
does not blank the page while its author types.
"""

from __future__ import annotations

import dataclasses
import os
import re
import threading
from pathlib import Path

from .. import api
from ..access import FileAccess, spec_link_problem
from ..diagnostics import Diagnostic, PathError, Severity, printable
from ..locale import catalogue
from ..scene import element_id

__all__ = ["Gallery", "Entry", "locate"]

SPEC_SUFFIXES = (".yaml", ".yml")
# Folders that hold tools' files rather than specs; hidden folders are skipped too.
_SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
# A top-level ``kind:`` line: how a YAML file shows it is a spec, even when the rest of it is broken.
_KIND_LINE = re.compile(r"^kind[ \t]*:[ \t]*['\"]?([A-Za-z0-9_-]+)", re.M)
# Specs drawn in one Graphviz batch before the page hears about them.
_BATCH = 8
# The suffix of an element's further shape (``-1``, ``-image``, an edge's ``-edge``).
_SHAPE_SUFFIX = re.compile(r"-[^.\-]*$")
# A character of user text made safe for an id (see :func:`cxviz.scene.name_part`).
_ESCAPED = re.compile(r"_x([0-9a-f]{1,6})_")
_SVG_LANG = re.compile(r'<svg\b[^>]*\bxml:lang="([^"]+)"')


@dataclasses.dataclass(frozen=True)
class Entry:
    """One spec of the gallery as it stands.

    ``svg`` is the last picture that rendered, ``spec`` the spec it was drawn
    from (for :func:`locate`); ``current`` says whether that picture shows
    the file as it is now. ``state`` is ``pending``, ``ok``, ``warnings`` or
    ``errors``; ``version`` grows each time anything here changes.
    """

    name: str
    file: str
    kind: str = ""
    title: str = ""
    state: str = "pending"
    diagnostics: tuple[Diagnostic, ...] = ()
    svg: str | None = None
    spec: api.Spec | None = None
    current: bool = False
    version: int = 0

    def summary(self) -> dict:
        """The entry as the page's list shows it."""
        errors = sum(1 for d in self.diagnostics if d.is_error)
        return {"name": self.name, "file": self.file, "kind": self.kind, "title": self.title,
                "state": self.state, "errors": errors, "warnings": len(self.diagnostics) - errors,
                "version": self.version}

    def details(self) -> dict:
        """The entry with its picture and diagnostics, as the page shows the spec it is on."""
        problems = [{**d.as_dict(), "headline": d.headline(), "source": printable(d.source_line)}
                    for d in sorted(self.diagnostics, key=lambda d: (not d.is_error, d.line, d.column))]
        lang = _SVG_LANG.search(self.svg) if self.svg else None
        rtl = bool(lang) and catalogue(lang.group(1)).rtl  # a wide drawing then scrolls from its right end
        return {**self.summary(), "svg": self.svg, "current": self.current, "diagnostics": problems, "rtl": rtl}


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells that a file changed: its time stamp, size and inode; None when it is gone."""
    try:
        info = path.stat()
    except (OSError, ValueError):
        return None
    return info.st_mtime_ns, info.st_size, info.st_ino


class Gallery:
    """The specs under ``path`` (a folder, or one spec file), drawn with ``options``.

    ``root`` is the served folder. Every method may be called from any
    thread; :meth:`scan` is meant for one thread at a time.
    """

    def __init__(self, path: str | Path, options: api.Options | None = None):
        given = Path(path)
        if given.is_dir():
            self.root, self._single = given.resolve(), None
        elif given.is_file() and given.suffix in SPEC_SUFFIXES:
            self.root, self._single = given.resolve().parent, given.name
        else:
            raise api.OptionError(f"{path}: not a folder of specs or a .yaml/.yml spec file")
        # Names in diagnostics start as the path was given, as ``cxviz validate PATH`` prints them.
        self._shown = given.parent if self._single else given
        base = options if options is not None else api.Options()
        # The page's stylesheet provides the font, so pictures come without it and redraw sooner.
        self.options = base.replace(embed_font=False)
        self._kinds = frozenset(api.kind_names(discover=True))
        self._lock = threading.Condition()
        self._entries: dict[str, Entry] = {}
        self._stamps: dict[str, tuple | None] = {}
        self._not_specs: dict[str, tuple | None] = {}
        self._folder: tuple | None = None
        self.version = 0
        self.scans = 0
        self.closed = False

    # -- reading ------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every spec, in name order."""
        with self._lock:
            return [self._entries[name] for name in sorted(self._entries)]

    def get(self, name: str) -> Entry | None:
        """The spec listed as ``name`` (a path relative to the root, with ``/``), or None."""
        with self._lock:
            return self._entries.get(name)

    def wait(self, version: int, timeout: float) -> int:
        """Block until the gallery's version passes ``version``, it closes, or ``timeout`` passes; the version."""
        with self._lock:
            self._lock.wait_for(lambda: self.version != version or self.closed, timeout)
            return self.version

    def wait_for_scan(self, timeout: float) -> bool:
        """Block until a scan that starts after this call has finished; False on timeout."""
        with self._lock:
            target = self.scans + 2  # the scan running now may have read the files before they changed
            return self._lock.wait_for(lambda: self.scans >= target or self.closed, timeout)

    def close(self) -> None:
        """Wake every waiter for good: the preview is stopping."""
        with self._lock:
            self.closed = True
            self._lock.notify_all()

    # -- scanning -----------------------------------------------------------------

    def _files(self) -> tuple[dict[str, tuple[Path, tuple | None]], tuple]:
        """Every YAML file under the root (not in hidden folders) with its stamp, and the stamps of the folders.

        A folder's stamp changes when a file in it appears or goes, such as
        the photo a spec with errors is waiting for.
        """
        if self._single:
            path = self.root / self._single
            return {self._single: (path, _stamp(path))}, (_stamp(self.root),)
        found, folders = {}, []
        for folder, subfolders, files in os.walk(self.root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and d not in _SKIPPED_FOLDERS)
            folders.append(_stamp(Path(folder)))
            for file in files:
                path = Path(folder, file)
                # Only regular files: reading a named pipe called x.yaml would never end.
                if file.endswith(SPEC_SUFFIXES) and not file.startswith(".") and path.is_file():
                    found[path.relative_to(self.root).as_posix()] = (path, _stamp(path))
        return found, tuple(folders)

    def _declared_kind(self, path: Path) -> str | None:
        """The kind a YAML file declares, if it is a spec cxviz knows; read only when it stays in the root."""
        if spec_link_problem(path, FileAccess(root=self.root)) is not None:
            return ""  # listed, to say why it is not read
        try:
            with open(path, "rb") as handle:
                text = handle.read(self.options.limits.max_file_bytes).decode("utf-8", "replace")
        except OSError:
            return None
        match = _KIND_LINE.search(text)
        return match.group(1) if match and match.group(1) in self._kinds else None

    def scan(self) -> list[str]:
        """Read and draw again every spec whose files changed; returns the names that changed."""
        files, folders = self._files()
        folder = (folders, tuple(sorted((name, stamp) for name, (_, stamp) in files.items())))
        folder_changed, self._folder = folder != self._folder, folder
        gone = [name for name in self._entries if name not in files]
        todo: list[tuple[str, Path, str]] = []
        for name, (path, stamp) in files.items():
            entry = self._entries.get(name)
            if entry is None:
                if name in self._not_specs and self._not_specs[name] == stamp:
                    continue
                kind = self._declared_kind(path)
                if kind is None:
                    self._not_specs[name] = stamp
                    continue
                self._not_specs.pop(name, None)
                todo.append((name, path, kind))
            elif self._stamps.get(name) != (stamp, self._dependency_stamps(entry)) \
                    or (entry.state == "errors" and folder_changed):
                # A spec with errors may be waiting for a file it names (a persona, a photo) to appear.
                todo.append((name, path, entry.kind))
        with self._lock:
            for name in gone:
                del self._entries[name]
                del self._stamps[name]
            if gone:
                self.version += 1
                self._lock.notify_all()
        for start in range(0, len(todo), _BATCH):
            self._draw(todo[start:start + _BATCH])
        with self._lock:
            self.scans += 1
            self._lock.notify_all()
        return gone + [name for name, _, _ in todo]

    @staticmethod
    def _dependency_stamps(entry: Entry) -> tuple:
        """The stamps of the files the spec as it now stands read (a spec with errors: none known)."""
        if entry.spec is None or not entry.current:
            return ()
        return tuple(_stamp(Path(dependency)) for dependency in entry.spec.dependencies)

    def _shown_name(self, name: str) -> str:
        return str(self._shown / name)

    def _draw(self, batch: list[tuple[str, Path, str]]) -> None:
        """Load and render a few specs in one Graphviz batch, then publish what became of each."""
        loaded: list[tuple[str, str, tuple | None, api.Spec | None, list[Diagnostic]]] = []
        for name, path, kind in batch:
            stamp = _stamp(path)  # before reading: a save while it is read is seen by the next scan
            try:
                loaded.append((name, kind, stamp, api.load(self._shown_name(name), limits=self.options.limits), []))
            except api.SpecError as exc:
                loaded.append((name, kind, stamp, None, list(exc.diagnostics)))
        pictures = iter(self._render([spec for _, _, _, spec, _ in loaded if spec is not None]))
        updates = []
        for name, kind, stamp, spec, diagnostics in loaded:
            entry = self._entries.get(name) or Entry(name, self._shown_name(name), kind)
            svg = next(pictures) if spec is not None else None
            if spec is not None:
                # Drawing may have added warnings (a word missing in the spec's language).
                diagnostics = list(spec.diagnostics)
            if isinstance(svg, Exception):
                diagnostics.append(Diagnostic(Severity.ERROR, entry.file, 0, 0, "", str(svg)))
                svg = None
            errors = any(d.is_error for d in diagnostics)
            state = "errors" if errors else "warnings" if diagnostics else "ok"
            entry = dataclasses.replace(entry, state=state, diagnostics=tuple(diagnostics), current=svg is not None)
            if svg is not None:
                entry = dataclasses.replace(entry, kind=spec.kind.name, title=spec.model.title, svg=svg, spec=spec)
            updates.append((entry, stamp))
        with self._lock:
            self.version += 1
            for entry, stamp in updates:
                self._entries[entry.name] = dataclasses.replace(entry, version=self.version)
                self._stamps[entry.name] = (stamp, self._dependency_stamps(entry))
            self._lock.notify_all()

    def _render(self, specs: list[api.Spec]) -> list:
        """Each spec's SVG, or the error that stopped it."""
        if not specs:
            return []
        try:
            return api.render_many(specs, "svg", self.options)
        except api.CxvizError as exc:  # an option no spec can be drawn with
            return [exc] * len(specs)
        except Exception as exc:  # noqa: BLE001 (the watcher must outlive any one spec)
            return [api.drawing_failed(exc)] * len(specs)


def _unescaped(text: str) -> str:
    """An id part as the user wrote it: ``_x20_`` back to a space (see :func:`cxviz.scene.name_part`)."""
    def character(match: re.Match) -> str:
        code = int(match.group(1), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPED.sub(character, text)


def _candidates(element: str):
    """The spec paths an SVG id may stand for, most exact first.

    The id itself; then without the suffix of a further shape (``-1``,
    ``-image``, ``-edge``); then, for a part the spec holds no value for
    (a persona's avatar), the paths it sits under.
    """
    shortest = []
    for name in dict.fromkeys((element, _unescaped(element))):
        while True:
            yield name
            shorter = _SHAPE_SUFFIX.sub("", name)
            if shorter == name:
                break
            name = shorter
        shortest.append(name)
    for name in shortest:
        while "." in name:
            name = name.rsplit(".", 1)[0]
            yield name


def locate(spec: api.Spec, ids: list[str]) -> dict | None:
    """Where the element clicked was written: the first of ``ids`` (innermost first) the spec has a value for.

    A mapping with ``id`` (the SVG id clicked), ``path`` (as diagnostics
    print it), ``file``, ``line``, ``column`` and ``source`` (that line of
    the file); None for what cxviz draws on its own (a lane heading).
    """
    for element in ids:
        for candidate in _candidates(element):
            try:
                location = spec.where(candidate)
            except PathError:
                continue
            paths = {element_id(path): path for path in spec.paths()}
            lines = spec.source_text.splitlines()
            source = lines[location.line - 1] if 0 < location.line <= len(lines) else ""
            return {"id": element, "path": paths.get(candidate, candidate), "file": location.file,
                    "line": location.line, "column": location.column, "source": printable(source)}
    return None
