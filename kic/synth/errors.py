"""Errors injected into the correct payments, each one visible in the exported data.

Every error type changes a payment so that a check on the two export files can find it (see
docs/synth.md), and records by how much the payment is wrong: the *foutbedrag* is what was paid
minus what should have been paid (negative for an underpayment; the whole amount when there was
no right to the payment at all). A payment carries at most one error. Rates are fractions of all
payments; each type takes its count from the payments it can apply to, in a fixed order.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Final

import numpy as np
import pandas as pd

from kic.errors import KicError
from kic.synth import calendar as cal
from kic.synth import products as prod
from kic.synth.dossiers import declared_amount
from kic.synth.formats import NO_AMOUNT
from kic.synth.norms import gehuwdennorm_cents, norm_cents, wrong_household
from kic.synth.payments import payment_dates
from kic.synth.regelingen import regeling_index


class SynthError(KicError, ValueError):
    """Arguments the synthetic gemeente cannot be generated with."""


@dataclass(frozen=True)
class ErrorRates:
    """Rate per error type as a fraction of all payments (0.01 = 1 %)."""

    geen_beschikking: float = 0.005
    bedrag_boven_beschikking: float = 0.005
    volume_boven_toewijzing: float = 0.006
    tarief_boven_contract: float = 0.004
    norm_onjuist: float = 0.010
    inkomsten_niet_verrekend: float = 0.006
    buiten_periode: float = 0.008
    dubbele_betaling: float = 0.005

    def scaled(self, factor: float) -> ErrorRates:
        """All rates times ``factor`` (the CLI's --foutpercentage)."""
        return replace(self, **{f.name: getattr(self, f.name) * factor for f in fields(self)})

    @property
    def total(self) -> float:
        return sum(getattr(self, f.name) for f in fields(self))

    def check(self) -> None:
        bad = [f.name for f in fields(self) if not 0 <= getattr(self, f.name) <= 0.25]
        if bad or self.total > 0.5:
            raise SynthError(
                "foutpercentages moeten tussen 0 en 25 % liggen en samen hoogstens 50 % zijn: "
                + (", ".join(bad) or f"totaal {self.total:.1%}")
            )


# error code (the number stored per payment) -> (ErrorRates field, fouttype, omschrijving)
ERROR_TYPES: Final[dict[int, tuple[str, str, str]]] = {
    1: ("geen_beschikking", "GEEN_BESCHIKKING", "Betaling zonder (bestaande) beschikking"),
    2: (
        "bedrag_boven_beschikking",
        "BEDRAG_BOVEN_BESCHIKKING",
        "Betaald bedrag hoger dan het in de beschikking toegekende bedrag",
    ),
    3: (
        "volume_boven_toewijzing",
        "VOLUME_BOVEN_TOEWIJZING",
        "Gedeclareerd volume hoger dan het toegewezen volume per maand",
    ),
    4: (
        "tarief_boven_contract",
        "TARIEF_BOVEN_CONTRACT",
        "Gedeclareerd tarief hoger dan het contracttarief van het product",
    ),
    5: (
        "norm_onjuist",
        "NORM_ONJUIST",
        "Onjuiste bijstandsnorm: normbedrag past niet bij leefvorm en aantal kostendelers",
    ),
    6: (
        "inkomsten_niet_verrekend",
        "INKOMSTEN_NIET_VERREKEND",
        "Inkomsten niet verrekend: volledige norm betaald terwijl er inkomsten zijn",
    ),
    7: (
        "buiten_periode",
        "BUITEN_PERIODE",
        "Betaling over een periode buiten de looptijd van de beschikking",
    ),
    8: (
        "dubbele_betaling",
        "DUBBELE_BETALING",
        "Dubbele betaling: zelfde cliënt, beschikking, periode en bedrag eerder betaald",
    ),
}
FOUTTYPES: Final[tuple[str, ...]] = tuple(code for _, code, _ in ERROR_TYPES.values())
CODE_OF: Final[dict[str, int]] = {name: code for code, (name, _, _) in ERROR_TYPES.items()}

CREDIT_RATE = 0.004  # terugvorderingen and correcties: negative payments that are not errors
MANUAL_RATE, MANUAL_RATE_ERRORS = 0.03, 0.25
_ONE_OFF_GRANTS = ("PW-BB", "PW-IIT")


@dataclass
class _Injection:
    """What every injector needs: the random stream, the year and the two tables."""

    rng: np.random.Generator
    year: int
    payments: pd.DataFrame
    dossiers: pd.DataFrame
    rates: ErrorRates
    total: int

    def pick(self, code: int, *, mark: bool = True) -> np.ndarray:
        """Draw this error type's share of payments from the ones it can apply to."""
        pool = _candidates(self, code)
        count = min(round(getattr(self.rates, ERROR_TYPES[code][0]) * self.total), len(pool))
        chosen = np.sort(self.rng.choice(pool, size=count, replace=False))
        if mark:
            self.payments.loc[chosen, "error"] = code
        return chosen


def inject_errors(
    rng: np.random.Generator,
    year: int,
    payments: pd.DataFrame,
    dossiers: pd.DataFrame,
    rates: ErrorRates,
    total: int,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Return payments with errors, duplicates and credits added, and a mask of dossiers to drop."""
    payments = payments.assign(
        error=np.zeros(len(payments), dtype=np.int64),
        error_amount=np.zeros(len(payments), dtype=np.int64),
        ref=payments["dossier"].to_numpy(),
    )
    job = _Injection(rng, year, payments, dossiers, rates, total)
    dropped = np.zeros(len(dossiers), dtype=bool)
    _geen_beschikking(job, job.pick(1), dropped)
    _bedrag_boven(job, job.pick(2))
    _volume_boven(job, job.pick(3))
    _tarief_boven(job, job.pick(4))
    _norm_onjuist(job, job.pick(5))
    _inkomsten(job, job.pick(6))
    _buiten_periode(job, job.pick(7))
    originals = job.pick(8, mark=False)
    payments["manual"] = rng.random(len(payments)) < np.where(
        payments["error"].to_numpy() > 0, MANUAL_RATE_ERRORS, MANUAL_RATE
    )
    duplicates = _duplicates(job, originals)
    credits = _credits(job, originals, round(CREDIT_RATE * total))
    return pd.concat([payments, duplicates, credits], ignore_index=True), dropped


def _candidates(job: _Injection, code: int) -> np.ndarray:
    """Which payments an error type can apply to (only correct, positive payments)."""
    payments, dossiers = job.payments, job.dossiers
    clean = (payments["error"].to_numpy() == 0) & (payments["amount"].to_numpy() > 0)
    regeling = payments["regeling"].to_numpy()
    oneoff = ~dossiers["monthly"].to_numpy()[payments["dossier"].to_numpy()]
    declared = payments["volume"].to_numpy() != NO_AMOUNT
    normed = payments["norm"].to_numpy() != NO_AMOUNT
    full = payments["full_month"].to_numpy()
    pools = {
        1: oneoff & np.isin(regeling, [regeling_index(r) for r in _ONE_OFF_GRANTS]),
        2: oneoff,
        3: declared,
        4: declared,
        5: normed & full,
        6: normed & full & (payments["income"].to_numpy() > 0),
        7: _month_outside(job, np.arange(len(payments))) != _NONE,
        8: np.ones(len(payments), dtype=bool),
    }
    return np.flatnonzero(clean & pools[code])


def _geen_beschikking(job: _Injection, rows: np.ndarray, dropped: np.ndarray) -> None:
    """The beschikking does not exist: mostly no number at all, sometimes a number that is unknown."""
    payments = job.payments
    dropped[payments["dossier"].to_numpy()[rows]] = True
    blank = job.rng.random(len(rows)) < 0.7
    payments.loc[rows[blank], "ref"] = -1
    payments.loc[rows, "error_amount"] = payments["amount"].to_numpy()[rows]


def _bedrag_boven(job: _Injection, rows: np.ndarray) -> None:
    """More is paid than the one-off grant in the beschikking: 5–50 % extra, at least ten euro."""
    amount = job.payments["amount"].to_numpy()[rows]
    extra = np.maximum(1_000, (amount * (0.05 + 0.45 * job.rng.random(len(rows)))).astype(np.int64))
    job.payments.loc[rows, "amount"] = amount + extra
    job.payments.loc[rows, "error_amount"] = extra


def _volume_boven(job: _Injection, rows: np.ndarray) -> None:
    """The provider declares 10–50 % (at least one unit step) more than the toegewezen volume."""
    payments = job.payments
    toegewezen = job.dossiers["volume"].to_numpy()[payments["dossier"].to_numpy()[rows]]
    step = prod.column("volume_step")[payments["product"].to_numpy()[rows]]
    share = 0.1 + 0.4 * job.rng.random(len(rows))
    extra = np.maximum(step, (toegewezen * share).astype(np.int64) // step * step)
    tariff = payments["tariff"].to_numpy()[rows]
    amount = declared_amount(toegewezen + extra, tariff)
    payments.loc[rows, "volume"] = toegewezen + extra
    payments.loc[rows, "amount"] = amount
    payments.loc[rows, "error_amount"] = amount - declared_amount(toegewezen, tariff)


def _tarief_boven(job: _Injection, rows: np.ndarray) -> None:
    """The provider declares at a tariff 5–25 % (at least one euro) above the contract."""
    volume, tariff = job.payments["volume"].to_numpy()[rows], job.payments["tariff"].to_numpy()[rows]
    raise_by = (tariff * (0.05 + 0.2 * job.rng.random(len(rows)))).astype(np.int64)
    amount = declared_amount(volume, tariff + np.maximum(100, raise_by))
    job.payments.loc[rows, "amount"] = amount
    job.payments.loc[rows, "error_amount"] = amount - declared_amount(volume, tariff)


def _norm_onjuist(job: _Injection, rows: np.ndarray) -> None:
    """The norm of another household is applied; leefvorm and kostendelers stay as registered."""
    payments = job.payments
    leefvorm, a = payments["leefvorm"].to_numpy()[rows], payments["kostendelers"].to_numpy()[rows]
    b = gehuwdennorm_cents(payments["period_from"].to_numpy()[rows])
    wrong = norm_cents(*wrong_household(job.rng, leefvorm, a), b)
    norm, income = payments["norm"].to_numpy()[rows], payments["income"].to_numpy()[rows]
    payments.loc[rows, "norm"] = wrong
    payments.loc[rows, "amount"] = wrong - income
    payments.loc[rows, "error_amount"] = wrong - norm


def _inkomsten(job: _Injection, rows: np.ndarray) -> None:
    """The full norm is paid and the known income is left out (inkomsten 0,00)."""
    payments = job.payments
    income = payments["income"].to_numpy()[rows]
    payments.loc[rows, "amount"] = payments["norm"].to_numpy()[rows]
    payments.loc[rows, "income"] = 0
    payments.loc[rows, "error_amount"] = income


_NONE = -1000


def _month_outside(job: _Injection, rows: np.ndarray) -> np.ndarray:
    """Per payment a service month just outside its beschikking that is still paid in the year.

    After the einddatum when possible, else before the ingangsdatum; ``_NONE`` when neither
    exists (one-off grants, beschikkingen that run the whole year).
    """
    d = job.payments["dossier"].to_numpy()[rows]
    monthly, lag = job.dossiers["monthly"].to_numpy()[d], job.dossiers["lag"].to_numpy()[d]
    start, end = job.dossiers["start"].to_numpy()[d], job.dossiers["end"].to_numpy()[d]
    after = cal.month_index(job.year, np.where(end == cal.NO_DATE, 0, end)) + 1
    before = cal.month_index(job.year, start) - 1
    after_ok = monthly & (end != cal.NO_DATE) & (after + lag <= 11) & (after >= -lag)
    before_ok = monthly & (before >= -lag) & (before + lag <= 11)
    return np.where(after_ok, after, np.where(before_ok, before, _NONE))


def _buiten_periode(job: _Injection, rows: np.ndarray) -> None:
    """A whole month just outside the beschikking is paid; nothing was due for it."""
    payments, dossiers = job.payments, job.dossiers
    month = _month_outside(job, rows)
    d = payments["dossier"].to_numpy()[rows]
    lag = dossiers["lag"].to_numpy()[d]
    declared = payments["volume"].to_numpy()[rows] != NO_AMOUNT
    amount = np.where(declared, payments["amount"].to_numpy()[rows], dossiers["amount"].to_numpy()[d])
    payments.loc[rows, "period_from"] = cal.month_start(job.year, month)
    payments.loc[rows, "period_to"] = cal.month_end(job.year, month)
    payments.loc[rows, "pay_date"] = np.maximum(
        payment_dates(job.rng, job.year, month + lag, lag), dossiers["besluit"].to_numpy()[d] + 2
    )
    payments.loc[rows, "full_month"] = True
    payments.loc[rows, "amount"] = amount
    payments.loc[rows, "error_amount"] = amount


def _duplicates(job: _Injection, rows: np.ndarray) -> pd.DataFrame:
    """The same payment again under a new id, on the same day or up to two weeks later."""
    copies = job.payments.iloc[rows].copy()
    later = np.where(job.rng.random(len(rows)) < 0.5, 0, job.rng.integers(1, 15, len(rows)))
    copies["pay_date"] = np.minimum(copies["pay_date"].to_numpy() + later, cal.day(job.year, 12, 31))
    copies["error"] = CODE_OF["dubbele_betaling"]
    copies["error_amount"] = copies["amount"].to_numpy()
    copies["manual"] = job.rng.random(len(rows)) < 0.6
    return copies


def _credits(job: _Injection, duplicated: np.ndarray, count: int) -> pd.DataFrame:
    """Terugvorderingen and correcties: a later negative payment on a correct one (not an error)."""
    payments, rng = job.payments, job.rng
    regelingen = [regeling_index(r) for r in ("PW-LO", "IOAW", "IOAZ", "PW-BB", "WMO", "JEUGD")]
    clean = (payments["error"].to_numpy() == 0) & np.isin(payments["regeling"].to_numpy(), regelingen)
    clean[duplicated] = False
    pool = np.flatnonzero(clean & (payments["amount"].to_numpy() > 0))
    rows = np.sort(rng.choice(pool, size=min(count, len(pool)), replace=False))
    credits = payments.iloc[rows].copy()
    amount = credits["amount"].to_numpy()
    declared = credits["volume"].to_numpy() != NO_AMOUNT
    part = np.where(declared | (rng.random(len(rows)) < 0.4), 1.0, 0.1 + 0.5 * rng.random(len(rows)))
    credits["amount"] = -np.maximum(1, (amount * part).astype(np.int64))
    later = rng.integers(14, 121, len(rows))
    credits["pay_date"] = np.minimum(credits["pay_date"].to_numpy() + later, cal.day(job.year, 12, 31))
    credits["manual"] = rng.random(len(rows)) < 0.8
    return credits
