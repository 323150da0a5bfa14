"""Server-side record of logged-in web sessions, so that logging out really ends a session.

The signed cookie alone cannot be taken back: a copy made before ``/uitloggen`` would keep working
until its idle timeout. The cookie therefore carries a random token whose SHA-256 is stored here; a
request is only admitted while that row exists and has not ended. Logging out ends the row; a new
password or deactivation ends every session of the account.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from kic.users.models import User, WebSession


def start_session(session: Session, user: User, address: str | None = None) -> str:
    """Record a new session for ``user``; returns the token for the cookie (kept nowhere else)."""
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_sha256=_digest(token),
            user_id=user.id,
            started_at=datetime.now(UTC),
            address=(address or "")[:64] or None,
        )
    )
    return token


def session_user_id(session: Session, token: str | None) -> int | None:
    """The account of an open session, or None when the token is unknown or the session ended."""
    if not token:
        return None
    row = session.get(WebSession, _digest(token))
    return row.user_id if row is not None and row.ended_at is None else None


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(
            update(WebSession)
            .where(WebSession.token_sha256 == _digest(token), WebSession.ended_at.is_(None))
            .values(ended_at=datetime.now(UTC))
        )


def end_sessions(session: Session, user: User) -> None:
    """End every open session of ``user`` (new password, deactivation)."""
    session.execute(
        update(WebSession)
        .where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
        .values(ended_at=datetime.now(UTC))
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
