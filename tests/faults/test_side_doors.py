"""Fault injection, issue 18 #6-#8: the database itself refuses to rewrite what kic froze.

On SQLite through kic's own connection (and REPLACE, which deletes without firing delete triggers);
on PostgreSQL as the application role that ``kic db rechten`` sets up, which owns nothing and so
cannot switch the triggers off either. Each statement below succeeded before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal

import pytest
from reviewed import reviewed_sample
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from kic.controls.run import run_controls
from kic.db import session_scope
from kic.db.roles import RoleError, grant_application_role
from kic.reports.publish import publish
from kic.tables import metadata

APP_ROLE = os.environ.get("KIC_TEST_APP_ROLE", "kic_app_test")  # .ci/run sets up kic_app


@pytest.fixture
def frozen(population: Engine) -> Engine:
    """A database with every kind of protected row: a finished review, control results, a report."""
    reviewed_sample(population, "2026-Q1", {0: Decimal("40.00")})
    with session_scope(population) as session:
        run_controls(session, actor="tester")
        publish(session, "kwartaal", "2026-Q1", {"html": b"<p>rapport</p>"}, actor="tester")
    return population


@pytest.fixture
def as_kic(frozen: Engine) -> Iterator[Engine]:
    """How kic itself connects: SQLite as is; PostgreSQL as the application role, granted by kic."""
    if frozen.dialect.name != "postgresql":
        yield frozen
        return
    with frozen.begin() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}):
            connection.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN"))
    grant_application_role(frozen, APP_ROLE)
    engine = create_engine(make_url(frozen.url).set(username=APP_ROLE, password=None))
    yield engine
    engine.dispose()


# What the refusals say: a trigger's message, or PostgreSQL's privilege checks for the application role.
GUARDS = ("frozen", "append-only", "immutable", "cannot be", "permission denied", "must be owner")
SAMPLE_ITEM_COLUMNS = [c.name for c in metadata.tables["sample_item"].columns]
SIDE_DOORS = [
    "UPDATE report_version SET sha256 = 'vervalst'",
    "UPDATE report_version SET created_by = 'iemand anders'",
    "DELETE FROM report_version",
    "UPDATE payment SET amount = 0",
    "DELETE FROM payment WHERE id = (SELECT MIN(id) FROM payment)",
    "UPDATE dossier SET leefvorm = 'X'",
    "DELETE FROM population_snapshot",
    "UPDATE population_snapshot SET row_count = row_count + 1",
    "UPDATE population_snapshot SET status = 'vervangen', sha256 = 'ander'",
    "UPDATE control_result SET status = 0",
    "DELETE FROM control_result",
    "UPDATE review SET error_amount = 0 WHERE status = 'afgerond'",
    "DELETE FROM review WHERE status = 'afgerond'",
    "UPDATE review_control SET verdict = 'voldoet'",
    "DELETE FROM review_control",
    "UPDATE audit_event SET actor = 'niemand'",
    "DELETE FROM sample_item",
    "UPDATE sample SET seed = 'ander'",
    "UPDATE sample SET manifest_sha256 = 'vervalst', gemeente = 'GM9999'",
    "DELETE FROM sample",
]
POSTGRESQL_ONLY = [
    "TRUNCATE audit_event",
    "TRUNCATE report_version",
    "TRUNCATE sample_item, sample CASCADE",
    "TRUNCATE payment CASCADE",
    "TRUNCATE control_result",
    "ALTER TABLE audit_event DISABLE TRIGGER ALL",
    "DROP TRIGGER report_version_no_update ON report_version",
]
SQLITE_ONLY = [
    "INSERT OR REPLACE INTO audit_event (id, occurred_at, actor, action, object_type) "
    "VALUES (1, CURRENT_TIMESTAMP, 'x', 'vervalst', 'x')",
    "REPLACE INTO sample_item ({columns}) SELECT {values} FROM sample_item WHERE id = (SELECT MIN(id) FROM sample_item)".format(
        columns=", ".join(SAMPLE_ITEM_COLUMNS),
        values=", ".join("0" if c == "book_value" else c for c in SAMPLE_ITEM_COLUMNS),
    ),
    "REPLACE INTO report_version SELECT * FROM report_version",
]


def test_every_side_door_is_refused_by_the_database(as_kic):
    doors = SIDE_DOORS + (POSTGRESQL_ONLY if as_kic.dialect.name == "postgresql" else SQLITE_ONLY)
    opened = []
    for statement in doors:
        before = _fingerprint(as_kic)
        try:
            with as_kic.begin() as connection:
                connection.execute(text(statement))
        except DBAPIError as refused:
            reason = str(refused.orig)
            assert any(word in reason for word in GUARDS), (
                statement,
                reason,
            )  # refused by a guard, not a typo
        else:
            opened.append(statement)
        assert _fingerprint(as_kic) == before, statement
    assert opened == []


def test_kic_itself_still_replaces_a_population_and_finishes_reviews(as_kic):
    """The one change kic makes to a snapshot is allowed: actief -> vervangen."""
    with as_kic.begin() as connection:
        connection.execute(
            text("UPDATE population_snapshot SET status = 'vervangen' WHERE kind = 'betalingen'")
        )
        assert (
            connection.scalar(text("SELECT count(*) FROM population_snapshot WHERE status = 'vervangen'"))
            == 1
        )


def test_the_application_role_may_own_nothing(frozen):
    if frozen.dialect.name != "postgresql":
        with pytest.raises(RoleError, match="alleen op PostgreSQL"):
            grant_application_role(frozen, APP_ROLE)
        return
    with pytest.raises(RoleError, match="bestaat niet"):
        grant_application_role(frozen, "rol_die_niet_bestaat")
    with pytest.raises(RoleError, match="eigenaar"):
        grant_application_role(frozen, make_url(frozen.url).username or "postgres")


def _fingerprint(engine: Engine) -> tuple:
    tables = (
        "report_version",
        "payment",
        "dossier",
        "population_snapshot",
        "control_result",
        "review",
        "review_control",
        "audit_event",
        "sample_item",
        "sample",
    )
    with engine.connect() as connection:
        counts = tuple(connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in tables)
        return (
            *counts,
            connection.scalar(text("SELECT sum(amount) FROM payment")),
            connection.scalar(text("SELECT min(sha256) FROM report_version")),
            connection.scalar(text("SELECT sum(book_value) FROM sample_item")),
            connection.scalar(text("SELECT min(actor) FROM audit_event")),
        )
