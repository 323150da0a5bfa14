"""Reports benchmark: every report of a quarter for a 1,000,000-payment gemeente whose samples are reviewed.

Prepares a database as a gemeente has it at the end of the quarter (cached in benchmarks/data/ for
SQLite; ``--fresh`` makes it again):

- the synthetic population of ``bench_controls.py`` (export and import on first use);
- every sample the controleplan 2026 asks for from 1 January to the end of the quarter
  (``draw_plan`` per quarter; for Q4 once for the whole year, so the yearly lines are drawn too),
  assigned to three reviewers;
- every item answered by the simulated reviewer of ``kic/synth/reviewer.py`` as the ground truth
  says (answers, cause and explanation, ``save_review``), a simulated second reviewer agreeing where
  the plan asks for vier ogen, as ``kic demo`` does; and a verbeteractie for the five costliest
  groups of bevindingen.

Then, in a fresh process (so the peak memory is the reports' own), it does what ``kic report`` does
for the quarter: build and publish the kwartaalrapportage (HTML, PDF), the SISA-dossier of the year
(HTML, PDF, XLSX, CSV) and the verbeteragenda (HTML, PDF), timing each, and once more per stage
(figures, HTML, PDF, XLSX and CSV) to show where the time goes.

    python benchmarks/bench_reports.py [--payments 1000000] [--quarter 2026-Q4] [--fresh]
                                       [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

With ``--postgres`` the same is done in a new database on that server, dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from bench_controls import ensure_database
from bench_import import DATA, ensure_export

YEAR = 2026
REVIEWERS = ["anna", "bram", "chris"]


def prepare(url: str, payments: int, quarter: str) -> dict:
    """Draw and review every sample up to the end of ``quarter``; returns counts and seconds."""
    from sqlalchemy import func, select

    from kic.controls import load_catalogue
    from kic.db import make_engine, session_scope
    from kic.findings.agenda import NewAction, add_action
    from kic.findings.bevindingen import findings, group_findings
    from kic.plan_draw import draw_plan
    from kic.review.models import Review
    from kic.synth.reviewer import agree_second_reviews, hand_in_sample, read_truth
    from kic.users.accounts import add_user
    from kic.users.models import User

    catalogue = load_catalogue()
    truth = read_truth(DATA / f"gemeente-{payments}" / "grondwaarheid.csv")
    last = int(quarter[-1])
    labels = [str(YEAR)] if last == 4 else [f"{YEAR}-Q{q}" for q in range(1, last + 1)]
    engine = make_engine(url)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    samples = []
    with session_scope(engine) as session:  # only an active kwaliteitsmedewerker can be given an item
        known = set(session.scalars(select(User.username)))
        for name in (n for n in REVIEWERS if n not in known):
            add_user(
                session,
                username=name,
                display_name=name,
                role="kwaliteitsmedewerker",
                password="benchmark-wachtwoord",
                actor="benchmark",
            )
    for label in labels:
        with session_scope(engine) as session:
            drawn = draw_plan(session, YEAR, label, actor="benchmark", seed="bench", reviewers=REVIEWERS)
            samples += [d.sample.id for d in drawn if d.sample is not None]
    seconds["trekken"] = time.perf_counter() - started
    started = time.perf_counter()
    for sample_id in samples:
        with session_scope(engine) as session:
            hand_in_sample(session, sample_id, truth, catalogue, source="demo")
    with session_scope(engine) as session:
        agree_second_reviews(session)
        for group in group_findings(findings(session, str(YEAR)))[:5]:
            add_action(
                session,
                NewAction(
                    title=f"Minder fouten op {group.control_id} (oorzaak {group.cause})",
                    owner="teamleider",
                    deadline=date(YEAR, 9, 30),
                    control_ids=(group.control_id,),
                    review_ids=tuple(group.review_ids),
                    remeasure_control=group.control_id,
                    remeasure_quarter=f"{YEAR}-Q4",
                ),
                actor="benchmark",
            )
        reviews = session.scalar(select(func.count(Review.id)))
    seconds["beoordelen"] = time.perf_counter() - started
    engine.dispose()
    return {"steekproeven": len(samples), "beoordelingen": reviews, "seconden": seconds}


def child_reports(url: str, quarter: str, folder: str) -> dict:
    """What ``kic report`` does for the quarter, timed per report and then per stage."""
    from kic.db import make_engine, session_scope
    from kic.findings.bevindingen import findings
    from kic.reports import figures, render, views
    from kic.reports.publish import build_files, publish
    from kic.reports.render import pdf_unavailable

    pdf = pdf_unavailable() is None
    agenda_day = figures.quarter_period(quarter).end
    reports = (("kwartaal", quarter), ("sisa", str(YEAR)), ("agenda", agenda_day.isoformat()))
    engine = make_engine(url)
    load = os.getloadavg()[0]
    totals, cpu, sizes = {}, {}, {}
    for kind, period in reports:
        started, cpu_started = time.perf_counter(), time.process_time()
        with session_scope(engine) as session:
            files = build_files(session, kind, period, pdf=pdf)
            publish(session, kind, period, files, actor="benchmark", out_dir=Path(folder))
        totals[kind], cpu[kind] = time.perf_counter() - started, time.process_time() - cpu_started
        sizes[kind] = {fmt: len(content) for fmt, content in files.items()}
    stages: dict[str, dict[str, float]] = {}
    builders = {
        "kwartaal": lambda s: views.kwartaal_view(s, quarter),
        "sisa": lambda s: views.sisa_view(s, YEAR),
        "agenda": lambda s: views.agenda_view(s, agenda_day),
    }
    for kind, _period in reports:
        with session_scope(engine) as session:
            mine = stages[kind] = {}
            started = time.perf_counter()
            view = builders[kind](session)
            mine["gegevens"] = time.perf_counter() - started
            started = time.perf_counter()
            render.render_html(kind, view)
            mine["HTML"] = time.perf_counter() - started
            if pdf:
                started = time.perf_counter()
                render.html_to_pdf(render.render_html(kind, view, pdf=True))
                mine["PDF"] = time.perf_counter() - started
            if kind == "sisa":
                started = time.perf_counter()
                render.sisa_xlsx(view)
                render.items_csv(view["items"])
                mine["XLSX+CSV"] = time.perf_counter() - started
    with session_scope(engine) as session:
        counts = {
            "posten_in_sisa": len(views.sisa_view(session, YEAR)["items"]),
            "bevindingen_jaar": len(findings(session, str(YEAR))),
        }
    engine.dispose()
    return {
        "pdf": pdf,
        "seconden": totals,
        "totaal": sum(totals.values()),
        "cpu": cpu,
        "cpu_totaal": sum(cpu.values()),
        "fasen": stages,
        "bytes": sizes,
        "load": [load, os.getloadavg()[0]],
        **counts,
        "piekgeheugen_mb": peak_mb(),
    }


def peak_mb() -> int:
    """This process's peak resident memory. Not ``ru_maxrss``: Linux carries that over from the parent
    through fork and exec, so a child of a process that imported a million payments reports the
    parent's peak."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def run_reports(url: str, quarter: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        output = subprocess.run(
            [sys.executable, __file__, "--child", url, quarter, folder],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(output.strip().splitlines()[-1])


def sqlite_database(payments: int, quarter: str, fresh: bool) -> Path:
    """The cached SQLite database with the samples up to ``quarter`` drawn and reviewed."""
    population = Path(ensure_database(payments).removeprefix("sqlite:///"))
    target = DATA / population.name.replace("controls-", f"reports-{quarter}-")
    if target.exists() and not fresh:
        return target
    work = target.with_suffix(".tmp")
    shutil.copy(population, work)
    print(
        json.dumps({"voorbereiding": prepare(f"sqlite:///{work}", payments, quarter)}, ensure_ascii=False),
        flush=True,
    )
    work.replace(target)
    return target


def postgres_run(base: str, payments: int, quarter: str) -> dict:
    """Import, prepare and measure in a database of our own on the server of ``base``; drop it afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"kic_bench_reports_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        started = time.perf_counter()
        ensure_database(payments, url)
        imported = time.perf_counter() - started
        prepared = prepare(url, payments, quarter)
        print(
            json.dumps(
                {"voorbereiding_postgresql": prepared, "import_s": round(imported, 1)}, ensure_ascii=False
            ),
            flush=True,
        )
        return run_reports(url, quarter)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def show(label: str, result: dict) -> None:
    print(
        f"\n{label}: alle rapporten {result['totaal']:.1f} s (begroting 60 s; CPU {result['cpu_totaal']:.1f} s), "
        "piekgeheugen "
        f"{result['piekgeheugen_mb']:,} MB, load {result['load'][0]:.1f} -> {result['load'][1]:.1f}; "
        f"{result['posten_in_sisa']:,} posten in het SISA-dossier, {result['bevindingen_jaar']} bevindingen"
    )
    for kind, seconds in result["seconden"].items():
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in result["fasen"][kind].items())
        size = ", ".join(f"{k} {v / 1024:,.0f} kB" for k, v in result["bytes"][kind].items())
        print(f"  {kind:<9} {seconds:>6.2f} s (CPU {result['cpu'][kind]:.2f} s)   ({stages})   [{size}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--quarter", default=f"{YEAR}-Q4")
    parser.add_argument(
        "--fresh", action="store_true", help="draw and review again instead of the cached database"
    )
    parser.add_argument(
        "--postgres", help="also measure on PostgreSQL (a server URL; a new database is made)"
    )
    parser.add_argument("--only-postgres", action="store_true")
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_reports(*args.child)))
        return
    ensure_export(args.payments)
    results = {}
    if not args.only_postgres:
        database = sqlite_database(args.payments, args.quarter, args.fresh)
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "kic.sqlite"
            shutil.copy(database, copy)  # publishing adds versions: every run starts from the same database
            results["SQLite"] = run_reports(f"sqlite:///{copy}", args.quarter)
        show("SQLite", results["SQLite"])
    if args.postgres:
        results["PostgreSQL"] = postgres_run(args.postgres, args.payments, args.quarter)
        show("PostgreSQL", results["PostgreSQL"])
    print(
        json.dumps(
            {"betalingen": args.payments, "kwartaal": args.quarter, **results}, indent=2, ensure_ascii=False
        )
    )


if __name__ == "__main__":
    main()
