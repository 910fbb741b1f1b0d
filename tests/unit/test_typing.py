"""Tooling (docs/architecture.md): mypy --strict passes on the trusted kernel and on every layer
its certificates come from (arith, linalg, geometry, models, decide, certificates)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_mypy_strict_on_the_kernel_and_what_its_certificates_come_from() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--no-incremental", "exactmin/check", "exactmin/arith", "exactmin/linalg",
         "exactmin/geometry", "exactmin/models", "exactmin/decide", "exactmin/certificates"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
