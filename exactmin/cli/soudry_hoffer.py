"""Commands of Soudry-Hoffer: volumes (the census weighted by angular volumes)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, Callable

from exactmin.arith import fmt
from exactmin.cli.common import EXIT_OK, load_instance, print_json
from exactmin.errors import InvalidInput
from exactmin.theorems import soudry_hoffer
from exactmin.theorems.soudry_hoffer import interval


def add_commands(sub: Any) -> dict[str, Callable[[argparse.Namespace], int]]:
    v = sub.add_parser("volumes", help="angular volumes of the regions holding bad and global "
                                       "minima (Soudry-Hoffer)",
                       epilog="exit codes: 0, 2 bad input (also data spanning more than 3 "
                              "dimensions without --samples), 4 refused as too expensive")
    v.add_argument("instance", help="instance file (JSON); '-' reads it from stdin")
    v.add_argument("--eps", default="0", help="classification-error threshold for V(L_eps), "
                                              "a rational in [0, 1) (default 0)")
    v.add_argument("--json", action="store_true", help="print one JSON object")
    v.add_argument("--samples", type=int, help="estimate by sampling Gaussian W instead of the "
                                               "exact census (any size; statistical intervals)")
    v.add_argument("--seed", type=int, help="with --samples: the seed (default 0)")
    v.add_argument("--force", action="store_true", help="run even if estimated above 10 minutes")
    v.add_argument("--budget", type=float, help="seconds for the census")
    v.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes for the census (default: all cores)")
    v.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    v.add_argument("--out", help="write the census certificate with a volumes section (JSON), "
                                 "re-checked by the kernel")
    v.add_argument("--no-check", action="store_true", help="skip the kernel re-check of --out")
    pl = sub.add_parser("plot", help="teaching pictures")
    psub = pl.add_subparsers(dest="plot", required=True)
    pr = psub.add_parser("regions", help="one unit's regions coloured by what the census found "
                                         "(d0 = 2: circle; d0 = 3: sphere)",
                        epilog="exit codes: 0, 2 bad input (also a missing output folder)")
    pr.add_argument("instance", help="instance file (JSON); '-' reads it from stdin")
    pr.add_argument("--out", required=True, help="the picture to write (.png, .svg or .pdf)")
    return {"volumes": cmd_volumes, "plot": cmd_plot}


def cmd_plot(args: argparse.Namespace) -> int:
    from exactmin.experiments.soudry_hoffer import plot_regions

    inst = load_instance(args.instance)
    if inst.d0 not in (2, 3):
        raise InvalidInput(f"{args.instance}: d0={inst.d0}; plot regions draws d0 = 2 (a circle) "
                           "or d0 = 3 (a sphere)")
    out_path = Path(args.out)
    if out_path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InvalidInput(f"--out={args.out!r} must name a .png, .svg or .pdf file")
    if not out_path.parent.is_dir():
        raise InvalidInput(f"--out={args.out!r}: the folder {str(out_path.parent)!r} does not "
                           "exist; create it first or write elsewhere")
    out = plot_regions(inst, args.out)
    print(f"wrote {out['path']} ({out['regions']} regions of one unit)")
    return EXIT_OK


def cmd_volumes(args: argparse.Namespace) -> int:
    inst = load_instance(args.instance)
    if args.workers < 1:
        raise InvalidInput(f"--workers={args.workers} must be >= 1")
    if args.samples is not None:
        if args.out is not None:
            raise InvalidInput("--out writes the exact census with its volumes; it does not "
                               "apply with --samples (a statistical estimate)")
        if args.budget is not None or args.force:
            raise InvalidInput("--budget and --force apply to the exact census, not to --samples")
        if args.eps != "0":
            raise InvalidInput("--eps applies to the exact census (V(L_eps)); --samples "
                               "estimates V_bad and V_global only")
        out = soudry_hoffer.sample_volumes(inst, args.samples, seed=args.seed or 0)
        if args.json:
            print_json(out.to_dict())
            return EXIT_OK
        print(f"sampling estimate ({out.samples} Gaussian W, seed {args.seed or 0}, each region "
              f"decided exactly, {out.regions_decided} distinct regions): Wilson intervals at "
              f"{out.confidence:.1%} confidence, statistical, not enclosures")
        print(f"V_bad    in [{out.V_bad[0]:.4g}, {out.V_bad[1]:.4g}] ({out.bad_hits} hits)")
        print(f"V_global in [{out.V_global[0]:.4g}, {out.V_global[1]:.4g}] "
              f"({out.global_hits} hits)")
        return EXIT_OK
    if args.seed is not None:
        raise InvalidInput("--seed applies with --samples only")
    try:
        rep = soudry_hoffer.volumes(inst, args.eps, force=args.force, budget=args.budget,
                                    workers=args.workers, progress=not args.no_progress)
    except InvalidInput as exc:
        raise InvalidInput(str(exc).replace("eps=", "--eps=", 1)
                           .replace("sample_volumes, or the command's --samples", "--samples N")
                           ) from None
    lines = [] if args.out is None else _write_certificate(args, inst, rep)
    if args.json:
        out = rep.to_dict()
        if args.out is not None:
            out["certificate"] = args.out if lines[0].startswith("certificate:") else None
        print_json(out)
        return EXIT_OK
    print("\n".join([_text(rep), *lines]))
    return EXIT_OK


def _write_certificate(args: argparse.Namespace, inst: Any, rep: Any) -> list[str]:
    """The census certificate (every region's DLM or Motzkin certificates) plus a ``volumes``
    section: each unit region's enclosure (in the certificate's order), V_bad and V_global. The
    kernel re-derives the volumes itself when the data span at most 2 dimensions."""
    from exactmin.certificates.soudry_hoffer import with_volumes
    from exactmin.cli.common import write_checked
    from exactmin.theorems import soudry_carmon

    res = soudry_carmon.certify(inst, census=True, certificate=True, force=args.force,
                                workers=args.workers)
    if res.cert is None:
        return ["no certificate written: the census did not finish"]
    cert = with_volumes(res.cert, inst, rep)
    return write_checked(cert, args.out, check=not args.no_check)


def _show(x: Any) -> str:
    if x is None:
        return "null"
    lo, hi = interval(x, 10)
    return f"[{lo}, {hi}]"


def _text(rep: Any) -> str:
    c, inst = rep.census, rep.instance
    lines = [f"instance: (d0, d1, N) = ({inst.d0}, {inst.d1}, {inst.N}), rho = {fmt(inst.rho)}, "
             f"{'noise' if inst.noise is not None else 'no noise'}",
             f"census: {c.regions} regions, {c.dlm_regions} hold a DLM, {c.bad_dlm_regions} with "
             "nonzero loss",
             "angular volumes (probability that Gaussian weights land there; rigorous "
             "enclosures):",
             "  unit regions (the same for every hidden unit):"]
    for signs, vol in zip(rep.unit_signs, rep.unit_volumes):
        lines.append(f"    {''.join('+' if s > 0 else '-' if s < 0 else '0' for s in signs)}  "
                     f"{_show(vol)}")
    lines += [f"  V_bad    (regions holding DLMs with nonzero loss): {_show(rep.V_bad)}",
              f"  V_global (regions holding zero-loss DLMs):        {_show(rep.V_global)}",
              f"  ratio V_bad / V_global: {_show(rep.ratio)}"]
    if rep.V_L_eps is not None:
        a = soudry_hoffer.assumptions(inst)
        met = a["sqrt_N_lt_d0_le_N"] and a["N_log4N_over_d0_lt_d1_lt_N"]
        lines += [f"  V(L_eps), eps = {fmt(rep.eps)} (classification error > eps; sign of yhat, "
                  f"ties are errors): {_show(rep.V_L_eps)}",
                  f"  V(L_eps) / V_global: {_show(rep.ratio_eps)}",
                  f"  the paper's bound exp(-gamma_eps N^(3/4) (d0 d1)^(1/4)): "
                  f"{_show(rep.bound)} (its size assumptions {'hold' if met else 'do not hold'}"
                  f" here: {a['detail']})"]
    else:
        lines.append("  V(L_eps) and the bound: labels are not classes ({+1, -1} or {0, 1})")
    return "\n".join(lines)
