"""Outputs: whole files or nothing, devices and FIFOs written to, links kept as links."""

from __future__ import annotations

import errno
import os
import stat
import threading

import pytest

from cxviz import output
from cxviz.cli import main
from cxviz.output import resolve_links, write_atomically, write_if_changed

# Only a guard against a hang (a FIFO that nobody opens); a passing run takes milliseconds.
HANG_GUARD_SECONDS = 30

as_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="making a device node needs root")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


def leftovers(folder) -> list[str]:
    """Temporary files the writer may have left in ``folder``."""
    return sorted(name for name in os.listdir(folder) if name.startswith("."))


def _unblock(fifo) -> None:
    # Opening a FIFO read-write never blocks on Linux and completes any open()
    # still waiting on the other side, so stuck threads can finish.
    try:
        os.close(os.open(fifo, os.O_RDWR | os.O_NONBLOCK))
    except OSError:
        pass


def through_fifo(fifo, write) -> tuple[bytes, object]:
    """Run ``write()`` while another thread reads ``fifo``; (bytes read, what write returned)."""
    received: list[bytes] = []
    result: list[object] = []
    failure: list[BaseException] = []

    def reader():
        with open(fifo, "rb") as stream:
            received.append(stream.read())

    def writer():
        try:
            result.append(write())
        except BaseException as exc:  # handed to the test below
            failure.append(exc)

    threads = [threading.Thread(target=reader, daemon=True), threading.Thread(target=writer, daemon=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD_SECONDS)
    if any(thread.is_alive() for thread in threads):
        _unblock(fifo)
        pytest.fail(f"writing to the FIFO {fifo} never finished")
    if failure:
        raise failure[0]
    return received[0], result[0]


@pytest.fixture
def fifo(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.fixture
def null_device(tmp_path):
    """A character device node with /dev/null's numbers, inside the test's folder."""
    path = tmp_path / "null"
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    try:
        os.close(os.open(path, os.O_WRONLY))
    except PermissionError:
        pytest.skip("the temporary folder is on a file system mounted without devices")
    return path


def assert_null_device(path) -> None:
    info = os.lstat(path)
    assert stat.S_ISCHR(info.st_mode), f"{path} is no longer a character device"
    assert info.st_rdev == os.makedev(1, 3)


# -- regular files ---------------------------------------------------------------------

def test_a_new_file_gets_the_umask_mode_and_missing_folders(tmp_path):
    target = tmp_path / "out" / "deep" / "late.svg"
    previous = os.umask(0o027)
    try:
        write_atomically(str(target), "<svg/>")
    finally:
        os.umask(previous)
    assert target.read_text(encoding="utf-8") == "<svg/>"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(target.parent) == []


def test_an_existing_file_is_replaced_whole_and_keeps_its_mode(tmp_path):
    target = tmp_path / "late.svg"
    target.write_bytes(b"old contents, longer than the new ones")
    target.chmod(0o600)
    before = target.stat()
    write_atomically(str(target), b"new")
    after = target.stat()
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(after.st_mode) == 0o600
    assert after.st_ino != before.st_ino  # renamed into place, not rewritten in place
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "late.svg"
    target.write_bytes(b"old")

    def refuse(source, destination):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), source)

    monkeypatch.setattr(output.os, "replace", refuse)
    with pytest.raises(OSError) as raised:
        write_atomically(str(target), b"new")
    assert raised.value.errno == errno.ENOSPC
    assert raised.value.filename == str(target)  # the output, not the temporary name
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_a_folder_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(IsADirectoryError):
        write_atomically(str(folder), b"new")
    assert folder.is_dir() and os.listdir(folder) == []
    assert leftovers(tmp_path) == []


def test_dash_writes_to_standard_output(capsysbinary):
    write_atomically("-", "héllo")
    assert write_if_changed("-", b" again") is True
    assert capsysbinary.readouterr().out == "héllo".encode("utf-8") + b" again"


def test_write_if_changed_skips_identical_bytes_and_writes_different_ones(tmp_path):
    target = tmp_path / "late.svg"
    target.write_bytes(b"same")
    before = target.stat()
    assert write_if_changed(str(target), b"same") is False
    assert target.stat().st_ino == before.st_ino and target.stat().st_mtime_ns == before.st_mtime_ns
    assert write_if_changed(str(target), b"other") is True
    assert target.read_bytes() == b"other"
    assert write_if_changed(str(tmp_path / "new.svg"), b"fresh") is True
    assert (tmp_path / "new.svg").read_bytes() == b"fresh"


# -- symlinks --------------------------------------------------------------------------

def test_a_symlink_stays_a_link_and_its_target_gets_the_bytes(tmp_path):
    target = tmp_path / "real.svg"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link = tmp_path / "link.svg"
    link.symlink_to("real.svg")
    write_atomically(str(link), b"new")
    assert link.is_symlink() and os.readlink(link) == "real.svg"
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_chain_of_links_across_folders_is_followed_to_the_end(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
    final = tmp_path / "c" / "real.svg"
    final.write_bytes(b"old")
    middle = tmp_path / "b" / "middle.svg"
    middle.symlink_to(os.path.join("..", "c", "real.svg"))  # relative to its own folder
    first = tmp_path / "a" / "first.svg"
    first.symlink_to(middle)
    assert os.path.samefile(resolve_links(str(first)), final)
    write_atomically(str(first), b"new")
    assert first.is_symlink() and middle.is_symlink()
    assert final.read_bytes() == b"new"
    assert [leftovers(tmp_path / name) for name in ("a", "b", "c")] == [[], [], []]


def test_a_dangling_link_creates_its_target(tmp_path):
    link = tmp_path / "link.svg"
    link.symlink_to(tmp_path / "made" / "real.svg")
    write_atomically(str(link), b"new")
    assert link.is_symlink()
    assert (tmp_path / "made" / "real.svg").read_bytes() == b"new"


def test_write_if_changed_compares_through_a_link(tmp_path):
    (tmp_path / "real.svg").write_bytes(b"same")
    link = tmp_path / "link.svg"
    link.symlink_to("real.svg")
    assert write_if_changed(str(link), b"same") is False
    assert write_if_changed(str(link), b"other") is True
    assert link.is_symlink() and (tmp_path / "real.svg").read_bytes() == b"other"


def test_a_loop_of_links_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OSError) as raised:
        write_atomically(str(tmp_path / "a"), b"new")
    assert raised.value.errno == errno.ELOOP
    assert main(["schema", "whys", "-o", str(tmp_path / "a")]) == 1
    err = capsys.readouterr().err
    assert err == f"cxviz: error: {tmp_path / 'a'}: {os.strerror(errno.ELOOP)}\n"


# -- FIFOs and devices -------------------------------------------------------------------

@needs_fifo
def test_a_fifo_is_written_straight_to_and_stays_a_fifo(fifo):
    received, _ = through_fifo(fifo, lambda: write_atomically(str(fifo), b"through the pipe"))
    assert received == b"through the pipe"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert leftovers(fifo.parent) == []


@needs_fifo
def test_write_if_changed_never_reads_a_fifo(fifo):
    # Were the FIFO read first, the write would wait on it and the reader would see nothing.
    received, written = through_fifo(fifo, lambda: write_if_changed(str(fifo), b"only once"))
    assert written is True
    assert received == b"only once"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@needs_fifo
def test_a_link_to_a_fifo_writes_into_the_fifo(fifo):
    link = fifo.parent / "link"
    link.symlink_to(fifo)
    received, _ = through_fifo(fifo, lambda: write_atomically(str(link), b"via the link"))
    assert received == b"via the link"
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="no /proc/self/fd here")
def test_a_link_through_proc_to_a_pipe_writes_into_the_pipe(tmp_path):
    # What -o /dev/stdout amounts to when standard output is a pipe.
    read_end, write_end = os.pipe()
    try:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{write_end}")
        write_atomically(str(link), b"down the pipe")  # far below a pipe's buffer: never blocks
        os.close(write_end)
        write_end = -1
        with open(read_end, "rb", closefd=False) as stream:
            assert stream.read() == b"down the pipe"
        assert link.is_symlink()
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


@as_root
def test_a_character_device_stays_a_device(null_device):
    write_atomically(str(null_device), b"discarded")
    assert_null_device(null_device)
    assert write_if_changed(str(null_device), b"discarded") is True
    assert_null_device(null_device)
    assert leftovers(null_device.parent) == []


@as_root
def test_a_link_to_a_device_writes_to_the_device(null_device):
    link = null_device.parent / "link"
    link.symlink_to(null_device)
    write_atomically(str(link), b"discarded")
    assert link.is_symlink()
    assert_null_device(null_device)


# -- the command line ----------------------------------------------------------------------

@as_root
def test_the_cli_leaves_a_device_a_device(null_device, capsys):
    assert main(["schema", "whys", "-q", "-o", str(null_device)]) == 0
    assert main(["init", "whys", "--force", "-q", "-o", str(null_device)]) == 0
    assert capsys.readouterr().err == ""
    assert_null_device(null_device)


@needs_fifo
def test_the_cli_writes_the_schema_into_a_fifo(fifo, capsys):
    received, code = through_fifo(fifo, lambda: main(["schema", "whys", "-o", str(fifo)]))
    assert code == 0
    assert b'"const": "whys"' in received
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_the_cli_leaves_a_symlink_a_symlink(tmp_path, capsys):
    target = tmp_path / "real.yaml"
    link = tmp_path / "link.yaml"
    link.symlink_to("real.yaml")  # dangling: init creates the file it names
    assert main(["init", "whys", "-o", str(link)]) == 0
    assert link.is_symlink() and "kind: whys" in target.read_text(encoding="utf-8")
    assert main(["schema", "whys", "-o", str(link)]) == 0
    assert link.is_symlink() and '"const": "whys"' in target.read_text(encoding="utf-8")
