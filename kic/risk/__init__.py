"""The fair risk model: risk factors over case and transaction features only, never personal traits.

``controls/risk.yaml`` (or the gemeente's own) gives each factor a condition, a weight and a Dutch
explanation; ``risk_weights`` turns it into a weight per payment for a risk-weighted selection.
"""

from kic.risk.explain import Explanation, UnknownPayment, explain_payment, explain_row
from kic.risk.loader import RiskModelError, load_risk_model, read_risk_model
from kic.risk.schema import HITS, Factor, RiskModelFile, personal_trait
from kic.risk.weights import RiskWeights, hit_counts, risk_weights

__all__ = [
    "HITS",
    "Explanation",
    "Factor",
    "RiskModelError",
    "RiskModelFile",
    "RiskWeights",
    "UnknownPayment",
    "explain_payment",
    "explain_row",
    "hit_counts",
    "load_risk_model",
    "personal_trait",
    "read_risk_model",
    "risk_weights",
]
