"""Tables for Dutch Excel, as CSV (``;``, UTF-8 with BOM) or as a sheet of a workbook, with every text
cell guarded against formula injection and every number readable as a number.

This module is the one way kic writes a spreadsheet cell or a CSV row: every CSV and XLSX file kic
makes (review workbooks, web exports, reports, scheduler lists) goes through ``csv_cell`` or
``xlsx_cell``, and a formula kic means to write goes through ``xlsx_formula``, so that text typed by
a person or imported from an administration (an answer, a toelichting, a product name) never runs.

A CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a
formula by a spreadsheet; such a cell gets a leading single quote (OWASP's advice). A number is never
text and never guarded, negative or not: an amount (a Decimal) is written ``-1234,56`` in CSV (Dutch
Excel reads ``1234.56`` as text or a date), so that Excel's SUM counts it.

In a workbook a text cell is a string cell, which Excel never runs; one that starts like a formula also
carries Excel's quote prefix, so it stays text when someone edits it, and it reads back unchanged. Line
ends are written as ``\n`` (what any reader of the XML gets for a carriage return), and a control
character that XML cannot hold (a vertical tab pasted from Word, an escape, a lone surrogate), which
would make openpyxl refuse the whole file or write one that does not open, becomes a line break
(vertical tab, form feed) or U+FFFD (any other). An
amount is a number shown in euros, a date a date; the header row is frozen, has an autofilter and
columns wide enough for their header and values.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from numbers import Number
from pathlib import Path

from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
EURO = '"€" #,##0.00;"€" -#,##0.00'
DATE = "dd-mm-yyyy"
DATETIME = "dd-mm-yyyy hh:mm"
PERCENT = "0.0%"
TEXT = "@"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="154273")
MAX_WIDTH = 70  # characters; a longer text is cut off in view (a sha256 still fits)
LINE_BREAKS = re.compile("[\x0b\x0c]")  # Word's manual line break and page break
# What XML 1.0 cannot hold: openpyxl refuses the C0 controls, and writes a lone surrogate, U+FFFE or
# U+FFFF into a file that no reader opens again.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"


def guard_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_number(value: object) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def csv_cell(value: object) -> str:
    """One CSV cell: a number (negative too) with a decimal comma, anything else guarded text."""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if _is_number(value):
        return str(value).replace(".", ",")
    return guard_cell(value)


def number_format(value: object) -> str | None:
    """The format a value is shown in: an amount (a Decimal) in euros, a date the Dutch way."""
    if isinstance(value, Decimal):
        return EURO
    if isinstance(value, datetime):
        return DATETIME
    if isinstance(value, date):
        return DATE
    return None


def xlsx_text(text: str) -> str:
    """``text`` as a workbook holds it and gives it back: a line ends in ``\n`` (XML turns a carriage
    return into one on reading anyway), and no character that XML refuses."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if NOT_XML.search(text) is None:
        return text
    return NOT_XML.sub(REPLACEMENT, LINE_BREAKS.sub("\n", text))


def xlsx_cell(cell: Cell, value: object, shown_as: str | None = None) -> None:
    """Set one workbook cell: numbers stay numbers (negative too), text stays text even if it starts
    like a formula; ``shown_as`` is its number format, by default the one of ``number_format``."""
    if isinstance(value, str):
        value = xlsx_text(value)
        cell.value = value
        cell.data_type = "s"  # openpyxl makes a formula of any text that starts with "="
        cell.quotePrefix = value.startswith(FORMULA_STARTS)
        return
    cell.value = value
    if (shown := shown_as or number_format(value)) is not None:
        cell.number_format = shown


def xlsx_formula(cell: Cell, formula: str, shown_as: str | None = None) -> None:
    """A formula kic means to write (built from cell references, never from anyone's text)."""
    if not formula.startswith("="):
        raise ValueError(f"geen formule: {formula!r}")
    cell.value = formula
    cell.data_type = "f"
    if shown_as is not None:
        cell.number_format = shown_as


def write_rows(sheet: Worksheet, rows: Iterable[Sequence[object]], *, first_row: int = 1) -> None:
    """Rows from ``first_row`` down, each cell through ``xlsx_cell``: a sheet without table layout."""
    for number, row in enumerate(rows, start=first_row):
        for column, value in enumerate(row, start=1):
            xlsx_cell(sheet.cell(number, column), value)


def append_table(
    sheet: Worksheet,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    formats: Mapping[str, str] | None = None,
) -> None:
    """Header and rows into an empty ``sheet``, as a table: the header bold, frozen and with an
    autofilter, every column as wide as its header and values; ``formats``: a number format per header
    for a column whose values do not say it themselves (a fraction as a percentage)."""
    shown = [(formats or {}).get(h) for h in header]
    widths = [len(h) + 4 for h in header]  # bold, and room for the autofilter's button
    for column, name in enumerate(header, start=1):
        cell = sheet.cell(1, column)
        xlsx_cell(cell, name)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for number, row in enumerate(rows, start=2):
        for column, (value, fmt) in enumerate(zip(row, shown, strict=True)):
            xlsx_cell(sheet.cell(number, column + 1), value, fmt)
            widths[column] = max(widths[column], _width(value))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(sheet.max_row, 2)}"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width, MAX_WIDTH)


def _width(value: object) -> int:
    """About how many characters the value takes on screen."""
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return len(f"€ {value:,.2f}") + 1
    if isinstance(value, date):
        return 17 if isinstance(value, datetime) else 11
    return max(len(line) for line in str(value).splitlines() or [""]) + 1


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


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """The table as a CSV file for Dutch Excel at ``path``, written as it streams; returns ``path``."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        for chunk in csv_lines(header, rows):
            handle.write(chunk)
    return path
