"""``exactmin experiment NAME``: the papers' experiments (tables, figures, results), one module
per paper in :mod:`exactmin.experiments`."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any, Callable

from exactmin.cli.common import Parser


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    x = sub.add_parser("experiment", help="run a paper's experiment (tables, figures)")
    xsub = x.add_subparsers(dest="experiment", required=True, parser_class=Parser)
    xc = xsub.add_parser("choromanska", help="spin-glass energies, descent, network losses")
    xc.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    xc.add_argument("--out", default="choromanska-experiment",
                    help="folder for experiments.md, choromanska_results.json and PNGs "
                         "(default choromanska-experiment)")
    xs = xsub.add_parser("soudry-hoffer-volumes",
                         help="angular volumes of bad vs global regions against the bound")
    xs.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    xs.add_argument("--out", default="soudry-hoffer-experiment",
                    help="folder for soudry_hoffer_volumes.md/.json and the figure "
                         "(default soudry-hoffer-experiment)")
    xk = xsub.add_parser("kawaguchi", help="descent on the augmented loss from certified escapes")
    xk.add_argument("--quick", action="store_true", help="fewer steps and starts (seconds)")
    xk.add_argument("--out", default="kawaguchi-experiment",
                    help="folder for kawaguchi.md/.json and the figure (default "
                         "kawaguchi-experiment)")
    xm = xsub.add_parser("milne", help="exact strong convexity at checkpoints of training "
                                       "paths with weight decay")
    xm.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    xm.add_argument("--out", default="milne-experiment",
                    help="folder for milne.md/.json and the figure (default milne-experiment)")
    for name, what in (("soudry-hoffer-scan", "training scan over N against d0*d1, endpoints "
                                              "classified exactly"),
                       ("soudry-hoffer-differentiable", "distance of training endpoints from "
                                                        "the kinks, classified exactly"),
                       ("soudry-carmon-noise", "training with and without noise next to the "
                                               "exact census"),
                       ("full-rank-fraction", "exact fraction of full-rank regions against a "
                                              "float sampled estimate")):
        xe = xsub.add_parser(name, help=what)
        xe.add_argument("--quick", action="store_true", help="small sizes (seconds)")
        xe.add_argument("--out", default=f"{name}-experiment",
                        help=f"folder for the table, results and figure (default "
                             f"{name}-experiment)")
    return {"experiment": cmd_experiment}


def cmd_experiment(args: argparse.Namespace) -> int:
    from exactmin.experiments import choromanska, kawaguchi, milne, soudry_hoffer

    start = time.perf_counter()
    from exactmin.experiments import endpoints

    if args.experiment in endpoints.EXPERIMENTS:
        results = endpoints.run(args.experiment, args.out, quick=args.quick)
        print((Path(args.out) / f"{results['stem']}.md").read_text())
    elif args.experiment == "milne":
        results = milne.run(args.out, quick=args.quick)
        print((Path(args.out) / f"{milne.STEM}.md").read_text())
    elif args.experiment == "kawaguchi":
        results = kawaguchi.run(args.out, quick=args.quick)
        print((Path(args.out) / f"{kawaguchi.STEM}.md").read_text())
    elif args.experiment == "soudry-hoffer-volumes":
        results = soudry_hoffer.run(args.out, quick=args.quick)
        print((Path(args.out) / f"{soudry_hoffer.STEM}.md").read_text())
    else:
        results = choromanska.run(args.out, quick=args.quick)
        print((Path(args.out) / "experiments.md").read_text())
    written = [f for f in results["files"] if (Path(args.out) / f).exists()]  # never claimed
    print(f"wrote in {args.out}: {', '.join(written)} ({time.perf_counter() - start:.0f} s)")
    return 0
