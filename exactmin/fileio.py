"""Atomic file writing: an output file is either complete or absent, never half-written."""

from __future__ import annotations

import os
from pathlib import Path

from exactmin.errors import InvalidInput

__all__ = ["atomic_write"]


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
