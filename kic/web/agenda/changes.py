"""Changing the agenda: a new action from selected bevindingen (teamleider), and a new status."""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from kic.findings.agenda import STATUS_LABELS, AgendaError, NewAction, add_action, set_status
from kic.findings.bevindingen import Finding, finding_quarters, findings
from kic.findings.models import PRIORITIES
from kic.web.agenda.common import K, T, bp, may_change, may_decide, readable_action
from kic.web.agenda.pages import action_page
from kic.web.database import commit, db
from kic.web.review.common import catalogue
from kic.web.security import client_address, requires

ALL_QUARTERS = "alle"
NEW_LABELS = {
    "kwartaal": "Kwartaal van de bevindingen",
    "bevindingen": "Bevindingen",
    "beoordelingen": "Bevindingen",
    "titel": "Titel",
    "omschrijving": "Omschrijving",
    "eigenaar": "Eigenaar",
    "deadline": "Deadline",
    "prioriteit": "Prioriteit",
    "hermeting_controle": "Hermeting: controle",
    "hermeting_kwartaal": "Hermeting: kwartaal",
    "actie": "Verbeteractie",
}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")


@bp.route("/nieuw", methods=["GET", "POST"])
@requires(T, whole=True)
def new() -> ResponseReturnValue:
    form = request.form if request.method == "POST" else MultiDict({"prioriteit": "middel"})
    quarters = finding_quarters(db())
    quarter = request.values.get("kwartaal", quarters[0] if quarters else ALL_QUARTERS)
    if quarter != ALL_QUARTERS and quarter not in quarters:
        return _new_form(form, quarters, ALL_QUARTERS, {"kwartaal": ["kies een kwartaal uit de lijst"]}, 422)
    if request.method == "GET":
        return _new_form(form, quarters, quarter, {})
    data, errors = _new_action(form)
    try:
        action = add_action(db(), data, actor=g.user.username, address=client_address())
    except AgendaError as exc:
        errors = {**exc.by_field, **errors}  # a date that could not be read says more than 'deadline is leeg'
    if errors:
        db().rollback()
        return _new_form(form, quarters, quarter, errors, 422)
    commit()
    flash(f"Verbeteractie {action.id} is aangemaakt.", "succes")
    return redirect(url_for("agenda.detail", action_id=action.id))


def _new_action(form: MultiDict) -> tuple[NewAction, dict[str, list[str]]]:
    """What the form says, and the problems in reading it (the use case checks the rest)."""
    errors: dict[str, list[str]] = {}
    deadline = _day(form.get("deadline", ""))
    if form.get("deadline", "").strip() and deadline is None:
        errors["deadline"] = ["vul een datum in als dd-mm-jjjj, bijvoorbeeld 30-09-2026"]
    chosen = [_finding_key(value) for value in form.getlist("bevindingen")]
    if None in chosen:
        errors["bevindingen"] = ["kies bevindingen uit de lijst"]
    keys = [key for key in chosen if key is not None]
    control = form.get("hermeting_controle", "").strip() or None
    if control is not None and control not in catalogue().versions:
        errors["hermeting_controle"] = ["kies een controle uit de lijst"]
    data = NewAction(
        title=form.get("titel", ""),
        owner=form.get("eigenaar", ""),
        deadline=deadline,
        description=form.get("omschrijving", "").strip() or None,
        priority=form.get("prioriteit", ""),
        control_ids=tuple(sorted({c for _r, c in keys})),
        review_ids=tuple(sorted({r for r, _c in keys})),
        remeasure_control=control,
        remeasure_quarter=form.get("hermeting_kwartaal", "").strip() or None,
    )
    return data, errors


def _day(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def finding_value(finding: Finding) -> str:
    """A bevinding's checkbox value: the review and the control it was found in."""
    return f"{finding.review_id}:{finding.control_id}"


def _finding_key(value: str) -> tuple[int, str] | None:
    review, _, control = value.partition(":")
    return (int(review), control) if review.isdigit() and control else None


def _new_form(
    form: MultiDict, quarters: list[str], quarter: str, errors: dict[str, list[str]], status: int = 200
) -> tuple[str, int]:
    errors = dict(errors)
    if "beoordelingen" in errors:  # a review that does not exist: one of the chosen bevindingen
        errors["bevindingen"] = errors.get("bevindingen", []) + errors.pop("beoordelingen")
    shown = findings(db(), None if quarter == ALL_QUARTERS else quarter)
    controls = [(cid, f"{cid} ({catalogue().versions[cid][-1].regeling})") for cid in catalogue().ids()]
    return render_template(
        "agenda/new.html",
        form=form,
        errors=errors,
        labels=NEW_LABELS,
        quarters=quarters,
        quarter=quarter,
        quarter_options=[(q, q) for q in quarters] + [(ALL_QUARTERS, "Alle kwartalen")],
        all_quarters=ALL_QUARTERS,
        findings=shown,
        finding_value=finding_value,
        chosen=set(form.getlist("bevindingen")),
        priorities=[(p, p) for p in PRIORITIES],
        controls=controls,
    ), status


@bp.route("/<int:action_id>/status", methods=["POST"])
@requires(K, T, whole=True)
def change_status(action_id: int) -> ResponseReturnValue:
    action = readable_action(action_id)
    if not may_change(action):
        abort(403)
    form = request.form
    status, decision = form.get("status", "").strip(), form.get("besluit", "").strip() or None
    if decision is not None and not may_decide():
        return action_page(
            action,
            values=form,
            errors={
                "status": ["alleen de teamleider legt een besluit vast; laat het besluit aan de teamleider"]
            },
            status=422,
        )
    try:
        set_status(
            db(),
            action_id,
            status,
            actor=g.user.username,
            decision=decision,
            expected_version=form.get("versie", -1, type=int),
            address=client_address(),
        )
    except AgendaError as exc:
        db().rollback()
        return _refused(action_id, exc)
    commit()
    flash(f"Verbeteractie {action_id} staat nu op {STATUS_LABELS[status]}.", "succes")
    return redirect(url_for("agenda.detail", action_id=action_id))


def _refused(action_id: int, exc: AgendaError) -> tuple[str, int]:
    """The page again with the choice the user made; a stale form is a message, not a field error."""
    action = readable_action(action_id)
    values = request.form.to_dict()
    if "versie" in exc.by_field:
        return action_page(
            action,
            values={"status": action.status},
            status=409,
            message=(
                f"Niet opgeslagen: {exc}. Hieronder staat de actie zoals die nu is; kies de status opnieuw."
            ),
        )
    errors = dict(exc.by_field)
    if (
        not may_decide() and "besluit" in errors
    ):  # the owner has no decision field: the message goes to the status
        errors["status"] = [*errors.pop("besluit"), "een besluit neemt de teamleider"]
    return action_page(action, values=values, errors=errors, status=422)
