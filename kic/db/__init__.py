"""Database access: engine, sessions and Alembic migrations.

The database is chosen by ``KIC_DATABASE_URL``; without it kic uses ``kic.sqlite`` in the working
folder. PostgreSQL is reached through psycopg 3 (``postgresql+psycopg://user@host/db``).
"""

from kic.db.base import Base, Money, Quantity
from kic.db.engine import database_url, make_engine, session_scope
from kic.db.migrate import current_revision, upgrade

__all__ = [
    "Base",
    "Money",
    "Quantity",
    "current_revision",
    "database_url",
    "make_engine",
    "session_scope",
    "upgrade",
]
