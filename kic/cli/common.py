"""Options and helpers shared by the commands."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kic.db import make_engine, session_scope
from kic.db.migrate import require_current
from kic.population.schema import REGELINGEN

EXIT_REJECTED = 3
EXIT_ALREADY_IMPORTED = 4


# Who is named in the audit trail for a command (every command that changes something takes it).
actor_option = click.option("--gebruiker", "actor", help="Naam in het auditspoor (standaard KIC_USER).")


def database_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    @click.option(
        "--database",
        "database_url",
        envvar="KIC_DATABASE_URL",
        metavar="URL",
        help="Database-URL (standaard KIC_DATABASE_URL of sqlite:///kic.sqlite).",
    )
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


def catalogue_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    @click.option(
        "--controles",
        "controls_dir",
        envvar="KIC_CONTROLS_DIR",
        metavar="MAP",
        type=click.Path(file_okay=False, path_type=Path),
        help="Eigen map van de gemeente, vóór het meegeleverde normenkader doorzocht "
        "(standaard KIC_CONTROLS_DIR).",
    )
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)

    return wrapper


class Regeling(click.ParamType):
    """A regeling code such as PW-LO, in any case; an unknown code names the valid ones."""

    name = "regeling"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "REGELING"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        code = str(value).strip().upper()
        if code not in REGELINGEN:
            self.fail(f"onbekende regeling {str(value)!r}; kies uit {', '.join(REGELINGEN)}", param, ctx)
        return code


class Date(click.ParamType):
    """A day as dd-mm-jjjj (or jjjj-mm-dd), with a Dutch message for anything else."""

    name = "datum"
    formats = ("%d-%m-%Y", "%Y-%m-%d")

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "DATUM"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        for form in self.formats:
            try:
                return datetime.strptime(str(value).strip(), form)
            except ValueError:
                continue
        self.fail(f"{str(value)!r} is geen datum; schrijf dd-mm-jjjj, bijvoorbeeld 30-06-2026", param, ctx)


REGELING, DATE = Regeling(), Date()


def engine_for(url: str | None) -> Engine:
    return make_engine(url)


@contextmanager
def session_for(url: str | None) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


@contextmanager
def current_session(url: str | None) -> Iterator[Session]:
    """A session on a database at the newest migration (``DatabaseNotReady`` tells what to run)."""
    with session_for(url) as session:
        require_current(session.get_bind())
        yield session


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a Dutch error to stderr and leave with ``code``."""
    click.secho(f"Fout: {message}", fg="red", err=True)
    raise SystemExit(code)
