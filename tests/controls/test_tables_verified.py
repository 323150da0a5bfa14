"""Every reference-table row says whether its figures were verified, and the overview lists what is not.

Issue 16: a row's ``geverifieerd`` is required (true only where docs/catalogue-sources.md names a checked
source), a check gives no verdict on a row that is an estimate, and docs/catalogue.md has a section of
its own with the control versions and table rows that are not verified.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from kic.controls import load_catalogue
from kic.controls.checks import NIET_TE_BEOORDELEN, VOLDOET, CheckInput, run_check
from kic.controls.errors import ControlDefinitionError
from kic.controls.overview import render
from kic.controls.tables import Table, parse_table

SHIPPED = load_catalogue(override=None)


def _rows(*rows: str) -> dict:
    return yaml.safe_load("rijen:\n" + "".join(f"  - {row}\n" for row in rows))


def test_a_row_without_the_flag_or_with_another_value_is_refused():
    table, problems = parse_table(
        "t",
        _rows(
            "{geldig_van: 2025-01-01, geldig_tot: 2025-12-31, bedrag: 1}",
            "{geldig_van: 2026-01-01, geldig_tot: null, bedrag: 2, geverifieerd: ja}",
        ),
        "tabellen/t.yaml",
    )
    assert table is None
    assert [(p.field, p.message.split(":")[0]) for p in problems] == [
        ("rijen[0].geverifieerd", "ontbreekt"),
        ("rijen[1].geverifieerd", "is geen true of false"),
    ]


def test_the_flag_is_read_and_the_unverified_rows_are_known():
    table, problems = parse_table(
        "t",
        _rows(
            "{geldig_van: 2025-01-01, geldig_tot: 2025-12-31, bedrag: 1, geverifieerd: true}",
            "{geldig_van: 2026-01-01, geldig_tot: null, bedrag: 2, geverifieerd: false}",
        ),
        "tabellen/t.yaml",
    )
    assert problems == [] and table is not None
    assert [r["geldig_van"] for r in table.unverified_rows()] == [date(2026, 1, 1)]


def test_a_gemeente_table_without_the_flag_stops_the_catalogue_with_the_place(tmp_path: Path):
    (tmp_path / "tabellen").mkdir()
    (tmp_path / "tabellen" / "normbedragen.yaml").write_text(
        "rijen:\n  - {geldig_van: 2027-01-01, geldig_tot: null, gehuwden: 2100.00}\n", encoding="utf-8"
    )
    with pytest.raises(ControlDefinitionError) as refused:
        load_catalogue(tmp_path)
    assert [str(p) for p in refused.value.problems] == [
        "tabellen/normbedragen.yaml, veld rijen[0].geverifieerd: ontbreekt: true als de bedragen in de genoemde "
        "bron zijn nagelopen, false als het een schatting of een nog te vervangen waarde is"
    ]


def test_an_unknown_normberekening_is_refused():
    content = _rows("{geldig_van: 2025-01-01, geldig_tot: null, gehuwden: 1, geverifieerd: true}")
    table, problems = parse_table("t", {**content, "normberekening": "netto_plus"}, "tabellen/t.yaml")
    assert table is None and [p.field for p in problems] == ["normberekening"]


def test_every_shipped_row_carries_the_flag_and_true_only_where_a_source_was_checked():
    flags = {
        name: {(str(r["geldig_van"]), r.get("regeling"), r.get("soort")): r["geverifieerd"] for r in t.rows}
        for name, t in SHIPPED.tables.items()
    }
    assert all(isinstance(v, bool) for rows in flags.values() for v in rows.values())
    assert set(flags["normbedragen"].values()) == {True}
    grondslagen = {k[0]: v for k, v in flags["ioaw_ioaz_grondslagen"].items()}
    assert grondslagen == {
        "2023-07-01": True,  # RSD De Liemers publishes the bruto grondslagen per 1 juli 2023
        "2024-01-01": False,
        "2024-07-01": False,
        "2025-01-01": False,
        "2025-07-01": False,
        "2026-01-01": False,
        "2026-07-01": False,
    }
    abonnement = {k[0]: v for k, v in flags["wmo_abonnementstarief"].items()}
    assert abonnement == {f"{year}-01-01": year < 2025 for year in range(2019, 2027)}
    assert flags["beslistermijnen"][("2015-01-01", "JEUGD", "retourbericht")] is False  # 'niet nagelopen'
    assert flags["beslistermijnen"][("2015-01-01", "WMO", "beslistermijn")] is True


def test_an_unverified_row_has_no_amount_it_could_pass_off_as_a_finding():
    rows = SHIPPED.tables["wmo_abonnementstarief"].rows
    assert all(r["bedrag"] is None for r in rows if not r["geverifieerd"])
    assert all(r["bedrag"] is not None and r.get("bron") for r in rows if r["geverifieerd"])
    periods = [(r["geldig_van"], r["geldig_tot"]) for r in rows]
    assert periods == [(date(y, 1, 1), date(y, 12, 31)) for y in range(2019, 2027)], "één rij per jaar"


def test_the_overview_lists_the_unverified_controls_and_rows_in_a_section_of_their_own():
    text = render(SHIPPED)
    assert text.count("## Niet geverifieerd") == 1
    section = text.split("## Niet geverifieerd", 1)[1]
    controls = [c for c in SHIPPED.all_versions() if not c.legal_basis_verified]
    rows = [(n, r) for n, t in SHIPPED.tables.items() for r in t.unverified_rows()]
    assert (
        f"### Controles ({len(controls)} versies)" in section and f"### Tabelrijen ({len(rows)})" in section
    )
    assert "| IO-02 | 2 | 2015-01-01 – 2025-12-31 |" in section  # compared with the netto table
    assert (
        "| IO-02 | 3 |" not in section and "| PWLO-06 |" not in section
    )  # verified grondslagen are not listed
    assert "| `ioaw_ioaz_grondslagen` | 2026-01-01 – 2026-06-30 |" in section
    assert "| `ioaw_ioaz_grondslagen` | 2023-07-01" not in section
    assert "| `wmo_abonnementstarief` | 2025-01-01 – 2025-12-31 |" in section
    assert "| `normbedragen` |" not in section
    assert "| `ioaw_ioaz_grondslagen` | 7 | 6 | 2023-07-01 |" in text  # the count per table


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


def test_the_norm_check_gives_no_verdict_on_an_unverified_row():
    table = Table(
        "normbedragen",
        (
            {
                "geldig_van": date(2025, 1, 1),
                "geldig_tot": date(2025, 12, 31),
                "gehuwden": 1800.0,
                "geverifieerd": True,
            },
            {"geldig_van": date(2026, 1, 1), "geldig_tot": None, "gehuwden": 1900.0, "geverifieerd": False},
        ),
    )
    frame = _frame(
        ("3", 2, 1800_00, "2025-06-01"), ("3", 2, 1900_00, "2026-06-01"), ("3", 2, 1, "2026-06-01")
    )
    outcome = run_check("norm_volgens_tabel", {}, CheckInput(frame, {"normbedragen": table}))
    assert outcome.status.tolist() == [VOLDOET, NIET_TE_BEOORDELEN, NIET_TE_BEOORDELEN]
    assert outcome.reason.tolist() == [
        "NORM_JUIST",
        "NORMTABEL_NIET_GEVERIFIEERD",
        "NORMTABEL_NIET_GEVERIFIEERD",
    ]
    assert outcome.difference.tolist() == [0, 0, 0]
