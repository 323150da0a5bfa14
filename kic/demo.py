"""The main job end to end on a fresh embedded database and a synthetic gemeente.

Every stage of the cycle that exists adds its step here, so that ``kic demo`` always shows the
whole product working. Steps report through ``echo`` so the CLI stays a thin shell.
"""

from __future__ import annotations

import os
import shlex
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kic.controls import load_catalogue
from kic.db import make_engine, session_scope, upgrade
from kic.evaluation import evaluate_period
from kic.findings.agenda import NewAction, add_action
from kic.findings.bevindingen import findings, group_findings
from kic.findings.quality import QualityRow, quality_by_work
from kic.formatting import datum, euro, number, percent
from kic.gemeenten import Scope
from kic.periods import parse_period
from kic.plan.render import render_plan
from kic.plan.service import size_plan
from kic.plan_draw import draw_plan
from kic.population import AlreadyImported, ImportRejected, import_population
from kic.population.frames import load_payments
from kic.population.gemeenten import register_gemeente
from kic.population.parse import cents_to_decimal
from kic.reports.figures import quality_norms
from kic.reports.publish import build_files, publish
from kic.reports.reconciliation import read_ledger
from kic.reports.render import html_to_pdf, pdf_unavailable
from kic.review.models import Review
from kic.review.workbook import export_workbooks, fill_answers, import_workbook
from kic.samples.draw import SampleSpec, sample_population
from kic.samples.models import Sample
from kic.synth import generate, ledger_file
from kic.synth.errors import FOUT, ONZEKERHEID
from kic.synth.reviewer import agree_second_reviews, simulate_sample
from kic.synth.reviewer import read_truth as read_review_truth
from kic.users.accounts import add_user

Echo = Callable[[str], None]
DEMO_USER = "demo"


@dataclass
class DemoResult:
    out_dir: Path
    database: Path
    snapshots: dict[str, int] = field(default_factory=dict)
    rejected_issues: int = 0
    repeat_refused: bool = False
    sample_size: int = 0
    sample_id: int = 0
    sample_ids: list[int] = field(default_factory=list)
    web_sample_ids: list[int] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    controls_recall: float = 0.0
    upper_limit: Decimal = Decimal("0.00")
    true_error: Decimal = Decimal("0.00")
    true_uncertain: Decimal = Decimal("0.00")
    # the reviews of the simulated reviewers per plan line: verdict -> items, and "formeel" -> items with
    # a formal error
    verdicts: dict[str, Counter[str]] = field(default_factory=dict)
    quality: list[QualityRow] = field(default_factory=list)  # kwaliteit per werkproces of the quarter
    gemeenten: tuple[tuple[str, str], ...] = ()  # a region: (CBS code, name) per gemeente
    # per gemeente of a region: her upper limit of fouten (PW-LO, the quarter) and the true error it bounds
    per_gemeente: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)


def run_demo(
    out_dir: Path,
    *,
    payments: int = 40_000,
    seed: int = 2026,
    echo: Echo = print,
    program: str = "kic",
    gemeenten: int = 1,
) -> DemoResult:
    """Generate a gemeente, create the database, import it, and show the safeguards of the import.

    ``gemeenten`` > 1: a samenwerkingsverband of that many gemeenten (``kic synth --gemeenten``), each with
    her own samples, evaluation, accountant and reports, beside the region's.
    ``program`` is how the person calls kic (``.venv/bin/kic`` after ``make demo``): the closing
    lines show commands on the demo's database that work exactly as printed."""
    out_dir.mkdir(parents=True, exist_ok=False)
    database = out_dir / "kic.sqlite"
    result = DemoResult(out_dir, database)
    engine = make_engine(f"sqlite:///{database}")
    try:
        files = _step_synth(out_dir, payments, seed, gemeenten, result, echo)
        _step_database(engine, files, result, echo)
        _step_import(engine, files, result, echo)
        _step_safeguards(engine, files.payments, out_dir, result, echo)
        _step_controls(engine, files.truth, result, echo)
        _step_sample(engine, result, echo)
        _step_review(engine, files.truth, result, echo)
        _step_evaluate(engine, files.truth, result, echo)
        _step_agenda(engine, echo)
        _step_reports(engine, files.ledger, result, echo)
        _step_web(engine, result, echo)
    finally:
        engine.dispose()
    _summary(result, files.payments.parent, program, echo)
    return result


def _summary(result: DemoResult, export: Path, program: str, echo: Echo) -> None:
    """Where everything is, and how to go on with the demo's database."""
    folders = {
        "export": export,
        "rapporten": result.out_dir / "rapporten",
        "werkboeken": result.out_dir / "werkboeken",
    }
    url = shlex.quote(f"sqlite:///{result.database}")
    echo("")
    echo(f"Klaar. Alles staat in {result.out_dir}:")
    echo(f"  {'database':<13} {result.database}")
    for label, folder in folders.items():
        echo(f"  {label:<13} {folder}{os.sep}")
    echo("")
    echo("Verder met deze database, vanuit deze map:")
    echo(f"  {program} population list --database {url}")
    echo(f"  {program} serve --database {url}")


def _step_synth(
    out_dir: Path, payments: int, seed: int, gemeenten: int, result: DemoResult, echo: Echo
) -> _Files:
    what = "gemeente" if gemeenten == 1 else f"regio van {gemeenten} gemeenten"
    echo(f"1. Synthetische {what} maken ({number(payments)} betalingen, seed {seed}) ...")
    synth = generate(out_dir / "export", payments=payments, seed=seed, gemeenten=gemeenten)
    result.gemeenten = synth.gemeenten
    kinds = ", ".join(f"{number(n)} {kind}" for kind, n in synth.errors_by_kind.items())
    echo(
        f"   {number(synth.payments)} betalingen, {number(synth.dossiers)} beschikkingen, "
        f"{number(synth.errors)} ingebrachte fouten ({kinds}), waarvan {number(synth.dossier_only)} alleen in "
        f"het dossier te zien; werkelijke fout {euro(cents_to_decimal(synth.total_error))}, onzeker "
        f"{euro(cents_to_decimal(synth.total_uncertain))}"
    )
    echo(
        f"   De grondwaarheid staat apart in {synth.ground_truth_path.name}; de lasten per regeling volgens de "
        f"financiële administratie in {synth.ledger_path.name}."
    )
    if synth.gemeenten:
        _echo_region(synth.payments_path, synth.ground_truth_path, synth.gemeenten, echo)
    return _Files(synth.payments_path, synth.dossiers_path, synth.ground_truth_path, synth.ledger_path)


def _echo_region(payments: Path, truth: Path, region: tuple[tuple[str, str], ...], echo: Echo) -> None:
    """Each gemeente's size and share of wrong payments, from the export and the ground truth."""
    export = pd.read_csv(
        payments, sep=";", dtype=str, usecols=["betaling_id", "gemeente"], encoding="utf-8-sig"
    )
    wrong = set(pd.read_csv(truth, sep=";", dtype=str, usecols=["sleutel"], encoding="utf-8-sig")["sleutel"])
    export["fout"] = export["betaling_id"].isin(wrong)
    counts = export.groupby("gemeente")["fout"].agg(["count", "mean"])
    for code, name in region:
        echo(
            f"   {name} ({code}): {number(int(counts.loc[code, 'count']))} betalingen, "
            f"{percent(float(counts.loc[code, 'mean']), 1)} met een ingebrachte fout; grootboek grootboek-{code}.csv"
        )


@dataclass(frozen=True)
class _Files:
    payments: Path
    dossiers: Path
    truth: Path
    ledger: Path


def _step_database(engine: Engine, files: _Files, result: DemoResult, echo: Echo) -> None:
    """The database and the team's accounts (only an active kwaliteitsmedewerker can be given an item); in a
    region the gemeenten with their grootboek, and an accountant of each who sees only her gemeente."""
    revision = upgrade(engine)
    with session_scope(engine) as session:
        for code, name in result.gemeenten:
            register_gemeente(
                session, code, name, actor=DEMO_USER, ledger=files.ledger.parent / ledger_file(code)
            )
        for username, name, role, gemeente in _accounts(result.gemeenten):
            add_user(
                session,
                username=username,
                display_name=name,
                role=role,
                password=DEMO_PASSWORD,
                gemeenten=[gemeente] if gemeente else [],
                actor=DEMO_USER,
            )
    echo(
        f"2. Database aangemaakt (SQLite, migratieversie {revision}) met de accounts van het team: "
        f"{', '.join(a[0] for a in _accounts(result.gemeenten))}."
    )
    if result.gemeenten:
        echo(
            f"   Gemeenten vastgelegd: {', '.join(f'{name} ({code})' for code, name in result.gemeenten)}; "
            "elke accountant-<gemeente> ziet alleen haar eigen gemeente."
        )


def _accounts(region: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str, str | None]]:
    """The demo's accounts: (username, name, role, the gemeente an account is limited to)."""
    team = [(username, name, role, None) for username, name, role in DEMO_ACCOUNTS]
    return team + [
        (f"accountant-{name.lower()}", f"Accountant van {name}", "accountant", code) for code, name in region
    ]


def _step_import(engine: Engine, files: _Files, result: DemoResult, echo: Echo) -> None:
    echo("3. Populaties importeren (alles of niets) ...")
    for kind, path in (("beschikkingen", files.dossiers), ("betalingen", files.payments)):
        with session_scope(engine) as session:
            imported = import_population(session, kind, path, actor=DEMO_USER)
        result.snapshots[kind] = imported.snapshot_id
        echo(
            f"   {kind}: populatie {imported.snapshot_id}, {number(imported.row_count)} regels, "
            f"debet {euro(imported.total_debit)}, credit {euro(imported.total_credit)}, "
            f"periode {datum(imported.period_from)} t/m {datum(imported.period_to)} ({number(round(imported.seconds, 1))} s)"
        )


def _step_safeguards(engine: Engine, payments: Path, out_dir: Path, result: DemoResult, echo: Echo) -> None:
    echo("4. Waarborgen van de import tonen ...")
    with session_scope(engine) as session:
        try:
            import_population(session, "betalingen", payments, actor=DEMO_USER)
        except AlreadyImported as exc:
            result.repeat_refused = True
            echo(f"   Tweede import van hetzelfde bestand geweigerd: {exc}")
    broken = _broken_copy(payments, out_dir / "export" / "betalingen_met_fouten.csv")
    with session_scope(engine) as session:
        try:
            import_population(session, "betalingen", broken, actor=DEMO_USER)
        except ImportRejected as exc:
            result.rejected_issues = len(exc.issues)
            echo(f"   Bestand met fouten geweigerd, niets opgeslagen: {exc}")
            for issue in exc.issues:
                echo(f"     {issue}")


def _broken_copy(source: Path, target: Path) -> Path:
    """A short copy of the export with three typical mistakes, to show the import refusing it."""
    lines = source.read_text(encoding="utf-8-sig").splitlines()[:6]
    header = lines[0].split(";")
    rows = [line.split(";") for line in lines[1:]]
    rows[0][header.index("bsn")] = "123456789"  # fails the elfproef
    rows[1][header.index("bedrag")] = "12,34,56"
    rows[2][header.index("regeling")] = "XYZ"
    rows[3][header.index("betaling_id")] = "DEMO-NIEUW-1"
    rows[4][header.index("betaling_id")] = "DEMO-NIEUW-1"  # duplicate within the file
    target.write_text(
        "\n".join([";".join(header)] + [";".join(r) for r in rows]) + "\n", encoding="utf-8-sig"
    )
    return target


def _step_controls(engine: Engine, truth: Path, result: DemoResult, echo: Echo) -> None:
    """All automated controls over the whole population, scored against the ground truth."""
    from kic.controls import load_catalogue
    from kic.controls.groundtruth import compare, read_truth
    from kic.controls.run import run_controls
    from kic.controls.texts import echo_summary, echo_truth

    echo("5. Alle geautomatiseerde controles over de hele populatie ...")
    with session_scope(engine) as session:
        summary = run_controls(session, actor=DEMO_USER, catalogue=load_catalogue())
    echo_summary(summary, lambda line: echo(f"   {line}"))
    report = compare(summary.findings, read_truth(truth))
    result.controls_recall = report.recall
    echo_truth(report, lambda line: echo(f"   {line}"))


def _step_sample(engine: Engine, result: DemoResult, echo: Echo) -> None:
    """Draw what the controleplan asks for PW-LO in one quarter, and assign the items at once."""
    echo(f"6. Controleplan 2026: steekproeven PW-LO {DEMO_PERIOD} trekken en toewijzen ...")
    with session_scope(engine) as session:
        outcomes = draw_plan(
            session,
            2026,
            DEMO_PERIOD,
            actor=DEMO_USER,
            seed=str(DEMO_SEED),
            regeling="PW-LO",
            reviewers=list(DEMO_REVIEWERS),
        )
        result.sample_ids = [
            o.sample.id for o in outcomes if o.sample is not None and o.part_id != DEMO_WEB_PART
        ]
        result.web_sample_ids = [
            o.sample.id for o in outcomes if o.sample is not None and o.part_id == DEMO_WEB_PART
        ]
        for part in dict.fromkeys(o.part_id for o in outcomes):
            mine = [o for o in outcomes if o.part_id == part]
            drawn = [o.sample for o in mine if o.sample is not None]
            if not drawn:
                echo(f"   {part}: geen steekproef ({mine[0].skipped})")
                continue
            echo(
                f"   {part}: {len(drawn)} steekproef/steekproeven ({drawn[0].purpose}, {drawn[0].method}), "
                f"{sum(d.item_count for d in drawn)} posten uit {number(sum(d.population_count for d in drawn))} "
                f"{drawn[0].unit}en, elk bevroren met manifest"
            )
        statistical = next(o for o in outcomes if o.part_id == DEMO_PART)
        result.sample_id, result.sample_size = statistical.sample.id, statistical.n  # type: ignore[union-attr]


def _step_review(engine: Engine, truth_file: Path, result: DemoResult, echo: Echo) -> None:
    """Export the workbooks, fill them as the ground truth says, read them back; second reviewers agree."""
    folder = result.out_dir / "werkboeken"
    catalogue = load_catalogue()
    truth = read_review_truth(truth_file)
    echo("7. Beoordelen via Excel-werkboeken ...")
    echo(
        "   GESIMULEERDE beoordelaars vullen de werkboeken in volgens de grondwaarheid "
        "(geen echte kwaliteitsmedewerker)."
    )
    imported = 0
    for sample_id in result.sample_ids:
        with session_scope(engine) as session:
            paths = export_workbooks(session, sample_id, folder, actor=DEMO_USER, catalogue=catalogue)
            answers, notes = simulate_sample(session, sample_id, truth, catalogue)
        for path in paths:
            fill_answers(path, answers, notes)
            with session_scope(engine) as session:
                imported += len(import_workbook(session, path, actor=DEMO_USER, catalogue=catalogue).recorded)
    with session_scope(engine) as session:
        agreed = agree_second_reviews(session)
        result.verdicts = _verdicts(session, result.sample_ids)
    echo(
        f"   {imported} beoordelingen ingelezen uit de werkboeken in {folder}; "
        f"{agreed} door een (gesimuleerde) tweede beoordelaar akkoord bevonden."
    )
    for part, counts in result.verdicts.items():
        echo(
            f"   {part}: {counts['voldoet']} voldoet, {counts['fout']} fout, {counts['onzekerheid']} onzekerheid; "
            f"{counts['formeel']} met een formele fout"
        )


def _verdicts(session: Session, sample_ids: list[int]) -> dict[str, Counter[str]]:
    """Per plan line: how many reviewed items voldoen, are fout or onzeker, and how many hold a formal error."""
    counts: dict[str, Counter[str]] = {}
    for sample_id in sample_ids:
        part = session.get_one(Sample, sample_id).plan_part or str(sample_id)
        tally = counts.setdefault(part, Counter())
        for review in session.scalars(select(Review).where(Review.sample_id == sample_id)):
            tally[review.verdict or "open"] += 1
            tally["formeel"] += 1 if review.formal_findings else 0
    return counts


def _step_evaluate(engine: Engine, truth_file: Path, result: DemoResult, echo: Echo) -> None:
    """Evaluate the quarter and show the true error of the synthetic population beside it."""
    with session_scope(engine) as session:
        evaluation = evaluate_period(session, DEMO_PERIOD)
        quarter = parse_period(DEMO_PERIOD)
        result.quality = quality_by_work(session, quarter, quality_norms(quarter.start.year))
        population = sample_population(
            load_payments(session, "PW-LO"),
            SampleSpec("PW-LO", parse_period(DEMO_PERIOD), 1, filter="bedrag > 0"),
        )
    sample = next(s for s in evaluation.samples if s.sample_id == result.sample_id)
    fouten, onzeker = sample.projections["fouten"], sample.projections["onzekerheden"]
    truth = read_review_truth(truth_file)
    if result.gemeenten:  # the statistical line is drawn per gemeente: this is the first gemeente's
        population = population[population["gemeente"] == sample.gemeente]
    # each estimate beside the truth of its own kind: fouten (paid too much) and onzekerheden
    true_error = truth.total(population["payment_id"], FOUT)
    true_uncertain = truth.total(population["payment_id"], ONZEKERHEID)
    result.upper_limit, result.true_error = fouten.upper_limit or Decimal("0.00"), true_error
    result.true_uncertain = true_uncertain
    echo(f"8. Evaluatie {DEMO_PERIOD} ...")
    echo(
        f"   {DEMO_PART} (statistisch, {sample.reviewed} posten): fouten gevonden in {fouten.items_with_error} "
        f"posten: {euro(fouten.found)}"
    )
    echo(
        f"   meest waarschijnlijke fout {euro(fouten.most_likely_error)}, maximale fout {euro(fouten.upper_limit)}"
    )
    echo(
        f"   werkelijke fout (te veel betaald) in deze populatie: {euro(true_error)} "
        "(alleen bekend omdat de gemeente synthetisch is)"
    )
    echo(
        f"   onzekerheden gevonden in {onzeker.items_with_error} posten: {euro(onzeker.found)}; meest "
        f"waarschijnlijk {euro(onzeker.most_likely_error)}, maximaal {euro(onzeker.upper_limit)}; "
        f"werkelijke onzekerheid in deze populatie: {euro(true_uncertain)}"
    )
    for decisions in (s for s in evaluation.samples if s.rates):
        rate = decisions.rates["totaal"]
        echo(
            f"   beschikkingen (steekproef {decisions.sample_id}, in aantallen): {rate.deviations} van {rate.reviewed} "
            f"met een fout of onzekerheid ({percent(rate.rate, 1)}), bovengrens {percent(rate.upper_rate, 1)}"
        )
    targeted = evaluation.targeted_found
    echo(
        f"   gerichte steekproeven (niet geëxtrapoleerd): fouten {euro(targeted['fouten'])}, "
        f"onzekerheden {euro(targeted['onzekerheden'])}"
    )
    for row in result.quality:
        norm = "geen norm" if row.norm_pct is None else f"norm {percent(float(row.norm_pct) / 100, 0)}"
        verdict = "" if row.meets_norm is not False else ", onder de norm"
        echo(
            f"   kwaliteit {row.work} ({row.kind}): {row.clean} van {row.reviewed} posten zonder bevinding "
            f"({percent(float(row.pct) / 100, 1)}; {norm}{verdict})"
        )
    echo(f"   {evaluation.conclusion}")
    if result.gemeenten:
        _evaluate_per_gemeente(engine, truth, result, echo)


def _evaluate_per_gemeente(engine: Engine, truth: Any, result: DemoResult, echo: Echo) -> None:
    """Each gemeente on her own sample: her upper limit beside the true error of her population."""
    echo(f"   Per gemeente ({DEMO_PART}, elk op haar eigen steekproef en tegen haar eigen lasten):")
    with session_scope(engine) as session:
        payments = load_payments(session, "PW-LO")
        for code, name in result.gemeenten:
            own = evaluate_period(session, DEMO_PERIOD, gemeente=code)
            drawn = session.scalars(
                select(Sample.id).where(Sample.plan_part == DEMO_PART, Sample.gemeente == code)
            ).all()
            sample = next(s for s in own.samples if s.sample_id in drawn)
            population = sample_population(
                payments,
                SampleSpec("PW-LO", parse_period(DEMO_PERIOD), 1, filter="bedrag > 0", gemeente=code),
            )
            fouten = sample.projections["fouten"]
            true_error = truth.total(population["payment_id"], FOUT)
            result.per_gemeente[code] = (fouten.upper_limit or Decimal("0.00"), true_error)
            echo(
                f"   {name} ({code}): {sample.reviewed} posten, fouten in {fouten.items_with_error}; meest waarschijnlijke "
                f"fout {euro(fouten.most_likely_error)}, maximale fout {euro(fouten.upper_limit)}; werkelijke fout "
                f"{euro(true_error)} van {euro(sample.population_value)}"
            )


def _step_agenda(engine: Engine, echo: Echo) -> None:
    """Bevindingen grouped by control and cause, and a verbeteractie for the two that cost most."""
    echo(f"9. Bevindingen {DEMO_PERIOD} en verbeteragenda ...")
    with session_scope(engine) as session:
        groups = group_findings(findings(session, DEMO_PERIOD))
        for group in groups[:5]:
            echo(
                f"   {group.control_id:<10} oorzaak {group.cause:<12} {group.count:>3} bevinding(en), "
                f"{euro(group.impact)}"
            )
        for group in groups[:2]:
            action = add_action(
                session,
                NewAction(
                    title=f"Minder fouten op {group.control_id} (oorzaak {group.cause})",
                    owner="teamleider uitkeringen",
                    deadline=date(2026, 9, 30),
                    control_ids=(group.control_id,),
                    review_ids=tuple(group.review_ids),
                    remeasure_control=group.control_id,
                    remeasure_quarter="2026-Q4",
                ),
                actor=DEMO_USER,
            )
            echo(f"   verbeteractie {action.id}: {action.title}; hermeting {action.remeasure_quarter}")
        if not groups:
            echo("   geen bevindingen in de beoordeelde posten")


def _step_reports(engine: Engine, ledger: Path, result: DemoResult, echo: Echo) -> None:
    """The kwartaalrapportage, the SISA-dossier (reconciled with the grootboek) and the verbeteragenda,
    published as versions; and the controleplan of the year as a document."""
    folder = result.out_dir / "rapporten"
    pdf = pdf_unavailable() is None
    echo("10. Rapportages ..." + ("" if pdf else " (alleen HTML: " + str(pdf_unavailable()) + ")"))
    grootboek = read_ledger(ledger)
    for kind, period in (("kwartaal", DEMO_PERIOD), ("sisa", "2026"), ("agenda", "2026-07-15")):
        with session_scope(engine) as session:
            files = build_files(session, kind, period, pdf=pdf, ledger=grootboek)
            published = publish(session, kind, period, files, actor=DEMO_USER, out_dir=folder)
            result.reports += [Path(f.path) for f in published.files if f.path]
    for code, _name in result.gemeenten:  # hers: her samples, her logo and name, her own grootboek
        for kind, period in (("kwartaal", DEMO_PERIOD), ("sisa", "2026")):
            with session_scope(engine) as session:
                files = build_files(session, kind, period, pdf=pdf, scope=Scope.of(code))
                published = publish(
                    session, kind, period, files, actor=DEMO_USER, out_dir=folder, gemeente=code
                )
                result.reports += [Path(f.path) for f in published.files if f.path]
    with session_scope(engine) as session:
        html = render_plan(size_plan(session, 2026))
    plan_path = folder / ("controleplan-2026.pdf" if pdf else "controleplan-2026.html")
    plan_path.write_bytes(html_to_pdf(html) if pdf else html.encode("utf-8"))
    result.reports.append(plan_path)
    for path in result.reports:
        echo(f"   {path}")


def _step_web(engine: Engine, result: DemoResult, echo: Echo) -> None:
    """Where the open items can be reviewed: the web app, with the demo accounts."""
    with session_scope(engine) as session:
        open_items = sum(session.get_one(Sample, i).item_count for i in result.web_sample_ids)
    echo(
        f"11. Webapplicatie: {open_items} posten van {DEMO_WEB_PART} staan nog open voor anna, bram en chris."
    )
    echo("   Start haar met het laatste commando onderaan (serve).")
    echo(
        f"   Open http://127.0.0.1:8000/ en log in met een van: {', '.join(a[0] for a in _accounts(result.gemeenten))}"
    )
    echo(f"   (wachtwoord voor alle demo-accounts: {DEMO_PASSWORD})")


DEMO_SEED = 20260101
DEMO_PERIOD = "2026-Q2"
DEMO_REVIEWERS = ("anna", "bram", "chris")
DEMO_PART = "PWLO-BETALING"
DEMO_WEB_PART = "PWLO-HANDMATIG"  # left open, to be reviewed in the web app
DEMO_PASSWORD = "kic-demo-2026!"
DEMO_ACCOUNTS = (
    ("anna", "Anna (kwaliteitsmedewerker)", "kwaliteitsmedewerker"),
    ("bram", "Bram (kwaliteitsmedewerker)", "kwaliteitsmedewerker"),
    ("chris", "Chris (kwaliteitsmedewerker)", "kwaliteitsmedewerker"),
    ("teamleider", "Tessa (teamleider)", "teamleider"),
    ("accountant", "Ad (accountant)", "accountant"),
    ("beheerder", "Bea (beheerder)", "beheerder"),
)
