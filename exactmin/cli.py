"""The ``exactmin`` command line (see README.md, "CLI contract").

Exit codes of ``certify``: 0 certified, 1 refuted, 2 bad input, 3 inconclusive, 5 internal error
(the kernel rejected our own certificate; nothing is written).
``check``: the kernel's 0 verified, 1 rejected, 2 malformed.
``verify-point``: 0 local minimum, 1 not a local minimum, 2 bad input, 3 undecided.
``find-counterexample``: 0 found (files written), 2 bad input, 3 none found.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

from exactmin.arith import fmt, fmt_matrix, fmt_vector
from exactmin.certificates import write_certificate
from exactmin.errors import InvalidInput, TooExpensive
from exactmin.fileio import atomic_write
from exactmin.models import Instance, PointReport, random_instance
from exactmin.report import format_instance, format_point_report, format_result
from exactmin.results import Certified, Refuted
from exactmin.theorems import choromanska, soudry_carmon

__all__ = ["main"]

EXIT = {"certified": 0, "refuted": 1, "inconclusive": 3}

DEMO_X = [["0", "1", "2"], ["1", "1", "1"]]
DEMO_Y = ["0", "1", "0"]
DEMO_NOISE = [["3/2", "4/5", "6/5"], ["7/10", "1", "13/10"]]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2 with a usage hint, never a traceback
        self.print_usage(sys.stderr)
        self.exit(2, f"exactmin: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="exactmin", description="Exact, certificate-backed loss-landscape facts.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    d = sub.add_parser("demo", help="certify and refute the embedded default instances")
    d.add_argument("--json", action="store_true", help="print one JSON object")
    d.add_argument("--out", help="directory for the demo's certificates (default: a new temp dir)")

    c = sub.add_parser("certify", help="decide whether a DLM with nonzero loss exists")
    c.add_argument("instance", nargs="?", help="instance file (JSON)")
    c.add_argument("--census", action="store_true", help="decide every differentiable region")
    c.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    c.add_argument("--budget", type=float, help="seconds; stop with exit 3 and partial counts")
    c.add_argument("--force", action="store_true", help="run even if estimated above 10 minutes")
    c.add_argument("--random", action="store_true", help="use a seeded random instance")
    c.add_argument("--engine", choices=("fast", "naive"), default="fast",
                   help="search engine (naive: the plain reference enumeration)")
    c.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="processes for the fast engine (default: all cores)")
    c.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    c.add_argument("--checkpoint", help="resumable --census: progress saved to this file")
    _random_args(c)
    c.add_argument("--save", help="write the (random) instance to this file")
    c.add_argument("--out", help="write a certificate (JSON) re-checked by the kernel")
    c.add_argument("--no-check", action="store_true", help="skip the kernel re-check of --out")

    s = sub.add_parser("spinglass", help="spherical p-spin glass (Choromanska et al.)")
    ssub = s.add_subparsers(dest="spinglass_command", required=True, parser_class=_Parser)
    sc = ssub.add_parser("constants", help="E_inf and E_0..E_k as rigorous intervals")
    sc.add_argument("--p", type=int, default=3, help="interaction order p >= 3 (default 3)")
    sc.add_argument("--k-max", type=int, default=5, help="largest index k (default 5)")
    sc.add_argument("--digits", type=int, default=30, help="decimal places (default 30)")
    sc.add_argument("--json", action="store_true", help="print one JSON object")
    se = ssub.add_parser("enumerate", help="all critical points of H on the sphere, certified")
    se.add_argument("--tensor", help="tensor file {p, Lambda, X} (JSON)")
    se.add_argument("--p", type=int, default=3, help="order of a seeded tensor (default 3)")
    se.add_argument("--Lambda", type=int, default=4, help="dimension of a seeded tensor (default 4)")
    se.add_argument("--seed", type=int, default=0, help="seed of the tensor and of the homotopy")
    se.add_argument("--save", help="write the (seeded) tensor to this file")
    se.add_argument("--out", help="write a certificate (JSON) re-checked by the kernel")
    se.add_argument("--no-check", action="store_true", help="skip the kernel re-check of --out")
    se.add_argument("--force", action="store_true", help="run even if estimated above 10 minutes")
    se.add_argument("--json", action="store_true", help="print one JSON object")

    x = sub.add_parser("experiment", help="run a paper's experiment (tables, figures)")
    xsub = x.add_subparsers(dest="experiment", required=True, parser_class=_Parser)
    xc = xsub.add_parser("choromanska", help="spin-glass energies, descent, network losses")
    xc.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    xc.add_argument("--out", default="choromanska-experiment",
                    help="folder for experiments.md, choromanska_results.json and PNGs")

    k = sub.add_parser("check", help="re-check a certificate with the trusted kernel")
    k.add_argument("certificate")
    k.add_argument("--workers", type=int, default=None,
                   help="processes (default: all cores for certificates of >= 1e5 regions)")
    k.add_argument("--max-work", default=None,
                   help="refuse certificates above this many work units (default 1e9, about "
                        "15 min on one core; see docs/trust-model.md)")

    v = sub.add_parser("verify-point", help="exactly review a claimed (W, z)")
    v.add_argument("instance", help="instance file (JSON)")
    v.add_argument("--point", required=True, help='point file {"W": d1 x d0, "z": d1}')
    v.add_argument("--json", action="store_true")

    f = sub.add_parser(
        "find-counterexample", help="search and shrink instances breaking the conclusion"
    )
    _random_args(f)
    f.add_argument("--tries", type=int, default=200, help="random instances to decide")
    f.add_argument("--degenerate", action="store_true", help="allow data not in general position")
    f.add_argument("--out", help="directory for instance.json and point.json")
    f.add_argument("--json", action="store_true")
    return p


def _random_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--d0", type=int, default=2)
    p.add_argument("--d1", type=int, default=2)
    p.add_argument("--N", type=int, default=3)
    p.add_argument("--rho", default="1/2", help="slope on u < 0 as 'p/q' (0 is ReLU)")
    p.add_argument("--noise", action="store_true", help="random positive noise realization")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-int", type=int, default=3, help="entries in [-max_int, max_int]")


def _read_json(path: str, what: str) -> Any:
    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise InvalidInput(f"cannot read {what} file {path!r}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{what} file {path!r} is not valid JSON: {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}"
        ) from None


def _load_instance(path: str) -> Instance:
    try:
        return Instance.from_dict(_read_json(path, "instance"))
    except InvalidInput as exc:
        raise InvalidInput(f"{path}: {exc}") from None


def _cmd_certify(args: argparse.Namespace) -> int:
    if args.random == (args.instance is not None):
        raise InvalidInput("give either an instance file or --random (with --d0 --d1 --N ...)")
    if args.workers < 1:
        raise InvalidInput(f"--workers={args.workers} must be >= 1")
    if args.budget is not None and not args.budget > 0:
        raise InvalidInput(f"--budget={args.budget} must be a positive number of seconds")
    if args.random:
        inst = random_instance(
            args.d0, args.d1, args.N, args.rho, noise=args.noise, seed=args.seed,
            max_int=args.max_int,
        )
    else:
        inst = _load_instance(args.instance)
    if args.save:
        inst.save(args.save)
    start = time.perf_counter()
    result = soudry_carmon.certify(
        inst, census=args.census, budget=args.budget, force=args.force,
        certificate=args.out is not None, engine=args.engine, workers=args.workers,
        progress=not args.no_progress, checkpoint=args.checkpoint,
    )
    elapsed = time.perf_counter() - start
    lines = []
    if args.out is not None:
        if result.certificate is None:
            lines.append("no certificate written: the verdict is inconclusive")
        else:
            lines += _write_checked(result.certificate, args.out, check=not args.no_check)
    if args.json:
        print(result.to_json())
    else:
        print(format_result(result))
        print(f"time: {elapsed:.3g} s")
        for line in lines:
            print(line)
    return EXIT[result.verdict]


class KernelRejected(Exception):
    """Our own certificate failed the kernel: a bug, reported with exit code 5."""


def _kernel_command(path: Path | str, *extra: str) -> list[str]:
    """Run the kernel folder on its own (isolated interpreter, ``check`` as a top-level package),
    so the re-check loads none of exactmin's untrusted code (docs/trust-model.md)."""
    parent = str(Path(__file__).resolve().parent)  # the folder holding check/
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from check.main import main; "
        "sys.exit(main(sys.argv[2:]))"
    )
    return [sys.executable, "-I", "-c", code, parent, str(path), *extra]


def _write_checked(cert: dict[str, Any], path: str, check: bool = True) -> list[str]:
    """Write ``cert`` to ``path``; unless ``check`` is False, only after the kernel, run in a
    fresh process on a temporary copy, accepts it. Returns lines to print."""
    final = Path(path)
    if not check:
        write_certificate(final, cert)
        return [f"certificate: {final} (not re-checked: --no-check)"]
    tmp = final.with_name(final.name + ".unchecked")
    write_certificate(tmp, cert)
    start = time.perf_counter()
    proc = subprocess.run(_kernel_command(tmp), capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise KernelRejected(proc.stdout.strip() or proc.stderr.strip())
    tmp.replace(final)
    verdict = proc.stdout.strip().splitlines()[-1]
    return [f"certificate: {final}", f"kernel (fresh process, {elapsed:.2g} s): {verdict}"]


def _point_json(report: PointReport) -> dict[str, Any]:
    return {
        "differentiable": report.differentiable,
        "critical": report.critical,
        "local_minimum": report.local_minimum,
        "reason": report.reason,
        "loss": fmt(report.loss),
        "grad_W": None if report.grad_W is None else fmt_matrix(report.grad_W),
        "grad_z": None if report.grad_z is None else fmt_vector(report.grad_z),
        "pattern": [list(r) for r in report.pattern],
        "box_radius": None if report.box_radius is None else fmt(report.box_radius),
    }


def _cmd_verify_point(args: argparse.Namespace) -> int:
    inst = _load_instance(args.instance)
    data = _read_json(args.point, "point")
    if not isinstance(data, dict) or "W" not in data or "z" not in data:
        raise InvalidInput(f'{args.point}: a point file must be a JSON object {{"W": d1 x d0, "z": d1}}')
    try:
        report = soudry_carmon.verify_point(inst, data["W"], data["z"])
    except InvalidInput as exc:
        raise InvalidInput(f"{args.point}: {exc}") from None
    if args.json:
        print(json.dumps(_point_json(report), indent=1, sort_keys=True))
    else:
        print(format_point_report(report))
    return {True: 0, False: 1, None: 3}[report.local_minimum]


def _cmd_find(args: argparse.Namespace) -> int:
    out = soudry_carmon.find_counterexample(
        args.d0, args.d1, args.N, rho=args.rho, noise=args.noise, max_int=args.max_int,
        seed=args.seed, tries=args.tries, degenerate=args.degenerate,
    )
    if out.found is None:
        msg = f"no counterexample in {out.tried} random instances"
        if args.json:
            print(json.dumps({"found": False, "tried": out.tried, "message": msg}))
        else:
            print(msg)
        return 3
    res = out.found
    ce = res.counterexample
    point = {"W": fmt_matrix(ce.W), "z": fmt_vector(ce.z)}
    # Re-check the written files by the same code path as verify-point.
    recheck = soudry_carmon.verify_point(Instance.from_dict(res.instance.to_dict()), point["W"], point["z"])
    if recheck.local_minimum is not True or recheck.loss != ce.loss or recheck.loss == 0:
        raise RuntimeError("internal error: shrunk counterexample failed verify-point")
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
        print(json.dumps({
            "found": True, "tried": out.tried, "violated": [h.key for h in violated],
            "instance": res.instance.to_dict(), "point": point, "loss": fmt(ce.loss),
            "files": files,
        }, indent=1, sort_keys=True))
        return 0
    print(f"found after {out.tried} random instance(s); shrunk to {format_instance(res.instance)}")
    if violated:
        print("violated hypotheses: " + ", ".join(f"{h.statement} ({h.detail})" for h in violated))
    else:
        print("violated hypotheses: none of those checked. The theorem holds for almost every "
              "(X, E); this instance lies in the exceptional null set (e.g. a noise realization "
              "with coincidences), which an exact counterexample exhibits")
    print(f"instance: {json.dumps(res.instance.to_dict())}")
    print(format_result(res).split("counterexample (exact, re-verified):", 1)[-1].strip("\n"))
    print("re-checked by verify-point: local minimum, loss " + fmt(recheck.loss))
    for k, v in files.items():
        print(f"wrote {k} file {v}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    """The kernel in a fresh isolated interpreter that loads nothing of exactmin outside
    ``check/`` (docs/trust-model.md); its output and exit code are passed through."""
    extra = [] if args.workers is None else ["--workers", str(args.workers)]
    if args.max_work is not None:
        extra += ["--max-work", args.max_work]
    proc = subprocess.run(_kernel_command(args.certificate, *extra), stdout=subprocess.PIPE,
                          text=True)  # stderr (progress, argument errors) goes straight through
    print(proc.stdout, end="")
    return proc.returncode


def _cmd_spinglass(args: argparse.Namespace) -> int:
    if args.spinglass_command == "constants":
        out = choromanska.constants(args.p, args.k_max, args.digits)
        if args.json:
            print(json.dumps(out, indent=1))
            return 0
        print(f"spherical {args.p}-spin glass (Auffinger-Ben Arous-Cerny), intervals proved to "
              "contain each constant:")
        print(f"  E_inf = 2 sqrt((p-1)/p) in [{out['E_inf'][0]}, {out['E_inf'][1]}]")
        for k, (lo, hi) in enumerate(out["E"]):
            print(f"  E_{k} in [{lo}, {hi}]   (Theta_{{{k},{args.p}}}(-E) changes sign, "
                  "verified in ball arithmetic)")
        print("low-index critical energies H/Lambda concentrate in (-E_0, -E_inf) as Lambda grows")
        return 0
    if args.spinglass_command == "enumerate":
        return _cmd_spinglass_enumerate(args)
    raise AssertionError(args.spinglass_command)  # pragma: no cover - argparse restricts it


def _cmd_spinglass_enumerate(args: argparse.Namespace) -> int:
    from exactmin.spinglass import SpinTensor, random_tensor

    if args.tensor is not None:
        T = SpinTensor.from_json(args.tensor)
    else:
        T = random_tensor(args.p, args.Lambda, seed=args.seed)
    if args.save:
        T.save(args.save)
    paths = 2 * (T.p - 1) ** T.Lam
    estimate = paths * 0.01  # measured ~2-10 ms per homotopy path and certification here
    if estimate > 600 and not args.force:
        raise TooExpensive(f"p={T.p}, Lambda={T.Lam} means {paths} homotopy paths, estimated at "
                           f"{estimate / 60:.0f} min; pass --force to run it anyway")
    start = time.perf_counter()
    result = choromanska.enumerate_critical_points(T, seed=args.seed)
    elapsed = time.perf_counter() - start
    lines = []
    if args.out:
        cert = choromanska.critical_points_certificate(result)
        lines = _write_checked(cert, args.out, check=not args.no_check)
    if args.json:
        out = result.to_dict()
        out["seconds"] = round(elapsed, 3)
        print(json.dumps(out, indent=1))
    else:
        print(f"tensor: p = {T.p}, Lambda = {T.Lam} ({'file ' + args.tensor if args.tensor else f'seeded, seed {args.seed}'})")
        print(f"complex solutions (w, lam) certified: {result.complex_solutions} "
              f"(generic count {T.generic_solutions})")
        print(f"complete: {str(result.complete).lower()} - {result.reason}")
        chi = 1 + (-1) ** (T.Lam - 1)
        print(f"real critical points: {len(result.real_points)}; sum of (-1)^index = "
              f"{result.euler_sum} (Euler characteristic of S^{T.Lam - 1}: {chi})")
        print(f"{'index':>5}  energy H/Lambda (interval)")
        for pt in result.real_points:
            lo, hi = pt.to_dict(12)["energy"]
            print(f"{pt.index:>5}  [{lo}, {hi}]")
        print(f"time: {elapsed:.2f} s")
        for line in lines:
            print(line)
    return 0 if result.complete else 3


def _cmd_experiment(args: argparse.Namespace) -> int:
    from exactmin.experiments import choromanska as experiment

    start = time.perf_counter()
    experiment.run(args.out, quick=args.quick)
    print((Path(args.out) / "experiments.md").read_text())
    print(f"wrote {args.out}/experiments.md, choromanska_results.json and figures "
          f"({time.perf_counter() - start:.0f} s)")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
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
        assert result.certificate is not None
        lines = _write_checked(result.certificate, str(folder / f"demo{number}.cert.json"))
        summary.append(result.to_dict())
        if not args.json:
            print(f"== {title}")
            print(format_result(result))
            print("\n".join(lines))
            print()
        if not isinstance(result, expected):  # the demo's story is a regression check
            raise RuntimeError(f"demo case {title!r} gave {result.verdict}")
    if args.json:
        print(json.dumps(summary, indent=1, sort_keys=True))
    else:
        print("Soudry-Carmon: with noise the theorem's conclusion holds on this instance; "
              "dropping noise or leakiness breaks it, with exact counterexamples.")
        print(f"Certificates in {folder}; re-check any of them with: exactmin check FILE")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = _parser().parse_args(argv)
    commands = {
        "demo": _cmd_demo,
        "certify": _cmd_certify,
        "verify-point": _cmd_verify_point,
        "find-counterexample": _cmd_find,
        "check": _cmd_check,
        "spinglass": _cmd_spinglass,
        "experiment": _cmd_experiment,
    }
    try:
        return commands[args.command](args)
    except (InvalidInput, TooExpensive) as exc:
        print(f"exactmin: error: {exc}", file=sys.stderr)
        return 2
    except KernelRejected as exc:
        print(f"exactmin: internal error: the kernel rejected our certificate: {exc}", file=sys.stderr)
        return 5
    except KeyboardInterrupt:
        print("exactmin: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # stdout closed early (e.g. piped into head): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
