"""Rapportages: the published versions of the reports (kwartaalrapportage, SiSa-dossier, verbeteragenda),
newest first, each file to download as it was published.

A published version is immutable and kept in the database with its SHA-256 (``kic.reports.publish``). A
download is served from that stored content, checked against its hash, and never from a path on disk: the
``path`` a version records is where the CLI or the scheduler also wrote it, and the web reads no file by
name, so no request can reach a file outside the report folder. Each role sees the reports it may read:
what holds the evaluation (kwartaal, SiSa) who may open the evaluation; the verbeteragenda who may open
the verbeteragenda.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from flask import Blueprint, Response, abort, g, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from kic.audit import record
from kic.errors import KicError
from kic.formatting import datum
from kic.gemeenten import WHOLE, Scope, gemeente_names
from kic.reports.models import ReportVersion
from kic.reports.publish import KIND_LABELS, KINDS
from kic.users import Role
from kic.web.database import commit, db
from kic.web.security import client_address, in_scope, requires

bp = Blueprint("reports", __name__, url_prefix="/rapportages")
K, T, A = Role.KWALITEITSMEDEWERKER, Role.TEAMLEIDER, Role.ACCOUNTANT
# Who may read each kind: as the evaluation page (kic.web.evaluation.READERS) and the verbeteragenda.
KIND_READERS = {"kwartaal": {T, A}, "sisa": {T, A}, "agenda": {K, T, A}}
READERS = tuple(sorted(set().union(*KIND_READERS.values()), key=list(Role).index))
FORMATS = {  # in the order shown: label and media type
    "pdf": ("PDF", "application/pdf"),
    "xlsx": ("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "html": ("HTML", "text/html; charset=utf-8"),
    "csv": ("CSV", "text/csv; charset=utf-8"),
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9-]")


class DamagedReport(KicError):
    """A stored report whose content no longer matches the hash it was published with."""

    http_status = 500


@dataclass(frozen=True)
class PublishedFile:
    id: int
    file_format: str
    sha256: str
    size: int  # bytes

    @property
    def label(self) -> str:
        return FORMATS[self.file_format][0] if self.file_format in FORMATS else self.file_format.upper()


@dataclass(frozen=True)
class Publication:
    """One published version of a report for a period, with its files."""

    kind: str
    period: str
    gemeente: str  # her name; '' for the installation (the region) as a whole
    version_no: int
    created_at: datetime
    created_by: str
    files: tuple[PublishedFile, ...]
    latest_version: int  # the newest version of this report and period

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def period_label(self) -> str:
        return period_label(self.kind, self.period)

    @property
    def superseded(self) -> bool:
        return self.version_no < self.latest_version


def period_label(kind: str, period: str) -> str:
    """2026-Q2 -> 2e kwartaal 2026; 2026 -> verslagjaar 2026; the agenda's peildatum in Dutch."""
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        return f"{match[2]}e kwartaal {match[1]}"
    if kind == "sisa" and period.isdigit():
        return f"verslagjaar {period}"
    try:
        return f"peildatum {datum(date.fromisoformat(period))}"
    except ValueError:
        return period


def readable_kinds(role: Role) -> list[str]:
    return [kind for kind in KINDS if role in KIND_READERS.get(kind, set())]


def published(
    session: Session, kinds: list[str], scope: Scope = WHOLE, gemeente: str | None = None
) -> list[Publication]:
    """The published versions of ``kinds`` in ``scope`` (a user limited to gemeenten sees only their
    gemeenten's reports, not the installation's), of one ``gemeente`` when given ('' the installation's), the
    newest publication first; the files' content is not read."""
    query = (
        select(ReportVersion, func.length(ReportVersion.content))
        .options(defer(ReportVersion.content))
        .where(ReportVersion.kind.in_(kinds), scope.on(ReportVersion.gemeente))
    )
    if gemeente is not None:
        query = query.where(ReportVersion.gemeente == gemeente)
    grouped: dict[tuple[str, str, str, int], list[tuple[ReportVersion, int]]] = defaultdict(list)
    for row, size in session.execute(query):
        grouped[(row.kind, row.period, row.gemeente, row.version_no)].append((row, int(size or 0)))
    latest: dict[tuple[str, str, str], int] = {}
    for kind, period, gemeente, number in grouped:
        latest[(kind, period, gemeente)] = max(number, latest.get((kind, period, gemeente), 0))
    names = gemeente_names(session)
    found = [
        Publication(
            kind,
            period,
            names.get(gemeente, gemeente),
            number,
            files[0][0].created_at,
            files[0][0].created_by,
            tuple(
                PublishedFile(row.id, row.file_format, row.sha256, size)
                for row, size in sorted(files, key=lambda f: _format_order(f[0].file_format))
            ),
            latest[(kind, period, gemeente)],
        )
        for (kind, period, gemeente, number), files in grouped.items()
    ]
    return sorted(found, key=lambda p: (p.created_at, p.version_no, p.period), reverse=True)


def _format_order(file_format: str) -> int:
    order = list(FORMATS)
    return order.index(file_format) if file_format in order else len(order)


@bp.route("")
@requires(*READERS)
def index() -> str:
    kinds = readable_kinds(g.user.role_enum)
    chosen = request.args.get("rapport", "")
    shown = [chosen] if chosen in kinds else kinds
    gemeenten = _gemeente_choices()
    gemeente = request.args.get("gemeente", "")
    gemeente = gemeente if gemeente in dict(gemeenten) else ""
    return render_template(
        "rapportages/index.html",
        publications=published(db(), shown, g.scope, "" if gemeente == REGION else gemeente or None),
        kinds=[(kind, KIND_LABELS.get(kind, kind)) for kind in kinds],
        chosen=chosen if chosen in kinds else "",
        gemeenten=gemeenten,
        chosen_gemeente=gemeente,  # not ``gemeente``: base.html names the installation with that
        formats=FORMATS,
    )


REGION = "regio"  # the filter's value for the reports of the installation as a whole ('' in the table)


def _gemeente_choices() -> list[tuple[str, str]]:
    """The gemeente filter: the region's own reports and each gemeente the user may see; none to choose from
    with fewer than two."""
    mine = [(code, name) for code, name in gemeente_names(db()).items() if g.scope.allows(code)]
    if len(mine) < 2:
        return []
    return ([(REGION, "Hele regio")] if g.scope.whole else []) + mine


@bp.route("/bestand/<int:file_id>")
@requires(*READERS)
def download(file_id: int) -> Response:
    """One published file, as an attachment named after its report, period, version and format."""
    row = db().get(ReportVersion, file_id)
    if row is None or row.file_format not in FORMATS:
        abort(404)
    in_scope(row.gemeente)
    if g.user.role_enum not in KIND_READERS.get(row.kind, set()):
        abort(403)
    if hashlib.sha256(row.content).hexdigest() != row.sha256:
        raise DamagedReport(
            f"het bestand van {KIND_LABELS.get(row.kind, row.kind)} {row.period} versie {row.version_no} "
            "klopt niet meer met de SHA-256 waarmee het is gepubliceerd; de beheerder moet dit onderzoeken"
        )
    record(
        db(),
        actor=g.user.username,
        action="rapport.downloaden",
        object_type="report_version",
        object_id=":".join(
            filter(None, [row.kind, row.period, row.gemeente, f"v{row.version_no}", row.file_format])
        ),
        address=client_address(),
    )
    commit()
    name = _SAFE_NAME.sub(
        "_", "-".join(filter(None, [row.kind, row.gemeente, row.period, f"v{row.version_no}"]))
    )
    return Response(
        row.content,
        mimetype=FORMATS[row.file_format][1],
        headers={"Content-Disposition": f'attachment; filename="{name}.{row.file_format}"'},
    )
