"""Every registered check on small hand-made populations."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kic.controls.checks import REGISTRY, CheckInput, run_check
from kic.controls.frame import build_frame
from kic.controls.tables import Table

NORMS = Table(
    "normbedragen",
    (
        {"geldig_van": date(2025, 1, 1), "geldig_tot": date(2025, 12, 31), "gehuwden": 1800.00},
        {"geldig_van": date(2026, 1, 1), "geldig_tot": None, "gehuwden": "1.879,20"},
    ),
)
TARIFFS = Table(
    "tarieven",
    ({"geldig_van": date(2015, 1, 1), "geldig_tot": None, "product": "02A01", "tarief": 36.40},),
    ("product",),
)


def payment(nr: str, **values) -> dict:
    row = {
        "id": int(nr[1:]),
        "payment_id": nr,
        "client_key": "C1",
        "regeling": "PW-LO",
        "amount_cents": 100_00,
        "payment_date": "2026-01-25",
        "period_from": "2026-01-01",
        "period_to": "2026-01-31",
        "beschikking_nr": "D1",
        "leefvorm": None,
        "kostendelers": None,
        "norm_amount_cents": None,
        "income_amount_cents": None,
        "product_code": None,
        "volume_milli": None,
        "unit": None,
        "manual": False,
        "entered_by": "MW01",
    }
    return row | values


def dossier(nr: str = "D1", **values) -> dict:
    row = {
        "beschikking_nr": nr,
        "client_key": "C1",
        "regeling": "PW-LO",
        "product_code": None,
        "start_date": "2025-06-01",
        "end_date": None,
        "amount_per_period": 100_00,
        "volume": None,
        "unit": None,
        "leefvorm": None,
        "kostendelers": None,
        "decision_date": "2025-06-01",
        "application_date": "2025-05-20",
        "status": "lopend",
        "entered_by": "MW01",
    }
    return row | values


def judge(check: str, payments: list[dict], dossiers: list[dict], **parameters) -> pd.DataFrame:
    raw = pd.DataFrame(payments)
    for column in ("payment_date", "period_from", "period_to"):
        raw[column] = pd.to_datetime(raw[column])
    frame = build_frame(raw, pd.DataFrame(dossiers, columns=list(dossier())))
    outcome = run_check(check, parameters, CheckInput(frame, {"normbedragen": NORMS, "tarieven": TARIFFS}))
    return pd.DataFrame(
        {"status": outcome.status, "verschil": outcome.difference, "reden": outcome.reason},
        index=frame["betaling_id"],
    )


def test_zonder_beschikking_fails_missing_unknown_and_foreign_beschikkingen():
    result = judge(
        "zonder_beschikking",
        [
            payment("B1"),
            payment("B2", beschikking_nr=None),
            payment("B3", beschikking_nr="D9"),
            payment("B4", client_key="C2"),
            payment("B5", amount_cents=-50_00, beschikking_nr=None),
        ],
        [dossier()],
    )
    assert result["reden"].tolist() == [
        "BESCHIKKING_AANWEZIG",
        "GEEN_BESCHIKKINGSNUMMER",
        "BESCHIKKING_ONBEKEND",
        "BESCHIKKING_ANDERE_CLIENT",
        "CREDITERING",
    ]
    assert result["status"].tolist() == [0, 1, 1, 1, 2]
    assert result["verschil"].tolist() == [0, 100_00, 100_00, 100_00, 0]


def test_binnen_beschikkingsperiode_counts_the_days_outside():
    result = judge(
        "binnen_beschikkingsperiode",
        [
            payment("B1"),
            payment("B2", beschikking_nr="D2", amount_cents=310_00),
            payment("B3", period_from="2026-03-01", period_to="2026-03-31"),
            payment("B4", beschikking_nr=None),
        ],
        [dossier(end_date="2026-02-28"), dossier("D2", start_date="2026-01-11")],
    )
    assert result["reden"].tolist() == [
        "BINNEN_PERIODE",
        "PERIODE_VOOR_INGANG",
        "PERIODE_NA_EINDE",
        "GEEN_BESCHIKKING",
    ]
    assert result["status"].tolist() == [0, 1, 1, 3]
    assert result["verschil"].tolist() == [0, 100_00, 100_00, 0]  # 10 of 31 days of € 310, a whole month


def test_dubbele_betaling_fails_the_later_copies_only():
    result = judge(
        "dubbele_betaling",
        [
            payment("B3", payment_date="2026-02-03"),
            payment("B1"),
            payment("B2", payment_date="2026-01-25"),
            payment("B4", amount_cents=-100_00),
            payment("B5", period_from="2026-02-01", period_to="2026-02-28"),
        ],
        [dossier()],
    )
    assert result["status"].to_dict() == {"B3": 1, "B1": 0, "B2": 1, "B4": 2, "B5": 0}
    assert result.loc["B2", "verschil"] == 100_00


@pytest.mark.parametrize(
    ("leefvorm", "a", "norm", "expected"),
    [
        ("1", 1, 131544, 0),  # alleenstaande: 70 % of B
        ("3", 2, 187920, 0),  # gehuwden alone: B
        ("1", 2, 93960, 0),  # alleenstaande with one kostendeler: 50 %
        ("3", 3, 162864, 0),  # gehuwden with a third person: 2 × 43,33 %
        ("1", 2, 131544, 37584),  # kostendeler missed: paid 70 % instead of 50 %
        ("3", 2, 131544, -56376),  # alleenstaande norm for gehuwden
    ],
)
def test_norm_volgens_tabel_applies_the_kostendelersnorm(leefvorm, a, norm, expected):
    result = judge(
        "norm_volgens_tabel",
        [payment("B1", leefvorm=leefvorm, kostendelers=a, norm_amount_cents=norm)],
        [dossier()],
    )
    assert result["verschil"].tolist() == [expected]
    assert result["status"].tolist() == [0 if expected == 0 else 1]


def test_norm_volgens_tabel_uses_the_row_valid_on_the_period_and_says_when_it_cannot_judge():
    result = judge(
        "norm_volgens_tabel",
        [
            payment(
                "B1",
                leefvorm="3",
                kostendelers=2,
                norm_amount_cents=180000,
                period_from="2025-12-01",
                period_to="2025-12-31",
            ),
            payment("B2", leefvorm="3", kostendelers=2, norm_amount_cents=180000),
            payment(
                "B3", leefvorm="3", norm_amount_cents=180000, period_from="2024-12-01", period_to="2024-12-31"
            ),
            payment("B4", leefvorm="9", norm_amount_cents=180000),
            payment("B5"),
        ],
        [dossier()],
    )
    assert result["reden"].tolist() == [
        "NORM_JUIST",
        "NORM_TE_LAAG",
        "GEEN_NORMTABEL",
        "LEEFVORM_ONBEKEND",
        "GEEN_NORMBEDRAG",
    ]
    assert result["status"].tolist() == [0, 1, 3, 3, 2]


def test_inkomsten_verrekend_finds_a_month_without_the_usual_income():
    months = [
        ("2026-01-01", "2026-01-31", 30000, 101544),
        ("2026-02-01", "2026-02-28", 30000, 101544),
        ("2026-03-01", "2026-03-31", 0, 131544),
    ]
    payments = [
        payment(
            f"B{i}",
            period_from=f,
            period_to=t,
            income_amount_cents=inc,
            amount_cents=amt,
            norm_amount_cents=131544,
        )
        for i, (f, t, inc, amt) in enumerate(months, 1)
    ]
    payments.append(
        payment(
            "B4", beschikking_nr="D2", income_amount_cents=0, amount_cents=131544, norm_amount_cents=131544
        )
    )
    result = judge("inkomsten_verrekend", payments, [dossier(), dossier("D2")])
    assert result["status"].tolist() == [0, 0, 1, 0]
    assert result.loc["B3", "verschil"] == 30000


def test_bedrag_binnen_beschikking_pro_rata_for_part_of_a_month_and_whole_for_one_off_grants():
    result = judge(
        "bedrag_binnen_beschikking",
        [
            payment("B1", amount_cents=100_00),
            payment("B2", amount_cents=100_01),
            payment("B3", period_from="2026-01-11", period_to="2026-01-31", amount_cents=70_00),
            payment(
                "B4",
                beschikking_nr="D2",
                amount_cents=500_00,
                period_from="2026-01-05",
                period_to="2026-01-05",
            ),
            payment(
                "B5",
                beschikking_nr="D2",
                amount_cents=600_00,
                period_from="2026-01-05",
                period_to="2026-01-05",
            ),
        ],
        [dossier(), dossier("D2", start_date="2026-01-05", end_date="2026-01-05", amount_per_period=500_00)],
    )
    assert result["status"].tolist() == [0, 1, 1, 0, 1]
    assert result["verschil"].tolist() == [0, 1, 70_00 - 67_74, 0, 100_00]  # 21/31 of € 100 = € 67,74


def test_volume_binnen_toewijzing_values_the_excess_at_the_declared_tariff():
    wmo = {"regeling": "WMO", "product_code": "02A01", "unit": "04"}
    result = judge(
        "volume_binnen_toewijzing",
        [
            payment("B1", volume_milli=8000, amount_cents=291_20, **wmo),
            payment("B2", volume_milli=12000, amount_cents=436_80, **wmo),
            payment("B3"),
        ],
        [dossier(volume=10000, amount_per_period=364_00, **wmo)],
    )
    assert result["status"].tolist() == [0, 1, 2]
    assert result["verschil"].tolist() == [0, 72_80, 0]


@pytest.mark.parametrize("tabel", ["tarieven", None])
def test_tarief_binnen_contract_with_a_table_or_the_beschikking_budget(tabel):
    wmo = {"regeling": "WMO", "product_code": "02A01", "unit": "04"}
    result = judge(
        "tarief_binnen_contract",
        [
            payment("B1", volume_milli=8000, amount_cents=291_20, **wmo),
            payment("B2", volume_milli=8000, amount_cents=320_00, **wmo),
            payment("B3"),
        ],
        [dossier(volume=10000, amount_per_period=364_00, **wmo)],
        tabel=tabel,
    )
    assert result["status"].tolist() == [0, 1, 2]
    assert result["verschil"].tolist() == [0, 28_80, 0]


def test_every_registered_check_is_tested_here():
    tested = {
        "zonder_beschikking",
        "binnen_beschikkingsperiode",
        "dubbele_betaling",
        "norm_volgens_tabel",
        "inkomsten_verrekend",
        "bedrag_binnen_beschikking",
        "volume_binnen_toewijzing",
        "tarief_binnen_contract",
    }
    assert set(REGISTRY) == tested
