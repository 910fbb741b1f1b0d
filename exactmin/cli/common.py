"""What every command shares: the argument parser class, exit codes, input files, flags, and
writing a certificate only after the kernel has accepted it in a fresh process."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from exactmin.certificates import write_certificate
from exactmin.errors import InternalError, InvalidInput
from exactmin.models import Instance

# Exit codes, one table for every command (README.md, "CLI contract").
EXIT_OK, EXIT_NO, EXIT_BAD_INPUT, EXIT_UNDECIDED, EXIT_KERNEL_REJECTED = 0, 1, 2, 3, 5
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141
EXIT = {"certified": EXIT_OK, "refuted": EXIT_NO, "inconclusive": EXIT_UNDECIDED}


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a usage hint, never a traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"exactmin: error: {message}\n")


class KernelRejected(InternalError):
    """Our own certificate failed the kernel: a bug, reported with exit code 5."""


def random_args(p: argparse.ArgumentParser) -> None:
    """The flags of a seeded random one-hidden-layer instance."""
    p.add_argument("--d0", type=int, default=2, help="input dimension (default 2)")
    p.add_argument("--d1", type=int, default=2, help="hidden units (default 2)")
    p.add_argument("--N", type=int, default=3, help="data points (default 3)")
    p.add_argument("--rho", default="1/2", help="slope on u < 0 as 'p/q'; 0 is ReLU (default 1/2)")
    p.add_argument("--noise", action="store_true", help="random positive noise realization")
    p.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    p.add_argument("--max-int", type=int, default=3,
                   help="entries in [-max_int, max_int] (default 3)")


def read_json(path: str, what: str) -> Any:
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise InvalidInput(f"cannot read {what} file {path!r}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{what} file {path!r} is not valid JSON: {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}"
        ) from None


def load_instance(path: str) -> Instance:
    try:
        return Instance.from_dict(read_json(path, "instance"))
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}") from None


def kernel_command(path: Path | str, *extra: str) -> list[str]:
    """Run the kernel folder on its own (isolated interpreter, ``check`` as a top-level package),
    so the re-check loads none of exactmin's untrusted code (docs/trust-model.md)."""
    parent = str(Path(__file__).resolve().parents[1])  # the folder holding check/
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from check.main import main; "
        "sys.exit(main(sys.argv[2:]))"
    )
    return [sys.executable, "-I", "-c", code, parent, str(path), *extra]


def write_checked(cert: dict[str, Any], path: str, check: bool = True) -> list[str]:
    """Write ``cert`` to ``path``; unless ``check`` is False, only after the kernel, run in a
    fresh process on a temporary copy, accepts it. Returns lines to print."""
    final = Path(path)
    if not check:
        write_certificate(final, cert)
        return [f"certificate: {final} (not re-checked: --no-check)"]
    tmp = final.with_name(final.name + ".unchecked")
    write_certificate(tmp, cert)
    start = time.perf_counter()
    proc = subprocess.run(kernel_command(tmp), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise KernelRejected(proc.stdout.strip() or proc.stderr.strip())
    tmp.replace(final)
    verdict = proc.stdout.strip().splitlines()[-1]
    return [f"certificate: {final}", f"kernel (fresh process, {elapsed:.2g} s): {verdict}"]
