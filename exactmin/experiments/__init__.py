"""Experiments that put a paper's claims next to exactmin's numbers (``exactmin experiment``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["EXPERIMENTS", "Experiment", "pyplot", "save_figure"]


@dataclass(frozen=True)
class Experiment:
    """One experiment of ``exactmin experiment NAME``: its help text, what ``--quick`` does, and
    where it lives (``module``, imported only when it runs: ``run(out, quick)`` or, for the
    training experiments of :mod:`.endpoints`, ``run(name, out, quick)``), and the Markdown file
    it writes (``{stem}`` is the stem the run returns)."""

    name: str
    help: str
    quick: str
    module: str
    markdown: str
    by_name: bool = False

    def run(self, out: str | Path, quick: bool) -> dict[str, Any]:
        import importlib

        mod = importlib.import_module(f"exactmin.experiments.{self.module}")
        results: dict[str, Any] = (mod.run(self.name, out, quick=quick) if self.by_name
                                   else mod.run(out, quick=quick))
        return results


_TRAINING = "small sizes (seconds)"
EXPERIMENTS: dict[str, Experiment] = {e.name: e for e in (
    Experiment("choromanska", "spin-glass energies, descent, network losses",
               "small sizes (about a minute)", "choromanska", "experiments.md"),
    Experiment("soudry-hoffer-volumes", "angular volumes of bad vs global regions against the "
               "bound", "small sizes (seconds)", "soudry_hoffer", "soudry_hoffer_volumes.md"),
    Experiment("kawaguchi", "descent on the augmented loss from certified escapes",
               "fewer steps and starts (seconds)", "kawaguchi", "kawaguchi.md"),
    Experiment("milne", "exact strong convexity at checkpoints of training paths with weight "
               "decay", "small sizes (seconds)", "milne", "milne.md"),
    Experiment("soudry-hoffer-scan", "training scan over N against d0*d1, endpoints classified "
               "exactly", _TRAINING, "endpoints", "{stem}.md", by_name=True),
    Experiment("soudry-hoffer-differentiable", "distance of training endpoints from the kinks, "
               "classified exactly", _TRAINING, "endpoints", "{stem}.md", by_name=True),
    Experiment("soudry-carmon-noise", "training with and without noise next to the exact "
               "census", _TRAINING, "endpoints", "{stem}.md", by_name=True),
    Experiment("kinks", "local minima at kinks: census of all minima, training endpoints, a "
               "worked instance", "one instance per setting (a few minutes)", "kinks",
               "kinks.md"),
    Experiment("global-min", "float training endpoints against the exact global minimum: at "
               "L*, spurious, gaps, multi-start", "one size, one instance per setting "
               "(seconds)", "global_min", "global_min.md"),
    Experiment("full-rank-fraction", "exact fraction of full-rank regions against a float "
               "sampled estimate", _TRAINING, "endpoints", "{stem}.md", by_name=True),
)}


def pyplot() -> Any:
    """``matplotlib.pyplot`` with the non-interactive Agg backend (files only, no display)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, folder: Path, stem: str) -> list[str]:
    """Save ``fig`` as ``stem.png`` (200 dpi) and ``stem.svg`` in ``folder``; returns the names."""
    names = []
    for ext, kw in (("png", {"dpi": 200}), ("svg", {})):
        fig.savefig(folder / f"{stem}.{ext}", **kw)
        names.append(f"{stem}.{ext}")
    return names
