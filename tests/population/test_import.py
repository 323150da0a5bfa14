"""The population import as a user meets it: Dutch exports in, a frozen snapshot or nothing out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from kic.audit import AuditEvent
from kic.db import session_scope
from kic.population import AlreadyImported, ImportRejected, Mapping, PopulationError, import_population
from kic.population.models import Dossier, Payment, PopulationSnapshot
from kic.population.schema import PAYMENT_COLUMNS

HEADER = [c.header for c in PAYMENT_COLUMNS]


def payment_row(n: int, **changes: str) -> dict[str, str]:
    row = {
        "betaling_id": f"B{n:05d}",
        "client_id": f"C{n:04d}",
        "bsn": "111222333",
        "regeling": "PW-LO",
        "bedrag": "1.234,56",
        "debet_credit": "",
        "betaaldatum": "25-01-2026",
        "periode_van": "01-01-2026",
        "periode_tot": "31-01-2026",
        "beschikkingsnummer": f"BS{n:04d}",
        "leefvorm": "1",
        "kostendelers": "1",
        "normbedrag": "€ 1.234,56",
        "inkomsten": "0,00",
        "product": "",
        "volume": "",
        "eenheid": "",
        "handmatig": "nee",
        "medewerker": "MW01",
        "bronsysteem": "Suite4SD",
        "bbz_classificatie": "",
        "gemeente": "",
    }
    row.update(changes)
    return row


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8-sig", sep: str = ";") -> Path:
    lines = [sep.join(HEADER)] + [sep.join(row.get(h, "") for h in HEADER) for row in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def run_import(engine, path: Path, kind: str = "betalingen", **kwargs):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return import_population(session, kind, path, actor="tester", **kwargs)


def count(engine, model) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_import_stores_snapshot_with_control_totals(db, tmp_path):
    rows = [
        payment_row(1),
        payment_row(2, bedrag="-100,00", periode_tot="28-02-2026"),
        payment_row(3, bedrag="50", debet_credit="C"),
    ]
    result = run_import(db, write_csv(tmp_path / "betalingen.csv", rows))
    assert result.row_count == 3
    assert result.total_debit == Decimal("1234.56")
    assert result.total_credit == Decimal("150.00")
    assert (result.period_from, result.period_to) == (date(2026, 1, 1), date(2026, 2, 28))
    assert len(result.sha256) == 64
    with session_scope(db) as session:
        stored = session.scalars(select(Payment).order_by(Payment.payment_id)).all()
        assert [p.amount for p in stored] == [Decimal("1234.56"), Decimal("-100.00"), Decimal("-50.00")]
        assert stored[0].norm_amount == Decimal("1234.56") and stored[0].manual is False
        assert stored[0].line_no == 2 and stored[0].bsn == "111222333"
        snapshot = session.get(PopulationSnapshot, result.snapshot_id)
        assert snapshot.imported_by == "tester" and snapshot.status == "actief"
        event = session.scalars(select(AuditEvent)).one()
        assert event.action == "populatie.import" and event.after["regels"] == 3


def test_import_reads_cp1252_with_dates_as_jjjjmmdd(db, tmp_path):
    rows = [payment_row(1, betaaldatum="20260125", medewerker="José", bedrag="€ 12.345,60")]
    result = run_import(db, write_csv(tmp_path / "export.csv", rows, encoding="cp1252"))
    with session_scope(db) as session:
        payment = session.scalars(select(Payment)).one()
    assert payment.entered_by == "José" and payment.payment_date == date(2026, 1, 25)
    assert result.total_debit == Decimal("12345.60")


def test_bad_rows_are_all_reported_and_nothing_is_stored(db, tmp_path):
    rows = [
        payment_row(1),
        payment_row(2, bsn="123456789"),
        payment_row(3, bedrag="12,34,5"),
        payment_row(4, betaaldatum="31-02-2026"),
        payment_row(5, periode_van="01-02-2026", periode_tot="31-01-2026"),
        payment_row(6, regeling="XYZ"),
        payment_row(7, client_id=""),
        payment_row(1),
    ]
    with pytest.raises(ImportRejected) as caught:
        run_import(db, write_csv(tmp_path / "fout.csv", rows))
    found = {(i.line, i.column) for i in caught.value.issues}
    assert found == {
        (3, "bsn"),
        (4, "bedrag"),
        (5, "betaaldatum"),
        (6, "periode_tot"),
        (7, "regeling"),
        (8, "client_id"),
        (9, "betaling_id"),
    }
    reasons = " ".join(i.reason for i in caught.value.issues)
    assert "elfproef" in reasons and "ook op regel 2" in reasons and "123456789" not in reasons
    assert count(db, Payment) == 0 and count(db, PopulationSnapshot) == 0 and count(db, AuditEvent) == 0


def test_missing_required_column_is_reported(db, tmp_path):
    path = tmp_path / "kort.csv"
    path.write_text("betaling_id;bedrag\nB1;10,00\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        run_import(db, path)
    assert {i.column for i in caught.value.issues} >= {"bsn", "regeling", "betaaldatum"}
    assert all(i.line == 1 for i in caught.value.issues)


def test_same_file_twice_is_refused_unless_replaced(db, tmp_path):
    path = write_csv(tmp_path / "betalingen.csv", [payment_row(1), payment_row(2)])
    first = run_import(db, path)
    with pytest.raises(AlreadyImported):
        run_import(db, path)
    second = run_import(db, path, replace=True)
    assert second.replaced == (first.snapshot_id,)
    with session_scope(db) as session:
        statuses = dict(session.execute(select(PopulationSnapshot.id, PopulationSnapshot.status)).all())
        active_rows = session.scalar(
            select(func.count())
            .select_from(Payment)
            .join(PopulationSnapshot)
            .where(PopulationSnapshot.status == "actief")
        )
    assert statuses == {first.snapshot_id: "vervangen", second.snapshot_id: "actief"}
    assert active_rows == 2


def test_payment_already_in_another_population_is_refused(db, tmp_path):
    run_import(db, write_csv(tmp_path / "januari.csv", [payment_row(1)]))
    with pytest.raises(ImportRejected) as caught:
        run_import(db, write_csv(tmp_path / "februari.csv", [payment_row(2), payment_row(1, bedrag="1,00")]))
    assert [(i.line, i.column) for i in caught.value.issues] == [(3, "betaling_id")]
    assert "eerdere import" in caught.value.issues[0].reason


def test_mapping_file_renames_columns_and_regeling_codes(db, tmp_path):
    frame = pd.DataFrame([payment_row(1, regeling="01")]).rename(
        columns={"betaling_id": "Betaalkenmerk", "bsn": "Sofinummer"}
    )
    path = tmp_path / "gws.csv"
    frame.to_csv(path, sep=";", index=False, encoding="utf-8")
    mapping_path = tmp_path / "koppeling.yaml"
    mapping_path.write_text(
        "kolommen:\n  betaling_id: Betaalkenmerk\n  bsn: Sofinummer\nregelingcodes:\n  '01': PW-LO\n",
        encoding="utf-8",
    )
    from kic.population import load_mapping

    result = run_import(db, path, mapping=load_mapping(mapping_path))
    with session_scope(db) as session:
        payment = session.scalars(select(Payment)).one()
    assert (payment.payment_id, payment.regeling) == ("B00001", "PW-LO") and result.row_count == 1


def test_mapping_file_with_unknown_key_is_refused(tmp_path):
    from kic.population import load_mapping

    path = tmp_path / "koppeling.yaml"
    path.write_text("kolomen:\n  bsn: Sofi\n", encoding="utf-8")
    with pytest.raises(PopulationError, match="onbekende sleutels"):
        load_mapping(path)


def test_xlsx_with_typed_cells_imports_like_csv(db, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    row = payment_row(1)
    typed = {**row, "bedrag": 1234.5, "betaaldatum": date(2026, 1, 25), "bsn": 12345672, "kostendelers": 1}
    sheet.append([typed[h] if typed[h] != "" else None for h in HEADER])
    path = tmp_path / "betalingen.xlsx"
    workbook.save(path)
    result = run_import(db, path)
    with session_scope(db) as session:
        payment = session.scalars(select(Payment)).one()
    assert payment.amount == Decimal("1234.50") and payment.bsn == "012345672"
    assert payment.payment_date == date(2026, 1, 25) and result.row_count == 1


def test_parquet_with_typed_columns_imports(db, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    row = payment_row(1)
    data = {h: [row[h] or None] for h in HEADER}
    data["bedrag"] = pa.array([Decimal("99.95")], pa.decimal128(12, 2))
    data["betaaldatum"] = pa.array([date(2026, 1, 25)], pa.date32())
    data["handmatig"] = pa.array([True])
    table = pa.table(
        {k: (v if isinstance(v, pa.Array) else pa.array(v, pa.string())) for k, v in data.items()}
    )
    path = tmp_path / "betalingen.parquet"
    pq.write_table(table, path)
    run_import(db, path)
    with session_scope(db) as session:
        payment = session.scalars(select(Payment)).one()
    assert payment.amount == Decimal("99.95") and payment.manual is True


def test_dossiers_import_checks_their_own_rules(db, tmp_path):
    header = (
        "beschikkingsnummer;client_id;bsn;regeling;ingangsdatum;einddatum;bedrag_per_periode;volume;eenheid"
    )
    good = "BS1;C1;111222333;WMO;01-01-2026;31-12-2026;1.000,00;12,5;04"
    bad = "BS2;C2;111222333;WMO;01-07-2026;30-06-2026;10,00;;"
    path = tmp_path / "beschikkingen.csv"
    path.write_text(f"{header}\n{good}\n", encoding="utf-8")
    run_import(db, path, kind="beschikkingen")
    with session_scope(db) as session:
        dossier = session.scalars(select(Dossier)).one()
    assert dossier.volume == Decimal("12.500") and dossier.end_date == date(2026, 12, 31)
    path.write_text(f"{header}\n{bad}\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        run_import(db, path, kind="beschikkingen")
    assert [(i.line, i.column) for i in caught.value.issues] == [(2, "einddatum")]


def test_a_failure_while_storing_leaves_nothing_behind(db, tmp_path, monkeypatch):
    from kic.population import importer

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("stroomstoring")

    monkeypatch.setattr(importer, "_mark_replaced", crash)
    with pytest.raises(RuntimeError):
        run_import(db, write_csv(tmp_path / "b.csv", [payment_row(1), payment_row(2)]))
    assert count(db, Payment) == 0 and count(db, PopulationSnapshot) == 0


def test_unknown_file_type_gets_a_dutch_error(db, tmp_path):
    path = tmp_path / "betalingen.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(PopulationError, match="Onbekend bestandstype"):
        run_import(db, path)


def test_empty_mapping_leaves_no_trace_in_snapshot(db, tmp_path):
    result = run_import(db, write_csv(tmp_path / "b.csv", [payment_row(1)]), mapping=Mapping())
    with session_scope(db) as session:
        assert session.get(PopulationSnapshot, result.snapshot_id).mapping is None


def test_bbz_classificatie_is_stored_and_an_unknown_code_is_refused_with_line_and_column(db, tmp_path):
    good = write_csv(
        tmp_path / "bbz.csv",
        [
            payment_row(1, regeling="BBZ", bbz_classificatie="1"),
            payment_row(2, regeling="BBZ", bbz_classificatie="5"),
        ],
    )
    run_import(db, good)
    with session_scope(db) as session:
        assert sorted(session.scalars(select(Payment.bbz_class))) == ["1", "5"]
    bad = write_csv(tmp_path / "bbz-fout.csv", [payment_row(3, regeling="BBZ", bbz_classificatie="4")])
    with pytest.raises(ImportRejected) as caught:
        run_import(db, bad)
    (issue,) = caught.value.issues
    assert (issue.line, issue.column) == (2, "bbz_classificatie")
    assert "onbekende bbz_classificatie '4'" in issue.reason and "1 beginnende zelfstandige" in issue.reason
    assert count(db, Payment) == 2
