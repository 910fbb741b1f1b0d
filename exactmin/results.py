"""Result objects: mathematical outcomes are results, not exceptions.

``certify`` returns :class:`Certified`, :class:`Refuted` (with an exactly re-verified
:class:`Counterexample`) or :class:`Inconclusive` (with the reason). Each carries the census
counts and the hypotheses of the theorem, has a short ``repr``, a ``str`` equal to the command
line's text report (registered by :mod:`exactmin.report`), notebook forms (``_repr_markdown_``,
``_repr_html_``) and ``to_json()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from exactmin.arith import fmt, fmt_matrix, fmt_vector, show, show_matrix
from exactmin.decide import PointReport
from exactmin.errors import NoCertificate
from exactmin.models import Instance
from exactmin.protocol import ResultProtocol, html_table

__all__ = [
    "BadRegion",
    "Census",
    "Certified",
    "Counterexample",
    "Hypothesis",
    "Inconclusive",
    "Refuted",
    "Result",
]


@dataclass(frozen=True)
class Hypothesis:
    """One hypothesis of a theorem and whether this instance meets it."""

    key: str
    statement: str
    holds: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.statement, "holds": self.holds, "detail": self.detail}


@dataclass(frozen=True)
class Census(ResultProtocol):
    """Counts over differentiable regions (ordered tuples of unit regions).

    Attributes
    ----------
    unit_regions : number of regions of the arrangement (the same for every hidden unit)
    regions : total number of differentiable regions, ``unit_regions ** d1``
    examined : regions decided so far
    full_rank_regions : regions (among those examined) with ``rank K = N``
    dlm_regions : regions holding at least one DLM; None unless a census was requested
    bad_dlm_regions : regions (among those examined) whose DLMs have nonzero loss
    bad_losses : sorted distinct nonzero DLM losses found
    complete : every region was decided with every count (a full census)
    """

    unit_regions: int
    regions: int
    examined: int
    full_rank_regions: int
    dlm_regions: int | None
    bad_dlm_regions: int
    bad_losses: tuple[Fraction, ...]
    complete: bool

    def to_dict(self) -> dict[str, Any]:
        return {"unit_regions": self.unit_regions, "regions": self.regions,
                "examined": self.examined, "full_rank_regions": self.full_rank_regions,
                "dlm_regions": self.dlm_regions, "bad_dlm_regions": self.bad_dlm_regions,
                "bad_losses": [fmt(q) for q in self.bad_losses], "complete": self.complete}

    def __repr__(self) -> str:
        dlm = "" if self.dlm_regions is None else f", {self.dlm_regions} with a DLM"
        losses = ", ".join(show(q) for q in self.bad_losses[:6])
        more = ", ..." if len(self.bad_losses) > 6 else ""
        return (f"Census({self.examined}/{self.regions} regions decided ({self.unit_regions} per "
                f"unit), {self.full_rank_regions} full rank{dlm}, {self.bad_dlm_regions} bad"
                + (f"; bad losses {losses}{more}" if losses else "") + ")")

    def _repr_html_(self) -> str:
        rows = [("regions decided", f"{self.examined:,} of {self.regions:,}"
                 + ("" if self.complete else " (counts of the decided regions)")),
                ("unit regions", self.unit_regions), ("rank K = N", self.full_rank_regions)]
        if self.dlm_regions is not None:
            rows.append(("regions holding a DLM", self.dlm_regions))
        rows += [("with nonzero loss", self.bad_dlm_regions),
                 ("bad losses", ", ".join(show(q) for q in self.bad_losses[:8])
                  + (f", ... and {len(self.bad_losses) - 8:,} more"
                     if len(self.bad_losses) > 8 else ""))]
        return html_table("Census", rows)


@dataclass(frozen=True)
class Counterexample:
    """A bad DLM: exact ``(W, z)`` with ``loss > 0``, re-verified by ``analyze_point``."""

    report: PointReport
    rank: int

    @property
    def W(self) -> tuple[tuple[Fraction, ...], ...]:
        return self.report.point.W

    @property
    def z(self) -> tuple[Fraction, ...]:
        return self.report.point.z

    @property
    def loss(self) -> Fraction:
        return self.report.loss

    def __repr__(self) -> str:
        return (f"Counterexample(loss {show(self.loss)}, W={show_matrix(self.W)}, "
                f"z=[{', '.join(show(q) for q in self.z)}], rank K = {self.rank})")

    def to_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "W": fmt_matrix(self.W),
            "z": fmt_vector(self.z),
            "loss": fmt(self.loss),
            "grad_W": fmt_matrix(r.grad_W or ()),
            "grad_z": fmt_vector(r.grad_z or ()),
            "pattern": [list(row) for row in r.pattern],
            "box_radius": fmt(r.box_radius) if r.box_radius is not None else None,
            "rank_K": self.rank,
        }


@dataclass(frozen=True)
class BadRegion:
    """A differentiable region holding DLMs with nonzero loss (``certify(..., list_bad=True)``).

    ``regions`` are the unit-region indices (one per hidden unit, in the order of
    :func:`exactmin.geometry.enumerate_regions`), ``pattern`` their signs on the data points
    (d1 x N), ``loss`` the region's DLM loss, ``point`` one exact DLM in it, and ``orderings``
    the number of ordered regions it stands for (without noise a census decides each multiset
    of unit regions once).
    """

    regions: tuple[int, ...]
    pattern: tuple[tuple[int, ...], ...]
    loss: Fraction
    point: Any  # exactmin.models.Point
    orderings: int = 1

    def __repr__(self) -> str:
        return (f"BadRegion(regions {list(self.regions)}, loss {show(self.loss)}, "
                f"{self.orderings} ordering{'s' if self.orderings > 1 else ''})")

    def to_dict(self) -> dict[str, Any]:
        return {"regions": list(self.regions), "pattern": [list(r) for r in self.pattern],
                "loss": fmt(self.loss), "W": fmt_matrix(self.point.W),
                "z": fmt_vector(self.point.z), "orderings": self.orderings}


@dataclass(frozen=True)
class _Base(ResultProtocol):
    instance: Instance
    census: Census
    hypotheses: tuple[Hypothesis, ...]
    theorem: str = field(kw_only=True)  # the paper, e.g. "soudry_carmon"
    cert: dict[str, Any] | None = field(default=None, kw_only=True, compare=False,
                                        repr=False)  # the certificate, when asked for
    bad_regions: tuple[BadRegion, ...] | None = field(default=None, kw_only=True, compare=False)

    verdict = "?"

    def certificate(self) -> dict[str, Any]:
        """The certificate of the verdict (``soudry_carmon/no_bad_dlm`` or, for a census,
        ``soudry_carmon/census``; docs/certificate-format.md). Its witnesses are collected during
        the run: ask for it with ``certify(..., certificate=True)``."""
        if self.cert is None:
            raise NoCertificate(
                "no certificate: the run was inconclusive" if self.verdict == "inconclusive" else
                "no certificate was asked for: certify(..., certificate=True) collects the "
                "witnesses during the run")
        return self.cert

    def to_dict(self) -> dict[str, Any]:
        c = self.census
        inst = self.instance
        return {
            "verdict": self.verdict,
            "theorem": self.theorem,
            "d0": inst.d0,
            "d1": inst.d1,
            "N": inst.N,
            "rho": fmt(inst.rho),
            "noise": inst.noise is not None,
            "census": c.complete,
            "unit_regions": c.unit_regions,
            "regions": c.regions,
            "regions_examined": c.examined,
            "counts_partial": c.examined < c.regions,  # the counts are of the decided regions
            "full_rank_regions": c.full_rank_regions,
            "dlm_regions": c.dlm_regions,
            "bad_dlm_regions": c.bad_dlm_regions,
            "bad_losses": [fmt(q) for q in c.bad_losses],
            "hypotheses": {h.key: h.to_dict() for h in self.hypotheses},
            **({} if self.bad_regions is None else
               {"bad_regions": [b.to_dict() for b in self.bad_regions]}),
        }

    def _repr_html_(self) -> str:
        c, inst = self.census, self.instance
        rows = [("verdict", self.verdict.upper()), ("instance", repr(inst)),
                ("census", repr(c))]
        rows += [(f"hypothesis: {h.statement}", ("holds" if h.holds else "FAILS") +
                  f" ({h.detail})") for h in self.hypotheses]
        return html_table(repr(self), rows, str(self))

    def _summary(self) -> str:
        c = self.census
        return f"{c.examined}/{c.regions} regions, {c.full_rank_regions} full rank"


@dataclass(frozen=True, repr=False)
class Certified(_Base):
    """Every DLM of the instance has zero loss (decided over every differentiable region)."""

    verdict = "certified"

    def __repr__(self) -> str:
        return f"Certified({self._summary()}: every DLM has zero training loss)"


@dataclass(frozen=True, repr=False)
class Refuted(_Base):
    """A DLM with nonzero loss exists; ``counterexample`` is exact and re-verified."""

    counterexample: Counterexample = field(kw_only=True)
    verdict = "refuted"

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["counterexample"] = self.counterexample.to_dict()
        return out

    def __repr__(self) -> str:
        return f"Refuted({self._summary()}: bad DLM with loss {fmt(self.counterexample.loss)})"


@dataclass(frozen=True, repr=False)
class Inconclusive(_Base):
    """Not decided, e.g. a budget ran out; the counts are partial."""

    reason: str = field(kw_only=True)
    verdict = "inconclusive"

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["reason"] = self.reason
        return out

    def __repr__(self) -> str:
        return f"Inconclusive({self._summary()}: {self.reason})"


Result = Certified | Refuted | Inconclusive
