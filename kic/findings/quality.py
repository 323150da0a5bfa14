"""Kwaliteit per werkproces: the share of reviewed items without any finding, against the plan's norm.

The kwaliteitsnormen of a gemeente are agreed per werkproces (aanvraag, mutatie, betaling, heronderzoek,
beëindiging, terugvordering): for example "90 % of the aanvragen is handled without error". Every afgeronde
review of a sample within the period counts for the werkproces of its plan line (stored with the sample at
the draw, :func:`kic.review.service.sample_work`); a sample of payments drawn without a plan line counts for
*betaling*, a sample of beschikkingen without one for "zonder werkonderdeel". Reviews after the fact
(achteraf: statistical and targeted samples) and preventieve toetsen (a besluit checked before it is sent)
are counted apart: the first measures what went out of the door, the second what the toets stopped.

An item meets the norm when its verdict is voldoet without formal findings; a fout, an onzekerheid or a
formal error (beslistermijn, a missing signature) each makes it an item with a finding. The figure is a
count of items, not euros: it is quality, and is never extrapolated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from kic.controls.catalogue import Werkproces
from kic.gemeenten import WHOLE, Scope
from kic.periods import Period
from kic.review.models import AFGEROND, Review
from kic.review.service import sample_work
from kic.samples.models import BETALING, Sample
from kic.vocabulary import Purpose, Verdict

ACHTERAF = "achteraf"  # statistical and targeted samples: the besluit or payment had gone out
PREVENTIEF = Purpose.PREVENTIEF.value  # the besluit was checked before it was sent
WITHOUT_WORK = "zonder werkonderdeel"
WORK_ORDER = (*(work.value for work in Werkproces), WITHOUT_WORK)  # the order of the werkprocessen


@dataclass(frozen=True)
class QualityRow:
    work: str  # the werkproces (werkonderdeel of the plan line)
    kind: str  # achteraf | preventief
    reviewed: int
    errors: int  # verdict fout
    uncertain: int  # verdict onzekerheid
    formal: int  # verdict voldoet, with one or more formal findings
    norm_pct: Decimal | None  # the plan's kwaliteitsnorm for the werkproces, None when it has none

    @property
    def clean(self) -> int:
        return self.reviewed - self.errors - self.uncertain - self.formal

    @property
    def pct(self) -> Decimal:
        """The kwaliteitspercentage, rounded half up to one decimal."""
        return (Decimal(100 * self.clean) / Decimal(self.reviewed)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def meets_norm(self) -> bool | None:
        """None without a norm; the unrounded share is compared, so 89,96 % does not meet a norm of 90 %."""
        if self.norm_pct is None:
            return None
        return Decimal(100 * self.clean) >= self.norm_pct * self.reviewed


def quality_by_work(
    session: Session,
    period: Period,
    norms: Mapping[str, Decimal | float | int] | None = None,
    scope: Scope = WHOLE,
) -> list[QualityRow]:
    """Per werkproces and kind (achteraf, preventief) the reviewed items of samples within ``period`` and
    how many had a finding; ``norms`` maps a werkproces to its kwaliteitsnorm in percent."""
    norm_of = {work: Decimal(str(pct)) for work, pct in (norms or {}).items()}
    samples = session.scalars(
        select(Sample).where(
            Sample.period_start >= period.start, Sample.period_end <= period.end, scope.on(Sample.gemeente)
        )
    ).all()
    group: dict[int, tuple[str, str]] = {}
    for sample in samples:
        work = sample_work(session, sample.id)
        name = work.value if work is not None else ("betaling" if sample.unit == BETALING else WITHOUT_WORK)
        group[sample.id] = (name, PREVENTIEF if sample.purpose == Purpose.PREVENTIEF else ACHTERAF)
    counts: dict[tuple[str, str], Counter[str]] = {}
    reviews = session.execute(
        select(Review.sample_id, Review.verdict, Review.formal_findings).where(
            Review.status == AFGEROND, Review.sample_id.in_(list(group))
        )
    )
    for sample_id, verdict, formal in reviews:
        tally = counts.setdefault(group[sample_id], Counter())
        tally["reviewed"] += 1
        if verdict == Verdict.FOUT:
            tally["errors"] += 1
        elif verdict == Verdict.ONZEKERHEID:
            tally["uncertain"] += 1
        elif formal:
            tally["formal"] += 1
    order = {name: i for i, name in enumerate(WORK_ORDER)}
    return [
        QualityRow(work, kind, t["reviewed"], t["errors"], t["uncertain"], t["formal"], norm_of.get(work))
        for (work, kind), t in sorted(
            counts.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0][0], item[0][1])
        )
    ]
