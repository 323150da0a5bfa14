"""A checklist a reviewer can finish, in a real browser (Debian's Chromium): a clean PW-LO betaling of the
plan's betaling line is handed in with "Alle overige vragen: voldoet" in a handful of interactions, and a
betaling on which an automated control found a fout asks for that fout before it can be handed in.

The interactions are counted: every click, check, choice and typed field after the reviewer logged in.
With ``KIC_SCREENSHOTS=docs/screenshots`` the pages are saved (whole page) for docs/review.md.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from test_web_browser import CHROMIUM, Running, assert_accessible, browser, log_in, page, running_kic  # noqa: F401
from web_helpers import PASSWORD

from kic.controls.loader import load_catalogue
from kic.controls.run import run_controls
from kic.db import session_scope
from kic.plan_draw import draw_plan
from kic.population import import_population
from kic.population.schema import LEEFVORMEN
from kic.review.models import Review
from kic.review.service import item_checklist
from kic.users import add_user

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt")
SCREENSHOTS = os.environ.get("KIC_SCREENSHOTS")
MAX_INTERACTIONS = 10  # issue 16: a clean PW-LO betaling in at most ten


@dataclass(frozen=True)
class Seeded:
    running: Running
    clean: int  # a betaling of PWLO-BETALING without automated findings, not in June, not manual
    found: int  # a betaling of PWLO-BETALING with one automated fout
    difference: Decimal  # what the run found on it


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, export: Path, dossiers: Path) -> Iterator[Seeded]:
    ids: dict[str, object] = {}

    def seed(engine) -> None:  # type: ignore[no-untyped-def]
        with session_scope(engine) as session:
            import_population(session, "beschikkingen", dossiers, actor="beheer")
            import_population(session, "betalingen", export, actor="beheer")
            for username, role in (
                ("kwaliteitsmedewerker", "kwaliteitsmedewerker"),
                ("collega", "kwaliteitsmedewerker"),
                ("teamleider", "teamleider"),
            ):
                add_user(
                    session,
                    username=username,
                    display_name=username.capitalize(),
                    role=role,
                    password=PASSWORD,
                    actor="beheer",
                )
        with session_scope(engine) as session:
            run_controls(session, actor="beheer")
        with session_scope(engine) as session:
            drawn = draw_plan(
                session,
                2026,
                "2026",
                actor="teamleider",
                seed="checklist",
                regeling="PW-LO",
                reviewers=["kwaliteitsmedewerker", "collega"],
            )
            betaling = [d.sample.id for d in drawn if d.part_id == "PWLO-BETALING" and d.sample]
            catalogue = load_catalogue()
            clean, found = None, None
            mine = select(Review).where(
                Review.sample_id.in_(betaling), Review.reviewer == "kwaliteitsmedewerker"
            )
            for review in session.scalars(mine.order_by(Review.id)):
                checklist = item_checklist(session, review, catalogue)
                automated = [f for f in checklist.automated if f.control.error_type.value == "FIN"]
                if clean is None and not checklist.automated and checklist.not_applicable:
                    clean = review.id
                if found is None and len(checklist.automated) == 1 and automated:
                    found, difference = review.id, automated[0].difference
            assert clean and found, "the test needs a clean item and one with an automated fout"
            ids.update(clean=clean, found=found, difference=difference)

    with running_kic(tmp_path_factory.mktemp("checklist-browser"), seed) as running:
        yield Seeded(running, ids["clean"], ids["found"], ids["difference"])  # type: ignore[arg-type]


@pytest.fixture
def server(seeded: Seeded) -> Running:
    return seeded.running


class Counted:
    """The reviewer's interactions with the page: every click, check, choice and typed field."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, action, *args):  # type: ignore[no-untyped-def]
        self.count += 1
        return action(*args)


def _shot(window, name: str) -> None:  # type: ignore[no-untyped-def]
    """The top of the whole page (data, the checklist's first controls and the checkbox), for the docs."""
    if SCREENSHOTS:
        height = min(1900, window.evaluate("document.documentElement.scrollHeight"))
        clip = {"x": 0, "y": 0, "width": 1200, "height": height}
        window.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True, clip=clip)


def _verdict(seeded: Seeded, review_id: int) -> tuple[str, str | None, Decimal, str | None]:
    with session_scope(seeded.running.engine) as session:
        review = session.get(Review, review_id)
        return review.status, review.verdict, review.error_amount, review.cause_code


def test_a_clean_pwlo_betaling_is_handed_in_in_at_most_ten_interactions(page, seeded):  # noqa: F811
    log_in(page, "kwaliteitsmedewerker")
    page.goto("/werkvoorraad")
    act = Counted()
    act(page.locator(f"a[href^='/beoordelingen/{seeded.clean}']").first.click)
    checklist = page.locator(".kic-split__checklist")
    assert "werkproces betaling" in checklist.locator(".kic-hint").first.inner_text()
    assert "voldaan ==" not in page.content() and "==" not in checklist.inner_text()
    controls = checklist.locator(".kic-control")
    assert controls.count() == checklist.locator(".kic-control__basis").count() >= 8, (
        "a grondslag per control"
    )
    assert "PWLO-01" not in checklist.inner_text(), "identity belongs to aanvraag and heronderzoek"
    assert checklist.locator("#niet-van-toepassing").count() == 1
    facts = page.locator(".kic-split__data").inner_text()
    assert "PW-LO – Participatiewet algemene bijstand" in facts
    assert any(f"{code} – {label}" in facts for code, label in LEEFVORMEN.items()), "leefvorm with its label"
    assert_accessible(page, "beoordeling-checklist")
    _shot(page, "beoordeling-checklist")
    act(page.get_by_label("Alle overige vragen: voldoet").check)
    act(page.get_by_role("button", name="Indienen").click)
    assert page.url.endswith(f"/beoordelingen/{seeded.clean}?ingediend=1")
    assert page.locator("#ingediend h2").inner_text() == "Ingediend. Oordeel: voldoet"
    assert act.count <= MAX_INTERACTIONS
    print(f"schone PW-LO-betaling: {act.count} interacties")  # reported in docs/review.md
    assert _verdict(seeded, seeded.clean)[:2] == ("ter_review", "voldoet")


def test_an_automated_fout_must_be_confirmed_with_amount_and_cause(page, seeded):  # noqa: F811
    log_in(page, "kwaliteitsmedewerker")
    act = Counted()
    page.goto(f"/beoordelingen/{seeded.found}")
    card = page.locator(".kic-control--automatisch")
    assert card.count() == 1
    amount = card.get_by_label("Welk bedrag is ten onrechte betaald?")
    assert amount.input_value() == f"{seeded.difference:.2f}".replace(".", ","), (
        "prefilled with what was found"
    )
    act(page.get_by_label("Alle overige vragen: voldoet").check)
    act(page.get_by_role("button", name="Indienen").click)
    summary = page.get_by_role("alert").filter(has_text="Er is iets niet goed ingevuld")
    assert "bevestig of weerleg de uitkomst" in summary.inner_text()
    assert page.get_by_label("Alle overige vragen: voldoet").is_checked(), "the form keeps what was given"
    act(card.get_by_label("bevestigd").check)
    act(page.get_by_role("button", name="Indienen").click)
    field = page.locator("#oorzaak")
    assert field.get_attribute("aria-invalid") == "true"
    assert "oorzaak" in page.locator(".kic-field--invalid").first.inner_text().lower()
    _shot(page, "beoordeling-automatisch")
    act(field.select_option, "systeem")
    act(page.get_by_role("button", name="Indienen").click)
    assert page.locator("#ingediend h2").inner_text() == "Ingediend. Oordeel: fout"
    _status, verdict, error, cause = _verdict(seeded, seeded.found)
    assert (verdict, cause) == ("fout", "systeem") and error == seeded.difference
    assert act.count <= MAX_INTERACTIONS
