"""Hostile input at the web's edge (issue 18 #12): a NUL character is refused with the field named.

It gave HTTP 500 on PostgreSQL (which refuses NUL in text) and was silently cut on SQLite. Every form
field, query parameter and upload name passes the same check before any view sees it.
"""

from __future__ import annotations

import io

from web_helpers import csrf, login, page


def test_a_nul_in_the_login_name_is_a_clear_400(client):
    response = client.post(
        "/inloggen", data={"username": "beheer\x00der", "password": "x", "csrf_token": csrf(client)}
    )
    assert response.status_code == 400
    assert "Het veld 'username' bevat een ongeldig teken (NUL)" in page(response).get_text()


def test_a_nul_in_an_audit_filter_is_a_clear_400(client):
    login(client, "beheerder")
    response = client.get("/auditspoor?gebruiker=kim%00")
    assert response.status_code == 400 and "gebruiker" in page(response).get_text()


def test_a_nul_in_an_upload_name_is_a_clear_400(client, reviews):
    login(client, "kwaliteitsmedewerker")
    response = client.post(
        f"/beoordelingen/{reviews.mine}/bewijs",
        data={"csrf_token": csrf(client, "/"), "bestand": (io.BytesIO(b"%PDF-1.4"), "brief\x00.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "bestandsnaam" in page(response).get_text()


def test_the_log_of_a_500_holds_no_values_of_the_failed_statement(app, caplog):
    """Issue 18 #15: the server log of a 500 held SQL parameters and PostgreSQL's DETAIL (the row)."""
    from sqlalchemy.exc import IntegrityError

    from kic.web.security import public

    class ServerError(Exception):
        def __str__(self) -> str:
            return 'null value in column "x"\nDETAIL: Failing row contains (123456782, geheime toelichting).'

    def broken() -> str:
        raise IntegrityError(
            "INSERT INTO review (explanation) VALUES (%(x)s)", {"x": "geheime toelichting"}, ServerError()
        )

    app.add_url_rule("/kapot", "kapot", public(broken))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level("ERROR"):
        response = app.test_client().get("/kapot?bsn=123456782")
    assert response.status_code == 500
    logged = caplog.text
    assert "IntegrityError" in logged and "INSERT INTO review" in logged and "GET /kapot" in logged
    assert "123456782" not in logged and "geheime" not in logged


def test_reading_a_sample_and_downloading_its_manifest_are_in_the_audit_trail(client, site):
    """Issue 18 #15: the list of a sample's payments and its manifest were read without a trace."""
    from sqlalchemy import select

    from kic.audit import AuditEvent
    from kic.db import session_scope

    login(client, "accountant")
    assert client.get(f"/steekproeven/{site.sample_id}").status_code == 200
    assert client.get(f"/steekproeven/{site.sample_id}/manifest.json").status_code == 200
    with session_scope(site.engine) as session:
        events = session.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.object_id).where(
                AuditEvent.object_type == "sample"
            )
        ).all()
    assert ("accountant", "steekproef.inzien", str(site.sample_id)) in events
    assert ("accountant", "steekproef.manifest_downloaden", str(site.sample_id)) in events
