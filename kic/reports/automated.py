"""What the automated controls found over the whole population of a period, for the kwartaalrapportage.

The samples judge a few hundred payments; the automated controls judge every payment. The report
takes the latest finished run over all regelingen (or, when there is none, the latest run at all)
and counts, for the payments with ``periode_van`` in the period, how many the run judged and which
controls gave a signal (a result *fout*: a possible error, not yet an established one).

A run judges the active population as it was when the run started: payments imported after it
were not judged, and the report says so (``stale``). Only the fout results are read (the partial
index on them makes that cheap); the number of judged payments comes from the populations.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, Integer, case, func, select, type_coerce
from sqlalchemy.orm import Session

from kic.controls.checks import FOUT
from kic.controls.loader import Catalogue
from kic.controls.models import ControlResult, ControlRun, ControlRunControl
from kic.gemeenten import WHOLE, Scope
from kic.periods import Period
from kic.population.models import SNAPSHOT_ACTIVE, Payment, PopulationSnapshot
from kic.population.parse import cents_to_decimal

TOP = 3


@dataclass(frozen=True)
class ControlSignals:
    control_id: str
    category: str
    signals: int
    overpaid: Decimal  # what the control says was paid too much (its positive differences)


@dataclass(frozen=True)
class AutomatedSummary:
    run_id: int
    finished_at: datetime
    regeling: str | None  # the run's regeling, None: all regelingen
    payments: int  # payments of the period the run judged
    flagged: int  # of which with at least one signal
    signals: int
    overpaid: Decimal
    controls: list[ControlSignals]  # every control with a signal, most signals first
    categories: list[tuple[str, int]]  # signals per kind of control (the catalogue's categorie)
    failed: list[str]  # controls the run could not carry out
    stale: bool  # betalingen imported after the run started were not judged

    @property
    def top(self) -> list[ControlSignals]:
        return self.controls[:TOP]


def latest_run(session: Session) -> ControlRun | None:
    """The latest finished run over all regelingen, else the latest finished run of one regeling."""
    return session.scalars(
        select(ControlRun)
        .where(ControlRun.finished_at.is_not(None))
        .order_by(ControlRun.regeling.is_not(None), ControlRun.id.desc())
        .limit(1)
    ).first()


def automated_summary(
    session: Session, period: Period, catalogue: Catalogue, scope: Scope = WHOLE
) -> AutomatedSummary | None:
    """The latest run's signals on the payments of ``period``; None when no run finished yet."""
    run = latest_run(session)
    if run is None or run.finished_at is None:
        return None
    controls = _signals(session, run, period, catalogue, scope)
    categories: Counter[str] = Counter()
    for c in controls:
        categories[c.category] += c.signals
    return AutomatedSummary(
        run.id,
        run.finished_at,
        run.regeling,
        _judged(session, run, period, scope),
        _flagged(session, run, period, scope),
        sum(c.signals for c in controls),
        sum((c.overpaid for c in controls), Decimal("0.00")),
        controls,
        sorted(categories.items(), key=lambda kv: (-kv[1], kv[0])),
        sorted(
            session.scalars(
                select(ControlRunControl.control_id).where(
                    ControlRunControl.run_id == run.id, ControlRunControl.failure.is_not(None)
                )
            )
        ),
        _stale(session, run),
    )


def _in_period(period: Period, scope: Scope) -> ColumnElement[bool]:
    """The payments of ``period`` that are in view."""
    return Payment.period_from.between(period.start, period.end) & scope.on(Payment.gemeente)


def _signals(
    session: Session, run: ControlRun, period: Period, catalogue: Catalogue, scope: Scope
) -> list[ControlSignals]:
    difference = type_coerce(ControlResult.difference, Integer)  # cents, summed exactly
    rows = session.execute(
        select(
            ControlRunControl.control_id,
            func.count(),
            func.sum(case((difference > 0, difference), else_=0)),
        )
        .select_from(ControlResult)
        .join(Payment, Payment.id == ControlResult.payment_row_id)
        .join(
            ControlRunControl,
            (ControlRunControl.run_id == ControlResult.run_id)
            & (ControlRunControl.control_index == ControlResult.control_index),
        )
        .where(ControlResult.run_id == run.id, ControlResult.status == FOUT, _in_period(period, scope))
        .group_by(ControlRunControl.control_id)
    ).all()
    found = [
        ControlSignals(
            control_id, _category(catalogue, control_id), int(count), cents_to_decimal(int(cents or 0))
        )
        for control_id, count, cents in rows
    ]
    return sorted(found, key=lambda c: (-c.signals, c.control_id))


def _category(catalogue: Catalogue, control_id: str) -> str:
    versions = catalogue.versions.get(control_id)
    return versions[-1].category if versions else "onbekend"


def _flagged(session: Session, run: ControlRun, period: Period, scope: Scope) -> int:
    return int(
        session.scalar(
            select(func.count(func.distinct(ControlResult.payment_row_id)))
            .join(Payment, Payment.id == ControlResult.payment_row_id)
            .where(ControlResult.run_id == run.id, ControlResult.status == FOUT, _in_period(period, scope))
        )
        or 0
    )


def _judged(session: Session, run: ControlRun, period: Period, scope: Scope) -> int:
    """The payments of the period in the active populations imported before the run started."""
    query = (
        select(func.count())
        .select_from(Payment)
        .join(PopulationSnapshot, PopulationSnapshot.id == Payment.snapshot_id)
        .where(
            PopulationSnapshot.status == SNAPSHOT_ACTIVE,
            PopulationSnapshot.kind == "betalingen",
            PopulationSnapshot.imported_at <= run.started_at,
            _in_period(period, scope),
        )
    )
    if run.regeling is not None:
        query = query.where(Payment.regeling == run.regeling)
    return int(session.scalar(query) or 0)


def _stale(session: Session, run: ControlRun) -> bool:
    later = session.scalar(
        select(func.count())
        .select_from(PopulationSnapshot)
        .where(
            PopulationSnapshot.status == SNAPSHOT_ACTIVE,
            PopulationSnapshot.kind == "betalingen",
            PopulationSnapshot.imported_at > run.started_at,
        )
    )
    return bool(later)
