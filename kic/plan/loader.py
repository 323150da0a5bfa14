"""Load a controleplan: ``plans/<jaar>.yaml`` from the gemeente's folder, else the shipped one.

A gemeente's ``KIC_CONTROLS_DIR/plans/2026.yaml`` replaces the shipped plan of 2026 as a whole:
a plan is agreed with the accountant as one document, so it is never merged line by line.
"""

from __future__ import annotations

import re
from pathlib import Path

from kic.configfile import ConfigError, EntryProblem, find, validate_file
from kic.controls.errors import Problem
from kic.controls.loader import override_dir
from kic.errors import KicError
from kic.plan.schema import Plan
from kic.resources import resource_dir

PLANS = "plans"
_YEAR_FILE = re.compile(r"^(\d{4})\.ya?ml$")


class PlanError(ConfigError):
    """A controleplan that cannot be used (every problem in ``problems``)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("het controleplan", problems)


class PlanNotFound(KicError, LookupError):
    """No plan for the year asked for (Dutch message)."""


def load_plan(year: int, override: Path | None = None, *, shipped: Path | None = None) -> Plan:
    """The plan of ``year``; raise PlanNotFound or PlanError (with every problem)."""
    path = find(f"{PLANS}/{year}.yaml", override, shipped=shipped)
    if path is None:
        raise PlanNotFound(
            f"geen controleplan voor {year} (verwacht {PLANS}/{year}.yaml in "
            "KIC_CONTROLS_DIR of in het meegeleverde controls/)"
        )
    plan, problems = read_plan(path)
    if problems or plan is None:
        raise PlanError(problems)
    return plan


def read_plan(path: Path) -> tuple[Plan | None, list[Problem]]:
    """One plan file, validated; the file name must be the plan's year."""
    shown = f"{PLANS}/{path.name}"
    plan, problems = validate_file(path, Plan, "onderdelen", "onderdeel", shown)
    match = _YEAR_FILE.match(path.name)
    if plan is not None and (match is None or int(match[1]) != plan.year):
        problems.append(EntryProblem(shown, None, "jaar", f"het jaar {plan.year} hoort in {plan.year}.yaml"))
        plan = None
    return plan, problems


def plan_files(override: Path | None = None, *, shipped: Path | None = None) -> list[Path]:
    """Every plan in force: the gemeente's files, and shipped files of other years."""
    own = _files(override_dir(override))
    names = {p.name for p in own}
    return own + [p for p in _files(shipped or resource_dir("controls")) if p.name not in names]


def _files(folder: Path | None) -> list[Path]:
    if folder is None or not (folder / PLANS).is_dir():
        return []
    return sorted(p for p in (folder / PLANS).glob("*.y*ml") if p.is_file())


def plan_problems(
    override: Path | None = None, *, shipped: Path | None = None
) -> tuple[list[Plan], list[Problem]]:
    """Every plan that validates, and every problem of those that do not (``kic plan validate``)."""
    plans, problems = [], []
    for path in plan_files(override, shipped=shipped):
        plan, found = read_plan(path)
        problems += found
        if plan is not None:
            plans.append(plan)
    return plans, problems
