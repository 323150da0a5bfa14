"""Errors only a dossier shows: in the ground truth at their rates, tied to a control, the export untouched.

The files are read back with pandas, not through kic, so a mistake in the generator shows up here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from kic.controls.catalogue import Fouttype, Werkproces
from kic.controls.loader import load_catalogue
from kic.synth import ErrorRates, generate
from kic.synth.errors import (
    DOSSIER,
    DOSSIER_ERROR_TYPES,
    ERROR_TYPES,
    FORMEEL,
    FOUT,
    ONZEKERHEID,
    ErrorType,
)
from kic.synth.regelingen import PROFILES
from kic.synth.reviewer import dossier_answers

SIZE = 20_000
CATALOGUE = load_catalogue()
DAY = date(2026, 6, 1)
INCOME = {"PW-LO", "IOAW", "IOAZ", "BBZ"}


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def cents(text: pd.Series) -> pd.Series:
    return text.str.replace(".", "", regex=False).str.replace(",", "", regex=False).astype("int64")


def days(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text.replace("", pd.NA), format="%d-%m-%Y")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    result = generate(tmp_path_factory.mktemp("gemeente"), payments=SIZE, seed=7)
    return result, read(result.payments_path), read(result.dossiers_path), read(result.ground_truth_path)


@pytest.fixture(scope="module")
def on_payments(files) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The ground truth rows of payments, with the payment and its beschikking beside them."""
    _, pay, dos, truth = files
    rows = truth[truth["sleutel_soort"] == "betaling"].merge(pay, left_on="sleutel", right_on="betaling_id")
    return rows.merge(
        dos.add_prefix("b_"), left_on="beschikkingsnummer", right_on="b_beschikkingsnummer", how="left"
    )


@pytest.fixture(scope="module")
def on_dossiers(files) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    _, _, dos, truth = files
    rows = truth[truth["sleutel_soort"] == "beschikking"]
    return rows.merge(dos, left_on="sleutel", right_on="beschikkingsnummer")


def _of(rows: pd.DataFrame, fouttype: str) -> pd.DataFrame:
    found = rows[rows["fouttype"] == fouttype]
    assert len(found) > 0, fouttype
    return found


def test_every_kind_is_in_the_truth_on_payments_and_beschikkingen(files):
    _, _, _, truth = files
    pairs = set(zip(truth["sleutel_soort"], truth["soort"], strict=True))
    assert pairs == {
        ("betaling", FOUT),
        ("betaling", ONZEKERHEID),
        ("betaling", FORMEEL),
        ("beschikking", FOUT),
        ("beschikking", ONZEKERHEID),
        ("beschikking", FORMEEL),
    }
    assert set(truth.loc[truth["sleutel_soort"] == "beschikking", "vindplaats"]) == {"dossier"}
    shown = truth["vindplaats"] == "export"
    assert (truth.loc[shown, "soort"] == FOUT).all() and (truth.loc[shown, "controle"] == "").all()
    assert (truth.loc[~shown, "controle"] != "").all(), "an error only the dossier shows names its control"


def test_payment_types_follow_their_rates_of_all_payments(on_payments):
    rates = ErrorRates()
    for kind in (
        t for t in ERROR_TYPES.values() if t.vindplaats == DOSSIER and t.rate != "verhuisd_niet_gemeld"
    ):
        expected = getattr(rates, kind.rate) * SIZE
        count = (on_payments["fouttype"] == kind.fouttype).sum()
        assert abs(count - expected) <= 0.1 * expected + 2, kind.fouttype
    uncertain = (on_payments["soort"] == ONZEKERHEID).sum()
    assert 0.01 <= uncertain / SIZE <= 0.03, "onzekerheden: 1-3 % of the payments"


def test_beschikking_types_follow_their_rates_of_the_beschikkingen_they_apply_to(files, on_dossiers):
    _, _, dos, _ = files
    rates = ErrorRates()
    decided = (days(dos["besluitdatum"]) - days(dos["aanvraagdatum"])).dt.days
    pools = {
        "IDENTITEIT_NIET_VASTGESTELD": dos["regeling"].isin(INCOME),
        "VERMOGEN_NIET_VASTGESTELD": dos["regeling"].isin({"PW-LO", "IOAZ"}),
        "BESLUIT_NIET_GEMOTIVEERD": dos["regeling"] != "",
        "TERMIJN_OVERSCHREDEN": ((dos["regeling"] == "PW-LO") & (decided > 28)) | (dos["regeling"] == "WMO"),
    }
    for fouttype, pool in pools.items():
        kind = next(t for t in DOSSIER_ERROR_TYPES.values() if t.fouttype == fouttype)
        expected = getattr(rates, kind.rate) * pool.sum()
        count = (on_dossiers["fouttype"] == fouttype).sum()
        assert abs(count - expected) <= 0.2 * expected + 2, (
            fouttype
        )  # beschikkingen wrong earlier are left out
    ended = (dos["regeling"] == "PW-LO") & (dos["status"] == "beëindigd")
    late = (on_dossiers["fouttype"] == "VERHUISD_NIET_GEMELD").sum()
    assert 0 < late <= rates.verhuisd_niet_gemeld * ended.sum() + 1
    formal = (on_dossiers["soort"] == FORMEEL).sum() / len(dos)
    assert 0.01 <= formal <= 0.05, "a few per cent of the beschikkingen have a formal error"


def test_no_dossier_only_error_without_errors_and_none_scaled_away(tmp_path: Path):
    clean = generate(tmp_path / "clean", payments=3_000, error_rates=ErrorRates().scaled(0))
    assert clean.dossier_only == 0 and read(clean.ground_truth_path).empty
    half = generate(tmp_path / "half", payments=3_000, error_rates=ErrorRates().scaled(0.5))
    full = generate(tmp_path / "full", payments=3_000)
    assert 0 < half.dossier_only < full.dossier_only


@pytest.mark.parametrize(
    "kind, profile, control",
    [
        (kind, profile, control)
        for kind in (*ERROR_TYPES.values(), *DOSSIER_ERROR_TYPES.values())
        for profile, control in kind.controls.items()
    ],
    ids=lambda value: value.fouttype if isinstance(value, ErrorType) else str(value),
)
def test_each_named_control_fits_the_regeling_the_werkproces_and_the_kind(kind, profile, control):
    regeling = next(p.regeling for p in PROFILES if p.name == profile)
    found = CATALOGUE.version_for(control, DAY)
    assert found.regeling in (regeling, "ALLE") and found.checklist is not None
    on_payment = kind in ERROR_TYPES.values()
    work = Werkproces.BETALING if on_payment else Werkproces.AANVRAAG
    if kind.fouttype == "VERHUISD_NIET_GEMELD" and not on_payment:
        work = Werkproces.BEEINDIGING
    assert found.applies_to(work), f"{control} is not asked in a sample of {work.value}"
    wanted = {FOUT: Fouttype.FIN, FORMEEL: Fouttype.FORM}.get(kind.soort)
    assert wanted is None or found.error_type is wanted
    assert dossier_answers(found, kind.soort, Decimal("800.00"), Decimal("120.00")) is not None


def test_the_truth_names_the_control_of_the_items_regeling(on_payments, on_dossiers):
    by_regeling = {p.name: p.regeling for p in PROFILES}
    for rows in (on_payments, on_dossiers):
        hidden = rows[rows["vindplaats"] == "dossier"]
        for (fouttype, regeling), part in hidden.groupby(["fouttype", "regeling"]):
            types = [*ERROR_TYPES.values(), *DOSSIER_ERROR_TYPES.values()]
            allowed = {
                control
                for t in types
                if t.fouttype == fouttype
                for profile, control in t.controls.items()
                if by_regeling[profile] == regeling
            }
            assert set(part["controle"]) <= allowed, (fouttype, regeling)


def test_unreported_income_leaves_a_consistent_payment_and_costs_part_of_it(on_payments):
    rows = _of(on_payments, "INKOMSTEN_NIET_OPGEGEVEN")
    assert set(rows["regeling"]) <= INCOME and (rows["normbedrag"] != "").all()
    assert (cents(rows["bedrag"]) == cents(rows["normbedrag"]) - cents(rows["inkomsten"])).all()
    error = cents(rows["foutbedrag"])
    assert (error > 0).all() and (error <= cents(rows["bedrag"])).all() and (error <= 60_000).all()


def test_missing_evidence_makes_the_whole_payment_uncertain(on_payments):
    rows = _of(on_payments, "BEWIJS_ONTBREEKT")
    assert (rows["soort"] == ONZEKERHEID).all() and (rows["foutbedrag"] == rows["bedrag"]).all()
    assert {"PW-LO", "WMO", "JEUGD"} <= set(rows["regeling"]) and not {"PW-IIT", "WGS"} & set(
        rows["regeling"]
    )


def test_an_unauthorised_manual_payment_is_a_formal_error_without_amount(on_payments):
    rows = _of(on_payments, "HANDMATIG_NIET_GEACCORDEERD")
    assert (rows["handmatig"] == "ja").all() and (rows["foutbedrag"] == "0,00").all()
    assert (rows["soort"] == FORMEEL).all() and set(rows["controle"]) == {"ALG-14"}


def test_a_move_not_reported_ends_the_beschikking_too_late_and_makes_its_last_payments_wrong(
    files, on_payments, on_dossiers
):
    _, pay, _, _ = files
    late = _of(on_dossiers, "VERHUISD_NIET_GEMELD")
    wrong = _of(on_payments, "VERHUISD_NIET_GEMELD")
    assert set(late["controle"]) == {"PWLO-18"} and set(wrong["controle"]) == {"ALG-07"}
    assert (late["status"] == "beëindigd").all() and (days(late["einddatum"]).dt.year == 2026).all()
    assert set(wrong["beschikkingsnummer"]) == set(late["beschikkingsnummer"])
    assert (wrong["foutbedrag"] == wrong["bedrag"]).all()
    paid = cents(wrong["foutbedrag"]).groupby(wrong["beschikkingsnummer"]).sum()
    assert (cents(late["foutbedrag"]).to_numpy() == paid[late["beschikkingsnummer"]].to_numpy()).all()
    debits = pay[(pay["beschikkingsnummer"].isin(late["beschikkingsnummer"])) & (pay["debet_credit"] == "D")]
    for number, payments in debits.groupby("beschikkingsnummer"):
        ordered = payments.assign(van=days(payments["periode_van"])).sort_values("van")
        flagged = ordered["betaling_id"].isin(wrong["betaling_id"]).to_list()
        assert 1 <= sum(flagged) <= 2 and flagged[-sum(flagged) :] == [True] * sum(flagged), number
        assert len(flagged) > sum(flagged), "the months before the move were due"


def test_beschikking_rows_hold_the_amount_per_period_or_none(on_dossiers):
    uncertain = on_dossiers[on_dossiers["soort"] == ONZEKERHEID]
    assert len(uncertain) and (uncertain["foutbedrag"] == uncertain["bedrag_per_periode"]).all()
    formal = on_dossiers[on_dossiers["soort"] == FORMEEL]
    assert len(formal) and (formal["foutbedrag"] == "0,00").all()
    voorschot = _of(on_dossiers, "TERMIJN_OVERSCHREDEN")
    bijstand = voorschot[voorschot["regeling"] == "PW-LO"]
    assert (
        len(bijstand)
        and ((days(bijstand["besluitdatum"]) - days(bijstand["aanvraagdatum"])).dt.days > 28).all()
    )
    assert set(voorschot["regeling"]) <= {"PW-LO", "WMO"}


def test_the_descriptions_keep_the_file_readable(files):
    result, _, _, truth = files
    text = result.ground_truth_path.read_text(encoding="utf-8-sig")
    assert {line.count(";") for line in text.splitlines()} == {7}, "no separator inside a description"
    assert truth.groupby("fouttype")["omschrijving"].nunique().max() <= 2


def test_bbz_payments_carry_the_bus_classificatie(files):
    _, pay, _, _ = files
    bbz = pay["regeling"] == "BBZ"
    assert (pay.loc[~bbz, "bbz_classificatie"] == "").all()
    levensonderhoud, kapitaal = bbz & (pay["product"] == "BBZ-LO"), bbz & (pay["product"] == "BBZ-KAP")
    assert (levensonderhoud | kapitaal).sum() == bbz.sum() > 0
    shares = pay.loc[levensonderhoud, "bbz_classificatie"].value_counts(normalize=True)
    assert set(shares.index) <= {"1", "2", "3"} and shares["1"] > 0.5 > shares.get("3", 0)
    assert set(pay.loc[kapitaal, "bbz_classificatie"]) <= {"1", "2"}
    per_beschikking = pay[bbz].groupby("beschikkingsnummer")["bbz_classificatie"].nunique()
    assert (per_beschikking == 1).all(), "a beschikking has one classificatie"
