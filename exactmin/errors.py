"""Exception hierarchy of exactmin.

Exceptions are for misuse and bugs only; mathematical outcomes (certified, refuted, inconclusive)
are result objects (see :mod:`exactmin.results`).
"""

from __future__ import annotations

__all__ = ["ExactminError", "InternalError", "InvalidInput", "NoCertificate", "TooExpensive"]


class ExactminError(Exception):
    """Base class of every error exactmin raises on purpose."""


class InvalidInput(ExactminError, ValueError):
    """A user-supplied value is unusable; the message names the argument, its value and a fix."""


class InternalError(ExactminError):
    """A bug: one of exactmin's own results failed its re-check (a certificate the kernel
    rejected, a counterexample that is not one). Reported with exit code 5; please file it."""


class TooExpensive(ExactminError):
    """A requested run is estimated to take too long; the message gives the estimate and the flag
    (``force=True`` / ``--force``) that insists."""


class NoCertificate(InvalidInput):
    """``result.certificate()`` on a result whose verdict no certificate states (undecided, a
    point without a piece, a run without witnesses); the message says why and what would give
    one."""
