"""Run the Alembic migrations shipped with kic (``migrations/``), also from an installed wheel."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine

from kic.errors import KicError
from kic.resources import resource_dir


def alembic_config(engine: Engine) -> Config:
    config = alembic_config_without_engine()
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the database to ``revision`` and return the revision it is at afterwards."""
    command.upgrade(alembic_config(engine), revision)
    return current_revision(engine)


def current_revision(bind: Engine | Connection) -> str | None:
    """The revision of the database behind ``bind`` (an engine, or a session's ``get_bind()``)."""
    if isinstance(bind, Connection):
        return MigrationContext.configure(bind).get_current_revision()
    with bind.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config_without_engine()).get_current_head()


def alembic_config_without_engine() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    return config


class DatabaseNotReady(KicError):
    """The database is missing or behind; the message tells the user what to run."""


def require_current(bind: Engine | Connection) -> None:
    """Refuse to work on a database that is not at the newest migration."""
    current, head = current_revision(bind), head_revision()
    if current != head:
        raise DatabaseNotReady(
            f"De database staat op versie {current or 'leeg'}, nodig is {head}: voer eerst 'kic db upgrade' uit."
        )
