"""Fixtures of the web tests: a database with a population, a drawn sample and one user per role, and a
fake OpenID Connect provider on a local port."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fake_idp import FakeProvider
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from web_helpers import PASSWORD, passing_answers

from kic.cycle.draw import SampleSpec, draw_sample
from kic.cycle.periods import parse_period
from kic.db import session_scope
from kic.population import import_population
from kic.review.service import ReviewInput, create_reviews, save_review
from kic.synth import SynthResult, generate
from kic.users import Role, add_user
from kic.web import create_app


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
        sample = draw_sample(session, SampleSpec("PW-LO", parse_period("2026-Q3"), n=8), seed="web",
                             actor="teamleider")
        for role in Role:
            add_user(session, username=role.value, display_name=f"Test {role.label}", role=role.value,
                     password=PASSWORD, actor="beheer")
        sample_id = sample.id
    return Site(db, db.url.render_as_string(hide_password=False), sample_id)


@dataclass(frozen=True)
class Reviews:
    mine: int  # kwaliteitsmedewerker's to review (te doen), collega the second reviewer
    theirs: int  # derde's, submitted, waiting for kwaliteitsmedewerker as second reviewer


@pytest.fixture
def reviews(site: Site, dossiers: Path) -> Reviews:
    """The sample's items shared in turn by collega, derde and kwaliteitsmedewerker, with vier-ogen;
    one of derde's submitted and waiting for kwaliteitsmedewerker."""
    with session_scope(site.engine) as session:
        import_population(session, "beschikkingen", dossiers, actor="beheer")  # the checklist reads them
        for name in ("collega", "derde"):
            add_user(session, username=name, display_name=f"Test {name.title()}", role="kwaliteitsmedewerker",
                     password=PASSWORD, actor="beheer")
        created = create_reviews(session, site.sample_id, ["kwaliteitsmedewerker", "collega", "derde"],
                                 actor="teamleider", second=True, deadline=date(2026, 10, 15))
        mine = next(r for r in created if r.reviewer == "kwaliteitsmedewerker" and r.second_reviewer == "collega")
        theirs = next(r for r in created if r.reviewer == "derde" and r.second_reviewer == "kwaliteitsmedewerker")
        save_review(session, theirs.id, ReviewInput(passing_answers(session, theirs)), actor="derde",
                    expected_version=theirs.version, submit=True, source="web")
        return Reviews(mine.id, theirs.id)


@pytest.fixture
def app(site: Site, tmp_path: Path) -> Iterator[Flask]:
    app = create_app({"DATABASE_URL": site.url, "SECRET_KEY": "test-geheim", "TESTING": True,
                      "INSTANCE_PATH": str(tmp_path / "instance")})
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
