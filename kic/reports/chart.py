"""Charts as inline SVG, byte for byte the same for the same data.

matplotlib writes a date and random ids into an SVG unless told otherwise: ``svg.hashsalt`` fixes
the ids and ``metadata={"Date": None}`` leaves the date out. Text stays text (``svg.fonttype``
none), so the chart is small and the report's font is used.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # matplotlib 3.9+; only for the type checker

STYLE: dict[RcKeyType, Any] = {
    "svg.hashsalt": "kic",
    "svg.fonttype": "none",
    "font.size": 9,
    "font.family": "DejaVu Sans",
}


@dataclass(frozen=True)
class TrendPoint:
    quarter: str
    most_likely_pct: float | None  # fouten and onzekerheden together, % of the population
    upper_pct: float | None


def trend_svg(points: Sequence[TrendPoint], tolerance_pct: float) -> str:
    """Most likely error and upper limit per quarter against the goedkeuringstolerantie."""
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(3.6, 1.9))
        labels = [p.quarter for p in points]
        axes.plot(
            labels,
            [_nan(p.most_likely_pct) for p in points],
            marker="o",
            color="#1f4e79",
            label="meest waarschijnlijke fout",
        )
        axes.plot(
            labels,
            [_nan(p.upper_pct) for p in points],
            marker="s",
            linestyle="--",
            color="#8a1f11",
            label="bovengrens",
        )
        axes.axhline(
            tolerance_pct, color="#555555", linewidth=1, label=f"tolerantie {_dutch(tolerance_pct)} %"
        )
        axes.set_ylabel("% van de populatie")
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_formatter(lambda value, _pos: _dutch(value))
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=7.5, frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # inline: without the XML declaration and doctype


def _nan(value: float | None) -> float:
    return float("nan") if value is None else value


def _dutch(value: float) -> str:
    return f"{value:g}".replace(".", ",")
