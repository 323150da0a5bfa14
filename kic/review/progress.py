"""Progress of the reviews for the teamleider: per sample (with the controleplan line it was drawn for and
whether it is extrapolated) and per reviewer, in counts and shares; and the workload a draw would add.

Nothing here changes a review. It replaces ``sample_progress`` and ``samples_with_reviews`` of
``kic.review.queries`` for the web's overview.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.gemeenten import WHOLE, Scope
from kic.plan.loader import PlanError, PlanNotFound, load_plan
from kic.plan.schema import Plan
from kic.review.assign import assign
from kic.review.models import AFGEROND, BEZIG, TE_DOEN, Review
from kic.review.service import open_workload
from kic.samples.models import Sample
from kic.vocabulary import Verdict

VERDICT_LABELS = {
    Verdict.VOLDOET: "voldoet",
    Verdict.FOUT: "fout",
    Verdict.ONZEKERHEID: "onzekerheid",
    Verdict.NVT: "n.v.t.",
    Verdict.CONCEPT: "concept",
}
OPEN = (TE_DOEN, BEZIG)  # a review that may still be given to another reviewer


@dataclass(frozen=True)
class Counts:
    """Reviews counted per status, with each status's share of the total."""

    per_status: Mapping[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.per_status.values())

    def of(self, status: str) -> int:
        return self.per_status.get(status, 0)

    def share(self, status: str) -> float | None:
        """The fraction of the reviews in ``status``; None when there are none (nothing assigned yet)."""
        return self.of(status) / self.total if self.total else None

    @property
    def done(self) -> int:
        return self.of(AFGEROND)

    @property
    def done_share(self) -> float | None:
        return self.share(AFGEROND)


@dataclass(frozen=True)
class PlanLine:
    """The controleplan line (onderdeel) a sample was drawn for."""

    id: str
    description: str | None = None

    @property
    def name(self) -> str:
        return self.description or self.id


@dataclass(frozen=True)
class SampleProgress:
    sample: Sample
    line: PlanLine | None  # None: drawn on its own (not for a line of the controleplan)
    counts: Counts


def samples_progress(
    session: Session, controls_dir: Path | None = None, scope: Scope = WHOLE
) -> list[SampleProgress]:
    """Every sample in ``scope``, newest first, with its plan line and its reviews counted per status."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for sample_id, status in session.execute(select(Review.sample_id, Review.status)):
        counts[sample_id][status] += 1
    samples = list(
        session.scalars(select(Sample).where(scope.on(Sample.gemeente)).order_by(Sample.id.desc()))
    )
    lines = plan_lines(samples, controls_dir)
    return [SampleProgress(s, lines.get(s.id), Counts(dict(counts[s.id]))) for s in samples]


def sample_progress(session: Session, sample: Sample, controls_dir: Path | None = None) -> SampleProgress:
    rows = session.scalars(select(Review.status).where(Review.sample_id == sample.id))
    return SampleProgress(sample, plan_lines([sample], controls_dir).get(sample.id), Counts(Counter(rows)))


def reviewer_progress(session: Session, sample_id: int) -> dict[str, Counts]:
    """Per first reviewer (by name) the sample's reviews counted per status."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    rows = session.execute(select(Review.reviewer, Review.status).where(Review.sample_id == sample_id))
    for reviewer, status in rows:
        counts[reviewer][status] += 1
    return {name: Counts(dict(counts[name])) for name in sorted(counts)}


def plan_lines(samples: Iterable[Sample], controls_dir: Path | None = None) -> dict[int, PlanLine]:
    """The plan line of each sample drawn for one; its description from that year's controleplan.

    The sample stores the line's id and the plan's year (``Sample.plan_part``, ``Sample.plan``); the
    description is read from the plan of that year as it is now. A plan that can no longer be read, or no
    longer has the line, leaves the id alone.
    """
    plans: dict[int, Plan | None] = {}
    lines = {}
    for sample in samples:
        if not sample.plan_part:
            continue
        year = (sample.plan or {}).get("jaar") or sample.period_start.year
        if year not in plans:
            plans[year] = _plan(int(year), controls_dir)
        plan = plans[year]
        part = next((p for p in plan.parts if p.id == sample.plan_part), None) if plan else None
        lines[sample.id] = PlanLine(sample.plan_part, part.description if part else None)
    return lines


def _plan(year: int, controls_dir: Path | None) -> Plan | None:
    try:
        return load_plan(year, controls_dir)
    except (PlanNotFound, PlanError):
        return None


@dataclass(frozen=True)
class ReviewerLoad:
    """A reviewer's open reviews now, and what a draw adds: as first and as second reviewer (vier-ogen)."""

    username: str
    open_now: int
    first: int = 0
    second: int = 0

    @property
    def after(self) -> int:
        return self.open_now + self.first + self.second


@dataclass(frozen=True)
class DrawWorkload:
    loads: tuple[ReviewerLoad, ...]
    problem: str | None = None  # why the items cannot be assigned (the draw would be refused)


def draw_workload(
    session: Session, samples: Sequence[tuple[int, bool]], reviewers: Sequence[str]
) -> DrawWorkload:
    """What assigning samples of (size, vier-ogen) to ``reviewers`` would add to each one's open reviews.

    Assigned as the draw assigns them (``kic.review.assign``, in turn, each sample from the first name);
    who entered a payment never reviews it, which the draw can only know for the drawn items, so a
    reviewer may get an item more or less than shown here.
    """
    names = sorted({r.strip() for r in reviewers if r.strip()})
    first: Counter[str] = Counter()
    second: Counter[str] = Counter()
    problem = None
    for n, four_eyes in samples:
        if n <= 0 or not names:
            continue
        if four_eyes and len(names) < 2:
            problem = "een steekproef met vier-ogen vraagt ten minste twee beoordelaars"
            continue
        # Nobody entered these items yet: only a vier-ogen sample with one reviewer cannot be assigned.
        assigned = assign([(i, None) for i in range(n)], names, second=four_eyes)
        first.update(a.reviewer for a in assigned)
        second.update(a.second_reviewer for a in assigned if a.second_reviewer)
    now = open_workload(session)
    return DrawWorkload(
        tuple(ReviewerLoad(name, now.get(name, 0), first[name], second[name]) for name in names), problem
    )


def plan_line_names(year: int, controls_dir: Path | None = None) -> dict[str, PlanLine]:
    """Every line of the year's controleplan by id (empty when the plan cannot be read)."""
    plan = _plan(year, controls_dir)
    return {p.id: PlanLine(p.id, p.description) for p in plan.parts} if plan else {}
