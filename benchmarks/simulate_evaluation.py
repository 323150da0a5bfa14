"""Coverage of the upper limits of ``kic evaluate``, measured through kic's own cycle (not a unit test).

What is simulated, exactly:

* **One population, imported once.** A CSV export in the import format of docs/import.md is written
  for three regelingen (PW-LO, PW-BB, WMO), 2,000 payments each (``--betalingen``), all with
  ``periode_van`` in 2026-Q1, plus one beschikking per payment (8 % of the payments have none).
  Book values are log-normal (medians € 900, € 250 and € 600), with four very large payments
  (€ 20,000–80,000) per regeling, so that MUS meets key items (sleutelposten). Payment and case
  features (handmatig, late payment, new case, recent or old decision, paid above the beschikking,
  no beschikking) vary, so that the risk model of ``controls/risk.yaml`` gives the payments
  different weights. The export is imported with ``kic.population.import_population`` into a
  SQLite file (``kic.db.make_engine`` + ``upgrade``); that file is the template every cell copies.
  The automated controls are **not** run: the factor ``controletreffer`` never fires. Every
  payment's risk weight is computed after the import with kic's own ``kic.samples.draw.weigh`` (what
  a risk-weighted draw uses), and the scenarios put their errors by that weight.

* **A region of gemeenten** (``--gemeenten K``, 1-5; default none). The export then carries the column
  ``gemeente`` (docs/import.md, "Gemeenten"): every client (one per payment) lives in one of the first K
  gemeenten of ``kic.synth.REGION`` (GM9901, GM9902, ...), in shares K : K-1 : ... : 1, and her
  beschikking is in the same gemeente; the gemeenten are registered with
  ``kic.population.gemeenten.register_gemeente`` in the template database before the import. The
  gemeente comes from a random stream of its own: amounts, features, weights and the scenarios' errors are
  those of the population without gemeenten, so every existing design gives the same output for the same
  seed (checked). Without ``--gemeenten`` the design ``per-gemeente`` and the scenarios whose errors
  differ per gemeente are left out, and the study is the one it was before.

* **Known errors.** A scenario fixes, once (seeded), what every payment was paid too much
  (positive, capped at the payment) or too little (negative: an understatement, the audited value
  above the book value). The truth lives only in the answers of the simulated reviewer: the
  database holds the payments as exported. True overpayment of a sample = the sum of the positive
  errors of the payments of its regeling in its period, and of its gemeente for a sample drawn per
  gemeente (its population); of a group = the sum over the populations of its samples. True
  underpayment likewise with the negative errors. Every level is checked to be held against the
  population kic evaluates (its value in cents must equal kic's ``population_value``).

* **A repetition** (new seed each time, same imported population): ``draw_sample`` with
  ``SampleSpec(..., purpose="statistisch")`` (from the second repetition on with a
  ``redraw_reason``, so the newest sample replaces the older one in the evaluation);
  ``create_reviews``; every item reviewed with ``save_review`` on answers from
  ``kic.synth.reviewer.simulated_answers`` (every question "ja", except the control that carries
  the error: "nee" and the amount that should have been paid); ``evaluate_period(session,
  "2026-Q1", confidence=c)`` for c = 90 % and 95 %. Recorded per sample and per group
  (``result.regelingen``, ``result.overall``): the most likely error and the upper limit of
  "fouten", and, when ``SampleEvaluation.understatements`` exists, its "fouten" upper limit
  against the true underpayment. An exception of the evaluation is caught, counted as *not
  covered* and listed under the table.

* **Reviews, fast path.** ``save_review`` scores the checklist of every control valid for the item
  (21–30 controls). By default (``--checklist fout``) the catalogue handed to ``save_review`` holds
  only the control(s) that carry the simulated error (ALG-04 for these three regelingen), with the
  answers of that control; every other control would be answered "ja" and give *voldoet* without an
  amount, so the amounts, verdicts and limits are the same (the test suite checks this on a sample
  with over- and understatements). Measured on 10 repetitions of a 60-item MUS sample: 0.63 s per
  repetition with the fast path, 3.0 s with ``--checklist volledig`` (the whole checklist); the
  study would take five times as long. The item's control frame is read once per sample
  (``items_frame``) and passed as ``frame=``; the checklist is looked up per item, since whether a
  control applies depends on the item's data (``van_toepassing_als``).

* **Designs** (all ``purpose="statistisch"``, n = ``--n``, default 60):
  ``mus`` MUS, fixed interval; ``mus-cel`` MUS, cell selection (one scenario); ``posten`` item
  sample (``items``/``random``) projected in euros; ``risico`` risk-weighted (``risico``/
  ``systematisch``); ``samen`` one MUS sample for each of the three regelingen, judged by
  ``result.overall``; ``tweetraps`` a MUS sample declared two-stage (``SampleSpec(two_stage=True)``;
  when that field does not exist the sample is drawn without it and the output says so) of
  n₁ = n₂ = kic's MUS plan (``plan_mus``, no expected errors) at the tolerance and the per-look
  confidence (``kic.sampling.stage_confidence(0.95)`` = 97.5 %, or 95 % in a kic without it): evaluate
  at 95 %, and when kic says the upper limit of "totaal" exceeds the goedkeuringstolerantie
  (``result.tolerances.exceeded``; ``approval_pct`` = 2 % of the population) extend once with
  ``extend_sample`` by n₂, review the new items, evaluate again. The single-sample designs draw from
  PW-LO. The two-stage cell runs ``--herhalingen-tweetraps`` repetitions (default 2 R): the risk it
  estimates is near 5 %, where R = 30 would give a standard error of 4 points.
  ``per-gemeente`` (needs ``--gemeenten``): one MUS sample of n of PW-LO per gemeente, drawn with
  ``SampleSpec(..., gemeente=code)`` and a seed with ``:code`` appended (as ``kic plan draw`` does for a
  line drawn per gemeente), each reviewed; then per gemeente ``evaluate_period(..., gemeente=code)``
  (rows ``GM9901``, ...: her sample against the true error of her own payments of PW-LO) and once
  ``evaluate_period(...)`` without gemeente (rows ``regio PW-LO``, the regeling group, and ``regio``, the
  total: the region's samples combined, each gemeente a stratum of its own, against the true error of the
  whole region's PW-LO).

* **Scenarios** (``SCENARIOS``; the pattern is applied in each regeling): no errors; few 100 %
  errors (0.5 % of the payments); many small taints (40 % of the payments, 1–10 %); errors in small
  items (20 % of the smallest quarter, 50–100 %); errors in large items (every payment of the largest
  2 %, 50–100 %); errors in high-risk-weight items (30 % of the top-10 % weights, 20–100 %); errors in
  low-risk-weight items (80 % of the lowest-weight payments wholly wrong: a systematic error in the
  routine cases the risk model trusts); understatements mixed in (3 % overpaid, 3 % underpaid by
  10–100 %); heavy understatements in one of three regelingen (2 % overpaid everywhere, and 25 % of
  WMO underpaid by 50–150 %); a true overpayment of exactly 2 % of the population (whole payments,
  the payments of € 20,000 or more excluded) for the two-stage design; every payment of PW-LO wholly wrong, so that
  every item of its sample is wrong (Σ taints = n). The combined design runs where combining matters
  (not for the risk-weight and small-item patterns, which MUS per regeling already shows). The design
  per gemeente runs the no-errors, few-100 %, many-small-taints, large-items and understatement-mix
  scenarios (applied per regeling over the whole region, so the gemeenten differ only by chance), and
  three whose errors differ per gemeente (largest gemeente first): ``gemeenten-verschillend`` (the
  largest clean, the second few 100 % errors, the smallest many small taints); ``fout-in-kleinste``
  (only the smallest wrong: 20 % of its payments wholly wrong); ``onder-een-gemeente`` (2 % overpaid
  everywhere, and in the smallest also 25 % underpaid by 50-150 %).

* **What a limit is held against.** The "fouten" limit bounds the overpayment; when the evaluation
  reports ``understatement_policy == "meetellen"`` (underpayments count against the tolerance) it is
  the limit of the absolute errors, and is held against over- plus underpayment ("bound of" in the
  table). ``--onderbetalingen apart`` asks kic for the overpayment-only limit.

Per scenario × design the table gives the coverage (share of repetitions in which the upper limit
is at least the true error it bounds) at 90 % and 95 % with its Monte Carlo standard error
sqrt(p(1 − p)/R), the mean of upper limit / true error at 95 % (efficiency), the mean upper limit
as a share of the population, the mean of most likely error / true error (bias), the coverage of
the true underpayment by the understatement limit, the number of evaluations that raised, and
seconds per repetition; and, for the two-stage design, the real risk of wrongly accepting: the
share of repetitions whose final evaluation says "within tolerance" although the true error equals
the tolerance. It must be at most 5 % at 95 %.

Each cell (scenario × design) works on its own copy of the template database. Run from the
repository root, so that the kic of the working tree is measured (the output names it)::

    PYTHONPATH=. .venv/bin/python benchmarks/simulate_evaluation.py --uit simulatie.md

Options: ``--herhalingen R`` (default 30: the whole study took 21 minutes on one core of the 2-core
development machine while other jobs ran, load 3–8), ``--herhalingen-tweetraps``, ``--seed``,
``--uit FILE``, ``--scenario``/``--ontwerp`` (repeatable, to run a part), ``--n``, ``--betalingen``,
``--checklist``, ``--onderbetalingen``, ``--gemeenten``. The design per gemeente alone (eight cells, about
2.5 s per repetition of three samples)::

    PYTHONPATH=. .venv/bin/python benchmarks/simulate_evaluation.py --gemeenten 3 --ontwerp per-gemeente
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import math
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

import kic
from kic.controls.loader import Catalogue, load_catalogue
from kic.db import make_engine, session_scope, upgrade
from kic.evaluation import evaluate_period
from kic.periods import Period, parse_period
from kic.population import import_population
from kic.population.bsn import make_bsn
from kic.population.frames import load_payments
from kic.population.gemeenten import register_gemeente
from kic.review.service import ReviewInput, create_reviews, item_controls, items_frame, save_review
from kic.risk import load_risk_model
from kic.samples.draw import (
    PopulationCache,
    SampleSpec,
    draw_sample,
    extend_sample,
    latest_hits,
    sample_population,
    weigh,
)
from kic.samples.models import SampleItem
from kic.sampling.planning import plan_mus
from kic.synth import REGION
from kic.synth.reviewer import simulated_answers
from kic.users.accounts import add_user

PERIOD = "2026-Q1"
YEAR = 2026
REGELINGEN = ("PW-LO", "PW-BB", "WMO")
MAIN = "PW-LO"  # the single-sample designs draw from this regeling
MEDIAN_EUROS = {"PW-LO": 900.0, "PW-BB": 250.0, "WMO": 600.0}
SIGMA = {"PW-LO": 1.0, "PW-BB": 1.2, "WMO": 1.0}
LARGE_PER_REGELING = 4  # payments of € 20,000-80,000 (key items of a MUS sample of n = 60)
CONFIDENCES = (0.90, 0.95)
DECIDING = 0.95  # the confidence of the two-stage decision
REVIEWERS = ["anna", "bram"]
ACTOR = "simulatie"
ERROR_TYPE = "NORM_ONJUIST"  # the simulated reviewer books it on the calculation control (ALG-04)
DEFAULT_N = 60
DEFAULT_PAYMENTS = 2000
DEFAULT_REPETITIONS = 30  # measured: 21 minutes on one busy core (the timing line of the output)
ZERO = Decimal("0.00")
REGIO = "regio"  # the scope of the region's evaluation (evaluate_period without gemeente)

# A population: a regeling, of one gemeente (CBS code) or of the whole region (None)
Key = tuple[str, str | None]
Totals = dict[
    Key, tuple[int, int, int]
]  # per population: (value, true overpayment, true underpayment), cents


# --------------------------------------------------------------------------------------------
# The population: a CSV export, imported once
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """The imported population: the template database and every payment with its risk weight."""

    folder: Path
    database: Path  # SQLite file after the import; every cell works on a copy
    payments: pd.DataFrame  # betaling_id (index), regeling, cents, weight (and gemeente, in a region)
    period: Period
    catalogue: Catalogue  # the full catalogue (tolerances, checklists)
    checklist: Catalogue  # what save_review scores (see --checklist)
    import_seconds: float
    gemeenten: tuple[str, ...] = ()  # the registered gemeenten, largest first (--gemeenten); () without


def _euros(cents: np.ndarray) -> list[str]:
    return [f"{c // 100},{c % 100:02d}" for c in cents.tolist()]


def _days(days: Iterable[date]) -> list[str]:
    return [d.strftime("%d-%m-%Y") for d in days]


def region(gemeenten: int) -> tuple[tuple[str, str], ...]:
    """The (code, name) of the region's gemeenten, largest first (kic synth's ``REGION``); () for 0."""
    if not 0 <= gemeenten <= len(REGION):
        raise SystemExit(f"--gemeenten moet 0 tot en met {len(REGION)} zijn (gevraagd: {gemeenten})")
    return REGION[:gemeenten]


def assign_gemeenten(clients: int, gemeenten: int, seed: int) -> np.ndarray:
    """The gemeente every client lives in: shares k : k-1 : ... : 1 (3 : 2 : 1 for three), largest first.

    A random stream of its own, so that the amounts, features and errors of the population are the same
    as without gemeenten (the existing designs give the same output for the same seed)."""
    rng = np.random.default_rng([seed, 17, gemeenten])
    weights = np.arange(gemeenten, 0, -1, dtype=float)
    codes = np.array([code for code, _ in region(gemeenten)], dtype=object)
    return codes[rng.choice(gemeenten, size=clients, p=weights / weights.sum())]


def write_export(
    folder: Path, *, payments: int = DEFAULT_PAYMENTS, seed: int = 2026, gemeenten: int = 0
) -> tuple[Path, Path]:
    """Write ``betalingen.csv`` and ``beschikkingen.csv`` (docs/import.md) for the three regelingen;
    with ``gemeenten`` > 0 both carry the column ``gemeente`` (``assign_gemeenten``)."""
    rng = np.random.default_rng(seed)
    pay_rows, dossier_rows = [], []
    number = 0
    for regeling in REGELINGEN:
        cents = np.round(rng.lognormal(math.log(MEDIAN_EUROS[regeling] * 100), SIGMA[regeling], payments))
        cents = np.maximum(cents, 1000).astype(np.int64)
        large = rng.choice(payments, LARGE_PER_REGELING, replace=False)
        cents[large] = rng.integers(2_000_000, 8_000_000, LARGE_PER_REGELING)
        month = rng.integers(1, 4, payments)
        has_dossier = rng.random(payments) >= 0.08
        manual = rng.random(payments) < 0.12
        late = rng.random(payments) < 0.08
        new_case = rng.random(payments) < 0.15
        recent = rng.random(payments) < 0.10
        old = rng.random(payments) < 0.40
        above = rng.random(payments) < 0.06
        for i in range(payments):
            number += 1
            start = date(YEAR, int(month[i]), 1)
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            paid = end + timedelta(days=int(rng.integers(35, 60))) if late[i] else start.replace(day=25)
            key, client = f"B{number:07d}", f"C{number:07d}"
            bsn = make_bsn(20_000_000 + number)
            dossier = f"BS-{number:07d}" if has_dossier[i] else ""
            pay_rows.append(
                (
                    key,
                    client,
                    bsn,
                    regeling,
                    int(cents[i]),
                    paid,
                    start,
                    end,
                    dossier,
                    "ja" if manual[i] else "nee",
                    f"MW{1 + number % 25:02d}",
                )
            )
            if not has_dossier[i]:
                continue
            back = rng.integers(0, 85) if new_case[i] else rng.integers(100, 1500)
            ingang = start - timedelta(days=int(back))
            if recent[i]:
                besluit = paid - timedelta(days=int(rng.integers(1, 30)))
            elif old[i]:
                besluit = start - timedelta(days=int(rng.integers(370, 1500)))
            else:
                besluit = start - timedelta(days=int(rng.integers(60, 360)))
            per_period = int(cents[i] * 0.8) if above[i] else int(cents[i])
            dossier_rows.append(
                (
                    dossier,
                    client,
                    bsn,
                    regeling,
                    ingang,
                    per_period,
                    besluit,
                    f"MW{1 + (number + 7) % 25:02d}",
                )
            )
    folder.mkdir(parents=True, exist_ok=True)
    p = pd.DataFrame(
        pay_rows,
        columns=[
            "betaling_id",
            "client_id",
            "bsn",
            "regeling",
            "cents",
            "betaaldatum",
            "periode_van",
            "periode_tot",
            "beschikkingsnummer",
            "handmatig",
            "medewerker",
        ],
    )
    p.insert(4, "bedrag", _euros(p.pop("cents").to_numpy()))
    for column in ("betaaldatum", "periode_van", "periode_tot"):
        p[column] = _days(p[column])
    d = pd.DataFrame(
        dossier_rows,
        columns=[
            "beschikkingsnummer",
            "client_id",
            "bsn",
            "regeling",
            "ingangsdatum",
            "cents",
            "besluitdatum",
            "medewerker",
        ],
    )
    d.insert(5, "bedrag_per_periode", _euros(d.pop("cents").to_numpy()))
    for column in ("ingangsdatum", "besluitdatum"):
        d[column] = _days(d[column])
    if gemeenten:  # every client (one per payment here) lives in one gemeente; her beschikking is there too
        lives_in = dict(zip(p["client_id"], assign_gemeenten(len(p), gemeenten, seed), strict=True))
        p["gemeente"] = p["client_id"].map(lives_in)
        d["gemeente"] = d["client_id"].map(lives_in)
    payments_path, dossiers_path = folder / "betalingen.csv", folder / "beschikkingen.csv"
    p.to_csv(payments_path, sep=";", index=False)
    d.to_csv(dossiers_path, sep=";", index=False)
    return payments_path, dossiers_path


def build_world(
    folder: Path,
    *,
    payments: int = DEFAULT_PAYMENTS,
    seed: int = 2026,
    checklist: str = "fout",
    gemeenten: int = 0,
) -> World:
    """Write the export, import it into a new SQLite database and read every payment's risk weight.

    ``gemeenten`` > 0: a region; its gemeenten are registered (``register_gemeente``) before the import."""
    started = time.perf_counter()
    payments_path, dossiers_path = write_export(folder, payments=payments, seed=seed, gemeenten=gemeenten)
    database = folder / "populatie.sqlite"
    engine = make_engine(f"sqlite:///{database}")
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            for code, name in region(gemeenten):
                register_gemeente(session, code, name, actor=ACTOR)
        with session_scope(engine) as session:
            import_population(session, "beschikkingen", dossiers_path, actor=ACTOR)
            import_population(session, "betalingen", payments_path, actor=ACTOR)
            for name in REVIEWERS:  # only an active kwaliteitsmedewerker can be given an item
                add_user(
                    session,
                    username=name,
                    display_name=name,
                    role="kwaliteitsmedewerker",
                    password="simulatie-wachtwoord",
                    actor=ACTOR,
                )
        period = parse_period(PERIOD)
        catalogue = load_catalogue()
        with session_scope(engine) as session:
            frame = _weights(session, period, with_gemeente=gemeenten > 0)
            carriers = _error_controls(session, catalogue)
    finally:
        engine.dispose()
    if checklist == "volledig":
        scored = catalogue
    elif checklist == "fout":
        scored = dataclasses.replace(
            catalogue, versions={k: v for k, v in catalogue.versions.items() if k in carriers}
        )
    else:
        raise ValueError(f"onbekende checklist {checklist!r}; kies fout of volledig")
    codes = tuple(code for code, _ in region(gemeenten))
    return World(folder, database, frame, period, catalogue, scored, time.perf_counter() - started, codes)


def _weights(session: Session, period: Period, *, with_gemeente: bool = False) -> pd.DataFrame:
    """Every payment of the period with its book value (cents) and the risk weight a draw would give it."""
    cache, model, hits = PopulationCache(session), load_risk_model(), latest_hits(session)
    parts = []
    for regeling in REGELINGEN:
        spec = SampleSpec(regeling, period, 1, "risico", "systematisch")
        population = sample_population(cache.payments(regeling), spec, cache.dossiers())
        weighted = weigh(population, cache.dossiers(), model, hits)
        part = pd.DataFrame(
            {
                "betaling_id": weighted["key"].astype(str),
                "regeling": regeling,
                "cents": weighted["amount_cents"].astype("int64").to_numpy(),
                "weight": weighted["risk_weight"].astype(float).to_numpy(),
            }
        )
        if with_gemeente:  # as kic stored it: the truth per gemeente is of the population kic draws from
            part["gemeente"] = weighted["gemeente"].astype(str).to_numpy()
        parts.append(part)
    return pd.concat(parts, ignore_index=True).set_index("betaling_id")


def _error_controls(session: Session, catalogue: Catalogue) -> frozenset[str]:
    """The controls on which the simulated reviewer books an error, for a payment of every regeling."""
    found = set()
    for regeling in REGELINGEN:
        row = int(load_payments(session, regeling)["id"].iloc[0])
        frame = items_frame(session, [row])
        answers = simulated_answers(
            item_controls(catalogue, frame), Decimal("100.00"), Decimal("1.00"), ERROR_TYPE
        )
        found |= {cid for cid, a in answers.items() if "nee" in a.values()}
    return frozenset(found)


# --------------------------------------------------------------------------------------------
# Scenarios: the known errors (cents; positive = paid too much, negative = paid too little)
# --------------------------------------------------------------------------------------------

Truth = Callable[[pd.DataFrame, np.random.Generator], np.ndarray]


def _per_regeling(fn: Callable[[pd.DataFrame, np.random.Generator, str], np.ndarray]) -> Truth:
    def truth(payments: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
        errors = np.zeros(len(payments), dtype=np.int64)
        for regeling in REGELINGEN:
            mask = (payments["regeling"] == regeling).to_numpy()
            errors[mask] = fn(payments.loc[mask], rng, regeling)
        return errors

    return truth


Pattern = Callable[[pd.DataFrame, np.random.Generator, str], np.ndarray]


def _per_gemeente(*patterns: Pattern) -> Truth:
    """Error rates that differ per gemeente: the i-th pattern in the i-th gemeente (largest first; the last
    pattern in any further gemeente), applied within every regeling. Needs ``--gemeenten``."""

    def truth(payments: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
        if "gemeente" not in payments:
            raise SystemExit("dit scenario verschilt per gemeente: geef --gemeenten (bijvoorbeeld 3)")
        codes = [code for code, _ in REGION if code in set(payments["gemeente"])]
        errors = np.zeros(len(payments), dtype=np.int64)
        for regeling in REGELINGEN:
            for i, code in enumerate(codes):
                mask = ((payments["regeling"] == regeling) & (payments["gemeente"] == code)).to_numpy()
                fn = patterns[min(i, len(patterns) - 1)]
                errors[mask] = fn(payments.loc[mask], rng, regeling)
        return errors

    return truth


def _over(cents: np.ndarray, wrong: np.ndarray, taint: np.ndarray) -> np.ndarray:
    return np.where(wrong, np.minimum(np.round(cents * taint), cents), 0).astype(np.int64)


def _random_share(rng: np.random.Generator, size: int, share: float) -> np.ndarray:
    wrong = np.zeros(size, dtype=bool)
    wrong[rng.choice(size, max(1, round(share * size)), replace=False)] = True
    return wrong


def _none(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    return np.zeros(len(part), dtype=np.int64)


def _few_full(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    cents = part["cents"].to_numpy()
    return _over(cents, _random_share(rng, len(cents), 0.005), np.ones(len(cents)))


def _small_taints(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    cents = part["cents"].to_numpy()
    return _over(cents, rng.random(len(cents)) < 0.40, rng.uniform(0.01, 0.10, len(cents)))


def _small_items(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    cents = part["cents"].to_numpy()
    small = cents <= np.quantile(cents, 0.25)
    return _over(cents, small & (rng.random(len(cents)) < 0.20), rng.uniform(0.5, 1.0, len(cents)))


def _large_items(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    cents = part["cents"].to_numpy()
    return _over(cents, cents >= np.quantile(cents, 0.98), rng.uniform(0.5, 1.0, len(cents)))


def _high_risk(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    cents, weight = part["cents"].to_numpy(), part["weight"].to_numpy()
    high = weight >= max(np.quantile(weight, 0.90), weight.min() * 1.01)
    return _over(cents, high & (rng.random(len(cents)) < 0.30), rng.uniform(0.2, 1.0, len(cents)))


def _low_risk(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    """A systematic error in the routine cases the risk model trusts: most lowest-weight payments wrong."""
    cents, weight = part["cents"].to_numpy(), part["weight"].to_numpy()
    low = weight <= weight.min() * 1.0001
    return _over(cents, low & (rng.random(len(cents)) < 0.80), np.ones(len(cents)))


def _mixed_under(
    part: pd.DataFrame,
    rng: np.random.Generator,
    regeling: str,
    over: float = 0.03,
    under: float = 0.03,
    size: tuple[float, float] = (0.1, 1.0),
) -> np.ndarray:
    cents = part["cents"].to_numpy()
    u = rng.random(len(cents))
    errors = _over(cents, u < over, rng.uniform(0.1, 1.0, len(cents)))
    underpaid = (u >= over) & (u < over + under)
    return np.where(underpaid, -np.round(cents * rng.uniform(*size, len(cents))), errors).astype(np.int64)


def _heavy_under_in_one(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    if regeling == "WMO":
        return _mixed_under(part, rng, regeling, over=0.02, under=0.25, size=(0.5, 1.5))
    return _mixed_under(part, rng, regeling, over=0.02, under=0.0)


def _at_tolerance(
    part: pd.DataFrame, rng: np.random.Generator, regeling: str, share: float = 0.02
) -> np.ndarray:
    """Whole payments wrong, in random order, until exactly ``share`` of the book value (the last one partly).

    The very large payments (€ 20,000 or more), which a MUS sample takes whole as key items, stay right.
    """
    cents = part["cents"].to_numpy()
    left = math.ceil(share * int(cents.sum()))
    errors = np.zeros(len(cents), dtype=np.int64)
    for i in rng.permutation(len(cents)):
        if left <= 0:
            break
        if cents[i] >= 2_000_000:
            continue
        errors[i] = min(int(cents[i]), left)
        left -= int(errors[i])
    return errors


def _many_full(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    """A gemeente with a systematic error: 20 % of its payments wholly wrong."""
    cents = part["cents"].to_numpy()
    return _over(cents, _random_share(rng, len(cents), 0.20), np.ones(len(cents)))


def _heavy_under(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    """2 % overpaid, and 25 % underpaid by 50-150 % (as WMO in ``onder-een-regeling``)."""
    return _mixed_under(part, rng, regeling, over=0.02, under=0.25, size=(0.5, 1.5))


def _some_over(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    return _mixed_under(part, rng, regeling, over=0.02, under=0.0)


def _all_wrong_main(part: pd.DataFrame, rng: np.random.Generator, regeling: str) -> np.ndarray:
    """Every payment of PW-LO wholly wrong (no right at all): every item of its sample wrong, Σ taints = n."""
    if regeling != MAIN:
        return _few_full(part, rng, regeling)
    return part["cents"].to_numpy().astype(np.int64)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    truth: Truth
    designs: tuple[str, ...]
    region: bool = False  # the errors differ per gemeente: needs --gemeenten


SINGLE = ("mus", "posten", "risico")
REGION_DESIGN = "per-gemeente"  # runs only on a population with gemeenten (--gemeenten)
SCENARIOS = {
    s.name: s
    for s in (
        Scenario("geen-fouten", "no errors", _per_regeling(_none), (*SINGLE, "samen", REGION_DESIGN)),
        Scenario(
            "weinig-volle",
            "few 100 % errors (0.5 % of the payments wholly wrong)",
            _per_regeling(_few_full),
            (*SINGLE, "samen", REGION_DESIGN),
        ),
        Scenario(
            "veel-kleine",
            "many small taints (40 % of the payments, 1-10 % too much)",
            _per_regeling(_small_taints),
            (*SINGLE, "samen", REGION_DESIGN),
        ),
        Scenario(
            "kleine-posten",
            "errors in small items (20 % of the smallest quarter, 50-100 %)",
            _per_regeling(_small_items),
            SINGLE,
        ),
        Scenario(
            "grote-posten",
            "errors in large items (every payment of the largest 2 %, 50-100 %)",
            _per_regeling(_large_items),
            (*SINGLE, "mus-cel", "samen", REGION_DESIGN),
        ),
        Scenario(
            "hoog-risico",
            "errors in high-risk-weight items (30 % of the top 10 % weights, 20-100 %)",
            _per_regeling(_high_risk),
            SINGLE,
        ),
        Scenario(
            "laag-risico",
            "errors in low-risk-weight items (80 % of the lowest weight wholly wrong)",
            _per_regeling(_low_risk),
            SINGLE,
        ),
        Scenario(
            "mix-onder",
            "3 % overpaid (10-100 %) and 3 % underpaid (10-100 % of the book value)",
            _per_regeling(_mixed_under),
            (*SINGLE, "samen", REGION_DESIGN),
        ),
        Scenario(
            "onder-een-regeling",
            "2 % overpaid everywhere; in WMO also 25 % underpaid by 50-150 %",
            _per_regeling(_heavy_under_in_one),
            ("samen",),
        ),
        Scenario(
            "tolerantie",
            "true overpayment exactly 2 % of the population (whole payments wrong)",
            _per_regeling(_at_tolerance),
            ("tweetraps",),
        ),
        Scenario(
            "alles-fout",
            "every payment of PW-LO wholly wrong (every item of its sample wrong); "
            "0.5 % wholly wrong in the other regelingen",
            _per_regeling(_all_wrong_main),
            (*SINGLE, "samen"),
        ),
        # the errors differ per gemeente (largest first); new scenarios come last, so that the seeds of the
        # scenarios above (their index in SCENARIOS) stay the same
        Scenario(
            "gemeenten-verschillend",
            "largest gemeente no errors; the second few 100 % errors (0.5 %); the smallest many small "
            "taints (40 %, 1-10 %)",
            _per_gemeente(_none, _few_full, _small_taints),
            (REGION_DESIGN,),
            region=True,
        ),
        Scenario(
            "fout-in-kleinste",
            "only the smallest gemeente wrong: 20 % of its payments wholly wrong (the others none)",
            _per_gemeente(_none, _none, _many_full),
            (REGION_DESIGN,),
            region=True,
        ),
        Scenario(
            "onder-een-gemeente",
            "2 % overpaid everywhere; in the smallest gemeente also 25 % underpaid by 50-150 %",
            _per_gemeente(_some_over, _some_over, _heavy_under),
            (REGION_DESIGN,),
            region=True,
        ),
    )
}


def truth_for(world: World, scenario: Scenario, seed: int) -> pd.Series:
    """The scenario's error of every payment (cents, signed), by betaling_id; fixed for a seed."""
    rng = np.random.default_rng([seed, list(SCENARIOS).index(scenario.name)])
    return pd.Series(scenario.truth(world.payments, rng), index=world.payments.index, name="error")


def true_totals(world: World, errors: pd.Series) -> Totals:
    """Per population, (regeling, None) for the whole region and (regeling, code) for each gemeente: (population
    value, true overpayment, true underpayment), in cents."""
    result = {}
    for regeling in REGELINGEN:
        of_regeling = world.payments["regeling"] == regeling
        for gemeente in (None, *world.gemeenten):
            mask = of_regeling if gemeente is None else of_regeling & (world.payments["gemeente"] == gemeente)
            e = errors[mask].to_numpy()
            value = int(world.payments.loc[mask, "cents"].sum())
            result[(regeling, gemeente)] = (value, int(e[e > 0].sum()), int(-e[e < 0].sum()))
    return result


def _sum(totals: Totals, keys: Iterable[Key]) -> tuple[int, int, int]:
    chosen = [totals[k] for k in dict.fromkeys(keys)]
    return (sum(t[0] for t in chosen), sum(t[1] for t in chosen), sum(t[2] for t in chosen))


# --------------------------------------------------------------------------------------------
# Designs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Design:
    name: str
    description: str
    regelingen: tuple[str, ...]
    method: str
    selection_method: str
    two_stage: bool = False
    per_gemeente: bool = False  # one sample per gemeente of each regeling (SampleSpec(gemeente=code))


DESIGNS = {
    d.name: d
    for d in (
        Design("mus", "MUS, fixed interval", (MAIN,), "mus", "interval"),
        Design("mus-cel", "MUS, cell selection", (MAIN,), "mus", "cell"),
        Design("posten", "item sample (random), projected in euros", (MAIN,), "items", "random"),
        Design("risico", "risk-weighted (systematic PPS)", (MAIN,), "risico", "systematisch"),
        Design(
            "samen", "three regelingen, one MUS sample each, judged together", REGELINGEN, "mus", "interval"
        ),
        Design(
            "tweetraps",
            "MUS declared two-stage, extended when above the tolerance",
            (MAIN,),
            "mus",
            "interval",
            two_stage=True,
        ),
        Design(
            REGION_DESIGN,
            "MUS, one sample per gemeente (SampleSpec(gemeente=...)); evaluated per gemeente and for the region",
            (MAIN,),
            "mus",
            "interval",
            per_gemeente=True,
        ),
    )
}


def has_two_stage() -> bool:
    return "two_stage" in {f.name for f in dataclasses.fields(SampleSpec)}


def look_confidence(confidence: float = DECIDING) -> float:
    """The confidence kic evaluates (and plans) each look of a two-stage sample at; the nominal one in a kic
    without ``stage_confidence``."""
    try:
        from kic.sampling import stage_confidence
    except ImportError:
        return confidence
    return float(stage_confidence(confidence))


def stage_size(population_cents: int, tolerance_pct: float = 2.0) -> int:
    """n of each stage: kic's MUS plan (``plan_mus``, no expected errors) at the tolerance and the per-look
    confidence, as a controleplan line with ``uitbreidbaar: ja`` is sized."""
    value = population_cents / 100
    return int(plan_mus(value, value * tolerance_pct / 100, look_confidence()).n)


def _spec(design: Design, regeling: str, period: Period, n: int, gemeente: str | None = None) -> SampleSpec:
    spec = SampleSpec(regeling, period, n, design.method, design.selection_method, purpose="statistisch")
    if design.two_stage and has_two_stage():
        spec = dataclasses.replace(spec, two_stage=True)
    if gemeente is not None:
        spec = dataclasses.replace(spec, gemeente=gemeente)
    return spec


def populations_of(design: Design, world: World) -> list[Key]:
    """The populations a design draws one sample from in each repetition."""
    if design.per_gemeente:
        if not world.gemeenten:
            raise SystemExit(f"ontwerp {design.name} trekt per gemeente: geef --gemeenten (bijvoorbeeld 3)")
        return [(r, g) for r in design.regelingen for g in world.gemeenten]
    return [(r, None) for r in design.regelingen]


def scopes_of(design: Design, world: World) -> list[tuple[str | None, str | None]]:
    """The evaluations of a repetition, as (gemeente= for evaluate_period, scope of the records): for a design
    per gemeente one of each gemeente and one of the region; otherwise one of the period."""
    if design.per_gemeente:
        return [*((g, g) for g in world.gemeenten), (None, REGIO)]
    return [(None, None)]


# --------------------------------------------------------------------------------------------
# One repetition through the cycle
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """One sample or group at one confidence, against the truth of the population it covers."""

    level: str  # steekproef | regeling | totaal
    name: str
    confidence: float
    population: int  # cents
    true_over: int  # cents
    true_under: int  # cents
    most_likely: Decimal | None
    upper: Decimal | None
    upper_under: Decimal | None  # the understatement limit, when the evaluation gives one
    error: str | None = None
    policy: str | None = None  # the evaluation's understatement_policy (None: a kic without one)
    scope: str | None = None  # whose evaluation: a gemeente's code, "regio", or None (the period's only one)

    @property
    def target(self) -> int:
        """What the "fouten" limit claims to bound (cents): the overpayment; with the policy "meetellen"
        (underpayments count against the tolerance) the absolute errors, over- plus underpayment."""
        return self.true_over + (self.true_under if self.policy == "meetellen" else 0)

    @property
    def covered(self) -> bool:
        return self.error is None and self.upper is not None and self.upper * 100 >= self.target

    @property
    def covered_under(self) -> bool | None:
        if self.error is not None:
            return False
        if self.upper_under is None:
            return None
        return self.upper_under * 100 >= self.true_under


@dataclass
class Repetition:
    scenario: str
    design: str
    index: int
    seconds: float
    reviews: int
    records: list[Record] = field(default_factory=list)
    failure: str | None = None  # the cycle itself failed before the evaluation
    stage: dict[str, Any] = field(default_factory=dict)  # two-stage: extended, accepted after each stage


def review_sample(session: Session, world: World, sample_id: int, errors: pd.Series) -> int:
    """Assign every item of the sample and hand in the simulated reviewer's answers with ``save_review``."""
    reviews = create_reviews(session, sample_id, REVIEWERS, actor=ACTOR)
    items = {i.id: i for i in session.scalars(select(SampleItem).where(SampleItem.sample_id == sample_id))}
    frame = items_frame(
        session, [int(i.payment_row_id) for i in items.values() if i.payment_row_id is not None]
    )
    rows = {int(r): frame.iloc[[k]] for k, r in enumerate(frame["_row"].to_numpy())}
    scored = set(world.checklist.versions)
    for review in reviews:
        item = items[review.sample_item_id]
        row = rows[int(item.payment_row_id or 0)]
        # the checklist depends on the item's data too (van_toepassing_als), so it is looked up per item
        controls = item_controls(world.catalogue, row)
        cents = int(errors.get(item.item_key, 0))
        error = Decimal(cents) / 100
        answers = simulated_answers(controls, item.book_value, error, ERROR_TYPE if cents else None)
        answers = {cid: a for cid, a in answers.items() if cid in scored}
        save_review(
            session,
            review.id,
            ReviewInput(answers, "mens" if cents else None),
            actor=review.reviewer,
            expected_version=review.version,
            submit=True,
            source="simulatie",
            catalogue=world.checklist,
            frame=row,
        )
    return len(reviews)


def _projection_of(projections: Any, kind: str = "fouten") -> tuple[Decimal | None, Decimal | None]:
    if not projections or kind not in projections:
        return None, None
    p = projections[kind]
    return p.most_likely_error, p.upper_limit


def records_of(
    result: Any,
    confidence: float,
    drawn: dict[int, Key],
    totals: Totals,
    scope: str | None = None,
) -> list[Record]:
    """What one evaluation says about the samples drawn in this repetition and their groups; every level is
    held against the truth of exactly the populations kic evaluates there (checked on their value)."""
    records: list[Record] = []
    covered: list[Key] = []
    policy = getattr(result, "understatement_policy", None)

    def record(
        level: str, name: str, kic_value: Decimal, keys: list[Key], projections: Any, under: Any
    ) -> None:
        value, over, under_paid = _sum(totals, keys)
        if kic_value * 100 != value:  # the truth must be of the population kic evaluates
            raise RuntimeError(
                f"populatie van {name} ({scope or 'periode'}): kic {kic_value}, simulatie {value / 100}"
            )
        most, upper = _projection_of(projections)
        _, upper_under = _projection_of(under)
        records.append(
            Record(
                level,
                name,
                confidence,
                value,
                over,
                under_paid,
                most,
                upper,
                upper_under,
                policy=policy,
                scope=scope,
            )
        )

    for sample in result.samples:
        if sample.sample_id not in drawn:
            continue
        key = (sample.regeling, getattr(sample, "gemeente", None))
        if key != drawn[sample.sample_id]:
            raise RuntimeError(
                f"steekproef {sample.sample_id}: kic {key}, getrokken {drawn[sample.sample_id]}"
            )
        if scope not in (None, REGIO) and key[1] != scope:  # a gemeente's evaluation: her samples only
            raise RuntimeError(f"evaluatie van {scope} bevat steekproef {sample.sample_id} van {key[1]}")
        covered.append(key)
        record(
            "steekproef",
            sample.regeling,
            sample.population_value,
            [key],
            sample.projections,
            getattr(sample, "understatements", None),
        )
    if scope == REGIO and sorted(covered, key=str) != sorted(drawn.values(), key=str):
        raise RuntimeError(
            f"de evaluatie van de regio mist steekproeven: {covered} van {list(drawn.values())}"
        )
    for group in result.regelingen:
        record(
            "regeling",
            group.name,
            group.population_value,
            [k for k in covered if k[0] == group.name],
            group.projections,
            getattr(group, "understatements", None),
        )
    if result.overall is not None:
        record(
            "totaal",
            result.overall.name,
            result.overall.population_value,
            covered,
            result.overall.projections,
            getattr(result.overall, "understatements", None),
        )
    return records


def _failed(
    design: Design,
    confidence: float,
    totals: Totals,
    message: str,
    keys: Sequence[Key] | None = None,
    scope: str | None = None,
) -> list[Record]:
    """An evaluation that raised: every level counts as not covered. ``keys``: the populations it evaluates
    (by default the design's regelingen over the whole region)."""
    keys = list(keys) if keys is not None else [(r, None) for r in design.regelingen]

    def failed(level: str, name: str, of: list[Key]) -> Record:
        return Record(level, name, confidence, *_sum(totals, of), None, None, None, message, scope=scope)

    records = []
    for regeling in dict.fromkeys(k[0] for k in keys):
        mine = [k for k in keys if k[0] == regeling]
        records += [failed("steekproef", regeling, [k]) for k in mine]
        records.append(failed("regeling", regeling, mine))
    return [*records, failed("totaal", "alle regelingen", keys)]


def _message(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".replace("\n", " ")[:160]


def policy_arguments(policy: str | None) -> dict[str, str]:
    """``understatements=`` for ``evaluate_period`` when a policy is asked; an error when kic lacks it."""
    if policy is None:
        return {}
    if "understatements" not in inspect.signature(evaluate_period).parameters:
        raise SystemExit(
            "deze kic kent evaluate_period(understatements=...) niet: laat --onderbetalingen weg"
        )
    return {"understatements": policy}


def evaluate_all(
    session: Session,
    world: World,
    design: Design,
    drawn: dict[int, Key],
    totals: Totals,
    policy: str | None = None,
    gemeente: str | None = None,
    scope: str | None = None,
) -> tuple[list[Record], dict[float, Any]]:
    """``evaluate_period`` at every confidence; ``gemeente``: only that gemeente's samples (her own lasten)."""
    records, results = [], {}
    keys = [k for k in drawn.values() if gemeente is None or k[1] == gemeente]
    options: dict[str, Any] = {**policy_arguments(policy)}
    if gemeente is not None:
        options["gemeente"] = gemeente
    for confidence in CONFIDENCES:
        try:
            result = evaluate_period(
                session,
                world.period,
                confidence=confidence,
                catalogue=world.catalogue,
                **options,
            )
        except Exception as exc:  # the study measures whatever the evaluation does
            records += _failed(design, confidence, totals, _message(exc), keys, scope)
            continue
        results[confidence] = result
        records += records_of(result, confidence, drawn, totals, scope)
    return records, results


def within_tolerance(result: Any) -> bool | None:
    """kic's own judgement of the overall upper limit of "totaal" against the goedkeuringstolerantie."""
    if result is None or result.overall is None:
        return None
    overall = result.overall
    verdict = result.tolerances.exceeded("totaal", overall.projections["totaal"], overall.population_value)
    if verdict is None:
        upper = overall.projections["totaal"].upper_limit
        limit = overall.population_value * Decimal(str(result.tolerances.approval_pct)) / 100
        return upper is not None and upper <= limit
    return not verdict


def one_repetition(
    engine: Any,
    world: World,
    scenario: Scenario,
    design: Design,
    errors: pd.Series,
    totals: Totals,
    index: int,
    seed: int,
    n: int,
    policy: str | None = None,
) -> Repetition:
    started = time.perf_counter()
    rep = Repetition(scenario.name, design.name, index, 0.0, 0)
    tag = f"{seed}-{scenario.name}-{design.name}-{index}"
    keys = populations_of(design, world)
    try:
        with session_scope(engine) as session:
            drawn: dict[int, Key] = {}
            size = stage_size(totals[(MAIN, None)][0]) if design.two_stage else n
            for regeling, gemeente in keys:
                reason = None if index == 0 else f"simulatie, herhaling {index}"
                sample = draw_sample(
                    session,
                    _spec(design, regeling, world.period, size, gemeente),
                    # as kic plan draw: a gemeente's own seed (the gemeente appended)
                    seed=f"{tag}-{regeling}" + (f":{gemeente}" if gemeente else ""),
                    actor=ACTOR,
                    redraw_reason=reason,
                )
                drawn[sample.id] = (regeling, gemeente)
                rep.reviews += review_sample(session, world, sample.id, errors)
            records: list[Record] = []
            for gemeente, scope in scopes_of(design, world):
                found, results = evaluate_all(session, world, design, drawn, totals, policy, gemeente, scope)
                records += found
            if design.two_stage:
                records = _second_stage(
                    session, world, design, drawn, errors, totals, results, records, rep, tag, size, policy
                )
            rep.records = records
    except Exception as exc:  # a failing cycle is reported, the study goes on
        rep.failure = _message(exc)
        rep.records = [
            r
            for c in CONFIDENCES
            for gemeente, scope in scopes_of(design, world)
            for r in _failed(
                design,
                c,
                totals,
                rep.failure,
                [k for k in keys if gemeente is None or k[1] == gemeente],
                scope,
            )
        ]
    rep.seconds = time.perf_counter() - started
    return rep


def _second_stage(
    session: Session,
    world: World,
    design: Design,
    drawn: dict[int, Key],
    errors: pd.Series,
    totals: Totals,
    results: dict[float, Any],
    records: list[Record],
    rep: Repetition,
    tag: str,
    size: int,
    policy: str | None,
) -> list[Record]:
    """Extend when the first stage's upper limit of "totaal" is above the tolerance; judge again."""
    first = within_tolerance(results.get(DECIDING))
    rep.stage = {"eerste_binnen": first, "uitgebreid": False, "binnen": first, "n1": size}
    if first is not False:  # within tolerance (or not evaluable): no extension
        return records
    (sample_id,) = drawn
    try:
        extension = extend_sample(
            session,
            sample_id,
            size,
            seed=f"{tag}-uitbreiding",
            actor=ACTOR,
            reason="simulatie: bovengrens boven de goedkeuringstolerantie",
        )
    except Exception as exc:  # the old kic may refuse or lack this
        rep.stage["fout"] = _message(exc)
        return records
    rep.reviews += review_sample(session, world, extension.id, errors)
    rep.stage["uitgebreid"] = True
    records, results = evaluate_all(session, world, design, drawn, totals, policy)
    rep.stage["binnen"] = within_tolerance(results.get(DECIDING))
    return records


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite database (also with a WAL file), through SQLite's backup API."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def run_cell(
    world: World,
    scenario: Scenario,
    design: Design,
    repetitions: int,
    *,
    seed: int,
    n: int,
    workdir: Path,
    policy: str | None = None,
) -> list[Repetition]:
    """``repetitions`` repetitions of one design on one scenario, on a fresh copy of the population."""
    errors = truth_for(world, scenario, seed)
    totals = true_totals(world, errors)
    database = workdir / f"{scenario.name}-{design.name}.sqlite"
    copy_database(world.database, database)
    engine = make_engine(f"sqlite:///{database}")
    try:
        return [
            one_repetition(engine, world, scenario, design, errors, totals, i, seed, n, policy)
            for i in range(repetitions)
        ]
    finally:
        engine.dispose()
        database.unlink(missing_ok=True)


# --------------------------------------------------------------------------------------------
# Summary and table
# --------------------------------------------------------------------------------------------


def levels_for(design: Design, reps: Sequence[Repetition] = ()) -> list[tuple[str, str | None, str]]:
    """The rows of a cell, as (label, scope, level). A single sample is its own regeling and total (kic
    reports the same limit): show it once. A design per gemeente: each gemeente's own evaluation (her
    sample; her total when she has several), then the region's regeling groups and its total."""
    if not design.per_gemeente:
        levels = ("steekproef", "totaal") if len(design.regelingen) > 1 else ("steekproef",)
        return [(level, None, level) for level in levels]
    scopes = dict.fromkeys(r.scope for rep in reps for r in rep.records if r.scope not in (None, REGIO))
    own = "steekproef" if len(design.regelingen) == 1 else "totaal"
    return [
        *((str(code), code, own) for code in scopes),
        *((f"{REGIO} {regeling}", REGIO, "regeling") for regeling in design.regelingen),
        (REGIO, REGIO, "totaal"),
    ]


@dataclass(frozen=True)
class Row:
    scenario: str
    design: str
    level: str
    repetitions: int
    observations: int  # records at 95 % (a pooled sample level has one per sample)
    bound_of: str  # what the "fouten" limit is held against: "over" or "over+under" (policy meetellen)
    true_pct: float  # mean true error it bounds, as a share of the population (%)
    coverage: dict[float, float]
    upper_over_true: float | None  # mean upper limit / true error at 95 %
    upper_pct: float | None  # mean upper limit at 95 % as a share of the population (%)
    most_likely_over_true: float | None
    under_coverage: float | None  # coverage of the true underpayment at 95 % (when kic gives a limit)
    under_true_pct: float
    exceptions: int
    seconds_per_repetition: float


def _belongs(record: Record, label: str, scope: str | None, level: str) -> bool:
    """Whether a record is of a row of ``levels_for`` (the region's regeling groups one row each)."""
    if record.level != level or record.scope != scope:
        return False
    return scope != REGIO or level != "regeling" or label == f"{REGIO} {record.name}"


def mc_se(p: float, r: int) -> float:
    """Monte Carlo standard error of a share p over r repetitions."""
    return math.sqrt(p * (1 - p) / r) if r else float("nan")


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def summarize(reps: Sequence[Repetition]) -> list[Row]:
    """One row per scenario × design × level shown (``levels_for``)."""
    rows = []
    cells: dict[tuple[str, str], list[Repetition]] = {}
    for rep in reps:
        cells.setdefault((rep.scenario, rep.design), []).append(rep)
    for (scenario, design), members in cells.items():
        for label, scope, level in levels_for(DESIGNS[design], members):
            records = [r for rep in members for r in rep.records if _belongs(r, label, scope, level)]
            at = {c: [r for r in records if r.confidence == c] for c in CONFIDENCES}
            main = at[DECIDING]
            if not main:
                continue
            ok = [r for r in main if r.error is None and r.upper is not None]
            positive = [r for r in ok if r.target > 0]
            under = [r.covered_under for r in main if r.covered_under is not None]
            rows.append(
                Row(
                    scenario,
                    design,
                    label,
                    len(members),
                    len(main),
                    " / ".join(sorted({"over+under" if r.policy == "meetellen" else "over" for r in ok}))
                    or "—",
                    100 * float(np.mean([r.target / r.population for r in main])),
                    {c: float(np.mean([r.covered for r in at[c]])) for c in CONFIDENCES if at[c]},
                    _mean([float(r.upper) * 100 / r.target for r in positive]),  # type: ignore[arg-type]
                    _mean([float(r.upper) * 10_000 / r.population for r in ok]),  # type: ignore[arg-type]
                    _mean(
                        [float(r.most_likely) * 100 / r.target for r in positive if r.most_likely is not None]
                    ),
                    float(np.mean(under)) if under else None,
                    100 * float(np.mean([r.true_under / r.population for r in main])),
                    sum(1 for r in main if r.error is not None),
                    float(np.mean([rep.seconds for rep in members])),
                )
            )
    return rows


def _pct(p: float | None, n: int | None = None) -> str:
    if p is None:
        return "—"
    text = f"{100 * p:.1f} %"
    return f"{text} ± {100 * mc_se(p, n):.1f}" if n else text


def _ratio(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}×"


def markdown(rows: Sequence[Row], reps: Sequence[Repetition], *, header: str = "") -> str:
    """The table of every row, the two-stage table and the exceptions, as Markdown."""
    lines = [header] if header else []
    lines += [
        (
            "| scenario | design | level | R | bound of | true error (% of pop.) | coverage 90 % "
            "| coverage 95 % | UL95 / true | MLE / true | UL95 (% of pop.) | true underpaid (% of pop.) "
            "| coverage of underpaid, 95 % | exceptions | s / rep. |"
        ),
        "|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        upper_pct = "—" if r.upper_pct is None else f"{r.upper_pct:.2f} %"
        under = _pct(r.under_coverage, r.observations) if r.under_coverage is not None else "no limit"
        lines.append(
            f"| {r.scenario} | {r.design} | {r.level} | {r.repetitions} | {r.bound_of} | {r.true_pct:.2f} % "
            f"| {_pct(r.coverage.get(0.90), r.observations)} | {_pct(r.coverage.get(0.95), r.observations)} "
            f"| {_ratio(r.upper_over_true)} | {_ratio(r.most_likely_over_true)} | {upper_pct} "
            f"| {r.under_true_pct:.2f} % | {under} | {r.exceptions} | {r.seconds_per_repetition:.2f} |"
        )
    lines += [
        "",
        (
            'Coverage: share of repetitions whose upper limit of "fouten" is at least the true '
            "error it bounds ('bound of': the overpayment, or over- plus underpayment when the "
            "evaluation counts underpayments against the tolerance, policy 'meetellen'), ± one Monte "
            "Carlo standard error sqrt(p(1 − p)/R); a pooled sample level (design samen) counts each "
            "of its three samples. UL95 / true and MLE / true: means over the repetitions with a true "
            "error. 'no limit': the "
            "evaluation gives no understatement limit (no `understatements` field). For single-sample "
            "designs the regeling and the total are the sample itself (kic reports the same limit)."
        ),
    ]
    if any(DESIGNS[r.design].per_gemeente for r in rows):
        lines += [
            "",
            (
                f"Design {REGION_DESIGN}: each repetition draws one MUS sample of {MAIN} per gemeente "
                "(`SampleSpec(gemeente=code)`, seed suffix ':code' as `kic plan draw`). Level GMxxxx: "
                "`evaluate_period(..., gemeente=code)`, her sample against the true error of her own "
                f"payments of {MAIN}. Level 'regio {MAIN}' and 'regio': `evaluate_period(...)` without "
                "gemeente, the regeling group and the total, each gemeente's sample a stratum of its own, "
                f"against the true error of the whole region's {MAIN}."
            ),
        ]
    staged = [rep for rep in reps if rep.stage]
    if staged:
        lines += ["", two_stage_table(staged)]
    problems = exceptions_table(reps)
    if problems:
        lines += ["", problems]
    return "\n".join(lines) + "\n"


def two_stage_table(reps: Sequence[Repetition]) -> str:
    """The real risk of wrongly accepting of the two-stage design."""
    cells: dict[str, list[Repetition]] = {}
    for rep in reps:
        cells.setdefault(rep.scenario, []).append(rep)
    lines = [
        (
            "Two-stage design, the real risk of wrongly accepting: the true overpayment equals the "
            "tolerance; 'within' = kic's `tolerances.exceeded(\"totaal\", …)` of the overall upper "
            "limit at 95 % is False. Stage 1 within: accepted without extension; otherwise extended once "
            "by n₂ = n₁ and judged again."
        ),
        "",
        (
            "| scenario | R | n₁ = n₂ | per-look confidence | `two_stage` field | within after stage 1 "
            "| extended | within at the end (risk of wrongly accepting) | ≤ 5 %? | extension refused |"
        ),
        "|---|---:|---:|---:|---|---:|---:|---:|---|---:|",
    ]
    for scenario, members in cells.items():
        r = len(members)
        first = float(np.mean([m.stage.get("eerste_binnen") is True for m in members]))
        extended = float(np.mean([bool(m.stage.get("uitgebreid")) for m in members]))
        final = float(np.mean([m.stage.get("binnen") is True for m in members]))
        refused = sum(1 for m in members if "fout" in m.stage)
        n1 = members[0].stage.get("n1", 0)
        lines.append(
            f"| {scenario} | {r} | {n1} | {100 * look_confidence():.1f} % "
            f"| {'yes' if has_two_stage() else 'absent'} | {_pct(first, r)} | {_pct(extended)} "
            f"| {_pct(final, r)} | {'yes' if final <= 0.05 else 'NO'} | {refused} |"
        )
    refusals = sorted({m.stage["fout"] for m in reps if "fout" in m.stage})
    lines += ["", *(f"Extension refused: {n}" for n in refusals)]
    return "\n".join(lines).rstrip()


def exceptions_table(reps: Sequence[Repetition]) -> str:
    counts: dict[tuple[str, str, str], int] = {}
    for rep in reps:
        messages = {r.error for r in rep.records if r.error} | ({rep.failure} if rep.failure else set())
        for message in messages:
            key = (rep.scenario, rep.design, message or "")
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return ""
    lines = [
        "Exceptions (repetitions in which the evaluation or the cycle raised; not covered):",
        "",
        "| scenario | design | repetitions | exception |",
        "|---|---|---:|---|",
    ]
    lines += [f"| {s} | {d} | {c} | {m.replace('|', '/')} |" for (s, d, m), c in sorted(counts.items())]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def cells_of(
    scenarios: Sequence[str] | None, designs: Sequence[str] | None, *, region: bool = False
) -> list[tuple[Scenario, Design]]:
    """The cells asked for; without a region (``--gemeenten``) no design per gemeente and no scenario whose
    errors differ per gemeente (then the study is the one it was before the gemeenten)."""
    chosen = [SCENARIOS[s] for s in (scenarios or SCENARIOS) if region or not SCENARIOS[s].region]
    return [
        (s, DESIGNS[d])
        for s in chosen
        for d in s.designs
        if (not designs or d in designs) and (region or not DESIGNS[d].per_gemeente)
    ]


def region_line(world: World) -> str:
    """The gemeenten of the population: payments and value of the main regeling in each."""
    main = world.payments[world.payments["regeling"] == MAIN]
    parts = []
    for code in world.gemeenten:
        mine = main[main["gemeente"] == code]
        share = 100 * int(mine["cents"].sum()) / int(main["cents"].sum())
        parts.append(f"{code} {len(mine)} payments ({share:.0f} % of the value)")
    return f"Region of {len(world.gemeenten)} gemeenten (shares of {MAIN}): " + "; ".join(parts) + ".\n\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--herhalingen", type=int, default=DEFAULT_REPETITIONS, help="repetitions per cell")
    parser.add_argument(
        "--herhalingen-tweetraps",
        type=int,
        default=None,
        help="repetitions of the two-stage cell (default: twice --herhalingen)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--uit", type=Path, help="write the Markdown table to this file too")
    parser.add_argument(
        "--scenario", action="append", choices=list(SCENARIOS), help="only these scenarios (repeatable)"
    )
    parser.add_argument(
        "--ontwerp", action="append", choices=list(DESIGNS), help="only these designs (repeatable)"
    )
    parser.add_argument(
        "--n", type=int, default=DEFAULT_N, help="size of each sample (the two-stage one is planned)"
    )
    parser.add_argument("--betalingen", type=int, default=DEFAULT_PAYMENTS, help="payments per regeling")
    parser.add_argument(
        "--checklist",
        choices=("fout", "volledig"),
        default="fout",
        help="score only the control that carries the error (fast) or the whole checklist",
    )
    parser.add_argument(
        "--onderbetalingen",
        choices=("meetellen", "apart"),
        default=None,
        help="evaluate_period(understatements=...); default: kic's own (the controleplan's)",
    )
    parser.add_argument(
        "--gemeenten",
        type=int,
        default=0,
        help=f"a region of this many gemeenten (1-{len(REGION)}, sizes k : k-1 : ... : 1): the export gets a "
        f"column gemeente and the design {REGION_DESIGN} runs; default 0, no gemeenten",
    )
    args = parser.parse_args(argv)
    policy_arguments(args.onderbetalingen)  # fail early when this kic has no such option
    region(args.gemeenten)  # fail early on a number out of range
    if not args.gemeenten:
        needs = [f"--ontwerp {d}" for d in args.ontwerp or () if DESIGNS[d].per_gemeente]
        needs += [f"--scenario {s}" for s in args.scenario or () if SCENARIOS[s].region]
        if needs:
            parser.error(f"{', '.join(needs)} vraagt een regio: geef --gemeenten (bijvoorbeeld 3)")
    staged = args.herhalingen_tweetraps if args.herhalingen_tweetraps is not None else 2 * args.herhalingen
    started = time.perf_counter()
    reps: list[Repetition] = []
    with tempfile.TemporaryDirectory(prefix="kic-simulatie-") as tmp:
        world = build_world(
            Path(tmp),
            payments=args.betalingen,
            seed=args.seed,
            checklist=args.checklist,
            gemeenten=args.gemeenten,
        )
        print(
            f"populatie geïmporteerd in {world.import_seconds:.1f} s; kic uit {Path(kic.__file__).parent}",
            file=sys.stderr,
        )
        if not has_two_stage():
            print(
                "let op: SampleSpec heeft (nog) geen veld two_stage; de tweetrapssteekproef wordt als "
                "gewone steekproef getrokken en met extend_sample uitgebreid",
                file=sys.stderr,
            )
        for scenario, design in cells_of(args.scenario, args.ontwerp, region=bool(world.gemeenten)):
            cell_started = time.perf_counter()
            cell = run_cell(
                world,
                scenario,
                design,
                staged if design.two_stage else args.herhalingen,
                seed=args.seed,
                n=args.n,
                workdir=Path(tmp),
                policy=args.onderbetalingen,
            )
            reps += cell
            print(
                f"{scenario.name} × {design.name}: {len(cell)} herhalingen in "
                f"{time.perf_counter() - cell_started:.1f} s",
                file=sys.stderr,
            )
    total = time.perf_counter() - started
    designs = list(dict.fromkeys(r.design for r in reps))
    seconds = {d: float(np.mean([r.seconds for r in reps if r.design == d])) for d in designs}
    reviews = {d: float(np.mean([r.reviews for r in reps if r.design == d])) for d in designs}
    policies = sorted({str(r.policy) for rep in reps for r in rep.records if r.error is None})
    header = (
        f"Coverage of `kic evaluate` through the cycle: {len(reps)} repetitions ({args.herhalingen} per "
        f"cell, {staged} for the two-stage cell), {args.betalingen} payments per regeling, n = {args.n}, "
        f"seed {args.seed}, checklist '{args.checklist}', understatement policy of the evaluation: "
        f"{', '.join(policies) or '—'}.\n\n"
        + (region_line(world) if world.gemeenten else "")
        + f"Timing: {total:.0f} s in all on one core (import {world.import_seconds:.1f} s); seconds per "
        "repetition: "
        + ", ".join(f"{d} {seconds[d]:.2f} ({reviews[d]:.0f} reviews)" for d in designs)
        + f". kic: {Path(kic.__file__).parent} ({kic.__version__}).\n"
    )
    text = markdown(summarize(reps), reps, header=header)
    print(text)
    if args.uit:
        args.uit.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
