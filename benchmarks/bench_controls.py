"""Controls benchmark: every automated control over a synthetic 1,000,000-payment gemeente.

Imports the synthetic export once into a cached SQLite database (benchmarks/data/), then runs
``run_controls`` in a fresh process (so peak memory belongs to that run) on a copy of it, so that
every run starts from the same database, and reports the time per stage (load the frame, judge,
store the results) and per control, the peak memory, the CPU time of the process (and of the
PostgreSQL server process that served it, when that runs on this machine) and the load average.

    python benchmarks/bench_controls.py [--payments 1000000] [--postgres URL] [--runs 2] [--only sqlite]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_import import DATA, ensure_export, with_postgres_schema


def ensure_database(payments: int, url: str | None = None) -> str:
    """A database holding the synthetic gemeente (a cached SQLite file unless ``url`` is given)."""
    from kic.db import make_engine, session_scope, upgrade
    from kic.population import import_population

    export = ensure_export(payments).parent
    # The cache belongs to one export: a regenerated gemeente gets a fresh database.
    fingerprint = hashlib.sha256((export / "betalingen.csv").read_bytes()).hexdigest()[:12]
    target = DATA / f"controls-{payments}-{fingerprint}.sqlite"
    if url is None and target.exists():
        engine = make_engine(f"sqlite:///{target}")
        upgrade(engine)  # a cache made before a newer migration
        engine.dispose()
        return f"sqlite:///{target}"
    url = url or f"sqlite:///{target}"
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    for kind, name in (("beschikkingen", "beschikkingen.csv"), ("betalingen", "betalingen.csv")):
        with session_scope(engine) as session:
            import_population(session, kind, export / name, actor="benchmark")
    engine.dispose()
    print(f"populatie geïmporteerd in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return url


def child_run(url: str, folder: str, truth: str) -> dict:
    from kic.controls import load_catalogue
    from kic.controls.groundtruth import compare, read_truth
    from kic.controls.run import run_controls
    from kic.db import make_engine, session_scope

    catalogue = load_catalogue(Path(folder))  # an empty gemeente folder: the shipped catalogue as is
    engine = make_engine(url)
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), _cpu_seconds()
    with session_scope(engine) as session:
        server = _server_process(session)
        server_cpu = _process_cpu_seconds(server)
        summary = run_controls(session, actor="benchmark", catalogue=catalogue)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    server_cpu = _process_cpu_seconds(server) - server_cpu
    engine.dispose()
    score = compare(summary.findings, read_truth(Path(truth)))
    return {
        "seconds": seconds,
        "cpu": cpu,
        "server_cpu": server_cpu if server else None,
        "load": [load, os.getloadavg()[0]],
        "stages": summary.seconds,
        "payments": summary.payments,
        "results": summary.results,
        "controls": len(summary.control_seconds),
        "per_control": sorted(
            ((c, s, summary.store_seconds.get(c, 0.0)) for c, s in summary.control_seconds.items()),
            key=lambda item: -item[1] - item[2],
        ),
        "checks_total": sum(summary.control_seconds.values()),
        "store_total": sum(summary.store_seconds.values()),
        "failures": summary.failures,
        "recall": score.recall,
        "precision": score.precision,
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_process(session) -> int | None:  # type: ignore[no-untyped-def]
    """The PostgreSQL backend serving this session, when it runs on this machine."""
    from sqlalchemy import text

    if session.connection().dialect.name != "postgresql":
        return None
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def _process_cpu_seconds(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def run_child(url: str, payments: int) -> dict:
    truth = DATA / f"gemeente-{payments}" / "grondwaarheid.csv"
    with tempfile.TemporaryDirectory() as folder:
        if url.startswith("sqlite:///"):  # a copy, so that no run sees the results of an earlier one
            copy = Path(folder) / "kic.sqlite"
            shutil.copyfile(url.removeprefix("sqlite:///"), copy)
            url = f"sqlite:///{copy}"
        catalogue = Path(folder) / "gemeente"
        catalogue.mkdir()
        output = subprocess.run(
            [sys.executable, __file__, "--child", url, str(catalogue), str(truth)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(label: str, r: dict, controls: int = 12) -> None:
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in r["stages"].items())
    server = f" + server {r['server_cpu']:.1f} s" if r["server_cpu"] is not None else ""
    print(
        f"{label}: {r['seconds']:.1f} s totaal ({stages}), piekgeheugen {r['peak_mb']:,.0f} MB, "
        f"CPU {r['cpu']:.1f} s{server}, load {r['load'][0]:.2f} → {r['load'][1]:.2f}"
    )
    print(
        f"  {r['payments']:,} betalingen, {r['controls']} geautomatiseerde controles, {r['results']:,} resultaten; "
        f"recall {r['recall']:.1%}, precisie {r['precision']:.1%}"
    )
    print(
        f"  per controle oordelen (samen {r['checks_total']:.1f} s) en resultaten schrijven "
        f"(samen {r['store_total']:.1f} s), de duurste:"
    )
    for control, judging, storing in r["per_control"][:controls]:
        print(f"    {control:<12} {judging:6.2f} s {storing:6.2f} s")
    for name, message in r["failures"].items():
        print(f"  mislukt: {name}: {message}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("KIC_TEST_POSTGRES_URL"))
    parser.add_argument("--runs", type=int, default=1, help="measure each database this many times")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--controls", type=int, default=12, help="how many of the slowest controls to list")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        result = child_run(*args.child)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    if args.only != "postgresql":
        url = ensure_database(args.payments)
        for run in range(args.runs):
            report(f"SQLite, meting {run + 1}", run_child(url, args.payments), args.controls)
    if args.postgres and args.only != "sqlite":

        def on_postgres(url: str) -> None:
            url = ensure_database(args.payments, url)
            for run in range(args.runs):
                report(f"PostgreSQL, meting {run + 1}", run_child(url, args.payments), args.controls)

        with_postgres_schema(args.postgres, on_postgres)


if __name__ == "__main__":
    main()
