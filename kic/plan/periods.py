"""The periods of a plan year at a frequency, and which period each population row falls in.

Quarters (``2026-Q3``), months (``2026-07``) and the year (``2026``) carry the labels of
``kic.periods``. Weeks are ISO weeks (``2026-W05``) cut to the calendar year, so that every
day of the year lies in exactly one period: when 1 January lies in the last ISO week of the year
before, that piece is week ``W00``; when 31 December lies in week 1 of the next ISO year, that
piece gets the number after the last full week.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from kic.periods import Period, parse_period
from kic.plan.schema import Frequentie


def plan_periods(year: int, frequency: Frequentie) -> tuple[Period, ...]:
    """The periods of ``year`` in calendar order."""
    if frequency is Frequentie.JAARLIJKS:
        return (parse_period(str(year)),)
    if frequency is Frequentie.PER_KWARTAAL:
        return tuple(parse_period(f"{year}-Q{q}") for q in range(1, 5))
    if frequency is Frequentie.MAANDELIJKS:
        return tuple(parse_period(f"{year}-{m:02d}") for m in range(1, 13))
    return _weeks(year)


def _weeks(year: int) -> tuple[Period, ...]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    monday = first - timedelta(days=first.weekday())
    weeks, number = [], 0
    while monday <= last:
        iso_year, iso_week, _ = monday.isocalendar()
        if iso_year == year:
            number = iso_week
        elif monday > first:
            number += 1  # the piece of next year's week 1
        start, end = max(monday, first), min(monday + timedelta(days=6), last)
        weeks.append(Period(f"{year}-W{number:02d}", start, end))
        monday += timedelta(days=7)
    return tuple(weeks)


def period_positions(days: np.ndarray, periods: tuple[Period, ...]) -> np.ndarray:
    """For each day (datetime64) the index of its period, or -1 outside all of them (or missing)."""
    values = np.asarray(days, dtype="datetime64[D]")
    starts = np.array([p.start for p in periods], dtype="datetime64[D]")
    ends = np.array([p.end for p in periods], dtype="datetime64[D]")
    position = np.searchsorted(starts, values, side="right") - 1
    inside = (position >= 0) & ~np.isnat(values)
    inside[inside] &= values[inside] <= ends[position[inside]]
    return np.where(inside, position, -1)
