"""Dutch number, date and BSN parsing: examples from real exports and property tests."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from kic.population.bsn import is_valid_bsn, make_bsn, valid_bsn_mask
from kic.population.parse import parse_bool, parse_date, parse_money, parse_quantity


def money(*texts: str | None) -> list:
    values, _bad = parse_money(pd.Series(list(texts), dtype="string"))
    return [None if pd.isna(v) else int(v) for v in values]


def test_money_in_the_shapes_dutch_exports_use():
    assert money("1.234,56", "€ 1.234,56", "1234,56", "-12,5", "12,50-", "(12,50)", "1234.56", "1.234") == [
        123456,
        123456,
        123456,
        -1250,
        -1250,
        -1250,
        123456,
        123400,
    ]


def test_unreadable_amounts_are_flagged_not_guessed():
    _values, bad = parse_money(pd.Series(["12,34,5", "1,234", "abc", "", None, "12.3.4"], dtype="string"))
    assert bad.tolist() == [True, True, True, False, False, True]


def test_dates_in_each_accepted_format():
    values, bad = parse_date(pd.Series(["25-01-2026", "5-1-2026", "20260125", "2026-01-25", "25/01/2026"]))
    assert not bad.any()
    assert [v.date() for v in values] == [date(2026, 1, 25), date(2026, 1, 5)] + [date(2026, 1, 25)] * 3


def test_impossible_dates_are_flagged():
    _values, bad = parse_date(pd.Series(["31-02-2026", "20261301", "01-01-26", "gisteren"]))
    assert bad.all()


def test_quantities_keep_three_decimals():
    values, bad = parse_quantity(pd.Series(["12,5", "1.000", "0,125", "1,2345"]))
    assert bad.tolist() == [False, False, False, True]
    assert [int(v) for v in values[:3]] == [12500, 1000000, 125]


def test_flags():
    values, bad = parse_bool(pd.Series(["ja", "Nee", "J", "0", "soms"]))
    assert values[:4].tolist() == [True, False, True, False] and bad.tolist() == [False] * 4 + [True]


def dutch(cents: int, thousands: bool, euro_sign: bool) -> str:
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(cents), 100)
    whole_text = f"{whole:,}".replace(",", ".") if thousands else str(whole)
    return f"{'€ ' if euro_sign else ''}{sign}{whole_text},{frac:02d}"


@given(st.integers(min_value=-(10**13), max_value=10**13), st.booleans(), st.booleans())
def test_money_round_trips_through_dutch_text(cents, thousands, euro_sign):
    assert money(dutch(cents, thousands, euro_sign)) == [cents]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_round_trip_in_both_export_formats(day):
    values, bad = parse_date(pd.Series([day.strftime("%d-%m-%Y"), day.strftime("%Y%m%d")]))
    assert not bad.any() and [v.date() for v in values] == [day, day]


@given(st.text(alphabet="0123456789,.-€ abc", max_size=12))
def test_money_parser_never_crashes_and_flags_what_it_cannot_read(text):
    values, bad = parse_money(pd.Series([text], dtype="string"))
    assert bad[0] or pd.isna(values[0]) == (text.strip() == "") or isinstance(int(values[0]), int)


def test_elfproef_known_numbers():
    # 111222333 and 123456782 are the usual documented test BSNs; 123456789 fails the proef.
    assert is_valid_bsn("111222333") and is_valid_bsn("123456782")
    assert not is_valid_bsn("123456789") and not is_valid_bsn("000000000") and not is_valid_bsn("12345")


@given(st.integers(min_value=0, max_value=99_999_999))
def test_made_bsns_pass_and_any_single_digit_change_fails(stem):
    bsn = make_bsn(stem)
    assert is_valid_bsn(bsn)
    assert valid_bsn_mask(pd.Series([bsn])).tolist() == [True]
    position = stem % 9
    changed = bsn[:position] + str((int(bsn[position]) + 1) % 10) + bsn[position + 1 :]
    # The elfproef detects every single-digit error.
    assert not is_valid_bsn(changed)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)), st.integers(1, 400))
def test_period_order_is_detected(start, days):
    values, _ = parse_date(
        pd.Series([start.strftime("%d-%m-%Y"), (start - timedelta(days=days)).strftime("%Y%m%d")])
    )
    assert values[1] < values[0]
