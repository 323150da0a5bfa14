"""No lost work, on the server's side: kic.js saves drafts with JSON requests, a form posted after the
session ended leads back to its page after logging in, a file and a dossier reference land together.
The browser's side (sessionStorage, the session warning) is in test_web_no_lost_work_browser.py."""

from __future__ import annotations

import io
import time

from sqlalchemy import select
from web_helpers import csrf, login, page

from kic.db import session_scope
from kic.review.models import Review, ReviewEvidence

JSON = {"Accept": "application/json"}


def _version(site, review_id: int) -> int:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        return session.get(Review, review_id).version  # type: ignore[union-attr]


def test_a_draft_saved_by_the_page_answers_with_its_new_version(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.mine}"
    token, version = csrf(client, path), _version(site, reviews.mine)
    draft = {"csrf_token": token, "versie": str(version), "ALG-01__voldaan": "nee", "concept": "1"}
    response = client.post(f"{path}/opslaan", data=draft, headers=JSON)
    assert response.status_code == 200 and response.json["versie"] == _version(site, reviews.mine) > version
    assert page(client.get(path)).select_one("#ALG-01__voldaan--nee").has_attr("checked")
    stale = client.post(f"{path}/opslaan", data=draft, headers=JSON)  # the version the page had before
    assert stale.status_code == 409 and "gewijzigd" in stale.json["melding"]
    assert _version(site, reviews.mine) == response.json["versie"]


def test_the_session_warning_keeps_the_session_and_a_request_without_session_gets_401(client, site, reviews):
    assert client.get("/sessie", headers=JSON).status_code == 401
    login(client, "kwaliteitsmedewerker")
    assert client.get("/sessie", headers=JSON).json == {"seconden": 30 * 60}
    soup = page(client.get(f"/beoordelingen/{reviews.mine}"))
    assert soup.body["data-sessie-seconden"] == "1800" and soup.select_one("script[src='/static/kic.js']")
    assert soup.select_one("form[data-concept]")["data-concept"] == f"{reviews.mine}-kwaliteitsmedewerker"


def test_a_form_posted_after_the_session_ended_leads_back_to_its_page_after_logging_in(
    app, client, site, reviews
):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.mine}"
    token, version = csrf(client, path), _version(site, reviews.mine)
    with client.session_transaction() as session:  # half an hour in the DMS
        session["last_seen"] = time.time() - app.config["SESSION_TIMEOUT_MINUTES"] * 60 - 1
    answers = {"csrf_token": token, "versie": str(version), "ALG-01__voldaan": "nee", "concept": "1"}
    response = client.post(f"{path}/opslaan", data=answers, headers={"Referer": f"http://localhost{path}"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/inloggen?next=/beoordelingen/{reviews.mine}"
    alerts = page(client.get(response.headers["Location"])).select(".kic-alert")
    assert len(alerts) == 1 and "niet verwerkt" in alerts[0].get_text()
    assert _version(site, reviews.mine) == version  # nothing of the post was processed
    client.delete_cookie("session")  # the browser dropped the expired cookie: no CSRF token at all
    response = client.post(f"{path}/opslaan", data=answers, headers={"Referer": f"http://localhost{path}"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"next=/beoordelingen/{reviews.mine}"
    )
    response = client.post(f"{path}/opslaan", data=answers, headers=JSON)
    assert response.status_code == 400  # kic.js: no session, no token; the page tells the reviewer


def test_a_file_and_a_dossier_reference_sent_together_are_both_added(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.mine}"
    data = {
        "csrf_token": csrf(client, path),
        "verwijzing": "Corsa 2026/777",
        "bestand": (io.BytesIO(b"%PDF-1.4 loonstrook"), "loonstrook.pdf"),
    }
    response = client.post(f"{path}/bewijs", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    with session_scope(site.engine) as session:
        evidence = session.scalars(
            select(ReviewEvidence).where(ReviewEvidence.review_id == reviews.mine)
        ).all()
        assert sorted((e.file_name or "", e.reference or "") for e in evidence) == [
            ("", "Corsa 2026/777"),
            ("loonstrook.pdf", ""),
        ]
    text = page(client.get(path)).get_text()
    assert "loonstrook.pdf" in text and "Corsa 2026/777" in text
