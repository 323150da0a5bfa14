"""The SiSa indeling: on which line of the SiSa-bijlage (G2, G3) the payments of the year belong.

G2 (gebundelde uitkering, art. 69 Pw) holds algemene bijstand, IOAW, IOAZ and the levensonderhoud of
**beginnende** zelfstandigen under the Bbz; G3 holds the rest of the Bbz: gevestigde and beëindigende
zelfstandigen, kapitaalverstrekking and onderzoek (art. 56 Bbz) (domain reference, SiSa G2/G3). Which
Bbz payment is which comes from the import column ``bbz_classificatie`` (BUS nadere classificatie Bbz):
1 (beginnende zelfstandige) is G2, every other code G3; kic does not read product codes, so a kapitaal-
verstrekking or onderzoek for a beginnende zelfstandige is exported with code 5 (overig). A Bbz payment
without the code cannot be placed and is reported as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, func, select, type_coerce
from sqlalchemy.orm import Session

from kic.gemeenten import WHOLE, Scope
from kic.population.models import SNAPSHOT_ACTIVE, Payment, PopulationSnapshot
from kic.population.parse import cents_to_decimal

G2_REGELINGEN = {"PW-LO": "algemene bijstand", "IOAW": "IOAW", "IOAZ": "IOAZ"}
BBZ_BEGINNEND = "1"
UNKNOWN = "G2/G3?"


@dataclass(frozen=True)
class SisaLine:
    code: str  # G2, G3, or UNKNOWN for Bbz without classificatie
    description: str
    count: int
    balance: Decimal  # debet minus credit

    @property
    def unknown(self) -> bool:
        return self.code == UNKNOWN


def sisa_line(regeling: str, bbz_class: str | None) -> tuple[str, str] | None:
    """(code, description) of the SiSa line a payment belongs to; None: not on G2 or G3."""
    if regeling in G2_REGELINGEN:
        return "G2", G2_REGELINGEN[regeling]
    if regeling != "BBZ":
        return None
    if bbz_class is None:
        return UNKNOWN, "Bbz zonder bbz_classificatie (indeling onbekend)"
    if bbz_class == BBZ_BEGINNEND:
        return "G2", "Bbz levensonderhoud beginnende zelfstandigen"
    return "G3", "Bbz overig (gevestigde en beëindigende zelfstandigen, kapitaal, onderzoek)"


def sisa_lines(session: Session, start: date, end: date, scope: Scope = WHOLE) -> list[SisaLine]:
    """Per SiSa line the payments of the active populations with ``periode_van`` from ``start`` to ``end``
    (as the aansluiting delimits them): count and balance, G2 lines first."""
    cents = type_coerce(Payment.amount, Integer)
    rows = session.execute(
        select(Payment.regeling, Payment.bbz_class, func.count(), func.sum(cents))
        .join(PopulationSnapshot, PopulationSnapshot.id == Payment.snapshot_id)
        .where(
            PopulationSnapshot.status == SNAPSHOT_ACTIVE,
            PopulationSnapshot.kind == "betalingen",
            Payment.regeling.in_([*G2_REGELINGEN, "BBZ"]),
            Payment.period_from >= start,
            Payment.period_from <= end,
            scope.on(Payment.gemeente),
        )
        .group_by(Payment.regeling, Payment.bbz_class)
    ).all()
    totals: dict[tuple[str, str], tuple[int, int]] = {}
    for regeling, bbz_class, count, total in rows:
        line = sisa_line(regeling, bbz_class)
        if line is not None:
            seen = totals.get(line, (0, 0))
            totals[line] = (seen[0] + count, seen[1] + int(total or 0))
    order = {"G2": 0, "G3": 1, UNKNOWN: 2}
    return [
        SisaLine(code, description, count, cents_to_decimal(total))
        for (code, description), (count, total) in sorted(
            totals.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])
        )
    ]
