"""Effective-dated reference tables (controls/tabellen/*.yaml): normbedragen, tarieven, ...

A table is a list of rows, each with ``geldig_van`` and ``geldig_tot``; either the whole file is
that list, or the file is a mapping with the rows under ``rijen`` (beside ``bron`` and other
metadata). A row applies to payments whose period starts within its validity, never to the date
of the review. A gemeente's row overrides a shipped row with the same ``geldig_van`` (and the
same key columns, named in ``sleutel``); other rows are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from kic.controls.errors import Problem
from kic.formatting import parse_number

ROWS_KEY = "rijen"
KEY_KEY = "sleutel"


@dataclass(frozen=True)
class Table:
    name: str
    rows: tuple[dict[str, Any], ...]
    key: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def valid_rows(self, periods: np.ndarray) -> list[tuple[dict[str, Any], np.ndarray]]:
        """Each row with the mask of ``periods`` (datetime64[D]) it applies to."""
        result = []
        for row in self.rows:
            start = np.datetime64(row["geldig_van"], "D")
            mask = periods >= start
            if row.get("geldig_tot") is not None:
                mask &= periods <= np.datetime64(row["geldig_tot"], "D")
            result.append((row, mask))
        return result


def parse_table(name: str, content: Any, file: str) -> tuple[Table | None, list[Problem]]:
    """A table from the YAML content of one file, or the problems that stop it."""
    meta: dict[str, Any] = {}
    rows = content
    if isinstance(content, dict):
        meta = {k: v for k, v in content.items() if k != ROWS_KEY}
        rows = content.get(ROWS_KEY)
    if not isinstance(rows, list) or not rows:
        return None, [Problem(file, None, ROWS_KEY, "een tabel is een lijst van rijen (onder 'rijen')")]
    problems = [p for i, row in enumerate(rows) for p in _row_problems(row, f"{ROWS_KEY}[{i}]", file)]
    key = meta.get(KEY_KEY) or ()
    if isinstance(key, str):
        key = (key,)
    return (None if problems else Table(name, tuple(rows), tuple(key), meta)), problems


def _row_problems(row: Any, path: str, file: str) -> list[Problem]:
    if not isinstance(row, dict):
        return [Problem(file, None, path, "een rij is een mapping van kolom naar waarde")]
    problems = []
    if not isinstance(row.get("geldig_van"), date):
        problems.append(Problem(file, None, f"{path}.geldig_van", "ontbreekt of is geen datum (jjjj-mm-dd)"))
    end = row.get("geldig_tot")
    if end is not None and not isinstance(end, date):
        problems.append(Problem(file, None, f"{path}.geldig_tot", "is geen datum (jjjj-mm-dd) of null"))
    elif end is not None and isinstance(row.get("geldig_van"), date) and end < row["geldig_van"]:
        problems.append(Problem(file, None, f"{path}.geldig_tot", "ligt vóór geldig_van"))
    return problems


def merge(shipped: Table, override: Table) -> Table:
    """The shipped rows with the gemeente's rows laid over them."""

    def identity(row: dict[str, Any]) -> tuple[Any, ...]:
        return (row["geldig_van"], *(row.get(k) for k in override.key or shipped.key))

    rows = {identity(r): r for r in shipped.rows}
    rows.update({identity(r): r for r in override.rows})
    ordered = sorted(rows.values(), key=lambda r: (r["geldig_van"], *(str(r.get(k)) for k in shipped.key)))
    return Table(shipped.name, tuple(ordered), override.key or shipped.key, {**shipped.meta, **override.meta})


def money_cents(value: Any, *, cents: bool = False) -> int | None:
    """An amount from a table as integer cents: euros (``1879.20``, ``'1.879,20'``) or, if ``cents``, cents."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError(f"{value!r} is geen bedrag")
    if cents:
        return int(value)
    try:
        amount = parse_number(value if isinstance(value, Decimal | int | float) else str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is geen bedrag") from None
    return int((amount * 100).to_integral_value(rounding="ROUND_HALF_UP"))


def periods_of(frame: pd.DataFrame, column: str = "periode_van") -> np.ndarray:
    return frame[column].to_numpy(dtype="datetime64[D]")
