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


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a Dutch error to stderr and leave with ``code``."""
    click.secho(f"Fout: {message}", fg="red", err=True)
    raise SystemExit(code)
