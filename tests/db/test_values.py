"""Text a database cannot hold (a NUL character, more than the column's length) is refused with the field
named, before anything is written, the same on SQLite and PostgreSQL (issue 18, item 12).

Without kic.db.values PostgreSQL answers a NUL with a driver error (an HTTP 500 in the web) and SQLite
stores the text cut off at the NUL; a value too long fails on PostgreSQL and is stored whole on SQLite."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, String, func, insert, inspect, select
from sqlalchemy.orm import Session

import kic.tables  # every mapped class
from kic.audit import AuditEvent
from kic.db import Base, session_scope
from kic.db.values import ValueRefused
from kic.findings.agenda import NewAction, add_action, set_status
from kic.findings.models import ImprovementAction
from kic.periods import parse_period
from kic.review.evidence import add_reference
from kic.review.models import Review, ReviewEvidence
from kic.review.service import ReviewInput, create_reviews, save_review
from kic.samples.draw import SampleSpec, draw_sample
from kic.users.accounts import add_user, find_user
from kic.users.models import User

HOSTILE = "voor\x00na"
PASSWORD = "een-lang-genoeg-wachtwoord-2026"
ACTION = NewAction("Werkinstructie bijwerken", "teamleider", date(2026, 12, 31))


def _count(engine: Engine, table: type) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def _refused(engine: Engine, change) -> ValueRefused:  # type: ignore[no-untyped-def]
    """Run ``change(session)`` in one unit of work; it must be refused, with nothing written."""
    events = _count(engine, AuditEvent)
    with pytest.raises(ValueRefused) as caught, session_scope(engine) as session:
        change(session)
    assert _count(engine, AuditEvent) == events, "nothing written, not even the audit trail"
    return caught.value


@pytest.mark.parametrize(
    ("title", "owner", "field", "reason"),
    [
        (HOSTILE, "teamleider", "improvement_action.title", "NUL-teken"),
        ("Werkinstructie", HOSTILE, "improvement_action.owner", "NUL-teken"),
        (
            "x" * 100_000,
            "teamleider",
            "improvement_action.title",
            "100.000 tekens lang; er passen er ten hoogste 200",
        ),
        ("Werk\ud800instructie", "teamleider", "improvement_action.title", "ongeldig teken (U+D800"),
    ],
)
def test_an_agenda_action_with_a_nul_or_too_long_text_is_refused_with_the_field_named(
    db, title, owner, field, reason
):
    error = _refused(
        db, lambda s: add_action(s, NewAction(title, owner, date(2026, 12, 31)), actor="teamleider")
    )
    assert list(error.by_field) == [field], "the audit event repeating the text is not named twice"
    assert reason in error.by_field[field][0] and reason in str(error)
    assert str(error).startswith("niet opgeslagen: ") and "verbeteractie" in str(error), "a Dutch label"
    assert _count(db, ImprovementAction) == 0


def test_a_change_to_an_existing_row_is_refused_and_the_row_keeps_its_value(db):
    with session_scope(db) as session:
        action_id = add_action(session, ACTION, actor="teamleider").id
    error = _refused(
        db, lambda s: set_status(s, action_id, "vervallen", decision=f"besluit {HOSTILE}", actor="teamleider")
    )
    assert list(error.by_field) == ["improvement_action.closing_decision"]

    def rename(session: Session) -> None:
        session.get(ImprovementAction, action_id).title = "t" * 201

    assert list(_refused(db, rename).by_field) == ["improvement_action.title"]
    with session_scope(db) as session:
        action = session.get(ImprovementAction, action_id)
        assert (action.title, action.status, action.closing_decision) == (ACTION.title, "open", None)


def test_a_user_whose_display_name_holds_a_nul_or_is_too_long_is_not_added(db):
    for name, reason in (
        (HOSTILE, "NUL-teken"),
        ("n" * 201, "201 tekens lang; er passen er ten hoogste 200"),
    ):
        error = _refused(
            db,
            lambda s, name=name: add_user(
                s, username="nieuw", display_name=name, role="teamleider", password=PASSWORD, actor="beheer"
            ),
        )
        assert error.by_field == {
            "user_account.display_name": [error.by_field["user_account.display_name"][0]]
        }
        assert reason in str(error) and "naam van de gebruiker" in str(error)
    assert _count(db, User) == 0


def test_a_lookup_with_a_nul_is_refused_on_both_databases_not_a_driver_error(db):
    with session_scope(db) as session:
        with pytest.raises(ValueRefused) as caught:
            find_user(session, "beheer\x00")
        assert "gebruikersnaam (user_account.username)" in str(caught.value)
        assert str(caught.value).startswith("niet uitgevoerd: ")


def test_a_statement_outside_the_orm_is_refused_too(db):
    def core_insert(session: Session) -> None:
        session.execute(
            insert(AuditEvent).values(
                actor=HOSTILE, action="test", object_type="test", occurred_at=func.now()
            )
        )

    error = _refused(db, core_insert)
    assert "audit_event.actor" in error.by_field


def test_a_nul_inside_json_is_refused(db):
    def linked(session: Session) -> None:
        action = add_action(session, ACTION, actor="teamleider")
        action.control_ids = ["PW-LO-01", HOSTILE]

    error = _refused(db, linked)
    assert list(error.by_field) == ["improvement_action.control_ids"]
    assert _count(db, ImprovementAction) == 0


def test_every_text_column_of_every_mapped_class_is_checked_before_any_sql(db):
    """For each String/Text column of each table: an object with a NUL there (and, for a column with a
    length, one with a character too many) is refused by its field name, whatever else it lacks."""
    checked = 0
    with Session(db) as session:
        for mapper in Base.registry.mappers:
            for prop in mapper.column_attrs:
                column = prop.columns[0]
                if not isinstance(column.type, String):
                    continue
                values = [HOSTILE] + (["x" * (column.type.length + 1)] if column.type.length else [])
                for value in values:
                    instance = mapper.class_()
                    setattr(instance, prop.key, value)
                    session.add(instance)
                    with pytest.raises(ValueRefused) as caught:
                        session.flush()
                    assert f"{column.table.name}.{column.name}" in caught.value.by_field
                    session.expunge(instance)
                    checked += 1
    assert checked > 100 and {m.local_table.name for m in Base.registry.mappers} >= set(
        kic.tables.metadata.tables
    ) - {"kic_lock"}


@pytest.fixture
def review_id(population) -> int:  # type: ignore[no-untyped-def]
    with session_scope(population) as session:
        sample = draw_sample(
            session, SampleSpec("PW-LO", parse_period("2026-Q2"), n=1), seed="nul", actor="teamleider"
        )
        [review] = create_reviews(session, sample.id, ["ali"], actor="teamleider")
        return review.id


def test_a_review_toelichting_or_evidence_reference_with_a_nul_is_refused(population, review_id):
    def explain(session: Session) -> None:
        review = session.get(Review, review_id)
        save_review(
            session,
            review_id,
            ReviewInput({}, None, f"zie dossier {HOSTILE}"),
            actor="ali",
            expected_version=review.version,
            submit=False,
            source="web",
        )

    error = _refused(population, explain)
    assert list(error.by_field) == ["review.explanation"] and "toelichting" in str(error)
    error = _refused(population, lambda s: add_reference(s, review_id, HOSTILE, actor="ali"))
    assert list(error.by_field) == ["review_evidence.reference"]
    with session_scope(population) as session:
        assert session.get(Review, review_id).explanation is None
        assert session.scalar(select(func.count()).select_from(ReviewEvidence)) == 0
        assert inspect(session.get(Review, review_id)).persistent
