"""``exactmin check``: the trusted kernel, run in a fresh isolated interpreter."""

from __future__ import annotations

import argparse
import signal
import subprocess
import time
from typing import Any, Callable

from exactmin.cli.common import EXIT_INTERRUPTED, kernel_command, print_json
from exactmin.errors import InvalidInput


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    k = sub.add_parser("check", help="re-check a certificate with the trusted kernel",
                       epilog="exit codes: 0 verified, 1 rejected, 2 malformed, unsupported or "
                              "refused (over the work limit)")
    k.add_argument("certificate", nargs="?")
    k.add_argument("--plain", action="store_true",
                   help="the kernel without its optional speed code (slower, same verdicts)")
    k.add_argument("--audit", action="store_true",
                   help="print each theorem's kernel modules and lines (docs/trust-model.md)")
    k.add_argument("--workers", type=int, default=None,
                   help="processes (default: all cores for certificates of >= 1e5 regions)")
    k.add_argument("--json", action="store_true",
                   help='one JSON object: {"outcome", "exit_code", "line", "statement", '
                        '"seconds"}')
    k.add_argument("--max-work", default=None,
                   help="refuse certificates above this many work units (default 1e9, about "
                        "15 min on one core; see docs/trust-model.md)")
    return {"check": cmd_check}


def cmd_check(args: argparse.Namespace) -> int:
    """The kernel in a fresh isolated interpreter that loads nothing of exactmin outside
    ``check/`` (docs/trust-model.md); its output and exit code are passed through."""
    if args.audit:
        return subprocess.run(kernel_command("--audit")).returncode
    if args.certificate is None:
        raise InvalidInput("exactmin check needs a certificate file (or --audit)")
    extra = [] if args.workers is None else ["--workers", str(args.workers)]
    if args.plain:
        extra.append("--plain")
    if args.max_work is not None:
        extra += ["--max-work", args.max_work]

    # stdout is streamed line by line (the statement line appears as soon as it is read);
    # stderr (the progress line, argument errors) goes straight through
    start = time.perf_counter()
    lines: list[str] = []
    with subprocess.Popen(kernel_command(args.certificate, *extra), stdout=subprocess.PIPE,
                          text=True) as proc:
        assert proc.stdout is not None
        try:
            for line in proc.stdout:
                lines.append(line)
                if not args.json:
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
            lines += (rest or "INTERRUPTED").splitlines(keepends=True)
            if not args.json:
                print(rest or "INTERRUPTED", end="", flush=True)
            proc.returncode = EXIT_INTERRUPTED
    if args.json:  # built from the kernel's own lines: the kernel stays small
        text = [line.rstrip("\n") for line in lines if line.strip()]
        statement = next((t for t in text if t.startswith("statement: ")), None)
        verdict = text[-1] if text else ""
        print_json({"outcome": verdict.split()[0] if verdict else None,
                    "exit_code": proc.returncode, "line": verdict, "statement": statement,
                    "seconds": round(time.perf_counter() - start, 3)})
    return proc.returncode
