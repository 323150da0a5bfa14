"""Engine and session helpers shared by the CLI, the web app and the scheduler."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from kic.db.locks import BUSY_SECONDS, DatabaseBusy
from kic.errors import KicError

DEFAULT_URL = "sqlite:///kic.sqlite"
EXAMPLES = (  # the lines under every DatabaseUrlError
    "een database-URL is bijvoorbeeld sqlite:////pad/kic.sqlite (SQLite; sqlite:///kic.sqlite in de "
    "huidige map) of postgresql+psycopg://gebruiker@host/db (PostgreSQL)",
    "geef hem met --database of KIC_DATABASE_URL",
)


class DatabaseUrlError(KicError):
    """The database URL names no database kic can open: not a URL, an unknown kind, a folder that
    does not exist, or a server that does not answer."""

    http_status = 503


def database_url(url: str | None = None) -> str:
    """The database URL: the argument, else ``KIC_DATABASE_URL``, else a file in the working folder."""
    return url or os.environ.get("KIC_DATABASE_URL") or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url``; a URL that cannot work raises :class:`DatabaseUrlError`, now or, for a
    server that does not answer, at the first connection."""
    url = database_url(url)
    try:
        # hide_parameters: an error (and so a log line) never shows the values of a statement, which
        # may be a BSN, an answer of a review or a toelichting
        engine = create_engine(url, future=True, hide_parameters=True)
    except NoSuchModuleError as exc:
        kind = make_url(url).get_backend_name()
        raise DatabaseUrlError(
            f"{safe_url(url)}: onbekend soort database {kind!r}", details=EXAMPLES
        ) from exc
    except ArgumentError as exc:
        raise DatabaseUrlError(_not_a_url(url), details=EXAMPLES) from exc
    except ImportError as exc:  # a driver kic does not install (mysql://, postgresql+psycopg2://)
        raise DatabaseUrlError(
            f"{safe_url(url)}: het stuurprogramma {exc.name} is niet geïnstalleerd", details=EXAMPLES
        ) from exc
    if engine.dialect.name == "sqlite":
        _require_folder(engine.url)
        event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "handle_error", _unreachable)
    return engine


def safe_url(url: str | URL) -> str:
    """The URL without its password, fit for a terminal or a log."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def _not_a_url(url: str) -> str:
    if "://" in url:
        return f"{url!r} is geen geldige database-URL"
    return f"{url!r} is een pad, geen database-URL; bedoelt u sqlite:///{url}?"


def _require_folder(url: URL) -> None:
    """SQLite makes a missing file, but not its folder: say so before the driver's 'unable to open'."""
    database = url.database
    if not database or database == ":memory:" or url.query.get("uri"):
        return
    folder = Path(database).parent
    if not folder.is_dir():
        raise DatabaseUrlError(
            f"de map {folder} van database {safe_url(url)} bestaat niet; maak de map aan of kies een andere",
            details=EXAMPLES,
        )


def _unreachable(context: ExceptionContext) -> None:
    """No connection could be made (server down, wrong host or password), or SQLite's one writer held
    the database past the busy timeout: a Dutch error, not a traceback. Other errors on an open
    connection are left to the caller."""
    if _sqlite_busy(context):
        raise DatabaseBusy(
            "de database is bezig met een andere schrijfactie (bijvoorbeeld een import of een trekking); "
            "probeer het opnieuw als die klaar is"
        ) from context.original_exception
    if context.connection is not None or context.is_pre_ping:
        return
    where = safe_url(context.engine.url) if context.engine is not None else "de database"
    reason = str(context.original_exception).strip().split("\n", 1)[0] or "onbekende reden"
    raise DatabaseUrlError(f"database {where} is niet bereikbaar: {reason}", details=EXAMPLES)


def _sqlite_busy(context: ExceptionContext) -> bool:
    original = context.original_exception
    return isinstance(original, sqlite3.OperationalError) and "database is locked" in str(original)


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers (the web app) go on while an import runs; foreign keys are off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA recursive_triggers=ON")  # REPLACE's implicit deletes fire the guards' triggers
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")  # wait for another writer
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit when the block succeeds, roll back when it raises."""
    factory = sessionmaker(engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
