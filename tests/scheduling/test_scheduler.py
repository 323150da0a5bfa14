from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from reviewed import reviewed_sample

from kic.cli import main
from kic.db import session_scope
from kic.scheduling.config import Schedule, ScheduleError, load_schedule
from kic.scheduling.jobs import build_jobs, draw_granularity
from kic.scheduling.ledger import claim, finish, runs
from kic.scheduling.runner import build_scheduler, run_due, upcoming
from kic.scheduling.status import scheduler_status

AMS = ZoneInfo("Europe/Amsterdam")


def _schedule(tmp_path, catch_up=100, **tasks):  # type: ignore[no-untyped-def]
    return Schedule.model_validate(
        {
            "uitvoermap": str(tmp_path / "uit"),
            "inhalen_dagen": catch_up,
            "pogingen": 2,
            "taken": tasks or {"kwartaalrapportage": {"dagen_na_kwartaal": 10, "pdf": False}},
        }
    )


def _at(*args):  # type: ignore[no-untyped-def]
    return datetime(*args, tzinfo=AMS)


def test_shipped_schedule_loads_and_a_wrong_one_names_every_problem(tmp_path):
    assert {j.id for j in build_jobs(load_schedule())} == {
        "kwartaalrapportage",
        "sisa_dossier",
        "te_laat_lijst",
        "trekkingen",
    }
    bad = tmp_path / "planning.yaml"
    bad.write_text(
        "pogingen: 0\ntaken:\n  kwartaalrapportage:\n    tijd: vroeg\n  onbekend: 1\n", encoding="utf-8"
    )
    with pytest.raises(ScheduleError) as caught:
        load_schedule(bad)
    for part in ("pogingen", "kwartaalrapportage.tijd", "taken.onbekend"):
        assert part in str(caught.value)


def test_quarterly_report_runs_once_after_the_quarter_and_catches_up_after_downtime(population, tmp_path):
    reviewed_sample(population, "2026-Q1", {0: Decimal("40.00")})
    reviewed_sample(population, "2026-Q2", {1: Decimal("30.00")})
    schedule = _schedule(tmp_path)
    jobs = build_jobs(schedule)
    before = run_due(
        population, jobs, schedule, _at(2026, 3, 31, 12)
    )  # Q1 not yet due; 2025-Q4 has no samples
    assert [(o.key, o.ok) for o in before] == [("2025-Q4", False)]
    # down from 31 March to 11 July: both reports are made at start, oldest first
    outcomes = run_due(population, jobs, schedule, _at(2026, 7, 11, 9))
    assert [(o.key, o.ok) for o in outcomes] == [("2026-Q1", True), ("2026-Q2", True)]
    assert run_due(population, jobs, schedule, _at(2026, 7, 12, 9)) == []
    assert sorted(p.name for p in (tmp_path / "uit").iterdir()) == [
        "kwartaal-2026-Q1-v1.html",
        "kwartaal-2026-Q2-v1.html",
    ]


def test_quarter_boundary_in_local_time(population, tmp_path):
    reviewed_sample(population, "2026-Q2", {1: Decimal("30.00")})
    schedule = _schedule(tmp_path, catch_up=1)
    jobs = build_jobs(schedule)
    assert run_due(population, jobs, schedule, _at(2026, 7, 10, 6, 59)) == []
    assert [o.key for o in run_due(population, jobs, schedule, _at(2026, 7, 10, 7, 0))] == ["2026-Q2"]


def test_two_schedulers_never_run_the_same_period(db):
    assert claim(db, "kwartaalrapportage", "2026-Q2", owner="a", attempts=3) is not None
    assert claim(db, "kwartaalrapportage", "2026-Q2", owner="b", attempts=3) is None
    assert [(r.owner, r.status) for r in runs(db)] == [("a", "bezig")]


def test_a_failed_run_is_retried_until_the_attempts_are_spent(db, tmp_path):
    schedule = _schedule(tmp_path, catch_up=5)  # no samples at all: the report fails
    jobs = build_jobs(schedule)
    first = run_due(db, jobs, schedule, _at(2026, 7, 10, 8), owner="a")
    assert [(o.key, o.ok) for o in first] == [("2026-Q2", False)] and "geen steekproeven" in first[0].message
    second = run_due(db, jobs, schedule, _at(2026, 7, 10, 8, 30), owner="b")
    assert [o.ok for o in second] == [False]
    assert run_due(db, jobs, schedule, _at(2026, 7, 10, 9), owner="c") == []
    [run] = runs(db)
    assert (run.status, run.attempt, run.owner) == ("mislukt", 2, "b")


def test_daily_overdue_list_only_the_latest_day(db, tmp_path):
    schedule = _schedule(tmp_path, te_laat_lijst={"tijd": "08:00"})
    outcomes = run_due(db, build_jobs(schedule), schedule, _at(2026, 7, 10, 9))
    assert [o.key for o in outcomes] == ["2026-07-10"]
    assert (
        (tmp_path / "uit" / "te-laat-2026-07-10.csv").read_text(encoding="utf-8").startswith("\ufeffnr;actie")
    )


def test_draws_follow_the_plan_frequency_and_the_scheduler_uses_amsterdam_time(tmp_path):
    assert draw_granularity(2026) == "kwartaal"  # the shipped plan has quarterly lines
    schedule = _schedule(tmp_path, trekkingen={"seed": "s", "dagen_na_periode": 5})
    jobs = build_jobs(schedule)
    assert upcoming(jobs, _at(2026, 7, 1, 12)) == [("trekkingen", "2026-Q2", _at(2026, 7, 5, 6))]
    scheduler = build_scheduler(None, jobs, schedule)  # type: ignore[arg-type]
    assert str(scheduler.timezone) == "Europe/Amsterdam"
    planned = {j.id: j.trigger for j in scheduler.get_jobs()}
    assert set(planned) == {"trekkingen", "herhalen"}
    assert str(planned["trekkingen"].timezone) == "Europe/Amsterdam" and "hour='6'" in str(
        planned["trekkingen"]
    )


def test_cli_status_lists_planned_and_past_runs(db, tmp_path):
    url = db.url.render_as_string(hide_password=False)
    claim(db, "kwartaalrapportage", "2026-Q2", owner="a", attempts=3)
    result = CliRunner().invoke(main, ["scheduler", "status", "--database", url])
    assert result.exit_code == 0, result.output
    assert "Gepland:" in result.output and "kwartaalrapportage   2026-Q2" in result.output
    assert "bezig (poging 1)" in result.output


def test_a_failure_is_unresolved_until_its_period_succeeds_or_a_later_daily_list_does(db, tmp_path):
    schedule = _schedule(tmp_path, kwartaalrapportage={"pdf": False}, te_laat_lijst={"tijd": "08:00"})
    for job, key, error in (
        ("kwartaalrapportage", "2026-Q1", "kapot"),
        ("kwartaalrapportage", "2026-Q2", None),
        ("te_laat_lijst", "2026-07-14", "schijf vol"),
        ("te_laat_lijst", "2026-07-15", None),
        ("te_laat_lijst", "2026-07-16", "schijf vol"),
    ):
        finish(db, claim(db, job, key, owner="a", attempts=2), error=error)
    with session_scope(db) as session:
        status = scheduler_status(session, schedule, _at(2026, 7, 16, 9))
    # a later quarter does not make up for a missing report; a later daily list does for an earlier one
    assert sorted((r.job_id, r.period_key) for r in status.unresolved) == [
        ("kwartaalrapportage", "2026-Q1"),
        ("te_laat_lijst", "2026-07-16"),
    ]
    assert all(status.retried(r) for r in status.unresolved)  # first of two attempts
    # the next report is Q3's; the next daily list tomorrow's (not the last day of a four-month window)
    assert [(p.job_id, p.key) for p in status.planned] == [
        ("kwartaalrapportage", "2026-Q3"),
        ("te_laat_lijst", "2026-07-17"),
    ]
    url = db.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["scheduler", "status", "--database", url])
    assert "Mislukt en sindsdien niet gelukt: 2 run(s)." in result.output
