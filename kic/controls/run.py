"""``run_controls``: judge the whole active population by every automated control and store it.

One row per payment × control goes into ``control_result`` as six integers (see
``kic.controls.models``), streamed in blocks by ``insert_blocks`` (binary COPY on PostgreSQL,
``json_each`` on SQLite), in the caller's transaction, together with the run, the control versions
and reason codes used, and an audit event. The frame of the population is released before the
results are written, so memory holds the narrow result columns and one block at a time.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
from sqlalchemy import Table, text
from sqlalchemy.orm import Session

from kic.audit import record
from kic.controls import checks
from kic.controls.checks import FOUT, NIET_TE_BEOORDELEN, NVT, VOLDOET
from kic.controls.engine import ControlEvaluation, evaluate_catalogue, result_frame
from kic.controls.frame import ROW, load_frame
from kic.controls.loader import Catalogue, load_catalogue
from kic.controls.models import ControlResult, ControlRun, ControlRunControl, ControlRunReason
from kic.population.store import Block, insert_blocks


@dataclass(frozen=True)
class RegelingSummary:
    """Counts of one regeling; money in cents."""

    regeling: str
    items: int
    controls: int
    voldoet: int
    fout: int
    fout_cents: int
    nvt: int
    niet_te_beoordelen: int
    items_with_fout: int


@dataclass
class RunSummary:
    run_id: int
    catalogue_hash: str
    payments: int
    results: int
    per_regeling: list[RegelingSummary]
    findings: pd.DataFrame  # betaling_id, regeling, control_id, difference (cents), reason — fout only
    population_ids: pd.Index = field(default_factory=pd.Index)  # betaling_id of every judged payment
    seconds: dict[str, float] = field(default_factory=dict)  # per stage
    control_seconds: dict[str, float] = field(default_factory=dict)  # judging, per control id
    failures: dict[str, str] = field(default_factory=dict)
    store_seconds: dict[str, float] = field(default_factory=dict)  # writing its results, per control id


def run_controls(
    session: Session,
    *,
    actor: str,
    catalogue: Catalogue | None = None,
    regeling: str | None = None,
    controls_dir: Path | None = None,
) -> RunSummary:
    """Evaluate all automated controls over the active population and store every result."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    catalogue = catalogue or load_catalogue(controls_dir)
    frame = load_frame(session, regeling)
    timings["laden"], clock = time.perf_counter() - clock, time.perf_counter()
    evaluation = evaluate_catalogue(catalogue, frame, regeling)
    timings["controleren"], clock = time.perf_counter() - clock, time.perf_counter()
    summary = RunSummary(
        0,
        catalogue.content_hash,
        len(frame),
        len(evaluation),
        summarise(frame, evaluation),
        result_frame(evaluation, frame, only=FOUT).drop(columns=["_row", "control", "status"]),
        pd.Index(frame["betaling_id"]),
        timings,
        evaluation.seconds,
        evaluation.failures,
    )
    payment_rows = frame[ROW].to_numpy(dtype=np.int64)
    del frame  # a gigabyte for a million payments; the results need only the row ids
    run = _store(session, actor, catalogue, regeling, evaluation, payment_rows, summary.store_seconds)
    timings["opslaan"] = time.perf_counter() - clock
    summary.run_id = run.id
    _audit(session, actor, run, summary)
    return summary


def _store(
    session: Session,
    actor: str,
    catalogue: Catalogue,
    regeling: str | None,
    evaluation: ControlEvaluation,
    payment_rows: np.ndarray,
    seconds: dict[str, float],
) -> ControlRun:
    run = ControlRun(
        started_at=datetime.now(UTC),
        actor=actor,
        catalogue_hash=catalogue.content_hash,
        regeling=regeling,
        payment_count=len(payment_rows),
        result_count=len(evaluation),
    )
    session.add(run)
    session.flush()
    session.add_all(
        [
            ControlRunControl(
                run_id=run.id,
                control_index=index,
                control_id=c.id,
                version=c.version,
                content_hash=c.content_hash,
                regeling=c.regeling,
                failure=evaluation.failures.get(f"{c.id} v{c.version}"),
            )
            for index, c in enumerate(evaluation.controls)
        ]
    )
    session.add_all(
        [
            ControlRunReason(
                run_id=run.id, reason_index=index, reason_code=code, explanation=checks.REASONS.get(code)
            )
            for index, code in enumerate(evaluation.reasons)
        ]
    )
    session.flush()
    table = cast(Table, ControlResult.__table__)
    insert_blocks(session, table, _blocks(run.id, evaluation, payment_rows, seconds))
    run.finished_at = datetime.now(UTC)
    session.flush()
    return run


def _blocks(
    run_id: int, evaluation: ControlEvaluation, payment_rows: np.ndarray, seconds: dict[str, float]
) -> Iterator[Block]:
    """The results control by control, timing each (making its blocks and writing them: the
    generator resumes only when the writer is done with a block)."""
    if not len(evaluation):
        return
    bounds = [0, *(np.flatnonzero(np.diff(evaluation.control)) + 1).tolist(), len(evaluation)]
    for start, stop in itertools.pairwise(bounds):
        started, part = time.perf_counter(), np.arange(start, stop)
        index = int(evaluation.control[start])
        yield from _control_blocks(run_id, index, part, evaluation, payment_rows)
        control_id = evaluation.controls[index].id
        seconds[control_id] = seconds.get(control_id, 0.0) + time.perf_counter() - started


def _control_blocks(
    run_id: int, index: int, part: np.ndarray, evaluation: ControlEvaluation, payment_rows: np.ndarray
) -> Iterator[Block]:
    """One control's results: those without a difference grouped by status and reason, so that
    only the payment row id varies within a block; those with a difference in one block."""
    fixed = {"run_id": run_id, "control_index": index}
    plain = part[evaluation.difference[part] == 0]
    key = evaluation.status[plain].astype(np.int32) << 16 | evaluation.reason[plain].astype(np.int32)
    order = np.argsort(key, kind="stable")
    for group in np.split(plain[order], np.flatnonzero(np.diff(key[order])) + 1):
        if len(group):
            yield Block(
                {
                    **fixed,
                    "status": int(evaluation.status[group[0]]),
                    "reason_index": int(evaluation.reason[group[0]]),
                    "difference": 0,
                },
                {"payment_row_id": payment_rows[evaluation.position[group]]},
            )
    differing = part[evaluation.difference[part] != 0]
    if len(differing):
        yield Block(
            fixed,
            {
                "payment_row_id": payment_rows[evaluation.position[differing]],
                "status": evaluation.status[differing],
                "reason_index": evaluation.reason[differing],
                "difference": evaluation.difference[differing],
            },
        )


def summarise(frame: pd.DataFrame, evaluation: ControlEvaluation) -> list[RegelingSummary]:
    """Per regeling: items, controls applied, and results per status (fout with its € total)."""
    codes, names = pd.factorize(frame["regeling"], sort=True)
    regeling = codes[evaluation.position]
    fout = evaluation.status == FOUT
    summaries = []
    for index, name in enumerate(names):
        mine = regeling == index
        counts = np.bincount(evaluation.status[mine], minlength=4)
        summaries.append(
            RegelingSummary(
                str(name),
                int((codes == index).sum()),
                len(np.unique(evaluation.control[mine])),
                int(counts[VOLDOET]),
                int(counts[FOUT]),
                int(evaluation.difference[mine & fout].sum()),
                int(counts[NVT]),
                int(counts[NIET_TE_BEOORDELEN]),
                len(np.unique(evaluation.position[mine & fout])),
            )
        )
    return summaries


def _audit(session: Session, actor: str, run: ControlRun, summary: RunSummary) -> None:
    record(
        session,
        actor=actor,
        action="controles_uitgevoerd",
        object_type="control_run",
        object_id=run.id,
        after={
            "catalogus_hash": summary.catalogue_hash,
            "regeling": run.regeling,
            "betalingen": summary.payments,
            "resultaten": summary.results,
            "fouten": int(sum(r.fout for r in summary.per_regeling)),
            "mislukt": summary.failures or None,
        },
    )


_FINDINGS = f"""
SELECT p.payment_id AS betaling_id, p.regeling, c.control_id, r.difference, e.reason_code AS reason
FROM control_result r
JOIN payment p ON p.id = r.payment_row_id
JOIN control_run_control c ON c.run_id = r.run_id AND c.control_index = r.control_index
JOIN control_run_reason e ON e.run_id = r.run_id AND e.reason_index = r.reason_index
WHERE r.run_id = :run_id AND r.status = {FOUT}
ORDER BY p.payment_id, c.control_id
"""


def load_findings(session: Session, run_id: int) -> pd.DataFrame:
    """The fout results of a stored run, as ``RunSummary.findings`` (difference in cents)."""
    frame = pd.read_sql(text(_FINDINGS), session.connection(), params={"run_id": run_id})
    frame["difference"] = frame["difference"].astype("int64")
    return frame
