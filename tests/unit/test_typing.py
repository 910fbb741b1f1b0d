"""Tooling (docs/architecture.md): mypy --strict passes on the trusted kernel and on every layer
its certificates come from (arith, linalg, geometry, models, decide, certificates)."""

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.infrastructure  # the second CI stage (pyproject.toml, markers)

ROOT = Path(__file__).parents[2]


@pytest.mark.tooling  # CI runs the same command as its named mypy step
def test_mypy_strict_on_the_kernel_and_what_its_certificates_come_from() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--no-incremental", "exactmin/check", "exactmin/arith", "exactmin/linalg",
         "exactmin/geometry", "exactmin/models", "exactmin/decide", "exactmin/certificates"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_user_script_type_checks_against_the_installed_package(tmp_path: Path) -> None:
    """mypy --strict on a user's script, outside the repository, sees exactmin's annotations
    (py.typed) through the README's editable install (editable_mode=strict)."""
    script = tmp_path / "user.py"
    script.write_text('from exactmin import Instance, certify\n'
                      'res = certify(Instance.from_lists([[0, 1], [1, 1]], [0, 1], 1, "1/2"))\n'
                      'regions: int = res.census.regions\n'
                      'wrong: str = res.census.regions\n')
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                           str(script)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300)
    assert "Cannot find implementation or library stub" not in proc.stdout, proc.stdout
    assert proc.returncode == 1 and "user.py:4: error: Incompatible types" in proc.stdout, \
        proc.stdout
