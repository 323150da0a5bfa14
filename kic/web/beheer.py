"""Beheer: user accounts and the audit trail (viewer with filters, CSV export)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from kic.audit import record
from kic.audit.query import (
    EXPORT_HEADER,
    AuditFilter,
    count_events,
    distinct_values,
    export_rows,
    find_events,
)
from kic.csvexport import dutch_csv
from kic.gemeenten import gemeente_names
from kic.users import (
    Role,
    UnknownUser,
    User,
    UserError,
    activate,
    add_user,
    deactivate,
    get_user,
    list_users,
    set_gemeenten,
    set_password,
    shown_gemeenten,
    user_gemeenten,
)
from kic.web.database import commit, db
from kic.web.security import client_address, requires

bp = Blueprint("beheer", __name__, url_prefix="/beheer")
PAGE_SIZE = 100
USER_LABELS = {
    "username": "Gebruikersnaam",
    "display_name": "Naam",
    "role": "Rol",
    "password": "Wachtwoord",
    "gemeenten": "Gemeenten",
}
GEMEENTEN_HINT = (
    "Alleen nodig voor wie voor één of enkele gemeenten werkt, zoals de accountant van één gemeente: die ziet dan "
    "niets van de andere. Niets aangevinkt: de hele installatie. Een beheerder werkt altijd voor de hele installatie."
)
ROLE_CHOICES = [(role.value, role.label) for role in Role]


@bp.route("/gebruikers")
@requires(Role.BEHEERDER)
def users() -> str:
    accounts = list_users(db())
    return render_template(
        "beheer/users.html",
        users=accounts,
        limits={u.username: user_gemeenten(db(), u) for u in accounts},
        gemeenten=_gemeente_choices(),
    )


def _gemeente_choices() -> list[tuple[str, str]]:
    return [(code, f"{name} ({code})") for code, name in gemeente_names(db()).items()]


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@requires(Role.BEHEERDER)
def new_user() -> ResponseReturnValue:
    form = request.form
    if request.method == "POST":
        try:
            user = add_user(
                db(),
                username=form.get("username", ""),
                display_name=form.get("display_name", ""),
                role=form.get("role", ""),
                password=form.get("password", ""),
                gemeenten=form.getlist("gemeenten"),
                actor=g.user.username,
                address=client_address(),
            )
        except UserError as exc:
            return _user_form(form, exc.by_field), 422
        commit()
        flash(f"Gebruiker {user.username} is aangemaakt.", "succes")
        return redirect(url_for("beheer.users"))
    return _user_form(form, {})


def _user_form(form: MultiDict, errors: dict[str, list[str]]) -> str:
    return render_template(
        "beheer/user_new.html",
        form=form,
        errors=errors,
        labels=USER_LABELS,
        roles=ROLE_CHOICES,
        gemeenten=_gemeente_choices(),
        hint=GEMEENTEN_HINT,
    )


@bp.route("/gebruikers/<username>/gemeenten", methods=["GET", "POST"])
@requires(Role.BEHEERDER)
def gemeenten(username: str) -> ResponseReturnValue:
    """Limit a user to gemeenten, or lift the limit (nothing ticked)."""
    user = _existing(username)
    chosen = user_gemeenten(db(), user)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        chosen = request.form.getlist("gemeenten")
        try:
            set_gemeenten(db(), username, chosen, actor=g.user.username, address=client_address())
        except UserError as exc:
            errors = exc.by_field
        else:
            commit()
            flash(
                f"Gebruiker {user.username} werkt nu voor {shown_gemeenten(user_gemeenten(db(), user))}.",
                "succes",
            )
            return redirect(url_for("beheer.users"))
    return render_template(
        "beheer/gemeenten.html",
        user=user,
        chosen=chosen,
        errors=errors,
        labels=USER_LABELS,
        gemeenten=_gemeente_choices(),
        hint=GEMEENTEN_HINT,
    ), 422 if errors else 200


@bp.route("/gebruikers/<username>/deactiveren", methods=["POST"])
@requires(Role.BEHEERDER)
def deactivate_user(username: str) -> ResponseReturnValue:
    return _change(deactivate, username, f"Gebruiker {username} is gedeactiveerd.")


@bp.route("/gebruikers/<username>/activeren", methods=["POST"])
@requires(Role.BEHEERDER)
def activate_user(username: str) -> ResponseReturnValue:
    return _change(activate, username, f"Gebruiker {username} is weer actief.")


def _change(action: Callable[..., object], username: str, done: str) -> ResponseReturnValue:
    try:
        action(db(), username, actor=g.user.username, address=client_address())
    except UserError as exc:
        flash(f"Niet gelukt: {exc}.", "fout")
    else:
        commit()
        flash(done, "succes")
    return redirect(url_for("beheer.users"))


@bp.route("/gebruikers/<username>/wachtwoord", methods=["GET", "POST"])
@requires(Role.BEHEERDER)
def password(username: str) -> ResponseReturnValue:
    user = _existing(username)
    if request.method == "POST":
        try:
            user = set_password(
                db(),
                username,
                request.form.get("password", ""),
                actor=g.user.username,
                address=client_address(),
            )
        except UserError as exc:
            return render_template(
                "beheer/password.html", username=username, errors=exc.by_field, labels=USER_LABELS
            ), 422
        commit()
        flash(
            f"Nieuw wachtwoord ingesteld voor {user.username}; een eventuele blokkade is opgeheven.", "succes"
        )
        return redirect(url_for("beheer.users"))
    return render_template("beheer/password.html", username=user.username, errors={}, labels=USER_LABELS)


def _existing(username: str) -> User:
    try:
        return get_user(db(), username)
    except UnknownUser:
        abort(404)


@bp.route("/auditspoor")
@requires(Role.BEHEERDER)
def audit() -> str:
    audit_filter, errors = _audit_filter(request.args)
    page = max(request.args.get("pagina", 1, type=int) or 1, 1)
    total = count_events(db(), audit_filter)
    events = find_events(db(), audit_filter, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    actions, object_types = distinct_values(db())
    return render_template(
        "beheer/audit.html",
        events=events,
        total=total,
        page=page,
        page_size=PAGE_SIZE,
        args=request.args,
        errors=errors,
        actions=actions,
        object_types=object_types,
        labels={"van": "Van", "tot": "Tot en met"},
    )


@bp.route("/auditspoor.csv")
@requires(Role.BEHEERDER)
def audit_csv() -> Response:
    audit_filter, _errors = _audit_filter(request.args)
    text = dutch_csv(EXPORT_HEADER, export_rows(db(), audit_filter))
    record(
        db(),
        actor=g.user.username,
        action="auditspoor.exporteren",
        object_type="audit_event",
        after={k: v for k, v in request.args.items() if v},
        address=client_address(),
    )
    commit()
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="auditspoor-{date.today().isoformat()}.csv"'},
    )


def _audit_filter(args: MultiDict) -> tuple[AuditFilter, dict[str, list[str]]]:
    """Read the filter from the query string; a date that cannot be read is reported, not guessed."""
    errors: dict[str, list[str]] = {}
    days: dict[str, date | None] = {}
    for name in ("van", "tot"):
        raw = args.get(name, "").strip()
        try:
            days[name] = date.fromisoformat(raw) if raw else None
        except ValueError:
            errors[name] = ["vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-11-24"]
            days[name] = None
    text = {name: args.get(name, "").strip() or None for name in ("gebruiker", "actie", "soort", "object")}
    return AuditFilter(
        actor=text["gebruiker"],
        action=text["actie"],
        object_type=text["soort"],
        object_id=text["object"],
        day_from=days["van"],
        day_to=days["tot"],
    ), errors
