"""Build a report's files and publish them as a new immutable version with SHA-256 hashes.

A published version is never changed: re-rendering a period adds version n+1 beside the earlier
ones, in the database (content and hash) and, when a folder is given, as new files opened with
exclusive creation so that an existing file is never overwritten.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kic.audit import record
from kic.reports import render, views
from kic.reports.figures import ReportError
from kic.reports.models import ReportVersion
from kic.reports.reconciliation import Ledger

KINDS = ("kwartaal", "sisa", "agenda")


@dataclass(frozen=True)
class Published:
    kind: str
    period: str
    version_no: int
    files: list[ReportVersion]


def build_files(
    session: Session,
    kind: str,
    period: str,
    *,
    pdf: bool = True,
    templates: Path | None = None,
    ledger: Ledger | None = None,
) -> dict[str, bytes]:
    """The report's files by format (html, pdf, and for sisa xlsx and csv); ``period`` is 2026-Q2, 2026 or a date.

    ``ledger``: for the SISA-dossier, the gemeente's lasten per regeling to reconcile the population with.
    """
    view = _view(session, kind, period, ledger)
    html = render.render_html(kind, view, templates)
    files = {"html": html.encode("utf-8")}
    if pdf:
        files["pdf"] = render.html_to_pdf(render.render_html(kind, view, templates, pdf=True))
    if kind == "sisa":
        files["xlsx"] = render.sisa_xlsx(view)
        files["csv"] = render.items_csv(view["items"]).encode("utf-8")
    return files


def _view(session: Session, kind: str, period: str, ledger: Ledger | None) -> dict[str, Any]:
    if kind == "kwartaal":
        return views.kwartaal_view(session, period)
    if kind == "sisa":
        if not period.isdigit():
            raise ReportError(f"'{period}' is geen jaar: gebruik bijvoorbeeld 2026")
        return views.sisa_view(session, int(period), ledger=ledger)
    if kind == "agenda":
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
) -> Published:
    """Store ``files`` as the next version of (kind, period); write them to ``out_dir`` when given."""
    number = (
        session.scalar(
            select(func.max(ReportVersion.version_no)).where(
                ReportVersion.kind == kind, ReportVersion.period == period
            )
        )
        or 0
    ) + 1
    now = datetime.now(UTC)
    rows = []
    for fmt, content in sorted(files.items()):
        path = _write(out_dir, f"{kind}-{period}-v{number}.{fmt}", content) if out_dir else None
        rows.append(
            ReportVersion(
                kind=kind,
                period=period,
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
        object_id=f"{kind}:{period}:v{number}",
        after={r.file_format: r.sha256 for r in rows},
    )
    return Published(kind, period, number, rows)


def _write(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("xb") as handle:  # never overwrite a published file
        handle.write(content)
    return path


def versions(session: Session, kind: str | None = None) -> list[ReportVersion]:
    query = select(ReportVersion).order_by(
        ReportVersion.kind, ReportVersion.period, ReportVersion.version_no, ReportVersion.file_format
    )
    if kind is not None:
        query = query.where(ReportVersion.kind == kind)
    return list(session.scalars(query))
