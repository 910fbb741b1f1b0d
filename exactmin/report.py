"""The presentation layer: human-readable text for results and point reports, what the CLI
prints and the ``str`` of every result object (so a REPL, a notebook and the command line say the
same thing).

It sits above every result type and registers one text per type with
:func:`exactmin.protocol.formats`; no module below imports it.
"""

from __future__ import annotations

from typing import Any, Sequence

from exactmin.arith import fmt, show
from exactmin.decide import PointReport
from exactmin.decide.deep import DeepPointReport
from exactmin.decide.kawaguchi_kaelbling import Escape
from exactmin.decide.milne import Convexity
from exactmin.decide.soudry_carmon_kinks import KinkReport
from exactmin.models import Instance
from exactmin.protocol import formats
from exactmin.results import Certified, Inconclusive, Refuted
from exactmin.theorems.choromanska import Enumeration
from exactmin.theorems.soudry_carmon import AllMinima, GlobalMinimum

__all__ = ["MEASURE_ZERO", "format_bad_regions", "format_constants", "format_convexity",
           "format_deep_point_report", "format_enumeration", "format_escape", "format_instance",
           "format_kink_report", "format_all_minima", "format_global_minimum",
           "format_point_report", "format_result"]


def _matrix(M: Sequence[Sequence[object]]) -> str:
    return "[" + ", ".join("[" + ", ".join(str(x) for x in row) + "]" for row in M) + "]"


def _vector(v: Sequence[object]) -> str:
    return "[" + ", ".join(str(x) for x in v) + "]"


def _fracs(M: Sequence[Sequence[object]]) -> list[list[str]]:
    return [[show(x) for x in row] for row in M]  # type: ignore[arg-type]


def _some(items: Sequence[Any], limit: int = 8) -> str:
    """The first ``limit`` numbers (each with a decimal approximation when long) and how many
    more there are: a text line stays readable; ``--json`` has them all.

    >>> _some(range(12), 3)
    '0, 1, 2, ... and 9 more (all in --json)'
    """
    head = ", ".join(show(q) for q in list(items)[:limit])
    more = len(items) - limit
    return head if more <= 0 else f"{head}, ... and {more:,} more (all in --json)"


def format_instance(instance: Instance) -> str:
    """One line naming the sizes, slope and noise."""
    kind = "ReLU" if instance.rho == 0 else f"leaky ReLU rho={fmt(instance.rho)}"
    noise = "with noise" if instance.noise is not None else "no noise"
    return f"(d0, d1, N) = ({instance.d0}, {instance.d1}, {instance.N}), {kind}, {noise}"


MEASURE_ZERO = (
    "note: every hypothesis checked holds, yet the conclusion fails. The theorem holds for almost "
    "every (X, E); this instance lies in the exceptional null set (e.g. data or a noise "
    "realization with coincidences), which an exact counterexample exhibits"
)


@formats(Certified, Refuted, Inconclusive)
def format_result(result: Any) -> str:
    """Multi-line text of a certify result: verdict, hypotheses, counts, counterexample."""
    c = result.census
    lines = [f"instance: {format_instance(result.instance)}"]
    for h in result.hypotheses:
        mark = "holds" if h.holds else "FAILS"
        lines.append(f"  hypothesis {h.statement}: {mark} ({h.detail})")
    partial = ("" if c.examined >= c.regions else
               " (partial: the run stopped before deciding every region, at its first bad DLM "
               "or when its budget ran out; counts below are of the decided regions)")
    lines.append(
        f"regions: {c.regions} differentiable ({c.unit_regions} per unit), {c.examined} "
        f"decided{partial}, {c.full_rank_regions} with rank K = N"
    )
    if c.dlm_regions is not None:
        lines.append(f"census: {c.dlm_regions} regions hold a DLM, {c.bad_dlm_regions} with nonzero loss")
    if c.bad_losses:
        label = "bad DLM losses" if c.complete else "bad DLM losses found"
        lines.append(f"{label}: {_some(c.bad_losses)}")
    if result.verdict == "certified":
        lines.append("verdict: CERTIFIED: every differentiable local minimum has zero training loss")
    elif result.verdict == "refuted":
        lines.append("verdict: REFUTED: a differentiable local minimum with nonzero loss exists")
        if all(h.holds for h in result.hypotheses):
            lines.append(MEASURE_ZERO)
        lines.append(_counterexample_text(result))
    else:
        lines.append(f"verdict: INCONCLUSIVE: {result.reason}")
    return "\n".join(lines)


def _counterexample_text(result: Any) -> str:
    ce = result.counterexample
    r = ce.report
    return "\n".join(
        [
            "counterexample (exact, re-verified):",
            f"  W = {_matrix(_fracs(ce.W))}",
            f"  z = {_vector([show(q) for q in ce.z])}",
            f"  loss (1/2)||yhat - y||^2 = {show(ce.loss)}",
            f"  gradient: dL/dW = {_matrix(_fracs(r.grad_W or ()))}, "
            f"dL/dz = {_vector([show(q) for q in r.grad_z or ()])} (exactly zero)",
            f"  K e = 0 (least-squares optimal in its region), rank K = {ce.rank} < N = "
            f"{result.instance.N}",
            f"  activation pattern sign(w_i.x_n) = {_matrix(r.pattern)}, constant on the box "
            f"max_ij |W'_ij - W_ij| <= {show(r.box_radius) if r.box_radius is not None else '-'}",
        ]
    )


@formats(PointReport)
def format_point_report(report: PointReport) -> str:
    """Multi-line text of a verify-point report."""
    def yn(b: bool | None) -> str:
        return "undecided" if b is None else ("yes" if b else "no")

    lines = [
        f"loss (1/2)||yhat - y||^2 = {show(report.loss)}",
        f"differentiable: {yn(report.differentiable)}",
        f"critical (gradient exactly zero): {yn(report.critical)}",
        f"local minimum: {yn(report.local_minimum)}",
        f"reason: {report.reason}",
    ]
    if report.grad_W is not None:
        lines.insert(
            3,
            f"gradient: dL/dW = {_matrix(_fracs(report.grad_W))}, "
            f"dL/dz = {_vector([show(q) for q in report.grad_z or ()])}",
        )
    return "\n".join(lines)


def format_bad_regions(bad: Sequence[Any]) -> str:
    """The ``--list-bad`` section: one line per region holding a bad DLM."""
    total = sum(b.orderings for b in bad)
    lines = [f"bad DLM regions: {len(bad)} listed, standing for {total} ordered regions "
             "(unit region indices; loss; one exact DLM)"]
    for b in bad:
        times = f" x{b.orderings} orderings" if b.orderings > 1 else ""
        lines.append(f"  {list(b.regions)}{times}: loss {show(b.loss)}, "
                     f"W = {_matrix(_fracs(b.point.W))}, z = {_vector([show(q) for q in b.point.z])}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- spin glass
def format_constants(out: dict[str, Any], p: int) -> str:
    """Text of ``spinglass constants``: E_inf and E_0..E_k as proved intervals."""
    lines = [f"spherical {p}-spin glass (Auffinger-Ben Arous-Cerny), intervals proved to "
             "contain each constant:",
             f"  E_inf = 2 sqrt((p-1)/p) in [{out['E_inf'][0]}, {out['E_inf'][1]}]"]
    for k, (lo, hi) in enumerate(out["E"]):
        lines.append(f"  E_{k} in [{lo}, {hi}]   (Theta_{{{k},{p}}}(-E) changes sign, "
                     "verified in ball arithmetic)")
    lines.append("low-index critical energies H/Lambda concentrate in (-E_0, -E_inf) as Lambda "
                 "grows")
    return "\n".join(lines)


@formats(Enumeration)
def format_enumeration(result: Any, source: str = "") -> str:
    """Text of ``spinglass enumerate``: counts, completeness, Morse check, energies by index."""
    T = result.tensor
    chi = 1 + (-1) ** (T.Lam - 1)
    lines = [f"tensor: p = {T.p}, Lambda = {T.Lam}" + (f" ({source})" if source else ""),
             f"complex solutions (w, lam) certified: {result.complex_solutions} "
             f"(generic count {T.generic_solutions})",
             f"complete: {str(result.complete).lower()} - {result.reason}",
             f"real critical points: {len(result.real_points)}; sum of (-1)^index = "
             f"{result.euler_sum} (Euler characteristic of S^{T.Lam - 1}: {chi})",
             f"{'index':>5}  energy H/Lambda (interval)"]
    for pt in result.real_points:
        lo, hi = pt.to_dict(12)["energy"]
        lines.append(f"{pt.index:>5}  [{lo}, {hi}]")
    return "\n".join(lines)


@formats(DeepPointReport)
def format_deep_point_report(report: Any) -> str:
    """Text of verify-point for a network of any depth."""
    def yn(b: bool | None) -> str:
        return "undecided" if b is None else ("yes" if b else "no")

    lines = [f"loss (1/2)||yhat - y||^2 = {show(report.loss)}",
             f"differentiable: {yn(report.differentiable)}",
             f"critical (gradient exactly zero): {yn(report.critical)}"]
    if report.gradient is not None:
        for l, G in enumerate(report.gradient, start=1):
            name = "w_out" if l == len(report.gradient) else f"W_{l}"
            lines.append(f"gradient: dL/d{name} = {_matrix(_fracs(G))}")
        lines.append(f"layers with rank G_l = N: {list(report.full_rank_layers) or 'none'}; "
                     f"rank P = {report.path_rank}, P e = 0: {yn(report.path_least_squares)}")
    if report.escape_direction is not None:
        lines.append(f"escape direction d = {_vector([show(q) for q in report.escape_direction])}")
    lines += [f"local minimum: {yn(report.local_minimum)}", f"reason: {report.reason}"]
    return "\n".join(lines)


@formats(Escape)
def format_escape(esc: Any) -> str:
    """Text of a Kawaguchi-Kaelbling escape (``exactmin eliminate``): the verdict, and for an
    escape its neuron and the rigorous enclosures."""

    lines = [f"original loss L(theta) = {show(esc.original_loss)}",
             f"verdict: {esc.verdict}: {esc.reason}"]
    if esc.a is not None and esc.S is not None and esc.decrease is not None:
        w = _vector([show(q) for q in esc.w])
        lines += [f"S(w, b) in {esc.S.to_strings(10)} at w = {w}, b = {show(esc.b)}"
                  + (" (moved: S = 0 exactly at the given w)" if esc.perturbed else ""),
                  f"escape point: theta unchanged, a = {show(esc.a)}, w = {w}, "
                  f"b = {show(esc.b)}",
                  f"L~(escape) - L(theta) in {esc.decrease.to_strings(10)} (rigorous, "
                  f"{esc.bits}-bit balls)"]
    return "\n".join(lines)


@formats(Convexity)
def format_convexity(rep: Any) -> str:
    """Text of a Milne convexity verdict (``exactmin convexity``)."""

    lines = [f"training error (1/2) sum e^2 = {show(rep.training_error)}; objective with weight "
             f"decay = {show(rep.objective)}",
             f"differentiable: {'yes' if rep.differentiable else 'no'}", rep.reason]
    if rep.lambda_min is not None:
        lines += [f"smallest eigenvalue of the Hessian of F on the piece in "
                  f"{rep.lambda_min}",
                  f"critical point of F: {'yes' if rep.critical else 'no'}"]
    if rep.strict_minimum:
        radius = ("" if rep.isolation_radius is None else
                  f"; F is strongly convex on the ball of radius {show(rep.isolation_radius)} "
                  "around it (inside the piece), so it is the only critical point there")
        lines.append(f"strict local minimum of F (critical, positive definite Hessian){radius}")
    if rep.threshold is not None:
        lines.append(f"sufficient threshold (proofs/milne.md) in "
                     f"{rep.to_dict()['threshold']}; training error below it: "
                     f"{rep.below_threshold}")
    return "\n".join(lines)


@formats(KinkReport)
def format_kink_report(report: KinkReport) -> str:
    """Text of verify-point at a kink (one hidden layer): the ties, the verdict and its witness."""
    ties = ", ".join(f"w_{i}.x_{n}" for i, n in report.ties[:8])
    more = f" and {len(report.ties) - 8} more" if len(report.ties) > 8 else ""
    lines = [f"loss (1/2)||yhat - y||^2 = {show(report.loss)}",
             f"differentiable: no ({ties}{more} = 0)",
             f"local minimum: {'yes' if report.local_minimum else 'no'}",
             f"reason: {report.reason}"]
    if report.local_minimum and report.pieces:
        lam = sum(p.lam is not None for p in report.pieces)
        gordan = sum(p.gordan is not None for p in report.pieces)
        lines.append(f"witness: {len(report.pieces)} pieces ({lam} with cone multipliers lambda "
                     f">= 0, {gordan} empty by a Gordan certificate, "
                     f"{len(report.pieces) - lam - gordan} with a vanishing derivative; all in "
                     "--json)")
    if report.direction is not None and report.polynomial is not None:
        dW, dz = report.direction
        c = report.polynomial
        poly = " + ".join(f"({show(q)}) t^{k}" for k, q in enumerate(c, start=1) if q)
        lines += [f"descent direction: dW = {_matrix(_fracs(dW))}, dz = "
                  f"{_vector([show(q) for q in dz])}",
                  f"L(theta + t d) - L(theta) = {poly}"
                  + ("" if report.t0 is None else f" for 0 <= t <= {show(report.t0)}")]
    return "\n".join(lines)


@formats(AllMinima)
def format_all_minima(result: AllMinima) -> str:
    """Text of ``certify --census --all-minima``: every local minimum, kinks included."""
    o = result.outcome
    lines = [f"all local minima (kinks included): {o.examined:,} of {o.combinations:,} face "
             f"combinations decided ({o.unit_faces} faces per unit, 3 signs of z_i); "
             f"{o.minima_combinations:,} hold a local minimum, {o.bad_combinations:,} with nonzero "
             "loss",
             f"bad local-minimum losses: {_some(o.bad_losses) or 'none'}"
             + ("" if o.global_minimum is None else f"; global minimum L* = {show(o.global_minimum)}"
                + (f", spurious (above L*): {_some(o.spurious_losses)}" if o.spurious_losses
                   else ""))
             + (f"; at non-differentiable points only: {_some(o.bad_losses_nondifferentiable)}"
                if o.bad_losses_nondifferentiable else "")]
    if o.counterexample is not None:
        lines.append(f"a bad local minimum (exact, re-decided): W = "
                     f"{_matrix(_fracs(o.counterexample.W))}, z = "
                     f"{_vector([show(q) for q in o.counterexample.z])}")
    verdict = {"certified": "CERTIFIED: every local minimum, differentiable or not, has zero "
                            "loss",
               "refuted": "REFUTED: a local minimum with nonzero loss exists",
               "inconclusive": f"INCONCLUSIVE: {o.stopped}"}[result.verdict]
    return "\n".join(lines + [f"verdict (all local minima): {verdict}"])


@formats(GlobalMinimum)
def format_global_minimum(result: GlobalMinimum) -> str:
    """Text of ``exactmin global-min``."""
    o, p = result.outcome, result.point
    lines = [f"instance: {format_instance(result.instance)}"]
    if result.verdict == "decided":
        lines.append(f"global minimum L* = {show(result.value)} ({result.how})")
    else:
        lines.append(f"not decided ({o.stopped}): {show(o.value) if o.value is not None else 'no'}"
                     " loss found so far; 0 <= L* <= that (an upper bound)")
    if p is not None:
        lines.append(f"a point attaining it (exact; loss recomputed): W = {_matrix(_fracs(p.W))}, "
                     f"z = {_vector([show(q) for q in p.z])}")
    lines.append(f"closed pieces bounded exactly: {o.examined:,} of {o.pieces:,} "
                 f"({len(o.units)} regions per unit, 2 signs of z_i; {o.least_squares:,} by "
                 f"their least-squares value); time {result.seconds:.3g} s")
    return "\n".join(lines)
