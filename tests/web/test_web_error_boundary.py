"""The one web boundary for kic's errors: a refusal that a view does not answer itself becomes a Dutch
page with status 422 and every detail, and nothing of the request is committed."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from web_helpers import login

from kic.audit import record
from kic.audit.models import AuditEvent
from kic.errors import KicError
from kic.web.database import db


def test_a_refusal_is_a_dutch_page_and_rolls_back(app: Flask, client: FlaskClient) -> None:
    def refuse() -> str:
        record(
            db(), actor="beheerder", action="proef.half_gedaan", object_type="proef"
        )  # must not survive the refusal
        raise KicError("dit mag zo niet", details=["regel 3: bedrag ontbreekt", "regel 7: datum ongeldig"])

    app.add_url_rule("/proef/weigering", "proef_weigering", refuse)
    login(client, "beheerder")
    with app.app_context():
        before = db().scalar(select(func.count()).select_from(AuditEvent))
    page = client.get("/proef/weigering")
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "Niet uitgevoerd" in text and "dit mag zo niet" in text
    assert "regel 3: bedrag ontbreekt" in text and "regel 7: datum ongeldig" in text
    assert "Traceback" not in text
    with app.app_context():
        assert db().scalar(select(func.count()).select_from(AuditEvent)) == before
