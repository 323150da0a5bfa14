"""The preview of a draw: the lines, periods and sizes a draw of the plan would draw, without drawing."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import func, select

from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.db.base import Base
from kic.plan import Plan, plan_sizes, year_thresholds
from kic.plan.population import Populations, empty_populations
from kic.plan.preview import PreviewError, draw_preview, fingerprint, preview_draw
from kic.plan_draw import draw_plan


@pytest.fixture(scope="module")
def tables():  # type: ignore[no-untyped-def]
    return load_catalogue(shipped=None).tables


def _plan(*parts: dict) -> Plan:
    return Plan.model_validate({"jaar": 2026, "versie": 3, "gemeente": "Test", "onderdelen": list(parts)})


MUS = {
    "id": "PWLO-BETALING",
    "regeling": "PW-LO",
    "werkonderdeel": "betaling",
    "omschrijving": "Betalingen levensonderhoud",
    "doel": "statistisch",
    "methode": "mus",
    "betrouwbaarheid_pct": 95,
    "materialiteit_pct": 2.0,
    "frequentie": "per_kwartaal",
}
TARGETED = {
    "id": "WMO-GERICHT",
    "regeling": "WMO",
    "werkonderdeel": "betaling",
    "doel": "gericht",
    "methode": "attribuut",
    "omvang": 5,
    "frequentie": "maandelijks",
}


def _payments(rows: list[tuple[str, int, int]]) -> Populations:
    """(regeling, month, euros) per payment of 2026."""
    frame = pd.DataFrame(
        {
            "betaling_id": [f"B{i:05d}" for i in range(len(rows))],
            "regeling": [r for r, _, _ in rows],
            "bedrag": pd.array([e * 100 for _, _, e in rows], dtype="Int64"),
            "periode_van": pd.to_datetime([date(2026, m, 1) for _, m, _ in rows]),
        }
    )
    return Populations(frame, empty_populations().dossiers)


@pytest.fixture
def sizes(tables):  # type: ignore[no-untyped-def]
    rows = [("PW-LO", month, 1000) for month in (1, 4, 5, 7, 10) for _ in range(300)]
    rows += [("WMO", month, 250) for month in (4, 5, 6) for _ in range(3)]
    plan = _plan(MUS, TARGETED)
    return plan_sizes(plan, _payments(rows), year_thresholds(tables, plan))


def test_a_quarter_previews_the_lines_and_periods_within_it_with_their_population(sizes):
    preview = preview_draw(sizes, "2026-Q2")
    shown = [
        (line.part.id, line.period.label, line.count, line.value_cents, line.n) for line in preview.lines
    ]
    mus = sizes.part("PWLO-BETALING").periods[1]
    assert shown == [
        ("PWLO-BETALING", "2026-Q2", 600, 600 * 100_000, mus.n),
        ("WMO-GERICHT", "2026-04", 3, 750 * 100, 3),  # the plan's 5, capped at the population
        ("WMO-GERICHT", "2026-05", 3, 750 * 100, 3),
        ("WMO-GERICHT", "2026-06", 3, 750 * 100, 3),
    ]
    assert 0 < mus.n < 600 and preview.n == mus.n + 9
    assert (preview.plan_version, preview.plan_sha256) == (3, sizes.plan.content_hash)
    assert [line.census for line in preview.lines] == [False, True, True, True]


def test_a_regeling_narrows_the_preview_and_an_empty_period_is_kept_with_its_reason(sizes):
    preview = preview_draw(sizes, "2026-Q1", "WMO")
    assert [(line.period.label, line.n) for line in preview.lines] == [
        ("2026-01", 0),
        ("2026-02", 0),
        ("2026-03", 0),
    ]
    assert preview.drawn == () and all(line.count == 0 for line in preview.lines)


def test_the_preview_refuses_what_the_draw_refuses(sizes):
    with pytest.raises(PreviewError, match="ligt niet in planjaar 2026"):
        preview_draw(sizes, "2025-Q4")
    with pytest.raises(PreviewError, match="vraagt geen steekproef in 2026-Q2 voor IOAW"):
        preview_draw(sizes, "2026-Q2", "IOAW")


def test_the_fingerprint_changes_with_any_size_line_or_period(sizes):
    preview = preview_draw(sizes, "2026-Q2")
    lines = [(line.part.id, line.period.label, line.n, line.gemeente) for line in preview.lines]
    assert preview.fingerprint == fingerprint(lines)
    changed = [(*lines[0][:2], lines[0][2] + 1, None), *lines[1:]]
    assert fingerprint(changed) != preview.fingerprint
    assert fingerprint(lines[1:]) != preview.fingerprint
    other_gemeente = [(*lines[0][:3], "GM0363"), *lines[1:]]
    assert fingerprint(other_gemeente) != preview.fingerprint


def _rows(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_the_preview_writes_nothing_and_is_what_the_draw_then_draws(population):
    with session_scope(population) as session:
        before = _rows(session)
        preview = draw_preview(session, 2026, "2026-Q3", regeling="PW-LO")
        assert not session.new and not session.dirty and not session.deleted
    with session_scope(population) as session:
        assert _rows(session) == before
        outcomes = draw_plan(session, 2026, "2026-Q3", actor="teamleider", seed="voorbeeld", regeling="PW-LO")
    assert fingerprint((o.part_id, o.period, o.n, o.gemeente) for o in outcomes) == preview.fingerprint
    assert [(o.part_id, o.n) for o in outcomes] == [(line.part.id, line.n) for line in preview.lines]
    drawn = {o.part_id: o.sample.item_count for o in outcomes if o.sample is not None}
    assert drawn == {line.part.id: line.n for line in preview.drawn}
