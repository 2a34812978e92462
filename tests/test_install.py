"""cxviz as a user installs it: an sdist and a wheel, the wheel in a fresh
virtual environment (not editable), used from a folder outside the source tree.

Everything cxviz reads at run time (templates, locales, starters) must come
from the installed package; a file that only exists in the checkout fails here.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_FILES = ("cxviz/printing/templates/filled.html.j2", "cxviz/kinds/journey/blank.html.j2",
                 "cxviz/locales/ar.yaml", "cxviz/kinds/whys/starter.yaml", "cxviz/kinds/journey/locales/ar.yaml",
                 "cxviz/kinds/whys/locales/en.yaml")


def _run(args: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    completed = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                               check=False, timeout=900)
    assert completed.returncode == 0, f"{args} failed:\n{completed.stdout}\n{completed.stderr}"
    return completed


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """An sdist, and a wheel built from that sdist (as `python -m build` does)."""
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("source") / "cxviz"
    # Build from a copy with only what git tracks, so files left in the checkout cannot help.
    tracked = _run(["git", "ls-files", "-z"], ROOT).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    _run([sys.executable, "-m", "build", "--outdir", out, source], source)
    return out


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> dict:
    """The wheel installed into a new virtual environment, and a work folder outside the tree."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", venv], venv.parent)
    wheel = next(dist.glob("cxviz-*.whl"))
    _run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel], venv.parent)
    work = tmp_path_factory.mktemp("work")
    shutil.copytree(ROOT / "samples", work / "samples")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["XDG_CACHE_HOME"] = str(work / "cache")
    return {"venv": venv, "work": work, "env": env}


def test_the_sdist_and_the_wheel_carry_every_runtime_file(dist):
    wheel = zipfile.ZipFile(next(dist.glob("cxviz-*.whl"))).namelist()
    sdist = [name.partition("/")[2] for name in tarfile.open(next(dist.glob("cxviz-*.tar.gz"))).getnames()]
    for name in RUNTIME_FILES:
        assert name in wheel, f"{name} is missing from the wheel"
        assert name in sdist, f"{name} is missing from the sdist"
    assert not any(name.startswith(("tests/", "samples/")) for name in wheel)


def test_the_installed_package_is_the_wheel_not_the_checkout(installed):
    where = _run([installed["venv"] / "bin" / "python", "-c", "import cxviz; print(cxviz.__file__)"],
                 installed["work"], installed["env"]).stdout.strip()
    assert Path(where).is_relative_to(installed["venv"])


def test_a_wheel_install_renders_every_format_from_outside_the_tree(installed):
    cxviz, work, env = installed["venv"] / "bin" / "cxviz", installed["work"], installed["env"]
    samples = work / "samples"
    _run([cxviz, "render", samples / "whys-checkout.yaml", "-o", "out/whys.svg", "--no-cache"], work, env)
    _run([cxviz, "render", samples / "persona-omar.yaml", "--format", "png", "-o", "out/omar.png"], work, env)
    _run([cxviz, "render", samples / "whys-checkout.yaml", "--format", "pdf", "-o", "out/whys.pdf"], work, env)
    _run([cxviz, "render", samples / "journey-bank.yaml", "--format", "pdf", "--tile", "a4", "-o", "out/tiled.pdf"],
         work, env)
    _run([cxviz, "canvas", "empathy", "--lang", "ar", "-o", "out/empathy-blank.pdf"], work, env)
    _run([cxviz, "pack", samples / "persona-dewi.yaml", samples / "empathy-dewi.yaml", "-o", "out/pack.pdf"],
         work, env)
    _run([cxviz, "init", "journey", "--lang", "id", "-o", "out/starter.yaml"], work, env)
    out = work / "out"
    whys = (out / "whys.svg").read_text(encoding="utf-8")
    assert whys.startswith("<?xml")
    assert "5 Whys analysis" in whys  # the kind's own words came with it (a missing word would show as its key)
    assert (out / "omar.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    pages = {name: len(PdfReader(io.BytesIO((out / name).read_bytes())).pages)
             for name in ("whys.pdf", "tiled.pdf", "empathy-blank.pdf", "pack.pdf")}
    assert pages["whys.pdf"] >= 1 and pages["empathy-blank.pdf"] == 1
    assert pages["tiled.pdf"] > 1  # the sheets and their map
    assert pages["pack.pdf"] == 3  # a cover and two canvases
    assert "lang: id" in (out / "starter.yaml").read_text(encoding="utf-8")
