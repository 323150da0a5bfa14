"""Import benchmark: a synthetic 1,000,000-payment export into SQLite and PostgreSQL.

Reports rows per second end to end (read, validate, store, commit) and the peak memory of the
process that did the import, beside the time pyarrow alone needs to parse the same file (the
floor: no import can be faster than reading the bytes). Each measurement runs in a fresh process
so that peak memory belongs to that run only.

    python benchmarks/bench_import.py [--payments 1000000] [--postgres URL]

Without ``--postgres`` it uses ``KIC_TEST_POSTGRES_URL`` when set.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def ensure_export(payments: int) -> Path:
    from kic.synth import generate

    folder = DATA / f"gemeente-{payments}"
    target = folder / "betalingen.csv"
    if not target.exists():
        started = time.perf_counter()
        generate(folder, payments=payments, seed=2026)
        print(f"synthetische export gemaakt in {time.perf_counter() - started:.1f} s: {target}")
    return target


def child_parse(path: str) -> dict:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    started = time.perf_counter()
    with open(path, "rb") as handle:
        header = handle.readline().decode("utf-8-sig").strip().split(";")
    table = pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(delimiter=";"),
        convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header}),
    )
    return {"seconds": time.perf_counter() - started, "rows": table.num_rows}


def child_import(path: str, url: str) -> dict:
    from kic.db import make_engine, session_scope, upgrade
    from kic.population import import_population

    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    with session_scope(engine) as session:
        result = import_population(session, "betalingen", Path(path), actor="benchmark")
    seconds = time.perf_counter() - started
    engine.dispose()
    return {"seconds": seconds, "rows": result.row_count, "stages": result.timings}


def run_child(*args: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def postgres_schema_url(base: str) -> tuple[str, str]:
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    separator = "&" if "?" in base else "?"
    return schema, f"{base}{separator}options=-csearch_path%3D{schema}"


def with_postgres_schema(base: str, action):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine, text

    schema, url = postgres_schema_url(base)
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        return action(url)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=os.environ.get("KIC_TEST_POSTGRES_URL"))
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = child_parse(*rest) if kind == "parse" else child_import(*rest)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    path = ensure_export(args.payments)
    size_mb = path.stat().st_size / 1e6
    print(f"bestand: {path.name}, {size_mb:.0f} MB, {args.payments:,} betalingen")
    rows = [("pyarrow alleen inlezen (ondergrens)", run_child("parse", str(path)))]
    with tempfile.TemporaryDirectory() as folder:
        rows.append(("import in SQLite", run_child("import", str(path), f"sqlite:///{folder}/bench.sqlite")))
    if args.postgres:
        rows.append(
            (
                "import in PostgreSQL (COPY)",
                with_postgres_schema(args.postgres, lambda url: run_child("import", str(path), url)),
            )
        )
    print(f"{'meting':<36} {'seconden':>9} {'regels/s':>10} {'piekgeheugen':>13}  fasen")
    for label, r in rows:
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in r.get("stages", {}).items())
        print(
            f"{label:<36} {r['seconds']:>9.1f} {r['rows'] / r['seconds']:>10,.0f} {r['peak_mb']:>10,.0f} MB  {stages}"
        )


if __name__ == "__main__":
    main()
