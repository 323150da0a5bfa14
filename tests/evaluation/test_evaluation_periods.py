"""Which tolerance applies to which kind of error, and which periods can be evaluated."""

from __future__ import annotations

from decimal import Decimal

from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.evaluation import Projection, Tolerances, evaluable_periods, tolerances_for
from kic.periods import parse_period
from kic.samples.draw import SampleSpec, draw_sample

ZERO = Decimal("0.00")
KINDS = ("fouten", "onzekerheden", "totaal")


def test_from_2025_only_fouten_and_onzekerheden_together_have_a_tolerance():
    """Bado as amended in Stb. 2025, 99: 2 % for both together (controls/tabellen/toleranties.yaml)."""
    tolerances = tolerances_for(load_catalogue(), 2026)
    assert [tolerances.pct_for(kind) for kind in KINDS] == [None, None, 2.0]


def test_until_2024_fouten_and_onzekerheden_each_have_their_own_tolerance():
    """Bado art. 2 (2003): 1 % fouten, 3 % onzekerheden."""
    tolerances = tolerances_for(load_catalogue(), 2024)
    assert [tolerances.pct_for(kind) for kind in KINDS] == [1.0, 3.0, None]


def test_the_upper_limit_is_held_against_the_tolerance_of_its_kind():
    tolerances, value = Tolerances(2026, 2.0, None, None), Decimal("100000.00")
    assert tolerances.exceeded("totaal", Projection(ZERO, 0, ZERO, Decimal("2000.00")), value) is False
    assert tolerances.exceeded("totaal", Projection(ZERO, 0, ZERO, Decimal("2000.01")), value) is True
    assert tolerances.exceeded("fouten", Projection(ZERO, 0, ZERO, Decimal("9000.00")), value) is None
    assert tolerances.exceeded("totaal", Projection(ZERO, 0, ZERO, None), value) is None  # gericht


def test_the_years_and_quarters_with_samples_can_be_evaluated(population):
    with session_scope(population) as session:
        for label in ("2026-Q2", "2026-07"):
            draw_sample(session, SampleSpec("PW-LO", parse_period(label), n=5), seed="p", actor="kim")
        assert evaluable_periods(session) == ["2026", "2026-Q3", "2026-Q2"]
