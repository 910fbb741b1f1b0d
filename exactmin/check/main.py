"""Command line of the kernel: read a certificate file, check it, print one verdict line."""

import argparse
import signal
import sys
import time
from typing import Any

from . import DEFAULT_MAX_WORK, check_file
from .reader import Malformed, Refused, Rejected, sci, show


def _max_work(text: str) -> int:
    try:
        value = int(float(text)) if "e" in text.lower() else int(text)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"--max-work={text!r} is not a number; "
                                         f"use an integer such as 10**10 written 1e10") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"--max-work={text} must be at least 1")
    return value


def verdict_line(info: dict[str, Any], elapsed: float) -> str:
    """The verdict line for an accepted certificate (the statement line comes first)."""
    if info["theorem"] == "choromanska/critical_points":
        done = ("complete: no other solutions (Bezout argument)" if info["complete"]
                else "completeness not claimed")
        return (f"VERIFIED enumerated: {info['solutions']} solutions of the Lagrange system, "
                f"each the unique zero in its ball, pairwise distinct, {info['real']} real with "
                f"energy and index; {done} ({elapsed:.3g} s, {info['work']:.2g} work units)")
    if info["theorem"] == "milne/convexity":
        why = (f"exact LDL^T, {info['size']} positive pivots (smallest "
               f"{show(info['smallest_pivot'])})" if info["verdict"] == "positive_definite" else
               f"d^T H d = {show(info['curvature'])} <= 0 along the direction")
        return (f"VERIFIED {info['verdict']}: the Hessian of the weight-decayed loss on the "
                f"point's piece is {info['verdict'].replace('_', ' ')}: {why} ({elapsed:.3g} s)")
    if info["theorem"] == "kawaguchi_kaelbling/escape":
        return (f"VERIFIED not_local_minimum: (theta, a = 0, w, b) is not a local minimum of the "
                f"augmented loss: S(w', b) in [{sci(info['S'][0])}, {sci(info['S'][1])}] excludes "
                f"0, and the escape point lowers it by [{sci(-info['decrease'][1])}, "
                f"{sci(-info['decrease'][0])}] ({elapsed:.3g} s)")
    if info["theorem"] == "soudry_carmon/restricted_no_bad_dlm":
        line = verdict_line({**info, "theorem": info["inner"]}, elapsed)
        return line.replace(": ", " (with the lower layers of the statement fixed): ", 1)
    if info["theorem"] == "soudry_carmon/census":
        losses = ", ".join(info["bad_losses"][:8]) + (", ..." if len(info["bad_losses"]) > 8
                                                      else "")
        holds = "holds" if info["bad_dlm_regions"] == 0 else "fails"
        vols = "" if info["volumes"] == "absent" else f"; volumes: {info['volumes']}"
        return (f"VERIFIED census: {info['regions']} regions ({info['unit_regions']} per unit), "
                f"{info['dlm_regions']} hold a DLM, {info['bad_dlm_regions']} with nonzero loss"
                f"{f' ({losses})' if losses else ''}; 'every DLM has zero loss' {holds}{vols} "
                f"({elapsed:.3g} s, {info['work']:.2g} work units)")
    if info["theorem"] == "soudry_carmon/deep_point":
        what = (f"a local minimum with loss {show(info['loss'])} (P e = 0 on a box)"
                if info["verdict"] == "local_minimum" else
                f"not a local minimum: along the direction the loss changes by "
                f"{show(info['coefficient'])} t^{info['order']} + ...")
        return f"VERIFIED {info['verdict']}: the point is {what} ({elapsed:.3g} s)"
    claim = ("every differentiable local minimum has zero loss" if info["verdict"] == "certified"
             else "a differentiable local minimum with nonzero loss exists")
    rate = f", {info['work']:.2g} work units"
    if "unit_regions" in info:
        regions = info["unit_regions"] ** info["d1"]  # at most the work limit
        per_s = f"{regions / max(elapsed, 1e-9):.3g}" if regions.bit_length() < 1000 else "many"
        rate = (f", {info['unit_regions']} regions per unit, {show(regions)} regions, {per_s} "
                f"regions/s" + rate)
    return f"VERIFIED {info['verdict']}: {claim} ({elapsed:.3g} s{rate})"


class _Bar:
    """Obligations checked, rate and ETA on stderr, when stderr is a terminal (stdlib only)."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.start = self.last = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.on or now - self.last < 0.5 or now - self.start < 1.0:
            return
        self.last = now
        rate = done / (now - self.start)
        eta = (total - done) / rate if rate > 0 else 0.0
        sys.stderr.write(f"\r  checked {done}/{total} entries, {rate:.3g}/s, ETA {eta:.0f} s  ")
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()


def _announce(line: str) -> None:
    print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exactmin check", description="exactmin certificate kernel")
    parser.add_argument("certificate", nargs="?")
    parser.add_argument("--audit", action="store_true",
                        help="print each theorem's modules and lines (what to read to trust it)")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes (default: all cores for large certificates)")
    parser.add_argument("--max-work", type=_max_work, default=DEFAULT_MAX_WORK,
                        help=f"refuse certificates whose obligations exceed this many work units "
                             f"(about a microsecond each; default {DEFAULT_MAX_WORK:.0e})")
    args = parser.parse_args(argv)
    if args.audit:
        from .audit import report

        print(report())
        return 0
    if args.certificate is None:
        parser.error("give a certificate file (or --audit)")
    if args.workers is not None and args.workers < 1:
        parser.error(f"--workers must be at least 1, got {args.workers}")
    start = time.perf_counter()
    bar = _Bar()
    try:
        info = check_file(args.certificate, args.workers, args.max_work, _announce, bar)
    except Malformed as exc:
        print(f"MALFORMED {args.certificate}: {exc}")
        return 2
    except Refused as exc:
        print(f"REFUSED {args.certificate}: {exc}")
        return 2
    except Rejected as exc:
        print(f"REJECTED {args.certificate}: {exc}")
        return 1
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C changes nothing now
        print(f"INTERRUPTED {args.certificate}: nothing is claimed either way")
        return 130
    except (RecursionError, MemoryError) as exc:
        print(f"REFUSED {args.certificate}: {type(exc).__name__} (the certificate is too large "
              f"or too deeply nested for this machine)")
        return 2
    except Exception as exc:  # a structure the readers did not foresee: never accepted
        print(f"MALFORMED {args.certificate}: unexpected structure ({type(exc).__name__}: "
              f"{show(str(exc))})")
        return 2
    finally:
        bar.close()
    print(verdict_line(info, time.perf_counter() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
