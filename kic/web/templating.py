"""Templates and static files, with the gemeente's own folder searched first.

The folder named by ``TEMPLATE_OVERRIDES`` (``KIC_WEB_TEMPLATES``) may hold any template of
kic/web/templates under the same name, and a ``static/`` folder with, for example, ``logo.svg``
and ``huisstijl.css`` (loaded after kic's own style sheet, so it can change the colours).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from flask import Flask, Response, send_from_directory
from jinja2 import ChoiceLoader, FileSystemLoader, Undefined
from jinja2.utils import missing

from kic.plan.labels import PURPOSE_EFFECT
from kic.templating import FILTERS
from kic.users.models import ROLE_LABELS, Role
from kic.web.security import public

PACKAGE_STATIC = Path(__file__).parent / "static"


def init_templating(app: Flask) -> None:
    overrides = app.config.get("TEMPLATE_OVERRIDES")
    if overrides:
        app.jinja_loader = ChoiceLoader([FileSystemLoader(overrides), app.jinja_loader])  # type: ignore[list-item]
    folders = [Path(overrides) / "static"] if overrides else []
    folders.append(PACKAGE_STATIC)
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=_static_view(folders))
    app.jinja_env.undefined = FieldUndefined
    app.jinja_env.filters.update(
        FILTERS,
        rol=_role_label,
        json_text=_json_text,
        zip_self=lambda values: [(v, v) for v in values],
    )
    app.jinja_env.globals.update(
        gemeente=app.config.get("GEMEENTE", ""),
        huisstijl=any((f / "huisstijl.css").is_file() for f in folders),
        purpose_effect=PURPOSE_EFFECT,
    )


class FieldUndefined(Undefined):
    """Printing a field an object does not have is an error, not an empty cell: a template that reads a
    renamed field (the Betaling column of a verbeteractie once stayed empty that way) fails its tests.
    A missing page variable still tests false and prints nothing, as Flask templates expect."""

    __slots__ = ()

    def __str__(self) -> str:
        if self._undefined_obj is not missing:
            self._fail_with_undefined_error()
        return ""


def _static_view(folders: list[Path]) -> Callable[[str], Response]:
    @public
    def static(filename: str) -> Response:
        for folder in folders:
            if (folder / filename).is_file():
                return send_from_directory(folder, filename, max_age=3600)
        return send_from_directory(folders[-1], filename)  # raises the 404

    return static


def _json_text(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _role_label(value: str) -> str:
    return ROLE_LABELS.get(Role(value), value) if value in Role._value2member_map_ else value
