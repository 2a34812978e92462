"""A render cache for docs pipelines: an unchanged tree re-renders in a blink.

An output is stored under a key made of everything that shapes it: the
spec's bytes, every file it made cxviz read (persona specs, photos), the
output format and options, the templates, cxviz's own code and the Graphviz
version. A manifest remembers, per spec path, the hashes its last key was
made from, so a rebuild hashes files but parses no YAML for a spec that did
not change.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

__all__ = ["RenderCache", "default_cache_dir", "file_hash"]

_PACKAGE = Path(__file__).resolve().parent


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/cxviz/renders`` (``~/.cache/cxviz/renders``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cxviz" / "renders"


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: The options each format's output depends on: an SVG is the same whatever the paper.
_OPTIONS_BY_FORMAT = {
    "svg": ("lang", "locale_dir", "embed_font"),
    "dot": ("lang", "locale_dir"),
    "png": ("lang", "locale_dir", "png_dpi"),
    "pdf": ("lang", "locale_dir", "paper", "orientation", "tile", "blank", "templates"),
}


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """A hash of cxviz's code, words and templates: a new cxviz never reuses old outputs."""
    from .rendering.graphviz import graphviz_version

    digest = hashlib.sha256(graphviz_version().encode())
    for folder, pattern in ((_PACKAGE, "*.py"), (_PACKAGE, "*.yaml"), (_PACKAGE, "*.j2")):
        for path in sorted(folder.rglob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _folder_hash(folder: str | None) -> str:
    if not folder:
        return ""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class RenderCache:
    """Outputs stored by key in ``folder``; see the module's docstring."""

    folder: Path = field(default_factory=default_cache_dir)

    def __post_init__(self) -> None:
        self._manifest_path = self.folder / "manifest.json"
        try:
            self._manifest = json.loads(self._manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self._manifest = {}
        self._changed = False

    def key(self, spec_hash: str, dependencies: dict[str, str], fmt: str, options: dict) -> str:
        """The key of one output, from the hashes of what it is made of."""
        relevant = _OPTIONS_BY_FORMAT.get(fmt, ())
        chosen = {k: options[k] for k in sorted(options) if k in relevant}
        material = {
            "code": _code_fingerprint(),
            "spec": spec_hash,
            "dependencies": dict(sorted(dependencies.items())),
            "format": fmt,
            "options": chosen,
            "templates": _folder_hash(chosen.get("templates")),
            # The user's own words, as many folders as the option names (os.pathsep between them).
            "locales": [_folder_hash(part) for part in (chosen.get("locale_dir") or "").split(os.pathsep) if part],
        }
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()

    def known_key(self, spec_path: Path, spec_hash: str, fmt: str, options: dict) -> str | None:
        """The key this spec had last time, if neither it nor any file it read has changed."""
        entry = self._manifest.get(str(spec_path.resolve()))
        if not entry or entry.get("spec") != spec_hash:
            return None
        dependencies = entry.get("dependencies", {})
        for path, expected in dependencies.items():
            try:
                if file_hash(Path(path)) != expected:
                    return None
            except OSError:
                return None
        return self.key(spec_hash, dependencies, fmt, options)

    def remember(self, spec_path: Path, spec_hash: str, dependencies: dict[str, str]) -> None:
        self._manifest[str(spec_path.resolve())] = {"spec": spec_hash, "dependencies": dependencies}
        self._changed = True

    def _object(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get(self, key: str) -> bytes | None:
        try:
            return self._object(key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        target = self._object(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}")
        partial.write_bytes(data)
        partial.replace(target)

    def save(self) -> None:
        """Write the manifest (atomically) if anything was remembered."""
        if not self._changed:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self._manifest_path.with_name(f".manifest.{os.getpid()}")
        partial.write_text(json.dumps(self._manifest, sort_keys=True), encoding="utf-8")
        partial.replace(self._manifest_path)
        self._changed = False
