"""Extending a sample after errors were found: a new, linked draw with its own seed, evaluated with it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from kic.audit import AuditEvent
from kic.cli import main
from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.evaluation.evaluate import evaluate_period
from kic.periods import parse_period
from kic.review.models import Review
from kic.review.service import ReviewInput, item_controls, item_frame, save_review
from kic.samples.draw import SampleError, SampleSpec, draw_sample, extend_sample
from kic.samples.models import Sample, SampleItem
from kic.samples.verify import verify
from kic.sampling import evaluate_attribute, evaluate_mus
from kic.synth.reviewer import simulated_answers

CATALOGUE = load_catalogue()


def draw(engine, method: str = "items", selection: str = "random", n: int = 5) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return draw_sample(
            session,
            SampleSpec("PW-LO", parse_period("2026-Q2"), n, method, selection, two_stage=True),
            seed="basis",
            actor="teamleider",
        ).id


def run(engine, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        main, [*args, "--database", engine.url.render_as_string(hide_password=False)], catch_exceptions=False
    )


def keys(session, sample_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(SampleItem.item_key).where(SampleItem.sample_id == sample_id)))


@pytest.mark.parametrize(("method", "selection"), [("items", "random"), ("mus", "interval")])
def test_an_extension_is_a_linked_draw_of_new_items_that_an_accountant_can_reperform(
    population, gemeente, method, selection
):
    base_id = draw(population, method, selection)
    result = run(
        population,
        "sample",
        "extend",
        str(base_id),
        "--n",
        "4",
        "--reden",
        "2 fouten gevonden",
        "--seed",
        "erbij",
        "--beoordelaar",
        "ali",
        "--beoordelaar",
        "bea",
    )
    assert result.exit_code == 0, result.output
    assert f"uitbreiding van steekproef {base_id}" in result.output
    with session_scope(population) as session:
        base = session.get(Sample, base_id)
        extension = session.scalars(select(Sample).where(Sample.extends_id == base_id)).one()
        assert (extension.seed, extension.reason, extension.item_count) == ("erbij", "2 fouten gevonden", 4)
        assert extension.population_sha256 == base.population_sha256, "the same frozen population"
        assert not set(keys(session, base_id)) & set(keys(session, extension.id)), (
            "only items not drawn before"
        )
        assert {
            r.reviewer for r in session.scalars(select(Review).where(Review.sample_id == extension.id))
        } <= {"ali", "bea"}
        [event] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "steekproef.uitbreiden")
        ).all()
        assert event.note == "2 fouten gevonden"
        manifest = extension.manifest
    assert manifest["uitbreiding"]["van_steekproef"] == base_id
    assert verify(manifest, gemeente.payments_path).matches
    manifest["uitbreiding"]["eerder_getrokken"].append(manifest["posten"][0]["betaling_id"])
    assert not verify(manifest, gemeente.payments_path).matches, (
        "the items drawn before are part of the recipe"
    )


def test_the_sample_and_its_extension_are_evaluated_as_one(population):
    base_id = draw(population)
    with session_scope(population) as session:
        extension = extend_sample(session, base_id, 4, seed="erbij", actor="teamleider", reason="fouten")
        items = session.scalars(
            select(SampleItem)
            .where(SampleItem.sample_id.in_((base_id, extension.id)))
            .order_by(SampleItem.id)
        ).all()
        for position, item in enumerate(items):
            review = Review(
                sample_id=item.sample_id,
                sample_item_id=item.id,
                item_key=item.item_key,
                reviewer="ali",
                status="te_doen",
                error_amount=Decimal("0.00"),
                uncertain_amount=Decimal("0.00"),
                formal_findings=0,
            )
            session.add(review)
            session.flush()
            wrong = position in (1, 6)  # one error in the sample, one in the extension
            answers = simulated_answers(
                item_controls(CATALOGUE, item_frame(session, review)),
                item.book_value,
                Decimal("25.00") if wrong else Decimal("0.00"),
                "NORM_ONJUIST" if wrong else None,
            )
            save_review(
                session,
                review.id,
                ReviewInput(answers, "mens" if wrong else None),
                actor="ali",
                expected_version=review.version,
                submit=True,
                source="web",
                catalogue=CATALOGUE,
            )
        result = evaluate_period(session, "2026-Q2", catalogue=CATALOGUE)
        population_count = session.get(Sample, base_id).population_count
        evaluated_manifest = session.get(Sample, base_id).manifest
    assert [s.sample_id for s in result.samples] == [base_id], "the extension is no sample of its own"
    [evaluated] = result.samples
    assert (evaluated.items, evaluated.reviewed, evaluated.extensions) == (9, 9, (extension.id,))
    assert evaluated.two_stage and evaluated.confidence == pytest.approx(0.975), "each look at half the risk"
    expected = evaluate_attribute(9, 2, 0.975, population_size=population_count, method="hypergeometric")
    assert evaluated.rates["fouten"].upper_rate == pytest.approx(expected.upper_limit)
    fouten = evaluated.projections["fouten"]
    assert fouten.items_with_error == 2
    # In euros: a monetary-unit sample on the largest payment of the population (docs/methodology.md §9.2).
    measure = Decimal(evaluated_manifest["selectie"]["omvangsmaat"]["totaal"])
    largest = Decimal(evaluated_manifest["posten"][0]["omvangsmaat"])
    money = evaluate_mus([float(Decimal("25.00") / largest)] * 2, 9, measure, 0.975)
    assert fouten.upper_limit == money.upper_limit
    assert measure == largest * population_count


def test_only_a_two_stage_sample_is_extended_and_only_once(population):
    with session_scope(population) as session:
        plain = draw_sample(
            session,
            SampleSpec("PW-LO", parse_period("2026-Q3"), 3, "items", "random"),
            seed="basis",
            actor="teamleider",
        ).id
        with pytest.raises(SampleError, match="niet als tweetrapssteekproef"):
            extend_sample(session, plain, 2, seed="a", actor="t", reason="fouten")
    base_id = draw(population, n=3)
    with session_scope(population) as session:
        extend_sample(session, base_id, 2, seed="a", actor="t", reason="fouten")
        with pytest.raises(SampleError, match="al uitgebreid"):
            extend_sample(session, base_id, 2, seed="b", actor="t", reason="fouten")


def test_what_cannot_be_extended_is_refused(population):
    base_id = draw(population, n=3)
    with session_scope(population) as session:
        with pytest.raises(SampleError, match="reden"):
            extend_sample(session, base_id, 2, seed="b", actor="t", reason=" ")
        size = session.get(Sample, base_id).population_count
        with pytest.raises(SampleError, match=f"nog {size - 3} posten over"):
            extend_sample(session, base_id, size, seed="b", actor="t", reason="fouten")
        extension = extend_sample(session, base_id, 2, seed="a", actor="t", reason="fouten")
        with pytest.raises(SampleError, match="zelf een uitbreiding"):
            extend_sample(session, extension.id, 2, seed="b", actor="t", reason="fouten")
        with pytest.raises(SampleError, match="bestaat niet"):
            extend_sample(session, 999, 2, seed="b", actor="t", reason="fouten")


@pytest.mark.parametrize("four_eyes", [True, False])
def test_an_extension_gets_the_vier_ogen_of_its_original(population, four_eyes):
    """The use case, not a face, decides (kic.plan_draw.extend_and_assign): CLI and web agree."""
    from helpers import ensure_team

    from kic.plan_draw import extend_and_assign
    from kic.review.service import create_reviews

    base_id = draw(population)
    with session_scope(population) as session:
        ensure_team(session)
        create_reviews(session, base_id, ["ali", "bea"], actor="teamleider", second=four_eyes)
        extension = extend_and_assign(
            session, base_id, 4, seed="erbij", actor="teamleider", reason="fouten", reviewers=["ali", "bea"]
        )
        reviews = session.scalars(select(Review).where(Review.sample_id == extension.id)).all()
    assert len(reviews) == 4
    assert all((r.second_reviewer is not None) == four_eyes for r in reviews)
