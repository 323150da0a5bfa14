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

import numpy as np
import pandas as pd

from kic.controls import checks
from kic.controls.catalogue import ALLE, Automated, Control
from kic.controls.checks import FOUT, NIET_TE_BEOORDELEN, NVT, VOLDOET, CheckInput, Outcome
from kic.controls.errors import ExpressionError
from kic.controls.expressions import Context, evaluate, evaluate_condition, parse
from kic.controls.frame import ROW, money_columns
from kic.controls.loader import Catalogue
from kic.controls.tables import Table

CHECK_FAILED = "CHECK_MISLUKT"
checks.REASONS[CHECK_FAILED] = "de controle kon niet worden uitgevoerd"


@dataclass
class Evaluation:
    """All results as columns (row position in the frame, control version index, outcome)."""

    controls: list[Control]
    position: np.ndarray
    control: np.ndarray
    status: np.ndarray
    difference: np.ndarray
    reason: np.ndarray
    seconds: dict[str, float] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.position)


def evaluate_catalogue(catalogue: Catalogue, frame: pd.DataFrame, regeling: str | None = None) -> Evaluation:
    """Judge every payment of ``frame`` by every automated control that applies to it."""
    parts: list[tuple[np.ndarray, int, Outcome]] = []
    controls: list[Control] = []
    seconds: dict[str, float] = {}
    failures: dict[str, str] = {}
    scopes = _Scopes(frame)
    periods = frame["periode_van"].to_numpy(dtype="datetime64[D]")
    for control_id in catalogue.ids():
        versions = [v for v in catalogue.versions[control_id] if v.automated is not None]
        if not versions or (regeling and versions[0].regeling not in (regeling, ALLE)):
            continue
        started = time.perf_counter()
        scope, subset = scopes.get(versions[0].regeling)
        for version in versions:
            rows = scope[_valid(version, periods[scope])]
            if len(rows) == 0:
                continue
            outcome, error = _judge(version, subset, np.searchsorted(scope, rows), catalogue.tables)
            if error:
                failures[f"{version.id} v{version.version}"] = error
            controls.append(version)
            parts.append((rows, len(controls) - 1, outcome))
        seconds[control_id] = time.perf_counter() - started
    return _collect(controls, parts, seconds, failures)


class _Scopes:
    """The payments of each regeling as their own frame, cut once and shared by its controls."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.regelingen = frame["regeling"].to_numpy(dtype=object)
        self.cache: dict[str, tuple[np.ndarray, pd.DataFrame]] = {}

    def get(self, regeling: str) -> tuple[np.ndarray, pd.DataFrame]:
        if regeling not in self.cache:
            if regeling == ALLE:
                self.cache[regeling] = np.arange(len(self.frame)), self.frame
            else:
                rows = np.flatnonzero(self.regelingen == regeling)
                self.cache[regeling] = rows, self.frame.iloc[rows].reset_index(drop=True)
        return self.cache[regeling]


def _valid(control: Control, periods: np.ndarray) -> np.ndarray:
    mask = periods >= np.datetime64(control.valid_from, "D")
    if control.valid_to is not None:
        mask &= periods <= np.datetime64(control.valid_to, "D")
    return mask


def _judge(control: Control, subset: pd.DataFrame, positions: np.ndarray,
           tables: Mapping[str, Table]) -> tuple[Outcome, str]:
    """The outcome at ``positions`` of the regeling's frame; cross-row checks see all of it."""
    automated = control.automated
    assert automated is not None
    try:
        if automated.check is not None:
            full = checks.run_check(automated.check, automated.parameters, CheckInput(subset, tables))
            return _take(full, positions), ""
        part = subset if len(positions) == len(subset) else subset.iloc[positions].reset_index(drop=True)
        return run_expression(automated, part), ""
    except (ExpressionError, ValueError, KeyError, TypeError) as exc:
        failed = Outcome.start(len(positions), CHECK_FAILED)
        failed.status[:] = NIET_TE_BEOORDELEN
        return failed, str(exc)


def _take(outcome: Outcome, positions: np.ndarray) -> Outcome:
    return Outcome(outcome.status[positions], outcome.difference[positions], outcome.reason[positions])


def run_expression(automated: Automated, frame: pd.DataFrame) -> Outcome:
    """voorwaarde false → nvt; regel true → voldoet, false → fout, missing → niet te beoordelen."""
    context = Context.of_frame(frame, money_columns())
    outcome = Outcome.start(len(frame), "REGEL_VOLDAAN")
    rule = evaluate_condition(parse(automated.rule or ""), context)
    broken = (rule == False).fillna(False).to_numpy(dtype=bool)
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


def _collect(controls: list[Control], parts: list[tuple[np.ndarray, int, Outcome]],
             seconds: dict[str, float], failures: dict[str, str]) -> Evaluation:
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Evaluation(controls, empty, empty, empty.astype(np.int8), empty, empty.astype(object),
                          seconds, failures)
    return Evaluation(
        controls,
        np.concatenate([rows for rows, _, _ in parts]),
        np.concatenate([np.full(len(rows), index, dtype=np.int32) for rows, index, _ in parts]),
        np.concatenate([o.status for _, _, o in parts]),
        np.concatenate([o.difference for _, _, o in parts]),
        np.concatenate([o.reason for _, _, o in parts]),
        seconds, failures,
    )


def result_frame(evaluation: Evaluation, frame: pd.DataFrame, only: int | None = None) -> pd.DataFrame:
    """One row per payment × control (or only those with status ``only``): ids, status, cents, reason."""
    keep = np.arange(len(evaluation)) if only is None else np.flatnonzero(evaluation.status == only)
    position, control, status = evaluation.position[keep], evaluation.control[keep], evaluation.status[keep]
    ids = np.array([c.id for c in evaluation.controls] or [""], dtype=object)
    return pd.DataFrame({
        ROW: frame[ROW].to_numpy()[position],
        "betaling_id": frame["betaling_id"].to_numpy()[position],
        "regeling": frame["regeling"].to_numpy()[position],
        "control": control,
        "control_id": ids[control],
        "status": np.array(checks.STATUS_NAMES, dtype=object)[status],
        "difference": np.where(status == FOUT, evaluation.difference[keep], 0),
        "reason": evaluation.reason[keep],
    })


__all__ = ["FOUT", "NIET_TE_BEOORDELEN", "NVT", "VOLDOET", "Evaluation", "evaluate_catalogue", "result_frame"]
