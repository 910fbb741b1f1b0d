"""Tooling (docs/architecture.md): mypy --strict passes on the trusted kernel and on arith/."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_mypy_strict_on_kernel_and_arith() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--no-incremental", "exactmin/check", "exactmin/arith"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
