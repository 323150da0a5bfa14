"""Beschikkingen of the synthetic gemeente: who gets what, from when to when, and how much.

Dossiers are drawn per profile (see regelingen.py) until their payments in the year add up to
that profile's share; one-off regelingen take what is left, so the population has exactly the
requested number of payments. Clients are shared between regelingen the way they are in a
sociale dienst: most bijzondere bijstand and nearly all individuele inkomenstoeslag go to
people who also receive algemene bijstand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kic.synth import calendar as cal
from kic.synth import products as prod
from kic.synth.formats import NO_AMOUNT
from kic.synth.households import Households, make_households
from kic.synth.norms import IIT_BEDRAGEN, norm_cents_rows
from kic.synth.regelingen import PROFILES, Profile, regeling_index

MEDEWERKERS = 25
MONTHLY_DRAW_FACTOR = 6  # fewest expected payments per monthly dossier, to draw enough at once


def make_dossiers(rng: np.random.Generator, year: int, payments: int) -> tuple[pd.DataFrame, Households]:
    """All beschikkingen with exactly ``payments`` payments in ``year`` between them."""
    monthly = [_monthly_dates(rng, year, p, round(p.share * payments)) for p in PROFILES if p.monthly]
    remaining = payments - sum(int(frame["n_months"].sum()) for frame in monthly)
    oneoff = [_oneoff_dates(rng, year, p, n) for p, n in _split_oneoffs(remaining)]
    frames = [f for f in monthly + oneoff if len(f)]
    dossiers = pd.concat(frames, ignore_index=True)
    households = _assign_clients(rng, dossiers)
    _set_amounts(rng, year, dossiers, households)
    dossiers["medewerker"] = rng.integers(1, MEDEWERKERS + 1, size=len(dossiers))
    return dossiers, households


def _profile_columns(profile: Profile, n: int) -> dict[str, np.ndarray]:
    return {
        "profile": np.full(n, PROFILES.index(profile), dtype=np.int64),
        "regeling": np.full(n, regeling_index(profile.regeling), dtype=np.int64),
        "monthly": np.full(n, profile.monthly),
        "lag": np.full(n, profile.lag, dtype=np.int64),
    }


def _monthly_dates(rng: np.random.Generator, year: int, profile: Profile, target: int) -> pd.DataFrame:
    """Start and end dates of periodic beschikkingen, and how many months each pays in the year."""
    n = target // MONTHLY_DRAW_FACTOR + 2
    jan1, dec31 = cal.day(year, 1, 1), cal.day(year, 12, 31)
    existing = rng.random(n) < profile.p_existing
    age = rng.exponential(profile.mean_age_years * 365, n).astype(np.int64) % (profile.max_age_years * 365)
    first_new = cal.month_start(year, np.array([-profile.lag]))[0]
    last_new = cal.month_end(year, np.array([9 - profile.lag]))[0]
    start = np.where(existing, jan1 - 1 - age, rng.integers(first_new, last_new + 1, n))
    end = _end_dates(rng, profile, start, jan1, dec31)
    s_first = np.maximum(-profile.lag, cal.month_index(year, start))
    s_last = np.where(
        end == cal.NO_DATE,
        11 - profile.lag,
        np.minimum(11 - profile.lag, cal.month_index(year, np.where(end == cal.NO_DATE, 0, end))),
    )
    months = np.maximum(s_last - s_first + 1, 0)
    keep = (months > 0) & (np.cumsum(months) <= target)
    application = start - rng.integers(0, 15, n)
    frame = pd.DataFrame(
        {
            **_profile_columns(profile, n),
            "start": start,
            "end": end,
            "s_first": s_first,
            "n_months": months,
            "aanvraag": application,
            "besluit": application + _decision_days(rng, profile, n, 5, 56),
        }
    )
    return frame[keep].reset_index(drop=True)


def _end_dates(
    rng: np.random.Generator, profile: Profile, start: np.ndarray, jan1: int, dec31: int
) -> np.ndarray:
    n = len(start)
    earliest = np.maximum(start, jan1) + 27
    in_year = (rng.random(n) < profile.p_end_in_year) & (earliest <= dec31)
    later = rng.random(n) < profile.p_end_after
    end_in_year = earliest + (rng.random(n) * (dec31 - earliest + 1)).astype(np.int64)
    end_later = dec31 + rng.integers(30, 900, n)
    return np.where(in_year, end_in_year, np.where(later, end_later, cal.NO_DATE))


def _split_oneoffs(remaining: int) -> list[tuple[Profile, int]]:
    """Share the payments left over by the periodic regelingen among the one-off profiles."""
    oneoff = [p for p in PROFILES if not p.monthly]
    total_share = sum(p.share for p in oneoff)
    counts = [int(remaining * p.share / total_share) for p in oneoff]
    counts[0] += max(remaining, 0) - sum(counts)
    return list(zip(oneoff, counts, strict=False))


def _oneoff_dates(rng: np.random.Generator, year: int, profile: Profile, n: int) -> pd.DataFrame:
    """One-off beschikkingen: a single day as period; the decision follows within six weeks."""
    application = rng.integers(cal.day(year, 1, 1), cal.day(year, 11, 10) + 1, n)
    return pd.DataFrame(
        {
            **_profile_columns(profile, n),
            "start": application,
            "end": application,
            "s_first": np.zeros(n, dtype=np.int64),
            "n_months": np.ones(n, dtype=np.int64),
            "aanvraag": application,
            "besluit": application + _decision_days(rng, profile, n, 3, 40),
        }
    )


def _assign_clients(rng: np.random.Generator, dossiers: pd.DataFrame) -> Households:
    """Give each dossier a client: new ones for income benefits, partly shared for the rest."""
    client = np.full(len(dossiers), -1, dtype=np.int64)
    next_client = 0
    pool = np.empty(0, dtype=np.int64)
    for index, profile in enumerate(PROFILES):
        rows = np.flatnonzero(dossiers["profile"].to_numpy() == index)
        shared = rows[rng.random(len(rows)) < profile.p_bijstand_client] if len(pool) else rows[:0]
        if profile.name == "PW-IIT":  # at most once a year per client
            shared = shared[: len(pool)]
            client[shared] = rng.choice(pool, size=len(shared), replace=False)
        else:
            client[shared] = rng.choice(pool, size=len(shared)) if len(shared) else shared
        fresh = np.setdiff1d(rows, shared, assume_unique=True)
        client[fresh] = np.arange(next_client, next_client + len(fresh))
        next_client += len(fresh)
        if profile.name == "PW-LO":
            pool = client[rows]
    dossiers["client"] = client
    return make_households(rng, next_client)


def _decision_days(
    rng: np.random.Generator, profile: Profile, n: int, shortest: int, longest: int
) -> np.ndarray:
    """Days from aanvraag to besluit, within the legal term: 2 weeks for Wmo (art. 2.3.5), 8 weeks else."""
    longest = min(longest, 14) if profile.regeling == "WMO" else longest
    return rng.integers(shortest, longest + 1, n)


def _set_amounts(rng: np.random.Generator, year: int, dossiers: pd.DataFrame, households: Households) -> None:
    """Amount per period, volume, norm and income of every dossier."""
    n = len(dossiers)
    profile = dossiers["profile"].to_numpy()
    for column in ("amount", "volume", "tariff", "norm", "income", "leefvorm", "kostendelers"):
        dossiers[column] = np.full(n, NO_AMOUNT, dtype=np.int64)
    dossiers["product"] = _draw_products(rng, profile)
    for index, p in enumerate(PROFILES):
        rows = np.flatnonzero(profile == index)
        if p.norm:
            _set_norm_amounts(rng, year, dossiers, rows, p, households)
        elif p.name == "PW-IIT":
            _set_household(dossiers, rows, households)
            lv = dossiers["leefvorm"].to_numpy()[rows]
            dossiers.loc[rows, "amount"] = np.array([IIT_BEDRAGEN[int(v)] for v in lv], dtype=np.int64)
        elif p.regeling in ("WMO", "JEUGD"):
            _set_volumes(rng, dossiers, rows)
        else:
            _set_product_amounts(rng, dossiers, rows, whole_euros=p.monthly or p.name == "BBZ-KAP")


def _draw_products(rng: np.random.Generator, profile: np.ndarray) -> np.ndarray:
    product = np.full(len(profile), -1, dtype=np.int64)
    for index, p in enumerate(PROFILES):
        rows = np.flatnonzero(profile == index)
        if p.product is not None:
            product[rows] = prod.PRODUCT_CODES.index(p.product)
        else:
            choices = prod.product_indices(p.regeling, periodic=False if p.regeling == "PW-BB" else None)
            product[rows] = rng.choice(choices, size=len(rows))
    return product


def _set_household(dossiers: pd.DataFrame, rows: np.ndarray, households: Households) -> None:
    clients = dossiers["client"].to_numpy()[rows]
    dossiers.loc[rows, "leefvorm"] = households.leefvorm[clients]
    dossiers.loc[rows, "kostendelers"] = households.kostendelers[clients]


def _set_norm_amounts(
    rng: np.random.Generator,
    year: int,
    dossiers: pd.DataFrame,
    rows: np.ndarray,
    profile: Profile,
    households: Households,
) -> None:
    """Norm from leefvorm and kostendelers; income (100–600 euro) deducted for some clients.

    The beschikking states the amount after the year's last mass mutation (the norm of the last paid
    month): norms only rise per 1 January and 1 July, so no correct monthly payment exceeds it.
    """
    _set_household(dossiers, rows, households)
    last = dossiers["s_first"].to_numpy()[rows] + dossiers["n_months"].to_numpy()[rows] - 1
    norm = norm_cents_rows(
        dossiers["regeling"].to_numpy()[rows],
        dossiers["leefvorm"].to_numpy()[rows],
        dossiers["kostendelers"].to_numpy()[rows],
        cal.month_start(year, last),
    )
    has_income = rng.random(len(rows)) < profile.p_income
    income = np.where(has_income, rng.integers(10_000, 60_001, len(rows)), 0)
    dossiers.loc[rows, "norm"] = norm
    dossiers.loc[rows, "income"] = income
    dossiers.loc[rows, "amount"] = norm - income


def _set_volumes(rng: np.random.Generator, dossiers: pd.DataFrame, rows: np.ndarray) -> None:
    """Toegewezen volume per maand in whole steps of the unit, and its monthly budget."""
    product = dossiers["product"].to_numpy()[rows]
    step = prod.column("volume_step")[product]
    low, high = prod.column("volume_min")[product], prod.column("volume_max")[product]
    volume = (low + (rng.random(len(rows)) * (high - low + 1)).astype(np.int64)) // step * step
    volume = np.maximum(volume, step)
    tariff = prod.column("tariff").astype(np.int64)[product]
    dossiers.loc[rows, "volume"] = volume
    dossiers.loc[rows, "tariff"] = tariff
    dossiers.loc[rows, "amount"] = declared_amount(volume, tariff)


def _set_product_amounts(
    rng: np.random.Generator, dossiers: pd.DataFrame, rows: np.ndarray, *, whole_euros: bool
) -> None:
    """Log-uniform amounts within the product's range: many small grants, a few large ones."""
    product = dossiers["product"].to_numpy()[rows]
    low, high = prod.column("amount_min")[product], prod.column("amount_max")[product]
    amount = np.exp(np.log(low) + rng.random(len(rows)) * (np.log(high) - np.log(low))).astype(np.int64)
    dossiers.loc[rows, "amount"] = amount // 100 * 100 if whole_euros else amount


def declared_amount(volume: np.ndarray, tariff: np.ndarray) -> np.ndarray:
    """Volume (hundredths) × tariff (cents per unit), rounded half up to whole cents."""
    return (volume * tariff + 50) // 100
