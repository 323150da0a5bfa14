"""The SiSa indeling (G2/G3) of the year's payments, against a pandas computation over the export.

Source of the rule: the SiSa-bijlage titles of G2 and G3 (G3: "Besluit bijstandverlening zelfstandigen
2004 (exclusief levensonderhoud beginnende zelfstandigen)"), /work/shared/reference domain.md §SiSa.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from test_reconciliation import _cents

from kic.db import session_scope
from kic.reports.sisa import UNKNOWN, sisa_line, sisa_lines


@pytest.mark.parametrize(
    ("regeling", "code", "line"),
    [
        ("PW-LO", None, "G2"),
        ("IOAW", None, "G2"),
        ("IOAZ", None, "G2"),
        ("BBZ", "1", "G2"),
        ("BBZ", "2", "G3"),
        ("BBZ", "3", "G3"),
        ("BBZ", "5", "G3"),
        ("BBZ", None, UNKNOWN),
    ],
)
def test_each_payment_has_its_line(regeling, code, line):
    found = sisa_line(regeling, code)
    assert found is not None and found[0] == line


@pytest.mark.parametrize("regeling", ["PW-BB", "PW-IIT", "WMO", "JEUGD", "WGS", "WKO"])
def test_regelingen_outside_g2_and_g3_have_no_line(regeling):
    assert sisa_line(regeling, None) is None


def test_the_lines_add_up_to_the_export(population, gemeente):
    frame = pd.read_csv(
        gemeente.payments_path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    frame = frame[pd.to_datetime(frame["periode_van"], format="%d-%m-%Y").dt.year == 2026]
    bbz = frame[frame["regeling"] == "BBZ"]
    assert set(bbz["bbz_classificatie"]) >= {"1", "2"}, "the synthetic gemeente has beginners and others"
    assert (frame.loc[frame["regeling"] != "BBZ", "bbz_classificatie"] == "").all()
    g2 = frame[
        frame["regeling"].isin(["PW-LO", "IOAW", "IOAZ"]) | (bbz_is_1 := (frame["bbz_classificatie"] == "1"))
    ]
    g3 = frame[(frame["regeling"] == "BBZ") & ~bbz_is_1]
    with session_scope(population) as session:
        lines = sisa_lines(session, date(2026, 1, 1), date(2026, 12, 31))
    by_code: dict[str, tuple[int, Decimal]] = {}
    for line in lines:
        count, total = by_code.get(line.code, (0, Decimal("0.00")))
        by_code[line.code] = (count + line.count, total + line.balance)
    assert by_code["G2"] == (len(g2), Decimal(int(_cents(g2["bedrag"]).sum())) / 100)
    assert by_code["G3"] == (len(g3), Decimal(int(_cents(g3["bedrag"]).sum())) / 100)
    assert UNKNOWN not in by_code
    assert [line.code for line in lines] == sorted((line.code for line in lines), key=["G2", "G3"].index)
