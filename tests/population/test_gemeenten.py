"""Several gemeenten in one installation: the CBS code on every row, refused when unknown, and an existing
database of one gemeente that loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text
from test_import import payment_row, run_import, write_csv

from kic.audit import AuditEvent
from kic.cli import main
from kic.db import session_scope, upgrade
from kic.db.migrate import alembic_config
from kic.gemeenten import GemeenteError, list_gemeenten
from kic.population import ImportRejected, Mapping, PopulationError
from kic.population.gemeenten import register_gemeente
from kic.population.models import Payment


def register(engine, *pairs: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        for code, name in pairs:
            register_gemeente(session, code, name, actor="beheerder")


def stored(engine) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return dict(session.execute(select(Payment.payment_id, Payment.gemeente)).all())


def test_the_gemeente_column_is_read_as_a_cbs_code_and_unknown_codes_are_refused_with_line_and_column(
    db, tmp_path
):
    register(db, ("GM0363", "Amsterdam"), ("GM0599", "Rotterdam"))
    rows = [
        payment_row(1, gemeente="GM0363"),
        payment_row(2, gemeente="0599"),  # four digits: read as GM0599
        payment_row(3, gemeente="gm0363"),
        payment_row(4, gemeente="GM0518"),  # Den Haag: not registered here
        payment_row(5, gemeente="Adam"),  # a name is no code
        payment_row(6, gemeente=""),  # several gemeenten: a row must say which
    ]
    with pytest.raises(ImportRejected) as caught:
        run_import(db, write_csv(tmp_path / "regio.csv", rows))
    issues = {(i.line, i.column): i.reason for i in caught.value.issues}
    assert set(issues) == {(5, "gemeente"), (6, "gemeente"), (7, "gemeente")}
    assert issues[(5, "gemeente")].startswith(
        "onbekende gemeente 'GM0518' (vastgelegd: GM0363 Amsterdam, GM0599"
    )
    assert "geen CBS-gemeentecode" in issues[(6, "gemeente")]
    assert issues[(7, "gemeente")].startswith(
        "gemeente ontbreekt: deze installatie werkt voor meerdere gemeenten"
    )
    assert stored(db) == {}, "all or nothing"
    run_import(db, write_csv(tmp_path / "regio-goed.csv", rows[:3]))
    assert stored(db) == {"B00001": "GM0363", "B00002": "GM0599", "B00003": "GM0363"}


def test_a_file_per_gemeente_names_it_in_the_koppelbestand(db, tmp_path):
    register(db, ("GM0363", "Amsterdam"), ("GM0599", "Rotterdam"))
    run_import(
        db,
        write_csv(tmp_path / "rotterdam.csv", [payment_row(1), payment_row(2)]),
        mapping=Mapping(gemeente="0599"),
    )
    assert stored(db) == {"B00001": "GM0599", "B00002": "GM0599"}
    with pytest.raises(PopulationError, match="gemeente 'GM0518' is niet vastgelegd"):
        run_import(
            db, write_csv(tmp_path / "denhaag.csv", [payment_row(3)]), mapping=Mapping(gemeente="GM0518")
        )


def test_one_gemeente_is_set_once_and_every_import_gets_it(db, tmp_path):
    run_import(db, write_csv(tmp_path / "voor.csv", [payment_row(1)]))
    assert stored(db) == {"B00001": None}, "no gemeente known yet: the row waits for the first one"
    result = CliRunner().invoke(
        main, ["gemeente", "add", "GM0363", "--naam", "Amsterdam", "--database", str(db.url)]
    )
    assert result.exit_code == 0, result.output
    assert "Gemeente GM0363 (Amsterdam) vastgelegd." in result.output
    assert "horen nu bij GM0363: 1 betalingen, 0 beschikkingen" in result.output
    run_import(db, write_csv(tmp_path / "na.csv", [payment_row(2)]))
    assert stored(db) == {"B00001": "GM0363", "B00002": "GM0363"}
    with session_scope(db) as session:
        taken = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "gemeente.rijen_overgenomen")
        ).one()
        assert taken.object_id == "GM0363" and taken.after["betalingen"] == 1
    # a second gemeente takes nothing over, and from now on a row must say which gemeente it is
    register(db, ("GM0599", "Rotterdam"))
    assert stored(db) == {"B00001": "GM0363", "B00002": "GM0363"}
    with pytest.raises(ImportRejected) as caught:
        run_import(db, write_csv(tmp_path / "later.csv", [payment_row(3)]))
    assert [(i.line, i.column) for i in caught.value.issues] == [(2, "gemeente")]
    assert caught.value.issues[0].reason.startswith("gemeente ontbreekt")


def test_the_cli_refuses_a_bad_or_double_code_and_lists_and_changes(db, tmp_path):
    url = str(db.url)
    runner = CliRunner()
    bad = runner.invoke(main, ["gemeente", "add", "Amsterdam", "--naam", "Amsterdam", "--database", url])
    assert bad.exit_code == 1 and "'Amsterdam' is geen CBS-gemeentecode" in bad.output
    assert (
        runner.invoke(main, ["gemeente", "add", "0363", "--naam", "Amsterdam", "--database", url]).exit_code
        == 0
    )
    double = runner.invoke(main, ["gemeente", "add", "GM0363", "--naam", "Amsterdam", "--database", url])
    assert double.exit_code == 1 and "gemeente GM0363 is al vastgelegd" in double.output
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    changed = runner.invoke(
        main,
        [
            "gemeente",
            "change",
            "GM0363",
            "--naam",
            "Gemeente Amsterdam",
            "--logo",
            str(logo),
            "--database",
            url,
        ],
    )
    assert changed.exit_code == 0, changed.output
    listed = runner.invoke(main, ["gemeente", "list", "--database", url])
    assert listed.output.splitlines() == ["GM0363  Gemeente Amsterdam  (logo)"]
    with session_scope(db) as session:
        (gemeente,) = list_gemeenten(session)
        assert gemeente.logo_type == "image/svg+xml" and gemeente.logo == logo.read_bytes()
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "gemeente")))
        assert actions == ["gemeente.toevoegen", "gemeente.wijzigen"]
        with pytest.raises(GemeenteError, match="gebruik een SVG- of PNG-bestand"):
            from kic.gemeenten import change_gemeente

            change_gemeente(session, "GM0363", actor="x", logo=Path(__file__))


def test_a_database_of_one_gemeente_from_before_0014_loses_nothing(db, tmp_path):
    """Rows imported before migration 0014 keep their data and get the gemeente when it is registered."""
    from alembic import command

    command.downgrade(alembic_config(db), "0013")
    with db.begin() as connection:
        assert "gemeente" not in {
            c["name"] for c in __import__("sqlalchemy").inspect(connection).get_columns("payment")
        }
    upgrade(db)
    run_import(db, write_csv(tmp_path / "oud.csv", [payment_row(1), payment_row(2)]))
    with db.connect() as connection:
        before = connection.execute(
            text("SELECT payment_id, amount, bsn FROM payment ORDER BY payment_id")
        ).all()
    register(db, ("GM0363", "Amsterdam"))
    with db.connect() as connection:
        after = connection.execute(
            text("SELECT payment_id, amount, bsn, gemeente FROM payment ORDER BY payment_id")
        ).all()
    assert [tuple(row[:3]) for row in after] == [tuple(row) for row in before]
    assert {row[3] for row in after} == {"GM0363"}
