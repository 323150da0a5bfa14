"""Version-independent random numbers for sample selection.

An accountant must be able to re-perform a selection from the manifest and the population file
alone, on any machine and years later.  A library generator (numpy, R, Excel) can change between
versions, so every random number in kic is derived from SHA-256 instead:

    digest = sha256(f"{seed}:{key}".encode("utf-8"))
    h      = int.from_bytes(digest[:8], "big") >> 11     # the top 53 bits: 0 <= h < 2**53
    u      = h / 2**53                                    # exact as a double, 0 <= u < 1

``key`` names what the number is for (``"start"``, ``"cell:3"``, ``"draw:17"``, ``"id:BET-001"``),
so the number for one item never depends on the other rows or on their order.  The 53-bit
integer ``h`` is kept as well, because exact integer arithmetic with it makes monetary-unit
positions independent of floating-point rounding.

An item's own number has a second, faster recipe (order ``"mix"``, the default since 2026-12): the
item's key ``k = first 8 bytes of SHA-256("id:<id>")`` does not depend on the seed, so it is computed
once per population, and the seed enters through one 64-bit number that is mixed in:

    k      = int.from_bytes(sha256(f"id:{id}").digest()[:8], "big")        # once per item
    s      = int.from_bytes(sha256(f"{seed}:volgorde").digest()[:8], "big")  # once per draw
    h      = splitmix64(k XOR s) >> 11                                    # SplitMix64's finaliser
    splitmix64(z): z ^= z >> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >> 27; z *= 0x94D049BB133111EB; z ^= z >> 31
                   (all modulo 2**64)

The finaliser is a bijection with full avalanche (Steele, Lea & Flood 2014, "Fast splittable
pseudorandom number generators"), so different seeds give unrelated orders of the same keys.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from kic.errors import KicError

BITS = 53
SCALE = 2**BITS


class SelectionError(KicError, ValueError):
    """Bad input for a selection; the message is Dutch, for the CLI and the web form.

    It lives here, in the module every selection module imports, so that allocation and
    selection share one error type without importing each other.
    """


def seed_text(seed: int | str) -> str:
    """The seed as it enters the hash: ints and strings alike, so the manifest can store text."""
    if isinstance(seed, bool) or not isinstance(seed, int | str):
        raise SelectionError("seed moet een geheel getal of een tekst zijn")
    return str(seed)


def hash53(seed: int | str, key: str) -> int:
    """The 53-bit integer h for one key (the reference recipe; see the module docstring)."""
    digest = hashlib.sha256(f"{seed_text(seed)}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - BITS)


def uniform(seed: int | str, key: str) -> float:
    """One uniform number u in [0, 1) for ``key``; exact, because h < 2**53."""
    return hash53(seed, key) / SCALE


def hash53_many(seed: int | str, keys: Iterable[str], prefix: str = "") -> np.ndarray:
    """h for many keys (each preceded by ``prefix``), as uint64; the numbers of :func:`hash53`.

    The seed and prefix are hashed once and the state copied per key, which halves the cost
    for a million items (about 0.5 s); the digests are joined and read by numpy in one go.
    """
    base = hashlib.sha256(f"{seed_text(seed)}:{prefix}".encode())

    def digest(key: str) -> bytes:
        state = base.copy()
        state.update(key.encode())
        return state.digest()

    raw = np.frombuffer(b"".join(map(digest, keys)), dtype=">u8").reshape(-1, 4)[:, 0]
    return raw.astype(np.uint64) >> np.uint64(64 - BITS)


def uniforms(seed: int | str, keys: Iterable[str]) -> np.ndarray:
    """u for many keys, as float64 (exact, see :func:`uniform`)."""
    return hash53_many(seed, keys).astype(np.float64) / SCALE


def item_hash53(seed: int | str, ids: Iterable[str]) -> np.ndarray:
    """h of every item's own key ``"id:<item id>"`` (see :func:`item_keys`), without building the keys."""
    return hash53_many(seed, ids, prefix="id:")


def item_keys64(ids: Iterable[str]) -> np.ndarray:
    """The seed-independent key k of every item (uint64): the first 8 bytes of SHA-256("id:<id>").

    This is the expensive part of the ``"mix"`` recipe (about 0.5 s for a million ids); compute it
    once per population and pass it to the selection functions as ``keys``.
    """
    base = hashlib.sha256(b"id:")

    def digest(key: str) -> bytes:
        state = base.copy()
        state.update(key.encode())
        return state.digest()

    return np.frombuffer(b"".join(map(digest, ids)), dtype=">u8").reshape(-1, 4)[:, 0].astype(np.uint64)


def seed_key64(seed: int | str) -> int:
    """s: the draw's 64-bit number that is mixed into every item key (``"<seed>:volgorde"``)."""
    return int.from_bytes(hashlib.sha256(f"{seed_text(seed)}:volgorde".encode()).digest()[:8], "big")


_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def mixed_hash53(seed: int | str, keys: np.ndarray) -> np.ndarray:
    """h = splitmix64(k XOR s) >> 11 for every item key k (uint64 in, uint64 out; vectorised).

    numpy's uint64 arithmetic wraps modulo 2**64, which is exactly the recipe's arithmetic.
    """
    if keys.dtype != np.uint64:
        raise SelectionError("itemsleutels moeten 64-bits gehele getallen zonder teken zijn")
    z = keys ^ np.uint64(seed_key64(seed))
    z ^= z >> np.uint64(30)
    z *= _M1
    z ^= z >> np.uint64(27)
    z *= _M2
    z ^= z >> np.uint64(31)
    z >>= np.uint64(64 - BITS)
    return z


def mixed_hash53_reference(seed: int | str, item_id: str) -> int:
    """The same number for one id in plain Python integers: the recipe as an accountant re-performs it."""
    mask = 2**64 - 1
    k = int.from_bytes(hashlib.sha256(f"id:{item_id}".encode()).digest()[:8], "big")
    z = k ^ seed_key64(seed)
    z ^= z >> 30
    z = (z * 0xBF58476D1CE4E5B9) & mask
    z ^= z >> 27
    z = (z * 0x94D049BB133111EB) & mask
    z ^= z >> 31
    return z >> (64 - BITS)


def item_keys(ids: Iterable[str]) -> list[str]:
    """The key of an item's own number: ``"id:<item id>"`` keeps ids apart from ``"start"`` etc."""
    return [f"id:{item}" for item in ids]
