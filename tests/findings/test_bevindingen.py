from decimal import Decimal

from reviewed import reviewed_sample

from kic.db import session_scope
from kic.findings.bevindingen import by_cause, by_control, findings, group_findings


def test_every_wrong_control_of_an_afgeronde_review_is_a_bevinding(population):
    ids = reviewed_sample(population, "2026-Q2", {0: Decimal("40.00"), 3: Decimal("15.50")}, cause="mens")
    with session_scope(population) as session:
        found = findings(session, "2026-Q2")
    assert sorted(f.review_id for f in found) == sorted([ids[0], ids[3]])
    assert {f.quarter for f in found} == {"2026-Q2"}
    assert {f.cause for f in found} == {"mens"}
    assert sum(f.amount for f in found if f.error_type == "FIN") == Decimal("55.50")


def test_findings_are_limited_to_the_period_asked(population):
    reviewed_sample(population, "2026-Q1", {1: Decimal("10.00")})
    reviewed_sample(population, "2026-Q2", {2: Decimal("20.00")})
    with session_scope(population) as session:
        assert [f.quarter for f in findings(session, "2026-Q1")] == ["2026-Q1"]
        assert len(findings(session, "2026")) == 2


def test_groups_by_control_and_cause_largest_impact_first(population):
    reviewed_sample(population, "2026-Q1", {0: Decimal("10.00")}, cause="systeem")
    reviewed_sample(population, "2026-Q2", {0: Decimal("70.00"), 1: Decimal("5.00")}, cause="mens")
    with session_scope(population) as session:
        items = findings(session)
    groups = group_findings(items)
    assert [(g.cause, g.count, g.errors) for g in groups] == [
        ("mens", 2, Decimal("75.00")),
        ("systeem", 1, Decimal("10.00")),
    ]
    assert by_cause(items)[0].impact == Decimal("75.00")
    assert by_control(items)[0].count == 3
