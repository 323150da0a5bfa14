"""The SISA dossier's workbook for the accountant's working papers: every sheet a table with a frozen,
filtered Dutch header, amounts as numbers in euros (negative ones too), rates as percentages."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from reviewed import reviewed_decisions, reviewed_sample

from kic.csvexport import EURO, PERCENT
from kic.db import session_scope
from kic.reports.publish import build_files
from kic.reports.reconciliation import Ledger

AMOUNTS = {
    "Fouten en onzekerheden": (
        "populatie",
        "fouten_gevonden",
        "fouten_bovengrens",
        "rapporteringstolerantie",
    ),
    "Aansluiting": ("debet", "credit", "saldo_kic", "grootboek", "verschil"),
    "SiSa-indeling": ("saldo_kic",),
    "Posten": ("boekwaarde", "fout", "onzeker"),
    "Correcties": ("gecrediteerd", "te_veel_bedrag"),
}


def test_every_sheet_is_a_table_with_amounts_in_euros_and_rates_as_percentages(population):
    reviewed_sample(population, "2026-Q2", {1: Decimal("30.00")}, n=6)
    reviewed_decisions(population, "2026-Q2", wrong=1)
    ledger = Ledger({"PW-LO": Decimal("999999999.99")}, "grootboek.csv", "0" * 64)
    with session_scope(population) as session:
        files = build_files(session, "sisa", "2026", pdf=False, ledger=ledger)
    book = load_workbook(io.BytesIO(files["xlsx"]))
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{max(sheet.max_row, 2)}"
        for column, title in enumerate(header, start=1):
            assert sheet.column_dimensions[get_column_letter(column)].width > len(title), (sheet.title, title)
        for title in AMOUNTS.get(sheet.title, ()):
            cells = [row[header.index(title)] for row in sheet.iter_rows(min_row=2)]
            assert cells and all(
                c.data_type == "n" and c.number_format == EURO for c in cells if c.value is not None
            ), (sheet.title, title)
    reconciliation = book["Aansluiting"]
    header = [c.value for c in reconciliation[1]]
    [difference] = [
        row[header.index("verschil")]
        for row in reconciliation.iter_rows(min_row=2)
        if row[0].value == "PW-LO"
    ]
    assert difference.value < 0 and difference.data_type == "n" and difference.number_format == EURO
    decisions = book["Beschikkingen"]
    header = [c.value for c in decisions[1]]
    rates = [
        row[header.index(t)] for row in decisions.iter_rows(min_row=2) for t in ("aandeel", "bovengrens")
    ]
    assert rates and all(c.number_format == PERCENT and 0 <= c.value <= 1 for c in rates)
