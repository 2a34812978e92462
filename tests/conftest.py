"""Shared fixtures: rendering helpers, golden files and the sample list."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
import yaml

import cxviz
from cxviz.api import build_graph
from cxviz.rendering.graphviz import layout_one

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    """Each test renders into a cache of its own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/golden/* from the current output instead of comparing",
    )


def sample_files() -> list[Path]:
    """Every spec in samples/, in a stable order."""
    return sorted(SAMPLES.glob("*.yaml"))


@pytest.fixture
def load_text(tmp_path):
    """Validate spec text written to a file in a temporary folder (so references resolve)."""

    def load(text: str, name: str = "spec.yaml", files: dict[str, bytes | str] | None = None) -> cxviz.Spec:
        for file_name, content in (files or {}).items():
            target = tmp_path / file_name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(textwrap.dedent(content), encoding="utf-8")
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return cxviz.load(path)

    return load


@pytest.fixture
def layout_warnings():
    """Graphviz's warnings for one spec, laid out alone (overflowing text shows up here)."""

    def warnings(spec: cxviz.Spec) -> tuple[str, ...]:
        result = layout_one(build_graph(spec))
        assert result.error is None, result.error
        return result.warnings

    return warnings


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/NAME, or rewrite it with --update-goldens."""
    update = request.config.getoption("--update-goldens") or os.environ.get("CXVIZ_UPDATE_GOLDENS") == "1"

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update or not path.exists():
            if not update:
                pytest.fail(f"no golden file {path.name}; run pytest --update-goldens to create it")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from its golden file; if the change is intended, run pytest --update-goldens"

    return check


#: A shape's group in a finished SVG: its id and its role (the ``cxviz-`` class after node/edge).
SHAPE = re.compile(r'<g id="([^"]+)" class="(?:node|edge) cxviz-([\w-]+)"')


def shape_roles(svg: str) -> dict[str, str]:
    """Each shape's id and its role."""
    return dict(SHAPE.findall(svg))


def svg_of(data: dict) -> str:
    """The SVG (without the font) of a spec given as data, its files found among the samples."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return cxviz.render_svg(cxviz.loads(text, base_dir=SAMPLES), embed_font=False)


def types_within(tp) -> list:
    """A field's type and every type nested in it (``tuple[Step, ...]`` gives the tuple and Step)."""
    import typing

    found = [tp]
    for arg in typing.get_args(tp):
        found += types_within(arg)
    return found


def is_record(tp) -> bool:
    return isinstance(tp, type) and hasattr(tp, "__cxviz_record__")


def every_record_field():
    """(declaring record's name, field, type) of every field a spec of any kind can hold, each record once.

    The declaring record is the one whose own annotations hold the field:
    ``Document`` for the header every spec has.
    """
    from cxviz.registry import all_kinds
    from cxviz.schema import record_fields

    stack, done = [kind.model for kind in all_kinds()], set()
    while stack:
        cls = stack.pop()
        if cls in done:
            continue
        done.add(cls)
        for field, tp, _spec in record_fields(cls):
            stack += [t for t in types_within(tp) if is_record(t)]
            owner = next((base.__name__ for base in cls.__mro__
                          if is_record(base) and field.name in getattr(base, "__annotations__", {})), cls.__name__)
            yield owner, field, tp
