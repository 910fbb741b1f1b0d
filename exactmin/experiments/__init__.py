"""Experiments that put a paper's claims next to exactmin's numbers (``exactmin experiment``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["pyplot", "save_figure"]


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
