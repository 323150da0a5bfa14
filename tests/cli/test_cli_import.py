"""The CLI as a user or a script meets it: Dutch messages and exit codes scripts can rely on."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kic.cli import main
from kic.cli.common import EXIT_ALREADY_IMPORTED, EXIT_REJECTED

HEADER = (
    "betaling_id;client_id;bsn;regeling;bedrag;betaaldatum;periode_van;periode_tot;"
    "beschikkingsnummer;leefvorm;kostendelers;normbedrag"
)
GOOD = "B1;C1;111222333;PW-LO;1.234,56;25-01-2026;01-01-2026;31-01-2026;BS1;1;1;1.234,56"
BAD_BSN = "B2;C2;123456789;PW-LO;10,00;25-01-2026;01-01-2026;31-01-2026;BS2;1;1;"


@pytest.fixture
def runner(db_url, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KIC_DATABASE_URL", db_url)
    monkeypatch.setenv("KIC_USER", "cli-test")
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_upgrade_then_import_then_list(runner, tmp_path):
    result = runner.invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "bijgewerkt" in result.output
    assert "al actueel" in runner.invoke(main, ["db", "upgrade"]).output
    (tmp_path / "b.csv").write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "payments", "b.csv"])
    assert result.exit_code == 0, result.output
    assert "Populatie 1 opgeslagen: 1 betalingen" in result.output and "€\u00a01.234,56" in result.output
    listing = runner.invoke(main, ["population", "list"])
    assert "betalingen" in listing.output and "b.csv" in listing.output


def test_rejected_import_lists_every_bad_row_and_exits_3(runner, tmp_path):
    runner.invoke(main, ["db", "upgrade"])
    (tmp_path / "b.csv").write_text(f"{HEADER}\n{GOOD}\n{BAD_BSN}\nB1;C3;;PW-LO;x;;;;;;;\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "payments", "b.csv", "--fouten", "fouten.csv"])
    assert result.exit_code == EXIT_REJECTED
    assert "regel 3, kolom bsn: BSN voldoet niet aan de elfproef" in result.output
    assert "regel 4, kolom bedrag" in result.output and "regel 4, kolom betaaldatum" in result.output
    assert "123456789" not in result.output  # a BSN is never printed
    lines = (tmp_path / "fouten.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "regel;kolom;reden" and len(lines) > 5
    assert "nog geen populaties" in runner.invoke(main, ["population", "list"]).output


def test_second_import_of_same_file_exits_4_and_replace_works(runner, tmp_path):
    runner.invoke(main, ["db", "upgrade"])
    (tmp_path / "b.csv").write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    assert runner.invoke(main, ["import", "payments", "b.csv"]).exit_code == 0
    again = runner.invoke(main, ["import", "payments", "b.csv"])
    assert again.exit_code == EXIT_ALREADY_IMPORTED and "al geïmporteerd" in again.output
    replaced = runner.invoke(main, ["import", "payments", "b.csv", "--vervang"])
    assert replaced.exit_code == 0 and "Vervangt populatie 1" in replaced.output


def test_import_before_upgrade_says_what_to_run(runner, tmp_path):
    (tmp_path / "b.csv").write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "payments", "b.csv"])
    assert result.exit_code == 1 and "kic db upgrade" in result.output


def test_help_is_dutch():
    result = CliRunner().invoke(main, ["--help"])
    assert "Kwaliteit in Controle" in result.output
    assert "Importeer" in CliRunner().invoke(main, ["import", "--help"]).output


def test_dutch_names_of_the_import_commands(runner, tmp_path):
    runner.invoke(main, ["db", "upgrade"])
    (tmp_path / "b.csv").write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    result = runner.invoke(main, ["import", "betalingen", "b.csv"])
    assert result.exit_code == 0, result.output
    assert "Populatie 1 opgeslagen: 1 betalingen" in result.output
    missing = runner.invoke(main, ["import", "beschikkingen", "b2.csv"], prog_name="kic")
    assert missing.exit_code == 2 and missing.output.startswith("Gebruik: kic import beschikkingen")


def test_a_dutch_name_is_shown_beside_its_command_not_as_a_second_one():
    listing = CliRunner().invoke(main, ["import", "--help"]).output.split("Commando's:")[1].splitlines()
    rows = [line.split()[:2] for line in listing if line.strip()]
    assert rows == [["dossiers,", "beschikkingen"], ["payments,", "betalingen"]]
