"""The controleplan as an HTML document for the accountant (``kic plan render``).

Deterministic: the document shows the plan, its content hash, the population it was sized on and
the sizes, and nothing that depends on the moment of rendering, so that the same plan and
population give byte-identical HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kic import __version__
from kic.plan import labels
from kic.plan.sizes import PlanSizes
from kic.templating import environment

TEMPLATE = "controleplan.html.j2"


def render_plan(sizes: PlanSizes, *, templates: Path | None = None) -> str:
    """The HTML text of the plan with its sample sizes."""
    return environment(templates).get_template(TEMPLATE).render(**view(sizes))


def view(sizes: PlanSizes) -> dict[str, Any]:
    """Everything the template reads: the plan, the sizes, the thresholds and the Dutch labels."""
    thresholds = sizes.thresholds
    return {
        "plan": sizes.plan,
        "sizes": sizes,
        "thresholds": thresholds,
        "labels": labels,
        "plan_hash": sizes.plan.content_hash,
        "kic_version": __version__,
        "accountability_amount": thresholds.limit_amount(thresholds.accountability_limit),
        "reporting_amount": thresholds.limit_amount(thresholds.reporting_limit),
        "total_n": sum(p.n for p in sizes.parts),
        "statistical": [p for p in sizes.parts if p.part.extrapolated],
        "targeted": [p for p in sizes.parts if not p.part.extrapolated],
    }
