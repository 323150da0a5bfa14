"""Every route with every role: allowed, forbidden (403) or sent to the login page.

The table below is written by hand, apart from the code: a new route that is not in it fails
``test_every_route_is_in_the_role_table``, so nobody can add a page without deciding who may use it.
"""

from __future__ import annotations

import pytest
from fake_idp import CLIENT_SECRET, oidc_settings
from web_helpers import csrf, evidence_store, login

from kic.db import session_scope
from kic.reports.publish import publish
from kic.review.evidence import add_document
from kic.users import Role
from kic.web import create_app

K, T, A, B = Role.KWALITEITSMEDEWERKER, Role.TEAMLEIDER, Role.ACCOUNTANT, Role.BEHEERDER
EVERYONE = {K, T, A, B}
PUBLIC = None

# endpoint: (method, path, roles allowed). Logging out needs no role (it only ends a session, if any),
# and comes last because it ends the walk's session.
ROUTES = {
    "auth.login": ("GET", "/inloggen", PUBLIC),
    "auth.oidc_login": ("GET", "/inloggen/oidc", PUBLIC),
    "auth.oidc_callback": ("GET", "/inloggen/oidc/terug", PUBLIC),
    "auth.start": ("GET", "/", EVERYONE),
    "auth.session_alive": ("GET", "/sessie", EVERYONE),
    "samples.index": ("GET", "/steekproeven", {T, A}),
    "samples.detail": ("GET", "/steekproeven/{sample}", {T, A}),
    "samples.show_bsn": ("POST", "/steekproeven/{sample}/bsn", {T, A}),
    "samples.manifest": ("GET", "/steekproeven/{sample}/manifest.json", {T, A}),
    "populations.index": ("GET", "/populaties", {T, A, B}),
    "agenda.index": ("GET", "/verbeteragenda", {K, T, A}),
    # The action is the kwaliteitsmedewerker's own: an owner reads and changes it (another's gives 403, see
    # test_web_agenda); the accountant only reads.
    "agenda.detail": ("GET", "/verbeteragenda/{action}", {K, T, A}),
    "agenda.change_status": ("POST", "/verbeteragenda/{action}/status", {K, T}),
    "agenda.new": ("GET", "/verbeteragenda/nieuw", {T}),
    "evaluation.index": ("GET", "/evaluatie?periode=2026", {T, A}),
    "evaluation.download": ("GET", "/evaluatie.json?periode=2026", {T, A}),
    # Rapportages: each kind for who may read it (test_web_rapportages); the agenda's for K too.
    "reports.index": ("GET", "/rapportages", {K, T, A}),
    "reports.download": ("GET", "/rapportages/bestand/{report}", {K, T, A}),
    "scheduler.index": ("GET", "/planner", {T, B}),
    "beheer.users": ("GET", "/beheer/gebruikers", {B}),
    "beheer.new_user": ("GET", "/beheer/gebruikers/nieuw", {B}),
    "beheer.password": ("GET", "/beheer/gebruikers/accountant/wachtwoord", {B}),
    "beheer.gemeenten": ("GET", "/beheer/gebruikers/accountant/gemeenten", {B}),
    "beheer.deactivate_user": ("POST", "/beheer/gebruikers/kwaliteitsmedewerker/deactiveren", {B}),
    "beheer.activate_user": ("POST", "/beheer/gebruikers/kwaliteitsmedewerker/activeren", {B}),
    "beheer.audit": ("GET", "/beheer/auditspoor", {B}),
    "beheer.audit_csv": ("GET", "/beheer/auditspoor.csv", {B}),
    "review.queue": ("GET", "/werkvoorraad", {K}),
    "review.item": ("GET", "/beoordelingen/{mine}", {K, T, A}),
    "review.save": ("POST", "/beoordelingen/{mine}/opslaan", {K}),
    "review.upload": ("POST", "/beoordelingen/{mine}/bewijs", {K}),
    "review.document": ("GET", "/bewijs/{evidence}", {K, T, A}),
    "review.second": ("GET", "/beoordelingen/{theirs}/vier-ogen", {K}),
    "review.second_decide": ("POST", "/beoordelingen/{theirs}/vier-ogen", {K}),
    "review.overview": ("GET", "/beoordelingen", {T, A}),
    "review.sample": ("GET", "/beoordelingen/steekproef/{sample}", {T, A}),
    "review.reassign_review": ("POST", "/beoordelingen/{mine}/herverdelen", {T}),
    "review.reassign_selected": ("POST", "/beoordelingen/steekproef/{sample}/herverdelen", {T}),
    "review.draw": ("GET", "/beoordelingen/trekken", {T}),
    "review.export_csv": ("GET", "/beoordelingen/export.csv", {T, A}),
    "review.export_xlsx": ("GET", "/beoordelingen/export.xlsx", {T, A}),
    "auth.logout": ("POST", "/uitloggen", PUBLIC),
}


@pytest.fixture
def app(site, idp, tmp_path):  # type: ignore[no-untyped-def]
    """The app with login through the (fake) identity provider on, so that its routes answer too."""
    app = create_app(
        {
            "DATABASE_URL": site.url,
            "SECRET_KEY": "test-geheim",
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "OIDC": oidc_settings(idp),
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        }
    )
    yield app
    app.extensions["kic_engine"].dispose()


def test_every_route_is_in_the_role_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert endpoints == set(ROUTES)


def test_every_view_declares_its_roles_through_the_decorator(app):
    for endpoint, view in app.view_functions.items():
        assert hasattr(view, "kic_roles"), f"{endpoint} mist @requires of @public"
        expected = ROUTES.get(endpoint, (None, None, PUBLIC))[2]
        assert view.kic_roles == (None if expected is None else frozenset(expected)), endpoint


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anoniem")
def test_every_route_admits_exactly_its_roles(client, site, reviews, evidence, action, report, role):
    if role is not None:
        assert login(client, role.value).status_code == 302
    ids = {"sample": site.sample_id, "mine": reviews.mine, "theirs": reviews.theirs}
    ids |= {"evidence": evidence, "action": action, "report": report}
    assert walk(client, ids, lambda endpoint, template, allowed: _expected(role, allowed)) == []


def walk(client, ids: dict[str, int], expected) -> list[str]:  # type: ignore[no-untyped-def]
    """Every route of ROUTES with its placeholders filled from ``ids``; what ``expected(endpoint, path template,
    roles allowed)`` did not predict, one line each."""
    wrong = []
    for endpoint, (method, template, allowed) in ROUTES.items():
        path = template.format(**ids)
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": csrf(client, "/inloggen")})
        outcome = _outcome(response, public=allowed is PUBLIC)
        if outcome != (wanted := expected(endpoint, template, allowed)):
            wrong.append(f"{method} {path}: {outcome} (verwacht {wanted})")
    return wrong


@pytest.fixture
def evidence(app, site, reviews) -> int:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        return add_document(
            session,
            reviews.mine,
            "besluit.pdf",
            b"%PDF-1.4 besluit",
            store=evidence_store(app),
            actor="kwaliteitsmedewerker",
        ).id


@pytest.fixture
def report(site) -> int:  # type: ignore[no-untyped-def]
    """A published verbeteragenda (readable by K, T and A): the id of its HTML file."""
    with session_scope(site.engine) as session:
        published = publish(session, "agenda", "2026-07-14", {"html": b"<p>agenda</p>"}, actor="teamleider")
        return published.files[0].id


def _outcome(response, *, public: bool) -> str:  # type: ignore[no-untyped-def]
    if response.status_code == 403:
        return "verboden"
    if response.status_code == 404:  # for a user of another gemeente (test_web_gemeenten)
        return "bestaat niet"
    if not public and response.status_code == 302 and response.headers["Location"].startswith("/inloggen"):
        return "naar inloggen"
    # 409 and 422: past the role check, the empty form was refused by the use case (as it should be).
    return "toegestaan" if response.status_code in (200, 302, 409, 422) else f"status {response.status_code}"


def _expected(role: Role | None, allowed: set[Role] | None) -> str:
    if allowed is PUBLIC:
        return "toegestaan"
    if role is None:
        return "naar inloggen"
    return "toegestaan" if role in allowed else "verboden"
