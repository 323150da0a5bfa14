"""Fixtures of the web tests: a database with a population, a drawn sample and one user per role;
reviews, bevindingen and verbeteracties where a test asks for them; and a fake OpenID Connect
provider on a local port."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fake_idp import FakeProvider
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from web_helpers import PASSWORD, passing_answers

from kic.db import session_scope
from kic.findings.agenda import NewAction, add_action
from kic.findings.bevindingen import findings
from kic.periods import parse_period
from kic.population import import_population
from kic.review.service import ReviewInput, create_reviews, save_review
from kic.samples.draw import SampleSpec, draw_sample
from kic.synth import SynthResult, generate
from kic.users import Role, add_user
from kic.web import create_app

sys.path.insert(0, str(Path(__file__).parents[1] / "findings"))
from reviewed import reviewed_sample  # tests/findings/reviewed.py, shared with the reports tests


@dataclass(frozen=True)
class Site:
    engine: Engine
    url: str
    sample_id: int


@pytest.fixture(scope="session")
def gemeente(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    return generate(tmp_path_factory.mktemp("gemeente"), payments=600, seed=11)


@pytest.fixture(scope="session")
def export(gemeente: SynthResult) -> Path:
    return gemeente.payments_path


@pytest.fixture(scope="session")
def dossiers(gemeente: SynthResult) -> Path:
    return gemeente.dossiers_path


@pytest.fixture
def site(db: Engine, export: Path) -> Site:
    """One user per role, named after the role, all with :data:`PASSWORD`."""
    with session_scope(db) as session:
        import_population(session, "betalingen", export, actor="beheer")
        sample = draw_sample(
            session, SampleSpec("PW-LO", parse_period("2026-Q3"), n=8), seed="web", actor="teamleider"
        )
        add_role_users(session)
        sample_id = sample.id
    return Site(db, db.url.render_as_string(hide_password=False), sample_id)


def add_role_users(session) -> None:  # type: ignore[no-untyped-def]
    """One user per role, named after the role, all with :data:`PASSWORD`."""
    for role in Role:
        add_user(
            session,
            username=role.value,
            display_name=f"Test {role.label}",
            role=role.value,
            password=PASSWORD,
            actor="beheer",
        )


@dataclass(frozen=True)
class Reviews:
    mine: int  # kwaliteitsmedewerker's to review (te doen), collega the second reviewer
    theirs: int  # derde's, submitted, waiting for kwaliteitsmedewerker as second reviewer


@pytest.fixture
def with_dossiers(site: Site, dossiers: Path) -> Site:
    """The site with the beschikkingen imported too (the checklist reads them)."""
    with session_scope(site.engine) as session:
        import_population(session, "beschikkingen", dossiers, actor="beheer")
    return site


@pytest.fixture
def reviews(with_dossiers: Site) -> Reviews:
    """The sample's items shared in turn by collega, derde and kwaliteitsmedewerker, with vier-ogen;
    one of derde's submitted and waiting for kwaliteitsmedewerker."""
    site = with_dossiers
    with session_scope(site.engine) as session:
        for name in ("collega", "derde"):
            add_user(
                session,
                username=name,
                display_name=f"Test {name.title()}",
                role="kwaliteitsmedewerker",
                password=PASSWORD,
                actor="beheer",
            )
        created = create_reviews(
            session,
            site.sample_id,
            ["kwaliteitsmedewerker", "collega", "derde"],
            actor="teamleider",
            second=True,
            deadline=date(2026, 10, 15),
        )
        mine = next(
            r for r in created if r.reviewer == "kwaliteitsmedewerker" and r.second_reviewer == "collega"
        )
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
        return Reviews(mine.id, theirs.id)


@dataclass(frozen=True)
class Bevindingen:
    before: list[int]  # the reviews of the 2026-Q1 sample: errors in the first two items
    after: list[int]  # the reviews of the 2026-Q2 sample: an error in the first item only
    control: str  # the control the errors were found with


@pytest.fixture
def bevindingen(with_dossiers: Site) -> Bevindingen:
    """Two fully reviewed PW-LO samples (2026-Q1 and 2026-Q2, beside the site's 2026-Q3 sample):
    the same control found wrong twice in Q1 and once in Q2, so a hermeting in Q2 shows improvement."""
    before = reviewed_sample(with_dossiers.engine, "2026-Q1", {0: Decimal("40.00"), 1: Decimal("12.00")})
    after = reviewed_sample(with_dossiers.engine, "2026-Q2", {0: Decimal("5.00")})
    with session_scope(with_dossiers.engine) as session:
        [control] = {f.control_id for f in findings(session, "2026-Q1") if f.error_type == "FIN"}
    return Bevindingen(before, after, control)


@pytest.fixture
def action(site: Site) -> int:
    """A verbeteractie without bevindingen or hermeting, owned by the user kwaliteitsmedewerker, overdue."""
    with session_scope(site.engine) as session:
        return add_action(
            session,
            NewAction("Werkinstructie inkomsten bijwerken", "kwaliteitsmedewerker", date(2026, 3, 31)),
            actor="teamleider",
        ).id


@pytest.fixture
def app(site: Site, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "DATABASE_URL": site.url,
            "SECRET_KEY": "test-geheim",
            "TESTING": True,
            "INSTANCE_PATH": str(tmp_path / "instance"),
        }
    )
    yield app
    app.extensions["kic_engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture(scope="session")
def identity_provider() -> Iterator[FakeProvider]:
    provider = FakeProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def idp(identity_provider: FakeProvider) -> FakeProvider:
    """The fake provider, with nobody logging in and nothing tampered with."""
    identity_provider.reset()
    return identity_provider
