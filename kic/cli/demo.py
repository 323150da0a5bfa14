"""``kic demo``: the whole cycle on a synthetic gemeente and a fresh SQLite database."""

from __future__ import annotations

import shlex
import shutil
import sys
from datetime import datetime
from pathlib import Path

import click

from kic.cli.base import KicCommand
from kic.cli.common import fail
from kic.formatting import AMSTERDAM


@click.command(name="demo", cls=KicCommand)
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
@click.option(
    "--gemeenten",
    type=click.IntRange(1, 5),
    default=1,
    show_default=True,
    help="Een samenwerkingsverband van zoveel gemeenten: per gemeente eigen steekproeven, evaluatie, accountant en rapportages.",
)
def demo(out_dir: Path | None, payments: int, seed: int, gemeenten: int) -> None:
    """Draai de volledige cyclus op een synthetische gemeente en een nieuwe SQLite-database."""
    from kic.demo import run_demo

    out_dir = out_dir or Path("kic-demo") / datetime.now(AMSTERDAM).strftime("%Y%m%d-%H%M%S")
    if out_dir.exists():
        fail(f"map {out_dir} bestaat al; kies een nieuwe map met --uitvoer")
    run_demo(out_dir, payments=payments, seed=seed, echo=click.echo, program=_program(), gemeenten=gemeenten)


def _program() -> str:
    """How to call kic again from this folder: ``kic`` when that is the one on PATH, else the path it
    was called by now (``.venv/bin/kic`` after ``make demo``), else through this Python."""
    called = Path(sys.argv[0])
    if called.name != "kic":  # python -m kic, or a test runner
        return f"{shlex.quote(sys.executable)} -m kic"
    on_path = shutil.which("kic")
    if on_path and Path(on_path).resolve() == called.resolve():
        return "kic"
    return shlex.quote(str(called))
