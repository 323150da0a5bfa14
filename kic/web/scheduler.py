"""Planner: the scheduler's planned and past runs from the run ledger, failures with their error
(the same as ``kic scheduler status``), and the notice of failed runs on the start page. Jobs and statuses
are shown by their Dutch names (``kic.scheduling.labels``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template

from kic.scheduling.config import Schedule, ScheduleError, load_schedule
from kic.scheduling.labels import job_label, run_status_label
from kic.scheduling.models import FAILED, JobRun
from kic.scheduling.status import failed_runs, scheduler_status
from kic.users import Role
from kic.web.database import db
from kic.web.security import requires

bp = Blueprint("scheduler", __name__)
# The teamleider answers for the cycle; the beheerder runs the scheduler and repairs what makes it fail.
READERS = (Role.TEAMLEIDER, Role.BEHEERDER)
SHOWN = 200  # the ledger's newest runs on the page; unresolved failures are always shown
# The Dutch names on every page that shows a run (the planner, the notice on the start page).
bp.add_app_template_global(job_label, "job_label")
bp.add_app_template_global(run_status_label, "run_status_label")


@bp.route("/planner")
@requires(*READERS, whole=True)
def index() -> str:
    schedule, problem = configured_schedule()
    zone = ZoneInfo(schedule.timezone if schedule else "Europe/Amsterdam")
    status = scheduler_status(db(), schedule, datetime.now(zone))
    return render_template(
        "scheduler/index.html",
        status=status,
        problem=problem,
        shown=status.runs[:SHOWN],
        unresolved={run.id for run in status.unresolved},
        failed=FAILED,
    )


def configured_schedule() -> tuple[Schedule | None, str | None]:
    """The schedule ``kic scheduler run`` uses (KIC_SCHEDULE, else controls/schedule.yaml), or why it cannot be read."""
    path = current_app.config.get("SCHEDULE_FILE")
    try:
        return load_schedule(Path(path) if path else None), None
    except ScheduleError as exc:
        return None, str(exc)


def start_notice() -> list[JobRun]:
    """Failed runs that have not succeeded since, for the start page of who may open the planner."""
    return failed_runs(db(), configured_schedule()[0])
