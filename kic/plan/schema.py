"""What a controleplan is: the pydantic models of ``controls/plans/<jaar>.yaml`` (docs/plan.md).

Field names in YAML are Dutch (aliases); attributes are English. Models are strict
(``extra='forbid'``) so that a misspelt field is reported instead of silently ignored. Checks that
need more than one field (a statistical sample needs a confidence, a targeted one a size) live
here too, so that loading a plan reports every problem at once.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kic.controls.catalogue import Werkproces
from kic.controls.errors import ExpressionError
from kic.controls.expressions import parse
from kic.controls.frame import column_names
from kic.population.schema import DOSSIER_COLUMNS, REGELINGEN
from kic.sampling.audit_risk import LEVELS, RiskModel
from kic.sampling.results import SamplingError
from kic.vocabulary import SELECTIONS as CYCLE_SELECTIONS
from kic.vocabulary import Method, Purpose

PAYMENT_NAMES = column_names()
DOSSIER_NAMES = frozenset(c.header for c in DOSSIER_COLUMNS)


# A plan line's werkonderdeel is one of the catalogue's werkprocessen: it selects the checklist of its samples.
Werkonderdeel = Werkproces


Doel = Purpose  # the plan's word for it


class Methode(str, Enum):
    """The controleplan's words for a method; ``method`` is the same method in the cycle's words."""

    MUS = "mus"
    ATTRIBUUT = "attribuut"
    RISICOGEWOGEN = "risicogewogen"

    @property
    def method(self) -> Method:
        return {"mus": Method.MUS, "attribuut": Method.ITEMS, "risicogewogen": Method.RISICO}[self.value]


class Frequentie(str, Enum):
    WEKELIJKS = "wekelijks"
    MAANDELIJKS = "maandelijks"
    PER_KWARTAAL = "per_kwartaal"
    JAARLIJKS = "jaarlijks"


class Verdeling(str, Enum):
    """per_gemeente: a sample per gemeente (a stratum each, so every gemeente's rechtmatigheid figure stands on
    its own sample); regio: one sample over all gemeenten of the samenwerkingsverband."""

    PER_GEMEENTE = "per_gemeente"
    REGIO = "regio"


class Spreiding(str, Enum):
    """jaar: one yearly sample spread over the periods pro rata; periode: a sample per period."""

    JAAR = "jaar"
    PERIODE = "periode"


class Bron(str, Enum):
    BETALINGEN = "betalingen"
    BESCHIKKINGEN = "beschikkingen"


SELECTIONS: dict[Methode, tuple[str, ...]] = {m: CYCLE_SELECTIONS[m.method] for m in Methode}
DATE_COLUMN = {Bron.BETALINGEN: "periode_van", Bron.BESCHIKKINGEN: "besluitdatum"}
LIKELIHOODS = ("poisson", "binomial", "hypergeometric")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Population(_Model):
    """Which rows form the population: the regeling's rows of a source, narrowed by a filter."""

    source: Bron = Field(Bron.BETALINGEN, alias="bron")
    filter: str | None = Field(
        None, description="expressie in de veilige expressietaal; waar = in de populatie"
    )
    date_column: str | None = Field(
        None,
        alias="datumkolom",
        description="welke datum de periode bepaalt (standaard periode_van of besluitdatum)",
    )

    @property
    def names(self) -> frozenset[str]:
        return PAYMENT_NAMES if self.source is Bron.BETALINGEN else DOSSIER_NAMES

    @property
    def period_column(self) -> str:
        return self.date_column or DATE_COLUMN[self.source]

    @model_validator(mode="after")
    def _known_columns(self) -> Population:
        if self.filter is not None:
            try:
                used = parse(self.filter).names
            except ExpressionError as exc:
                raise ValueError(f"filter: {exc}") from None
            unknown = sorted(used - self.names)
            if unknown:
                raise ValueError(
                    f"filter: onbekende kolom(men) voor {self.source.value}: {', '.join(unknown)}"
                )
        if self.period_column not in self.names:
            raise ValueError(f"datumkolom: '{self.period_column}' is geen kolom van {self.source.value}")
        return self


class Risks(_Model):
    """The HARo assessment (hoog/midden/laag) that yields the confidence the sample must give."""

    inherent: str = Field(alias="inherent")
    internal_control: str = Field(alias="interne_beheersing")
    analytical: str = Field(alias="cijferanalyse")

    @field_validator("inherent", "internal_control", "analytical")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.strip().lower() not in LEVELS:
            raise ValueError(f"onbekend risiconiveau {value!r}; kies hoog, midden of laag")
        return LEVELS[value.strip().lower()]


class Part(_Model):
    """One line of the plan: a regeling's werkonderdeel, its population and how it is sampled."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", description="stabiel kenmerk van het onderdeel")
    regeling: str
    work: Werkonderdeel = Field(alias="werkonderdeel")
    description: str | None = Field(None, alias="omschrijving")
    population: Population = Field(default_factory=Population, alias="populatie")  # type: ignore[arg-type]
    purpose: Doel = Field(alias="doel")
    method: Methode = Field(alias="methode")
    selection: str | None = Field(None, alias="selectie")
    confidence_pct: float | None = Field(None, alias="betrouwbaarheid_pct", gt=0, lt=100)
    risks: Risks | None = Field(None, alias="risico")
    materiality_pct: float | None = Field(None, alias="materialiteit_pct", gt=0, lt=100)
    expected_pct: float = Field(0.0, alias="verwachte_fouten_pct", ge=0, lt=100)
    likelihood: str | None = Field(None, alias="kansmodel")
    size: int | None = Field(None, alias="omvang", ge=1)
    frequency: Frequentie = Field(alias="frequentie")
    spread: Spreiding | None = Field(None, alias="spreiding")
    distribution: Verdeling | None = Field(
        None,
        alias="gemeenten",
        description="per_gemeente (standaard bij statistisch): een steekproef per gemeente; regio (standaard "
        "bij gericht en preventief): één steekproef over alle gemeenten",
    )
    second_reviewer: bool = Field(False, alias="vier_ogen")
    two_stage: bool = Field(
        False,
        alias="uitbreidbaar",
        description="tweetrapssteekproef: mag na fouten één keer worden uitgebreid; "
        "elke fase wordt met de helft van het risico gepland en geëvalueerd",
    )

    @field_validator("regeling")
    @classmethod
    def _known_regeling(cls, value: str) -> str:
        if value not in REGELINGEN:
            raise ValueError(f"onbekende regeling '{value}'; kies uit {', '.join(REGELINGEN)}")
        return value

    @field_validator("likelihood")
    @classmethod
    def _known_likelihood(cls, value: str | None) -> str | None:
        if value is not None and value not in LIKELIHOODS:
            raise ValueError(f"onbekend kansmodel '{value}'; kies uit {', '.join(LIKELIHOODS)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Part:
        problems = [*self._method_problems(), *self._size_problems()]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _method_problems(self) -> list[str]:
        problems = []
        if self.selection is not None and self.selection not in SELECTIONS[self.method]:
            problems.append(
                f"selectie '{self.selection}' past niet bij methode {self.method.value}; kies uit "
                + ", ".join(SELECTIONS[self.method])
            )
        if self.method is not Methode.ATTRIBUUT and self.population.source is Bron.BESCHIKKINGEN:
            problems.append(
                f"methode {self.method.value} weegt naar bedrag en vraagt bron betalingen; "
                "gebruik attribuut voor beschikkingen"
            )
        if self.method is Methode.MUS and self.likelihood == "binomial":
            problems.append("MUS plant met poisson of hypergeometric, niet binomial")
        if self.two_stage and (self.purpose is not Doel.STATISTISCH or self.method is Methode.RISICOGEWOGEN):
            problems.append("'uitbreidbaar' kan alleen bij een statistische MUS- of attribuutsteekproef")
        return problems

    def _size_problems(self) -> list[str]:
        if not self.computed:
            return [] if self.size else [f"een {self._kind()} steekproef heeft een vaste 'omvang' nodig"]
        problems = []
        if self.size is not None:
            problems.append("'omvang' wordt voor een statistische steekproef berekend; laat het veld weg")
        if (self.confidence_pct is None) == (self.risks is None):
            problems.append("geef óf 'betrouwbaarheid_pct' óf 'risico' (HARo), niet beide of geen")
        if self.materiality_pct is not None and self.expected_pct >= self.materiality_pct:
            problems.append("verwachte_fouten_pct moet onder materialiteit_pct liggen")
        return problems

    def _kind(self) -> str:
        return "preventieve" if self.purpose is Doel.PREVENTIEF else "gerichte"

    @property
    def computed(self) -> bool:
        """Whether the size follows from confidence and materiality: every statistical line (MUS, attribute
        and risk-weighted, the last as a monetary-unit sample on amount × weight / smallest weight)."""
        return self.purpose is Doel.STATISTISCH

    @property
    def effective_spread(self) -> Spreiding:
        if self.spread is not None:
            return self.spread
        return Spreiding.JAAR if self.purpose is Doel.STATISTISCH else Spreiding.PERIODE

    @property
    def per_gemeente(self) -> bool:
        """Whether the line is drawn per gemeente (when the population holds more than one)."""
        if self.distribution is not None:
            return self.distribution is Verdeling.PER_GEMEENTE
        return self.purpose is Doel.STATISTISCH

    @property
    def effective_selection(self) -> str:
        return self.selection or SELECTIONS[self.method][0]

    @property
    def effective_likelihood(self) -> str:
        return self.likelihood or ("binomial" if self.method is Methode.ATTRIBUUT else "poisson")

    @property
    def extrapolated(self) -> bool:
        return self.purpose is Doel.STATISTISCH


class Agreement(_Model):
    """The agreement with the accountant about this plan."""

    day: date = Field(alias="datum")
    name: str = Field(alias="naam", min_length=1)
    firm: str | None = Field(None, alias="kantoor")
    reference: str | None = Field(None, alias="kenmerk")
    note: str | None = Field(None, alias="toelichting")


class Limit(_Model):
    """A threshold of the gemeente: a percentage of the totale lasten, an amount in euros, or both."""

    percentage: float | None = Field(None, gt=0, le=100)
    amount: Decimal | None = Field(None, alias="bedrag", gt=0, decimal_places=2)
    basis: str | None = Field(None, alias="grondslag", description="besluit of verordening")

    @model_validator(mode="after")
    def _something(self) -> Limit:
        if self.percentage is None and self.amount is None:
            raise ValueError("geef 'percentage' of 'bedrag' (of beide)")
        return self


class Plan(_Model):
    year: int = Field(alias="jaar", ge=2000, le=2100)
    version: int = Field(alias="versie", ge=1)
    gemeente: str = Field(min_length=1)
    adopted_on: date | None = Field(None, alias="vastgesteld_op")
    adopted_by: str | None = Field(None, alias="vastgesteld_door")
    agreement: Agreement | None = Field(None, alias="afspraak_accountant")
    total_costs: Decimal | None = Field(None, alias="totale_lasten", gt=0, decimal_places=2)
    accountability_limit: Limit | None = Field(None, alias="verantwoordingsgrens")
    reporting_limit: Limit | None = Field(None, alias="rapportagegrens")
    risk_model: dict[str, Any] | None = Field(
        None, alias="risicomodel", description="HARo-factoren (audit_risk, mapping); standaard HARo"
    )
    understatements: Literal["meetellen", "apart"] = Field(
        "meetellen",
        alias="onderbetalingen",
        description="tellen onderbetalingen (te weinig betaald) mee voor de tolerantie: meetellen (standaard, "
        "niet salderen: de bovengrens van de absolute fouten) of apart (alleen te veel betaald)",
    )
    quality_norms: dict[Werkonderdeel, float] = Field(
        default_factory=dict,
        alias="kwaliteitsnormen",
        description="per werkproces het afgesproken kwaliteitspercentage: het deel van de beoordeelde posten "
        "zonder fout, onzekerheid of formele fout (bijvoorbeeld aanvraag: 90)",
    )
    costs_per_gemeente: dict[str, Decimal] = Field(
        default_factory=dict,
        alias="totale_lasten_per_gemeente",
        description="per CBS-gemeentecode de totale lasten van die gemeente: haar verantwoordingsgrens en "
        "rapportagegrens (als percentage) gelden voor haar eigen lasten",
    )
    parts: list[Part] = Field(alias="onderdelen", min_length=1)

    @field_validator("quality_norms")
    @classmethod
    def _percentages(cls, value: dict[Werkonderdeel, float]) -> dict[Werkonderdeel, float]:
        wrong = [f"{work.value}: {pct}" for work, pct in value.items() if not 0 < pct <= 100]
        if wrong:
            raise ValueError(
                f"een kwaliteitsnorm is een percentage boven 0 en ten hoogste 100 ({', '.join(wrong)})"
            )
        return value

    @field_validator("costs_per_gemeente")
    @classmethod
    def _cbs_codes(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        wrong = [code for code in value if not re.fullmatch(r"GM\d{4}", code)]
        if wrong:
            raise ValueError(f"geen CBS-gemeentecode (GM gevolgd door vier cijfers): {', '.join(wrong)}")
        if any(amount <= 0 for amount in value.values()):
            raise ValueError("de totale lasten van een gemeente zijn een bedrag boven nul")
        return value

    def for_gemeente(self, code: str) -> Plan:
        """The plan as it applies to one gemeente: her own totale lasten (None when the plan does not give them,
        so that a percentage limit is not applied to the lasten of the whole region)."""
        return self.model_copy(update={"total_costs": self.costs_per_gemeente.get(code)})

    @field_validator("risk_model")
    @classmethod
    def _valid_risk_model(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            try:
                RiskModel.from_mapping(value)
            except SamplingError as exc:
                raise ValueError(str(exc)) from None
        return value

    def haro(self) -> RiskModel:
        """The plan's HARo factor table, or the documented default."""
        return RiskModel.from_mapping(self.risk_model) if self.risk_model else RiskModel.haro()

    @model_validator(mode="after")
    def _unique_parts(self) -> Plan:
        ids = [p.id for p in self.parts]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"onderdeel-id dubbel: {', '.join(doubles)}")
        return self

    def canonical(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    @property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON: a draw records exactly which plan it followed."""
        text = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def part(self, part_id: str) -> Part:
        for part in self.parts:
            if part.id == part_id.upper():
                return part
        raise KeyError(part_id)
