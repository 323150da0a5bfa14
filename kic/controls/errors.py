"""Typed errors of the control catalogue and the expression language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kic.errors import KicError


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a control file: where (file, control, field path) and what."""

    file: str
    control: str | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f", controle {self.control}" if self.control else "")
        return f"{where}, veld {self.field or '(bestand)'}: {self.message}"


class ControlDefinitionError(KicError):
    """The catalogue cannot be used; ``problems`` lists every problem in every file."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        files = len({p.file for p in problems})
        super().__init__(
            f"{len(problems)} fout(en) in {files} bestand(en) van het normenkader", details=problems
        )


class ExpressionError(KicError, ValueError):
    """An expression that is not allowed or cannot be evaluated (message in Dutch)."""


class UnknownControl(KicError, KeyError):
    """No control with this id, or no version valid on the date asked for."""


_MESSAGES = {
    "missing": "verplicht veld ontbreekt",
    "extra_forbidden": "onbekend veld (tikfout?)",
    "int_parsing": "moet een geheel getal zijn",
    "int_type": "moet een geheel getal zijn",
    "bool_parsing": "moet true of false zijn",
    "bool_type": "moet true of false zijn",
    "date_from_datetime_parsing": "moet een datum zijn (jjjj-mm-dd)",
    "date_parsing": "moet een datum zijn (jjjj-mm-dd)",
    "date_type": "moet een datum zijn (jjjj-mm-dd)",
    "string_type": "moet tekst zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een mapping (sleutel: waarde) zijn",
    "model_type": "moet een mapping (sleutel: waarde) zijn",
    "string_too_short": "mag niet leeg zijn",
    "too_short": "mag niet leeg zijn",
}


def dutch_message(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "enum":
        return f"ongeldige waarde {error.get('input')!r}; kies uit {ctx.get('expected', '')}"
    if kind == "string_pattern_mismatch":
        return f"{error.get('input')!r} heeft niet de vorm {ctx.get('pattern')}"
    if kind == "greater_than_equal":
        return f"moet minstens {ctx.get('ge')} zijn"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])
