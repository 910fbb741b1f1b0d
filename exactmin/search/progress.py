"""A progress bar on stderr (tqdm) that appears only for runs longer than a second.

Shows what is done (regions decided, homotopy progress, ...), the rate and an ETA. tqdm switches
itself off when stderr is not a terminal, so scripts and CI logs stay clean; in a Jupyter kernel
with ipywidgets it shows its notebook widget, without ipywidgets the plain text bar (no warning).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

__all__ = ["Progress", "note"]


def _tqdm() -> Any:
    """tqdm's notebook widget in a Jupyter kernel that has ipywidgets, else the plain text bar
    (tqdm.auto would warn and still need ipywidgets; a notebook prints the text bar fine)."""
    import importlib.util

    if "ipykernel" in sys.modules and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm


def note(message: str) -> None:
    """A line on stderr for ``exactmin -v`` (what a run estimated, what it runs); else nothing."""
    if Progress.verbose:
        print(f"exactmin: {message}", file=sys.stderr, flush=True)


class Progress:
    """``update(done)`` with the running count of decided regions; ``close()`` at the end.

    With ``Progress.json_lines`` set (``exactmin --progress-json``), every update at least half
    a second after the previous one is one JSON line on stderr, ``{"done", "total", "rate",
    "eta", "unit"}``, whether or not stderr is a terminal.
    """

    json_lines = False
    quiet = False  # exactmin -q: no bar at all
    verbose = False  # exactmin -v: notes (estimates, what runs) on stderr

    def __init__(self, total: int, enabled: bool = True, delay: float = 1.0,
                 unit: str = "region", desc: str = "regions decided") -> None:
        self.total, self.enabled, self.delay = total, enabled, delay
        self.unit, self.desc = unit, desc
        self.start = time.perf_counter()
        self.bar: Any = None
        self.shown = 0

    def update(self, done: int, **extra: Any) -> None:
        """``done`` of ``total``; ``extra`` (e.g. ``tasks="3/16"`` on a cluster) is shown after
        the bar and added to the JSON lines."""
        if Progress.json_lines:
            self._json(done, extra)
            return
        if not self.enabled or Progress.quiet:
            return
        if self.bar is None:
            if time.perf_counter() - self.start < self.delay:
                return
            tqdm = _tqdm()
            self.bar = tqdm(total=self.total, unit=self.unit, unit_scale=True, disable=None,
                            desc=self.desc, dynamic_ncols=True, leave=False)
        if extra:
            self.bar.set_postfix(extra, refresh=False)
        if done > self.shown:
            self.bar.update(done - self.shown)
            self.shown = done

    def _json(self, done: int, extra: dict[str, Any]) -> None:
        now = time.perf_counter()
        if now - getattr(self, "last_json", 0.0) < 0.5 and done < self.total:
            return
        self.last_json = now
        rate = done / max(now - self.start, 1e-9)
        eta = (self.total - done) / rate if rate > 0 and self.total else None
        sys.stderr.write(json.dumps({"done": done, "total": self.total, "rate": round(rate, 3),
                                     "eta": None if eta is None else round(eta, 1),
                                     "unit": self.unit, **extra}) + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
