"""``kic sample``: draw, list, export and re-perform (verify) samples."""

from __future__ import annotations

import secrets
from pathlib import Path

import click
from sqlalchemy import select

from kic.audit import current_actor
from kic.cli.common import database_option, fail, session_for
from kic.cycle.browse import manifest_json
from kic.cycle.draw import METHODS, PURPOSES, SampleError, SampleSpec, draw_sample
from kic.cycle.models import Sample
from kic.cycle.periods import PeriodError, parse_period
from kic.cycle.verify import load_manifest, verify
from kic.db.migrate import DatabaseNotReady, require_current
from kic.formatting import euro, number, tijdstip
from kic.population import load_mapping

EXIT_MISMATCH = 5


@click.group(name="sample")
def sample() -> None:
    """Steekproeven trekken, bekijken en naspelen (de accountant)."""


@sample.command(name="draw")
@click.option("--regeling", required=True, help="Regeling, bijvoorbeeld PW-LO.")
@click.option("--periode", "period", required=True, help="Periode: 2026, 2026-Q3 of 2026-07.")
@click.option("--n", "n", type=click.IntRange(min=1), required=True, help="Steekproefomvang.")
@click.option("--methode", "method", type=click.Choice(list(METHODS)), default="mus", show_default=True,
              help="mus = monetary unit sampling, items = posten.")
@click.option("--selectie", "selection_method", default="interval", show_default=True,
              help="mus: interval, cell, random of sieve; items: random of systematic.")
@click.option("--doel", "purpose", type=click.Choice(PURPOSES), default="statistisch", show_default=True,
              help="statistisch (wordt geëxtrapoleerd) of gericht (nooit geëxtrapoleerd).")
@click.option("--seed", help="Startwaarde van de toevalsgetallen (standaard een nieuwe, willekeurige).")
@click.option("--opnieuw", "redraw_reason", metavar="REDEN", help="Trek opnieuw voor dezelfde periode, met reden.")
@click.option("--manifest", "manifest_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Schrijf het manifest (JSON) naar dit bestand.")
@click.option("--gebruiker", "actor", help="Naam in het auditspoor (standaard KIC_USER).")
@database_option
def sample_draw(regeling: str, period: str, n: int, method: str, selection_method: str, purpose: str,
                seed: str | None, redraw_reason: str | None, manifest_path: Path | None, actor: str | None,
                database_url: str | None) -> None:
    """Trek een steekproef uit de bevroren populatie en leg haar vast."""
    seed = seed or str(secrets.randbelow(10**12))
    try:
        spec = SampleSpec(regeling.upper(), parse_period(period), n, method, selection_method, purpose)
        with session_for(database_url) as session:
            require_current(session.get_bind())
            drawn = draw_sample(session, spec, seed=seed, actor=current_actor(actor), redraw_reason=redraw_reason)
    except (SampleError, PeriodError, DatabaseNotReady) as exc:
        fail(str(exc))
    click.echo(f"Steekproef {drawn.id} getrokken: {drawn.item_count} posten uit {number(drawn.population_count)} "
               f"betalingen ({euro(drawn.population_total)}) van {drawn.regeling} {drawn.period_label}")
    click.echo(f"  methode {drawn.method}, seed {drawn.seed}, manifest-SHA-256 {drawn.manifest_sha256}")
    if drawn.replaces_id:
        click.echo(f"  vervangt steekproef {drawn.replaces_id} (reden: {drawn.reason})")
    if manifest_path:
        _write_manifest(drawn, manifest_path)


def _write_manifest(drawn: Sample, path: Path) -> None:
    path.write_text(manifest_json(drawn), encoding="utf-8")
    click.echo(f"  manifest geschreven naar {path}")


@sample.command(name="list")
@database_option
def sample_list(database_url: str | None) -> None:
    """Toon alle getrokken steekproeven."""
    try:
        with session_for(database_url) as session:
            require_current(session.get_bind())
            samples = session.scalars(select(Sample).order_by(Sample.id)).all()
    except DatabaseNotReady as exc:
        fail(str(exc))
    if not samples:
        click.echo("Er zijn nog geen steekproeven getrokken.")
    for s in samples:
        extra = f", vervangt {s.replaces_id}" if s.replaces_id else ""
        click.echo(f"{s.id:>4}  {s.regeling:<7} {s.period_label:<8} {s.purpose:<12} {s.method:<15} "
                   f"{s.item_count:>5} posten  {tijdstip(s.created_at)} {s.created_by}{extra}")


@sample.command(name="manifest")
@click.argument("sample_id", type=int)
@click.option("--uitvoer", "-o", "path", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Bestand voor het manifest (JSON).")
@database_option
def sample_manifest(sample_id: int, path: Path, database_url: str | None) -> None:
    """Schrijf het manifest van steekproef SAMPLE_ID, voor de accountant."""
    with session_for(database_url) as session:
        drawn = session.get(Sample, sample_id)
        if drawn is None:
            fail(f"steekproef {sample_id} bestaat niet")
        _write_manifest(drawn, path)


@sample.command(name="verify")
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("population_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--koppeling", "-k", "mapping_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Koppelbestand als de export afwijkende kolomnamen heeft.")
def sample_verify(manifest: Path, population_file: Path, mapping_file: Path | None) -> None:
    """Speel de selectie na uit MANIFEST en het oorspronkelijke exportbestand (geen database nodig)."""
    try:
        result = verify(load_manifest(manifest), population_file,
                        load_mapping(mapping_file) if mapping_file else None)
    except SampleError as exc:
        fail(str(exc))
    click.echo(f"Bestand gelijk aan de trekking: {'ja' if result.file_matches else 'nee'}")
    click.echo(f"Populatie gelijk: {'ja' if result.population_matches else 'nee'}")
    if result.matches:
        click.echo(f"Selectie nagespeeld: alle {result.items_checked} posten komen overeen.")
        return
    click.secho("Selectie komt NIET overeen:", fg="red", err=True)
    for difference in result.differences:
        click.echo(f"  {difference}", err=True)
    raise SystemExit(EXIT_MISMATCH)
