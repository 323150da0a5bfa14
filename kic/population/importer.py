"""The use case "import a population": one file in, one frozen snapshot out, or nothing at all."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kic.audit import record
from kic.db.locks import exclusive
from kic.formatting import tijdstip
from kic.gemeenten import gemeente_names, normalise_code
from kic.population.errors import AlreadyImported, ImportIssue, ImportRejected, PopulationError
from kic.population.models import ROW_MODELS, SNAPSHOT_ACTIVE, SNAPSHOT_REPLACED, PopulationSnapshot
from kic.population.parse import cents_to_decimal
from kic.population.reader import Mapping, apply_mapping, file_format, missing_columns, read_table
from kic.population.schema import COLUMNS
from kic.population.store import insert_rows
from kic.population.validate import FIRST_DATA_LINE, GemeenteRule, shown, validate

KINDS = tuple(COLUMNS)
KEY_ATTR = {"betalingen": "payment_id", "beschikkingen": "beschikking_nr"}


@dataclass(frozen=True)
class ImportResult:
    snapshot_id: int
    kind: str
    source_name: str
    sha256: str
    row_count: int
    total_debit: Decimal
    total_credit: Decimal
    period_from: date | None
    period_to: date | None
    replaced: tuple[int, ...] = ()
    ignored_columns: tuple[str, ...] = ()
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class ImportProgress:
    """Callbacks a face can pass to show progress; every one is optional."""

    stage: Callable[[str], None] | None = None
    rows_stored: Callable[[int, int], None] | None = None  # (rows stored now, total)


def import_population(
    session: Session,
    kind: str,
    path: Path,
    *,
    actor: str,
    mapping: Mapping | None = None,
    replace: bool = False,
    progress: ImportProgress | None = None,
) -> ImportResult:
    """Import ``path`` as a population of ``kind`` (betalingen or beschikkingen).

    All or nothing: every bad row is reported in ``ImportRejected`` and nothing is stored. The same
    file twice is refused with ``AlreadyImported`` unless ``replace`` is set; replacing marks the
    earlier snapshot as replaced (its rows stay, for traceability) in the same transaction.
    """
    if kind not in KINDS:
        raise PopulationError(f"Onbekende soort populatie '{kind}': kies uit {', '.join(KINDS)}")
    mapping = mapping or Mapping()
    progress = progress or ImportProgress()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    _stage(progress, "lezen")
    data = _read_bytes(path)
    sha256 = hashlib.sha256(data).hexdigest()
    exclusive(session, f"populatie:{kind}")  # a second import started now waits, then sees this one
    replaced = _check_not_imported(session, kind, sha256, path.name, replace)
    frame, ignored = _frame(kind, path, data, mapping)
    timings["lezen"] = time.perf_counter() - started
    _stage(progress, "controleren")
    checked = validate(kind, frame, mapping.regeling_codes, gemeente_rule(session, mapping))
    checked.issues += _clashes_with_active(session, kind, checked.columns[KEY_ATTR[kind]], replaced)
    if checked.issues:
        raise ImportRejected(checked.issues, checked.row_count)
    if checked.row_count == 0:
        raise PopulationError(f"Bestand {path.name} bevat geen gegevensregels")
    timings["controleren"] = time.perf_counter() - started - sum(timings.values())
    _stage(progress, "opslaan")
    snapshot = _snapshot(kind, path, sha256, checked.columns, actor, mapping)
    session.add(snapshot)
    session.flush()
    insert_rows(session, kind, checked.columns, snapshot.id, progress.rows_stored)
    _mark_replaced(session, replaced, snapshot.id, actor)
    record(
        session,
        actor=actor,
        action="populatie.import",
        object_type="population_snapshot",
        object_id=snapshot.id,
        after=_audit_view(snapshot, replaced),
    )
    session.flush()
    timings["opslaan"] = time.perf_counter() - started - sum(timings.values())
    return ImportResult(
        snapshot.id,
        kind,
        path.name,
        sha256,
        snapshot.row_count,
        snapshot.total_debit,
        snapshot.total_credit,
        snapshot.period_from,
        snapshot.period_to,
        tuple(replaced),
        tuple(ignored),
        time.perf_counter() - started,
        timings,
    )


def gemeente_rule(session: Session, mapping: Mapping) -> GemeenteRule:
    """Which gemeenten an import may name, and which one an empty gemeente cell gets: the koppelbestand's
    ``gemeente``, or the only gemeente of the installation (none registered yet: the cell stays empty, and the
    first ``kic gemeente add`` gives those rows its code)."""
    known = gemeente_names(session)
    if mapping.gemeente is None:
        return GemeenteRule(known, next(iter(known)) if len(known) == 1 else None)
    code = normalise_code(mapping.gemeente)
    if code is None or code not in known:
        listed = ", ".join(known) or "geen"
        raise PopulationError(
            f"Koppelbestand: gemeente '{mapping.gemeente}' is niet vastgelegd (vastgelegd: {listed}); "
            "leg haar vast met 'kic gemeente add'"
        )
    return GemeenteRule(known, code)


def read_population_file(kind: str, path: Path, mapping: Mapping | None = None) -> tuple[pd.DataFrame, str]:
    """Parse and validate an export without storing it; return the typed rows and the file's SHA-256.

    This is the accountant's side of a re-performance: the same reading rules as the import, with
    no database involved. Column names are the model attributes; money is in integer cents.
    """
    mapping = mapping or Mapping()
    data = _read_bytes(path)
    frame, _ignored = _frame(kind, path, data, mapping)
    checked = validate(kind, frame, mapping.regeling_codes)
    if checked.issues:
        raise ImportRejected(checked.issues, checked.row_count)
    return pd.DataFrame(checked.columns), hashlib.sha256(data).hexdigest()


def _stage(progress: ImportProgress, name: str) -> None:
    if progress.stage:
        progress.stage(name)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PopulationError(f"Bestand {path} is niet te lezen: {exc.strerror or exc}") from exc


def _frame(kind: str, path: Path, data: bytes, mapping: Mapping) -> tuple[pd.DataFrame, list[str]]:
    headers = [c.header for c in COLUMNS[kind]]
    frame = read_table(path, data, mapping)
    frame, ignored = apply_mapping(frame, mapping, headers)
    problems = missing_columns(frame, [c.header for c in COLUMNS[kind] if c.required])
    if problems:
        raise ImportRejected(problems, len(frame))
    return frame, ignored


def _check_not_imported(session: Session, kind: str, sha256: str, name: str, replace: bool) -> list[int]:
    """Return the active snapshots this import replaces; refuse a repeat without ``replace``."""
    active = session.scalars(
        select(PopulationSnapshot).where(
            PopulationSnapshot.kind == kind, PopulationSnapshot.status == SNAPSHOT_ACTIVE
        )
    ).all()
    same_file = [s for s in active if s.sha256 == sha256]
    if same_file and not replace:
        first = same_file[0]
        raise AlreadyImported(first.id, first.source_name, tijdstip(first.imported_at))
    if not replace:
        return []
    return [s.id for s in active if s.sha256 == sha256 or s.source_name == name]


def _clashes_with_active(
    session: Session, kind: str, keys: pd.Series, replaced: list[int]
) -> list[ImportIssue]:
    """Keys that already exist in another active population would count one payment twice."""
    model = ROW_MODELS[kind]
    key = getattr(model, KEY_ATTR[kind])
    query = (
        select(key, PopulationSnapshot.id)
        .join(PopulationSnapshot, model.snapshot_id == PopulationSnapshot.id)
        .where(PopulationSnapshot.kind == kind, PopulationSnapshot.status == SNAPSHOT_ACTIVE)
    )
    if replaced:
        query = query.where(PopulationSnapshot.id.not_in(replaced))
    existing: dict[str, int] = dict(session.execute(query).all())
    if not existing:
        return []
    hits = keys.isin(list(existing)).fillna(False).to_numpy(dtype=bool)
    header = next(c.header for c in COLUMNS[kind] if c.attr == KEY_ATTR[kind])
    return [
        ImportIssue(
            int(r) + FIRST_DATA_LINE,
            header,
            f"'{shown(keys.iat[r])}' staat al in populatie {existing[keys.iat[r]]} (eerdere import)",
        )
        for r in hits.nonzero()[0]
    ]


def _snapshot(
    kind: str, path: Path, sha256: str, columns: dict[str, pd.Series], actor: str, mapping: Mapping
) -> PopulationSnapshot:
    amounts = columns["amount"] if kind == "betalingen" else columns["amount_per_period"]
    debit = int(amounts[amounts > 0].sum()) if amounts.notna().any() else 0
    credit = int(-amounts[amounts < 0].sum()) if amounts.notna().any() else 0
    start, end = ("period_from", "period_to") if kind == "betalingen" else ("start_date", "end_date")
    last = pd.concat([columns[start], columns[end]]).max()
    return PopulationSnapshot(
        kind=kind,
        source_name=path.name,
        sha256=sha256,
        file_format=file_format(path),
        row_count=len(amounts),
        total_debit=cents_to_decimal(debit),
        total_credit=cents_to_decimal(credit),
        period_from=_as_date(columns[start].min()),
        period_to=_as_date(last),
        imported_at=datetime.now(UTC),
        imported_by=actor,
        status=SNAPSHOT_ACTIVE,
        mapping=mapping.as_dict() if mapping != Mapping() else None,
    )


def _as_date(value: object) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _mark_replaced(session: Session, replaced: list[int], new_id: int, actor: str) -> None:
    if not replaced:
        return
    session.execute(
        update(PopulationSnapshot).where(PopulationSnapshot.id.in_(replaced)).values(status=SNAPSHOT_REPLACED)
    )
    for old in replaced:
        record(
            session,
            actor=actor,
            action="populatie.vervangen",
            object_type="population_snapshot",
            object_id=old,
            before={"status": SNAPSHOT_ACTIVE},
            after={"status": SNAPSHOT_REPLACED, "vervangen_door": new_id},
        )


def _audit_view(snapshot: PopulationSnapshot, replaced: list[int]) -> dict[str, object]:
    return {
        "soort": snapshot.kind,
        "bestand": snapshot.source_name,
        "sha256": snapshot.sha256,
        "regels": snapshot.row_count,
        "totaal_debet": str(snapshot.total_debit),
        "totaal_credit": str(snapshot.total_credit),
        "periode": [str(snapshot.period_from), str(snapshot.period_to)],
        "vervangt": replaced,
    }


def active_snapshots(session: Session, kind: str | None = None) -> list[PopulationSnapshot]:
    query = select(PopulationSnapshot).where(PopulationSnapshot.status == SNAPSHOT_ACTIVE)
    if kind:
        query = query.where(PopulationSnapshot.kind == kind)
    return list(session.scalars(query.order_by(PopulationSnapshot.id)))
