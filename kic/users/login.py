"""Checking a password, with a lock-out per login name and client address after repeated failures.

Every answer costs one argon2 verification, whether the name exists, the account is locked or the
password is wrong, and an unknown name is locked out exactly like a known one: neither the time nor
the message tells which accounts exist. The lock-out holds a name *from one address*: wrong passwords
typed elsewhere never lock the owner out (no denial-of-service switch), and each lock-out in a row
lasts twice as long as the one before. The attempt is counted *before* the password is checked, in
one atomic statement, so parallel attempts cannot slip past the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import Table, case, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kic.audit import record
from kic.users.accounts import find_user
from kic.users.models import LoginThrottle, User
from kic.users.passwords import hash_password, needs_rehash, verify_password

ANONYMOUS = "anoniem"  # the actor of a failed login: whoever typed it is not known
LONGEST_LOCK = timedelta(days=1)
FORGET_AFTER = timedelta(days=1)  # rows of names that stopped failing (and are not locked) go


@dataclass(frozen=True)
class LockoutPolicy:
    max_attempts: int = 5
    duration: timedelta = timedelta(minutes=15)  # the first lock-out; each next one in a row doubles

    def lock(self, lockouts: int) -> timedelta:
        return min(self.duration * 2 ** min(lockouts, 16), LONGEST_LOCK)


DEFAULT_POLICY = LockoutPolicy()


@dataclass(frozen=True)
class LoginResult:
    """``user`` when the login succeeded; otherwise ``locked_until`` says whether a lock-out holds."""

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
    """Check a login. Attempts are counted (commit the session also when the login fails)."""
    now = now or datetime.now(UTC)
    key = (LoginThrottle.name_key(username), (address or "")[:64])
    attempts, lockouts, locked_until = _count_attempt(session, key, now)
    if locked_until is not None and now < locked_until:
        verify_password(None, password)  # the same time as any other answer
        return LoginResult(None, locked_until)
    if attempts > policy.max_attempts:  # parallel attempts beyond the limit: the lock is on its way
        verify_password(None, password)
        return LoginResult(None, now + policy.lock(lockouts))
    user = find_user(session, username)
    usable = user is not None and user.active
    if usable and verify_password(user.password_hash, password):  # type: ignore[union-attr]
        _succeeded(session, user, password, key, address)  # type: ignore[arg-type]
        return LoginResult(user)
    if not usable:
        verify_password(None, password)  # same work as for a real account
    if attempts < policy.max_attempts:
        if usable:
            _audit(session, user, "gebruiker.inloggen_mislukt", {"mislukte_pogingen": attempts}, address)  # type: ignore[arg-type]
        return LoginResult(None)
    until = now + policy.lock(lockouts)
    throttle = session.get(LoginThrottle, key)
    assert throttle is not None  # counted above, in this transaction
    throttle.attempts, throttle.lockouts, throttle.locked_until = 0, lockouts + 1, until
    if usable:
        _audit(session, user, "gebruiker.geblokkeerd", {"geblokkeerd_tot": until.isoformat()}, address)  # type: ignore[arg-type]
    return LoginResult(None, until)


def lockouts_of(session: Session, username: str, now: datetime | None = None) -> list[LoginThrottle]:
    """The lock-outs that hold now for ``username`` (one per address)."""
    now = now or datetime.now(UTC)
    rows = (
        session.query(LoginThrottle)
        .filter(LoginThrottle.name_sha256 == LoginThrottle.name_key(username))
        .all()
    )
    return [r for r in rows if (until := aware(r.locked_until)) is not None and until > now]


def _count_attempt(session: Session, key: tuple[str, str], now: datetime) -> tuple[int, int, datetime | None]:
    """Add this attempt to the count (not while a lock-out holds) in one statement; the row stays
    locked until the transaction ends, so parallel attempts are counted one after the other."""
    table = cast(Table, LoginThrottle.__table__)
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    locked = (table.c.locked_until.is_not(None)) & (table.c.locked_until > now)
    statement = (
        insert(table)
        .values(name_sha256=key[0], address=key[1], attempts=1, lockouts=0, locked_until=None, updated_at=now)
        .on_conflict_do_update(
            index_elements=["name_sha256", "address"],
            set_={
                "attempts": case((locked, table.c.attempts), else_=table.c.attempts + 1),
                "updated_at": now,
            },
        )
        .returning(table.c.attempts, table.c.lockouts, table.c.locked_until)
    )
    attempts, lockouts, locked_until = session.execute(statement).one()
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.updated_at < now - FORGET_AFTER,
            (LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until < now),
        )
    )
    return attempts, lockouts, aware(locked_until)


def _succeeded(
    session: Session, user: User, password: str, key: tuple[str, str], address: str | None
) -> None:
    session.execute(
        delete(LoginThrottle).where(LoginThrottle.name_sha256 == key[0], LoginThrottle.address == key[1])
    )
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    _audit(session, user, "gebruiker.inloggen", None, address, actor=user.username)


def _audit(
    session: Session,
    user: User,
    action: str,
    after: dict[str, object] | None,
    address: str | None,
    actor: str = ANONYMOUS,
) -> None:
    record(
        session,
        actor=actor,
        action=action,
        object_type="user",
        object_id=user.username,
        after=after,
        address=address,
    )


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without a zone; they were stored as UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
