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
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

BITS = 53
SCALE = 2**BITS


class SelectionError(ValueError):
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


def item_keys(ids: Iterable[str]) -> list[str]:
    """The key of an item's own number: ``"id:<item id>"`` keeps ids apart from ``"start"`` etc."""
    return [f"id:{item}" for item in ids]
