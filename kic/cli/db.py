"""``kic db``: create and upgrade the database."""

from __future__ import annotations

import click
from sqlalchemy.exc import SQLAlchemyError

from kic.cli.base import KicGroup
from kic.cli.common import database_option, engine_for, fail
from kic.db import current_revision, upgrade
from kic.db.engine import database_url as resolve_url
from kic.db.engine import safe_url


@click.group(name="db", cls=KicGroup)
def db() -> None:
    """Database aanmaken en bijwerken (Alembic-migraties)."""


@db.command(name="upgrade")
@database_option
def db_upgrade(database_url: str | None) -> None:
    """Maak de database aan of werk haar bij tot de nieuwste versie."""
    url = database_url
    engine = engine_for(url)
    try:
        before = current_revision(engine)
        after = upgrade(engine)
    except SQLAlchemyError as exc:
        fail(f"database {_safe(url)} is niet bij te werken: {getattr(exc, 'orig', None) or exc}")
    finally:
        engine.dispose()
    if before == after:
        click.echo(f"Database is al actueel (versie {after}): {_safe(url)}")
    else:
        click.echo(f"Database bijgewerkt van versie {before or 'leeg'} naar {after}: {_safe(url)}")


@db.command(name="status")
@database_option
def db_status(database_url: str | None) -> None:
    """Toon welke database gebruikt wordt en op welke versie zij staat."""
    url = database_url
    engine = engine_for(url)
    try:
        revision = current_revision(engine)
    except SQLAlchemyError as exc:
        fail(f"database {_safe(url)} is niet bereikbaar: {getattr(exc, 'orig', None) or exc}")
    finally:
        engine.dispose()
    click.echo(f"Database: {_safe(url)}\nVersie: {revision or 'leeg (voer kic db upgrade uit)'}")


def _safe(url: str | None) -> str:
    return safe_url(resolve_url(url))


@db.command(name="rechten")
@click.argument("rol", metavar="ROL")
@database_option
def db_rights(rol: str, database_url: str | None) -> None:
    """Geef applicatierol ROL (PostgreSQL) de rechten die kic nodig heeft, en niet meer.

    Voer dit uit als eigenaar van de tabellen, na elke 'kic db upgrade'. kic serve, de planner en
    de andere opdrachten verbinden daarna als ROL: die kan de beveiligingstriggers niet uitzetten en
    bevroren tabellen niet wijzigen of leegmaken.
    """
    from kic.db.roles import grant_application_role

    engine = engine_for(database_url)
    try:
        statements = grant_application_role(engine, rol)
    finally:
        engine.dispose()
    click.echo(
        f"Rol {rol} heeft nu de rechten van kic op {_safe(database_url)} ({len(statements)} opdrachten)."
    )
