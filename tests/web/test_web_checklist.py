"""The checklist of an item of a plan line, without JavaScript: only the controls of its werkproces that apply
to its data, each with grondslag and norm, codes with their labels; "Alle overige vragen: voldoet" answers
the rest on the server; an automated fout and the cause are asked for beside their fields."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from web_helpers import PASSWORD, csrf, login, page

from kic.controls.loader import load_catalogue
from kic.controls.run import run_controls
from kic.db import session_scope
from kic.plan_draw import draw_plan
from kic.review.models import Review
from kic.review.service import item_checklist
from kic.users import add_user


@dataclass(frozen=True)
class Items:
    clean: int  # a betaling of PWLO-BETALING without automated findings, for kwaliteitsmedewerker
    found: int  # one with an automated fout
    control: str  # the control that found it
    ending: int  # a beschikking of PWLO-BEEINDIGING


@pytest.fixture
def items(with_dossiers) -> Items:  # type: ignore[no-untyped-def]
    site = with_dossiers
    catalogue = load_catalogue()
    with session_scope(site.engine) as session:
        add_user(
            session,
            username="collega",
            display_name="Test Collega",
            role="kwaliteitsmedewerker",
            password=PASSWORD,
            actor="beheer",
        )
    with session_scope(site.engine) as session:
        run_controls(session, actor="beheer", catalogue=catalogue)
    with session_scope(site.engine) as session:
        drawn = draw_plan(
            session,
            2026,
            "2026",
            actor="teamleider",
            seed="web-checklist",
            regeling="PW-LO",
            reviewers=["kwaliteitsmedewerker", "collega"],
        )
        samples = [d.sample.id for d in drawn if d.part_id == "PWLO-BETALING" and d.sample]
        mine = select(Review).where(Review.sample_id.in_(samples), Review.reviewer == "kwaliteitsmedewerker")
        clean = found = None
        for review in session.scalars(mine.order_by(Review.id)):
            checklist = item_checklist(session, review, catalogue)
            if clean is None and not checklist.automated and checklist.not_applicable:
                clean = review.id
            if found is None and len(checklist.automated) == 1:
                found, control = review.id, checklist.automated[0].control.id
        endings = [d.sample.id for d in drawn if d.part_id == "PWLO-BEEINDIGING" and d.sample]
        ending = session.scalar(
            select(Review.id).where(Review.sample_id.in_(endings), Review.reviewer == "kwaliteitsmedewerker")
        )
        assert clean and found and ending
        return Items(clean, found, control, ending)


def _hand_in(client: FlaskClient, review_id: int, form: dict[str, str]):  # type: ignore[no-untyped-def]
    path = f"/beoordelingen/{review_id}"
    version = page(client.get(path)).find("input", attrs={"name": "versie"})["value"]
    return client.post(
        f"{path}/opslaan", data={"csrf_token": csrf(client, path), "versie": version, "indienen": "1", **form}
    )


def _review(site, review_id: int) -> Review:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        review = session.get(Review, review_id)
        session.expunge(review)
        return review


def _invalid(soup, name: str) -> bool:  # type: ignore[no-untyped-def]
    """The radio group of ``name`` is marked invalid (the macro marks the fieldset)."""
    return soup.select_one(f"input[name='{name}']").find_parent("fieldset").get("aria-invalid") == "true"


def test_the_page_shows_the_werkproces_checklist_with_grondslag_norm_and_labels(client, with_dossiers, items):
    login(client, "kwaliteitsmedewerker")
    soup = page(client.get(f"/beoordelingen/{items.clean}"))
    checklist = soup.select_one(".kic-split__checklist")
    text = checklist.get_text(" ", strip=True)
    assert "werkproces betaling" in text
    controls = checklist.select(".kic-control")
    ids = [c.select_one(".kic-control__id").get_text() for c in controls]
    assert "PWLO-06 v2" in ids and not any(i.startswith(("PWLO-01", "PWLO-10", "ALG-10")) for i in ids)
    assert all(c.select_one(".kic-control__basis") for c in controls), "every control shows its grondslag"
    pwlo06 = checklist.select_one("section[aria-labelledby='controle-PWLO-06']")
    assert "Pw art." in pwlo06.select_one(".kic-control__basis").get_text()
    assert pwlo06.select_one(".kic-control__norm"), "and its norm (toelichting)"
    assert "==" not in soup.get_text() and "voldaan" not in soup.get_text(), "never an expression"
    hints = [h.get_text() for h in checklist.select(".kic-hint")]
    assert any("Alleen nodig als het antwoord op de eerste vraag nee is." in h for h in hints)
    skipped = soup.select_one("#niet-van-toepassing")
    assert "ALG-14" in skipped.get_text() and "alleen bij een handmatige betaling" in skipped.get_text()
    facts = {
        dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True)
        for dt in soup.select(".kic-split__data dt")
    }
    assert facts["Regeling"] == "PW-LO – Participatiewet algemene bijstand (levensonderhoud)"
    assert facts["Leefvorm"][0] in "1234" and " – " in facts["Leefvorm"]


def test_alle_overige_vragen_voldoet_hands_in_a_clean_item_without_javascript(client, with_dossiers, items):
    login(client, "kwaliteitsmedewerker")
    response = _hand_in(client, items.clean, {"overige_voldoet": "1"})
    assert response.status_code == 302, page(response).get_text(" ", strip=True)[:600]
    review = _review(with_dossiers, items.clean)
    assert (review.status, review.verdict) == ("ter_review", "voldoet")
    with session_scope(with_dossiers.engine) as session:
        rows = {c.control_id: c for c in session.get(Review, items.clean).controls}
        assert rows["PWLO-06"].answers == {"norm_juist": "ja", "bewijs_volledig": "ja"}
        assert rows["ALG-02"].answers == {"voldaan": "ja", "bewijs_volledig": "ja"}
        assert rows["ALG-14"].verdict == "nvt"


def test_without_the_checkbox_every_question_is_still_asked(client, with_dossiers, items):
    login(client, "kwaliteitsmedewerker")
    response = _hand_in(client, items.clean, {})
    assert response.status_code == 422
    assert _invalid(page(response), "ALG-02__voldaan")


def test_an_automated_fout_and_the_cause_are_asked_beside_their_fields(client, with_dossiers, items):
    login(client, "kwaliteitsmedewerker")
    name = f"{items.control}__automatisch"
    soup = page(client.get(f"/beoordelingen/{items.found}"))
    card = soup.select_one(".kic-control--automatisch")
    assert card is not None and items.control in card.get_text()
    amount = soup.select_one(f"input[name='{items.control}__automatisch_bedrag']")["value"]
    assert amount, "prefilled with the difference the control found"
    response = _hand_in(client, items.found, {"overige_voldoet": "1"})
    assert response.status_code == 422
    assert _invalid(page(response), name) and "bevestig of weerleg" in page(response).get_text()
    given = {"overige_voldoet": "1", name: "bevestigd", f"{items.control}__automatisch_bedrag": amount}
    response = _hand_in(client, items.found, given)
    assert response.status_code == 422
    cause = page(response).select_one("#oorzaak")
    assert cause["aria-invalid"] == "true"
    assert "de oorzaak verplicht" in cause.find_parent(class_="kic-field").get_text()
    assert page(response).select_one(f"input[name='{name}'][value='bevestigd']").has_attr("checked")
    response = _hand_in(client, items.found, {**given, "oorzaak": "systeem"})
    assert response.status_code == 302
    review = _review(with_dossiers, items.found)
    assert (review.verdict, review.cause_code) == ("fout", "systeem") and review.error_amount > 0


def test_an_ended_beschikking_gets_the_checklist_of_the_beeindiging(client, with_dossiers, items):
    login(client, "kwaliteitsmedewerker")
    soup = page(client.get(f"/beoordelingen/{items.ending}"))
    checklist = soup.select_one(".kic-split__checklist")
    assert "werkproces beëindiging" in checklist.get_text(" ", strip=True)
    ids = {c.select_one(".kic-control__id").get_text().split()[0] for c in checklist.select(".kic-control")}
    assert {"PWLO-18", "PWLO-19", "PWLO-20", "ALG-07"} <= ids and "PWLO-06" not in ids
