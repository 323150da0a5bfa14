"""IOAW and IOAZ pay a bruto grondslag (art. 5), not the netto Participatiewet norm (issue 16).

IO-02 and IOAZ-02 compare the payment's normbedrag with tabellen/ioaw_ioaz_grondslagen.yaml from
versie 3 on; the table reads one grondslag per household type, and the synthetic gemeente's rule for
the same table gives the same amounts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kic.controls import load_catalogue
from kic.controls.checks import FOUT, NIET_TE_BEOORDELEN, VOLDOET, CheckInput, expected_norm, run_check
from kic.controls.tables import Table
from kic.synth import calendar as cal
from kic.synth.norms import gehuwdennorm_cents, grondslag_cents, norm_cents, norm_cents_for

SHIPPED = load_catalogue(override=None)
GRONDSLAGEN = SHIPPED.tables["ioaw_ioaz_grondslagen"]


def _frame(*payments: tuple[str, int, int, str]) -> pd.DataFrame:
    """(leefvorm, kostendelers, normbedrag in cents, periode_van) per payment, as the check reads them."""
    return pd.DataFrame(
        {
            "betaling_id": [f"B{i}" for i in range(len(payments))],
            "bedrag": pd.array([100_00] * len(payments), dtype="Int64"),
            "leefvorm": [p[0] for p in payments],
            "kostendelers": pd.array([p[1] for p in payments], dtype="Int64"),
            "normbedrag": pd.array([p[2] for p in payments], dtype="Int64"),
            "periode_van": pd.to_datetime([p[3] for p in payments]),
            "_beschikking_gevonden": np.ones(len(payments), dtype=bool),
        }
    )


@pytest.mark.parametrize("control_id", ["IO-02", "IOAZ-02"])
def test_from_2026_the_grondslag_control_compares_with_the_bruto_table(control_id):
    old = SHIPPED.version_for(control_id, date(2025, 12, 31))
    new = SHIPPED.version_for(control_id, date(2026, 1, 1))
    assert (old.version, old.valid_to, old.automated.parameters.get("tabel", "normbedragen")) == (
        2,
        date(2025, 12, 31),
        "normbedragen",
    )
    assert (new.version, new.valid_to) == (3, None)
    assert new.automated.check == "norm_volgens_tabel"
    assert new.automated.parameters == {"tabel": "ioaw_ioaz_grondslagen", "tolerantie_centen": 100}
    assert new.legal_basis_verified and "art. 5" in new.legal_basis
    assert new.work_processes == old.work_processes


def test_the_table_has_one_grondslag_per_household_type_and_bruto_is_above_netto():
    assert GRONDSLAGEN.norm_method == "grondslag_per_leefvorm"
    norms = SHIPPED.tables["normbedragen"]
    for row in GRONDSLAGEN.rows:
        assert (
            row["alleenstaande_ouder"] == row["alleenstaande"]
        )  # no separate grondslag in art. 5 (2024-2026)
        for column in ("gehuwden", "alleenstaande", "woningdeler"):
            incl, netto = row["inclusief_vu"][column], row["netto_inclusief_vu"][column]
            assert incl > netto, (row["geldig_van"], column)
            # monthly amount without the vakantie-uitkering of 8/108 (IOAW art. 9 lid 2)
            assert abs(row[column] * 108 / 100 - incl) < 0.011, (row["geldig_van"], column)
        assert row["netto_inclusief_vu"]["woningdeler"] * 2 == pytest.approx(
            row["netto_inclusief_vu"]["gehuwden"]
        )
        pw = [n for n in norms.rows if n["geldig_van"] == row["geldig_van"]]
        if pw:  # the netto amounts of the law are the bijstandsnormen inclusive of vakantietoeslag
            assert abs(row["netto_inclusief_vu"]["gehuwden"] - pw[0]["inclusief_vt"]["gehuwden"]) <= 0.011
            assert row["netto_inclusief_vu"]["alleenstaande"] == pw[0]["inclusief_vt"]["alleenstaande"]
            assert row["gehuwden"] > pw[0]["gehuwden"]  # a € 1 comparison with the netto norm always fails


ROW = {
    "geldig_van": date(2026, 1, 1),
    "geldig_tot": None,
    "gehuwden": 2116.39,
    "alleenstaande": 1637.06,
    "woningdeler": 1058.19,
    "geverifieerd": True,
}


@pytest.mark.parametrize(
    ("leefvorm", "a", "expected"),
    [
        ("3", 2, 211639),  # gehuwden
        ("3", 4, 211639),  # gehuwden with kostendelers: no kostendelersnorm in the IOAW
        ("1", 1, 163706),  # alleenstaande
        ("2", 1, 163706),  # alleenstaande ouder: the alleenstaande grondslag when the row has no own column
        ("1", 2, 105819),  # woningdeler
        ("2", 3, 105819),  # woningdeler whatever the number of medebewoners
        ("4", 1, 163706),  # 'anders': one person
    ],
)
def test_the_grondslag_follows_the_household_type(leefvorm, a, expected):
    table = Table("g", (ROW,), meta={"normberekening": "grondslag_per_leefvorm"})
    assert expected_norm(_frame((leefvorm, a, 0, "2026-03-01")), table).tolist() == [expected]


def test_a_gemeente_that_fills_in_the_grondslagen_gets_verdicts_against_the_bruto_amounts(tmp_path: Path):
    """The shipped rows for 2026 are estimates: no verdict. With the gemeente's own verified rows the bruto
    grondslag is right and the netto bijstandsnorm (what IO-02 versie 2 compared with) is too low."""
    control = SHIPPED.version_for("IO-02", date(2026, 3, 1))
    netto = 1902_02  # normbedragen per 1 januari 2026, gehuwden, netto excl. vakantietoeslag
    frame = _frame(("3", 2, 2116_39, "2026-03-01"), ("3", 2, netto, "2026-03-01"))

    def judge(tables):  # type: ignore[no-untyped-def]
        return run_check(
            control.automated.check, dict(control.automated.parameters), CheckInput(frame, tables)
        )

    shipped = judge(SHIPPED.tables)
    assert shipped.status.tolist() == [NIET_TE_BEOORDELEN, NIET_TE_BEOORDELEN]
    assert set(shipped.reason) == {"NORMTABEL_NIET_GEVERIFIEERD"}

    own = tmp_path / "eigen"
    (own / "tabellen").mkdir(parents=True)
    (own / "tabellen" / "ioaw_ioaz_grondslagen.yaml").write_text(
        "rijen:\n  - {geldig_van: 2026-01-01, geldig_tot: 2026-06-30, gehuwden: 2116.39, alleenstaande: 1637.06,"
        " woningdeler: 1058.19, bron: Normenbrief (eigen invoer), geverifieerd: true}\n",
        encoding="utf-8",
    )
    merged = load_catalogue(own)
    assert merged.tables["ioaw_ioaz_grondslagen"].norm_method == "grondslag_per_leefvorm"
    result = judge(merged.tables)
    assert result.status.tolist() == [VOLDOET, FOUT]
    assert result.reason.tolist() == ["NORM_JUIST", "NORM_TE_LAAG"]
    assert result.difference.tolist() == [0, netto - 2116_39]


def test_the_synthetic_gemeente_reads_the_same_grondslag_as_the_check():
    days = np.array(
        [cal.day(y, m, 15) for y in (2024, 2025, 2026) for m in (3, 9)] * 6,
        dtype=np.int64,
    )
    households = [(1, 1), (2, 1), (3, 2), (3, 3), (1, 2), (2, 3)]
    leefvorm = np.repeat([h[0] for h in households], 6)
    a = np.repeat([h[1] for h in households], 6)
    frame = _frame(
        *(
            (str(lv), int(k), 0, str(np.datetime64(int(d), "D")))
            for lv, k, d in zip(leefvorm, a, days, strict=True)
        )
    )
    assert grondslag_cents(leefvorm, a, days).tolist() == expected_norm(frame, GRONDSLAGEN).tolist()
    for regeling in ("IOAW", "IOAZ"):
        assert (
            norm_cents_for(regeling, leefvorm, a, days).tolist()
            == grondslag_cents(leefvorm, a, days).tolist()
        )
    pw = norm_cents(leefvorm, a, gehuwdennorm_cents(days))
    assert norm_cents_for("PW-LO", leefvorm, a, days).tolist() == pw.tolist()
    assert (grondslag_cents(leefvorm, a, days) > pw).all(), "the bruto grondslag is above the netto norm"
