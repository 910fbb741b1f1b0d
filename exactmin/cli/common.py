"""What every command shares: the argument parser class, exit codes, input files, flags, and
writing a certificate only after the kernel has accepted it in a fresh process."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from exactmin.certificates import write_certificate
from exactmin.errors import InternalError, InvalidInput, NoCertificate
from exactmin.models import Instance

# Exit codes, one table for every command (README.md, "CLI contract").
EXIT_OK, EXIT_NO, EXIT_BAD_INPUT, EXIT_UNDECIDED, EXIT_TOO_EXPENSIVE, EXIT_KERNEL_REJECTED = (
    0, 1, 2, 3, 4, 5)
EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 130, 141
EXIT = {"certified": EXIT_OK, "refuted": EXIT_NO, "inconclusive": EXIT_UNDECIDED}


class Parser(argparse.ArgumentParser):
    json_errors = False  # set by main() when --json is on the command line

    def error(self, message: str) -> None:  # exit 2 with a usage hint, never a traceback
        if Parser.json_errors:
            print_json_error(message, EXIT_BAD_INPUT)
            self.exit(EXIT_BAD_INPUT)
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"exactmin: error: {message}\n")


# Library messages name keyword arguments; the command line says its flags instead.
CLI_WORDS = (("force=True", "--force"), ("budget=SECONDS", "--budget SECONDS"),
             ("checkpoint=", "--checkpoint="), ("workers=", "--workers="),
             ("budget=", "--budget="), ("engine=", "--engine="))


def cli_words(message: str) -> str:
    """A library message in the command line's words.

    >>> cli_words("estimated at 2 h; pass force=True to run it anyway, or budget=SECONDS")
    'estimated at 2 h; pass --force to run it anyway, or --budget SECONDS'
    """
    for api, flag in CLI_WORDS:
        message = re.sub(r"(?<![\w-])" + re.escape(api), flag, message)
    return message


def error_field(message: str) -> str | None:
    """The argument an error message names (``--rho``, ``workers``), or None.

    >>> error_field("argument --rho: expected one argument"), error_field("workers=0 must be >= 1")
    ('--rho', 'workers')
    >>> error_field("--checkpoint cannot be combined with --out")
    '--checkpoint'

    """
    m = re.match(r"(?:argument )?(--?[A-Za-z][\w-]*|[A-Za-z_]\w*)(?:=|: )", message)
    if m is None:  # a message opening with a flag, or a flag given a value somewhere in it
        m = re.match(r"(--[A-Za-z][\w-]*)\b", message) or re.search(r"(--[A-Za-z][\w-]*)=",
                                                                   message)
    return m.group(1) if m else None


def print_json_error(message: str, code: int) -> None:
    """The machine-readable form of an error, on stdout (``--json``)."""
    print_json({"error": message, "field": error_field(message), "exit_code": code})


class Pretty:
    on = False  # exactmin --pretty: indented JSON; default: one compact line per object


def print_json(obj: Any) -> None:
    """One JSON object on stdout: compact (one line, for pipelines) unless ``--pretty``."""
    if Pretty.on:
        print(json.dumps(obj, indent=1, sort_keys=True))
    else:
        print(json.dumps(obj, sort_keys=True, separators=(",", ":")))


class KernelRejected(InternalError):
    """Our own certificate failed the kernel: a bug, reported with exit code 5."""


RANDOM_DEFAULTS = {"d0": 2, "d1": 2, "N": 3, "rho": "1/2", "noise": False, "seed": 0}


def random_args(p: argparse.ArgumentParser, max_int: int) -> None:
    """The flags of a seeded random one-hidden-layer instance. Their defaults are filled in by
    :func:`random_values` so that a command can tell which ones were given."""
    p.add_argument("--d0", type=int, help="input dimension (default 2)")
    p.add_argument("--d1", type=int, help="hidden units (default 2)")
    p.add_argument("--N", type=int, help="data points (default 3)")
    p.add_argument("--rho", help="slope on u < 0 as 'p/q'; 0 is ReLU (default 1/2); a negative "
                                 "slope may be written --rho -1/2")
    p.add_argument("--noise", action="store_true", default=None,
                   help="random positive noise realization (default: none)")
    p.add_argument("--seed", type=int, help="seed (default 0)")
    p.add_argument("--max-int", type=int,
                   help=f"data and labels in [-max_int, max_int] (default {max_int})")
    p.set_defaults(max_int_default=max_int)


def given_random_options(args: argparse.Namespace) -> list[str]:
    """The random-instance flags given on the command line."""
    names = [*RANDOM_DEFAULTS, "max_int"]
    return ["--" + n.replace("_", "-") for n in names if getattr(args, n) is not None]


def random_values(args: argparse.Namespace) -> dict[str, object]:
    """The random-instance flags with their defaults filled in."""
    out: dict[str, object] = {n: (getattr(args, n) if getattr(args, n) is not None else v)
                              for n, v in RANDOM_DEFAULTS.items()}
    out["max_int"] = args.max_int if args.max_int is not None else args.max_int_default
    return out


VALUE_OPTIONS_TAKING_NEGATIVES = ("--rho",)


def join_negative_values(argv: list[str]) -> list[str]:
    """``--rho -1/2`` as ``--rho=-1/2`` (argparse reads ``-1/2`` as an option otherwise).

    >>> join_negative_values(["certify", "--rho", "-1/2", "--noise"])
    ['certify', '--rho=-1/2', '--noise']
    """
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in VALUE_OPTIONS_TAKING_NEGATIVES and i + 1 < len(argv) \
                and argv[i + 1].startswith("-") and argv[i + 1][1:2].isdigit():
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def read_json(path: str, what: str) -> Any:
    """A JSON file, or ``-``: JSON on standard input."""
    if path == "-":
        try:
            return json.loads(sys.stdin.read())
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{what} on stdin is not valid JSON: {exc.msg} at line "
                               f"{exc.lineno} column {exc.colno}") from None
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
    """An instance file, or ``-``: the instance JSON on standard input."""
    if path == "-":
        try:
            return instance_from_dict(json.loads(sys.stdin.read()))
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"stdin is not valid JSON: {exc.msg} at line {exc.lineno} "
                               f"column {exc.colno}") from None
    return _load_instance_file(path)


def _load_instance_file(path: str) -> Instance:
    try:
        return instance_from_dict(read_json(path, "instance"))
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}") from None


def instance_from_dict(data: Any) -> Instance:
    """A one-hidden-layer instance, from a ``d1`` file or a depth-1 ``widths`` file (the same
    instance); a deeper network is an error that says what to do with it."""
    if isinstance(data, dict) and "widths" in data:
        from exactmin.models.deep import DeepInstance

        deep = DeepInstance.from_dict(data)
        if deep.L > 1:
            raise InvalidInput(f"widths={list(deep.widths)} has L={deep.L} hidden layers; a census "
                               "is for one hidden layer: fix W_1..W_{L-1} with --fixed-layers "
                               "LOWER.json (certify), or decide one point with verify-point")
        noise = None if deep.noise is None else deep.noise[0]
        return Instance(X=deep.X, y=deep.y, d1=deep.widths[1], rho=deep.rho, noise=noise)
    return Instance.from_dict(data)


def kernel_command(path: Path | str, *extra: str) -> list[str]:
    """Run the kernel folder on its own (isolated interpreter, ``check`` as a top-level package),
    so the re-check loads none of exactmin's untrusted code (docs/trust-model.md)."""
    parent = str(Path(__file__).resolve().parents[1])  # the folder holding check/
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from check.main import main; "
        "sys.exit(main(sys.argv[2:]))"
    )
    return [sys.executable, "-I", "-c", code, parent, str(path), *extra]


class Written(list):  # type: ignore[type-arg]
    """The lines to print about a written certificate, with ``info`` for ``--json``:
    ``{"path", "kernel" (its verdict line, or null with --no-check), "kernel_seconds"}``."""

    info: dict[str, Any] | None


def write_certificate_of(result: Any, path: str, check: bool = True) -> Written:
    """``--out`` for any result: ``result.certificate()`` written by :func:`write_checked`, or
    one line saying why the verdict has none (``info`` is then None)."""
    try:
        cert = result.certificate()
    except NoCertificate as exc:
        out = Written([f"no certificate written: {exc}"])
        out.info = None
        return out
    return write_checked(cert, path, check)


def write_checked(cert: dict[str, Any], path: str, check: bool = True) -> Written:
    """Write ``cert`` to ``path``; unless ``check`` is False, only after the kernel, run in a
    fresh process on a temporary copy, accepts it. Returns lines to print (and their ``info``)."""
    final = Path(path)
    if not check:
        write_certificate(final, cert)
        out = Written([f"certificate: {final} (not re-checked: --no-check)"])
        out.info = {"path": str(final), "kernel": None, "kernel_seconds": None}
        return out
    tmp = final.with_name(final.name + ".unchecked")
    write_certificate(tmp, cert, compress=final.name.endswith(".gz"))
    start = time.perf_counter()
    try:
        proc = subprocess.run(kernel_command(tmp), capture_output=True, text=True)
    except BaseException:  # Ctrl-C: no unchecked file is left behind
        tmp.unlink(missing_ok=True)
        raise
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise KernelRejected(proc.stdout.strip() or proc.stderr.strip())
    tmp.replace(final)
    verdict = proc.stdout.strip().splitlines()[-1]
    out = Written([f"certificate: {final}", f"kernel (fresh process, {elapsed:.2g} s): {verdict}"])
    out.info = {"path": str(final), "kernel": verdict, "kernel_seconds": round(elapsed, 3)}
    return out
