"""The ``exactmin`` command line: :func:`main` (the parser and commands are in
:mod:`exactmin.cli.app`, one module per paper).

The commands are imported inside :func:`main`, so that a Python without exactmin's
dependencies gets one clear line and exit code 2 instead of an import traceback.
"""

from __future__ import annotations

import sys
from typing import Sequence

__all__ = ["main"]

DEPENDENCIES = ("flint", "ppl", "numpy", "scipy", "numba", "tqdm", "matplotlib", "hypothesis")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    try:
        from exactmin.cli.app import main as run

        return run(argv)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in DEPENDENCIES:
            raise
        print(f"exactmin: error: the dependency {exc.name!r} is not installed in this Python "
              f"({sys.executable}); install exactmin with its dependencies: pip install -e . "
              "(README, 'Set up')", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C while the commands are still being imported
        print("exactmin: interrupted", file=sys.stderr)
        return 130
