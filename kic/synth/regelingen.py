"""How each regeling behaves in the synthetic gemeente: share of payments, rhythm, lifetime.

A *profile* is one kind of beschikking: PW-BB has a one-off profile (a washing machine) and a
periodic one (beschermingsbewind each month); BBZ has levensonderhoud and bedrijfskapitaal.
The shares are of the number of payments and roughly follow a middelgrote gemeente, where
algemene bijstand is about half of all payment lines and Wmo/Jeugd declaraties a quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from kic.synth.formats import NO_AMOUNT

REGELING_CODES: Final[tuple[str, ...]] = (
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
)

DOSSIER_PREFIX: Final[dict[str, str]] = {
    "PW-LO": "LO",
    "PW-BB": "BB",
    "PW-IIT": "IIT",
    "IOAW": "AW",
    "IOAZ": "AZ",
    "BBZ": "BZ",
    "WGS": "SH",
    "WMO": "WMO",
    "JEUGD": "JW",
    "WKO": "KO",
}


@dataclass(frozen=True)
class Profile:
    name: str
    regeling: str
    share: float  # share of all payments
    monthly: bool  # one payment per month while the beschikking runs; else one payment
    product: str | None = None  # fixed product code; None = draw from the regeling's products
    lag: int = 0  # months between the period and its payment (declaraties are paid afterwards)
    norm: bool = False  # amount follows the bijstandsnorm minus income
    p_existing: float = 0.0  # share of beschikkingen that started before the year
    mean_age_years: float = 2.0  # mean age of those beschikkingen on 1 January
    max_age_years: int = 15  # oldest such beschikking on 1 January (Bbz levensonderhoud: a legal maximum)
    p_end_in_year: float = 0.0  # share that ends within the year
    p_end_after: float = 0.0  # of the others: share with an end date after the year
    p_income: float = 0.0  # share of clients with income that is deducted
    p_bijstand_client: float = 0.0  # share of clients who also receive algemene bijstand


PROFILES: Final[tuple[Profile, ...]] = (
    Profile(
        "PW-LO",
        "PW-LO",
        0.50,
        True,
        "LO",
        norm=True,
        p_existing=0.8,
        mean_age_years=3.5,
        p_end_in_year=0.2,
        p_income=0.22,
    ),
    Profile(
        "IOAW",
        "IOAW",
        0.04,
        True,
        "IOAW",
        norm=True,
        p_existing=0.85,
        mean_age_years=2.5,
        p_end_in_year=0.15,
        p_end_after=0.6,
        p_income=0.35,
    ),
    Profile(
        "IOAZ",
        "IOAZ",
        0.006,
        True,
        "IOAZ",
        norm=True,
        p_existing=0.85,
        mean_age_years=2.5,
        p_end_in_year=0.15,
        p_end_after=0.6,
        p_income=0.4,
    ),
    Profile(
        "BBZ-LO",
        "BBZ",
        0.015,
        True,
        "BBZ-LO",
        norm=True,
        p_existing=0.5,
        mean_age_years=0.8,
        max_age_years=1,
        p_end_in_year=0.4,
        p_end_after=1.0,
        p_income=0.5,
    ),
    Profile(
        "PW-BB-P",
        "PW-BB",
        0.03,
        True,
        "BB-BEW",
        p_existing=0.7,
        mean_age_years=2.0,
        p_end_in_year=0.1,
        p_bijstand_client=0.7,
    ),
    Profile(
        "WGS",
        "WGS",
        0.02,
        True,
        "WGS-BB",
        p_existing=0.6,
        mean_age_years=1.5,
        p_end_in_year=0.3,
        p_end_after=1.0,
        p_bijstand_client=0.5,
    ),
    Profile(
        "WMO",
        "WMO",
        0.13,
        True,
        lag=1,
        p_existing=0.7,
        mean_age_years=2.0,
        p_end_in_year=0.2,
        p_end_after=0.9,
        p_bijstand_client=0.1,
    ),
    Profile(
        "JEUGD",
        "JEUGD",
        0.10,
        True,
        lag=1,
        p_existing=0.6,
        mean_age_years=1.2,
        p_end_in_year=0.3,
        p_end_after=1.0,
    ),
    Profile(
        "WKO",
        "WKO",
        0.02,
        True,
        "KO-SMI",
        p_existing=0.4,
        mean_age_years=0.8,
        p_end_in_year=0.4,
        p_end_after=1.0,
        p_bijstand_client=0.4,
    ),
    Profile("PW-BB", "PW-BB", 0.10, False, p_bijstand_client=0.7),
    Profile("PW-IIT", "PW-IIT", 0.035, False, "IIT", p_bijstand_client=0.9),
    Profile("BBZ-KAP", "BBZ", 0.004, False, "BBZ-KAP"),
)


def regeling_index(code: str) -> int:
    return REGELING_CODES.index(code)


def profile_index(name: str) -> int:
    """Position of the profile called ``name`` in PROFILES (the ``profile`` column of the dossiers)."""
    return next(i for i, p in enumerate(PROFILES) if p.name == name)


# BUS "nadere classificatie Bbz" (1 beginnende, 2 gevestigde/oudere, 3 beëindigende zelfstandige, 5 overig):
# the share of each code per Bbz profile. Made up for the synthetic gemeente (no published distribution
# was found): most levensonderhoud goes to starters, bedrijfskapitaal to starters and gevestigden.
BBZ_CLASSES: Final[dict[str, dict[int, float]]] = {
    "BBZ-LO": {1: 0.75, 2: 0.20, 3: 0.05},
    "BBZ-KAP": {1: 0.60, 2: 0.40},
}


def bbz_classes(rng: np.random.Generator, profile: np.ndarray) -> np.ndarray:
    """The classificatie of each beschikking (``profile``: its PROFILES index); NO_AMOUNT outside the Bbz."""
    classes = np.full(len(profile), NO_AMOUNT, dtype=np.int64)
    for name, shares in BBZ_CLASSES.items():
        rows = np.flatnonzero(profile == profile_index(name))
        classes[rows] = rng.choice(
            np.array(list(shares), dtype=np.int64), size=len(rows), p=list(shares.values())
        )
    return classes
