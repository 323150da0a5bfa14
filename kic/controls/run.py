"""``run_controls``: judge the whole active population by every automated control and store it.

One row per payment × control goes into ``control_result`` through the bulk insert of the
population import (COPY on PostgreSQL, executemany on SQLite), in the caller's transaction,
together with the run, the control versions used, and an audit event.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

from kic.audit import record
from kic.controls import checks
from kic.controls.checks import FOUT, NIET_TE_BEOORDELEN, NVT, VOLDOET
from kic.controls.engine import Evaluation, evaluate_catalogue, result_frame
from kic.controls.frame import ROW, load_frame
from kic.controls.loader import Catalogue, load_catalogue
from kic.controls.models import ControlResult, ControlRun, ControlRunControl
from kic.population.store import insert_frame


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
    control_seconds: dict[str, float] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def run_controls(session: Session, *, actor: str, catalogue: Catalogue | None = None,
                 regeling: str | None = None, controls_dir: Path | None = None) -> RunSummary:
    """Evaluate all automated controls over the active population and store every result."""
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    catalogue = catalogue or load_catalogue(controls_dir)
    frame = load_frame(session, regeling)
    timings["laden"], clock = time.perf_counter() - clock, time.perf_counter()
    evaluation = evaluate_catalogue(catalogue, frame, regeling)
    timings["controleren"], clock = time.perf_counter() - clock, time.perf_counter()
    run = _store(session, actor, catalogue, regeling, evaluation, frame)
    timings["opslaan"] = time.perf_counter() - clock
    summary = RunSummary(run.id, catalogue.content_hash, len(frame), len(evaluation), summarise(frame, evaluation),
                         result_frame(evaluation, frame, only=FOUT).drop(columns=["_row", "control", "status"]),
                         pd.Index(frame["betaling_id"]), timings, evaluation.seconds, evaluation.failures)
    _audit(session, actor, run, summary)
    return summary


def _store(session: Session, actor: str, catalogue: Catalogue, regeling: str | None,
           evaluation: Evaluation, frame: pd.DataFrame) -> ControlRun:
    run = ControlRun(started_at=datetime.now(UTC), actor=actor, catalogue_hash=catalogue.content_hash,
                     regeling=regeling, payment_count=len(frame), result_count=len(evaluation))
    session.add(run)
    session.flush()
    used = [ControlRunControl(run_id=run.id, control_id=c.id, version=c.version, content_hash=c.content_hash,
                              regeling=c.regeling) for c in evaluation.controls]
    session.add_all(used)
    session.flush()
    ids = np.array([u.id for u in used], dtype=np.int64)
    insert_frame(session, ControlResult.__tablename__, _db_rows(run.id, ids, evaluation, frame))
    run.finished_at = datetime.now(UTC)
    session.flush()
    return run


def _db_rows(run_id: int, ids: np.ndarray, evaluation: Evaluation, frame: pd.DataFrame) -> pd.DataFrame:
    """The result rows as stored; a Dutch ``detail`` only where someone needs to read why."""
    explained = (evaluation.status == FOUT) | (evaluation.status == NIET_TE_BEOORDELEN)
    texts = pd.Series(evaluation.reason).map(checks.REASONS).to_numpy(dtype=object)
    return pd.DataFrame({
        "run_id": np.full(len(evaluation), run_id, dtype=np.int64),
        "run_control_id": ids[evaluation.control] if len(ids) else np.zeros(0, dtype=np.int64),
        "payment_row_id": frame[ROW].to_numpy(dtype=np.int64)[evaluation.position],
        "status": np.array(checks.STATUS_NAMES, dtype=object)[evaluation.status],
        "difference": np.where(evaluation.status == FOUT, evaluation.difference, 0),
        "reason_code": evaluation.reason,
        "detail": np.where(explained, texts, None),
    })


def summarise(frame: pd.DataFrame, evaluation: Evaluation) -> list[RegelingSummary]:
    """Per regeling: items, controls applied, and results per status (fout with its € total)."""
    codes, names = pd.factorize(frame["regeling"], sort=True)
    regeling = codes[evaluation.position]
    fout = evaluation.status == FOUT
    summaries = []
    for index, name in enumerate(names):
        mine = regeling == index
        counts = np.bincount(evaluation.status[mine], minlength=4)
        summaries.append(RegelingSummary(
            str(name), int((codes == index).sum()), len(np.unique(evaluation.control[mine])), int(counts[VOLDOET]),
            int(counts[FOUT]), int(evaluation.difference[mine & fout].sum()), int(counts[NVT]),
            int(counts[NIET_TE_BEOORDELEN]), len(np.unique(evaluation.position[mine & fout]))))
    return summaries


def _audit(session: Session, actor: str, run: ControlRun, summary: RunSummary) -> None:
    record(session, actor=actor, action="controles_uitgevoerd", object_type="control_run", object_id=run.id,
           after={"catalogus_hash": summary.catalogue_hash, "regeling": run.regeling,
                  "betalingen": summary.payments, "resultaten": summary.results,
                  "fouten": int(sum(r.fout for r in summary.per_regeling)),
                  "mislukt": summary.failures or None})


_FINDINGS = """
SELECT p.payment_id AS betaling_id, p.regeling, c.control_id, r.difference, r.reason_code AS reason
FROM control_result r JOIN payment p ON p.id = r.payment_row_id JOIN control_run_control c ON c.id = r.run_control_id
WHERE r.run_id = :run_id AND r.status = 'fout'
ORDER BY p.payment_id, c.control_id
"""


def load_findings(session: Session, run_id: int) -> pd.DataFrame:
    """The fout results of a stored run, as ``RunSummary.findings`` (difference in cents)."""
    frame = pd.read_sql(text(_FINDINGS), session.connection(), params={"run_id": run_id})
    frame["difference"] = frame["difference"].astype("int64")
    return frame
