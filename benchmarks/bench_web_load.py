"""Web load benchmark: simulated reviewers against ``kic serve`` on PostgreSQL with 1,000,000 payments.

Builds (or, with ``--reuse``, finds) a PostgreSQL database holding the synthetic gemeente of the other
benchmarks (1,000,000 payments and their beschikkingen), runs every automated control once (so that each
item page shows automated results), creates the reviewer accounts, draws the samples the controleplan asks
for in ``--period`` and assigns them to those reviewers. Then it starts the real server (``kic serve``,
waitress, as a gemeente runs it) on a local port and lets ``--reviewers`` simulated reviewers work at the
same time for ``--duration`` seconds. Each one logs in and then repeats: open Mijn werkvoorraad, open the
first open item, save a draft with part of the answers, open the item again (the redirect after saving),
submit every answer. The answers are valid ones built from the item's checklist, as the simulated reviewer
of the demo gives them (``kic.synth.reviewer``: "ja" everywhere, "nee" with the right amount where the
ground truth holds an error). Between two actions a reviewer waits a random ``--think`` time. Before that,
one reviewer works alone without thinking for ``--solo`` items (after one more that warms the fresh server
up): what each request costs without company, and how much CPU time of the server process it takes.

The load tool is a small client in this file: one thread per reviewer, each with its own ``httpx.Client``
(cookies, CSRF token and form version read from the pages). It measures every request on its own and keeps
every timing, so the percentiles are exact; see benchmarks/README.md for why not locust.

Reported per request type (werkvoorraad, item page, save draft, submit): count, median, p95, p99, max and
errors; plus what the server side looked like: PostgreSQL version and settings, rows per table, database
size, the CPU time of the kic server process and of the client, the load average, and EXPLAIN ANALYZE of
the query that reads an item's automated results.

    python benchmarks/bench_web_load.py [--postgres URL] [--database kic_bench_load] [--reuse] [--drop]
        [--payments 1000000] [--period 2026] [--reviewers 20] [--duration 180] [--think 1,3] [--threads 8]
        [--solo 10] [--json FILE]

``--postgres`` (default ``KIC_TEST_POSTGRES_URL``) names the server; the benchmark makes (and with
``--drop`` removes again) its own database ``--database`` on it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from bench_controls import ensure_database
from bench_import import DATA

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "kic-bench-2026!"
KINDS = ("werkvoorraad", "itempagina", "concept opslaan", "indienen")
TABLES = (
    "payment",
    "dossier",
    "control_result",
    "control_run",
    "sample",
    "sample_item",
    "review",
    "review_control",
    "audit_event",
    "user_account",
)


# --- the database ------------------------------------------------------------------------------------


def database_url(server: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=name).render_as_string(hide_password=False)


def exists(server: str, name: str) -> bool:
    from sqlalchemy import create_engine, text

    admin = create_engine(server)
    with admin.connect() as connection:
        found = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
    admin.dispose()
    return found is not None


def recreate(server: str, name: str, *, drop_only: bool = False) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not drop_only:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def reviewer_names(count: int) -> list[str]:
    return [f"beoordelaar{i:02d}" for i in range(1, count + 1)]


def build(url: str, args: argparse.Namespace) -> dict:
    """Population, one control run, reviewer accounts, the period's samples assigned to them."""
    from kic.controls import load_catalogue
    from kic.controls.run import run_controls
    from kic.db import make_engine, session_scope
    from kic.plan_draw import draw_plan
    from kic.users.accounts import add_user

    facts: dict = {}
    started = time.perf_counter()
    ensure_database(args.payments, url)  # migrations and the import of beschikkingen and betalingen
    facts["importeren_s"] = round(time.perf_counter() - started, 1)
    engine = make_engine(url)
    started = time.perf_counter()
    with session_scope(engine) as session:
        summary = run_controls(session, actor="benchmark", catalogue=load_catalogue())
    facts["controles_s"] = round(time.perf_counter() - started, 1)
    facts["controles_fasen_s"] = {k: round(v, 1) for k, v in summary.seconds.items()}
    facts["controleresultaten"] = summary.results
    print(
        f"controles: {facts['controles_s']} s ({summary.results:,} resultaten; "
        + ", ".join(f"{k} {v:.1f} s" for k, v in summary.seconds.items())
        + ")",
        flush=True,
    )
    with session_scope(engine) as session:
        for name in reviewer_names(args.reviewers):
            add_user(
                session,
                username=name,
                display_name=f"{name} (benchmark)",
                role="kwaliteitsmedewerker",
                password=PASSWORD,
                actor="benchmark",
            )
    started = time.perf_counter()
    with session_scope(engine) as session:
        drawn = draw_plan(
            session,
            2026,
            args.period,
            actor="benchmark",
            seed="bench-web-load",
            reviewers=reviewer_names(args.reviewers),
        )
    facts["trekken_s"] = round(time.perf_counter() - started, 1)
    facts["steekproeven"] = sum(1 for d in drawn if d.sample is not None)
    print(
        f"steekproeven {args.period}: {facts['steekproeven']} getrokken en toegewezen in {facts['trekken_s']} s",
        flush=True,
    )
    engine.dispose()
    return facts


def open_answers(url: str, payments: int) -> dict[int, dict]:
    """Simulated answers for every review still open to its first reviewer: per control the answers to
    its questions (the automated findings confirmed or refuted), and the cause and explanation where the
    ground truth holds an error. As ``tests/helpers.review_every_item`` gives them, with the payment
    items read in one go (``items_frame``)."""
    from decimal import Decimal

    from sqlalchemy import select

    from kic.controls import load_catalogue
    from kic.db import make_engine, session_scope
    from kic.population.parse import cents_to_decimal
    from kic.review.models import BEZIG, TE_DOEN, Review
    from kic.review.service import item_checklist, item_frame, items_frame
    from kic.samples.models import SampleItem
    from kic.synth.reviewer import CAUSE_OF, books_amount, read_truth, simulated_answers, simulated_automated

    truth = read_truth(DATA / f"gemeente-{payments}" / "grondwaarheid.csv")
    catalogue = load_catalogue()
    engine = make_engine(url)
    answers = {}
    with session_scope(engine) as session:
        reviews = session.execute(
            select(Review, SampleItem.payment_row_id)
            .join(SampleItem, SampleItem.id == Review.sample_item_id)
            .where(Review.status.in_((TE_DOEN, BEZIG)))
        ).all()
        frame = items_frame(session, sorted({r for _, r in reviews if r is not None}))
        position = {int(row): i for i, row in enumerate(frame["_row"])}
        for review, row in reviews:
            # sampled beschikkingen (plan lines over aanvragen) have no injected errors: all fine
            if row is None:
                item = item_frame(session, review)
            else:
                item = frame.iloc[[position[int(row)]]].reset_index(drop=True)
            kind, error = truth.get(review.item_key, (None, None)) if row is not None else (None, None)
            wrong = kind is not None and error != 0
            book = cents_to_decimal(int(item["bedrag"].iloc[0]))
            checklist = item_checklist(session, review, catalogue, item)
            found = books_amount(checklist.automated)  # a confirmed automated finding carries the error
            given = simulated_answers(
                checklist.controls, book, *((error, kind) if wrong and not found else ())
            ) | simulated_automated(checklist.automated, error if wrong else Decimal("0.00"))
            answers[review.id] = {
                "controls": given,
                "oorzaak": CAUSE_OF.get(kind, "proces") if wrong else "",
                "toelichting": f"gesimuleerd: {kind.lower().replace('_', ' ')}" if wrong else "",
            }
    engine.dispose()
    return answers


def server_facts(url: str) -> dict:
    from sqlalchemy import text

    from kic.db import make_engine

    engine = make_engine(url)
    facts: dict = {}
    with engine.connect() as connection:
        facts["postgresql"] = connection.execute(text("SHOW server_version")).scalar_one()
        for setting in (
            "shared_buffers",
            "work_mem",
            "effective_cache_size",
            "max_parallel_workers_per_gather",
        ):
            facts[setting] = connection.execute(text(f"SHOW {setting}")).scalar_one()
        facts["database_mb"] = round(
            connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one() / 1e6
        )
        facts["rijen"] = {
            t: connection.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES
        }
        facts["indexen_control_result"] = (
            connection.execute(
                text(
                    "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE tablename = 'control_result'"
                )
            )
            .scalars()
            .all()
        )
        facts["migratie"] = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    engine.dispose()
    return facts


def explain_item(url: str) -> list[str]:
    """EXPLAIN ANALYZE of the item page's read of automated results, for a sampled item with fouts."""
    from sqlalchemy import select, text

    from kic.controls.models import ControlRun
    from kic.db import make_engine, session_scope
    from kic.review.queries import _FOUT

    engine = make_engine(url)
    with session_scope(engine) as session:
        run = session.scalar(select(ControlRun.id).order_by(ControlRun.id.desc()).limit(1))
        row = session.scalar(
            text(
                "SELECT MIN(i.payment_row_id) FROM sample_item i WHERE EXISTS (SELECT 1 FROM control_result r "
                "WHERE r.run_id = :run AND r.status = 1 AND r.payment_row_id = i.payment_row_id)"
            ),
            {"run": run},
        )
        plan = (
            session.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + _FOUT), {"run": run, "row": row})
            .scalars()
            .all()
        )
    engine.dispose()
    return plan


# --- the server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(url: str, port: int, threads: int, instance: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), KIC_WEB_INSTANCE=instance)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kic",
            "serve",
            "--database",
            url,
            "--port",
            str(port),
            "--threads",
            str(threads),
        ],
        cwd=instance,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("kic serve stopte:\n" + (server.stdout.read() if server.stdout else ""))
        try:
            if httpx.get(f"http://127.0.0.1:{port}/inloggen", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("kic serve kwam niet binnen 60 s op")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- the simulated reviewers -------------------------------------------------------------------------

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_VERSION = re.compile(r'name="versie" value="(\d+)"')
_FIRST_ITEM = re.compile(r'href="/beoordelingen/(\d+)"')  # second-review links end in /vier-ogen


@dataclass
class Measurement:
    kind: str
    started: float
    seconds: float
    status: int
    ok: bool
    server_cpu: float | None = None  # CPU seconds of the server process meanwhile (one reviewer alone)


@dataclass
class Reviewer:
    name: str
    base: str
    answers: dict[int, dict]
    stop_at: float
    think: tuple[float, float]
    rng: random.Random
    measurements: list[Measurement] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    submitted: int = 0
    out_of_work: bool = False
    max_items: int | None = None
    server_pid: int | None = None  # set when this reviewer is alone: the server's CPU time per request

    def run(self) -> None:
        import httpx

        with httpx.Client(base_url=self.base, follow_redirects=False, timeout=120) as client:
            try:
                self._log_in(client)
                while (
                    time.monotonic() < self.stop_at
                    and (self.max_items is None or self.submitted < self.max_items)
                    and self._one_item(client)
                ):
                    pass
            except Exception as exc:  # a broken reviewer is reported, not fatal to the others
                self.errors.append(f"{type(exc).__name__}: {exc}")

    def _log_in(self, client) -> None:  # type: ignore[no-untyped-def]
        page = client.get("/inloggen")
        response = client.post(
            "/inloggen",
            data={"username": self.name, "password": PASSWORD, "csrf_token": _CSRF.search(page.text)[1]},
        )
        if response.status_code != 302:
            raise RuntimeError(f"inloggen mislukt: {response.status_code}")

    def _one_item(self, client) -> bool:  # type: ignore[no-untyped-def]
        queue = self._request(client, "werkvoorraad", "GET", "/werkvoorraad", expect=200)
        review_id = next((int(i) for i in _FIRST_ITEM.findall(queue.text) if int(i) in self.answers), None)
        if review_id is None:
            self.out_of_work = True
            return False
        given = self.answers[review_id]
        path = f"/beoordelingen/{review_id}"
        self._pause()
        page = self._request(client, "itempagina", "GET", path, expect=200)
        self._pause()
        draft = dict(list(given["controls"].items())[: max(1, len(given["controls"]) // 2)])
        self._request(
            client,
            "concept opslaan",
            "POST",
            path + "/opslaan",
            expect=302,
            data=self._form(page.text, draft, given, "concept"),
        )
        page = self._request(client, "itempagina", "GET", path, expect=200)
        self._pause()
        self._request(
            client,
            "indienen",
            "POST",
            path + "/opslaan",
            expect=302,
            data=self._form(page.text, given["controls"], given, "indienen"),
        )
        del self.answers[review_id]
        self.submitted += 1
        self._pause()
        return True

    def _form(self, page: str, controls: dict, given: dict, button: str) -> dict[str, str]:
        form = {
            "csrf_token": _CSRF.search(page)[1],
            "versie": _VERSION.search(page)[1],
            button: "1",
            "oorzaak": given["oorzaak"],
            "toelichting": given["toelichting"],
        }
        for control_id, questions in controls.items():
            for question_id, value in questions.items():
                form[f"{control_id}__{question_id}"] = value
        return form

    def _request(self, client, kind: str, method: str, path: str, *, expect: int, data=None):  # type: ignore[no-untyped-def]
        cpu = cpu_seconds(self.server_pid) if self.server_pid else None
        started = time.monotonic()
        response = client.request(method, path, data=data)
        response.read()
        seconds = time.monotonic() - started
        ok = response.status_code == expect
        self.measurements.append(
            Measurement(
                kind,
                started,
                seconds,
                response.status_code,
                ok,
                None if cpu is None else cpu_seconds(self.server_pid) - cpu,
            )
        )
        if not ok:
            self.errors.append(f"{kind} {path}: HTTP {response.status_code}")
            raise RuntimeError(f"{kind} {path}: HTTP {response.status_code}")
        return response

    def _pause(self) -> None:
        low, high = self.think
        if high > 0:
            time.sleep(self.rng.uniform(low, high))


def run_load(
    url: str,
    base: str,
    answers: dict[int, dict],
    reviewers: list[str],
    duration: float,
    think: tuple[float, float],
    seed: int,
) -> list[Reviewer]:
    """Every reviewer in its own thread, with the open reviews assigned to them."""
    from sqlalchemy import select

    from kic.db import make_engine, session_scope
    from kic.review.models import Review

    engine = make_engine(url)
    with session_scope(engine) as session:
        owner = dict(
            session.execute(select(Review.id, Review.reviewer).where(Review.id.in_(list(answers)))).all()
        )
    engine.dispose()
    stop_at = time.monotonic() + duration
    people = [
        Reviewer(
            name,
            base,
            {r: a for r, a in answers.items() if owner.get(r) == name},
            stop_at,
            think,
            random.Random(seed + i),
        )
        for i, name in enumerate(reviewers)
    ]
    threads = [threading.Thread(target=p.run, name=p.name) for p in people]
    for i, thread in enumerate(threads):
        thread.start()
        time.sleep(min(0.25, (think[1] or 1) / len(threads)) if i < len(threads) - 1 else 0)
    for thread in threads:
        thread.join()
    return people


def run_solo(url: str, base: str, answers: dict[int, dict], name: str, items: int, server_pid: int) -> dict:
    """One reviewer alone, without thinking, for ``items`` items: what each request costs without company,
    and the server's CPU time per request. The items it submits are taken out of ``answers``."""
    from sqlalchemy import select

    from kic.db import make_engine, session_scope
    from kic.review.models import Review

    engine = make_engine(url)
    with session_scope(engine) as session:
        mine = set(
            session.scalars(select(Review.id).where(Review.reviewer == name, Review.id.in_(list(answers))))
        )
    engine.dispose()
    person = Reviewer(
        name,
        base,
        {r: a for r, a in answers.items() if r in mine},
        time.monotonic() + 600,
        (0.0, 0.0),
        random.Random(0),
        max_items=items + 1,
        server_pid=server_pid,
    )
    load_before, started = os.getloadavg()[0], time.monotonic()
    person.run()
    for review_id in mine - set(person.answers):
        del answers[review_id]
    # The first item warms the fresh server up (catalogue read, templates compiled): not counted.
    first = next((i for i, m in enumerate(person.measurements) if i and m.kind == "werkvoorraad"), 0)
    person.measurements, person.submitted = person.measurements[first:], max(0, person.submitted - 1)
    summary = summarise([person], time.monotonic() - started)
    summary["load"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return summary


def summarise(people: list[Reviewer], duration: float) -> dict:
    per_kind: dict[str, list[Measurement]] = defaultdict(list)
    for person in people:
        for m in person.measurements:
            per_kind[m.kind].append(m)
    table = {}
    for kind in KINDS:
        rows = per_kind.get(kind, [])
        ms = np.array([m.seconds * 1000 for m in rows if m.ok]) if rows else np.array([])
        cpu = [m.server_cpu for m in rows if m.server_cpu is not None]
        table[kind] = {
            "aantal": len(rows),
            "fouten": sum(1 for m in rows if not m.ok),
            **(
                {
                    "mediaan_ms": round(float(np.percentile(ms, 50)), 1),
                    "p95_ms": round(float(np.percentile(ms, 95)), 1),
                    "p99_ms": round(float(np.percentile(ms, 99)), 1),
                    "max_ms": round(float(ms.max()), 1),
                }
                if len(ms)
                else {}
            ),
            # /proc counts in ticks of 10 ms: only the mean over many requests means something
            **({"server_cpu_gem_ms": round(1000 * sum(cpu) / len(cpu), 1)} if cpu else {}),
        }
    total = sum(len(p.measurements) for p in people)
    return {
        "per_soort": table,
        "verzoeken": total,
        "verzoeken_per_s": round(total / duration, 2),
        "ingediend": sum(p.submitted for p in people),
        "zonder_werk": [p.name for p in people if p.out_of_work],
        "fouten": [e for p in people for e in p.errors][:20],
    }


def print_table(summary: dict) -> None:
    print(f"{'verzoek':<16} {'aantal':>7} {'mediaan':>9} {'p95':>9} {'p99':>9} {'max':>9} {'fouten':>7}")
    for kind, row in summary["per_soort"].items():
        if "mediaan_ms" in row:
            cpu = (
                f"   server-CPU gem. {row['server_cpu_gem_ms']:.1f} ms" if "server_cpu_gem_ms" in row else ""
            )
            print(
                f"{kind:<16} {row['aantal']:>7} {row['mediaan_ms']:>6.1f} ms {row['p95_ms']:>6.1f} ms "
                f"{row['p99_ms']:>6.1f} ms {row['max_ms']:>6.1f} ms {row['fouten']:>7}{cpu}"
            )
        else:
            print(f"{kind:<16} {row['aantal']:>7} {'-':>9} {'-':>9} {'-':>9} {'-':>9} {row['fouten']:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("KIC_TEST_POSTGRES_URL"),
        help="URL of the PostgreSQL server (any database on it)",
    )
    parser.add_argument("--database", default="kic_bench_load", help="the benchmark's own database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the database as an earlier run left it (population, controls, samples)",
    )
    parser.add_argument("--drop", action="store_true", help="remove the database afterwards")
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--period", default="2026", help="the plan's period whose samples are drawn")
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--duration", type=float, default=180, help="seconds of load")
    parser.add_argument("--think", default="1,3", help="seconds a reviewer waits between actions: low,high")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads of kic serve")
    parser.add_argument(
        "--solo",
        type=int,
        default=10,
        help="items one reviewer handles alone first, without thinking (0: none)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if not args.postgres:
        parser.error("give --postgres URL or set KIC_TEST_POSTGRES_URL")
    think = tuple(float(x) for x in args.think.split(",")) if "," in args.think else (0.0, float(args.think))
    url = database_url(args.postgres, args.database)

    facts: dict = {"opbouw": None}
    if args.reuse and exists(args.postgres, args.database):
        from kic.db import current_revision, make_engine, upgrade

        engine = make_engine(url)
        before, started = current_revision(engine), time.perf_counter()
        after = upgrade(engine)  # a database built before a newer migration (an index, say)
        if after != before:
            facts["migratie"] = f"{before} → {after} in {time.perf_counter() - started:.1f} s"
        engine.dispose()
        print(f"database {args.database} hergebruikt", flush=True)
    else:
        recreate(args.postgres, args.database)
        facts["opbouw"] = build(url, args)
    answers = open_answers(url, args.payments)
    facts["open_posten"] = len(answers)
    facts.update(server_facts(url))
    facts["explain_automatische_resultaten"] = explain_item(url)
    print(json.dumps(facts, indent=2, ensure_ascii=False), flush=True)

    port = free_port()
    with tempfile.TemporaryDirectory() as instance:
        server = start_server(url, port, args.threads, instance)
        try:
            solo = (
                run_solo(
                    url,
                    f"http://127.0.0.1:{port}",
                    answers,
                    reviewer_names(args.reviewers)[0],
                    args.solo,
                    server.pid,
                )
                if args.solo
                else None
            )
            load_before, server_cpu, client_cpu = os.getloadavg()[0], cpu_seconds(server.pid), _own_cpu()
            started = time.monotonic()
            print(
                f"{args.reviewers} beoordelaars, {args.duration:.0f} s, denktijd {think[0]}-{think[1]} s, "
                f"{len(answers)} open posten",
                flush=True,
            )
            people = run_load(
                url,
                f"http://127.0.0.1:{port}",
                answers,
                reviewer_names(args.reviewers),
                args.duration,
                think,
                args.seed,
            )
            elapsed = time.monotonic() - started
            summary = summarise(people, elapsed)
            summary.update(
                {
                    "duur_s": round(elapsed, 1),
                    "cpu_server_s": round(cpu_seconds(server.pid) - server_cpu, 1),
                    "cpu_client_s": round(_own_cpu() - client_cpu, 1),
                    "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                    "denktijd_s": list(think),
                    "waitress_threads": args.threads,
                }
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    if solo:
        print(
            f"eerst één beoordelaar alleen, zonder denktijd ({solo['ingediend']} posten, load {solo['load']}):"
        )
        print_table(solo)
        print(f"daarna {args.reviewers} tegelijk:")
    print_table(summary)
    print(json.dumps({k: v for k, v in summary.items() if k != "per_soort"}, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(
            json.dumps({"feiten": facts, "alleen": solo, "meting": summary}, indent=2, ensure_ascii=False)
        )
    if args.drop:
        recreate(args.postgres, args.database, drop_only=True)


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
