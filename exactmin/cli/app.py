"""The ``exactmin`` command line (README.md, "CLI contract"), loaded by :func:`exactmin.cli.main`:
one module per paper, shared flags and exit codes in :mod:`exactmin.cli.common`.

Exit codes of ``certify``: 0 certified, 1 refuted, 2 bad input, 3 inconclusive, 4 refused as too
expensive (the estimate and the flag that insists are printed), 5 internal error (the kernel
rejected our own certificate; nothing is written).
``check``: the kernel's 0 verified, 1 rejected, 2 malformed or refused.
``verify-point``: 0 local minimum, 1 not a local minimum, 2 bad input, 3 undecided.
``find-counterexample``: 0 found (files written), 2 bad input, 3 none found.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from typing import Callable, Sequence

from exactmin.cli import check, experiments, papers, training
from exactmin.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_KERNEL_REJECTED,
    EXIT_TOO_EXPENSIVE,
    KernelRejected,
    Parser,
    Pretty,
    cli_words,
    join_negative_values,
    print_json_error,
)
from exactmin.errors import InternalError, InvalidInput, TooExpensive
from exactmin.search.progress import Progress
from exactmin.theorems import PAPERS as _PAPERS

__all__ = ["main"]

# each paper's module exactmin.cli.<paper id> adds its commands (the papers from the one
# registry, exactmin.theorems.PAPERS), then the commands every paper shares
PAPERS = (*(importlib.import_module(f"exactmin.cli.{paper.id}") for paper in _PAPERS), training,
          experiments, check, papers)


def parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[[argparse.Namespace], int]]]:
    from exactmin import __version__

    p = Parser(prog="exactmin", description="Exact, certificate-backed loss-landscape facts.",
               allow_abbrev=False)  # a subcommand's --p is not --pretty or --progress-json
    p.add_argument("--version", action="version", version=f"exactmin {__version__}")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar; print only the verdict line (JSON output unchanged)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="notes on stderr: each run's own time estimate and what it runs")
    p.add_argument("--pretty", action="store_true",
                   help="indent JSON output (default: one compact line per object)")
    p.add_argument("--progress-json", action="store_true",
                   help="progress as one JSON line per update on stderr ({done, total, rate, "
                        "eta}), for tools that drive exactmin; default: a bar on a terminal")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {}
    for module in PAPERS:
        handlers.update(module.add_commands(sub))
    return p, handlers


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code. With ``--json``, errors are JSON on stdout too:
    ``{"error": message, "field": argument or null, "exit_code": code}``."""
    p, handlers = parser()
    words = join_negative_values(list(sys.argv[1:] if argv is None else argv))
    json_mode = "--json" in words
    Parser.json_errors = json_mode
    try:
        args = p.parse_args(words)
    except SystemExit as exc:  # usage errors (exit 2), --help and --version (exit 0)
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    finally:
        Parser.json_errors = False
    if args.quiet and args.verbose:
        return fail_early("-q and -v contradict each other; give one", json_mode)
    Progress.json_lines, Progress.quiet, Progress.verbose = (args.progress_json, args.quiet,
                                                             args.verbose)
    Pretty.on = args.pretty

    def fail(message: str, code: int, prefix: str) -> int:
        message = cli_words(message)
        if json_mode:
            print_json_error(message, code)
        else:
            print(f"exactmin: {prefix}: {message}", file=sys.stderr)
        return code

    try:
        if args.quiet and not json_mode:
            return _quietly(handlers[args.command], args)
        return handlers[args.command](args)
    except InvalidInput as exc:
        return fail(str(exc), EXIT_BAD_INPUT, "error")
    except TooExpensive as exc:
        return fail(str(exc), EXIT_TOO_EXPENSIVE, "refused")
    except KernelRejected as exc:
        return fail(f"the kernel rejected our certificate: {exc}", EXIT_KERNEL_REJECTED,
                    "internal error")
    except InternalError as exc:
        return fail(f"{exc} (a bug; please report it)", EXIT_KERNEL_REJECTED, "internal error")
    except KeyboardInterrupt:
        print("exactmin: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # stdout closed early (e.g. piped into head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        if not _interrupted(exc):
            raise
        # Ctrl-C inside a library's cleanup (numba's first compilation) surfaces as another
        # exception whose context is the KeyboardInterrupt: still an interruption
        print("exactmin: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        Progress.json_lines = Progress.quiet = Progress.verbose = Pretty.on = False


def _interrupted(exc: BaseException | None) -> bool:
    """Whether ``exc`` was raised while a KeyboardInterrupt was being handled."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc, seen = exc.__context__, seen + 1
    return False


VERDICT_PREFIXES = ("verdict:", "local minimum:", "complete:", "VERIFIED", "REJECTED",
                    "MALFORMED", "REFUSED", "found after", "no counterexample")


def _quietly(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a command with its text report reduced to the verdict line (``-q``)."""
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = handler(args)
    lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
    keep = [ln for ln in lines if ln.startswith(VERDICT_PREFIXES)]
    print((keep or lines or [""])[0 if keep else -1])
    return code


def fail_early(message: str, json_mode: bool) -> int:
    if json_mode:
        print_json_error(message, EXIT_BAD_INPUT)
    else:
        print(f"exactmin: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT
