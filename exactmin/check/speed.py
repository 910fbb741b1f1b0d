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
import math
import sys
from typing import Any

from .exact import mod_p
from .reader import Rejected

_PLANS: dict[tuple[int, int], list[list[tuple[int, ...]]]] = {}
_FOLDS: dict[tuple[Any, ...], Any] = {}  # fold_test and fold_reduce, by their arguments


def rref_mod_p(M: list[list[int]], n: int, p: int) -> tuple[list[int], list[list[int]]] | None:
    """The reduced row echelon form of M mod p as (pivot columns, rows), in the order the rows
    came; None when the rows of M are dependent mod p.

    >>> rref_mod_p([[0, 2, 4], [1, 1, 1]], 3, 5)
    ([1, 0], [[0, 1, 2], [1, 0, 4]])
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
    return pivots, rows


def null_mod_p(M: list[list[int]], n: int, p: int) -> list[list[int]] | None:
    """A basis of {x in F_p^n : M x = 0}, or None when the rows of M are dependent mod p: one
    vector per free column f (ascending), 1 at f, 0 at the other free columns.

    >>> null_mod_p([[1, 0, 1]], 3, 5), null_mod_p([[1, 2], [2, 4]], 2, 5)
    ([[0, 1, 0], [4, 0, 1]], None)
    """
    got = rref_mod_p(M, n, p)
    if got is None:
        return None
    pivots, rows = got
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
    plan = _folds(p, bound, width)
    if plan is None or plan[3] >= 4 * p or plan[3] >= 1 << (width - 1):
        _FOLDS[key] = None
        return None
    k, c, folds, bound = plan

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


def _folds(p: int, bound: int, width: int) -> tuple[int, int, int, int] | None:
    """``(k, c, folds, bound)``: with ``2^k = p + c``, how many folds ``v -> lo + c hi`` of
    :func:`fold_test` bring fields at most ``bound`` below 2p (at most four), and the bound
    they leave; None when the fields cannot hold ``bound`` or p does not fit them. Each fold
    keeps a field below ``2^width`` (c <= 2^(k-1))."""
    k = p.bit_length()
    c = (1 << k) - p
    if k + 2 > width or bound >> width:
        return None
    folds = 0
    while bound >= 2 * p and folds < 4:
        bound = (1 << k) - 1 + c * (bound >> k)
        folds += 1
    return k, c, folds, bound


def fold_reduce(p: int, bound: int, width: int, count: int) -> Any:
    """A map of packed integers (``count`` fields of ``width`` bits, each at most ``bound``) to
    packed integers with every field congruent mod p and below 2p, in a few whole-integer
    operations (the folds of :func:`fold_test`); None when p does not suit it.

    >>> list(fields(fold_reduce(13, 3 * 12**2, 16, 3)(400 + (26 << 16) + (7 << 32)), 16, 3))
    [10, 13, 7]
    """
    key = ("reduce", p, bound, width, count)
    if key not in _FOLDS:
        plan = _folds(p, bound, width)
        if plan is None or plan[3] >= 2 * p:
            _FOLDS[key] = None
        else:
            k, c, folds = plan[:3]
            lo = sum(((1 << k) - 1) << (width * j) for j in range(count))
            hi = sum(((1 << (width - k)) - 1) << (width * j) for j in range(count))

            def reduce(v: int) -> int:
                for _ in range(folds):
                    v = (v & lo) + c * ((v >> k) & hi)
                return v
            _FOLDS[key] = reduce
    return _FOLDS[key]


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


def _coordinates(st: Any, blocks: Any, r: int, Z: list[list[int]]) -> list[list[int]]:
    """Row r of K for every region of its unit in the coordinates of the vectors ``Z`` (the
    products with each, mod p): one list over the regions per vector (Kronecker substitution
    across the regions, see :func:`_selectors`)."""
    p, R = blocks.p, len(blocks.unit_signs)
    width = 64 * (-(-(st.N * (p - 1) ** 2).bit_length() // 64))
    selectors = _selectors(blocks, width)
    one = _row_factors(st, blocks, r)
    out = []
    for z in Z:
        total = sum(a * zn % p * sel for a, zn, sel in zip(one, z, selectors) if a * zn % p)
        out.append([v % p for v in fields(total, width, R)])
    return out


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

    def project_all(r: int) -> list[list[int]]:
        return _coordinates(st, blocks, r, Z)

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
    minors_a = minors_batched(_restricted(rows_a, W, project, p), mw, p)  # per subset, over regions i
    minors_b = minors_batched(_restricted(rows_b, W, project, p), mw, p)  # per subset, over regions j
    laplace_test(minors_a, minors_b, len(rows_a), mw, R, p, what)


def laplace_test(minors_a: list[list[int]], minors_b: list[list[int]], sa: int, mw: int, R: int,
                 p: int, what: Any) -> None:
    """Reject the first pair (i, j), in lexicographic order, whose ``mw x mw`` matrix [A_i; B_j]
    is singular mod p, given the s_a x s_a minors of every A_i and the (mw - s_a) x (mw - s_a)
    minors of every B_j (per column subset in combinations order, a list over the regions):
    the generalized Laplace expansion of :func:`pairs`, R packed dot products."""
    comp, eps = laplace_signs(sa, mw)
    bound = len(comp) * (p - 1) ** 2
    nbytes = -(-(bound.bit_length() + 1) // 8)
    dot_test(minors_a, [_pack([x * eps[t] % p for x in minors_b[comp[t]]], nbytes)
                        for t in range(len(comp))], bound, nbytes, R, p, what)


def laplace_signs(sa: int, mw: int) -> tuple[list[int], list[int]]:
    """Per s_a-subset S of range(mw) (combinations order): the index of its complement among
    the (mw - s_a)-subsets, and the sign eps(S) of :func:`pairs`."""
    subsets = list(itertools.combinations(range(mw), sa))
    index_b = {T: s for s, T in enumerate(itertools.combinations(range(mw), mw - sa))}
    comp = [index_b[tuple(c for c in range(mw) if c not in S)] for S in subsets]
    return comp, [(-1) ** (sum(S) + sa * (sa - 1) // 2) for S in subsets]


def dot_test(minors_a: list[Any], packed: list[int], bound: int, nbytes: int, R: int, p: int,
             what: Any) -> None:
    """Reject the first (i, j) with ``sum_t minors_a[t][i] * field j of packed[t]`` = 0 mod p;
    every such sum is at most ``bound``, which ``nbytes``-byte fields hold with a bit to spare."""
    width = 8 * nbytes
    folded = fold_test(p, bound, width, R)
    for i, ma in enumerate(zip(*minors_a)):
        total = sum(map(int.__mul__, ma, packed))
        if folded is not None and not folded(total):
            continue
        values = fields(total, width, R)
        if 0 in map(p.__rmod__, values):
            j = next(j for j, v in enumerate(values) if v % p == 0)
            raise Rejected(what(i, j), f"det != 0 mod {p}", 0)

# ----------------------------------------------------------------------------- runs of prefixes
def pair_cost(R: int, sa: int, sb: int) -> int:
    """Work units the core charges per prefix entry for the pair step of :func:`pairs` (the
    minors of every region of both units, then R packed dot products of R fields each)."""
    mw = sa + sb
    plan = sum(math.comb(mw, k) for k in range(1, max(sa, sb) + 1))
    return 2 * R * plan + math.comb(mw, sa) * R * R // 64


def run_costs(N: int, R: int, mY: int, q: int, sa: int, sb: int) -> tuple[int, int]:
    """(once per run, per entry): the work of :func:`every_completion_run`'s shared path in the
    units of :func:`pair_cost`; a run takes it only when it costs no more than the pair step."""
    mw = sa + sb
    terms = sum(math.comb(mw, s) * math.comb(s + q, s) for s in (sa, sb))
    per_entry = (q * mY * mw + terms * (2 + R // 64) + 2 * math.comb(mw, sa) * R
                 + math.comb(mw, sa) * R * R // 64)
    once = ((q + mw) * mY * (N * R // 64 + R)
            + R * sum(math.comb(mY, k) for s in (sa, sb) for k in range(1, s + 1)))
    return once, per_entry


def every_completion_run(st: Any, blocks: Any, run: list[tuple[tuple[int, ...], list[int]]]) -> None:
    """:func:`every_completion` for each ``(tup, rows)`` of a run of prefix entries (in order:
    the first failure is the one reported) that agree in every prefix unit's region but the last
    one's and in every row outside the last prefix unit.

    When the later rows fall in two units a and b, the shared part is done once: Y, a basis of
    the null space of the first units' rows P1, the coordinates in Y of every later row for
    every region, and the s x s minors of unit a's and unit b's rows in Y (their Pluecker
    coordinates), packed over the regions. For each entry, Z' is a basis of the null space of
    the last prefix unit's rows C in Y (so Y Z' spans the null space of all prefix rows), and
    by Cauchy-Binet ``det(A Y Z'[:, T]) = sum_S det(A Y[:, S]) det(Z'[S, T])``: the minors of
    the projected rows are a fixed linear map of the shared ones, applied to all regions at once
    on the packed integers. Z' has the identity on the free columns of C, so ``det(Z'[S, T])``
    is zero unless T holds the free coordinates of S, and then a signed minor of Z''s pivot
    rows (:func:`_cauchy_binet_plan`). The pairs are then decided as in :func:`pairs`.
    """
    tup0, rows0 = run[0]
    d0, N, R = st.d0, st.N, len(blocks.unit_signs)
    lo, hi = d0 * (len(tup0) - 1), d0 * len(tup0)
    first = [r for r in rows0 if r < lo]
    later = [r for r in rows0 if r >= hi]
    units = sorted({r // d0 for r in later})
    shared = None
    if len(units) == 2 and len(tup0) >= 2:
        rows_a = [r for r in later if r // d0 == units[0]]
        rows_b = [r for r in later if r // d0 == units[1]]
        mY = N - len(first)
        once, each = run_costs(N, R, mY, mY - len(later), len(rows_a), len(rows_b))
        if once + len(run) * each <= len(run) * pair_cost(R, len(rows_a), len(rows_b)):
            shared = _SharedPrefix(st, blocks, tup0[:-1], first, rows_a, rows_b)
    for tup, rows in run:
        if shared is None or not shared.check(tup, [r for r in rows if lo <= r < hi], units, rows):
            every_completion(st, blocks, tup, rows)


class _SharedPrefix:
    """The part of :func:`every_completion_run` shared by a run (see there)."""

    def __init__(self, st: Any, blocks: Any, head: tuple[int, ...], first: list[int],
                 rows_a: list[int], rows_b: list[int]) -> None:
        d0, p, R = st.d0, blocks.p, len(blocks.unit_signs)
        self.st, self.blocks, self.sa, self.sb = st, blocks, len(rows_a), len(rows_b)
        P1 = [blocks.block_p(r // d0, head[r // d0])[r % d0] for r in first]
        self.Y = null_mod_p(P1, st.N, p)
        self.coords: dict[int, list[list[int]]] = {}
        self.plans: dict[tuple[tuple[int, ...], int], Any] = {}  # (pivots, side)
        if self.Y is None:
            return  # the first rows are dependent: check() declines, the entries go one by one
        mY, mw = len(self.Y), self.sa + self.sb
        q = mY - mw
        # each transformed minor is a sum of at most binom(s + q, s) products below p^2; A's
        # are read out as numbers (whole words), B's go into the dot products as they are
        # (fields for dot products of numbers below 2p, and a bit to spare)
        self.bound = max(math.comb(s + q, s) for s in (self.sa, self.sb)) * (p - 1) ** 2
        dot = max(self.bound, math.comb(mw, self.sa) * (2 * p - 1) ** 2)
        self.nbytes = (8 * (-(-self.bound.bit_length() // 64)), -(-(dot.bit_length() + 1) // 8))
        self.pluecker = [[_pack(m, nb) for m in
                          minors_batched([self._coords(r) for r in rws], mY, p)]
                         for rws, nb in ((rows_a, self.nbytes[0]), (rows_b, self.nbytes[1]))]
        self.R = R

    def _plan(self, mY: int, pivots: tuple[int, ...], s: int, mw: int,
              side: int) -> tuple[list[tuple[int, ...]], list[list[int]], list[list[int]]]:
        """:func:`_cauchy_binet_plan` as index lists: the Qs, then per T the positions of its
        coefficients in the flat list of every Q's minors followed by their negatives, and the
        packed minors of the run they multiply (cached per pivots and side: 0 for a, 1 for b)."""
        key = (pivots, side)
        if key not in self.plans:
            plan, Qs = _cauchy_binet_plan(mY, pivots, s, mw)
            offset, at = {}, 0
            for Q in Qs:
                offset[Q] = at
                at += math.comb(mw, len(Q))
            if side == 1:  # B's minors in the order and with the signs of the dot products
                comp, eps = laplace_signs(self.sa, mw)
                plan = [[(S, Q, c, sign * eps[t]) for S, Q, c, sign in plan[comp[t]]]
                        for t in range(len(comp))]
            self.plans[key] = (Qs, [[offset[Q] + c + (0 if sign > 0 else at) for _, Q, c, sign in T]
                                    for T in plan], [[self.pluecker[side][S] for S, *_ in T] for T in plan])
        return self.plans[key]  # type: ignore[no-any-return]

    def _coords(self, r: int) -> list[list[int]]:
        if r not in self.coords:
            self.coords[r] = _coordinates(self.st, self.blocks, r, self.Y)  # type: ignore[arg-type]
        return self.coords[r]

    def check(self, tup: tuple[int, ...], last_rows: list[int], units: list[int],
              rows: list[int]) -> bool:
        """Every completion of the prefix ``tup``; False (nothing decided) when the prefix rows
        are dependent mod p, which :func:`every_completion` then reports."""
        if self.Y is None:
            return False
        p, R, mY, k = self.blocks.p, self.R, len(self.Y), tup[-1]
        got = rref_mod_p([[c[k] for c in self._coords(r)] for r in last_rows], mY, p)
        if got is None:
            return False
        order = sorted(range(len(got[0])), key=got[0].__getitem__)
        pivots = tuple(got[0][i] for i in order)
        free = [c for c in range(mY) if c not in pivots]
        M = [[-got[1][i][f] % p for f in free] for i in order]  # pivot rows of Z', by coordinate
        mw, nbytes = self.sa + self.sb, self.nbytes
        sides, flats = [], {}  # the minors of M, once per size s (both sides when sa = sb)
        for s, which in ((self.sa, 0), (self.sb, 1)):
            Qs, index, terms = self._plan(mY, pivots, s, mw, which)
            if s not in flats:
                flat = [v for Q in Qs for v in (minors_mod_p([M[i] for i in Q], mw, p) if Q else [1])]
                flats[s] = flat + [-v % p for v in flat]  # index + len: the negated minor
            flat = flats[s]
            sides.append([sum(map(int.__mul__, [flat[t] for t in ix], pls))
                          for ix, pls in zip(index, terms)])
        # every field below 2p: A's as the numbers each dot product takes, B's packed for it
        reduce_a = fold_reduce(p, self.bound, 8 * nbytes[0], R)
        alpha = [fields(reduce_a(v), 8 * nbytes[0], R) if reduce_a else
                 [x % p for x in fields(v, 8 * nbytes[0], R)] for v in sides[0]]
        reduce_b = fold_reduce(p, self.bound, 8 * nbytes[1], R)
        beta = [reduce_b(v) if reduce_b else _pack([x % p for x in fields(v, 8 * nbytes[1], R)],
                                                   nbytes[1]) for v in sides[1]]
        dot_test(alpha, beta, len(beta) * (2 * p - 1) ** 2, nbytes[1], R, p,
                 lambda a, b: (f"completion {list(tup)} + units {units} regions "
                               f"{[a, b]} full rank, rows {rows}"))
        return True


_CB_PLANS: dict[tuple[int, tuple[int, ...], int, int], Any] = {}


def _cauchy_binet_plan(mY: int, pivots: tuple[int, ...], s: int,
                       mw: int) -> tuple[list[list[tuple[int, tuple[int, ...], int, int]]],
                                         list[tuple[int, ...]]]:
    """The nonzero terms of ``det(Z'[S, T])`` for the mY x mw matrix Z' whose rows at the free
    coordinates (those not in ``pivots``, ascending, free[t] for column t) are unit vectors e_t
    and whose rows at ``pivots`` (ascending) are the rows of a matrix M: per s-subset T of the
    columns (combinations order), a list of ``(S, Q, c, sign)`` meaning
    ``det(Z'[S, T]) = sign * det(M[Q, C])``, S the index of the s-subset of the coordinates,
    Q the rows of M, C the ``len(Q)``-subset of the columns with index c in combinations order;
    and the list of every Q used. Expanding along the unit rows: F (the free coordinates in S)
    must map into T, the unit rows form an identity block (the map is increasing), and the
    sign is ``(-1)^(positions of F in S + positions of their columns in T)``.

    >>> plan, Qs = _cauchy_binet_plan(3, (1,), 1, 2)  # Z' rows: e_0, M[0], e_1
    >>> plan, Qs
    ([[(0, (), 0, 1), (1, (0,), 0, 1)], [(2, (), 0, 1), (1, (0,), 1, 1)]], [(), (0,)])
    """
    key = (mY, pivots, s, mw)
    if key not in _CB_PLANS:
        free = [c for c in range(mY) if c not in pivots]
        index_S = {S: i for i, S in enumerate(itertools.combinations(range(mY), s))}
        index_T = {T: i for i, T in enumerate(itertools.combinations(range(mw), s))}
        cols = {k: {C: i for i, C in enumerate(itertools.combinations(range(mw), k))}
                for k in range(s + 1)}
        plan: list[list[tuple[int, tuple[int, ...], int, int]]] = [[] for _ in index_T]
        Qs = []
        for k in range(min(s, len(pivots)) + 1):
            for Q in itertools.combinations(range(len(pivots)), k):
                Qs.append(Q)
                for F in itertools.combinations(range(len(free)), s - k):
                    S = tuple(sorted([pivots[i] for i in Q] + [free[t] for t in F]))
                    rest = [t for t in range(mw) if t not in F]
                    for C in itertools.combinations(rest, k):
                        T = tuple(sorted(F + C))
                        parity = (sum(S.index(free[t]) for t in F)
                                  + sum(T.index(t) for t in F))
                        plan[index_T[T]].append((index_S[S], Q, cols[k][C], (-1) ** parity))
        _CB_PLANS[key] = (plan, Qs)
    return _CB_PLANS[key]  # type: ignore[no-any-return]
