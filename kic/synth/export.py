"""Turn the generated tables into the three CSV files, with the headers of the import schema.

The headers come from kic.population.schema, so the synthetic export can always be imported
by the real importer: a column renamed there is renamed here, and a missing one fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from kic.population.schema import DOSSIER_COLUMNS, PAYMENT_COLUMNS
from kic.synth import calendar as cal
from kic.synth.errors import BESCHIKKING, BETALING, DOSSIER_ERROR_TYPES, ERROR_TYPES, ErrorType
from kic.synth.formats import (
    NO_AMOUNT,
    format_cents,
    format_dates,
    format_ints,
    format_keys,
    format_labels,
)
from kic.synth.households import Households
from kic.synth.products import PRODUCT_CODES, PRODUCTS
from kic.synth.regelingen import DOSSIER_PREFIX, PROFILES, REGELING_CODES
from kic.synth.writer import CsvColumn, write_csv

BRONSYSTEEM = "Suite4SD"
GROUND_TRUTH_HEADERS = (
    "sleutel_soort",
    "sleutel",
    "fouttype",
    "soort",
    "vindplaats",
    "controle",
    "foutbedrag",
    "omschrijving",
)
_UNITS = tuple(p.unit for p in PRODUCTS)
Formatter = Callable[[np.ndarray], np.ndarray]


def _width(count: int, minimum: int) -> int:
    return max(minimum, len(str(count)))


def _text(values: np.ndarray) -> np.ndarray:
    return values


def _constant(text: str) -> Formatter:
    return lambda values: np.full(len(values), text)


def _gemeente(frame: pd.DataFrame) -> tuple[np.ndarray, Formatter]:
    """The CBS code of a region's rows; one gemeente leaves it empty (the installation's own, GemeenteRule)."""
    if "gemeente" in frame.columns:
        return frame["gemeente"].to_numpy(dtype=object), _text
    return np.zeros(len(frame)), _constant("")


def _ordered(columns: dict[str, tuple[np.ndarray, Formatter]], headers: tuple[str, ...]) -> list[CsvColumn]:
    """Columns in the order of the schema; a header the schema knows but we lack is an error."""
    missing = [h for h in headers if h not in columns]
    if missing:
        raise KeyError(f"synthetic export lacks schema columns: {missing}")
    return [CsvColumn(h, *columns[h]) for h in headers]


def dossier_numbers(dossiers: pd.DataFrame) -> np.ndarray:
    """Beschikkingsnummers like ``LO-2024-000123``: prefix, year of application, sequence."""
    prefix = np.array([DOSSIER_PREFIX[r] for r in REGELING_CODES])[dossiers["regeling"].to_numpy()]
    years = cal.month_index(1970, dossiers["aanvraag"].to_numpy()) // 12 + 1970
    seq = format_keys(dossiers["seq"].to_numpy(), "", _width(len(dossiers), 6))
    return np.char.add(np.char.add(np.char.add(prefix, "-"), np.char.add(years.astype(str), "-")), seq)


def client_formatters(households: Households) -> tuple[Formatter, Formatter]:
    width = _width(len(households), 7)
    return (
        lambda c: format_keys(households.number[c], "C", width),
        lambda c: np.char.zfill(households.bsn[c].astype(str), 9),
    )


def write_payments(path: Path, payments: pd.DataFrame, households: Households, numbers: np.ndarray) -> None:
    client_key, bsn = client_formatters(households)
    product = payments["product"].to_numpy()
    declared = payments["volume"].to_numpy() != NO_AMOUNT
    ref = payments["ref"].to_numpy()
    columns: dict[str, tuple[np.ndarray, Formatter]] = {
        "betaling_id": (payments["payment_no"].to_numpy(), partial(format_keys, prefix="B", width=9)),
        "client_id": (payments["client"].to_numpy(), client_key),
        "bsn": (payments["client"].to_numpy(), bsn),
        "regeling": (payments["regeling"].to_numpy(), partial(format_labels, labels=REGELING_CODES)),
        "bedrag": (payments["amount"].to_numpy(), format_cents),
        "debet_credit": (payments["amount"].to_numpy(), lambda a: np.where(a < 0, "C", "D")),
        "betaaldatum": (payments["pay_date"].to_numpy(), format_dates),
        "periode_van": (payments["period_from"].to_numpy(), format_dates),
        "periode_tot": (payments["period_to"].to_numpy(), format_dates),
        "beschikkingsnummer": (ref, lambda r: np.where(r >= 0, numbers[np.maximum(r, 0)], "")),
        "leefvorm": (payments["leefvorm"].to_numpy(), format_ints),
        "kostendelers": (payments["kostendelers"].to_numpy(), format_ints),
        "normbedrag": (payments["norm"].to_numpy(), format_cents),
        "inkomsten": (payments["income"].to_numpy(), format_cents),
        "product": (product, partial(format_labels, labels=PRODUCT_CODES)),
        "volume": (payments["volume"].to_numpy(), format_cents),
        "eenheid": (np.where(declared, product, -1), partial(format_labels, labels=_UNITS)),
        "handmatig": (payments["manual"].to_numpy(), lambda v: np.where(v, "ja", "nee")),
        "medewerker": (payments["medewerker"].to_numpy(), partial(format_keys, prefix="MW", width=2)),
        "bronsysteem": (ref, _constant(BRONSYSTEEM)),
        "bbz_classificatie": (payments["bbz_class"].to_numpy(), format_ints),
        "gemeente": _gemeente(payments),
    }
    write_csv(path, _ordered(columns, tuple(c.header for c in PAYMENT_COLUMNS)))


def write_dossiers(
    path: Path, dossiers: pd.DataFrame, households: Households, numbers: np.ndarray, year: int
) -> None:
    client_key, bsn = client_formatters(households)
    end = dossiers["end"].to_numpy()
    ended = (end != cal.NO_DATE) & (end <= cal.day(year, 12, 31))
    status = np.where(~dossiers["monthly"].to_numpy(), "toegekend", np.where(ended, "beëindigd", "lopend"))
    declared = dossiers["volume"].to_numpy() != NO_AMOUNT
    columns: dict[str, tuple[np.ndarray, Formatter]] = {
        "beschikkingsnummer": (numbers, _text),
        "client_id": (dossiers["client"].to_numpy(), client_key),
        "bsn": (dossiers["client"].to_numpy(), bsn),
        "regeling": (dossiers["regeling"].to_numpy(), partial(format_labels, labels=REGELING_CODES)),
        "product": (dossiers["product"].to_numpy(), partial(format_labels, labels=PRODUCT_CODES)),
        "ingangsdatum": (dossiers["start"].to_numpy(), format_dates),
        "einddatum": (end, format_dates),
        "bedrag_per_periode": (dossiers["amount"].to_numpy(), format_cents),
        "volume": (dossiers["volume"].to_numpy(), format_cents),
        "eenheid": (
            np.where(declared, dossiers["product"].to_numpy(), -1),
            partial(format_labels, labels=_UNITS),
        ),
        "leefvorm": (dossiers["leefvorm"].to_numpy(), format_ints),
        "kostendelers": (dossiers["kostendelers"].to_numpy(), format_ints),
        "besluitdatum": (dossiers["besluit"].to_numpy(), format_dates),
        "aanvraagdatum": (dossiers["aanvraag"].to_numpy(), format_dates),
        "status": (status, _text),
        "medewerker": (dossiers["medewerker"].to_numpy(), partial(format_keys, prefix="MW", width=2)),
        "bbz_classificatie": (dossiers["bbz_class"].to_numpy(), format_ints),  # written if the schema has it
        "gemeente": _gemeente(dossiers),
    }
    write_csv(path, _ordered(columns, tuple(c.header for c in DOSSIER_COLUMNS)))


def write_ground_truth(
    path: Path, payments: pd.DataFrame, dossiers: pd.DataFrame, numbers: np.ndarray
) -> None:
    """One row per wrong payment, then one per wrong beschikking: which one, what kind of error, where it
    can be seen (the export or only the dossier), the control a reviewer finds it on, by how much, and why.

    ``payments`` in the order of their numbers; ``dossiers`` all of them (with ``numbers``, their
    beschikkingsnummers), the wrong ones written in the order of their numbers."""
    wrong = payments[payments["error"].to_numpy() > 0]
    profile = dossiers["profile"].to_numpy()
    bad = dossiers[dossiers["error"].to_numpy() > 0].sort_values("seq")
    parts = [
        _truth_rows(
            BETALING,
            format_keys(wrong["payment_no"].to_numpy(), "B", 9) if len(wrong) else np.array([], dtype=str),
            wrong["error"].to_numpy(),
            profile[wrong["dossier"].to_numpy()],
            wrong["error_amount"].to_numpy(),
            ERROR_TYPES,
        ),
        _truth_rows(
            BESCHIKKING,
            numbers[bad.index.to_numpy()],
            bad["error"].to_numpy(),
            bad["profile"].to_numpy(),
            bad["error_amount"].to_numpy(),
            DOSSIER_ERROR_TYPES,
        ),
    ]
    columns = [
        CsvColumn(header, np.concatenate([part[header] for part in parts]), _text)
        for header in GROUND_TRUTH_HEADERS
    ]
    write_csv(path, columns)


def _truth_rows(
    unit: str,
    keys: np.ndarray,
    codes: np.ndarray,
    profiles: np.ndarray,
    amounts: np.ndarray,
    types: dict[int, ErrorType],
) -> dict[str, np.ndarray]:
    """The ground truth columns of one kind of key, as text; the control looked up by code and profile."""

    if not len(codes):  # nothing to format (numpy's text functions refuse an empty array)
        return {header: np.array([], dtype=str) for header in GROUND_TRUTH_HEADERS}

    def label(attribute: str) -> np.ndarray:
        table = np.array(["", *(getattr(types.get(c), attribute, "") for c in range(1, max(types) + 1))])
        return table[codes]

    controls = np.array(
        [
            [types[c].controls.get(p.name, "") if c in types else "" for p in PROFILES]
            for c in range(max(types) + 1)
        ]
    )
    return {
        "sleutel_soort": np.full(len(codes), unit),
        "sleutel": keys.astype(str),
        "fouttype": label("fouttype"),
        "soort": label("soort"),
        "vindplaats": label("vindplaats"),
        "controle": controls[codes, profiles],
        "foutbedrag": format_cents(amounts.astype(np.int64)),
        "omschrijving": label("omschrijving"),
    }


def write_ledger(path: Path, payments: pd.DataFrame, year: int) -> None:
    """The financial administration's lasten per regeling for ``year``: the payments for periods starting
    in the year (``regeling;bedrag``), what ``kic report sisa --grootboek`` reconciles the population with.
    The synthetic grootboek holds nothing but the payments, so it reconciles to the cent; a real one also
    holds accruals and entries outside the benefits administration."""
    first, last = (
        int((pd.Timestamp(year, m, d) - pd.Timestamp(1970, 1, 1)).days) for m, d in ((1, 1), (12, 31))
    )
    days = payments["period_from"].to_numpy()
    in_year = payments[(days >= first) & (days <= last)]
    totals = in_year.groupby("regeling", sort=True)["amount"].sum()
    write_csv(
        path,
        [
            CsvColumn("regeling", totals.index.to_numpy(), partial(format_labels, labels=REGELING_CODES)),
            CsvColumn("bedrag", totals.to_numpy().astype(np.int64), format_cents),
        ],
    )
