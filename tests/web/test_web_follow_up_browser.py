"""After the reviews, in a real browser (Debian's Chromium): the teamleider works the verbeteragenda,
sees a failed scheduler run on the start page and in the planner, and the accountant evaluates a quarter
and downloads the JSON; axe-core on every page.

With ``KIC_SCREENSHOTS=docs/screenshots`` the pages are saved for the documentation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from reviewed import reviewed_sample
from test_web_browser import (  # noqa: F401  (browser and page are fixtures)
    CHROMIUM,
    Running,
    assert_accessible,
    browser,
    expect,
    log_in,
    navigate,
    page,
    running_kic,
)
from web_helpers import PASSWORD

from kic.db import session_scope
from kic.evaluation import evaluate_period, evaluation_json
from kic.findings.agenda import NewAction, add_action, set_status
from kic.findings.bevindingen import findings
from kic.findings.models import ImprovementAction
from kic.population import import_population
from kic.scheduling.ledger import claim, finish
from kic.users import add_user

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt")
USERS = {
    "kwaliteitsmedewerker": "Kees Kwaliteit",
    "teamleider": "Tanja Teamleider",
    "accountant": "Aart Accountant",
}
FAILURE = (
    "SampleError: voor PW-LO 2026-Q3 is al steekproef 1 getrokken; trek opnieuw met --opnieuw en een reden"
)


@dataclass(frozen=True)
class Seeded:
    running: Running
    late: int  # an overdue action without hermeting
    control: str  # the control found wrong twice in 2026-Q1 and once in 2026-Q2


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, export: Path, dossiers: Path) -> Iterator[Seeded]:
    ids: dict[str, object] = {}

    def seed(engine) -> None:  # type: ignore[no-untyped-def]
        with session_scope(engine) as session:
            import_population(session, "betalingen", export, actor="beheer")
            import_population(session, "beschikkingen", dossiers, actor="beheer")
            for username, name in USERS.items():
                add_user(
                    session,
                    username=username,
                    display_name=name,
                    role=username,
                    password=PASSWORD,
                    actor="beheer",
                )
        reviewed_sample(engine, "2026-Q1", {0: Decimal("40.00"), 1: Decimal("12.00")})
        reviewed_sample(engine, "2026-Q2", {0: Decimal("5.00")})
        with session_scope(engine) as session:
            [control] = {f.control_id for f in findings(session, "2026-Q1") if f.error_type == "FIN"}
            late = add_action(
                session,
                NewAction(
                    "Controle op inkomsten van de partner",
                    "Team Inkomen",
                    date(2026, 6, 30),
                    priority="hoog",
                    control_ids=(control,),
                ),
                actor="teamleider",
            )
            add_action(
                session,
                NewAction("Scholing kostendelersnorm", "kwaliteitsmedewerker", date(2099, 3, 31)),
                actor="teamleider",
            )
            done = add_action(
                session, NewAction("Dubbele actie", "Team Inkomen", date(2026, 5, 31)), actor="teamleider"
            )
            set_status(session, done.id, "vervallen", actor="teamleider", decision="Zelfde als actie 1")
            ids.update(late=late.id, control=control)
        for job, key, error in (
            ("kwartaalrapportage", "2026-Q2", None),
            ("trekkingen", "2026-Q3", FAILURE),
            ("te_laat_lijst", "2026-11-22", None),
        ):
            finish(engine, claim(engine, job, key, owner="planner:1", attempts=3), error=error)

    with running_kic(tmp_path_factory.mktemp("follow-up-browser"), seed) as running:
        yield Seeded(running, ids["late"], ids["control"])  # type: ignore[arg-type]


@pytest.fixture
def server(seeded: Seeded) -> Running:
    return seeded.running


def _action(seeded: Seeded, action_id: int) -> ImprovementAction:
    with session_scope(seeded.running.engine) as session:
        found = session.get(ImprovementAction, action_id)
        session.expunge(found)
        return found


def test_the_teamleider_makes_an_action_from_bevindingen_and_closes_it_after_the_hermeting(page, seeded):  # noqa: F811
    log_in(page, "teamleider")
    navigate(page, page.get_by_role("link", name="Verbeteragenda").first)
    rows = page.locator("#acties tbody tr")
    expect(rows.first).to_have_class("kic-row--te-laat")
    assert rows.first.locator("a").inner_text() == "Controle op inkomsten van de partner"
    assert_accessible(page, "verbeteragenda")
    navigate(page, page.get_by_role("link", name="Nieuwe verbeteractie"))
    navigate(page, page.get_by_role("button", name="Verbeteractie aanmaken"))
    expect(page.get_by_role("alert").locator("li")).to_have_count(3)  # titel, eigenaar, deadline
    assert page.get_by_label("Titel").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "verbeteractie-nieuw-fouten")
    page.goto("/verbeteragenda/nieuw")
    page.get_by_label("Kwartaal van de bevindingen").select_option("2026-Q1")
    navigate(page, page.get_by_role("button", name="Bevindingen tonen"))
    boxes = page.locator("input[name=bevindingen]")
    expect(boxes).to_have_count(2)
    for box in boxes.all():
        box.check()
    page.get_by_label("Titel").fill("Werkinstructie inkomsten partner")
    page.get_by_label("Omschrijving").fill("Inkomsten van de partner altijd opvragen en verrekenen.")
    page.get_by_label("Eigenaar").fill("kwaliteitsmedewerker")
    page.get_by_label("Deadline").fill("31-12-2026")
    page.get_by_label("Prioriteit").select_option("hoog")
    page.get_by_label("Hermeting: controle").select_option(seeded.control)
    page.get_by_label("Hermeting: kwartaal").fill("2026-Q2")
    page.evaluate("window.scrollTo(0, 0)")
    assert_accessible(page, "verbeteractie-nieuw")
    navigate(page, page.get_by_role("button", name="Verbeteractie aanmaken"))
    assert "is aangemaakt" in page.get_by_role("status").first.inner_text()
    expect(page.locator("#bevindingen tbody tr")).to_have_count(2)
    assert "verbeterd" in page.locator("#hermeting").inner_text()
    assert_accessible(page, "verbeteractie")
    action_id = int(page.url.rsplit("/", 1)[1])
    page.get_by_label("Nieuwe status").select_option("gereed")
    navigate(page, page.get_by_role("button", name="Status opslaan"))
    assert "staat nu op gereed" in page.get_by_role("status").first.inner_text()
    assert _action(seeded, action_id).status == "gereed"
    expect(page.locator("#geschiedenis tbody tr")).to_have_count(2)


def test_closing_without_hermeting_needs_the_teamleiders_decision(page, seeded):  # noqa: F811
    log_in(page, "teamleider")
    page.goto(f"/verbeteragenda/{seeded.late}")
    page.get_by_label("Nieuwe status").select_option("gereed")
    navigate(page, page.get_by_role("button", name="Status opslaan"))
    besluit = page.get_by_label("Besluit")
    assert besluit.get_attribute("aria-invalid") == "true"
    assert "geen hermeting gepland" in page.locator("#besluit-fout-1").inner_text()
    assert_accessible(page, "verbeteractie-besluit-fout")
    besluit.fill("MT 12-11: de werkwijze is vervangen door de nieuwe werkinstructie")
    navigate(page, page.get_by_role("button", name="Status opslaan"))
    closed = _action(seeded, seeded.late)
    assert (closed.status, closed.closing_decision) == (
        "gereed",
        "MT 12-11: de werkwijze is vervangen door de nieuwe werkinstructie",
    )


def test_the_teamleider_sees_a_failed_run_on_the_start_page_and_in_the_planner(page, seeded):  # noqa: F811
    log_in(page, "teamleider")
    notice = page.locator("#planner-melding")
    assert (
        "1 run mislukt" in notice.inner_text()
        and "steekproeven trekken volgens controleplan 2026-Q3" in notice.inner_text()
    )
    assert_accessible(page, "start-teamleider-planner")
    navigate(page, notice.get_by_role("link", name="Bekijk de fouten in de planner"))
    failed = page.locator("#mislukte-runs tbody tr")
    expect(failed).to_have_count(1)
    assert FAILURE in failed.inner_text()
    expect(page.locator("#runs tbody tr.kic-row--te-laat")).to_have_count(1)
    assert_accessible(page, "planner")


def test_the_accountant_evaluates_a_quarter_and_downloads_the_json(page, seeded):  # noqa: F811
    log_in(page, "accountant")
    navigate(page, page.get_by_role("link", name="Evaluatie").first)
    page.get_by_label("Periode").select_option("2026-Q1")
    navigate(page, page.get_by_role("button", name="Evalueren"))
    with session_scope(seeded.running.engine) as session:
        expected = evaluate_period(session, "2026-Q1")
    assert page.locator("#conclusie").inner_text() == f"Conclusie: {expected.conclusion}"
    expect(page.locator("table.kic-evaluation")).to_have_count(3)
    page.evaluate("document.getElementById('uitkomst').scrollIntoView()")
    assert_accessible(page, "evaluatie")
    with page.expect_download() as info:
        page.get_by_role("link", name="Downloaden (JSON)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    assert info.value.suggested_filename == "evaluatie-2026-Q1.json"
    assert text == evaluation_json(expected) + "\n"
    assert json.loads(text)["period"] == "2026-Q1"
