"""Optional speed code of the Soudry-Carmon checkers (docs/trust-model.md): a prefix entry's
rows checked in every completion at once, by projecting the later units' rows on the null space
of the prefix, reducing them unit by unit against a shared echelon basis, and deciding the last
two units' R^2 pairs by the generalized Laplace expansion over packed integer dot products
(each packed result tested for a field 0 mod p by folding all its fields at once).
``exactmin check --plain`` does not load this module: it checks one determinant per completion
instead (slower, same verdicts; a test compares them on the corpus). Standard library only.
"""

import array
import itertools
import sys
from typing import Any

from .exact import mod_p
from .reader import Rejected

_PLANS: dict[tuple[int, int], list[list[tuple[int, ...]]]] = {}
_FOLDS: dict[tuple[int, int, int, int], Any] = {}



def null_mod_p(M: list[list[int]], n: int, p: int) -> list[list[int]] | None:
    """A basis of {x in F_p^n : M x = 0}, or None when the rows of M are dependent mod p.

    >>> null_mod_p([[1, 0, 1]], 3, 5), null_mod_p([[1, 2], [2, 4]], 2, 5)
    ([[0, 1, 0], [4, 0, 1]], None)
    """
    rows: list[list[int]] = []
    pivots: list[int] = []
    for row in M:
        v = row[:]
        for piv, b in zip(pivots, rows):
            if v[piv]:
                f = v[piv]
                v = [(a - f * c) % p for a, c in zip(v, b)]
        lead = next((c for c in range(n) if v[c]), None)
        if lead is None:
            return None
        inv = pow(v[lead], -1, p)
        v = [a * inv % p for a in v]
        rows = [[(a - b[lead] * c) % p for a, c in zip(b, v)] for b in rows]
        rows.append(v)
        pivots.append(lead)
    basis = []
    for f in (c for c in range(n) if c not in pivots):
        x = [0] * n
        x[f] = 1
        for piv, b in zip(pivots, rows):
            x[piv] = -b[f] % p
        basis.append(x)
    return basis

def minor_plan(k: int, m: int) -> list[list[tuple[int, ...]]]:
    """Expansion of every j x j minor of the last j rows (j = 1..k) along its first row.

    Level j lists, for each j-subset T of range(m) in ``itertools.combinations`` order, the
    flat tuple ``(T_0, s_0, T_1, s_1, ...)`` with ``s_i`` the index at level j-1 of T without
    T_i; the minor is ``sum_i (-1)^i row[T_i] * previous[s_i]``. Callers bound its size
    (``sum_j binom(m, j)`` tuples) before calling.
    """
    if (k, m) not in _PLANS:
        levels: list[list[tuple[int, ...]]] = []
        prev: dict[tuple[int, ...], int] = {(): 0}
        for j in range(1, k + 1):
            subsets = list(itertools.combinations(range(m), j))
            levels.append([tuple(x for i in range(j) for x in (T[i], prev[T[:i] + T[i + 1:]]))
                           for T in subsets])
            prev = {T: s for s, T in enumerate(subsets)}
        _PLANS[k, m] = levels
    return _PLANS[k, m]


def minors_mod_p(M: list[list[int]], m: int, p: int) -> list[int]:
    """All k x k minors (mod p) of the k x m matrix M, over column subsets in combinations order.

    >>> minors_mod_p([[1, 2, 3], [4, 5, 6]], 3, 7)  # columns {0,1}, {0,2}, {1,2}: -3, -6, -3
    [4, 1, 4]
    """
    k = len(M)
    prev = [1]
    for j, level in enumerate(minor_plan(k, m), start=1):
        r = M[k - j]
        if j == 1:
            prev = [r[c] % p for c, _ in level]
        elif j == 2:
            prev = [(r[a] * prev[s] - r[b] * prev[t]) % p for a, s, b, t in level]
        elif j == 3:
            prev = [(r[a] * prev[s] - r[b] * prev[t] + r[c] * prev[u]) % p
                    for a, s, b, t, c, u in level]
        else:
            prev = [sum((-1) ** i * r[e[2 * i]] * prev[e[2 * i + 1]] for i in range(j)) % p
                    for e in level]
    return prev


_WORDS = array.array("Q")


def fields(total: int, width: int, count: int) -> Any:
    """The ``count`` nonnegative ``width``-bit fields of ``total``, lowest first.

    >>> list(fields(5 + (7 << 64), 64, 2))
    [5, 7]
    """
    nbytes = width // 8
    raw = total.to_bytes(nbytes * count, "little")
    if nbytes == 8 and _WORDS.itemsize == 8:
        words = array.array("Q")
        words.frombytes(raw)
        if sys.byteorder != "little":
            words.byteswap()
        return words
    return [int.from_bytes(raw[j * nbytes:(j + 1) * nbytes], "little") for j in range(count)]


def _selectors(blocks: Any, width: int) -> list[int]:
    """Per data point n, the factor of column n of K for every unit region k (1 if
    ``s_kn > 0``, else ``rho``, mod p) packed into one integer, ``width`` bits per region: then
    ``sum_n c_n * selectors[n]`` holds ``sum_n c_n factor_kn`` for every k at once (the fields
    never carry while ``N (p - 1)^2 < 2^width``). Cached on ``blocks`` per width."""
    cache = blocks.__dict__.setdefault("packed_selectors", {})
    if width not in cache:
        rho = mod_p(blocks.st.rho, blocks.p, "rho")
        cache[width] = [_pack([rho if s[n] < 0 else 1 for s in blocks.unit_signs], width // 8)
                        for n in range(blocks.st.N)]
    selectors: list[int] = cache[width]
    return selectors


def _row_factors(st: Any, blocks: Any, r: int) -> list[int]:
    """``E_un * X[j][n]`` mod p for row r = d0 * u + j of K, per data point n (cached on
    ``blocks``: the same for every entry)."""
    cache = blocks.__dict__.setdefault("row_factors", {})
    if r not in cache:
        u, j = divmod(r, st.d0)
        cache[r] = [mod_p(st.E(u, n) * st.X[j][n], blocks.p, "K entry") for n in range(st.N)]
    factors: list[int] = cache[r]
    return factors


def fold_test(p: int, bound: int, width: int, count: int) -> Any:
    """A test of "some ``width``-bit field of a packed integer is 0 mod p" in a few whole-integer
    operations, for fields at most ``bound``; None when p does not suit it (then the caller
    reduces every field).

    With ``2^k = p + c`` (k the bit length of p), a field ``v = lo + 2^k hi`` is congruent to
    ``lo + c hi``: masks and shifts fold every field at once (no field carries into the next:
    the bounds are tracked and kept below ``2^(width-1)``). After the folds every field is at
    most ``m p + (p - 1)`` for a small m, so it is 0 mod p iff it equals one of ``0, p, .., m p``;
    a field differs from ``q`` iff ``(v xor q) + 2^(width-1) - 1`` has its top bit set.

    >>> test = fold_test(13, 3 * 12**2, 16, 3)  # fields 26, 5, 7: 26 = 2 * 13
    >>> test(26 + (5 << 16) + (7 << 32)), test(25 + (5 << 16) + (7 << 32))
    (True, False)
    """
    key = (p, bound, width, count)
    if key in _FOLDS:
        return _FOLDS[key]
    k = p.bit_length()
    c = (1 << k) - p
    folds = 0
    while bound >= 2 * p and folds < 4:
        bound = (1 << k) - 1 + c * (bound >> k)
        folds += 1
    if bound >= 4 * p or bound >= 1 << (width - 1) or k + 2 > width or key[1] >> width:
        _FOLDS[key] = None
        return None

    def each(v: int) -> int:
        return sum(v << (width * j) for j in range(count))

    lo, hi = each((1 << k) - 1), each((1 << (width - k)) - 1)
    top, fill = each(1 << (width - 1)), each((1 << (width - 1)) - 1)
    multiples = [each(m * p) for m in range(bound // p + 1)]

    def has_zero(v: int) -> bool:
        for _ in range(folds):
            v = (v & lo) + c * ((v >> k) & hi)
        for q in multiples:
            if ((v ^ q) + fill) & top != top:
                return True
        return False
    _FOLDS[key] = has_zero
    return has_zero


def minors_batched(M: list[list[list[int]]], m: int, p: int) -> list[list[int]]:
    """:func:`minors_mod_p` for many matrices at once: ``M[t][c]`` is the list, over the
    matrices, of their entry (t, c); returns, per column subset in combinations order, the list
    of the minors over the matrices (one comprehension per minor, not one call per matrix)."""
    k = len(M)
    prev: list[list[int]] = []
    for j, level in enumerate(minor_plan(k, m), start=1):
        r = M[k - j]
        if j == 1:
            prev = [[x % p for x in r[c]] for c, _ in level]
        elif j == 2:
            prev = [[(x * u - y * w) % p for x, u, y, w in zip(r[a], prev[s], r[b], prev[t])]
                    for a, s, b, t in level]
        elif j == 3:
            prev = [[(x * u - y * w + z * v) % p for x, u, y, w, z, v
                     in zip(r[a], prev[s], r[b], prev[t], r[c], prev[q])]
                    for a, s, b, t, c, q in level]
        else:
            new = []
            for e in level:
                acc = [0] * len(r[0])
                for i in range(j):
                    sg, col, sub = (-1) ** i, r[e[2 * i]], prev[e[2 * i + 1]]
                    acc = [(a + sg * x * y) for a, x, y in zip(acc, col, sub)]
                new.append([a % p for a in acc])
            prev = new
    return prev


def every_completion(st: Any, blocks: Any, tup: tuple[int, ...],
                      rows: list[int]) -> None:
    """The rows have a minor nonzero mod p in every completion of the prefix ``tup`` (the
    ``st``, ``blocks`` of :mod:`.soudry_carmon`).

    With P the rows inside the prefix and L the others: the N rows are independent mod p iff
    P is (checked once) and the L rows times a basis Z of the null space of P are independent
    (a row lies in span(P) iff it annihilates Z). The L rows are reduced unit by unit against an
    echelon basis shared by all completions with the same earlier regions.
    """
    d0, p, nv = st.d0, blocks.p, st.d0 * len(tup)
    inner = [r for r in rows if r < nv]
    later = [r for r in rows if r >= nv]
    P = [blocks.block_p(r // d0, tup[r // d0])[r % d0] for r in inner]
    Z = null_mod_p(P, st.N, p)
    if Z is None or len(Z) != len(later):
        raise Rejected(f"region {list(tup)} full rank, rows {inner} of the prefix",
                       f"det != 0 mod {p}", "dependent rows")
    projected: dict[tuple[int, int], list[int]] = {}
    R, units = len(blocks.unit_signs), sorted({r // d0 for r in later})
    # Units without rows in L do not enter the minor: one check serves all their regions.
    pending = [(u, [r for r in later if r // d0 == u]) for u in units]

    # Z packed column-wise: field c of packed[n] is Z[c][n], so that sum_n row[n] * packed[n]
    # holds all the products row . Z[c] at once (the fields never carry: each is < 2^width).
    width = 64 * (-(-(st.N * (p - 1) ** 2).bit_length() // 64))
    packed = [sum(z[n] << (width * c) for c, z in enumerate(Z)) for n in range(st.N)]

    # Row r of K for a region has entries E_un * (1 or rho) * X[j][n]: per (r, n) the two
    # possible packed products, so a region's projected row is a sum of N of them.
    terms: dict[int, tuple[list[int], list[int]]] = {}
    rho_p = mod_p(st.rho, p, "rho")

    def project(r: int, k: int) -> list[int]:
        """Row r of K for region k of its unit, in the coordinates of Z (mod p)."""
        if (r, k) not in projected:
            if r not in terms:
                one = _row_factors(st, blocks, r)
                terms[r] = ([a * f for a, f in zip(one, packed)],
                            [a * rho_p % p * f for a, f in zip(one, packed)])
            ones, rhos = terms[r]
            total = sum([rhos[n] if s < 0 else ones[n]
                         for n, s in enumerate(blocks.unit_signs[k])])
            projected[r, k] = [v % p for v in fields(total, width, len(Z))]
        return projected[r, k]

    selectors = _selectors(blocks, width)

    def project_all(r: int) -> list[list[int]]:
        """Row r of K for every region of its unit, in the coordinates of Z: one list over the
        regions per coordinate (Kronecker substitution across the regions, see _selectors)."""
        one = _row_factors(st, blocks, r)
        out = []
        for z in Z:
            total = sum(a * zn % p * sel for a, zn, sel in zip(one, z, selectors) if a * zn % p)
            out.append([v % p for v in fields(total, width, R)])
        return out

    def extend(depth: int, basis: list[tuple[int, list[int]]], chosen: tuple[int, ...]) -> None:
        """Reduce the next unit's projected rows against the echelon basis so far (mod p)."""
        if depth == len(pending):
            return
        if len(pending) - depth == 2:  # the last two units: all R^2 pairs at once
            pairs(pending[depth], pending[depth + 1], basis, project_all, R, p,
                  lambda a, b: (f"completion {list(tup)} + units {units} regions "
                                f"{list(chosen + (a, b))} full rank, rows {rows}"))
            return
        if len(pending) - depth == 1:  # the last unit: all R regions at once
            last(pending[depth], basis, project_all, R, p,
                 lambda a: (f"completion {list(tup)} + units {units} regions "
                            f"{list(chosen + (a,))} full rank, rows {rows}"))
            return
        u, urows = pending[depth]
        for k in range(R):
            new = list(basis)
            for r in urows:
                v = project(r, k)
                for piv, e in new:
                    if v[piv]:
                        f = v[piv]
                        v = [(a - f * c) % p for a, c in zip(v, e)]
                lead = next((c for c, a in enumerate(v) if a), None)
                if lead is None:
                    raise Rejected(f"completion {list(tup)} + units {units[:depth + 1]} regions "
                                   f"{list(chosen + (k,))} full rank, rows {rows}",
                                   f"det != 0 mod {p}", 0)
                inv = pow(v[lead], -1, p)
                new.append((lead, [a * inv % p for a in v]))
            extend(depth + 1, new, chosen + (k,))

    extend(0, [], ())


def _pack(values: list[int], nbytes: int) -> int:
    """The nonnegative ``values`` as consecutive ``nbytes``-byte fields of one integer, the
    first lowest (the inverse of :func:`fields`)."""
    if nbytes <= 8 and _WORDS.itemsize == 8:
        words = array.array("Q", values)
        if sys.byteorder != "little":
            words.byteswap()
        raw = bytearray(words.tobytes())
        for b in range(7, nbytes - 1, -1):  # drop the high bytes of every word (they are 0)
            del raw[b::b + 1]
        return int.from_bytes(raw, "little")
    return int.from_bytes(b"".join(v.to_bytes(nbytes, "little") for v in values), "little")


def _restricted(rws: list[int], W: list[list[int]] | None, project: Any,
                p: int) -> list[list[list[int]]]:
    """Per row, per coordinate (of W, or of Z when there is no basis), the list over all
    regions of the row's projection (``project(r)``: per coordinate of Z, over the regions)."""
    out = []
    for r in rws:
        cols = project(r)
        out.append(cols if W is None else
                   [[sum(a * b for a, b in zip(w, column)) % p for column in zip(*cols)]
                    for w in W])
    return out


def last(unit: tuple[int, list[int]], basis: list[tuple[int, list[int]]], project: Any,
         R: int, p: int, what: Any) -> None:
    """Rows of the last unit (region k) complete ``basis`` for all R regions: with W a basis of
    the vectors orthogonal to ``basis``, iff the square matrix of the rows times W is
    nonsingular; one determinant per region, computed for all regions at once."""
    rws = unit[1]
    W = null_mod_p([e for _, e in basis], len(basis) + len(rws), p) if basis else None
    if W is not None and len(W) != len(rws):
        raise Rejected(what(0), "independent rows", "dependent rows")
    dets = minors_batched(_restricted(rws, W, project, p), len(rws), p)[0]
    if 0 in dets:
        raise Rejected(what(dets.index(0)), f"det != 0 mod {p}", 0)


def pairs(unit_a: tuple[int, list[int]], unit_b: tuple[int, list[int]],
          basis: list[tuple[int, list[int]]], project: Any, R: int, p: int, what: Any) -> None:
    """Rows of unit a (region i) and unit b (region j) complete ``basis`` for all R^2 pairs.

    With W a basis of the vectors orthogonal to ``basis`` (dimension s_a + s_b), the rows are
    independent modulo span(basis) iff the square matrix [A_i W; B_j W] is nonsingular, and by
    the generalized Laplace expansion along A's rows

        det [A_i W; B_j W] = +- sum_S eps(S) det(A_i W[:, S]) det(B_j W[:, S^c]),
        eps(S) = (-1)^(sum(S) + s_a (s_a - 1) / 2),

    over the s_a-subsets S of the columns. Every A-minor vector is dotted with every signed
    B-minor vector; the R dot products of one A vector are computed at once by packing the B
    vectors into integers with one ``width``-bit field per region j (Kronecker substitution:
    the fields never carry because each dot product is below 2^width); :func:`fold_test` looks
    for a field 0 mod p in each packed result without reducing the fields one by one.
    """
    rows_a, rows_b = unit_a[1], unit_b[1]
    m = len(basis) + len(rows_a) + len(rows_b)
    W = null_mod_p([e for _, e in basis], m, p) if basis else None
    if W is not None and len(W) != len(rows_a) + len(rows_b):
        raise Rejected(what(0, 0), "independent rows", "dependent rows")
    mw = len(rows_a) + len(rows_b)

    sa = len(rows_a)
    subsets = list(itertools.combinations(range(mw), sa))
    index_b = {T: s for s, T in enumerate(itertools.combinations(range(mw), mw - sa))}
    comp = [index_b[tuple(c for c in range(mw) if c not in S)] for S in subsets]
    eps = [(-1) ** (sum(S) + sa * (sa - 1) // 2) for S in subsets]
    minors_a = minors_batched(_restricted(rows_a, W, project, p), mw, p)  # per subset, over regions i
    minors_b = minors_batched(_restricted(rows_b, W, project, p), mw, p)  # per subset, over regions j
    nbytes = -(-((len(subsets) * (p - 1) ** 2).bit_length() + 1) // 8)
    width = 8 * nbytes
    packed = [_pack([x * eps[t] % p for x in minors_b[comp[t]]], nbytes)
              for t in range(len(subsets))]
    folded = fold_test(p, len(subsets) * (p - 1) ** 2, width, R)
    for i, ma in enumerate(zip(*minors_a)):
        total = sum(map(int.__mul__, ma, packed))
        if folded is not None and not folded(total):
            continue
        values = fields(total, width, R)
        if 0 in map(p.__rmod__, values):
            j = next(j for j, v in enumerate(values) if v % p == 0)
            raise Rejected(what(i, j), f"det != 0 mod {p}", 0)
