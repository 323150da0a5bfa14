"""``kic users``: accounts of the web application.

A password is never an option value (it would stay in the shell history and the process list):
it is asked with a hidden prompt, or read from ``KIC_PASSWORD`` for scripts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click
from sqlalchemy.orm import Session

from kic.audit import current_actor
from kic.cli.base import KicGroup
from kic.cli.common import actor_option, current_session, database_option
from kic.formatting import tijdstip
from kic.users import (
    Role,
    User,
    activate,
    add_user,
    deactivate,
    list_users,
    set_gemeenten,
    set_password,
    shown_gemeenten,
    user_gemeenten,
)
from kic.users.login import aware, lockouts_of

T = TypeVar("T")
PASSWORD_ENV = "KIC_PASSWORD"
ROLES = [role.value for role in Role]


@click.group(name="users", cls=KicGroup)
def users() -> None:
    """Gebruikers van de webapplicatie beheren."""


def _read_password() -> str:
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    return click.prompt("Wachtwoord", hide_input=True, confirmation_prompt="Herhaal het wachtwoord")


def _run(database_url: str | None, action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a use case on a current database; typed errors become one Dutch message."""
    with current_session(database_url) as session:
        return action(session, *args, **kwargs)


@users.command(name="add")
@click.argument("username", metavar="GEBRUIKERSNAAM")
@click.option("--naam", "display_name", required=True, help="Volledige naam, zoals die in de schermen staat.")
@click.option("--rol", "role", type=click.Choice(ROLES), required=True, help="Rol van de gebruiker.")
@click.option(
    "--gemeente",
    "gemeenten",
    multiple=True,
    metavar="CODE",
    help="Beperk de gebruiker tot deze gemeente (CBS-code; herhaalbaar). Zonder: de hele installatie.",
)
@actor_option
@database_option
def users_add(
    username: str,
    display_name: str,
    role: str,
    gemeenten: tuple[str, ...],
    actor: str | None,
    database_url: str | None,
) -> None:
    """Maak gebruiker GEBRUIKERSNAAM aan (wachtwoord via een verborgen vraag of KIC_PASSWORD)."""
    password = _read_password()
    user, codes = _run(
        database_url,
        lambda s: _with_gemeenten(
            s,
            add_user(
                s,
                username=username,
                display_name=display_name,
                role=role,
                password=password,
                gemeenten=gemeenten,
                actor=current_actor(actor),
            ),
        ),
    )
    click.echo(
        f"Gebruiker {user.username} ({user.display_name}) aangemaakt met rol {user.role}, "
        f"voor {shown_gemeenten(codes)}."
    )


@users.command(name="gemeenten")
@click.argument("username", metavar="GEBRUIKERSNAAM")
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@click.option("--alle", "every", is_flag=True, help="Geen beperking: de hele installatie.")
@actor_option
@database_option
def users_gemeenten(
    username: str, codes: tuple[str, ...], every: bool, actor: str | None, database_url: str | None
) -> None:
    """Beperk GEBRUIKERSNAAM tot de gemeenten CODE... (of --alle: de hele installatie)."""
    if bool(codes) == every:
        raise click.UsageError("noem één of meer gemeenten (CBS-code), of --alle voor de hele installatie")
    user, shown = _run(
        database_url,
        lambda s: _with_gemeenten(s, set_gemeenten(s, username, codes, actor=current_actor(actor))),
    )
    click.echo(f"Gebruiker {user.username} werkt nu voor {shown_gemeenten(shown)}.")


def _with_gemeenten(session: Session, user: User) -> tuple[User, list[str]]:
    return user, user_gemeenten(session, user)


@users.command(name="list")
@database_option
def users_list(database_url: str | None) -> None:
    """Toon alle gebruikers met rol en status."""
    accounts = _run(
        database_url,
        lambda s: [(u, lockouts_of(s, u.username), user_gemeenten(s, u)) for u in list_users(s)],
    )
    if not accounts:
        click.echo("Er zijn nog geen gebruikers; maak er een met 'kic users add'.")
    for user, locks, codes in accounts:
        status = "actief" if user.active else "gedeactiveerd"
        if user.active and locks:
            until = max(aware(lock.locked_until) or datetime.min.replace(tzinfo=UTC) for lock in locks)
            where = "1 adres" if len(locks) == 1 else f"{len(locks)} adressen"
            status += f", geblokkeerd vanaf {where} tot {tijdstip(until)}"
        where = f"  (alleen {', '.join(codes)})" if codes else ""
        click.echo(f"{user.username:<20} {user.role:<21} {status:<14} {user.display_name}{where}")


@users.command(name="deactivate")
@click.argument("username", metavar="GEBRUIKERSNAAM")
@actor_option
@database_option
def users_deactivate(username: str, actor: str | None, database_url: str | None) -> None:
    """Zet gebruiker GEBRUIKERSNAAM uit: inloggen kan niet meer, de gegevens blijven bewaard."""
    _run(database_url, deactivate, username, actor=current_actor(actor))
    click.echo(f"Gebruiker {username} is gedeactiveerd.")


@users.command(name="activate")
@click.argument("username", metavar="GEBRUIKERSNAAM")
@actor_option
@database_option
def users_activate(username: str, actor: str | None, database_url: str | None) -> None:
    """Zet een gedeactiveerde gebruiker GEBRUIKERSNAAM weer aan."""
    _run(database_url, activate, username, actor=current_actor(actor))
    click.echo(f"Gebruiker {username} is weer actief.")


@users.command(name="password")
@click.argument("username", metavar="GEBRUIKERSNAAM")
@actor_option
@database_option
def users_password(username: str, actor: str | None, database_url: str | None) -> None:
    """Geef gebruiker GEBRUIKERSNAAM een nieuw wachtwoord (heft ook een blokkade op)."""
    password = _read_password()
    _run(database_url, set_password, username, password, actor=current_actor(actor))
    click.echo(f"Nieuw wachtwoord ingesteld voor {username}.")
