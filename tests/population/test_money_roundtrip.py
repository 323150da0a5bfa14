"""Money survives every trip it makes (issue 14, property-based): the amount a report prints is read
back by the importer as the same cents, and what is stored is what comes back, on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, Table, insert, select
from sqlalchemy.engine import Engine

from kic.db.base import Money
from kic.formatting import euro
from kic.population.parse import cents_to_decimal, parse_money

CENTS = st.integers(-(10**13), 10**13)  # up to a hundred billion euro either way


@given(st.lists(CENTS, min_size=1, max_size=50))
def test_a_printed_amount_is_read_back_as_the_same_cents(cents: list[int]) -> None:
    printed = pd.Series([euro(cents_to_decimal(c)) for c in cents])
    parsed, bad = parse_money(printed)
    assert not bad.any(), list(printed[bad])
    assert [int(v) for v in parsed] == cents


@given(st.lists(CENTS, min_size=1, max_size=50), st.sampled_from(["{:.2f}", "{:,.2f}"]))
def test_an_export_in_points_or_commas_is_read_as_its_cents(cents: list[int], pattern: str) -> None:
    """1234.56 (point as decimal sign) and 1.234,56 (Dutch): both are the same cents."""
    dutch = [
        pattern.format(Decimal(c) / 100).replace(",", "_").replace(".", ",").replace("_", ".") for c in cents
    ]
    parsed, bad = parse_money(pd.Series(dutch))
    assert not bad.any()
    assert [int(v) for v in parsed] == cents


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(CENTS, min_size=1, max_size=20))
def test_money_is_stored_and_read_back_exactly(empty_db: Engine, cents: list[int]) -> None:
    table = Table("money_trip", MetaData(), Column("id", Integer, primary_key=True), Column("amount", Money))
    table.create(empty_db, checkfirst=True)
    with empty_db.begin() as connection:
        connection.execute(table.delete())
        connection.execute(
            insert(table), [{"id": i, "amount": cents_to_decimal(c)} for i, c in enumerate(cents)]
        )
        back = connection.execute(select(table.c.amount).order_by(table.c.id)).scalars().all()
    assert back == [cents_to_decimal(c) for c in cents]
    assert all(isinstance(v, Decimal) for v in back)


@given(CENTS)
def test_one_typed_amount_is_read_as_the_import_reads_a_column(cents: int) -> None:
    """kic.formatting.parse_number (one value: the stats CLI, the control tables) and the import's
    column parser agree on every printed amount."""
    from kic.formatting import parse_number

    printed = euro(cents_to_decimal(cents))
    column, _bad = parse_money(pd.Series([printed]))
    assert parse_number(printed) == cents_to_decimal(cents) == cents_to_decimal(int(column[0]))
