"""One writer at a time for the use cases that must not run twice at once (an import, a draw).

Two imports of the same file, or two draws of the same sample, started at the same moment would
each check "is it already there?" before the other had committed, and both land. :func:`exclusive`
makes the check and the write one step: the second attempt waits until the first has committed
(or rolled back) and then sees its result, so it is refused as a repeat.

PostgreSQL: a transaction-level advisory lock per name (released at commit or rollback). SQLite has
one writer per database anyway: a write to ``kic_lock`` takes that lock now instead of at the first
insert; a second writer waits for the busy timeout (``BUSY_SECONDS``) and then gets
:class:`DatabaseBusy`, a Dutch message, never "database is locked".
"""

from __future__ import annotations

from sqlalchemy import Column, String, Table, text
from sqlalchemy.orm import Session

from kic.db.base import Base
from kic.errors import KicError

KIC_LOCK = Table("kic_lock", Base.metadata, Column("name", String(40), primary_key=True))
BUSY_SECONDS = 30  # how long a SQLite writer waits for another one (sqlite3's default is 5)


class DatabaseBusy(KicError):
    """Another writer held the database for longer than the busy timeout (SQLite)."""

    exit_code = 4  # like AlreadyImported: a script can tell "try again later" from a failure
    http_status = 503


def exclusive(session: Session, name: str) -> None:
    """Hold the lock ``name`` until the session's transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        # per schema: two kic databases in one PostgreSQL database (the tests) do not wait for each other
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':' || :name, 0))"),
            {"name": f"kic:{name}"},
        )
    else:
        session.execute(text("UPDATE kic_lock SET name = name WHERE name = :name"), {"name": name})
