"""The gemeenten of an installation: a regional sociale dienst carries out the laws for several gemeenten,
each of which accounts separately (its own raad, SiSa-bijlage and accountant).

A gemeente is known by its CBS gemeentecode (``GM0363``); payments and beschikkingen carry it
(``kic.population``). An installation for one gemeente registers it once with ``kic gemeente add``.
"""

from kic.gemeenten.models import Gemeente
from kic.gemeenten.scope import WHOLE, Scope
from kic.gemeenten.service import (
    GemeenteError,
    add_gemeente,
    change_gemeente,
    gemeente_names,
    known_codes,
    list_gemeenten,
    normalise_code,
)

__all__ = [
    "WHOLE",
    "Gemeente",
    "GemeenteError",
    "Scope",
    "add_gemeente",
    "change_gemeente",
    "gemeente_names",
    "known_codes",
    "list_gemeenten",
    "normalise_code",
]
