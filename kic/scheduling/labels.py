"""Dutch words for the scheduler's keys (job ids and run statuses), shown by the web app.

The job ids stand in the run ledger and in ``controls/schedule.yaml`` (``kic.scheduling.jobs``); the
statuses in ``kic.scheduling.models``. A reader of the planner sees what a job does, never the key.
"""

from __future__ import annotations

from kic.scheduling.models import DONE, FAILED, RUNNING

JOB_LABELS = {
    "kwartaalrapportage": "Kwartaalrapportage publiceren",
    "sisa_dossier": "SiSa- en rechtmatigheidsdossier publiceren",
    "te_laat_lijst": "Lijst van te late verbeteracties",
    "trekkingen": "Steekproeven trekken volgens controleplan",
}
RUN_STATUS_LABELS = {RUNNING: "bezig", DONE: "gelukt", FAILED: "mislukt"}


def job_label(job_id: str) -> str:
    """The Dutch name of a job; an id of an older or newer kic is shown as it is."""
    return JOB_LABELS.get(job_id, job_id)


def run_status_label(status: str) -> str:
    return RUN_STATUS_LABELS.get(status, status)
