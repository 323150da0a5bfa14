"""Write audit events in the same transaction as the change they describe."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from kic.audit.models import AuditEvent


def current_actor(explicit: str | None = None) -> str:
    """The user to record: the argument, else ``KIC_USER``, else the operating-system login."""
    if explicit:
        return explicit
    if os.environ.get("KIC_USER"):
        return os.environ["KIC_USER"]
    try:
        return getpass.getuser()
    except OSError:
        return "onbekend"


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    address: str | None = None,
    note: str | None = None,
) -> AuditEvent:
    """Add one event to ``session``; it commits or rolls back together with the change itself."""
    event = AuditEvent(
        occurred_at=datetime.now(UTC),
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=before,
        after=after,
        address=address,
        note=note,
    )
    session.add(event)
    session.flush()
    return event
