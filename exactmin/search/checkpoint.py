"""Checkpoints of a region scan: an interrupted census resumes without redoing or losing work.

The scan visits region tuples (or multisets) in a fixed order, so its state is the number of
iterations done plus the counts so far and the first bad DLM. The file names the instance (a
SHA-256 digest of its canonical JSON) and the mode, and is replaced atomically.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

from exactmin.errors import InvalidInput
from exactmin.fileio import atomic_write
from exactmin.models import Instance
from exactmin.search.state import ScanState

__all__ = ["Checkpoint", "ChunkCheckpoint", "ScanState"]

FORMAT = "exactmin-checkpoint"


class Checkpoint:
    """Load and save a :class:`ScanState` for one instance and mode at ``path``."""

    FORMAT = FORMAT

    def __init__(self, path: str, instance: Instance, mode: dict[str, Any], every: float = 5.0):
        self.path = Path(path)
        canon = json.dumps(instance.to_dict(), sort_keys=True, separators=(",", ":"))
        self.digest = hashlib.sha256(canon.encode()).hexdigest()
        self.mode = mode
        self.every = every
        self.last = time.monotonic()

    def _read(self) -> dict[str, Any] | None:
        """The file's contents after checking format, instance and mode; None without a file."""
        if not self.path.exists():
            return None
        try:
            data = json.loads(self.path.read_text())
            if not isinstance(data, dict) or data.get("format") != self.FORMAT:
                raise ValueError(f"not an {self.FORMAT} file")
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"checkpoint={str(self.path)!r} is not a readable exactmin "
                               f"checkpoint of this kind ({exc}); remove it or choose another "
                               "file") from None
        if data.get("instance") != self.digest:
            raise InvalidInput(
                f"checkpoint={str(self.path)!r} belongs to another instance (X, y, d1, rho and "
                f"noise hash to sha256 {str(data.get('instance'))[:12]}... there, "
                f"{self.digest[:12]}... here); nothing was resumed: remove it or choose another "
                "file")
        saved = data.get("mode") if isinstance(data.get("mode"), dict) else {}
        if saved != self.mode:
            differs = ", ".join(f"{k}: {saved.get(k)} there, {self.mode.get(k)} here"
                                for k in sorted(set(saved) | set(self.mode))
                                if saved.get(k) != self.mode.get(k))
            raise InvalidInput(
                f"checkpoint={str(self.path)!r} was saved by a run with other options "
                f"({differs}); nothing was resumed: remove it or choose another file")
        return data

    def _damaged(self, exc: Exception) -> InvalidInput:
        return InvalidInput(f"checkpoint={str(self.path)!r} is damaged ({type(exc).__name__}: "
                            f"{exc}); remove it or choose another file")

    def _write(self, body: dict[str, Any]) -> None:
        atomic_write(self.path, json.dumps({"format": self.FORMAT, "instance": self.digest,
                                            "mode": self.mode, **body}) + "\n")
        self.last = time.monotonic()

    def load(self) -> ScanState:
        """The saved state, or a fresh one when the file does not exist yet."""
        data = self._read()
        if data is None:
            return ScanState()
        try:
            return ScanState.from_json(data)
        except (KeyError, TypeError, ValueError, InvalidInput) as exc:
            raise self._damaged(exc) from None

    def due(self) -> bool:
        return time.monotonic() - self.last >= self.every

    def save(self, state: ScanState) -> None:
        self._write(state.to_json())


class ChunkCheckpoint(Checkpoint):
    """The finished task ranges of a census on a cluster (:mod:`exactmin.search.cluster`):
    the ranges the run was split into and the counts of every range finished so far, recorded
    as each one completes (in any order). A resumed run keeps the saved ranges, whatever the
    size of its cluster, and submits only the unfinished ones."""

    FORMAT = "exactmin-chunk-checkpoint"

    def load_chunks(self, ranges: list[tuple[int, int]]
                    ) -> tuple[list[tuple[int, int]], dict[int, ScanState]]:
        """``(ranges, finished)``: the saved split and its finished parts (``ranges`` and no
        parts when the file does not exist yet)."""
        data = self._read()
        if data is None:
            return ranges, {}
        try:
            saved = [(int(lo), int(hi)) for lo, hi in data["ranges"]]
            done = {int(i): ScanState.from_json(d) for i, d in data["done"].items()}
        except (KeyError, TypeError, ValueError, InvalidInput) as exc:
            raise self._damaged(exc) from None
        if saved[0][0] != 0 or any(a[1] != b[0] for a, b in zip(saved, saved[1:])) or \
                saved[-1][1] != ranges[-1][1] or not set(done) <= set(range(len(saved))):
            raise self._damaged(ValueError("its task ranges do not cover this census"))
        return saved, done

    def save_chunks(self, ranges: list[tuple[int, int]], done: dict[int, ScanState]) -> None:
        """Record every finished range (atomically: the file is replaced)."""
        self._write({"ranges": [list(r) for r in ranges],
                     "done": {str(i): d.to_json() for i, d in sorted(done.items())}})
