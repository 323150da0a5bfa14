"""Aansluiting: the population in kic against the grootboek the gemeente supplies.

The expected figures are computed here from the export with pandas (not with kic), so a mistake in
kic's delimitation or in its sums of cents shows up as a difference.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from openpyxl import load_workbook
from reviewed import reviewed_sample

from kic.cli import main
from kic.db import session_scope
from kic.formatting import euro
from kic.reports.publish import build_files
from kic.reports.reconciliation import LedgerError, read_ledger, reconcile


def _cents(text: pd.Series) -> pd.Series:
    return text.str.replace(".", "", regex=False).str.replace(",", "", regex=False).astype("int64")


def expected(gemeente, year: int = 2026) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """Per regeling from the export: count, debet and credit (cents) of the payments for periods in ``year``."""
    frame = pd.read_csv(
        gemeente.payments_path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    frame = frame[pd.to_datetime(frame["periode_van"], format="%d-%m-%Y").dt.year == year]
    amount = _cents(frame["bedrag"])
    return (
        pd.DataFrame(
            {"regeling": frame["regeling"], "debit": amount.clip(lower=0), "credit": (-amount).clip(lower=0)}
        )
        .groupby("regeling")
        .agg(count=("debit", "size"), debit=("debit", "sum"), credit=("credit", "sum"))
    )


def test_kic_counts_the_years_payments_as_the_export_does_and_the_synthetic_grootboek_reconciles(
    population, gemeente
):
    truth = expected(gemeente)
    ledger = read_ledger(gemeente.ledger_path)
    with session_scope(population) as session:
        rows = reconcile(session, 2026, ledger, {"PW-LO": Decimal("12.34")})
    assert [r.regeling for r in rows] == sorted(truth.index)
    for row in rows:
        want = truth.loc[row.regeling]
        assert (row.count, row.debit, row.credit) == (
            want["count"],
            Decimal(int(want["debit"])) / 100,
            Decimal(int(want["credit"])) / 100,
        ), row.regeling
        assert row.ledger == row.balance and row.difference == 0, (
            "the synthetic grootboek holds only the payments"
        )
    assert next(r for r in rows if r.regeling == "PW-LO").sampled == Decimal("12.34")
    assert all(r.sampled == 0 for r in rows if r.regeling != "PW-LO")


def test_a_difference_and_a_regeling_only_in_the_ledger_are_shown(population, tmp_path):
    path = tmp_path / "grootboek.csv"
    path.write_text("regeling;bedrag\nPW-LO;1.000,00\nWKO;-5,00\n", encoding="utf-8")
    with session_scope(population) as session:
        rows = {r.regeling: r for r in reconcile(session, 2026, read_ledger(path), {})}
        nothing = {r.regeling: r for r in reconcile(session, 2031, read_ledger(path), {})}
    assert rows["PW-LO"].difference == rows["PW-LO"].balance - Decimal("1000.00")
    assert rows["IOAW"].ledger is None and rows["IOAW"].difference is None
    assert nothing["WKO"].count == 0 and nothing["WKO"].difference == Decimal("5.00")


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (
            "regeling;bedrag\nPW-LO;12,3,4\nXYZ;5,00\nPW-LO;1,00\nIOAW\n",
            [
                "regel 2, kolom bedrag: '12,3,4' is geen bedrag",
                "regel 3, kolom regeling: onbekende regelingcode 'XYZ'",
                "regel 4, kolom regeling: PW-LO staat er al eerder in",
                "regel 5: 1 kolommen, verwacht 2",
            ],
        ),
        ("regeling,bedrag\nPW-LO,1,00\n", ["de eerste regel moet 'regeling;bedrag' zijn"]),
        ("regeling;bedrag\n\n", ["geen enkele regeling met een bedrag"]),
    ],
)
def test_a_bad_ledger_names_every_bad_row_and_is_not_used(tmp_path, text, messages):
    path = tmp_path / "grootboek.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        read_ledger(path)
    for message in messages:
        assert message in str(caught.value)


def test_sisa_cli_reconciles_with_the_grootboek_in_html_and_xlsx(population, tmp_path):
    reviewed_sample(population, "2026-Q2", {1: Decimal("30.00")}, n=6)
    path = tmp_path / "grootboek.csv"
    path.write_text("regeling;bedrag\nPW-LO;1.000,00\n", encoding="utf-8")
    url = str(population.url)
    result = CliRunner().invoke(
        main,
        [
            "report",
            "sisa",
            "2026",
            "--grootboek",
            str(path),
            "--geen-pdf",
            "--uit",
            str(tmp_path / "uit"),
            "--database",
            url,
        ],
    )
    assert result.exit_code == 0, result.output
    soup = BeautifulSoup((tmp_path / "uit" / "sisa-2026-v1.html").read_text(encoding="utf-8"), "html.parser")
    row = next(tr for tr in soup.select("#aansluiting-tabel tbody tr") if tr.find("td").get_text() == "PW-LO")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[6] == euro(Decimal("1000.00"))
    with session_scope(population) as session:
        pwlo = next(r for r in reconcile(session, 2026, read_ledger(path), {}) if r.regeling == "PW-LO")
        files = build_files(session, "sisa", "2026", pdf=False, ledger=read_ledger(path))
    assert cells[5] == euro(pwlo.balance) and cells[7] == euro(pwlo.difference)
    assert "grootboek.csv (sha256 " in soup.select_one("#aansluiting-tabel").find_next("p").get_text()
    assert len(soup.select("#bestanden tbody tr")) == 2
    sheet = {
        row[0]: row
        for row in load_workbook(io.BytesIO(files["xlsx"]))["Aansluiting"].iter_rows(
            min_row=2, values_only=True
        )
    }
    assert sheet["PW-LO"][5] == 1000 and Decimal(str(sheet["PW-LO"][6])) == pwlo.difference

    bad = tmp_path / "fout.csv"
    bad.write_text("regeling;bedrag\nPW-LO;veel\n", encoding="utf-8")
    refused = CliRunner().invoke(
        main,
        [
            "report",
            "sisa",
            "2026",
            "--grootboek",
            str(bad),
            "--geen-pdf",
            "--uit",
            str(tmp_path / "uit"),
            "--database",
            url,
        ],
    )
    assert refused.exit_code == 1 and "regel 2, kolom bedrag: 'veel' is geen bedrag" in refused.output
    assert sorted(p.name for p in (tmp_path / "uit").iterdir()) == [
        "sisa-2026-v1.csv",
        "sisa-2026-v1.html",
        "sisa-2026-v1.xlsx",
    ], "nothing published on a bad ledger"
