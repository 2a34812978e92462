"""References in specs reach only the files the user allows."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

import cxviz
from cxviz.access import AccessError, FileAccess, resolve_reference

from .conftest import SAMPLES

PNG = (SAMPLES / "photos" / "dewi.png").read_bytes()


@pytest.fixture
def tree(tmp_path):
    """specs/ with a photo inside, and a secret photo outside it."""
    specs = tmp_path / "specs"
    (specs / "photos").mkdir(parents=True)
    (specs / "photos" / "me.png").write_bytes(PNG)
    (tmp_path / "outside.png").write_bytes(PNG)
    (specs / "link.png").symlink_to(tmp_path / "outside.png")
    return specs


def persona(specs: Path, photo: str) -> Path:
    path = specs / "p.yaml"
    path.write_text(f"kind: persona\ntitle: P\nname: Rina\nphoto: '{photo}'\n", encoding="utf-8")
    return path


def messages(path: Path, **access) -> list[str]:
    return [d.headline() for d in cxviz.check(path, access=FileAccess(**access)) if d.is_error]


def test_a_file_inside_the_folder_is_read(tree):
    assert messages(persona(tree, "photos/me.png")) == []


@pytest.mark.parametrize(
    "photo, reason",
    [
        ("../outside.png", "leads outside {root} (through '..' or a symbolic link); keep referenced files inside it (or run with --allow-outside-root)"),
        ("link.png", "leads outside {root} (through '..' or a symbolic link); keep referenced files inside it (or run with --allow-outside-root)"),
        ("{abs}", "is an absolute path; refer to files inside {root} (or run with --allow-outside-root)"),
        ("file://{abs}", "is a file:// URL; refer to a file by its path inside {root} (or run with --allow-outside-root)"),
        ("https://example.com/me.png", "is a web address; cxviz fetches nothing from the network unless run with --allow-remote"),
        ("ftp://example.com/me.png", "uses the ftp: scheme; refer to a file by its path"),
    ],
)
def test_escapes_are_refused_with_the_way_to_allow_them(tree, photo, reason):
    outside = str(tree.parent / "outside.png")
    photo = photo.format(abs=outside)
    path = persona(tree, photo)
    expected = f"{path}:4:8: error: photo: {photo} " + reason.format(root=str(tree.resolve()))
    assert messages(path) == [expected]


@pytest.mark.parametrize("photo", ["../outside.png", "link.png", "{abs}", "file://{abs}"])
def test_allow_outside_root_opens_them(tree, photo):
    photo = photo.format(abs=str(tree.parent / "outside.png"))
    assert messages(persona(tree, photo), allow_outside=True) == []


def test_a_root_the_user_names_widens_the_folder(tree):
    assert messages(persona(tree, "../outside.png"), root=tree.parent) == []


def test_a_referenced_spec_keeps_the_first_specs_root(tree):
    (tree / "people").mkdir()
    (tree / "people" / "rina.yaml").write_text(
        "kind: persona\ntitle: R\nname: Rina\nphoto: ../../outside.png\n", encoding="utf-8"
    )
    journey = tree / "j.yaml"
    journey.write_text(
        "kind: journey\ntitle: J\npersona: people/rina.yaml\nstages:\n  - name: S\n    steps: [Do]\n",
        encoding="utf-8",
    )
    found = messages(journey)
    assert any("people/rina.yaml:4:8: error: photo: ../../outside.png leads outside" in m for m in found)


def test_a_web_reference_is_fetched_only_when_allowed(tree):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tree / "photos"))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/me.png"
        with pytest.raises(AccessError, match="is a web address"):
            resolve_reference(url, tree, FileAccess())
        fetched = resolve_reference(url, tree, FileAccess(allow_remote=True))
        assert fetched.read_bytes() == PNG
        with pytest.raises(AccessError, match="could not be fetched"):
            resolve_reference(url.replace("me.png", "none.png"), tree, FileAccess(allow_remote=True))
    finally:
        server.shutdown()
        server.server_close()


def test_the_cli_flags_reach_the_policy(tree, capsys):
    from cxviz.cli import main

    path = persona(tree, "../outside.png")
    assert main(["validate", str(path)]) == 1
    assert main(["validate", "--allow-outside-root", str(path)]) == 0
    assert main(["validate", "--root", str(tree.parent), str(path)]) == 0
    capsys.readouterr()
