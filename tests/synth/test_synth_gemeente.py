"""The synthetic gemeente read back as an importer would: every fact checked from the files alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kic.population.bsn import valid_bsn_mask
from kic.population.schema import DOSSIER_COLUMNS, PAYMENT_COLUMNS
from kic.synth import ErrorRates, SynthError, generate
from kic.synth.errors import EXPORT_FOUTTYPES
from kic.synth.norms import gehuwdennorm_cents, norm_cents, norm_cents_rows
from kic.synth.products import CONTRACTTARIEVEN
from kic.synth.regelingen import regeling_index

SIZE = 20_000


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def cents(text: pd.Series) -> pd.Series:
    """``-1.234,56`` -> -123456 without passing through float."""
    return text.str.replace(".", "", regex=False).str.replace(",", "", regex=False).astype("int64")


def dates(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text, format="%d-%m-%Y")


@pytest.fixture(scope="module")
def gemeente(tmp_path_factory: pytest.TempPathFactory):
    result = generate(tmp_path_factory.mktemp("gemeente"), payments=SIZE, seed=7)
    return result, read(result.payments_path), read(result.dossiers_path), read(result.ground_truth_path)


def export_errors(truth: pd.DataFrame) -> pd.DataFrame:
    """The rows of the ground truth on payments that the export shows, keyed by betaling_id."""
    shown = truth[(truth["sleutel_soort"] == "betaling") & (truth["vindplaats"] == "export")]
    return shown.rename(columns={"sleutel": "betaling_id"})


@pytest.fixture(scope="module")
def joined(gemeente) -> pd.DataFrame:
    """Payments with the errors the export shows and their beschikking (if it exists). An error only the
    dossier shows leaves the payment as a correct one in the export: here its fouttype is empty."""
    _, pay, dos, truth = gemeente
    table = pay.merge(export_errors(truth), on="betaling_id", how="left").fillna({"fouttype": ""})
    return table.merge(
        dos.add_prefix("b_"),
        left_on="beschikkingsnummer",
        right_on="b_beschikkingsnummer",
        how="left",
        indicator=True,
    )


def test_headers_are_exactly_the_import_schema(gemeente):
    _, pay, dos, truth = gemeente
    assert list(pay.columns) == [c.header for c in PAYMENT_COLUMNS]
    assert list(dos.columns) == [c.header for c in DOSSIER_COLUMNS]
    assert list(truth.columns) == [
        "sleutel_soort",
        "sleutel",
        "fouttype",
        "soort",
        "vindplaats",
        "controle",
        "foutbedrag",
        "omschrijving",
    ]


def test_file_starts_with_bom_and_uses_dutch_number_and_date_formats(gemeente):
    result, pay, _, _ = gemeente
    assert result.payments_path.read_bytes().startswith(b"\xef\xbb\xbfbetaling_id;")
    assert pay["bedrag"].str.fullmatch(r"-?\d{1,3}(\.\d{3})*,\d{2}").all()
    assert pay["betaaldatum"].str.fullmatch(r"\d{2}-\d{2}-2026").all()
    assert (pay["volume"] == "").sum() > 0
    assert pay.loc[pay["volume"] != "", "volume"].str.fullmatch(r"\d{1,3}(\.\d{3})*,\d{2}").all()


def test_result_counts_and_totals_match_the_files(gemeente):
    result, pay, dos, truth = gemeente
    assert result.payments == len(pay) == SIZE
    assert result.dossiers == len(dos)
    assert (
        result.errors
        == len(truth)
        == sum(result.errors_by_type.values())
        == sum(result.errors_by_kind.values())
    )
    assert result.errors_by_kind == truth["soort"].value_counts().to_dict()
    assert result.dossier_only == (truth["vindplaats"] == "dossier").sum() > 0
    assert result.total_amount == cents(pay["bedrag"]).sum()
    on_payments = truth[truth["sleutel_soort"] == "betaling"]
    assert result.total_error == cents(on_payments.loc[on_payments["soort"] == "fout", "foutbedrag"]).sum()
    assert (
        result.total_uncertain
        == cents(on_payments.loc[on_payments["soort"] == "onzekerheid", "foutbedrag"]).sum()
    )


def test_every_bsn_passes_the_elfproef_and_each_client_has_one(gemeente):
    _, pay, dos, _ = gemeente
    assert valid_bsn_mask(pay["bsn"]).all()
    assert valid_bsn_mask(dos["bsn"]).all()
    both = pd.concat([pay[["client_id", "bsn"]], dos[["client_id", "bsn"]]]).drop_duplicates()
    assert both["client_id"].is_unique and both["bsn"].is_unique
    assert both["client_id"].str.fullmatch(r"C\d{7}").all()


def test_keys_are_unique(gemeente):
    _, pay, dos, truth = gemeente
    assert pay["betaling_id"].is_unique
    assert dos["beschikkingsnummer"].is_unique
    assert set(truth["sleutel_soort"]) == {"betaling", "beschikking"}
    assert truth["sleutel"].is_unique, "a payment and a beschikking carry at most one error each"
    on_payments = truth["sleutel_soort"] == "betaling"
    assert truth.loc[on_payments, "sleutel"].isin(pay["betaling_id"]).all()
    assert truth.loc[~on_payments, "sleutel"].isin(dos["beschikkingsnummer"]).all()


def test_dates_are_in_order(gemeente):
    _, pay, dos, _ = gemeente
    assert (dates(pay["periode_van"]) <= dates(pay["periode_tot"])).all()
    assert (dates(dos["aanvraagdatum"]) <= dates(dos["besluitdatum"])).all()
    ended = dos["einddatum"] != ""
    assert (dates(dos.loc[ended, "ingangsdatum"]) <= dates(dos.loc[ended, "einddatum"])).all()


def test_correct_payments_rest_on_a_beschikking_that_covers_their_period(joined):
    correct = joined[joined["fouttype"] == ""]
    assert (correct["_merge"] == "both").all()
    assert (correct["client_id"] == correct["b_client_id"]).all()
    assert (correct["regeling"] == correct["b_regeling"]).all()
    assert (dates(correct["periode_van"]) >= dates(correct["b_ingangsdatum"])).all()
    open_end = correct["b_einddatum"] == ""
    assert (
        dates(correct.loc[~open_end, "periode_tot"]) <= dates(correct.loc[~open_end, "b_einddatum"])
    ).all()


def test_every_regeling_is_present_with_credits_and_manual_payments(gemeente):
    _, pay, _, _ = gemeente
    assert set(pay["regeling"]) == {
        "PW-LO",
        "PW-BB",
        "PW-IIT",
        "IOAW",
        "IOAZ",
        "BBZ",
        "WGS",
        "WMO",
        "JEUGD",
        "WKO",
    }
    assert 0 < (cents(pay["bedrag"]) < 0).sum() < 0.01 * SIZE
    assert set(pay["handmatig"]) == {"ja", "nee"}
    assert pay["medewerker"].str.fullmatch(r"MW(0[1-9]|1\d|2[0-5])").all()


def test_error_counts_follow_the_rates(gemeente):
    _, _, _, truth = gemeente
    rates = ErrorRates()
    counts = export_errors(truth)["fouttype"].value_counts()
    assert set(counts.index) == set(EXPORT_FOUTTYPES)
    for name, code in zip(
        (
            "geen_beschikking",
            "bedrag_boven_beschikking",
            "volume_boven_toewijzing",
            "tarief_boven_contract",
            "norm_onjuist",
            "inkomsten_niet_verrekend",
            "buiten_periode",
            "dubbele_betaling",
        ),
        EXPORT_FOUTTYPES,
        strict=True,
    ):
        assert abs(counts[code] - getattr(rates, name) * SIZE) <= 0.1 * getattr(rates, name) * SIZE + 2
    assert 0.04 <= counts.sum() / SIZE <= 0.06


def _of(joined: pd.DataFrame, fouttype: str) -> pd.DataFrame:
    rows = joined[joined["fouttype"] == fouttype]
    assert len(rows) > 0
    return rows


def _int(series: pd.Series) -> pd.Series:
    return series.astype("int64")


def test_norm_onjuist_shows_in_the_normbedrag_and_the_foutbedrag_is_paid_minus_correct(joined):
    rows = _of(joined, "NORM_ONJUIST")
    correct_norm = _table_norm(rows)
    assert (cents(rows["normbedrag"]).to_numpy() != correct_norm).all()
    due = correct_norm - cents(rows["inkomsten"]).to_numpy()
    assert (cents(rows["bedrag"]).to_numpy() - due == cents(rows["foutbedrag"]).to_numpy()).all()
    assert (cents(rows["foutbedrag"]) > 0).any() and (cents(rows["foutbedrag"]) < 0).any()


def _days(rows: pd.DataFrame) -> np.ndarray:
    days = pd.to_datetime(rows["periode_van"], format="%d-%m-%Y").to_numpy().astype("datetime64[D]")
    return days.astype(np.int64)


def _b(rows: pd.DataFrame) -> np.ndarray:
    """B, the gehuwdennorm of the catalogue's table, valid on each payment's period."""
    return gehuwdennorm_cents(_days(rows))


def _table_norm(rows: pd.DataFrame) -> np.ndarray:
    """The norm each row should pay: the IOAW/IOAZ bruto grondslag or the Participatiewet norm."""
    codes = np.array([regeling_index(code) for code in rows["regeling"]], dtype=np.int64)
    return norm_cents_rows(
        codes, _int(rows["leefvorm"]).to_numpy(), _int(rows["kostendelers"]).to_numpy(), _days(rows)
    )


def test_the_synthetic_norms_are_the_catalogue_table():
    # controls/tabellen/normbedragen.yaml: gehuwden per 1 januari 2024 € 1.742,34 (excl. vt).
    assert gehuwdennorm_cents(np.array([np.datetime64("2024-03-01", "D").astype(np.int64)])).tolist() == [
        174_234
    ]


def test_correct_income_payments_use_the_table_norm(joined):
    rows = joined[(joined["fouttype"] == "") & (joined["normbedrag"] != "")]
    assert (cents(rows["normbedrag"]).to_numpy() == _table_norm(rows)).all()


def test_ioaw_and_ioaz_pay_the_bruto_grondslag_not_the_netto_bijstandsnorm(joined):
    # IOAW/IOAZ art. 5: the grondslag is a bruto amount (controls/tabellen/ioaw_ioaz_grondslagen.yaml),
    # higher than the netto Participatiewet norm of the same household.
    rows = joined[(joined["fouttype"] == "") & joined["regeling"].isin(["IOAW", "IOAZ"])]
    assert set(rows["regeling"]) == {"IOAW", "IOAZ"}
    netto = norm_cents(_int(rows["leefvorm"]).to_numpy(), _int(rows["kostendelers"]).to_numpy(), _b(rows))
    bruto = cents(rows["normbedrag"]).to_numpy()
    assert (bruto == _table_norm(rows)).all()
    assert (bruto > netto).all()


def test_inkomsten_niet_verrekend_pays_more_than_the_beschikking(joined):
    rows = _of(joined, "INKOMSTEN_NIET_VERREKEND")
    assert (cents(rows["inkomsten"]) == 0).all()
    assert (cents(rows["bedrag"]) == cents(rows["normbedrag"])).all()
    # The beschikking states the amount after the year's last norm change (1 July); before that the
    # month's norm is lower, so the excess over the beschikking is at most the income left out.
    excess = cents(rows["bedrag"]) - cents(rows["b_bedrag_per_periode"])
    assert (excess > 0).all() and (excess <= cents(rows["foutbedrag"])).all()
    assert (excess == cents(rows["foutbedrag"])).any()


def tariff(rows: pd.DataFrame) -> pd.Series:
    return rows["product"].map(CONTRACTTARIEVEN).astype("int64")


def test_volume_and_tariff_errors_are_measured_against_toewijzing_and_contract(joined):
    volume = _of(joined, "VOLUME_BOVEN_TOEWIJZING")
    assert (cents(volume["volume"]) > cents(volume["b_volume"])).all()
    allowed = (cents(volume["b_volume"]) * tariff(volume) + 50) // 100
    assert (cents(volume["bedrag"]) - allowed == cents(volume["foutbedrag"])).all()
    rate = _of(joined, "TARIEF_BOVEN_CONTRACT")
    assert (cents(rate["volume"]) <= cents(rate["b_volume"])).all()
    contract = (cents(rate["volume"]) * tariff(rate) + 50) // 100
    assert (cents(rate["bedrag"]) - contract == cents(rate["foutbedrag"])).all()
    correct = joined[(joined["fouttype"] == "") & (joined["volume"] != "") & (joined["bedrag"].str[0] != "-")]
    assert (cents(correct["volume"]) <= cents(correct["b_volume"])).all()
    assert (cents(correct["bedrag"]) == (cents(correct["volume"]) * tariff(correct) + 50) // 100).all()


def test_bedrag_boven_beschikking_exceeds_the_grant(joined):
    rows = _of(joined, "BEDRAG_BOVEN_BESCHIKKING")
    assert (cents(rows["bedrag"]) - cents(rows["b_bedrag_per_periode"]) == cents(rows["foutbedrag"])).all()


def test_whole_amount_is_wrong_without_beschikking_or_outside_its_period(joined):
    missing = _of(joined, "GEEN_BESCHIKKING")
    assert (missing["_merge"] == "left_only").all()
    assert (missing["beschikkingsnummer"] == "").any() and (missing["beschikkingsnummer"] != "").any()
    outside = _of(joined, "BUITEN_PERIODE")
    end = dates(outside["b_einddatum"].replace("", "31-12-2999"))
    after = dates(outside["periode_van"]) > end
    before = dates(outside["periode_tot"]) < dates(outside["b_ingangsdatum"])
    assert (after | before).all()
    for rows in (missing, outside):
        assert (rows["bedrag"] == rows["foutbedrag"]).all()


def test_a_duplicate_repeats_an_earlier_payment(joined):
    key = ["client_id", "regeling", "beschikkingsnummer", "periode_van", "periode_tot", "bedrag"]
    duplicates = _of(joined, "DUBBELE_BETALING")
    originals = joined[joined["fouttype"] == ""].merge(
        duplicates[[*key, "betaling_id"]], on=key, suffixes=("", "_dup")
    )
    assert set(originals["betaling_id_dup"]) == set(duplicates["betaling_id"])
    assert (originals["betaling_id"] < originals["betaling_id_dup"]).all()
    correct = joined[(joined["fouttype"] == "") & (joined["bedrag"].str[0] != "-")]
    assert not correct.duplicated(key).any()


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path: Path):
    first = generate(tmp_path / "a", payments=2_000, seed=11)
    second = generate(tmp_path / "b", payments=2_000, seed=11)
    other = generate(tmp_path / "c", payments=2_000, seed=12)
    for attr in ("payments_path", "dossiers_path", "ground_truth_path"):
        assert getattr(first, attr).read_bytes() == getattr(second, attr).read_bytes()
    assert first.payments_path.read_bytes() != other.payments_path.read_bytes()


def test_error_rates_can_be_switched_off_and_scaled(tmp_path: Path):
    clean = generate(tmp_path / "clean", payments=2_000, error_rates=ErrorRates().scaled(0))
    single = generate(tmp_path / "single", payments=2_000)
    double = generate(tmp_path / "double", payments=2_000, error_rates=ErrorRates().scaled(2))
    assert (
        clean.errors == 0
        and clean.total_error == 0
        and clean.total_uncertain == 0
        and clean.payments == 2_000
    )
    assert read(clean.ground_truth_path).empty, "no error of any kind, in the export or the dossier"
    assert single.dossier_only > 0 and double.errors == pytest.approx(2 * single.errors, rel=0.1)
    for kind, count in single.errors_by_kind.items():
        assert count > 0 and double.errors_by_kind[kind] == pytest.approx(2 * count, rel=0.25), kind


def test_impossible_requests_are_refused(tmp_path: Path):
    with pytest.raises(SynthError):
        generate(tmp_path, payments=10)
    with pytest.raises(SynthError):
        generate(tmp_path, payments=2_000, error_rates=ErrorRates(norm_onjuist=0.9))


def test_progress_reports_each_step(tmp_path: Path):
    steps: list[str] = []
    generate(tmp_path, payments=500, progress=steps.append)
    assert len(steps) >= 3 and all(isinstance(step, str) for step in steps)


def test_the_norm_follows_the_kostendelersnorm_formula():
    b = 187_920
    leefvorm = np.array([1, 2, 3, 1, 1, 3, 3])
    a = np.array([1, 1, 2, 2, 3, 3, 4])
    expected = [
        round(0.7 * b),
        round(0.7 * b),
        b,
        round(0.5 * b),
        round(1.3 / 3 * b),
        round(2 * 1.3 / 3 * b),
        round(2 * 1.6 / 4 * b),
    ]
    assert norm_cents(leefvorm, a, np.full(len(a), b)).tolist() == expected


def test_the_importer_accepts_both_files_without_a_single_issue(gemeente):
    reader = pytest.importorskip("kic.population.reader")
    validate = pytest.importorskip("kic.population.validate")
    result = gemeente[0]
    for kind, path in (("betalingen", result.payments_path), ("beschikkingen", result.dossiers_path)):
        checked = validate.validate(kind, reader.read_table(path, path.read_bytes(), reader.Mapping()))
        assert checked.issues == []
        if kind == "betalingen":
            assert int(checked.columns["amount"].sum()) == result.total_amount
