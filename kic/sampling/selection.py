"""Reproducible sample selection: monetary units, items, risk-weighted PPS and strata.

Every random number comes from :mod:`kic.sampling.rng` (SHA-256 of seed and a named key), and
every order that matters is canonical (sorted by item id, or by the item's own hash), so the
same seed and population give the same sample on any machine, whatever the row order of the
file.  Monetary-unit positions are computed in exact integer arithmetic on amounts in cents.
The recipe an accountant follows to re-perform each method is in docs/methodology.md §7.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import pandas as pd

from kic.sampling import rng
from kic.sampling.rng import SelectionError
from kic.sampling.stratify import Allocation, AllocationMethod, allocate

__all__ = [
    "Selection",
    "SelectionError",
    "StratifiedSelection",
    "select_items",
    "select_mus",
    "select_risk_weighted",
    "select_stratified",
]

MusMethod = Literal["interval", "cell", "random", "sieve"]
ItemMethod = Literal["random", "systematic"]
Order = Literal["id", "hash", "mix"]
Negatives = Literal["error", "exclude", "absolute"]
S = rng.SCALE


@dataclass(frozen=True)
class Selection:
    """A drawn sample and everything needed to re-perform and evaluate it.

    ``ids`` are the sampled items (key items excluded) in the order they were first hit;
    ``hits`` counts how often each was hit (methods with replacement can hit an item twice);
    ``inclusion_probabilities`` (π) and ``expected_hits`` (draws × draw probability) feed the
    Horvitz–Thompson and Hansen–Hurwitz estimators.  Key items (taken 100 %), zero and negative
    amounts are reported, never silently dropped.
    """

    method: str
    seed: str
    parameters: Mapping[str, Any]
    ids: tuple[str, ...]
    hits: tuple[int, ...]
    inclusion_probabilities: tuple[float, ...] | None
    expected_hits: tuple[float, ...] | None
    population_size: int
    draws: int
    order: str
    key_ids: tuple[str, ...] = ()
    zero_ids: tuple[str, ...] = ()
    negative_ids: tuple[str, ...] = ()
    population_total: int | None = None
    key_total: int = 0
    sampled_total: float | None = None
    interval: Fraction | None = None
    start: Fraction | None = None
    max_draw_estimate: float | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def n_items(self) -> int:
        """Distinct items to review: sampled items plus key items."""
        return len(self.ids) + len(self.key_ids)

    def to_frame(self) -> pd.DataFrame:
        """One row per item to review, key items last, for the manifest and the review queue."""
        n_key = len(self.key_ids)
        return pd.DataFrame(
            {
                "id": list(self.ids) + list(self.key_ids),
                "key_item": [False] * len(self.ids) + [True] * n_key,
                "hits": list(self.hits) + [1] * n_key,
                "inclusion_probability": list(self.inclusion_probabilities or [np.nan] * len(self.ids))
                + [1.0] * n_key,
            }
        )


@dataclass(frozen=True)
class StratifiedSelection:
    """One :class:`Selection` per stratum, with the allocation that sized them."""

    allocation: Allocation
    selections: Mapping[str, Selection]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i for sel in self.selections.values() for i in (*sel.ids, *sel.key_ids))


# --------------------------------------------------------------------------- input


def _ids(ids: Sequence[str] | np.ndarray | pd.Series) -> np.ndarray:
    """Ids as a numpy array of str: unicode dtype, or object dtype when they came as Python strings.

    Object arrays are kept as they are: hashing needs Python strings, and converting a million
    of them to a unicode array and back costs more than the hashing saves.
    """
    arr = np.asarray(ids)
    if arr.ndim != 1 or arr.size == 0:
        raise SelectionError("de populatie is leeg of heeft geen eendimensionale lijst van ids")
    if arr.dtype.kind == "O":
        if pd.api.types.infer_dtype(arr, skipna=False) != "string":
            raise SelectionError("ids moeten teksten zijn")
        return arr
    return arr if arr.dtype.kind == "U" else arr.astype(str)


def _keys(keys: np.ndarray | pd.Series | None, size: int) -> np.ndarray | None:
    if keys is None:
        return None
    arr = np.asarray(keys)
    if arr.shape != (size,) or arr.dtype != np.uint64:
        raise SelectionError("geef precies één itemsleutel (uint64, rng.item_keys64) per post")
    return arr


def _item_numbers(
    ids: np.ndarray, seed: int | str, order: Order, keys: np.ndarray | None, check: bool = True
) -> np.ndarray:
    """Every item's own number h (uint64 < 2**53): the "mix" recipe, or SHA-256 per item ("hash").

    Also the check that ids are unique: equal ids have equal numbers, so distinct numbers prove
    distinct ids and the expensive string comparison is only needed when two numbers agree.
    """
    if order == "mix":
        h = rng.mixed_hash53(seed, keys if keys is not None else rng.item_keys64(ids.tolist()))
    elif order == "hash":
        h = rng.item_hash53(seed, ids.tolist())
    else:
        raise SelectionError(f"onbekende volgorde {order!r}; kies 'mix', 'hash' of 'id'")
    if check:
        sorted_h = np.sort(h)
        if (sorted_h[1:] == sorted_h[:-1]).any():
            _check_unique(np.sort(ids.astype(str)))
    return h


def _canonical(
    ids: np.ndarray, seed: int | str, order: Order, keys: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """Row numbers in canonical order (and, for mix and hash order, the items' h in that order).

    Ties of h (distinct ids with the same 53-bit number, about once in 20,000 draws of a million
    items) are broken by id, so the order is always defined.
    """
    if order == "id":
        perm = np.argsort(ids.astype(str) if ids.dtype.kind == "O" else ids, kind="stable")
        _check_unique(ids[perm])
        return perm, None
    h = _item_numbers(ids, seed, order, keys, check=False)
    perm = _order_of_numbers(h, ids)
    return perm, h[perm]


def _order_of_numbers(h: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Row numbers sorted by h (< 2**53), ties by id: the order of ``np.lexsort((ids, h))``.

    numpy sorts plain uint64 values several times faster than it arg-sorts them, so each row
    number is packed under the top bits of its h and the packed values are sorted. Rows whose
    top bits agree (a few dozen in a million) are then put in order by their full h and id.
    """
    n = h.size
    row_bits = max(1, (n - 1).bit_length())
    if row_bits > 40:  # more than a trillion items: the plain way
        return _lexsort_checked(h, ids, np.arange(n))
    shift = max(0, rng.BITS - (64 - row_bits))  # bits of h that do not fit beside the row number
    rows = np.arange(n, dtype=np.uint64)
    packed = np.sort(((h >> np.uint64(shift)) << np.uint64(row_bits)) | rows)
    perm = (packed & np.uint64((1 << row_bits) - 1)).astype(np.intp)
    prefix = packed >> np.uint64(row_bits)
    tied = np.flatnonzero(prefix[1:] == prefix[:-1])
    if tied.size:
        positions = np.unique(np.concatenate([tied, tied + 1]))
        run_starts = np.r_[True, prefix[positions][1:] != prefix[positions][:-1]]
        perm[positions] = _lexsort_checked(h, ids, perm[positions], np.cumsum(run_starts))
    return perm


def _lexsort_checked(
    h: np.ndarray, ids: np.ndarray, rows: np.ndarray, runs: np.ndarray | None = None
) -> np.ndarray:
    """``rows`` sorted by (run, h, id); two rows with equal h must have different ids."""
    sub_ids = ids[rows].astype(str)
    keys = (sub_ids, h[rows]) if runs is None else (sub_ids, h[rows], runs)
    ordered = rows[np.lexsort(keys)]
    sorted_h = h[ordered]
    if (sorted_h[1:] == sorted_h[:-1]).any():
        _check_unique(np.sort(sub_ids))
    return ordered


def _own_numbers_order(order: Order) -> Order:
    """The recipe of the items' own numbers for methods that need no order (sieve, simple random):
    "mix" since 2026-12; before that SHA-256 per item, also in manifests that say "id"."""
    return "mix" if order == "mix" else "hash"


def _check_keys(ids: np.ndarray, keys: np.ndarray | None, rows: np.ndarray) -> None:
    """Given keys must be the ids' keys: checked for the selected rows (``kic sample verify`` recomputes all)."""
    if keys is not None and rows.size and not np.array_equal(keys[rows], rng.item_keys64(ids[rows].tolist())):
        raise SelectionError("de opgegeven itemsleutels horen niet bij de ids")


def _amounts(amounts: Sequence[int] | np.ndarray | pd.Series, size: int) -> np.ndarray:
    arr = np.asarray(amounts)
    if arr.dtype.kind not in "iu":
        raise SelectionError("bedragen moeten gehele centen zijn (int64), geen kommagetallen")
    if arr.shape != (size,):
        raise SelectionError(f"aantal bedragen ({arr.size}) wijkt af van het aantal ids ({size})")
    return arr.astype(np.int64)


def _check_unique(sorted_ids: np.ndarray) -> None:
    dup = sorted_ids[1:][sorted_ids[1:] == sorted_ids[:-1]]
    if dup.size:
        shown = ", ".join(np.unique(dup)[:5].tolist())
        raise SelectionError(f"ids komen meer dan eens voor ({dup.size}×), bijvoorbeeld: {shown}")


def _check_n(n: int | None, available: int, what: str) -> None:
    if n is None or isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise SelectionError("steekproefomvang n moet een positief geheel getal zijn")
    if n > available:
        raise SelectionError(f"steekproefomvang n = {n} is groter dan het aantal {what} ({available})")


# --------------------------------------------------------------------------- hits


def _first_hit_order(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct positions in order of first hit, with their hit counts."""
    uniq, first, counts = np.unique(idx, return_index=True, return_counts=True)
    by_first = np.argsort(first, kind="stable")
    return uniq[by_first], counts[by_first]


def _ceil_div(num: int, den: int) -> int:
    return -((-num) // den)


def _positions(points: list[Fraction]) -> np.ndarray:
    """Monetary unit hit by each point: the item whose cumulative amount is ≥ ceil(point)."""
    return np.array([math.ceil(p) for p in points], dtype=np.int64)


# --------------------------------------------------------------------------- MUS


def select_mus(
    ids: Sequence[str] | np.ndarray | pd.Series,
    amounts: Sequence[int] | np.ndarray | pd.Series,
    *,
    seed: int | str,
    n: int | None = None,
    interval: int | Fraction | None = None,
    method: MusMethod = "interval",
    start: int | Fraction | None = None,
    order: Order = "id",
    negatives: Negatives = "error",
    key_items: bool = True,
    keys: np.ndarray | pd.Series | None = None,
) -> Selection:
    """Monetary-unit sample (MUS): each cent has the same chance, so big items are likelier.

    Give ``n`` (the interval becomes J = rest total / (n − key items), iterated until no more
    key items appear) or ``interval`` (J in cents).  Items with amount ≥ J are key items.
    ``start`` (0 < start ≤ J, in cents) reproduces a published fixed-interval example;
    ``key_items=False`` leaves large items in the draw (hit up to ⌈amount/J⌉ times, as in the
    textbooks and jfa), which is only for re-performing such examples.  ``keys``: the items' keys
    for order ``"mix"`` (``rng.item_keys64(ids)``), when the caller has them already.
    """
    if method not in ("interval", "cell", "random", "sieve"):
        raise SelectionError(f"onbekende MUS-methode {method!r}")
    if (n is None) == (interval is None):
        raise SelectionError("geef óf een steekproefomvang n óf een interval, niet beide of geen van beide")
    if interval is not None and method not in ("interval", "cell"):
        raise SelectionError(f"methode {method!r} vraagt een steekproefomvang n, geen interval")
    id_arr = _ids(ids)
    amt = _amounts(amounts, id_arr.size)
    item_keys = _keys(keys, id_arr.size)
    if method == "sieve":
        order = _own_numbers_order(
            order
        )  # the sieve needs every item's own number; its sample ignores the order
    perm, item_h = _canonical(id_arr, seed, order, item_keys)
    amt = amt[perm]
    size, zero_rows, negative_rows = _mus_sizes(amt, negatives, id_arr, perm)
    eligible = size > 0
    if n is not None:
        _check_n(n, int(eligible.sum()), "posten met een bedrag")
    key, J, m = _key_items(size, n, Fraction(interval) if interval is not None else None, key_items)
    rest = eligible & ~key
    rest_rows = perm[rest]  # rows of the given ids, in canonical order
    if method == "sieve":
        assert item_h is not None
        idx, pi, e_hits, start_used = _mus_sieve(id_arr, rest_rows, size[rest], item_h[rest], m, start)
    else:
        idx, pi, e_hits, start_used = _MUS_DRAWS[method](size[rest], J, m, seed, start)
    uniq, hits = _first_hit_order(idx) if idx.size else (idx, idx)
    _check_keys(id_arr, item_keys, rest_rows[uniq])
    rest_total = int(size[rest].sum())
    return Selection(
        method=f"mus_{method}",
        seed=rng.seed_text(seed),
        parameters={
            "n": n,
            "interval": None if interval is None else str(interval),
            "start": start,
            "order": order,
            "negatives": negatives,
            "key_items": key_items,
        },
        ids=tuple(id_arr[rest_rows[uniq]].tolist()),
        hits=tuple(int(h) for h in hits),
        inclusion_probabilities=None if pi is None else tuple(float(p) for p in pi[uniq]),
        expected_hits=tuple(float(e) for e in e_hits[uniq]),
        population_size=int(id_arr.size),
        draws=m,
        order=order,
        key_ids=tuple(id_arr[perm[key]].tolist()),
        zero_ids=tuple(id_arr[zero_rows].tolist()),
        negative_ids=tuple(id_arr[negative_rows].tolist()),
        population_total=int(amt.sum()),
        key_total=int(amt[key].sum()),
        sampled_total=rest_total,
        interval=J,
        start=start_used,
        max_draw_estimate=float(rest_total),
        notes=("π van de zeefmethode is benaderd als m·b/R",) if method == "sieve" else (),
    )


def _mus_sizes(
    amt: np.ndarray, negatives: Negatives, id_arr: np.ndarray, perm: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Selection size per item (cents, ``amt`` in canonical order ``perm`` of ``id_arr``) and the
    rows (of ``id_arr``) with a zero and a negative amount, which are reported."""
    neg = amt < 0
    zero_rows, negative_rows = perm[amt == 0], perm[neg]
    if neg.any() and negatives == "error":
        raise SelectionError(
            f"{int(neg.sum())} posten hebben een negatief bedrag (bijvoorbeeld {id_arr[negative_rows[0]]}); "
            "kies negatives='exclude' (apart beoordelen) of 'absolute' (selecteren op absolute waarde)"
        )
    if negatives == "absolute":
        return np.abs(amt), zero_rows, negative_rows
    if negatives != "exclude" and negatives != "error":
        raise SelectionError(f"onbekende keuze voor negatieve bedragen {negatives!r}")
    return np.where(neg, 0, amt), zero_rows, negative_rows


def _key_items(
    size: np.ndarray, n: int | None, interval: Fraction | None, extract: bool = True
) -> tuple[np.ndarray, Fraction | None, int]:
    """Key items (size ≥ J), the interval J and the number of draws m from the rest.

    With n given, J = rest / (n − k) shrinks as key items leave, so iterate to a fixed point.
    """
    if not extract:
        total = int(size.sum())
        J = interval if interval is not None else Fraction(total, n)
        if J <= 0:
            raise SelectionError("het interval moet positief zijn")
        return np.zeros(size.size, dtype=bool), J, math.ceil(Fraction(total) / J)
    if interval is not None:
        if interval <= 0:
            raise SelectionError("het interval moet positief zijn")
        key = size >= interval
        rest = int(size[~key].sum())
        return key, interval, math.ceil(Fraction(rest) / interval) if rest else 0
    assert n is not None
    key = np.zeros(size.size, dtype=bool)
    while True:
        m = n - int(key.sum())
        rest = int(size[~key].sum())
        if m <= 0 or rest == 0:
            return key, None, 0
        J = Fraction(rest, m)
        if int(size.max()) > 2**62 // m:  # size·m would overflow int64: compare in Python integers
            new = np.array([int(v) * m >= rest for v in size.tolist()], dtype=bool)
        else:
            new = size * m >= rest
        if int(new.sum()) == int(key.sum()):
            return key, J, m
        key = new


def _cumsum(size: np.ndarray) -> np.ndarray:
    return np.cumsum(size, dtype=np.int64)


def _mus_interval(
    size: np.ndarray, J: Fraction | None, m: int, seed: int | str, start: int | Fraction | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Fraction | None]:
    """Fixed interval: points start + i·J, start = (1 − u(seed,"start"))·J unless given."""
    if J is None or m == 0:
        return _empty(start)
    if start is None:
        s = Fraction(S - rng.hash53(seed, "start"), S) * J
    else:
        s = Fraction(start)
        if not 0 < s <= J:
            raise SelectionError(
                f"het startpunt moet groter dan 0 en hoogstens het interval ({float(J):.2f}) zijn"
            )
    total = int(size.sum())
    count = math.floor((total - s) / J) + 1
    idx = np.searchsorted(_cumsum(size), _positions([s + i * J for i in range(count)]), side="left")
    e_hits = size / float(J)
    return idx, np.minimum(e_hits, 1.0), e_hits, s


def _mus_cell(
    size: np.ndarray, J: Fraction | None, m: int, seed: int | str, start: int | Fraction | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Fraction | None]:
    """Cell: one point per interval, at (i + 1 − u(seed,"cell:i+1"))·J; points past the end hit nothing."""
    if start is not None:
        raise SelectionError("een startpunt hoort alleen bij de methode 'interval'")
    if J is None or m == 0:
        return _empty(None)
    h = rng.hash53_many(seed, [f"cell:{i + 1}" for i in range(m)]).tolist()
    points = [Fraction((i + 1) * S - hi, S) * J for i, hi in enumerate(h)]
    cum = _cumsum(size)
    pos = _positions(points)
    pos = pos[pos <= cum[-1]]
    idx = np.searchsorted(cum, pos, side="left")
    return idx, _at(idx, lambda rows: _cell_pi(cum[rows], size[rows], float(J))), size / float(J), None


def _at(idx: np.ndarray, values: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """An array over all items that holds ``values(rows)`` at the selected rows only (zero elsewhere):
    π is read for the sample, so it need not be computed for a million items."""
    rows = np.unique(idx)
    out = np.zeros(int(idx.max()) + 1 if idx.size else 0)
    out[rows] = values(rows)
    return out


def _cell_pi(cum: np.ndarray, size: np.ndarray, J: float) -> np.ndarray:
    """Exact π for cell selection: an item (< J) lies in one cell or straddles two."""
    lo = (cum - size).astype(float)
    hi = cum.astype(float)
    boundary = np.floor(hi / J) * J
    straddles = boundary > lo
    o1 = np.where(straddles, boundary - lo, size) / J
    o2 = np.where(straddles, hi - boundary, 0.0) / J
    return np.where(size >= J, 1.0, 1.0 - (1.0 - o1) * (1.0 - o2))


def _mus_random(
    size: np.ndarray, J: Fraction | None, m: int, seed: int | str, start: int | Fraction | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Fraction | None]:
    """Random with replacement: draw k hits unit (1 − u(seed,"draw:k"))·R, k = 1..m."""
    if start is not None:
        raise SelectionError("een startpunt hoort alleen bij de methode 'interval'")
    if m == 0:
        return _empty(None)
    total = int(size.sum())
    h = rng.hash53_many(seed, [f"draw:{k + 1}" for k in range(m)]).tolist()
    pos = np.array([_ceil_div((S - hk) * total, S) for hk in h], dtype=np.int64)
    idx = np.searchsorted(_cumsum(size), pos, side="left")
    p = size / total
    return idx, _at(idx, lambda rows: _with_replacement_pi(p[rows], m)), m * p, None


def _with_replacement_pi(p: np.ndarray, m: int) -> np.ndarray:
    """π = 1 − (1 − p)^m: the chance that m draws with replacement hit an item of draw probability p."""
    return -np.expm1(m * np.log1p(-np.minimum(p, 1.0 - 1e-16)))


def _mus_sieve(
    ids: np.ndarray,
    rows: np.ndarray,
    size: np.ndarray,
    item_h: np.ndarray,
    m: int,
    start: int | Fraction | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Fraction | None]:
    """Sieve: rank items by u / amount (u: the item's own number) and keep the m smallest (= largest
    amount/u); ties by id. ``rows``: the row in ``ids`` of each of the candidates ``size``, ``item_h``."""
    if start is not None:
        raise SelectionError("een startpunt hoort alleen bij de methode 'interval'")
    if m == 0:
        return _empty(None)
    key = (item_h.astype(np.float64) / S) / size
    top = np.argpartition(key, m - 1)[:m] if m < key.size else np.arange(key.size)
    rank = top[np.lexsort((ids[rows[top]].astype(str), key[top]))]
    p = size / float(size.sum())
    return rank, np.minimum(m * p, 1.0), m * p, None


def _empty(start: int | Fraction | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, Fraction | None]:
    nothing = np.zeros(0, dtype=np.int64)
    return nothing, nothing.astype(float), nothing.astype(float), None if start is None else Fraction(start)


_MUS_DRAWS = {"interval": _mus_interval, "cell": _mus_cell, "random": _mus_random}


# --------------------------------------------------------------------------- items


def select_items(
    ids: Sequence[str] | np.ndarray | pd.Series,
    *,
    n: int,
    seed: int | str,
    method: ItemMethod = "random",
    start: int | Fraction | None = None,
    order: Order = "id",
    keys: np.ndarray | pd.Series | None = None,
) -> Selection:
    """Item (record) sample, each item equally likely; for attribute tests and error rates.

    ``random``: the n items with the smallest own number u (see :mod:`kic.sampling.rng`) — simple
    random without replacement, and a larger n extends a smaller sample.  ``systematic``: items in
    the canonical ``order`` (by id, or by each item's own number, which makes the sample independent
    of any order in the ids), rows ceil(start + i·N/n) with start = (1 − u(seed,"start"))·N/n unless
    given.  ``keys``: the items' keys for order ``"mix"``, when the caller has them already.
    """
    id_arr = _ids(ids)
    N = int(id_arr.size)
    item_keys = _keys(keys, N)
    _check_n(n, N, "posten")
    if method == "random":
        if start is not None:
            raise SelectionError("een startpunt hoort alleen bij de methode 'systematic'")
        order = _own_numbers_order(order)
        idx, start_used = _srs(id_arr, n, seed, order, item_keys), None
    elif method == "systematic":
        start_used = (
            Fraction(start)
            if start is not None
            else Fraction(S - rng.hash53(seed, "start"), S) * Fraction(N, n)
        )
        idx = _systematic_rows(id_arr, n, start_used, seed, order, item_keys)
    else:
        raise SelectionError(f"onbekende methode {method!r}; kies 'random' of 'systematic'")
    _check_keys(id_arr, item_keys, idx)
    pi = n / N
    return Selection(
        method=f"items_{method}",
        seed=rng.seed_text(seed),
        parameters={"n": n, "start": None if start is None else str(start)},
        ids=tuple(id_arr[idx].tolist()),
        hits=(1,) * len(idx),
        inclusion_probabilities=(pi,) * len(idx),
        expected_hits=(pi,) * len(idx),
        population_size=N,
        draws=n,
        order=order,
        interval=Fraction(N, n) if method == "systematic" else None,
        start=start_used,
    )


def _srs(id_arr: np.ndarray, n: int, seed: int | str, order: Order, keys: np.ndarray | None) -> np.ndarray:
    """The n rows with the smallest own numbers, smallest first (ties by id): only those n are sorted."""
    h = _item_numbers(id_arr, seed, order, keys)
    if n < h.size:
        # every row whose number is at most the n-th smallest, so that ties at the cut are decided by id
        cut = h[np.argpartition(h, n - 1)[n - 1]]
        rows = np.flatnonzero(h <= cut)
    else:
        rows = np.arange(h.size)
    return rows[np.lexsort((id_arr[rows].astype(str), h[rows]))][:n]


def _systematic_rows(
    id_arr: np.ndarray, n: int, s: Fraction, seed: int | str, order: Order, keys: np.ndarray | None
) -> np.ndarray:
    perm, _ = _canonical(id_arr, seed, order, keys)
    J = Fraction(id_arr.size, n)
    if not 0 < s <= J:
        raise SelectionError(f"het startpunt moet groter dan 0 en hoogstens N/n ({float(J):.4f}) zijn")
    rows = _positions([s + i * J for i in range(n)])
    return perm[rows - 1]


# --------------------------------------------------------------------------- risk-weighted PPS


def select_risk_weighted(
    ids: Sequence[str] | np.ndarray | pd.Series,
    amounts: Sequence[int] | np.ndarray | pd.Series,
    weights: Sequence[float] | np.ndarray | pd.Series,
    *,
    n: int,
    seed: int | str,
    replace: bool = False,
    order: Order = "id",
    negatives: Negatives = "error",
    keys: np.ndarray | pd.Series | None = None,
) -> Selection:
    """Probability proportional to size x = |amount| × risk weight, with π of every item.

    ``replace=False``: systematic PPS on the canonical order (π = x/J exactly, Horvitz–Thompson);
    ``replace=True``: n independent draws (Hansen–Hurwitz), hits counted.  Items whose n·x/X ≥ 1
    are taken with certainty (key items), as in MUS.  ``keys``: as in :func:`select_mus`.
    """
    id_arr = _ids(ids)
    amt = _amounts(amounts, id_arr.size)
    item_keys = _keys(keys, id_arr.size)
    w = np.asarray(weights, dtype=float)
    if w.shape != amt.shape or not np.isfinite(w).all() or (w <= 0).any():
        raise SelectionError("risicogewichten moeten eindig en positief zijn, één per post")
    perm, _ = _canonical(id_arr, seed, order, item_keys)
    amt, w = amt[perm], w[perm]
    cents, zero_rows, negative_rows = _mus_sizes(amt, negatives, id_arr, perm)
    x = cents * w
    _check_n(n, int((x > 0).sum()), "posten met een bedrag")
    key, m, J = _pps_key_items(x, n)
    rest = (x > 0) & ~key
    rest_rows = perm[rest]
    xr = x[rest]
    idx, pi, e_hits = (_pps_wr if replace else _pps_systematic)(xr, m, J, seed)
    uniq, hits = _first_hit_order(idx) if idx.size else (idx, idx)
    _check_keys(id_arr, item_keys, rest_rows[uniq])
    return Selection(
        method="pps_with_replacement" if replace else "pps_systematic",
        seed=rng.seed_text(seed),
        parameters={"n": n, "replace": replace, "order": order, "negatives": negatives},
        ids=tuple(id_arr[rest_rows[uniq]].tolist()),
        hits=tuple(int(h) for h in hits),
        inclusion_probabilities=tuple(float(p) for p in pi[uniq]),
        expected_hits=tuple(float(e) for e in e_hits[uniq]),
        population_size=int(id_arr.size),
        draws=m,
        order=order,
        key_ids=tuple(id_arr[perm[key]].tolist()),
        zero_ids=tuple(id_arr[zero_rows].tolist()),
        negative_ids=tuple(id_arr[negative_rows].tolist()),
        population_total=int(amt.sum()),
        key_total=int(amt[key].sum()),
        sampled_total=float(xr.sum()),
        max_draw_estimate=float(xr.sum() / w[rest].min()) if xr.size else None,
    )


def _pps_key_items(x: np.ndarray, n: int) -> tuple[np.ndarray, int, float]:
    key = np.zeros(x.size, dtype=bool)
    while True:
        m = n - int(key.sum())
        rest = float(x[~key].sum())
        if m <= 0 or rest == 0:
            return key, 0, 0.0
        new = x * m >= rest
        if int(new.sum()) == int(key.sum()):
            return key, m, rest / m
        key = new


def _pps_systematic(
    x: np.ndarray, m: int, J: float, seed: int | str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if m == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    u = rng.uniform(seed, "start")
    points = (1.0 - u + np.arange(m)) * J
    idx = np.minimum(np.searchsorted(np.cumsum(x), points, side="left"), x.size - 1)
    pi = x / J
    return idx, pi, pi


def _pps_wr(x: np.ndarray, m: int, J: float, seed: int | str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if m == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    total = float(x.sum())
    u = rng.uniforms(seed, [f"draw:{k + 1}" for k in range(m)])
    idx = np.minimum(np.searchsorted(np.cumsum(x), (1.0 - u) * total, side="left"), x.size - 1)
    p = x / total
    return idx, _at(idx, lambda rows: _with_replacement_pi(p[rows], m)), m * p


# --------------------------------------------------------------------------- strata


def select_stratified(
    ids: Sequence[str] | np.ndarray | pd.Series,
    strata: Sequence[str] | np.ndarray | pd.Series,
    *,
    n: int,
    seed: int | str,
    design: Literal["mus", "items", "risk_weighted"] = "mus",
    method: str | None = None,
    allocation: AllocationMethod = "value",
    amounts: Sequence[int] | np.ndarray | pd.Series | None = None,
    weights: Sequence[float] | np.ndarray | pd.Series | None = None,
    fixed: Mapping[str, int] | None = None,
    negatives: Negatives = "error",
    order: Order = "id",
    keys: np.ndarray | pd.Series | None = None,
) -> StratifiedSelection:
    """Stratified selection: allocate n over the strata, then select in each with seed "<seed>/<stratum>".

    Strata are e.g. regeling, period or risk class.  The per-stratum seed keeps one stratum's
    sample unchanged when another stratum's population changes.
    """
    id_arr = _ids(ids)
    item_keys = _keys(keys, id_arr.size)
    # a Categorical (or category Series) is factorised for free; strings cost ~0.1 s per million
    labels_in = strata if isinstance(strata, pd.Categorical | pd.Series) else np.asarray(strata, dtype=object)
    codes, uniques = pd.factorize(labels_in)
    if codes.shape != id_arr.shape or (codes < 0).any():
        raise SelectionError("geef voor elke post precies één stratum")
    amt = None if amounts is None else _amounts(amounts, id_arr.size)
    if amt is None and (design != "items" or allocation in ("value", "neyman")):
        raise SelectionError("deze opzet of allocatie vraagt bedragen per post")
    labels = [str(u) for u in uniques]
    if len(set(labels)) != len(labels):
        raise SelectionError("twee strata hebben dezelfde naam als tekst")
    names = sorted(labels)
    by_stratum = np.argsort(codes.astype(np.int16) if len(labels) < 2**15 else codes, kind="stable")
    bounds = np.searchsorted(codes[by_stratum], np.arange(len(labels) + 1))
    rows = {label: by_stratum[bounds[k] : bounds[k + 1]] for k, label in enumerate(labels)}
    alloc = _allocate(names, rows, amt, n, allocation, fixed, design)
    sels = {
        s: _select_stratum(
            design,
            method,
            id_arr[rows[s]],
            amt,
            weights,
            rows[s],
            k,
            f"{rng.seed_text(seed)}/{s}",
            negatives,
            order,
            None if item_keys is None else item_keys[rows[s]],
        )
        for s, k in zip(alloc.strata, alloc.sizes, strict=True)
        if k > 0
    }
    return StratifiedSelection(alloc, sels)


def _allocate(
    names: list[str],
    masks: dict[str, np.ndarray],  # the rows of each stratum
    amt: np.ndarray | None,
    n: int,
    allocation: AllocationMethod,
    fixed: Mapping[str, int] | None,
    design: str,
) -> Allocation:
    positive = {
        s: (amt[m] > 0) if amt is not None and design != "items" else np.ones(m.size, bool)
        for s, m in masks.items()
    }
    sizes = [int(positive[s].sum()) for s in names]
    # exact integer totals and sorted values: float sums must not depend on the row order
    totals = [float(int(np.abs(amt[masks[s]]).sum())) for s in names] if amt is not None else None
    sds = (
        [float(np.std(np.sort(amt[masks[s]]), ddof=1)) if masks[s].size > 1 else 0.0 for s in names]
        if amt is not None
        else None
    )
    return allocate(names, sizes, n, method=allocation, totals=totals, std_devs=sds, fixed=fixed)


def _select_stratum(
    design: str,
    method: str | None,
    ids: np.ndarray,
    amt: np.ndarray | None,
    weights: Any,
    mask: np.ndarray,  # the stratum's rows
    k: int,
    seed: str,
    negatives: Negatives,
    order: Order,
    keys: np.ndarray | None,
) -> Selection:
    if design == "items":
        return select_items(ids, n=k, seed=seed, method=method or "random", order=order, keys=keys)  # type: ignore[arg-type]
    assert amt is not None
    if design == "mus":
        return select_mus(
            ids,
            amt[mask],
            n=k,
            seed=seed,
            method=method or "interval",  # type: ignore[arg-type]
            negatives=negatives,
            order=order,
            keys=keys,
        )
    if design == "risk_weighted":
        if weights is None:
            raise SelectionError("risicogewogen selectie vraagt risicogewichten per post")
        return select_risk_weighted(
            ids,
            amt[mask],
            np.asarray(weights, dtype=float)[mask],
            n=k,
            seed=seed,
            replace=method == "with_replacement",
            negatives=negatives,
            order=order,
            keys=keys,
        )
    raise SelectionError(f"onbekende opzet {design!r}; kies 'mus', 'items' of 'risk_weighted'")
