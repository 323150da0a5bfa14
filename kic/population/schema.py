"""The canonical import layout of payments (betalingen) and dossiers (beschikkingen).

One table of column specifications drives parsing, validation, storage and the synthetic export,
so that a column is described once. ``header`` is the Dutch column name a user sees in an export
(and maps in a mapping file); ``attr`` is the model attribute it is stored in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    TEXT = "text"
    MONEY = "money"  # euro amount, stored as integer cents
    DATE = "date"
    INT = "int"
    BSN = "bsn"
    REGELING = "regeling"
    BOOL = "bool"
    DECIMAL = "decimal"  # a quantity such as a volume, stored as integer thousandths
    GEMEENTE = "gemeente"  # CBS gemeentecode GMxxxx (0363 is read as GM0363)


@dataclass(frozen=True)
class Column:
    header: str
    attr: str
    kind: Kind
    required: bool = False
    unique: bool = False
    description: str = ""
    codes: Mapping[str, str] | None = None  # the values allowed (code -> meaning), None: any


REGELINGEN: dict[str, str] = {
    "PW-LO": "Participatiewet algemene bijstand (levensonderhoud)",
    "PW-BB": "Participatiewet bijzondere bijstand",
    "PW-IIT": "Participatiewet individuele inkomenstoeslag",
    "IOAW": "IOAW",
    "IOAZ": "IOAZ",
    "BBZ": "Besluit bijstandverlening zelfstandigen",
    "WGS": "Wet gemeentelijke schuldhulpverlening",
    "WMO": "Wet maatschappelijke ondersteuning 2015",
    "JEUGD": "Jeugdwet",
    "WKO": "Kinderopvang (gemeentelijke tegemoetkomingen)",
}

LEEFVORMEN: dict[str, str] = {
    "1": "alleenstaande",
    "2": "alleenstaande ouder",
    "3": "gehuwden/samenwonenden",
    "4": "anders",
}

# BUS "nadere classificatie Bbz" (veld 9): which SiSa line a Bbz payment belongs to. Levensonderhoud of
# beginnende zelfstandigen is G2, the rest of Bbz (gevestigde/oudere, beëindigende zelfstandigen,
# kapitaal, onderzoek art. 56) is G3 (domain reference, SiSa G2/G3 and the BUS field list).
BBZ_CLASSIFICATIES: dict[str, str] = {
    "1": "beginnende zelfstandige",
    "2": "gevestigde (oudere) zelfstandige",
    "3": "beëindigende zelfstandige",
    "5": "overig",
}

# Both kinds carry the gemeente that accounts for them (a regional sociale dienst works for several).
GEMEENTE_COLUMN = Column(
    "gemeente",
    "gemeente",
    Kind.GEMEENTE,
    description=(
        "CBS-gemeentecode (GM0363) van de gemeente die verantwoordt; leeg: de gemeente uit het koppelbestand "
        "of, in een installatie met één gemeente, die gemeente"
    ),
)

PAYMENT_COLUMNS: tuple[Column, ...] = (
    Column(
        "betaling_id",
        "payment_id",
        Kind.TEXT,
        required=True,
        unique=True,
        description="unieke sleutel van de betaling in het bronsysteem",
    ),
    Column("client_id", "client_key", Kind.TEXT, required=True, description="(pseudonieme) cliëntsleutel"),
    Column("bsn", "bsn", Kind.BSN, required=True, description="burgerservicenummer (elfproef)"),
    Column(
        "regeling",
        "regeling",
        Kind.REGELING,
        required=True,
        description="code van de regeling: " + ", ".join(REGELINGEN),
    ),
    Column(
        "bedrag",
        "amount",
        Kind.MONEY,
        required=True,
        description="betaald bedrag; negatief (of D/C = C) is een creditering",
    ),
    Column(
        "debet_credit", "debit_credit", Kind.TEXT, description="optioneel D of C; C maakt het bedrag negatief"
    ),
    Column("betaaldatum", "payment_date", Kind.DATE, required=True),
    Column("periode_van", "period_from", Kind.DATE, required=True),
    Column(
        "periode_tot",
        "period_to",
        Kind.DATE,
        required=True,
        description="laatste dag van de periode waarop de betaling betrekking heeft",
    ),
    Column(
        "beschikkingsnummer",
        "beschikking_nr",
        Kind.TEXT,
        description="beschikking waarop de betaling rust (leeg = zonder beschikking)",
    ),
    Column(
        "leefvorm",
        "leefvorm",
        Kind.TEXT,
        description="BUS-code: 1 alleenstaande, 2 alleenstaande ouder, 3 gehuwden, 4 anders",
        codes=LEEFVORMEN,
    ),
    Column("kostendelers", "kostendelers", Kind.INT, description="aantal kostendelers (BUS veld 11)"),
    Column("normbedrag", "norm_amount", Kind.MONEY, description="toegepaste bijstandsnorm"),
    Column("inkomsten", "income_amount", Kind.MONEY, description="verrekende inkomsten"),
    Column("product", "product_code", Kind.TEXT, description="product/kostensoort (Wmo/Jeugd productcode)"),
    Column("volume", "volume", Kind.DECIMAL, description="geleverd volume (declaraties)"),
    Column("eenheid", "unit", Kind.TEXT, description="eenheid van het volume (iStandaard WJ756)"),
    Column("handmatig", "manual", Kind.BOOL, description="handmatige betaling (ja/nee)"),
    Column("medewerker", "entered_by", Kind.TEXT, description="medewerker die de betaling invoerde"),
    Column("bronsysteem", "source_system", Kind.TEXT, description="bronsysteem van de export"),
    Column(
        "bbz_classificatie",
        "bbz_class",
        Kind.TEXT,
        description=(
            "alleen Bbz: BUS nadere classificatie, 1 beginnende, 2 gevestigde, 3 beëindigende zelfstandige, "
            "5 overig; levensonderhoud van beginnende zelfstandigen is SiSa G2, de rest van het Bbz G3"
        ),
        codes=BBZ_CLASSIFICATIES,
    ),
    GEMEENTE_COLUMN,
)

DOSSIER_COLUMNS: tuple[Column, ...] = (
    Column("beschikkingsnummer", "beschikking_nr", Kind.TEXT, required=True, unique=True),
    Column("client_id", "client_key", Kind.TEXT, required=True),
    Column("bsn", "bsn", Kind.BSN, required=True),
    Column("regeling", "regeling", Kind.REGELING, required=True),
    Column("product", "product_code", Kind.TEXT),
    Column("ingangsdatum", "start_date", Kind.DATE, required=True),
    Column("einddatum", "end_date", Kind.DATE, description="leeg = doorlopend"),
    Column("bedrag_per_periode", "amount_per_period", Kind.MONEY),
    Column("volume", "volume", Kind.DECIMAL, description="toegewezen volume (iWmo/iJw 301)"),
    Column("eenheid", "unit", Kind.TEXT),
    Column("leefvorm", "leefvorm", Kind.TEXT, codes=LEEFVORMEN),
    Column("kostendelers", "kostendelers", Kind.INT),
    Column("besluitdatum", "decision_date", Kind.DATE),
    Column("aanvraagdatum", "application_date", Kind.DATE),
    Column("status", "status", Kind.TEXT),
    Column("medewerker", "entered_by", Kind.TEXT),
    GEMEENTE_COLUMN,
)

COLUMNS: dict[str, tuple[Column, ...]] = {"betalingen": PAYMENT_COLUMNS, "beschikkingen": DOSSIER_COLUMNS}

# Pairs (start, end) whose end may not lie before the start, per kind.
DATE_ORDER: dict[str, tuple[tuple[str, str], ...]] = {
    "betalingen": (("periode_van", "periode_tot"),),
    "beschikkingen": (("ingangsdatum", "einddatum"), ("aanvraagdatum", "besluitdatum")),
}
