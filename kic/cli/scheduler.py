"""``kic scheduler``: the long-running service that draws, reports and reminds on time."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from kic.cli.base import KicGroup
from kic.cli.common import database_option, engine_for
from kic.db import session_scope
from kic.db.migrate import require_current
from kic.formatting import tijdstip
from kic.scheduling.config import Schedule, load_schedule
from kic.scheduling.jobs import build_jobs
from kic.scheduling.runner import build_scheduler, run_due
from kic.scheduling.status import scheduler_status as overview

config_option = click.option(
    "--config",
    "config",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    envvar="KIC_SCHEDULE",
    help="Planningsbestand (standaard controls/schedule.yaml).",
)


@click.group(name="scheduler", cls=KicGroup)
def scheduler() -> None:
    """Planner: steekproeven trekken, kwartaalrapportages en de lijst van te late acties, op tijd."""


@scheduler.command(name="run")
@config_option
@database_option
def scheduler_run(config: Path | None, database_url: str | None) -> None:
    """Start de planner; gemiste runs worden eerst ingehaald. Stop met Ctrl-C."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    schedule, engine = _load(config), engine_for(database_url)
    require_current(engine)
    jobs = build_jobs(schedule)
    caught_up = run_due(engine, jobs, schedule, datetime.now(ZoneInfo(schedule.timezone)))
    click.echo(f"Ingehaald: {len(caught_up)} run(s), waarvan {sum(not o.ok for o in caught_up)} mislukt.")
    click.echo(f"Planner draait ({schedule.timezone}) met taken: {', '.join(j.id for j in jobs)}.")
    try:
        build_scheduler(engine, jobs, schedule).start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("Planner gestopt.")
    finally:
        engine.dispose()


@scheduler.command(name="status")
@config_option
@database_option
def scheduler_status(config: Path | None, database_url: str | None) -> None:
    """Toon de geplande en de gedane runs met hun uitkomst."""
    schedule, engine = _load(config), engine_for(database_url)
    try:
        require_current(engine)
        with session_scope(engine) as session:
            status = overview(session, schedule, datetime.now(ZoneInfo(schedule.timezone)))
    finally:
        engine.dispose()
    click.echo("Gepland:")
    for planned in status.planned:
        click.echo(f"  {planned.job_id:<20} {planned.key:<12} {tijdstip(planned.moment)}")
    click.echo("Gedaan:")
    if not status.runs:
        click.echo("  nog geen runs")
    for run in status.runs:
        line = f"  {run.job_id:<20} {run.period_key:<12} {tijdstip(run.started_at)}  {run.status} (poging {run.attempt})"
        click.secho(line + (f": {run.error}" if run.error else ""), fg="red" if run.error else None)
    if status.unresolved:
        click.secho(
            f"Mislukt en sindsdien niet gelukt: {len(status.unresolved)} run(s).", fg="red", bold=True
        )


def _load(config: Path | None) -> Schedule:
    return load_schedule(config)
