"""The verbeteragenda: add actions, change their status, list what is overdue.

An action is set to gereed only when its hermeting shows the improvement: in the hermeting quarter's
afgeronde reviews the control was judged and found wrong fewer times than in the quarter of the
bevindingen. Otherwise only an explicit decision with a reason closes it; that reason is stored on
the action and in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kic.audit import AuditEvent, record
from kic.audit.query import AuditFilter, find_events
from kic.errors import KicError, by_field
from kic.findings.bevindingen import Finding, findings, quarter_of
from kic.findings.models import (
    GEREED,
    IN_UITVOERING,
    OPEN,
    PRIORITIES,
    STATUSES,
    VERVALLEN,
    ImprovementAction,
)
from kic.periods import PeriodError, parse_period
from kic.review.models import AFGEROND, Review, ReviewControl
from kic.samples.models import Sample

CLOSED = (GEREED, VERVALLEN)
STATUS_LABELS = {OPEN: "open", IN_UITVOERING: "in uitvoering", GEREED: "gereed", VERVALLEN: "vervallen"}


class AgendaError(KicError, ValueError):
    """An action that cannot be saved or changed this way; the message is Dutch.

    ``by_field`` names the input each problem is about (titel, eigenaar, deadline, prioriteit,
    beoordelingen, hermeting_controle, hermeting_kwartaal, status, besluit, versie), so that a form
    can show it beside that field; the CLI shows the joined message.
    """

    def __init__(self, problems: list[tuple[str, str]] | str) -> None:
        if isinstance(problems, str):
            problems = [("actie", problems)]
        super().__init__("; ".join(message for _field, message in problems), by_field=by_field(problems))


class ActionNotFound(AgendaError):
    """No verbeteractie with this number."""


@dataclass(frozen=True)
class NewAction:
    title: str
    owner: str
    deadline: date | None  # None: not given (a form left it empty or unreadable)
    description: str | None = None
    priority: str = "middel"
    control_ids: tuple[str, ...] = ()
    review_ids: tuple[int, ...] = ()
    remeasure_control: str | None = None
    remeasure_quarter: str | None = None


@dataclass(frozen=True)
class Remeasurement:
    """The control's errors in the quarter of the bevindingen and in the hermeting quarter."""

    control_id: str
    before_quarter: str | None
    after_quarter: str
    before: int
    after: int
    judged_after: int  # how often the control was judged at all in the hermeting quarter

    @property
    def improved(self) -> bool:
        return self.before_quarter is not None and self.judged_after > 0 and self.after < self.before


def add_action(
    session: Session, data: NewAction, *, actor: str, address: str | None = None
) -> ImprovementAction:
    _validate(session, data)
    assert data.deadline is not None  # checked by _validate
    now = datetime.now(UTC)
    action = ImprovementAction(
        title=data.title.strip(),
        description=data.description,
        owner=data.owner.strip(),
        deadline=data.deadline,
        status=OPEN,
        priority=data.priority,
        control_ids=sorted(set(data.control_ids)),
        review_ids=sorted(set(data.review_ids)),
        findings_quarter=_findings_quarter(session, data),
        remeasure_control=data.remeasure_control,
        remeasure_quarter=data.remeasure_quarter.upper() if data.remeasure_quarter else None,
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
    )
    session.add(action)
    session.flush()
    record(
        session,
        actor=actor,
        action="verbeteractie.aanmaken",
        object_type="improvement_action",
        object_id=action.id,
        after=snapshot(action),
        address=address,
    )
    return action


def _validate(session: Session, data: NewAction) -> None:
    """Every problem at once, each under the name of its input."""
    problems = []
    if not data.title.strip():
        problems.append(("titel", "titel is leeg"))
    if not data.owner.strip():
        problems.append(("eigenaar", "eigenaar is leeg"))
    if data.deadline is None:
        problems.append(("deadline", "deadline is leeg"))
    if data.priority not in PRIORITIES:
        problems.append(
            ("prioriteit", f"prioriteit '{data.priority}' onbekend (kies uit {', '.join(PRIORITIES)})")
        )
    if data.remeasure_quarter is not None:
        problems.extend(("hermeting_kwartaal", p) for p in _quarter_problems(data.remeasure_quarter))
    if (data.remeasure_quarter is None) != (data.remeasure_control is None):
        missing = "hermeting_kwartaal" if data.remeasure_quarter is None else "hermeting_controle"
        problems.append((missing, "geef bij een hermeting zowel de controle als het kwartaal"))
    found = {r for (r,) in session.execute(select(Review.id).where(Review.id.in_(data.review_ids)))}
    problems.extend(
        ("beoordelingen", f"beoordeling {r} bestaat niet") for r in sorted(set(data.review_ids) - found)
    )
    if problems:
        raise AgendaError(problems)


def _quarter_problems(label: str) -> list[str]:
    try:
        period = parse_period(label)
    except PeriodError as exc:
        return [str(exc)]
    return [] if "-Q" in period.label else [f"hermeting '{label}' is geen kwartaal (bijvoorbeeld 2026-Q3)"]


def _findings_quarter(session: Session, data: NewAction) -> str | None:
    """The latest quarter of the linked reviews: the errors the hermeting must improve on."""
    if not data.review_ids:
        return None
    start = session.scalar(
        select(func.max(Sample.period_start))
        .join(Review, Review.sample_id == Sample.id)
        .where(Review.id.in_(data.review_ids))
    )
    return None if start is None else quarter_of(start)


def remeasurement(session: Session, action: ImprovementAction) -> Remeasurement | None:
    """The hermeting's outcome so far; None when the action plans none."""
    if action.remeasure_control is None or action.remeasure_quarter is None:
        return None
    control = action.remeasure_control
    before = (
        len(findings(session, action.findings_quarter, control_id=control)) if action.findings_quarter else 0
    )
    after = len(findings(session, action.remeasure_quarter, control_id=control))
    return Remeasurement(
        control,
        action.findings_quarter,
        action.remeasure_quarter,
        before,
        after,
        _judged(session, control, action.remeasure_quarter),
    )


def _judged(session: Session, control_id: str, label: str) -> int:
    period = parse_period(label)
    return (
        session.scalar(
            select(func.count())
            .select_from(ReviewControl)
            .join(Review, ReviewControl.review_id == Review.id)
            .join(Sample, Review.sample_id == Sample.id)
            .where(
                Review.status == AFGEROND,
                ReviewControl.control_id == control_id,
                Sample.period_start >= period.start,
                Sample.period_end <= period.end,
            )
        )
        or 0
    )


def set_status(
    session: Session,
    action_id: int,
    status: str,
    *,
    actor: str,
    decision: str | None = None,
    expected_version: int | None = None,
    address: str | None = None,
) -> ImprovementAction:
    """Move an action to ``status``; gereed needs a hermeting that shows improvement, or a decision."""
    action = get_action(session, action_id)
    if expected_version is not None and action.version != expected_version:
        raise AgendaError(
            [("versie", f"verbeteractie {action_id} is intussen door {action.updated_by} gewijzigd")]
        )
    if status not in STATUSES:
        raise AgendaError([("status", f"status '{status}' onbekend (kies uit {', '.join(STATUSES)})")])
    decision = (decision or "").strip() or None
    if status == GEREED and decision is None:
        _require_improvement(session, action)
    if status == VERVALLEN and decision is None:
        raise AgendaError([("besluit", "geef bij vervallen een besluit met de reden")])
    before = snapshot(action)
    action.status = status
    if decision is not None:
        action.closing_decision = decision
    action.updated_at, action.updated_by = datetime.now(UTC), actor
    session.flush()
    record(
        session,
        actor=actor,
        action="verbeteractie.status",
        object_type="improvement_action",
        object_id=action.id,
        before=before,
        after=snapshot(action),
        note=decision,
        address=address,
    )
    return action


def _require_improvement(session: Session, action: ImprovementAction) -> None:
    """Gereed without a decision: the hermeting must have been done and show fewer errors."""
    result = remeasurement(session, action)
    if result is None:
        reason = "er is geen hermeting gepland: sluit alleen af met een besluit"
    elif result.judged_after == 0:
        reason = (
            f"de hermeting van {result.control_id} in {result.after_quarter} is nog niet uitgevoerd "
            "(geen afgeronde beoordelingen): sluit af met een besluit of wacht"
        )
    elif not result.improved:
        reason = (
            f"de hermeting toont geen verbetering: {result.control_id} had {result.after} fout(en) in "
            f"{result.after_quarter} tegen {result.before} in "
            f"{result.before_quarter or 'het kwartaal van de bevindingen'}; sluit alleen af met een besluit"
        )
    else:
        return
    raise AgendaError([("besluit", reason)])


def get_action(session: Session, action_id: int) -> ImprovementAction:
    action = session.get(ImprovementAction, action_id)
    if action is None:
        raise ActionNotFound(f"verbeteractie {action_id} bestaat niet")
    return action


def list_actions(
    session: Session, *, status: str | None = None, owner: str | None = None
) -> list[ImprovementAction]:
    """The actions, by deadline; ``owner`` matches the owner exactly, apart from case and spaces."""
    query = select(ImprovementAction).order_by(ImprovementAction.deadline, ImprovementAction.id)
    if status is not None:
        query = query.where(ImprovementAction.status == status)
    actions = list(session.scalars(query))
    return actions if owner is None else [a for a in actions if is_owner(a, owner)]


def is_owner(action: ImprovementAction, name: str) -> bool:
    """Whether ``name`` (a username, or a team written the same way) is the action's owner."""
    return action.owner.strip().casefold() == name.strip().casefold()


def owners(session: Session) -> list[str]:
    """Every owner on the agenda, for a filter."""
    return sorted(set(session.scalars(select(ImprovementAction.owner))), key=str.casefold)


def linked_findings(session: Session, action: ImprovementAction) -> list[Finding]:
    """The bevindingen the action was made for: in its reviews, of its controls (any control when none)."""
    if not action.review_ids:
        return []
    controls = set(action.control_ids)
    return [
        f for f in findings(session, review_ids=action.review_ids) if not controls or f.control_id in controls
    ]


def history(session: Session, action_id: int) -> list[AuditEvent]:
    """What happened to the action, from the audit trail, oldest first."""
    return find_events(session, AuditFilter(object_type="improvement_action", object_id=str(action_id)))[::-1]


def is_overdue(action: ImprovementAction, today: date) -> bool:
    return action.status not in CLOSED and action.deadline < today


def overdue(session: Session, today: date) -> list[ImprovementAction]:
    return [a for a in list_actions(session) if is_overdue(a, today)]


def agenda_order(actions: list[ImprovementAction], today: date) -> list[ImprovementAction]:
    """Overdue first, then open work by deadline, closed actions last."""
    return sorted(actions, key=lambda a: (not is_overdue(a, today), a.status in CLOSED, a.deadline, a.id))


def snapshot(action: ImprovementAction) -> dict[str, Any]:
    return {
        "titel": action.title,
        "eigenaar": action.owner,
        "deadline": action.deadline.isoformat(),
        "status": action.status,
        "prioriteit": action.priority,
        "controles": list(action.control_ids),
        "beoordelingen": list(action.review_ids),
        "kwartaal_bevindingen": action.findings_quarter,
        "hermeting": {"controle": action.remeasure_control, "kwartaal": action.remeasure_quarter},
        "besluit": action.closing_decision,
    }
