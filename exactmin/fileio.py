"""Atomic file writing: an output file is either complete or absent, never half-written."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from exactmin.errors import InvalidInput

__all__ = ["atomic_write", "read_json"]


def atomic_write(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and an atomic rename."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(text)
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
