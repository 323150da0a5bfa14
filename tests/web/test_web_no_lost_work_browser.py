"""No lost work, in a real browser (Debian's Chromium): drafts are saved as the reviewer works, the page
warns before the session ends, and answers typed after it ended come back after logging in again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
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
from web_helpers import PASSWORD

from kic.db import session_scope
from kic.periods import parse_period
from kic.population import import_population
from kic.review.models import Review
from kic.review.service import create_reviews
from kic.samples.draw import SampleSpec, draw_sample
from kic.users import add_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, export: Path, dossiers: Path) -> Iterator[Running]:
    def seed(engine) -> None:  # type: ignore[no-untyped-def]
        with session_scope(engine) as session:
            import_population(session, "betalingen", export, actor="beheer")
            import_population(session, "beschikkingen", dossiers, actor="beheer")
            sample = draw_sample(
                session,
                SampleSpec("PW-LO", parse_period("2026-Q3"), n=4),
                seed="verlopen",
                actor="teamleider",
            )
            add_user(
                session,
                username="kwaliteitsmedewerker",
                display_name="Kees Kwaliteit",
                role="kwaliteitsmedewerker",
                password=PASSWORD,
                actor="beheer",
            )
            create_reviews(session, sample.id, ["kwaliteitsmedewerker"], actor="teamleider")

    with running_kic(tmp_path_factory.mktemp("no-lost-work"), seed) as running:
        yield running


@pytest.fixture
def context(browser, server):  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(
        base_url=server.address, viewport={"width": 1200, "height": 760}, locale="nl-NL"
    )
    yield context
    context.close()


def _answers(server: Running, review_id: int) -> dict[str, dict[str, str]]:
    with session_scope(server.engine) as session:
        review = session.get(Review, review_id)
        return {c.control_id: dict(c.answers) for c in review.controls}  # type: ignore[union-attr]


def _radios(window, control: int) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The name of a yes/no question of the ``control``-th control on the page, and its 'nee' radio id."""
    radio = window.locator(".kic-radios input[value='nee']").nth(control)
    return radio.get_attribute("name"), radio.get_attribute("id")


def test_answers_typed_after_the_session_ended_come_back_after_logging_in(context, server):
    window = context.new_page()
    log_in(window, "kwaliteitsmedewerker")
    window.goto("/beoordelingen/1")
    first, first_id = _radios(window, 0)
    window.locator(f"#{first_id}").check()
    status = window.locator("#concept-status")
    expect(status).to_contain_text("Concept automatisch opgeslagen om")  # no button pressed
    control, question = first.split("__")
    assert _answers(server, 1)[control][question] == "nee"

    context.clear_cookies()  # half an hour in the DMS: the browser dropped the session's cookie
    second, second_id = _radios(window, 1)
    window.locator(f"#{second_id}").check()
    window.get_by_label("Toelichting", exact=True).fill("Loonstrook juni ontbreekt in het dossier.")
    expect(status).to_contain_text("uw sessie is verlopen")
    banner = window.locator("#sessie-melding")
    expect(banner).to_contain_text("Uw sessie is verlopen")
    control2, question2 = second.split("__")
    assert question2 not in _answers(server, 1).get(control2, {})  # not on the server: kept in the tab
    assert_accessible(window, "sessie-verlopen")

    navigate(window, banner.get_by_role("link", name="Opnieuw inloggen"))
    window.get_by_label("Gebruikersnaam").fill("kwaliteitsmedewerker")
    window.get_by_label("Wachtwoord").fill(PASSWORD)
    navigate(window, window.get_by_role("button", name="Inloggen"))
    assert window.url.endswith("/beoordelingen/1")
    expect(status).to_contain_text("Concept automatisch opgeslagen om")
    assert window.locator(f"#{second_id}").is_checked()
    assert (
        window.get_by_label("Toelichting", exact=True).input_value()
        == "Loonstrook juni ontbreekt in het dossier."
    )
    saved = _answers(server, 1)
    assert saved[control][question] == "nee" and saved[control2][question2] == "nee"


def test_the_page_warns_before_the_session_ends_and_keeps_it_on_request(context, server):
    window = context.new_page()
    log_in(window, "kwaliteitsmedewerker")
    window.clock.install()
    window.goto("/beoordelingen/2")
    banner = window.locator("#sessie-melding")
    assert banner.is_hidden()
    window.clock.fast_forward("27:30")
    assert banner.is_hidden()
    window.clock.fast_forward("01:00")  # 28:30 of 30 minutes without a request
    expect(banner).to_contain_text("Uw sessie verloopt over")
    assert_accessible(window, "sessie-waarschuwing")
    banner.get_by_role("button", name="Ingelogd blijven").click()
    expect(banner).to_be_hidden()
    window.clock.fast_forward("29:59")
    expect(banner).to_contain_text("Uw sessie verloopt over")
    window.clock.fast_forward("00:02")
    expect(banner).to_contain_text("Uw sessie is verlopen")
    expect(banner.get_by_role("link", name="Opnieuw inloggen")).to_have_attribute(
        "href", "/inloggen?next=%2Fbeoordelingen%2F2"
    )
