"""Registered checks: named, parameterised, vectorised judgements of every payment in scope.

A check declares its parameters as a pydantic model, so a control file with a wrong parameter
fails when the catalogue loads, not halfway through a run. A check gets the payments in scope
(joined to their beschikking) and returns per payment a status, the difference in cents for a
fout (what was paid too much; negative when too little) and a stable reason code. The Dutch
explanation of each reason code lives beside the check in ``REASONS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kic.controls.errors import dutch_message
from kic.controls.tables import GRONDSLAG_PER_LEEFVORM, Table, is_verified, money_cents, periods_of
from kic.vocabulary import ControlStatus

# plain ints for numpy arrays of eleven million outcomes; their names are ControlStatus
VOLDOET, FOUT, NVT, NIET_TE_BEOORDELEN = (int(status) for status in ControlStatus)
STATUS_NAMES: tuple[str, ...] = tuple(status.word for status in ControlStatus)
MONTH_DAYS_MIN = 28  # a beschikking shorter than this is a one-off grant, not an amount per month


class Parameters(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class CheckInput:
    frame: pd.DataFrame
    tables: Mapping[str, Table]


@dataclass
class CheckOutcome:
    """Per payment: status code, difference in cents, reason code."""

    status: np.ndarray
    difference: np.ndarray
    reason: np.ndarray

    @classmethod
    def start(cls, n: int, reason: str) -> CheckOutcome:
        return cls(
            np.full(n, VOLDOET, dtype=np.int8), np.zeros(n, dtype=np.int64), np.full(n, reason, dtype=object)
        )

    def set(self, mask: np.ndarray, status: int, reason: str, difference: np.ndarray | None = None) -> None:
        """Mark the rows of ``mask``; later calls override earlier ones."""
        mask = np.asarray(mask, dtype=bool)
        self.status[mask] = status
        self.reason[mask] = reason
        self.difference[mask] = 0 if difference is None else np.asarray(difference, dtype=np.int64)[mask]


@dataclass(frozen=True)
class Check:
    name: str
    parameters: type[Parameters]
    run: Callable[[CheckInput, Any], CheckOutcome]
    description: str


REGISTRY: dict[str, Check] = {}
REASONS: dict[str, str] = {
    "CREDITERING": "creditering (negatief bedrag): niet beoordeeld",
    "GEEN_BESCHIKKING": "geen (bestaande) beschikking gekoppeld, dus niet te toetsen",
    "REGEL_VOLDAAN": "de regel is waar",
    "REGEL_NIET_VOLDAAN": "de regel is onwaar",
    "REGEL_ONBEPAALD": "de regel kon niet worden bepaald: een gebruikte waarde ontbreekt",
    "VOORWAARDE_NIET_VAN_TOEPASSING": "de voorwaarde van de controle geldt niet voor deze betaling",
}


def register(
    name: str, parameters: type[Parameters], reasons: dict[str, str]
) -> Callable[[Callable], Callable]:
    """Register a check under ``name`` with its parameter model and the reason codes it may give."""

    def decorator(fn: Callable[[CheckInput, Any], CheckOutcome]) -> Callable[[CheckInput, Any], CheckOutcome]:
        REGISTRY[name] = Check(name, parameters, fn, (fn.__doc__ or "").strip().splitlines()[0])
        REASONS.update(reasons)
        return fn

    return decorator


def validate_parameters(name: str, parameters: dict[str, Any]) -> Parameters:
    """The parameters as the check's model; a ValueError in Dutch names what is wrong."""
    if name not in REGISTRY:
        raise ValueError(f"onbekende check '{name}'; bekend: {', '.join(sorted(REGISTRY))}")
    try:
        return REGISTRY[name].parameters.model_validate(parameters)
    except ValidationError as exc:
        wrong = "; ".join(
            f"parameters.{'.'.join(map(str, e['loc']))}: {dutch_message(e)}" for e in exc.errors()
        )
        raise ValueError(f"check '{name}': {wrong}") from None


def run_check(name: str, parameters: dict[str, Any], data: CheckInput) -> CheckOutcome:
    check = REGISTRY[name]
    return check.run(data, validate_parameters(name, parameters))


# --- helpers over the joined frame -------------------------------------------------------------


def _ints(frame: pd.DataFrame, column: str, fill: int = 0) -> np.ndarray:
    return frame[column].fillna(fill).to_numpy(dtype=np.int64)


def _present(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].notna().to_numpy()


def _debit(frame: pd.DataFrame) -> np.ndarray:
    return _ints(frame, "bedrag") > 0


def _half_up_div(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Integer division rounded half up, for non-negative numerators."""
    denominator = np.maximum(denominator, 1)
    return (2 * numerator + denominator) // (2 * denominator)


def _days(frame: pd.DataFrame, start: str, end: str) -> np.ndarray:
    return (frame[end].to_numpy(dtype="datetime64[D]") - frame[start].to_numpy(dtype="datetime64[D]")).astype(
        np.int64
    )


def _start_without_credit_or_dossier(data: CheckInput, ok: str) -> CheckOutcome:
    frame = data.frame
    outcome = CheckOutcome.start(len(frame), ok)
    outcome.set(~frame["_beschikking_gevonden"].to_numpy(), NIET_TE_BEOORDELEN, "GEEN_BESCHIKKING")
    outcome.set(~_debit(frame), NVT, "CREDITERING")
    return outcome


# --- the checks ---------------------------------------------------------------------------------


class NoParameters(Parameters):
    pass


@register(
    "zonder_beschikking",
    NoParameters,
    {
        "BESCHIKKING_AANWEZIG": "de betaling rust op een bestaande beschikking van dezelfde cliënt en regeling",
        "GEEN_BESCHIKKINGSNUMMER": "de betaling heeft geen beschikkingsnummer",
        "BESCHIKKING_ONBEKEND": "het beschikkingsnummer komt niet voor in de beschikkingen",
        "BESCHIKKING_ANDERE_CLIENT": "de beschikking hoort bij een andere cliënt",
        "BESCHIKKING_ANDERE_REGELING": "de beschikking hoort bij een andere regeling",
    },
)
def zonder_beschikking(data: CheckInput, _params: NoParameters) -> CheckOutcome:
    """Betaling zonder (bestaande) beschikking: het hele bedrag is fout."""
    frame = data.frame
    amount = _ints(frame, "bedrag")
    found = frame["_beschikking_gevonden"].to_numpy()
    outcome = CheckOutcome.start(len(frame), "BESCHIKKING_AANWEZIG")
    other_regeling = found & (frame["regeling"].to_numpy() != frame["beschikking.regeling"].to_numpy())
    other_client = found & (frame["client_id"].to_numpy() != frame["beschikking.client_id"].to_numpy())
    outcome.set(other_regeling, FOUT, "BESCHIKKING_ANDERE_REGELING", amount)
    outcome.set(other_client, FOUT, "BESCHIKKING_ANDERE_CLIENT", amount)
    outcome.set(~found & _present(frame, "beschikkingsnummer"), FOUT, "BESCHIKKING_ONBEKEND", amount)
    outcome.set(~_present(frame, "beschikkingsnummer"), FOUT, "GEEN_BESCHIKKINGSNUMMER", amount)
    outcome.set(amount <= 0, NVT, "CREDITERING")
    return outcome


@register(
    "binnen_beschikkingsperiode",
    NoParameters,
    {
        "BINNEN_PERIODE": "de periode van de betaling valt binnen de looptijd van de beschikking",
        "PERIODE_VOOR_INGANG": "de periode van de betaling begint vóór de ingangsdatum van de beschikking",
        "PERIODE_NA_EINDE": "de periode van de betaling loopt na de einddatum van de beschikking",
    },
)
def binnen_beschikkingsperiode(data: CheckInput, _params: NoParameters) -> CheckOutcome:
    """De periode van de betaling valt binnen ingangs- en einddatum van de beschikking."""
    frame = data.frame
    period_from, period_to = (
        frame[c].to_numpy(dtype="datetime64[D]") for c in ("periode_van", "periode_tot")
    )
    start = frame["beschikking.ingangsdatum"].to_numpy(dtype="datetime64[D]")
    end = frame["beschikking.einddatum"].to_numpy(dtype="datetime64[D]")
    days = (period_to - period_from).astype(np.int64) + 1
    before = np.clip((np.minimum(start, period_to + 1) - period_from).astype(np.int64), 0, None)
    open_end = np.isnat(end)
    after = np.where(
        open_end, 0, np.clip((period_to - np.maximum(end, period_from - 1)).astype(np.int64), 0, None)
    )
    outside = np.minimum(before + after, days)
    difference = _half_up_div(_ints(frame, "bedrag") * outside, days)
    outcome = _start_without_credit_or_dossier(data, "BINNEN_PERIODE")
    judged = outcome.status == VOLDOET
    outcome.set(judged & (after > 0), FOUT, "PERIODE_NA_EINDE", difference)
    outcome.set(judged & (before > 0), FOUT, "PERIODE_VOOR_INGANG", difference)
    return outcome


class DuplicateParameters(Parameters):
    velden: list[str] = Field(
        default=["client_id", "regeling", "beschikkingsnummer", "periode_van", "periode_tot", "bedrag"],
        min_length=1,
        description="kolommen die samen een dubbele betaling aanwijzen",
    )


@register(
    "dubbele_betaling",
    DuplicateParameters,
    {
        "EENMALIG": "geen eerdere betaling met dezelfde cliënt, regeling, beschikking, periode en bedrag",
        "DUBBEL": "een eerdere betaling met dezelfde cliënt, regeling, beschikking, periode en bedrag bestaat",
    },
)
def dubbele_betaling(data: CheckInput, params: DuplicateParameters) -> CheckOutcome:
    """Zelfde betaling vaker betaald: de latere (op betaaldatum, dan betaling_id) zijn fout."""
    frame = data.frame
    unknown = [c for c in params.velden if c not in frame.columns]
    if unknown:
        raise ValueError(f"dubbele_betaling: onbekende kolom(men) {', '.join(unknown)}")
    debit = _debit(frame)
    keys = frame.loc[debit, [*params.velden, "betaaldatum", "betaling_id"]]
    ordered = keys.sort_values(["betaaldatum", "betaling_id"], kind="stable")
    later = ordered.groupby(params.velden, dropna=False, sort=False).cumcount().to_numpy() > 0
    duplicate = np.zeros(len(frame), dtype=bool)
    positions = frame.index.get_indexer(ordered.index[later])
    duplicate[positions] = True
    outcome = CheckOutcome.start(len(frame), "EENMALIG")
    outcome.set(duplicate, FOUT, "DUBBEL", _ints(frame, "bedrag"))
    outcome.set(~debit, NVT, "CREDITERING")
    return outcome


class NormParameters(Parameters):
    tabel: str = Field(
        "normbedragen",
        description="naam van de normtabel in tabellen/ (normbedragen: Participatiewet; ioaw_ioaz_grondslagen: IOAW/IOAZ)",
    )
    tolerantie_centen: int = Field(0, ge=0, description="toegestaan verschil in centen")


@register(
    "norm_volgens_tabel",
    NormParameters,
    {
        "NORM_JUIST": "het normbedrag klopt met leefvorm en kostendelers volgens de normtabel",
        "NORM_TE_HOOG": "het normbedrag is hoger dan de norm voor leefvorm en kostendelers",
        "NORM_TE_LAAG": "het normbedrag is lager dan de norm voor leefvorm en kostendelers",
        "GEEN_NORMBEDRAG": "de betaling heeft geen normbedrag",
        "LEEFVORM_ONBEKEND": "leefvorm ontbreekt of is onbekend",
        "GEEN_NORMTABEL": "geen rij in de normtabel geldig op de periode van de betaling",
        "NORMTABEL_NIET_GEVERIFIEERD": (
            "de rij van de normtabel op de periode van de betaling is niet geverifieerd (een schatting): "
            "geen oordeel zolang de gemeente de bedragen niet heeft vastgesteld"
        ),
    },
)
def norm_volgens_tabel(data: CheckInput, params: NormParameters) -> CheckOutcome:
    """Het normbedrag is de norm uit de normtabel voor leefvorm en kostendelers (Pw art. 21, 22a; IOAW/IOAZ art. 5).

    A row that is not verified gives no verdict: a difference from an estimate is no finding.
    """
    frame = data.frame
    table = data.tables.get(params.tabel)
    expected = expected_norm(frame, table)
    norm = _ints(frame, "normbedrag")
    difference = norm - np.where(expected >= 0, expected, norm)
    leefvorm = frame["leefvorm"].to_numpy(dtype=object)
    outcome = CheckOutcome.start(len(frame), "NORM_JUIST")
    outcome.set(difference > params.tolerantie_centen, FOUT, "NORM_TE_HOOG", difference)
    outcome.set(difference < -params.tolerantie_centen, FOUT, "NORM_TE_LAAG", difference)
    outcome.set(unverified_periods(frame, table), NIET_TE_BEOORDELEN, "NORMTABEL_NIET_GEVERIFIEERD")
    outcome.set(expected == _NO_TABLE, NIET_TE_BEOORDELEN, "GEEN_NORMTABEL")
    outcome.set(~np.isin(leefvorm, list(_PERSONS)), NIET_TE_BEOORDELEN, "LEEFVORM_ONBEKEND")
    outcome.set(~_present(frame, "normbedrag"), NVT, "GEEN_NORMBEDRAG")
    outcome.set(~_debit(frame), NVT, "CREDITERING")
    return outcome


_PERSONS = {"1": 1, "2": 1, "3": 2, "4": 1}  # persons on one benefit per BUS leefvorm
_GEHUWDEN, _ALLEENSTAANDE_OUDER = "3", "2"
_NO_TABLE = -1
GEHUWDEN_KEYS = ("gehuwden", "gehuwdennorm", "gehuwden_samenwonenden")


def expected_norm(frame: pd.DataFrame, table: Table | None) -> np.ndarray:
    """The norm in cents per payment from the table row valid on its period; -1 without a row.

    The table's ``normberekening`` says how: the Participatiewet kostendelersnorm from B (the default,
    :func:`kostendelersnorm`) or one grondslag per household type (IOAW/IOAZ, :func:`grondslag_per_leefvorm`).
    """
    if table is None:
        return np.full(len(frame), _NO_TABLE, dtype=np.int64)
    if table.norm_method == GRONDSLAG_PER_LEEFVORM:
        return grondslag_per_leefvorm(frame, table)
    return kostendelersnorm(frame, table)


def kostendelersnorm(frame: pd.DataFrame, table: Table) -> np.ndarray:
    """Kostendelersnorm per person ((40 % + A × 30 %) / A) × B, B the gehuwdennorm, times the persons on the
    benefit (2 for gehuwden); -1 without a row.

    A counts the client (and partner) too, so it is at least the number of persons. A = 1 gives 70 % of
    B, gehuwden with A = 2 give B.
    """
    expected = np.full(len(frame), _NO_TABLE, dtype=np.int64)
    persons = frame["leefvorm"].map(_PERSONS).fillna(1).to_numpy(dtype=np.int64)
    a = np.maximum(_ints(frame, "kostendelers", 1), persons)
    for row, mask in table.valid_rows(periods_of(frame)):
        b = gehuwdennorm(row)
        expected[mask] = _half_up_div(persons[mask] * (40 + 30 * a[mask]) * b, 100 * a[mask])
    return expected


def grondslag_per_leefvorm(frame: pd.DataFrame, table: Table) -> np.ndarray:
    """IOAW/IOAZ art. 5: the grondslag of the household type in cents; -1 without a row.

    Gehuwden get the gehuwden grondslag whatever the number of kostendelers (the IOAW and IOAZ have
    no kostendelersnorm beyond the woningdeler); an alleenstaande (ouder) with one or more adult
    medebewoners (A >= 2: the client plus at least one kostendeler) the woningdeler grondslag;
    otherwise the alleenstaande (ouder) grondslag (``alleenstaande_ouder`` when the row has it).
    """
    expected = np.full(len(frame), _NO_TABLE, dtype=np.int64)
    leefvorm = frame["leefvorm"].to_numpy(dtype=object)
    shares_home = _ints(frame, "kostendelers", 1) >= 2
    for row, mask in table.valid_rows(periods_of(frame)):
        alone = _row_cents(row, "alleenstaande")
        parent = _row_cents(row, "alleenstaande_ouder", default=alone)
        amount = np.where(
            leefvorm == _GEHUWDEN,
            _row_cents(row, "gehuwden"),
            np.where(
                shares_home,
                _row_cents(row, "woningdeler"),
                np.where(leefvorm == _ALLEENSTAANDE_OUDER, parent, alone),
            ),
        )
        expected[mask] = amount[mask]
    return expected


def _row_cents(row: Mapping[str, Any], column: str, default: int | None = None) -> int:
    """An amount column of a normtabel row in cents (``gehuwden: 1879.20`` or ``gehuwden_centen: 187920``)."""
    if row.get(column) is not None:
        return money_cents(row[column]) or 0
    if row.get(f"{column}_centen") is not None:
        return money_cents(row[f"{column}_centen"], cents=True) or 0
    if default is not None:
        return default
    raise ValueError(f"normtabel: rij van {row.get('geldig_van')} heeft geen bedrag voor '{column}'")


def unverified_periods(frame: pd.DataFrame, table: Table | None) -> np.ndarray:
    """Per payment: whether the table row valid on its period is not verified."""
    unverified = np.zeros(len(frame), dtype=bool)
    if table is None:
        return unverified
    for row, mask in table.valid_rows(periods_of(frame)):
        if not is_verified(row):
            unverified |= mask
    return unverified


def gehuwdennorm(row: Mapping[str, Any]) -> int:
    """B in cents from a normtabel row (``gehuwden: 1879.20`` or ``gehuwden_centen: 187920``)."""
    for key in GEHUWDEN_KEYS:
        if row.get(key) is not None:
            return money_cents(row[key]) or 0
        if row.get(f"{key}_centen") is not None:
            return money_cents(row[f"{key}_centen"], cents=True) or 0
    raise ValueError(
        f"normtabel: rij van {row.get('geldig_van')} heeft geen gehuwdennorm ({GEHUWDEN_KEYS[0]})"
    )


class ToleranceParameters(Parameters):
    tolerantie_centen: int = Field(0, ge=0, description="toegestaan verschil in centen")


@register(
    "inkomsten_verrekend",
    ToleranceParameters,
    {
        "INKOMSTEN_VERREKEND": "de inkomsten zijn verrekend zoals in de andere maanden van de beschikking",
        "INKOMSTEN_NIET_VERREKEND": "geen inkomsten verrekend terwijl andere maanden van de beschikking die wel tonen",
        "BEDRAG_BOVEN_NORM_MIN_INKOMSTEN": "het bedrag is hoger dan normbedrag min inkomsten",
    },
)
def inkomsten_verrekend(data: CheckInput, params: ToleranceParameters) -> CheckOutcome:
    """Inkomsten zijn verrekend: geen maand zonder inkomsten als de beschikking ze elders wel toont."""
    frame = data.frame
    income = _ints(frame, "inkomsten")
    nr = frame["beschikkingsnummer"]
    positive = pd.Series(np.where(income > 0, income, np.nan), index=frame.index)
    usual = positive.groupby(nr).transform("median").to_numpy()
    usual = np.where(np.isnan(usual), 0, np.floor(usual + 0.5)).astype(np.int64)
    excess = _ints(frame, "bedrag") - (_ints(frame, "normbedrag") - income)
    outcome = CheckOutcome.start(len(frame), "INKOMSTEN_VERREKEND")
    outcome.set(excess > params.tolerantie_centen, FOUT, "BEDRAG_BOVEN_NORM_MIN_INKOMSTEN", excess)
    outcome.set(
        (income == 0) & (usual > params.tolerantie_centen) & nr.notna().to_numpy(),
        FOUT,
        "INKOMSTEN_NIET_VERREKEND",
        usual,
    )
    outcome.set(~_present(frame, "normbedrag"), NVT, "GEEN_NORMBEDRAG")
    outcome.set(~_debit(frame), NVT, "CREDITERING")
    return outcome


@register(
    "bedrag_binnen_beschikking",
    ToleranceParameters,
    {
        "BINNEN_BESCHIKKING": "het bedrag is niet hoger dan het toegekende bedrag (naar rato van de periode)",
        "BOVEN_BESCHIKKING": "het bedrag is hoger dan het in de beschikking toegekende bedrag",
        "GEEN_BEDRAG_IN_BESCHIKKING": "de beschikking noemt geen bedrag per periode",
    },
)
def bedrag_binnen_beschikking(data: CheckInput, params: ToleranceParameters) -> CheckOutcome:
    """Het bedrag is hoogstens het bedrag per periode van de beschikking, naar rato van de dagen."""
    frame = data.frame
    allowed = allowed_amount(frame)
    excess = _ints(frame, "bedrag") - allowed
    outcome = _start_without_credit_or_dossier(data, "BINNEN_BESCHIKKING")
    judged = outcome.status == VOLDOET
    outcome.set(
        judged & ~_present(frame, "beschikking.bedrag_per_periode"), NVT, "GEEN_BEDRAG_IN_BESCHIKKING"
    )
    outcome.set(
        (outcome.status == VOLDOET) & (excess > params.tolerantie_centen), FOUT, "BOVEN_BESCHIKKING", excess
    )
    return outcome


def allowed_amount(frame: pd.DataFrame) -> np.ndarray:
    """The beschikking's amount for the payment's period, in cents.

    A one-off grant (a beschikking shorter than four weeks) allows its whole amount. A periodic
    amount is per calendar month: a part of a month gets days / days in that month (half up),
    a period over several months one amount per month. Declaraties (with a volume) are judged
    against the whole month: care is declared per month, not per day.
    """
    per_period = _ints(frame, "beschikking.bedrag_per_periode")
    start = frame["beschikking.ingangsdatum"].to_numpy(dtype="datetime64[D]")
    end = frame["beschikking.einddatum"].to_numpy(dtype="datetime64[D]")
    one_off = ~np.isnat(end) & ((end - start).astype(np.int64) < MONTH_DAYS_MIN)
    period_from = frame["periode_van"].to_numpy(dtype="datetime64[D]")
    period_to = frame["periode_tot"].to_numpy(dtype="datetime64[D]")
    month_from = period_from.astype("datetime64[M]")
    months = (period_to.astype("datetime64[M]") - month_from).astype(np.int64) + 1
    month_days = ((month_from + 1).astype("datetime64[D]") - month_from.astype("datetime64[D]")).astype(
        np.int64
    )
    days = (period_to - period_from).astype(np.int64) + 1
    partial = (months == 1) & (days < month_days) & ~_present(frame, "volume")
    prorata = np.where(partial, _half_up_div(per_period * days, month_days), per_period * months)
    return np.where(one_off, per_period, prorata)


@register(
    "volume_binnen_toewijzing",
    ToleranceParameters,
    {
        "BINNEN_TOEWIJZING": "het gedeclareerde volume is niet hoger dan het toegewezen volume per maand",
        "VOLUME_BOVEN_TOEWIJZING": "het gedeclareerde volume is hoger dan het toegewezen volume per maand",
        "GEEN_VOLUME": "de betaling is geen declaratie met een volume",
        "GEEN_TOEGEWEZEN_VOLUME": "de beschikking noemt geen toegewezen volume",
    },
)
def volume_binnen_toewijzing(data: CheckInput, params: ToleranceParameters) -> CheckOutcome:
    """Wmo/Jeugd: gedeclareerd volume ≤ toegewezen volume per maand (iWmo/iJw 301/323)."""
    frame = data.frame
    declared = frame["volume"].to_numpy(dtype=float, na_value=np.nan)
    assigned = frame["beschikking.volume"].to_numpy(dtype=float, na_value=np.nan)
    amount = _ints(frame, "bedrag")
    over = np.nan_to_num(declared - assigned, nan=0.0) > 1e-9
    ratio = np.divide(np.nan_to_num(assigned), declared, out=np.zeros(len(frame)), where=declared > 0)
    difference = amount - np.floor(amount * ratio + 0.5).astype(np.int64)
    outcome = _start_without_credit_or_dossier(data, "BINNEN_TOEWIJZING")
    judged = outcome.status == VOLDOET
    outcome.set(judged & np.isnan(assigned), NVT, "GEEN_TOEGEWEZEN_VOLUME")
    outcome.set(np.isnan(declared), NVT, "GEEN_VOLUME")
    outcome.set(
        (outcome.status == VOLDOET) & over & (difference > params.tolerantie_centen),
        FOUT,
        "VOLUME_BOVEN_TOEWIJZING",
        difference,
    )
    return outcome


class TariffParameters(Parameters):
    tabel: str | None = Field(
        None, description="tarieftabel in tabellen/; zonder: budget per eenheid uit de beschikking"
    )
    tolerantie_centen: int = Field(1, ge=0, description="toegestaan verschil in centen")


@register(
    "tarief_binnen_contract",
    TariffParameters,
    {
        "TARIEF_BINNEN_CONTRACT": "bedrag ≤ volume × contracttarief van het product",
        "TARIEF_BOVEN_CONTRACT": "bedrag hoger dan volume × contracttarief van het product",
        "GEEN_TARIEF": "geen contracttarief voor dit product op de periode van de betaling",
    },
)
def tarief_binnen_contract(data: CheckInput, params: TariffParameters) -> CheckOutcome:
    """Wmo/Jeugd: bedrag ≤ volume × contracttarief (uit de tarieftabel, anders uit de beschikking)."""
    frame = data.frame
    volume = frame["volume"].to_numpy(dtype=float, na_value=np.nan)
    table = data.tables.get(params.tabel) if params.tabel else None
    tariff = table_tariffs(frame, table) if table is not None else beschikking_tariffs(frame)
    expected = np.floor(np.nan_to_num(volume) * np.nan_to_num(tariff, nan=0.0) + 0.5).astype(np.int64)
    excess = _ints(frame, "bedrag") - expected
    outcome = CheckOutcome.start(len(frame), "TARIEF_BINNEN_CONTRACT")
    outcome.set(excess > params.tolerantie_centen, FOUT, "TARIEF_BOVEN_CONTRACT", excess)
    outcome.set(np.isnan(tariff), NIET_TE_BEOORDELEN, "GEEN_TARIEF")
    outcome.set(np.isnan(volume), NVT, "GEEN_VOLUME")
    outcome.set(~_debit(frame), NVT, "CREDITERING")
    return outcome


def table_tariffs(frame: pd.DataFrame, table: Table) -> np.ndarray:
    """Tariff in cents per unit per payment, from the row of its product valid on its period."""
    tariff = np.full(len(frame), np.nan)
    product = frame["product"].to_numpy(dtype=object)
    periods = periods_of(frame)
    for row, mask in table.valid_rows(periods):
        code = row.get("product", row.get("productcode"))
        cents = (
            money_cents(row["tarief_centen"], cents=True)
            if "tarief_centen" in row
            else money_cents(row.get("tarief"))
        )
        if cents is not None:
            tariff[mask & (product == str(code))] = cents
    return tariff


def beschikking_tariffs(frame: pd.DataFrame) -> np.ndarray:
    """Without a tariff table: the beschikking's budget per unit (bedrag per periode / volume)."""
    budget = frame["beschikking.bedrag_per_periode"].to_numpy(dtype=float, na_value=np.nan)
    assigned = frame["beschikking.volume"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(assigned > 0, budget / assigned, np.nan)
