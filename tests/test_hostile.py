"""Hostile input: every case in tests/hostile/ is refused with its exact message, safely.

Each ``NAME.yaml`` there is one broken or malicious spec; ``NAME.txt`` holds
the exact output of ``cxviz validate tests/hostile/NAME.yaml`` run from the
repository's root (``pytest --update-goldens`` rewrites them). The cases run
from a copy of the folder, where the test adds what cannot be committed: a
spec larger than the file limit and a symbolic link leading out.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest

from cxviz.cli import main

from .conftest import ROOT, SAMPLES

HOSTILE = Path(__file__).resolve().parent / "hostile"


def _huge_file(folder: Path) -> None:
    line = "  - A note that repeats until the file is larger than the limit\n"
    count = 2_000_000 // len(line) + 1
    (folder / "huge-file.yaml").write_text("kind: empathy\ntitle: Huge\nsays:\n" + line * count, encoding="utf-8")


def _link_out(folder: Path) -> None:
    outside = folder.parent.parent / "outside.png"
    shutil.copy(SAMPLES / "photos" / "dewi.png", outside)
    (folder / "refs" / "link-out.png").symlink_to(outside)


def _spec_link_out(folder: Path) -> None:
    secret = folder.parent.parent / "secret.yaml"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    (folder / "spec-symlink-out.yaml").symlink_to(secret)


#: Cases made by the test: NAME -> what writes NAME.yaml (or what it needs) into the copy.
GENERATED = {"huge-file": _huge_file, "photo-symlink-out": _link_out, "spec-symlink-out": _spec_link_out}
CASES = sorted({path.stem for path in HOSTILE.glob("*.yaml")} | set(GENERATED))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A folder standing for the repository's root, holding tests/hostile/ and the generated cases."""
    root = tmp_path_factory.mktemp("repo")
    folder = root / "tests" / "hostile"
    shutil.copytree(HOSTILE, folder, ignore=shutil.ignore_patterns("*.txt", "*.md"))
    for make in GENERATED.values():
        make(folder)
    return root


@pytest.mark.parametrize("case", CASES)
def test_hostile_input_is_refused_with_its_exact_message(case, corpus, capsys, monkeypatch, request):
    monkeypatch.chdir(corpus)
    code = main(["validate", f"tests/hostile/{case}.yaml"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    assert code == 1, err
    assert err.endswith("cxviz: 0 of 1 specs valid\n")
    expected = HOSTILE / f"{case}.txt"
    if request.config.getoption("--update-goldens") or not expected.exists():
        expected.write_text(err, encoding="utf-8")
    assert err == expected.read_text(encoding="utf-8")


def test_the_corpus_is_large_and_every_expectation_has_its_case():
    assert len(CASES) >= 60
    orphans = {path.stem for path in HOSTILE.glob("*.txt")} - set(CASES)
    assert not orphans, f"expected output without a case: {sorted(orphans)}"


def test_json_errors_name_the_file_line_column_and_field(corpus, capsys, monkeypatch):
    import json

    monkeypatch.chdir(corpus)
    assert main(["validate", "--error-format", "json", "tests/hostile/journey-wrong-types.yaml"]) == 1
    first = json.loads(capsys.readouterr().err.splitlines()[0])
    assert first == {
        "file": "tests/hostile/journey-wrong-types.yaml", "line": 2, "column": 8, "field": "title",
        "severity": "error", "message": "expected text, got a list",
    }


# -- what validating and rendering may touch -----------------------------------------------------

class _Spy:
    """Records every file opened and every connection tried while it is on (an audit hook)."""

    def __init__(self):
        self.on = False
        self.opened: list[str] = []
        self.connections: list[str] = []

    def __call__(self, event: str, args: tuple) -> None:
        if not self.on:
            return
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            self.opened.append(os.path.abspath(os.fsdecode(args[0])))
        elif event == "urllib.Request" and str(args[0]).startswith("file://"):  # WeasyPrint reading a font
            from urllib.parse import unquote, urlparse

            self.opened.append(unquote(urlparse(str(args[0])).path))
        elif event == "urllib.Request" and str(args[0]).startswith("data:"):  # an embedded photo
            return
        elif event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
            self.connections.append(f"{event} {str(args)[:200]}")

    @contextlib.contextmanager
    def watching(self):
        self.opened.clear()
        self.connections.clear()
        self.on = True
        try:
            yield self
        finally:
            self.on = False


_SPY = _Spy()
_HOOKED: list[bool] = []


def _spy() -> _Spy:
    if not _HOOKED:
        sys.addaudithook(_SPY)  # hooks cannot be removed; this one records only while on
        _HOOKED.append(True)
    return _SPY


def _allowed_places(corpus: Path) -> list[Path]:
    """The corpus, the temporary folder, cxviz itself with its templates and fonts, and Python's own files."""
    from cxviz.fonts import font_file

    places = [corpus, Path(tempfile.gettempdir()), ROOT / "cxviz",
              font_file("regular").parent, font_file("bold").parent,
              Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix)]
    if os.environ.get("XDG_CACHE_HOME"):
        places.append(Path(os.environ["XDG_CACHE_HOME"]))
    return [place.resolve() for place in places]


def _outside(opened: list[str], places: list[Path]) -> list[str]:
    return sorted({path for path in opened
                   if not any(Path(path).resolve().is_relative_to(place) for place in places)
                   and path != os.devnull})


def test_validating_and_rendering_the_corpus_reads_only_allowed_files_and_no_network(
        corpus, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(corpus)
    # Valid specs too, so that drawing (photos, persona files, fonts, templates) is watched as well.
    shutil.copytree(SAMPLES, corpus / "tests" / "valid", dirs_exist_ok=True)
    valid = [f"tests/valid/{name}.yaml" for name in ("journey-grocery", "empathy-omar", "persona-dewi")]
    out = tmp_path / "out"
    # Imports and the libraries' one-time set-up (Python's MIME types table) happen before watching.
    main(["render", "tests/valid", "-o", str(out / "warm-up"), "--no-cache", "-j", "1", "-q"])
    main(["render", valid[-1], "-o", str(out / "warm-up"), "--format", "pdf", "--no-cache", "-j", "1", "-q"])
    with _spy().watching() as spy:
        main(["validate", "tests/hostile"])
        main(["render", "tests/hostile", "-o", str(out / "svg"), "--format", "svg,dot,pdf", "--no-cache", "-j", "1"])
        main(["render", "tests/valid", "-o", str(out / "valid"), "--no-cache", "-j", "1", "-q"])
        main(["render", *valid, "-o", str(out / "pdf"), "--format", "pdf", "--no-cache", "-j", "1", "-q"])
    capsys.readouterr()
    assert len(list((out / "valid").glob("*.svg"))) == 15
    assert len(list((out / "pdf").iterdir())) == 3
    assert any(path.endswith("refs/huge.png") for path in spy.opened)  # the spy does see cxviz's reads
    assert _outside(spy.opened, _allowed_places(corpus)) == []
    assert spy.connections == []


# -- the Graphviz time limit ------------------------------------------------------------------------

def _tangle(nodes: int = 400, edges: int = 2000, seed: int = 7) -> str:
    """A valid user flow whose dense random edges keep ``dot`` busy for far longer than a second."""
    rnd = random.Random(seed)
    lines = ["kind: userflow", "title: A tangle", "nodes:", "  - {id: n0, type: entry}"]
    lines += [f"  - {{id: n{i}}}" for i in range(1, nodes)]
    lines += ["paths:", "  - [" + ", ".join(f"n{i}" for i in range(nodes)) + "]", "edges:"]
    seen: set[tuple[int, int]] = set()
    while len(seen) < edges:
        a, b = rnd.randrange(nodes), rnd.randrange(nodes)
        if a != b and b != a + 1 and (a, b) not in seen:
            seen.add((a, b))
            lines.append(f"  - {{from: n{a}, to: n{b}}}")
    return "\n".join(lines) + "\n"


def test_a_layout_past_the_time_limit_is_stopped_and_reported_for_its_spec_alone(tmp_path, capsys):
    tangle = tmp_path / "tangle.yaml"
    tangle.write_text(_tangle(), encoding="utf-8")
    shutil.copy(SAMPLES / "whys-checkout.yaml", tmp_path)
    out = tmp_path / "out"
    started = time.monotonic()
    code = main(["render", str(tangle), str(tmp_path / "whys-checkout.yaml"), "-o", str(out),
                 "--limit", "layout_seconds=1", "--no-cache", "-j", "1", "-q"])
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 1
    assert elapsed < 10, f"took {elapsed:.1f} s"
    assert (f"{tangle}: error: Graphviz layout took longer than 1 s and was stopped; "
            "simplify the diagram or raise the limit (--limit layout_seconds=SECONDS)") in err
    assert "Traceback" not in err
    assert not (out / "tangle.svg").exists()
    assert (out / "whys-checkout.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no half-written file left
