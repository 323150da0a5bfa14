"""A samenwerkingsverband of three gemeenten through the whole cycle: import -> plan -> draw -> review ->
evaluate, each gemeente's figures on her own sample and equal to a pandas computation over the export."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import ensure_team
from sqlalchemy import select

from kic.cli import main
from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.evaluation import EvaluationError, evaluate_period
from kic.gemeenten import Scope
from kic.periods import parse_period
from kic.plan_draw import draw_plan
from kic.population import import_population
from kic.population.gemeenten import register_gemeente
from kic.reports.publish import build_files, gemeente_ledger, publish
from kic.reports.views import sisa_view
from kic.samples.models import Sample, SampleItem
from kic.synth import generate, ledger_file
from kic.synth.reviewer import agree_second_reviews, hand_in_sample, read_truth

CATALOGUE = load_catalogue()
QUARTER = "2026-Q2"


@pytest.fixture(scope="module")
def region(tmp_path_factory):  # type: ignore[no-untyped-def]
    return generate(tmp_path_factory.mktemp("regio"), payments=8_000, seed=17, gemeenten=3)


def _cents(text: pd.Series) -> pd.Series:
    return text.str.replace(".", "", regex=False).str.replace(",", "", regex=False).astype("int64")


def _export(region) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    frame = pd.read_csv(region.payments_path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame["cents"] = _cents(frame["bedrag"])
    frame["van"] = pd.to_datetime(frame["periode_van"], format="%d-%m-%Y")
    return frame


@pytest.fixture
def drawn(db, region):  # type: ignore[no-untyped-def]
    """The region imported, the plan's PW-LO samples of the quarter drawn and every item reviewed."""
    truth = read_truth(region.ground_truth_path)
    with session_scope(db) as session:
        ensure_team(session, ["anna", "bram"])
        for code, name in region.gemeenten:
            register_gemeente(
                session, code, name, actor="beheerder", ledger=region.out_dir / ledger_file(code)
            )
        import_population(session, "beschikkingen", region.dossiers_path, actor="tester")
        import_population(session, "betalingen", region.payments_path, actor="tester")
        outcomes = draw_plan(
            session,
            2026,
            QUARTER,
            actor="teamleider",
            seed="regio",
            regeling="PW-LO",
            reviewers=["anna", "bram"],
        )
        for outcome in outcomes:
            if outcome.sample is not None:
                hand_in_sample(session, outcome.sample.id, truth, CATALOGUE)
        agree_second_reviews(session)
    return db


def test_each_gemeente_stands_on_its_own_sample_and_its_figures_equal_the_export(drawn, region):
    export = _export(region)
    quarter = parse_period(QUARTER)
    in_quarter = export["van"].between(pd.Timestamp(quarter.start), pd.Timestamp(quarter.end))
    line = export[(export["regeling"] == "PW-LO") & in_quarter & (export["cents"] > 0)]  # PWLO-BETALING
    codes = [code for code, _ in region.gemeenten]
    assert set(export["gemeente"]) == set(codes), "every row carries its gemeente's CBS code"
    sizes = line.groupby("gemeente")["cents"].agg(["count", "sum"])
    assert sizes["count"].is_monotonic_decreasing, "gemeenten of different sizes"
    truth = read_truth(region.ground_truth_path)
    with session_scope(drawn) as session:
        statistical = {
            s.gemeente: s for s in session.scalars(select(Sample).where(Sample.plan_part == "PWLO-BETALING"))
        }
        assert set(statistical) == set(codes), "a stratum per gemeente"
        regional = session.scalars(select(Sample).where(Sample.plan_part == "PWLO-HERONDERZOEK")).all()
        assert regional and all(s.gemeente is None for s in regional), (
            "a targeted line is drawn once for the region"
        )
        items = {
            code: [
                i.item_key for i in session.scalars(select(SampleItem).where(SampleItem.sample_id == s.id))
            ]
            for code, s in statistical.items()
        }
        per_gemeente = {code: evaluate_period(session, QUARTER, gemeente=code) for code in codes}
        whole = evaluate_period(session, QUARTER)
    for code in codes:
        sample = statistical[code]
        assert sample.population_count == sizes.loc[code, "count"]
        assert sample.population_total == Decimal(int(sizes.loc[code, "sum"])) / 100
        assert sample.manifest["steekproef"]["gemeente"] == code
        assert set(items[code]) <= set(line.loc[line["gemeente"] == code, "betaling_id"]), (
            "only her own items"
        )
        result = per_gemeente[code]
        assert result.gemeente == code and {s.gemeente for s in result.samples} == {code}
        (evaluated,) = [s for s in result.samples if s.sample_id == sample.id]
        assert result.overall is not None
        assert result.overall.population_value == Decimal(int(sizes.loc[code, "sum"])) / 100
        # the reviews find at least what the ground truth holds on her sampled payments themselves (errors of
        # their beschikking come on top), and her evaluation is the region's evaluation of the same sample
        assert evaluated.projections["fouten"].found >= truth.total(items[code]) > 0 or not truth.total(
            items[code]
        )
        (in_region,) = [s for s in whole.samples if s.sample_id == sample.id]
        assert in_region.projections == evaluated.projections
    assert whole.gemeente is None and whole.overall is not None
    assert whole.overall.population_value == Decimal(int(line["cents"].sum())) / 100
    assert {s.sample_id for s in whole.samples} >= {s.id for s in statistical.values()}


def test_an_unknown_gemeente_is_refused_and_the_cli_names_the_gemeente(drawn, region, tmp_path):
    with (
        session_scope(drawn) as session,
        pytest.raises(EvaluationError, match="gemeente GM0363 is niet vastgelegd"),
    ):
        evaluate_period(session, QUARTER, gemeente="GM0363")
    code = region.gemeenten[1][0]
    result = CliRunner().invoke(
        main, ["evaluate", "--periode", QUARTER, "--gemeente", code[2:], "--database", str(drawn.url)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Evaluatie {QUARTER}, gemeente {code} ")
    bad = CliRunner().invoke(
        main, ["evaluate", "--periode", QUARTER, "--gemeente", "Proefwolde", "--database", str(drawn.url)]
    )
    assert bad.exit_code == 2 and "geen CBS-gemeentecode" in bad.output
    report = CliRunner().invoke(
        main,
        [
            "report",
            "kwartaal",
            QUARTER,
            "--gemeente",
            code,
            "--geen-pdf",
            "-o",
            str(tmp_path),
            "--database",
            str(drawn.url),
        ],
    )
    assert report.exit_code == 0, report.output
    assert report.output.startswith(f"kwartaal {QUARTER} van gemeente {code} gepubliceerd als versie 1")
    assert (tmp_path / f"kwartaal-{code}-{QUARTER}-v1.html").is_file()


def test_a_gemeentes_reports_hold_her_samples_payments_and_grootboek_and_nothing_of_the_others(drawn, region):
    export = _export(region)
    (a, name_a), *others = region.gemeenten
    with session_scope(drawn) as session:
        kwartaal = build_files(session, "kwartaal", QUARTER, pdf=False, scope=Scope.of(a))
        sisa = build_files(session, "sisa", "2026", pdf=False, scope=Scope.of(a))
        view = sisa_view(session, 2026, ledger=gemeente_ledger(session, a), scope=Scope.of(a))
        published = publish(session, "sisa", "2026", sisa, actor="tester", gemeente=a)
        region_version = publish(
            session, "sisa", "2026", build_files(session, "sisa", "2026", pdf=False), actor="t"
        )
        theirs = session.execute(
            select(Sample.id, SampleItem.item_key)
            .join(SampleItem, SampleItem.sample_id == Sample.id)
            .where(Sample.gemeente.in_([code for code, _ in others]))
        ).all()
        mine = session.scalars(
            select(SampleItem.item_key)
            .join(Sample, Sample.id == SampleItem.sample_id)
            .where(Sample.gemeente == a)
        ).all()
    texts = {
        "kwartaal": kwartaal["html"].decode(),
        "sisa": sisa["html"].decode(),
        "csv": sisa["csv"].decode(),
    }
    assert theirs and mine
    for what, text in texts.items():
        assert not [key for _, key in theirs if key in text], f"{what}: an item of another gemeente"
        assert all(name not in text for _, name in others), f"{what}: the name of another gemeente"
    assert name_a in texts["kwartaal"] and name_a in texts["sisa"]
    assert all(key in texts["csv"] for key in mine), "her own items are all listed"
    # the aansluiting: her payments of the year against her own grootboek, to the cent
    year = export[export["van"].dt.year == 2026]
    hers = year[year["gemeente"] == a].groupby("regeling")["cents"].sum()
    rows = {r.regeling: r for r in view["reconciliation"]}
    assert {k: int(r.balance * 100) for k, r in rows.items()} == {k: int(v) for k, v in hers.items()}
    assert all(r.difference == 0 for r in rows.values()), (
        "her grootboek (kic gemeente add --grootboek) reconciles"
    )
    assert sum(line.balance for line in view["sisa_lines"]) * 100 == sum(
        int(hers.get(r, 0)) for r in ("PW-LO", "IOAW", "IOAZ", "BBZ")
    )
    # her versions and the region's are numbered apart
    assert (published.gemeente, published.version_no, region_version.gemeente, region_version.version_no) == (
        a,
        1,
        "",
        1,
    )


def test_the_regions_kwartaalrapportage_puts_the_gemeenten_side_by_side(drawn, region):
    from bs4 import BeautifulSoup

    from kic.reports.views import kwartaal_view

    with session_scope(drawn) as session:
        whole = BeautifulSoup(build_files(session, "kwartaal", QUARTER, pdf=False)["html"], "html.parser")
        view = kwartaal_view(session, QUARTER, CATALOGUE)
        own = {code: evaluate_period(session, QUARTER, gemeente=code) for code, _ in region.gemeenten}
        hers = build_files(session, "kwartaal", QUARTER, pdf=False, scope=Scope.of(region.gemeenten[0][0]))
    rows = whole.select("#gemeenten tbody tr")
    assert [r.td.get_text(strip=True) for r in rows] == [name for _, name in region.gemeenten]
    for figures, (code, _name) in zip(view["gemeenten"], region.gemeenten, strict=True):
        result = own[code]
        assert figures.code == code and result.overall is not None and figures.quarter is not None
        # the figures are those of her own evaluation, not a share of the region's
        assert figures.quarter.projections == result.overall.projections
        assert figures.population_value == result.overall.population_value
        assert figures.reviewed == figures.items > 0
    values = [
        int(r.select("td")[2].get_text(strip=True).replace("€", "").replace(".", "").split(",")[0])
        for r in rows
    ]
    assert len(set(values)) == 3, "gemeenten of different sizes"
    assert "per-gemeente" not in hers["html"].decode(), "a gemeente's own report does not compare"


def test_the_scheduler_publishes_the_regions_and_each_gemeentes_reports(drawn, region, tmp_path):
    from kic.reports.models import ReportVersion
    from kic.scheduling.config import Schedule
    from kic.scheduling.jobs import build_jobs

    schedule = Schedule.model_validate(
        {
            "uitvoermap": str(tmp_path),
            "taken": {"kwartaalrapportage": {"pdf": False}, "sisa_dossier": {"pdf": False}},
        }
    )
    said = {job.id: job.run(drawn, QUARTER) for job in build_jobs(schedule)}
    codes = [code for code, _ in region.gemeenten]
    assert said["sisa_dossier"] == "; ".join(
        ["sisa- en rechtmatigheidsdossier 2026 versie 1", *(f"{code} versie 1" for code in codes)]
    )
    with session_scope(drawn) as session:
        published = {(v.kind, v.period, v.gemeente) for v in session.scalars(select(ReportVersion))}
    for gemeente in ["", *codes]:
        assert ("kwartaal", QUARTER, gemeente) in published and ("sisa", "2026", gemeente) in published
    hers = (tmp_path / f"sisa-{codes[0]}-2026-v1.html").read_text(encoding="utf-8")
    assert "aansluiting" in hers.lower() and region.gemeenten[1][1] not in hers
