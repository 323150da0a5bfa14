"""Options and helpers shared by the commands."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kic.db import make_engine, session_scope
from kic.db.migrate import require_current
from kic.errors import KicError

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


SHOWN_DETAILS = 200  # a file with 10,000 bad lines: the first 200 and a count


def reports_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The CLI boundary: a :class:`KicError` becomes ``Fout: <message>``, its details one per line,
    and its exit code. ``kic.cli`` wraps every command with it, so commands only catch what they
    answer differently (a rejected import writes its issues file)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KicError as exc:
            click.secho(f"Fout: {exc.message}", fg="red", err=True)
            print_details(exc.details)
            raise SystemExit(exc.exit_code) from None

    return wrapper


def print_details(details: list[str]) -> None:
    """Lines under an error message: at most ``SHOWN_DETAILS``, then how many more."""
    for line in details[:SHOWN_DETAILS]:
        click.echo(f"  {line}", err=True)
    if len(details) > SHOWN_DETAILS:
        click.echo(f"  ... en nog {len(details) - SHOWN_DETAILS} probleem/problemen.", err=True)
