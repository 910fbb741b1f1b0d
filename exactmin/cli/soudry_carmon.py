"""Commands of Soudry-Carmon (one hidden layer): certify, verify-point, find-counterexample,
and the demo."""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from exactmin.arith import fmt, fmt_matrix, fmt_vector
from exactmin.cli.common import (
    EXIT,
    EXIT_INTERRUPTED,
    EXIT_NO,
    EXIT_OK,
    EXIT_UNDECIDED,
    Written,
    given_random_options,
    instance_from_dict,
    load_instance,
    print_json,
    random_args,
    random_values,
    read_json,
    write_certificate_of,
    write_checked,
)
from exactmin.errors import InternalError, InvalidInput, TooExpensive
from exactmin.fileio import atomic_write, read_table
from exactmin.models import Instance, random_instance
from exactmin.models.deep import DeepInstance, DeepPoint, lower_layers
from exactmin.report import (
    MEASURE_ZERO,
    format_bad_regions,
    format_deep_point_report,
    format_instance,
    format_result,
)
from exactmin.results import Certified, Refuted
from exactmin.theorems import soudry_carmon

DEMO_X = [["0", "1", "2"], ["1", "1", "1"]]
DEMO_Y = ["0", "1", "0"]
DEMO_NOISE = [["3/2", "4/5", "6/5"], ["7/10", "1", "13/10"]]


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    d = sub.add_parser("demo", help="certify and refute the embedded default instances",
                       epilog="exit codes: 0, 5 a verdict or certificate differs from the "
                              "expected one (a bug)")
    d.add_argument("--json", action="store_true", help="print one JSON object")
    d.add_argument("--out", help="directory for the demo's certificates (default: a new temp dir)")

    c = sub.add_parser("certify", help="decide whether a DLM with nonzero loss exists",
                       epilog="exit codes: 0 certified, 1 refuted, 2 bad input, 3 inconclusive "
                              "(budget), 4 refused as too expensive (the estimate printed; "
                              "--force insists), 5 the kernel rejected our own certificate (a "
                              "bug; nothing is written), 130 interrupted")
    c.add_argument("instance", nargs="?", help="instance file (JSON); '-' reads it from stdin")
    c.add_argument("--X", dest="X_file", metavar="FILE",
                   help="data as CSV or NPY, one data point per row (N x d0; read exactly: CSV "
                        "cells like 3, -1/2, 0.25); with --y, --d1 and --rho instead of a file")
    c.add_argument("--y", dest="y_file", metavar="FILE", help="labels as CSV or NPY (N values)")
    c.add_argument("--rationalize", choices=("exact", "limit_denominator=1000000"),
                   help="how NPY floats become rationals with --X/--y (default: floats are "
                        "refused)")
    c.add_argument("--census", action="store_true", help="decide every differentiable region")
    c.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    c.add_argument("--budget", type=float, help="seconds; stop with exit 3 and partial counts")
    c.add_argument("--force", action="store_true", help="run even if estimated above 10 minutes")
    c.add_argument("--random", action="store_true", help="use a seeded random instance")
    c.add_argument("--engine", choices=("fast", "naive"), default="fast",
                   help="search engine (naive: the plain reference enumeration; default fast)")
    c.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes for the fast engine (default: all cores)")
    c.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    c.add_argument("--scheduler", help="run on a Dask cluster: a scheduler address "
                                       "(tcp://host:8786) or local[:N] (N worker processes); "
                                       "the fast engine's search (with --out or --checkpoint), "
                                       "or --census (with --checkpoint, --out, --list-bad)")
    c.add_argument("--checkpoint", help="resumable run (--census, or the fast engine's search): "
                                        "progress saved to this file; the same command resumes")
    c.add_argument("--list-bad", action="store_true",
                   help="with --census: list every region holding a bad DLM, its loss and one "
                        "exact DLM (text, or bad_regions in --json)")
    c.add_argument("--csv", help="with --list-bad: also write the list to this CSV file")
    c.add_argument("--all-minima", action="store_true",
                   help="with --census (one hidden layer): also decide every local minimum, "
                        "differentiable or not (every face of each unit's arrangement, every "
                        "sign of z_i); the exit code is this census's (0 every local minimum has "
                        "zero loss, 1 a bad one exists, 3 inconclusive)")
    c.add_argument("--global-min", action="store_true",
                   help="with --census (one hidden layer): also compute the exact global "
                        "minimum L* (exactmin global-min) and report global_minimum and "
                        "spurious_losses, the bad DLM losses above L*")
    random_args(c, max_int=5)  # the library's random_instance default
    c.add_argument("--save", help="write the (random) instance to this file")
    c.add_argument("--fixed-layers", metavar="LOWER.json",
                   help='for a deeper network (widths file): {"weights": [W_1, ..., W_{L-1}]} '
                        "fixed; decides the last hidden layer and the output on the features")
    c.add_argument("--out", help="write a certificate (JSON) re-checked by the kernel; a name "
                                 "ending in .gz writes it gzip-compressed")
    c.add_argument("--no-check", action="store_true", help="skip the kernel re-check of --out")

    v = sub.add_parser("verify-point",
                       help="exactly decide whether a point is a local minimum, kinks included: "
                            "(W, z), or the weights of any depth",
                       epilog="exit codes: 0 local minimum, 1 not a local minimum, 2 bad input, "
                              "3 undecided (with the reason), 5 our certificate rejected")
    v.add_argument("instance", help="instance file (JSON; 'widths' for any depth)")
    v.add_argument("--point", required=True,
                   help='point file {"W": d1 x d0, "z": d1} or {"weights": [W_1, ..., w_out]}')
    v.add_argument("--json", action="store_true", help="print one JSON object")
    v.add_argument("--out", help="write the verdict's certificate (JSON), re-checked by the kernel")
    v.add_argument("--no-check", action="store_true", help="skip the kernel re-check of --out")
    v.add_argument("--global-min", action="store_true",
                   help="one hidden layer: at a local minimum, also say whether it is global "
                        "(the exact global minimum L*, from the census of all local minima)")

    g = sub.add_parser("global-min", help="the exact global minimum L* of a one-hidden-layer "
                                          "instance and a point attaining it",
                       epilog="exit codes: 0 decided, 2 bad input, 3 the budget ran out (the "
                              "best loss found and the lower bound 0 are printed), 4 refused as "
                              "too expensive (the estimate printed; --force insists), 5 the "
                              "kernel rejected our own certificate (a bug; nothing is "
                              "written)")
    g.add_argument("instance", help="instance file (JSON, one hidden layer); '-' reads stdin")
    g.add_argument("--json", action="store_true", help="print one JSON object")
    g.add_argument("--budget", type=float, help="seconds; stop with exit 3 and the bounds so far")
    g.add_argument("--force", action="store_true", help="run even if estimated above 10 minutes")
    g.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    g.add_argument("--out", help="write the soudry_carmon/global_minimum certificate (JSON), "
                                 "re-checked by the kernel")
    g.add_argument("--no-check", action="store_true", help="skip the kernel re-check of --out")
    g.add_argument("--workers", type=int, default=1,
                   help="local processes sharing the pieces (default 1; the answer does not "
                        "depend on it)")
    g.add_argument("--scheduler", help="a Dask scheduler address (tcp://host:8786) or local[:N] "
                                       "(a LocalCluster of N processes) sharing the pieces")

    f = sub.add_parser(
        "find-counterexample", help="search and shrink instances breaking the conclusion",
        epilog="exit codes: 0 found (files written, certificates re-checked by the kernel), 2 "
               "bad input, 3 none found"
    )
    random_args(f, max_int=3)  # find_counterexample's default: small integers shrink well
    f.add_argument("--tries", type=int, default=200, help="random instances to decide (default 200)")
    f.add_argument("--degenerate", action="store_true", help="allow data not in general position")
    f.add_argument("--widths", help="a network of any depth, d0,d1,...,dL,1 (e.g. 2,2,2,1): "
                                    "search bad local minima of it (instead of --d0/--d1)")
    f.add_argument("--spurious", action="store_true",
                   help="search a *spurious* DLM (loss above the exact global minimum L*) on "
                        "instances meeting every hypothesis but over-parameterization (leaky, "
                        "noise, general position; --N defaults to d0*d1 + 1); writes the DLM's "
                        "and L*'s certificates")
    f.add_argument("--family", choices=("any", "linear-fit", "dead-layer", "search"),
                   help="with --widths: which family of deep counterexamples (default any)")
    f.add_argument("--out", help="directory for instance.json and point.json (with --widths also "
                                 "certificate.json, re-checked by the kernel)")
    f.add_argument("--json", action="store_true", help="print one JSON object")
    return {"demo": cmd_demo, "certify": cmd_certify, "verify-point": cmd_verify_point,
            "find-counterexample": cmd_find, "global-min": cmd_global_min}


def _max_work() -> int:
    from exactmin.check import DEFAULT_MAX_WORK

    return DEFAULT_MAX_WORK


def _global_certificate_work(inst: Instance, result: Any) -> float | None:
    """The kernel work of the global minimum's certificate when it is above the default limit
    (the kernel's charge per piece, ``(N + 1) d0 d1 4`` units), else None."""
    if result.verdict != "decided" or not result.value:
        return None
    work = result.outcome.pieces * (inst.N + 1) * inst.d0 * inst.d1 * 4
    return float(work) if work > _max_work() else None


def cmd_global_min(args: argparse.Namespace) -> int:
    if args.budget is not None and not args.budget > 0:
        raise InvalidInput(f"--budget={args.budget} must be a positive number of seconds")
    inst = load_instance(args.instance)
    if args.no_check and args.out is None:
        raise InvalidInput("--no-check applies to --out; add --out CERT.json or drop --no-check")
    if args.workers < 1:
        raise InvalidInput(f"--workers={args.workers} must be >= 1")
    if args.scheduler is not None and args.workers != 1:
        raise InvalidInput("give --workers or --scheduler, not both (a cluster's workers "
                           "share the pieces)")
    result = soudry_carmon.global_minimum(inst, force=args.force, budget=args.budget,
                                          progress=not args.no_progress, workers=args.workers,
                                          scheduler=args.scheduler)
    lines: list[str] = []
    work = _global_certificate_work(inst, result)
    if args.out is not None and work is not None and not args.no_check:
        lines = [f"no certificate written: its {result.outcome.pieces:,} pieces need about "
                 f"{work:.2g} kernel work units, above the kernel's default limit "
                 f"({_max_work():.0e}, docs/trust-model.md); --no-check writes it, and "
                 f"`exactmin check CERT.json --max-work {work * 1.2:.2g}` checks it"]
    elif args.out is not None:
        lines = write_certificate_of(result, args.out, check=not args.no_check)
    if args.json:
        out = result.to_dict()
        if args.out is not None:
            out["certificate"] = getattr(lines, "info", None)
        print_json(out)
    else:
        print("\n".join([str(result), *lines]))
    return EXIT_OK if result.verdict == "decided" else EXIT_UNDECIDED


def cmd_certify(args: argparse.Namespace) -> int:
    sources = [args.random, args.instance is not None, args.X_file is not None]
    if sum(sources) != 1:
        raise InvalidInput("give exactly one of: an instance file (or - for stdin), --random "
                           "(with --d0 --d1 --N ...), or --X FILE --y FILE --d1 D1 --rho RHO")
    if args.rationalize is not None and args.X_file is None:
        raise InvalidInput("--rationalize applies to --X/--y data files only")
    if args.workers < 1:
        raise InvalidInput(f"--workers={args.workers} must be >= 1")
    if args.budget is not None and not args.budget > 0:
        raise InvalidInput(f"--budget={args.budget} must be a positive number of seconds")
    if args.checkpoint is not None and args.out is not None:
        raise InvalidInput("--checkpoint cannot be combined with --out: a certificate needs "
                           "every region's witness from one run")
    if args.list_bad and not args.census:
        raise InvalidInput("--list-bad needs --census: only a census decides every region")
    if args.scheduler is not None and not args.census and args.engine != "fast":
        raise InvalidInput(f"--scheduler={args.scheduler!r} runs --census and the fast engine: "
                           "drop --engine naive, or add --census")
    if args.csv is not None and not args.list_bad:
        raise InvalidInput("--csv writes the --list-bad list; add --list-bad (and --census)")
    if args.list_bad and args.checkpoint is not None:
        raise InvalidInput("--list-bad cannot be combined with --checkpoint (a resumed run "
                           "does not keep the regions listed before)")
    if args.all_minima:
        if not args.census:
            raise InvalidInput("--all-minima needs --census: it decides every face combination")
        for flag, value in (("--scheduler", args.scheduler), ("--checkpoint", args.checkpoint),
                            ("--out", args.out), ("--fixed-layers", args.fixed_layers)):
            if value is not None:
                raise InvalidInput(f"{flag} cannot be combined with --all-minima (the census of "
                                   "all local minima runs on one process and writes no "
                                   "certificate yet; verify-point --out certifies one point)")
    if args.global_min and not args.census:
        raise InvalidInput("--global-min needs --census: it compares every bad DLM loss of the "
                           "census with L* (exactmin global-min computes L* alone)")
    if args.global_min and args.fixed_layers is not None:
        raise InvalidInput("--global-min is for one hidden layer; with --fixed-layers the "
                           "global minimum of the deep network is not computed")
    if args.fixed_layers is not None:
        return _certify_restricted(args)
    if args.random:
        r = random_values(args)
        inst = random_instance(r["d0"], r["d1"], r["N"], r["rho"], noise=r["noise"],
                               seed=r["seed"], max_int=r["max_int"])
    elif args.X_file is not None:
        inst = _instance_from_tables(args)
    else:
        given = given_random_options(args)
        if given:  # never silently ignored: the instance file fixes all of these
            raise InvalidInput(f"{', '.join(given)} only apply with --random; the instance file "
                               f"{args.instance} fixes X, y, d1, rho and noise (edit the file, "
                               f"or drop {', '.join(given)})")
        inst = load_instance(args.instance)
    if args.save:
        inst.save(args.save)
    if args.checkpoint is not None:
        _say_resuming(args.checkpoint, inst)
    start = time.perf_counter()
    try:
        result = soudry_carmon.certify(
            inst, census=args.census, budget=args.budget, force=args.force,
            certificate=args.out is not None, engine=args.engine, workers=args.workers,
            progress=not args.no_progress, checkpoint=args.checkpoint,
            list_bad=args.list_bad, scheduler=args.scheduler,
        )
    except KeyboardInterrupt:  # one line, saying where the progress is
        if args.checkpoint is not None and Path(args.checkpoint).exists():
            print(f"exactmin: interrupted; progress is saved in {args.checkpoint}; resume with "
                  f"the same command: {shlex.join(['exactmin', *sys.argv[1:]])}",
                  file=sys.stderr)
            return EXIT_INTERRUPTED
        raise
    every = None
    if args.all_minima:
        left = None if args.budget is None else max(args.budget - (time.perf_counter() - start),
                                                    0.001)
        every = soudry_carmon.all_minima(inst, force=args.force, budget=left,
                                         progress=not args.no_progress)
    yardstick = _yardstick(inst, result, args, start) if args.global_min else {}
    elapsed = time.perf_counter() - start
    lines = _write_outputs(args, result, result.bad_regions)
    if args.json:
        out = {**result.to_dict(), **yardstick}
        if every is not None:
            out["all_minima"] = every.to_dict()
        if args.out is not None:  # where the certificate is and what the kernel said
            out["certificate"] = getattr(lines, "info", None)
        print_json(out)
    else:
        print(format_result(result))
        if result.bad_regions is not None:
            print(format_bad_regions(result.bad_regions))
        if yardstick:
            print(_yardstick_text(yardstick))
        if every is not None:
            print(every)
        print(f"time: {elapsed:.3g} s")
        for line in lines:
            print(line)
    return EXIT[result.verdict if every is None else every.verdict]


def _yardstick(inst: Instance, result: Any, args: argparse.Namespace,
               start: float) -> dict[str, Any]:
    """``--global-min``: the exact global minimum ``L*`` and the bad DLM losses above it
    (``spurious_losses``; a bad loss equal to ``L*`` is a global minimum). A global minimum
    estimated beyond ten minutes (or the budget) is reported as not computed, with why: the
    census's verdict stands on its own."""
    c = result.census
    if not c.complete:
        return {"global_minimum": None, "spurious_losses": None,
                "global_minimum_note": "not computed: the census did not finish"}
    left = None if args.budget is None else max(args.budget - (time.perf_counter() - start),
                                                0.001)
    try:
        g = soudry_carmon.global_minimum(inst, force=args.force, budget=left,
                                         progress=not args.no_progress)
    except TooExpensive as exc:
        return {"global_minimum": None, "spurious_losses": None,
                "global_minimum_note": f"not computed: {exc}"}
    if g.verdict != "decided" or g.value is None:
        return {"global_minimum": None, "spurious_losses": None,
                "global_minimum_note": f"not computed: {g.outcome.stopped}"}
    return {"global_minimum": fmt(g.value),
            "spurious_losses": [fmt(q) for q in c.bad_losses if q > g.value]}


def _yardstick_text(yardstick: dict[str, Any]) -> str:
    if yardstick["global_minimum"] is None:
        return f"global minimum: {yardstick['global_minimum_note']}"
    spurious = yardstick["spurious_losses"]
    return (f"global minimum L* = {yardstick['global_minimum']}: "
            + (f"{len(spurious)} bad DLM loss(es) above it are spurious: "
               f"{', '.join(spurious[:8])}{', ...' if len(spurious) > 8 else ''}" if spurious
               else "no DLM loss is above it (no spurious DLM)"))


def _certify_restricted(args: argparse.Namespace) -> int:
    """certify DEEP.json --fixed-layers LOWER.json: the restricted census (one hidden layer on the
    features of the fixed lower layers)."""
    if args.instance is None or args.instance == "-":
        raise InvalidInput("--fixed-layers needs a deep instance file (widths [d0, ..., dL, 1], "
                           "L >= 2), not --random, --X or stdin")
    given = given_random_options(args) + (["--save"] if args.save else [])
    if given:
        raise InvalidInput(f"{', '.join(given)} do not apply with --fixed-layers: the instance "
                           f"file {args.instance} fixes the network")
    raw = read_json(args.instance, "instance")
    if not isinstance(raw, dict) or "widths" not in raw:
        raise InvalidInput(f"{args.instance}: --fixed-layers needs an instance with 'widths' "
                           "[d0, d1, ..., dL, 1] and L >= 2 hidden layers")
    try:
        inst = DeepInstance.from_dict(raw)
    except InvalidInput as exc:
        raise InvalidInput(f"{args.instance}: {exc}") from None
    try:
        lower = lower_layers(read_json(args.fixed_layers, "fixed layers"), inst)
    except InvalidInput as exc:
        raise InvalidInput(f"--fixed-layers {args.fixed_layers}: {exc}") from None
    start = time.perf_counter()
    out = soudry_carmon.certify_restricted(
        inst, lower, certificate=args.out is not None, census=args.census, budget=args.budget,
        force=args.force, engine=args.engine, workers=args.workers,
        progress=not args.no_progress, checkpoint=args.checkpoint, list_bad=args.list_bad,
        scheduler=args.scheduler)
    elapsed = time.perf_counter() - start
    result = out.result
    lines = _write_outputs(args, out, result.bad_regions)
    if args.json:
        print_json(out.to_dict())
        return EXIT[result.verdict]
    fixed = "W_1" if inst.L == 2 else f"W_1..W_{inst.L - 1}"
    print(f"network widths {list(inst.widths)} with {fixed} fixed: the last hidden "
          f"layer and the output are one hidden layer on the features h_{inst.L - 1}(n)")
    print(f"features (d_{inst.L - 1} x N): {json.dumps(fmt_matrix(result.instance.X))}")
    print(f"claim: {out.claim}")
    if out.lower_zero is not None:
        print(f"note: {out.lower_zero} in the fixed layers, so no point with them is "
              "differentiable: no DLM of the full network has these lower layers and the claim "
              "holds vacuously; the census below is of the restricted problem")
    print(format_result(result))
    if result.bad_regions is not None:
        print(format_bad_regions(result.bad_regions))
    if out.full_network is not None:
        verdict = {True: "a local minimum", False: "NOT a local minimum",
                   None: "undecided"}[out.full_network.local_minimum]
        print(f"the counterexample with the fixed lower layers, in the full network: {verdict} "
              f"({out.full_network.reason})")
    print(f"time: {elapsed:.3g} s")
    for line in lines:
        print(line)
    return EXIT[result.verdict]


def _instance_from_tables(args: argparse.Namespace) -> Instance:
    """``--X FILE --y FILE --d1 D1 --rho RHO``: data points as rows, transposed to d0 x N."""
    if args.y_file is None or args.d1 is None or args.rho is None:
        raise InvalidInput("--X needs --y FILE, --d1 D1 and --rho RHO (nothing is assumed)")
    extra = [o for o in given_random_options(args) if o not in ("--d1", "--rho")]
    if extra:
        raise InvalidInput(f"{', '.join(extra)} only apply with --random, not with --X/--y")
    rows = read_table(args.X_file, "data (--X)")
    labels = [v for row in read_table(args.y_file, "labels (--y)") for v in row]
    widths = {len(r) for r in rows}
    if len(widths) != 1:
        raise InvalidInput(f"--X {args.X_file}: every row (data point) needs the same number "
                           f"of entries, found {sorted(widths)}")
    X = [list(col) for col in zip(*rows)]  # d0 x N
    try:
        return Instance.from_arrays(X, labels, args.d1, args.rho, rationalize=args.rationalize)
    except InvalidInput as exc:
        hint = " (on the command line: --rationalize exact)" if "(float)" in str(exc) else ""
        raise InvalidInput(f"--X {args.X_file} / --y {args.y_file}: {exc}{hint}") from None


def _write_outputs(args: argparse.Namespace, result: Any, bad_regions: Any) -> list[str]:
    """certify's --out (after the kernel accepts it) and --csv; returns the lines to print."""
    lines = Written()
    lines.info = None
    if args.out is not None:
        written = write_certificate_of(result, args.out, check=not args.no_check)
        lines += written
        lines.info = written.info
    if args.csv is not None:
        _write_bad_csv(args.csv, bad_regions or ())
        lines.append(f"bad regions written to {args.csv}")
    return lines


def _write_bad_csv(path: str, bad: Any) -> None:
    """One row per bad region: regions, orderings, loss, W, z, pattern (lists as JSON)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["regions", "orderings", "loss", "W", "z", "pattern"])
    for b in bad:
        d = b.to_dict()
        w.writerow([json.dumps(d["regions"]), d["orderings"], d["loss"], json.dumps(d["W"]),
                    json.dumps(d["z"]), json.dumps(d["pattern"])])
    atomic_write(Path(path), buf.getvalue())


def _say_resuming(path: str, inst: Any) -> None:
    """One line on stderr when a checkpoint of this instance exists: what is resumed, and from
    where (a checkpoint of another instance is reported by the scan, which refuses it)."""
    from exactmin.search.checkpoint import Checkpoint

    try:
        data = json.loads(Path(path).read_text())
        if "ranges" in data:  # a run split into ranges (the fast engine's, or on a cluster)
            what = f"{len(data['done'])} of {len(data['ranges'])} ranges of the run"
        else:
            what = f"{int(data['done'])} regions (in the scan's order)"
    except (OSError, ValueError, KeyError, TypeError):
        return  # no checkpoint yet, or a damaged one (the scan itself reports that)
    if data.get("instance") != Checkpoint(path, inst, {}).digest:
        return
    print(f"exactmin: resuming from checkpoint {path}: {what} already decided", file=sys.stderr)


def cmd_verify_point(args: argparse.Namespace) -> int:
    if args.instance == "-" and args.point == "-":
        raise InvalidInput("only one of the instance and --point can be read from stdin ('-')")
    raw = read_json(args.instance, "instance")
    data = read_json(args.point, "point")
    name = "stdin" if args.instance == "-" else args.instance
    if (isinstance(raw, dict) and "widths" in raw) or (isinstance(data, dict) and "weights" in data):
        return _verify_deep_point(args, raw, data)
    try:
        inst = instance_from_dict(raw)
    except InvalidInput as exc:
        raise InvalidInput(f"{name}: {exc}") from None
    if not isinstance(data, dict) or "W" not in data or "z" not in data:
        raise InvalidInput(f'{args.point}: a point file must be a JSON object {{"W": d1 x d0, "z": d1}}')
    try:
        report = soudry_carmon.verify_point(inst, data["W"], data["z"])
    except InvalidInput as exc:
        raise InvalidInput(f"{args.point}: {exc}") from None
    extra: dict[str, Any] = {}
    if args.global_min:
        g = soudry_carmon.global_minimum(inst, progress=False)
        if g.verdict != "decided" or g.value is None:  # pragma: no cover - no budget here
            raise InternalError("the global minimum was not decided without a budget")
        extra = {"global_minimum": str(g.value),
                 "global": bool(report.local_minimum) and report.loss == g.value}
    lines = []
    if args.out is not None:  # the same verdict, certified in the any-depth form
        lines = write_certificate_of(report, args.out, check=not args.no_check)
    text = str(report)
    if extra:
        text += (f"\nglobal minimum L* = {extra['global_minimum']}: this point is "
                 + ("a global minimum" if extra["global"] else
                    "a spurious local minimum (its loss is above L*)" if report.local_minimum
                    else "not a local minimum"))
    return _print_point(args, {**report.to_dict(), **extra}, text, report.local_minimum, lines)


def _print_point(args: argparse.Namespace, as_json: dict[str, Any], text: str,
                 local_minimum: bool | None, lines: list[str]) -> int:
    """verify-point's output (JSON or text) and exit code, for any depth."""
    if args.json:
        if args.out is not None:
            written = bool(lines) and lines[0].startswith("certificate:")
            as_json = {**as_json, "certificate": args.out if written else None}
        print_json(as_json)
    else:
        print("\n".join([text, *lines]))
    return {True: EXIT_OK, False: EXIT_NO, None: EXIT_UNDECIDED}[local_minimum]


def _verify_deep_point(args: argparse.Namespace, raw: Any, data: Any) -> int:
    """verify-point for a network of any depth (widths / weights files)."""
    if args.global_min:
        raise InvalidInput("--global-min is for one-hidden-layer instances (a 'd1' file and a "
                           "{W, z} point); the global minimum of deeper networks is not computed")
    try:
        inst = DeepInstance.from_dict(raw)
    except InvalidInput as exc:
        raise InvalidInput(f"{'stdin' if args.instance == '-' else args.instance}: {exc}") from None
    try:
        point = DeepPoint.from_dict(data, inst)
    except InvalidInput as exc:
        raise InvalidInput(f"{args.point}: {exc}") from None
    report = soudry_carmon.verify_deep_point(inst, point)
    lines = [] if args.out is None else write_certificate_of(report, args.out,
                                                             check=not args.no_check)
    return _print_point(args, report.to_dict(), format_deep_point_report(report),
                        report.local_minimum, lines)


def cmd_find(args: argparse.Namespace) -> int:
    if args.spurious:
        return _find_spurious(args)
    if args.widths is not None:
        return _find_deep(args)
    if args.family is not None:
        raise InvalidInput("--family applies with --widths (deep networks) only")
    r = random_values(args)
    out = soudry_carmon.find_counterexample(
        r["d0"], r["d1"], r["N"], rho=r["rho"], noise=r["noise"], max_int=r["max_int"],
        seed=r["seed"], tries=args.tries, degenerate=args.degenerate,
    )
    if out.found is None:
        msg = f"no counterexample in {out.tried} random instances"
        if args.json:
            print(json.dumps({"found": False, "tried": out.tried, "message": msg}))
        else:
            print(msg)
        return EXIT_UNDECIDED
    res = out.found
    ce = res.counterexample
    point = {"W": fmt_matrix(ce.W), "z": fmt_vector(ce.z)}
    # Re-check the written files by the same code path as verify-point.
    recheck = soudry_carmon.verify_point(Instance.from_dict(res.instance.to_dict()), point["W"], point["z"])
    if recheck.local_minimum is not True or recheck.loss != ce.loss or recheck.loss == 0:
        raise InternalError("shrunk counterexample failed verify-point")
    files: dict[str, str] = {}
    if args.out:
        folder = Path(args.out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidInput(f"--out={args.out!r}: cannot create directory: {exc.strerror}") from None
        res.instance.save(folder / "instance.json")
        atomic_write(folder / "point.json", json.dumps(point) + "\n")
        files = {"instance": str(folder / "instance.json"), "point": str(folder / "point.json")}
    violated = [h for h in res.hypotheses if not h.holds]
    if args.json:
        print_json({
            "found": True, "tried": out.tried, "violated": [h.key for h in violated],
            "instance": res.instance.to_dict(), "point": point, "loss": fmt(ce.loss),
            "files": files,
        })
        return 0
    print(f"found after {out.tried} random instance(s); shrunk to {format_instance(res.instance)}")
    if violated:
        print("violated hypotheses: " + ", ".join(f"{h.statement} ({h.detail})" for h in violated))
    else:
        print("violated hypotheses: none of those checked. " + MEASURE_ZERO.split(". ", 1)[1])
    print(f"instance: {json.dumps(res.instance.to_dict())}")
    print(format_result(res).split("counterexample (exact, re-verified):", 1)[-1].strip("\n"))
    print("re-checked by verify-point: local minimum, loss " + fmt(recheck.loss))
    for k, v in files.items():
        print(f"wrote {k} file {v}")
    return 0


def _find_spurious(args: argparse.Namespace) -> int:
    """find-counterexample --spurious: a DLM above the exact global minimum, every hypothesis but
    over-parameterization met; the DLM's and L*'s certificates re-checked by the kernel."""
    wrong = [o for o, v in (("--widths", args.widths), ("--family", args.family),
                            ("--degenerate", args.degenerate or None)) if v is not None]
    if wrong:
        raise InvalidInput(f"{', '.join(wrong)} do not apply with --spurious (one hidden layer, "
                           "data in general position, noise always drawn)")
    r = random_values(args)
    N = args.N if args.N is not None else int(r["d0"]) * int(r["d1"]) + 1  # type: ignore[call-overload]
    try:
        out = soudry_carmon.find_spurious(r["d0"], r["d1"], N, rho=r["rho"],
                                          max_int=r["max_int"], seed=r["seed"], tries=args.tries)
    except InvalidInput as exc:
        raise InvalidInput(re.sub(r"^(N|rho|d0|d1)=", lambda m: f"--{m.group(1)}=", str(exc))
                           ) from None
    if out.instance is None or out.report is None or out.global_minimum is None:
        msg = (f"no spurious DLM in {out.tried} random instance(s); try another --seed, more "
               "--tries or a larger --N")
        print(json.dumps({"found": False, "tried": out.tried, "message": msg}) if args.json
              else msg)
        return EXIT_UNDECIDED
    folder = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="exactmin-spurious-"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"--out={args.out!r}: cannot create directory: {exc.strerror}") from None
    dlm = write_checked(out.certificate(), str(folder / "dlm.cert.json"))
    best = write_checked(out.global_minimum.certificate(), str(folder / "global.cert.json"))
    out.instance.save(folder / "instance.json")
    atomic_write(folder / "point.json", json.dumps(out.to_dict()["point"]) + "\n")
    files = {k: str(folder / f) for k, f in (("instance", "instance.json"),
                                              ("point", "point.json"),
                                              ("dlm_certificate", "dlm.cert.json"),
                                              ("global_certificate", "global.cert.json"))}
    if args.json:
        print_json({**out.to_dict(), "files": files, "kernel": [dlm.info, best.info]})
        return EXIT_OK
    g = out.global_minimum
    print(f"found after {out.tried} random instance(s): {format_instance(out.instance)}")
    print("hypotheses: all met but N <= d0*d1 (leaky, noise, general position)")
    print(f"instance: {json.dumps(out.instance.to_dict())}")
    print(f"a differentiable local minimum with loss {fmt(out.report.loss)} "
          f"(~{float(out.report.loss):.6g}): W = {json.dumps(fmt_matrix(out.report.point.W))}, "
          f"z = {json.dumps(fmt_vector(out.report.point.z))}")
    print(f"the global minimum L* = {fmt(g.value)} (~{float(g.value):.6g}) < that loss: the "
          "minimum is spurious")
    for line in [*dlm, *best]:
        print(line)
    print(f"files in {folder}")
    return EXIT_OK


def _find_deep(args: argparse.Namespace) -> int:
    """find-counterexample --widths: a certified bad local minimum of a deep network."""
    wrong = [o for o, v in (("--d0", args.d0), ("--d1", args.d1), ("--noise", args.noise),
                            ("--degenerate", args.degenerate or None)) if v is not None]
    if wrong:
        raise InvalidInput(f"{', '.join(wrong)} do not apply with --widths (the widths fix d0 and "
                           "every layer; deep counterexamples are searched without noise)")
    try:
        out = soudry_carmon.find_deep_counterexample(
            args.widths, N=args.N, rho=args.rho if args.rho is not None else "1/2",
            family=args.family or "any", seed=args.seed or 0, tries=args.tries,
            max_int=args.max_int if args.max_int is not None else args.max_int_default)
    except InvalidInput as exc:  # the library names its arguments; say the flags
        flag = re.sub(r"^(widths|N|rho|family|tries|max_int)\b",
                      lambda m: "--" + m.group(1).replace("_", "-"), str(exc))
        raise InvalidInput(flag) from None
    if out.instance is None or out.point is None or out.report is None:
        msg = (f"no certified bad local minimum in {out.tried} random instance(s) (family "
               f"{args.family or 'any'}); try another --seed, more --tries or another --family")
        print(json.dumps({"found": False, "tried": out.tried, "message": msg}) if args.json
              else msg)
        return EXIT_UNDECIDED
    cert = out.report.certificate()
    folder = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="exactmin-deep-"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"--out={args.out!r}: cannot create directory: {exc.strerror}") from None
    lines = write_checked(cert, str(folder / "certificate.json"))  # the independent re-check
    files = {"certificate": str(folder / "certificate.json")}
    if args.out:
        atomic_write(folder / "instance.json", json.dumps(out.instance.to_dict()) + "\n")
        atomic_write(folder / "point.json", json.dumps(out.point.to_dict()) + "\n")
        files.update(instance=str(folder / "instance.json"), point=str(folder / "point.json"))
    if args.json:
        print_json({"found": True, "tried": out.tried, "family": out.family,
                          "instance": out.instance.to_dict(), "point": out.point.to_dict(),
                          "loss": fmt(out.report.loss), "reason": out.report.reason,
                          "files": files if args.out else {}})
        return 0
    print(f"found after {out.tried} random instance(s), family {out.family}; shrunk from "
          f"N={out.original_N} to N={out.instance.N}")
    print(f"instance: {json.dumps(out.instance.to_dict())}")
    print(f"point: {json.dumps(out.point.to_dict())}")
    print(format_deep_point_report(out.report))
    print("\n".join(lines))
    if args.out:
        for k in ("instance", "point"):
            print(f"wrote {k} file {files[k]}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    leaky = Instance.from_lists(DEMO_X, DEMO_Y, 2, "1/2", DEMO_NOISE)
    cases = [
        ("1. noisy leaky ReLU: all hypotheses hold", leaky, Certified),
        ("2. the same data without noise", leaky.replace(noise=None), Refuted),
        ("3. plain ReLU (rho = 0), with the same noise", leaky.replace(rho=0), Refuted),
    ]
    summary = []
    folder = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="exactmin-demo-"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"--out={args.out!r}: cannot create directory: {exc.strerror}") from None
    for number, (title, inst, expected) in enumerate(cases, start=1):
        result = soudry_carmon.certify(inst, census=True, certificate=True)
        lines = write_checked(result.certificate(), str(folder / f"demo{number}.cert.json"))
        summary.append({**result.to_dict(), "certificate": lines.info})
        if not args.json:
            print(f"== {title}")
            print(format_result(result))
            print("\n".join(lines))
            print()
        if not isinstance(result, expected):  # the demo's story is a regression check
            raise InternalError(f"demo case {title!r} gave {result.verdict}")
    if args.json:
        print_json(summary)
    else:
        print("Soudry-Carmon: with noise the theorem's conclusion holds on this instance; "
              "dropping noise or leakiness breaks it, with exact counterexamples.")
        print(f"Certificates in {folder}; re-check any of them with: exactmin check FILE")
    return 0
