"""Reading reviews for the web pages: a reviewer's queue, an item's data and automated results,
progress per sample, and the export of all reviews with verdicts and amounts.

Nothing here changes a review; the use cases that do are in kic.review.service.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from kic.controls.frame import FOUND, PREFIX
from kic.controls.models import ControlRun
from kic.formatting import datum, euro, number
from kic.population.parse import cents_to_decimal
from kic.review.models import BEZIG, TE_DOEN, TER_REVIEW, Review
from kic.samples.models import BESCHIKKING, BETALING, Sample, SampleItem
from kic.users import Role, User

FIRST, SECOND = "eerste", "tweede"
STATUS_LABELS = {"te_doen": "te doen", "bezig": "bezig", "ter_review": "ter review", "afgerond": "afgerond"}
# Shown on the item page, in this order; never the BSN or the client's key.
PAYMENT_FIELDS = (
    ("betaling_id", "Betaling"),
    ("regeling", "Regeling"),
    ("bedrag", "Bedrag"),
    ("debet_credit", "Debet/credit"),
    ("betaaldatum", "Betaaldatum"),
    ("periode_van", "Periode van"),
    ("periode_tot", "Periode tot"),
    ("beschikkingsnummer", "Beschikking"),
    ("leefvorm", "Leefvorm"),
    ("kostendelers", "Kostendelers"),
    ("normbedrag", "Normbedrag"),
    ("inkomsten", "Inkomsten"),
    ("product", "Product"),
    ("volume", "Volume"),
    ("eenheid", "Eenheid"),
    ("handmatig", "Handmatig"),
    ("medewerker", "Ingevoerd door"),
    ("bronsysteem", "Bronsysteem"),
)
DOSSIER_FIELDS = (
    ("product", "Product"),
    ("ingangsdatum", "Ingangsdatum"),
    ("einddatum", "Einddatum"),
    ("bedrag_per_periode", "Bedrag per periode"),
    ("volume", "Volume"),
    ("eenheid", "Eenheid"),
    ("leefvorm", "Leefvorm"),
    ("kostendelers", "Kostendelers"),
    ("besluitdatum", "Besluitdatum"),
    ("aanvraagdatum", "Aanvraagdatum"),
    ("status", "Status"),
    ("medewerker", "Besloten door"),
)
MONEY = {"bedrag", "normbedrag", "inkomsten", "bedrag_per_periode"}


@dataclass(frozen=True)
class WorkItem:
    """One line of 'Mijn werkvoorraad'."""

    review_id: int
    sample_id: int
    regeling: str
    period_label: str
    item_key: str
    book_value: Decimal
    status: str
    deadline: date | None
    role: str  # eerste | tweede (beoordelaar)
    overdue: bool


def worklist(session: Session, username: str, today: date) -> list[WorkItem]:
    """Reviews waiting for ``username``: as first reviewer (te doen, bezig) or second (ter review)."""
    mine = or_(
        (Review.reviewer == username) & Review.status.in_((TE_DOEN, BEZIG)),
        (Review.second_reviewer == username) & (Review.status == TER_REVIEW),
    )
    query = (
        select(Review, Sample.regeling, Sample.period_label, SampleItem.book_value)
        .join(Sample, Sample.id == Review.sample_id)
        .join(SampleItem, SampleItem.id == Review.sample_item_id)
        .where(mine)
        .order_by(Review.deadline.is_(None), Review.deadline, Review.id)
    )
    return [
        WorkItem(
            r.id,
            r.sample_id,
            regeling,
            label,
            r.item_key,
            book,
            r.status,
            r.deadline,
            SECOND if r.status == TER_REVIEW else FIRST,
            r.deadline is not None and r.deadline < today,
        )
        for r, regeling, label, book in session.execute(query)
    ]


def may_read(review: Review, user: User) -> bool:
    """A reviewer sees the items assigned to them; the teamleider and the accountant see all."""
    if user.role_enum in (Role.TEAMLEIDER, Role.ACCOUNTANT):
        return True
    return user.role_enum is Role.KWALITEITSMEDEWERKER and user.username in (
        review.reviewer,
        review.second_reviewer,
    )


def may_edit(review: Review, username: str) -> bool:
    return review.reviewer == username and review.status in (TE_DOEN, BEZIG)


def item_facts(
    frame: pd.DataFrame, unit: str = BETALING
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Payment and beschikking data as (label, Dutch text); the BSN is left out on purpose."""
    row = frame.iloc[0]
    if unit == BESCHIKKING:  # a beschikking sampled on its own (see kic.review.service.item_frame)
        payment = []
        fields: tuple[tuple[str, str], ...] = (
            ("beschikkingsnummer", "Beschikking"),
            ("regeling", "Regeling"),
            *DOSSIER_FIELDS,
        )
    else:
        payment = [(label, _show(name, row.get(name))) for name, label in PAYMENT_FIELDS if name in row.index]
        fields = DOSSIER_FIELDS
    dossier = (
        [(label, _show(name, row.get(PREFIX + name))) for name, label in fields if PREFIX + name in row.index]
        if bool(row.get(FOUND))
        else []
    )
    return [p for p in payment if p[1]], [d for d in dossier if d[1]]


def _show(name: str, value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if name in MONEY:
        return euro(cents_to_decimal(int(value)))
    if isinstance(value, pd.Timestamp):
        return datum(value.date())
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return number(Decimal(str(value)))
    return str(value)


@dataclass(frozen=True)
class AutomatedResult:
    control_id: str
    version: int
    status: str  # fout | geen fout | niet te beoordelen
    difference: Decimal | None = None
    explanation: str | None = None


@dataclass(frozen=True)
class AutomatedResults:
    run_id: int
    finished_at: Any
    results: list[AutomatedResult]


_RUN_CONTROLS = """
SELECT control_index, control_id, version, failure FROM control_run_control
WHERE run_id = :run AND regeling IN (:regeling, 'ALLE') ORDER BY control_id, version
"""
# The partial index on fout results by run and payment (migration 0010) finds the item's rows directly;
# before it, every fout row of the run was read and filtered (55,677 on a million payments).
_FOUT = """
SELECT r.control_index, r.difference, e.reason_code, e.explanation FROM control_result r
JOIN control_run_reason e ON e.run_id = r.run_id AND e.reason_index = r.reason_index
WHERE r.run_id = :run AND r.status = 1 AND r.payment_row_id = :row
"""


def automated_results(session: Session, review: Review, regeling: str) -> AutomatedResults | None:
    """The latest finished control run over the item's regeling: per control fout (with amount) or not."""
    run = session.scalars(
        select(ControlRun)
        .where(
            ControlRun.finished_at.is_not(None),
            or_(ControlRun.regeling.is_(None), ControlRun.regeling == regeling),
        )
        .order_by(ControlRun.id.desc())
        .limit(1)
    ).first()
    if run is None:
        return None
    row_id = session.scalar(select(SampleItem.payment_row_id).where(SampleItem.id == review.sample_item_id))
    if row_id is None:  # a beschikking: the automated controls judge its payments, one by one
        return None
    fout = {
        int(i): (Decimal(d), code, why)
        for i, d, code, why in session.execute(text(_FOUT), {"run": run.id, "row": row_id})
    }
    results = []
    for index, control_id, version, failure in session.execute(
        text(_RUN_CONTROLS), {"run": run.id, "regeling": regeling}
    ):
        if failure:
            results.append(AutomatedResult(control_id, version, "niet te beoordelen", None, failure))
        elif int(index) in fout:
            cents, code, why = fout[int(index)]
            results.append(
                AutomatedResult(control_id, version, "fout", cents_to_decimal(int(cents)), why or code)
            )
        else:
            results.append(AutomatedResult(control_id, version, "geen fout"))
    return AutomatedResults(run.id, run.finished_at, results)


@dataclass
class Progress:
    """Reviews of one sample counted per status, and per reviewer per status."""

    total: int = 0
    per_status: Counter = field(default_factory=Counter)
    per_reviewer: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))


def sample_progress(session: Session, sample_id: int) -> Progress:
    progress = Progress()
    rows = session.execute(select(Review.reviewer, Review.status).where(Review.sample_id == sample_id))
    for reviewer, status in rows:
        progress.total += 1
        progress.per_status[status] += 1
        progress.per_reviewer[reviewer][status] += 1
    progress.per_reviewer = dict(sorted(progress.per_reviewer.items()))
    return progress


def samples_with_reviews(session: Session) -> list[tuple[Sample, Counter]]:
    """Every sample with its reviews counted per status (samples without reviews have an empty count)."""
    counts: dict[int, Counter] = defaultdict(Counter)
    for sample_id, status in session.execute(select(Review.sample_id, Review.status)):
        counts[sample_id][status] += 1
    return [(s, counts[s.id]) for s in session.scalars(select(Sample).order_by(Sample.id.desc()))]


def sample_reviews(session: Session, sample_id: int) -> list[tuple[Review, SampleItem]]:
    query = (
        select(Review, SampleItem)
        .join(SampleItem, SampleItem.id == Review.sample_item_id)
        .where(Review.sample_id == sample_id)
        .order_by(SampleItem.position)
    )
    return [(r, i) for r, i in session.execute(query)]


def quality_reviewers(session: Session) -> list[User]:
    """Active kwaliteitsmedewerkers: who can be given an item."""
    return list(
        session.scalars(
            select(User)
            .where(User.role == Role.KWALITEITSMEDEWERKER.value, User.active.is_(True))
            .order_by(User.username)
        )
    )


EXPORT_HEADER = (
    "steekproef",
    "regeling",
    "periode",
    "positie",
    "betaling",
    "boekwaarde",
    "beoordeling",
    "beoordelaar",
    "tweede_beoordelaar",
    "status",
    "oordeel",
    "foutbedrag",
    "onzeker_bedrag",
    "formele_fouten",
    "oorzaak",
    "toelichting",
    "commentaar_tweede",
    "gewijzigd_door",
    "gewijzigd_op",
)


def export_rows(session: Session, sample_id: int | None = None) -> Iterator[tuple[Any, ...]]:
    """Every review (of one sample, or all) with verdict and amounts; money as Decimal, no BSN."""
    query = (
        select(Review, SampleItem, Sample)
        .join(SampleItem, SampleItem.id == Review.sample_item_id)
        .join(Sample, Sample.id == Review.sample_id)
        .order_by(Review.sample_id, SampleItem.position)
    )
    if sample_id is not None:
        query = query.where(Review.sample_id == sample_id)
    for review, item, sample in session.execute(query):
        yield (
            sample.id,
            sample.regeling,
            sample.period_label,
            item.position,
            review.item_key,
            item.book_value,
            review.id,
            review.reviewer,
            review.second_reviewer or "",
            review.status,
            review.verdict or "",
            review.error_amount,
            review.uncertain_amount,
            review.formal_findings,
            review.cause_code or "",
            review.explanation or "",
            review.second_comment or "",
            review.updated_by or "",
            review.updated_at.isoformat(timespec="seconds") if review.updated_at else "",
        )
