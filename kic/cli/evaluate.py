"""``kic evaluate``: most likely error and upper limit per sample, regeling and in total."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import click

from kic.cli.base import KicCommand
from kic.cli.common import DATE, current_session, database_option, fail
from kic.evaluation import Evaluation, Projection, evaluate_period, evaluation_json
from kic.formatting import euro, number, percent
from kic.gemeenten import normalise_code
from kic.periods import Period, date_range

LABELS = {"fouten": "fouten", "onzekerheden": "onzekerheden", "totaal": "samen"}


@click.command(name="evaluate", cls=KicCommand)
@click.option("--periode", "--period", "period", help="Periode: 2026-Q3 of 2026-07.")
@click.option("--jaar", "--year", "year", type=int, help="Heel verslagjaar tot nu toe (jaarprognose).")
@click.option(
    "--van",
    "--from",
    "start",
    type=DATE,
    help="Begin van een eigen datumbereik (met --tot), bijvoorbeeld 01-01-2026.",
)
@click.option(
    "--tot", "--to", "end", type=DATE, help="Laatste dag van het datumbereik, bijvoorbeeld 30-06-2026."
)
@click.option(
    "--betrouwbaarheid",
    "confidence",
    type=click.FloatRange(0.5, 0.999),
    default=0.95,
    show_default=True,
    help="Betrouwbaarheid van de bovengrens.",
)
@click.option(
    "--gemeente",
    help="CBS-gemeentecode (GM0363): alleen de steekproeven van die gemeente, tegen haar eigen lasten; "
    "zonder deze optie de hele regio.",
)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@database_option
def evaluate(
    period: str | None,
    year: int | None,
    start: datetime | None,
    end: datetime | None,
    confidence: float,
    gemeente: str | None,
    as_json: bool,
    database_url: str | None,
) -> None:
    """Evalueer de beoordeelde steekproeven tegen de toleranties van het verslagjaar.

    Een datumbereik (--van en --tot) telt de steekproeven waarvan de periode er helemaal in valt,
    bijvoorbeeld het jaar tot en met een kwartaal zoals in de kwartaalrapportage.
    """
    if (start is None) != (end is None):
        fail("geef --van en --tot samen", code=2)
    if sum(x is not None for x in (period, year, start)) != 1:
        fail("geef óf --periode, óf --jaar, óf --van en --tot", code=2)
    if start is not None and end is not None:
        chosen: str | Period = date_range(start.date(), end.date())
    else:
        chosen = period or str(year)
    code = None
    if gemeente is not None:
        code = normalise_code(gemeente)
        if code is None:
            fail(f"'{gemeente}' is geen CBS-gemeentecode (GM gevolgd door vier cijfers)", code=2)
    with current_session(database_url) as session:
        result = evaluate_period(session, chosen, confidence=confidence, gemeente=code)
    if as_json:
        click.echo(evaluation_json(result))
        return
    _print(result)


def _print(result: Evaluation) -> None:
    where = f", gemeente {result.gemeente}" if result.gemeente else ""
    click.echo(f"Evaluatie {result.period}{where} (betrouwbaarheid {percent(result.confidence, 0)})")
    click.echo(POLICY_TEXT[result.understatement_policy])
    for s in result.samples:
        state = " — VOORLOPIG" if s.provisional else ""
        click.echo(
            f"\nSteekproef {s.sample_id}: {s.regeling} {s.period}"
            + (f" {s.gemeente}" if s.gemeente else "")
            + f", {s.purpose}, {s.method}; "
            f"{s.reviewed} van {s.items} posten beoordeeld{state}"
            + (f" (met uitbreiding {', '.join(map(str, s.extensions))})" if s.extensions else "")
        )
        if s.two_stage:
            click.echo(
                f"  tweetrapssteekproef: geëvalueerd met betrouwbaarheid {percent(s.confidence, 1)} "
                "(de helft van het risico per fase)"
            )
        click.echo(f"  populatie {number(s.population_count)} {s.unit}en, {euro(s.population_value)}")
        for kind, rate in s.rates.items():
            click.echo(
                f"  {LABELS[kind] + ':':<14} {rate.deviations} van {rate.reviewed} {s.unit}en met afwijking "
                f"({percent(rate.rate, 1)}); bovengrens {percent(rate.upper_rate, 1)}"
            )
        if s.unit == "beschikking":
            click.echo("  (in aantallen beoordeeld, niet in euro's geëxtrapoleerd)")
        else:
            _projections(s.projections, s.understatements, s.population_value)
        if s.note:
            click.echo(f"  let op: {s.note}")
        if s.formal_findings:
            click.echo(f"  formele fouten: {s.formal_findings} (zonder financiële gevolgen)")
    for group in [*result.regelingen, *([result.overall] if result.overall else [])]:
        click.echo(
            f"\n{group.name} ({group.samples} statistische steekproef/steekproeven, "
            f"{euro(group.population_value)}"
            + (
                f"; betrouwbaarheid {percent(group.confidence, 1)} want met een tweetrapssteekproef"
                if group.confidence != result.confidence
                else ""
            )
            + "):"
        )
        _projections(group.projections, group.understatements, group.population_value)
    if any(result.targeted_found.values()):
        click.echo(
            f"\nGerichte steekproeven (niet geëxtrapoleerd): fouten {euro(result.targeted_found['fouten'])}, "
            f"onzekerheden {euro(result.targeted_found['onzekerheden'])}"
        )
    t = result.tolerances
    click.echo(
        f"\nGoedkeuringstolerantie {t.year}: {str(t.approval_pct).replace('.', ',')} % "
        + ("(fouten en onzekerheden samen)" if t.errors_pct is None else "(fouten)")
    )
    click.echo(f"Conclusie: {result.conclusion}")


POLICY_TEXT = {
    "meetellen": "Te veel en te weinig betaald tellen beide mee (niet gesaldeerd); te weinig betaald staat er ook apart.",
    "apart": "Alleen te veel betaald telt mee voor de tolerantie; te weinig betaald staat er apart.",
}


def _projections(projections: dict[str, Projection], under: dict[str, Projection], value: Decimal) -> None:
    for kind, projection in projections.items():
        click.echo(f"  {LABELS[kind] + ':':<14} {_line(projection, value)}")
    for kind, projection in under.items():
        if projection.found:
            click.echo(f"  {'  te weinig betaald (' + LABELS[kind] + '):':<14} {_line(projection, value)}")


def _line(p: Projection, value: Decimal) -> str:
    found = f"gevonden {euro(p.found)} in {p.items_with_error} post(en)"
    if p.upper_limit is None:
        return found + " (niet geëxtrapoleerd)"
    share = p.fraction(value)
    return (
        f"{found}; meest waarschijnlijke fout {euro(p.most_likely_error)}; bovengrens {euro(p.upper_limit)}"
        + (f" ({percent(share, 2)})" if share is not None else "")
    )
