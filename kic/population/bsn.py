"""The burgerservicenummer and its elfproef.

A BSN has nine digits d1..d9 (an eight-digit number gets a leading zero) and is valid when
9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11 and the number is not 000000000
(Besluit BSN / Logius). The vectorised form is what the importer uses on a million rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1], dtype=np.int64)


def is_valid_bsn(value: str) -> bool:
    """Return True when ``value`` (8 or 9 digits) passes the elfproef."""
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) not in (8, 9):
        return False
    digits = np.frombuffer(value.zfill(9).encode("ascii"), dtype=np.uint8).astype(np.int64) - 48
    total = int(digits @ _WEIGHTS)
    return total % 11 == 0 and total != 0


def valid_bsn_mask(values: pd.Series) -> np.ndarray:
    """Vectorised elfproef over a Series of strings; missing values count as invalid."""
    text = values.fillna("").astype(str).str.strip()
    shape_ok = text.str.fullmatch(r"\d{8,9}").fillna(False).to_numpy(dtype=bool)
    padded = text.where(shape_ok, "000000000").str.zfill(9)
    raw = np.frombuffer("".join(padded.tolist()).encode("ascii"), dtype=np.uint8)
    digits = raw.reshape(-1, 9).astype(np.int64) - 48
    totals = digits @ _WEIGHTS
    return shape_ok & (totals % 11 == 0) & (totals != 0)


def make_bsn(stem: int) -> str:
    """Turn an eight-digit stem (0..99,999,999) into a valid BSN by choosing the check digit.

    Stems whose weighted sum leaves remainder 10 have no valid check digit; the next stem is used.
    Used by the synthetic gemeente and tests; never derived from a real person.
    """
    while True:
        head = f"{stem % 100_000_000:08d}"
        total = sum(w * int(d) for w, d in zip(_WEIGHTS[:8], head, strict=False))
        check = total % 11
        if check <= 9 and total != check:  # a weighted sum of 0 (as 000000000) is not a BSN
            return head + str(check)
        stem += 1
