"""Logging in and out, and the start page of each role."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from kic.formatting import tijdstip
from kic.users import LockoutPolicy, Role, authenticate
from kic.web import scheduler
from kic.web.database import commit, db
from kic.web.security import client_address, log_in, log_out, may_use, public, requires, safe_next

bp = Blueprint("auth", __name__)
EVERYONE = tuple(Role)


def _policy() -> LockoutPolicy:
    config = current_app.config
    return LockoutPolicy(config["LOCKOUT_ATTEMPTS"], timedelta(minutes=config["LOCKOUT_MINUTES"]))


@bp.route("/inloggen", methods=["GET", "POST"])
@public
def login():  # type: ignore[no-untyped-def]
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("auth/login.html", next=next_path, username="")
    username = request.form.get("username", "")
    result = authenticate(db(), username, request.form.get("password", ""), address=client_address(),
                          policy=_policy())
    commit()  # also a failed attempt: the counter must hold
    if result.ok:
        log_in(result.user)  # type: ignore[arg-type]
        return redirect(next_path or url_for("auth.start"))
    if result.locked_until:
        message = (f"Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. "
                   f"Probeer het na {tijdstip(result.locked_until)[-5:]} opnieuw of vraag de beheerder om hulp.")
    else:
        message = "De gebruikersnaam of het wachtwoord is onjuist."
    return render_template("auth/login.html", next=next_path, username=username, message=message), 401


@bp.route("/uitloggen", methods=["POST"])
@public
def logout():  # type: ignore[no-untyped-def]
    log_out()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/")
@requires(*EVERYONE)
def start():  # type: ignore[no-untyped-def]
    return render_template("start.html", failed_runs=scheduler.start_notice() if may_use("scheduler.index") else [])
