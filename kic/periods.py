"""Review periods as a quality team names them: 2026, 2026-Q3, 2026-07 (foundation: imports no kic package)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kic.errors import KicError


class PeriodError(KicError, ValueError):
    """A period label that cannot be read; the message is Dutch."""


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date  # inclusive

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def parse_period(label: str) -> Period:
    """``2026`` (year), ``2026-Q3`` (quarter) or ``2026-07`` (month)."""
    text = label.strip().upper()
    if m := re.fullmatch(r"(\d{4})", text):
        year = int(m[1])
        return Period(text, date(year, 1, 1), date(year, 12, 31))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        year, quarter = int(m[1]), int(m[2])
        return Period(text, date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter))
    if (m := re.fullmatch(r"(\d{4})-(\d{2})", text)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return Period(text, date(year, month, 1), _month_end(year, month))
    raise PeriodError(f"onbekende periode '{label}': gebruik bijvoorbeeld 2026, 2026-Q3 of 2026-07")


def date_range(start: date, end: date, label: str | None = None) -> Period:
    """Any range of days, both ends included; the label defaults to ``01-01-2026 t/m 30-06-2026``."""
    if end < start:
        raise PeriodError(f"de periode eindigt ({end:%d-%m-%Y}) vóór ze begint ({start:%d-%m-%Y})")
    return Period(label or f"{start:%d-%m-%Y} t/m {end:%d-%m-%Y}", start, end)
