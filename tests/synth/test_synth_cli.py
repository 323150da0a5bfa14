"""``kic synth`` through click's test runner."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from kic.cli.synth import synth


def test_synth_writes_three_files_and_a_dutch_summary(tmp_path: Path):
    result = CliRunner().invoke(synth, ["-o", str(tmp_path), "--betalingen", "2000", "--seed", "5"])
    assert result.exit_code == 0, result.output
    for name in ("betalingen.csv", "beschikkingen.csv", "grondwaarheid.csv"):
        assert (tmp_path / name).exists()
    assert "2.000 betalingen" in result.stdout
    assert "€ " in result.stdout and "ingebouwde fouten" in result.stdout
    assert "schrijven" in result.stderr  # progress goes to stderr, the summary to stdout


def test_payments_alias_jaar_and_foutpercentage(tmp_path: Path):
    result = CliRunner().invoke(
        synth, ["--uitvoer", str(tmp_path), "--payments", "1000", "--jaar", "2025", "--foutpercentage", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "0 ingebouwde fouten" in result.stdout
    assert (tmp_path / "grondwaarheid.csv").read_text(encoding="utf-8-sig").count("\n") == 1
    rows = (tmp_path / "betalingen.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
    assert all(row.split(";")[6].endswith("-2025") for row in rows)  # betaaldatum


def test_same_seed_same_files_through_the_cli(tmp_path: Path):
    runner = CliRunner()
    for name in ("a", "b"):
        assert runner.invoke(synth, ["-o", str(tmp_path / name), "--betalingen", "500"]).exit_code == 0
    assert (tmp_path / "a" / "betalingen.csv").read_bytes() == (
        tmp_path / "b" / "betalingen.csv"
    ).read_bytes()


def test_bad_values_give_a_usage_error(tmp_path: Path):
    result = CliRunner().invoke(synth, ["-o", str(tmp_path), "--betalingen", "5"])
    assert result.exit_code == 2
    result = CliRunner().invoke(
        synth, ["-o", str(tmp_path), "--betalingen", "500", "--foutpercentage", "100"]
    )
    assert result.exit_code == 1 and "foutpercentages" in result.output


def test_help_is_dutch():
    result = CliRunner().invoke(synth, ["--help"])
    assert result.exit_code == 0
    assert "synthetische gemeente" in result.output and "--foutpercentage" in result.output
