"""The thresholds of a verslagjaar: the accountant's tolerances from the reference table
``tabellen/toleranties.yaml`` and the gemeente's own verantwoordingsgrens and rapportagegrens
from the plan. Pure: tables and plan in, a frozen dataclass out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from kic.controls.tables import Table
from kic.errors import KicError
from kic.plan.schema import Limit, Plan

TABLE = "toleranties"


class ThresholdError(KicError, LookupError):
    """The tolerance table has no row for the year (Dutch message)."""


@dataclass(frozen=True)
class Thresholds:
    """Percentages are of the totale lasten (2.0 = 2 %); amounts are Decimal euros."""

    year: int
    approval_errors_pct: float | None
    approval_uncertainties_pct: float | None
    approval_combined_pct: float | None
    reporting_tolerance: Any
    source: str
    verified: bool
    accountability_limit: Limit | None
    reporting_limit: Limit | None
    total_costs: Decimal | None
    sisa_bands: tuple[Mapping[str, Any], ...] = ()

    @property
    def default_materiality_pct(self) -> float | None:
        """The materiality a plan line gets when it names none: the goedkeuringstolerantie."""
        if self.approval_combined_pct is not None:
            return self.approval_combined_pct
        return self.approval_errors_pct

    def limit_amount(self, limit: Limit | None) -> Decimal | None:
        """A gemeente's limit in euros: its amount, else its percentage of the totale lasten."""
        if limit is None:
            return None
        if limit.amount is not None:
            return limit.amount
        if self.total_costs is None or limit.percentage is None:
            return None
        return _cents(self.total_costs * Decimal(str(limit.percentage)) / 100)


def year_thresholds(tables: Mapping[str, Table], plan: Plan) -> Thresholds:
    """The tolerance row in force on 1 January of the plan year, with the plan's own limits."""
    table = tables.get(TABLE)
    if table is None:
        raise ThresholdError(f"referentietabel tabellen/{TABLE}.yaml ontbreekt in het normenkader")
    row = _row_for(table, date(plan.year, 1, 1))
    return Thresholds(
        year=plan.year,
        approval_errors_pct=row.get("goedkeuring_fouten_pct"),
        approval_uncertainties_pct=row.get("goedkeuring_onzekerheden_pct"),
        approval_combined_pct=row.get("goedkeuring_gecombineerd_pct"),
        reporting_tolerance=row.get("rapporteringstolerantie"),
        source=str(row.get("bron", "")).strip(),
        verified=bool(row.get("geverifieerd", False)),
        accountability_limit=plan.accountability_limit,
        reporting_limit=plan.reporting_limit,
        total_costs=plan.total_costs,
        sisa_bands=tuple((table.meta.get("sisa_rapporteringstolerantie") or {}).get("banden") or ()),
    )


def _row_for(table: Table, day: date) -> dict[str, Any]:
    for row in table.rows:
        if row["geldig_van"] <= day and (row.get("geldig_tot") is None or day <= row["geldig_tot"]):
            return row
    raise ThresholdError(f"tabel {TABLE} heeft geen rij voor verslagjaar {day.year}")


def sisa_tolerance(thresholds: Thresholds, costs: Decimal) -> Decimal | None:
    """SISA rapporteringstolerantie for a specific uitkering with ``costs`` lasten (bands of the table)."""
    for band in thresholds.sisa_bands:
        if _in_band(band, costs):
            if "tolerantie_pct" in band:
                return _cents(costs * Decimal(str(band["tolerantie_pct"])) / 100)
            return Decimal(str(band["tolerantie"]))
    return None


def _in_band(band: Mapping[str, Any], costs: Decimal) -> bool:
    if "boven" in band:
        return costs > Decimal(str(band["boven"]))
    return "tot_en_met" in band and costs <= Decimal(str(band["tot_en_met"]))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
