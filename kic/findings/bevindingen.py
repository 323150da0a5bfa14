"""Bevindingen: every control judged fout or onzekerheid in an afgeronde review, grouped by cause.

Derived, never stored: a bevinding is one ``ReviewControl`` row with verdict fout (FIN or FORM) or
onzekerheid, in a review whose status is afgerond. Grouping is by control and by the review's cause
code (the catalogue's oorzaken, ``controls/oorzaken.yaml``), so the verbeteragenda can aim an action at the right owner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.gemeenten import WHOLE, Scope
from kic.periods import parse_period
from kic.review.checklist import FOUT, ONZEKERHEID
from kic.review.models import AFGEROND, Review, ReviewControl
from kic.samples.models import Sample

ZERO = Decimal("0.00")
NO_CAUSE = "geen oorzaak"


@dataclass(frozen=True)
class Finding:
    review_id: int
    sample_id: int
    regeling: str
    quarter: str
    item_key: str  # betaling_id or beschikkingsnummer
    control_id: str
    verdict: str  # fout | onzekerheid
    error_type: str  # FIN | ONZ | FORM
    amount: Decimal
    cause: str


@dataclass
class FindingGroup:
    control_id: str
    cause: str
    count: int = 0
    errors: Decimal = ZERO  # FIN
    uncertain: Decimal = ZERO  # ONZ
    formal: int = 0  # FORM
    review_ids: list[int] = field(default_factory=list)

    @property
    def impact(self) -> Decimal:
        return self.errors + self.uncertain


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def findings(
    session: Session,
    label: str | None = None,
    *,
    control_id: str | None = None,
    review_ids: Collection[int] | None = None,
    scope: Scope = WHOLE,
) -> list[Finding]:
    """The bevindingen of the afgeronde reviews of samples within ``label`` (all periods when None),
    optionally of one control or of the given reviews only."""
    query = (
        select(ReviewControl, Review, Sample)
        .join(Review, ReviewControl.review_id == Review.id)
        .join(Sample, Review.sample_id == Sample.id)
        .where(
            Review.status == AFGEROND,
            ReviewControl.verdict.in_((FOUT, ONZEKERHEID)),
            scope.on(Sample.gemeente),
        )
        .order_by(Review.id, ReviewControl.control_id)
    )
    if label is not None:
        period = parse_period(label)
        query = query.where(Sample.period_start >= period.start, Sample.period_end <= period.end)
    if control_id is not None:
        query = query.where(ReviewControl.control_id == control_id)
    if review_ids is not None:
        query = query.where(Review.id.in_(list(review_ids)))
    return [_finding(rc, review, sample) for rc, review, sample in session.execute(query)]


def _finding(rc: ReviewControl, review: Review, sample: Sample) -> Finding:
    kind = "ONZ" if rc.verdict == ONZEKERHEID else (rc.error_type or "FIN")
    return Finding(
        review.id,
        sample.id,
        sample.regeling,
        quarter_of(sample.period_start),
        review.item_key,
        rc.control_id,
        rc.verdict,
        kind,
        Decimal(rc.amount),
        review.cause_code or NO_CAUSE,
    )


def finding_quarters(session: Session) -> list[str]:
    """The quarters that have bevindingen, newest first (to choose from when making an action)."""
    starts = session.scalars(
        select(Sample.period_start)
        .distinct()
        .join(Review, Review.sample_id == Sample.id)
        .join(ReviewControl, ReviewControl.review_id == Review.id)
        .where(Review.status == AFGEROND, ReviewControl.verdict.in_((FOUT, ONZEKERHEID)))
    )
    return sorted({quarter_of(day) for day in starts}, reverse=True)


def group_findings(items: Iterable[Finding]) -> list[FindingGroup]:
    """By control and cause, the largest € impact first (then the most frequent)."""
    return _by(items, lambda f: (f.control_id, f.cause))


def by_control(items: Iterable[Finding]) -> list[FindingGroup]:
    """Per control over all causes (cause '*'), for the top failing controls."""
    return _by(items, lambda f: (f.control_id, "*"))


def by_cause(items: Iterable[Finding]) -> list[FindingGroup]:
    """Per cause over all controls (control '*'), for the top causes."""
    return _by(items, lambda f: ("*", f.cause))


def _by(items: Iterable[Finding], key: Callable[[Finding], tuple[str, str]]) -> list[FindingGroup]:
    groups: dict[tuple[str, str], FindingGroup] = defaultdict(lambda: FindingGroup("", ""))
    for f in items:
        k = key(f)
        group = groups[k]
        group.control_id, group.cause = k
        _add(group, f)
    return sorted(groups.values(), key=lambda g: (-g.impact, -g.count, g.control_id, g.cause))


def _add(group: FindingGroup, f: Finding) -> None:
    group.count += 1
    if f.error_type == "FIN":
        group.errors += f.amount
    elif f.error_type == "ONZ":
        group.uncertain += f.amount
    else:
        group.formal += 1
    if f.review_id not in group.review_ids:
        group.review_ids.append(f.review_id)
