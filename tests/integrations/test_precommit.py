"""The pre-commit hook: its definition, and its command on the files it would be given."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from ..conftest import ROOT, SAMPLES


def hook(name: str = "cxviz-validate") -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["cxviz-validate", "cxviz-fmt"]
    return next(h for h in hooks if h["id"] == name)


def test_the_hook_is_defined_with_what_pre_commit_needs():
    definition = hook()
    assert {"id", "name", "entry", "language"} <= definition.keys()
    assert definition["entry"] == "cxviz validate"
    assert definition["language"] == "python"
    files = re.compile(definition["files"])
    for path in ("docs/diagrams/journey.yaml", "diagrams/persona.yml", "cx/flow.yaml"):
        assert files.search(path), path
    for path in (".pre-commit-config.yaml", ".github/workflows/ci.yml", "mkdocs.yml", "docs/diagrams/logo.svg"):
        assert not files.search(path), path


def test_the_hook_command_passes_good_specs_and_fails_a_broken_one(tmp_path):
    program = Path(sys.executable).parent / "cxviz"
    command = shlex.split(hook()["entry"])
    command[0] = str(program) if program.exists() else shutil.which(command[0])
    good = [str(SAMPLES / "whys-checkout.yaml"), str(SAMPLES / "userflow-checkout.yaml")]
    assert subprocess.run([*command, *good], capture_output=True, text=True).returncode == 0
    broken = tmp_path / "diagrams" / "broken.yaml"
    broken.parent.mkdir()
    broken.write_text("kind: whys\ntitle: x\nproblem: y\nwhys:\n  - becuase: z\n", encoding="utf-8")
    result = subprocess.run([*command, *good, str(broken)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "broken.yaml:5:5: error: whys[0].becuase: unknown field 'becuase'" in result.stderr
