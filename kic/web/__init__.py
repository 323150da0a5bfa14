"""The web application: Flask, server-rendered Jinja2, one blueprint per area.

``create_app`` builds it; ``kic serve`` runs it with waitress. Views only read input, call the
use-case functions the CLI also calls, and render the result.
"""

from __future__ import annotations

import os
import traceback
from typing import Any

from flask import Flask, render_template, request

from kic.errors import KicError, loggable
from kic.web import agenda, auth, beheer, evaluation, populations, reports, review, samples, scheduler
from kic.web.config import secret_key, settings
from kic.web.database import init_database
from kic.web.oidc import init_oidc
from kic.web.security import init_security
from kic.web.templating import init_templating

ERRORS = {
    400: "Het verzoek kon niet worden verwerkt.",
    403: "U hebt geen toegang tot deze pagina.",
    404: "Deze pagina bestaat niet.",
    405: "Deze actie kan zo niet worden uitgevoerd.",
    413: "Het verstuurde bestand of formulier is te groot.",
    500: "Er ging iets mis in kic. De beheerder kan de oorzaak in het serverlog vinden.",
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides settings from the environment (see kic.web.config)."""
    config = dict(config or {})
    app = Flask(
        __name__,
        static_folder=None,
        instance_path=config.pop("INSTANCE_PATH", None) or os.environ.get("KIC_WEB_INSTANCE"),
    )
    app.config.update(settings(config))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)
    init_oidc(app)  # before the database: settings that stop the start must not leave an engine open
    init_database(app)
    init_security(app)
    init_templating(app)
    for blueprint in (
        auth.bp,
        review.bp,
        samples.bp,
        populations.bp,
        agenda.bp,
        evaluation.bp,
        reports.bp,
        scheduler.bp,
        beheer.bp,
    ):
        app.register_blueprint(blueprint)
    for code in ERRORS:
        app.register_error_handler(code, _error_page)
    app.register_error_handler(KicError, _refused_page)
    app.log_exception = _log_exception.__get__(app)  # type: ignore[method-assign]
    return app


def _log_exception(app: Flask, exc_info: Any) -> None:
    """Flask's log line of a 500, without what the error's message may carry of a person's data: the
    request's path (not its query), the error as :func:`kic.errors.loggable` puts it, and the frames."""
    kind, error, trace = exc_info
    frames = "".join(traceback.format_tb(trace)) if trace is not None else ""
    shown = loggable(error) if error is not None else getattr(kind, "__name__", "?")
    app.logger.error("Fout bij %s %s: %s\n%s", request.method, request.path, shown, frames)


def _refused_page(error: KicError) -> tuple[str, int]:
    """The web boundary: a use case refused (a rule, a bad value); nothing of the request was committed
    (``kic.web.database`` rolls back what a view did not commit). A view that can show the message
    beside the form catches :class:`KicError` itself."""
    return render_template(
        "errors/error.html", code=error.http_status, message=error.message, details=error.details[:50]
    ), error.http_status


def _error_page(error: Any) -> tuple[str, int]:
    code = getattr(error, "code", 500) or 500
    description = getattr(error, "description", None) if code == 400 else None
    return render_template(
        "errors/error.html", code=code, message=description or ERRORS.get(code, ERRORS[500])
    ), code
