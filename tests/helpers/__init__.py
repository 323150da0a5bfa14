"""Helpers shared by the tests of several folders (importable as ``helpers``: tests/ is on the path)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from kic.users.models import Role, User
from kic.users.passwords import NO_PASSWORD

# The kwaliteitsmedewerkers of the test gemeente: only an active kwaliteitsmedewerker can be given an item
# (kic.review.service.check_reviewers). Inserted as rows, without the audit trail of kic users add, so
# that tests of the trail start empty.
TEAM = ("ali", "bea", "cor", "dirk", "anna", "bram", "chris")


def ensure_team(session, names: tuple[str, ...] | list[str] = TEAM) -> None:  # type: ignore[no-untyped-def]
    """The reviewers as active kwaliteitsmedewerkers (only they can be given an item); existing ones are kept."""
    now = datetime.now(UTC)
    existing = set(session.scalars(select(User.username).where(User.username.in_(names))))
    session.add_all(
        User(
            username=name,
            display_name=name.capitalize(),
            role=Role.KWALITEITSMEDEWERKER.value,
            password_hash=NO_PASSWORD,
            active=True,
            failed_logins=0,
            password_changed_at=now,
            created_at=now,
            changed_at=now,
        )
        for name in names
        if name not in existing
    )
    session.flush()
