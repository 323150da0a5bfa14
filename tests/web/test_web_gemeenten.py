"""Access per gemeente: every route, walked by users limited to their own gemeente and to another one.

The site here belongs to a samenwerkingsverband of two gemeenten: its population and its sample are of
GM9901 (Synthedam); GM9902 (Proefwolde) has nothing yet. A user limited to GM9902 must find nothing of
GM9901: every page about one of its objects answers 404 (as if it did not exist), every list leaves it out,
and the pages about the whole installation are refused (403). A user limited to GM9901 sees her own, but
not what belongs to the installation as a whole (the verbeteragenda, the planner, drawing the plan).
"""

from __future__ import annotations

import pytest
from conftest import Site, add_role_users
from test_web_roles import app, evidence, walk  # noqa: F401 - app and evidence are fixtures here too
from web_helpers import PASSWORD, csrf, login, page

from kic.db import session_scope
from kic.periods import parse_period
from kic.population import import_population
from kic.population.gemeenten import register_gemeente
from kic.reports.publish import publish
from kic.review.service import ReviewError, create_reviews
from kic.samples.draw import SampleSpec, draw_sample
from kic.users import Role, UserError, add_user, set_gemeenten

K, T, A, B = Role.KWALITEITSMEDEWERKER, Role.TEAMLEIDER, Role.ACCOUNTANT, Role.BEHEERDER
OWN, OTHER = "GM9901", "GM9902"
# The pages about the whole installation: refused to every user limited to gemeenten.
WHOLE = {
    "agenda.index",
    "agenda.detail",
    "agenda.change_status",
    "agenda.new",
    "scheduler.index",
    "review.draw",
}
# Placeholders in ROUTES that stand for an object of GM9901's (a sample, its reviews, evidence) and of
# the installation as a whole (a report published for the whole installation).
OF_OWN = ("{sample}", "{mine}", "{theirs}", "{evidence}")
OF_INSTALLATION = ("{report}",)
# For GM9902 there is nothing to evaluate: the JSON is refused as for any period without her samples.
NOTHING_FOR_OTHER = {"evaluation.download": "status 400"}


@pytest.fixture
def site(db, export, dossiers) -> Site:  # type: ignore[no-untyped-def]
    """A region of two gemeenten: the population and the sample are GM9901's; one user per role (limited
    later by the test) and an accountant and a teamleider of GM9902."""
    with session_scope(db) as session:
        register_gemeente(session, OWN, "Synthedam", actor="beheer")
        import_population(session, "betalingen", export, actor="beheer")  # the only gemeente: all hers
        import_population(session, "beschikkingen", dossiers, actor="beheer")
        register_gemeente(session, OTHER, "Proefwolde", actor="beheer")
        sample = draw_sample(
            session,
            SampleSpec("PW-LO", parse_period("2026-Q3"), n=8, gemeente=OWN),
            seed="web",
            actor="teamleider",
        )
        add_role_users(session)
        for role in (A, T):
            add_user(
                session,
                username=f"{role.value}-proefwolde",
                display_name=f"{role.label} van Proefwolde",
                role=role.value,
                password=PASSWORD,
                gemeenten=[OTHER],
                actor="beheer",
            )
        sample_id = sample.id
    return Site(db, db.url.render_as_string(hide_password=False), sample_id)


@pytest.fixture
def with_dossiers(site: Site) -> Site:
    return site  # imported above, before the second gemeente


@pytest.fixture
def report(site) -> int:  # type: ignore[no-untyped-def]
    """A verbeteragenda published for the whole installation: the id of its HTML file."""
    with session_scope(site.engine) as session:
        return (
            publish(session, "agenda", "2026-07-14", {"html": b"<p>agenda</p>"}, actor="teamleider")
            .files[0]
            .id
        )


def test_every_whole_installation_page_says_so(app):  # noqa: F811 - the fixture of test_web_roles
    for endpoint, view in app.view_functions.items():
        assert getattr(view, "kic_whole", False) == (endpoint in WHOLE), endpoint


@pytest.mark.parametrize("limit", [OWN, OTHER])
@pytest.mark.parametrize("role", [K, T, A], ids=lambda r: r.value)
def test_every_route_shows_a_limited_user_only_their_gemeente(
    client, site, reviews, action, report, role, limit, request
):
    with session_scope(site.engine) as session:
        set_gemeenten(session, role.value, [limit], actor="beheer")  # the reviews were given out before
    assert login(client, role.value).status_code == 302
    ids = {"sample": site.sample_id, "mine": reviews.mine, "theirs": reviews.theirs}
    ids |= {"evidence": request.getfixturevalue("evidence"), "action": action, "report": report}
    assert (
        walk(
            client,
            ids,
            lambda endpoint, template, allowed: _expected(role, allowed, endpoint, template, limit),
        )
        == []
    )


def _expected(role: Role, allowed, endpoint: str, template: str, limit: str) -> str:  # type: ignore[no-untyped-def]
    if allowed is None:
        return "toegestaan"
    if role not in allowed or endpoint in WHOLE:
        return "verboden"
    if any(p in template for p in OF_INSTALLATION) or (limit == OTHER and any(p in template for p in OF_OWN)):
        return "bestaat niet"
    return NOTHING_FOR_OTHER.get(endpoint, "toegestaan") if limit == OTHER else "toegestaan"


def test_the_accountant_of_another_gemeente_finds_nothing_in_the_lists(client, site, reviews):
    assert login(client, "accountant-proefwolde").status_code == 302
    header = page(client.get("/")).find(class_="kic-badge--gemeente")
    assert header is not None and header.get_text(strip=True) == "gemeente Proefwolde"
    samples = page(client.get("/steekproeven"))
    assert not samples.select(f"a[href='/steekproeven/{site.sample_id}']")
    overview = client.get("/beoordelingen").get_data(as_text=True)
    assert f"/beoordelingen/steekproef/{site.sample_id}" not in overview
    export = client.get("/beoordelingen/export.csv").get_data(as_text=True)
    assert export.count("\n") == 1, "only the header: no review of Synthedam"
    assert client.get(f"/beoordelingen/export.csv?steekproef={site.sample_id}").status_code == 404
    populations = page(client.get("/populaties"))
    assert not populations.select("tbody tr") and "van gemeente Proefwolde" in populations.get_text()
    evaluation = page(client.get("/evaluatie"))
    assert not evaluation.select("#periode"), "no period to choose: Proefwolde has no sample"
    assert "nog geen steekproeven getrokken" in evaluation.get_text()
    refused = client.get("/evaluatie?periode=2026-Q3&gemeente=GM9901")
    assert refused.status_code == 422 and "kies een gemeente uit de lijst" in refused.get_data(as_text=True)
    assert client.get("/evaluatie.json?periode=2026-Q3").status_code == 400


def test_the_own_accountant_sees_her_gemeente(client, site, reviews):
    with session_scope(site.engine) as session:
        set_gemeenten(session, "accountant", [OWN], actor="beheer")
    assert login(client, "accountant").status_code == 302
    assert page(client.get("/steekproeven")).select(f"a[href='/steekproeven/{site.sample_id}']")
    files = page(client.get("/populaties")).select("tbody tr")
    assert len(files) == 2, "the payments and the beschikkingen, counted over her rows"
    choices = page(client.get("/evaluatie"))
    assert [o.get_text(strip=True) for o in choices.select("#gemeente option")] == ["Synthedam (GM9901)"]
    assert [o["value"] for o in choices.select("#periode option")] == ["2026", "2026-Q3"]


def test_items_go_only_to_reviewers_of_the_samples_gemeente(site):
    with session_scope(site.engine) as session:
        add_user(
            session,
            username="kwaliteit-proefwolde",
            display_name="Kwaliteit Proefwolde",
            role="kwaliteitsmedewerker",
            password=PASSWORD,
            gemeenten=[OTHER],
            actor="beheer",
        )
    with (
        session_scope(site.engine) as session,
        pytest.raises(ReviewError, match="werkt niet voor gemeente GM9901"),
    ):
        create_reviews(session, site.sample_id, ["kwaliteit-proefwolde"], actor="teamleider")


def test_a_beheerder_works_for_the_whole_installation(site):
    with (
        session_scope(site.engine) as session,
        pytest.raises(UserError, match="beheerder werkt voor de hele"),
    ):
        set_gemeenten(session, "beheerder", [OWN], actor="beheer")


def test_the_beheerder_limits_a_user_in_the_app(client, site):
    assert login(client, "beheerder").status_code == 302
    users = page(client.get("/beheer/gebruikers"))
    limits = {
        row.select("td")[0].get_text(strip=True): row.select("td")[3].get_text(strip=True)
        for row in users.select("tbody tr")
    }
    assert limits["accountant-proefwolde"] == "GM9902" and limits["accountant"] == "alle"
    form = page(client.get("/beheer/gebruikers/accountant/gemeenten"))
    assert [i["value"] for i in form.select("input[name=gemeenten]")] == [OWN, OTHER]
    token = csrf(client, "/beheer/gebruikers/accountant/gemeenten")
    done = client.post(
        "/beheer/gebruikers/accountant/gemeenten", data={"csrf_token": token, "gemeenten": [OWN]}
    )
    assert done.status_code == 302
    assert "werkt nu voor GM9901" in client.get("/beheer/gebruikers").get_data(as_text=True)
    wrong = client.post(
        "/beheer/gebruikers/beheerder/gemeenten", data={"csrf_token": token, "gemeenten": [OWN]}
    )
    assert wrong.status_code == 422 and "beheerder werkt voor de hele installatie" in wrong.get_data(
        as_text=True
    )


def test_a_gemeentes_report_is_hers_alone(client, site):
    with session_scope(site.engine) as session:
        own = publish(session, "kwartaal", "2026-Q3", {"html": b"<p>Synthedam</p>"}, actor="t", gemeente=OWN)
        other = publish(
            session, "kwartaal", "2026-Q3", {"html": b"<p>Proefwolde</p>"}, actor="t", gemeente=OTHER
        )
        own_id, other_id = own.files[0].id, other.files[0].id
    assert login(client, "accountant-proefwolde").status_code == 302
    listed = page(client.get("/rapportages"))
    links = {a["href"] for a in listed.select("#rapportages a")}
    assert links == {f"/rapportages/bestand/{other_id}"}
    assert client.get(f"/rapportages/bestand/{own_id}").status_code == 404
    download = client.get(f"/rapportages/bestand/{other_id}")
    assert download.status_code == 200 and b"Proefwolde" in download.data
    assert download.headers["Content-Disposition"] == 'attachment; filename="kwartaal-GM9902-2026-Q3-v1.html"'


def test_the_rapportages_of_a_region_are_filtered_by_gemeente(client, site):
    with session_scope(site.engine) as session:
        ids = {
            code: publish(session, "kwartaal", "2026-Q3", {"html": b"<p>x</p>"}, actor="t", gemeente=code)
            .files[0]
            .id
            for code in ("", OWN, OTHER)
        }
    assert login(client, "teamleider").status_code == 302

    def listed(query: str) -> set[str]:
        return {a["href"] for a in page(client.get(f"/rapportages{query}")).select("#rapportages a")}

    choices = page(client.get("/rapportages")).select("#gemeente option")
    assert [o.get_text(strip=True) for o in choices] == [
        "Alle gemeenten",
        "Hele regio",
        "Synthedam",
        "Proefwolde",
    ]
    assert listed("") == {f"/rapportages/bestand/{i}" for i in ids.values()}
    assert listed("?gemeente=regio") == {f"/rapportages/bestand/{ids['']}"}
    assert listed(f"?gemeente={OTHER}") == {f"/rapportages/bestand/{ids[OTHER]}"}
    assert listed("?gemeente=GM0363") == listed(""), "an unknown choice filters nothing"
    header = page(client.get(f"/rapportages?gemeente={OTHER}")).select_one(".kic-header__gemeente")
    assert header is None, "the choice does not rename the installation in the header"
