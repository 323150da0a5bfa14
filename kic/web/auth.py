"""Logging in and out (with a password, or through the gemeente's identity provider), and the start page."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from kic.formatting import tijdstip
from kic.users import LockoutPolicy, Role, authenticate
from kic.users.oidc import OidcRefused, oidc_account, record_refusal
from kic.web import oidc, scheduler
from kic.web.database import commit, db
from kic.web.security import client_address, log_in, log_out, may_use, public, requires, safe_next

bp = Blueprint("auth", __name__)
EVERYONE = tuple(Role)


def _policy() -> LockoutPolicy:
    config = current_app.config
    return LockoutPolicy(config["LOCKOUT_ATTEMPTS"], timedelta(minutes=config["LOCKOUT_MINUTES"]))


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/login.html", next=next_path, username="", provider=oidc.provider())
    username = request.form.get("username", "")
    result = authenticate(
        db(), username, request.form.get("password", ""), address=client_address(), policy=_policy()
    )
    commit()  # also a failed attempt: the counter must hold
    if result.ok:
        log_in(result.user)  # type: ignore[arg-type]
        return redirect(next_path or url_for("auth.start"))
    if result.locked_until:
        message = (
            "Inloggen met deze gebruikersnaam is vanaf dit adres tijdelijk geblokkeerd na te veel mislukte "
            f"pogingen. Probeer het na {tijdstip(result.locked_until)[-5:]} opnieuw of vraag de beheerder om hulp."
        )
    else:
        message = "De gebruikersnaam of het wachtwoord is onjuist."
    return render_template(
        "auth/login.html", next=next_path, username=username, message=message, provider=oidc.provider()
    ), 401


@bp.route("/inloggen/oidc")
@public
def oidc_login() -> ResponseReturnValue:
    provider = oidc.provider() or abort(404)
    try:
        return provider.login_redirect(safe_next(request.args.get("next")))
    except OidcRefused as refusal:
        flash(refusal.message, "fout")
        return redirect(url_for("auth.login"))


@bp.route("/inloggen/oidc/terug")
@public
def oidc_callback() -> ResponseReturnValue:
    provider = oidc.provider() or abort(404)
    try:
        user = oidc_account(db(), provider.identity(), provider.settings.policy(), address=client_address())
    except OidcRefused as refusal:
        record_refusal(db(), refusal, address=client_address())
        commit()
        flash(refusal.message, "fout")
        return redirect(url_for("auth.login"))
    commit()
    next_path = safe_next(session.get(oidc.NEXT_KEY))
    log_in(user)
    oidc.remember_login_via_provider()
    return redirect(next_path or url_for("auth.start"))


@bp.route("/uitloggen", methods=["POST"])
@public
def logout() -> ResponseReturnValue:
    provider = oidc.provider()
    elsewhere = provider.logout_url() if provider and oidc.logged_in_via_provider() else None
    log_out()
    flash("U bent uitgelogd.", "info")
    return redirect(elsewhere or url_for("auth.login"))


@bp.route("/sessie")
@requires(*EVERYONE)
def session_alive() -> ResponseReturnValue:
    """ "Ingelogd blijven": any request restarts the idle time; this one tells the page how long it has."""
    return jsonify(seconden=current_app.config["SESSION_TIMEOUT_MINUTES"] * 60)


@bp.route("/")
@requires(*EVERYONE)
def start() -> str:
    return render_template(
        "start.html", failed_runs=scheduler.start_notice() if may_use("scheduler.index") else []
    )
