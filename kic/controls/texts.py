"""A control run in Dutch lines of text: the summary per regeling and the comparison with a ground truth.

Shared by ``kic controls run`` and ``kic demo``; ``echo`` is where the lines go (click.echo, a list).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kic.formatting import euro, number, percent
from kic.population.parse import cents_to_decimal


def echo_summary(summary: Any, echo: Callable[[str], None]) -> None:
    """The run per regeling, in Dutch (also used by the demo)."""
    echo(
        f"Controlerun {summary.run_id}: {number(summary.payments)} betalingen, "
        f"{number(summary.results)} resultaten (betaling × controle)."
    )
    echo(
        f"  {'regeling':<8} {'posten':>9} {'controles':>9} {'voldoet':>10} {'fout':>7} {'€ fout':>16} "
        f"{'nvt':>9} {'niet te beoordelen':>18}"
    )
    for r in summary.per_regeling:
        echo(
            f"  {r.regeling:<8} {number(r.items):>9} {r.controls:>9} {number(r.voldoet):>10} {number(r.fout):>7} "
            f"{euro(cents_to_decimal(r.fout_cents)):>16} {number(r.nvt):>9} {number(r.niet_te_beoordelen):>18}"
        )
    for name, message in summary.failures.items():
        echo(f"  Let op: controle {name} kon niet worden uitgevoerd: {message}")


def echo_truth(report: Any, echo: Callable[[str], None]) -> None:
    """Recall per fouttype and precision per control against the synthetic ground truth."""
    echo(
        f"Vergeleken met de grondwaarheid: recall {percent(report.recall)}, precisie {percent(report.precision)} "
        f"({number(report.correct)} van {number(report.flagged)} afgekeurde betalingen echt fout)."
    )
    echo(
        f"  {'fouttype (zichtbaar in de export)':<34} {'fout':>6} {'gevonden':>9} {'gemist':>7} {'recall':>8}"
    )
    for t in report.types:
        echo(
            f"  {t.fouttype:<34} {number(t.total):>6} {number(t.found):>9} {number(t.missed):>7} {percent(t.recall):>8}"
        )
    hidden = getattr(report, "dossier_only", [])
    if hidden:
        echo(
            f"  Alleen in het dossier zichtbaar: {number(sum(d.total for d in hidden))} betalingen (geen gemiste "
            "fouten: de export toont ze niet, de dossierbeoordeling moet ze vinden)."
        )
        for d in hidden:
            echo(
                f"  {d.fouttype:<28} {d.soort:<12} {number(d.total):>6}"
                + (f"  ({number(d.flagged)} om een andere reden afgekeurd)" if d.flagged else "")
            )
    echo(f"  {'controle':<12} {'afgekeurd':>9} {'terecht':>8} {'onterecht':>9} {'precisie':>9}")
    for c in report.controls:
        echo(
            f"  {c.control_id:<12} {number(c.flagged):>9} {number(c.correct):>8} {number(c.false_positives):>9} "
            f"{percent(c.precision):>9}"
        )
