"""Property tests: monotonicity of sample sizes and bounds that never fall below the MWF."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kic.sampling import evaluate_mus, plan_sample_size, stringer_bound

likelihoods = st.sampled_from(["poisson", "binomial", "hypergeometric"])
confidences = st.floats(min_value=0.5, max_value=0.99)
materialities = st.floats(min_value=0.01, max_value=0.2)


@settings(max_examples=60, deadline=None)
@given(likelihoods, confidences, confidences, materialities)
def test_sample_size_is_monotone_in_confidence(likelihood, c1, c2, m) -> None:
    low, high = sorted((c1, c2))
    kw = {"likelihood": likelihood, "population_size": 5000 if likelihood == "hypergeometric" else None}
    assert plan_sample_size(m, low, **kw).n <= plan_sample_size(m, high, **kw).n


@settings(max_examples=60, deadline=None)
@given(likelihoods, confidences, materialities, materialities)
def test_sample_size_is_monotone_in_materiality(likelihood, conf, m1, m2) -> None:
    small, large = sorted((m1, m2))
    kw = {"likelihood": likelihood, "population_size": 5000 if likelihood == "hypergeometric" else None}
    assert plan_sample_size(large, conf, **kw).n <= plan_sample_size(small, conf, **kw).n


taints = st.lists(st.floats(min_value=-1.5, max_value=1.0).filter(lambda t: abs(t) > 1e-6), max_size=15)


@settings(max_examples=80, deadline=None)
@given(
    taints,
    st.integers(min_value=20, max_value=400),
    confidences,
    st.sampled_from(["stringer", "cell", "poisson", "binomial"]),
    st.sampled_from(["poisson", "binomial"]),
)
def test_upper_limit_is_never_below_most_likely_error(ts, n, conf, method, likelihood) -> None:
    ev = evaluate_mus(ts, n, 1_000_000, conf, method=method, likelihood=likelihood)
    assert ev.upper_limit >= ev.most_likely_error
    assert ev.understatement_upper_limit >= ev.understatement_most_likely_error


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=10),
    st.integers(min_value=20, max_value=500),
    confidences,
)
def test_stringer_fraction_is_at_least_mle(ts, n, conf) -> None:
    assert stringer_bound(ts, n, conf) >= sum(ts) / n - 1e-12
