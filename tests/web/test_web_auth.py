"""Logging in and out, lock-out, idle timeout, CSRF, cookie settings and the secret key."""

from __future__ import annotations

import stat
import time

from sqlalchemy import select
from web_helpers import PASSWORD, csrf, login, page

from kic.audit import AuditEvent
from kic.db import session_scope
from kic.users import deactivate, set_password
from kic.web.config import secret_key


def test_a_user_logs_in_sees_the_start_page_of_the_role_and_logs_out(client):
    response = login(client, "teamleider")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    start = page(client.get("/"))
    assert start.h1.get_text(strip=True) == "Welkom, Test Teamleider"
    assert [a.get_text(strip=True) for a in start.select("nav a")] == [
        "Start",
        "Beoordelingen",
        "Steekproeven",
        "Populaties",
        "Evaluatie",
        "Rapportages",
        "Verbeteragenda",
        "Planner",
    ]
    logout = client.post("/uitloggen", data={"csrf_token": csrf(client, "/")})
    assert logout.headers["Location"] == "/inloggen"
    assert client.get("/").headers["Location"].startswith("/inloggen")


def test_each_role_sees_only_its_own_areas_on_the_start_page(client):
    expected = {
        "kwaliteitsmedewerker": ["Mijn werkvoorraad", "Rapportages", "Verbeteragenda"],
        "accountant": [
            "Beoordelingen",
            "Steekproeven",
            "Populaties",
            "Evaluatie",
            "Rapportages",
            "Verbeteragenda",
        ],
        "beheerder": ["Populaties", "Planner", "Gebruikers", "Auditspoor"],
    }
    for username, tiles in expected.items():
        login(client, username)
        start = page(client.get("/"))
        assert [h.get_text(strip=True) for h in start.select(".kic-tile__title a")] == tiles, username
        client.post("/uitloggen", data={"csrf_token": csrf(client, "/")})


def test_a_wrong_password_gives_one_message_for_name_and_password(client):
    for username in ("teamleider", "bestaat-niet"):
        response = login(client, username, "verkeerd-wachtwoord")
        assert response.status_code == 401
        assert page(response).find(id="login-melding").get_text(strip=True) == (
            "De gebruikersnaam of het wachtwoord is onjuist."
        )


def test_five_failures_lock_the_name_from_that_address_and_say_so(client, site):
    for _ in range(4):
        assert "onjuist" in page(login(client, "accountant", "fout")).find(id="login-melding").text
    message = page(login(client, "accountant", "fout")).find(id="login-melding").get_text(strip=True)
    assert message.startswith("Inloggen met deze gebruikersnaam is vanaf dit adres tijdelijk geblokkeerd")
    assert login(client, "accountant").status_code == 401, "the right password is refused while locked"
    with session_scope(site.engine) as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == "accountant")).all()
    assert actions.count("gebruiker.inloggen_mislukt") == 4 and "gebruiker.geblokkeerd" in actions


def test_the_lockout_threshold_comes_from_the_configuration(site, tmp_path):
    from kic.web import create_app

    app = create_app(
        {"DATABASE_URL": site.url, "SECRET_KEY": "x", "LOCKOUT_ATTEMPTS": 2, "INSTANCE_PATH": str(tmp_path)}
    )
    client = app.test_client()
    login(client, "accountant", "fout")
    assert "geblokkeerd" in page(login(client, "accountant", "fout")).find(id="login-melding").text
    app.extensions["kic_engine"].dispose()


def test_an_idle_session_expires_and_asks_to_log_in_again(client, app):
    login(client, "accountant")
    assert client.get("/steekproeven").status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.get("/steekproeven")
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen?next=/steekproeven"
    assert "sessie is verlopen" in page(client.get(response.headers["Location"])).get_text()


def test_a_session_within_the_timeout_stays_and_is_extended(client):
    login(client, "accountant")
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 29 * 60
    assert client.get("/steekproeven").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["last_seen"] < 5


def test_after_login_the_user_returns_to_the_page_asked_for_but_never_to_another_site(client):
    token = csrf(client)
    response = client.post(
        "/inloggen",
        data={"username": "accountant", "password": PASSWORD, "csrf_token": token, "next": "/steekproeven"},
    )
    assert response.headers["Location"] == "/steekproeven"
    client.post("/uitloggen", data={"csrf_token": csrf(client, "/")})
    response = client.post(
        "/inloggen",
        data={
            "username": "accountant",
            "password": PASSWORD,
            "csrf_token": csrf(client),
            "next": "//evil.example/",
        },
    )
    assert response.headers["Location"] == "/"


def test_a_post_without_the_right_csrf_token_is_refused(client):
    refused = client.post("/inloggen", data={"username": "accountant", "password": PASSWORD})
    assert refused.status_code == 400 and "formulier is verlopen" in refused.get_data(as_text=True)
    csrf(client)
    forged = client.post(
        "/inloggen", data={"username": "accountant", "password": PASSWORD, "csrf_token": "nep"}
    )
    assert forged.status_code == 400
    login(client, "beheerder")
    response = client.post("/beheer/gebruikers/accountant/deactiveren", data={"csrf_token": "nep"})
    assert response.status_code == 400


def test_the_session_cookie_is_httponly_and_samesite_lax(client):
    response = login(client, "accountant")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and cookie.startswith("kic_sessie=")
    assert "Secure" not in cookie


def test_secure_cookies_can_be_switched_on(site, tmp_path, monkeypatch):
    from kic.web import create_app

    monkeypatch.setenv("KIC_WEB_SECURE_COOKIES", "1")
    app = create_app({"DATABASE_URL": site.url, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path)})
    response = login(app.test_client(), "accountant")
    assert "Secure" in response.headers["Set-Cookie"]
    app.extensions["kic_engine"].dispose()


def test_pages_forbid_caching_framing_and_foreign_scripts(client):
    response = client.get("/inloggen")
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_new_password_or_deactivation_ends_open_sessions(client, site):
    login(client, "accountant")
    with session_scope(site.engine) as session:
        set_password(session, "accountant", "een-heel-nieuw-wachtwoord", actor="beheer")
    assert client.get("/steekproeven").status_code == 302
    login(client, "teamleider")
    with session_scope(site.engine) as session:
        deactivate(session, "teamleider", actor="beheer")
    assert client.get("/steekproeven").status_code == 302


def test_the_secret_key_is_generated_once_readable_only_by_the_owner(tmp_path, monkeypatch):
    monkeypatch.delenv("KIC_SECRET_KEY", raising=False)
    first = secret_key(str(tmp_path))
    assert len(first) >= 40 and secret_key(str(tmp_path)) == first
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    monkeypatch.setenv("KIC_SECRET_KEY", "uit-de-omgeving")
    assert secret_key(str(tmp_path)) == "uit-de-omgeving"


def test_a_cookie_copied_before_logging_out_opens_nothing_afterwards(client, app):
    """Issue 18 #9: the session ends on the server, not only in the browser that logged out."""
    login(client, "accountant")
    assert client.get("/steekproeven").status_code == 200
    copied = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    assert copied is not None
    client.post("/uitloggen", data={"csrf_token": csrf(client, "/")})
    client.set_cookie(copied.key, copied.value)
    response = client.get("/steekproeven")
    assert response.status_code == 302 and response.headers["Location"].startswith("/inloggen")


def test_an_unknown_name_gets_the_same_answers_as_an_account(client):
    """Issue 18 #10: only existing accounts were ever 'tijdelijk geblokkeerd', which told which exist."""
    answers = {}
    for username in ("accountant", "bestaat-niet"):
        answers[username] = [
            page(login(client, username, "fout")).find(id="login-melding").get_text(strip=True)[:90]
            for _ in range(6)
        ]
    assert answers["accountant"] == answers["bestaat-niet"]
    assert "geblokkeerd" in answers["bestaat-niet"][-1]


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(client):
    """Issue 18 #10: five anonymous requests used to lock any account, the beheerder's included."""
    for _ in range(5):
        client.post(
            "/inloggen",
            data={"username": "beheerder", "password": "fout", "csrf_token": csrf(client)},
            environ_base={"REMOTE_ADDR": "203.0.113.66"},
        )
    assert login(client, "beheerder").status_code == 302
