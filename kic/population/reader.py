"""Read an export (CSV, XLSX, Parquet) into a frame of text cells with canonical column names.

Every cell is read as text so that nothing is guessed by a library (a BSN keeps its leading zero,
``1.234`` stays a Dutch thousand); parsing happens in one place, ``kic.population.parse``.
Typed cells from XLSX and Parquet are turned into the same Dutch text a CSV would hold.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import yaml

from kic.population.errors import ImportIssue, PopulationError

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python < 3.11 is not supported, kept for clarity
    tomllib = None  # type: ignore[assignment]

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}


@dataclass(frozen=True)
class Mapping:
    """How an export differs from the canonical layout (read from a small YAML or TOML file)."""

    columns: dict[str, str] = field(default_factory=dict)  # canonical header -> export header
    regeling_codes: dict[str, str] = field(default_factory=dict)  # export value -> our code
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kolommen": self.columns,
            "regelingcodes": self.regeling_codes,
            "codering": self.encoding,
            "scheidingsteken": self.delimiter,
            "blad": self.sheet,
        }


_MAPPING_KEYS = {"kolommen", "regelingcodes", "codering", "scheidingsteken", "blad"}


def load_mapping(path: Path) -> Mapping:
    """Read a mapping file; unknown keys are an error so that a typo never passes silently."""
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise PopulationError(f"Koppelbestand {path} is niet te lezen: {exc}") from exc
    data = data or {}
    if not isinstance(data, dict) or set(data) - _MAPPING_KEYS:
        unknown = sorted(set(data) - _MAPPING_KEYS) if isinstance(data, dict) else []
        raise PopulationError(
            f"Koppelbestand {path}: onbekende sleutels {unknown}; toegestaan: {sorted(_MAPPING_KEYS)}"
        )
    return Mapping(
        columns={str(k): str(v) for k, v in (data.get("kolommen") or {}).items()},
        regeling_codes={str(k): str(v) for k, v in (data.get("regelingcodes") or {}).items()},
        encoding=data.get("codering"),
        delimiter=data.get("scheidingsteken"),
        sheet=data.get("blad"),
    )


def file_format(path: Path) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise PopulationError(
            f"Onbekend bestandstype '{path.suffix}': gebruik CSV, XLSX of Parquet"
        ) from None


def read_table(path: Path, data: bytes, mapping: Mapping) -> pd.DataFrame:
    """Read ``data`` (the bytes of ``path``) into a DataFrame of strings with the export's headers."""
    kind = file_format(path)
    try:
        if kind == "csv":
            return _read_csv(data, mapping)
        if kind == "xlsx":
            return _read_xlsx(data, mapping)
        return _read_parquet(data)
    except PopulationError:
        raise
    except Exception as exc:  # any library error becomes one clear message about the file
        raise PopulationError(f"Bestand {path.name} is niet te lezen als {kind.upper()}: {exc}") from exc


def _decode(data: bytes, encoding: str | None) -> bytes:
    """Return UTF-8 bytes without BOM; exports come as UTF-8 (with BOM) or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    if encoding:
        return data.decode(encoding).encode("utf-8")
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        return data.decode("cp1252").encode("utf-8")


def _read_csv(data: bytes, mapping: Mapping) -> pd.DataFrame:
    data = _decode(data, mapping.encoding)
    first_line = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    if not first_line.strip():
        raise PopulationError("Het bestand is leeg of begint met een lege regel (kopregel ontbreekt)")
    delimiter = mapping.delimiter or max(";,\t|", key=first_line.count)
    headers = next(csv.reader([first_line], delimiter=delimiter))
    _check_headers(headers)
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(block_size=16 << 20),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in headers},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return table.to_pandas(types_mapper=lambda _t: pd.StringDtype("pyarrow"))


def _check_headers(headers: list[str]) -> None:
    seen: set[str] = set()
    for header in headers:
        if header in seen:
            raise PopulationError(f"Kolom '{header}' komt twee keer voor in de kopregel")
        seen.add(header)


def _cell_text(value: Any) -> str | None:
    """Turn a typed spreadsheet cell into the text a Dutch CSV would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return str(Decimal(repr(value))).replace(".", ",")
    return str(value)


def _read_xlsx(data: bytes, mapping: Mapping) -> pd.DataFrame:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook[mapping.sheet] if mapping.sheet else workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    while headers and headers[-1] == "":
        headers.pop()
    _check_headers(headers)
    records = [[_cell_text(v) for v in row[: len(headers)]] for row in rows]
    workbook.close()
    frame = pd.DataFrame(records, columns=headers, dtype="string")
    # Trailing empty rows are formatting, not data; keep empty rows in between so line numbers stay true.
    non_empty = frame.notna().any(axis=1).to_numpy()
    last = int(non_empty.nonzero()[0].max()) + 1 if non_empty.any() else 0
    return frame.iloc[:last].reset_index(drop=True)


def _arrow_text(column: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = column.type
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "ja", "nee")
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        return pc.strftime(column, format="%Y-%m-%d")
    text = pc.cast(column, pa.string())
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return pc.replace_substring(text, ".", ",")
    return text


def _read_parquet(data: bytes) -> pd.DataFrame:
    table = pq.read_table(io.BytesIO(data))
    columns = {name: _arrow_text(table.column(name)) for name in table.column_names}
    return pa.table(columns).to_pandas(types_mapper=lambda _t: pd.StringDtype("pyarrow"))


def apply_mapping(
    frame: pd.DataFrame, mapping: Mapping, headers: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Rename export headers to canonical ones; return the frame and the ignored export columns."""
    rename = {source: canonical for canonical, source in mapping.columns.items()}
    missing = [source for source in rename if source not in frame.columns]
    if missing:
        raise PopulationError(
            "Het koppelbestand noemt kolommen die niet in het bestand staan: " + ", ".join(missing)
        )
    frame = frame.rename(columns=rename)
    ignored = [c for c in frame.columns if c not in headers]
    return frame.drop(columns=ignored), ignored


def missing_columns(frame: pd.DataFrame, required: list[str]) -> list[ImportIssue]:
    return [
        ImportIssue(1, header, "verplichte kolom ontbreekt in de kopregel")
        for header in required
        if header not in frame.columns
    ]
