"""Commands of Kawaguchi-Kaelbling: eliminate (the exponential neuron at a point)."""

from __future__ import annotations

import argparse
from typing import Any, Callable

from exactmin.cli.common import (
    EXIT_NO,
    EXIT_OK,
    EXIT_UNDECIDED,
    print_json,
    read_json,
    write_certificate_of,
)
from exactmin.errors import InvalidInput
from exactmin.models.deep import DeepInstance, DeepPoint
from exactmin.theorems import kawaguchi_kaelbling


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    e = sub.add_parser("eliminate", help="the exponential neuron of Kawaguchi-Kaelbling at a "
                                         "point: certified escape, or the augmented point's "
                                         "criticality",
                       epilog="exit codes with --point: 1 escape certified (not a local minimum "
                              "of the augmented loss), 0 nothing escapes (global minimum or "
                              "per-input optimum), 3 undecided; with --augmented: 0 critical, 1 "
                              "not critical, 3 undecided; 2 bad input")
    e.add_argument("instance", help="instance file (JSON; 'd1' or 'widths'); '-' reads stdin")
    e.add_argument("--point", help='point file ({"W", "z"} or {"weights": [...]})')
    e.add_argument("--augmented", metavar="FILE",
                   help='an augmented point: the point file\'s keys plus "a", "w", "b"')
    e.add_argument("--lam", default="1/10", help="penalty (lam/2) a^2, a positive rational "
                                                 "(default 1/10)")
    e.add_argument("--w", help="the neuron's w as comma-separated rationals (default 0)")
    e.add_argument("--b", default="0", help="the neuron's b, a rational (default 0)")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.add_argument("--out", help="write the escape certificate (JSON), re-checked by the kernel")
    e.add_argument("--no-check", action="store_true", help="skip the kernel re-check of --out")
    return {"eliminate": cmd_eliminate}


def _instance(path: str) -> DeepInstance:
    try:
        return DeepInstance.from_dict(read_json(path, "instance"))
    except InvalidInput as exc:
        raise InvalidInput(f"{'stdin' if path == '-' else path}: {exc}") from None


def _flag(message: str) -> str:
    for name in ("lam", "w", "b", "a"):
        if message.startswith(f"{name}=") or message.startswith(f"{name}["):
            return "--" + message
    return message


def cmd_eliminate(args: argparse.Namespace) -> int:
    if (args.point is None) == (args.augmented is None):
        raise InvalidInput("give exactly one of --point POINT.json (escape from (theta, a = 0)) "
                           "and --augmented FILE (is (theta, a, w, b) critical?)")
    inst = _instance(args.instance)
    w = None if args.w is None else [v.strip() for v in args.w.split(",")]
    if args.augmented is not None:
        if args.out is not None:
            raise InvalidInput("--out writes an escape certificate: it applies with --point")
        if args.w is not None or args.b != "0":
            raise InvalidInput("--w/--b apply with --point; an augmented file holds its own "
                               "a, w, b")
        return _augmented(args, inst)
    try:
        point = DeepPoint.from_dict(read_json(args.point, "point"), inst)
    except InvalidInput as exc:
        raise InvalidInput(f"{args.point}: {exc}") from None
    try:
        esc = kawaguchi_kaelbling.eliminate(inst, point, args.lam, w, args.b)
    except InvalidInput as exc:
        raise InvalidInput(_flag(str(exc))) from None
    lines = []
    if args.out is not None:
        lines = write_certificate_of(esc, args.out, check=not args.no_check)
    out = esc.to_dict()
    if out["escape"] is not None:  # the escape point: the network's weights and the neuron
        out["escape"] = {**point.to_dict(), **out["escape"]}
    if args.out is not None:
        out["certificate"] = args.out if lines and lines[0].startswith("certificate:") else None
    if args.json:
        print_json(out)
    else:
        print(esc)
        for line in lines:
            print(line)
    return {"escape": EXIT_NO, "undecided": EXIT_UNDECIDED}.get(esc.verdict, EXIT_OK)


def _augmented(args: argparse.Namespace, inst: DeepInstance) -> int:
    raw = read_json(args.augmented, "augmented point")
    if not isinstance(raw, dict) or not {"a", "w", "b"} <= set(raw):
        raise InvalidInput(f'{args.augmented}: an augmented point has the point keys plus "a", '
                           '"w" (d0 rationals) and "b"')
    rest = {k: v for k, v in raw.items() if k not in ("a", "w", "b")}
    try:
        point = DeepPoint.from_dict(rest, inst)
        rep = kawaguchi_kaelbling.augmented_point(inst, point, args.lam, raw["a"], raw["w"],
                                                  raw["b"])
    except InvalidInput as exc:
        raise InvalidInput(f"{args.augmented}: {exc}") from None
    out = {"critical": rep.critical, "reason": rep.reason,
           "augmented_loss": rep.augmented_loss.to_strings(),
           "gradient": {k: [v.to_strings() for v in vs] for k, vs in rep.gradient.items()},
           "a_times_S": rep.a_times_S.to_strings(), "S_plus_lam_a": rep.S_plus_lam_a.to_strings(),
           "bits": rep.bits}
    if args.json:
        print_json(out)
    else:
        verdict = {True: "critical", False: "not critical", None: "undecided"}[rep.critical]
        print(f"augmented point: {verdict}: {rep.reason}")
        print(f"L~ in {rep.augmented_loss.to_strings(10)}")
        print(f"identities at a critical point: a * S in {rep.a_times_S.to_strings(10)}, "
              f"S + lam * a in {rep.S_plus_lam_a.to_strings(10)} (both 0 force a = 0)")
    return {True: EXIT_OK, False: EXIT_NO, None: EXIT_UNDECIDED}[rep.critical]
