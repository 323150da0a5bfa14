"""``kic synth``: write a synthetic gemeente (betalingen, beschikkingen, grondwaarheid) as CSV."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kic.cli.base import KicCommand
from kic.synth import MIN_PAYMENTS, REGION, ErrorRates, SynthResult, generate, ledger_file
from kic.synth.formats import format_euro


@click.command(name="synth", cls=KicCommand)
@click.option(
    "--uitvoer",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Map waarin de CSV-bestanden worden geschreven.",
)
@click.option(
    "--betalingen",
    "--payments",
    "payments",
    type=click.IntRange(min=MIN_PAYMENTS),
    default=40_000,
    show_default=True,
    help="Aantal betalingen over het jaar (bijv. 1000000 voor een grote gemeente).",
)
@click.option(
    "--jaar",
    "year",
    type=click.IntRange(1990, 2100),
    default=2026,
    show_default=True,
    help="Verslagjaar van de betalingen.",
)
@click.option(
    "--seed",
    type=int,
    default=2026,
    show_default=True,
    help="Startwaarde van de toevalsgenerator: zelfde seed en opties geven dezelfde bestanden.",
)
@click.option(
    "--foutpercentage",
    "error_factor",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Factor op alle foutkansen (0 = geen fouten, 2 = twee keer zoveel).",
)
@click.option(
    "--gemeenten",
    "gemeenten",
    type=click.IntRange(1, len(REGION)),
    default=1,
    show_default=True,
    help="Aantal gemeenten: meer dan 1 maakt een samenwerkingsverband van gemeenten van verschillende "
    "grootte, elke regel met de CBS-code van haar gemeente en een grootboek per gemeente.",
)
def synth(out_dir: Path, payments: int, year: int, seed: int, error_factor: float, gemeenten: int) -> None:
    """Maak een synthetische gemeente met betalingen, beschikkingen en ingebouwde fouten.

    Schrijft betalingen.csv en beschikkingen.csv zoals een uitkeringsadministratie ze
    exporteert (puntkomma, decimale komma, dd-mm-jjjj, UTF-8 met BOM) en grondwaarheid.csv
    met per foute betaling het fouttype en het foutbedrag. Alle BSN's zijn verzonnen maar
    voldoen aan de elfproef.
    """
    started = time.perf_counter()
    result = generate(
        out_dir,
        payments=payments,
        year=year,
        seed=seed,
        error_rates=ErrorRates().scaled(error_factor),
        progress=_step,
        gemeenten=gemeenten,
    )
    _summary(result, time.perf_counter() - started)


def _step(message: str) -> None:
    click.echo(f"… {message}", err=True)


def _count(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _summary(result: SynthResult, seconds: float) -> None:
    """Tell the user in Dutch what was written, with the totals to check an import against."""
    click.echo(f"Synthetische gemeente geschreven in {seconds:.1f} s:")
    click.echo(
        f"  {result.payments_path}  {_count(result.payments)} betalingen, "
        f"totaal {format_euro(result.total_amount)}"
    )
    click.echo(f"  {result.dossiers_path}  {_count(result.dossiers)} beschikkingen")
    kinds = ", ".join(f"{_count(n)} {kind}" for kind, n in result.errors_by_kind.items() if n)
    click.echo(
        f"  {result.ground_truth_path}  {_count(result.errors)} ingebouwde fouten"
        + (
            f" ({kinds}; {_count(result.dossier_only)} alleen in het dossier te zien)"
            if result.errors
            else ""
        )
        + f", totaal foutbedrag {format_euro(result.total_error)}, "
        f"onzeker {format_euro(result.total_uncertain)}"
    )
    for fouttype, count in result.errors_by_type.items():
        if count:
            click.echo(f"    {fouttype:<28} {_count(count):>9}")
    if result.gemeenten:
        click.echo("  Gemeenten (leg ze vast vóór de import):")
        for code, name in result.gemeenten:
            click.echo(
                f"    kic gemeente add {code} --naam {name} --grootboek {result.out_dir / ledger_file(code)}"
            )
