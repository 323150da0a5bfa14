"""Evaluate the automated controls over a control frame, vectorised, version by payment period.

For each control, the payments of its regeling (or all, for ALLE) are judged by every version
whose validity holds the payment's ``periode_van``; a payment whose period no version covers
gets no result for that control (the control was not in force). A check that fails at run time
does not stop the run: its payments become *niet te beoordelen* with the reason.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kic.controls import checks
from kic.controls.catalogue import ALLE, Automated, Control
from kic.controls.checks import FOUT, NIET_TE_BEOORDELEN, NVT, VOLDOET, CheckInput, CheckOutcome
from kic.controls.errors import ExpressionError, Problem
from kic.controls.expressions import Context, evaluate, evaluate_condition, parse
from kic.controls.frame import PREFIX, ROW, money_columns
from kic.controls.tables import Table
from kic.population.schema import DOSSIER_COLUMNS, PAYMENT_COLUMNS, Kind

if TYPE_CHECKING:  # the loader reaches back here for expression_problems
    from kic.controls.loader import Catalogue

CHECK_FAILED = "CHECK_MISLUKT"
checks.REASONS[CHECK_FAILED] = "de controle kon niet worden uitgevoerd"


@dataclass
class ControlEvaluation:
    """All results as narrow columns, grouped by control version in the order of ``controls``.

    ``position`` is the row in the frame (int32), ``control`` the index into ``controls`` (int16),
    ``status`` the code of ``checks`` (int8), ``difference`` cents (int64) and ``reason`` the index
    into ``reasons`` (int16): twelve million results take 200 MB, not a gigabyte of objects.
    """

    controls: list[Control]
    position: np.ndarray
    control: np.ndarray
    status: np.ndarray
    difference: np.ndarray
    reason: np.ndarray
    reasons: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.position)

    def reason_codes(self, keep: np.ndarray) -> np.ndarray:
        """The reason codes (text) of the results at ``keep``."""
        return np.array(self.reasons or [""], dtype=object)[self.reason[keep]]


def evaluate_catalogue(
    catalogue: Catalogue, frame: pd.DataFrame, regeling: str | None = None
) -> ControlEvaluation:
    """Judge every payment of ``frame`` by every automated control that applies to it."""
    parts = _Parts()
    scopes = _Scopes(frame)
    periods = frame["periode_van"].to_numpy(dtype="datetime64[D]")
    for versions in _automated_by_regeling(catalogue, regeling):
        started = time.perf_counter()
        _judge_versions(versions, scopes, periods, catalogue.tables, parts)
        parts.seconds[versions[0].id] = time.perf_counter() - started
    return parts.collect()


def _judge_versions(
    versions: list[Control], scopes: _Scopes, periods: np.ndarray, tables: Mapping[str, Table], parts: _Parts
) -> None:
    """Each version judges the payments of its regeling whose period it covers."""
    scope, subset = scopes.get(versions[0].regeling)
    for version in versions:
        rows = scope[_valid(version, periods[scope])]
        if len(rows) == 0:
            continue
        outcome, error = _judge(version, subset, np.searchsorted(scope, rows), tables)
        if error:
            parts.failures[f"{version.id} v{version.version}"] = error
        parts.add(version, rows, outcome)


def _automated_by_regeling(catalogue: Catalogue, regeling: str | None) -> list[list[Control]]:
    """The automated versions per control, those of all regelingen first, then regeling by regeling.

    In this order each regeling's payments are cut out once and released before the next.
    """
    chosen = []
    for control_id in catalogue.ids():
        versions = [v for v in catalogue.versions[control_id] if v.automated is not None]
        if versions and (not regeling or versions[0].regeling in (regeling, ALLE)):
            chosen.append(versions)
    return sorted(chosen, key=lambda v: (v[0].regeling != ALLE, v[0].regeling, v[0].id))


class _Parts:
    """The outcomes gathered control by control, reason codes turned into small numbers at once."""

    def __init__(self) -> None:
        self.controls: list[Control] = []
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.reasons: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.failures: dict[str, str] = {}

    def add(self, control: Control, rows: np.ndarray, outcome: CheckOutcome) -> None:
        codes, uniques = pd.factorize(outcome.reason)
        numbers = np.array(
            [self.reasons.setdefault(str(u), len(self.reasons)) for u in uniques], dtype=np.int16
        )
        self.controls.append(control)
        status = outcome.status.astype(np.int8)
        difference = np.where(status == FOUT, outcome.difference, 0).astype(
            np.int64
        )  # a difference only on fout
        self.parts.append((rows.astype(np.int32), status, difference, numbers[codes]))

    def collect(self) -> ControlEvaluation:
        lengths = [len(rows) for rows, *_ in self.parts]
        control = np.repeat(np.arange(len(self.parts), dtype=np.int16), lengths)
        columns = [
            np.concatenate([p[i] for p in self.parts]) if self.parts else np.zeros(0, dtype=dtype)
            for i, dtype in enumerate((np.int32, np.int8, np.int64, np.int16))
        ]
        position, status, difference, reason = columns
        return ControlEvaluation(
            self.controls,
            position,
            control,
            status,
            difference,
            reason,
            reasons=list(self.reasons),
            seconds=self.seconds,
            failures=self.failures,
        )


class _Scopes:
    """The payments of each regeling as their own frame, cut once and shared by its controls.

    Only the regeling being judged is kept: controls come regeling by regeling (see above).
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.regelingen = frame["regeling"].to_numpy(dtype=object)
        self.current: tuple[str, np.ndarray, pd.DataFrame] | None = None

    def get(self, regeling: str) -> tuple[np.ndarray, pd.DataFrame]:
        if self.current is None or self.current[0] != regeling:
            self.current = None  # release the previous regeling's frame before cutting the next
            if regeling == ALLE:
                self.current = regeling, np.arange(len(self.frame)), self.frame
            else:
                rows = np.flatnonzero(self.regelingen == regeling)
                self.current = regeling, rows, self.frame.iloc[rows].reset_index(drop=True)
        return self.current[1], self.current[2]


def _valid(control: Control, periods: np.ndarray) -> np.ndarray:
    mask = periods >= np.datetime64(control.valid_from, "D")
    if control.valid_to is not None:
        mask &= periods <= np.datetime64(control.valid_to, "D")
    return mask


def _judge(
    control: Control, subset: pd.DataFrame, positions: np.ndarray, tables: Mapping[str, Table]
) -> tuple[CheckOutcome, str]:
    """The outcome at ``positions`` of the regeling's frame; cross-row checks see all of it."""
    automated = control.automated
    assert automated is not None
    try:
        if automated.check is not None:
            full = checks.run_check(automated.check, automated.parameters, CheckInput(subset, tables))
            return _take(full, positions), ""
        part = subset if len(positions) == len(subset) else subset.iloc[positions].reset_index(drop=True)
        return run_expression(automated, part), ""
    except (ExpressionError, ValueError, KeyError, TypeError, ArithmeticError) as exc:
        failed = CheckOutcome.start(len(positions), CHECK_FAILED)
        failed.status[:] = NIET_TE_BEOORDELEN
        return failed, str(exc)


def _take(outcome: CheckOutcome, positions: np.ndarray) -> CheckOutcome:
    return CheckOutcome(outcome.status[positions], outcome.difference[positions], outcome.reason[positions])


def run_expression(automated: Automated, frame: pd.DataFrame) -> CheckOutcome:
    """voorwaarde false → nvt; regel true → voldoet, false → fout, missing → niet te beoordelen."""
    context = Context.of_frame(frame, money_columns())
    outcome = CheckOutcome.start(len(frame), "REGEL_VOLDAAN")
    rule = evaluate_condition(parse(automated.rule or ""), context)
    broken = (rule == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712 - element-wise, on a Series
    difference = _difference(automated, context, len(frame))
    outcome.set(broken, FOUT, "REGEL_NIET_VOLDAAN", difference)
    outcome.set(rule.isna().to_numpy(), NIET_TE_BEOORDELEN, "REGEL_ONBEPAALD")
    if automated.condition:
        applies = evaluate_condition(parse(automated.condition), context).fillna(False).to_numpy(dtype=bool)
        outcome.set(~applies, NVT, "VOORWAARDE_NIET_VAN_TOEPASSING")
    return outcome


def _difference(automated: Automated, context: Context, n: int) -> np.ndarray:
    if not automated.difference:
        return np.zeros(n, dtype=np.int64)
    values, money = evaluate(parse(automated.difference), context)
    cents = values.astype("Float64") * (1 if money else 100)
    return np.floor(cents.fillna(0).to_numpy(dtype=float) + 0.5).astype(np.int64)


# The dtype of each kind of column in the control frame (as kic.controls.frame builds it from the database).
_DTYPES: dict[Kind, str] = {
    Kind.MONEY: "Int64",
    Kind.INT: "Int64",
    Kind.DECIMAL: "Float64",
    Kind.DATE: "datetime64[ns]",
    Kind.BOOL: "boolean",
}


def empty_frame() -> pd.DataFrame:
    """A control frame without payments: every column an expression may read, typed as in a run."""
    columns = [(c.header, c.kind) for c in PAYMENT_COLUMNS]
    columns += [(PREFIX + c.header, c.kind) for c in DOSSIER_COLUMNS]
    return pd.DataFrame({name: pd.Series([], dtype=_DTYPES.get(kind, object)) for name, kind in columns})


def expression_problems(catalogue: Catalogue) -> list[Problem]:
    """What each automated rule would meet in a run, found by evaluating it over a frame without rows.

    ``parse`` sees the text only; this sees the types of the columns too, so that ``kic controls
    validate`` refuses what every run would (a text column repeated with ``*``, an unknown column,
    a text compared with an amount) instead of leaving it to fail control by control.
    """
    context, problems = Context.of_frame(empty_frame(), money_columns()), []
    for control in catalogue.all_versions():
        automated = control.automated
        if automated is None or automated.rule is None:
            continue
        for name, text, condition in (
            ("voorwaarde", automated.condition, True),
            ("regel", automated.rule, True),
            ("verschil", automated.difference, False),
        ):
            if not text:
                continue
            try:
                (evaluate_condition if condition else evaluate)(parse(text), context)
            except ExpressionError as exc:
                problems.append(Problem(control.source, control.id, f"automatisch.{name}", str(exc)))
    return problems


def result_frame(evaluation: ControlEvaluation, frame: pd.DataFrame, only: int | None = None) -> pd.DataFrame:
    """One row per payment × control (or only those with status ``only``): ids, status, cents, reason."""
    keep = np.arange(len(evaluation)) if only is None else np.flatnonzero(evaluation.status == only)
    position, control, status = evaluation.position[keep], evaluation.control[keep], evaluation.status[keep]
    ids = np.array([c.id for c in evaluation.controls] or [""], dtype=object)
    return pd.DataFrame(
        {
            ROW: frame[ROW].to_numpy()[position],
            "betaling_id": frame["betaling_id"].to_numpy()[position],
            "regeling": frame["regeling"].to_numpy()[position],
            "control": control,
            "control_id": ids[control],
            "status": np.array(checks.STATUS_NAMES, dtype=object)[status],
            "difference": np.where(status == FOUT, evaluation.difference[keep], 0),
            "reason": evaluation.reason_codes(keep),
        }
    )


__all__ = [
    "FOUT",
    "NIET_TE_BEOORDELEN",
    "NVT",
    "VOLDOET",
    "ControlEvaluation",
    "evaluate_catalogue",
    "result_frame",
]
