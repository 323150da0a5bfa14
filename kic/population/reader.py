"""Read an export (CSV, XLSX, Parquet) into a frame of text cells with canonical column names.

Every cell is read as text so that nothing is guessed by a library (a BSN keeps its leading zero,
``1.234`` stays a Dutch thousand); parsing happens in one place, ``kic.population.parse``.
Typed cells from XLSX and Parquet are turned into the same Dutch text a CSV would hold.

A CSV is refused, before anything is parsed, when it is no text at all (a ZIP, an XLSX, a Parquet
file under a ``.csv`` name) or mixes encodings; a row with too few or too many fields is refused
with its line. A message never repeats a row of the file: a row holds a BSN, and the library's own
messages quote the row, so they are never passed on.
"""

from __future__ import annotations

import csv
import io
import re
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

from kic.population.errors import ImportIssue, ImportRejected, PopulationError

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
    gemeente: str | None = (
        None  # the CBS code of every row whose gemeente cell is empty (a file per gemeente)
    )

    def as_dict(self) -> dict[str, Any]:
        return {
            "gemeente": self.gemeente,
            "kolommen": self.columns,
            "regelingcodes": self.regeling_codes,
            "codering": self.encoding,
            "scheidingsteken": self.delimiter,
            "blad": self.sheet,
        }


_MAPPING_KEYS = {"kolommen", "regelingcodes", "codering", "scheidingsteken", "blad", "gemeente"}


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
        gemeente=None if data.get("gemeente") is None else str(data["gemeente"]),
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
            return _read_csv(data, mapping, path.name)
        if kind == "xlsx":
            return _read_xlsx(data, mapping)
        return _read_parquet(data)
    except PopulationError:
        raise
    except Exception as exc:  # any library error becomes one clear message about the file
        raise PopulationError(_unreadable(path.name, kind, exc)) from None


def _unreadable(name: str, kind: str, exc: Exception) -> str:
    """The message for a file a library refused; a CSV library's text quotes rows, so it is left out."""
    if kind == "csv":
        return f"Bestand {name} is niet te lezen als CSV ({type(exc).__name__}); er is niets opgeslagen."
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"Bestand {name} is niet te lezen als {kind.upper()}: {_LONG_NUMBER.sub('…', reason)[:200]}"


_LONG_NUMBER = re.compile(r"\d{8,}")  # never a BSN in a message, even from a library
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Files that are no text at all, by their first bytes (magic numbers).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "oud Excel (XLS)"),
    (b"PAR1", "Parquet"),
    (b"%PDF", "PDF"),
    (b"\x1f\x8b", "gzip"),
)
# A UTF-8 sequence of two to four bytes: in a Windows-1252 export these pairs hardly ever occur.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))


def _refuse_binary(data: bytes, name: str, encoding: str | None) -> None:
    """A ZIP, XLSX, Parquet or other binary file named .csv gets a reason, not 'Expected 20 columns'."""
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            hint = ""
            if kind == "ZIP" and (b"[Content_Types].xml" in data[:4096] or b"xl/" in data[:65536]):
                hint = "; het is een Excel-werkmap: geef het de extensie .xlsx"
            elif kind == "Parquet":
                hint = "; geef het de extensie .parquet"
            raise PopulationError(f"Bestand {name} is geen CSV-bestand (lijkt een {kind}-bestand{hint})")
    sample = data[:65536]
    if encoding or not sample or sample.startswith((UTF8_BOM, *UTF16_BOMS)):
        return  # a declared encoding (UTF-16 without BOM, say) may well have NUL bytes
    if sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4:
        raise PopulationError(
            f"Bestand {name} lijkt UTF-16 zonder BOM; sla het op als UTF-8 (of als UTF-16 met BOM)"
        )
    if len(sample.translate(None, _CONTROL_BYTES)) < len(sample) * 0.9:
        raise PopulationError(f"Bestand {name} is geen CSV-bestand (lijkt een binair bestand)")


def _decode(data: bytes, encoding: str | None) -> bytes:
    """Return UTF-8 bytes without BOM; exports come as UTF-8 (with BOM), Windows-1252 or UTF-16 with BOM.

    One file has one encoding: a file that mixes UTF-8 and Windows-1252 is refused with the first line
    that does not fit, never read with every UTF-8 letter garbled ("José" -> "JosÃ©").
    """
    if encoding:
        return _strictly(data, encoding, "de codering uit het koppelbestand").encode("utf-8")
    if data.startswith(UTF16_BOMS):
        return _strictly(data, "utf-16", "het bestand begint met een UTF-16-BOM").encode("utf-8")
    declared = data.startswith(UTF8_BOM)
    if declared:
        data = data[3:]
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError as exc:
        if declared or not data[: exc.start].isascii():
            _mixed(data, exc.start, "deze regel is geen geldige UTF-8, de regels ervoor wel")
        first_cp1252 = exc.start
    utf8 = _UTF8_SEQUENCE.search(data, first_cp1252)
    if utf8:
        line = _line_of(data, first_cp1252, "cp1252")
        _mixed(data, utf8.start(), f"deze regel bevat UTF-8-tekens, regel {line} is Windows-1252")
    return _strictly(data, "cp1252", "het bestand is geen UTF-8").encode("utf-8")


def _strictly(data: bytes, encoding: str, why: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise PopulationError(f"Onbekende codering '{encoding}' in het koppelbestand") from None
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start, encoding)
        reason = f"deze regel is geen geldige {encoding} ({why}); sla het hele bestand op in één codering, bij voorkeur UTF-8"
        raise ImportRejected([ImportIssue(line, "", reason)], _rows(data)) from None


def _mixed(data: bytes, position: int, what: str) -> None:
    reason = (
        f"{what}: het bestand mengt tekencoderingen (UTF-8 en Windows-1252); "
        "sla het hele bestand op in één codering, bij voorkeur UTF-8"
    )
    raise ImportRejected([ImportIssue(_line_of(data, position, "utf-8"), "", reason)], _rows(data))


def _rows(data: bytes) -> int:
    """The number of rows below the header (for the message of a refusal)."""
    return data.rstrip(b"\r\n").count(b"\n")


def _line_of(data: bytes, position: int, encoding: str) -> int:
    """The line (1 = header) that holds byte ``position``."""
    if encoding.replace("-", "").lower().startswith("utf16"):
        return data[:position].decode(encoding, errors="replace").count("\n") + 1
    return data.count(b"\n", 0, position) + 1


def _read_csv(data: bytes, mapping: Mapping, name: str = "") -> pd.DataFrame:
    _refuse_binary(data, name, mapping.encoding)
    data = _decode(data, mapping.encoding)
    first_line = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    if not first_line.strip():
        raise PopulationError("Het bestand is leeg of begint met een lege regel (kopregel ontbreekt)")
    delimiter = mapping.delimiter or max(";,\t|", key=first_line.count)
    headers = next(csv.reader([first_line], delimiter=delimiter))
    _check_headers(headers)
    invalid: list[int] = []

    def skip(row: Any) -> str:  # the row's text is not kept: it holds a BSN
        invalid.append(row.actual_columns)
        return "skip"

    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(block_size=16 << 20),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=skip),
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in headers},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if invalid:
        raise ImportRejected(_field_count_issues(data, delimiter, headers), table.num_rows + len(invalid))
    return table.to_pandas(types_mapper=lambda _t: pd.StringDtype("pyarrow"))


def _field_count_issues(data: bytes, delimiter: str, headers: list[str]) -> list[ImportIssue]:
    """Every row with too few or too many fields, by its line in the file.

    Only when pyarrow skipped rows: it does not tell where they are (without threads it counts rows,
    not lines), so the file is read once more with the csv module, which counts lines.
    """
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter)
    issues: list[ImportIssue] = []
    start = 1
    try:
        next(reader)  # the header
        start = reader.line_num + 1
        for row in reader:
            if row and len(row) != len(headers):
                issues.append(
                    _field_count_issue(start, reader.line_num - start, len(row), headers, delimiter)
                )
            start = reader.line_num + 1
    except csv.Error:  # a field that never ends (an open quote up to the end of the file)
        issues.append(
            ImportIssue(start, "", "een aanhalingsteken wordt niet gesloten tot het eind van het bestand")
        )
    return issues or [ImportIssue(start, "", "het aantal velden per regel klopt niet met de kopregel")]


def _field_count_issue(
    line: int, extra_lines: int, fields: int, headers: list[str], delimiter: str
) -> ImportIssue:
    counted = f"{fields} velden in plaats van {len(headers)}"
    if extra_lines:
        return ImportIssue(
            line, "", f"{counted}: een aanhalingsteken wordt pas {extra_lines} regel(s) verder gesloten"
        )
    if fields < len(headers):
        return ImportIssue(
            line, headers[fields], f"{counted}: de regel is afgebroken of mist velden vanaf deze kolom"
        )
    return ImportIssue(
        line, "", f"{counted}: te veel velden (een '{delimiter}' in een waarde zonder aanhalingstekens?)"
    )


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
