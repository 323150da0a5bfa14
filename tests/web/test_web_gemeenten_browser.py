"""The accountant of one gemeente, in a real browser (Debian's Chromium), finds no trace of the other two.

A samenwerkingsverband of three gemeenten goes through the cycle (import, the plan's PW-LO samples drawn per
gemeente and a targeted one over the region, every item reviewed, the kwartaalrapportage and SISA-dossier
published per gemeente and for the region). The accountant of Synthedam then walks every page the menu
offers her, opens every sample, review and report she is shown, downloads every file, and types the
addresses of the other gemeenten's samples, reviews, manifests and reports. Nowhere may the name of another
gemeente, or a payment of another gemeente's sample, appear.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
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

from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.gemeenten import Scope
from kic.plan_draw import draw_plan
from kic.population import import_population
from kic.population.gemeenten import register_gemeente
from kic.population.models import Dossier, Payment
from kic.reports.publish import build_files, publish
from kic.review.models import Review
from kic.samples.models import Sample, SampleItem
from kic.synth import generate, ledger_file
from kic.synth.reviewer import agree_second_reviews, hand_in_sample, read_truth
from kic.users import add_user

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium ontbreekt")
QUARTER = "2026-Q2"
OWN = "GM9901"


@dataclass(frozen=True)
class Region:
    running: Running
    own_name: str
    other_names: list[str]
    other_items: set[str]  # the sampled payments and beschikkingen of the other gemeenten
    other_samples: list[int]
    other_reviews: list[int]
    other_reports: list[int]


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Region]:
    folder = tmp_path_factory.mktemp("regio-browser")
    made = generate(folder / "synth", payments=3_000, seed=23, gemeenten=3)
    names = dict(made.gemeenten)
    found: dict[str, object] = {}

    def seed(engine) -> None:  # type: ignore[no-untyped-def]
        truth = read_truth(made.ground_truth_path)
        with session_scope(engine) as session:
            for code, name in made.gemeenten:
                register_gemeente(
                    session, code, name, actor="beheer", ledger=made.out_dir / ledger_file(code)
                )
            import_population(session, "beschikkingen", made.dossiers_path, actor="beheer")
            import_population(session, "betalingen", made.payments_path, actor="beheer")
            for username in ("anna", "bram"):
                add_user(
                    session,
                    username=username,
                    display_name=username.title(),
                    role="kwaliteitsmedewerker",
                    password=PASSWORD,
                    actor="beheer",
                )
            add_user(
                session,
                username="beheerder",
                display_name="Bea Beheer",
                role="beheerder",
                password=PASSWORD,
                actor="beheer",
            )
            add_user(
                session,
                username="accountant-synthedam",
                display_name="Aart Accountant",
                role="accountant",
                password=PASSWORD,
                gemeenten=[OWN],
                actor="beheer",
            )
            outcomes = draw_plan(
                session,
                2026,
                QUARTER,
                actor="teamleider",
                seed="regio",
                regeling="PW-LO",
                reviewers=["anna", "bram"],
            )
            catalogue = load_catalogue()
            for outcome in outcomes:
                if outcome.sample is not None:
                    hand_in_sample(session, outcome.sample.id, truth, catalogue)
            agree_second_reviews(session)
            reports = []
            for code in [*names, None]:
                scope = Scope.of(code)
                for kind in ("kwartaal", "sisa"):
                    files = build_files(
                        session, kind, QUARTER if kind == "kwartaal" else "2026", pdf=False, scope=scope
                    )
                    published = publish(
                        session,
                        kind,
                        QUARTER if kind == "kwartaal" else "2026",
                        files,
                        actor="t",
                        gemeente=code or "",
                    )
                    if code != OWN:
                        reports += [f.id for f in published.files]
            others = [s for s in session.scalars(select(Sample)) if s.gemeente != OWN]
            found["samples"] = [s.id for s in others]
            found["items"] = set(
                session.scalars(select(SampleItem.item_key).where(SampleItem.sample_id.in_(found["samples"])))
            )
            found["reviews"] = list(
                session.scalars(select(Review.id).where(Review.sample_id.in_(found["samples"])))
            )
            found["reports"] = reports
            elsewhere = set(session.scalars(select(Payment.payment_id).where(Payment.gemeente != OWN))) | set(
                session.scalars(select(Dossier.beschikking_nr).where(Dossier.gemeente != OWN))
            )
            found["items"] = found["items"] & elsewhere  # a regional sample's item may be hers
            assert found["items"], "the other gemeenten's samples have items"

    with running_kic(folder, seed) as running:
        yield Region(
            running,
            names[OWN],
            [name for code, name in names.items() if code != OWN],
            found["items"],  # type: ignore[arg-type]
            found["samples"],  # type: ignore[arg-type]
            found["reviews"],  # type: ignore[arg-type]
            found["reports"],  # type: ignore[arg-type]
        )


@pytest.fixture
def page(browser, region):  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(
        base_url=region.running.address,
        viewport={"width": 1200, "height": 760},
        accept_downloads=True,
        locale="nl-NL",
    )
    yield context.new_page()
    context.close()


def _traces(text: str, region: Region) -> list[str]:
    """Every name of another gemeente and every payment of another gemeente's sample in ``text``."""
    return [name for name in region.other_names if name in text] + sorted(
        key for key in region.other_items if key in text
    )


def _download_text(page, link) -> str:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        link.click()
    content = Path(info.value.path()).read_bytes()
    if content[:2] == b"PK":  # a workbook: its sheets and shared strings
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return " ".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    return content.decode("utf-8", "replace")


def test_the_accountant_of_one_gemeente_finds_no_trace_of_the_others(page, region):
    log_in(page, "accountant-synthedam")
    expect(page.locator(".kic-badge--gemeente")).to_have_text(f"gemeente {region.own_name}")
    seen: dict[str, list[str]] = {}
    menu = [a.get_attribute("href") for a in page.locator("nav.kic-nav a").all()]
    assert "/verbeteragenda" not in menu and "/planner" not in menu
    waiting, opened = list(menu), set()
    while waiting and len(opened) < 400:  # every page reachable from the menu: her samples, reviews, items
        path = waiting.pop(0)
        if path in opened:
            continue
        opened.add(path)
        page.goto(path)
        seen[path] = _traces(page.locator("body").inner_text(), region)
        waiting += [
            href.split("#")[0]
            for href in (a.get_attribute("href") for a in page.locator("main a").all())
            if href
            and href.startswith(("/steekproeven/", "/beoordelingen/"))
            and not href.endswith((".json", ".csv", ".xlsx"))
            and "?" not in href
        ]
    assert any(p.startswith("/beoordelingen/") and p.split("/")[-1].isdigit() for p in opened), (
        "her samples and reviews were opened"
    )
    page.goto("/evaluatie")
    navigate(page, page.get_by_role("button", name="Evalueren"))
    expect(page.locator("#uitkomst")).to_contain_text(region.own_name)
    assert_accessible(page, "evaluatie-gemeente")
    seen["evaluatie"] = _traces(page.locator("body").inner_text(), region)
    seen["evaluatie.json"] = _traces(
        _download_text(page, page.get_by_role("link", name="Downloaden (JSON)")), region
    )
    page.goto("/rapportages")
    files = page.locator("#rapportages a")
    assert files.count() >= 4, "her kwartaalrapportage and SISA-dossier, each in several formats"
    for index in range(files.count()):
        seen[f"rapport {index}"] = _traces(_download_text(page, files.nth(index)), region)
    page.goto("/beoordelingen")
    for name in ("CSV", "XLSX"):
        link = page.get_by_role("link", name=f"Alle beoordelingen ({name})")
        seen[f"export {name}"] = _traces(_download_text(page, link), region)
    assert {where: found for where, found in seen.items() if found} == {}


def test_the_other_gemeenten_addresses_do_not_exist_for_her(page, region):
    log_in(page, "accountant-synthedam")
    addresses = (
        [f"/steekproeven/{s}" for s in region.other_samples]
        + [f"/steekproeven/{s}/manifest.json" for s in region.other_samples]
        + [f"/beoordelingen/steekproef/{s}" for s in region.other_samples]
        + [f"/beoordelingen/{r}" for r in region.other_reviews[:10]]
        + [f"/rapportages/bestand/{f}" for f in region.other_reports]
        + [f"/beoordelingen/export.csv?steekproef={s}" for s in region.other_samples]
    )
    assert len(addresses) > 20
    for address in addresses:
        response = page.request.get(address)
        assert response.status == 404, address
        assert "Deze pagina bestaat niet" in response.text() and not _traces(response.text(), region), address
    # asking for another gemeente through the filters of the pages she has: refused, and nothing of hers shown
    for code in ("GM9902", "GM9903"):
        asked = page.request.get(f"/evaluatie?periode={QUARTER}&gemeente={code}")
        assert asked.status == 422 and "kies een gemeente uit de lijst" in asked.text()
        assert not _traces(asked.text(), region)
        assert page.request.get(f"/evaluatie.json?periode={QUARTER}&gemeente={code}").status == 400
    for kind in ("kwartaal", "sisa", "agenda"):
        listed = page.request.get(f"/rapportages?rapport={kind}")
        assert listed.status == 200 and not _traces(listed.text(), region), kind


def test_the_beheerder_limits_an_account_to_gemeenten_in_the_app(page, region):
    log_in(page, "beheerder")
    page.goto("/beheer/gebruikers")
    navigate(page, page.get_by_role("link", name="Gemeenten van accountant-synthedam"))
    expect(page.get_by_label(f"{region.own_name} (GM9901)")).to_be_checked()
    assert_accessible(page, "gebruiker-gemeenten")
    page.get_by_label(f"{region.other_names[0]} (GM9902)").check()
    navigate(page, page.get_by_role("button", name="Opslaan"))
    expect(page.locator(".kic-alert--succes")).to_contain_text("werkt nu voor GM9901, GM9902")
    page.goto("/beheer/gebruikers/accountant-synthedam/gemeenten")
    page.get_by_label(f"{region.other_names[0]} (GM9902)").uncheck()
    navigate(page, page.get_by_role("button", name="Opslaan"))
    expect(page.locator(".kic-alert--succes")).to_contain_text("werkt nu voor GM9901.")
