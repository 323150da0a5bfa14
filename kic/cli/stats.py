"""``kic stats``: plan, select and evaluate a sample from the command line (output in Dutch).

A thin shell over :mod:`kic.sampling`: the commands parse options and CSV files, call one
library function and print its frozen result, human-readable or as JSON (``--json``).

``kic stats plan`` answers within half a second: this module imports only the light part of
:mod:`kic.sampling` (numpy and scipy.special); pandas (``select``), YAML (``--risicomodel``) and
scipy.stats (binomial and hypergeometric models, evaluation) are imported where they are used.
tests/cli/test_cli_startup.py keeps it so.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from kic.cli.base import KicGroup
from kic.errors import KicError
from kic.formatting import parse_number, percent
from kic.sampling import audit_risk, checks, evaluation, planning
from kic.sampling.results import SamplingError, format_euro

# --- option types ---------------------------------------------------------------------------------
# Numbers typed the Dutch way (kic.cli.dutch and kic.cli.base make click's own messages Dutch).


class DutchNumber(click.ParamType):
    """A float typed the Dutch way or the English way: 0,02 / 0.02 / 1.234,56."""

    name = "getal"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)):
            return float(value)
        try:
            number = float(parse_number(value))
        except InvalidOperation:
            self.fail(f"{value!r} is geen getal", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is geen eindig getal", param, ctx)
        return number


class DutchInteger(click.ParamType):
    """A whole number; dots group thousands (36.000 is 36000), as in Dutch."""

    name = "geheel getal"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):  # 36.000 is Dutch for thirty-six thousand
            text = text.replace(".", "")
        try:
            number = parse_number(text)
        except InvalidOperation:
            self.fail(f"{value!r} is geen geheel getal", param, ctx)
        if not number.is_finite() or number != number.to_integral_value():
            self.fail(f"{value!r} is geen geheel getal", param, ctx)
        return int(number)


class ExistingFile(click.ParamType):
    """Path to an existing file, with a Dutch message when it is missing."""

    name = "bestand"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path = Path(value)
        if not path.is_file():
            self.fail(f"bestand {str(value)!r} bestaat niet of is geen bestand", param, ctx)
        return path


NUMBER, INTEGER, EXISTING_FILE = DutchNumber(), DutchInteger(), ExistingFile()
LIKELIHOOD = click.Choice(["poisson", "binomial", "hypergeometric"])


def _domain_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A ValueError from numpy or scipy on input nobody anticipated still gets a Dutch sentence, with
    the technical detail; kic's own errors (SamplingError, SelectionError) go to the CLI boundary."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except KicError:
            raise
        except (ValueError, ArithmeticError) as exc:
            raise KicError(
                f"ongeldige invoer: de berekening kan met deze waarden niet worden "
                f"uitgevoerd (technische melding: {exc})"
            ) from exc

    return wrapper


def _refuse_unused(used: set[str], what: str) -> None:
    """An option typed on the command line that this computation would ignore is a usage error.

    Ignored silently, it would give a number for another question than the one asked (a
    population size with a MUS plan, a book value with an attribute sample, ...).
    """
    ctx = click.get_current_context()
    for param in ctx.command.params:
        if not isinstance(param, click.Option) or param.name in used or param.name is None:
            continue
        if ctx.get_parameter_source(param.name) not in (
            None,
            ParameterSource.DEFAULT,
            ParameterSource.DEFAULT_MAP,
        ):
            raise click.UsageError(
                f"de optie {param.opts[0]} wordt bij {what} niet gebruikt; laat deze optie weg", ctx
            )


def _emit(result: Any, as_json: bool, lines: list[str]) -> None:
    if as_json:
        data = result if isinstance(result, dict) else result.to_dict()
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo("\n".join(lines))


@click.group(
    name="stats",
    cls=KicGroup,
    help="Steekproefstatistiek: omvang plannen, posten trekken en uitkomsten evalueren.",
)
def stats() -> None:
    """Command group; see the subcommands."""


# --- plan -----------------------------------------------------------------------------------------


class RiskLevel(click.ParamType):
    """hoog/midden/laag (also H/M/L, high/medium/low), normalised to the H/M/L of the mapping."""

    name = "hoog|midden|laag"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return audit_risk.normalise_level(str(value))
        except SamplingError as exc:
            self.fail(str(exc), param, ctx)


def risk_model_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The HARo audit risk model: derive the confidence from three assessed risks."""
    level = RiskLevel()
    options = [
        click.option(
            "--inherent-risico",
            "--inherent-risk",
            "ihr",
            type=level,
            help="Inherent risico (IR): hoog, midden of laag. Met de twee andere risico's "
            "in plaats van --betrouwbaarheid.",
        ),
        click.option(
            "--internebeheersingsrisico",
            "--control-risk",
            "ibr",
            type=level,
            help="Internebeheersingsrisico (IBR): hoog, midden of laag.",
        ),
        click.option(
            "--cijferanalyserisico",
            "--analytical-risk",
            "car",
            type=level,
            help="Cijferanalyserisico (CAR): hoog, midden of laag.",
        ),
        click.option(
            "--risicomodel",
            "--risk-model",
            "risk_model_path",
            type=EXISTING_FILE,
            help="YAML met audit_risk en per risico de factor per niveau; standaard de HARo-tabel.",
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@stats.command(
    "plan",
    help="Bereken de steekproefomvang (kleinste n waarvan de maximale fout onder de materialiteit blijft).",
)
@click.option(
    "--materiality",
    type=NUMBER,
    required=True,
    help="Materialiteit als fractie (0,02) of, met --population-value, als bedrag in euro.",
)
@click.option(
    "--betrouwbaarheid",
    "--confidence",
    "confidence",
    type=NUMBER,
    help="Betrouwbaarheid (0,95 = 95 %); standaard 0,95, of afgeleid uit de drie risico's.",
)
@click.option(
    "--expected",
    type=NUMBER,
    default=0.0,
    show_default=True,
    help="Verwachte fouten: < 1 een percentage als fractie, >= 1 een aantal; met "
    "--population-value een bedrag in euro.",
)
@click.option("--likelihood", type=LIKELIHOOD, default="poisson", show_default=True, help="Kansmodel.")
@click.option(
    "--population-size", type=INTEGER, help="Aantal posten in de populatie (nodig voor hypergeometric)."
)
@click.option(
    "--population-value", type=str, help="Boekwaarde van de populatie in euro: plan een MUS-steekproef."
)
@click.option(
    "--mus-method",
    type=click.Choice(["stringer", "plain"]),
    default="stringer",
    show_default=True,
    help="MUS met verwachte fout: Stringer-expansie met interpolatie (IDEA) of de gewone Poisson-regel.",
)
@click.option(
    "--two-stage", is_flag=True, help="Tweestapsplan: één fout in stap 1 mag, dan een tweede gelijke stap."
)
@risk_model_options
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@_domain_errors
def plan_command(
    materiality: float,
    confidence: float | None,
    expected: float,
    likelihood: str,
    population_size: int | None,
    population_value: str | None,
    mus_method: str,
    two_stage: bool,
    ihr: str | None,
    ibr: str | None,
    car: str | None,
    risk_model_path: Path | None,
    as_json: bool,
) -> None:
    common = {"materiality", "confidence", "likelihood", "ihr", "ibr", "car", "risk_model_path", "as_json"}
    if two_stage:
        _refuse_unused(common | {"two_stage"}, "een tweestapsplan (--two-stage)")
    elif population_value is not None:
        _refuse_unused(
            common | {"population_value", "expected", "mus_method"},
            "een MUS-steekproef (daar is de boekwaarde, --population-value, de populatie)",
        )
    else:
        _refuse_unused(common | {"expected", "population_size"}, "een steekproef zonder --population-value")
    value = None if population_value is None else _decimal(population_value)
    amount = None
    if value is not None:
        amount = checks.materiality_amount(materiality, value)
        checks.check_mus_plan(value, amount, Decimal(str(expected)))
    fraction = materiality / float(value) if value is not None and materiality >= 1 else materiality
    assessment = _assess_risk(ihr, ibr, car, risk_model_path, confidence, fraction)
    conf = assessment.required_confidence if assessment else (0.95 if confidence is None else confidence)
    if two_stage:
        result = planning.plan_two_stage(materiality, conf, likelihood)
    elif value is not None:
        assert amount is not None  # set with value above
        result = planning.plan_mus(value, amount, conf, Decimal(str(expected)), likelihood, mus_method)
    else:
        result = planning.plan_sample_size(materiality, conf, expected, likelihood, population_size)
    if assessment is None:
        return _emit(result, as_json, _plan_lines(result))
    _emit(
        {**result.to_dict(), "audit_risk_model": assessment.to_dict()},
        as_json,
        _risk_lines(assessment) + _plan_lines(result),
    )


def _assess_risk(
    ihr: str | None,
    ibr: str | None,
    car: str | None,
    path: Path | None,
    confidence: float | None,
    materiality: float,
) -> audit_risk.RiskAssessment | None:
    """The HARo assessment when the three risks are given; usage errors for half a model."""
    given = [v is not None for v in (ihr, ibr, car)]
    if not any(given):
        if path is not None:
            raise click.UsageError(
                "--risicomodel hoort bij --inherent-risico, --internebeheersingsrisico "
                "en --cijferanalyserisico"
            )
        return None
    if not all(given):
        raise click.UsageError(
            "geef alle drie de risico's: --inherent-risico, --internebeheersingsrisico "
            "en --cijferanalyserisico"
        )
    if confidence is not None:
        raise click.UsageError("geef --betrouwbaarheid óf de drie risico's, niet beide")
    model = audit_risk.RiskModel.haro() if path is None else _load_risk_model(path)
    source = audit_risk.HARO_SOURCE if path is None else path.name
    return audit_risk.assess(model, str(ihr), str(ibr), str(car), materiality, source=source)


def _load_risk_model(path: Path) -> audit_risk.RiskModel:
    """A risk model from YAML: {audit_risk: 0.05, mapping: {ihr: {H: 1, M: 0.63, L: 0.4}, ...}}."""
    import yaml

    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"{path.name} is geen leesbare YAML: {exc}") from None
    if not isinstance(config, dict):
        raise click.UsageError(f"{path.name} moet audit_risk en mapping (ihr, ibr, car) bevatten")
    return audit_risk.RiskModel.from_mapping(config)


def _risk_lines(a: audit_risk.RiskAssessment) -> list[str]:
    words = {"H": "hoog", "M": "midden", "L": "laag"}
    levels = (
        f"inherent risico {words[a.ihr]}, internebeheersingsrisico {words[a.ibr]}, "
        f"cijferanalyserisico {words[a.car]}"
    )
    return [
        f"Risicomodel: {levels}; controlerisico {_pct2(a.audit_risk)} (bron: {a.source})",
        f"Afgeleide betrouwbaarheid: {_pct2(a.required_confidence)}",
        (
            f"Equivalent aantal foutloze posten: {a.equivalent_error_free_items} (bij materialiteit "
            f"{_pct2(a.materiality)}, foutloze steekproef, uniforme prior)"
        ),
    ]


def _pct2(value: float) -> str:
    return f"{value:.2%}".replace(".", ",")


def _plan_lines(plan: Any) -> list[str]:
    lines = [
        f"Steekproefomvang: {plan.n}",
        f"Methode: {plan.method} ({plan.likelihood}), betrouwbaarheid {percent(plan.confidence)}",
        f"Materialiteit: {plan.materiality:.4%}",
        f"Toegestane fouten in de steekproef: {plan.expected_errors:g}",
    ]
    if plan.n_per_stage:
        lines.append(f"Per stap: {plan.n_per_stage} posten ({plan.stages} stappen)")
    if plan.interval is not None:
        lines.append(f"Interval: {format_euro(plan.interval)}")
    return [line.replace(".", ",") if "%" in line else line for line in lines]


# --- evaluate -------------------------------------------------------------------------------------


@stats.command("evaluate", help="Evalueer een steekproef: meest waarschijnlijke fout (MWF) en maximale fout.")
@click.option(
    "--csv",
    "csv_path",
    type=EXISTING_FILE,
    help="CSV met steekproefresultaten (';' en decimale komma mag ook).",
)
@click.option("--book-column", default="boekwaarde", show_default=True, help="Kolom met de boekwaarde.")
@click.option(
    "--audit-column", default="controlewaarde", show_default=True, help="Kolom met de gecontroleerde waarde."
)
@click.option(
    "--taints",
    type=str,
    help="Tainten van de gevonden fouten, gescheiden door spaties of ';' "
    "(decimaalteken komma of punt: '0,5 0,25' of '0.5;0.25').",
)
@click.option("--n", "n", type=INTEGER, help="Steekproefomvang (standaard het aantal CSV-regels).")
@click.option("--errors", type=INTEGER, help="Aantal afwijkingen: evalueer een attribuutsteekproef.")
@click.option("--population-value", type=str, help="Boekwaarde van de populatie in euro (MUS).")
@click.option("--population-size", type=INTEGER, help="Aantal posten in de populatie (hypergeometric).")
@click.option("--materiality", type=NUMBER, help="Materialiteit: fractie (< 1) of bedrag in euro.")
@click.option(
    "--betrouwbaarheid",
    "--confidence",
    "confidence",
    type=NUMBER,
    default=0.95,
    show_default=True,
    help="Betrouwbaarheid (0,95 = 95 %).",
)
@click.option(
    "--method",
    type=click.Choice(list(evaluation.MUS_METHODS)),
    default="stringer",
    show_default=True,
    help="MUS-evaluatiemethode.",
)
@click.option(
    "--likelihood",
    type=LIKELIHOOD,
    default="binomial",
    show_default=True,
    help="Kansmodel (voor een attribuutsteekproef: binomial = Clopper-Pearson).",
)
@click.option(
    "--understatement",
    type=click.Choice(list(evaluation.UNDERSTATEMENT)),
    default="separate",
    show_default=True,
    help="Onderwaarderingen: apart, LTA- of Meikle-correctie.",
)
@click.option(
    "--key-item-errors", type=str, default="0", help="Fouten in integraal gecontroleerde posten (euro)."
)
@click.option(
    "--strata-csv",
    type=EXISTING_FILE,
    help="CSV met per stratum/regeling: naam, boekwaarde, n, fouten (som tainten); gecombineerde evaluatie.",
)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@_domain_errors
def evaluate_command(
    csv_path: Path | None,
    book_column: str,
    audit_column: str,
    taints: str | None,
    n: int | None,
    errors: int | None,
    population_value: str | None,
    population_size: int | None,
    materiality: float | None,
    confidence: float,
    method: str,
    likelihood: str,
    understatement: str,
    key_item_errors: str,
    strata_csv: Path | None,
    as_json: bool,
) -> None:
    common = {"confidence", "materiality", "as_json"}
    if strata_csv is not None:
        _refuse_unused(
            common | {"strata_csv", "likelihood"}, "een gecombineerde evaluatie over strata (--strata-csv)"
        )
        return _evaluate_strata(strata_csv, confidence, likelihood, materiality, as_json)
    if errors is not None:
        _refuse_unused(
            common | {"n", "errors", "likelihood", "population_size"}, "een attribuutsteekproef (--errors)"
        )
        return _evaluate_attribute(n, errors, confidence, likelihood, population_size, materiality, as_json)
    if population_value is None:
        raise click.UsageError("geef --population-value (MUS) of --errors (attribuutsteekproef)")
    used = common | {"population_value", "n", "method", "understatement", "key_item_errors"}
    used |= {"csv_path", "book_column", "audit_column"} if csv_path is not None else {"taints"}
    used |= {"likelihood"} if method in ("stringer", "cell") else set()
    _refuse_unused(
        used,
        f"een MUS-evaluatie met --method {method}"
        if method not in ("stringer", "cell")
        else "een MUS-evaluatie (daar is de boekwaarde, --population-value, de populatie)",
    )
    values, n = _taints(csv_path, book_column, audit_column, taints, n)
    bv = _decimal(population_value)
    mat = None if materiality is None else checks.materiality_amount(materiality, bv)
    key = _decimal(key_item_errors)
    checks.check_mus_evaluation(values, n, bv, confidence, materiality=mat, key_item_errors=key)
    result = evaluation.evaluate_mus(
        values,
        n,
        bv,
        confidence,
        materiality=mat,
        method=method,
        likelihood=likelihood,
        understatement=understatement,
        key_item_errors=key,
    )
    _emit(result, as_json, _mus_lines(result))


def _taints(
    csv_path: Path | None, book: str, audit: str, text: str | None, n: int | None
) -> tuple[list[float], int]:
    if csv_path is not None:
        rows = read_table(csv_path)
        _require_columns(rows, csv_path, (book, audit))
        values = list(
            evaluation.taints_from_values([_number(r[book]) for r in rows], [_number(r[audit]) for r in rows])
        )
        return values, n or len(rows)
    if text is None or n is None:
        raise click.UsageError("geef --csv, of --taints samen met --n")
    return [_taint(p) for p in text.replace(";", " ").split()], n


def _taint(text: str) -> float:
    """One taint of --taints: separated by spaces or ';', so that '0,5' is the Dutch 0.5 (a comma between
    taints would silently read '0,5 0,3' as 0, 5, 0, 3); '0.5,0.3' is refused, not read as 5.03."""
    if "," in text and "." in text:
        raise click.UsageError(
            f"geen geldige taint: {text!r}; scheid tainten met spaties of ';' en gebruik één "
            "decimaalteken (0,5 of 0.5)"
        )
    return _number(text)


def _evaluate_attribute(n, errors, conf, likelihood, population_size, tolerable, as_json) -> None:
    if n is None:
        raise click.UsageError("geef --n bij een attribuutsteekproef")
    checks.check_attribute_evaluation(n, errors, conf, likelihood, population_size, tolerable)
    result = evaluation.evaluate_attribute(n, errors, conf, likelihood, population_size, tolerable)
    lines = [
        f"Steekproefomvang: {n}, afwijkingen: {errors}",
        f"Afwijkingspercentage: {result.deviation_rate:.2%}".replace(".", ","),
        f"Maximaal afwijkingspercentage ({percent(conf, 0)} betrouwbaar, {likelihood}): "
        f"{result.upper_limit:.2%}".replace(".", ","),
        result.conclusion,
    ]
    _emit(result, as_json, lines)


def _evaluate_strata(
    path: Path, conf: float, likelihood: str, materiality: float | None, as_json: bool
) -> None:
    model = checks.check_likelihood(likelihood, evaluation.MODELS, "een gecombineerde evaluatie over strata")
    rows = read_table(path)
    _require_columns(rows, path, ("boekwaarde|book_value", "n"))
    strata = [
        evaluation.StratumInput(
            name=r.get("naam") or r.get("name") or str(i),
            book_value=_number(r.get("boekwaarde") or r["book_value"]),
            n=_count(r["n"]),  # type: ignore[arg-type]  # a fraction reaches check_strata, which refuses it
            errors=_number(r.get("fouten") or r.get("errors") or "0"),
            key_item_errors=_number(r.get("fout_integraal") or "0"),
        )
        for i, r in enumerate(rows, start=1)
    ]
    total = sum(s.book_value for s in strata)
    mat = None if materiality is None else checks.materiality_amount(materiality, Decimal(str(total)))
    checks.check_strata(strata, conf, mat)
    result = evaluation.evaluate_strata(strata, conf, model=model, materiality=mat)
    lines = [
        f"{s.name}: n = {s.n}, MWF {format_euro(s.most_likely_error)}, maximale fout {format_euro(s.upper_limit)}"
        for s in result.strata
    ]
    lines += [
        (
            f"Gecombineerd ({model}, convolutie): MWF {format_euro(result.most_likely_error)}, "
            f"maximale fout {format_euro(result.upper_limit)}"
        ),
        f"Ter vergelijking, som van de maximale fouten per stratum: {format_euro(result.sum_of_upper_limits)}",
        result.conclusion,
    ]
    _emit(result, as_json, lines)


def _pct(value: float) -> str:
    return f"{value:.3%}".replace(".", ",")


def _mus_lines(ev: Any) -> list[str]:
    under = (
        f"Onderwaarderingen: {ev.understatement_errors}, MWF {format_euro(ev.understatement_most_likely_error)}, "
        f"maximale fout {format_euro(ev.understatement_upper_limit)}"
    )
    return [
        f"Steekproefomvang: {ev.n}, fouten (overwaardering): {ev.errors}",
        f"Tainten: {', '.join(f'{t:.4f}' for t in ev.taints) or 'geen'}",
        f"Methode: {ev.method} ({ev.likelihood}), betrouwbaarheid {_pct(ev.confidence)}",
        f"Meest waarschijnlijke fout (MWF): {format_euro(ev.most_likely_error)} ({_pct(ev.most_likely_error_fraction)})",
        f"Maximale fout: {format_euro(ev.upper_limit)} ({_pct(ev.upper_limit_fraction)})",
        under,
        ev.conclusion,
    ]


# --- select ---------------------------------------------------------------------------------------


@stats.command(
    "select", help="Trek een steekproef uit een populatie-CSV (id-kolom en boekwaarde) met een seed."
)
@click.argument("population", metavar="POPULATIE", type=EXISTING_FILE)
@click.option("--n", "n", type=INTEGER, required=True, help="Steekproefomvang.")
@click.option("--seed", required=True, help="Seed; met dezelfde seed en populatie is de steekproef gelijk.")
@click.option("--id-column", default="id", show_default=True, help="Kolom met het post-id.")
@click.option(
    "--value-column", default="boekwaarde", show_default=True, help="Kolom met de boekwaarde (MUS)."
)
@click.option(
    "--method",
    type=click.Choice(["interval", "cell", "random", "sieve", "items"]),
    default="interval",
    show_default=True,
    help="MUS-methode, of 'items' voor een aselecte postensteekproef.",
)
@click.option(
    "--uitvoer",
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Schrijf de getrokken id's naar dit bestand.",
)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@_domain_errors
def select_command(
    population: Path,
    n: int,
    seed: str,
    id_column: str,
    value_column: str,
    method: str,
    output: Path | None,
    as_json: bool,
) -> None:
    from kic.sampling import selection

    rows = read_table(population)
    _require_columns(rows, population, (id_column,) if method == "items" else (id_column, value_column))
    ids = [r[id_column] for r in rows]
    if method == "items":
        result = selection.select_items(ids, n=n, seed=seed)
    else:
        cents = [int((_decimal(r[value_column]) * 100).to_integral_value()) for r in rows]
        result = selection.select_mus(ids, cents, seed=seed, n=n, method=method)  # type: ignore[arg-type]
    chosen = [*result.ids, *result.key_ids]
    if output is not None:
        from kic.csvexport import write_csv

        write_csv(output, ("id",), ([i] for i in chosen))  # formula-like ids stay text in Excel
    data = {
        "method": result.method,
        "seed": result.seed,
        "n": len(chosen),
        "ids": chosen,
        "key_ids": list(result.key_ids),
    }
    _emit(
        data, as_json, [f"Getrokken posten ({len(chosen)}, seed {seed}, methode {result.method}):", *chosen]
    )


# --- reading Dutch and plain CSV ------------------------------------------------------------------


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV with ';' or ',' as separator (sniffed from the header), BOM tolerated."""
    text = path.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0] if text else ""
    delimiter = ";" if header.count(";") >= header.count(",") and ";" in header else ","
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise click.UsageError(f"{path.name} bevat geen gegevensregels")
    return [{k.strip(): (v or "").strip() for k, v in row.items() if k is not None} for row in rows]


def _require_columns(rows: list[dict[str, str]], path: Path, columns: tuple[str, ...]) -> None:
    """Every column must be in the header; 'a|b' accepts either spelling."""
    header = set(rows[0])
    missing = [c.split("|")[0] for c in columns if not header & set(c.split("|"))]
    if missing:
        raise click.UsageError(f"kolom(men) ontbreken in {path.name}: {', '.join(missing)}")


def _decimal(text: str | Decimal | float) -> Decimal:
    """A finite amount from the user, or a Dutch usage error."""
    try:
        value = parse_number(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise click.UsageError(f"geen geldig getal: {text!r}")
    return value


def _number(text: str) -> float:
    return float(_decimal(text))


def _count(text: str) -> int | float:
    """A count from a CSV cell: an int when whole, else the number itself (for the check to refuse)."""
    value = _decimal(text)
    return int(value) if value == value.to_integral_value() else float(value)
