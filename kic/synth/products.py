"""Products (kostensoorten, Wmo/Jeugd productcodes) with contract tariffs and typical amounts.

The Wmo and Jeugd codes follow the shape of the iWmo/iJw productcodes (categorie + code) and
the eenheden of code list WJ756 (04 uur, 14 etmaal, 16 dagdeel), but the combinations and the
tariffs are illustrative for the synthetic gemeente, not a real contract. A declaratie is
volume × contracttarief; the tariffs here are what the TARIEF_BOVEN_CONTRACT error departs from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np


@dataclass(frozen=True)
class Product:
    code: str
    regeling: str
    description: str
    unit: str = ""  # WJ756 eenheid for Wmo/Jeugd declaraties
    tariff: int = 0  # contracttarief in cents per eenheid
    volume_range: tuple[int, int] = (0, 0)  # toegewezen volume per maand, in hundredths
    volume_step: int = 100  # hundredths: 25 = a quarter of an hour
    amount_range: tuple[int, int] = (0, 0)  # cents, for products paid as an amount


PRODUCTS: Final[tuple[Product, ...]] = (
    Product("02A01", "WMO", "hulp bij het huishouden", "04", 3_640, (600, 1_600), 25),
    Product("07A02", "WMO", "begeleiding individueel", "04", 6_825, (400, 2_000), 25),
    Product("04A10", "WMO", "dagbesteding", "16", 4_890, (400, 1_600), 100),
    Product("05A05", "WMO", "kortdurend verblijf", "14", 14_200, (100, 800), 100),
    Product("45A10", "JEUGD", "jeugdhulp ambulant", "04", 9_680, (200, 1_600), 25),
    Product("44A05", "JEUGD", "dagbehandeling jeugd", "16", 8_250, (400, 1_600), 100),
    Product("43A20", "JEUGD", "jeugdhulp met verblijf", "14", 21_500, (1_000, 3_100), 100),
    Product("BB-DGG", "PW-BB", "duurzame gebruiksgoederen", amount_range=(15_000, 120_000)),
    Product("BB-MED", "PW-BB", "medische kosten", amount_range=(3_000, 60_000)),
    Product("BB-WON", "PW-BB", "woonkosten en inrichting", amount_range=(20_000, 250_000)),
    Product("BB-REI", "PW-BB", "reiskosten", amount_range=(1_500, 20_000)),
    Product("BB-RB", "PW-BB", "eigen bijdrage rechtsbijstand", amount_range=(5_000, 90_000)),
    Product("BB-BEW", "PW-BB", "kosten beschermingsbewind (periodiek)", amount_range=(11_000, 16_500)),
    Product("IIT", "PW-IIT", "individuele inkomenstoeslag"),
    Product("LO", "PW-LO", "algemene bijstand levensonderhoud"),
    Product("IOAW", "IOAW", "uitkering IOAW"),
    Product("IOAZ", "IOAZ", "uitkering IOAZ"),
    Product("BBZ-LO", "BBZ", "Bbz levensonderhoud"),
    Product("BBZ-KAP", "BBZ", "Bbz bedrijfskapitaal (lening)", amount_range=(500_000, 3_500_000)),
    Product("WGS-BB", "WGS", "budgetbeheer en schuldbewind", amount_range=(6_000, 11_000)),
    Product(
        "KO-SMI",
        "WKO",
        "tegemoetkoming kinderopvang sociaal-medische indicatie",
        amount_range=(25_000, 90_000),
    ),
)

PRODUCT_CODES: Final[tuple[str, ...]] = tuple(product.code for product in PRODUCTS)
CONTRACTTARIEVEN: Final[dict[str, int]] = {p.code: p.tariff for p in PRODUCTS if p.tariff}


def product_indices(regeling: str, *, periodic: bool | None = None) -> np.ndarray:
    """Indices into PRODUCTS of one regeling (for PW-BB: only periodic or only one-off ones)."""
    picked = [i for i, p in enumerate(PRODUCTS) if p.regeling == regeling]
    if periodic is not None:
        picked = [i for i in picked if (PRODUCTS[i].code == "BB-BEW") == periodic]
    return np.array(picked, dtype=np.int64)


def column(name: str) -> np.ndarray:
    """One attribute of every product as an array, for vectorised look-ups by product index."""
    if name in ("volume_min", "volume_max"):
        return np.array([p.volume_range[name == "volume_max"] for p in PRODUCTS], dtype=np.int64)
    if name in ("amount_min", "amount_max"):
        return np.array([p.amount_range[name == "amount_max"] for p in PRODUCTS], dtype=np.int64)
    return np.array([getattr(p, name) for p in PRODUCTS])
