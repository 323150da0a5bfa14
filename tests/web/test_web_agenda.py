"""The verbeteragenda in the web app: the list with overdue actions first, an action's page, making an
action from bevindingen (teamleider only), and changing the status (teamleider, or the owner of the
action) under the rules of kic.findings.agenda: gereed only after improvement or with a decision."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from web_helpers import csrf, login, page

from kic.audit import AuditEvent
from kic.db import session_scope
from kic.findings.agenda import NewAction, add_action, set_status
from kic.findings.models import ImprovementAction
from kic.review.models import Review


def _add(site, title: str, owner: str, deadline: date, **extra) -> int:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        return add_action(session, NewAction(title, owner, deadline, **extra), actor="teamleider").id


def _action(site, action_id: int) -> ImprovementAction:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        found = session.get(ImprovementAction, action_id)
        session.expunge(found)
        return found


def _change(client, action_id: int, **data: str):  # type: ignore[no-untyped-def]
    """Post the status form of the action's page with the CSRF token and version it carries."""
    form = page(client.get(f"/verbeteragenda/{action_id}"))
    version = form.find("input", attrs={"name": "versie"})["value"]
    return client.post(
        f"/verbeteragenda/{action_id}/status",
        data={"csrf_token": csrf(client, f"/verbeteragenda/{action_id}"), "versie": version, **data},
    )


def _errors(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The error messages beside each field, by the field's id (read through aria-describedby)."""
    soup = page(response)
    found = {}
    for element in soup.select("[aria-invalid=true]"):
        ids = element["aria-describedby"].split()
        found[element["id"]] = [
            soup.find(id=i).get_text(" ", strip=True).removeprefix("Fout: ") for i in ids if "-fout-" in i
        ]
    return found


def test_the_list_puts_overdue_actions_first_and_marks_them(client, site, action):
    later = _add(site, "Toelichting bij de beschikking", "Team Inkomen", date(2099, 1, 31))
    done = _add(site, "Oude actie", "Team Inkomen", date(2026, 1, 31))
    with session_scope(site.engine) as session:
        set_status(session, done, "vervallen", actor="teamleider", decision="dubbel met actie 1")
    login(client, "teamleider")
    rows = page(client.get("/verbeteragenda")).select("#acties tbody tr")
    assert [int(r.td.get_text()) for r in rows] == [action, later, done]
    assert rows[0].get("class") == ["kic-row--te-laat"] and "te laat" in rows[0].get_text()
    assert not rows[1].get("class") and not rows[2].get("class")  # a closed action is never late
    assert "1 te laat" in page(client.get("/verbeteragenda")).select_one("#stand").get_text()


def test_the_list_filters_by_status_and_owner(client, site, action):
    other = _add(site, "Scholing", "Team Inkomen", date(2099, 1, 31))
    login(client, "accountant")
    by_owner = page(client.get("/verbeteragenda?eigenaar=Team+Inkomen")).select("#acties tbody tr")
    assert [int(r.td.get_text()) for r in by_owner] == [other]
    assert page(client.get("/verbeteragenda?status=gereed")).select("#acties tbody tr") == []
    bad = client.get("/verbeteragenda?status=klaar")
    assert _errors(bad) == {"status": ["kies een status uit de lijst"]}


def test_a_kwaliteitsmedewerker_sees_and_opens_only_own_actions(client, site, action):
    other = _add(site, "Scholing", "Team Inkomen", date(2099, 1, 31))
    login(client, "kwaliteitsmedewerker")
    listing = page(client.get("/verbeteragenda"))
    assert listing.h1.get_text() == "Mijn verbeteracties"
    assert [int(r.td.get_text()) for r in listing.select("#acties tbody tr")] == [action]
    assert listing.find(id="eigenaar") is None  # no owner filter: the list is already theirs
    assert client.get(f"/verbeteragenda/{action}").status_code == 200
    assert client.get(f"/verbeteragenda/{other}").status_code == 403


def test_a_teamleider_makes_an_action_from_selected_bevindingen(client, site, bevindingen):
    login(client, "teamleider")
    form = page(client.get("/verbeteragenda/nieuw"))
    assert form.find(id="kwartaal").find("option", selected=True)["value"] == "2026-Q2"  # the newest quarter
    page_q1 = page(client.get("/verbeteragenda/nieuw?kwartaal=2026-Q1"))
    boxes = [box["value"] for box in page_q1.select("input[name=bevindingen]")]
    chosen = [
        f"{bevindingen.before[0]}:{bevindingen.control}",
        f"{bevindingen.before[1]}:{bevindingen.control}",
    ]
    assert set(chosen) <= set(boxes)
    chosen_ids = bevindingen.before[:2]
    response = client.post(
        "/verbeteragenda/nieuw",
        data={
            "csrf_token": csrf(client, "/verbeteragenda/nieuw"),
            "kwartaal": "2026-Q1",
            "bevindingen": chosen,
            "titel": "Werkinstructie inkomsten",
            "omschrijving": "Inkomsten van de partner altijd verrekenen.",
            "eigenaar": "kwaliteitsmedewerker",
            "deadline": "2026-09-30",
            "prioriteit": "hoog",
            "hermeting_controle": bevindingen.control,
            "hermeting_kwartaal": "2026-q2",
        },
    )
    assert response.status_code == 302
    action_id = int(response.headers["Location"].rsplit("/", 1)[1])
    action = _action(site, action_id)
    assert (action.control_ids, action.review_ids) == ([bevindingen.control], sorted(bevindingen.before[:2]))
    assert (action.deadline, action.priority, action.findings_quarter) == (
        date(2026, 9, 30),
        "hoog",
        "2026-Q1",
    )
    assert (action.remeasure_control, action.remeasure_quarter, action.created_by) == (
        bevindingen.control,
        "2026-Q2",
        "teamleider",
    )
    with session_scope(site.engine) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "verbeteractie.aanmaken"))
        assert (event.actor, event.address, event.object_id) == ("teamleider", "127.0.0.1", str(action_id))
    detail = page(client.get(f"/verbeteragenda/{action_id}"))
    assert "Verbeteractie" in detail.select_one(".kic-alert--succes").get_text()
    linked = [row.select("td")[0].get_text(strip=True) for row in detail.select("#bevindingen tbody tr")]
    assert linked == [f"Beoordeling {r}" for r in sorted(bevindingen.before[:2])]
    with session_scope(site.engine) as session:
        keys = {r.id: r.item_key for r in session.scalars(select(Review).where(Review.id.in_(chosen_ids)))}
    shown = [row.select("td")[1].get_text(strip=True) for row in detail.select("#bevindingen tbody tr")]
    assert shown == [keys[r] for r in sorted(bevindingen.before[:2])]  # once always empty
    assert "verbeterd" in detail.select_one("#hermeting").get_text()  # two errors in Q1, one in Q2


def test_a_new_action_with_errors_shows_each_beside_its_field_and_keeps_the_input(client, site, bevindingen):
    login(client, "teamleider")
    chosen = f"{bevindingen.before[0]}:{bevindingen.control}"
    response = client.post(
        "/verbeteragenda/nieuw",
        data={
            "csrf_token": csrf(client, "/verbeteragenda/nieuw"),
            "kwartaal": "2026-Q1",
            "bevindingen": [chosen],
            "titel": " ",
            "eigenaar": "",
            "deadline": "31-02-2026",
            "prioriteit": "middel",
            "hermeting_controle": "GEEN-99",
            "hermeting_kwartaal": "2026-07",
        },
    )
    assert response.status_code == 422
    errors = _errors(response)
    assert errors["titel"] == ["titel is leeg"] and errors["eigenaar"] == ["eigenaar is leeg"]
    assert errors["deadline"] == ["vul een datum in als dd-mm-jjjj, bijvoorbeeld 30-09-2026"]
    assert errors["hermeting_controle"] == ["kies een controle uit de lijst"]
    assert "geen kwartaal" in errors["hermeting_kwartaal"][0]
    soup = page(response)
    assert len(soup.select(".kic-error-summary li")) == 5
    assert soup.find("input", attrs={"value": chosen}).has_attr("checked")  # the choice is kept
    assert soup.find(id="hermeting_kwartaal")["value"] == "2026-07"
    with session_scope(site.engine) as session:
        assert session.scalars(select(ImprovementAction)).all() == []


def test_only_the_teamleider_makes_actions(client, site, bevindingen):
    data = {"titel": "X", "eigenaar": "Y", "deadline": "2026-12-01", "prioriteit": "middel"}
    for role in ("kwaliteitsmedewerker", "accountant", "beheerder"):
        login(client, role)
        token = csrf(client, "/")
        assert client.get("/verbeteragenda/nieuw").status_code == 403
        assert client.post("/verbeteragenda/nieuw", data={"csrf_token": token, **data}).status_code == 403
        assert "Nieuwe verbeteractie" not in client.get("/").get_data(as_text=True)
    with session_scope(site.engine) as session:
        assert session.scalars(select(ImprovementAction)).all() == []


def test_an_owner_changes_the_status_of_own_actions_and_not_of_others(client, site, action):
    other = _add(site, "Scholing", "Team Inkomen", date(2099, 1, 31))
    login(client, "kwaliteitsmedewerker")
    assert _change(client, action, status="in_uitvoering").status_code == 302
    assert (
        _action(site, action).status == "in_uitvoering"
        and _action(site, action).updated_by == "kwaliteitsmedewerker"
    )
    refused = client.post(
        f"/verbeteragenda/{other}/status",
        data={"csrf_token": csrf(client, "/"), "status": "in_uitvoering", "versie": "1"},
    )
    assert refused.status_code == 403 and _action(site, other).status == "open"


def test_an_owner_cannot_close_with_a_decision_nor_without_improvement(client, site, action):
    login(client, "kwaliteitsmedewerker")
    detail = page(client.get(f"/verbeteragenda/{action}"))
    assert detail.find(id="besluit") is None  # no decision field for the owner
    assert "vervallen" not in [o["value"] for o in detail.find(id="status").find_all("option")]
    decided = _change(client, action, status="gereed", besluit="zelf besloten")
    assert decided.status_code == 422 and "alleen de teamleider" in _errors(decided)["status"][0]
    refused = _change(client, action, status="gereed")
    assert refused.status_code == 422
    assert _errors(refused)["status"] == [
        "er is geen hermeting gepland: sluit alleen af met een besluit",
        "een besluit neemt de teamleider",
    ]
    assert _action(site, action).status == "open"


def test_closing_without_hermeting_is_refused_unless_the_teamleider_decides(client, site, action):
    login(client, "teamleider")
    refused = _change(client, action, status="gereed")
    assert refused.status_code == 422
    assert _errors(refused) == {"besluit": ["er is geen hermeting gepland: sluit alleen af met een besluit"]}
    assert (
        page(refused).find(id="status").find("option", selected=True)["value"] == "gereed"
    )  # the choice is kept
    lapsed = _change(client, action, status="vervallen")
    assert _errors(lapsed) == {"besluit": ["geef bij vervallen een besluit met de reden"]}
    assert _action(site, action).status == "open"
    done = _change(client, action, status="gereed", besluit="MT 12-11: werkinstructie vervalt per 2027")
    assert done.status_code == 302
    closed = _action(site, action)
    assert (closed.status, closed.closing_decision) == ("gereed", "MT 12-11: werkinstructie vervalt per 2027")
    history = [
        [td.get_text(" ", strip=True) for td in row.select("td")]
        for row in page(client.get(f"/verbeteragenda/{action}")).select("#geschiedenis tbody tr")
    ]
    assert [row[1:] for row in history] == [
        ["teamleider", "aangemaakt (status open)", ""],
        ["teamleider", "status open → gereed", "MT 12-11: werkinstructie vervalt per 2027"],
    ]


def test_an_owner_closes_an_action_when_the_hermeting_shows_improvement(client, site, bevindingen):
    action = _add(
        site,
        "Werkinstructie inkomsten",
        "kwaliteitsmedewerker",
        date(2026, 9, 30),
        control_ids=(bevindingen.control,),
        review_ids=tuple(bevindingen.before[:2]),
        remeasure_control=bevindingen.control,
        remeasure_quarter="2026-Q2",
    )
    login(client, "kwaliteitsmedewerker")
    assert _change(client, action, status="gereed").status_code == 302
    assert _action(site, action).status == "gereed" and _action(site, action).closing_decision is None


def test_a_stale_status_form_is_refused_with_a_message(client, site, action):
    login(client, "teamleider")
    token = csrf(client, f"/verbeteragenda/{action}")
    assert _change(client, action, status="in_uitvoering").status_code == 302
    stale = client.post(
        f"/verbeteragenda/{action}/status", data={"csrf_token": token, "versie": "1", "status": "open"}
    )
    assert stale.status_code == 409
    assert "intussen door teamleider gewijzigd" in page(stale).select_one("#melding").get_text()
    assert _action(site, action).status == "in_uitvoering"


def test_the_accountant_reads_an_action_but_cannot_change_it(client, site, action):
    login(client, "accountant")
    detail = page(client.get(f"/verbeteragenda/{action}"))
    assert detail.h1.get_text() == f"Verbeteractie {action}: Werkinstructie inkomsten bijwerken"
    assert detail.find("form", action=f"/verbeteragenda/{action}/status") is None
    response = client.post(
        f"/verbeteragenda/{action}/status",
        data={"csrf_token": csrf(client, "/"), "status": "gereed", "besluit": "x", "versie": "1"},
    )
    assert response.status_code == 403 and _action(site, action).status == "open"


def test_an_unknown_action_is_a_404(client):
    login(client, "teamleider")
    assert client.get("/verbeteragenda/999").status_code == 404
