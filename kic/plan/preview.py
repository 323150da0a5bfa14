"""What a draw of the plan would draw, without drawing: per plan line and period the population and the size.

A draw cannot be undone (samples are frozen), so the teamleider sees this first. ``preview_draw`` is pure
(the plan's sizes in, a frozen preview out) and walks the lines and periods exactly as
``kic.plan_draw.draw_plan`` does; ``draw_preview`` is the use case that sizes the plan on the active
population and writes nothing. The ``fingerprint`` names what was shown: a draw whose lines, periods and
sizes give another fingerprint is not the draw that was confirmed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from kic.errors import KicError
from kic.periods import Period, parse_period
from kic.plan.schema import Bron, Part
from kic.plan.service import size_plan
from kic.plan.sizes import PartSize, PlanSizes


class PreviewError(KicError, ValueError):
    """The plan cannot be drawn for this period (the same refusals as the draw); the message is Dutch."""


@dataclass(frozen=True)
class PreviewLine:
    """One plan line in one period: its population and the size that will be drawn (0: nothing)."""

    part: Part
    period: Period
    count: int  # items of the line's population in the period
    value_cents: int  # their book value (positive amounts, as the sizes are computed on)
    n: int
    notes: tuple[str, ...] = ()
    gemeente: str | None = None  # a line drawn per gemeente: this gemeente's sample

    @property
    def unit(self) -> str:
        """What an item is: betaling or beschikking."""
        return "beschikking" if self.part.population.source is Bron.BESCHIKKINGEN else "betaling"

    @property
    def census(self) -> bool:
        return self.n > 0 and self.n == self.count


@dataclass(frozen=True)
class DrawPreview:
    year: int
    period: Period
    regeling: str | None
    plan_version: int
    plan_sha256: str
    lines: tuple[PreviewLine, ...]

    @property
    def drawn(self) -> tuple[PreviewLine, ...]:
        """The lines that get a sample (size above 0)."""
        return tuple(line for line in self.lines if line.n > 0)

    @property
    def n(self) -> int:
        return sum(line.n for line in self.lines)

    @property
    def fingerprint(self) -> str:
        return fingerprint((line.part.id, line.period.label, line.n, line.gemeente) for line in self.lines)


def fingerprint(lines: Iterable[tuple[str, str, int, str | None]]) -> str:
    """sha256 over (plan line, period, size, gemeente) in the draw's order: the same for a preview and its draw."""
    text = "\n".join(
        f"{part}|{period}|{n}" + (f"|{gemeente}" if gemeente else "") for part, period, n, gemeente in lines
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def preview_draw(sizes: PlanSizes, label: str, regeling: str | None = None) -> DrawPreview:
    """The lines and periods a draw of ``label`` (a year, quarter or month of the plan's year) would draw."""
    requested = parse_period(label)
    year = sizes.plan.year
    if requested.start.year != year:
        raise PreviewError(f"periode {requested.label} ligt niet in planjaar {year}")
    if sizes.problems:
        raise PreviewError("het controleplan kan niet worden doorgerekend: " + "; ".join(sizes.problems))
    lines = tuple(
        line
        for part in sizes.parts
        if not regeling or part.part.regeling == regeling
        for line in _within(part, requested)
    )
    if not lines:
        raise PreviewError(
            f"het controleplan {year} vraagt geen steekproef in {requested.label}"
            + (f" voor {regeling}" if regeling else "")
        )
    return DrawPreview(year, requested, regeling, sizes.plan.version, sizes.plan.content_hash, lines)


def _within(part: PartSize, requested: Period) -> list[PreviewLine]:
    """The line's periods that lie within the requested period (as ``draw_plan`` takes them)."""
    return [
        PreviewLine(part.part, p.period, p.count, p.value_cents, p.n, part.notes, part.gemeente)
        for p in part.periods
        if requested.start <= p.period.start and p.period.end <= requested.end
    ]


def draw_preview(
    session: Session,
    year: int,
    label: str,
    *,
    regeling: str | None = None,
    controls_dir: Path | None = None,
) -> DrawPreview:
    """Size the plan of ``year`` on the active population and preview the draw of ``label``; reads only."""
    return preview_draw(size_plan(session, year, controls_dir), label, regeling)
