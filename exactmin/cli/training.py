"""``exactmin train``: seeded float training runs, each endpoint classified exactly."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path
from typing import Any, Callable

from exactmin.cli.common import EXIT_OK, print_json, read_json
from exactmin.errors import InvalidInput
from exactmin.experiments import pyplot
from exactmin.fileio import atomic_write
from exactmin.models.deep import DeepInstance


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    t = sub.add_parser("train", help="seeded float training runs, every endpoint classified "
                                     "exactly (zero-loss DLM, bad DLM, non-differentiable, not "
                                     "certified)",
                       epilog="exit codes: 0, 2 bad input, 4 a census refused as too expensive")
    t.add_argument("instance", help="instance file (JSON; 'd1' for one hidden layer or 'widths' "
                                    "for any depth: the network trained is the file's); '-' "
                                    "reads stdin")
    t.add_argument("--runs", type=int, default=30, help="number of runs (default 30)")
    t.add_argument("--seed", type=int, default=0, help="seed of the first run (run k uses "
                                                        "seed + k; default 0)")
    t.add_argument("--method", choices=("lbfgs", "gd"), default="lbfgs",
                   help="scipy L-BFGS-B (default) or full-batch gradient descent (step 0.01); "
                        "both stop at gradient 1e-10 or --max-steps")
    t.add_argument("--max-steps", type=int, default=5000, help="iteration cap (default 5000)")
    t.add_argument("--workers", type=int, default=1, help="processes (results do not depend "
                                                          "on it)")
    t.add_argument("--census-check", action="store_true",
                   help="cross-check every certified loss against the census (one hidden "
                        "layer: the instance's; deeper: the restricted census at the run's "
                        "lower layers): census_lists_loss per run")
    t.add_argument("--global-min", action="store_true",
                   help="one hidden layer: split the runs with an exact loss into those at the "
                        "exact global minimum L* and spurious ones (loss above L*)")
    t.add_argument("--force", action="store_true",
                   help="with --census-check or --global-min: run censuses estimated above 10 "
                        "minutes")
    t.add_argument("--json", action="store_true", help="print one JSON object")
    t.add_argument("--csv", help="also write one row per run to this CSV file")
    t.add_argument("--png", help="also write a histogram of the outcomes to this PNG file")
    return {"train": cmd_train}


def _check_out(path: str | None, flag: str, ext: str) -> None:
    if path is None:
        return
    if not path.endswith(ext):
        raise InvalidInput(f"{flag}={path!r} must end in {ext}")
    parent = Path(path).resolve().parent
    if not parent.is_dir():
        raise InvalidInput(f"{flag}={path!r}: the folder {parent} does not exist")


def cmd_train(args: argparse.Namespace) -> int:
    from exactmin.experiments.training import census_check, summary, train_runs

    for flag, value in (("--runs", args.runs), ("--max-steps", args.max_steps),
                        ("--workers", args.workers)):
        if value < 1:
            raise InvalidInput(f"{flag}={value} must be a positive integer")
    if args.runs > 10_000:
        raise InvalidInput(f"--runs={args.runs} is above 10000; split the work into batches "
                           "with --seed")
    _check_out(args.csv, "--csv", ".csv")
    _check_out(args.png, "--png", ".png")
    if args.force and not (args.census_check or args.global_min):
        raise InvalidInput("--force applies to --census-check and --global-min (the censuses "
                           "they run); add one or drop --force")
    try:
        inst = DeepInstance.from_dict(read_json(args.instance, "instance"))
    except InvalidInput as exc:
        raise InvalidInput(f"{args.instance}: {exc}") from None
    results = train_runs(inst, args.runs, args.seed, args.method, args.max_steps, args.workers,
                         progress=not args.json)
    summ = summary(results)
    listed: list[bool | None] = [None] * len(results)
    if args.census_check:
        listed = census_check(inst, results, force=args.force)
        checked = [x for x in listed if x is not None]
        summ["census_check"] = {"certified": len(checked), "listed": sum(checked)}
    if args.global_min:
        if inst.L != 1:
            raise InvalidInput("--global-min is for one hidden layer (a 'd1' instance or "
                               "widths [d0, d1, 1]); the global minimum of deeper networks is "
                               "not computed")
        from exactmin.models import Instance
        from exactmin.theorems.soudry_carmon import global_minimum

        one = Instance(X=inst.X, y=inst.y, d1=inst.widths[1], rho=inst.rho,
                       noise=None if inst.noise is None else inst.noise[0])
        g = global_minimum(one, force=args.force)
        exact = [r for r in results if r.loss is not None]
        summ["global_minimum"] = str(g.value)
        summ["at_global_minimum"] = sum(r.loss == g.value for r in exact)
        summ["spurious"] = sum(r.loss is not None and g.value is not None and r.loss > g.value
                               for r in exact)
    if args.csv is not None:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["seed", "method", "steps", "classification", "loss", "float_loss", "reason"])
        for r in results:
            w.writerow([r.seed, r.method, r.steps, r.classification,
                        "" if r.loss is None else str(r.loss), repr(r.float_loss), r.reason])
        atomic_write(Path(args.csv), buf.getvalue())
    if args.png is not None:
        _histogram(summ, args.png, inst)
    if args.json:
        runs = [r.to_dict() for r in results]
        if args.census_check:
            for run, x in zip(runs, listed):
                run["census_lists_loss"] = x
        print_json({"runs": runs, "summary": summ})
        return EXIT_OK
    print(f"{summ['runs']} runs ({args.method}, seeds {args.seed}..{args.seed + args.runs - 1}) "
          f"on {inst!r}, each endpoint classified exactly:")
    for cls, n in summ["counts"].items():
        print(f"  {cls:20} {n}")
    if summ["certified_losses"]:
        shown = ", ".join(f"{q} ({n} runs)" for q, n in summ["certified_losses"].items())
        print(f"certified DLM losses: {shown}")
    if args.global_min:
        print(f"global minimum L* = {summ['global_minimum']} (exact): "
              f"{summ['at_global_minimum']} runs end at it, {summ['spurious']} at spurious local "
              "minima (exact loss above L*)")
    if args.census_check:
        cc = summ["census_check"]
        which = ("the instance's" if inst.L == 1
                 else "the restricted census at each run's lower layers")
        print(f"census cross-check: {cc['listed']} of {cc['certified']} certified losses are "
              f"listed by the census ({which})")
    for r, x in zip(results, listed):
        loss = "" if r.loss is None else f" loss {r.loss}"
        note = "" if x is None else f"; census lists it: {'yes' if x else 'NO'}"
        print(f"  seed {r.seed}: {r.classification}{loss} (float loss {r.float_loss:.3g}); "
              f"{r.reason}{note}")
    for path in (args.csv, args.png):
        if path is not None:
            print(f"wrote {path}")
    return EXIT_OK


def _histogram(summ: dict[str, Any], path: str, inst: DeepInstance) -> None:
    plt = pyplot()

    from exactmin.fileio import atomic_write_bytes

    rest = [c for c in summ["counts"] if c not in ("zero_loss_dlm", "bad_dlm")]
    bad = summ["bad_dlm_losses"]
    labels = (["zero_loss_dlm"] + ([f"bad_dlm {q}" for q in bad] or ["bad_dlm"]) + rest)
    values = ([summ["counts"]["zero_loss_dlm"]] + (list(bad.values()) or [summ["counts"]["bad_dlm"]])
              + [summ["counts"][c] for c in rest])
    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.bar(range(len(values)), values, color="tab:blue")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30, ha="right", fontsize=7)
    ax.set_ylabel("runs")
    ax.set_title(f"where {summ['runs']} float runs ended, classified exactly\n{inst!r}",
                 fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150)
    plt.close(fig)
    atomic_write_bytes(Path(path), buf.getvalue())
