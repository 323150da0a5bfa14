"""What a risk model is: the pydantic models of ``controls/risk.yaml`` (docs/risk.md).

A risk factor is a condition over features of the case and the payment (amount, regeling, new
case, manual payment, hits of the automated controls, ...) with a multiplying weight and a Dutch
explanation. Personal traits (nationality, language, age, gender, neighbourhood, ...) are refused
by name, in the factor's id and in every column its condition reads: selecting people for
scrutiny by who they are is discrimination (Rekenkamer Rotterdam, *Gekleurde technologie*, 2021)
and makes the model a high-risk AI system for public assistance benefits (AI Act, Annex III 5(a)).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kic.controls.errors import ExpressionError
from kic.controls.expressions import PREFIX, parse
from kic.controls.frame import column_names

HITS = "controletreffers"
"""The column of automated-control hits (number of controls that judged the payment fout)."""

COLUMNS = column_names() | {HITS}

# Dutch stems: a name part that starts with one of these is a personal trait.
TRAIT_STEMS: dict[str, str] = {
    "nationalit": "nationaliteit",
    "taal": "taal",
    "spreektaal": "taal",
    "leeftijd": "leeftijd",
    "geboorte": "geboortedatum of -land",
    "geslacht": "geslacht",
    "gender": "geslacht",
    "wijk": "woonwijk",
    "buurt": "woonbuurt",
    "stadsdeel": "woonwijk",
    "postcode": "postcode",
    "woonplaats": "woonplaats",
    "adres": "adres",
    "straat": "adres",
    "huisnummer": "adres",
    "etni": "etniciteit",
    "afkomst": "afkomst",
    "herkomst": "herkomst",
    "migratie": "migratieachtergrond",
    "religie": "religie",
    "geloof": "religie",
    "godsdienst": "religie",
    "huidskleur": "huidskleur",
    "seksu": "seksuele geaardheid",
    "gezondheid": "gezondheid",
    "handicap": "handicap",
    "zwanger": "zwangerschap",
    "burgerlijk": "burgerlijke staat",
}
# English words (whole name parts only, so that 'agenda' is not 'age').
TRAIT_WORDS: dict[str, str] = {
    "age": "leeftijd",
    "birth": "geboortedatum",
    "birthdate": "geboortedatum",
    "sex": "geslacht",
    "nationality": "nationaliteit",
    "language": "taal",
    "ethnicity": "etniciteit",
    "race": "ras",
    "religion": "religie",
    "zip": "postcode",
    "zipcode": "postcode",
    "postal": "postcode",
    "neighbourhood": "woonwijk",
    "neighborhood": "woonwijk",
    "district": "woonwijk",
    "pc4": "postcode",
    "pc6": "postcode",
    "ras": "ras",
}
IDENTIFIERS = {"bsn": "burgerservicenummer", "client_id": "cliëntsleutel"}
WHY = (
    "een risicofactor mag alleen kenmerken van de zaak of de betaling gebruiken, nooit kenmerken van de "
    "persoon: selecteren op wie iemand is, is discriminatie (Rekenkamer Rotterdam, 'Gekleurde "
    "technologie', 2021, over het risicomodel bijstandsfraude) en maakt het model een AI-systeem met "
    "hoog risico (AI-verordening, bijlage III, punt 5, onder a); zie docs/risk.md"
)


def personal_trait(name: str) -> str | None:
    """The personal trait ``name`` refers to (Dutch), or None when it names no trait."""
    bare = name.lower().removeprefix(PREFIX + ".")
    if bare in IDENTIFIERS:
        return IDENTIFIERS[bare]
    for part in [p for p in re.split(r"[^a-z0-9]+", bare) if p]:
        if part in TRAIT_WORDS:
            return TRAIT_WORDS[part]
        stem = next((s for s in TRAIT_STEMS if part.startswith(s)), None)
        if stem:
            return TRAIT_STEMS[stem]
    return None


def refused(names: list[str]) -> str | None:
    """A Dutch refusal naming every personal trait among ``names``, or None."""
    found = [f"'{n}' ({trait})" for n in names if (trait := personal_trait(n))]
    if not found:
        return None
    return f"persoonskenmerk niet toegestaan: {', '.join(found)}; {WHY}"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Factor(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="stabiel kenmerk van de factor")
    name: str = Field(alias="naam", min_length=1)
    condition: str = Field(alias="voorwaarde", description="expressie; waar = de factor telt mee")
    weight: float = Field(alias="gewicht", gt=0, le=100, description="vermenigvuldigt het risicogewicht")
    explanation: str = Field(
        alias="uitleg", min_length=1, description="waarom dit een risico is (Nederlands)"
    )

    @field_validator("id")
    @classmethod
    def _id_is_no_trait(cls, value: str) -> str:
        if message := refused([value]):
            raise ValueError(message)
        return value

    @field_validator("condition")
    @classmethod
    def _condition(cls, value: str) -> str:
        try:
            names = parse(value).names
        except ExpressionError as exc:
            raise ValueError(str(exc)) from None
        if message := refused(sorted(names)):
            raise ValueError(message)
        unknown = sorted(names - COLUMNS)
        if unknown:
            raise ValueError(
                f"onbekende kolom(men): {', '.join(unknown)}; gebruik de kolommen van het "
                f"importformaat, beschikking.<kolom> of {HITS}"
            )
        return value


class RiskModelFile(_Model):
    version: int = Field(alias="versie", ge=1)
    description: str | None = Field(None, alias="omschrijving")
    base: float = Field(1.0, alias="basisgewicht", gt=0)
    maximum: float | None = Field(
        None,
        alias="maximaal_gewicht",
        gt=0,
        description="plafond van het gewicht, zodat één post niet alles trekt",
    )
    factors: list[Factor] = Field(alias="factoren", min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> RiskModelFile:
        ids = [f.id for f in self.factors]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"factor-id dubbel: {', '.join(doubles)}")
        if self.maximum is not None and self.maximum < self.base:
            raise ValueError("maximaal_gewicht ligt onder het basisgewicht")
        return self

    def canonical(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    @property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON: recorded with every draw that used these weights."""
        text = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
