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
    overdue,
    remeasurement,
    set_status,
)
from kic.findings.bevindingen import findings


def _action(session, review_ids, *, quarter="2026-Q3", deadline=date(2026, 9, 30)):  # type: ignore[no-untyped-def]
    control = findings(session)[0].control_id
    return add_action(session, NewAction("Kostendelersnorm toetsen", "teamleider inkomen", deadline,
                                         control_ids=(control,), review_ids=tuple(review_ids),
                                         remeasure_control=control, remeasure_quarter=quarter), actor="kim")


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
        events = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "improvement_action")
                                 .order_by(AuditEvent.id)).all()
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
        add_action(session, NewAction(" ", "", date(2026, 1, 1), priority="urgent", review_ids=(999,),
                                      remeasure_quarter="2026-07"), actor="kim")
    message = str(caught.value)
    for part in ("titel is leeg", "eigenaar is leeg", "prioriteit 'urgent'", "geen kwartaal", "zowel de controle",
                 "beoordeling 999 bestaat niet"):
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
