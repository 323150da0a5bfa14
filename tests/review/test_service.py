"""Reviewing a sampled item end to end: assign, draft, submit, vier-ogen, and concurrent edits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, text

from kic.controls import load_catalogue
from kic.db import session_scope
from kic.periods import parse_period
from kic.population import import_population
from kic.review.models import Review
from kic.review.service import (
    ReviewAnswersInvalid,
    ReviewError,
    ReviewInput,
    StaleReview,
    checklist_controls,
    create_reviews,
    item_frame,
    reassign,
    save_review,
    second_review,
)
from kic.samples.draw import SampleSpec, draw_sample
from kic.users.accounts import add_user, deactivate


def all_yes(session, review: Review) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    frame = item_frame(session, review)
    controls = checklist_controls(load_catalogue(), "PW-LO", frame["periode_van"].iloc[0].date())
    return {c.id: {q.id: "ja" for q in c.checklist.questions if q.type.value == "janee"} for c in controls}


def first_review(engine, **kwargs) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        review = session.scalars(select(Review).order_by(Review.id)).first()
        return review.id, review.version


def test_assignment_creates_one_open_review_per_item(population, sample_id):
    with session_scope(population) as session:
        reviews = create_reviews(session, sample_id, ["ali", "bea"], actor="teamleider", second=True)
        assert len({r.sample_item_id for r in reviews}) == len(reviews) >= 12
        assert all(r.status == "te_doen" and r.second_reviewer not in (None, r.reviewer) for r in reviews)
        with pytest.raises(ReviewError, match="al toegewezen"):
            create_reviews(session, sample_id, ["ali"], actor="teamleider")


def test_submitting_answers_judges_every_control_against_its_version(population, sample_id):
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali"], actor="teamleider")
    review_id, version = first_review(population)
    with session_scope(population) as session:
        review = session.get(Review, review_id)
        answers = all_yes(session, review)
        norm = next(cid for cid in answers if cid == "PWLO-02")
        answers[norm] = {"voldaan": "nee", "bewijs_volledig": "ja", "juist_bedrag": "0"}
        saved = save_review(
            session,
            review_id,
            ReviewInput(answers, "proces", "geen recht"),
            actor="ali",
            expected_version=version,
            submit=True,
            source="web",
        )
        book = (
            Decimal(
                str(
                    session.execute(
                        text("SELECT book_value FROM sample_item WHERE id = :i"), {"i": saved.sample_item_id}
                    ).scalar()
                )
            )
            / 100
        )
        assert (saved.status, saved.verdict, saved.error_amount) == ("afgerond", "fout", book)
        assert {c.control_id for c in saved.controls} == set(answers)
        assert all(c.content_hash and c.control_version >= 1 for c in saved.controls)
        actions = (
            session.execute(text("SELECT action FROM audit_event WHERE object_type = 'review'"))
            .scalars()
            .all()
        )
        assert actions == ["beoordeling.indienen"]


def test_incomplete_answers_are_refused_with_every_problem(population, sample_id):
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali"], actor="teamleider")
    review_id, version = first_review(population)
    with session_scope(population) as session, pytest.raises(ReviewAnswersInvalid) as caught:
        save_review(
            session,
            review_id,
            ReviewInput({"PWLO-02": {"voldaan": "ja"}, "XX-1": {}}),
            actor="ali",
            expected_version=version,
            submit=True,
            source="web",
        )
    assert caught.value.unknown == ["XX-1"] and len(caught.value.problems) > 5


def test_a_draft_keeps_answers_without_judging(population, sample_id):
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali"], actor="teamleider")
    review_id, version = first_review(population)
    with session_scope(population) as session:
        draft = save_review(
            session,
            review_id,
            ReviewInput({"PWLO-02": {"voldaan": "ja"}}),
            actor="ali",
            expected_version=version,
            submit=False,
            source="web",
        )
        assert (draft.status, draft.verdict, draft.controls[0].answers) == ("bezig", None, {"voldaan": "ja"})


def test_saving_over_someone_elses_change_is_refused(population, sample_id):
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali", "bea"], actor="teamleider")
    review_id, version = first_review(population)
    with session_scope(population) as session:
        save_review(
            session,
            review_id,
            ReviewInput({}),
            actor="ali",
            expected_version=version,
            submit=False,
            source="web",
        )
    with (
        session_scope(population) as session,
        pytest.raises(StaleReview, match="intussen gewijzigd door ali"),
    ):
        save_review(
            session,
            review_id,
            ReviewInput({}),
            actor="bea",
            expected_version=version,
            submit=False,
            source="web",
        )


def test_vier_ogen_round_agree_or_send_back(population, sample_id):
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali", "bea"], actor="teamleider", second=True)
    review_id, version = first_review(population)
    with session_scope(population) as session:
        review = session.get(Review, review_id)
        first, other = review.reviewer, review.second_reviewer
        submitted = save_review(
            session,
            review_id,
            ReviewInput(all_yes(session, review)),
            actor=first,
            expected_version=version,
            submit=True,
            source="web",
        )
        assert submitted.status == "ter_review"
        with pytest.raises(ReviewError, match="nooit de eerste"):
            second_review(
                session, review_id, actor=first, agree=True, comment=None, expected_version=submitted.version
            )
        with pytest.raises(ReviewError, match="toelichting"):
            second_review(
                session, review_id, actor=other, agree=False, comment=" ", expected_version=submitted.version
            )
        back = second_review(
            session,
            review_id,
            actor=other,
            agree=False,
            comment="bewijs ontbreekt",
            expected_version=submitted.version,
        )
        assert (back.status, back.second_comment) == ("bezig", "bewijs ontbreekt")
        again = save_review(
            session,
            review_id,
            ReviewInput(all_yes(session, review)),
            actor=first,
            expected_version=back.version,
            submit=True,
            source="web",
        )
        done = second_review(
            session, review_id, actor=other, agree=True, comment=None, expected_version=again.version
        )
        assert done.status == "afgerond"


def test_reassigning_never_gives_a_reviewer_their_own_payment(population, sample_id):
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali"], actor="teamleider")
    review_id, version = first_review(population)
    with session_scope(population) as session:
        entered = session.execute(
            text(
                "SELECT p.entered_by FROM payment p JOIN sample_item i ON i.payment_row_id = p.id "
                "JOIN review r ON r.sample_item_id = i.id WHERE r.id = :r"
            ),
            {"r": review_id},
        ).scalar()
        if entered:  # the medewerker who entered it is also a kwaliteitsmedewerker (MW17 is account mw17)
            add_user(
                session,
                username=entered,
                display_name=entered,
                role="kwaliteitsmedewerker",
                password="een-lang-wachtwoord",
                actor="beheer",
            )
            with pytest.raises(ReviewError, match="zelf ingevoerd"):
                reassign(session, review_id, entered, actor="teamleider", expected_version=version)
        moved = reassign(session, review_id, "dirk", actor="teamleider", expected_version=version)
        assert moved.reviewer == "dirk"


def test_an_item_can_be_reviewed_when_no_beschikkingen_were_imported(team, gemeente):
    with session_scope(team) as session:
        import_population(session, "betalingen", gemeente.payments_path, actor="tester")
        sample = draw_sample(session, SampleSpec("PW-LO", parse_period("2026-Q1"), n=3), seed="s", actor="t")
        review = create_reviews(session, sample.id, ["ali"], actor="teamleider")[0]
        frame = item_frame(session, review)
        assert len(frame) == 1 and frame["beschikking.ingangsdatum"].isna().all()


def test_only_an_active_kwaliteitsmedewerker_is_given_an_item_whatever_the_face(population, sample_id):
    """The rule lives in the review service, so the CLI, the web and the scheduler agree (it used to be
    checked by the web only: the CLI assigned items to names without an account)."""
    with session_scope(population) as session:
        add_user(
            session,
            username="tl",
            display_name="Teamleider",
            role="teamleider",
            password="een-lang-wachtwoord",
            actor="beheer",
        )
        with pytest.raises(ReviewError, match="geen actieve kwaliteitsmedewerker: niemand, tl"):
            create_reviews(session, sample_id, ["ali", "niemand", "tl"], actor="teamleider")
        deactivate(session, "bea", actor="beheer")
        with pytest.raises(ReviewError, match="geen actieve kwaliteitsmedewerker: bea"):
            create_reviews(session, sample_id, ["bea"], actor="teamleider")
        [review, *_] = create_reviews(session, sample_id, ["ALI "], actor="teamleider")
        assert review.reviewer == "ali", "a name is an account name: lower case"
        with pytest.raises(ReviewError, match="geen actieve kwaliteitsmedewerker: niemand"):
            reassign(session, review.id, "niemand", actor="teamleider", expected_version=review.version)


def test_only_the_assigned_reviewer_saves_an_item(population, sample_id):
    with session_scope(population) as session:
        [review, *_] = create_reviews(session, sample_id, ["ali"], actor="teamleider")
        with pytest.raises(ReviewError, match="toegewezen aan ali"):
            save_review(
                session,
                review.id,
                ReviewInput({}),
                actor="bea",
                expected_version=review.version,
                submit=False,
                source="cli",
            )
        saved = save_review(
            session,
            review.id,
            ReviewInput({}),
            actor="teamleider",
            expected_version=review.version,
            submit=False,
            source="excel",
            on_behalf_of="ali",
        )
        assert saved.reviewer == "ali" and saved.updated_by == "teamleider", "an import hands in ali's work"
