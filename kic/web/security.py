"""Who is asking, and may they: sessions with an idle timeout, CSRF tokens, and one role check.

Every view carries ``@requires(Role...)`` or ``@public``; tests/web walks every route with every
role. The session cookie is signed (not readable by scripts, SameSite=Lax) and holds only the
user's id, the moment their password was set (a new password ends old sessions), the time of
the last request and the CSRF token.
"""

from __future__ import annotations

import functools
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, flash, g, jsonify, redirect, request, session, url_for

from kic.gemeenten import Scope, gemeente_names
from kic.users import Role, User, user_scope
from kic.users.login import aware
from kic.users.sessions import end_session, session_user_id, start_session
from kic.web.database import commit, db

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_FIELD = "csrf_token"


def requires(*roles: Role, whole: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Admit only logged-in users with one of ``roles``: others get the login page or 403.

    ``whole``: a page about the whole installation (drawing the plan, the planner, the verbeteragenda),
    refused (403) to a user limited to gemeenten. Other pages show such a user only their gemeenten
    (``g.scope``) and answer 404 for anything of another gemeente (:func:`in_scope`).
    """
    allowed = frozenset(roles)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if g.user is None:
                if wants_json():  # the page's own requests (drafts, the session warning) need no login page
                    return jsonify(melding="Uw sessie is verlopen. Log opnieuw in."), 401
                if request.method in UNSAFE_METHODS:
                    return _posted_after_expiry()
                return redirect(url_for("auth.login", next=_return_path()))
            if g.user.role_enum not in allowed or (whole and not g.scope.whole):
                abort(403)
            return view(*args, **kwargs)

        guarded.kic_roles = allowed  # type: ignore[attr-defined]
        guarded.kic_whole = whole  # type: ignore[attr-defined]
        return guarded

    return decorate


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that needs no login (the login page, static files)."""
    view.kic_roles = None  # type: ignore[attr-defined]
    return view


def may_use(endpoint: str) -> bool:
    """Whether the current user may open ``endpoint`` (used to show only usable links)."""
    view = current_app.view_functions.get(endpoint)
    roles: frozenset[Role] | None = getattr(view, "kic_roles", frozenset())
    if roles is None:
        return True
    if g.user is None or g.user.role_enum not in roles:
        return False
    return g.scope.whole or not getattr(view, "kic_whole", False)


def in_scope(gemeente: str | None) -> None:
    """Refuse (404, as if it did not exist) what belongs to a gemeente the user does not work for: a limited
    user learns nothing of another gemeente, not even that a sample or report with that number exists."""
    if not g.scope.allows(gemeente):
        abort(404)


def wants_json() -> bool:
    """A request of kic.js (a draft being saved, the session kept alive) rather than of a page."""
    return request.accept_mimetypes.best == "application/json"


def _return_path() -> str | None:
    return request.full_path.rstrip("?") if request.method == "GET" else None


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never redirect a user elsewhere after logging in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def log_in(user: User) -> None:
    """Start a session (recorded on the server: see kic.users.sessions) and commit it."""
    session.clear()  # a fresh session on login: no fixation of an earlier cookie
    token = start_session(db(), user, client_address())
    commit()
    session.update(
        user_id=user.id,
        sid=token,
        password_set=_stamp(user),
        last_seen=time.time(),
        csrf=secrets.token_urlsafe(32),
    )
    session.permanent = True


def log_out() -> None:
    """End the session on the server too: a copy of the cookie opens nothing afterwards."""
    end_session(db(), session.get("sid"))
    commit()
    session.clear()


def _stamp(user: User) -> str:
    return aware(user.password_changed_at).isoformat()  # type: ignore[union-attr]


def _load_user() -> None:
    """Find the logged-in user; an idle, deactivated or re-passworded session ends here."""
    g.user, g.scope = None, Scope.of(())  # nothing in view until a user is known
    user_id = session.get("user_id")
    if user_id is None or request.endpoint == "static":
        return
    idle = time.time() - session.get("last_seen", 0)
    user = db().get(User, user_id)
    if idle > current_app.config["SESSION_TIMEOUT_MINUTES"] * 60:
        session.clear()
        if request.method not in UNSAFE_METHODS:  # a form posted now gets its own message
            flash("Uw sessie is verlopen omdat u een tijd niets hebt gedaan. Log opnieuw in.", "waarschuwing")
        return
    if (
        user is None
        or not user.active
        or session.get("password_set") != _stamp(user)
        or session_user_id(db(), session.get("sid")) != user.id
    ):
        session.clear()
        return
    session["last_seen"] = time.time()
    g.user, g.scope = user, user_scope(db(), user)


def _scope_label() -> dict[str, str]:
    """``scope_label`` on every page: the gemeenten a limited user works for, by name ('' for the whole)."""
    scope = getattr(g, "scope", None)
    if scope is None or scope.whole or not scope.codes:  # the whole installation, or nobody logged in
        return {"scope_label": ""}
    names = gemeente_names(db())
    shown = [names.get(code, code) for code in sorted(scope.codes)]
    if len(shown) == 1:
        return {"scope_label": f"gemeente {shown[0]}"}
    return {"scope_label": f"de gemeenten {', '.join(shown[:-1])} en {shown[-1]}"}


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _refuse_nul() -> Any:
    """A NUL character fits no text field (PostgreSQL refuses it, SQLite cuts the value at it): refuse the
    request with the field named, before any view or query sees it."""
    for source in (request.args, request.form):
        for name, values in source.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                shown = name.replace("\x00", "")[:40] or "?"
                abort(
                    400,
                    description=f"Het veld '{shown}' bevat een ongeldig teken (NUL). Verwijder het en probeer opnieuw.",
                )
    for upload in request.files.values():
        if "\x00" in (upload.filename or ""):
            abort(
                400,
                description="De bestandsnaam bevat een ongeldig teken (NUL). Geef het bestand een andere naam.",
            )
    return None


def _check_csrf() -> Any:
    if request.method not in UNSAFE_METHODS:
        return None
    expected, sent = session.get("csrf"), request.form.get(CSRF_FIELD, "")
    if expected and hmac.compare_digest(expected, sent):
        return None
    if "user_id" not in session and not wants_json() and _referring_page():
        return _posted_after_expiry()  # the session cookie expired with the session
    abort(400, description="Het formulier is verlopen of niet via kic verstuurd. Laad de pagina opnieuw.")


def _posted_after_expiry() -> Any:
    """A form posted after the session ended: log in and come back to the page the form was on, where
    kic.js puts back what the tab kept of the form. Nothing of the post is processed."""
    flash(
        "Uw sessie was verlopen; het formulier is niet verwerkt. Log opnieuw in: daarna komt u terug op de "
        "pagina en zet kic terug wat u had ingevuld.",
        "waarschuwing",
    )
    return redirect(url_for("auth.login", next=_referring_page()))


def _referring_page() -> str | None:
    """The path of the page on this site the form was sent from."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or referrer.path in ("", url_for("auth.login")):
        return None
    return safe_next(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


def _headers(response: Any) -> Any:
    # A form may also end up at the identity provider: logging out there is a redirect after a POST.
    form_action = " ".join(["'self'", *current_app.config.get("CSP_FORM_ACTION", [])])
    response.headers.setdefault(
        "Content-Security-Policy",
        f"default-src 'self'; frame-ancestors 'none'; form-action {form_action}; base-uri 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")  # pages may hold personal data
    return response


def client_address() -> str | None:
    return request.remote_addr


def init_security(app: Flask) -> None:
    app.permanent_session_lifetime = timedelta(minutes=app.config["SESSION_TIMEOUT_MINUTES"])
    app.before_request(_refuse_nul)
    app.before_request(_check_csrf)  # a form posted into an expired session still has a valid token
    app.before_request(_load_user)
    app.after_request(_headers)
    app.context_processor(_scope_label)
    app.jinja_env.globals.update(
        csrf_token=csrf_token,
        may_use=may_use,
        CSRF_FIELD=CSRF_FIELD,
        session_seconds=app.config["SESSION_TIMEOUT_MINUTES"] * 60,
    )
