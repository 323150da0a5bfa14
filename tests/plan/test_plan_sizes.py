"""Sample sizes per plan line and period, against published tables and the plan's own rules."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from kic.controls.loader import load_catalogue
from kic.plan import Frequentie, Plan, plan_periods, plan_sizes, year_thresholds
from kic.plan.periods import period_positions
from kic.plan.population import Populations, empty_populations
from kic.plan.thresholds import sisa_tolerance
from kic.sampling import plan_mus


@pytest.fixture(scope="module")
def tables():  # type: ignore[no-untyped-def]
    return load_catalogue(shipped=None).tables


def make_plan(*parts: dict, year: int = 2026, **extra: object) -> Plan:
    return Plan.model_validate(
        {"jaar": year, "versie": 1, "gemeente": "Test", "onderdelen": list(parts), **extra}
    )


def line(**fields: object) -> dict:
    base = {
        "id": "PWLO-BETALING",
        "regeling": "PW-LO",
        "werkonderdeel": "betaling",
        "doel": "statistisch",
        "methode": "mus",
        "betrouwbaarheid_pct": 95,
        "frequentie": "per_kwartaal",
    }
    return {**base, **fields}


def payments(
    amounts_by_month: dict[int, list[int]], regeling: str = "PW-LO", year: int = 2026, **columns: list
) -> Populations:
    """A control frame: the amounts (euros) of each month, periode_van on the first of the month."""
    rows = [(month, euros) for month, values in amounts_by_month.items() for euros in values]
    frame = pd.DataFrame(
        {
            "betaling_id": [f"B{i:05d}" for i in range(len(rows))],
            "regeling": [regeling] * len(rows),
            "bedrag": pd.array([e * 100 for _, e in rows], dtype="Int64"),
            "periode_van": pd.to_datetime([date(year, m, 1) for m, _ in rows]),
            **columns,
        }
    )
    return Populations(frame, empty_populations().dossiers)


def sizes_for(plan: Plan, populations: Populations, tables):  # type: ignore[no-untyped-def]
    return plan_sizes(plan, populations, year_thresholds(tables, plan))


def test_mus_zero_errors_at_2_percent_and_95_percent_needs_150(tables):
    # 3.0 / 0.02 = 149.8 -> 150 (Touw & Hoogduin; AICPA MUS table, Poisson factor 3.0 at 95 %).
    pop = payments({1: [1000] * 400, 4: [1000] * 400, 7: [1000] * 400, 10: [1000] * 400})
    size = sizes_for(make_plan(line(materialiteit_pct=2.0)), pop, tables).parts[0]
    assert size.n == 150 and size.plans[0].n == 150
    assert [p.n for p in size.periods] == [38, 38, 37, 37]  # equal quarters; ties to the earlier label


def test_a_yearly_sample_is_spread_pro_rata_the_book_value(tables):
    pop = payments({1: [3000] * 300, 4: [1000] * 300, 7: [1000] * 300, 10: [1000] * 300})
    size = sizes_for(make_plan(line(materialiteit_pct=2.0, verwachte_fouten_pct=0.5)), pop, tables).parts[0]
    total_value = Decimal(6000 * 300)
    expected = plan_mus(total_value, total_value * Decimal("0.02"), 0.95, total_value * Decimal("0.005")).n
    assert size.n == expected
    q1, *rest = [p.n for p in size.periods]
    assert abs(q1 - 3 * rest[0]) <= 3 and sum(rest) + q1 == expected


def test_an_attribute_line_matches_aicpa_table_a1(tables):
    # AICPA Audit Sampling, Table A-1: 5 % tolerable rate, 0 % expected, 95 % confidence -> 59.
    pop = payments({m: [100] * 200 for m in range(1, 13)})
    plan = make_plan(line(methode="attribuut", materialiteit_pct=5.0, frequentie="maandelijks"))
    size = sizes_for(plan, pop, tables).parts[0]
    assert size.n == 59 and sum(p.n for p in size.periods) == 59
    assert min(p.n for p in size.periods) >= 4  # every month gets its share (59 / 12)


def test_materiality_defaults_to_the_goedkeuringstolerantie_of_the_year(tables):
    pop = payments({1: [1000] * 500}, year=2024)
    plan_2024 = make_plan(line(), year=2024)
    size = sizes_for(plan_2024, pop, tables).parts[0]
    assert size.materiality_pct == 1.0 and size.n == 300  # 3.0 / 0.01: fouten-tolerantie 1 % until 2024
    pop_2026 = payments({1: [1000] * 500})
    assert sizes_for(make_plan(line()), pop_2026, tables).parts[0].materiality_pct == 2.0


def test_haro_risk_levels_give_the_confidence(tables):
    # HARo reference case HARO-HHL: 1 - 0.05 / (1 x 1 x 0.25) = 80 %; Poisson: ceil(-ln 0.2 / 0.02) = 81.
    pop = payments({1: [1000] * 500})
    risks = {"inherent": "hoog", "interne_beheersing": "hoog", "cijferanalyse": "laag"}
    plan = make_plan(line(betrouwbaarheid_pct=None, risico=risks, materialiteit_pct=2.0))
    size = sizes_for(plan, pop, tables).parts[0]
    assert size.confidence == pytest.approx(0.80) and size.n == 81


def test_per_period_spread_plans_every_period_on_its_own_population(tables):
    pop = payments({1: [1000] * 500, 4: [1000] * 500, 7: [], 10: [1000] * 500})
    plan = make_plan(line(spreiding="periode", materialiteit_pct=2.0))
    size = sizes_for(plan, pop, tables).parts[0]
    assert [p.n for p in size.periods] == [150, 150, 0, 150] and len(size.plans) == 3


def test_a_size_larger_than_the_population_becomes_a_census(tables):
    pop = payments({1: [1000] * 40})
    size = sizes_for(make_plan(line(materialiteit_pct=2.0)), pop, tables).parts[0]
    assert size.n == 40 and "integrale controle" in size.notes[0]


def test_a_targeted_line_takes_its_fixed_size_per_period(tables):
    pop = payments({1: [100] * 10, 2: [100] * 2, 5: [100] * 7})
    plan = make_plan(
        line(
            doel="gericht", methode="attribuut", betrouwbaarheid_pct=None, omvang=5, frequentie="maandelijks"
        )
    )
    size = sizes_for(plan, pop, tables).parts[0]
    assert [p.n for p in size.periods][:5] == [5, 2, 0, 0, 5] and size.confidence is None


def test_the_filter_and_the_regeling_narrow_the_population(tables):
    pop = payments(
        {1: [500, 2000, 3000, -100]}, handmatig=pd.array([True, None, True, False], dtype="boolean")
    )
    plan = make_plan(
        line(
            populatie={"filter": "handmatig and bedrag > 1000"},
            doel="gericht",
            betrouwbaarheid_pct=None,
            omvang=9,
            methode="attribuut",
        )
    )
    size = sizes_for(plan, pop, tables).parts[0]
    assert size.count == 1 and size.value_cents == 300_000  # missing (None) counts as outside
    other = make_plan(line(regeling="WMO", id="WMO-BETALING"))
    assert sizes_for(other, pop, tables).parts[0].n == 0


def test_fewer_items_than_weeks_leaves_some_weeks_without_an_item(tables):
    pop = payments({m: [1000] * 3 for m in range(1, 13)})
    plan = make_plan(
        line(
            methode="risicogewogen",
            doel="gericht",
            betrouwbaarheid_pct=None,
            omvang=6,
            spreiding="jaar",
            frequentie="wekelijks",
        )
    )
    size = sizes_for(plan, pop, tables).parts[0]
    assert size.n == 6 and sum(1 for p in size.periods if p.n) == 6 and "niet elke periode" in size.notes[0]


def test_an_empty_population_gives_zero_without_a_problem(tables):
    sizes = sizes_for(make_plan(line()), empty_populations(), tables)
    assert (
        sizes.parts[0].n == 0
        and not sizes.problems
        and sizes.parts[0].notes == ("geen populatie in dit jaar",)
    )


def test_an_impossible_plan_is_a_problem_not_a_crash(tables):
    pop = payments({1: [1000] * 500})
    plan = make_plan(line(methode="attribuut", materialiteit_pct=1.0, verwachte_fouten_pct=0.99))
    sizes = sizes_for(plan, pop, tables)
    assert sizes.parts[0].n == 0 and sizes.problems and "PWLO-BETALING" in sizes.problems[0]


@pytest.mark.parametrize("frequency", list(Frequentie))
@pytest.mark.parametrize("year", [2021, 2025, 2026, 2027])
def test_the_periods_cover_every_day_of_the_year_once(frequency, year):
    periods = plan_periods(year, frequency)
    days = np.arange(np.datetime64(f"{year}-01-01"), np.datetime64(f"{year + 1}-01-01"))
    positions = period_positions(days, periods)
    assert (positions >= 0).all() and (np.diff(positions) >= 0).all()
    assert periods[0].start == date(year, 1, 1) and periods[-1].end == date(year, 12, 31)
    assert all(b.start - a.end == timedelta(days=1) for a, b in itertools.pairwise(periods))
    assert len({p.label for p in periods}) == len(periods)


def test_weeks_carry_iso_labels():
    weeks = plan_periods(2026, Frequentie.WEKELIJKS)
    assert weeks[0].label == "2026-W01" and weeks[0].start == date(2026, 1, 1)
    assert weeks[1].start == date(2026, 1, 5) and weeks[1].label == "2026-W02"
    assert plan_periods(2021, Frequentie.WEKELIJKS)[0].label == "2021-W00"  # 1-3 Jan 2021 lie in 2020-W53


def test_thresholds_of_the_year_and_the_gemeentes_limits(tables):
    plan = make_plan(
        line(),
        totale_lasten="1000000.00",
        verantwoordingsgrens={"percentage": 1.0},
        rapportagegrens={"bedrag": "25000.00"},
    )
    t = year_thresholds(tables, plan)
    assert (t.approval_combined_pct, t.default_materiality_pct) == (2.0, 2.0)
    assert t.limit_amount(t.accountability_limit) == Decimal("10000.00")
    assert t.limit_amount(t.reporting_limit) == Decimal("25000.00")
    old = year_thresholds(tables, make_plan(line(), year=2024))
    assert (old.approval_errors_pct, old.approval_uncertainties_pct, old.approval_combined_pct) == (
        1.0,
        3.0,
        None,
    )


@pytest.mark.parametrize(
    ("costs", "tolerance"),
    [
        ("100000", "12500"),
        ("125000", "12500"),
        ("500000", "50000.00"),
        ("2000000", "125000"),
    ],
)
def test_sisa_reporting_tolerance_follows_the_bands_of_the_table(tables, costs, tolerance):
    t = year_thresholds(tables, make_plan(line()))
    assert sisa_tolerance(t, Decimal(costs)) == Decimal(tolerance)


def test_a_statistical_risk_weighted_line_is_planned_as_mus_on_amount_times_weight(tables):
    """Evaluated as MUS on c = b·w/w_min (docs/methodology.md §9.2), so planned on M = Σ b·w / w_min:
    half the value at weight 3 and half at weight 1 gives M = 2·B, and the zero-error size doubles
    (3.0 / 0.02 = 150 for MUS at 95 % and 2 %, Touw & Hoogduin; here 3.0 · 2 / 0.02 = 300)."""
    pop = payments({1: [1000] * 400, 4: [1000] * 400, 7: [1000] * 400, 10: [1000] * 400})
    weighted = Populations(pop.payments, pop.dossiers, np.where(np.arange(1600) % 2 == 0, 3.0, 1.0))
    plan = make_plan(line(methode="risicogewogen", selectie="systematisch", materialiteit_pct=2.0))
    size = sizes_for(plan, weighted, tables).parts[0]
    assert size.n == 300 and size.problem is None
    unweighted = Populations(pop.payments, pop.dossiers, np.ones(1600))
    assert sizes_for(plan, unweighted, tables).parts[0].n == 150, "all weights equal: exactly MUS"
    assert "risicogewichten" in sizes_for(plan, pop, tables).problems[0], "no weights: a problem, not a guess"


def test_a_two_stage_line_is_planned_at_half_the_risk(tables):
    """Each look of a two-stage sample is evaluated at 1 − α/2 (§9.2): 97.5 % gives the Poisson factor
    3.689 (= −ln 0.025), so 3.689 / 0.02 = 184.4 → 185 instead of 150."""
    pop = payments({1: [1000] * 400, 4: [1000] * 400, 7: [1000] * 400, 10: [1000] * 400})
    size = sizes_for(make_plan(line(materialiteit_pct=2.0, uitbreidbaar=True)), pop, tables).parts[0]
    assert size.confidence == pytest.approx(0.975) and size.n == 185
    with pytest.raises(ValueError, match="uitbreidbaar"):
        make_plan(line(doel="gericht", betrouwbaarheid_pct=None, omvang=5, uitbreidbaar=True))
