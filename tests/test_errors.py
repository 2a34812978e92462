"""Broken specs give exact, located messages, exit code 1 and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxviz.cli import main

ERRORS = Path(__file__).resolve().parent / "errors"
CASES = sorted(ERRORS.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_broken_spec_gives_its_exact_message(case, capsys, monkeypatch, request):
    monkeypatch.chdir(ERRORS.parent.parent)
    code = main(["validate", str(case.relative_to(ERRORS.parent.parent))])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    expected = case.with_suffix(".txt")
    if request.config.getoption("--update-goldens") or not expected.exists():
        expected.write_text(err, encoding="utf-8")
    assert err == expected.read_text(encoding="utf-8")


def test_the_corpus_is_not_empty():
    assert len(CASES) >= 6
