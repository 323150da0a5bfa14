"""How control results are stored: narrow integer rows in blocks, readable through a view, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy import func, select, text

from kic.controls import load_catalogue
from kic.controls.models import ControlResult, ControlRun, ControlRunControl, ControlRunReason
from kic.controls.run import load_findings, run_controls
from kic.db import session_scope, upgrade
from kic.population import import_population
from kic.population.store import Block, insert_blocks

BROKEN = """
regeling: WMO
controles:
  - id: WMO-98
    versie: 1
    geldig_van: 2015-01-01
    categorie: test
    vraag: Een regel die pas bij het uitvoeren faalt
    grondslag: test
    criterium: formeel
    fouttype: FORM
    automatisch: {regel: "bedrag * normbedrag > 0"}
"""


def _run(session) -> int:  # type: ignore[no-untyped-def]
    run = ControlRun(started_at=datetime.now(UTC), actor="t", catalogue_hash="0" * 64)
    session.add(run)
    session.flush()
    return run.id


def test_blocks_keep_every_value_including_large_negative_differences(db):
    rows = np.array([7, 3, 5], dtype=np.int64)
    with session_scope(db) as session:
        run_id = _run(session)
        stored = insert_blocks(
            session,
            ControlResult.__table__,
            [
                Block(
                    {"run_id": run_id, "control_index": 0, "status": 0, "reason_index": 2, "difference": 0},
                    {"payment_row_id": rows},
                ),
                Block(
                    {"run_id": run_id, "control_index": 1},
                    {
                        "payment_row_id": rows,
                        "status": np.array([1, 1, 3], dtype=np.int8),
                        "reason_index": np.array([0, 1, 0], dtype=np.int16),
                        "difference": np.array([-123_456_789_012, 250, 0], dtype=np.int64),
                    },
                ),
            ],
        )
    with session_scope(db) as session:
        back = session.execute(
            select(
                ControlResult.control_index,
                ControlResult.payment_row_id,
                ControlResult.status,
                ControlResult.reason_index,
                ControlResult.difference,
            ).order_by(ControlResult.control_index, ControlResult.payment_row_id)
        ).all()
    assert stored == 6
    assert [tuple(r) for r in back] == [
        (0, 3, 0, 2, 0),
        (0, 5, 0, 2, 0),
        (0, 7, 0, 2, 0),
        (1, 3, 1, 1, Decimal("2.50")),
        (1, 5, 3, 0, 0),
        (1, 7, 1, 0, Decimal("-1234567890.12")),
    ]


def test_a_value_that_does_not_fit_its_column_is_refused_not_wrapped(db):
    block = Block(
        {"run_id": 1, "control_index": 40_000, "status": 0, "reason_index": 0, "difference": 0},
        {"payment_row_id": np.array([1], dtype=np.int64)},
    )
    with pytest.raises(Exception, match=r"40000|bereik|out of range|too large"), session_scope(db) as session:
        insert_blocks(session, ControlResult.__table__, [block])


def test_every_result_reads_back_with_status_reason_and_explanation(population, catalogue):
    with session_scope(population) as session:
        summary = run_controls(session, actor="tester", catalogue=catalogue)
        counts = dict(
            session.execute(
                text("SELECT status, COUNT(*) FROM control_result_detail WHERE run_id = :r GROUP BY status"),
                {"r": summary.run_id},
            ).all()
        )
        unexplained = session.execute(
            text("SELECT COUNT(*) FROM control_result_detail WHERE run_id = :r AND explanation IS NULL"),
            {"r": summary.run_id},
        ).scalar_one()
    totals = {
        name: sum(getattr(r, name) for r in summary.per_regeling)
        for name in ("voldoet", "fout", "nvt", "niet_te_beoordelen")
    }
    assert dict(counts.items()) == {k: v for k, v in totals.items() if v}
    assert sum(counts.values()) == summary.results and unexplained == 0


def test_a_check_that_fails_at_run_time_is_stored_with_why(population, catalogue_dir, tmp_path):
    own = tmp_path / "eigen"
    own.mkdir()
    (own / "wmo.yaml").write_text(BROKEN, encoding="utf-8")
    with session_scope(population) as session:
        summary = run_controls(
            session, actor="tester", catalogue=load_catalogue(own, shipped=catalogue_dir), regeling="WMO"
        )
        rows = session.execute(
            text(
                "SELECT DISTINCT status, reason_code, explanation, failure FROM control_result_detail "
                "WHERE run_id = :r AND control_id = 'WMO-98'"
            ),
            {"r": summary.run_id},
        ).all()
    assert "WMO-98 v1" in summary.failures
    [(status, reason, explanation, failure)] = rows
    assert (status, reason) == ("niet_te_beoordelen", "CHECK_MISLUKT")
    assert explanation == "de controle kon niet worden uitgevoerd" and "bedrag maal bedrag" in failure


def test_upgrade_converts_results_stored_before_0004_and_downgrade_restores_them(
    empty_db, gemeente, monkeypatch
):
    from alembic import command

    from kic.db.migrate import alembic_config
    from kic.population import importer

    upgrade(empty_db, "0003")
    monkeypatch.setattr(importer, "exclusive", lambda session, name: None)  # kic_lock comes with 0011
    # the gemeente table comes with 0014: no gemeente known
    monkeypatch.setattr(importer, "gemeente_rule", lambda session, mapping: importer.GemeenteRule({}))
    with empty_db.begin() as connection:  # today's importer writes bbz_class (0013) and gemeente (0014)
        connection.execute(text("ALTER TABLE payment ADD COLUMN bbz_class VARCHAR(1)"))
        connection.execute(text("ALTER TABLE payment ADD COLUMN gemeente VARCHAR(6)"))
    with session_scope(empty_db) as session:
        import_population(session, "betalingen", gemeente.payments_path, actor="test")
    with empty_db.begin() as connection:
        connection.execute(text("ALTER TABLE payment DROP COLUMN bbz_class"))
        connection.execute(text("ALTER TABLE payment DROP COLUMN gemeente"))
        first, second = _old_run(connection)
    upgrade(empty_db)
    with session_scope(empty_db) as session:
        findings = load_findings(session, 1)
        reasons = session.scalars(
            select(ControlRunReason.reason_code).order_by(ControlRunReason.reason_index)
        ).all()
        indexes = session.scalars(
            select(ControlRunControl.control_index).order_by(ControlRunControl.id)
        ).all()
    assert findings.to_dict("records") == [
        {
            "betaling_id": first.payment_id,
            "regeling": first.regeling,
            "control_id": "ALG-01",
            "difference": 1250,
            "reason": "TE_HOOG",
        }
    ]
    assert reasons == ["REGEL_VOLDAAN", "TE_HOOG"] and indexes == [0, 1]
    command.downgrade(alembic_config(empty_db), "0003")
    with empty_db.connect() as connection:
        back = connection.execute(
            text(
                "SELECT run_control_id, payment_row_id, status, difference, reason_code, detail FROM control_result "
                "ORDER BY run_control_id, payment_row_id"
            )
        ).all()
    assert [tuple(r) for r in back] == [
        (1, first.id, "fout", 1250, "TE_HOOG", "te veel betaald"),
        (1, second.id, "voldoet", 0, "REGEL_VOLDAAN", None),
        (2, first.id, "voldoet", 0, "REGEL_VOLDAAN", None),
    ]


def _old_run(connection):  # type: ignore[no-untyped-def]
    """One run over two payments as migration 0002 stored it: text status and reason, the explanation on fout."""
    first, second = connection.execute(
        text("SELECT id, payment_id, regeling FROM payment ORDER BY id LIMIT 2")
    ).all()
    connection.execute(
        text(
            "INSERT INTO control_run (id, started_at, actor, catalogue_hash, payment_count, result_count) "
            "VALUES (1, :t, 't', :h, 2, 3)"
        ),
        {"t": datetime.now(UTC), "h": "0" * 64},
    )
    for control_id, control in ((1, "ALG-01"), (2, "ALG-02")):
        connection.execute(
            text(
                "INSERT INTO control_run_control (id, run_id, control_id, version, content_hash, regeling) "
                "VALUES (:i, 1, :c, 1, :h, 'ALLE')"
            ),
            {"i": control_id, "c": control, "h": "1" * 64},
        )
    connection.execute(
        text(
            "INSERT INTO control_result (run_id, run_control_id, payment_row_id, status, difference, reason_code, detail) "
            "VALUES (1, 1, :a, 'fout', 1250, 'TE_HOOG', 'te veel betaald'), (1, 1, :b, 'voldoet', 0, 'REGEL_VOLDAAN', NULL), "
            "(1, 2, :a, 'voldoet', 0, 'REGEL_VOLDAAN', NULL)"
        ),
        {"a": first.id, "b": second.id},
    )
    return first, second


def test_a_run_over_an_empty_population_stores_the_run_without_results(db, catalogue):
    with session_scope(db) as session:
        summary = run_controls(session, actor="tester", catalogue=catalogue)
    with session_scope(db) as session:
        run = session.get(ControlRun, summary.run_id)
        stored = session.scalar(select(func.count()).select_from(ControlResult))
    assert (summary.payments, summary.results, stored, run.result_count) == (0, 0, 0, 0)


def test_the_fout_results_of_one_payment_are_found_through_the_index_not_by_reading_the_run(
    population, catalogue
):
    from kic.review.queries import _FOUT

    with session_scope(population) as session:
        summary = run_controls(session, actor="tester", catalogue=catalogue)
        row = session.execute(
            text(
                "SELECT payment_row_id, COUNT(*) FROM control_result_detail WHERE run_id = :r AND status = 'fout' "
                "GROUP BY payment_row_id ORDER BY COUNT(*) DESC, payment_row_id LIMIT 1"
            ),
            {"r": summary.run_id},
        ).one()
        found = session.execute(text(_FOUT), {"run": summary.run_id, "row": row.payment_row_id}).all()
        if session.connection().dialect.name == "postgresql":
            # A test table is small enough to read whole; what matters is that the index can answer it.
            session.execute(text("SET LOCAL enable_seqscan = off"))
            session.execute(text("SET LOCAL enable_bitmapscan = off"))
            plan = " ".join(
                session.execute(
                    text("EXPLAIN " + _FOUT), {"run": summary.run_id, "row": row.payment_row_id}
                ).scalars()
            )
            assert (
                "Index Scan using ix_control_result_fout" in plan
                and "payment_row_id =" in plan.split("Index Cond")[1]
            )
        else:
            plan = " ".join(
                r[-1]
                for r in session.execute(
                    text("EXPLAIN QUERY PLAN " + _FOUT), {"run": summary.run_id, "row": row.payment_row_id}
                )
            )
            assert "USING INDEX ix_control_result_fout (run_id=? AND payment_row_id=?)" in plan
    assert len(found) == row[1] > 0
