"""``kic report``: render and publish the kwartaalrapportage, the SISA-dossier and the verbeteragenda."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from kic.audit import current_actor
from kic.cli.base import KicGroup
from kic.cli.common import DATE, actor_option, current_session, database_option, fail
from kic.gemeenten import Scope, normalise_code
from kic.reports.publish import build_files, publish
from kic.reports.reconciliation import Ledger, read_ledger
from kic.reports.render import pdf_unavailable


def report_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    options: tuple[Callable[[Callable[..., Any]], Callable[..., Any]], ...] = (
        click.option(
            "--uitvoer",
            "-o",
            "--uit",
            "out_dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("rapporten"),
            show_default=True,
            help="Map voor de bestanden (bestaande versies blijven staan).",
        ),
        click.option("--geen-pdf", "no_pdf", is_flag=True, help="Alleen HTML (en Excel), geen PDF."),
        click.option(
            "--sjablonen",
            "templates",
            type=click.Path(file_okay=False, path_type=Path),
            help="Map met eigen sjablonen van de gemeente (voor KIC_TEMPLATES_DIR).",
        ),
        actor_option,
        database_option,
    )
    for option in reversed(options):
        fn = option(fn)
    return fn


@click.group(name="report", cls=KicGroup)
def report() -> None:
    """Rapportages: kwartaalrapportage, SISA- en rechtmatigheidsdossier, verbeteragenda (HTML, PDF, Excel)."""


@report.command(name="kwartaal")
@click.argument("quarter", metavar="KWARTAAL")
@click.option(
    "--gemeente",
    help="CBS-gemeentecode (GM0363): het rapport van die gemeente (haar steekproeven, betalingen en logo); "
    "zonder deze optie het rapport van de hele installatie.",
)
@report_options
def report_kwartaal(quarter: str, gemeente: str | None, **options: Any) -> None:
    """Kwartaalrapportage voor het management, bijvoorbeeld 2026-Q2."""
    _publish("kwartaal", quarter.upper(), gemeente=gemeente, **options)


@report.command(name="sisa")
@click.argument("year", metavar="JAAR", type=int)
@click.option(
    "--grootboek",
    "ledger_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV met de lasten per regeling volgens de financiële administratie (kolommen regeling;bedrag), "
    "voor de aansluiting van de populatie; met --gemeente standaard het grootboek van die gemeente.",
)
@click.option(
    "--gemeente",
    help="CBS-gemeentecode (GM0363): het rapport van die gemeente (haar steekproeven, betalingen en logo); "
    "zonder deze optie het rapport van de hele installatie.",
)
@report_options
def report_sisa(year: int, ledger_file: Path | None, gemeente: str | None, **options: Any) -> None:
    """SISA- en rechtmatigheidsdossier voor de accountant over verslagjaar JAAR, met Excel en CSV."""
    ledger = read_ledger(ledger_file) if ledger_file else None
    _publish("sisa", str(year), ledger=ledger, gemeente=gemeente, **options)


@report.command(name="agenda")
@click.option(
    "--datum",
    "day",
    type=DATE,
    help="Peildatum voor 'te laat' (standaard vandaag).",
)
@report_options
def report_agenda(day: datetime | None, **options: Any) -> None:
    """Verbeteragenda: alle verbeteracties, te late eerst."""
    _publish("agenda", (day.date() if day else date.today()).isoformat(), **options)


def _publish(
    kind: str,
    period: str,
    *,
    out_dir: Path,
    no_pdf: bool,
    templates: Path | None,
    actor: str | None,
    database_url: str | None,
    ledger: Ledger | None = None,
    gemeente: str | None = None,
) -> None:
    code = _gemeente_code(gemeente)
    pdf = not no_pdf
    if pdf and (reason := pdf_unavailable()):
        click.secho(f"Let op: geen PDF ({reason}).", fg="yellow", err=True)
        pdf = False
    with current_session(database_url) as session:
        files = build_files(
            session, kind, period, pdf=pdf, templates=templates, ledger=ledger, scope=Scope.of(code)
        )
        published = publish(
            session, kind, period, files, actor=current_actor(actor), out_dir=out_dir, gemeente=code or ""
        )
    where = f" van gemeente {code}" if code else ""
    click.echo(f"{kind} {period}{where} gepubliceerd als versie {published.version_no}:")
    for row in published.files:
        click.echo(f"  {row.path}  sha256 {row.sha256}")


def _gemeente_code(gemeente: str | None) -> str | None:
    if gemeente is None:
        return None
    code = normalise_code(gemeente)
    if code is None:
        fail(f"'{gemeente}' is geen CBS-gemeentecode (GM gevolgd door vier cijfers)", code=2)
    return code
