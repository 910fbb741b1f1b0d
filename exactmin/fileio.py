"""Atomic file writing: an output file is either complete or absent, never half-written."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from exactmin.errors import InvalidInput

__all__ = ["atomic_write", "atomic_write_bytes", "read_json"]


def atomic_write(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and an atomic rename."""
    atomic_write_bytes(path, text.encode())


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {str(path)!r}: {exc.strerror}") from None


def read_json(source: str | os.PathLike[str], what: str, **options: Any) -> Any:
    """Parse the JSON file ``source`` (a ``what`` file, for messages); InvalidInput on failure.
    ``options`` go to :func:`json.loads` (e.g. ``parse_float`` to reject floats)."""
    path = Path(source)
    try:
        text = path.read_text()
    except OSError as exc:
        raise InvalidInput(f"cannot read {what} file {str(path)!r}: {exc.strerror}") from None
    try:
        return json.loads(text, **options)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{what} file {str(path)!r} is not valid JSON: {exc.msg} at line "
                           f"{exc.lineno} column {exc.colno}") from None


def read_table(source: str, what: str) -> list[list[Any]]:
    """Rows of a CSV (entries kept as strings, parsed exactly later) or NPY file (numbers);
    a 1-d NPY array or a one-column CSV gives one-entry rows. InvalidInput on failure."""
    path = Path(source)
    try:
        if path.suffix.lower() == ".npy":
            import numpy as np

            arr = np.load(path, allow_pickle=False)
            rows = arr.tolist()
            return [r if isinstance(r, list) else [r] for r in rows]
        import csv

        with path.open(newline="") as fh:
            rows = [[cell.strip() for cell in row] for row in csv.reader(fh) if row]
    except OSError as exc:
        raise InvalidInput(f"cannot read {what} file {str(path)!r}: "
                           f"{exc.strerror or exc}") from None
    except ValueError as exc:  # numpy: not an .npy file, or an object array
        raise InvalidInput(f"{what} file {str(path)!r} is not a numeric .npy array ({exc})"
                           ) from None
    if not rows:
        raise InvalidInput(f"{what} file {str(path)!r} has no rows")
    return rows
