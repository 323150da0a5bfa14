"""``kic agenda``: the verbeteragenda — list, add, change status, overdue actions."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime

import click
from sqlalchemy.orm import Session

import kic.findings.agenda as actions
from kic.audit import current_actor
from kic.cli.base import KicGroup
from kic.cli.common import DATE, actor_option, current_session, database_option
from kic.findings.models import PRIORITIES, STATUSES, ImprovementAction
from kic.formatting import datum

today_option = click.option(
    "--datum", "today", type=DATE, help="Peildatum voor 'te laat' (standaard vandaag)."
)


@click.group(name="agenda", cls=KicGroup)
def agenda() -> None:
    """Verbeteragenda: verbeteracties bij de bevindingen, met eigenaar, deadline en hermeting."""


@agenda.command(name="list")
@click.option("--status", type=click.Choice(STATUSES), help="Alleen acties met deze status.")
@click.option("--eigenaar", "owner", help="Alleen acties van deze eigenaar (hoofdletters tellen niet).")
@today_option
@database_option
def agenda_list(
    status: str | None, owner: str | None, today: datetime | None, database_url: str | None
) -> None:
    """Toon alle verbeteracties; te late acties eerst en gemarkeerd."""
    day = today.date() if today else date.today()
    with _session(database_url) as session:
        rows = actions.agenda_order(actions.list_actions(session, status=status, owner=owner), day)
        if not rows:
            click.echo("Geen verbeteracties.")
        for action in rows:
            _echo(action, day)


@agenda.command(name="add")
@click.option("--titel", "title", required=True, help="Korte naam van de maatregel.")
@click.option(
    "--eigenaar", "owner", required=True, help="Wie de actie uitvoert (ook buiten het kwaliteitsteam)."
)
@click.option("--deadline", type=DATE, required=True, help="Uiterste datum (dd-mm-jjjj).")
@click.option("--omschrijving", "description", help="Wat er moet gebeuren.")
@click.option("--prioriteit", "priority", type=click.Choice(PRIORITIES), default="middel", show_default=True)
@click.option(
    "--controle", "control_ids", multiple=True, help="Gekoppelde bevinding: controle-id (herhaalbaar)."
)
@click.option(
    "--beoordeling",
    "review_ids",
    type=int,
    multiple=True,
    help="Gekoppelde bevinding: beoordelingsnummer (herhaalbaar).",
)
@click.option("--hermeting-controle", "remeasure_control", help="Controle die opnieuw wordt gemeten.")
@click.option(
    "--hermeting-kwartaal", "remeasure_quarter", help="Kwartaal van de hermeting, bijvoorbeeld 2026-Q4."
)
@actor_option
@database_option
def agenda_add(
    title: str,
    owner: str,
    deadline: datetime,
    description: str | None,
    priority: str,
    control_ids: tuple[str, ...],
    review_ids: tuple[int, ...],
    remeasure_control: str | None,
    remeasure_quarter: str | None,
    actor: str | None,
    database_url: str | None,
) -> None:
    """Voeg een verbeteractie toe aan de agenda."""
    data = actions.NewAction(
        title,
        owner,
        deadline.date(),
        description,
        priority,
        control_ids,
        review_ids,
        remeasure_control,
        remeasure_quarter,
    )
    with _session(database_url) as session:
        action = actions.add_action(session, data, actor=current_actor(actor))
        click.echo(
            f"Verbeteractie {action.id} toegevoegd: {action.title} (eigenaar {action.owner}, "
            f"deadline {datum(action.deadline)})."
        )


@agenda.command(name="status")
@click.argument("action_id", metavar="ACTIE_ID", type=int)
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--besluit", "decision", help="Besluit met reden; nodig om af te sluiten zonder verbetering.")
@actor_option
@database_option
def agenda_status(
    action_id: int, status: str, decision: str | None, actor: str | None, database_url: str | None
) -> None:
    """Zet verbeteractie ACTIE_ID op STATUS (gereed alleen na verbetering bij de hermeting of met besluit)."""
    with _session(database_url) as session:
        action = actions.set_status(session, action_id, status, actor=current_actor(actor), decision=decision)
        click.echo(f"Verbeteractie {action.id} staat nu op {action.status}.")


@agenda.command(name="overdue")
@today_option
@database_option
def agenda_overdue(today: datetime | None, database_url: str | None) -> None:
    """Toon de verbeteracties waarvan de deadline verstreken is."""
    day = today.date() if today else date.today()
    with _session(database_url) as session:
        rows = actions.overdue(session, day)
        if not rows:
            click.echo("Geen te late verbeteracties.")
        for action in rows:
            _echo(action, day)


def _echo(action: ImprovementAction, day: date) -> None:
    late = actions.is_overdue(action, day)
    line = (
        f"{action.id:>4}  {datum(action.deadline)}  {action.status:<13} {action.priority:<6} "
        f"{action.title} — {action.owner}"
    )
    if action.remeasure_control:
        line += f" (hermeting {action.remeasure_control} in {action.remeasure_quarter})"
    click.secho(("TE LAAT " if late else "        ") + line, fg="red" if late else None, bold=late)


def _session(url: str | None) -> AbstractContextManager[Session]:
    return current_session(url)
