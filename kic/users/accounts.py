"""Use cases for accounts: add, change password, (de)activate, list. Every change is audited."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, object_session

from kic.audit import record
from kic.errors import KicError, by_field
from kic.users.gemeenten import gemeente_problems, shown_gemeenten, store_gemeenten, user_gemeenten
from kic.users.models import LoginThrottle, Role, User
from kic.users.passwords import hash_password, password_problems
from kic.users.sessions import end_sessions

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
USERNAME_RULE = (
    "de gebruikersnaam moet 2 tot 64 tekens hebben: kleine letters, cijfers, punt, streepje of "
    "liggend streepje, en beginnen met een letter of cijfer"
)


class UserError(KicError, ValueError):
    """An account cannot be created or changed; ``problems`` lists every reason (Dutch).

    ``by_field`` names the input each problem is about, so that a form can show it beside that field.
    """

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _field, message in problems), by_field=by_field(problems))
        self.problems = [message for _field, message in problems]


class UnknownUser(UserError):
    def __init__(self, username: str) -> None:
        super().__init__([("username", f"gebruiker '{username}' bestaat niet")])


def add_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    actor: str,
    gemeenten: Iterable[str] = (),
    address: str | None = None,
) -> User:
    """Create an active account, limited to ``gemeenten`` (CBS codes) when given; reports every problem
    with the input at once."""
    username, display_name = username.strip().lower(), display_name.strip()
    codes, wrong = gemeente_problems(session, gemeenten, role)
    problems = (
        _account_problems(session, username, display_name, role)
        + _password(password)
        + [("gemeenten", message) for message in wrong]
    )
    if problems:
        raise UserError(problems)
    now = datetime.now(UTC)
    user = User(
        username=username,
        display_name=display_name,
        role=Role(role).value,
        password_hash=hash_password(password),
        active=True,
        password_changed_at=now,
        created_at=now,
        changed_at=now,
    )
    session.add(user)
    session.flush()
    store_gemeenten(session, user, codes)
    record(
        session,
        actor=actor,
        action="gebruiker.toevoegen",
        object_type="user",
        object_id=username,
        after=user_view(user),
        address=address,
    )
    return user


def _password(password: str) -> list[tuple[str, str]]:
    return [("password", message) for message in password_problems(password)]


def _account_problems(session: Session, username: str, display_name: str, role: str) -> list[tuple[str, str]]:
    problems = []
    if not USERNAME.match(username):
        problems.append(("username", USERNAME_RULE))
    elif find_user(session, username) is not None:
        problems.append(("username", f"gebruikersnaam '{username}' bestaat al"))
    if not display_name:
        problems.append(("display_name", "vul de naam in"))
    if not role:
        problems.append(("role", "kies een rol"))
    elif role not in {r.value for r in Role}:
        problems.append(("role", f"onbekende rol '{role}'; kies uit {', '.join(r.value for r in Role)}"))
    return problems


def set_password(
    session: Session, username: str, password: str, *, actor: str, address: str | None = None
) -> User:
    """Give an account a new password; this also lifts a lock-out and ends its open sessions."""
    user = get_user(session, username)
    if problems := _password(password):
        raise UserError(problems)
    now = datetime.now(UTC)
    user.password_hash, user.password_changed_at, user.changed_at = hash_password(password), now, now
    session.execute(
        delete(LoginThrottle).where(LoginThrottle.name_sha256 == LoginThrottle.name_key(username))
    )
    end_sessions(session, user)
    record(
        session,
        actor=actor,
        action="gebruiker.wachtwoord",
        object_type="user",
        object_id=user.username,
        address=address,
    )
    return user


def set_gemeenten(
    session: Session, username: str, gemeenten: Iterable[str], *, actor: str, address: str | None = None
) -> User:
    """Limit an account to ``gemeenten`` (CBS codes); none: the whole installation. Open sessions keep
    going: every request reads the limit anew."""
    user = get_user(session, username)
    codes, wrong = gemeente_problems(session, gemeenten, user.role)
    if wrong:
        raise UserError([("gemeenten", message) for message in wrong])
    before = user_view(user)
    if codes == user_gemeenten(session, user):
        return user
    store_gemeenten(session, user, codes)
    user.changed_at = datetime.now(UTC)
    record(
        session,
        actor=actor,
        action="gebruiker.gemeenten",
        object_type="user",
        object_id=user.username,
        before=before,
        after=user_view(user),
        address=address,
    )
    return user


def deactivate(session: Session, username: str, *, actor: str, address: str | None = None) -> User:
    """Stop an account from logging in; it stays in the database because the audit trail names it."""
    if username.strip().lower() == actor:
        raise UserError([("username", "u kunt uw eigen account niet deactiveren")])
    return _set_active(session, username, False, actor=actor, address=address)


def activate(session: Session, username: str, *, actor: str, address: str | None = None) -> User:
    return _set_active(session, username, True, actor=actor, address=address)


def _set_active(session: Session, username: str, active: bool, *, actor: str, address: str | None) -> User:
    user = get_user(session, username)
    if user.active == active:
        return user
    before = user_view(user)
    user.active, user.changed_at = active, datetime.now(UTC)
    if not active:
        end_sessions(session, user)
    record(
        session,
        actor=actor,
        action="gebruiker.activeren" if active else "gebruiker.deactiveren",
        object_type="user",
        object_id=user.username,
        before=before,
        after=user_view(user),
        address=address,
    )
    return user


def list_users(session: Session, *, include_inactive: bool = True) -> list[User]:
    query = select(User).order_by(User.username)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    return list(session.scalars(query))


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def get_user(session: Session, username: str) -> User:
    user = find_user(session, username)
    if user is None:
        raise UnknownUser(username)
    return user


def user_view(user: User) -> dict[str, Any]:
    """What the audit trail keeps of an account (never the password hash)."""
    session = object_session(user)
    return {
        "gebruikersnaam": user.username,
        "naam": user.display_name,
        "rol": user.role,
        "actief": user.active,
        "gemeenten": shown_gemeenten(user_gemeenten(session, user) if session else []),
    }
