"""The plan's sizes as plain JSON-ready data (``kic plan show --json``); money as euro strings."""

from __future__ import annotations

from typing import Any

from kic.plan.sizes import PartSize, PlanSizes
from kic.population.parse import cents_to_decimal


def sizes_dict(sizes: PlanSizes, labels: set[str] | None = None) -> dict[str, Any]:
    """Every line with its periods; ``labels`` keeps only those periods (all when None)."""
    plan, t = sizes.plan, sizes.thresholds
    return {
        "jaar": plan.year,
        "versie": plan.version,
        "gemeente": plan.gemeente,
        "inhoud_sha256": plan.content_hash,
        "toleranties": {
            "goedkeuring_fouten_pct": t.approval_errors_pct,
            "goedkeuring_onzekerheden_pct": t.approval_uncertainties_pct,
            "goedkeuring_gecombineerd_pct": t.approval_combined_pct,
            "rapporteringstolerantie": t.reporting_tolerance,
            "verantwoordingsgrens": _money(t.limit_amount(t.accountability_limit)),
            "rapportagegrens": _money(t.limit_amount(t.reporting_limit)),
        },
        "onderdelen": [part_dict(p, labels) for p in sizes.parts],
        "problemen": list(sizes.problems),
    }


def part_dict(size: PartSize, labels: set[str] | None = None) -> dict[str, Any]:
    part = size.part
    periods = [p for p in size.periods if labels is None or p.period.label in labels]
    return {
        "id": part.id,
        "gemeente": size.gemeente,
        "regeling": part.regeling,
        "werkonderdeel": part.work.value,
        "doel": part.purpose.value,
        "methode": part.method.value,
        "selectie": part.effective_selection,
        "frequentie": part.frequency.value,
        "spreiding": part.effective_spread.value,
        "vier_ogen": part.second_reviewer,
        "betrouwbaarheid": size.confidence,
        "materialiteit_pct": size.materiality_pct,
        "verwachte_fouten_pct": part.expected_pct,
        "kansmodel": part.effective_likelihood if part.computed else None,
        "populatie": {"aantal": size.count, "waarde": str(cents_to_decimal(size.value_cents))},
        "omvang": size.n,
        "perioden": [
            {
                "periode": p.period.label,
                "van": p.period.start.isoformat(),
                "tot_en_met": p.period.end.isoformat(),
                "aantal": p.count,
                "waarde": str(cents_to_decimal(p.value_cents)),
                "omvang": p.n,
            }
            for p in periods
        ],
        "sisa_rapporteringstolerantie": _money(size.sisa_tolerance),
        "opmerkingen": list(size.notes),
        "probleem": size.problem,
    }


def _money(value: Any) -> str | None:
    return None if value is None else str(value)
