"""Migrations: from empty to head on both databases, models match them, and they undo cleanly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from kic.db import current_revision, upgrade
from kic.db.migrate import alembic_config, head_revision
from kic.db.models import metadata
from kic.resources import resource_dir


def test_upgrade_from_empty_reaches_head(empty_db):
    assert current_revision(empty_db) is None
    assert upgrade(empty_db) == head_revision()
    tables = set(inspect(empty_db).get_table_names())
    assert {"population_snapshot", "payment", "dossier", "audit_event"} <= tables


def test_models_match_migrations(db):
    with db.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_downgrade_to_base_and_back(db):
    from alembic import command

    command.downgrade(alembic_config(db), "base")
    assert current_revision(db) is None
    assert "payment" not in inspect(db).get_table_names()
    assert upgrade(db) == head_revision()


def test_audit_trail_refuses_update_and_delete(db):
    with db.begin() as connection:
        connection.execute(text(
            "INSERT INTO audit_event (occurred_at, actor, action, object_type) "
            "VALUES (CURRENT_TIMESTAMP, 'a', 'test', 'x')"))
    for statement in ("UPDATE audit_event SET actor = 'b'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), db.begin() as connection:
            connection.execute(text(statement))


def test_migrations_and_catalogue_ship_with_the_package():
    assert (resource_dir("migrations") / "env.py").is_file()
    assert resource_dir("controls").is_dir()
    assert resource_dir("reports/templates").is_dir()
