"""Accounts: creation with every problem reported, passwords, lock-out, deactivation, audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from kic.audit import AuditEvent
from kic.db import session_scope
from kic.users import (
    LockoutPolicy,
    Role,
    UnknownUser,
    UserError,
    add_user,
    authenticate,
    deactivate,
    list_users,
    set_password,
)

PASSWORD = "lang-genoeg-wachtwoord"


@pytest.fixture
def anna(db):  # type: ignore[no-untyped-def]
    with session_scope(db) as session:
        add_user(
            session,
            username="anna",
            display_name="Anna de Vries",
            role="teamleider",
            password=PASSWORD,
            actor="beheer",
        )
    return db


def login(engine, password: str = PASSWORD, now: datetime | None = None, policy: LockoutPolicy | None = None):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        result = authenticate(
            session, "anna", password, address="10.0.0.1", now=now, policy=policy or LockoutPolicy()
        )
        return result.ok, result.locked_until


def actions(engine) -> list[str]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_new_account_stores_an_argon2_hash_and_is_audited_without_it(anna):
    with session_scope(anna) as session:
        [user] = list_users(session)
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "gebruiker.toevoegen"))
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert user.role_enum is Role.TEAMLEIDER and user.active
    assert event.after == {
        "gebruikersnaam": "anna",
        "naam": "Anna de Vries",
        "rol": "teamleider",
        "actief": True,
    }
    assert "argon2" not in str(event.after)


def test_every_problem_with_a_new_account_is_reported_at_once(anna):
    with session_scope(anna) as session, pytest.raises(UserError) as caught:
        add_user(session, username="Anna", display_name=" ", role="baas", password="kort", actor="beheer")
    text = " | ".join(caught.value.problems)
    assert len(caught.value.problems) == 4
    assert "bestaat al" in text and "naam" in text and "onbekende rol 'baas'" in text and "12 tekens" in text


def test_the_right_password_logs_in_and_a_wrong_one_does_not(anna):
    assert login(anna) == (True, None)
    assert login(anna, "verkeerd-wachtwoord") == (False, None)
    assert actions(anna)[-2:] == ["gebruiker.inloggen", "gebruiker.inloggen_mislukt"]


def test_five_failures_lock_the_account_for_fifteen_minutes(anna):
    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    for attempt in range(4):
        assert login(anna, "fout", now=start + timedelta(seconds=attempt)) == (False, None)
    ok, locked_until = login(anna, "fout", now=start + timedelta(seconds=5))
    assert not ok and locked_until == start + timedelta(seconds=5, minutes=15)
    assert login(anna, now=start + timedelta(minutes=10))[0] is False, "also the right password is refused"
    assert login(anna, now=start + timedelta(minutes=16)) == (True, None)
    assert "gebruiker.geblokkeerd" in actions(anna)


def test_the_lockout_policy_is_configurable(anna):
    policy = LockoutPolicy(max_attempts=2, duration=timedelta(minutes=1))
    assert login(anna, "fout", policy=policy)[1] is None
    assert login(anna, "fout", policy=policy)[1] is not None


def test_a_deactivated_account_cannot_log_in_and_stays_listed(anna):
    with session_scope(anna) as session:
        deactivate(session, "anna", actor="beheer")
    assert login(anna) == (False, None)
    with session_scope(anna) as session:
        assert [u.active for u in list_users(session)] == [False]
        assert list_users(session, include_inactive=False) == []
    assert actions(anna)[-1] == "gebruiker.deactiveren"


def test_a_new_password_lifts_a_lockout(anna):
    for _ in range(5):
        login(anna, "fout")
    with session_scope(anna) as session:
        set_password(session, "anna", "een-ander-lang-wachtwoord", actor="beheer")
    assert login(anna, "een-ander-lang-wachtwoord") == (True, None)
    assert "gebruiker.wachtwoord" in actions(anna)


def test_an_unknown_account_is_a_typed_error(db):
    with session_scope(db) as session, pytest.raises(UnknownUser, match="bestaat niet"):
        deactivate(session, "niemand", actor="beheer")
    with session_scope(db) as session:
        assert authenticate(session, "niemand", PASSWORD).ok is False
