"""``kic risk``: the risk model — its factors, and why a payment got its weight."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kic.cli.base import KicGroup
from kic.cli.common import catalogue_option, current_session, database_option, fail
from kic.formatting import datum, euro, number
from kic.population.parse import cents_to_decimal
from kic.risk import Explanation, RiskModelError, RiskModelFile, explain_payment
from kic.risk.loader import read_risk_model, risk_model_path


@click.group(name="risk", cls=KicGroup)
def risk() -> None:
    """Het risicomodel: factoren van zaak en betaling (nooit persoonskenmerken) en hun gewicht."""


def _model(controls_dir: Path | None) -> RiskModelFile:
    model, problems = read_risk_model(controls_dir)
    if model is None:
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        fail(str(RiskModelError(problems)))
    return model


def _weight(value: float) -> str:
    return number(round(value, 4)).rstrip()


@risk.command(name="show")
@catalogue_option
def risk_show(controls_dir: Path | None) -> None:
    """Toon de factoren van het risicomodel met gewicht, voorwaarde en uitleg."""
    model = _model(controls_dir)
    click.echo(
        f"Risicomodel versie {model.version} ({risk_model_path(controls_dir)}), "
        f"inhoudshash {model.content_hash}"
    )
    maximum = f", hoogstens {_weight(model.maximum)}" if model.maximum is not None else ""
    click.echo(f"Gewicht = basisgewicht {_weight(model.base)} × gewicht van elke factor die geldt{maximum}.")
    click.echo(f"{'factor':<24} {'gewicht':>8}  voorwaarde")
    for factor in model.factors:
        click.echo(f"{factor.id:<24} {'× ' + _weight(factor.weight):>8}  {factor.condition}")
        click.echo(f"{'':<24} {'':>8}  {factor.name}: {factor.explanation}")


@risk.command(name="validate")
@click.argument(
    "folder", metavar="MAP", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
def risk_validate(folder: Path | None) -> None:
    """Controleer het risicomodel (risk.yaml in MAP of KIC_CONTROLS_DIR, anders het meegeleverde)."""
    model, problems = read_risk_model(folder)
    if model is None:
        click.secho(f"Fout: {len(problems)} probleem/problemen in het risicomodel:", fg="red", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1)
    click.echo(f"Het risicomodel is in orde: versie {model.version}, {number(len(model.factors))} factoren.")


@risk.command(name="explain")
@click.argument("item", metavar="BETALING_ID")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@catalogue_option
@database_option
def risk_explain(item: str, as_json: bool, controls_dir: Path | None, database_url: str | None) -> None:
    """Toon waarom betaling BETALING_ID haar risicogewicht kreeg: elke factor, geraakt of niet."""
    model = _model(controls_dir)
    with current_session(database_url) as session:
        explanation = explain_payment(session, model, item)
    if as_json:
        click.echo(json.dumps(explanation_dict(explanation), indent=2, ensure_ascii=False))
        return
    for line in explanation_lines(explanation):
        click.echo(line)


def explanation_lines(x: Explanation) -> list[str]:
    hits = number(x.hits) if x.hits_known else "onbekend (nog geen controlerun; telt als 0)"
    amount = euro(cents_to_decimal(x.amount_cents))
    lines = [
        f"Betaling {x.payment_id}: {x.regeling}, {amount}, periode vanaf {datum(x.period_from)}",
        f"Risicomodel versie {x.version}, inhoudshash {x.content_hash[:16]}",
        f"Treffers van geautomatiseerde controles: {hits}",
        "",
        f"{'factor':<24} {'gewicht':>8}  {'geldt':<14} uitleg",
    ]
    for outcome in x.factors:
        state = "ja" if outcome.fired else ("niet te bepalen" if outcome.undetermined else "nee")
        lines.append(
            f"{outcome.factor.id:<24} {'× ' + _weight(outcome.factor.weight):>8}  {state:<14} "
            f"{outcome.factor.name}" + (f": {outcome.factor.explanation}" if outcome.fired else "")
        )
    steps = " × ".join([_weight(x.base), *(_weight(o.factor.weight) for o in x.fired)])
    cap = f", begrensd op het maximum {_weight(x.maximum)}" if x.capped and x.maximum is not None else ""
    lines += ["", f"Risicogewicht: {steps} = {_weight(x.weight)}{cap}"]
    if any(o.undetermined for o in x.factors):
        lines.append("Een factor die niet te bepalen is (ontbrekend gegeven) telt niet mee.")
    return lines


def explanation_dict(x: Explanation) -> dict[str, object]:
    return {
        "betaling_id": x.payment_id,
        "regeling": x.regeling,
        "bedrag": str(cents_to_decimal(x.amount_cents)),
        "periode_van": x.period_from.isoformat() if x.period_from else None,
        "controletreffers": x.hits if x.hits_known else None,
        "risicomodel": {"versie": x.version, "inhoud_sha256": x.content_hash},
        "basisgewicht": x.base,
        "maximaal_gewicht": x.maximum,
        "gewicht": x.weight,
        "begrensd": x.capped,
        "factoren": [
            {
                "id": o.factor.id,
                "naam": o.factor.name,
                "gewicht": o.factor.weight,
                "voorwaarde": o.factor.condition,
                "geldt": o.fired,
                "niet_te_bepalen": o.undetermined,
            }
            for o in x.factors
        ],
    }
