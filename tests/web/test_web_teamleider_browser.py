"""The teamleider's pages in a real browser (Debian's Chromium): progress per sample, reassigning several
items with JavaScript off, a draw previewed and then confirmed, and the rapportages; axe-core on each.

With ``KIC_SCREENSHOTS=docs/screenshots`` the pages are saved, whole, for the documentation.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from test_web_browser import (  # noqa: F401
    CHROMIUM,
    Running,
    assert_accessible,
    browser,
    expect,
    log_in,
    navigate,
    running_kic,
)
from web_helpers import PASSWORD, passing_answers

from kic.db import session_scope
from kic.plan_draw import draw_plan
from kic.population import import_population
from kic.reports.publish import build_files, publish
from kic.review.models import Review
from kic.review.service import ReviewInput, save_review
from kic.samples.models import Sample
from kic.users import add_user

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt")
SCREENSHOTS = os.environ.get("KIC_SCREENSHOTS")
RAW_KEY = re.compile(r"\b[a-z]+_[a-z_]+\b")
REVIEWERS = {"kwaliteitsmedewerker": "Kees Kwaliteit", "collega": "Carla Collega", "derde": "Daan Derde"}


@dataclass(frozen=True)
class Seeded:
    running: Running
    targeted: int  # a gericht sample of the plan, assigned, some items handed in


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, export: Path, dossiers: Path) -> Iterator[Seeded]:
    ids: dict[str, int] = {}

    def seed(engine) -> None:  # type: ignore[no-untyped-def]
        with session_scope(engine) as session:
            import_population(session, "betalingen", export, actor="beheer")
            import_population(session, "beschikkingen", dossiers, actor="beheer")
            users = {**REVIEWERS, "teamleider": "Tanja Teamleider", "accountant": "Aart Accountant"}
            for username, name in users.items():
                role = "kwaliteitsmedewerker" if username in REVIEWERS else username
                add_user(
                    session,
                    username=username,
                    display_name=name,
                    role=role,
                    password=PASSWORD,
                    actor="beheer",
                )
            outcomes = draw_plan(
                session,
                2026,
                "2026-Q2",
                actor="teamleider",
                seed="plan",
                regeling="PW-LO",
                reviewers=list(REVIEWERS),
            )
            targeted = next(o.sample.id for o in outcomes if o.part_id == "PWLO-HERONDERZOEK" and o.sample)
            for review in session.scalars(select(Review).where(Review.sample_id == targeted)).all()[:4]:
                save_review(
                    session,
                    review.id,
                    ReviewInput(passing_answers(session, review)),
                    actor=review.reviewer,
                    expected_version=review.version,
                    submit=True,
                    source="web",
                )
            ids["targeted"] = targeted
        with session_scope(engine) as session:
            for kind, period in (("kwartaal", "2026-Q2"), ("kwartaal", "2026-Q2"), ("agenda", "2026-07-14")):
                files = build_files(session, kind, period, pdf=False)
                publish(
                    session, kind, period, files | {"pdf": b"%PDF-1.4 " + kind.encode()}, actor="teamleider"
                )

    with running_kic(tmp_path_factory.mktemp("teamleider-browser"), seed) as running:
        yield Seeded(running, ids["targeted"])


@pytest.fixture
def server(seeded: Seeded) -> Running:
    return seeded.running


def _context(browser, seeded: Seeded, *, javascript: bool = True):  # type: ignore[no-untyped-def]  # noqa: F811
    return browser.new_context(
        base_url=seeded.running.address,
        viewport={"width": 1280, "height": 800},
        accept_downloads=True,
        locale="nl-NL",
        java_script_enabled=javascript,
    )


@pytest.fixture
def page(browser, seeded):  # type: ignore[no-untyped-def]  # noqa: F811
    context = _context(browser, seeded)
    yield context.new_page()
    context.close()


def _look(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """axe-core finds nothing serious; the whole page is saved for the documentation when asked."""
    assert_accessible(page, name)
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def test_the_teamleider_follows_progress_per_sample_and_reviewer(page, seeded):
    log_in(page, "teamleider")
    navigate(page, page.get_by_role("link", name="Beoordelingen").first)
    summary = page.locator("#samenvatting").inner_text()
    assert summary.split(" met ")[0].endswith("steekproeven")
    row = page.locator(
        "#steekproeven tbody tr", has=page.locator(f"a[href='/beoordelingen/steekproef/{seeded.targeted}']")
    )
    expect(row.locator("td").nth(1)).to_contain_text("Lopende uitkeringen zonder besluit")
    expect(row.locator("td").nth(2)).to_have_text("Gericht")
    _look(page, "beoordelingen")
    navigate(page, row.locator("a").first)
    assert page.locator("#voortgang tbody tr").count() == len(REVIEWERS)
    expect(page.locator("#steekproef-gegevens")).to_contain_text("afgerond (")
    _look(page, "beoordelingen-steekproef")
    navigate(page, page.get_by_role("link", name="Alles selecteren"))
    assert page.locator("input[name=posten]:checked").count() > 1
    assert_accessible(page, "beoordelingen-alles-geselecteerd")


def test_the_teamleider_reassigns_all_open_items_with_javascript_off(browser, seeded):  # noqa: F811
    context = _context(browser, seeded, javascript=False)
    page = context.new_page()
    log_in(page, "teamleider")
    page.goto(f"/beoordelingen/steekproef/{seeded.targeted}")
    navigate(page, page.get_by_role("link", name="Alles selecteren"))
    ticked = page.locator("input[name=posten]:checked")
    with session_scope(seeded.running.engine) as session:
        open_reviews = session.scalars(
            select(Review).where(Review.sample_id == seeded.targeted, Review.status.in_(("te_doen", "bezig")))
        ).all()
        moving = [r.id for r in open_reviews if r.reviewer != "derde"]
    assert ticked.count() == len(open_reviews) > 1
    page.get_by_label("Nieuwe beoordelaar").select_option("derde")
    if SCREENSHOTS:  # axe-core needs JavaScript: the same form is checked in the test above
        page.screenshot(path=str(Path(SCREENSHOTS) / "beoordelingen-herverdelen.png"), full_page=True)
    navigate(page, page.get_by_role("button", name="Geselecteerde posten herverdelen"))
    message = page.locator(".kic-alert--succes").inner_text()
    assert message.startswith(f"{len(moving)} post") and "nu van Daan Derde." in message
    with session_scope(seeded.running.engine) as session:
        reviewers = set(
            session.scalars(select(Review.reviewer).where(Review.id.in_([r.id for r in open_reviews])))
        )
    assert reviewers == {"derde"}
    context.close()


def test_the_teamleider_previews_a_draw_and_then_confirms_it(page, seeded):
    log_in(page, "teamleider")
    page.goto("/beoordelingen/trekken")
    _look(page, "trekken")
    page.get_by_label("Periode").fill("2026-Q3")
    page.get_by_label("Regeling").select_option("PW-LO")
    page.get_by_label("Carla Collega (collega)").check()
    page.get_by_label("Daan Derde (derde)").check()
    page.get_by_label("Seed").fill("browser-plan")
    before = _samples(seeded)
    navigate(page, page.get_by_role("button", name="Bekijken vóór het trekken"))
    expect(page.locator("#voorbeeld")).to_contain_text("Er is nog niets getrokken.")
    assert page.locator("#voorbeeld-regels tbody tr").count() >= 2
    assert page.locator("#werklast tbody tr").count() == 2
    assert _samples(seeded) == before
    _look(page, "trekken-voorbeeld")
    navigate(page, page.get_by_role("button", name="Definitief trekken"))
    expect(page.locator("h1")).to_have_text("Steekproeven getrokken")
    drawn = _samples(seeded) - before
    assert drawn > 0 and page.locator("#getrokken tbody a").count() == drawn
    _look(page, "trekken-getrokken")


def _samples(seeded: Seeded) -> int:
    with session_scope(seeded.running.engine) as session:
        return session.scalar(select(func.count()).select_from(Sample))


def test_the_accountant_downloads_a_published_report(page, seeded):
    log_in(page, "accountant")
    navigate(page, page.get_by_role("link", name="Rapportages").first)
    rows = page.locator("#rapportages tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(2)).to_contain_text("vervangen door versie 2")
    _look(page, "rapportages")
    with page.expect_download() as info:
        rows.nth(1).get_by_role("link", name="PDF").click()
    assert info.value.suggested_filename == "kwartaal-2026-Q2-v2.pdf"
    assert Path(info.value.path()).read_bytes() == b"%PDF-1.4 kwartaal"


@pytest.mark.parametrize(
    "username, path, name",
    [
        ("teamleider", "/", "start-teamleider"),
        ("teamleider", "/planner", "planner"),
        ("teamleider", "/evaluatie?periode=2026-Q2", "evaluatie"),
        ("teamleider", "/populaties", "populaties"),
        ("teamleider", "/steekproeven", "steekproeven-lijst"),
        ("accountant", "/", "start-accountant"),
    ],
)
def test_the_other_pages_read_in_dutch_and_are_accessible(page, seeded, username, path, name):
    log_in(page, username)
    page.goto(path)
    text = page.locator("main").inner_text()
    assert RAW_KEY.search(text) is None, RAW_KEY.search(text)  # te_laat_lijst, ter_review: keys, not words
    _look(page, name)
