"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is found through ``KIC_TEST_POSTGRES_URL`` (``.ci/run`` sets it to the server on
127.0.0.1:5432). Each test gets its own schema there, so tests never see each other's rows.
Without the variable, or when the server does not answer, the PostgreSQL variants are skipped
with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher, profiles
from helpers import ensure_team
from sqlalchemy import Engine, create_engine, text

from kic.db import make_engine, session_scope, upgrade
from kic.population import import_population
from kic.synth import SynthResult, generate
from kic.users import passwords

POSTGRES_URL = os.environ.get("KIC_TEST_POSTGRES_URL")

# argon2's cheapest profile in the tests: the hashing is argon2-cffi's own business, tested there, and at
# production cost it was half the time of the web tests. Production code keeps the recommended profile.
passwords._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
passwords._DUMMY_HASH = passwords._hasher.hash("kic-onbekende-gebruiker")


def _postgres_unavailable() -> str | None:
    if not POSTGRES_URL:
        return "KIC_TEST_POSTGRES_URL is niet gezet (geen PostgreSQL voor de tests)"
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # any failure means: not reachable
        return f"PostgreSQL op {POSTGRES_URL} is niet bereikbaar: {exc.__class__.__name__}"
    return None


_PG_SKIP = _postgres_unavailable()
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql", id="postgresql", marks=pytest.mark.skipif(_PG_SKIP is not None, reason=_PG_SKIP or "")
    ),
]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A URL of an empty database (SQLite file, or a fresh PostgreSQL schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kic.sqlite'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def empty_db(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(empty_db: Engine) -> Engine:
    """A database migrated to the newest revision."""
    upgrade(empty_db)
    return empty_db


@pytest.fixture
def team(db: Engine) -> Engine:
    """The database with the team's accounts (helpers.TEAM)."""
    with session_scope(db) as session:
        ensure_team(session)
    return db


@pytest.fixture(scope="session")
def gemeente(tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """A small synthetic gemeente (3,000 payments); a folder that needs another size overrides this."""
    return generate(tmp_path_factory.mktemp("gemeente"), payments=3000, seed=11)


@pytest.fixture
def population(team: Engine, gemeente: SynthResult) -> Engine:
    """The database with the team's accounts and the gemeente's beschikkingen and betalingen imported."""
    with session_scope(team) as session:
        import_population(session, "beschikkingen", gemeente.dossiers_path, actor="tester")
        import_population(session, "betalingen", gemeente.payments_path, actor="tester")
    return team


# The web tests test the face, not the dialect: they run on SQLite only. What the database does (imports,
# locks, triggers, the review service) is tested on both databases in the storage and use-case tests.
FACES = ("web",)


# Markers, so that ``make check`` can leave out what takes long (pytest -m "not slow and not browser and
# not pdf"); ``make test`` runs everything. A module is marked by where it is, not by hand in each file.
SLOW = {"test_demo.py", "test_coverage_simulation.py", "test_migrations.py"}
PDF = {"test_reports.py", "test_plan_cli.py", "test_reconciliation.py", "test_corrections.py"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem.endswith("_browser"):
            item.add_marker(pytest.mark.browser)
        if item.path.name in SLOW or item.path.parent.name == "faults":  # the fault-injection suite
            item.add_marker(pytest.mark.slow)
        if item.path.name in PDF:
            item.add_marker(pytest.mark.pdf)
    faces = [item for item in items if _face_on_postgresql(item)]
    if faces:
        config.hook.pytest_deselected(items=faces)
        items[:] = [item for item in items if not _face_on_postgresql(item)]


def _face_on_postgresql(item: pytest.Item) -> bool:
    params = getattr(getattr(item, "callspec", None), "params", {})
    return params.get("db_url") == "postgresql" and item.path.parent.name in FACES
