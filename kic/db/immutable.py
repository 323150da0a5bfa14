"""Tables the database itself keeps append-only (audit trail) or frozen (drawn samples).

Migrations call these so that every protected table gets the same triggers on SQLite and
PostgreSQL; a refused UPDATE or DELETE raises with ``message`` in the error.
"""

from __future__ import annotations

from typing import Any


def refuse_changes(op: Any, table: str, message: str) -> None:
    """Add triggers that refuse UPDATE and DELETE on ``table``."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION kic_{table}_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_refuse BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION kic_{table}_refuse()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_refuse_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def allow_changes(op: Any, table: str) -> None:
    """Remove the triggers of :func:`refuse_changes` (for a downgrade)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {table}_refuse ON {table}")
        op.execute(f"DROP FUNCTION kic_{table}_refuse()")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER {table}_refuse_{verb}")
