"""The reviewer's werkvoorraad, the item page after handing in, and vier-ogen, in a real browser (Debian's
Chromium): filters and sorting that stay in the URL, "Volgende post" in the chosen order, the verdict after
handing in, a post sent back, and the second reviewer's decision without scrolling; axe on every page.

With ``KIC_SCREENSHOTS=docs/screenshots`` the pages are saved for docs/review.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from test_web_browser import (  # noqa: F401
    CHROMIUM,
    SCREENSHOTS,
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
from kic.periods import parse_period
from kic.population import import_population
from kic.review.models import Review
from kic.review.service import ReviewInput, create_reviews, save_review, second_review
from kic.samples.draw import SampleSpec, draw_sample
from kic.users import add_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt"),
]
REVIEWERS = {"kwaliteitsmedewerker": "Kees Kwaliteit", "collega": "Carla Collega", "derde": "Daan Derde"}
COMMENT = "Het huurcontract ontbreekt in het dossier; voeg het toe of beoordeel ALG-02 als onzekerheid."


@dataclass(frozen=True)
class Seeded:
    running: Running
    lo: int  # the PW-LO sample (vier-ogen), shared by the three reviewers
    bb: int  # the PW-BB sample, the kwaliteitsmedewerker's alone, without vier-ogen
    theirs: int  # derde's review with a fout, waiting for the kwaliteitsmedewerker as second reviewer
    returned: int  # the kwaliteitsmedewerker's review, sent back by collega


def _with_error(session, review) -> ReviewInput:  # type: ignore[no-untyped-def]
    """Passing answers, except ALG-02: no besluit, nothing was due (a fout of the whole payment)."""
    answers = passing_answers(session, review)
    answers["ALG-02"] = {**answers["ALG-02"], "voldaan": "nee", "juist_bedrag": "0"}
    return ReviewInput(answers, "proces", "Geen besluit gevonden.")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, export: Path, dossiers: Path) -> Iterator[Seeded]:
    ids: dict[str, int] = {}
    today = date.today()

    def seed(engine) -> None:  # type: ignore[no-untyped-def]
        with session_scope(engine) as session:
            import_population(session, "betalingen", export, actor="beheer")
            import_population(session, "beschikkingen", dossiers, actor="beheer")
            for username, name in {**REVIEWERS, "teamleider": "Tanja Teamleider"}.items():
                role = "kwaliteitsmedewerker" if username in REVIEWERS else username
                add_user(
                    session,
                    username=username,
                    display_name=name,
                    role=role,
                    password=PASSWORD,
                    actor="beheer",
                )
            lo = draw_sample(
                session,
                SampleSpec("PW-LO", parse_period("2026-Q3"), n=12),
                seed="werkvoorraad",
                actor="teamleider",
            )
            bb = draw_sample(
                session,
                SampleSpec("PW-BB", parse_period("2026-Q3"), n=4),
                seed="werkvoorraad",
                actor="teamleider",
            )
            shared = create_reviews(session, lo.id, list(REVIEWERS), actor="teamleider", second=True)
            create_reviews(session, bb.id, ["kwaliteitsmedewerker"], actor="teamleider")
            for n, review in enumerate(shared):  # each reviewer: overdue, due this week, later, in turn
                review.deadline = today + timedelta(days=(-3, 0, 14)[n // len(REVIEWERS) % 3])
            session.flush()
            theirs = next(
                r for r in shared if r.reviewer == "derde" and r.second_reviewer == "kwaliteitsmedewerker"
            )
            save_review(
                session,
                theirs.id,
                _with_error(session, theirs),
                actor="derde",
                expected_version=theirs.version,
                submit=True,
                source="web",
            )
            returned = next(
                r for r in shared if r.reviewer == "kwaliteitsmedewerker" and r.second_reviewer == "collega"
            )
            save_review(
                session,
                returned.id,
                ReviewInput(passing_answers(session, returned)),
                actor="kwaliteitsmedewerker",
                expected_version=returned.version,
                submit=True,
                source="web",
            )
            second_review(
                session,
                returned.id,
                actor="collega",
                agree=False,
                comment=COMMENT,
                expected_version=returned.version,
            )
            ids.update(lo=lo.id, bb=bb.id, theirs=theirs.id, returned=returned.id)

    with running_kic(tmp_path_factory.mktemp("werkvoorraad-browser"), seed) as running:
        yield Seeded(running, **ids)


@pytest.fixture
def server(seeded: Seeded) -> Running:
    return seeded.running


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]  # noqa: F811
    """A window tall enough for the vier-ogen check (a laptop: 1280 by 800)."""
    context = browser.new_context(
        base_url=server.address, viewport={"width": 1280, "height": 800}, locale="nl-NL"
    )
    yield context.new_page()
    context.close()


def _reviews(seeded: Seeded, **where: object) -> list[Review]:
    with session_scope(seeded.running.engine) as session:
        found = session.scalars(select(Review).filter_by(**where).order_by(Review.id)).all()
        session.expunge_all()
        return list(found)


def _full_page(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """The whole page as PNG instead of assert_accessible's visible part (only with KIC_SCREENSHOTS)."""
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_reviewer_filters_and_sorts_the_werkvoorraad_and_the_url_keeps_both(page, seeded):
    log_in(page, "kwaliteitsmedewerker")
    navigate(page, page.get_by_role("link", name="Mijn werkvoorraad").first)
    assert page.locator("#voortgang li").count() == 2  # the two samples with work waiting
    assert_accessible(page, "werkvoorraad")
    _full_page(page, "werkvoorraad")
    page.get_by_label("Steekproef", exact=True).select_option(str(seeded.lo))
    page.get_by_label("Deadline").select_option("te_laat")
    navigate(page, page.get_by_role("button", name="Filteren"))
    assert _query(page.url) == {"steekproef": [str(seeded.lo)], "deadline": ["te_laat"]}
    rows = page.locator("#werkvoorraad tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() == sum(1 for r in rows.all() if "te laat" in r.inner_text())
    navigate(page, page.get_by_role("link", name="Bedrag"))
    assert _query(page.url)["sorteer"] == ["-bedrag"] and _query(page.url)["deadline"] == ["te_laat"]
    sorted_by = page.locator("th[aria-sort]")
    assert sorted_by.count() == 1 and sorted_by.inner_text().startswith("Bedrag")
    assert sorted_by.get_attribute("aria-sort") == "descending"
    amounts = [_euro(t) for t in page.locator("#werkvoorraad tbody td.kic-num").all_inner_texts()]
    assert amounts == sorted(amounts, reverse=True) and len(amounts) > 1
    assert page.get_by_label("Steekproef", exact=True).input_value() == str(seeded.lo), (
        "the form shows the filter"
    )
    assert_accessible(page, "werkvoorraad-filter")
    _full_page(page, "werkvoorraad-filter")
    page.reload()  # a bookmark: the same view again
    assert [_euro(t) for t in page.locator("#werkvoorraad tbody td.kic-num").all_inner_texts()] == amounts


def _euro(text: str) -> float:
    return float(text.replace("€", "").replace(".", "").replace(",", ".").strip())


def test_volgende_post_follows_the_order_the_reviewer_chose(page, seeded):
    log_in(page, "kwaliteitsmedewerker")
    page.goto(f"/werkvoorraad?steekproef={seeded.bb}&sorteer=-bedrag")
    links = page.locator("#werkvoorraad tbody td:first-child a")
    order = [a.get_attribute("href") for a in links.all()]
    assert len(order) >= 3
    navigate(page, links.first)
    for expected in order[1:]:
        navigate(page, page.get_by_role("link", name="Volgende post"))
        assert urlsplit(page.url).path == urlsplit(expected).path
    assert_accessible(page, "beoordeling")
    navigate(page, page.locator(".kic-breadcrumb").get_by_role("link", name="Mijn werkvoorraad"))
    assert _query(page.url) == {"steekproef": [str(seeded.bb)], "sorteer": ["-bedrag"]}


def test_after_handing_in_the_reviewer_sees_the_verdict_where_it_went_and_the_next_post(page, seeded):
    [first, second, *_] = [r for r in _reviews(seeded, sample_id=seeded.bb) if r.status == "te_doen"]
    log_in(page, "kwaliteitsmedewerker")
    page.goto(f"/beoordelingen/{first.id}")
    for radio in page.locator(".kic-radios input[value='ja']").all():
        radio.check()
    page.locator("#ALG-02__voldaan--nee").check()
    page.locator("#ALG-02__juist_bedrag").fill("0")
    page.locator("#oorzaak").select_option("mens")  # a fout needs its oorzaak
    navigate(page, page.get_by_role("button", name="Indienen"))
    result = page.locator("#ingediend")
    expect(result).to_be_focused()  # kic.js: a screen reader starts at the outcome
    assert result.locator("h2").inner_text() == "Ingediend. Oordeel: fout"
    amounts = dict(
        zip(result.locator("dt").all_inner_texts(), result.locator("dd").all_inner_texts(), strict=True)
    )
    assert amounts["Foutbedrag"] == _money(first.id, seeded) and amounts["Formele fouten"] == "0"
    assert "De post is afgerond" in result.inner_text()  # the PW-BB sample has no vier-ogen
    assert "ALG-02" in result.locator("li").first.inner_text()
    assert_accessible(page, "beoordeling-ingediend")
    page.keyboard.press("Tab")  # from the outcome, the next stop is the next post
    assert page.evaluate("() => document.activeElement.textContent").startswith("Volgende post")
    navigate(page, page.get_by_role("link", name="Volgende post"))
    assert urlsplit(page.url).path == f"/beoordelingen/{second.id}"


def _money(review_id: int, seeded: Seeded) -> str:
    from kic.formatting import euro

    [review] = _reviews(seeded, id=review_id)
    return euro(review.error_amount)


def test_a_post_sent_back_shows_as_teruggestuurd_with_the_comment_on_top(page, seeded):
    log_in(page, "kwaliteitsmedewerker")
    page.goto("/werkvoorraad?status=teruggestuurd")
    [row] = page.locator("#werkvoorraad tbody tr").all()
    assert "teruggestuurd" in row.inner_text() and COMMENT[:40] in row.inner_text()
    navigate(page, row.get_by_role("link"))
    notice = page.locator("#teruggestuurd")
    assert notice.locator("h2").inner_text() == "Teruggestuurd door Carla Collega"
    assert notice.locator("blockquote").inner_text() == COMMENT
    assert notice.bounding_box()["y"] < 400, "the comment stands on top, not below the checklist"
    assert_accessible(page, "beoordeling-teruggestuurd")


def test_the_second_reviewer_decides_without_scrolling_and_sees_only_the_deviations(page, seeded):
    log_in(page, "kwaliteitsmedewerker")
    page.goto("/werkvoorraad?status=ter_review")
    navigate(page, page.locator(f"a[href^='/beoordelingen/{seeded.theirs}/vier-ogen']"))
    for button in ("Akkoord", "Terugsturen"):
        box = page.get_by_role("button", name=button).bounding_box()
        assert box["y"] + box["height"] <= 800, f"{button} is visible without scrolling"
    summary = page.locator(".kic-decision")
    assert "fout" in summary.locator(".kic-verdict").inner_text() and "ALG-02" in summary.inner_text()
    assert page.locator(".kic-control").count() == 1 and page.locator("#controle-ALG-02").count() == 1
    assert_accessible(page, "vier-ogen")
    _full_page(page, "vier-ogen-volledig")
    assert page.evaluate("() => document.documentElement.scrollHeight") < 4000, (
        "no 12,000 pixels of checklist"
    )
    navigate(page, page.get_by_role("link", name="controles tonen"))
    assert _query(page.url)["controles"] == ["alle"]
    assert page.locator(".kic-control").count() > 10
    assert page.locator(".kic-control--afwijking").count() == 1
    assert_accessible(page, "vier-ogen-alles")
    page.get_by_label("Commentaar").fill("Eens: er is geen besluit.")
    navigate(page, page.get_by_role("button", name="Akkoord"))
    assert "afgerond" in page.get_by_role("status").first.inner_text()
    assert _query(page.url) == {"status": ["ter_review"]}, "back to the werkvoorraad as it was filtered"
    [review] = _reviews(seeded, id=seeded.theirs)
    assert review.status == "afgerond"
