"""Checking a password, with a lock-out after repeated failures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from kic.audit import record
from kic.users.accounts import find_user
from kic.users.models import User
from kic.users.passwords import hash_password, needs_rehash, verify_password

ANONYMOUS = "anoniem"  # the actor of a failed login: whoever typed it is not known


@dataclass(frozen=True)
class LockoutPolicy:
    max_attempts: int = 5
    duration: timedelta = timedelta(minutes=15)


DEFAULT_POLICY = LockoutPolicy()


@dataclass(frozen=True)
class LoginResult:
    """``user`` when the login succeeded; otherwise ``locked_until`` says whether the account is locked."""

    user: User | None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def authenticate(
    session: Session,
    username: str,
    password: str,
    *,
    address: str | None = None,
    policy: LockoutPolicy = DEFAULT_POLICY,
    now: datetime | None = None,
) -> LoginResult:
    """Check a login. Failed attempts are counted (commit the session also when the login fails)."""
    now = now or datetime.now(UTC)
    user = find_user(session, username)
    if user is None or not user.active:
        verify_password(None, password)  # same work as for a real account: no hint that the name exists
        return LoginResult(None)
    locked_until = aware(user.locked_until)
    if locked_until and now < locked_until:
        return LoginResult(None, locked_until)
    if not verify_password(user.password_hash, password):
        return _failed(session, user, policy, now, address)
    _succeeded(session, user, password, now, address)
    return LoginResult(user)


def _failed(
    session: Session, user: User, policy: LockoutPolicy, now: datetime, address: str | None
) -> LoginResult:
    user.failed_logins += 1
    if user.failed_logins < policy.max_attempts:
        record(
            session,
            actor=ANONYMOUS,
            action="gebruiker.inloggen_mislukt",
            object_type="user",
            object_id=user.username,
            after={"mislukte_pogingen": user.failed_logins},
            address=address,
        )
        return LoginResult(None)
    user.failed_logins, user.locked_until = 0, now + policy.duration
    record(
        session,
        actor=ANONYMOUS,
        action="gebruiker.geblokkeerd",
        object_type="user",
        object_id=user.username,
        after={"geblokkeerd_tot": user.locked_until.isoformat()},
        address=address,
    )
    return LoginResult(None, user.locked_until)


def _succeeded(session: Session, user: User, password: str, now: datetime, address: str | None) -> None:
    user.failed_logins, user.locked_until = 0, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record(
        session,
        actor=user.username,
        action="gebruiker.inloggen",
        object_type="user",
        object_id=user.username,
        address=address,
    )


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without a zone; they were stored as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
