"""Every design kic lets a gemeente draw is evaluated with a bound that is a bound in money.

Hand-computed cases (docs/methodology.md §9.2): a statistical sample of payments is a monetary-unit
sample on its size measure c (the amount for MUS, the largest amount for an item sample, amount ×
weight / smallest weight for a risk-weighted sample). The Stringer bound with binomial limits
p(k) = Beta⁻¹(conf; k + 1, n − k) (Clopper–Pearson, AICPA Audit Sampling guide Table C-3), each
cumulative limit rounded up to a whole euro (IDEA / Touw & Hoogduin convention, §4), is

    UB = ⌈p(0)·M⌉ + Σ_k (⌈p(k)·M⌉ − ⌈p(k−1)·M⌉) · s_(k),   s = error / c, largest first.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest
from helpers import review_every_item
from scipy import stats
from sqlalchemy import select

from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.evaluation import evaluate_period
from kic.periods import parse_period
from kic.samples.draw import SampleSpec, draw_sample
from kic.samples.models import Sample, SampleItem
from kic.sampling import StratumInput, evaluate_strata, select_mus, stringer_bound

CATALOGUE = load_catalogue()
CENT = Decimal("0.01")


def stringer(scaled: list[float], n: int, measure: Decimal, conf: float = 0.95) -> Decimal:
    """The bound of the module docstring, computed here by hand from scipy's beta quantiles."""
    limits = [
        math.ceil(round(float(stats.beta.ppf(conf, k + 1, n - k)) * float(measure), 6))
        for k in range(len(scaled) + 1)
    ]
    upper = limits[0] + sum(
        (limits[k + 1] - limits[k]) * s for k, s in enumerate(sorted(scaled, reverse=True))
    )
    return Decimal(repr(upper)).quantize(CENT)


def draw_and_review(session, spec: SampleSpec, errors: dict[int, Decimal], seed: str = "ontwerp") -> Sample:  # type: ignore[no-untyped-def]
    """Draw, then review every item: ``errors`` maps an item's position (0-based) to what was paid too much
    (negative: too little)."""
    sample = draw_sample(session, spec, seed=seed, actor="teamleider")
    _review(session, sample, errors)
    return sample


def items_of(session, sample: Sample) -> list[SampleItem]:  # type: ignore[no-untyped-def]
    return list(
        session.scalars(
            select(SampleItem).where(SampleItem.sample_id == sample.id).order_by(SampleItem.position)
        )
    )


def test_a_risk_weighted_statistical_sample_is_extrapolated_on_amount_times_weight(population):
    spec = SampleSpec("PW-LO", parse_period("2026-Q2"), 20, "risico", "systematisch", "statistisch")
    with session_scope(population) as session:
        sample = draw_sample(session, spec, seed="ontwerp", actor="t")
        first = items_of(session, sample)[0]
        _review(session, sample, {0: Decimal(first.book_value)})  # the first sampled payment wholly wrong
        result = evaluate_period(session, "2026-Q2", catalogue=CATALOGUE)
        items = [i for i in items_of(session, sample) if not i.key_item]
        manifest = sample.manifest
    [evaluated] = result.samples
    measure = Decimal(manifest["selectie"]["omvangsmaat"]["totaal"])
    sizes = {p["betaling_id"]: Decimal(p["omvangsmaat"]) for p in manifest["posten"] if not p["sleutelpost"]}
    assert all(sizes[i.item_key] >= i.book_value for i in items), "c ≥ book value: a taint on c is at most 1"
    assert measure > evaluated.population_value - sum(
        (Decimal(p["bedrag"]) for p in manifest["posten"] if p["sleutelpost"]), Decimal(0)
    ), "M > B: wider than MUS"
    n = sum(i.hits for i in items)
    scaled = float(Decimal(first.book_value) / sizes[first.item_key])
    assert evaluated.projections["fouten"].upper_limit == stringer([scaled], n, measure)
    assert evaluated.projections["fouten"].most_likely_error == (
        Decimal(repr(scaled)) * measure / n
    ).quantize(CENT)
    assert not evaluated.rates, "a risk-weighted sample has no equal chances: no deviation rate"


def _review(session, sample: Sample, errors: dict[int, Decimal]) -> None:  # type: ignore[no-untyped-def]
    review_every_item(session, sample.id, errors, CATALOGUE)


def test_an_item_sample_of_payments_is_bounded_in_money_on_the_largest_payment(population):
    """Not the upper deviation rate × population value, which missed errors in large payments (23 %)."""
    spec = SampleSpec("PW-LO", parse_period("2026-Q2"), 10, "items", "random")
    with session_scope(population) as session:
        sample = draw_and_review(session, spec, {3: Decimal("100.00")})
        result = evaluate_period(session, "2026-Q2", catalogue=CATALOGUE)
        manifest = sample.manifest
    [evaluated] = result.samples
    largest = Decimal(manifest["posten"][0]["omvangsmaat"])
    assert all(Decimal(p["omvangsmaat"]) == largest for p in manifest["posten"])
    measure = Decimal(manifest["selectie"]["omvangsmaat"]["totaal"])
    assert measure == largest * evaluated.population_count
    fouten = evaluated.projections["fouten"]
    assert fouten.upper_limit == stringer([float(Decimal("100.00") / largest)], 10, measure)
    assert fouten.most_likely_error == (Decimal("100.00") * evaluated.population_count / 10).quantize(CENT)
    assert evaluated.rates["fouten"].deviations == 1, "the deviation rate is reported as a rate"
    assert "kies MUS" in (evaluated.note or ""), "the reader is told why the bound is wide"


def test_underpayments_are_evaluated_apart_and_never_lower_the_overpayment_limit(population):
    spec = SampleSpec("PW-LO", parse_period("2026-Q2"), 12, "mus", "interval")
    with session_scope(population) as session:
        sample = draw_and_review(session, spec, {2: Decimal("50.00"), 5: Decimal("-80.00")})
        both = evaluate_period(session, "2026-Q2", catalogue=CATALOGUE)
        apart = evaluate_period(session, "2026-Q2", catalogue=CATALOGUE, understatements="apart")
        items = items_of(session, sample)
    over, under = Decimal(items[2].book_value), Decimal(items[5].book_value)
    [b], [a] = both.samples, apart.samples
    measure = Decimal(sample.manifest["selectie"]["omvangsmaat"]["totaal"])
    n = sum(i.hits for i in items if not i.key_item)
    assert (a.projections["fouten"].found, a.understatements["fouten"].found) == (
        Decimal("50.00"),
        Decimal("80.00"),
    )
    assert a.projections["fouten"].upper_limit == stringer([float(Decimal(50) / over)], n, measure), (
        "apart: the overpayment limit as if the underpayment were not there (no LTA/Meikle netting)"
    )
    assert a.understatements["fouten"].upper_limit == stringer([float(Decimal(80) / under)], n, measure)
    assert b.projections["fouten"].found == Decimal("130.00"), "meetellen: absolute errors, not netted"
    assert b.projections["fouten"].upper_limit == stringer(
        [float(Decimal(50) / over), float(Decimal(80) / under)], n, measure
    )
    assert both.understatement_policy == "meetellen" and apart.understatement_policy == "apart"


def test_a_sample_with_every_item_wrong_is_evaluated_and_the_others_still_count(population):
    """It used to stop the whole evaluation ('het aantal fouten moet kleiner zijn dan n')."""
    with session_scope(population) as session:
        wrong = draw_sample(
            session,
            SampleSpec("PW-LO", parse_period("2026-Q2"), 3, "mus", "interval"),
            seed="alles",
            actor="t",
        )
        _review(
            session, wrong, {i: Decimal(item.book_value) for i, item in enumerate(items_of(session, wrong))}
        )
        fine = draw_sample(
            session, SampleSpec("WMO", parse_period("2026-Q2"), 5, "mus", "interval"), seed="goed", actor="t"
        )
        _review(session, fine, {})
        result = evaluate_period(session, "2026-Q2", catalogue=CATALOGUE)
    all_wrong = next(s for s in result.samples if s.sample_id == wrong.id)
    sampled_part = Decimal(wrong.manifest["selectie"]["omvangsmaat"]["totaal"])
    assert all_wrong.projections["fouten"].upper_limit >= sampled_part, "its limit is the whole stratum"
    assert result.overall is not None and result.overall.samples == 2
    assert result.overall.projections["fouten"].upper_limit >= all_wrong.projections["fouten"].upper_limit


def test_a_stratum_of_only_errors_bounds_at_its_whole_value():
    combined = evaluate_strata(
        [StratumInput("fout", 1000.0, 5, 5.0), StratumInput("goed", 1000.0, 50, 0.0)], 0.95
    )
    clean = evaluate_strata([StratumInput("goed", 1000.0, 50, 0.0)], 0.95)
    assert float(combined.upper_limit) >= 1000.0
    assert float(combined.upper_limit) == pytest.approx(1000.0 + float(clean.upper_limit), abs=1.0)


def test_interval_selection_in_hash_order_does_not_follow_a_pattern_in_the_export():
    """Every 10th payment wrong in id order, interval = 10 payments: in id order one start hits all errors
    or none, so the bound covers only when the start falls on them; in hash order it covers (§7.2)."""
    ids = [f"B{i:05d}" for i in range(1000)]
    amounts = np.full(1000, 10_000, dtype=np.int64)
    wrong = {f"B{i:05d}" for i in range(0, 1000, 10)}  # 10 % of the value
    covered = {"id": 0, "hash": 0, "mix": 0}
    for order in covered:
        for seed in range(100):
            selection = select_mus(ids, amounts, seed=seed, n=100, order=order)  # type: ignore[arg-type]
            taints = [1.0 if i in wrong else 0.0 for i in selection.ids]
            covered[order] += stringer_bound(taints, 100, 0.95) >= 0.10
    assert covered["hash"] >= 95
    assert covered["mix"] >= 95
    assert covered["id"] <= 20
