"""The scheduler's jobs: which periods are due at a moment, and what running one period does.

Each job knows its period keys (2026-Q2 for a quarterly report, 2026-07-14 for a daily list, 2026-07
or 2026-Q3 for draws) and the local moment each one becomes due. Running a key calls the same
use-case functions as the CLI; the ledger (``kic.scheduling.ledger``) makes each key run once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from kic.csvexport import dutch_csv
from kic.db import session_scope
from kic.findings.agenda import overdue
from kic.gemeenten import Scope, known_codes
from kic.periods import Period, parse_period
from kic.plan.loader import PlanError, PlanNotFound, load_plan
from kic.plan.schema import Frequentie
from kic.plan_draw import draw_plan
from kic.reports.figures import ReportError
from kic.reports.publish import KIND_LABELS, build_files, gemeente_ledger, publish
from kic.reports.render import pdf_unavailable
from kic.scheduling.config import Draws, OverdueList, QuarterlyReport, Schedule, SisaDossier

ACTOR = "scheduler"
Due = list[tuple[str, datetime]]


@dataclass(frozen=True)
class Job:
    id: str
    at: time
    due: Callable[[datetime, datetime], Due]  # (from, until) -> keys with their due moment, oldest first
    run: Callable[[Engine, str], str]  # run one key; a Dutch summary
    only_latest: bool = False  # a later key makes an earlier one moot (the daily list): not caught up


def build_jobs(schedule: Schedule) -> list[Job]:
    zone = ZoneInfo(schedule.timezone)
    tasks, jobs = schedule.tasks, []
    if tasks.quarterly_report:
        jobs.append(
            _quarterly("kwartaalrapportage", "kwartaal", tasks.quarterly_report, zone, schedule.out_dir)
        )
    if tasks.sisa_dossier:
        jobs.append(_quarterly("sisa_dossier", "sisa", tasks.sisa_dossier, zone, schedule.out_dir))
    if tasks.overdue_list:
        jobs.append(_overdue(tasks.overdue_list, zone, schedule.out_dir))
    if tasks.draws:
        jobs.append(_draws(tasks.draws, zone))
    return jobs


def periods(kind: str, start: date, end: date) -> list[Period]:
    """Every month (kind 'maand') or quarter ('kwartaal') that overlaps start..end."""
    found, year, step = [], start.year, 1 if kind == "maand" else 3
    for y in range(year - 1, end.year + 1):
        for first in range(1, 13, step):
            label = f"{y}-{first:02d}" if kind == "maand" else f"{y}-Q{(first + 2) // 3}"
            period = parse_period(label)
            if period.end >= start and period.start <= end:
                found.append(period)
    return found


def _after(
    periods_: list[Period], days: int, at: time, zone: ZoneInfo, since: datetime, until: datetime
) -> Due:
    due = [(p.label, datetime.combine(p.end + timedelta(days=days), at, tzinfo=zone)) for p in periods_]
    return [(key, moment) for key, moment in due if since <= moment <= until]


def _quarterly(
    job_id: str, kind: str, task: QuarterlyReport | SisaDossier, zone: ZoneInfo, out_dir: Path
) -> Job:
    """A report after every quarter: the kwartaalrapportage of the quarter, or the SISA-dossier of its year so
    far (``kind`` sisa); the installation's and, in a samenwerkingsverband, one per gemeente."""

    def due(since: datetime, until: datetime) -> Due:
        return _after(
            periods("kwartaal", since.date() - timedelta(days=100), until.date()),
            task.days_after,
            task.at,
            zone,
            since,
            until,
        )

    def run(engine: Engine, key: str) -> str:
        pdf = task.pdf and pdf_unavailable() is None
        period = key if kind == "kwartaal" else key[:4]
        with session_scope(engine) as session:
            codes = known_codes(session)
            # one gemeente: her grootboek is the installation's; a region's own report has none of its own
            ledger = gemeente_ledger(session, codes[0]) if kind == "sisa" and len(codes) == 1 else None
            files = build_files(session, kind, period, pdf=pdf, ledger=ledger)
            published = publish(session, kind, period, files, actor=ACTOR, out_dir=out_dir)
            done = [f"{KIND_LABELS[kind].lower()} {period} versie {published.version_no}"]
            for code in codes if len(codes) > 1 else []:
                try:
                    files = build_files(session, kind, period, pdf=pdf, scope=Scope.of(code))
                except ReportError as exc:  # no sample of hers in the quarter: nothing to report
                    done.append(f"{code}: {exc}")
                    continue
                mine = publish(session, kind, period, files, actor=ACTOR, out_dir=out_dir, gemeente=code)
                done.append(f"{code} versie {mine.version_no}")
        return "; ".join(done)

    return Job(job_id, task.at, due, run)


def _overdue(task: OverdueList, zone: ZoneInfo, out_dir: Path) -> Job:
    def due(since: datetime, until: datetime) -> Due:
        days = [until.date() - timedelta(days=1), until.date()]
        moments = [(d.isoformat(), datetime.combine(d, task.at, tzinfo=zone)) for d in days]
        return [m for m in moments if since <= m[1] <= until][-1:]  # only the latest list is of use

    def run(engine: Engine, key: str) -> str:
        with session_scope(engine) as session:
            rows = [
                (a.id, a.title, a.owner, a.deadline.isoformat(), a.status)
                for a in overdue(session, date.fromisoformat(key))
            ]
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / f"te-laat-{key}.csv").write_text(
            dutch_csv(("nr", "actie", "eigenaar", "deadline", "status"), rows), encoding="utf-8"
        )
        return f"{len(rows)} te late verbeteractie(s) op {key}"

    return Job("te_laat_lijst", task.at, due, run, only_latest=True)


def draw_granularity(year: int) -> str | None:
    """'maand' when every line of the year's plan draws weekly or monthly, else 'kwartaal'; None without plan."""
    try:
        plan = load_plan(year)
    except (PlanNotFound, PlanError):
        return None
    fine = {Frequentie.WEKELIJKS, Frequentie.MAANDELIJKS}
    return "maand" if all(part.frequency in fine for part in plan.parts) else "kwartaal"


def _draws(task: Draws, zone: ZoneInfo) -> Job:
    def due(since: datetime, until: datetime) -> Due:
        found: Due = []
        for year in range(since.year - 1, until.year + 1):
            kind = draw_granularity(year)
            if kind is None:
                continue
            within = [
                p
                for p in periods(kind, since.date() - timedelta(days=100), until.date())
                if p.start.year == year
            ]
            found.extend(_after(within, task.days_after, task.at, zone, since, until))
        return sorted(found, key=lambda item: item[1])

    def run(engine: Engine, key: str) -> str:
        with session_scope(engine) as session:
            drawn = draw_plan(
                session,
                parse_period(key).start.year,
                key,
                actor=ACTOR,
                seed=task.seed,
                reviewers=task.reviewers or None,
            )
        return f"{sum(d.sample is not None for d in drawn)} steekproef/steekproeven getrokken voor {key}"

    return Job("trekkingen", task.at, due, run)
