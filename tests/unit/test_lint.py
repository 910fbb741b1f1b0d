"""Tooling (docs/architecture.md): ruff's lint rules (pyproject.toml, [tool.ruff.lint]) hold on
the package, the tests, the benchmarks and the examples."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.infrastructure, pytest.mark.tooling]  # CI: its named ruff step

ROOT = Path(__file__).parents[2]


def test_ruff_lint_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    proc = subprocess.run([ruff, "check", "--output-format", "concise", "exactmin", "tests",
                           "benchmarks", "examples"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
