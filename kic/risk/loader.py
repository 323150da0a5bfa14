"""Load the risk model: the gemeente's ``KIC_CONTROLS_DIR/risk.yaml``, else the shipped one.

The gemeente's file replaces the shipped model as a whole; its version and content hash go with
every draw that used it.
"""

from __future__ import annotations

from pathlib import Path

from kic.configfile import ConfigError, EntryProblem, find, validate_file
from kic.controls.errors import Problem
from kic.risk.schema import RiskModelFile

FILE = "risk.yaml"


class RiskModelError(ConfigError):
    """The risk model cannot be used (every problem in ``problems``)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("het risicomodel", problems)


def risk_model_path(override: Path | None = None, *, shipped: Path | None = None) -> Path | None:
    return find(FILE, override, shipped=shipped)


def load_risk_model(override: Path | None = None, *, shipped: Path | None = None) -> RiskModelFile:
    """The risk model in force; raise RiskModelError with every problem."""
    model, problems = read_risk_model(override, shipped=shipped)
    if model is None:
        raise RiskModelError(problems)
    return model


def read_risk_model(
    override: Path | None = None, *, shipped: Path | None = None
) -> tuple[RiskModelFile | None, list[Problem]]:
    """The model, or None and every problem (``kic risk validate``)."""
    path = risk_model_path(override, shipped=shipped)
    if path is None:
        return None, [EntryProblem(FILE, None, "", "geen risicomodel gevonden (controls/risk.yaml)")]
    return validate_file(path, RiskModelFile, "factoren", "factor")
