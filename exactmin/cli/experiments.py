"""``exactmin experiment NAME``: the papers' experiments (tables, figures, results), from the one
table :data:`exactmin.experiments.EXPERIMENTS` (each paper's ``Paper.experiments`` names its
own)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, Callable

from exactmin.cli.common import Parser
from exactmin.experiments import EXPERIMENTS


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    x = sub.add_parser("experiment", help="run a paper's experiment (tables, figures)")
    xsub = x.add_subparsers(dest="experiment", required=True, parser_class=Parser)
    for e in EXPERIMENTS.values():
        xe = xsub.add_parser(e.name, help=e.help, epilog="exit codes: 0, 2 bad input")
        xe.add_argument("--quick", action="store_true", help=e.quick)
        xe.add_argument("--out", default=f"{e.name}-experiment",
                        help=f"folder for the tables, results and figures (default "
                             f"{e.name}-experiment)")
    return {"experiment": cmd_experiment}


def cmd_experiment(args: argparse.Namespace) -> int:
    e = EXPERIMENTS[args.experiment]
    start = time.perf_counter()
    results = e.run(args.out, args.quick)
    print((Path(args.out) / e.markdown.format(stem=results.get("stem", ""))).read_text())
    written = [f for f in results["files"] if (Path(args.out) / f).exists()]  # never claimed
    print(f"wrote in {args.out}: {', '.join(written)} ({time.perf_counter() - start:.0f} s)")
    return 0
