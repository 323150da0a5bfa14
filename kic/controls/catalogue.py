"""What a control is: the pydantic models of the catalogue format (controls/README.md).

Field names in YAML are Dutch (aliases); attributes are English. Models are strict
(``extra='forbid'``) so that a misspelt field is reported instead of silently ignored.
Checks on expressions and check parameters happen here too, so that loading a file reports
every problem at once.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from kic.controls import checks
from kic.controls.errors import ExpressionError
from kic.controls.expressions import parse
from kic.controls.frame import column_names
from kic.population.schema import REGELINGEN

ALLE = "ALLE"


class Criterium(str, Enum):
    VOORWAARDEN = "voorwaarden"
    CALCULATIE = "calculatie"
    DUUR = "duur"
    LEVERING = "levering"
    RUBRICERING = "rubricering"
    MISBRUIK = "misbruik"
    FORMEEL = "formeel"


class Werkproces(str, Enum):
    """The werkprocessen quality work is organised by; a controleplan line's ``werkonderdeel`` is one."""

    AANVRAAG = "aanvraag"
    MUTATIE = "mutatie"
    BETALING = "betaling"
    HERONDERZOEK = "heronderzoek"
    BEEINDIGING = "beëindiging"
    TERUGVORDERING = "terugvordering"


class Fouttype(str, Enum):
    FIN = "FIN"
    ONZ = "ONZ"
    FORM = "FORM"


class AnswerType(str, Enum):
    JANEE = "janee"
    BEDRAG = "bedrag"
    DATUM = "datum"
    KEUZE = "keuze"
    TEKST = "tekst"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _expression(value: str | None) -> str | None:
    if value is not None:
        try:
            parse(value)
        except ExpressionError as exc:
            raise ValueError(str(exc)) from None
    return value


def _item_condition(value: str | None) -> str | None:
    """A condition over the item's own data only (its columns): decided before anyone answers."""
    if value is not None:
        try:
            unknown = sorted(parse(value).names - column_names())
        except ExpressionError as exc:
            raise ValueError(str(exc)) from None
        if unknown:
            raise ValueError(f"onbekende kolom(men) van de post: {', '.join(unknown)}")
    return value


class Automated(_Model):
    """The automated part: a registered check with parameters, or a rule in the expression language."""

    check: str | None = Field(None, description="naam van een geregistreerde check")
    parameters: dict[str, Any] = Field(default_factory=dict, description="parameters van de check")
    condition: str | None = Field(None, alias="voorwaarde", description="wanneer de regel van toepassing is")
    rule: str | None = Field(None, alias="regel", description="waar = voldoet")
    difference: str | None = Field(None, alias="verschil", description="€ te veel betaald bij een fout")

    _check_expressions = field_validator("condition", "rule", "difference")(_expression)

    @model_validator(mode="after")
    def _one_kind(self) -> Automated:
        if (self.check is None) == (self.rule is None):
            raise ValueError(
                "geef óf 'check' (met parameters) óf 'regel' (een expressie), niet beide of geen"
            )
        if self.check is not None:
            if self.condition or self.difference:
                raise ValueError("'voorwaarde' en 'verschil' horen bij 'regel', niet bij 'check'")
            checks.validate_parameters(self.check, self.parameters)
        elif self.parameters:
            raise ValueError("'parameters' horen bij 'check', niet bij 'regel'")
        return self


class Question(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: str = Field(alias="tekst", min_length=1)
    type: AnswerType
    options: list[str] | None = Field(None, alias="opties")
    only_if: str | None = Field(None, alias="alleen_als")
    applicable_if: str | None = Field(
        None, alias="van_toepassing_als", description="voorwaarde over de gegevens van de post"
    )
    applicable_text: str | None = Field(
        None, alias="van_toepassing_omschrijving", description="die voorwaarde in woorden"
    )

    _check_expressions = field_validator("only_if")(_expression)
    _check_condition = field_validator("applicable_if")(_item_condition)

    @model_validator(mode="after")
    def _choice_has_options(self) -> Question:
        if self.type is AnswerType.KEUZE and not self.options:
            raise ValueError("een vraag van type 'keuze' heeft 'opties' nodig")
        _described(self.applicable_if, self.applicable_text)
        return self


def _described(condition: str | None, text: str | None) -> None:
    """A condition comes with its words: the reviewer reads those, never the expression."""
    if (condition is None) != (text is None):
        raise ValueError("'van_toepassing_als' en 'van_toepassing_omschrijving' horen samen")


class Verdict(_Model):
    error_if: str = Field(alias="fout_als")
    uncertain_if: str | None = Field(None, alias="onzekerheid_als")
    error_amount: str | None = Field(None, alias="foutbedrag")

    _check_expressions = field_validator("error_if", "uncertain_if", "error_amount")(_expression)


class Checklist(_Model):
    questions: list[Question] = Field(alias="vragen", min_length=1)
    verdict: Verdict = Field(alias="oordeel")

    @model_validator(mode="after")
    def _unique_questions(self) -> Checklist:
        ids = [q.id for q in self.questions]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"vraag-id dubbel: {', '.join(doubles)}")
        return self


class Control(_Model):
    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", description="stabiel; verandert nooit")
    version: int = Field(alias="versie", ge=1)
    valid_from: date = Field(alias="geldig_van")
    valid_to: date | None = Field(None, alias="geldig_tot")
    category: str = Field(alias="categorie", min_length=1)
    question: str = Field(alias="vraag", min_length=1)
    guidance: str | None = Field(None, alias="toelichting")
    legal_basis: str = Field(alias="grondslag", min_length=1)
    legal_basis_verified: bool = Field(False, alias="grondslag_geverifieerd")
    criterion: Criterium = Field(alias="criterium")
    error_type: Fouttype = Field(alias="fouttype")
    alt_error_type: Fouttype | None = Field(None, alias="alt_fouttype")
    sisa: str | None = None
    evidence: list[str] = Field(default_factory=list, alias="bewijs")
    automated: Automated | None = Field(None, alias="automatisch")
    checklist: Checklist | None = None
    # Optional and absent from the canonical dump when not given, so that a control without them keeps its hash.
    work_processes: list[Werkproces] | None = Field(
        None, alias="werkprocessen", min_length=1, description="leeg = elk werkproces"
    )
    applicable_if: str | None = Field(
        None, alias="van_toepassing_als", description="voorwaarde over de gegevens van de post"
    )
    applicable_text: str | None = Field(
        None, alias="van_toepassing_omschrijving", description="die voorwaarde in woorden"
    )

    _check_condition = field_validator("applicable_if")(_item_condition)
    # From the file the control stands in, not written per control.
    _regeling: str = PrivateAttr(ALLE)
    _source: str = PrivateAttr("")

    def placed(self, regeling: str, source: str) -> Control:
        self._regeling, self._source = regeling, source
        return self

    @property
    def regeling(self) -> str:
        return self._regeling

    @property
    def source(self) -> str:
        return self._source

    @model_validator(mode="after")
    def _dates_and_parts(self) -> Control:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("geldig_tot ligt vóór geldig_van")
        if self.automated is None and self.checklist is None:
            raise ValueError("een controle heeft 'automatisch', 'checklist' of beide nodig")
        _described(self.applicable_if, self.applicable_text)
        return self

    def applies_to(self, work: Werkproces | None) -> bool:
        """Whether the control belongs to the checklist of ``work`` (None: a sample without a plan line)."""
        return work is None or self.work_processes is None or work in self.work_processes

    @property
    def kind(self) -> str:
        parts = [
            p for p, present in (("automatisch", self.automated), ("checklist", self.checklist)) if present
        ]
        return " + ".join(parts)

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def canonical(self) -> dict[str, Any]:
        """The content as written (Dutch names, ISO dates), plus the regeling it belongs to."""
        return {"regeling": self.regeling, **self.model_dump(mode="json", by_alias=True, exclude_none=True)}

    @property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON: a review or result records exactly what it was judged against."""
        text = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ControlFile(_Model):
    regeling: str = Field(description="code van de regeling, of ALLE")
    controls: list[Control] = Field(alias="controles")

    @field_validator("regeling")
    @classmethod
    def _known_regeling(cls, value: str) -> str:
        if value != ALLE and value not in REGELINGEN:
            raise ValueError(f"onbekende regeling '{value}'; kies uit {ALLE}, {', '.join(REGELINGEN)}")
        return value


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a control file, for editors (docs/controls.schema.json)."""
    schema = ControlFile.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "kic normenkader: een controlebestand"
    return schema
