"""Logging in through the gemeente's identity provider (OpenID Connect), against a fake provider.

kic fetches the provider's discovery document, token and keys over real HTTP from
:mod:`fake_idp`; the browser's part (following the redirect to ``/authorize`` and back) is done
by the test with ``requests`` and Flask's test client.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from click.testing import CliRunner
from fake_idp import CLIENT_ID, CLIENT_SECRET, FakeProvider, Person, Tamper, oidc_settings
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from web_helpers import PASSWORD, csrf, login, page

from kic.audit import AuditEvent
from kic.cli.serve import serve
from kic.db import session_scope
from kic.gemeenten import add_gemeente
from kic.users import Role, User, find_user, user_gemeenten
from kic.users.passwords import hash_password
from kic.web import create_app
from kic.web.oidc import OidcSettings, OidcSettingsError, read_settings

DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"
REFUSED_TOKEN = (
    "Inloggen via Gemeente Testdam is mislukt: kic kon het antwoord van de identiteitsprovider "
    "niet controleren. Probeer het opnieuw; lukt het niet, neem dan contact op met de beheerder."
)


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)  # once: argon2 is slow on purpose


@pytest.fixture
def accounts(db: Engine, password_hash: str) -> Engine:
    """One account per role, named after the role, and a deactivated one, all with :data:`PASSWORD`."""
    now = datetime.now(UTC)
    people = [(role.value, f"Test {role.label}", role.value, True) for role in Role]
    people.append(("oud.collega", "Oud Collega", Role.KWALITEITSMEDEWERKER.value, False))
    with session_scope(db) as session:
        session.add_all(
            User(
                username=username,
                display_name=name,
                role=role,
                password_hash=password_hash,
                active=active,
                password_changed_at=now,
                created_at=now,
                changed_at=now,
            )
            for username, name, role, active in people
        )
    return db


@pytest.fixture
def make_client(accounts: Engine, idp: FakeProvider, tmp_path: Path) -> Iterator[Callable[..., FlaskClient]]:
    """A test client of kic with OIDC on against ``idp``; keyword arguments change the settings."""
    apps = []

    def make(**settings: object) -> FlaskClient:
        app = create_app(
            {
                "DATABASE_URL": accounts.url.render_as_string(hide_password=False),
                "SECRET_KEY": "test-geheim",
                "TESTING": True,
                "INSTANCE_PATH": str(tmp_path / "i"),
                "OIDC": oidc_settings(idp, **settings),
                "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            }
        )
        apps.append(app)
        return app.test_client()

    yield make
    for app in apps:
        app.extensions["kic_engine"].dispose()


@pytest.fixture
def client(make_client: Callable[..., FlaskClient]) -> FlaskClient:
    return make_client()


def sign_in(
    client: FlaskClient,
    idp: FakeProvider,
    person: Person | None,
    tamper: Tamper | None = None,
    next_path: str | None = None,
):  # type: ignore[no-untyped-def]
    """Press the button, log in at the provider as ``person`` (None: cancel there), come back to kic."""
    idp.person, idp.tamper = person, tamper or Tamper()
    start = client.get("/inloggen/oidc", query_string={"next": next_path} if next_path else None)
    assert start.status_code == 302 and start.headers["Location"].startswith(f"{idp.issuer}/authorize?")
    at_provider = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])  # the test client's cookies are for localhost
    return client.get(f"{back.path}?{back.query}")


def refusal_message(client: FlaskClient, response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302 and response.headers["Location"] == "/inloggen"
    return page(client.get("/inloggen")).select_one(".kic-alert--fout").get_text(strip=True)


def events(engine: Engine, action: str) -> list[AuditEvent]:
    with session_scope(engine) as session:
        return list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        )


def welcome(client: FlaskClient) -> str:
    return page(client.get("/")).h1.get_text(strip=True)


def test_the_login_page_offers_the_provider_as_a_plain_link(client):
    button = page(client.get("/inloggen?next=/steekproeven")).find(id="inloggen-oidc")
    assert button.name == "a" and button.get_text(strip=True) == "Inloggen via Gemeente Testdam"
    assert button["href"] == "/inloggen/oidc?next=/steekproeven"


def test_the_authorization_request_uses_pkce_state_and_nonce(client, idp):
    sign_in(client, idp, Person("teamleider"))
    request = idp.authorizations[0]
    assert request["code_challenge_method"] == "S256" and len(request["code_challenge"]) == 43
    assert request["state"] and request["nonce"] and request["scope"] == "openid profile email"
    assert request["redirect_uri"] == "http://localhost/inloggen/oidc/terug"


def test_an_existing_account_logs_in_with_its_own_role(client, idp, accounts):
    response = sign_in(client, idp, Person("Accountant", groups=("kic-teamleiders",)))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert welcome(client) == "Welkom, Test Accountant"
    assert client.get("/steekproeven").status_code == 200 and client.get("/werkvoorraad").status_code == 403
    [event] = events(accounts, "gebruiker.inloggen_oidc")
    assert (event.actor, event.object_id) == ("accountant", "accountant")
    assert event.after == {"via": "oidc", "issuer": idp.issuer, "sub": "sub-Accountant"}


def test_the_page_asked_for_before_logging_in_opens_afterwards(client, idp):
    response = sign_in(client, idp, Person("teamleider"), next_path="/steekproeven")
    assert response.headers["Location"] == "/steekproeven"


def test_a_new_person_gets_an_account_with_the_role_of_their_group(make_client, idp, accounts):
    client = make_client(automatisch_aanmaken=True)
    response = sign_in(
        client, idp, Person("p.pieters", "Piet Pieters", groups=("iets-anders", "kic-kwaliteit"))
    )
    assert response.headers["Location"] == "/"
    assert welcome(client) == "Welkom, Piet Pieters"
    assert client.get("/werkvoorraad").status_code == 200
    with session_scope(accounts) as session:
        user = find_user(session, "p.pieters")
        assert (user.role, user.display_name, user.active) == ("kwaliteitsmedewerker", "Piet Pieters", True)
    [created] = events(accounts, "gebruiker.toevoegen")[-1:]
    assert created.object_id == "p.pieters" and created.after["groep"] == "kic-kwaliteit"
    assert created.after["via"] == "oidc" and created.after["rol"] == "kwaliteitsmedewerker"
    assert [e.object_id for e in events(accounts, "gebruiker.inloggen_oidc")] == ["p.pieters"]


def test_a_new_account_has_no_password_that_works(make_client, idp):
    client = make_client(automatisch_aanmaken=True)
    sign_in(client, idp, Person("p.pieters", groups=("kic-kwaliteit",)))
    client.post("/uitloggen", data={"csrf_token": csrf(client, "/")})
    for password in ("!geen-wachtwoord", "", PASSWORD):
        assert login(client, "p.pieters", password).status_code == 401


def test_the_first_mapping_entry_wins_when_groups_give_more_than_one_role(make_client, idp):
    client = make_client(automatisch_aanmaken=True)
    sign_in(client, idp, Person("t.tim", "Tim Tim", groups=("kic-kwaliteit", "kic-teamleiders")))
    assert page(client.get("/")).select_one(".kic-badge").get_text(strip=True) == "Teamleider"


def test_without_a_mapped_group_a_new_person_is_refused(make_client, idp, accounts):
    client = make_client(automatisch_aanmaken=True)
    response = sign_in(client, idp, Person("k.klaas", groups=("medewerkers",)))
    assert refusal_message(client, response) == (
        "U hebt geen rol in kic: u bent bij Gemeente Testdam geen lid van een groep die toegang geeft tot kic. "
        "Vraag de beheerder om toegang."
    )
    assert client.get("/").headers["Location"].startswith("/inloggen")
    with session_scope(accounts) as session:
        assert find_user(session, "k.klaas") is None
    [event] = events(accounts, "gebruiker.inloggen_oidc_geweigerd")
    assert (event.actor, event.object_id) == ("anoniem", "k.klaas")
    assert event.after == {"via": "oidc", "reden": "geen_rol", "groepen": ["medewerkers"]}


def test_an_unknown_person_is_refused_when_accounts_are_not_made_automatically(client, idp, accounts):
    response = sign_in(client, idp, Person("k.klaas", groups=("kic-kwaliteit",)))
    assert refusal_message(client, response) == (
        "Er is geen kic-account voor k.klaas. Vraag de beheerder om een account voor u aan te maken."
    )
    assert [e.after["reden"] for e in events(accounts, "gebruiker.inloggen_oidc_geweigerd")] == [
        "geen_account"
    ]


def test_a_deactivated_account_is_refused(make_client, idp, accounts):
    client = make_client(automatisch_aanmaken=True)
    response = sign_in(client, idp, Person("oud.collega", groups=("kic-kwaliteit",)))
    assert refusal_message(client, response) == (
        "Uw kic-account (oud.collega) is gedeactiveerd. Vraag de beheerder om het weer aan te zetten."
    )
    assert client.get("/").status_code == 302
    [event] = events(accounts, "gebruiker.inloggen_oidc_geweigerd")
    assert (event.object_id, event.after["reden"]) == ("oud.collega", "gedeactiveerd")


@pytest.mark.parametrize(
    ("tamper", "reason", "detail"),
    [
        (Tamper(other_key=True), "handtekening_onjuist", None),
        (Tamper(aud="een-andere-app"), "claim_onjuist", {"claim": "aud"}),
        (Tamper(aud="een-andere-app", azp=CLIENT_ID), "claim_onjuist", {"claim": "aud"}),
        (Tamper(iss="https://nep.example"), "claim_onjuist", {"claim": "iss"}),
        (Tamper(expired=True), "id_token_verlopen", {"claim": "exp"}),
        (Tamper(nonce="een-andere-nonce"), "claim_onjuist", {"claim": "nonce"}),
        (Tamper(no_id_token=True), "geen_id_token", None),
    ],
    ids=["handtekening", "aud", "aud-met-azp", "iss", "verlopen", "nonce", "geen-id-token"],
)
def test_an_id_token_that_does_not_check_out_is_refused(client, idp, accounts, tamper, reason, detail):
    response = sign_in(client, idp, Person("teamleider"), tamper)
    assert refusal_message(client, response) == REFUSED_TOKEN
    assert client.get("/").headers["Location"].startswith("/inloggen")
    [event] = events(accounts, "gebruiker.inloggen_oidc_geweigerd")
    assert event.after == {"via": "oidc", "reden": reason, **(detail or {})}
    assert events(accounts, "gebruiker.inloggen_oidc") == []


def test_a_callback_with_another_state_is_refused(client, idp, accounts):
    idp.person = Person("teamleider")
    start = client.get("/inloggen/oidc")
    back = requests.get(start.headers["Location"], allow_redirects=False, timeout=10).headers["Location"]
    query = parse_qs(urlsplit(back).query)
    response = client.get(
        "/inloggen/oidc/terug", query_string={"code": query["code"][0], "state": "vervalst"}
    )
    assert refusal_message(client, response) == (
        "Het inloggen via Gemeente Testdam is verlopen of niet vanuit kic begonnen. Probeer het opnieuw."
    )
    assert [e.after["reden"] for e in events(accounts, "gebruiker.inloggen_oidc_geweigerd")] == [
        "state_onjuist"
    ]


def test_a_callback_started_in_another_browser_is_refused(make_client, client, idp):
    idp.person = Person("teamleider")
    start = client.get("/inloggen/oidc")
    back = requests.get(start.headers["Location"], allow_redirects=False, timeout=10).headers["Location"]
    victim = make_client()
    assert "verlopen of niet vanuit kic begonnen" in refusal_message(victim, victim.get(back))
    assert victim.get("/").status_code == 302


def test_a_state_is_used_once(client, idp):
    idp.person = Person("teamleider")
    start = client.get("/inloggen/oidc")
    back = requests.get(start.headers["Location"], allow_redirects=False, timeout=10).headers["Location"]
    assert client.get(back).headers["Location"] == "/"
    client.post("/uitloggen", data={"csrf_token": csrf(client, "/")})
    assert "verlopen" in refusal_message(client, client.get(back))


def test_cancelling_at_the_provider_is_refused_with_its_error(client, idp, accounts):
    response = sign_in(client, idp, None)
    assert refusal_message(client, response) == (
        "Gemeente Testdam heeft het inloggen afgebroken of niet toegestaan. Probeer het opnieuw of log in met "
        "uw kic-wachtwoord."
    )
    [event] = events(accounts, "gebruiker.inloggen_oidc_geweigerd")
    assert event.after == {"via": "oidc", "reden": "provider_weigert", "fout": "access_denied"}


def test_a_discovery_document_of_another_issuer_is_not_used(client, idp):
    idp.tamper = Tamper(discovery_issuer="https://nep.example")
    response = client.get("/inloggen/oidc")
    assert response.headers["Location"] == "/inloggen"
    assert (
        "kan de identiteitsprovider niet bereiken"
        in page(client.get("/inloggen")).select_one(".kic-alert--fout").get_text()
    )


def test_an_unreachable_provider_gives_a_message_and_the_password_login_still_works(accounts, tmp_path):
    settings = {"organisatie": "Gemeente Testdam", "issuer": "http://127.0.0.1:9", "client_id": "kic"}
    app = create_app(
        {
            "DATABASE_URL": accounts.url.render_as_string(hide_password=False),
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path),
            "OIDC": settings,
            "OIDC_CLIENT_SECRET": "s",
        }
    )
    client = app.test_client()
    response = client.get("/inloggen/oidc")
    assert response.headers["Location"] == "/inloggen"
    assert "Inloggen via Gemeente Testdam lukt nu niet" in page(client.get("/inloggen")).get_text()
    assert login(client, "teamleider").headers["Location"] == "/"
    app.extensions["kic_engine"].dispose()


def test_the_gemeentes_domain_is_taken_off_the_username(make_client, idp):
    client = make_client(gebruikersnaam_domein="testdam.nl")
    sign_in(client, idp, Person("TeamLeider@testdam.nl"))
    assert welcome(client) == "Welkom, Test Teamleider"
    client.post("/uitloggen", data={"csrf_token": csrf(client, "/")})
    response = sign_in(client, idp, Person("teamleider@elders.nl"))
    assert "hoort niet bij testdam.nl" in refusal_message(client, response)


def test_a_username_kic_cannot_use_is_refused(client, idp, accounts):
    response = sign_in(client, idp, Person("j.jansen@testdam.nl"))
    assert "De gebruikersnaam j.jansen@testdam.nl die Gemeente Testdam doorgaf, kan kic niet gebruiken" in (
        refusal_message(client, response)
    )
    assert (
        events(accounts, "gebruiker.inloggen_oidc_geweigerd")[0].after["reden"] == "ongeldige_gebruikersnaam"
    )


def test_the_username_and_role_claims_are_configurable(make_client, idp):
    client = make_client(
        gebruikersnaam_claim="upn", rollen_claim="realm_access.roles", automatisch_aanmaken=True
    )
    sign_in(
        client,
        idp,
        Person(
            "wordt-niet-gebruikt",
            "Bea Beheer",
            extra={"upn": "b.beheer", "realm_access": {"roles": ["kic-beheer"]}},
        ),
    )
    assert welcome(client) == "Welkom, Bea Beheer"
    assert client.get("/beheer/gebruikers").status_code == 200


def test_no_token_or_code_reaches_the_audit_trail_or_the_session_cookie(make_client, idp, accounts):
    client = make_client(automatisch_aanmaken=True)
    sign_in(client, idp, Person("p.pieters", groups=("kic-kwaliteit",)))
    sign_in(client, idp, Person("teamleider"), Tamper(other_key=True))
    with session_scope(accounts) as session:
        trail = json.dumps([[e.before, e.after, e.note] for e in session.scalars(select(AuditEvent))])
    app = client.application
    cookie = json.dumps(
        app.session_interface.get_signing_serializer(app).loads(client.get_cookie("kic_sessie").value)
    )
    assert (
        len(idp.secrets) == 6 and "p.pieters" in trail and "user_id" in cookie
    )  # two codes, access and ID tokens
    for secret in idp.secrets:
        assert secret not in trail and secret not in cookie


def test_an_oidc_session_expires_when_idle_like_any_other(client, idp):
    sign_in(client, idp, Person("accountant"))
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    assert client.get("/steekproeven").headers["Location"] == "/inloggen?next=/steekproeven"


def test_logging_out_also_ends_the_session_at_the_provider(client, idp):
    sign_in(client, idp, Person("accountant"))
    response = client.post("/uitloggen", data={"csrf_token": csrf(client, "/")})
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{idp.issuer}/logout"
    assert parse_qs(target.query) == {
        "client_id": ["kic-test"],
        "post_logout_redirect_uri": ["http://localhost/inloggen"],
    }
    assert client.get("/").headers["Location"].startswith("/inloggen")
    assert "U bent uitgelogd." in page(client.get("/inloggen")).get_text()


def test_a_password_login_logs_out_locally_even_with_oidc_on(client):
    login(client, "accountant")
    assert (
        client.post("/uitloggen", data={"csrf_token": csrf(client, "/")}).headers["Location"] == "/inloggen"
    )


def test_logging_out_at_the_provider_can_be_turned_off(make_client, idp):
    client = make_client(uitloggen_bij_provider=False, kic_adres="https://kic.testdam.nl")
    sign_in(client, idp, Person("accountant"))
    assert idp.authorizations[0]["redirect_uri"] == "https://kic.testdam.nl/inloggen/oidc/terug"
    assert (
        client.post("/uitloggen", data={"csrf_token": csrf(client, "/")}).headers["Location"] == "/inloggen"
    )


def test_forms_may_be_sent_on_to_the_provider_only(client, idp):
    policy = client.get("/inloggen").headers["Content-Security-Policy"]
    assert f"form-action 'self' {idp.issuer};" in policy


def test_with_oidc_off_there_is_no_button_and_its_routes_do_not_exist(accounts, tmp_path):
    app = create_app(
        {
            "DATABASE_URL": accounts.url.render_as_string(hide_password=False),
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    client = app.test_client()
    login_page = client.get("/inloggen")
    assert page(login_page).find(id="inloggen-oidc") is None and "Inloggen via" not in login_page.get_data(
        True
    )
    assert "form-action 'self';" in login_page.headers["Content-Security-Policy"]
    assert client.get("/inloggen/oidc").status_code == 404
    assert client.get("/inloggen/oidc/terug?code=x&state=y").status_code == 404
    app.extensions["kic_engine"].dispose()


def test_the_settings_are_read_from_a_yaml_file(tmp_path):
    path = tmp_path / "oidc.yaml"
    path.write_text(
        "organisatie: Gemeente Testdam\nissuer: https://login.testdam.nl/realms/gemeente\n"
        "client_id: kic\nrollen:\n  kic-beheer: beheerder\nautomatisch_aanmaken: true\n",
        encoding="utf-8",
    )
    settings = read_settings(str(path))
    assert (
        settings.metadata_url == "https://login.testdam.nl/realms/gemeente/.well-known/openid-configuration"
    )
    assert settings.roles == {"kic-beheer": Role.BEHEERDER} and settings.auto_create
    assert (settings.username_claim, settings.roles_claim, settings.scopes) == (
        "preferred_username",
        "groups",
        ["openid", "profile", "email"],
    )


def test_every_problem_in_the_settings_is_reported_at_once(tmp_path):
    path = tmp_path / "oidc.yaml"
    path.write_text(
        "organisatie: ''\nissuer: http://login.testdam.nl\nclient_secret: geheim\nscopes: [profile]\n"
        "rollen:\n  kic-baas: directeur\n",
        encoding="utf-8",
    )
    with pytest.raises(OidcSettingsError) as caught:
        read_settings(path)
    assert sorted(str(p) for p in caught.value.problems) == [
        "oidc.yaml, veld client_id: verplicht veld ontbreekt",
        (
            "oidc.yaml, veld client_secret: het geheim hoort niet in een bestand: zet het in de omgevingsvariabele "
            "KIC_OIDC_CLIENT_SECRET"
        ),
        "oidc.yaml, veld issuer: 'http://login.testdam.nl' moet met https:// beginnen (http alleen op deze computer)",
        "oidc.yaml, veld organisatie: mag niet leeg zijn",
        (
            "oidc.yaml, veld rollen.kic-baas: ongeldige waarde 'directeur'; kies uit 'kwaliteitsmedewerker', "
            "'teamleider', 'accountant' of 'beheerder'"
        ),
        "oidc.yaml, veld scopes: de scope 'openid' is verplicht (zonder geeft de provider geen ID-token)",
    ]


def test_automatic_accounts_need_a_role_mapping():
    with pytest.raises(OidcSettingsError) as caught:
        read_settings(
            {"organisatie": "T", "issuer": "https://t.nl", "client_id": "k", "automatisch_aanmaken": True}
        )
    assert [p.message for p in caught.value.problems] == [
        "automatisch_aanmaken vraagt om rollen: zonder krijgt een nieuw account geen rol"
    ]


def test_the_app_does_not_start_without_the_client_secret(accounts, tmp_path, monkeypatch, idp):
    monkeypatch.delenv("KIC_OIDC_CLIENT_SECRET", raising=False)
    path = tmp_path / "oidc.yaml"
    path.write_text(f"organisatie: T\nissuer: {idp.issuer}\nclient_id: kic\n", encoding="utf-8")
    monkeypatch.setenv("KIC_WEB_OIDC", str(path))
    with pytest.raises(OidcSettingsError) as caught:
        create_app(
            {
                "DATABASE_URL": accounts.url.render_as_string(hide_password=False),
                "SECRET_KEY": "x",
                "INSTANCE_PATH": str(tmp_path),
            }
        )
    assert [p.message for p in caught.value.problems] == [
        "zet het client-secret in de omgevingsvariabele KIC_OIDC_CLIENT_SECRET"
    ]
    monkeypatch.setenv("KIC_OIDC_CLIENT_SECRET", CLIENT_SECRET)
    app = create_app(
        {
            "DATABASE_URL": accounts.url.render_as_string(hide_password=False),
            "SECRET_KEY": "x",
            "INSTANCE_PATH": str(tmp_path),
        }
    )
    assert (
        page(app.test_client().get("/inloggen")).find(id="inloggen-oidc").get_text(strip=True)
        == "Inloggen via T"
    )
    app.extensions["kic_engine"].dispose()


def test_docs_describe_exactly_the_settings_there_are():
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("| sleutel | betekenis | standaard |", 1)[1].split("\n\n", 1)[0]
    documented = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)
    assert documented == [field.alias or name for name, field in OidcSettings.model_fields.items()]
    assert "/inloggen/oidc/terug" in text and "KIC_OIDC_CLIENT_SECRET" in text and "KIC_WEB_OIDC" in text


def test_kic_serve_lists_the_problems_of_the_settings_and_stops(tmp_path):
    path = tmp_path / "oidc.yaml"
    path.write_text(
        "organisatie: Gemeente Testdam\nissuer: https://login.testdam.nl\nclient_secret: geheim\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        serve,
        ["--database", f"sqlite:///{tmp_path / 'kic.sqlite'}"],
        env={"KIC_WEB_OIDC": str(path), "KIC_WEB_INSTANCE": str(tmp_path)},
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Fout: 2 fout(en) in de OIDC-instellingen",
        "  oidc.yaml, veld client_id: verplicht veld ontbreekt",
        (
            "  oidc.yaml, veld client_secret: het geheim hoort niet in een bestand: zet het in de omgevingsvariabele "
            "KIC_OIDC_CLIENT_SECRET"
        ),
    ]


@pytest.fixture
def region(accounts: Engine) -> Engine:
    """The accounts of a samenwerkingsverband of three gemeenten."""
    with session_scope(accounts) as session:
        for code, name in (("GM9901", "Synthedam"), ("GM9902", "Proefwolde"), ("GM9903", "Toetsveen")):
            add_gemeente(session, code, name, actor="beheer")
    return accounts


GEMEENTE_GROUPS = {"kic-dienst": ["alle"], "kic-synthedam": ["GM9901"], "kic-proefwolde": ["GM9902"]}


def test_the_providers_groups_decide_the_gemeenten_at_every_login(make_client, idp, region):
    client = make_client(automatisch_aanmaken=True, gemeenten=GEMEENTE_GROUPS)
    sign_in(client, idp, Person("a.aart", "Aart", groups=("kic-accountant", "kic-synthedam")))
    assert (
        page(client.get("/")).select_one(".kic-badge--gemeente").get_text(strip=True) == "gemeente Synthedam"
    )
    with session_scope(region) as session:
        assert user_gemeenten(session, find_user(session, "a.aart")) == ["GM9901"]
    client.post("/uitloggen", data={"csrf_token": csrf(client, "/")})
    sign_in(
        client, idp, Person("a.aart", "Aart", groups=("kic-accountant", "kic-synthedam", "kic-proefwolde"))
    )
    with session_scope(region) as session:
        assert user_gemeenten(session, find_user(session, "a.aart")) == ["GM9901", "GM9902"]
    badge = page(client.get("/")).select_one(".kic-badge--gemeente").get_text(strip=True)
    assert badge == "de gemeenten Synthedam en Proefwolde"
    changed = events(region, "gebruiker.gemeenten")[-1]
    assert (changed.before["gemeenten"], changed.after["gemeenten"]) == ("GM9901", "GM9901, GM9902")
    client.post("/uitloggen", data={"csrf_token": csrf(client, "/")})
    sign_in(client, idp, Person("a.aart", "Aart", groups=("kic-accountant", "kic-dienst", "kic-synthedam")))
    assert page(client.get("/")).select_one(".kic-badge--gemeente") is None, "a group for all: the whole"


def test_without_a_gemeente_group_the_login_is_refused_and_nothing_is_made(make_client, idp, region):
    client = make_client(automatisch_aanmaken=True, gemeenten=GEMEENTE_GROUPS)
    response = sign_in(client, idp, Person("n.niemand", groups=("kic-accountant",)))
    assert refusal_message(client, response).startswith(
        "U werkt volgens Gemeente Testdam voor geen van de gemeenten in kic"
    )
    with session_scope(region) as session:
        assert find_user(session, "n.niemand") is None
    assert events(region, "gebruiker.inloggen_oidc_geweigerd")[-1].after["reden"] == "geen_gemeente"


def test_a_mapping_with_an_unknown_gemeente_is_refused_for_the_beheerder_to_fix(make_client, idp, region):
    client = make_client(gemeenten={"kic-synthedam": ["GM0363"]})
    response = sign_in(client, idp, Person("accountant", groups=("kic-synthedam",)))
    assert "controleren" in refusal_message(client, response)
    assert events(region, "gebruiker.inloggen_oidc_geweigerd")[-1].after["reden"] == "onbekende_gemeente"


def test_a_beheerder_is_never_limited_by_the_groups(make_client, idp, region):
    client = make_client(gemeenten=GEMEENTE_GROUPS)
    sign_in(client, idp, Person("beheerder", groups=("kic-synthedam",)))
    assert client.get("/beheer/gebruikers").status_code == 200
    with session_scope(region) as session:
        assert user_gemeenten(session, find_user(session, "beheerder")) == []
