"""Samples of beschikkingen: a plan line over aanvragen draws decisions, not payments.

The population is read here straight from the export (pandas over the CSV), not from kic, so a
mistake in kic's delimitation shows up as a difference.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.evaluation.evaluate import evaluate_period
from kic.periods import parse_period
from kic.plan_draw import draw_plan
from kic.population.models import Dossier
from kic.review.models import Review
from kic.review.queries import item_facts
from kic.review.service import (
    ReviewError,
    ReviewInput,
    create_reviews,
    item_controls,
    item_frame,
    reassign,
    save_review,
)
from kic.review.workbook import CHECKLIST, ITEMS, export_workbooks, fill_answers, import_workbook
from kic.samples.draw import SampleError, SampleSpec, draw_sample
from kic.samples.models import BESCHIKKING, Sample, SampleItem
from kic.samples.verify import verify
from kic.synth.reviewer import simulated_answers
from kic.users.accounts import add_user

CATALOGUE = load_catalogue()
Q3 = parse_period("2026-Q3")


def decisions_in(gemeente, regeling: str, start: date, end: date) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The beschikkingen of the export with a besluitdatum in [start, end], read without kic."""
    frame = pd.read_csv(
        gemeente.dossiers_path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False
    )
    decided = pd.to_datetime(frame["besluitdatum"], format="%d-%m-%Y", errors="coerce")
    return frame[
        (frame["regeling"] == regeling) & (decided >= pd.Timestamp(start)) & (decided <= pd.Timestamp(end))
    ]


def draw_decisions(engine, n: int = 4, seed: str = "aanvraag") -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        spec = SampleSpec("PW-LO", Q3, n, "items", "random", date_column="besluitdatum", unit=BESCHIKKING)
        return draw_sample(session, spec, seed=seed, actor="teamleider").id


def test_the_plan_draws_its_line_over_aanvragen_from_the_beschikkingen(population, gemeente):
    expected = decisions_in(gemeente, "PW-LO", Q3.start, Q3.end)
    assert len(expected) >= 3, "the synthetic gemeente decides on PW-LO aanvragen in every quarter"
    with session_scope(population) as session:
        outcomes = draw_plan(session, 2026, "2026-Q3", actor="teamleider", seed="plan", regeling="PW-LO")
        drawn = next(o for o in outcomes if o.part_id == "PWLO-AANVRAAG")
        assert drawn.sample is not None, drawn.skipped
        sample = drawn.sample
        items = session.scalars(select(SampleItem).where(SampleItem.sample_id == sample.id)).all()
        assert sample.unit == BESCHIKKING and sample.method == "items/random"
        assert sample.population_count == len(expected)
        assert sample.item_count == min(drawn.n, len(expected)) == len(items)
        assert {i.item_key for i in items} <= set(expected["beschikkingsnummer"])
        assert all(i.payment_row_id is None and i.dossier_row_id for i in items)
        keys = {session.get(Dossier, i.dossier_row_id).beschikking_nr for i in items}
        assert keys == {i.item_key for i in items}, "each item points at its own beschikking row"
        assert sample.manifest["steekproef"]["eenheid"] == BESCHIKKING
        assert all("beschikkingsnummer" in p for p in sample.manifest["posten"])


def test_an_accountant_reperforms_it_from_the_beschikkingen_export(population, gemeente, tmp_path):
    sample_id = draw_decisions(population)
    with session_scope(population) as session:
        manifest = session.get(Sample, sample_id).manifest
    result = verify(manifest, gemeente.dossiers_path)
    assert result.matches and result.items_checked == 4
    other = json.loads(json.dumps(manifest))
    other["steekproef"]["seed"] = "een andere seed"
    assert not verify(other, gemeente.dossiers_path).matches
    with pytest.raises(SampleError, match="niet te lezen"):
        verify(manifest, gemeente.payments_path)  # the betalingen file is not the population of this sample


def test_a_decision_sample_is_an_attribute_sample(population):
    with session_scope(population) as session, pytest.raises(SampleError, match="attribuutsteekproef"):
        draw_sample(
            session,
            SampleSpec("PW-LO", Q3, 3, "mus", "interval", date_column="besluitdatum", unit=BESCHIKKING),
            seed="x",
            actor="teamleider",
        )


def test_no_reviewer_judges_a_decision_they_made(population):
    sample_id = draw_decisions(population)
    with session_scope(population) as session:
        items = session.scalars(select(SampleItem).where(SampleItem.sample_id == sample_id)).all()
        makers = {i.id: session.get(Dossier, i.dossier_row_id).entered_by for i in items}
        for maker in sorted(
            {m for m in makers.values() if m}
        ):  # medewerkers who are also kwaliteitsmedewerker
            add_user(
                session,
                username=maker,
                display_name=maker,
                role="kwaliteitsmedewerker",
                password="een-lang-wachtwoord",
                actor="beheer",
            )
        reviews = create_reviews(
            session, sample_id, [*sorted({m for m in makers.values() if m}), "ali"], actor="teamleider"
        )
        assert all(r.reviewer != (makers[r.sample_item_id] or "").lower() for r in reviews)
        review = reviews[0]
        with pytest.raises(ReviewError, match="zelf ingevoerd"):
            reassign(
                session,
                review.id,
                makers[review.sample_item_id],
                actor="teamleider",
                expected_version=review.version,
            )


def test_decisions_are_reviewed_with_their_checklist_and_evaluated_in_numbers(population):
    sample_id = draw_decisions(population)
    with session_scope(population) as session:
        reviews = sorted(
            create_reviews(session, sample_id, ["ali", "bea"], actor="teamleider"),
            key=lambda r: r.sample_item_id,
        )
        frame = item_frame(session, reviews[0])
        dossier = session.get(Dossier, session.get(SampleItem, reviews[0].sample_item_id).dossier_row_id)
        assert frame["beschikking.besluitdatum"].iloc[0].date() == dossier.decision_date
        assert frame["periode_van"].iloc[0].date() == dossier.decision_date, (
            "the checklist valid on the decision"
        )
        payment, facts = item_facts(frame, BESCHIKKING)
        assert payment == [] and ("Beschikking", dossier.beschikking_nr) in facts
        for position, review in enumerate(reviews):
            frame = item_frame(session, review)
            controls = item_controls(CATALOGUE, frame)
            book = session.get(SampleItem, review.sample_item_id).book_value
            wrong = position == 0
            answers = simulated_answers(
                controls,
                book,
                Decimal("50.00") if wrong else Decimal("0.00"),
                "NORM_ONJUIST" if wrong else None,
            )
            save_review(
                session,
                review.id,
                ReviewInput(answers, "mens" if wrong else None),
                actor=review.reviewer,
                expected_version=review.version,
                submit=True,
                source="web",
                catalogue=CATALOGUE,
            )
        verdicts = [session.get(Review, r.id).verdict for r in reviews]
        assert verdicts == ["fout", "voldoet", "voldoet", "voldoet"]
        result = evaluate_period(session, "2026-Q3", catalogue=CATALOGUE)
    evaluated = next(s for s in result.samples if s.sample_id == sample_id)
    assert evaluated.unit == BESCHIKKING
    fouten = evaluated.rates["fouten"]
    assert (fouten.deviations, fouten.reviewed, fouten.rate) == (1, 4, 0.25)
    assert fouten.rate < fouten.upper_rate < 1
    assert evaluated.projections["fouten"].upper_limit is None, "a decision is not projected in euros"
    assert result.overall is None and not result.regelingen, "nor combined with the samples of payments"


def test_reviewing_the_whole_population_leaves_no_sampling_risk(population, gemeente):
    """When every decision is reviewed the hypergeometric upper limit is the rate found itself."""
    n = len(decisions_in(gemeente, "PW-LO", Q3.start, Q3.end))
    sample_id = draw_decisions(population, n=n, seed="alles")
    with session_scope(population) as session:
        reviews = sorted(
            create_reviews(session, sample_id, ["ali", "bea"], actor="teamleider"),
            key=lambda r: r.sample_item_id,
        )
        for position, review in enumerate(reviews):
            controls = item_controls(CATALOGUE, item_frame(session, review))
            book = session.get(SampleItem, review.sample_item_id).book_value
            answers = simulated_answers(
                controls,
                book,
                Decimal("10.00") if position == 0 else Decimal("0.00"),
                "NORM_ONJUIST" if position == 0 else None,
            )
            save_review(
                session,
                review.id,
                ReviewInput(answers, "mens" if position == 0 else None),
                actor=review.reviewer,
                expected_version=review.version,
                submit=True,
                source="web",
                catalogue=CATALOGUE,
            )
        result = evaluate_period(session, "2026-Q3", catalogue=CATALOGUE)
    rate = next(s for s in result.samples if s.sample_id == sample_id).rates["fouten"]
    assert rate.upper_rate == pytest.approx(1 / n) == pytest.approx(rate.rate)


def test_the_workbook_of_a_decision_sample_shows_the_decision_and_reads_back(population, tmp_path):
    sample_id = draw_decisions(population)
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali"], actor="teamleider")
        [path] = export_workbooks(session, sample_id, tmp_path, actor="teamleider")
    book = load_workbook(path)
    headers = [c.value for c in book[ITEMS][1]]
    assert headers[2] == "Beschikking" and "Besluitdatum" in headers and "Betaling" not in headers
    assert book[CHECKLIST].cell(1, 3).value == "Beschikking"
    with session_scope(population) as session:
        reviews = session.scalars(select(Review).where(Review.sample_id == sample_id)).all()
        answers = {
            r.id: simulated_answers(item_controls(CATALOGUE, item_frame(session, r)), Decimal(0))
            for r in reviews
        }
    fill_answers(path, answers)
    with session_scope(population) as session:
        summary = import_workbook(session, path, actor="teamleider", catalogue=CATALOGUE)
        assert len(summary.recorded) == 4
        assert {r.verdict for r in session.scalars(select(Review).where(Review.sample_id == sample_id))} == {
            "voldoet"
        }
