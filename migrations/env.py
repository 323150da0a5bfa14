"""Alembic environment for kic.

kic calls Alembic programmatically (``kic db upgrade``) and hands over its engine in
``config.attributes["engine"]``; the plain ``alembic`` command works too with ``KIC_DATABASE_URL``.
"""

from alembic import context

from kic.db.engine import make_engine
from kic.tables import metadata

config = context.config


def run_migrations() -> None:
    engine = config.attributes.get("engine") or make_engine()
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            # SQLite cannot ALTER most things; batch mode recreates the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


run_migrations()
