"""Effective-dated reference tables (controls/tabellen/*.yaml): normbedragen, tarieven, ...

A table is a list of rows, each with ``geldig_van``, ``geldig_tot`` and ``geverifieerd``; either
the whole file is that list, or the file is a mapping with the rows under ``rijen`` (beside
``bron`` and other metadata). A row applies to payments whose period starts within its validity,
never to the date of the review. ``geverifieerd`` says whether the row's figures were checked
against a named source (true) or are an estimate or a copy still to be replaced (false); a row
without it is refused, so that no figure enters the normenkader without saying which it is. A
gemeente's row overrides a shipped row with the same ``geldig_van`` (and the same key columns,
named in ``sleutel``); other rows are added.

A normtabel may say how ``norm_volgens_tabel`` reads its rows (``normberekening``): the
Participatiewet kostendelersnorm from the gehuwdennorm (the default), or one grondslag per
leefvorm as in the IOAW and IOAZ.
"""

from __future__ import annotations

from collections.abc import Mapping
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
VERIFIED_KEY = "geverifieerd"
NORM_METHOD_KEY = "normberekening"
KOSTENDELERSNORM = "kostendelersnorm"  # Pw art. 22a from B, the gehuwdennorm (normbedragen.yaml)
GRONDSLAG_PER_LEEFVORM = "grondslag_per_leefvorm"  # IOAW/IOAZ art. 5: one amount per household type
NORM_METHODS = (KOSTENDELERSNORM, GRONDSLAG_PER_LEEFVORM)


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

    @property
    def norm_method(self) -> str:
        """How a normtabel's rows give the norm (``normberekening``; the kostendelersnorm when absent)."""
        return str(self.meta.get(NORM_METHOD_KEY) or KOSTENDELERSNORM)

    def unverified_rows(self) -> list[dict[str, Any]]:
        """The rows whose figures are not (yet) checked against a source."""
        return [row for row in self.rows if not is_verified(row)]


def is_verified(row: Mapping[str, Any]) -> bool:
    """Whether a row says its figures were checked. Rows built in code without the flag count as checked;
    rows read from a file always carry it (:func:`parse_table` refuses them otherwise)."""
    return row.get(VERIFIED_KEY, True) is True


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
    method = meta.get(NORM_METHOD_KEY)
    if method is not None and method not in NORM_METHODS:
        problems.append(
            Problem(
                file,
                None,
                NORM_METHOD_KEY,
                f"onbekende normberekening '{method}'; kies uit {', '.join(NORM_METHODS)}",
            )
        )
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
    if VERIFIED_KEY not in row:
        problems.append(
            Problem(
                file,
                None,
                f"{path}.{VERIFIED_KEY}",
                "ontbreekt: true als de bedragen in de genoemde bron zijn nagelopen, false als het een schatting "
                "of een nog te vervangen waarde is",
            )
        )
    elif not isinstance(row[VERIFIED_KEY], bool):
        problems.append(Problem(file, None, f"{path}.{VERIFIED_KEY}", "is geen true of false"))
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
