"""What each report's template reads: one plain dict per report, built from the use-case functions."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session

from kic import __version__
from kic.controls.loader import Catalogue
from kic.findings.agenda import agenda_order, is_overdue, list_actions, remeasurement
from kic.findings.bevindingen import by_cause, by_control, findings, group_findings
from kic.findings.models import STATUSES
from kic.findings.quality import quality_by_work
from kic.gemeenten import WHOLE, Scope
from kic.periods import parse_period
from kic.population.files import imported_files
from kic.reports import figures, summary
from kic.reports.automated import automated_summary
from kic.reports.chart import trend_svg
from kic.reports.corrections import BACK_PAYMENT_DAYS, corrections, total
from kic.reports.reconciliation import Ledger, reconcile
from kic.reports.region import compare_gemeenten
from kic.reports.sisa import sisa_lines
from kic.review.models import Review
from kic.samples.models import BETALING, Sample, SampleItem
from kic.vocabulary import Purpose

TOP = 3  # on page 1 of the kwartaalrapportage; the details list every bevinding
SISA_CODES = {"PW-LO": "G2", "IOAW": "G2", "IOAZ": "G2", "BBZ": "G2/G3"}


def kwartaal_view(
    session: Session, label: str, catalogue: Catalogue | None = None, scope: Scope = WHOLE
) -> dict[str, Any]:
    """``scope``: the gemeente the report is of (her samples, payments and findings only), or the whole
    installation."""
    quarter = figures.quarter_period(label)
    catalogue = figures.catalogue_or_default(catalogue)
    result = figures.evaluate_or_none(session, quarter.label, catalogue, scope)
    if result is None:
        raise figures.ReportError(f"geen steekproeven getrokken binnen {quarter.label}{_of(scope)}")
    year = quarter.start.year
    points = figures.trend(
        session, year, int(quarter.label[-1]), catalogue, known={quarter.label: result}, scope=scope
    )
    found = findings(session, quarter.label, scope=scope)
    ytd_evaluation = figures.year_to_date(session, quarter, catalogue, scope)
    ytd = ytd_evaluation.overall if ytd_evaluation else None
    herstel = corrections(session, quarter, scope)
    cov, decisions = figures.coverage(result), figures.decision_samples(result)
    actions = list_actions(session)
    rows = summary.regelingen(session, quarter, cov, decisions, scope)
    tolerance = Decimal(str(result.tolerances.approval_pct))
    return {
        "kic_version": __version__,
        "gemeente": figures.gemeente_name(year, session, scope),
        **_logo(session, scope),
        "period": quarter.label,
        "evaluation": result,
        "coverage": cov,
        "decisions": decisions,
        "regelingen": rows,
        "untested": summary.untested_sentence(rows, quarter.label),
        "automated": automated_summary(session, quarter, catalogue, scope),
        "judgement": summary.judgement(ytd_evaluation, figures.ytd_label(quarter), f"{year}-Q4"),
        "actions": summary.action_story(actions, quarter.end),
        "tolerances": result.tolerances,
        "tolerance": summary.tolerance_text(result.tolerances),
        "aandeel": lambda amount, base: summary.share_text(amount / base * 100, tolerance),
        "pct_text": lambda pct: "-" if pct is None else summary.share_text(Decimal(repr(pct)), tolerance),
        "ytd": ytd,
        "tolerance_amount": figures.tolerance_amount(ytd, result.tolerances),
        "ytd_label": figures.ytd_label(quarter),
        "chart": trend_svg(points, result.tolerances.approval_pct),
        "trend": points,
        "top_controls": by_control(found)[:TOP],
        "top_causes": by_cause(found)[:TOP],
        "groups": group_findings(found),
        "categories": {cid: versions[-1].category for cid, versions in catalogue.versions.items()},
        "cause_labels": catalogue.cause_labels(),
        "findings_count": len(found),
        "agenda": agenda_status(session, quarter.end, actions),
        "corrections": herstel,
        "corrections_total": total(herstel),
        "back_payment_days": BACK_PAYMENT_DAYS,
        "quality": quality_by_work(session, quarter, figures.quality_norms(year), scope),
        # the region's report for the MT compares the gemeenten; a gemeente's own report does not
        "gemeenten": compare_gemeenten(session, quarter, catalogue) if scope.whole else [],
    }


def _of(scope: Scope) -> str:
    return f" voor gemeente {scope.gemeente}" if scope.gemeente else ""


def _logo(session: Session, scope: Scope) -> dict[str, str]:
    """The gemeente's own logo over the installation's (the templates read ``logo``)."""
    logo = figures.gemeente_logo(session, scope)
    return {"logo": logo} if logo else {}


def agenda_status(session: Session, day: date, actions: list[Any] | None = None) -> dict[str, Any]:
    actions = list_actions(session) if actions is None else actions
    counts = Counter(a.status for a in actions)
    return {
        "counts": [(s, counts.get(s, 0)) for s in STATUSES],
        "overdue": sum(is_overdue(a, day) for a in actions),
        "total": len(actions),
        "peildatum": day,
    }


def agenda_view(session: Session, day: date) -> dict[str, Any]:
    actions = agenda_order(list_actions(session), day)
    rows = [
        {"action": a, "overdue": is_overdue(a, day), "remeasurement": remeasurement(session, a)}
        for a in actions
    ]
    return {
        "kic_version": __version__,
        "gemeente": figures.gemeente_name(day.year),
        "peildatum": day,
        "rows": rows,
        "status": agenda_status(session, day),
    }


def sisa_view(
    session: Session,
    year: int,
    catalogue: Catalogue | None = None,
    ledger: Ledger | None = None,
    scope: Scope = WHOLE,
) -> dict[str, Any]:
    """``ledger``: the gemeente's lasten per regeling to reconcile the population with (or none supplied);
    ``scope``: the gemeente the dossier is of, or the whole installation."""
    catalogue = figures.catalogue_or_default(catalogue)
    result = figures.evaluate_or_none(session, str(year), catalogue, scope)
    if result is None:
        raise figures.ReportError(f"geen steekproeven getrokken in {year}{_of(scope)}")
    counted = figures.rechtmatigheid_samples(result)  # preventieve toetsen are quality, not rechtmatigheid
    samples = {
        s.id: s for s in session.scalars(select(Sample).where(Sample.id.in_([e.sample_id for e in counted])))
    }
    found = [f for f in findings(session, str(year), scope=scope) if f.sample_id in samples]
    cov = figures.coverage(result)
    items = item_rows(session, list(samples))
    herstel = corrections(session, parse_period(str(year)), scope)
    sampled: dict[str, Decimal] = {}
    for e in counted:
        if e.unit == BETALING and e.purpose == Purpose.STATISTISCH:
            sampled[e.regeling] = sampled.get(e.regeling, Decimal("0.00")) + e.population_value
    return {
        "kic_version": __version__,
        "gemeente": figures.gemeente_name(year, session, scope),
        **_logo(session, scope),
        "year": year,
        "evaluation": result,
        "coverage": cov,
        "decisions": figures.decision_samples(result),
        "tolerances": result.tolerances,
        "sisa_codes": SISA_CODES,
        "corrections": herstel,
        "corrections_total": total(herstel),
        "back_payment_days": BACK_PAYMENT_DAYS,
        "ledger": ledger,
        "reconciliation": reconcile(session, year, ledger, sampled, scope),
        "sisa_lines": sisa_lines(session, date(year, 1, 1), date(year, 12, 31), scope),
        "files": imported_files(session, scope),
        "samples": [(e, samples[e.sample_id]) for e in counted],
        "items": items,
        "listing": item_listing(items),
        "groups": group_findings(found),
        "cause_labels": catalogue.cause_labels(),
        "table": error_table(result),
        "total_value": sum((c.population_value for c in cov), Decimal("0.00")),
    }


def item_rows(session: Session, sample_ids: list[int]) -> list[dict[str, Any]]:
    """Per sampled item: the verdict with amounts and the review it is documented in (the evidence)."""
    rows = session.execute(
        select(SampleItem, Review, Sample.regeling, Sample.unit)
        .join(Sample, Sample.id == SampleItem.sample_id)
        .join(Review, Review.sample_item_id == SampleItem.id, isouter=True)
        .where(SampleItem.sample_id.in_(sample_ids))
        .order_by(SampleItem.sample_id, SampleItem.position)
    ).all()
    return [
        {
            "sample_id": item.sample_id,
            "regeling": regeling,
            "position": item.position,
            "unit": unit,
            "item_key": item.item_key,
            "book_value": item.book_value,
            "key_item": item.key_item,
            "status": review.status if review else "niet toegewezen",
            "verdict": (review.verdict if review else None) or "-",
            "error": review.error_amount if review else Decimal("0.00"),
            "uncertain": review.uncertain_amount if review else Decimal("0.00"),
            "formal": review.formal_findings if review else 0,
            "evidence": f"beoordeling {review.id}" if review else "-",
        }
        for item, review, regeling, unit in rows
    ]


LISTING_COLUMNS = (
    ("stp", ">"),
    ("post", ">"),
    ("betaling/beschikking", "<"),
    ("boekwaarde", ">"),
    ("oordeel", "<"),
    ("fout", ">"),
    ("onzeker", ">"),
    ("formeel", ">"),
    ("bewijs", "<"),
)


def item_listing(items: list[dict[str, Any]]) -> str:
    """The items as fixed-width text lines for the PDF, where a table of thousands of rows is slow.

    Amounts in euros without the sign, Dutch notation; ``-`` is nothing; ``*`` marks a sleutelpost.
    """
    rows = [
        [
            str(i["sample_id"]),
            f"{i['position']}{'*' if i['key_item'] else ''}",
            i["item_key"],
            _plain(i["book_value"]),
            i["verdict"],
            _plain(i["error"]),
            _plain(i["uncertain"]),
            str(i["formal"] or "-"),
            i["evidence"],
        ]
        for i in items
    ]
    header = [name for name, _ in LISTING_COLUMNS]
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    return "\n".join(
        " ".join(
            f"{cell:{align}{width}}"
            for cell, (_, align), width in zip(row, LISTING_COLUMNS, widths, strict=True)
        ).rstrip()
        for row in [header, *rows]
    )


def _plain(amount: Decimal) -> str:
    return "-" if amount == 0 else format_decimal(amount, format="#,##0.00", locale="nl_NL")


def error_table(result: Any) -> list[dict[str, Any]]:
    """The tabel van fouten en onzekerheden: per regeling the found and extrapolated amounts and method."""
    rows = []
    for group in result.regelingen:
        f, o, t = (group.projections[k] for k in ("fouten", "onzekerheden", "totaal"))
        methods = sorted(
            {s.method for s in result.samples if s.regeling == group.name and s.purpose == "statistisch"}
        )
        rows.append(
            {
                "regeling": group.name,
                "code": SISA_CODES.get(group.name, "-"),
                "population": group.population_value,
                "errors_found": f.found,
                "errors_mwf": f.most_likely_error,
                "errors_max": f.upper_limit,
                "uncertain_found": o.found,
                "uncertain_mwf": o.most_likely_error,
                "uncertain_max": o.upper_limit,
                "total_found": t.found,
                "total_mwf": t.most_likely_error,
                "total_max": t.upper_limit,
                "method": ", ".join(methods),
                "reporting_limit": sisa_reporting_limit(group.population_value),
            }
        )
    return rows


def sisa_reporting_limit(value: Decimal) -> Decimal:
    """SiSa rapporteringstolerantie as commonly cited (domain.md §3.5, to be confirmed with the accountant)."""
    if value <= Decimal(125000):
        return Decimal("12500.00")
    if value <= Decimal(1250000):
        return (value / 10).quantize(Decimal("0.01"))
    return Decimal("125000.00")


def year_of(label: str) -> int:
    return parse_period(label).start.year
