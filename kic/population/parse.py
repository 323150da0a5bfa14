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
import pyarrow as pa
import pyarrow.compute as pc

_MONEY_NL = r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d{1,2}))?"
_MONEY_POINT = r"(?P<int>\d+)\.(?P<frac>\d{1,2})"
_QTY_NL = r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d{1,3}))?"
_QTY_POINT = r"(?P<int>\d+)\.(?P<frac>\d{1,3})"
TRUE_WORDS = frozenset({"ja", "j", "1", "true", "waar", "yes", "y", "x"})
FALSE_WORDS = frozenset({"nee", "n", "0", "false", "onwaar", "no"})


def _clean(values: pd.Series) -> pd.Series:
    return values.astype("string").str.strip().replace("", pd.NA)


def _arrow_text(values: pd.Series) -> pa.Array:
    """Trimmed Arrow strings with empty cells as null; Arrow's kernels keep a million rows fast."""
    array = pa.array(values.astype("string[pyarrow]"), type=pa.string(), from_pandas=True)
    array = pc.utf8_trim_whitespace(array)
    return pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array)


def _split_sign(text: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Strip the euro sign and spaces and pull out a leading, trailing or bracketed minus."""
    text = pc.replace_substring_regex(text, r"[€\s\x{00a0}]|EUR", "")
    bracketed = pc.match_substring_regex(text, r"^\(.*\)$")
    text = pc.replace_substring_regex(text, r"^\((.*)\)$", r"\1")
    negative = pc.or_(pc.or_(bracketed, pc.starts_with(text, "-")), pc.ends_with(text, "-"))
    text = pc.replace_substring_regex(text, r"^[-+]|-$", "")
    return text, pc.fill_null(negative, False)


def _scaled(text: pa.Array, patterns: tuple[str, str], digits: int) -> tuple[np.ndarray, np.ndarray]:
    """Parse unsigned decimals into integers scaled by 10**digits; return values and a bad mask."""
    whole = pa.nulls(len(text), pa.string())
    frac = pa.nulls(len(text), pa.string())
    for pattern in patterns:
        parts = pc.extract_regex(text, f"^{pattern}$")
        hit = pc.and_(pc.is_valid(parts), pc.is_null(whole))
        whole = pc.if_else(hit, pc.struct_field(parts, "int"), whole)
        frac = pc.if_else(hit, pc.struct_field(parts, "frac"), frac)
    bad = pc.and_(pc.is_null(whole), pc.is_valid(text))
    whole = pc.fill_null(pc.replace_substring(whole, ".", ""), "0")
    too_long = pc.greater(pc.utf8_length(whole), 15)
    whole = pc.if_else(too_long, "0", whole)
    frac = pc.utf8_rpad(pc.fill_null(frac, ""), width=digits, padding="0")
    scaled = pc.cast(whole, pa.int64()).to_numpy(zero_copy_only=False) * 10**digits + pc.cast(
        frac, pa.int64()
    ).to_numpy(zero_copy_only=False)
    return scaled, pc.or_(bad, too_long).to_numpy(zero_copy_only=False)


def _signed(values: pd.Series, patterns: tuple[str, str], digits: int) -> tuple[pd.Series, np.ndarray]:
    text, negative = _split_sign(_arrow_text(values))
    scaled, bad = _scaled(text, patterns, digits)
    scaled = np.where(negative.to_numpy(zero_copy_only=False), -scaled, scaled)
    missing = pc.is_null(text).to_numpy(zero_copy_only=False) | bad
    return pd.Series(scaled, index=values.index, dtype="Int64").mask(missing), bad


def parse_money(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse Dutch amounts into nullable integer cents; return (cents, bad_mask)."""
    return _signed(values, (_MONEY_NL, _MONEY_POINT), 2)


def parse_quantity(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse a volume with up to three decimals into integer thousandths; return (value, bad_mask)."""
    return _signed(values, (_QTY_NL, _QTY_POINT), 3)


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
