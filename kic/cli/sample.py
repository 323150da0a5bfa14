"""``kic sample``: draw, list, export and re-perform (verify) samples."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from kic.audit import current_actor
from kic.cli.base import KicGroup
from kic.cli.common import REGELING, actor_option, current_session, database_option, fail, session_for
from kic.formatting import euro, number, tijdstip
from kic.periods import parse_period
from kic.plan_draw import draw_plan, extend_and_assign
from kic.population import load_mapping
from kic.samples.browse import manifest_json
from kic.samples.draw import METHODS, PURPOSES, SampleSpec, draw_sample, new_seed
from kic.samples.models import Sample
from kic.samples.verify import load_manifest, verify

EXIT_MISMATCH = 5


@click.group(name="sample", cls=KicGroup)
def sample() -> None:
    """Steekproeven trekken, bekijken en naspelen (de accountant)."""


@sample.command(name="draw")
@click.option("--plan", "plan_year", type=int, help="Trek alles wat het controleplan van dit jaar vraagt.")
@click.option(
    "--regeling", type=REGELING, help="Regeling, bijvoorbeeld PW-LO (met --plan: alleen deze regeling)."
)
@click.option("--periode", "--period", "period", required=True, help="Periode: 2026, 2026-Q3 of 2026-07.")
@click.option("--n", "n", type=click.IntRange(min=1), help="Steekproefomvang (zonder --plan).")
@click.option(
    "--methode",
    "method",
    type=click.Choice(list(METHODS)),
    default="mus",
    show_default=True,
    help="mus = monetary unit sampling, items = posten, risico = risicogewogen.",
)
@click.option(
    "--selectie",
    "selection_method",
    default="interval",
    show_default=True,
    help="mus: interval, cell, random of sieve; items: random of systematic.",
)
@click.option(
    "--doel",
    "purpose",
    type=click.Choice(PURPOSES),
    default="statistisch",
    show_default=True,
    help="statistisch (wordt geëxtrapoleerd), gericht (nooit geëxtrapoleerd) of preventief "
    "(besluiten vóór verzending; alleen kwaliteit).",
)
@click.option(
    "--tweetraps",
    "two_stage",
    is_flag=True,
    help="Tweetrapssteekproef: mag na fouten één keer worden uitgebreid (kic sample extend); "
    "elke fase wordt met de helft van het risico geëvalueerd.",
)
@click.option("--seed", help="Startwaarde van de toevalsgetallen (standaard een nieuwe, willekeurige).")
@click.option(
    "--opnieuw",
    "--redraw",
    "redraw_reason",
    metavar="REDEN",
    help="Trek opnieuw voor dezelfde periode, met reden.",
)
@click.option(
    "--beoordelaar",
    "reviewers",
    multiple=True,
    help="Met --plan: wijs de posten meteen toe (herhaal voor meer beoordelaars).",
)
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Schrijf het manifest (JSON) naar dit bestand.",
)
@actor_option
@database_option
def sample_draw(
    plan_year: int | None,
    regeling: str | None,
    period: str,
    n: int | None,
    method: str,
    selection_method: str,
    purpose: str,
    two_stage: bool,
    seed: str | None,
    redraw_reason: str | None,
    reviewers: tuple[str, ...],
    manifest_path: Path | None,
    actor: str | None,
    database_url: str | None,
) -> None:
    """Trek een steekproef (of met --plan alle steekproeven van de periode) en leg haar vast."""
    seed = seed or new_seed()
    if plan_year is not None:
        if two_stage:
            fail(
                "met --plan volgt een tweetrapssteekproef uit 'uitbreidbaar: ja' in het controleplan", code=2
            )
        _draw_plan(plan_year, regeling, period, seed, redraw_reason, list(reviewers), actor, database_url)
        return
    if not regeling or n is None:
        fail("geef --regeling en --n, of --plan JAAR", code=2)
    spec = SampleSpec(
        regeling, parse_period(period), n, method, selection_method, purpose, two_stage=two_stage
    )
    with current_session(database_url) as session:
        drawn = draw_sample(session, spec, seed=seed, actor=current_actor(actor), redraw_reason=redraw_reason)
    _echo_drawn(drawn)
    if manifest_path:
        _write_manifest(drawn, manifest_path)


def _draw_plan(
    year: int,
    regeling: str | None,
    period: str,
    seed: str,
    redraw_reason: str | None,
    reviewers: list[str],
    actor: str | None,
    database_url: str | None,
) -> None:
    with current_session(database_url) as session:
        outcomes = draw_plan(
            session,
            year,
            period,
            actor=current_actor(actor),
            seed=seed,
            regeling=regeling,
            reviewers=reviewers or None,
            redraw_reason=redraw_reason,
        )
        for outcome in outcomes:
            if outcome.sample is None:
                click.echo(
                    f"Onderdeel {outcome.part_id} {outcome.period}: geen steekproef — {outcome.skipped}"
                )
                continue
            _echo_drawn(outcome.sample, f"onderdeel {outcome.part_id}: ")
            if outcome.reviews:
                click.echo(f"  {outcome.reviews} posten toegewezen aan {', '.join(reviewers)}")
    drawn = sum(1 for o in outcomes if o.sample is not None)
    click.echo(
        f"{drawn} steekproef/steekproeven getrokken volgens controleplan {year} voor {period} (seed {seed})."
    )


def _echo_drawn(drawn: Sample, prefix: str = "") -> None:
    click.echo(
        f"{prefix}Steekproef {drawn.id} getrokken: {drawn.item_count} posten uit "
        f"{number(drawn.population_count)} {drawn.unit}en ({euro(drawn.population_total)}) van {drawn.regeling} "
        f"{drawn.period_label}"
    )
    click.echo(f"  methode {drawn.method}, seed {drawn.seed}, manifest-SHA-256 {drawn.manifest_sha256}")
    if drawn.replaces_id:
        click.echo(f"  vervangt steekproef {drawn.replaces_id} (reden: {drawn.reason})")


def _write_manifest(drawn: Sample, path: Path) -> None:
    path.write_text(manifest_json(drawn), encoding="utf-8")
    click.echo(f"  manifest geschreven naar {path}")


@sample.command(name="extend")
@click.argument("sample_id", metavar="STEEKPROEF_ID", type=int)
@click.option("--n", "n", type=click.IntRange(min=1), required=True, help="Aantal extra posten.")
@click.option(
    "--reden", "reason", required=True, help="Waarom (bijvoorbeeld de gevonden fouten); in het auditspoor."
)
@click.option("--seed", help="Startwaarde van de toevalsgetallen (standaard een nieuwe, willekeurige).")
@click.option(
    "--beoordelaar",
    "reviewers",
    multiple=True,
    help="Wijs de nieuwe posten meteen toe (herhaal voor meer beoordelaars; vier ogen als bij de steekproef).",
)
@click.option(
    "--manifest",
    "manifest_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Schrijf ook het manifest van de uitbreiding naar dit bestand.",
)
@actor_option
@database_option
def sample_extend(
    sample_id: int,
    n: int,
    reason: str,
    seed: str | None,
    reviewers: tuple[str, ...],
    manifest_path: Path | None,
    actor: str | None,
    database_url: str | None,
) -> None:
    """Breid steekproef STEEKPROEF_ID uit met N posten: een nieuwe, gekoppelde trekking met een eigen seed.

    Alleen een tweetrapssteekproef (getrokken met --tweetraps of 'uitbreidbaar: true' in het
    controleplan), en maar één keer: beide fasen worden met de helft van het risico geëvalueerd.
    """
    seed = seed or new_seed()
    with current_session(database_url) as session:
        drawn = extend_and_assign(
            session,
            sample_id,
            n,
            seed=seed,
            actor=current_actor(actor),
            reason=reason,
            reviewers=list(reviewers),
        )
    _echo_drawn(drawn, f"uitbreiding van steekproef {sample_id}: ")
    if reviewers:
        click.echo(f"  posten toegewezen aan {', '.join(reviewers)}")
    if manifest_path:
        _write_manifest(drawn, manifest_path)


@sample.command(name="list")
@database_option
def sample_list(database_url: str | None) -> None:
    """Toon alle getrokken steekproeven."""
    with current_session(database_url) as session:
        samples = session.scalars(select(Sample).order_by(Sample.id)).all()
    if not samples:
        click.echo("Er zijn nog geen steekproeven getrokken.")
    for s in samples:
        extra = (f", vervangt {s.replaces_id}" if s.replaces_id else "") + (
            f", breidt {s.extends_id} uit" if s.extends_id else ""
        )
        click.echo(
            f"{s.id:>4}  {s.regeling:<7} {s.period_label:<8} {s.purpose:<12} {s.method:<15} "
            f"{s.item_count:>5} posten  {tijdstip(s.created_at)} {s.created_by}{extra}"
        )


@sample.command(name="manifest")
@click.argument("sample_id", metavar="STEEKPROEF_ID", type=int)
@click.option(
    "--uitvoer",
    "-o",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Bestand voor het manifest (JSON).",
)
@database_option
def sample_manifest(sample_id: int, path: Path, database_url: str | None) -> None:
    """Schrijf het manifest van steekproef STEEKPROEF_ID, voor de accountant."""
    with session_for(database_url) as session:
        drawn = session.get(Sample, sample_id)
        if drawn is None:
            fail(f"steekproef {sample_id} bestaat niet")
        _write_manifest(drawn, path)


@sample.command(name="verify")
@click.argument("manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument(
    "population_file", metavar="EXPORTBESTAND", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--koppeling",
    "-k",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Koppelbestand als de export afwijkende kolomnamen heeft.",
)
@click.option(
    "--beschikkingen",
    "dossiers_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Export van de beschikkingen, als het filter van een steekproef uit betalingen die leest.",
)
def sample_verify(
    manifest: Path, population_file: Path, mapping_file: Path | None, dossiers_file: Path | None
) -> None:
    """Speel de selectie na uit MANIFEST en het oorspronkelijke EXPORTBESTAND (geen database nodig).

    EXPORTBESTAND is de export van de betalingen, of van de beschikkingen bij een steekproef uit
    beschikkingen (eenheid in het manifest)."""
    result = verify(
        load_manifest(manifest),
        population_file,
        load_mapping(mapping_file) if mapping_file else None,
        dossiers_file,
    )
    click.echo(f"Bestand gelijk aan de trekking: {'ja' if result.file_matches else 'nee'}")
    click.echo(f"Populatie gelijk: {'ja' if result.population_matches else 'nee'}")
    if result.matches:
        click.echo(f"Selectie nagespeeld: alle {result.items_checked} posten komen overeen.")
        return
    click.secho("Selectie komt NIET overeen:", fg="red", err=True)
    for difference in result.differences:
        click.echo(f"  {difference}", err=True)
    raise SystemExit(EXIT_MISMATCH)
