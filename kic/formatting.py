"""Dutch formatting of money, numbers and dates for CLI output and reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.numbers import format_currency, format_decimal


def euro(amount: Decimal | int | None) -> str:
    """``€ 1.234,56``; money is a Decimal here, never a float."""
    if amount is None:
        return "-"
    return format_currency(Decimal(amount), "EUR", locale="nl_NL")


def number(value: int | Decimal) -> str:
    return format_decimal(value, locale="nl_NL")


def datum(value: date | None) -> str:
    return "-" if value is None else value.strftime("%d-%m-%Y")
