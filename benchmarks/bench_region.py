"""Region benchmark: a samenwerkingsverband of 5 gemeenten with 1,000,000 payments in total, through a quarter.

What a regional sociale dienst does each quarter, timed stage by stage on a fresh database:

1. the synthetic region (``kic synth --gemeenten 5``; cached in benchmarks/data/);
2. the five gemeenten registered with their grootboek, then the import of the beschikkingen and the
   payments (one file for the region, every row with its CBS code);
3. every automated control over the whole population;
4. the controleplan's samples of the quarter drawn (statistical lines per gemeente, targeted lines once for
   the region) and every item handed in by the simulated reviewer (preparation, not a target);
5. every report of the quarter: the region's kwartaalrapportage (with the gemeenten side by side), SISA-dossier
   and verbeteragenda, and each gemeente's own kwartaalrapportage and SISA-dossier (HTML and PDF; the dossier
   also XLSX and CSV), built and published.

Target (benchmarks/README.md): import, controls and the reports of a quarter each under 60 s.

    python benchmarks/bench_region.py [--payments 1000000] [--gemeenten 5] [--quarter 2026-Q2]
                                      [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

from bench_import import DATA
from bench_reports import peak_mb

YEAR = 2026
REVIEWERS = ["anna", "bram", "chris"]


def ensure_region(payments: int, gemeenten: int) -> Path:
    """The export of the synthetic region (made once, then cached)."""
    from kic.synth import generate

    folder = DATA / f"regio-{gemeenten}-{payments}"
    if not (folder / "betalingen.csv").exists():
        started = time.perf_counter()
        generate(folder, payments=payments, seed=2026, gemeenten=gemeenten)
        print(f"synthetische regio gemaakt in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def measure(url: str, folder: Path, gemeenten: int, quarter: str) -> dict:
    from kic.controls import load_catalogue
    from kic.controls.run import run_controls
    from kic.db import make_engine, session_scope, upgrade
    from kic.gemeenten import Scope
    from kic.plan_draw import draw_plan
    from kic.population import import_population
    from kic.population.gemeenten import register_gemeente
    from kic.reports.figures import quarter_period
    from kic.reports.publish import build_files, publish
    from kic.reports.render import pdf_unavailable
    from kic.synth import REGION, ledger_file
    from kic.synth.reviewer import agree_second_reviews, hand_in_sample, read_truth
    from kic.users.accounts import add_user

    engine = make_engine(url)
    upgrade(engine)
    region = REGION[:gemeenten]
    seconds: dict[str, float] = {}
    with session_scope(engine) as session:
        for code, name in region:
            register_gemeente(session, code, name, actor="benchmark", ledger=folder / ledger_file(code))
        for name in REVIEWERS:
            add_user(
                session,
                username=name,
                display_name=name,
                role="kwaliteitsmedewerker",
                password="benchmark-wachtwoord",
                actor="benchmark",
            )
    for kind, file in (("beschikkingen", "beschikkingen.csv"), ("betalingen", "betalingen.csv")):
        started = time.perf_counter()
        with session_scope(engine) as session:
            import_population(session, kind, folder / file, actor="benchmark")
        seconds[f"import {kind}"] = time.perf_counter() - started
    catalogue = load_catalogue()
    started = time.perf_counter()
    with session_scope(engine) as session:
        run_controls(session, actor="benchmark", catalogue=catalogue)
    seconds["controles"] = time.perf_counter() - started
    started = time.perf_counter()
    with session_scope(engine) as session:
        drawn = draw_plan(session, YEAR, quarter, actor="benchmark", seed="bench", reviewers=REVIEWERS)
        samples = [(d.sample.id, d.gemeente) for d in drawn if d.sample is not None]
    seconds["trekken"] = time.perf_counter() - started
    started = time.perf_counter()
    truth = read_truth(folder / "grondwaarheid.csv")
    for sample_id, _gemeente in samples:
        with session_scope(engine) as session:
            hand_in_sample(session, sample_id, truth, catalogue, source="demo")
    with session_scope(engine) as session:
        agree_second_reviews(session)
    seconds["beoordelen (voorbereiding)"] = time.perf_counter() - started
    pdf = pdf_unavailable() is None
    reports: dict[str, float] = {}
    quarter_end = quarter_period(quarter).end.isoformat()  # the verbeteragenda's peildatum
    jobs = [("kwartaal", quarter, None), ("sisa", str(YEAR), None), ("agenda", quarter_end, None)]
    jobs += [
        (kind, period, code)
        for code, _ in region
        for kind, period in (("kwartaal", quarter), ("sisa", str(YEAR)))
    ]
    with tempfile.TemporaryDirectory() as out:
        for kind, period, code in jobs:
            started = time.perf_counter()
            with session_scope(engine) as session:
                files = build_files(session, kind, period, pdf=pdf, scope=Scope.of(code))
                publish(
                    session, kind, period, files, actor="benchmark", out_dir=Path(out), gemeente=code or ""
                )
            reports[f"{kind} {code or 'regio'}"] = time.perf_counter() - started
    seconds["rapporten van het kwartaal"] = sum(reports.values())
    engine.dispose()
    return {
        "seconden": {k: round(v, 1) for k, v in seconds.items()},
        "rapporten": {k: round(v, 1) for k, v in reports.items()},
        "steekproeven": len(samples),
        "per_gemeente": sum(1 for _, g in samples if g),
        "pdf": pdf,
        "piekgeheugen_mb": peak_mb(),
        "load": os.getloadavg()[0],
    }


def postgres_url(base: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"kic_bench_region_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False), name


def drop(base: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--gemeenten", type=int, default=5)
    parser.add_argument("--quarter", default=f"{YEAR}-Q2")
    parser.add_argument(
        "--postgres", help="measure on PostgreSQL instead (a server URL; a new database is made)"
    )
    args = parser.parse_args()
    folder = ensure_region(args.payments, args.gemeenten)
    if args.postgres:
        url, name = postgres_url(args.postgres)
        try:
            result = measure(url, folder, args.gemeenten, args.quarter)
        finally:
            drop(args.postgres, name)
    else:
        with tempfile.TemporaryDirectory() as work:
            result = measure(f"sqlite:///{Path(work) / 'kic.sqlite'}", folder, args.gemeenten, args.quarter)
    print(
        json.dumps(
            {"betalingen": args.payments, "gemeenten": args.gemeenten, **result}, indent=2, ensure_ascii=False
        )
    )


if __name__ == "__main__":
    main()
