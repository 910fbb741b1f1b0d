"""Trusted certificate kernel: standard library only, imports nothing else from exactmin.

``python -m exactmin.check CERT.json`` (:mod:`.main`): exit 0 verified, 1 rejected, 2 malformed, unsupported or
refused (beyond the work limit). The format and every acceptance condition:
docs/certificate-format.md. One module per theorem, registered in ``CHECKERS`` by its
``THEOREM`` id, with ``check(cert, work, workers)`` and its own ``verdict_line(info, elapsed)``;
each imports only ``reader`` (strict JSON and numbers), ``exact`` (primitives), ``pool``
(processes) and what its theorem shares with another (``network`` for networks of any depth;
``census`` and ``restricted`` reuse ``soudry_carmon``'s statement and region checks).
``exactmin check --audit`` (:mod:`.audit`) prints each theorem's import closure.
"""

from typing import Any

from . import (
    census,
    choromanska,
    deep,
    global_min,
    kawaguchi_kaelbling,
    kink,
    milne,
    restricted,
    soudry_carmon,
)
from .reader import Malformed, Refused, Rejected, Work, obj, show

FORMAT = "exactmin-certificate"
VERSION = 1
DEFAULT_MAX_WORK = 10**9  # work units (about a microsecond each here); --max-work raises it
MAX_BYTES = 2 * 10**9  # a certificate's JSON text, after gzip decompression (docs/trust-model.md)

CHECKERS: dict[str, Any] = {  # theorem id -> its module: check(cert, work, workers), verdict_line
    m.THEOREM: m for m in (soudry_carmon, census, deep, restricted, kink, global_min,
                           kawaguchi_kaelbling, milne, choromanska)}


def check_certificate(cert: Any, workers: int | None = None,
                      max_work: int = DEFAULT_MAX_WORK, announce: Any = None,
                      progress: Any = None, plain: bool = False) -> dict[str, Any]:
    """Check a parsed certificate; returns a dict describing what was verified.

    ``workers`` processes check independent obligations (default: all cores for large
    certificates); the verdict does not depend on it. Raises Malformed (unreadable or
    unsupported), Rejected (an obligation fails) or Refused (more than ``max_work`` units).
    ``announce(line)`` receives the statement line once the statement is read;
    ``progress(done, total)`` is called as independent obligations are checked. ``plain``
    skips the optional speed code (:mod:`.speed`): slower, the same verdicts.
    """
    obj(cert, "", ("format", "version", "statement", "verdict", "witness"))
    if cert["format"] != FORMAT:
        raise Malformed("/format", f"expected {FORMAT!r}")
    if type(cert["version"]) is not int or cert["version"] != VERSION:
        raise Malformed("/version", f"unsupported version {cert['version']!r}; this kernel reads "
                                    f"{VERSION}")
    statement = cert["statement"]
    if not isinstance(statement, dict) or "theorem" not in statement:
        raise Malformed("/statement/theorem", "missing (the statement must be an object)")
    theorem = statement["theorem"]
    if not isinstance(theorem, str) or theorem not in CHECKERS:
        raise Malformed("/statement/theorem", f"unsupported theorem {show(theorem)!r}; this "
                                              f"kernel checks {sorted(CHECKERS)}")
    if not isinstance(cert["verdict"], str):
        raise Malformed("/verdict", "expected a string")
    work = Work(max_work, announce, progress, plain)
    info: dict[str, Any] = CHECKERS[theorem].check(cert, work, workers)
    info["work"] = work.used
    return info


def check_file(path: str, workers: int | None = None, max_work: int = DEFAULT_MAX_WORK,
               announce: Any = None, progress: Any = None, plain: bool = False
               ) -> dict[str, Any]:
    """Read and check the certificate at ``path``; returns the kernel's info dict."""
    import gzip
    import zlib

    from .reader import loads

    try:
        with open(path, "rb") as fh:
            gz = fh.read(2) == b"\x1f\x8b"  # gzip's magic number, whatever the file's name
        with (gzip.open if gz else open)(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # never more: a compressed file may expand a lot
        if len(data) > MAX_BYTES:
            raise Malformed("", f"{path!r} holds more than {MAX_BYTES:.0e} bytes of JSON"
                                f"{' once decompressed' if gz else ''}: beyond what the kernel reads")
        text = data.decode("utf-8")
    except (OSError, EOFError, zlib.error) as exc:
        raise Malformed("", f"cannot read {path!r}: {getattr(exc, 'strerror', None) or exc}"
                        ) from None
    except UnicodeDecodeError:
        raise Malformed("", f"{path!r} is not UTF-8 text") from None
    return check_certificate(loads(text), workers, max_work, announce, progress, plain)


__all__ = ["CHECKERS", "Malformed", "Refused", "Rejected", "check_certificate", "check_file"]
