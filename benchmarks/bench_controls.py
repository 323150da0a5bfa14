"""Controls benchmark: every automated control over a synthetic 1,000,000-payment gemeente.

Imports the synthetic export once into a cached SQLite database (benchmarks/data/), then runs
``run_controls`` in a fresh process (so peak memory belongs to that run) and reports the time
per stage (load the frame, judge, store the results) and per control.

    python benchmarks/bench_controls.py [--payments 1000000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
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
    started = time.perf_counter()
    with session_scope(engine) as session:
        summary = run_controls(session, actor="benchmark", catalogue=catalogue)
    seconds = time.perf_counter() - started
    engine.dispose()
    top = sorted(summary.control_seconds.items(), key=lambda item: -item[1])
    score = compare(summary.findings, read_truth(Path(truth)))
    return {"seconds": seconds, "stages": summary.seconds, "payments": summary.payments, "results": summary.results,
            "controls": len(summary.control_seconds), "top": top[:12],
            "checks_total": sum(summary.control_seconds.values()), "failures": summary.failures,
            "recall": score.recall, "precision": score.precision}


def run_child(url: str, payments: int) -> dict:
    truth = DATA / f"gemeente-{payments}" / "grondwaarheid.csv"
    with tempfile.TemporaryDirectory() as folder:
        output = subprocess.run([sys.executable, __file__, "--child", url, folder, str(truth)], check=True,
                                capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def report(label: str, r: dict) -> None:
    stages = ", ".join(f"{k} {v:.1f} s" for k, v in r["stages"].items())
    print(f"{label}: {r['seconds']:.1f} s totaal ({stages}), piekgeheugen {r['peak_mb']:,.0f} MB")
    print(f"  {r['payments']:,} betalingen, {r['controls']} geautomatiseerde controles, {r['results']:,} resultaten; "
          f"recall {r['recall']:.1%}, precisie {r['precision']:.1%}")
    print(f"  controleren per controle (samen {r['checks_total']:.1f} s), de duurste:")
    for control, seconds in r["top"]:
        print(f"    {control:<12} {seconds:6.2f} s")
    for name, message in r["failures"].items():
        print(f"  mislukt: {name}: {message}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("KIC_TEST_POSTGRES_URL"))
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        result = child_run(*args.child)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    report("SQLite", run_child(ensure_database(args.payments), args.payments))
    if args.postgres:
        def on_postgres(url: str) -> dict:
            return run_child(ensure_database(args.payments, url), args.payments)

        report("PostgreSQL", with_postgres_schema(args.postgres, on_postgres))


if __name__ == "__main__":
    main()
