"""The expression language's budget (issue 18, item 13): nesting, literal size, text repetition and the size
of every outcome are checked by ``parse`` and ``kic controls validate`` and enforced while a run evaluates,
so that a hostile or careless rule fails in Dutch, control by control, and never takes the run (or the
memory of the machine) with it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from kic.cli import main
from kic.controls import load_catalogue
from kic.controls.engine import empty_frame, evaluate_catalogue
from kic.controls.errors import ExpressionError
from kic.controls.expressions import MAX_DEPTH, Context, evaluate, evaluate_condition, parse
from kic.controls.frame import build_frame, load_frame
from kic.controls.models import ControlRunControl
from kic.controls.run import run_controls
from kic.db import session_scope

DEEP = "-" * 995 + "1 < 0"
TEXT_TIMES_HUGE = "len('a'*999999999*999999999) > 0"
COLUMN_TIMES_HUGE = "len(medewerker * 100000000) > 0"
AMOUNT_TIMES_HUGE = "bedrag * 99999999999999999999999999 > 0"
# Within every bound on paper, beyond the budget on data: an amount of more than € 10 times 10**12.
AMOUNT_TIMES_TRILLION = "bedrag * 1000000000000 > 0"

CONTROL = """  - id: {id}
    versie: 1
    geldig_van: 2000-01-01
    categorie: test
    vraag: Houdt de regel stand?
    grondslag: verordening
    criterium: formeel
    fouttype: FORM
    automatisch:
      regel: "{rule}"
"""


@pytest.fixture
def ctx() -> Context:
    frame = pd.DataFrame(
        {
            "bedrag": pd.array([10**9, 100, None], dtype="Int64"),
            "volume": pd.array([1.5, None, 3.0], dtype="Float64"),
            "medewerker": pd.Series(["MW01", None, "MW02"], dtype=object),
        }
    )
    return Context.of_frame(frame, {"bedrag"})


@pytest.fixture
def runner(monkeypatch) -> CliRunner:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("KIC_CONTROLS_DIR", raising=False)
    return CliRunner()


def write_catalogue(folder: Path, rules: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    controls = "".join(CONTROL.format(id=cid, rule=rule.replace('"', '\\"')) for cid, rule in rules.items())
    (folder / "eigen.yaml").write_text(f"regeling: ALLE\ncontroles:\n{controls}", encoding="utf-8")
    return folder


# --- parse -------------------------------------------------------------------------------------


def test_nesting_deeper_than_the_budget_is_refused_without_recursion():
    with pytest.raises(ExpressionError, match=rf"te diep genest \(meer dan {MAX_DEPTH} niveaus\)"):
        parse(DEEP)
    with pytest.raises(ExpressionError, match="te diep genest"):
        parse("(" * 60 + "bedrag" + " + 1)" * 60)
    parse("-" * (MAX_DEPTH - 2) + "1 < 0")  # at the budget: allowed


@pytest.mark.parametrize(
    "text", [TEXT_TIMES_HUGE, "'a' * 3 == 'aaa'", "3 * 'a' == 'aaa'", "len(('ab' * 2) * 5) > 0"]
)
def test_repeating_a_written_text_is_refused(text):
    with pytest.raises(ExpressionError, match=r"tekst herhalen met \* is niet toegestaan"):
        parse(text)


@pytest.mark.parametrize(
    "text",
    [
        AMOUNT_TIMES_HUGE,
        "bedrag > 1e308",
        "bedrag < -1000000000001",
        "bedrag in [1, 1e20]",
        "volume * 1e13 > 1",
    ],
)
def test_numbers_beyond_a_trillion_are_refused(text):
    with pytest.raises(ExpressionError, match="getal te groot"):
        parse(text)


def test_numbers_within_the_bound_still_parse():
    parse("bedrag <= 1000000000000 and bedrag >= -1000000000000 and bedrag in [0.01, 2500]")


# --- evaluation ---------------------------------------------------------------------------------


def test_a_text_column_repeated_is_refused_before_it_is_built(ctx):
    with pytest.raises(ExpressionError, match=r"tekst herhalen met \* is niet toegestaan"):
        evaluate(parse(COLUMN_TIMES_HUGE), ctx)
    with pytest.raises(ExpressionError, match="tekst herhalen"):
        evaluate(parse("100000000 * medewerker"), ctx)


def test_integer_cents_that_would_wrap_around_are_refused_naming_the_part(ctx):
    # 10**9 cents times 10**12 is 10**21: numpy's int64 would silently wrap it to a small number
    with pytest.raises(ExpressionError, match=r"getal te groot: de uitkomst van 'bedrag \* 1000000000000'"):
        evaluate(parse(AMOUNT_TIMES_TRILLION), ctx)
    with pytest.raises(ExpressionError, match="getal te groot"):
        evaluate(parse("bedrag * 1000001 > 0"), ctx)  # just over 10**15 cents: exact, but beyond the budget


def test_a_float_column_never_reaches_infinity(ctx):
    with pytest.raises(ExpressionError, match="getal te groot"):
        evaluate(parse("volume * 1000000000000 * 1000000000000 * 1000000000000 > 0"), ctx)


def test_arithmetic_on_written_numbers_is_bounded_too(ctx):
    with pytest.raises(ExpressionError, match="getal te groot"):
        evaluate(parse("999999999 * 999999999 > 0"), ctx)


def test_amounts_within_the_budget_keep_exact_cents(ctx):
    data, money = evaluate(parse("bedrag * 1000 + 1"), ctx)
    assert money and data.tolist() == [10**12 + 100, 100_100, pd.NA]


def test_division_by_zero_is_missing_for_a_column_as_for_a_number(ctx):
    assert evaluate(parse("bedrag / 0"), ctx)[0].isna().all()
    assert evaluate(parse("volume / (volume - volume)"), ctx)[0].isna().all()
    assert evaluate_condition(parse("bedrag / 0 > 1"), ctx).isna().all()


def test_the_empty_frame_has_the_types_of_a_run(population):
    with session_scope(population) as session:
        real = load_frame(session)
    empty = empty_frame()
    assert set(real.columns) - {"_row", "_beschikking_gevonden"} <= set(empty.columns)
    for column in set(real.columns) & set(empty.columns):
        assert pd.api.types.is_dtype_equal(real[column].dtype, empty[column].dtype) or (
            real[column].dtype.kind == empty[column].dtype.kind == "M"
        ), column


# --- the engine and the CLI: one control fails, the others are judged -------------------------------


def test_a_control_beyond_the_budget_at_run_time_fails_alone(population, gemeente, tmp_path):
    folder = write_catalogue(
        tmp_path / "c",
        {"OK-01": "notnull(bedrag)", "GROOT-01": AMOUNT_TIMES_TRILLION, "TEKST-01": COLUMN_TIMES_HUGE},
    )
    catalogue = load_catalogue(shipped=folder)
    with session_scope(population) as session:
        summary = run_controls(session, actor="tester", catalogue=catalogue)
        failures = dict(
            session.execute(
                select(ControlRunControl.control_id, ControlRunControl.failure).where(
                    ControlRunControl.run_id == summary.run_id
                )
            ).all()
        )
    assert summary.payments == gemeente.payments
    assert summary.results == 3 * gemeente.payments
    assert failures["OK-01"] is None
    assert failures["GROOT-01"].startswith("getal te groot: de uitkomst van 'bedrag * 1000000000000'")
    assert failures["TEKST-01"] == "tekst herhalen met * is niet toegestaan"
    assert sum(r.voldoet for r in summary.per_regeling) == gemeente.payments  # OK-01 judged every payment
    assert sum(r.niet_te_beoordelen for r in summary.per_regeling) == 2 * gemeente.payments


def test_the_engine_keeps_judging_after_a_control_beyond_the_budget(tmp_path):
    from test_controls_checks import dossier, payment

    raw = pd.DataFrame([payment("B1", amount_cents=10**10), payment("B2")])
    for column in ("payment_date", "period_from", "period_to"):
        raw[column] = pd.to_datetime(raw[column])
    frame = build_frame(raw, pd.DataFrame([dossier()], columns=list(dossier())))
    catalogue = load_catalogue(
        shipped=write_catalogue(tmp_path / "c", {"A-01": "bedrag * 1000000000 > 0", "B-01": "bedrag > 0"})
    )
    evaluation = evaluate_catalogue(catalogue, frame)
    assert list(evaluation.failures) == ["A-01 v1"]
    assert "getal te groot" in evaluation.failures["A-01 v1"]
    assert len(evaluation) == 4


ISSUE_CASES = {
    "DIEP-01": (DEEP, "expressie te diep genest (meer dan 50 niveaus)"),
    "HERHAAL-01": (TEXT_TIMES_HUGE, "tekst herhalen met * is niet toegestaan"),
    "KOLOM-01": (COLUMN_TIMES_HUGE, "tekst herhalen met * is niet toegestaan"),
    "GETAL-01": (AMOUNT_TIMES_HUGE, "getal te groot: 99999999999999999999999999"),
}


def test_validate_names_each_control_and_its_problem(runner, tmp_path):
    folder = write_catalogue(tmp_path / "c", {cid: rule for cid, (rule, _) in ISSUE_CASES.items()})
    result = runner.invoke(main, ["controls", "validate", str(folder), "--alleen"])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    for cid, (_, message) in ISSUE_CASES.items():
        assert f"eigen.yaml, controle {cid}, veld automatisch.regel: {message}" in result.output


@pytest.mark.parametrize("cid", ["DIEP-01", "HERHAAL-01", "GETAL-01"])
def test_run_refuses_a_catalogue_with_a_rule_beyond_the_budget_in_dutch(runner, db, db_url, tmp_path, cid):
    rule, message = ISSUE_CASES[cid]
    folder = write_catalogue(tmp_path / "c", {cid: rule})
    result = runner.invoke(main, ["controls", "run", "--database", db_url, "--controles", str(folder)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "kic controls validate" in result.output
    assert f"controle {cid}, veld automatisch.regel: {message}" in result.output


def test_run_judges_everything_else_when_a_text_column_is_repeated(runner, population, db_url, tmp_path):
    folder = write_catalogue(tmp_path / "c", {"KOLOM-01": COLUMN_TIMES_HUGE})
    result = runner.invoke(
        main,
        ["controls", "run", "--database", db_url, "--controles", str(folder), "--gebruiker", "tester"],
    )
    assert result.exit_code == 0, result.output
    assert "Controlerun 1:" in result.output
    assert (
        "Let op: controle KOLOM-01 v1 kon niet worden uitgevoerd: tekst herhalen met * is niet toegestaan"
        in result.output
    )
