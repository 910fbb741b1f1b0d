"""Experiments that put a paper's claims next to exactmin's numbers (``exactmin experiment``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["save_figure"]


def save_figure(fig: Any, folder: Path, stem: str) -> list[str]:
    """Save ``fig`` as ``stem.png`` (200 dpi) and ``stem.svg`` in ``folder``; returns the names."""
    names = []
    for ext, kw in (("png", {"dpi": 200}), ("svg", {})):
        fig.savefig(folder / f"{stem}.{ext}", **kw)
        names.append(f"{stem}.{ext}")
    return names
