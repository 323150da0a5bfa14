"""Corrections in the kwartaalrapportage: crediteringen and nabetalingen in the payments, fouten in the reviews."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "findings"))
import csv
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bs4 import BeautifulSoup
from reviewed import reviewed_sample
from sqlalchemy import select

from kic.db import session_scope
from kic.formatting import euro, number
from kic.periods import parse_period
from kic.population.models import SNAPSHOT_REPLACED, Payment, PopulationSnapshot
from kic.reports.corrections import _Paid, corrections, followed_by_correction, review_corrections, total
from kic.reports.publish import build_files
from kic.review.models import Review
from kic.samples.models import SampleItem

Q2 = parse_period("2026-Q2")


def _snapshot(session, rows, *, status="actief"):  # type: ignore[no-untyped-def]
    """A betalingen snapshot holding ``rows``: (payment_id, regeling, amount, paid, period_from, period_to[, nr])."""
    snapshot = PopulationSnapshot(
        kind="betalingen",
        source_name="hand.csv",
        sha256="0" * 64,
        file_format="csv",
        row_count=len(rows),
        total_debit=Decimal("0.00"),
        total_credit=Decimal("0.00"),
        imported_at=datetime(2026, 7, 1, tzinfo=UTC),
        imported_by="tester",
        status=status,
    )
    session.add(snapshot)
    session.flush()
    for line, (pid, regeling, amount, paid, start, end, *nr) in enumerate(rows, start=1):
        session.add(
            Payment(
                snapshot_id=snapshot.id,
                line_no=line,
                payment_id=pid,
                client_key="C1",
                bsn="111222333",
                regeling=regeling,
                amount=Decimal(amount),
                payment_date=paid,
                period_from=start,
                period_to=end,
                beschikking_nr=nr[0] if nr else None,
            )
        )
    session.flush()


def test_crediteringen_and_nabetalingen_of_the_quarter_by_betaaldatum(db):
    d = date
    with session_scope(db) as session:
        _snapshot(
            session,
            [
                ("P1", "PW-LO", "1000.00", d(2026, 4, 24), d(2026, 4, 1), d(2026, 4, 30)),  # regular
                ("P2", "PW-LO", "-120.50", d(2026, 5, 10), d(2026, 4, 1), d(2026, 4, 30)),  # creditering
                (
                    "P3",
                    "PW-LO",
                    "-79.50",
                    d(2026, 6, 30),
                    d(2026, 6, 1),
                    d(2026, 6, 30),
                ),  # creditering, last day
                (
                    "P4",
                    "PW-LO",
                    "300.00",
                    d(2026, 5, 15),
                    d(2026, 2, 1),
                    d(2026, 2, 28),
                ),  # nabetaling, 76 days
                ("P5", "PW-LO", "200.00", d(2026, 5, 1), d(2026, 3, 1), d(2026, 3, 31)),  # 31 days: not yet
                (
                    "P6",
                    "PW-LO",
                    "250.00",
                    d(2026, 5, 2),
                    d(2026, 3, 1),
                    d(2026, 3, 31),
                ),  # 32 days: nabetaling
                ("P7", "PW-LO", "-999.00", d(2026, 3, 31), d(2026, 3, 1), d(2026, 3, 31)),  # Q1
                ("P8", "PW-LO", "-50.00", d(2026, 7, 1), d(2026, 6, 1), d(2026, 6, 30)),  # Q3
                ("P9", "WMO", "-40.25", d(2026, 4, 15), d(2026, 3, 1), d(2026, 3, 31)),  # creditering
                (
                    "P10",
                    "JEUGD",
                    "500.00",
                    d(2026, 5, 20),
                    d(2026, 4, 1),
                    d(2026, 4, 30),
                ),  # declaratie, 20 days
            ],
        )
        _snapshot(
            session,
            [("X1", "PW-LO", "-1.00", d(2026, 5, 1), d(2026, 4, 1), d(2026, 4, 30))],
            status=SNAPSHOT_REPLACED,
        )
        rows = corrections(session, Q2)
    assert [r.regeling for r in rows] == ["PW-LO", "WMO"]
    pwlo, wmo = rows
    assert (pwlo.credits, pwlo.credit_value) == (2, Decimal("200.00"))
    assert (pwlo.back_payments, pwlo.back_payment_value) == (2, Decimal("550.00"))
    assert (wmo.credits, wmo.credit_value, wmo.back_payments) == (1, Decimal("40.25"), 0)
    assert not wmo.in_reviews and pwlo.in_payments
    both = total(rows)
    assert (both.credits, both.credit_value, both.back_payment_value) == (
        3,
        Decimal("240.25"),
        Decimal("550.00"),
    )


def _paid(pid, amount, paid, start, end, nr="B1"):  # type: ignore[no-untyped-def]
    return _Paid(pid, nr, Decimal(amount), paid, start, end)


def test_a_correction_is_a_later_payment_on_the_same_beschikking_over_an_overlapping_period():
    reviewed = _paid("R", "900.00", date(2026, 4, 24), date(2026, 4, 1), date(2026, 4, 30))
    credit = _paid("C", "-100.00", date(2026, 6, 2), date(2026, 4, 1), date(2026, 4, 30))
    assert followed_by_correction(reviewed, Decimal("100.00"), [credit])
    assert not followed_by_correction(
        reviewed, Decimal("-100.00"), [credit]
    )  # too little paid: a credit is no fix
    assert not followed_by_correction(reviewed, Decimal("100.00"), [reviewed])
    earlier = _paid("C", "-100.00", date(2026, 4, 20), date(2026, 4, 1), date(2026, 4, 30))
    other = _paid("C", "-100.00", date(2026, 6, 2), date(2026, 4, 1), date(2026, 4, 30), nr="B2")
    later_month = _paid("C", "-100.00", date(2026, 6, 2), date(2026, 5, 1), date(2026, 5, 31))
    assert not any(
        followed_by_correction(reviewed, Decimal("100.00"), [p]) for p in (earlier, other, later_month)
    )
    back = _paid("N", "100.00", date(2026, 6, 2), date(2026, 4, 15), date(2026, 4, 30))
    assert followed_by_correction(reviewed, Decimal("-100.00"), [back])
    assert not followed_by_correction(
        _paid("R", "900.00", date(2026, 4, 24), date(2026, 4, 1), date(2026, 4, 30), nr=None),
        Decimal("100.00"),
        [credit],
    )


def _expected_from_export(path: Path, regeling: str) -> tuple[int, Decimal, int, Decimal]:
    """Crediteringen and nabetalingen of the quarter, read straight from the synthetic CSV export."""
    credits, credited, backs, back_paid = 0, Decimal("0.00"), 0, Decimal("0.00")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["regeling"] != regeling:
                continue
            paid, end = (datetime.strptime(row[c], "%d-%m-%Y").date() for c in ("betaaldatum", "periode_tot"))
            amount = Decimal(row["bedrag"].replace(".", "").replace(",", "."))
            if row["debet_credit"] == "C" and amount > 0:
                amount = -amount
            if not Q2.contains(paid):
                continue
            if amount < 0:
                credits, credited = credits + 1, credited - amount
            elif paid - end > timedelta(days=31):
                backs, back_paid = backs + 1, back_paid + amount
    return credits, credited, backs, back_paid


def test_kwartaalrapportage_shows_the_corrections_of_payments_and_reviews(population, gemeente):
    ids = reviewed_sample(
        population, "2026-Q2", {1: Decimal("30.00"), 2: Decimal("300.00"), 3: Decimal("-50.00")}, n=10
    )
    with session_scope(population) as session:
        before = review_corrections(session, Q2)["PW-LO"]
        review = session.get(Review, ids[1])
        item = session.get(SampleItem, review.sample_item_id)
        paid = session.scalar(select(Payment).where(Payment.id == item.payment_row_id))
        assert paid.beschikking_nr is not None
        # The gemeente credits the overpaid part a few days later; it arrives in a newer export.
        day = paid.payment_date + timedelta(days=5)
        assert Q2.contains(day)
        _snapshot(
            session,
            [("CORR-1", "PW-LO", "-30.00", day, paid.period_from, paid.period_to, paid.beschikking_nr)],
        )
        files = build_files(session, "kwartaal", "2026-Q2", pdf=False)
    assert (before["overpaid"], before["overpaid_value"], before["overpaid_seen"]) == (
        2,
        Decimal("330.00"),
        0,
    )
    assert (before["underpaid"], before["underpaid_value"], before["underpaid_seen"]) == (
        1,
        Decimal("50.00"),
        0,
    )

    soup = BeautifulSoup(files["html"].decode("utf-8"), "html.parser")
    assert "nog niet in kic vastgelegd" not in soup.get_text()
    reviewed_rows = {
        tr.find("td").get_text(): [td.get_text() for td in tr.find_all("td")[1:]]
        for tr in soup.select("#correcties-beoordelingen tbody tr:not(.totaal)")
    }
    assert reviewed_rows == {"PW-LO": ["2", euro(Decimal("330.00")), "1", "1", euro(Decimal("50.00")), "0"]}
    paid_rows = {
        tr.find("td").get_text(): [td.get_text() for td in tr.find_all("td")[1:]]
        for tr in soup.select("#correcties-betalingen tbody tr:not(.totaal)")
    }
    credits, credited, backs, back_paid = _expected_from_export(gemeente.payments_path, "PW-LO")
    assert credits > 0 and backs > 0  # the synthetic gemeente has both, so the comparison says something
    assert paid_rows["PW-LO"] == [
        number(credits + 1),
        euro(credited + Decimal("30.00")),
        number(backs),
        euro(back_paid),
    ]
    footer = [th.get_text() for th in soup.select("#correcties-betalingen tr.totaal th")]
    assert len(paid_rows) > 1 and footer[0] == "Totaal"
    assert footer[1] == number(sum(int(row[0].replace(".", "")) for row in paid_rows.values()))
