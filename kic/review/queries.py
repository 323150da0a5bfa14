"""Reading reviews for the web pages: a reviewer's queue, an item's data and automated results,
progress per sample, and the export of all reviews with verdicts and amounts.

Nothing here changes a review; the use cases that do are in kic.review.service.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pandas as pd
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from kic.controls.frame import FOUND, PREFIX
from kic.controls.models import ControlRun
from kic.formatting import datum, euro, number
from kic.gemeenten import WHOLE, Scope
from kic.population.parse import cents_to_decimal
from kic.review.models import AFGEROND, BEZIG, TE_DOEN, TER_REVIEW, Review
from kic.samples.models import BESCHIKKING, BETALING, Sample, SampleItem
from kic.users import Role, User
from kic.users.gemeenten import user_scope
from kic.vocabulary import Verdict

FIRST, SECOND = "eerste", "tweede"
STATUS_LABELS = {"te_doen": "te doen", "bezig": "bezig", "ter_review": "ter review", "afgerond": "afgerond"}
TERUGGESTUURD = "teruggestuurd"  # derived, never stored: see is_returned
QUEUE_STATUSES = (TE_DOEN, BEZIG, TERUGGESTUURD, TER_REVIEW)  # in the werkvoorraad, in workflow order
QUEUE_STATUS_LABELS = {**STATUS_LABELS, TERUGGESTUURD: "teruggestuurd"}
_STATUS_RANK = {status: rank for rank, status in enumerate(QUEUE_STATUSES)}
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
    position: int = 0  # the item's place in its sample
    second_reviewer: str | None = None
    second_comment: str | None = None

    @property
    def returned(self) -> bool:
        """Sent back by the second reviewer and not yet handed in again (see ``is_returned``)."""
        return self.role == FIRST and self.status == BEZIG and bool(self.second_comment)

    @property
    def queue_status(self) -> str:
        """The status the werkvoorraad shows and filters on: ``teruggestuurd`` beside the stored four."""
        return TERUGGESTUURD if self.returned else self.status


def is_returned(review: Review) -> bool:
    """The second reviewer sent the review back: ``second_review`` puts it to bezig with the comment, which
    stays until the second reviewer decides again. No column says so; this is how the data shows it."""
    return review.status == BEZIG and bool(review.second_comment)


def worklist(session: Session, username: str, today: date, scope: Scope = WHOLE) -> list[WorkItem]:
    """Reviews waiting for ``username`` in ``scope``: as first reviewer (te doen, bezig) or second (ter review)."""
    mine = or_(
        (Review.reviewer == username) & Review.status.in_((TE_DOEN, BEZIG)),
        (Review.second_reviewer == username) & (Review.status == TER_REVIEW),
    )
    return _work_items(session, mine & scope.on(Sample.gemeente), today)


def _work_items(session: Session, where: Any, today: date) -> list[WorkItem]:
    query = (
        select(Review, Sample.regeling, Sample.period_label, SampleItem.book_value, SampleItem.position)
        .join(Sample, Sample.id == Review.sample_id)
        .join(SampleItem, SampleItem.id == Review.sample_item_id)
        .where(where)
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
            position,
            r.second_reviewer,
            r.second_comment,
        )
        for r, regeling, label, book, position in session.execute(query)
    ]


class Due(StrEnum):
    """When an item is due, as the werkvoorraad filters on it."""

    TE_LAAT = "te_laat"  # the deadline has passed
    DEZE_WEEK = "deze_week"  # today up to and including Sunday
    LATER = "later"
    ZONDER = "zonder"  # no deadline


def due(deadline: date | None, today: date) -> Due:
    if deadline is None:
        return Due.ZONDER
    if deadline < today:
        return Due.TE_LAAT
    if deadline <= today + timedelta(days=6 - today.weekday()):
        return Due.DEZE_WEEK
    return Due.LATER


class SortKey(StrEnum):
    DEADLINE = "deadline"
    BEDRAG = "bedrag"
    STEEKPROEF = "steekproef"
    STATUS = "status"


@dataclass(frozen=True)
class QueueView:
    """Which items of the werkvoorraad are shown, in which order (the page's filters and sorting)."""

    sample_id: int | None = None
    regeling: str | None = None
    status: str | None = None  # one of QUEUE_STATUSES
    due: Due | None = None
    sort: SortKey = SortKey.DEADLINE
    descending: bool = False

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in (self.sample_id, self.regeling, self.status, self.due))

    def matches(self, item: WorkItem, today: date) -> bool:
        return (
            (self.sample_id is None or item.sample_id == self.sample_id)
            and (self.regeling is None or item.regeling == self.regeling)
            and (self.status is None or item.queue_status == self.status)
            and (self.due is None or due(item.deadline, today) == self.due)
        )


def arrange(items: list[WorkItem], view: QueueView, today: date) -> list[WorkItem]:
    """The items the view shows, in its order; equal keys keep the default order (first due first)."""
    return _ordered([i for i in items if view.matches(i, today)], view)


def _ordered(items: list[WorkItem], view: QueueView) -> list[WorkItem]:
    default = sorted(items, key=lambda i: (i.deadline is None, i.deadline or date.min, i.review_id))
    if view.sort is SortKey.DEADLINE:  # without a deadline stays last, whichever way
        dated = [i for i in default if i.deadline is not None]
        dated.sort(key=lambda i: i.deadline or date.min, reverse=view.descending)
        return dated + [i for i in default if i.deadline is None]
    key: Any = {
        SortKey.BEDRAG: lambda i: i.book_value,
        SortKey.STEEKPROEF: lambda i: (i.sample_id, i.position),
        SortKey.STATUS: lambda i: _STATUS_RANK.get(i.queue_status, len(_STATUS_RANK)),  # afgerond: last
    }[view.sort]
    return sorted(default, key=key, reverse=view.descending)  # stable: ties keep the default order


def next_item(
    session: Session, username: str, review_id: int, view: QueueView, today: date, scope: Scope = WHOLE
) -> WorkItem | None:
    """The item after ``review_id`` in the reviewer's werkvoorraad as ``view`` shows it, from the top again
    at the end. The review itself may have left the werkvoorraad (just handed in, or outside the filters):
    the next is the one that follows the place it has in that order."""
    items = worklist(session, username, today, scope)
    current = next((i for i in items if i.review_id == review_id), None)
    if current is None:
        found = _work_items(session, Review.id == review_id, today)
        if not found:
            return None
        current = found[0]
    shown = [i for i in items if i.review_id != review_id and view.matches(i, today)]
    ordered = _ordered([*shown, current], view)
    at = ordered.index(current)
    following = ordered[at + 1 :] + ordered[:at]
    return following[0] if following else None


@dataclass(frozen=True)
class ReviewerProgress:
    """How far one reviewer is with one sample: the items they review first, and their vier-ogen."""

    sample_id: int
    regeling: str
    period_label: str
    assigned: int  # items this reviewer reviews as first reviewer
    submitted: int  # of which handed in (ter review or afgerond)
    completed: int  # of which afgerond
    second_open: int  # items waiting for this reviewer as second reviewer

    @property
    def fraction(self) -> float:
        return self.submitted / self.assigned if self.assigned else 0.0


def reviewer_progress(session: Session, username: str, sample_ids: Iterable[int]) -> list[ReviewerProgress]:
    """Per sample (in id order) what ``username`` has handed in of the items assigned to them."""
    ids = sorted(set(sample_ids))
    first: dict[int, Counter] = defaultdict(Counter)
    for sample_id, status, count in session.execute(
        select(Review.sample_id, Review.status, func.count())
        .where(Review.reviewer == username, Review.sample_id.in_(ids))
        .group_by(Review.sample_id, Review.status)
    ):
        first[sample_id][status] += int(count)
    second = {
        sample_id: int(count)
        for sample_id, count in session.execute(
            select(Review.sample_id, func.count())
            .where(Review.second_reviewer == username, Review.status == TER_REVIEW, Review.sample_id.in_(ids))
            .group_by(Review.sample_id)
        )
    }
    return [
        ReviewerProgress(
            s.id,
            s.regeling,
            s.period_label,
            sum(first[s.id].values()),
            first[s.id][TER_REVIEW] + first[s.id][AFGEROND],
            first[s.id][AFGEROND],
            second.get(s.id, 0),
        )
        for s in session.scalars(select(Sample).where(Sample.id.in_(ids)).order_by(Sample.id))
    ]


def deviates(verdict: str | None) -> bool:
    """A control's verdict that the second reviewer looks at first: fout or onzekerheid."""
    return verdict in (Verdict.FOUT, Verdict.ONZEKERHEID)


def display_names(session: Session, usernames: Iterable[str | None]) -> dict[str, str]:
    """Names to show for usernames; a name without an account shows as itself."""
    wanted = {u for u in usernames if u}
    query = select(User.username, User.display_name).where(User.username.in_(wanted))
    found = {row.username: row.display_name for row in session.execute(query)}
    return {u: found.get(u, u) for u in wanted}


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


def sample_reviews(session: Session, sample_id: int) -> list[tuple[Review, SampleItem]]:
    query = (
        select(Review, SampleItem)
        .join(SampleItem, SampleItem.id == Review.sample_item_id)
        .where(Review.sample_id == sample_id)
        .order_by(SampleItem.position)
    )
    return [(r, i) for r, i in session.execute(query)]


def quality_reviewers(session: Session, sample: Sample | None = None) -> list[User]:
    """Active kwaliteitsmedewerkers: who can be given an item (of ``sample``: who works for its gemeente)."""
    users = list(
        session.scalars(
            select(User)
            .where(User.role == Role.KWALITEITSMEDEWERKER.value, User.active.is_(True))
            .order_by(User.username)
        )
    )
    if sample is None:
        return users
    return [user for user in users if user_scope(session, user).allows(sample.gemeente)]


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


def export_rows(
    session: Session, sample_id: int | None = None, scope: Scope = WHOLE
) -> Iterator[tuple[Any, ...]]:
    """Every review (of one sample, or all in ``scope``) with verdict and amounts; money as Decimal, no BSN."""
    query = (
        select(Review, SampleItem, Sample)
        .join(SampleItem, SampleItem.id == Review.sample_item_id)
        .join(Sample, Sample.id == Review.sample_id)
        .where(scope.on(Sample.gemeente))
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
