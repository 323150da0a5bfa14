"""Every report fits its A4 page: no box beyond the page margins, no text cut or running into a neighbour.

Each report is rendered from a busy half year (``busy_year``: several regelingen, long causes and
owners, late verbeteracties) and once more with every amount a thousand times larger, as in a large
gemeente where the lasten run into the hundreds of millions.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal
from typing import Any

import click
import pytest
from layout_check import problems, texts

from kic.cli import main
from kic.db import session_scope
from kic.plan.render import view as plan_view
from kic.plan.service import size_plan
from kic.reports import views
from kic.reports.reconciliation import Ledger
from kic.reports.render import pdf_unavailable, render_html
from kic.templating import environment

pytestmark = [
    pytest.mark.pdf,
    pytest.mark.skipif(pdf_unavailable() is not None, reason=pdf_unavailable() or ""),
]

REPORTS = ("kwartaal", "sisa", "agenda", "controleplan")


def _views(session: Any) -> dict[str, dict[str, Any]]:
    ledger = Ledger(
        {"PW-LO": Decimal("1234567.89"), "PW-BB": Decimal("7654.32"), "WMO": Decimal("0.00")},
        "grootboek-sociaal-domein-2026-definitief-na-memoriaalboekingen.csv",
        "ab" * 32,
    )
    return {
        "kwartaal": views.kwartaal_view(session, "2026-Q2"),
        "sisa": views.sisa_view(session, 2026, ledger=ledger),
        "agenda": views.agenda_view(session, date(2026, 7, 15)),
        "controleplan": plan_view(size_plan(session, 2026)),
    }


def _html(kind: str, view: dict[str, Any]) -> str:
    if kind == "controleplan":
        return environment().get_template("controleplan.html.j2").render(**view)
    return render_html(kind, view, pdf=True)


def scaled(value: Any, factor: int) -> Any:
    """``value`` with every amount (a Decimal, or integer cents in a field named ``*_cents``) times ``factor``."""
    if isinstance(value, Decimal):
        return value * factor
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: getattr(value, f.name) * factor
            if f.name.endswith("_cents") and isinstance(getattr(value, f.name), int)
            else scaled(getattr(value, f.name), factor)
            for f in dataclasses.fields(value)
            if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict):
        return {k: scaled(v, factor) for k, v in value.items()}
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return type(value)(scaled(v, factor) for v in value)
    return value


@pytest.fixture
def rendered(busy_year):  # type: ignore[no-untyped-def]
    with session_scope(busy_year) as session:
        found = _views(session)
        return {
            (kind, factor): _html(kind, scaled(view, factor) if factor > 1 else view)
            for kind, view in found.items()
            for factor in (1, 1000)
        }


def test_every_report_fits_the_a4_page_and_cuts_no_text(rendered):
    found = {f"{kind} ×{factor}": problems(html) for (kind, factor), html in rendered.items()}
    assert sorted(kind for kind, _ in rendered) == sorted(REPORTS * 2)
    assert {report: lines for report, lines in found.items() if lines} == {}


def test_the_check_sees_a_table_beyond_the_page_and_text_cut_by_an_ellipsis():
    """The check itself: a table wider than A4, and a cell that cuts its text, are both reported."""
    wide = "<table style='width: 250mm'><tr><td>breed</td></tr></table>"
    cut = (
        "<table style='table-layout: fixed; width: 40mm'><tr><td style='white-space: nowrap; overflow: hidden; "
        "text-overflow: ellipsis'>een oorzaak met een lange omschrijving die niet past</td></tr></table>"
    )
    assert problems("<p>past</p>") == []
    assert any("buiten de pagina" in line for line in problems(wide))
    lines = problems(cut)
    assert any("tekst 'een oorzaak" in line for line in lines) and any("knipt" in line for line in lines)


def test_no_report_refers_to_the_documentation_or_a_command(rendered):
    """An MT member or an accountant reads the report without kic: no docs/… file, no ``kic …`` command."""
    commands = "|".join(main.list_commands(click.Context(main)))
    assert "report" in commands
    command = re.compile(rf"\bkic ({commands})\b|--[a-z]")
    for (kind, factor), html in rendered.items():
        if factor > 1:
            continue
        text = _text(html)
        assert "docs/" not in text and "methodology" not in text, kind
        assert command.search(text) is None, (kind, command.search(text))


def _text(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").get_text(" ")


def test_the_kwartaal_summary_of_a_busy_quarter_ends_on_page_one(rendered):
    from weasyprint import HTML

    for factor in (1, 1000):
        pages = HTML(string=rendered["kwartaal", factor]).render().pages
        first = " ".join(texts(pages[0]._page_box))
        rest = " ".join(t for page in pages[1:] for t in texts(page._page_box))
        assert "Samenvatting" in first and "Correcties (herstel)" not in first
        assert "Verbeteracties" in first and "Verbeteracties" not in rest, (
            "the summary's last part is on page 1"
        )
