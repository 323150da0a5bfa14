"""Turn a frame of text cells into typed columns, collecting every bad cell at once.

The checks are vectorised: a million rows are validated in seconds, and the result lists every
problem with its line and column (a user fixes the export once, not row by row).

A cell that the database would store differently than it was read is refused here, before anything
is written, so that SQLite and PostgreSQL agree: a NUL character (PostgreSQL refuses it, SQLite cuts
the text at it) and a text longer than its column (``String(n)`` of ``kic.population.models``;
SQLite would keep all of it, PostgreSQL refuse it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import String

from kic.population import parse
from kic.population.bsn import is_valid_bsn, valid_bsn_mask
from kic.population.errors import ImportIssue
from kic.population.models import ROW_MODELS
from kic.population.schema import COLUMNS, DATE_ORDER, REGELINGEN, Column, Kind

FIRST_DATA_LINE = 2  # line 1 is the header


@dataclass
class Validated:
    """Typed columns keyed by model attribute, plus every issue found."""

    columns: dict[str, pd.Series]
    issues: list[ImportIssue]
    row_count: int


def _issues(mask: np.ndarray, header: str, reason: Callable[[int], str] | str) -> list[ImportIssue]:
    rows = np.flatnonzero(mask)
    if isinstance(reason, str):
        return [ImportIssue(int(r) + FIRST_DATA_LINE, header, reason) for r in rows]
    return [ImportIssue(int(r) + FIRST_DATA_LINE, header, reason(int(r))) for r in rows]


_UNPRINTABLE = dict.fromkeys([*range(32), 127], "\ufffd")


_NUMBER = re.compile(r"(?<!\d)\d{8,9}(?!\d)")


def shown(value: object) -> str:
    """A cell as a message quotes it: shortened, without control characters, and never a BSN.

    A BSN in another column (a shifted export) passes the elfproef: it is left out.
    """
    text = str(value).translate(_UNPRINTABLE)  # a NUL or a line break is no part of a message
    text = _NUMBER.sub(lambda m: "(BSN weggelaten)" if is_valid_bsn(m.group()) else m.group(), text)
    return text if len(text) <= 40 else text[:37] + "..."


def max_lengths(kind: str) -> dict[str, int]:
    """The longest text each column may hold (model attribute -> n), read from the table definition."""
    table = ROW_MODELS[kind].__table__
    return {c.name: c.type.length for c in table.columns if isinstance(c.type, String) and c.type.length}


def _arrow(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """The cells as Arrow strings (no copy when they are Arrow-backed already, as a CSV's are)."""
    if not isinstance(values.dtype, pd.StringDtype) or values.dtype.storage != "pyarrow":
        values = values.astype("string[pyarrow]")
    return pa.array(values, type=pa.string(), from_pandas=True)


def _nul(column: Column, text: pd.Series) -> list[ImportIssue]:
    hit = pc.match_substring(_arrow(text), "\x00")
    if not pc.any(hit).as_py():
        return []
    mask = pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    return _issues(mask, column.header, "bevat een NUL-teken (kan niet worden opgeslagen)")


def _too_long(column: Column, values: pd.Series, limit: int) -> list[ImportIssue]:
    if not (pd.api.types.is_string_dtype(values.dtype) or values.dtype == object):
        return []
    lengths = pc.utf8_length(_arrow(values))
    hit = pc.greater(lengths, limit)
    if not pc.any(hit).as_py():
        return []
    mask = pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    counts = lengths.to_numpy(zero_copy_only=False)
    return _issues(
        mask,
        column.header,
        lambda r: f"langer dan {limit} tekens ({int(counts[r])} tekens; kan niet worden opgeslagen)",
    )


def _parse_column(column: Column, text: pd.Series, regeling_codes: dict[str, str]) -> tuple[pd.Series, list]:
    """Parse one column by its kind; return typed values and the issues of its bad cells."""
    if column.kind is Kind.MONEY:
        values, bad = parse.parse_money(text)
        return values, _issues(
            bad, column.header, lambda r: f"bedrag '{shown(text.iat[r])}' is niet leesbaar"
        )
    if column.kind is Kind.DECIMAL:
        values, bad = parse.parse_quantity(text)
        return values, _issues(bad, column.header, lambda r: f"getal '{shown(text.iat[r])}' is niet leesbaar")
    if column.kind is Kind.INT:
        values, bad = parse.parse_int(text)
        return values, _issues(bad, column.header, lambda r: f"'{shown(text.iat[r])}' is geen geheel getal")
    if column.kind is Kind.DATE:
        values, bad = parse.parse_date(text)
        return values, _issues(
            bad,
            column.header,
            lambda r: f"datum '{shown(text.iat[r])}' is niet leesbaar (dd-mm-jjjj of jjjjmmdd)",
        )
    if column.kind is Kind.BOOL:
        values, bad = parse.parse_bool(text)
        return values, _issues(bad, column.header, lambda r: f"'{shown(text.iat[r])}' is geen ja/nee")
    cleaned = text.astype("string").str.strip().replace("", pd.NA)
    if column.kind is Kind.GEMEENTE:
        cleaned = cleaned.str.upper()
        cleaned = cleaned.mask(cleaned.str.fullmatch(r"\d{4}").fillna(False), "GM" + cleaned)
        bad = (cleaned.notna() & ~cleaned.str.fullmatch(r"GM\d{4}").fillna(False)).to_numpy(dtype=bool)
        return cleaned, _issues(
            bad,
            column.header,
            lambda r: f"'{shown(text.iat[r])}' is geen CBS-gemeentecode (GM gevolgd door vier cijfers)",
        )
    if column.kind is Kind.BSN:
        cleaned = cleaned.str.zfill(9)
        bad = (cleaned.notna() & ~valid_bsn_mask(cleaned)).to_numpy(dtype=bool)
        # The value itself is never repeated in a message: it is personal data.
        return cleaned, _issues(bad, column.header, "BSN voldoet niet aan de elfproef")
    if column.kind is Kind.REGELING:
        if regeling_codes:
            cleaned = cleaned.replace(regeling_codes)
        cleaned = cleaned.str.upper()
        bad = (cleaned.notna() & ~cleaned.isin(list(REGELINGEN))).to_numpy(dtype=bool)
        allowed = ", ".join(REGELINGEN)
        return cleaned, _issues(
            bad,
            column.header,
            lambda r: f"onbekende regelingcode '{shown(text.iat[r])}' (toegestaan: {allowed})",
        )
    return cleaned, []


def _required(column: Column, values: pd.Series, text: pd.Series) -> list[ImportIssue]:
    # Only cells that are empty in the file; unparsable cells already have their own issue.
    empty = text.astype("string").str.strip().replace("", pd.NA).isna().to_numpy(dtype=bool)
    return _issues(empty, column.header, "verplichte waarde ontbreekt")


def _duplicates(column: Column, values: pd.Series) -> list[ImportIssue]:
    dup = values.duplicated(keep=False) & values.notna()
    if not dup.any():
        return []
    lines = pd.Series(np.arange(len(values)) + FIRST_DATA_LINE, index=values.index)[dup]
    first_line = lines.groupby(values[dup]).transform("min")
    out = []
    for row, line, first in zip(np.flatnonzero(dup.to_numpy()), lines, first_line, strict=True):
        if line != first:
            out.append(
                ImportIssue(
                    int(line),
                    column.header,
                    f"dubbele {column.header} '{shown(values.iat[row])}' (ook op regel {first})",
                )
            )
    return out


def validate(
    kind: str,
    frame: pd.DataFrame,
    regeling_codes: dict[str, str] | None = None,
    gemeenten: GemeenteRule | None = None,
) -> Validated:
    """Parse and check every column of ``frame`` (canonical headers) for ``kind``; ``gemeenten`` says which
    gemeenten the installation knows and which one an empty cell gets (None: codes are only parsed)."""
    n = len(frame)
    typed: dict[str, pd.Series] = {}
    by_header: dict[str, pd.Series] = {}
    issues: list[ImportIssue] = []
    limits = max_lengths(kind)
    for column in COLUMNS[kind]:
        text = (
            frame[column.header]
            if column.header in frame.columns
            else pd.Series(pd.NA, index=frame.index, dtype="string")
        )
        values, found = _parse_column(column, text, regeling_codes or {})
        issues += found + _nul(column, text)
        if column.attr in limits:
            issues += _too_long(column, values, limits[column.attr])
        if column.required:
            issues += _required(column, values, text)
        if column.unique:
            issues += _duplicates(column, values)
        if column.codes is not None:
            issues += _codes(column, values)
        if column.kind is Kind.GEMEENTE and gemeenten is not None:
            values = values.fillna(gemeenten.default) if gemeenten.default else values
            issues += gemeenten.issues(column.header, values)
        typed[column.attr] = values
        by_header[column.header] = values
    issues += _date_order(kind, by_header)
    if kind == "betalingen":
        issues += _debit_credit(typed)
    return Validated(typed, issues, n)


@dataclass(frozen=True)
class GemeenteRule:
    """The gemeenten of the installation (code -> name) and the code an empty cell gets (None: stays empty,
    which is only allowed while the installation knows no gemeente or knows exactly one)."""

    known: Mapping[str, str]
    default: str | None = None

    def issues(self, header: str, values: pd.Series) -> list[ImportIssue]:
        listed = ", ".join(f"{code} {name}" for code, name in self.known.items()) or "geen"
        code = values.str.fullmatch(r"GM\d{4}").fillna(False)  # a malformed code has its own issue
        unknown = (code & ~values.isin(list(self.known))).to_numpy(dtype=bool)
        out = _issues(
            unknown,
            header,
            lambda r: (
                f"onbekende gemeente '{shown(values.iat[r])}' (vastgelegd: {listed}; "
                "een nieuwe gemeente legt u vast met 'kic gemeente add')"
            ),
        )
        if len(self.known) > 1:
            out += _issues(
                values.isna().to_numpy(dtype=bool),
                header,
                f"gemeente ontbreekt: deze installatie werkt voor meerdere gemeenten ({listed}); geef per regel "
                "de gemeentecode of één gemeente voor het hele bestand in het koppelbestand ('gemeente:')",
            )
        return out


def _date_order(kind: str, by_header: dict[str, pd.Series]) -> list[ImportIssue]:
    out = []
    for start, end in DATE_ORDER[kind]:
        wrong = (by_header[end] < by_header[start]).fillna(False).to_numpy(dtype=bool)
        out += _issues(wrong, end, f"{end} ligt vóór {start}")
    return out


def _codes(column: Column, values: pd.Series) -> list[ImportIssue]:
    """A column with a code list (leefvorm, bbz_classificatie) holds only those codes."""
    assert column.codes is not None
    bad = (values.notna() & ~values.isin(list(column.codes))).to_numpy(dtype=bool)
    codes = ", ".join(f"{k} {v}" for k, v in column.codes.items())
    return _issues(
        bad,
        column.header,
        lambda r: f"onbekende {column.header} '{shown(values.iat[r])}' (BUS-codes: {codes})",
    )


def _debit_credit(typed: dict[str, pd.Series]) -> list[ImportIssue]:
    """D/C column: C turns a positive amount into a credit; anything but D or C is an error."""
    dc = typed["debit_credit"].str.upper()
    bad = (dc.notna() & ~dc.isin(["D", "C"])).to_numpy(dtype=bool)
    credit = (dc == "C").fillna(False) & (typed["amount"] > 0).fillna(False)
    typed["amount"] = typed["amount"].mask(credit, -typed["amount"])
    typed["debit_credit"] = dc
    return _issues(bad, "debet_credit", lambda r: f"'{shown(dc.iat[r])}' is geen D of C")
