"""Migrations: from empty to head on both databases, models match them, and they undo cleanly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from kic.db import current_revision, upgrade
from kic.db.migrate import alembic_config, head_revision
from kic.resources import resource_dir
from kic.tables import metadata


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
        connection.execute(
            text(
                "INSERT INTO audit_event (occurred_at, actor, action, object_type) "
                "VALUES (CURRENT_TIMESTAMP, 'a', 'test', 'x')"
            )
        )
    for statement in ("UPDATE audit_event SET actor = 'b'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), db.begin() as connection:
            connection.execute(text(statement))


def test_migrations_and_catalogue_ship_with_the_package():
    assert (resource_dir("migrations") / "env.py").is_file()
    assert resource_dir("controls").is_dir()
    assert resource_dir("reports/templates").is_dir()


def test_drawn_samples_and_their_reviews_survive_the_rebuild_of_sample_item(population):
    """0009 rebuilds sample_item on SQLite (a NOT NULL cannot be dropped in place) while reviews point at it."""
    from alembic import command

    from kic.db import session_scope
    from kic.periods import parse_period
    from kic.review.service import create_reviews
    from kic.samples.draw import SampleSpec, draw_sample

    with session_scope(population) as session:
        sample = draw_sample(session, SampleSpec("PW-LO", parse_period("2026-Q2"), n=5), seed="m", actor="t")
        create_reviews(session, sample.id, ["ali", "bea"], actor="t")
    items = "SELECT id, sample_id, position, payment_row_id, {key} FROM sample_item ORDER BY id"
    reviews = "SELECT id, sample_item_id, {key}, reviewer FROM review ORDER BY id"
    with population.connect() as connection:
        before = [connection.execute(text(q.format(key="item_key"))).all() for q in (items, reviews)]
    command.downgrade(alembic_config(population), "0008")
    with population.connect() as connection:
        assert [
            connection.execute(text(q.format(key="payment_id"))).all() for q in (items, reviews)
        ] == before
    assert upgrade(population) == head_revision()
    with population.connect() as connection:
        assert [connection.execute(text(q.format(key="item_key"))).all() for q in (items, reviews)] == before
    for statement in ("UPDATE sample_item SET stratum = 'x'", "DELETE FROM sample_item"):
        with pytest.raises(DBAPIError, match="frozen"), population.begin() as connection:
            connection.execute(text(statement))
