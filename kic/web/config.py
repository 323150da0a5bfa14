"""Settings of the web app: defaults, then environment variables, then what create_app is given.

| setting | environment variable | default |
|---|---|---|
| DATABASE_URL | KIC_DATABASE_URL | sqlite:///kic.sqlite |
| SECRET_KEY | KIC_SECRET_KEY | a key generated once in the instance folder |
| TEMPLATE_OVERRIDES | KIC_WEB_TEMPLATES | none (the gemeente's own templates and static files) |
| GEMEENTE | KIC_GEMEENTE | empty |
| SESSION_TIMEOUT_MINUTES | KIC_WEB_SESSION_MINUTES | 30 (idle) |
| LOCKOUT_ATTEMPTS / LOCKOUT_MINUTES | KIC_WEB_LOCKOUT_ATTEMPTS / KIC_WEB_LOCKOUT_MINUTES | 5 / 15 |
| SESSION_COOKIE_SECURE | KIC_WEB_SECURE_COOKIES (1/0) | off (turn on behind HTTPS) |
| EVIDENCE_FOLDER | KIC_WEB_EVIDENCE | ``bewijs/`` in the instance folder (uploaded evidence, by SHA-256) |
| MAX_CONTENT_LENGTH | KIC_WEB_MAX_UPLOAD_MB (megabytes) | 20 (largest evidence upload) |
| OIDC | KIC_WEB_OIDC (a YAML file, see kic.web.oidc) | none: no login through an identity provider |
| OIDC_CLIENT_SECRET | KIC_OIDC_CLIENT_SECRET | none (never in a file) |
| SCHEDULE_FILE | KIC_SCHEDULE (as ``kic scheduler``) | controls/schedule.yaml (the planner page) |
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kic.db.engine import database_url

SECRET_FILE = "secret_key"

ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "TEMPLATE_OVERRIDES": ("KIC_WEB_TEMPLATES", str),
    "GEMEENTE": ("KIC_GEMEENTE", str),
    "SESSION_TIMEOUT_MINUTES": ("KIC_WEB_SESSION_MINUTES", int),
    "LOCKOUT_ATTEMPTS": ("KIC_WEB_LOCKOUT_ATTEMPTS", int),
    "LOCKOUT_MINUTES": ("KIC_WEB_LOCKOUT_MINUTES", int),
    "SESSION_COOKIE_SECURE": ("KIC_WEB_SECURE_COOKIES", lambda value: value.lower() in ("1", "true", "ja")),
    "EVIDENCE_FOLDER": ("KIC_WEB_EVIDENCE", str),
    "MAX_CONTENT_LENGTH": ("KIC_WEB_MAX_UPLOAD_MB", lambda value: int(value) * 1024 * 1024),
    "OIDC": ("KIC_WEB_OIDC", str),
    "OIDC_CLIENT_SECRET": ("KIC_OIDC_CLIENT_SECRET", str),
    "SCHEDULE_FILE": ("KIC_SCHEDULE", str),
}


def settings(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """The app's configuration; ``overrides`` (from create_app) win over the environment."""
    values: dict[str, Any] = {
        "DATABASE_URL": database_url(),
        "TEMPLATE_OVERRIDES": None,
        "GEMEENTE": "",
        "SESSION_TIMEOUT_MINUTES": 30,
        "LOCKOUT_ATTEMPTS": 5,
        "LOCKOUT_MINUTES": 15,
        "SESSION_COOKIE_NAME": "kic_sessie",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "EVIDENCE_FOLDER": None,
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "OIDC": None,
        "OIDC_CLIENT_SECRET": None,
        "SCHEDULE_FILE": None,
    }
    for key, (variable, parse) in ENVIRONMENT.items():
        if os.environ.get(variable):
            values[key] = parse(os.environ[variable])
    values.update(overrides or {})
    return values


def secret_key(instance_path: str) -> str:
    """``KIC_SECRET_KEY``, else a key generated once and kept in the instance folder (mode 600)."""
    if os.environ.get("KIC_SECRET_KEY"):
        return os.environ["KIC_SECRET_KEY"]
    path = Path(instance_path) / SECRET_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key
