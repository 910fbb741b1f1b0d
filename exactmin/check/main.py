"""Command line of the kernel: read a certificate file, check it, print one verdict line."""

import argparse
import signal
import sys
import time
from typing import Any

from . import CHECKERS, DEFAULT_MAX_WORK, check_file
from .reader import Malformed, Refused, Rejected, show


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
    """The verdict line for an accepted certificate: each checker writes its own."""
    line: str = CHECKERS[info["theorem"]].verdict_line(info, elapsed)
    return line


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
    parser.add_argument("--plain", action="store_true",
                        help="skip the optional speed code (check/speed.py): slower, same verdicts")
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
        info = check_file(args.certificate, args.workers, args.max_work, _announce, bar,
                          args.plain)
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
