"""Tables for Dutch Excel, as CSV (``;``, UTF-8 with BOM) or as a sheet of a workbook, with every text
cell guarded against formula injection and every amount readable as a number.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a
formula by a spreadsheet; such a cell gets a leading single quote (OWASP's advice). An amount (a
Decimal) is written ``1234,56`` in CSV (Dutch Excel reads ``1234.56`` as text or a date) and as a
number with two decimals in a workbook.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def guard_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: object) -> str:
    """One CSV cell: an amount with a decimal comma, anything else guarded text."""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return guard_cell(value)


def xlsx_cell(value: Any) -> Any:
    """One workbook cell: numbers and amounts stay numbers (openpyxl writes a Decimal as one), text is
    guarded like CSV."""
    return guard_cell(value) if isinstance(value, str) else value


def append_table(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Header and rows into ``sheet``; every amount shown as ``#,##0.00``."""
    sheet.append([guard_cell(h) for h in header])
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
        for cell, value in zip(sheet[sheet.max_row], row, strict=False):
            if isinstance(value, Decimal):
                cell.number_format = "#,##0.00"


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The file as chunks of text (header first, with the BOM), so large exports can stream."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([guard_cell(cell) for cell in header])
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(cell) for cell in row])
        yield buffer.getvalue()


def dutch_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    return "".join(csv_lines(header, rows))
