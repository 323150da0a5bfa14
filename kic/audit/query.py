"""Reading the audit trail: filter, page through, and turn events into export rows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from kic.audit.models import AuditEvent
from kic.formatting import AMSTERDAM, tijdstip

EXPORT_HEADER = (
    "tijdstip",
    "gebruiker",
    "actie",
    "soort object",
    "object",
    "voor",
    "na",
    "adres",
    "toelichting",
)


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show; every field is optional. Days are calendar days in Amsterdam."""

    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    day_from: date | None = None
    day_to: date | None = None


def _filtered(query: Select, f: AuditFilter) -> Select:
    if f.actor:
        query = query.where(func.lower(AuditEvent.actor).contains(f.actor.lower(), autoescape=True))
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.object_type:
        query = query.where(AuditEvent.object_type == f.object_type)
    if f.object_id:
        query = query.where(AuditEvent.object_id == f.object_id)
    if f.day_from:
        query = query.where(AuditEvent.occurred_at >= _start_of(f.day_from))
    if f.day_to:
        query = query.where(AuditEvent.occurred_at < _start_of(f.day_to + timedelta(days=1)))
    return query


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=AMSTERDAM)


def find_events(
    session: Session, f: AuditFilter, *, limit: int | None = None, offset: int = 0
) -> list[AuditEvent]:
    """Events matching ``f``, newest first."""
    query = _filtered(select(AuditEvent), f).order_by(AuditEvent.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def count_events(session: Session, f: AuditFilter) -> int:
    return session.scalar(_filtered(select(func.count(AuditEvent.id)), f)) or 0


def distinct_values(session: Session) -> tuple[list[str], list[str]]:
    """The actions and object types that occur, for the filter's choice lists."""
    actions = session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    types = session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type))
    return list(actions), list(types)


def export_rows(session: Session, f: AuditFilter) -> Iterator[tuple[str, ...]]:
    """One row per event, as text, in the order of :data:`EXPORT_HEADER`."""
    query = _filtered(select(AuditEvent), f).order_by(AuditEvent.id).execution_options(yield_per=1000)
    for event in session.scalars(query):
        yield (
            tijdstip(event.occurred_at),
            event.actor,
            event.action,
            event.object_type,
            event.object_id or "",
            _json(event.before),
            _json(event.after),
            event.address or "",
            event.note or "",
        )


def _json(value: dict | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
