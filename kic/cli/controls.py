"""``kic controls``: see, validate and run the normenkader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
import yaml

from kic.audit import current_actor
from kic.cli.base import KicGroup, print_details
from kic.cli.common import (
    REGELING,
    actor_option,
    catalogue_option,
    current_session,
    database_option,
    fail,
)
from kic.controls import (
    Catalogue,
    ControlDefinitionError,
    json_schema,
    load_catalogue,
    problems_of,
)
from kic.controls.texts import echo_summary, echo_truth
from kic.errors import KicError
from kic.formatting import datum, number


def _catalogue(controls_dir: Path | None) -> Catalogue:
    try:
        return load_catalogue(controls_dir)
    except ControlDefinitionError as exc:
        raise KicError(
            f"{exc}; herstel eerst het normenkader ('kic controls validate')", details=exc.details
        ) from exc


@click.group(name="controls", cls=KicGroup)
def controls() -> None:
    """Bekijk, valideer en draai het normenkader (controls/)."""


@controls.command(name="list")
@catalogue_option
def controls_list(controls_dir: Path | None) -> None:
    """Toon alle controles met regeling, versie, geldigheid en soort."""
    catalogue = _catalogue(controls_dir)
    click.echo(f"{'id':<12} {'regeling':<8} {'versie':>6}  {'geldig':<25} {'soort':<13} {'type':<22}")
    for control in catalogue.all_versions():
        geldig = f"{datum(control.valid_from)} t/m {datum(control.valid_to) if control.valid_to else '...'}"
        automated = control.automated
        kind = "" if automated is None else (automated.check or "expressie")
        click.echo(
            f"{control.id:<12} {control.regeling:<8} {control.version:>6}  {geldig:<25} "
            f"{control.criterion.value:<13} {control.kind:<22} {kind}"
        )
    automated_ids = {c.id for c in catalogue.automated()}
    click.echo(
        f"{number(len(catalogue.ids()))} controles, waarvan {number(len(automated_ids))} geautomatiseerd."
    )


@controls.command(name="show")
@click.argument("control_id", metavar="CONTROLE_ID")
@catalogue_option
def controls_show(control_id: str, controls_dir: Path | None) -> None:
    """Toon alle velden van controle CONTROLE_ID, in elke versie."""
    catalogue = _catalogue(controls_dir)
    versions = catalogue.versions.get(control_id.upper())
    if not versions:
        fail(f"onbekende controle '{control_id}' ('kic controls list' toont alle ids)")
        return
    for control in versions:
        click.echo(
            f"# {control.id} versie {control.version} ({control.source}), inhoudshash {control.content_hash}"
        )
        click.echo(yaml.safe_dump(control.canonical(), allow_unicode=True, sort_keys=False, width=100))


@controls.command(name="validate")
@click.argument(
    "folder", metavar="MAP", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--alleen",
    "alone",
    is_flag=True,
    help="Valideer MAP op zichzelf, niet als aanvulling op het meegeleverde normenkader.",
)
def controls_validate(folder: Path | None, alone: bool) -> None:
    """Controleer het normenkader (en de eigen MAP) en toon elk probleem."""
    problems = problems_of(shipped=folder) if alone and folder else problems_of(folder)
    if problems:
        click.secho(f"Fout: {len(problems)} probleem/problemen in het normenkader:", fg="red", err=True)
        print_details([str(p) for p in problems])
        raise SystemExit(1)
    catalogue = load_catalogue(shipped=folder) if alone and folder else load_catalogue(folder)
    click.echo(
        f"Het normenkader is in orde: {number(len(catalogue.ids()))} controles "
        f"({number(len(catalogue.all_versions()))} versies), {number(len(catalogue.tables))} tabellen."
    )


@controls.command(name="schema")
@click.option(
    "--uitvoer",
    "-o",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Schrijf het JSON Schema naar dit bestand in plaats van naar het scherm.",
)
def controls_schema(output: Path | None) -> None:
    """Het JSON Schema van een controlebestand, voor editors."""
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"JSON Schema geschreven naar {output}")
    else:
        click.echo(text, nl=False)


@controls.command(name="overview")
@catalogue_option
def controls_overview(controls_dir: Path | None) -> None:
    """Een overzicht van het normenkader in Markdown (voor docs/catalogue.md)."""
    from kic.controls.overview import render

    click.echo(render(_catalogue(controls_dir)), nl=False)


@controls.command(name="run")
@click.option("--regeling", type=REGELING, help="Alleen de betalingen van deze regeling (standaard alle).")
@click.option(
    "--grondwaarheid",
    "truth",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="grondwaarheid.csv van 'kic synth': toon per fouttype gevonden en gemist.",
)
@actor_option
@catalogue_option
@database_option
def controls_run(
    regeling: str | None,
    truth: Path | None,
    actor: str | None,
    controls_dir: Path | None,
    database_url: str | None,
) -> None:
    """Draai alle geautomatiseerde controles over de hele actieve populatie en bewaar elk resultaat."""
    from kic.controls.run import run_controls

    catalogue = _catalogue(controls_dir)
    with current_session(database_url) as session:
        summary = run_controls(session, actor=current_actor(actor), catalogue=catalogue, regeling=regeling)
    echo_summary(summary, click.echo)
    if truth:
        from kic.controls.groundtruth import compare, read_truth

        echo_truth(compare(summary.findings, read_truth(truth), _judged(summary, regeling)), click.echo)


def _judged(summary: Any, regeling: str | None) -> Any:
    return None if regeling is None else summary.population_ids
