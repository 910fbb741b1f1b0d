"""The ``exactmin`` command line (README.md, "CLI contract"): one module per paper, shared flags
and exit codes in :mod:`exactmin.cli.common`.

Exit codes of ``certify``: 0 certified, 1 refuted, 2 bad input, 3 inconclusive, 4 refused as too
expensive (the estimate and the flag that insists are printed), 5 internal error (the kernel
rejected our own certificate; nothing is written).
``check``: the kernel's 0 verified, 1 rejected, 2 malformed or refused.
``verify-point``: 0 local minimum, 1 not a local minimum, 2 bad input, 3 undecided.
``find-counterexample``: 0 found (files written), 2 bad input, 3 none found.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Sequence

from exactmin.cli import check, choromanska, soudry_carmon
from exactmin.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_KERNEL_REJECTED,
    EXIT_TOO_EXPENSIVE,
    KernelRejected,
    Parser,
    join_negative_values,
)
from exactmin.errors import InternalError, InvalidInput, TooExpensive

__all__ = ["main"]

PAPERS = (soudry_carmon, choromanska, check)  # each adds its commands: one line per paper


def parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[[argparse.Namespace], int]]]:
    from exactmin import __version__

    p = Parser(prog="exactmin", description="Exact, certificate-backed loss-landscape facts.")
    p.add_argument("--version", action="version", version=f"exactmin {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {}
    for module in PAPERS:
        handlers.update(module.add_commands(sub))
    return p, handlers


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    p, handlers = parser()
    args = p.parse_args(join_negative_values(list(sys.argv[1:] if argv is None else argv)))
    try:
        return handlers[args.command](args)
    except InvalidInput as exc:
        print(f"exactmin: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except TooExpensive as exc:
        print(f"exactmin: refused: {exc}", file=sys.stderr)
        return EXIT_TOO_EXPENSIVE
    except KernelRejected as exc:
        print(f"exactmin: internal error: the kernel rejected our certificate: {exc}",
              file=sys.stderr)
        return EXIT_KERNEL_REJECTED
    except InternalError as exc:
        print(f"exactmin: internal error (a bug; please report it): {exc}", file=sys.stderr)
        return EXIT_KERNEL_REJECTED
    except KeyboardInterrupt:
        print("exactmin: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # stdout closed early (e.g. piped into head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
