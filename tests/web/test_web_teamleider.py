"""The teamleider's pages: progress per sample with its plan line and kind, in counts and percentages with
Dutch plurals; several items reassigned at once (all or nothing); a draw previewed before it is confirmed;
no CLI commands on the pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from web_helpers import csrf, login, page

from kic.audit import AuditEvent
from kic.db import session_scope
from kic.db.base import Base
from kic.formatting import percent
from kic.plan.preview import draw_preview
from kic.plan_draw import draw_plan
from kic.review.models import Review
from kic.review.service import open_workload
from kic.samples.models import Sample

DRAW = "/beoordelingen/trekken"
FORM = {"jaar": "2026", "periode": "2026-Q3", "regeling": "PW-LO", "seed": "web-plan"}


def _reviews(site, sample_id: int) -> list[Review]:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        found = list(session.scalars(select(Review).where(Review.sample_id == sample_id).order_by(Review.id)))
        session.expunge_all()
        return found


def _rows(site) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
        }


def _events(site, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        found = list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        session.expunge_all()
        return found


def _text(node) -> str:  # type: ignore[no-untyped-def]
    return " ".join(node.get_text(" ", strip=True).split())


@pytest.fixture
def planned(with_dossiers) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """The controleplan's PW-LO samples of 2026-Q2 drawn (not assigned): (plan line id, sample id)."""
    with session_scope(with_dossiers.engine) as session:
        outcomes = draw_plan(session, 2026, "2026-Q2", actor="teamleider", seed="plan", regeling="PW-LO")
        return [(o.part_id, o.sample.id) for o in outcomes if o.sample is not None]


# --- progress -------------------------------------------------------------------------------------------


def test_one_sample_is_counted_in_the_singular_with_its_progress_in_percentages(client, site, reviews):
    login(client, "teamleider")
    soup = page(client.get("/beoordelingen"))
    assert _text(soup.find(id="samenvatting")).startswith(
        "1 steekproef met 8 toegewezen posten: 0 afgerond (0%)."
    )
    [row] = soup.select("#steekproeven tbody tr")
    cells = [_text(td) for td in row.find_all("td")]
    assert cells[1] == "los getrokken, niet volgens het plan" and cells[2] == "Statistisch"
    statuses = {r.status for r in _reviews(site, site.sample_id)}
    assert statuses == {"te_doen", "ter_review"}
    assert cells[3] == "PW-LO 2026-Q3"
    # te doen, bezig, ter review, afgerond: the count and, where there are any, its share of the 8
    assert cells[4:8] == [f"7 {percent(7 / 8, 0)}", "0", f"1 {percent(1 / 8, 0)}", "0"]
    assert cells[8] == "0 van 8 (0%)"
    assert row.find("progress")["max"] == "8" and row.find("progress")["value"] == "0"


def test_each_sample_shows_its_plan_line_and_whether_it_is_extrapolated(client, site, reviews, planned):
    login(client, "teamleider")
    soup = page(client.get("/beoordelingen"))
    rows = {row.td.get_text(strip=True): row for row in soup.select("#steekproeven tbody tr")}
    assert len(rows) == 1 + len(planned)
    assert _text(soup.find(id="samenvatting")).startswith(
        f"{1 + len(planned)} steekproeven met 8 toegewezen posten"
    )
    kinds, names = {}, {}
    for part, sample_id in planned:
        cells = [_text(td) for td in rows[f"Steekproef {sample_id}"].find_all("td")]
        kinds[part], names[part] = cells[2], cells[1]
        assert cells[1].endswith(part) and cells[-1] == "niet toegewezen"
    assert names["PWLO-BETALING"] == "Betalingen algemene bijstand (levensonderhoud) PWLO-BETALING"
    assert kinds["PWLO-BETALING"] == "Statistisch" and kinds["PWLO-HERONDERZOEK"] == "Gericht"
    targeted = dict(planned)["PWLO-HERONDERZOEK"]
    detail = page(client.get(f"/beoordelingen/steekproef/{targeted}"))
    facts = _text(detail.find(id="steekproef-gegevens"))
    assert "Lopende uitkeringen zonder besluit in het afgelopen jaar" in facts
    assert "Gericht gekozen naar risico; de fouten tellen alleen voor hun eigen bedrag" in facts
    assert "nog niet toegewezen" in facts


def test_the_sample_page_shows_per_reviewer_counts_totals_and_shares(client, site, reviews):
    login(client, "teamleider")
    soup = page(client.get(f"/beoordelingen/steekproef/{site.sample_id}"))
    stored = _reviews(site, site.sample_id)
    for row in soup.select("#voortgang tbody tr"):
        name = row.th.get_text(strip=True)
        mine = [r for r in stored if r.reviewer == name]
        cells = [_text(td) for td in row.find_all("td")]
        counts = [
            str(sum(r.status == s for r in mine)) for s in ("te_doen", "bezig", "ter_review", "afgerond")
        ]
        assert cells == [*counts, str(len(mine)), "0%"], name
    share = [_text(td) for td in soup.select("#voortgang tfoot tr")[1].find_all("td")]
    assert share[:4] == [percent(7 / 8, 0), "0%", percent(1 / 8, 0), "0%"]
    facts = _text(soup.find(id="steekproef-gegevens"))
    assert "8 betalingen" in facts and "0 van 8 posten afgerond (0%)" in facts


# --- reassigning several items at once ------------------------------------------------------------------


def _movable(site, target: str) -> list[Review]:  # type: ignore[no-untyped-def]
    """Open reviews that ``target`` may take over: another's, and not the target's vier-ogen item."""
    return [
        r
        for r in _reviews(site, site.sample_id)
        if r.status in ("te_doen", "bezig") and target not in (r.reviewer, r.second_reviewer)
    ]


def _reassign(client, site, chosen: list[Review], target: str):  # type: ignore[no-untyped-def]
    path = f"/beoordelingen/steekproef/{site.sample_id}"
    return client.post(
        f"{path}/herverdelen",
        data={
            "csrf_token": csrf(client, path),
            "beoordelaar": target,
            "posten": [f"{r.id}:{r.version}" for r in chosen],
        },
    )


def test_the_teamleider_reassigns_the_selected_items_in_one_action(client, site, reviews):
    login(client, "teamleider")
    chosen = _movable(site, "derde")[:2]
    assert len(chosen) == 2
    response = _reassign(client, site, chosen, "derde")
    assert response.status_code == 302
    message = page(client.get(response.headers["Location"])).select_one(".kic-alert--succes")
    assert _text(message) == "2 posten zijn nu van Test Derde."
    now = {r.id: r.reviewer for r in _reviews(site, site.sample_id)}
    assert [now[r.id] for r in chosen] == ["derde", "derde"]
    events = _events(site, "beoordeling.herverdelen")
    assert sorted(int(e.object_id) for e in events) == sorted(r.id for r in chosen)
    assert {(e.before["beoordelaar"], e.after["beoordelaar"]) for e in events} == {
        (r.reviewer, "derde") for r in chosen
    }


def test_one_item_is_reassigned_in_the_singular(client, site, reviews):
    login(client, "teamleider")
    [chosen] = _movable(site, "derde")[:1]
    response = _reassign(client, site, [chosen], "derde")
    message = page(client.get(response.headers["Location"])).select_one(".kic-alert--succes")
    assert _text(message) == "1 post is nu van Test Derde."


def test_one_refusal_reassigns_nothing_and_names_every_item(client, site, reviews):
    login(client, "teamleider")
    movable, stale = _movable(site, "derde")[:2]
    refused = next(r for r in _reviews(site, site.sample_id) if r.second_reviewer == "derde")
    before = {r.id: r.reviewer for r in _reviews(site, site.sample_id)}
    stale.version += 1  # the page showed an older version: someone saved the item since
    response = _reassign(client, site, [movable, refused, stale], "derde")
    assert response.status_code == 422
    soup = page(response)
    message = _text(soup.find(id="herverdelen-melding"))
    assert message.startswith("Niets herverdeeld:")
    assert f"{refused.item_key}: derde is al de tweede beoordelaar van deze post" in message
    assert f"{stale.item_key}: beoordeling {stale.id} is intussen gewijzigd" in message
    assert {r.id: r.reviewer for r in _reviews(site, site.sample_id)} == before
    assert _events(site, "beoordeling.herverdelen") == []
    checked = {box["value"].split(":")[0] for box in soup.select("input[name=posten][checked]")}
    assert str(movable.id) in checked and str(stale.id) in checked  # the selection is kept
    assert soup.find("option", attrs={"value": "derde", "selected": True}) is not None


def test_select_all_ticks_every_open_item_without_javascript(client, site, reviews):
    login(client, "teamleider")
    path = f"/beoordelingen/steekproef/{site.sample_id}"
    assert page(client.get(path)).select("input[name=posten][checked]") == []
    soup = page(client.get(f"{path}?selecteer=alle"))
    ticked = {box["value"] for box in soup.select("input[name=posten][checked]")}
    open_reviews = [r for r in _reviews(site, site.sample_id) if r.status in ("te_doen", "bezig")]
    assert ticked == {f"{r.id}:{r.version}" for r in open_reviews} and len(open_reviews) == 7
    assert all(box["form"] == "herverdelen" for box in soup.select("input[name=posten]"))
    assert soup.find("form", id="herverdelen")["method"] == "post"


def test_no_selection_or_no_reviewer_is_refused(client, site, reviews):
    login(client, "teamleider")
    assert "kies ten minste één post" in _text(page(_reassign(client, site, [], "derde")))
    chosen = _movable(site, "derde")[:1]
    assert "kies een actieve kwaliteitsmedewerker" in _text(
        page(_reassign(client, site, chosen, "accountant"))
    )


def test_the_accountant_sees_progress_but_no_reassigning(client, site, reviews):
    login(client, "accountant")
    soup = page(client.get(f"/beoordelingen/steekproef/{site.sample_id}"))
    assert soup.find(id="herverdelen") is None and soup.select("input[name=posten]") == []
    assert soup.select("#voortgang tbody tr")


# --- the draw: a preview first --------------------------------------------------------------------------


def _preview(client, **form):  # type: ignore[no-untyped-def]
    return client.post(DRAW, data={"csrf_token": csrf(client, DRAW), **FORM, **form})


def _confirmation(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The fields of the 'Definitief trekken' form, as the browser would send them."""
    form = page(response).find("form", class_="kic-confirm")
    fields: dict[str, list[str]] = {}
    for hidden in form.select("input[type=hidden]"):
        fields.setdefault(hidden["name"], []).append(hidden["value"])
    return fields


def test_the_preview_shows_every_line_and_the_workload_and_writes_nothing(client, site, reviews):
    login(client, "teamleider")
    before = _rows(site)
    response = _preview(client, beoordelaars=["collega", "derde"])
    assert response.status_code == 200
    assert _rows(site) == before
    with session_scope(site.engine) as session:
        expected = draw_preview(session, 2026, "2026-Q3", regeling="PW-LO")
        open_now = open_workload(session)
    soup = page(response)
    rows = soup.select("#voorbeeld-regels tbody tr") + soup.select("#voorbeeld-leeg-regels tbody tr")
    empty = [line for line in expected.lines if not line.n]
    assert empty and len(soup.select("#voorbeeld-leeg-regels tbody tr")) == len(empty)
    assert _text(soup.select_one("#voorbeeld-leeg summary")).startswith(
        f"{len(empty)} perioden van het plan zonder posten"
    )
    for row, line in zip(rows, [*expected.drawn, *empty], strict=True):
        cells = [_text(td) for td in row.find_all("td")]
        assert cells[0].startswith(line.part.description or line.part.id) and line.part.id in cells[0]
        assert cells[1] == line.part.purpose.value.capitalize()  # Statistisch, Gericht or Preventief
        assert cells[3] == line.period.label and cells[4].startswith(f"{line.count} ")
        assert cells[6].startswith(f"{line.n} {'post' if line.n == 1 else 'posten'}")
        assert cells[7] == ("ja" if line.part.second_reviewer else "nee")
    loads = {
        row.th.select_one(".kic-hint").get_text(strip=True).strip("()"): [
            int(_text(td)) for td in row.find_all("td")
        ]
        for row in soup.select("#werklast tbody tr")
    }
    assert set(loads) == {"collega", "derde"}
    assert sum(first for _, first, _, _ in loads.values()) == expected.n
    four_eyes = sum(line.n for line in expected.lines if line.part.second_reviewer)
    assert sum(second for _, _, second, _ in loads.values()) == four_eyes
    for name, (now, first, second, after) in loads.items():
        assert now == open_now.get(name, 0) and after == now + first + second
    assert soup.find("button", string="Definitief trekken") is not None
    assert f"{len(expected.drawn)} steekproeven met samen {expected.n} posten" in _text(
        soup.find(id="voorbeeld")
    )


def test_only_the_confirmation_draws_what_the_preview_showed(client, site, reviews):
    login(client, "teamleider")
    preview = _preview(client, beoordelaars=["collega", "derde"])
    confirmation = _confirmation(preview)
    assert confirmation["stap"] == ["trekken"] and confirmation["beoordelaars"] == ["collega", "derde"]
    with session_scope(site.engine) as session:
        before = session.scalar(select(func.max(Sample.id)))
        expected = draw_preview(session, 2026, "2026-Q3", regeling="PW-LO")
    drawn = client.post(DRAW, data={"csrf_token": csrf(client, DRAW), **confirmation})
    assert drawn.status_code == 200, _text(page(drawn))[:300]
    with session_scope(site.engine) as session:
        samples = session.scalars(select(Sample).where(Sample.id > before).order_by(Sample.id)).all()
        assigned = session.scalar(
            select(func.count()).select_from(Review).where(Review.sample_id.in_([s.id for s in samples]))
        )
        made = [(s.plan_part, s.item_count) for s in samples]
    assert made == [(line.part.id, line.n) for line in expected.drawn]
    assert assigned == expected.n
    links = [a["href"] for a in page(drawn).select("#getrokken tbody a")]
    assert links == [f"/beoordelingen/steekproef/{s.id}" for s in samples]
    lead = _text(page(drawn).select_one(".kic-lead"))
    assert lead.startswith(f"{len(samples)} steekproeven getrokken met seed web-plan")


def test_a_post_without_the_confirmation_never_draws(client, site, reviews):
    login(client, "teamleider")
    before = _rows(site)
    response = client.post(DRAW, data={"csrf_token": csrf(client, DRAW), **FORM, "beoordelaars": ["collega"]})
    assert response.status_code == 200 and page(response).find(id="voorbeeld") is not None
    assert _rows(site) == before


def test_a_draw_that_differs_from_the_preview_is_rolled_back(client, site, reviews):
    login(client, "teamleider")
    confirmation = _confirmation(_preview(client))
    confirmation["vingerafdruk"] = ["0" * 64]  # what the teamleider saw is not what would be drawn now
    before = _rows(site)
    response = client.post(DRAW, data={"csrf_token": csrf(client, DRAW), **confirmation})
    assert response.status_code == 409
    assert _rows(site) == before
    soup = page(response)
    assert "Niets getrokken: de populatie of het controleplan is veranderd" in _text(soup.find(id="melding"))
    assert soup.find(id="voorbeeld") is not None  # the new preview, to look at again


def test_vier_ogen_with_one_reviewer_is_refused_before_anything_is_drawn(client, site, reviews):
    login(client, "teamleider")
    soup = page(_preview(client, beoordelaars=["collega"]))
    problem = _text(soup.find(id="werklast-probleem"))
    assert "vier-ogen vraagt ten minste twee beoordelaars" in problem
    assert soup.find("button", string="Definitief trekken") is None


def test_a_period_outside_the_plan_year_is_refused_in_the_preview(client, site):
    login(client, "teamleider")
    response = _preview(client, periode="2025-Q3")
    assert response.status_code == 422
    assert "ligt niet in planjaar 2026" in _text(page(response).find(id="melding"))


# --- the words on the pages -----------------------------------------------------------------------------

CLI = re.compile(
    r"\bkic (sample|review|evaluate|import|scheduler|report|plan|users|db|controls|serve)\b|--[a-z]|docs/"
)


@pytest.mark.parametrize(
    "role, paths",
    [
        (
            "teamleider",
            [
                "/",
                "/beoordelingen",
                "/beoordelingen/steekproef/{sample}",
                DRAW,
                "/steekproeven",
                "/steekproeven/{sample}",
                "/populaties",
                "/evaluatie",
                "/evaluatie?periode=2026-Q3",
                "/planner",
                "/rapportages",
            ],
        ),
        ("accountant", ["/", "/beoordelingen", "/steekproeven", "/populaties", "/evaluatie", "/rapportages"]),
        ("beheerder", ["/", "/populaties", "/planner"]),
    ],
)
def test_no_page_asks_for_a_command_line(client, site, role, paths):
    login(client, role)
    for path in paths:
        response = client.get(path.format(sample=site.sample_id))
        assert response.status_code == 200, path
        text = page(response).find("main").get_text(" ")
        assert CLI.search(text) is None, f"{path}: {CLI.search(text)}"


def test_an_unassigned_sample_says_how_to_assign_it_in_the_web(client, site):
    login(client, "teamleider")
    soup = page(client.get(f"/beoordelingen/steekproef/{site.sample_id}"))
    main = soup.find("main")
    assert "nog niet aan beoordelaars toegewezen" in _text(main)
    assert main.find("a", string="Steekproeven trekken")["href"] == DRAW


def test_samples_show_their_method_kind_and_unit_in_words(client, site):
    login(client, "accountant")
    [row] = page(client.get("/steekproeven")).select("tbody tr")
    cells = [_text(td) for td in row.find_all("td")]
    assert cells[3] == "Statistisch" and cells[4] == "MUS (monetary unit sampling), vast interval"
    assert " betalingen, €" in cells[6]
    facts = _text(page(client.get(f"/steekproeven/{site.sample_id}")).select_one(".kic-facts"))
    assert "Methode MUS (monetary unit sampling), vast interval" in facts and "Posten 8 betalingen" in facts
