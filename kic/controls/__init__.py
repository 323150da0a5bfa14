"""Controls: the effective-dated catalogue (controls/), registered checks, a safe expression
language, and the engine that judges the whole population."""

from kic.controls.catalogue import Control, json_schema
from kic.controls.errors import ControlDefinitionError, ExpressionError, Problem, UnknownControl
from kic.controls.loader import Catalogue, load_catalogue, problems_of

__all__ = [
    "Catalogue",
    "Control",
    "ControlDefinitionError",
    "ExpressionError",
    "Problem",
    "UnknownControl",
    "json_schema",
    "load_catalogue",
    "problems_of",
]
