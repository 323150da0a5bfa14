"""The ``kic`` command: a thin click layer over the use-case functions.

Exit codes scripts can rely on: 0 gelukt, 1 fout (melding op stderr), 2 verkeerd gebruik,
3 import geweigerd om foute regels, 4 bestand was al geïmporteerd.

A subcommand's module is imported only when that subcommand runs (or its help is asked for):
the modules need pandas, scipy and WeasyPrint, which ``kic --help`` should not wait for.
"""

from __future__ import annotations

import click

from kic import __version__
from kic.cli import dutch
from kic.cli.base import LazyGroup

dutch.install()  # before any command module builds its options

# name: (module, attribute, short help for ``kic --help``; tests/cli checks it against the command)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "agenda": (
        "kic.cli.agenda",
        "agenda",
        "Verbeteragenda: verbeteracties bij de bevindingen, met eigenaar, deadline en hermeting.",
    ),
    "controls": ("kic.cli.controls", "controls", "Bekijk, valideer en draai het normenkader (controls/)."),
    "db": ("kic.cli.db", "db", "Database aanmaken en bijwerken (Alembic-migraties)."),
    "demo": (
        "kic.cli.demo",
        "demo",
        "Draai de volledige cyclus op een synthetische gemeente en een nieuwe SQLite-database.",
    ),
    "evaluate": (
        "kic.cli.evaluate",
        "evaluate",
        "Evalueer de beoordeelde steekproeven tegen de toleranties van het verslagjaar.",
    ),
    "gemeente": (
        "kic.cli.gemeente",
        "gemeente",
        "De gemeenten van de installatie: elk met eigen verantwoording, rapporten en accountant.",
    ),
    "import": (
        "kic.cli.population",
        "import_group",
        "Importeer een populatie (CSV, XLSX of Parquet) uit de uitkeringsadministratie.",
    ),
    "plan": (
        "kic.cli.plan",
        "plan",
        "Het controleplan: steekproefomvang per regeling en periode, validatie en het document.",
    ),
    "population": ("kic.cli.population", "population", "Bekijk de geïmporteerde populaties."),
    "report": (
        "kic.cli.report",
        "report",
        "Rapportages: kwartaalrapportage, SISA- en rechtmatigheidsdossier, verbeteragenda (HTML, PDF, Excel).",
    ),
    "review": (
        "kic.cli.review",
        "review",
        "Beoordelen: posten toewijzen en werkboeken uitwisselen (Excel).",
    ),
    "risk": (
        "kic.cli.risk",
        "risk",
        "Het risicomodel: factoren van zaak en betaling (nooit persoonskenmerken) en hun gewicht.",
    ),
    "sample": ("kic.cli.sample", "sample", "Steekproeven trekken, bekijken en naspelen (de accountant)."),
    "scheduler": (
        "kic.cli.scheduler",
        "scheduler",
        "Planner: steekproeven trekken, kwartaalrapportages en de lijst van te late acties, op tijd.",
    ),
    "serve": ("kic.cli.serve", "serve", "Start de webapplicatie (stoppen met Ctrl+C)."),
    "stats": (
        "kic.cli.stats",
        "stats",
        "Steekproefstatistiek: omvang plannen, posten trekken en uitkomsten evalueren.",
    ),
    "synth": (
        "kic.cli.synth",
        "synth",
        "Maak een synthetische gemeente met betalingen, beschikkingen en ingebouwde fouten.",
    ),
    "users": ("kic.cli.users", "users", "Gebruikers van de webapplicatie beheren."),
}


@click.group(cls=LazyGroup, lazy=COMMANDS)
@click.version_option(
    __version__, prog_name="kic", message="%(prog)s %(version)s", help="Toon de versie en stop."
)
def main() -> None:
    """kic — Kwaliteit in Controle voor de sociale dienst.

    Importeer populaties, trek steekproeven, toets en rapporteer. De database kiest u met
    KIC_DATABASE_URL (standaard het bestand kic.sqlite in de huidige map).
    """
