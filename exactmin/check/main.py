"""Command line of the kernel: read a certificate file, check it, print one verdict line."""

import argparse
import json
import sys
import time
from typing import Any

from .kernel import Malformed, Rejected, check_certificate


def check_file(path: str, workers: int | None = None) -> dict[str, Any]:
    """Read and check the certificate at ``path``; returns the kernel's info dict."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise Malformed("", f"cannot read {path!r}: {exc.strerror}") from None
    try:
        cert = json.loads(text, parse_float=_no_float, parse_constant=_no_float)
    except json.JSONDecodeError as exc:
        raise Malformed("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise Malformed("", "JSON nested too deeply") from None
    return check_certificate(cert, workers)


def _no_float(token: str) -> Any:
    raise Malformed("", f"JSON number {token} is not an integer; write rationals as 'p/q' strings")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exactmin check", description="exactmin certificate kernel")
    parser.add_argument("certificate")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes (default: all cores for large certificates)")
    args = parser.parse_args(argv)
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    start = time.perf_counter()
    try:
        info = check_file(args.certificate, args.workers)
    except Malformed as exc:
        print(f"MALFORMED {args.certificate}: {exc}")
        return 2
    except Rejected as exc:
        print(f"REJECTED {args.certificate}: {exc}")
        return 1
    except Exception as exc:  # a structure the readers did not foresee: never accepted
        print(f"MALFORMED {args.certificate}: unexpected structure ({type(exc).__name__}: {exc})")
        return 2
    elapsed = time.perf_counter() - start
    if info["theorem"] == "choromanska/critical_points":
        print(f"statement: {info['theorem']}, p = {info['p']}, Lambda = {info['Lambda']}, "
              f"X sha256 {info['digest']}")
        done = ("complete: no other solutions (Bezout argument)" if info["complete"]
                else "completeness not claimed")
        print(f"VERIFIED enumerated: {info['solutions']} solutions of the Lagrange system, each "
              f"the unique zero in its ball, pairwise distinct, {info['real']} real with energy "
              f"and index; {done} ({elapsed:.3g} s)")
        return 0
    extra = f", {info['unit_regions']} regions per unit" if "unit_regions" in info else ""
    print(f"statement: {info['theorem']}, (d0, d1, N) = ({info['d0']}, {info['d1']}, {info['N']}), "
          f"X/y/rho/noise sha256 {info['digest']}{extra}")
    claim = ("every differentiable local minimum has zero loss" if info["verdict"] == "certified"
             else "a differentiable local minimum with nonzero loss exists")
    rate = ""
    if "unit_regions" in info:
        regions = info["unit_regions"] ** info["d1"]
        rate = f", {regions} regions, {regions / max(elapsed, 1e-9):.3g} regions/s"
    print(f"VERIFIED {info['verdict']}: {claim} ({elapsed:.3g} s{rate})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
