"""Fault injection, issue 18 #4 and #5: a process killed with ``kill -9`` at an awkward moment.

Each kill is placed exactly: the child process runs kic's own code up to the named point and then
sends itself SIGKILL (no cleanup, no finally, as with a power cut or the OOM killer).
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine

from kic.db import session_scope
from kic.reports.models import ReportVersion
from kic.reports.publish import publish
from kic.scheduling.config import Schedule
from kic.scheduling.jobs import Job
from kic.scheduling.ledger import claim, runs
from kic.scheduling.models import DONE, FAILED, RUNNING
from kic.scheduling.runner import run_due

FILES = {"html": b"<p>rapport</p>", "pdf": b"%PDF-1.7 rapport"}


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _child(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args])


PUBLISH_AND_DIE = """
    import os, signal, sys
    from pathlib import Path
    from sqlalchemy import create_engine
    from kic.db import session_scope
    from kic.reports import publish as published

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if sys.argv[3] == "voor-commit":  # the files are written under temporary names, nothing committed
        published._place_on_commit = die
    else:  # "na-commit": the version is committed, its files not yet moved into place
        published._place = die
    with session_scope(create_engine(sys.argv[1])) as session:
        published.publish(session, "kwartaal", "2026-Q2", {"html": b"<p>rapport</p>", "pdf": b"%PDF-1.7 rapport"},
                          actor="planner", out_dir=Path(sys.argv[2]))
"""


@pytest.mark.parametrize("moment", ["voor-commit", "na-commit"])
def test_a_publish_killed_midway_never_blocks_the_next_one(db, tmp_path, moment):
    folder = tmp_path / "rapporten"
    child = _child(PUBLISH_AND_DIE, _url(db), str(folder), moment)
    assert child.wait(60) == -signal.SIGKILL
    with session_scope(db) as session:
        again = publish(session, "kwartaal", "2026-Q2", FILES, actor="kim", out_dir=folder)
    assert again.version_no == (1 if moment == "voor-commit" else 2)
    _assert_folder_matches_database(db, folder)


def test_a_file_no_version_owns_is_moved_aside_not_overwritten(db, tmp_path):
    """Left by a kic before this fix: kwartaal-…-v1.html written, the database never committed."""
    folder = tmp_path / "rapporten"
    folder.mkdir()
    (folder / "kwartaal-2026-Q2-v1.html").write_bytes(b"half")
    with session_scope(db) as session:
        assert publish(session, "kwartaal", "2026-Q2", FILES, actor="kim", out_dir=folder).version_no == 1
    _assert_folder_matches_database(db, folder)
    [aside] = folder.glob("kwartaal-2026-Q2-v1.html.onvoltooid-*")
    assert aside.read_bytes() == b"half"


def _assert_folder_matches_database(engine: Engine, folder: Path) -> None:
    with session_scope(engine) as session:
        versions = session.scalars(select(ReportVersion)).all()
        owned = {Path(v.path).name: v.sha256 for v in versions}  # type: ignore[arg-type]
    files = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.name.endswith(("html", "pdf"))
    }
    assert files == owned, "every version has its file, and every report file is a version"
    assert not list(folder.glob(".*.tmp")) or all(p.stat().st_size for p in folder.glob(".*.tmp"))


SCHEDULE = {"uitvoermap": "uit", "inhalen_dagen": 2, "pogingen": 3, "taken": {}}
JOB_AND_DIE = """
    import os, signal, sys, time
    from datetime import UTC, datetime, time as clock, timedelta
    from pathlib import Path
    from sqlalchemy import create_engine
    from kic.scheduling.config import Schedule
    from kic.scheduling.jobs import Job
    from kic.scheduling.runner import run_due

    def work(engine, key):
        Path(sys.argv[2]).write_text("bezig")
        time.sleep(120)  # killed here

    job = Job("rapport", clock(6), lambda since, until: [("2026-Q2", until)], work)
    schedule = Schedule.model_validate({"uitvoermap": "uit", "inhalen_dagen": 2, "pogingen": 3, "taken": {}})
    run_due(create_engine(sys.argv[1]), [job], schedule, datetime.now(UTC), owner="planner-a",
            lease=timedelta(seconds=float(sys.argv[3])))
"""


def _job(work) -> Job:  # type: ignore[no-untyped-def]
    from datetime import time as clock

    return Job("rapport", clock(6), lambda since, until: [("2026-Q2", until)], work)


def test_a_scheduler_killed_during_a_job_is_retried_after_its_lease(db, tmp_path):
    """The run used to stay 'bezig' forever: no later scheduler retried it."""
    marker = tmp_path / "gestart"
    child = _child(JOB_AND_DIE, _url(db), str(marker), "1.5")
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline and child.poll() is None, "the job never started"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(10)
    [run] = runs(db)
    assert run.status == RUNNING
    schedule = Schedule.model_validate(SCHEDULE)
    done = _job(lambda engine, key: "klaar")
    assert run_due(db, [done], schedule, datetime.now(UTC), owner="planner-b") == [], "the lease still holds"
    time.sleep(1.6)
    [outcome] = run_due(db, [done], schedule, datetime.now(UTC), owner="planner-b")
    assert outcome.ok
    [run] = runs(db)
    assert (run.status, run.attempt, run.owner) == (DONE, 2, "planner-b")


def test_a_run_that_died_on_its_last_attempt_is_a_failure_not_bezig(db):
    start = datetime.now(UTC)
    assert (
        claim(db, "rapport", "2026-Q2", owner="a", attempts=1, lease=timedelta(seconds=1), now=start)
        is not None
    )
    assert claim(db, "rapport", "2026-Q2", owner="b", attempts=1, now=start + timedelta(seconds=2)) is None
    [run] = runs(db)
    assert run.status == FAILED and "afgebroken" in (run.error or "")


def test_a_long_job_keeps_its_run_while_it_lives(db):
    """The heartbeat renews the lease: a second scheduler does not take over a job that is alive."""
    schedule = Schedule.model_validate(SCHEDULE)
    started = threading.Event()

    def slow(engine, key):  # type: ignore[no-untyped-def]
        started.set()
        time.sleep(2.5)
        return "klaar"

    worker = threading.Thread(
        target=run_due,
        args=(db, [_job(slow)], schedule, datetime.now(UTC)),
        kwargs={"lease": timedelta(seconds=1)},
    )
    worker.start()
    started.wait(30)
    taken = []
    while worker.is_alive():
        taken.append(claim(db, "rapport", "2026-Q2", owner="b", attempts=3))
        time.sleep(0.3)
    worker.join()
    assert taken and set(taken) == {None}
    [run] = runs(db)
    assert (run.status, run.attempt) == (DONE, 1)


IMPORT_OR_RUN_AND_DIE = """
    import os, signal, sys
    from pathlib import Path
    from sqlalchemy import create_engine
    from kic.db import session_scope
    from kic.controls import run as control_run
    from kic.population import import_population, importer

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    with session_scope(create_engine(sys.argv[1])) as session:
        if sys.argv[2] == "import":  # every row is written, the snapshot not yet committed
            importer._mark_replaced = die
            import_population(session, "betalingen", Path(sys.argv[3]), actor="tester")
        else:  # every result of the run is written, not yet committed
            control_run._audit = die
            control_run.run_controls(session, actor="tester")
"""


def test_an_import_killed_before_its_commit_leaves_nothing_and_can_be_repeated(team, gemeente):
    from sqlalchemy import func

    from kic.population import import_population
    from kic.population.models import Payment, PopulationSnapshot

    child = _child(IMPORT_OR_RUN_AND_DIE, _url(team), "import", str(gemeente.payments_path))
    assert child.wait(120) == -signal.SIGKILL
    with session_scope(team) as session:
        assert session.scalar(select(func.count()).select_from(Payment)) == 0
        assert session.scalar(select(func.count()).select_from(PopulationSnapshot)) == 0
        import_population(session, "betalingen", gemeente.payments_path, actor="tester")


def test_a_controls_run_killed_before_its_commit_leaves_no_half_run(population):
    from sqlalchemy import func

    from kic.controls.models import ControlResult, ControlRun
    from kic.controls.run import run_controls

    child = _child(IMPORT_OR_RUN_AND_DIE, _url(population), "controls")
    assert child.wait(300) == -signal.SIGKILL
    with session_scope(population) as session:
        assert session.scalar(select(func.count()).select_from(ControlRun)) == 0
        assert session.scalar(select(func.count()).select_from(ControlResult)) == 0
        assert run_controls(session, actor="tester").run_id
