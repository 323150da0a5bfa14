"""The ``kic`` command: a thin click layer over the use-case functions.

Exit codes scripts can rely on: 0 gelukt, 1 fout (melding op stderr), 2 verkeerd gebruik,
3 import geweigerd om foute regels, 4 bestand was al geïmporteerd.
"""

from __future__ import annotations

import click

from kic import __version__
from kic.cli import dutch
from kic.cli.agenda import agenda
from kic.cli.common import reports_errors
from kic.cli.controls import controls
from kic.cli.db import db
from kic.cli.demo import demo
from kic.cli.evaluate import evaluate
from kic.cli.plan import plan
from kic.cli.population import import_group, population
from kic.cli.report import report
from kic.cli.review import review
from kic.cli.risk import risk
from kic.cli.sample import sample
from kic.cli.scheduler import scheduler
from kic.cli.serve import serve
from kic.cli.stats import stats
from kic.cli.synth import synth
from kic.cli.users import users

dutch.install()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="kic", message="%(prog)s %(version)s", help="Toon de versie en stop."
)
def main() -> None:
    """kic — Kwaliteit in Controle voor de sociale dienst.

    Importeer populaties, trek steekproeven, toets en rapporteer. De database kiest u met
    KIC_DATABASE_URL (standaard het bestand kic.sqlite in de huidige map).
    """


for command in (
    db,
    import_group,
    population,
    plan,
    risk,
    sample,
    review,
    evaluate,
    controls,
    demo,
    synth,
    stats,
    users,
    serve,
    agenda,
    report,
    scheduler,
):
    main.add_command(command)


def _every_command(command: click.Command) -> None:
    """``-h`` and the one error boundary (``reports_errors``) on every command, also when a
    subcommand is invoked on its own (as tests do)."""
    command.context_settings.setdefault("help_option_names", ["-h", "--help"])
    if command.callback is not None:
        command.callback = reports_errors(command.callback)
    for child in getattr(command, "commands", {}).values():
        _every_command(child)


_every_command(main)
