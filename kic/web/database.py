"""One engine per app, one session per request; views commit explicitly after a change."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from kic.db import make_engine
from kic.db.migrate import require_current


def init_database(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    require_current(engine)  # refuse to start on a database that 'kic db upgrade' has not brought up to date
    app.extensions["kic_engine"] = engine
    app.extensions["kic_sessions"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close)


def db() -> Session:
    """The session of this request (opened on first use)."""
    if "db" not in g:
        g.db = current_app.extensions["kic_sessions"]()
    return g.db


def commit() -> None:
    db().commit()


def _close(_exception: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.rollback()  # anything not committed by the view did not happen
        session.close()
