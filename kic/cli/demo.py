"""``kic demo``: the whole cycle on a synthetic gemeente and a fresh SQLite database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from kic.cli.common import fail


@click.command(name="demo")
@click.option(
    "--uitvoer",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Nieuwe map voor database, export en resultaten (standaard kic-demo/<tijdstip>).",
)
@click.option(
    "--betalingen",
    "--payments",
    "payments",
    type=click.IntRange(min=100),
    default=40_000,
    show_default=True,
    help="Aantal betalingen van de synthetische gemeente.",
)
@click.option("--seed", type=int, default=2026, show_default=True, help="Startwaarde voor de toeval.")
def demo(out_dir: Path | None, payments: int, seed: int) -> None:
    """Draai de volledige cyclus op een synthetische gemeente en een nieuwe SQLite-database."""
    from kic.demo import run_demo

    out_dir = out_dir or Path("kic-demo") / datetime.now().strftime("%Y%m%d-%H%M%S")
    if out_dir.exists():
        fail(f"map {out_dir} bestaat al; kies een nieuwe map met --uitvoer")
    run_demo(out_dir, payments=payments, seed=seed, echo=click.echo)
