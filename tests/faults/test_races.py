"""Fault injection, issue 18 #1-#3: two attempts at once must behave as one after the other.

Each race is forced, not hoped for: the first attempt is held (a barrier with a timeout) right after
it checked "is it already there?", so without the lock both attempts pass the check before either has
committed. With the lock the second attempt waits for the first's commit, the barrier times out and the
second is refused as a repeat.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from kic.db import session_scope
from kic.population import AlreadyImported, import_population
from kic.population import importer as importer_module
from kic.population.models import PopulationSnapshot
from kic.samples import draw as draw_module
from kic.samples.draw import AlreadyDrawn


def held_after(module: Any, name: str, monkeypatch: pytest.MonkeyPatch) -> threading.Barrier:
    """Make ``module.name`` wait (at most 2 s) for the other attempt after it ran."""
    barrier = threading.Barrier(2, timeout=2)
    real: Callable[..., Any] = getattr(module, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):  # the other waits for our lock: go on
            barrier.wait()
        return result

    monkeypatch.setattr(module, name, held)
    return barrier


def both_at_once(attempt: Callable[[], object]) -> list[object]:
    """Run ``attempt`` in two threads; their results or the exceptions they raised."""
    outcomes: list[object] = []

    def run() -> None:
        try:
            outcomes.append(attempt())
        except Exception as exc:  # the refusal is the outcome under test
            outcomes.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_the_same_file_imported_twice_at_once_lands_once(team, gemeente, monkeypatch):
    held_after(importer_module, "_check_not_imported", monkeypatch)

    def attempt() -> int:
        with session_scope(team) as session:
            return import_population(
                session, "betalingen", gemeente.payments_path, actor="tester"
            ).snapshot_id

    outcomes = both_at_once(attempt)
    refused = [o for o in outcomes if isinstance(o, AlreadyImported)]
    assert len(refused) == 1 and len([o for o in outcomes if isinstance(o, int)]) == 1, outcomes
    assert refused[0].exit_code == 4
    with session_scope(team) as session:
        assert session.scalar(select(func.count()).select_from(PopulationSnapshot)) == 1


def test_the_same_sample_drawn_twice_at_once_lands_once(population, monkeypatch):
    from kic.periods import parse_period
    from kic.samples.draw import SampleSpec, draw_sample
    from kic.samples.models import Sample

    held_after(draw_module, "_current_sample", monkeypatch)
    spec = SampleSpec(regeling="PW-LO", period=parse_period("2026-Q1"), n=25)

    def attempt() -> int:
        with session_scope(population) as session:
            return draw_sample(session, spec, seed="race", actor="tester").id

    outcomes = both_at_once(attempt)
    assert sorted(type(o).__name__ for o in outcomes) == ["AlreadyDrawn", "int"], outcomes
    assert next(o for o in outcomes if isinstance(o, AlreadyDrawn)).exit_code == 4
    with session_scope(population) as session:
        assert session.scalar(select(func.count()).select_from(Sample)) == 1


def test_parallel_wrong_passwords_check_no_more_than_the_limit(team, monkeypatch):
    """80 wrong passwords on 8 connections at once: only the first 5 reach the password check (the
    counter used to lose updates: 32 were checked before the lock-out took effect)."""
    from concurrent.futures import ThreadPoolExecutor

    import kic.users.login as login_module
    from kic.users import authenticate

    checked: list[int] = []
    real = login_module.verify_password

    def counting(stored_hash: str | None, password: str) -> bool:
        if stored_hash is not None:
            checked.append(1)
        return real(stored_hash, password)

    monkeypatch.setattr(login_module, "verify_password", counting)

    def attempt(_: int) -> bool:
        with session_scope(team) as session:
            return authenticate(session, "ali", "niet-het-wachtwoord", address="198.51.100.4").ok

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(attempt, range(80)))
    assert not any(results)
    assert len(checked) == 5


def test_a_database_error_never_shows_the_values_of_the_statement(db):
    """Issue 18 #15: a 500's log line held the SQL parameters (a review toelichting, a BSN) and, on
    PostgreSQL, the DETAIL that repeats the failing row; kic logs an error as ``loggable`` puts it."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from kic.db import make_engine
    from kic.errors import loggable

    engine = make_engine(db.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO audit_event (id, actor) VALUES (:id, :geheim)"),
                {"id": 1, "geheim": "123456782 toelichting"},
            )
    except DBAPIError as error:
        shown = loggable(error)
        assert "123456782" not in shown and "toelichting" not in shown and "INSERT INTO audit_event" in shown
    else:
        pytest.fail("the insert should have failed (missing columns)")
    finally:
        engine.dispose()


def test_two_kic_imports_of_one_file_started_together_land_once(db, gemeente):
    """Issue 18 #1 as a user meets it: two ``kic import`` processes at the same moment. One lands; the
    other is refused with exit 4 and a Dutch message (SQLite: no 'database is locked' traceback)."""
    import subprocess
    import sys

    url = db.url.render_as_string(hide_password=False)
    command = [
        sys.executable,
        "-m",
        "kic",
        "import",
        "betalingen",
        str(gemeente.payments_path),
        "--database",
        url,
    ]
    children = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    finished = [(child.communicate(timeout=300)[1], child.returncode) for child in children]
    finished = [(code, err) for err, code in finished]
    assert sorted(code for code, _ in finished) == [0, 4], finished
    refused = next(err for code, err in finished if code == 4)
    assert "Fout:" in refused and "Traceback" not in refused
    with session_scope(db) as session:
        assert session.scalar(select(func.count()).select_from(PopulationSnapshot)) == 1
