"""Commands of Milne: convexity (strong convexity of the weight-decayed loss on a piece)."""

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
from exactmin.theorems import milne


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    c = sub.add_parser("convexity", help="is the weight-decayed loss strongly convex on the "
                                         "point's activation piece? (Milne; exact)",
                       epilog="exit codes: 0 strongly convex on the piece (exact LDL^T), 1 not "
                              "(an exact direction of non-positive curvature), 3 no piece (a "
                              "zero pre-activation), 2 bad input")
    c.add_argument("instance", help="instance file (JSON; 'd1' or 'widths'); '-' reads stdin")
    c.add_argument("--point", required=True, help="point file")
    c.add_argument("--lam", required=True, help="weight decay (lam/2) sum ||W_l||^2, a rational")
    c.add_argument("--width", type=float, default=1e-9,
                   help="width bound of the lambda_min enclosure (default 1e-9)")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.add_argument("--out", help="write the verdict's certificate (JSON), re-checked by the kernel")
    c.add_argument("--no-check", action="store_true", help="skip the kernel re-check of --out")
    return {"convexity": cmd_convexity}


def cmd_convexity(args: argparse.Namespace) -> int:
    try:
        inst = DeepInstance.from_dict(read_json(args.instance, "instance"))
    except InvalidInput as exc:
        raise InvalidInput(f"{args.instance}: {exc}") from None
    try:
        point = DeepPoint.from_dict(read_json(args.point, "point"), inst)
    except InvalidInput as exc:
        raise InvalidInput(f"{args.point}: {exc}") from None
    try:
        rep = milne.convexity(inst, point, args.lam, args.width)
    except InvalidInput as exc:
        raise InvalidInput("--" + str(exc) if str(exc).startswith(("lam=", "width=")) else
                           str(exc)) from None
    lines: list[str] = []
    if args.out is not None:
        lines = write_certificate_of(rep, args.out, check=not args.no_check)
    out = rep.to_dict()
    if args.out is not None:
        out["certificate"] = args.out if lines and lines[0].startswith("certificate:") else None
    if args.json:
        print_json(out)
    else:
        print(rep)
        for line in lines:
            print(line)
    if not rep.differentiable:
        return EXIT_UNDECIDED
    return EXIT_OK if rep.positive_definite else EXIT_NO
