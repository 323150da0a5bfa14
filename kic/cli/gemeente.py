"""``kic gemeente``: the gemeenten of the installation (CBS code, naam, logo, grootboek)."""

from __future__ import annotations

from pathlib import Path

import click

from kic.audit import current_actor
from kic.cli.base import KicGroup
from kic.cli.common import actor_option, current_session, database_option
from kic.gemeenten import change_gemeente, list_gemeenten
from kic.population.gemeenten import register_gemeente

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group(name="gemeente", cls=KicGroup)
def gemeente() -> None:
    """De gemeenten van de installatie: elk met eigen verantwoording, rapporten en accountant."""


@gemeente.command(name="add")
@click.argument("code", metavar="CODE")
@click.option("--naam", "name", required=True, help="Naam van de gemeente, zoals die in de rapporten staat.")
@click.option("--logo", type=_FILE, help="Logo voor de rapporten van deze gemeente (SVG of PNG).")
@click.option("--grootboek", "ledger", type=_FILE, help="Grootboekexport (CSV) voor de aansluiting.")
@actor_option
@database_option
def gemeente_add(
    code: str, name: str, logo: Path | None, ledger: Path | None, actor: str | None, database_url: str | None
) -> None:
    """Leg gemeente CODE vast (CBS-gemeentecode, bijvoorbeeld GM0363).

    De eerste gemeente neemt alle al ingelezen betalingen, beschikkingen en steekproeven zonder gemeente over."""
    with current_session(database_url) as session:
        done = register_gemeente(session, code, name, actor=current_actor(actor), logo=logo, ledger=ledger)
        code, name = done.gemeente.code, done.gemeente.name
    click.echo(f"Gemeente {code} ({name}) vastgelegd.")
    if any(done.taken_over.values()):
        counts = ", ".join(f"{n:,} {kind}".replace(",", ".") for kind, n in done.taken_over.items())
        click.echo(f"De al ingelezen rijen zonder gemeente horen nu bij {code}: {counts}.")


@gemeente.command(name="change")
@click.argument("code", metavar="CODE")
@click.option("--naam", "name", help="Nieuwe naam.")
@click.option("--logo", type=_FILE, help="Nieuw logo (SVG of PNG).")
@click.option("--grootboek", "ledger", type=_FILE, help="Nieuwe grootboekexport (CSV).")
@actor_option
@database_option
def gemeente_change(
    code: str,
    name: str | None,
    logo: Path | None,
    ledger: Path | None,
    actor: str | None,
    database_url: str | None,
) -> None:
    """Wijzig naam, logo of grootboek van gemeente CODE (de code zelf verandert nooit)."""
    with current_session(database_url) as session:
        changed = change_gemeente(
            session, code, actor=current_actor(actor), name=name, logo=logo, ledger=ledger
        )
        code, name = changed.code, changed.name
    click.echo(f"Gemeente {code} ({name}) gewijzigd.")


@gemeente.command(name="list")
@database_option
def gemeente_list(database_url: str | None) -> None:
    """Toon de gemeenten van de installatie."""
    with current_session(database_url) as session:
        rows = [(g.code, g.name, g.logo_type, g.ledger) for g in list_gemeenten(session)]
    if not rows:
        click.echo(
            "Er is nog geen gemeente vastgelegd; leg haar vast met 'kic gemeente add GMxxxx --naam ...'."
        )
    for code, name, logo, ledger in rows:
        extra = "; ".join(
            part for part in ("logo" if logo else "", f"grootboek {ledger}" if ledger else "") if part
        )
        click.echo(f"{code}  {name}" + (f"  ({extra})" if extra else ""))
