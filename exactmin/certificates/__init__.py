"""Certificate writers (untrusted; docs/certificate-format.md): one module per theorem, and the
canonical JSON every writer uses.

The kernel (:mod:`exactmin.check`) re-derives every obligation from the statement; writers only
collect the witnesses the search found and write them in the documented format.
"""

from __future__ import annotations

import json
import os
from typing import Any

from exactmin.fileio import atomic_write

__all__ = ["FORMAT", "VERSION", "dumps", "envelope", "write_certificate"]

FORMAT = "exactmin-certificate"
VERSION = 1


def envelope(statement: dict[str, Any], verdict: str, witness: dict[str, Any]) -> dict[str, Any]:
    """The versioned object around a theorem's statement, verdict and witness."""
    return {"format": FORMAT, "version": VERSION, "statement": statement, "verdict": verdict,
            "witness": witness}


def dumps(cert: dict[str, Any]) -> str:
    """Canonical JSON text (sorted keys, no spaces, one trailing newline)."""
    return json.dumps(cert, sort_keys=True, separators=(",", ":")) + "\n"


def write_certificate(path: str | os.PathLike[str], cert: dict[str, Any]) -> None:
    """Write atomically: the file is complete or absent."""
    atomic_write(path, dumps(cert))
