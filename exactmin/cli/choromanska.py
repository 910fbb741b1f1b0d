"""Commands of Choromanska et al. (spherical spin glass): spinglass constants and enumerate
(the experiment is in :mod:`exactmin.cli.experiments`)."""

from __future__ import annotations

import argparse
import time
from typing import Any, Callable

from exactmin.cli.common import EXIT_OK, EXIT_UNDECIDED, Parser, print_json, write_certificate_of
from exactmin.errors import InvalidInput
from exactmin.report import format_constants, format_enumeration
from exactmin.theorems import choromanska


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    s = sub.add_parser("spinglass", help="spherical p-spin glass (Choromanska et al.)")
    ssub = s.add_subparsers(dest="spinglass_command", required=True, parser_class=Parser)
    sc = ssub.add_parser("constants", help="E_inf and E_0..E_k as rigorous intervals",
                         epilog="exit codes: 0, 2 bad input")
    sc.add_argument("--p", type=int, default=3, help="interaction order p >= 3 (default 3)")
    sc.add_argument("--k-max", type=int, default=5, help="largest index k (default 5)")
    sc.add_argument("--digits", type=int, default=30, help="decimal places (default 30)")
    sc.add_argument("--json", action="store_true", help="print one JSON object")
    se = ssub.add_parser("enumerate", help="all critical points of H on the sphere, certified",
                         epilog="exit codes: 0 complete, 3 not proved complete (or the budget "
                                "ran out), 2 bad input, 4 refused as too expensive, 5 our "
                                "certificate rejected by the kernel")
    se.add_argument("--tensor", help="tensor file {p, Lambda, X} (JSON)")
    se.add_argument("--p", type=int, default=3, help="order of a seeded tensor (default 3)")
    se.add_argument("--Lambda", type=int, default=4, help="dimension of a seeded tensor (default 4)")
    se.add_argument("--seed", type=int, default=0,
                    help="seed of the tensor and of the homotopy (default 0)")
    se.add_argument("--save", help="write the (seeded) tensor to this file")
    se.add_argument("--out", help="write a certificate (JSON) re-checked by the kernel")
    se.add_argument("--no-check", action="store_true", help="skip the kernel re-check of --out")
    se.add_argument("--force", action="store_true",
                    help="run even if measured (on its first seconds) above 10 minutes")
    se.add_argument("--budget", type=float,
                    help="seconds; stop with exit 3 and no solutions listed if the homotopy runs "
                         "past it")
    se.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    se.add_argument("--json", action="store_true", help="print one JSON object")

    return {"spinglass": cmd_spinglass}


def cmd_spinglass(args: argparse.Namespace) -> int:
    if args.spinglass_command == "constants":
        out = choromanska.constants(args.p, args.k_max, args.digits)
        if args.json:
            print_json(out)
            return 0
        print(format_constants(out, args.p))
        return 0
    if args.spinglass_command == "enumerate":
        return cmd_spinglass_enumerate(args)
    raise AssertionError(args.spinglass_command)  # pragma: no cover - argparse restricts it


def cmd_spinglass_enumerate(args: argparse.Namespace) -> int:
    from exactmin.spinglass import SpinTensor, random_tensor

    if args.tensor is not None:
        T = SpinTensor.from_json(args.tensor)
    else:
        T = random_tensor(args.p, args.Lambda, seed=args.seed)
    if args.save:
        T.save(args.save)
    if args.budget is not None and not args.budget > 0:
        raise InvalidInput(f"--budget={args.budget} must be a positive number of seconds")
    start = time.perf_counter()
    result = choromanska.enumerate_critical_points(
        T, seed=args.seed, budget=args.budget, force=args.force, progress=not args.no_progress)
    elapsed = time.perf_counter() - start
    lines = []
    if args.out:
        lines = write_certificate_of(result, args.out, check=not args.no_check)
    if args.json:
        out = result.to_dict()
        out["seconds"] = round(elapsed, 3)
        print_json(out)
    else:
        source = f"file {args.tensor}" if args.tensor else f"seeded, seed {args.seed}"
        print(format_enumeration(result, source))
        print(f"time: {elapsed:.2f} s")
        for line in lines:
            print(line)
    return EXIT_OK if result.complete else EXIT_UNDECIDED
