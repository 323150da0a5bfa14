"""``kic plan``: the controleplan — sample sizes per regeling and period, validation, the document."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import click

from kic.cli.base import KicGroup, print_details
from kic.cli.common import REGELING, catalogue_option, current_session, database_option, fail
from kic.configfile import ConfigError
from kic.controls import ControlDefinitionError
from kic.errors import KicError
from kic.formatting import euro, number, percent
from kic.periods import parse_period
from kic.plan import labels
from kic.plan.export import sizes_dict
from kic.plan.loader import plan_problems
from kic.plan.sizes import PartSize, PlanSizes
from kic.population.parse import cents_to_decimal


@click.group(name="plan", cls=KicGroup)
def plan() -> None:
    """Het controleplan: steekproefomvang per regeling en periode, validatie en het document."""


def _sizes(year: int, controls_dir: Path | None, database_url: str | None) -> PlanSizes:
    from kic.plan.service import size_plan

    try:
        with current_session(database_url) as session:
            return size_plan(session, year, controls_dir)
    except (ConfigError, ControlDefinitionError) as exc:
        raise KicError(f"{exc}; herstel eerst het plan ('kic plan validate')", details=exc.details) from exc


def _period_labels(sizes: PlanSizes, period: str | None) -> set[str] | None:
    """The labels of every line's periods that start within ``period`` (all when None).

    By start, so that a week across two quarters belongs to exactly one of them.
    """
    if period is None:
        return None
    wanted = parse_period(period)
    return {p.period.label for s in sizes.parts for p in s.periods if wanted.contains(p.period.start)}


@plan.command(name="show")
@click.argument("year", metavar="JAAR", type=int)
@click.option(
    "--periode", "period", help="Alleen de perioden die in deze periode beginnen (2026-Q3, 2026-07)."
)
@click.option("--regeling", type=REGELING, help="Alleen de onderdelen van deze regeling.")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@catalogue_option
@database_option
def plan_show(
    year: int,
    period: str | None,
    regeling: str | None,
    as_json: bool,
    controls_dir: Path | None,
    database_url: str | None,
) -> None:
    """Toon de steekproefomvang van het plan van JAAR per onderdeel en per periode."""
    sizes = _sizes(year, controls_dir, database_url)
    wanted = _period_labels(sizes, period)
    parts = [p for p in sizes.parts if regeling is None or p.part.regeling == regeling]
    if as_json:
        data = sizes_dict(sizes, wanted)
        data["onderdelen"] = [d for d in data["onderdelen"] if regeling is None or d["regeling"] == regeling]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        _echo_table(sizes, parts, wanted, click.echo)
    if sizes.problems:
        for problem in sizes.problems:
            click.secho(f"Fout: {problem}", fg="red", err=True)
        raise SystemExit(1)


_HEADER = (
    f"{'onderdeel':<24} {'regeling':<8} {'werkonderdeel':<14} {'doel':<11} {'methode':<10} "
    f"{'betr.':>6} {'mat.':>5} {'populatie':>10} {'waarde':>18} {'omvang':>7}  vier ogen"
)


def _echo_table(
    sizes: PlanSizes, parts: list[PartSize], wanted: set[str] | None, echo: Callable[[str], None]
) -> None:
    plan, t = sizes.plan, sizes.thresholds
    echo(
        f"Controleplan {plan.year} van {plan.gemeente}, versie {plan.version} "
        f"(inhoudshash {plan.content_hash[:16]})"
    )
    tolerance = t.default_materiality_pct
    echo(f"Goedkeuringstolerantie {plan.year}: {'-' if tolerance is None else percent(tolerance / 100)}")
    if plan.quality_norms:
        norms = ", ".join(f"{work.value} {percent(pct / 100, 0)}" for work, pct in plan.quality_norms.items())
        echo(f"Kwaliteitsnormen per werkproces: {norms}")
    echo("")
    echo(_HEADER)
    for size in parts:
        echo(_part_line(size))
        echo(f"  ondersteunt: {labels.supports(size.part)}")
        for p in size.periods:
            if wanted is None or p.period.label in wanted:
                echo(
                    f"  {p.period.label:<90} {number(p.count):>10} {_euro(p.value_cents):>18} {number(p.n):>7}"
                )
        for note in size.notes:
            echo(f"  let op: {note}")
    shown = sum(p.n for s in parts for p in s.periods if wanted is None or p.period.label in wanted)
    echo(f"{'totaal':<122} {number(shown):>7}")


def _part_line(size: PartSize) -> str:
    part = size.part
    confidence = "-" if size.confidence is None else percent(size.confidence)
    materiality = "-" if size.materiality_pct is None else percent(size.materiality_pct / 100)
    return (
        f"{size.label:<24} {part.regeling:<8} {part.work.value:<14} {part.purpose.value:<11} "
        f"{labels.METHOD_SHORT[part.method]:<10} {confidence:>6} {materiality:>5} {number(size.count):>10} "
        f"{_euro(size.value_cents):>18} {number(size.n):>7}  {'ja' if part.second_reviewer else 'nee'}"
    )


def _euro(cents: int) -> str:
    return euro(cents_to_decimal(cents))


@plan.command(name="validate")
@click.argument(
    "folder", metavar="MAP", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
def plan_validate(folder: Path | None) -> None:
    """Controleer de controleplannen (plans/*.yaml in MAP of KIC_CONTROLS_DIR, en de meegeleverde)."""
    plans, problems = plan_problems(folder)
    if problems:
        click.secho(f"Fout: {len(problems)} probleem/problemen in de controleplannen:", fg="red", err=True)
        print_details([str(p) for p in problems])
        raise SystemExit(1)
    years = ", ".join(str(p.year) for p in sorted(plans, key=lambda p: p.year))
    click.echo(
        f"De controleplannen zijn in orde: {number(len(plans))} plan(nen) ({years}), "
        f"{number(sum(len(p.parts) for p in plans))} onderdelen."
    )


@plan.command(name="render")
@click.argument("year", metavar="JAAR", type=int)
@click.option(
    "--uitvoer",
    "-o",
    "--uit",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Schrijf het document naar dit bestand (standaard controleplan-JAAR.html of .pdf).",
)
@click.option("--pdf", "as_pdf", is_flag=True, help="Schrijf een PDF (WeasyPrint) in plaats van HTML.")
@click.option(
    "--sjablonen",
    "templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="KIC_TEMPLATES_DIR",
    help="Eigen map met sjablonen, vóór reports/templates doorzocht (standaard KIC_TEMPLATES_DIR).",
)
@catalogue_option
@database_option
def plan_render(
    year: int,
    output: Path | None,
    as_pdf: bool,
    templates: Path | None,
    controls_dir: Path | None,
    database_url: str | None,
) -> None:
    """Schrijf het plan van JAAR met de steekproefomvang als document (HTML of PDF) voor de accountant."""
    from kic.plan.render import render_plan
    from kic.reports.render import html_to_pdf, pdf_unavailable

    sizes = _sizes(year, controls_dir, database_url)
    html = render_plan(sizes, templates=templates)
    path = output or Path(f"controleplan-{year}.{'pdf' if as_pdf else 'html'}")
    if as_pdf:
        if (reason := pdf_unavailable()) is not None:
            fail(reason)
        path.write_bytes(html_to_pdf(html))
    else:
        path.write_text(html, encoding="utf-8")
    click.echo(
        f"Controleplan {year} geschreven naar {path} ({number(len(sizes.parts))} onderdelen, "
        f"{number(sum(p.n for p in sizes.parts))} posten)."
    )
