"""Page 1 of the kwartaalrapportage in plain Dutch: what the MT reads before anything else.

Per regeling what was sampled in the quarter and what was not; the most likely error of the year
so far against the tolerance, with a percentage that can never look equal to the tolerance when it
is not, and for a quarter before the last one the word *voorlopig*: the samples of part of a year
cannot reach the precision of the whole year, so the upper limit is shown but not judged (the
evaluation's own rule: ``Evaluation.interim_of`` and ``tolerance_test``); and the verbeteracties
by name, owner and deadline, the late ones first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.evaluation import Evaluation, SampleEvaluation, Tolerances
from kic.evaluation.evaluate import conclude
from kic.findings.agenda import is_overdue
from kic.findings.models import GEREED, IN_UITVOERING, OPEN, VERVALLEN, ImprovementAction
from kic.formatting import euro, number, share_beside
from kic.gemeenten import WHOLE, Scope
from kic.periods import Period
from kic.reports.figures import Coverage
from kic.reports.reconciliation import payment_totals
from kic.samples.models import BESCHIKKING, Sample

ZERO = Decimal("0.00")
NAMED = 4  # actions named on page 1, the late ones first; the rest are counted (the agenda lists them all)


@dataclass(frozen=True)
class RegelingQuarter:
    """One regeling in the quarter: its payments, and the samples that tested them (if any)."""

    regeling: str
    payments: int
    amount: Decimal  # debet minus credit
    coverage: Coverage | None  # its samples of payments within the quarter
    decisions: tuple[SampleEvaluation, ...]  # its samples of beschikkingen within the quarter
    wider: tuple[str, ...]  # periods of its samples that contain the quarter but are longer (a year)

    @property
    def tested(self) -> bool:
        return self.coverage is not None or bool(self.decisions)


def regelingen(
    session: Session,
    quarter: Period,
    coverage: Sequence[Coverage],
    decisions: Sequence[SampleEvaluation],
    scope: Scope = WHOLE,
) -> list[RegelingQuarter]:
    """Every regeling with payments in the quarter or a sample of it, by name."""
    payments = payment_totals(session, quarter.start, quarter.end, scope)
    covered = {c.regeling: c for c in coverage}
    wider = _wider_samples(session, quarter, scope)
    names = sorted(set(payments) | set(covered) | {d.regeling for d in decisions})
    rows = []
    for name in names:
        count, debit, credit = payments.get(name, (0, ZERO, ZERO))
        rows.append(
            RegelingQuarter(
                name,
                count,
                debit - credit,
                covered.get(name),
                tuple(d for d in decisions if d.regeling == name),
                tuple(wider.get(name, ())),
            )
        )
    return rows


def _wider_samples(session: Session, quarter: Period, scope: Scope = WHOLE) -> dict[str, list[str]]:
    """Per regeling the periods of samples of payments that include the quarter and reach beyond it."""
    found: dict[str, list[str]] = {}
    for sample in session.scalars(
        select(Sample)
        .where(
            Sample.period_start <= quarter.end,
            Sample.period_end >= quarter.start,
            Sample.extends_id.is_(None),
            Sample.unit != BESCHIKKING,
            scope.on(Sample.gemeente),
        )
        .order_by(Sample.id)
    ):
        if sample.period_start < quarter.start or sample.period_end > quarter.end:
            labels = found.setdefault(sample.regeling, [])
            if sample.period_label not in labels:
                labels.append(sample.period_label)
    return found


def untested_sentence(rows: Sequence[RegelingQuarter], label: str) -> str:
    """In words, the regelingen with payments in the quarter that no sample of the quarter tested."""
    paid = [r for r in rows if r.payments]
    untested = [r for r in paid if not r.tested]
    if not paid:
        return f"Geen betalingen met een periode in {label} in de populaties."
    if not untested:
        return f"Alle {len(paid)} regelingen met betalingen in {label} zijn in een steekproef getoetst."
    names = "; ".join(
        f"{r.regeling} ({_count(r.payments, 'betaling', 'betalingen')}, {euro(r.amount)}"
        f"{', wel in de steekproef over ' + ' en '.join(r.wider) if r.wider else ''})"
        for r in untested
    )
    return (
        f"Niet getoetst in {label}: {_count(len(untested), 'regeling', 'regelingen')} van de {len(paid)} met "
        f"betalingen in dit kwartaal had{'den' if len(untested) > 1 else ''} geen steekproef: {names}."
    )


def share_text(share: Decimal, tolerance: Decimal) -> str:
    """``share`` written beside ``tolerance`` (see :func:`kic.formatting.share_beside`)."""
    return share_beside(share, tolerance)


def tolerance_text(tolerances: Tolerances) -> str:
    return f"{tolerances.approval_pct:g}".replace(".", ",") + "\u00a0%"


@dataclass(frozen=True)
class Judgement:
    """The most likely error of the year so far against the tolerance, in words."""

    provisional: bool  # a quarter before the last: the upper limit is not judged yet
    sentences: tuple[str, ...]
    test: str | None  # the evaluation's tolerance test of the upper limit: binnen, boven, tussenstand or None


def judgement(ytd: Evaluation | None, label: str, last_quarter: str) -> Judgement:
    """``ytd``: the evaluation of 1 January to the end of the quarter; ``label`` names that range.

    The most likely error is written beside the tolerance (``share_text``) and compared in words; the
    upper limit and the gemeente's own limits are the evaluation's sentence (``conclude``), which for a
    part of the year (``interim_of``) gives no verdict against the year's tolerance."""
    provisional = ytd is None or ytd.interim_of is not None
    if ytd is None or ytd.overall is None or not ytd.overall.population_value:
        return Judgement(
            provisional,
            (f"Nog geen statistische steekproef beoordeeld in {label}: er is nog geen fout te schatten.",),
            None,
        )
    overall, tolerances = ytd.overall, ytd.tolerances
    total = overall.projections["totaal"]
    tolerance = Decimal(str(tolerances.approval_pct))
    mwf_share = total.most_likely_error / overall.population_value * 100
    where = "boven" if mwf_share > tolerance else ("gelijk aan" if mwf_share == tolerance else "onder")
    sentences = [
        f"Over {label} is de meest waarschijnlijke fout {euro(total.most_likely_error)}: "
        f"{share_text(mwf_share, tolerance)} van {euro(overall.population_value)} in de steekproefpopulaties, "
        f"{where} de tolerantie van {tolerance_text(tolerances)}.",
        conclude(overall, tolerances, interim=provisional),
    ]
    if provisional:
        sentences.append(
            f"Het oordeel volgt na {last_quarter}: de steekproeven van een deel van het jaar halen de "
            "nauwkeurigheid van het hele jaar niet."
        )
    return Judgement(
        provisional, tuple(sentences), ytd.tolerance_test("totaal", total, overall.population_value)
    )


@dataclass(frozen=True)
class ActionStory:
    """The verbeteracties in words: late ones and running ones named, closed ones counted."""

    late: list[ImprovementAction]
    running: list[ImprovementAction]  # open or in uitvoering, not late, by deadline
    done: int  # gereed
    dropped: int  # vervallen
    total: int
    peildatum: date

    @property
    def named_late(self) -> list[ImprovementAction]:
        return self.late[: NAMED - 1] if self.running else self.late[:NAMED]

    @property
    def named_running(self) -> list[ImprovementAction]:
        return self.running[: NAMED - len(self.named_late)]


def action_story(actions: Sequence[ImprovementAction], day: date) -> ActionStory:
    late = [a for a in actions if is_overdue(a, day)]
    running = [a for a in actions if a.status in (OPEN, IN_UITVOERING) and not is_overdue(a, day)]
    order = sorted  # by deadline, then number: the next deadline first
    return ActionStory(
        order(late, key=lambda a: (a.deadline, a.id)),
        order(running, key=lambda a: (a.deadline, a.id)),
        sum(a.status == GEREED for a in actions),
        sum(a.status == VERVALLEN for a in actions),
        len(actions),
        day,
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{number(n)} {one if n == 1 else many}"
