"""Risk weights: every payment's weight from the risk factors, vectorised over the control frame.

weight = basisgewicht × product of the weights of the factors whose condition holds, capped at
``maximaal_gewicht``. A condition that cannot be judged for a payment (a missing value) does not
count: a missing beschikking never makes someone riskier. The weights are positive and finite, so
they serve directly as the risk multiplier of a PPS selection (``select_risk_weighted``: size =
|bedrag| × weight).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kic.controls.expressions import Context, evaluate_condition, parse
from kic.controls.frame import money_columns
from kic.risk.schema import HITS, Factor, RiskModelFile


@dataclass(frozen=True)
class RiskWeights:
    """Weights per payment (index of the frame), which factors fired, and what model gave them."""

    weights: pd.Series
    fired: pd.DataFrame  # one boolean column per factor id
    undetermined: pd.DataFrame  # one boolean column per factor id: the condition could not be judged
    version: int
    content_hash: str
    hits_known: bool

    @property
    def model_reference(self) -> dict[str, object]:
        """What a draw records: the risk model's version and content hash."""
        return {"versie": self.version, "inhoud_sha256": self.content_hash}


def hit_counts(findings: pd.DataFrame) -> pd.Series:
    """Hits per betaling_id from control results with status fout (``RunSummary.findings``)."""
    if findings.empty:
        return pd.Series(dtype="int64", name=HITS)
    return findings.groupby("betaling_id").size().astype("int64").rename(HITS)


def risk_weights(model: RiskModelFile, frame: pd.DataFrame, hits: pd.Series | None = None) -> RiskWeights:
    """The weight of every row of ``frame`` (import headers, as ``kic.controls.frame``).

    ``hits``: number of automated-control hits per ``betaling_id``; without it a ``controletreffers``
    column of ``frame`` is used, else every payment counts as without hits (``hits_known`` False).
    """
    counts, known = _hits(frame, hits)
    columns = {**{c: frame[c] for c in frame.columns}, HITS: counts}
    context = Context(columns, money_columns(), len(frame), frame.index)
    weights = np.full(len(frame), model.base, dtype=float)
    fired, undetermined = {}, {}
    for factor in model.factors:
        holds, missing = _holds(factor, context)
        fired[factor.id], undetermined[factor.id] = holds, missing
        weights = np.where(holds, weights * factor.weight, weights)
    if model.maximum is not None:
        weights = np.minimum(weights, model.maximum)
    index = frame.index
    return RiskWeights(
        pd.Series(weights, index=index, name="risicogewicht"),
        pd.DataFrame(fired, index=index),
        pd.DataFrame(undetermined, index=index),
        model.version,
        model.content_hash,
        known,
    )


def _hits(frame: pd.DataFrame, hits: pd.Series | None) -> tuple[pd.Series, bool]:
    """Hit counts aligned on the frame, and whether they were known."""
    if hits is not None:
        return frame["betaling_id"].map(hits).fillna(0).astype("int64"), True
    if HITS in frame.columns:
        return frame[HITS].fillna(0).astype("int64"), True
    return pd.Series(np.zeros(len(frame), dtype=np.int64), index=frame.index), False


def _holds(factor: Factor, context: Context) -> tuple[np.ndarray, np.ndarray]:
    result = evaluate_condition(parse(factor.condition), context)
    missing = result.isna().to_numpy(dtype=bool)
    return result.fillna(False).to_numpy(dtype=bool), missing
