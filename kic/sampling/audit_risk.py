"""The HARo audit risk model: how much assurance the sample itself still has to give.

Audit risk AR = IR x IC x AP x DR (inherent risk, internal control risk, analytical procedures
risk, detection risk). Given the auditor's assessment of the first three as levels (H/M/L), the
sample's required confidence is 1 - AR / (IR x IC x AP). The level-to-factor mapping is
configuration (a ``RiskModel`` built from the controleplan); when none is given, the documented
HARo table ``HARO_DEFAULT`` below is the default (docs/methodology.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kic.sampling import checks
from kic.sampling import distributions as dist
from kic.sampling.results import SamplingError, _Serialisable

COMPONENTS = ("ihr", "ibr", "car")
COMPONENT_NAMES = {"ihr": "inherent risico", "ibr": "internebeheersingsrisico", "car": "cijferanalyserisico"}
# Bounds for the zero-error sizes: auditstat's uniform prior, Clopper-Pearson, Poisson.
ZERO_ERROR_MODELS = ("uniform", "binomial", "poisson")

# Default level factors: Handboek Auditing Rijksoverheid (HARo), par. B7.3.4, audit risk 5 %, as
# encoded in auditstat 0.1.11 (cfjdoedens/auditstratifiedp, tests/test_utils.py ::
# test_haro_nog_nodige_zekerheid_alle_combinaties). tests/data/reference_cases.csv HARO-* holds
# all 27 combinations from that source; a controleplan may override the table (RiskModel.from_mapping).
HARO_DEFAULT: dict[str, Any] = {
    "audit_risk": 0.05,
    "mapping": {
        "ihr": {"H": 1.0, "M": 0.63, "L": 0.40},
        "ibr": {"H": 1.0, "M": 0.52, "L": 0.34},
        "car": {"H": 1.0, "M": 0.50, "L": 0.25},
    },
}
HARO_SOURCE = "HARo par. B7.3.4 (via auditstat 0.1.11)"

# Level words a user may type, Dutch and English, onto the keys of the mapping.
LEVELS = {
    "h": "H",
    "hoog": "H",
    "high": "H",
    "m": "M",
    "midden": "M",
    "gemiddeld": "M",
    "medium": "M",
    "l": "L",
    "laag": "L",
    "low": "L",
}


def normalise_level(text: str) -> str:
    """'hoog'/'high'/'H' -> 'H' (also M and L); a Dutch SamplingError for anything else."""
    try:
        return LEVELS[text.strip().lower()]
    except KeyError:
        raise SamplingError(f"onbekend risiconiveau {text!r}; kies hoog, midden of laag") from None


@dataclass(frozen=True)
class RiskModel:
    """Audit risk and the factor of every level per component (ihr, ibr, car).

    ``floor_bump``/``floor_level``: HARo practice (as in auditstat) adds ``floor_bump`` to a
    required confidence at or below ``floor_level``, so a sample never gives (almost) nothing.
    """

    audit_risk: float
    factors: Mapping[str, Mapping[str, float]]
    floor_level: float = 0.07
    floor_bump: float = 0.05

    def __post_init__(self) -> None:
        """Also a model built directly (not through from_mapping) holds finite numbers in range."""
        checks.fraction(self.audit_risk, "audit_risk")
        if not isinstance(self.factors, Mapping):
            raise SamplingError(f"het risicomodel heeft factoren nodig voor {', '.join(COMPONENTS)}")
        for component, levels in self.factors.items():
            for level, factor in levels.items() if isinstance(levels, Mapping) else ():
                if not 0 < checks.finite(factor, f"{component}.{level}") <= 1:
                    raise SamplingError(
                        f"{component}.{level}: {checks.show(factor)} moet groter dan 0 en hoogstens 1 zijn"
                    )
        for value, where in ((self.floor_level, "floor_level"), (self.floor_bump, "floor_bump")):
            if not 0 <= checks.finite(value, where) < 1:
                raise SamplingError(f"{where}: {checks.show(value)} moet minstens 0 en kleiner dan 1 zijn")
        if self.floor_level + self.floor_bump >= 1:
            raise SamplingError("floor_level + floor_bump moet kleiner dan 1 zijn")

    @classmethod
    def from_mapping(cls, config: Mapping[str, object]) -> RiskModel:
        """Build from configuration: {"audit_risk": 0.05, "mapping": {"ihr": {"H": 1, ...}, ...}}."""
        mapping = config.get("mapping") or config.get("factors")
        if not isinstance(mapping, Mapping) or set(COMPONENTS) - set(mapping):
            raise SamplingError(f"het risicomodel heeft factoren nodig voor {', '.join(COMPONENTS)}")
        audit_risk = _fraction(config.get("audit_risk", 0.05), "audit_risk")
        if audit_risk >= 1:
            raise SamplingError("audit_risk moet tussen 0 en 1 liggen")
        factors = {}
        for component in COMPONENTS:
            levels = mapping[component]
            if not isinstance(levels, Mapping) or not levels:
                raise SamplingError(f"{component}: geef per niveau een factor (H, M, L)")
            factors[component] = {str(k): _fraction(v, f"{component}.{k}") for k, v in levels.items()}
        return cls(audit_risk=audit_risk, factors=factors)

    @classmethod
    def haro(cls) -> RiskModel:
        """The documented default: the HARo factor table ``HARO_DEFAULT``."""
        return cls.from_mapping(HARO_DEFAULT)


def _fraction(value: object, where: str) -> float:
    """A factor or risk from configuration: a number in (0, 1]."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise SamplingError(f"{where}: {value!r} is geen getal") from None
    if not 0 < number <= 1:
        raise SamplingError(f"{where}: {number} moet groter dan 0 en hoogstens 1 zijn")
    return number


def required_confidence(model: RiskModel, ihr: str, ibr: str, car: str) -> float:
    """Confidence the sample must give: 1 - AR / (IR x IC x AP), floored at 0 and bumped when low."""
    product = 1.0
    for component, level in zip(COMPONENTS, (ihr, ibr, car), strict=True):
        try:
            product *= float(model.factors[component][level])
        except KeyError as exc:
            raise SamplingError(f"onbekend niveau {level!r} voor het {COMPONENT_NAMES[component]}") from exc
    conf = max(0.0, 1.0 - model.audit_risk / product)
    return conf + model.floor_bump if conf <= model.floor_level else conf


def zero_error_size(materiality: float, confidence: float, model: str = "uniform") -> int:
    """Smallest n with zero errors whose upper limit is at most materiality.

    ``uniform``: beta(1, n + 1), the uniform-prior posterior auditstat uses;
    ``binomial``: beta(1, n) (Clopper-Pearson); ``poisson``: gamma(1)/n. A confidence of 0 (no
    assurance asked of the sample) needs 0 items; a materiality must be a fraction in (0, 1).
    """
    checks.fraction(materiality, checks.MATERIALITY)
    if not 0 <= checks.finite(confidence, checks.CONFIDENCE) < 1:
        raise SamplingError(
            f"de betrouwbaarheid moet minstens 0 en kleiner dan 1 zijn (niet {checks.show(confidence)})"
        )
    checks.check_likelihood(model, ZERO_ERROR_MODELS)
    if model == "poisson":
        return math.ceil(float(dist.gamma_quantile(confidence, 1.0)) / materiality)
    shift = 1 if model == "uniform" else 0
    # 1 - (1 - conf)^(1 / (n + shift)) <= materiality  <=>  n + shift >= ln(1 - conf) / ln(1 - m)
    return max(0, math.ceil(math.log1p(-confidence) / math.log1p(-materiality) - 1e-12) - shift)


def equivalent_error_free_items(
    model: RiskModel,
    ihr: str,
    ibr: str,
    car: str,
    materiality: float,
    full_confidence: float = 0.95,
    likelihood: str = "uniform",
) -> int:
    """Virtual error-free items: what the other audit evidence is worth in sample items.

    n(full confidence) - n(required confidence), both with zero expected errors.
    """
    checks.check_confidence(full_confidence)
    required = required_confidence(model, ihr, ibr, car)
    return max(
        0,
        zero_error_size(materiality, full_confidence, likelihood)
        - zero_error_size(materiality, required, likelihood),
    )


@dataclass(frozen=True)
class RiskAssessment(_Serialisable):
    """The confidence a sample must give after the other audit evidence, and what that is worth.

    ``equivalent_error_free_items``: the sample items (zero errors, ``likelihood`` bound) that the
    other evidence replaces, n(1 - audit risk) - n(required confidence), at ``materiality``.
    """

    ihr: str
    ibr: str
    car: str
    audit_risk: float
    factors: tuple[float, float, float]
    required_confidence: float
    materiality: float
    equivalent_error_free_items: int
    likelihood: str
    source: str


def assess(
    model: RiskModel,
    ihr: str,
    ibr: str,
    car: str,
    materiality: float,
    likelihood: str = "uniform",
    source: str = HARO_SOURCE,
) -> RiskAssessment:
    """Required confidence and equivalent error-free items for the assessed levels."""
    levels = (normalise_level(ihr), normalise_level(ibr), normalise_level(car))
    conf = required_confidence(model, *levels)
    items = equivalent_error_free_items(model, *levels, materiality, 1 - model.audit_risk, likelihood)
    ir, ic, ap = (float(model.factors[c][lv]) for c, lv in zip(COMPONENTS, levels, strict=True))
    return RiskAssessment(
        *levels,
        audit_risk=model.audit_risk,
        factors=(ir, ic, ap),
        required_confidence=conf,
        materiality=materiality,
        equivalent_error_free_items=items,
        likelihood=likelihood,
        source=source,
    )
