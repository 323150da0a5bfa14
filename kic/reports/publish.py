"""Build a report's files and publish them as a new immutable version with SHA-256 hashes.

A published version is never changed: re-rendering a period adds version n+1 beside the earlier
ones, in the database (content and hash) and, when a folder is given, as files. A file gets its
final name only after the database has committed its version: it is written under a temporary name
first and moved into place by the session's commit (discarded by a rollback). A publish killed before
its commit leaves at most a temporary file and no version; one killed between the commit and the move
leaves a version whose file the next publish of that period restores from the database. A file under
a final name that no version in the database owns (left by an older kic) is moved aside, never
overwritten in silence.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from kic.audit import record
from kic.gemeenten import WHOLE, Gemeente, Scope
from kic.reports import render, views
from kic.reports.figures import ReportError
from kic.reports.models import ReportVersion
from kic.reports.reconciliation import Ledger, read_ledger

KINDS = ("kwartaal", "sisa", "agenda")
KIND_LABELS = {  # the Dutch names users read (the kinds are stored words)
    "kwartaal": "Kwartaalrapportage",
    "sisa": "SiSa- en rechtmatigheidsdossier",
    "agenda": "Verbeteragenda",
}
log = logging.getLogger("kic.reports")


@dataclass(frozen=True)
class Published:
    kind: str
    period: str
    version_no: int
    files: list[ReportVersion]
    gemeente: str = ""  # the CBS code of the gemeente the report is of; '' the whole installation


def build_files(
    session: Session,
    kind: str,
    period: str,
    *,
    pdf: bool = True,
    templates: Path | None = None,
    ledger: Ledger | None = None,
    scope: Scope = WHOLE,
) -> dict[str, bytes]:
    """The report's files by format (html, pdf, and for sisa xlsx and csv); ``period`` is 2026-Q2, 2026 or a date.

    ``ledger``: for the SISA-dossier, the gemeente's lasten per regeling to reconcile the population with;
    ``scope``: the gemeente the kwartaalrapportage or SISA-dossier is of (the verbeteragenda is the region's).
    """
    if kind == "sisa" and ledger is None and scope.gemeente is not None:
        ledger = gemeente_ledger(session, scope.gemeente)
    view = _view(session, kind, period, ledger, scope)
    html = render.render_html(kind, view, templates)
    files = {"html": html.encode("utf-8")}
    if pdf:
        files["pdf"] = render.html_to_pdf(render.render_html(kind, view, templates, pdf=True))
    if kind == "sisa":
        files["xlsx"] = render.sisa_xlsx(view)
        files["csv"] = render.items_csv(view["items"]).encode("utf-8")
    return files


def gemeente_ledger(session: Session, code: str) -> Ledger | None:
    """The grootboek registered for the gemeente (``kic gemeente add --grootboek``), or None."""
    gemeente = session.get(Gemeente, code)
    if gemeente is None or gemeente.ledger is None:
        return None
    return read_ledger(Path(gemeente.ledger))


def _view(session: Session, kind: str, period: str, ledger: Ledger | None, scope: Scope) -> dict[str, Any]:
    if kind == "kwartaal":
        return views.kwartaal_view(session, period, scope=scope)
    if kind == "sisa":
        if not period.isdigit():
            raise ReportError(f"'{period}' is geen jaar: gebruik bijvoorbeeld 2026")
        return views.sisa_view(session, int(period), ledger=ledger, scope=scope)
    if kind == "agenda":
        if not scope.whole:
            raise ReportError("de verbeteragenda is er één voor de hele sociale dienst, niet per gemeente")
        return views.agenda_view(session, date.fromisoformat(period))
    raise ReportError(f"onbekend rapport '{kind}'; kies uit {', '.join(KINDS)}")


def publish(
    session: Session,
    kind: str,
    period: str,
    files: dict[str, bytes],
    *,
    actor: str,
    out_dir: Path | None = None,
    gemeente: str = "",
) -> Published:
    """Store ``files`` as the next version of (kind, period, gemeente); write them to ``out_dir`` when given.

    ``gemeente``: the CBS code of the gemeente the report is of, '' the whole installation; each has its own
    versions, and a gemeente's files carry her code (``kwartaal-GM0363-2026-Q2-v1.pdf``)."""
    number = (
        session.scalar(
            select(func.max(ReportVersion.version_no)).where(
                ReportVersion.kind == kind, ReportVersion.period == period, ReportVersion.gemeente == gemeente
            )
        )
        or 0
    ) + 1
    now = datetime.now(UTC)
    rows, pending = [], []
    if out_dir is not None:
        _restore_missing(session, kind, period, gemeente)
    stem = f"{kind}-{gemeente}-{period}" if gemeente else f"{kind}-{period}"
    for fmt, content in sorted(files.items()):
        path = out_dir / f"{stem}-v{number}.{fmt}" if out_dir else None
        if path is not None:
            pending.append((_write_temporary(path, content), path))
        rows.append(
            ReportVersion(
                kind=kind,
                period=period,
                gemeente=gemeente,
                file_format=fmt,
                version_no=number,
                sha256=hashlib.sha256(content).hexdigest(),
                path=None if path is None else str(path),
                content=content,
                created_at=now,
                created_by=actor,
            )
        )
    session.add_all(rows)
    session.flush()
    record(
        session,
        actor=actor,
        action="rapport.publiceren",
        object_type="report_version",
        object_id=f"{kind}:{gemeente + ':' if gemeente else ''}{period}:v{number}",
        after={r.file_format: r.sha256 for r in rows},
    )
    if pending:
        _place_on_commit(session, pending)
    return Published(kind, period, number, rows, gemeente)


def _write_temporary(path: Path, content: bytes) -> Path:
    """``content`` under a temporary name beside ``path`` (same folder: the move is atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    with temporary.open("xb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return temporary


def _place_on_commit(session: Session, pending: list[tuple[Path, Path]]) -> None:
    """Move the files into place when the session commits; remove them when it rolls back."""
    settled = False

    def place(_session: Session) -> None:
        nonlocal settled
        if not settled:
            settled = True
            for temporary, path in pending:
                _place(temporary, path)

    def discard(_session: Session) -> None:
        nonlocal settled
        if not settled:
            settled = True
            for temporary, _path in pending:
                temporary.unlink(missing_ok=True)

    event.listen(session, "after_commit", place, once=True)
    event.listen(session, "after_rollback", discard, once=True)


def _place(temporary: Path, path: Path) -> None:
    if path.exists():
        if path.read_bytes() == temporary.read_bytes():
            temporary.unlink()
            return
        aside = path.with_name(f"{path.name}.onvoltooid-{secrets.token_hex(3)}")
        log.warning("%s hoort bij geen gepubliceerde versie; verplaatst naar %s", path.name, aside.name)
        os.replace(path, aside)
    os.replace(temporary, path)


def _restore_missing(session: Session, kind: str, period: str, gemeente: str = "") -> None:
    """Write the files of published versions whose move into place was cut off, from the database."""
    for version in session.scalars(
        select(ReportVersion).where(
            ReportVersion.kind == kind,
            ReportVersion.period == period,
            ReportVersion.gemeente == gemeente,
            ReportVersion.path.is_not(None),
        )
    ):
        path = Path(version.path)  # type: ignore[arg-type]
        if not path.exists():
            _place(_write_temporary(path, version.content), path)
            log.warning("%s ontbrak en is hersteld uit de database", path.name)


def versions(session: Session, kind: str | None = None) -> list[ReportVersion]:
    query = select(ReportVersion).order_by(
        ReportVersion.kind, ReportVersion.period, ReportVersion.version_no, ReportVersion.file_format
    )
    if kind is not None:
        query = query.where(ReportVersion.kind == kind)
    return list(session.scalars(query))
