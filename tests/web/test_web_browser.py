"""In a real browser (Debian's Chromium through Playwright): log in as each role, the lock-out message,
a sample with its BSN and manifest, the audit trail export, and axe-core on every page.

The app runs under waitress on a free port against a temporary SQLite database. With
``KIC_SCREENSHOTS=docs/screenshots`` the main pages are saved as PNG for the documentation.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from web_helpers import PASSWORD

from kic.db import make_engine, session_scope, upgrade
from kic.periods import parse_period
from kic.population import import_population
from kic.samples.browse import manifest_json
from kic.samples.draw import SampleSpec, draw_sample
from kic.samples.models import Sample
from kic.users import Role, add_user

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt (apt-get install chromium fonts-dejavu-core)"
)
SCREENSHOTS = os.environ.get("KIC_SCREENSHOTS")


@dataclass(frozen=True)
class Running:
    address: str
    engine: Engine


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, export: Path) -> Iterator[Running]:
    """The address of a running kic with a population, a sample and one user per role."""
    with running_kic(tmp_path_factory.mktemp("browser"), lambda engine: _seed(engine, export)) as running:
        yield running


@contextmanager
def running_kic(folder: Path, seed: Callable[[Engine], None]) -> Iterator[Running]:
    """kic under waitress on a free port, on a new SQLite database in ``folder`` filled by ``seed``."""
    from waitress import create_server

    from kic.web import create_app

    url = f"sqlite:///{folder / 'kic.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    seed(engine)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "browser-test",
            "INSTANCE_PATH": str(folder),
            "GEMEENTE": "Gemeente Voorbeeld",
        }
    )
    wsgi = create_server(app, host="127.0.0.1", port=0, threads=4)
    closing = threading.Event()

    def serve() -> None:
        try:
            wsgi.run()
        except (
            OSError,
            ValueError,
        ):  # the socket closed under the loop's select() at the end: that is the stop
            if not closing.is_set():
                raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield Running(f"http://127.0.0.1:{wsgi.effective_port}", engine)
    closing.set()
    wsgi.close()
    thread.join(timeout=5)
    app.extensions["kic_engine"].dispose()
    engine.dispose()


def _seed(engine, export: Path) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        import_population(session, "betalingen", export, actor="beheer")
        draw_sample(
            session, SampleSpec("PW-LO", parse_period("2026-Q3"), n=8), seed="browser", actor="teamleider"
        )
        names = {
            Role.KWALITEITSMEDEWERKER: "Kees Kwaliteit",
            Role.TEAMLEIDER: "Tanja Teamleider",
            Role.ACCOUNTANT: "Aart Accountant",
            Role.BEHEERDER: "Bea Beheer",
        }
        for role, name in names.items():
            add_user(
                session,
                username=role.value,
                display_name=name,
                role=role.value,
                password=PASSWORD,
                actor="beheer",
            )
        add_user(
            session,
            username="vergeetachtig",
            display_name="Vera Vergeet",
            role="accountant",
            password=PASSWORD,
            actor="beheer",
        )


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=server.address,
        viewport={"width": 1200, "height": 760},
        accept_downloads=True,
        locale="nl-NL",
    )
    yield context.new_page()
    context.close()


def log_in(page, username: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    navigate(page, page.get_by_role("button", name="Inloggen"))


def assert_accessible(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """axe-core finds no serious or critical violation; optionally save a screenshot for the docs."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    if os.environ.get("KIC_AXE_ALL"):
        print(name, [(v["id"], v["impact"]) for v in violations])
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{name}: {serious}"
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


START_TILES = {
    Role.KWALITEITSMEDEWERKER: ["Mijn werkvoorraad", "Rapportages", "Verbeteragenda"],
    Role.TEAMLEIDER: [
        "Beoordelingen",
        "Steekproeven trekken",
        "Steekproeven",
        "Populaties",
        "Evaluatie",
        "Rapportages",
        "Verbeteragenda",
        "Planner",
    ],
    Role.ACCOUNTANT: [
        "Beoordelingen",
        "Steekproeven",
        "Populaties",
        "Evaluatie",
        "Rapportages",
        "Verbeteragenda",
    ],
    Role.BEHEERDER: ["Populaties", "Planner", "Gebruikers", "Auditspoor"],
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_logs_in_and_sees_its_start_page(page, role):
    page.goto("/inloggen")
    assert_accessible(page, "inloggen")
    log_in(page, role.value)
    assert page.locator("h1").inner_text().startswith("Welkom, ")
    assert page.locator(".kic-tile__title a").all_inner_texts() == START_TILES[role]
    assert_accessible(page, f"start-{role.value}")
    navigate(page, page.get_by_role("button", name="Uitloggen"))
    assert page.url.endswith("/inloggen") and "U bent uitgelogd." in page.content()


def test_the_skip_link_is_the_first_stop_and_focus_is_visible(page):
    page.goto("/inloggen")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused == ["Naar de inhoud", "solid"]


def test_five_wrong_passwords_show_the_lockout_message(page):
    for _ in range(5):
        log_in(page, "vergeetachtig", "niet-het-wachtwoord")
    message = page.get_by_role("alert").inner_text()
    assert message.startswith("Inloggen met deze gebruikersnaam is vanaf dit adres tijdelijk geblokkeerd")
    assert_accessible(page, "inloggen-geblokkeerd")


def test_an_accountant_browses_a_sample_shows_the_bsn_and_downloads_the_manifest(page, server):
    log_in(page, "accountant")
    navigate(page, page.get_by_role("link", name="Steekproeven").first)
    assert_accessible(page, "steekproeven")
    navigate(page, page.locator("tbody a").first)
    assert page.locator("h1").inner_text().startswith("Steekproef ")
    sample_id = int(page.url.rsplit("/", 1)[1])
    assert page.locator("thead th", has_text="BSN").count() == 0
    assert_accessible(page, "steekproef")
    page.get_by_role("button", name="Toon BSN").click()
    expect(page.locator("thead th", has_text="BSN")).to_have_count(1)
    assert not re.search(r"\d{9}", page.url), "a BSN never stands in a URL"
    with page.expect_download() as info:
        page.get_by_role("link", name="Manifest downloaden (JSON)").click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    assert json.loads(text)["steekproef"]["seed"] == "browser"
    assert download.suggested_filename == f"steekproef-{sample_id}-manifest.json"
    assert text == _manifest_in_database(server.engine, sample_id)


def navigate(page, locator) -> None:  # type: ignore[no-untyped-def]
    """Click something that loads a new page, and wait until that page is there."""
    with page.expect_navigation():
        locator.click()


def expect(locator):  # type: ignore[no-untyped-def]
    """Playwright's retrying assertion: a click that navigates has not always finished loading."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _manifest_in_database(engine, sample_id: int) -> str:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return manifest_json(session.get(Sample, sample_id))


def test_the_populations_page_is_accessible(page):
    log_in(page, "teamleider")
    navigate(page, page.get_by_role("link", name="Populaties").first)
    expect(page.locator("tbody tr")).to_have_count(1)  # waits for the navigation the click started
    assert_accessible(page, "populaties")


def test_a_beheerder_adds_a_user_with_errors_beside_the_fields(page):
    log_in(page, "beheerder")
    page.goto("/beheer/gebruikers")
    assert_accessible(page, "gebruikers")
    navigate(page, page.get_by_role("link", name="Gebruiker toevoegen"))
    page.get_by_label("Gebruikersnaam").fill("teamleider")
    page.get_by_label("Wachtwoord").fill("kort")
    navigate(page, page.get_by_role("button", name="Toevoegen"))
    expect(page.get_by_role("alert").locator("li")).to_have_count(4)
    assert_accessible(page, "gebruiker-toevoegen-fouten")
    page.get_by_label("Gebruikersnaam").fill("s.smit")
    page.get_by_label("Naam", exact=True).fill("Sanne Smit")
    page.get_by_label("Rol").select_option("kwaliteitsmedewerker")
    page.get_by_label("Wachtwoord").fill("een-lang-wachtwoord")
    navigate(page, page.get_by_role("button", name="Toevoegen"))
    assert "Gebruiker s.smit is aangemaakt." in page.get_by_role("status").first.inner_text()


def test_a_beheerder_filters_and_exports_the_audit_trail(page):
    log_in(page, "beheerder")
    navigate(page, page.get_by_role("link", name="Auditspoor").first)
    page.get_by_label("Actie").select_option("gebruiker.toevoegen")
    navigate(page, page.get_by_role("button", name="Filteren"))
    actions = page.locator("tbody tr td:nth-child(3)").all_inner_texts()
    assert actions and set(actions) == {"gebruiker.toevoegen"}
    assert_accessible(page, "auditspoor")
    with page.expect_download() as info:
        page.get_by_role("link", name="Exporteren naar CSV").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "tijdstip" and len(rows) - 1 == len(actions)
    assert {row[2] for row in rows[1:]} == {"gebruiker.toevoegen"}
