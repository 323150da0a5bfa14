"""``kic review``: assign a sample's items, list reviews, and the Excel round trip."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from sqlalchemy import select

from kic.audit import current_actor
from kic.cli.base import KicGroup, print_details
from kic.cli.common import (
    DATE,
    EXIT_REJECTED,
    actor_option,
    current_session,
    database_option,
    fail,
    session_for,
)
from kic.formatting import euro
from kic.review.assign import METHODS
from kic.review.models import Review
from kic.review.service import create_reviews
from kic.review.workbook import WorkbookError, export_workbooks, import_workbook


@click.group(name="review", cls=KicGroup)
def review() -> None:
    """Beoordelen: posten toewijzen en werkboeken uitwisselen (Excel)."""


@review.command(name="assign")
@click.argument("sample_id", metavar="STEEKPROEF_ID", type=int)
@click.option(
    "--beoordelaar",
    "reviewers",
    multiple=True,
    required=True,
    help="Naam van een beoordelaar; herhaal de optie voor meer beoordelaars.",
)
@click.option(
    "--verdeling",
    "method",
    type=click.Choice(METHODS),
    default="roulerend",
    show_default=True,
    help="roulerend = om de beurt; werklast = wie de minste open posten heeft.",
)
@click.option("--vier-ogen", "second", is_flag=True, help="Wijs ook een tweede beoordelaar toe.")
@click.option("--deadline", type=DATE, help="Uiterste datum (dd-mm-jjjj).")
@actor_option
@database_option
def review_assign(
    sample_id: int,
    reviewers: tuple[str, ...],
    method: str,
    second: bool,
    deadline: datetime | None,
    actor: str | None,
    database_url: str | None,
) -> None:
    """Wijs de posten van steekproef STEEKPROEF_ID toe aan beoordelaars (nooit hun eigen dossiers)."""
    with current_session(database_url) as session:
        reviews = create_reviews(
            session,
            sample_id,
            list(reviewers),
            actor=current_actor(actor),
            method=method,
            second=second,
            deadline=deadline.date() if deadline else None,
        )
        counts: dict[str, int] = {}
        for r in reviews:
            counts[r.reviewer] = counts.get(r.reviewer, 0) + 1
    click.echo(
        f"{len(reviews)} posten van steekproef {sample_id} toegewezen"
        + (" (met tweede beoordelaar)" if second else "")
        + ":"
    )
    for name, count in sorted(counts.items()):
        click.echo(f"  {name:<20} {count:>4} posten")


@review.command(name="list")
@click.argument("sample_id", metavar="STEEKPROEF_ID", type=int)
@database_option
def review_list(sample_id: int, database_url: str | None) -> None:
    """Toon de beoordelingen van steekproef STEEKPROEF_ID met status en oordeel."""
    with session_for(database_url) as session:
        rows = session.scalars(select(Review).where(Review.sample_id == sample_id).order_by(Review.id)).all()
        if not rows:
            fail(f"steekproef {sample_id} heeft geen beoordelingen; wijs eerst toe met 'kic review assign'")
        for r in rows:
            click.echo(
                f"{r.id:>5}  {r.item_key:<14} {r.reviewer:<14} {r.status:<11} {r.verdict or '-':<12} "
                f"fout {euro(r.error_amount):>12}  onzeker {euro(r.uncertain_amount):>12}"
            )


@review.command(name="export")
@click.argument("sample_id", metavar="STEEKPROEF_ID", type=int)
@click.option(
    "--uitvoer",
    "-o",
    "--map",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Map voor de werkboeken.",
)
@click.option(
    "--met-bsn",
    "show_bsn",
    is_flag=True,
    help="Neem het BSN op (alleen voor wie het nodig heeft; het tonen wordt gelogd).",
)
@actor_option
@database_option
def review_export(
    sample_id: int, out_dir: Path, show_bsn: bool, actor: str | None, database_url: str | None
) -> None:
    """Schrijf per beoordelaar een Excel-werkboek met de open posten van STEEKPROEF_ID."""
    with current_session(database_url) as session:
        paths = export_workbooks(session, sample_id, out_dir, actor=current_actor(actor), show_bsn=show_bsn)
    for path in paths:
        click.echo(f"Werkboek geschreven: {path}")


@review.command(name="import")
@click.argument(
    "files",
    metavar="WERKBOEK...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@actor_option
@database_option
def review_import(files: tuple[Path, ...], actor: str | None, database_url: str | None) -> None:
    """Lees ingevulde werkboeken terug; een bestand met fouten wordt in zijn geheel geweigerd."""
    rejected = False
    for path in files:
        try:
            with current_session(database_url) as session:
                summary = import_workbook(session, path, actor=current_actor(actor))
        except WorkbookError as exc:  # the other workbooks are still read
            rejected = True
            click.secho(f"Fout: {exc}", fg="red", err=True)
            print_details(exc.details)
            continue
        click.echo(
            f"{path.name}: {len(summary.recorded)} beoordelingen vastgelegd, "
            f"{len(summary.untouched)} posten nog niet ingevuld"
        )
    if rejected:
        raise SystemExit(EXIT_REJECTED)
