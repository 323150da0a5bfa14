"""The PostgreSQL application role: kic's daily work runs as a role that owns nothing.

The triggers that keep tables frozen or append-only (kic.db.immutable) hold against every statement,
but the owner of a table may drop or disable them. So the tables are owned by the role that runs the
migrations (``kic db upgrade``), and ``kic serve``, the scheduler and the CLI connect as an
application role that :func:`grant_application_role` gives only what kic needs: no TRUNCATE, no
TRIGGER, no DDL, and on the append-only and frozen tables nothing but SELECT and INSERT.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, text

from kic.errors import KicError

# Tables whose rows are never changed once written: the application role may only read and add.
INSERT_ONLY = (
    "audit_event",
    "report_version",
    "payment",
    "dossier",
    "control_result",
    "sample",
    "sample_item",
)
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(KicError, ValueError):
    """The application role cannot be set up (wrong name, not PostgreSQL, the role owns tables)."""


def grant_application_role(engine: Engine, role: str) -> list[str]:
    """Give ``role`` what kic needs on the tables of the current schema; returns the statements run.

    Run it as the owner after every ``kic db upgrade`` (new tables need their grants; default
    privileges cover tables a later migration creates, but not the narrower grants).
    """
    if engine.dialect.name != "postgresql":
        raise RoleError("een aparte applicatierol bestaat alleen op PostgreSQL; SQLite kent geen rollen")
    if not ROLE_NAME.match(role):
        raise RoleError(
            f"'{role}' is geen geldige rolnaam: kleine letters, cijfers en _, hoogstens 63 tekens"
        )
    with engine.begin() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}):
            raise RoleError(
                f"rol '{role}' bestaat niet; maak haar eerst aan: CREATE ROLE {role} LOGIN PASSWORD '…'"
            )
        owned = connection.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tableowner = :r"),
            {"r": role},
        ).all()
        if owned:
            raise RoleError(
                f"rol '{role}' is eigenaar van {len(owned)} tabel(len) (bijvoorbeeld {owned[0]}): een "
                "applicatierol mag niets bezitten, anders kan zij de beveiligingstriggers uitzetten"
            )
        schema = connection.scalar(text("SELECT current_schema()"))
        tables = connection.scalars(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        ).all()
        statements = [
            f'GRANT USAGE ON SCHEMA "{schema}" TO {role}',
            f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {role}',
            f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {role}',
            f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}',
            f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" GRANT USAGE, SELECT ON SEQUENCES TO {role}',
        ]
        for table in tables:
            rights = "SELECT, INSERT" if table in INSERT_ONLY else "SELECT, INSERT, UPDATE, DELETE"
            statements.append(f'GRANT {rights} ON TABLE "{schema}"."{table}" TO {role}')
        for statement in statements:
            connection.execute(text(statement))
    return statements
