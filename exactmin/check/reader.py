"""Strict reading of certificates: JSON, numbers, shapes, and the kernel's three outcomes.

Standard library only. Every error names a JSON pointer (RFC 6901) to the offending field.
The accepted grammar is written in docs/certificate-format.md ("Reading").

>>> rational("-3/4", "/x"), rational(7, "/x")
(Fraction(-3, 4), Fraction(7, 1))
>>> rational("1/2\\n", "/y")
Traceback (most recent call last):
...
exactmin.check.reader.Malformed: /y: expected an integer or a string 'p' or 'p/q' ...
"""

import json
import math
import re
from fractions import Fraction
from typing import Any

MAX_DIGITS = 4000  # digits of one integer, numerator or denominator (Python's own cap is 4300)
_RATIONAL = re.compile(r"-?([0-9]+)(?:/([0-9]+))?")  # fullmatch; [0-9] is ASCII only


def show(v: Any, limit: int = 120) -> str:
    """``str(v)`` for messages, safe for huge numbers and long lists (never raises): a number of
    more than about ``limit`` digits is printed as its decimal approximation and its size.

    >>> show(Fraction(1, 3)), show(Fraction(-1, 10**5000))
    ('1/3', '-1e-5000 (about 5001 digits)')
    """
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, (int, Fraction)):
        bits = Fraction(v).numerator.bit_length() + Fraction(v).denominator.bit_length()
        return str(v) if bits <= 3 * limit else f"{sci(v)} (about {int(bits * LOG2) + 1} digits)"
    if isinstance(v, (list, tuple)):
        items = [show(x, limit) for x in list(v)[:8]]
        return "[" + ", ".join(items) + (", ...]" if len(v) > 8 else "]")
    text = str(v)
    return text if len(text) <= 4 * limit else text[: 4 * limit] + "..."


LOG2 = math.log10(2)


def sci(q: Any, digits: int = 6) -> str:
    """A rational in decimal, rounded to ``digits`` significant digits, for any size (no float,
    no ``str`` of a huge integer), as ``%g`` prints it.

    >>> sci(Fraction(2, 3)), sci(-Fraction(11, 10**4344)), sci(0), sci(10**6), sci(Fraction(-1, 8))
    ('0.666667', '-1.1e-4343', '0', '1e+06', '-0.125')
    """
    a, sign = abs(Fraction(q)), "-" if q < 0 else ""
    if a == 0:
        return "0"
    e = math.floor((a.numerator.bit_length() - a.denominator.bit_length()) * LOG2)
    while a >= Fraction(10) ** (e + 1):  # at most two steps each way: 10^e <= a < 10^(e+1)
        e += 1
    while a < Fraction(10) ** e:
        e -= 1
    m = round(a * Fraction(10) ** (digits - 1 - e))
    if m == 10**digits:
        m, e = m // 10, e + 1
    point = digits - 1 - e if -4 <= e < digits else digits - 1  # m / 10^point
    whole, frac = divmod(m, 10**point)
    tail = str(frac).rjust(point, "0").rstrip("0")
    text = sign + str(whole) + ("." + tail if tail else "")
    return text if -4 <= e < digits else f"{text}e{e:+03d}"


class Malformed(Exception):
    """The certificate cannot be read: ``pointer`` is a JSON pointer to the bad field."""

    def __init__(self, pointer: str, message: str) -> None:
        super().__init__(f"{pointer or '/'}: {message}")
        self.pointer, self.message = pointer, message


class Rejected(Exception):
    """A well-formed certificate whose mathematics fails: the obligation, expected and found."""

    def __init__(self, obligation: str, expected: object, found: object) -> None:
        expected, found = show(expected), show(found)
        super().__init__(f"{obligation}: expected {expected}, found {found}")
        self.obligation, self.expected, self.found = obligation, expected, found


class Refused(Exception):
    """The obligations exceed the work limit (``--max-work``): nothing is claimed either way."""

    def __init__(self, what: str, needed: int, limit: int) -> None:
        super().__init__(f"{what} needs about {_approx(needed)} work units, above the limit of "
                         f"{_approx(limit)}; raise it with --max-work if you mean it")
        self.what, self.needed, self.limit = what, needed, limit


def _approx(n: int) -> str:
    return str(n) if n < 10**6 else sci(n, 2)


class Work:
    """A work budget: ``charge`` before heavy work; ``Refused`` beyond ``limit`` units in all.
    A unit is about one small exact operation (a microsecond here). It also carries the two
    optional reporting hooks of a check: ``announce(line)`` once the statement is read, and
    ``progress(done, total)`` as independent obligations are checked."""

    def __init__(self, limit: int, announce: Any = None, progress: Any = None,
                 plain: bool = False) -> None:
        self.limit, self.used, self.plain = limit, 0, plain  # plain: no optional speed code
        self.announce = announce or (lambda line: None)
        self.progress = progress or (lambda done, total: None)

    def charge(self, units: int, what: str) -> None:
        self.used += units
        if self.used > self.limit:
            raise Refused(what, self.used, self.limit)


def power_at_most(base: int, exp: int, cap: int) -> int | None:
    """``base ** exp`` if it is at most ``cap``, else None (without computing a huge power).

    >>> power_at_most(3, 4, 100), power_at_most(2, 10**12, 10**9), power_at_most(1, 10**12, 5)
    (81, None, 1)
    """
    if base in (0, 1) or exp == 0:
        return 0 if base == 0 and exp > 0 else 1
    if exp * math.log2(base) > cap.bit_length() + 1:
        return None
    value: int = pow(base, exp)
    return value if value <= cap else None


# ----------------------------------------------------------------------------- JSON
class _Dup(dict):  # type: ignore[type-arg]
    """An object with a duplicate key (the key is kept for the error)."""

    duplicate = ""


class _Bad:
    """A number token the grammar refuses (a float, NaN, or an integer too long)."""

    def __init__(self, token: str, why: str) -> None:
        self.token, self.why = token, why


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            dup = _Dup(out)
            dup.duplicate = k
            return dup
        out[k] = v
    return out


def _int(token: str) -> Any:
    if len(token.lstrip("-")) > MAX_DIGITS:
        return _Bad(token[:20] + "...", f"an integer of {len(token)} digits (at most {MAX_DIGITS})")
    return int(token)


def _float(token: str) -> Any:
    return _Bad(token, "not an integer; write rationals as 'p/q' strings")


def loads(text: str) -> Any:
    """Parse certificate JSON strictly: duplicate keys, floats, NaN/Infinity and integers of more
    than ``MAX_DIGITS`` digits are Malformed, with the pointer of the field."""
    try:
        tree = json.loads(text, object_pairs_hook=_pairs, parse_int=_int, parse_float=_float,
                          parse_constant=_float)
    except json.JSONDecodeError as exc:
        raise Malformed("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
                        ) from None
    except RecursionError:
        raise Malformed("", "JSON nested too deeply") from None
    stack: list[tuple[Any, str]] = [(tree, "")]
    while stack:  # iterative: no recursion on hostile depth
        node, ptr = stack.pop()
        if isinstance(node, _Dup):
            raise Malformed(f"{ptr}/{_escape(node.duplicate)}", "duplicate key")
        if isinstance(node, _Bad):
            raise Malformed(ptr, f"JSON number {node.token} is {node.why}")
        if isinstance(node, dict):
            stack.extend((v, f"{ptr}/{_escape(k)}") for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, f"{ptr}/{k}") for k, v in enumerate(node))
    return tree


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


# ----------------------------------------------------------------------------- values
def rational(v: Any, ptr: str) -> Fraction:
    """A JSON integer, or an ASCII string ``p`` / ``p/q`` / ``-p/q`` with ``q > 0``."""
    if type(v) is int:
        return Fraction(v)
    m = _RATIONAL.fullmatch(v) if isinstance(v, str) else None
    if m is None:
        got = repr(v) if isinstance(v, str) else type(v).__name__
        raise Malformed(ptr, f"expected an integer or a string 'p' or 'p/q' (ASCII digits, "
                             f"optional '-', no spaces), got {show(got)}")
    num, den = m.group(1), m.group(2)
    if len(num) > MAX_DIGITS or (den is not None and len(den) > MAX_DIGITS):
        raise Malformed(ptr, f"more than {MAX_DIGITS} digits")
    q = int(den) if den is not None else 1
    if q == 0:
        raise Malformed(ptr, f"zero denominator in {show(v)!r}")
    return Fraction(-int(num) if v.startswith("-") else int(num), q)


def integer(v: Any, ptr: str, lo: int | None = None, hi: int | None = None) -> int:
    if type(v) is not int:
        raise Malformed(ptr, f"expected an integer, got {show(v)}")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise Malformed(ptr, f"{show(v)} is out of range [{lo}, {hi}]")
    return v


def boolean(v: Any, ptr: str) -> bool:
    if type(v) is not bool:
        raise Malformed(ptr, "expected true or false")
    return v


def array(v: Any, ptr: str, length: int | None = None) -> list[Any]:
    if not isinstance(v, list):
        raise Malformed(ptr, f"expected a list, got {type(v).__name__}")
    if length is not None and len(v) != length:
        raise Malformed(ptr, f"expected {length} entries, got {len(v)}")
    return v


def vector(v: Any, ptr: str, length: int | None = None) -> list[Fraction]:
    return [rational(x, f"{ptr}/{k}") for k, x in enumerate(array(v, ptr, length))]


def matrix(v: Any, ptr: str, rows: int | None = None, cols: int | None = None
           ) -> list[list[Fraction]]:
    """A nonempty rectangular matrix of rationals (a list of rows)."""
    out = [vector(r, f"{ptr}/{k}", cols) for k, r in enumerate(array(v, ptr, rows))]
    if not out or not out[0]:
        raise Malformed(ptr, "expected a nonempty matrix")
    for k, r in enumerate(out):
        if len(r) != len(out[0]):
            raise Malformed(f"{ptr}/{k}", f"row has {len(r)} entries, row 0 has {len(out[0])}")
    return out


def obj(v: Any, ptr: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
        ) -> dict[str, Any]:
    """An object with exactly the ``required`` keys and possibly some ``optional`` ones."""
    if not isinstance(v, dict):
        raise Malformed(ptr, f"expected an object, got {type(v).__name__}")
    for key in required:
        if key not in v:
            raise Malformed(f"{ptr}/{key}", "missing")
    for key in v:
        if key not in required and key not in optional:
            raise Malformed(f"{ptr}/{_escape(key)}", "unknown key")
    return v
