"""Checkpoints of a region scan: an interrupted census resumes without redoing or losing work.

The scan visits region tuples (or multisets) in a fixed order, so its state is the number of
iterations done plus the counts so far and the first bad DLM. The file names the instance (a
SHA-256 digest of its canonical JSON) and the mode, and is replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from exactmin.arith import fmt, fmt_matrix, fmt_vector
from exactmin.decide import RegionDecision
from exactmin.errors import InvalidInput
from exactmin.fileio import atomic_write
from exactmin.models import Instance, Point
from exactmin.search.state import ScanState

__all__ = ["Checkpoint", "ScanState"]

FORMAT = "exactmin-checkpoint"


class Checkpoint:
    """Load and save a :class:`ScanState` for one instance and mode at ``path``."""

    def __init__(self, path: str, instance: Instance, mode: dict[str, Any], every: float = 5.0):
        self.path = Path(path)
        canon = json.dumps(instance.to_dict(), sort_keys=True, separators=(",", ":"))
        self.digest = hashlib.sha256(canon.encode()).hexdigest()
        self.mode = mode
        self.every = every
        self.last = time.monotonic()

    def load(self) -> ScanState:
        """The saved state, or a fresh one when the file does not exist yet."""
        if not self.path.exists():
            return ScanState()
        try:
            data = json.loads(self.path.read_text())
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not an exactmin checkpoint")
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"checkpoint={str(self.path)!r} is not a readable exactmin "
                               f"checkpoint ({exc}); remove it or choose another file") from None
        if data.get("instance") != self.digest or data.get("mode") != self.mode:
            raise InvalidInput(
                f"checkpoint={str(self.path)!r} belongs to another instance or mode "
                f"(saved {data.get('mode')}, now {self.mode}); remove it or choose another file"
            )
        try:
            return self._state(data)
        except (KeyError, TypeError, ValueError, InvalidInput) as exc:
            raise InvalidInput(f"checkpoint={str(self.path)!r} is damaged ({type(exc).__name__}: "
                               f"{exc}); remove it or choose another file") from None

    @staticmethod
    def _state(data: dict[str, Any]) -> ScanState:
        bad = data["first_bad"]
        first_bad = None
        if bad is not None:
            point = Point.from_lists(bad["W"], bad["z"])
            first_bad = RegionDecision((), int(bad["rank"]), (), Fraction(bad["loss"]), True, point)
        return ScanState(
            done=int(data["done"]), examined=int(data["examined"]), full=int(data["full"]),
            dlm=int(data["dlm"]), bad_count=int(data["bad_count"]),
            losses={Fraction(q) for q in data["losses"]}, first_bad=first_bad,
        )

    def due(self) -> bool:
        return time.monotonic() - self.last >= self.every

    def save(self, state: ScanState) -> None:
        bad = state.first_bad
        atomic_write(self.path, json.dumps({
            "format": FORMAT,
            "instance": self.digest,
            "mode": self.mode,
            "done": state.done,
            "examined": state.examined,
            "full": state.full,
            "dlm": state.dlm,
            "bad_count": state.bad_count,
            "losses": sorted(fmt(q) for q in state.losses),
            "first_bad": None if bad is None or bad.dlm is None else {
                "W": fmt_matrix(bad.dlm.W), "z": fmt_vector(bad.dlm.z),
                "loss": fmt(bad.loss), "rank": bad.rank,
            },
        }) + "\n")
        self.last = time.monotonic()
