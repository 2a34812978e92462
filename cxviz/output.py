"""Writing outputs safely: whole files or nothing, and never over what is not a file.

A regular file is replaced atomically (a temporary file in the same folder, then a
rename), so a reader never sees half a file and a failure leaves the old one. A
path that is a device or a FIFO (``/dev/null``, ``/dev/stdout``, a named pipe) is
written straight to, since renaming over it would replace the device itself. A
symlink is followed to the file it finally points to, which is then replaced in
its own folder, so the link stays a link.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile

__all__ = ["resolve_links", "write_atomically", "write_if_changed"]

# The same bound the kernel puts on a chain of links (MAXSYMLINKS).
_MAX_LINKS = 40


def resolve_links(path: str) -> str:
    """The path a chain of symlinks at ``path`` finally names; ``path`` itself if it is no link.

    Only the last component is followed, link by link, so a dangling link gives the
    path its target would have. A loop raises ``OSError`` (ELOOP).
    """
    current = path
    for _ in range(_MAX_LINKS):
        if not os.path.islink(current):
            return current
        current = os.path.join(os.path.dirname(current), os.readlink(current))
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), path)


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _umask() -> int:
    # The only portable way to read the umask is to set it and put it back.
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _write_straight(path: str, data: bytes) -> None:
    # No O_CREAT: the path was seen to exist as a device or FIFO, and must not
    # silently become a regular file if it vanished since.
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "wb") as stream:
            stream.write(data)
    except OSError as exc:  # a full or closed device: name the output in the message
        if exc.errno is None:
            raise
        raise OSError(exc.errno, exc.strerror, path) from None


def _replace(path: str, target: str, data: bytes, existing: os.stat_result | None) -> None:
    folder = os.path.dirname(target) or "."
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", dir=folder)
    except OSError as exc:  # name the output, not a temporary file the user never asked for
        raise OSError(exc.errno, exc.strerror, path) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if existing is not None:
                # Keep the replaced file's owner where allowed (as root, for one);
                # before chmod, since a chown clears set-id bits.
                try:
                    os.fchown(stream.fileno(), existing.st_uid, existing.st_gid)
                except OSError:
                    pass
                os.fchmod(stream.fileno(), stat.S_IMODE(existing.st_mode))
            else:
                os.fchmod(stream.fileno(), 0o666 & ~_umask())
            stream.write(data)
        os.replace(temporary, target)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, path) from None
        raise


def write_atomically(path: str, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path``, ``-`` being standard output.

    A regular file, new or existing, is written whole via a temporary file and a
    rename, keeping an existing file's permission bits; nothing half-written is
    left on failure. A device or FIFO is opened and written straight to, never
    renamed over or read. A symlink is followed to its final target, which is
    written the same way (and created, for a dangling link); the link is kept.
    Missing parent folders are created.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    # stat follows every link, including /proc's (/dev/stdout -> /proc/self/fd/1
    # -> a pipe), whose targets are no paths one could replace.
    existing = _stat(path)
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", path)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        _write_straight(path, data)
        return
    target = resolve_links(path)
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    _replace(path, target, data, existing)


def write_if_changed(path: str, data: bytes) -> bool:
    """Write ``data`` unless ``path`` already holds exactly these bytes; True if written.

    Unchanged outputs keep their modification time. Only an existing regular file
    (links followed) is read to compare; a device or FIFO is always written, as
    reading it could block or consume what another process expects.
    """
    if path != "-":
        try:
            existing = os.stat(path)  # follows links
            if stat.S_ISREG(existing.st_mode) and existing.st_size == len(data):
                # O_NONBLOCK and fstat: should the path become a FIFO after the
                # stat above, opening it must not wait for a writer.
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
                with open(fd, "rb") as stream:
                    if stat.S_ISREG(os.fstat(fd).st_mode) and stream.read() == data:
                        return False
        except OSError:
            pass
    write_atomically(path, data)
    return True
