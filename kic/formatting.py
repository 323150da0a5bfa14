"""Dutch formatting of money, numbers and dates for CLI output and reports, and reading one typed number."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel import Locale
from babel.numbers import format_currency, format_decimal

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NL = Locale.parse("nl_NL")  # parsed once: Mijn werkvoorraad shows an amount on every line


def euro(amount: Decimal | int | None) -> str:
    """``€ 1.234,56``; money is a Decimal here, never a float."""
    if amount is None:
        return "-"
    return format_currency(Decimal(amount), "EUR", locale=NL)


def number(value: float | Decimal) -> str:
    return format_decimal(value, locale=NL)


def datum(value: date | None) -> str:
    return "-" if value is None else value.strftime("%d-%m-%Y")


def tijdstip(moment: datetime) -> str:
    """A stored moment in Dutch local time; SQLite hands timestamps back without zone (they are UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def percent(fraction: float, digits: int = 1) -> str:
    """``12,5%``: a fraction shown as a Dutch percentage."""
    return format_decimal(round(fraction * 100, digits), format=f"0.{'0' * digits}", locale=NL) + "%"


def parse_number(text: str | Decimal | int | float) -> Decimal:
    """One number typed by a person or read from a small table: ``1.234,56``, ``1234,56``, ``1234.56``,
    ``0,95``, ``€ 1 234`` or ``1.234.567`` (a comma, or more than one point, makes the points thousands
    separators). Raises ``decimal.InvalidOperation`` when it is no number.

    The columns of an export are read by ``kic.population.parse`` (vectorised, every bad cell reported);
    this is the same reading for one value at a time.
    """
    if isinstance(text, Decimal):
        return text
    if isinstance(text, bool):
        raise InvalidOperation(f"{text!r} is geen getal")
    if isinstance(text, int | float):
        return Decimal(str(text))
    s = text.replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
    if "," in s or s.count(".") > 1:
        s = s.replace(".", "").replace(",", ".")
    return Decimal(s)


def share_beside(share: Decimal, tolerance: Decimal) -> str:
    """A percentage (2.004 = 2,004 %) with as many decimals as it takes not to look equal to
    ``tolerance`` when it is not: 2,004 % beside a tolerance of 2 % is never written 2,00 %. The
    percent sign stays on the line of its number (a no-break space)."""
    digits = 2
    shown = _rounded(share, digits)
    while shown == tolerance and share != tolerance and digits < 6:
        digits += 1
        shown = _rounded(share, digits)
    return format_decimal(shown, format="0." + "0" * digits, locale="nl_NL") + "\u00a0%"


def _rounded(value: Decimal, digits: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
