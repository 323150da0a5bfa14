"""Reading the agenda: the list (overdue first, filters by status and owner) and the page of one action.

The verbeteragenda is the sociale dienst's, over every gemeente (its actions name bevindingen of any of them):
its pages are ``whole`` pages, closed to a user limited to gemeenten."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import g, render_template, request

from kic.findings.agenda import (
    STATUS_LABELS,
    agenda_order,
    history,
    is_overdue,
    linked_findings,
    list_actions,
    owners,
    remeasurement,
)
from kic.findings.models import GEREED, STATUSES, VERVALLEN, ImprovementAction
from kic.web.agenda.common import A, K, T, bp, may_change, may_decide, own_only, readable_action
from kic.web.database import db
from kic.web.security import requires

FILTER_LABELS = {"status": "Status", "eigenaar": "Eigenaar"}
STATUS_FORM_LABELS = {"status": "Nieuwe status", "besluit": "Besluit", "versie": "Versie", "actie": "Actie"}


@bp.route("")
@requires(K, T, A, whole=True)
def index() -> str:
    today, errors = date.today(), {}
    status = request.args.get("status", "").strip() or None
    if status is not None and status not in STATUSES:
        errors["status"] = ["kies een status uit de lijst"]
        status = None
    owner = g.user.username if own_only() else (request.args.get("eigenaar", "").strip() or None)
    rows = [
        (a, is_overdue(a, today)) for a in agenda_order(list_actions(db(), status=status, owner=owner), today)
    ]
    return render_template(
        "agenda/list.html",
        rows=rows,
        late=sum(late for _a, late in rows),
        args=request.args,
        errors=errors,
        labels=FILTER_LABELS,
        statuses=list(STATUS_LABELS.items()),
        status_labels=STATUS_LABELS,
        owners=[] if own_only() else owners(db()),
        own=own_only(),
    )


@bp.route("/<int:action_id>")
@requires(K, T, A, whole=True)
def detail(action_id: int) -> tuple[str, int]:
    return action_page(readable_action(action_id))


def action_page(
    action: ImprovementAction,
    *,
    values: Any = None,
    errors: dict[str, list[str]] | None = None,
    message: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The action with its bevindingen, hermeting and history, and the status form for who may change it."""
    choices = [(s, label) for s, label in STATUS_LABELS.items() if may_decide() or s != VERVALLEN]
    page = render_template(
        "agenda/detail.html",
        action=action,
        overdue=is_overdue(action, date.today()),
        findings=linked_findings(db(), action),
        remeasurement=remeasurement(db(), action),
        events=history(db(), action.id),
        may_change=may_change(action),
        may_decide=may_decide(),
        link_reviews=g.user.role_enum in (T, A),
        status_labels=STATUS_LABELS,
        choices=choices,
        values=values or {"status": action.status},
        errors=errors or {},
        labels=STATUS_FORM_LABELS,
        message=message,
        gereed=GEREED,
    )
    return page, status
