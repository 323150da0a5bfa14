"""The gemeente of a sample: drawn for one gemeente, or in an installation of one gemeente hers, before and
after she is registered, so that a single-gemeente database that becomes a region loses nothing."""

from __future__ import annotations

import pytest

from kic.db import session_scope
from kic.evaluation import evaluate_period
from kic.periods import parse_period
from kic.population import import_population
from kic.population.gemeenten import register_gemeente
from kic.samples.draw import SampleSpec, draw_sample
from kic.samples.models import Sample
from kic.synth import generate
from kic.users import add_user, find_user, user_scope

SPEC = SampleSpec("PW-LO", parse_period("2026-Q2"), n=10)


@pytest.fixture(scope="module")
def gemeente(tmp_path_factory):  # type: ignore[no-untyped-def]
    return generate(tmp_path_factory.mktemp("een"), payments=1_500, seed=31)


def test_a_single_gemeentes_samples_are_hers_before_and_after_she_is_registered(db, gemeente):
    with session_scope(db) as session:
        import_population(session, "betalingen", gemeente.payments_path, actor="tester")
        before = draw_sample(session, SPEC, seed="voor", actor="tester").id
    with session_scope(db) as session:
        done = register_gemeente(session, "GM0363", "Amsterdam", actor="beheerder")
        assert done.taken_over["steekproeven"] == 1
        assert session.get(Sample, before).gemeente == "GM0363", "the sample of her rows is hers"
        # a redraw in the installation of one gemeente finds the earlier sample and replaces it
        again = draw_sample(session, SPEC, seed="opnieuw", actor="tester", redraw_reason="test")
        assert (again.gemeente, again.replaces_id) == ("GM0363", before)
        assert again.manifest["steekproef"]["gemeente"] is None, "the manifest keeps what the draw was asked"
        current = again.id
    with session_scope(db) as session:
        register_gemeente(session, "GM0599", "Rotterdam", actor="beheerder")
        add_user(
            session,
            username="accountant-amsterdam",
            display_name="A",
            role="accountant",
            password="een-lang-wachtwoord",
            gemeenten=["GM0363"],
            actor="beheerder",
        )
        # a region now: her samples of before stay hers, in her evaluation and in her accountant's view
        result = evaluate_period(session, "2026-Q2", gemeente="GM0363")
        assert [s.sample_id for s in result.samples] == [current]
        scope = user_scope(session, find_user(session, "accountant-amsterdam"))
        assert not scope.whole and scope.allows(session.get(Sample, current).gemeente)
