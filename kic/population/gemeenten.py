"""Registering a gemeente of the installation, with the rows it takes over.

An installation that imported populations before it knew any gemeente (a database of one gemeente from
before migration 0014, or an import without a gemeente column) has rows without a code. The first gemeente
registered takes them over, with the samples drawn from them, in the same transaction and in the audit trail:
for a single gemeente that is the one step it ever takes. From then on every import sets the code (``GemeenteRule``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import column, table, update
from sqlalchemy.orm import Session

from kic.audit import record
from kic.db.locks import exclusive
from kic.gemeenten import Gemeente, add_gemeente, known_codes
from kic.population.models import ROW_MODELS

SAMPLES = table("sample", column("gemeente"))


@dataclass(frozen=True)
class Registered:
    gemeente: Gemeente
    taken_over: dict[
        str, int
    ]  # kind (betalingen, beschikkingen, steekproeven) -> rows without a gemeente that got its code


def register_gemeente(
    session: Session,
    code: str,
    name: str,
    *,
    actor: str,
    logo: Path | None = None,
    ledger: Path | None = None,
) -> Registered:
    """Register a gemeente; the first one takes over every stored row without a gemeente."""
    for kind in ROW_MODELS:
        exclusive(session, f"populatie:{kind}")  # an import running now finishes first, or waits for this
    first = not known_codes(session)
    gemeente = add_gemeente(session, code, name, actor=actor, logo=logo, ledger=ledger)
    taken: dict[str, int] = {}
    if first:
        for kind, model in ROW_MODELS.items():
            result = session.execute(
                update(model).where(model.gemeente.is_(None)).values(gemeente=gemeente.code)
            )
            taken[kind] = int(result.rowcount or 0)  # type: ignore[attr-defined]
        # the samples drawn from those rows are hers too (kic.samples.draw.sample_gemeente); the table by name,
        # since samples live in a layer above the population
        result = session.execute(
            update(SAMPLES).where(SAMPLES.c.gemeente.is_(None)).values(gemeente=gemeente.code)
        )
        taken["steekproeven"] = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if any(taken.values()):
            record(
                session,
                actor=actor,
                action="gemeente.rijen_overgenomen",
                object_type="gemeente",
                object_id=gemeente.code,
                after={"gemeente": gemeente.code, **taken},
                note="rijen zonder gemeente (van vóór de eerste gemeente) krijgen de code van de eerste gemeente",
            )
    return Registered(gemeente, taken)
