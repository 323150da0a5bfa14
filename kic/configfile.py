"""Reading a configuration file of a gemeente (controleplan, risk model) the way the catalogue is read.

YAML is read with ``safe_load`` only. A pydantic ``ValidationError`` becomes one ``Problem`` per
error, with the file, the entry of the list it is in (an onderdeel, a factor) and the field path,
so that a user sees every problem at once. The override folder (``KIC_CONTROLS_DIR``) is searched
before the shipped ``controls/``: a gemeente's own file replaces the shipped one as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from kic.controls.errors import Problem, dutch_message
from kic.controls.loader import _read_yaml, override_dir
from kic.errors import KicError
from kic.resources import resource_dir


@dataclass(frozen=True)
class EntryProblem(Problem):
    """A problem in a configuration file; ``control`` holds the entry (``onderdeel X``, ``factor Y``)."""

    def __str__(self) -> str:
        where = self.file + (f", {self.control}" if self.control else "")
        if not self.field:
            return f"{where}: {self.message}" if self.control else f"{where}, veld (bestand): {self.message}"
        return f"{where}, veld {self.field}: {self.message}"


class ConfigError(KicError):
    """A configuration file cannot be used; ``problems`` lists every problem."""

    def __init__(self, what: str, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} fout(en) in {what}", details=problems)


def candidates(relative: str, override: Path | None = None, *, shipped: Path | None = None) -> list[Path]:
    """Where ``relative`` may stand, the gemeente's folder first, then the shipped ``controls/``."""
    folders = [override_dir(override), shipped or resource_dir("controls")]
    return [folder / relative for folder in folders if folder is not None]


def find(relative: str, override: Path | None = None, *, shipped: Path | None = None) -> Path | None:
    """The first existing file of ``candidates``, or None."""
    return next((p for p in candidates(relative, override, shipped=shipped) if p.is_file()), None)


def validate_file(
    path: Path, model: type[BaseModel], list_key: str, entry_word: str, shown_name: str | None = None
) -> tuple[Any, list[Problem]]:
    """The validated model of ``path``, or None and every problem found in it."""
    name = shown_name or path.name
    problems: list[Problem] = []
    content = _read_yaml(path, problems)
    if problems:
        return None, [EntryProblem(name, None, p.field, p.message) for p in problems]
    if not isinstance(content, dict):
        return None, [EntryProblem(name, None, "", "het bestand moet een mapping (sleutel: waarde) zijn")]
    try:
        return model.model_validate(content), []
    except ValidationError as exc:
        return None, problems_of(name, content, exc, list_key, entry_word)


def problems_of(
    name: str, content: dict[str, Any], exc: ValidationError, list_key: str, entry_word: str
) -> list[Problem]:
    """One problem per pydantic error, naming the entry of ``list_key`` by its ``id``."""
    result: list[Problem] = []
    for error in exc.errors():
        loc = list(error["loc"])
        entry = None
        if len(loc) >= 2 and loc[0] == list_key and isinstance(loc[1], int):
            entry = f"{entry_word} {_entry_id(content.get(list_key), loc[1])}"
            loc = loc[2:]
        path = ".".join(str(part) if not isinstance(part, int) else f"[{part}]" for part in loc).replace(
            ".[", "["
        )
        result.append(EntryProblem(name, entry, path, message(error)))
    return result


_MORE = {
    "greater_than": lambda ctx: f"moet groter dan {_bound(ctx.get('gt'))} zijn",
    "less_than": lambda ctx: f"moet kleiner dan {_bound(ctx.get('lt'))} zijn",
    "less_than_equal": lambda ctx: f"moet hoogstens {_bound(ctx.get('le'))} zijn",
    "float_parsing": lambda ctx: "moet een getal zijn",
    "float_type": lambda ctx: "moet een getal zijn",
    "decimal_parsing": lambda ctx: "moet een bedrag zijn",
    "decimal_type": lambda ctx: "moet een bedrag zijn",
    "decimal_max_places": lambda ctx: f"hoogstens {ctx.get('decimal_places')} decimalen",
    "int_from_float": lambda ctx: "moet een geheel getal zijn",
}


def _bound(value: Any) -> str:
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def message(error: Any) -> str:
    """The Dutch text of one pydantic error (the catalogue's words, plus number bounds)."""
    if error["type"] in _MORE:
        return _MORE[error["type"]](error.get("ctx") or {})
    return dutch_message(error).replace("' or '", "' of '")


def _entry_id(entries: Any, index: int) -> str:
    item = entries[index] if isinstance(entries, list) and index < len(entries) else None
    return str(item["id"]) if isinstance(item, dict) and item.get("id") else f"#{index + 1}"
