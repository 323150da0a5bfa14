"""``kic import`` and ``kic population``: bring exports in and see what is there."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from kic.audit import current_actor
from kic.cli.base import KicGroup
from kic.cli.common import (
    actor_option,
    current_session,
    database_option,
)
from kic.csvexport import write_csv
from kic.formatting import datum, euro, number
from kic.population import (
    ImportProgress,
    ImportRejected,
    ImportResult,
    Mapping,
    active_snapshots,
    import_population,
    load_mapping,
)

SHOWN_ISSUES = 100


def import_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.argument(
            "file", metavar="BESTAND", type=click.Path(exists=True, dir_okay=False, path_type=Path)
        ),
        click.option(
            "--koppeling",
            "-k",
            "mapping_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="Koppelbestand (YAML of TOML) voor afwijkende kolomnamen.",
        ),
        click.option(
            "--vervang",
            "--replace",
            "replace",
            is_flag=True,
            help="Vervang een eerdere import van hetzelfde bestand (zelfde inhoud of naam).",
        ),
        actor_option,
        click.option(
            "--fouten",
            "issues_file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Schrijf alle foute regels naar dit CSV-bestand.",
        ),
        database_option,
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@click.group(name="import", cls=KicGroup)
def import_group() -> None:
    """Importeer een populatie (CSV, XLSX of Parquet) uit de uitkeringsadministratie."""


@import_group.command(name="payments", aliases=["betalingen"])
@import_options
def import_payments(**options: Any) -> None:
    """Importeer betalingen uit BESTAND (alles of niets)."""
    _run_import("betalingen", **options)


@import_group.command(name="dossiers", aliases=["beschikkingen"])
@import_options
def import_dossiers(**options: Any) -> None:
    """Importeer beschikkingen (dossiers) uit BESTAND (alles of niets)."""
    _run_import("beschikkingen", **options)


def _run_import(
    kind: str,
    *,
    file: Path,
    mapping_file: Path | None,
    replace: bool,
    actor: str | None,
    issues_file: Path | None,
    database_url: str | None,
) -> None:
    try:
        mapping = load_mapping(mapping_file) if mapping_file else None
        with current_session(database_url) as session:
            result = _import_with_progress(session, kind, file, mapping, replace, current_actor(actor))
    except ImportRejected as exc:  # every bad row on screen and in the issues file
        _report_rejection(exc, file, kind, issues_file)
        raise SystemExit(exc.exit_code) from None
    _report_success(result)


def _import_with_progress(
    session: Session, kind: str, file: Path, mapping: Mapping | None, replace: bool, actor: str
) -> ImportResult:
    labels = {"lezen": "Bestand lezen", "controleren": "Regels controleren", "opslaan": "Opslaan"}
    bar: dict[str, object] = {}

    def stage(name: str) -> None:
        click.echo(f"{labels[name]} ...", err=True)

    def stored(rows: int, total: int) -> None:
        if "bar" not in bar:
            bar["bar"] = click.progressbar(length=total, label="Regels opgeslagen", file=sys.stderr)
        bar["bar"].update(rows)  # type: ignore[attr-defined]

    try:
        return import_population(
            session,
            kind,
            file,
            actor=actor,
            mapping=mapping,
            replace=replace,
            progress=ImportProgress(stage=stage, rows_stored=stored),
        )
    finally:
        if "bar" in bar:
            bar["bar"].render_finish()  # type: ignore[attr-defined]


def _report_rejection(exc: ImportRejected, file: Path, kind: str, issues_file: Path | None) -> None:
    click.secho(f"Fout: {exc}", fg="red", err=True)
    for issue in exc.issues[:SHOWN_ISSUES]:
        click.echo(f"  {issue}", err=True)
    if len(exc.issues) > SHOWN_ISSUES:
        click.echo(f"  ... en nog {len(exc.issues) - SHOWN_ISSUES} fout(en).", err=True)
    target = issues_file or Path(f"kic-importfouten-{kind}-{datetime.now():%Y%m%d-%H%M%S}.csv")
    write_csv(target, ("regel", "kolom", "reden"), ((i.line, i.column, i.reason) for i in exc.issues))
    click.echo(
        f"Alle fouten staan in {target}. Herstel het bestand {file.name} en importeer opnieuw.", err=True
    )


def _report_success(result: ImportResult) -> None:
    soort = "betalingen" if result.kind == "betalingen" else "beschikkingen"
    click.echo(
        f"Populatie {result.snapshot_id} opgeslagen: {number(result.row_count)} {soort} uit {result.source_name}"
    )
    click.echo(f"  SHA-256       {result.sha256}")
    click.echo(f"  Totaal debet  {euro(result.total_debit)}")
    click.echo(f"  Totaal credit {euro(result.total_credit)}")
    click.echo(f"  Periode       {datum(result.period_from)} t/m {datum(result.period_to)}")
    if result.replaced:
        click.echo(f"  Vervangt populatie {', '.join(map(str, result.replaced))}")
    if result.ignored_columns:
        click.echo(f"  Genegeerde kolommen: {', '.join(result.ignored_columns)}")
    click.echo(f"  Duur          {number(round(result.seconds, 1))} s")


@click.group(name="population", cls=KicGroup)
def population() -> None:
    """Bekijk de geïmporteerde populaties."""


@population.command(name="list")
@database_option
def population_list(database_url: str | None) -> None:
    """Toon de actieve populaties met hun controletotalen."""
    with current_session(database_url) as session:
        snapshots = active_snapshots(session)
    if not snapshots:
        click.echo("Er zijn nog geen populaties geïmporteerd.")
        return
    click.echo(f"{'nr':>4}  {'soort':<13} {'regels':>10} {'debet':>18} {'credit':>15}  periode  bestand")
    for s in snapshots:
        click.echo(
            f"{s.id:>4}  {s.kind:<13} {number(s.row_count):>10} {euro(s.total_debit):>18} "
            f"{euro(s.total_credit):>15}  {datum(s.period_from)} t/m {datum(s.period_to)}  {s.source_name}"
        )
