"""Vectorised parsers for the numbers, dates and flags of Dutch exports.

Every parser takes a pandas Series of strings (missing values as NA) and returns the parsed values
plus a boolean mask of the cells that could not be parsed, so that the importer can report every
bad cell at once. Amounts never pass through float: they become integer cents.

Accepted amounts: ``1.234,56`` ``1234,56`` ``€ 1.234,56`` ``-12,5`` ``12,50-`` ``(12,50)`` ``1234.56``
(a single point followed by one or two digits is a decimal point; points between groups of three
digits are thousands separators). Accepted dates: ``dd-mm-jjjj``, ``d-m-jjjj``, ``dd/mm/jjjj``,
``jjjjmmdd`` and ISO ``jjjj-mm-dd``.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

_MONEY_NL = r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d{1,2}))?"
_MONEY_POINT = r"(?P<int>\d+)\.(?P<frac>\d{1,2})"
_QTY_NL = r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d{1,3}))?"
_QTY_POINT = r"(?P<int>\d+)\.(?P<frac>\d{1,3})"
TRUE_WORDS = frozenset({"ja", "j", "1", "true", "waar", "yes", "y", "x"})
FALSE_WORDS = frozenset({"nee", "n", "0", "false", "onwaar", "no"})


def _clean(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().replace("", pd.NA)


def _split_sign(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Strip the euro sign and spaces and pull out a leading, trailing or bracketed minus."""
    text = text.str.replace(r"[€\s\u00a0]|EUR", "", regex=True)
    bracketed = text.str.fullmatch(r"\(.*\)").fillna(False)
    text = text.mask(bracketed, text.str.slice(1, -1))
    lead = text.str.startswith("-").fillna(False)
    trail = text.str.endswith("-").fillna(False)
    text = text.str.replace(r"^[-+]|-$", "", regex=True)
    negative = (bracketed | lead | trail).to_numpy(dtype=bool)
    return text, negative


def _scaled(text: pd.Series, patterns: tuple[str, str], digits: int) -> tuple[np.ndarray, np.ndarray]:
    """Parse unsigned decimals into integers scaled by 10**digits; return values and a bad mask."""
    whole = pd.Series(pd.NA, index=text.index, dtype="string")
    frac = whole.copy()
    for pattern in patterns:
        parts = text.str.extract(f"^{pattern}$")
        hit = parts["int"].notna() & whole.isna()
        whole = whole.mask(hit, parts["int"])
        frac = frac.mask(hit, parts["frac"].fillna(""))
    bad = whole.isna() & text.notna()
    whole = whole.str.replace(".", "", regex=False).fillna("0")
    frac = frac.fillna("").str.pad(digits, side="right", fillchar="0")
    too_long = whole.str.len() > 15
    bad = bad | too_long
    whole = whole.mask(too_long, "0")
    scaled = whole.astype("int64").to_numpy() * 10**digits + frac.astype("int64").to_numpy()
    return scaled, bad.to_numpy(dtype=bool)


def parse_money(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse Dutch amounts into nullable integer cents; return (cents, bad_mask)."""
    text, negative = _split_sign(_clean(values))
    cents, bad = _scaled(text, (_MONEY_NL, _MONEY_POINT), 2)
    cents = np.where(negative, -cents, cents)
    result = pd.Series(cents, index=values.index, dtype="Int64").mask(text.isna() | bad)
    return result, bad


def parse_quantity(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse a volume with up to three decimals into integer thousandths; return (value, bad_mask)."""
    text, negative = _split_sign(_clean(values))
    milli, bad = _scaled(text, (_QTY_NL, _QTY_POINT), 3)
    milli = np.where(negative, -milli, milli)
    return pd.Series(milli, index=values.index, dtype="Int64").mask(text.isna() | bad), bad


def parse_int(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse whole numbers (no separators); return (value, bad_mask)."""
    text = _clean(values)
    ok = text.str.fullmatch(r"-?\d{1,9}").fillna(False)
    bad = (text.notna() & ~ok).to_numpy(dtype=bool)
    parsed = text.where(ok, "0").fillna("0").astype("int64")
    return pd.Series(parsed.to_numpy(), index=values.index, dtype="Int64").mask(~ok), bad


_DATE_FORMATS = (
    (r"\d{1,2}-\d{1,2}-\d{4}", "%d-%m-%Y"),
    (r"\d{1,2}/\d{1,2}/\d{4}", "%d/%m/%Y"),
    (r"\d{8}", "%Y%m%d"),
    (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"),
)


def parse_date(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse the date formats of Dutch exports into datetime64; return (dates, bad_mask).

    Each format is applied only to the cells whose shape it matches, so ``01022026`` is never read
    as a day-first date and an impossible date (31-02-2026) is reported, not shifted.
    """
    text = _clean(values)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
    matched = pd.Series(False, index=values.index)
    for shape, fmt in _DATE_FORMATS:
        hit = text.str.fullmatch(shape).fillna(False) & ~matched
        if hit.any():
            parsed = pd.to_datetime(text[hit], format=fmt, errors="coerce")
            result.loc[hit] = parsed.astype("datetime64[s]")
            matched |= hit
    bad = (text.notna() & result.isna()).to_numpy(dtype=bool)
    return result, bad


def parse_bool(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse ja/nee style flags; return (nullable booleans, bad_mask)."""
    text = _clean(values).str.lower()
    is_true = text.isin(TRUE_WORDS)
    is_false = text.isin(FALSE_WORDS)
    bad = (text.notna() & ~is_true & ~is_false).to_numpy(dtype=bool)
    result = pd.Series(is_true.to_numpy(dtype=bool), index=values.index, dtype="boolean")
    return result.mask(text.isna() | pd.Series(bad, index=values.index)), bad


def cents_to_decimal(cents: int) -> Decimal:
    """Integer cents to a Decimal with two places, the only way money leaves storage."""
    return (Decimal(int(cents)) / 100).quantize(Decimal("0.01"))
