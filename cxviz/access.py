"""Which files a spec may make cxviz read.

A spec can refer to other files: a persona spec, a persona's photo. Specs
come from many hands, so by default a reference must stay inside the
spec's own folder (or a root the user names): absolute paths, ``..``
escapes, symbolic links that lead out and ``file://`` URLs are refused, and
web addresses are never fetched. Each can be allowed explicitly.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import CxvizError

__all__ = ["FileAccess", "AccessError", "resolve_reference", "is_url", "spec_link_problem", "MAX_REMOTE_BYTES"]

MAX_REMOTE_BYTES = 5_000_000
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


class AccessError(CxvizError, ValueError):
    """A reference cxviz will not follow; the message says why and how to allow it."""


@dataclass(frozen=True)
class FileAccess:
    """What references may reach.

    ``root``: the folder references must stay in (default: the folder of the
    spec that was loaded first). ``allow_outside``: also follow absolute
    paths, ``..``, links leading out and ``file://`` URLs. ``allow_remote``:
    also fetch ``http(s)://`` references (with a size limit and a timeout).
    """

    root: Path | None = None
    allow_outside: bool = False
    allow_remote: bool = False
    remote_timeout: float = 10.0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) or "."
    except ValueError:
        return str(path)


def _fetch(url: str, access: FileAccess) -> Path:
    """Download a web reference into the cache folder; returns the file."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]
    folder = Path(tempfile.gettempdir()) / "cxviz-remote"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}{Path(urllib.parse.urlparse(url).path).suffix[:8]}"
    try:
        from urllib.request import urlopen  # only for specs that opted in to remote images

        with urlopen(url, timeout=access.remote_timeout) as response:  # noqa: S310 (opted in)
            data = response.read(MAX_REMOTE_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise AccessError(f"could not be fetched: {getattr(exc, 'reason', exc)}") from None
    if len(data) > MAX_REMOTE_BYTES:
        raise AccessError(f"is larger than {MAX_REMOTE_BYTES:,} bytes")
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(target)
    return target


def is_url(reference: str) -> bool:
    """Whether a reference is written as a URL (``https://...``, ``file://...``) rather than a path."""
    scheme = _SCHEME.match(reference)
    return bool(scheme) and len(scheme.group(1)) > 1  # "C:" is a drive, not a scheme


def resolve_reference(reference: str, base_dir: Path, access: FileAccess) -> Path:
    """The file ``reference`` names, relative to ``base_dir``, if ``access`` lets it be read.

    Raises :class:`AccessError` with a message a user can act on.
    """
    root = (access.root or base_dir).resolve()
    if is_url(reference):
        kind = _SCHEME.match(reference).group(1).lower()
        if kind in ("http", "https"):
            if not access.allow_remote:
                raise AccessError("is a web address; cxviz fetches nothing from the network "
                                  "unless run with --allow-remote")
            return _fetch(reference, access)
        if kind != "file":
            raise AccessError(f"uses the {kind}: scheme; refer to a file by its path")
        if not access.allow_outside:
            raise AccessError("is a file:// URL; refer to a file by its path inside "
                              f"{_shown(root)} (or run with --allow-outside-root)")
        reference = urllib.parse.unquote(urllib.parse.urlparse(reference).path)
    if "\x00" in reference:
        raise AccessError("holds a NUL character")
    path = Path(reference)
    if path.is_absolute() and not access.allow_outside:
        raise AccessError(f"is an absolute path; refer to files inside {_shown(root)} "
                          "(or run with --allow-outside-root)")
    target = base_dir / path
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError):
        raise AccessError("cannot be resolved (a loop of symbolic links?)") from None
    if not access.allow_outside and not resolved.is_relative_to(root):
        raise AccessError(f"leads outside {_shown(root)} (through '..' or a symbolic link); "
                          "keep referenced files inside it (or run with --allow-outside-root)")
    try:
        if not resolved.exists():
            raise AccessError("file not found")
        if not resolved.is_file():
            raise AccessError("is not a file")
    except OSError as exc:  # a name too long for the file system, a folder that cannot be entered...
        raise AccessError(f"cannot be opened ({exc.strerror or exc})") from None
    return resolved


def spec_link_problem(path: Path, access: FileAccess) -> str | None:
    """Why a spec file that is a symbolic link leading out of its folder is not read; None if it may be.

    A folder of specs from a pull request could hold ``x.yaml`` linking to a
    secret file, whose first lines an error message would then quote.
    """
    try:
        if access.allow_outside or not path.is_symlink():
            return None
        folder = (access.root or path.parent).resolve()
        if path.resolve().is_relative_to(folder):
            return None
    except (OSError, RuntimeError):
        return "is a symbolic link that cannot be resolved"
    return (f"is a symbolic link to a file outside {_shown(folder)}; not read "
            "(run with --allow-outside-root to read it)")
