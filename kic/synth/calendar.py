"""Dates as integer day numbers (days since 1970-01-01) and month indices relative to January.

The generator works on int64 day numbers instead of datetime objects: they vectorise, sort and
compare cheaply on a million rows and never carry a time zone or a time of day. A *month index*
counts months from January of the synthetic year (0 = January, -1 = December of the year before).
"""

from __future__ import annotations

import numpy as np

NO_DATE = np.int64(np.iinfo(np.int64).min)
"""Sentinel for an empty date (e.g. a doorlopende beschikking without einddatum)."""


def day(year: int, month: int, dom: int) -> int:
    """The day number of one calendar date."""
    return int(np.datetime64(f"{year:04d}-{month:02d}-{dom:02d}", "D").astype(np.int64))


def month_start(year: int, index: np.ndarray) -> np.ndarray:
    """Day number of the first day of each month index."""
    months = np.datetime64(f"{year:04d}-01", "M") + index.astype("timedelta64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def month_end(year: int, index: np.ndarray) -> np.ndarray:
    """Day number of the last day of each month index."""
    return month_start(year, index + 1) - 1


def month_index(year: int, days: np.ndarray) -> np.ndarray:
    """Month index (relative to January of ``year``) of each day number."""
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months - (year - 1970) * 12


def weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def previous_workday(days: np.ndarray) -> np.ndarray:
    """Move Saturdays and Sundays back to the Friday before, as a payment run would."""
    wd = weekday(days)
    return days - np.where(wd == 5, 1, 0) - np.where(wd == 6, 2, 0)
