"""Tables the database itself keeps append-only (audit trail, published reports) or frozen (drawn
samples, imported populations, control results, finished reviews).

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


# Since 0012: one PostgreSQL function raises the message its trigger passes, so that every guard is
# a trigger alone; SQLite raises in the trigger body.
REFUSE_FUNCTION = "kic_refuse"


def create_refuse_function(op: Any) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION {REFUSE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END $$"
        )


def drop_refuse_function(op: Any) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION {REFUSE_FUNCTION}()")


def refuse_rows(op: Any, table: str, verb: str, message: str, when: str | None = None) -> None:
    """Refuse ``verb`` (UPDATE or DELETE) on a row of ``table`` (only when the SQL condition ``when``
    over OLD and NEW holds, if given). The trigger is named ``{table}_no_{verb}``."""
    name, condition = f"{table}_no_{verb.lower()}", f" WHEN ({when})" if when else ""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {verb} ON {table} FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {REFUSE_FUNCTION}('{message}')"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {verb} ON {table}{condition} BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def refuse_truncate(op: Any, table: str, message: str) -> None:
    """PostgreSQL: TRUNCATE fires no row trigger, so it needs its own (SQLite has no TRUNCATE: its
    DELETE without WHERE fires the row triggers)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {REFUSE_FUNCTION}('{message}')"
        )


def refuse_replace(op: Any, table: str, message: str) -> None:
    """SQLite: ``INSERT OR REPLACE`` / ``REPLACE INTO`` deletes the row it replaces without firing delete
    triggers (unless recursive_triggers is on, which kic's connections set, but another program's need
    not): refuse an insert whose id already exists. PostgreSQL has no REPLACE."""
    if op.get_bind().dialect.name != "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )


def drop_guard(op: Any, table: str, what: str) -> None:
    """Remove a trigger of :func:`refuse_rows` (``what`` = update | delete), :func:`refuse_truncate`
    (truncate) or :func:`refuse_replace` (replace), where the dialect has it."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    if (what == "replace" and postgresql) or (what == "truncate" and not postgresql):
        return
    op.execute(f"DROP TRIGGER {table}_no_{what}" + (f" ON {table}" if postgresql else ""))
