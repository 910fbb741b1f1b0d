"""``exactmin check``: the trusted kernel, run in a fresh isolated interpreter."""

from __future__ import annotations

import argparse
import signal
import subprocess
from typing import Any, Callable

from exactmin.cli.common import EXIT_INTERRUPTED, kernel_command


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    k = sub.add_parser("check", help="re-check a certificate with the trusted kernel")
    k.add_argument("certificate")
    k.add_argument("--workers", type=int, default=None,
                   help="processes (default: all cores for certificates of >= 1e5 regions)")
    k.add_argument("--max-work", default=None,
                   help="refuse certificates above this many work units (default 1e9, about "
                        "15 min on one core; see docs/trust-model.md)")
    return {"check": cmd_check}


def cmd_check(args: argparse.Namespace) -> int:
    """The kernel in a fresh isolated interpreter that loads nothing of exactmin outside
    ``check/`` (docs/trust-model.md); its output and exit code are passed through."""
    extra = [] if args.workers is None else ["--workers", str(args.workers)]
    if args.max_work is not None:
        extra += ["--max-work", args.max_work]
    # stdout is streamed line by line (the statement line appears as soon as it is read);
    # stderr (the progress line, argument errors) goes straight through
    with subprocess.Popen(kernel_command(args.certificate, *extra), stdout=subprocess.PIPE,
                          text=True) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                print(line, end="", flush=True)
        except KeyboardInterrupt:  # Ctrl-C reached the kernel too: its one line, its exit code
            try:
                rest, _ = proc.communicate(timeout=1)
            except subprocess.TimeoutExpired:  # only this process was signalled: pass it on
                proc.send_signal(signal.SIGINT)
                try:
                    rest, _ = proc.communicate(timeout=1)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    rest, _ = proc.communicate()
            print(rest or "INTERRUPTED", end="", flush=True)
            return EXIT_INTERRUPTED
    return proc.returncode
