"""Errors injected into the correct payments and beschikkingen: in the export, or only in the dossier.

The first eight error types change a payment so that a check on the two export files can find it
(see docs/synth.md), and record by how much the payment is wrong: the *foutbedrag* is what was paid
minus what should have been paid (negative for an underpayment; the whole amount when there was
no right to the payment at all). Their rates are fractions of all payments; each type takes its
count from the payments it can apply to, in a fixed order.

The other types leave the export as it is: only a kwaliteitsmedewerker who reads the dossier finds
them, on the control of the catalogue each one names (per profile). They are a ``fout`` (money, e.g.
income the client did not report), an ``onzekerheid`` (the evidence is missing: the foutbedrag is the
amount that cannot be shown to be right) or ``formeel`` (a formal error, no amount), on a payment or
on a beschikking (the items of the aanvragen and beëindiging samples). Their random draws come after
those of the export errors, so adding them left the two export files of a seed unchanged. Rates of
payment types are fractions of all payments, rates of beschikking types fractions of the
beschikkingen the type can apply to. A payment and a beschikking carry at most one error each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Final

import numpy as np
import pandas as pd

from kic.errors import KicError
from kic.synth import calendar as cal
from kic.synth import products as prod
from kic.synth.dossiers import declared_amount
from kic.synth.formats import NO_AMOUNT
from kic.synth.norms import LEEFVORM_ALLEENSTAANDE, LEEFVORM_GEHUWDEN, norm_cents_rows, wrong_household
from kic.synth.payments import payment_dates
from kic.synth.regelingen import PROFILES, profile_index, regeling_index


class SynthError(KicError, ValueError):
    """Arguments the synthetic gemeente cannot be generated with."""


@dataclass(frozen=True)
class ErrorRates:
    """Rate per error type (0.01 = 1 %): a fraction of all payments, except the beschikking types
    (``PER_BESCHIKKING``), which are a fraction of the beschikkingen the type can apply to."""

    # visible in the export (payments)
    geen_beschikking: float = 0.005
    bedrag_boven_beschikking: float = 0.005
    volume_boven_toewijzing: float = 0.006
    tarief_boven_contract: float = 0.004
    norm_onjuist: float = 0.010
    inkomsten_niet_verrekend: float = 0.006
    buiten_periode: float = 0.008
    dubbele_betaling: float = 0.005
    # only in the dossier, on payments
    inkomsten_niet_opgegeven: float = 0.006
    bewijs_ontbreekt: float = 0.012
    handmatig_niet_geaccordeerd: float = 0.002
    # only in the dossier, on beschikkingen (share of the beschikkingen the type applies to)
    verhuisd_niet_gemeld: float = 0.05
    identiteit_niet_vastgesteld: float = 0.01
    vermogen_niet_vastgesteld: float = 0.01
    besluit_niet_gemotiveerd: float = 0.015
    termijn_overschreden: float = 0.04

    def scaled(self, factor: float) -> ErrorRates:
        """All rates times ``factor`` (the CLI's --foutpercentage)."""
        return replace(self, **{f.name: getattr(self, f.name) * factor for f in fields(self)})

    @property
    def total(self) -> float:
        """The payment types together, as a fraction of all payments."""
        return sum(getattr(self, f.name) for f in fields(self) if f.name not in PER_BESCHIKKING)

    def check(self) -> None:
        bad = [f.name for f in fields(self) if not 0 <= getattr(self, f.name) <= 0.25]
        if bad or self.total > 0.5:
            raise SynthError(
                "foutpercentages moeten tussen 0 en 25 % liggen en samen hoogstens 50 % zijn: "
                + (", ".join(bad) or f"totaal {self.total:.1%}")
            )


PER_BESCHIKKING: Final[frozenset[str]] = frozenset(
    {
        "verhuisd_niet_gemeld",
        "identiteit_niet_vastgesteld",
        "vermogen_niet_vastgesteld",
        "besluit_niet_gemotiveerd",
        "termijn_overschreden",
    }
)

# What the ground truth says of an error: its kind, where it can be seen, and what it is a row of.
FOUT, ONZEKERHEID, FORMEEL = "fout", "onzekerheid", "formeel"
SOORTEN: Final[tuple[str, ...]] = (FOUT, ONZEKERHEID, FORMEEL)
EXPORT, DOSSIER = "export", "dossier"
BETALING, BESCHIKKING = "betaling", "beschikking"


@dataclass(frozen=True)
class ErrorType:
    """One error type: its ErrorRates field, its code in grondwaarheid.csv and its description; for an
    error only the dossier shows, its kind and the control of the catalogue it is found on, per profile
    (regelingen.PROFILES; a profile that is not named never gets it)."""

    rate: str
    fouttype: str
    omschrijving: str
    soort: str = FOUT
    vindplaats: str = EXPORT
    controls: Mapping[str, str] = field(default_factory=dict)


_INCOME = {"PW-LO": "PWLO-08", "IOAW": "IO-03", "IOAZ": "IOAZ-03", "BBZ-LO": "BBZ-03"}

# error code (the number stored per payment) -> its type; 1-8 are seen in the export, 9-12 only in the dossier
ERROR_TYPES: Final[dict[int, ErrorType]] = {
    1: ErrorType("geen_beschikking", "GEEN_BESCHIKKING", "Betaling zonder (bestaande) beschikking"),
    2: ErrorType(
        "bedrag_boven_beschikking",
        "BEDRAG_BOVEN_BESCHIKKING",
        "Betaald bedrag hoger dan het in de beschikking toegekende bedrag",
    ),
    3: ErrorType(
        "volume_boven_toewijzing",
        "VOLUME_BOVEN_TOEWIJZING",
        "Gedeclareerd volume hoger dan het toegewezen volume per maand",
    ),
    4: ErrorType(
        "tarief_boven_contract",
        "TARIEF_BOVEN_CONTRACT",
        "Gedeclareerd tarief hoger dan het contracttarief van het product",
    ),
    5: ErrorType(
        "norm_onjuist",
        "NORM_ONJUIST",
        "Onjuiste bijstandsnorm: normbedrag past niet bij leefvorm en aantal kostendelers",
    ),
    6: ErrorType(
        "inkomsten_niet_verrekend",
        "INKOMSTEN_NIET_VERREKEND",
        "Inkomsten niet verrekend: volledige norm betaald terwijl er inkomsten zijn",
    ),
    7: ErrorType(
        "buiten_periode",
        "BUITEN_PERIODE",
        "Betaling over een periode buiten de looptijd van de beschikking",
    ),
    8: ErrorType(
        "dubbele_betaling",
        "DUBBELE_BETALING",
        "Dubbele betaling: zelfde cliënt, beschikking, periode en bedrag eerder betaald",
    ),
    9: ErrorType(
        "verhuisd_niet_gemeld",
        "VERHUISD_NIET_GEMELD",
        "Cliënt woonde al buiten de gemeente (vertrek niet gemeld): de maand is onverschuldigd betaald",
        vindplaats=DOSSIER,
        controls={"PW-LO": "ALG-07"},
    ),
    10: ErrorType(
        "inkomsten_niet_opgegeven",
        "INKOMSTEN_NIET_OPGEGEVEN",
        "Inkomsten (van cliënt of partner) niet opgegeven en dus niet verrekend (de export toont ze niet)",
        vindplaats=DOSSIER,
        controls=_INCOME,
    ),
    11: ErrorType(
        "bewijs_ontbreekt",
        "BEWIJS_ONTBREEKT",
        "Bewijsstuk ontbreekt in het dossier (bankafschriften, nota, indicatie of bewijs van levering): "
        "de betaling is niet als juist aan te tonen",
        soort=ONZEKERHEID,
        vindplaats=DOSSIER,
        controls=_INCOME
        | {"BBZ-KAP": "BBZ-05", "PW-BB": "BB-02", "WKO": "WKO-04", "WMO": "WMO-11", "JEUGD": "JW-06"},
    ),
    12: ErrorType(
        "handmatig_niet_geaccordeerd",
        "HANDMATIG_NIET_GEACCORDEERD",
        "Handmatige betaling zonder motivering of accordering door een tweede medewerker",
        soort=FORMEEL,
        vindplaats=DOSSIER,
        controls=dict.fromkeys((p.name for p in PROFILES), "ALG-14"),
    ),
}

# error code stored per beschikking -> its type (all only in the dossier)
DOSSIER_ERROR_TYPES: Final[dict[int, ErrorType]] = {
    1: ErrorType(
        "verhuisd_niet_gemeld",
        "VERHUISD_NIET_GEMELD",
        "Uitkering te laat beëindigd: de cliënt woonde al buiten de gemeente. Foutbedrag: wat na het "
        "vertrek is betaald (die betalingen staan elk apart in de grondwaarheid)",
        vindplaats=DOSSIER,
        controls={"PW-LO": "PWLO-18"},
    ),
    2: ErrorType(
        "identiteit_niet_vastgesteld",
        "IDENTITEIT_NIET_VASTGESTELD",
        "Geen kopie of registratie van een identiteitsbewijs in het dossier: identiteit niet vastgesteld",
        soort=ONZEKERHEID,
        vindplaats=DOSSIER,
        controls={
            "PW-LO": "PWLO-01",
            "IOAW": "ALG-11",
            "IOAZ": "ALG-11",
            "BBZ-LO": "ALG-11",
            "BBZ-KAP": "ALG-11",
        },
    ),
    3: ErrorType(
        "vermogen_niet_vastgesteld",
        "VERMOGEN_NIET_VASTGESTELD",
        "Bankafschriften van alle rekeningen ontbreken: het vermogen is niet vast te stellen",
        soort=ONZEKERHEID,
        vindplaats=DOSSIER,
        controls={"PW-LO": "PWLO-09", "IOAZ": "IO-04"},
    ),
    4: ErrorType(
        "besluit_niet_gemotiveerd",
        "BESLUIT_NIET_GEMOTIVEERD",
        "Besluit zonder (draagkrachtige) motivering of zonder rechtsmiddelenclausule",
        soort=FORMEEL,
        vindplaats=DOSSIER,
        controls=dict.fromkeys((p.name for p in PROFILES), "ALG-09"),
    ),
    5: ErrorType(
        "termijn_overschreden",
        "TERMIJN_OVERSCHREDEN",
        "Termijn in de aanvraagfase overschreden zonder de vereiste stap: bij bijstand geen voorschot na "
        "vier weken, bij de Wmo het onderzoek niet binnen zes weken na de melding",
        soort=FORMEEL,
        vindplaats=DOSSIER,
        controls={"PW-LO": "PWLO-16", "WMO": "WMO-01"},
    ),
}
FOUTTYPES: Final[tuple[str, ...]] = tuple(
    dict.fromkeys(t.fouttype for t in (*ERROR_TYPES.values(), *DOSSIER_ERROR_TYPES.values()))
)
EXPORT_FOUTTYPES: Final[tuple[str, ...]] = tuple(
    t.fouttype for t in ERROR_TYPES.values() if t.vindplaats == EXPORT
)
CODE_OF: Final[dict[str, int]] = {t.rate: code for code, t in ERROR_TYPES.items()}
DOSSIER_CODE_OF: Final[dict[str, int]] = {t.rate: code for code, t in DOSSIER_ERROR_TYPES.items()}
VOORSCHOT_DAYS = 28  # PWLO-16: without a besluit within four weeks of the aanvraag a voorschot is due

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
        count = min(round(getattr(self.rates, ERROR_TYPES[code].rate) * self.total), len(pool))
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
    """Return payments with errors, duplicates and credits added, and a mask of dossiers to drop.

    A payment's ``error`` is its code in ERROR_TYPES (0: correct); ``dossiers`` gets the columns
    ``error`` (code in DOSSIER_ERROR_TYPES) and ``error_amount`` of the errors only its dossier shows."""
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
    table = pd.concat([payments, duplicates, credits], ignore_index=True)
    _dossier_only(replace(job, payments=table), dropped)
    return table, dropped


def _candidates(job: _Injection, code: int) -> np.ndarray:
    """Which payments an error type can apply to (only correct, positive payments)."""
    payments, dossiers = job.payments, job.dossiers
    clean = (payments["error"].to_numpy() == 0) & (payments["amount"].to_numpy() > 0)
    if ERROR_TYPES[code].vindplaats == DOSSIER:
        return np.flatnonzero(clean & _dossier_pool(job, code))
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
    """The norm of another household is applied; leefvorm and kostendelers stay as registered.

    Where the mistaken household has the same norm (the IOAW/IOAZ gehuwden grondslag does not depend
    on kostendelers), the leefvorm is taken for the other one, so that every such error costs money.
    """
    payments = job.payments
    leefvorm, a = payments["leefvorm"].to_numpy()[rows], payments["kostendelers"].to_numpy()[rows]
    regeling, days = payments["regeling"].to_numpy()[rows], payments["period_from"].to_numpy()[rows]
    norm, income = payments["norm"].to_numpy()[rows], payments["income"].to_numpy()[rows]
    wrong_leefvorm, wrong_a = wrong_household(job.rng, leefvorm, a)
    wrong = norm_cents_rows(regeling, wrong_leefvorm, wrong_a, days)
    same = wrong == norm
    if same.any():
        flipped = np.where(leefvorm[same] == LEEFVORM_GEHUWDEN, LEEFVORM_ALLEENSTAANDE, LEEFVORM_GEHUWDEN)
        wrong[same] = norm_cents_rows(regeling[same], flipped, np.maximum(a[same], 2), days[same])
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


def _dossier_only(job: _Injection, dropped: np.ndarray) -> None:
    """The errors only a dossier shows, after every export error, duplicate and credit is in ``job``."""
    job.dossiers["error"] = np.zeros(len(job.dossiers), dtype=np.int64)
    job.dossiers["error_amount"] = np.zeros(len(job.dossiers), dtype=np.int64)
    _verhuisd(job, dropped)
    payments, rng = job.payments, job.rng
    rows = job.pick(CODE_OF["inkomsten_niet_opgegeven"])
    unreported = rng.integers(5_000, 60_001, len(rows))  # € 50-600 a month, at most the payment
    payments.loc[rows, "error_amount"] = np.minimum(unreported, payments["amount"].to_numpy()[rows])
    rows = job.pick(CODE_OF["bewijs_ontbreekt"])
    payments.loc[rows, "error_amount"] = payments["amount"].to_numpy()[rows]
    job.pick(CODE_OF["handmatig_niet_geaccordeerd"])  # formal: no amount
    for name in ("identiteit_niet_vastgesteld", "vermogen_niet_vastgesteld"):
        chosen = _pick_dossiers(job, DOSSIER_CODE_OF[name], dropped)
        job.dossiers.loc[chosen, "error_amount"] = job.dossiers["amount"].to_numpy()[chosen]
    for name in ("besluit_niet_gemotiveerd", "termijn_overschreden"):
        _pick_dossiers(job, DOSSIER_CODE_OF[name], dropped)


def _profiles(kind: ErrorType) -> np.ndarray:
    return np.array([profile_index(name) for name in kind.controls], dtype=np.int64)


def _dossier_pool(job: _Injection, code: int) -> np.ndarray:
    """Payments of the profiles the type names (a payment carries its dossier's profile)."""
    payments = job.payments
    profile = job.dossiers["profile"].to_numpy()[payments["dossier"].to_numpy()]
    pool = np.isin(profile, _profiles(ERROR_TYPES[code]))
    if code == CODE_OF["inkomsten_niet_opgegeven"]:  # only whole months of a benefit after the norm
        pool &= (payments["norm"].to_numpy() != NO_AMOUNT) & payments["full_month"].to_numpy()
    elif code == CODE_OF["handmatig_niet_geaccordeerd"]:
        pool &= payments["manual"].to_numpy()
    return pool


def _pick_dossiers(
    job: _Injection, code: int, dropped: np.ndarray, pool: np.ndarray | None = None
) -> np.ndarray:
    """Draw this type's share of the beschikkingen it can apply to (kept, not yet wrong) and mark them."""
    kind, dossiers = DOSSIER_ERROR_TYPES[code], job.dossiers
    profile = dossiers["profile"].to_numpy()
    fits = np.isin(profile, _profiles(kind)) & ~dropped & (dossiers["error"].to_numpy() == 0)
    if code == DOSSIER_CODE_OF["termijn_overschreden"]:  # bijstand: only where a voorschot was due
        late = dossiers["besluit"].to_numpy() - dossiers["aanvraag"].to_numpy() > VOORSCHOT_DAYS
        fits &= late | (profile != profile_index("PW-LO"))
    candidates = np.flatnonzero(fits if pool is None else fits & pool)
    count = min(round(getattr(job.rates, kind.rate) * len(candidates)), len(candidates))
    chosen = np.sort(job.rng.choice(candidates, size=count, replace=False))
    dossiers.loc[chosen, "error"] = code
    return chosen


def _verhuisd(job: _Injection, dropped: np.ndarray) -> None:
    """The client had already moved away when the beschikking ended: its last one or two monthly payments
    were not due. The beschikking is wrong (ended too late) and so is each of those payments."""
    payments, dossiers = job.payments, job.dossiers
    end = dossiers["end"].to_numpy()
    ended = (end != cal.NO_DATE) & (end <= cal.day(job.year, 12, 31))
    dossier_of = payments["dossier"].to_numpy()
    touched = np.zeros(len(dossiers), dtype=bool)  # a dossier with an export error keeps just that
    touched[dossier_of[payments["error"].to_numpy() > 0]] = True
    pool = ended & dossiers["monthly"].to_numpy() & (dossiers["n_months"].to_numpy() >= 3) & ~touched
    chosen = _pick_dossiers(job, DOSSIER_CODE_OF["verhuisd_niet_gemeld"], dropped, pool)
    months = 1 + (job.rng.random(len(chosen)) < 0.4)
    rows = np.flatnonzero(np.isin(dossier_of, chosen) & (payments["amount"].to_numpy() > 0))
    order = pd.DataFrame(
        {"row": rows, "dossier": dossier_of[rows], "period": payments["period_from"].to_numpy()[rows]}
    ).sort_values(["dossier", "period", "row"])
    from_last = order.groupby("dossier").cumcount(ascending=False).to_numpy()
    wanted = pd.Series(months, index=chosen).reindex(order["dossier"].to_numpy()).to_numpy()
    wrong = order["row"].to_numpy()[from_last < wanted]
    amount = payments["amount"].to_numpy()[wrong]
    payments.loc[wrong, "error"] = CODE_OF["verhuisd_niet_gemeld"]
    payments.loc[wrong, "error_amount"] = amount
    paid_after = np.zeros(len(dossiers), dtype=np.int64)
    np.add.at(paid_after, dossier_of[wrong], amount)
    dossiers.loc[chosen, "error_amount"] = paid_after[chosen]
