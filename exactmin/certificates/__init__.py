"""Certificate writers (untrusted; docs/certificate-format.md): one module per theorem, and the
canonical JSON every writer uses.

The kernel (:mod:`exactmin.check`) re-derives every obligation from the statement; writers only
collect the witnesses the search found and write them in the documented format.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from typing import Any

from exactmin.errors import InvalidInput
from exactmin.fileio import atomic_write, atomic_write_bytes

__all__ = ["FORMAT", "VERSION", "dumps", "envelope", "write_certificate"]

FORMAT = "exactmin-certificate"
VERSION = 1


def envelope(statement: dict[str, Any], verdict: str, witness: dict[str, Any]) -> dict[str, Any]:
    """The versioned object around a theorem's statement, verdict and witness."""
    return {"format": FORMAT, "version": VERSION, "statement": statement, "verdict": verdict,
            "witness": witness}


MAX_DIGITS = 4000  # the format's digits per integer (docs/certificate-format.md, "Reading")
_TOO_LONG = re.compile("[0-9]{%d}" % (MAX_DIGITS + 1))


def dumps(cert: dict[str, Any]) -> str:
    """Canonical JSON text (sorted keys, no spaces, one trailing newline).

    Raises InvalidInput when a number needs more than the format's 4,000 digits per integer
    (a loss of about 4,400 digits, say): no certificate can state it, and the kernel would call
    the file malformed."""
    text = json.dumps(cert, sort_keys=True, separators=(",", ":")) + "\n"
    found = _TOO_LONG.search(text)
    if found is not None:
        end = found.start()
        while end < len(text) and text[end].isdigit():
            end += 1
        raise InvalidInput(f"certificate=True: a number of the certificate has "
                           f"{end - found.start()} digits, beyond the format's {MAX_DIGITS} per "
                           "integer (docs/certificate-format.md); run without a certificate (the "
                           "answer is exact, but unchecked by the kernel)")
    return text


def write_certificate(path: str | os.PathLike[str], cert: dict[str, Any],
                      compress: bool | None = None) -> None:
    """Write atomically: the file is complete or absent. Gzip-compressed when ``compress`` (by
    default: when the name ends in ``.gz``); the kernel reads both."""
    if compress is None:
        compress = str(path).endswith(".gz")
    if compress:
        atomic_write_bytes(path, gzip.compress(dumps(cert).encode(), mtime=0))
    else:
        atomic_write(path, dumps(cert))
