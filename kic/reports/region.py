"""The gemeenten of a samenwerkingsverband side by side, for the MT of the sociale dienst.

The region's kwartaalrapportage compares the gemeenten on what each one's own verantwoording rests on: her
statistical samples of the quarter (population, items reviewed), her most likely error and upper limit of
the quarter, and of the year so far against the tolerance, with the verdict that evaluation gives. Every
figure is the evaluation of that gemeente alone (``evaluate_period(gemeente=...)``), exactly what her own
kwartaalrapportage shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from kic.controls.loader import Catalogue
from kic.evaluation import GroupEvaluation
from kic.gemeenten import Scope, gemeente_names
from kic.periods import Period
from kic.reports import figures

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class GemeenteFigures:
    code: str
    name: str
    population_count: int  # payments in her statistical sample populations of the quarter
    population_value: Decimal
    items: int
    reviewed: int
    quarter: GroupEvaluation | None  # her regelingen together, in the quarter
    ytd: GroupEvaluation | None  # and from 1 January to the end of the quarter
    test: (
        str | None
    )  # "binnen", "boven", "tussenstand" or None, of the year so far (Evaluation.tolerance_test)

    @property
    def share_reviewed(self) -> Decimal | None:
        return Decimal(self.reviewed) / self.items if self.items else None


def compare_gemeenten(session: Session, quarter: Period, catalogue: Catalogue) -> list[GemeenteFigures]:
    """One row per gemeente of the installation (none with fewer than two gemeenten)."""
    names = gemeente_names(session)
    if len(names) < 2:
        return []
    return [_figures(session, quarter, catalogue, code, name) for code, name in names.items()]


def _figures(
    session: Session, quarter: Period, catalogue: Catalogue, code: str, name: str
) -> GemeenteFigures:
    scope = Scope.of(code)
    result = figures.evaluate_or_none(session, quarter.label, catalogue, scope)
    ytd = figures.year_to_date(session, quarter, catalogue, scope)
    covered = [c for c in figures.coverage(result) if c.group is not None] if result else []
    test = None
    if ytd is not None and ytd.overall is not None:
        test = ytd.tolerance_test("totaal", ytd.overall.projections["totaal"], ytd.overall.population_value)
    return GemeenteFigures(
        code,
        name,
        sum(c.population_count for c in covered),
        sum((c.population_value for c in covered), ZERO),
        sum(c.items for c in covered),
        sum(c.reviewed for c in covered),
        result.overall if result else None,
        ytd.overall if ytd else None,
        test,
    )
