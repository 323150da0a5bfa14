"""Reviewing in a real browser (Debian's Chromium): a reviewer reviews an item end to end, two windows
conflict, evidence is uploaded, the second reviewer agrees, the teamleider and accountant pages; axe on each.

With ``KIC_SCREENSHOTS=docs/screenshots`` the pages are saved for the documentation.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from test_web_browser import (  # noqa: F401
    CHROMIUM,
    Running,
    assert_accessible,
    browser,
    expect,
    log_in,
    page,
    running_kic,
)
from web_helpers import PASSWORD, passing_answers

from kic.db import session_scope
from kic.periods import parse_period
from kic.population import import_population
from kic.review.models import Review, ReviewEvidence
from kic.review.service import ReviewInput, create_reviews, save_review
from kic.samples.draw import SampleSpec, draw_sample
from kic.users import add_user

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt")
REVIEWERS = {"kwaliteitsmedewerker": "Kees Kwaliteit", "collega": "Carla Collega", "derde": "Daan Derde"}


@dataclass(frozen=True)
class Seeded:
    running: Running
    mine: list[int]  # kwaliteitsmedewerker is the first reviewer
    theirs: int  # submitted by derde, waiting for kwaliteitsmedewerker


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, export: Path, dossiers: Path) -> Iterator[Seeded]:
    ids: dict[str, object] = {}

    def seed(engine) -> None:  # type: ignore[no-untyped-def]
        with session_scope(engine) as session:
            import_population(session, "betalingen", export, actor="beheer")
            import_population(session, "beschikkingen", dossiers, actor="beheer")
            sample = draw_sample(
                session,
                SampleSpec("PW-LO", parse_period("2026-Q3"), n=12),
                seed="browser",
                actor="teamleider",
            )
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
            created = create_reviews(session, sample.id, list(REVIEWERS), actor="teamleider", second=True)
            theirs = next(
                r for r in created if r.reviewer == "derde" and r.second_reviewer == "kwaliteitsmedewerker"
            )
            save_review(
                session,
                theirs.id,
                ReviewInput(passing_answers(session, theirs)),
                actor="derde",
                expected_version=theirs.version,
                submit=True,
                source="web",
            )
            mine = [r.id for r in created if r.reviewer == "kwaliteitsmedewerker"]
            assert len(mine) >= 3, "the tests below use three items of the kwaliteitsmedewerker"
            ids.update(mine=mine, theirs=theirs.id)

    with running_kic(tmp_path_factory.mktemp("review-browser"), seed) as running:
        yield Seeded(running, ids["mine"], ids["theirs"])  # type: ignore[arg-type]


@pytest.fixture
def server(seeded: Seeded) -> Running:
    return seeded.running


def _status(seeded: Seeded, review_id: int) -> str:
    with session_scope(seeded.running.engine) as session:
        return session.get(Review, review_id).status


def test_a_reviewer_reviews_an_item_end_to_end(page, seeded):  # noqa: F811
    log_in(page, "kwaliteitsmedewerker")
    page.get_by_role("link", name="Mijn werkvoorraad").first.click()
    assert_accessible(page, "werkvoorraad")
    page.locator(f"a[href='/beoordelingen/{seeded.mine[0]}']").click()
    assert_accessible(page, "beoordeling")
    page.get_by_role("button", name="Indienen").click()
    summary = page.get_by_role("alert").filter(has_text="Er is iets niet goed ingevuld")
    assert summary.locator("li").count() > 10
    assert_accessible(page, "beoordeling-fouten")
    summary.locator("a").first.click()
    assert page.evaluate("() => document.activeElement.name") == page.locator(
        ".kic-radios input"
    ).first.get_attribute("name")
    for radio in page.locator(".kic-radios input[value='ja']").all():
        radio.check()
    page.get_by_label("Toelichting", exact=True).fill("Alles volgens het verificatieprotocol.")
    page.get_by_role("button", name="Opslaan als concept").click()
    assert "Concept opgeslagen." in page.get_by_role("status").first.inner_text()
    assert _status(seeded, seeded.mine[0]) == "bezig"
    page.get_by_role("button", name="Indienen").click()
    assert page.url.endswith(f"/beoordelingen/{seeded.mine[0]}?ingediend=1")
    outcome = page.locator("#ingediend")
    assert outcome.locator("h2").inner_text() == "Ingediend. Oordeel: voldoet"
    with session_scope(seeded.running.engine) as session:
        second = session.get(Review, seeded.mine[0]).second_reviewer
    assert f"ter review bij {REVIEWERS[second]} ({second})" in outcome.inner_text()
    assert _status(seeded, seeded.mine[0]) == "ter_review"


def test_two_windows_on_one_item_conflict_with_a_clear_message(browser, seeded):  # noqa: F811
    windows = []
    for _ in range(2):
        context = browser.new_context(base_url=seeded.running.address, locale="nl-NL")
        window = context.new_page()
        log_in(window, "kwaliteitsmedewerker")
        window.goto(f"/beoordelingen/{seeded.mine[1]}")
        windows.append((context, window))
    (_, first), (_, second) = windows
    first.get_by_label("Toelichting", exact=True).fill("eerste venster")
    first.get_by_role("button", name="Opslaan als concept").click()
    second.get_by_label("Toelichting", exact=True).fill("tweede venster")
    second.get_by_role("button", name="Opslaan als concept").click()
    message = second.locator("#melding").inner_text()
    assert "intussen gewijzigd" in message and "Uw antwoorden staan hieronder nog" in message
    assert second.get_by_label("Toelichting", exact=True).input_value() == "tweede venster"
    assert_accessible(second, "beoordeling-conflict")
    for context, _ in windows:
        context.close()


def test_a_reviewer_uploads_evidence(page, seeded, tmp_path):  # noqa: F811
    document = tmp_path / "huurcontract.pdf"
    document.write_bytes(b"%PDF-1.4 huurcontract van de woning")
    log_in(page, "kwaliteitsmedewerker")
    page.goto(f"/beoordelingen/{seeded.mine[2]}")
    page.get_by_label("Document toevoegen").set_input_files(str(document))
    page.get_by_role("button", name="Bewijs toevoegen").click()
    assert "Bewijsstuk huurcontract.pdf is toegevoegd." in page.get_by_role("status").first.inner_text()
    assert page.locator("#bewijs ~ ul a").all_inner_texts() == ["huurcontract.pdf"]
    with page.expect_download() as info:
        page.get_by_role("link", name="huurcontract.pdf").click()
    assert Path(info.value.path()).read_bytes() == document.read_bytes()
    with session_scope(seeded.running.engine) as session:
        [stored] = session.scalars(
            select(ReviewEvidence).where(ReviewEvidence.review_id == seeded.mine[2])
        ).all()
        assert (stored.file_name, stored.size, stored.uploaded_by) == (
            "huurcontract.pdf",
            35,
            "kwaliteitsmedewerker",
        )


def test_the_second_reviewer_agrees(page, seeded):  # noqa: F811
    log_in(page, "kwaliteitsmedewerker")
    page.goto("/werkvoorraad")
    page.locator(f"a[href='/beoordelingen/{seeded.theirs}/vier-ogen']").click()
    expect(page.locator("h1")).to_contain_text("Vier-ogen")
    assert page.locator(".kic-radios").count() == 0
    assert_accessible(page, "vier-ogen")
    page.get_by_role("button", name="Akkoord").click()
    assert "afgerond" in page.get_by_role("status").first.inner_text()
    assert _status(seeded, seeded.theirs) == "afgerond"


def test_the_teamleider_follows_progress_and_opens_the_draw_form(page, seeded):  # noqa: F811
    log_in(page, "teamleider")
    page.get_by_role("link", name="Beoordelingen").first.click()
    assert_accessible(page, "beoordelingen")
    page.locator("tbody a").first.click()
    expect(page.locator("#voortgang tbody tr")).to_have_count(len(REVIEWERS))  # waits for the navigation
    assert_accessible(page, "beoordelingen-steekproef")
    page.goto("/beoordelingen/trekken")
    page.get_by_role("button", name="Trekken").click()
    expect(page.get_by_role("alert").locator("li")).to_have_count(1)
    assert_accessible(page, "steekproeven-trekken")


def test_the_accountant_downloads_the_review_export(page, seeded):  # noqa: F811
    log_in(page, "accountant")
    page.goto("/beoordelingen")
    with page.expect_download() as info:
        page.get_by_role("link", name="Alle beoordelingen (XLSX)").click()
    rows = list(
        load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active.iter_rows(values_only=True)
    )
    with session_scope(seeded.running.engine) as session:
        assert {row[6] for row in rows[1:]} == set(session.scalars(select(Review.id)))
