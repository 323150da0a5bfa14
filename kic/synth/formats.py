"""Vectorised Dutch text formats for an export: ``1.234,56``, ``31-12-2026``, ``C0000123``.

Amounts are integer cents from the first draw to the last byte written; they are turned into
text here with integer arithmetic only, so a cent can never be lost to a float. Every function
takes a numpy array and returns a numpy array of ``str``; missing values (the sentinels below)
become empty cells, as they are in a real export.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from kic.synth.calendar import NO_DATE

NO_AMOUNT = np.int64(np.iinfo(np.int64).min)
"""Sentinel for an empty amount, volume or count cell."""

_EPOCH = dt.date(1970, 1, 1)


def format_cents(values: np.ndarray) -> np.ndarray:
    """Integer cents as ``-1.234,56`` (thousands dot, decimal comma); NO_AMOUNT as ``""``.

    Volumes in hundredths use the same format, so ``1250`` hundredths of an hour is ``12,50``.
    """
    missing = values == NO_AMOUNT
    cents = np.where(missing, 0, values).astype(np.int64)
    absolute = np.abs(cents)
    text = np.char.add(np.char.add(_with_thousands(absolute // 100), ","), _zero_pad(absolute % 100, 2))
    text = np.where(cents < 0, np.char.add("-", text), text)
    return np.where(missing, "", text)


def _zero_pad(values: np.ndarray, width: int) -> np.ndarray:
    return np.char.zfill(values.astype(str), width)


def _with_thousands(values: np.ndarray) -> np.ndarray:
    """Non-negative integers with a dot between groups of three digits."""
    levels = np.zeros(values.shape, dtype=np.int64)
    for level, bound in enumerate((1_000, 1_000_000, 1_000_000_000, 1_000_000_000_000), start=1):
        levels[values >= bound] = level
    text = (values // 1000**levels).astype(str)
    for level in range(int(levels.max(initial=0)) - 1, -1, -1):
        group = _zero_pad((values // 1000**level) % 1000, 3)
        text = np.where(levels > level, np.char.add(np.char.add(text, "."), group), text)
    return text


def format_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers as ``dd-mm-jjjj``; NO_DATE as ``""``.

    Exports hold few distinct dates, so each is formatted once and looked up.
    """
    missing = days == NO_DATE
    unique, inverse = np.unique(np.where(missing, 0, days), return_inverse=True)
    labels = np.array([(_EPOCH + dt.timedelta(days=int(d))).strftime("%d-%m-%Y") for d in unique], dtype=str)
    return np.where(missing, "", labels[inverse.reshape(days.shape)])


def format_ints(values: np.ndarray) -> np.ndarray:
    """Plain integers; NO_AMOUNT as ``""``."""
    missing = values == NO_AMOUNT
    return np.where(missing, "", np.where(missing, 0, values).astype(str))


def format_keys(values: np.ndarray, prefix: str, width: int) -> np.ndarray:
    """Zero-padded keys such as ``C0000123``; negative numbers become ``""``."""
    text = np.char.add(prefix, _zero_pad(np.maximum(values, 0), width))
    return np.where(values < 0, "", text)


def format_labels(codes: np.ndarray, labels: tuple[str, ...]) -> np.ndarray:
    """Small integer codes looked up in ``labels``; -1 becomes ``""``."""
    table = np.array(("", *labels), dtype=str)
    return table[codes.astype(np.int64) + 1]


def format_euro(cents: int) -> str:
    """One amount for people to read: ``€ 1.234,56`` (the CLI summary)."""
    return "€ " + str(format_cents(np.array([cents], dtype=np.int64))[0])
