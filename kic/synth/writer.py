"""Write a table as the CSV a Dutch benefits administration exports.

Separator ``;``, UTF-8 with a byte order mark (so Excel opens it with the right characters),
one header row, ``\\n`` line ends. The table stays in typed numpy arrays; each chunk of rows is
formatted, joined and written before the next, so a million rows never exist as Python strings
all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SEPARATOR = ";"
ENCODING = "utf-8-sig"
CHUNK_ROWS = 50_000


@dataclass(frozen=True)
class CsvColumn:
    """One output column: its header and how to turn a slice of rows into text."""

    header: str
    values: np.ndarray
    format: Callable[[np.ndarray], np.ndarray]


def write_csv(path: Path, columns: Sequence[CsvColumn], *, chunk_rows: int = CHUNK_ROWS) -> int:
    """Write ``columns`` to ``path``; return the number of data rows."""
    rows = len(columns[0].values) if columns else 0
    with path.open("w", encoding=ENCODING, newline="") as handle:
        handle.write(SEPARATOR.join(column.header for column in columns) + "\n")
        for start in range(0, rows, chunk_rows):
            handle.write(_format_chunk(columns, slice(start, min(start + chunk_rows, rows))))
    return rows


def _format_chunk(columns: Sequence[CsvColumn], rows: slice) -> str:
    line = columns[0].format(columns[0].values[rows])
    for column in columns[1:]:
        line = np.char.add(np.char.add(line, SEPARATOR), column.format(column.values[rows]))
    return "\n".join(line.tolist()) + "\n"
