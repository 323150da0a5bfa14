"""Page 1 of the kwartaalrapportage tells the MT the story in words (kic/reports/summary.py, automated.py)."""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import date
from decimal import Decimal

from bs4 import BeautifulSoup
from sqlalchemy import select

from kic.controls.loader import load_catalogue
from kic.controls.models import ControlRun
from kic.controls.run import load_findings
from kic.db import session_scope
from kic.evaluation import evaluate_period
from kic.findings.models import ImprovementAction
from kic.formatting import euro
from kic.periods import date_range, parse_period
from kic.population.models import Payment
from kic.reports.automated import automated_summary
from kic.reports.publish import build_files
from kic.reports.summary import action_story, judgement, share_text


def _soup(engine, period="2026-Q2"):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        files = build_files(session, "kwartaal", period, pdf=False)
    return BeautifulSoup(files["html"].decode("utf-8"), "html.parser")


def test_a_share_never_looks_equal_to_the_tolerance_when_it_is_not():
    two = Decimal(2)
    assert share_text(Decimal("2.004"), two) == "2,004\xa0%"  # not 2,00 %
    assert share_text(Decimal("1.9996"), two) == "1,9996\xa0%"  # not 2,00 % either
    assert share_text(Decimal("2.0000004"), two).startswith("2,000000")  # six decimals at most
    assert share_text(Decimal(2), two) == "2,00\xa0%"  # equal is equal
    assert share_text(Decimal("1.864"), two) == "1,86\xa0%"  # far from it: two decimals


def test_page_one_names_every_regeling_with_payments_that_no_sample_tested(busy_year):
    soup = _soup(busy_year)
    tested = [tr.find("td").get_text() for tr in soup.select("#getoetst tbody tr")]
    assert tested == ["PW-BB", "PW-LO", "WMO"]
    with session_scope(busy_year) as session:
        quarter = parse_period("2026-Q2")
        paid = set(
            session.scalars(
                select(Payment.regeling)
                .where(Payment.period_from.between(quarter.start, quarter.end))
                .distinct()
            )
        )
    untested = sorted(paid - set(tested))
    assert len(untested) >= 5
    sentence = " ".join(soup.select_one("#niet-getoetst").get_text().split())
    assert sentence.startswith(f"Niet getoetst in 2026-Q2: {len(untested)} regelingen van de {len(paid)}")
    for name in untested:
        assert f"{name} (" in sentence
    assert "let-op" in soup.select_one("#niet-getoetst")["class"]


def test_page_one_reports_the_automated_controls_over_the_whole_population(busy_year):
    quarter = parse_period("2026-Q2")
    with session_scope(busy_year) as session:
        summary = automated_summary(session, quarter, load_catalogue())
        run_id = session.scalar(select(ControlRun.id))
        in_quarter = {
            p
            for p, start in session.execute(select(Payment.payment_id, Payment.period_from))
            if quarter.start <= start <= quarter.end
        }
        found = load_findings(session, run_id)
    found = found[found["betaling_id"].isin(in_quarter)]
    assert summary is not None and summary.run_id == run_id and not summary.stale
    assert summary.payments == len(in_quarter)  # every payment of the quarter, not a sample
    assert summary.signals == len(found) > 0
    assert summary.flagged == found["betaling_id"].nunique()
    per_control = Counter(found["control_id"])
    assert [(c.control_id, c.signals) for c in summary.controls] == sorted(
        per_control.items(), key=lambda kv: (-kv[1], kv[0])
    )
    assert sum(n for _, n in summary.categories) == summary.signals
    text = " ".join(_soup(busy_year).select_one("#controles").get_text().split())
    assert f"beoordeelden {summary.payments:,} betalingen".replace(",", ".") in text
    assert f"Ze gaven {summary.signals} signalen bij {summary.flagged} betalingen" in text
    assert all(c.control_id in text for c in summary.top)


def test_an_interim_quarter_is_voorlopig_and_not_declared_above_the_tolerance(busy_year):
    with session_scope(busy_year) as session:
        ytd = evaluate_period(session, date_range(date(2026, 1, 1), date(2026, 6, 30), "2026 t/m 2026-Q2"))
    assert ytd.overall is not None and ytd.interim_of == 2026
    upper = ytd.overall.projections["totaal"].upper_limit
    assert upper is not None and upper / ytd.overall.population_value * 100 > 2, "above the tolerance, yet"
    box = _soup(busy_year).select_one("#oordeel")
    text = " ".join(box.get_text().split())
    assert box.select_one(".voorlopig").get_text() == "Voorlopig."
    assert "boven" not in box["class"] and "overschrijdt" not in text
    assert "wordt niet getoetst aan de goedkeuringstolerantie" in text and "volgt na 2026-Q4" in text
    final = judgement(dataclasses.replace(ytd, interim_of=None), "2026", "2026-Q4")
    assert not final.provisional and final.test == "boven"
    assert "overschrijdt de goedkeuringstolerantie" in " ".join(final.sentences)


def test_the_most_likely_error_is_compared_with_the_tolerance_in_words(busy_year):
    with session_scope(busy_year) as session:
        ytd = evaluate_period(session, date_range(date(2026, 1, 1), date(2026, 6, 30), "2026 t/m 2026-Q2"))
    assert ytd.overall is not None
    value = ytd.overall.population_value
    # an MWF a hair above 2 %: written with the decimals that show it, and said to be above
    mwf = value * Decimal("0.02004")
    totaal = dataclasses.replace(ytd.overall.projections["totaal"], most_likely_error=mwf)
    overall = dataclasses.replace(ytd.overall, projections={**ytd.overall.projections, "totaal": totaal})
    first = judgement(dataclasses.replace(ytd, overall=overall), "2026 t/m 2026-Q2", "2026-Q4").sentences[0]
    assert f"{euro(mwf)}: 2,004\xa0% van {euro(value)}" in first
    assert first.endswith("boven de tolerantie van 2\xa0%.")


def test_page_one_names_the_late_and_running_verbeteracties_with_owner_and_deadline(busy_year):
    soup = _soup(busy_year)
    items = [" ".join(li.get_text().split()) for li in soup.select("#verbeteracties li")]
    assert items[0].startswith("te laat: ‘Werkinstructie verrekening van inkomsten")
    assert "deadline 01-05-2026" in items[0] and "Team Inkomensondersteuning" in items[0]
    assert (
        items[1].startswith("te laat: ‘Koppeling met het inkomstenregister")
        and "Functioneel beheer" in items[1]
    )
    assert (
        items[2].startswith("in uitvoering: ‘Kostendelersnorm")
        and "Team Intake, deadline 30-09-2026" in items[2]
    )
    assert items[3].startswith("open: ‘Instructie voor het vastleggen")
    counts = " ".join(soup.select_one("#verbeteracties p").get_text().split())
    assert counts == "5 verbeteracties: 2 te laat, 2 op schema, 0 gereed, 1 vervallen (met een besluit)."


def test_many_actions_are_counted_beyond_the_first_four_late_ones_first():
    actions = [
        ImprovementAction(
            id=i, title=f"actie {i}", owner="team", deadline=date(2026, 1 + i, 1), status="open"
        )
        for i in range(10)
    ]
    story = action_story(actions, date(2026, 5, 31))  # deadlines January to May are late
    assert [a.id for a in story.late] == [0, 1, 2, 3, 4] and [a.id for a in story.running] == [5, 6, 7, 8, 9]
    assert [a.id for a in story.named_late] == [0, 1, 2] and [a.id for a in story.named_running] == [5]
    only_late = action_story(actions[:5], date(2026, 5, 31))
    assert [a.id for a in only_late.named_late] == [0, 1, 2, 3] and only_late.named_running == []
