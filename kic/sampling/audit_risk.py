"""The HARo audit risk model: how much assurance the sample itself still has to give.

Audit risk AR = IR x IC x AP x DR (inherent risk, internal control risk, analytical procedures
risk, detection risk). Given the auditor's assessment of the first three as levels (H/M/L), the
sample's required confidence is 1 - AR / (IR x IC x AP). The level-to-factor mapping is
configuration (a ``RiskModel`` built from the controleplan), never hard-wired here; the example
values in docs/methodology.md are those of the Handboek Auditing Rijksoverheid (HARo).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from scipy import stats

from kic.sampling.results import SamplingError

COMPONENTS = ("ihr", "ibr", "car")


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

    @classmethod
    def from_mapping(cls, config: Mapping[str, object]) -> RiskModel:
        """Build from configuration: {"audit_risk": 0.05, "mapping": {"ihr": {"H": 1, ...}, ...}}."""
        mapping = config.get("mapping") or config.get("factors")
        if not isinstance(mapping, Mapping) or set(COMPONENTS) - set(mapping):
            raise SamplingError(f"risk model needs factors for {', '.join(COMPONENTS)}")
        return cls(audit_risk=float(config.get("audit_risk", 0.05)),  # type: ignore[arg-type]
                   factors={k: dict(v) for k, v in mapping.items()})


def required_confidence(model: RiskModel, ihr: str, ibr: str, car: str) -> float:
    """Confidence the sample must give: 1 - AR / (IR x IC x AP), floored at 0 and bumped when low."""
    product = 1.0
    for component, level in zip(COMPONENTS, (ihr, ibr, car), strict=True):
        try:
            product *= float(model.factors[component][level])
        except KeyError as exc:
            raise SamplingError(f"unknown level {level!r} for {component}") from exc
    conf = max(0.0, 1.0 - model.audit_risk / product)
    return conf + model.floor_bump if conf <= model.floor_level else conf


def zero_error_size(materiality: float, confidence: float, model: str = "uniform") -> int:
    """Smallest n with zero errors whose upper limit is at most materiality.

    ``uniform``: beta(1, n + 1), the uniform-prior posterior auditstat uses;
    ``binomial``: beta(1, n) (Clopper-Pearson); ``poisson``: gamma(1)/n.
    """
    if not 0 < confidence < 1 or not 0 < materiality < 1:
        return 0
    if model == "poisson":
        return math.ceil(float(stats.gamma.ppf(confidence, 1)) / materiality)
    shift = 1 if model == "uniform" else 0
    # 1 - (1 - conf)^(1 / (n + shift)) <= materiality  <=>  n + shift >= ln(1 - conf) / ln(1 - m)
    return max(0, math.ceil(math.log1p(-confidence) / math.log1p(-materiality) - 1e-12) - shift)


def equivalent_error_free_items(
    model: RiskModel, ihr: str, ibr: str, car: str, materiality: float,
    full_confidence: float = 0.95, likelihood: str = "uniform",
) -> int:
    """Virtual error-free items: what the other audit evidence is worth in sample items.

    n(full confidence) - n(required confidence), both with zero expected errors.
    """
    required = required_confidence(model, ihr, ibr, car)
    return max(0, zero_error_size(materiality, full_confidence, likelihood)
               - zero_error_size(materiality, required, likelihood))
