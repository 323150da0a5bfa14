"""Bulk insert of validated rows: executemany on SQLite, COPY on PostgreSQL.

Both run on the connection of the caller's session, inside its transaction, so an import is one
unit of work: when anything fails, nothing of it stays behind.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from kic.population.models import ROW_MODELS
from kic.population.schema import COLUMNS, Kind

CHUNK = 50_000
Progress = Callable[[int, int], None]  # (rows just stored, total rows)


def _db_frame(kind: str, typed: dict[str, pd.Series], snapshot_id: int) -> pd.DataFrame:
    """The rows as stored: money and quantities as scaled integers, dates as ISO text."""
    data: dict[str, object] = {"snapshot_id": snapshot_id,
                               "line_no": np.arange(len(next(iter(typed.values())))) + 2}
    for column in COLUMNS[kind]:
        values = typed[column.attr]
        if column.kind is Kind.DATE:
            values = values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), None)
        data[column.attr] = values
    return pd.DataFrame(data)


def _python_rows(frame: pd.DataFrame, start: int, stop: int) -> list[tuple]:
    part = frame.iloc[start:stop].astype(object)
    part = part.where(part.notna(), None)
    return list(part.itertuples(index=False, name=None))


def _chunks(n: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n, CHUNK):
        yield start, min(start + CHUNK, n)


def insert_rows(session: Session, kind: str, typed: dict[str, pd.Series], snapshot_id: int,
                progress: Progress | None = None) -> None:
    frame = _db_frame(kind, typed, snapshot_id)
    table = ROW_MODELS[kind].__table__
    names = list(frame.columns)
    connection = session.connection()
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        _copy_postgres(raw, table.name, names, frame, progress)
    else:
        sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        cursor = raw.cursor()
        for start, stop in _chunks(len(frame)):
            cursor.executemany(sql, _python_rows(frame, start, stop))
            if progress:
                progress(stop - start, len(frame))
        cursor.close()


def _copy_postgres(raw, table: str, names: list[str], frame: pd.DataFrame,  # type: ignore[no-untyped-def]
                   progress: Progress | None) -> None:
    # CSV text written by pandas in chunks is far faster than one Python call per row;
    # an unquoted empty field is NULL, and the importer never keeps empty strings.
    bools = [c for c in names if str(frame[c].dtype) == "boolean"]
    frame = frame.astype({c: object for c in bools})
    for c in bools:
        frame[c] = frame[c].map({True: "t", False: "f"})
    with raw.cursor() as cursor, cursor.copy(
        f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT csv, NULL '')"
    ) as copy:
        for start, stop in _chunks(len(frame)):
            buffer = io.StringIO()
            frame.iloc[start:stop].to_csv(buffer, header=False, index=False)
            copy.write(buffer.getvalue())
            if progress:
                progress(stop - start, len(frame))
