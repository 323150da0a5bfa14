from datetime import date
from decimal import Decimal

import pytest
from reviewed import reviewed_sample
from sqlalchemy import select

from kic.audit import AuditEvent
from kic.db import session_scope
from kic.findings.agenda import (
    AgendaError,
    NewAction,
    add_action,
    agenda_order,
    history,
    linked_findings,
    list_actions,
    overdue,
    owners,
    remeasurement,
    set_status,
)
from kic.findings.bevindingen import findings


def _action(session, review_ids, *, quarter="2026-Q3", deadline=date(2026, 9, 30)):  # type: ignore[no-untyped-def]
    control = findings(session)[0].control_id
    return add_action(
        session,
        NewAction(
            "Kostendelersnorm toetsen",
            "teamleider inkomen",
            deadline,
            control_ids=(control,),
            review_ids=tuple(review_ids),
            remeasure_control=control,
            remeasure_quarter=quarter,
        ),
        actor="kim",
    )


def test_gereed_after_a_hermeting_with_fewer_errors(population):
    ids = reviewed_sample(population, "2026-Q2", {0: Decimal("40.00"), 1: Decimal("12.00")})
    reviewed_sample(population, "2026-Q3", {0: Decimal("5.00")})
    with session_scope(population) as session:
        action = _action(session, ids[:2])
        assert action.findings_quarter == "2026-Q2"
        result = remeasurement(session, action)
        assert (result.before, result.after, result.improved) == (2, 1, True)
        set_status(session, action.id, "gereed", actor="kim")
        assert action.status == "gereed"


def test_gereed_refused_without_improvement_unless_decided(population):
    ids = reviewed_sample(population, "2026-Q2", {0: Decimal("40.00")})
    reviewed_sample(population, "2026-Q3", {0: Decimal("5.00"), 2: Decimal("9.00")})
    with session_scope(population) as session:
        action = _action(session, ids[:1])
        with pytest.raises(AgendaError, match="geen verbetering"):
            set_status(session, action.id, "gereed", actor="kim")
        set_status(session, action.id, "gereed", actor="kim", decision="Wetswijziging: norm vervalt per 2027")
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.object_type == "improvement_action").order_by(AuditEvent.id)
        ).all()
    assert [e.action for e in events] == ["verbeteractie.aanmaken", "verbeteractie.status"]
    assert events[-1].note == "Wetswijziging: norm vervalt per 2027"
    assert events[-1].before["status"] == "open" and events[-1].after["status"] == "gereed"


def test_gereed_refused_while_the_hermeting_quarter_is_not_reviewed(population):
    ids = reviewed_sample(population, "2026-Q2", {0: Decimal("40.00")})
    with session_scope(population) as session:
        action = _action(session, ids[:1])
        with pytest.raises(AgendaError, match="nog niet uitgevoerd"):
            set_status(session, action.id, "gereed", actor="kim")


def test_invalid_action_reports_every_problem(population):
    with session_scope(population) as session, pytest.raises(AgendaError) as caught:
        add_action(
            session,
            NewAction(
                " ", "", date(2026, 1, 1), priority="urgent", review_ids=(999,), remeasure_quarter="2026-07"
            ),
            actor="kim",
        )
    message = str(caught.value)
    for part in (
        "titel is leeg",
        "eigenaar is leeg",
        "prioriteit 'urgent'",
        "geen kwartaal",
        "zowel de controle",
        "beoordeling 999 bestaat niet",
    ):
        assert part in message


def test_overdue_lists_open_actions_past_their_deadline_first(population):
    ids = reviewed_sample(population, "2026-Q2", {0: Decimal("40.00")})
    with session_scope(population) as session:
        late = _action(session, ids, deadline=date(2026, 5, 1))
        later = _action(session, ids, deadline=date(2026, 12, 1))
        closed = _action(session, ids, deadline=date(2026, 4, 1))
        set_status(session, closed.id, "vervallen", actor="kim", decision="dubbel")
        assert [a.id for a in overdue(session, date(2026, 6, 1))] == [late.id]
        ordered = agenda_order([closed, later, late], date(2026, 6, 1))
    assert [a.id for a in ordered] == [late.id, later.id, closed.id]


def test_problems_are_reported_beside_their_input(population):
    with session_scope(population) as session, pytest.raises(AgendaError) as caught:
        add_action(
            session,
            NewAction("", " ", None, priority="urgent", review_ids=(999,), remeasure_control="ALG-04"),
            actor="kim",
        )
    assert set(caught.value.by_field) == {
        "titel",
        "eigenaar",
        "deadline",
        "prioriteit",
        "hermeting_kwartaal",
        "beoordelingen",
    }
    assert caught.value.by_field["hermeting_kwartaal"] == [
        "geef bij een hermeting zowel de controle als het kwartaal"
    ]
    with session_scope(population) as session:
        action = add_action(session, NewAction("X", "Y", date(2026, 12, 1)), actor="kim")
        with pytest.raises(AgendaError) as stale:
            set_status(session, action.id, "in_uitvoering", actor="kim", expected_version=action.version + 1)
        assert stale.value.by_field == {
            "versie": [f"verbeteractie {action.id} is intussen door kim gewijzigd"]
        }
        with pytest.raises(AgendaError) as undecided:
            set_status(session, action.id, "gereed", actor="kim")
        assert list(undecided.value.by_field) == ["besluit"]


def test_actions_are_listed_by_owner_ignoring_case_and_spaces(population):
    with session_scope(population) as session:
        mine = add_action(session, NewAction("A", "k.jansen", date(2026, 12, 1)), actor="kim").id
        add_action(session, NewAction("B", "Team Inkomen", date(2026, 11, 1)), actor="kim")
        assert [a.id for a in list_actions(session, owner=" K.Jansen ")] == [mine]
        assert owners(session) == ["k.jansen", "Team Inkomen"]


def test_an_action_shows_its_own_bevindingen_and_its_history(population):
    ids = reviewed_sample(population, "2026-Q2", {0: Decimal("40.00"), 1: Decimal("12.00")})
    with session_scope(population) as session:
        action = _action(session, ids[:1])
        linked = linked_findings(session, action)
        assert [(f.review_id, f.control_id) for f in linked] == [(ids[0], action.control_ids[0])]
        set_status(session, action.id, "vervallen", actor="kim", decision="dubbel")
        events = history(session, action.id)
    assert [(e.action, e.actor, e.note) for e in events] == [
        ("verbeteractie.aanmaken", "kim", None),
        ("verbeteractie.status", "kim", "dubbel"),
    ]
