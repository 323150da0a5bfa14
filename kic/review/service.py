"""Use cases of the review: assign a sample's items, save and submit a review, the vier-ogen round.

The CLI, the review workbook and the web app call these functions; none has logic of its own.
Each change is checked against the version the user started from (optimistic locking) and
written to the audit trail with before and after.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kic.audit import record
from kic.controls.catalogue import ALLE, Control, Werkproces
from kic.controls.errors import UnknownControl
from kic.controls.loader import Catalogue, load_catalogue
from kic.errors import KicError
from kic.plan.loader import PlanError, PlanNotFound, load_plan
from kic.plan.population import payments_frame
from kic.population.frames import load_dossier_rows, load_dossiers_for, load_payment_rows
from kic.population.models import SNAPSHOT_ACTIVE, PopulationSnapshot
from kic.review.assign import assign
from kic.review.checklist import (
    FOUT,
    NVT,
    ONZEKERHEID,
    VOLDOET,
    AnswersInvalid,
    ControlVerdict,
    ItemData,
    applies,
    automated_checklist,
    item_data,
    not_applicable,
    score,
    score_automated,
)
from kic.review.models import AFGEROND, BEZIG, TE_DOEN, TER_REVIEW, Review, ReviewControl
from kic.review.queries import automated_results
from kic.samples.draw import DATE_COLUMNS
from kic.samples.models import BESCHIKKING, Sample, SampleItem
from kic.users.gemeenten import user_scope
from kic.users.models import Role, User
from kic.vocabulary import Verdict

ZERO = Decimal("0.00")


class ReviewError(KicError, ValueError):
    """A review action is not allowed now; the message is Dutch."""


class StaleReview(ReviewError):
    """Someone else saved the review since this user opened it."""


@dataclass(frozen=True)
class ReviewInput:
    """What a reviewer hands in: answers per control (question id -> typed or text value)."""

    answers: Mapping[str, Mapping[str, Any]]
    cause_code: str | None = None
    explanation: str | None = None


def checklist_controls(
    catalogue: Catalogue, regeling: str, day: date, work: Werkproces | None = None
) -> list[Control]:
    """The checklist controls of the regeling (and the general ones) valid on the payment period, of the
    werkproces ``work`` (None: of every werkproces, for a sample drawn without a plan line)."""
    found: list[Control] = []
    for control_id in catalogue.ids():
        versions = [
            c
            for c in catalogue.versions[control_id]
            if c.checklist is not None and c.regeling in (regeling, ALLE) and c.valid_on(day)
        ]
        found.extend(v for v in versions[:1] if v.applies_to(work))
    return found


def item_controls(catalogue: Catalogue, frame: pd.DataFrame, work: Werkproces | None = None) -> list[Control]:
    """The checklist of an item (its one-row frame): the versions valid on the first day of its period, of
    its werkproces, whose ``van_toepassing_als`` holds for the item's data."""
    return applicability(catalogue, frame, work)[0]


@dataclass(frozen=True)
class NotApplicable:
    """A control of the item's werkproces whose condition does not hold for the item's data."""

    control: Control
    # The condition in words (van_toepassing_omschrijving): shown and stored, never the expression.
    reason: str


def applicability(
    catalogue: Catalogue, frame: pd.DataFrame, work: Werkproces | None = None, data: ItemData | None = None
) -> tuple[list[Control], list[NotApplicable]]:
    """The item's checklist controls split into those that apply and those that do not (with the reason)."""
    data = item_data(frame) if data is None else data
    applicable, skipped = [], []
    for control in checklist_controls(catalogue, _regeling(frame), _day(frame), work):
        if applies(control.applicable_if, data):
            applicable.append(control)
        else:
            skipped.append(NotApplicable(control, f"niet van toepassing: {control.applicable_text}"))
    return applicable, skipped


def _regeling(frame: pd.DataFrame) -> str:
    return str(frame["regeling"].iloc[0])


def _day(frame: pd.DataFrame) -> date:
    return frame["periode_van"].iloc[0].date()


@dataclass(frozen=True)
class AutomatedFinding:
    """An automated control that found a fout on the item in the latest control run: a question the reviewer
    answers (bevestigen with the amount, or weerleggen with a reason) before the item can be handed in."""

    control: Control  # the version the run judged with, or the one valid on the item's period
    difference: Decimal  # what the run found paid too much (the amount the form starts with)
    explanation: str | None

    def as_control(self) -> Control:
        """The control with the finding's own questions (``automated_checklist``) in place of its checklist."""
        checklist = automated_checklist(self.control, self.difference, self.explanation)
        return self.control.model_copy(update={"checklist": checklist})


@dataclass(frozen=True)
class ItemChecklist:
    """What the reviewer of one item answers: its werkproces, the automated findings to confirm or refute,
    the checklist controls that apply, and those that do not with the reason."""

    work: Werkproces | None
    automated: list[AutomatedFinding]
    controls: list[Control]
    not_applicable: list[NotApplicable]

    @property
    def answerable(self) -> list[Control]:
        """Every control the reviewer answers: the automated findings (as ``as_control``) first."""
        return [f.as_control() for f in self.automated] + self.controls


def sample_work(session: Session, sample_id: int, catalogue: Catalogue | None = None) -> Werkproces | None:
    """The werkonderdeel of the plan line a sample was drawn for, as stored with the sample at the draw
    (older samples: read from their plan); None for a sample drawn without a plan line, or whose plan or
    line cannot be found any more (then the full checklist applies)."""
    sample = session.get(Sample, sample_id)
    if sample is None or not sample.plan_part or not sample.plan:
        return None
    if "werkonderdeel" in sample.plan:  # stored at the draw (from 2026-12-05); older samples: the plan
        try:
            return Werkproces(sample.plan["werkonderdeel"])
        except ValueError:
            return None
    if "jaar" not in sample.plan:
        return None
    folders = catalogue.folders if catalogue is not None else ()
    try:
        plan = load_plan(int(sample.plan["jaar"]), folders[1] if len(folders) > 1 else None)
        return plan.part(sample.plan_part).work
    except (PlanNotFound, PlanError, KeyError):
        return None


def automated_findings(
    session: Session, review: Review, catalogue: Catalogue, frame: pd.DataFrame
) -> list[AutomatedFinding]:
    """Every automated control that found a fout on the item's payment in the latest control run."""
    results = automated_results(session, review, _regeling(frame))
    if results is None:
        return []
    found = []
    for result in results.results:
        if result.status != "fout":
            continue
        control = _run_version(catalogue, result.control_id, result.version, _day(frame))
        if control is not None:
            found.append(AutomatedFinding(control, result.difference or ZERO, result.explanation))
    return found


def _run_version(catalogue: Catalogue, control_id: str, version: int, day: date) -> Control | None:
    same = [c for c in catalogue.versions.get(control_id, []) if c.version == version]
    if same:
        return same[0]
    try:
        return catalogue.version_for(control_id, day)
    except UnknownControl:  # no longer in the catalogue: nothing to judge it against
        return None


def item_checklist(
    session: Session, review: Review, catalogue: Catalogue, frame: pd.DataFrame | None = None
) -> ItemChecklist:
    """Everything the reviewer of ``review`` answers (see ItemChecklist)."""
    frame = item_frame(session, review) if frame is None else frame
    work = sample_work(session, review.sample_id, catalogue)
    automated = automated_findings(session, review, catalogue, frame)
    applicable, skipped = applicability(catalogue, frame, work)
    confirmed = {f.control.id for f in automated}
    return ItemChecklist(
        work,
        automated,
        [c for c in applicable if c.id not in confirmed],
        [s for s in skipped if s.control.id not in confirmed],
    )


def create_reviews(
    session: Session,
    sample_id: int,
    reviewers: list[str],
    *,
    actor: str,
    method: str = "roulerend",
    second: bool = False,
    deadline: date | None = None,
) -> list[Review]:
    """One review per item of the sample, assigned to ``reviewers`` (never a case they entered)."""
    sample = _sample(session, sample_id)
    if session.scalar(select(func.count()).select_from(Review).where(Review.sample_id == sample_id)):
        raise ReviewError(f"de posten van steekproef {sample_id} zijn al toegewezen")
    reviewers = [r.strip().lower() for r in reviewers if r and r.strip()]
    check_reviewers(session, reviewers, sample)
    items = session.scalars(
        select(SampleItem).where(SampleItem.sample_id == sample_id).order_by(SampleItem.position)
    ).all()
    entered = _entered_by(session, items)
    plan = assign(
        [(i.id, entered[i.id]) for i in items],
        reviewers,
        method=method,
        second=second,
        workload=open_workload(session),
    )
    by_item = {a.item_id: a for a in plan}
    reviews = [
        Review(
            sample_id=sample_id,
            sample_item_id=i.id,
            item_key=i.item_key,
            reviewer=by_item[i.id].reviewer,
            second_reviewer=by_item[i.id].second_reviewer,
            deadline=deadline,
            status=TE_DOEN,
            error_amount=ZERO,
            uncertain_amount=ZERO,
            formal_findings=0,
        )
        for i in items
    ]
    session.add_all(reviews)
    session.flush()
    record(
        session,
        actor=actor,
        action="beoordeling.toewijzen",
        object_type="sample",
        object_id=sample.id,
        after={
            "posten": len(reviews),
            "verdeling": method,
            "vier_ogen": second,
            "beoordelaars": sorted({r.reviewer for r in reviews}),
        },
    )
    return reviews


def check_reviewers(session: Session, names: Sequence[str], sample: Sample | None = None) -> None:
    """Only an active kwaliteitsmedewerker may be given an item, and only one who works for the gemeente of
    ``sample`` (a sample over the whole region: one not limited to gemeenten): the same rule for the CLI, the
    web and the scheduler (an item assigned to a name without an account would never be reviewed)."""
    wanted = sorted({n.strip() for n in names if n and n.strip()})
    known = {
        user.username: user
        for user in session.scalars(
            select(User).where(
                User.username.in_(wanted), User.role == Role.KWALITEITSMEDEWERKER.value, User.active.is_(True)
            )
        )
    }
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ReviewError(
            f"geen actieve kwaliteitsmedewerker: {', '.join(unknown)}; een post kan alleen naar een "
            "actieve kwaliteitsmedewerker (kic users list)"
        )
    if sample is None:
        return
    elsewhere = [n for n in wanted if not user_scope(session, known[n]).allows(sample.gemeente)]
    if elsewhere:
        where = f"gemeente {sample.gemeente}" if sample.gemeente else "de hele regio"
        raise ReviewError(
            f"{', '.join(elsewhere)} werkt niet voor {where}: de posten van steekproef {sample.id} kunnen alleen "
            "naar een kwaliteitsmedewerker die voor die gemeente werkt (kic users gemeenten)"
        )


def reviewers_for(session: Session, names: Sequence[str], sample: Sample) -> list[str]:
    """Of ``names``, those who work for the gemeente of ``sample`` (all, when none does: then
    :func:`check_reviewers` says why none can be given its items)."""
    users = {u.username: u for u in session.scalars(select(User).where(User.username.in_(list(names))))}
    fit = [n for n in names if n not in users or user_scope(session, users[n]).allows(sample.gemeente)]
    return fit or list(names)


def open_workload(session: Session) -> dict[str, int]:
    """Open (not afgerond) reviews per reviewer."""
    rows = session.execute(
        select(Review.reviewer, func.count()).where(Review.status != AFGEROND).group_by(Review.reviewer)
    ).all()
    return {name: int(count) for name, count in rows}


def item_frame(session: Session, review: Review) -> pd.DataFrame:
    """The item as the checklist expressions see it: one row of the control frame.

    A beschikking (an item of a sample of beschikkingen) is one row too: its own fields under
    ``beschikking.*``, with as ``bedrag`` its bedrag per periode and as ``periode_van`` the date that
    put it in the sample (the besluitdatum of an aanvraag), so that the checklist valid on that day
    applies; the other payment fields are empty.
    """
    item = session.get(SampleItem, review.sample_item_id)
    assert item is not None
    if item.dossier_row_id is not None:
        return _dossier_frame(session, item)
    return items_frame(session, [item.payment_row_id])  # type: ignore[list-item]


def _dossier_frame(session: Session, item: SampleItem) -> pd.DataFrame:
    dossiers = load_dossier_rows(session, [item.dossier_row_id])  # type: ignore[list-item]
    dossier = dossiers.iloc[0]
    sample = session.get(Sample, item.sample_id)
    assert sample is not None
    day = dossier[DATE_COLUMNS[BESCHIKKING][sample.manifest["steekproef"]["datumkolom"]]]
    payment = dict.fromkeys(load_payment_rows(session, []).columns) | {
        "id": 0,
        "regeling": dossier["regeling"],
        "beschikking_nr": dossier["beschikking_nr"],
        "client_key": dossier["client_key"],
        "amount_cents": int(item.book_value * 100),
        "period_from": day if pd.notna(day) else dossier["start_date"],
        "entered_by": dossier["entered_by"],
    }
    payments = pd.DataFrame([payment])
    for column in ("payment_date", "period_from", "period_to"):
        payments[column] = pd.to_datetime(payments[column])
    return payments_frame(payments, dossiers)


def items_frame(session: Session, payment_row_ids: list[int]) -> pd.DataFrame:
    """The control frame of these payment rows, one row each in payment id order (column ``_row``: the row
    id). Row for row what ``item_frame`` gives; for many items at once it costs hardly more than for one."""
    payments = load_payment_rows(session, payment_row_ids)
    dossiers = load_dossiers_for(session, payments["beschikking_nr"].dropna().unique().tolist())
    return payments_frame(payments, dossiers)  # also when no beschikkingen were imported


def item_frame_key(session: Session, review: Review) -> tuple[int | None, tuple[int, ...]]:
    """What ``item_frame`` of a payment depends on: the payment row (never changed once imported) and the
    active beschikkingen snapshots (its beschikking is the active one with its number). Equal keys, equal
    frames. A sampled beschikking has no payment row (None): its frame is not kept."""
    item = session.get(SampleItem, review.sample_item_id)
    assert item is not None
    active = session.scalars(
        select(PopulationSnapshot.id)
        .where(PopulationSnapshot.kind == "beschikkingen", PopulationSnapshot.status == SNAPSHOT_ACTIVE)
        .order_by(PopulationSnapshot.id)
    )
    return item.payment_row_id, tuple(active)


def open_payment_rows(session: Session, reviewer: str, limit: int) -> list[int]:
    """The payment rows of the reviews open to ``reviewer`` as first reviewer (te doen, bezig), first due first."""
    query = (
        select(SampleItem.payment_row_id)
        .join(Review, Review.sample_item_id == SampleItem.id)
        .where(
            Review.reviewer == reviewer,
            Review.status.in_((TE_DOEN, BEZIG)),
            SampleItem.payment_row_id.is_not(None),
        )
        .order_by(Review.deadline.is_(None), Review.deadline, Review.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def judge(
    catalogue: Catalogue,
    frame: pd.DataFrame,
    data: ReviewInput,
    *,
    work: Werkproces | None = None,
    automated: Sequence[AutomatedFinding] = (),
) -> list[ControlVerdict]:
    """Score the item: every automated finding, every checklist control that applies (a control with an
    automated finding is judged by that), and every control that does not apply as nvt with its reason.
    Answers to controls of the regeling outside this checklist are ignored; every problem is reported."""
    item = item_data(frame)  # read once for the whole checklist, not per control
    applicable, skipped = applicability(catalogue, frame, work, item)
    confirmed = {f.control.id for f in automated}
    verdicts, problems = [], []
    for finding in automated:
        try:
            verdicts.append(
                score_automated(finding.control, finding.difference, data.answers.get(finding.control.id, {}))
            )
        except AnswersInvalid as exc:
            problems.append(exc)
    for control in applicable:
        if control.id in confirmed:
            continue
        try:
            verdicts.append(score(control, data.answers.get(control.id, {}), frame, item))
        except AnswersInvalid as exc:
            problems.append(exc)
    verdicts += [not_applicable(s.control, s.reason) for s in skipped if s.control.id not in confirmed]
    known = confirmed | {c.id for c in checklist_controls(catalogue, _regeling(frame), _day(frame))}
    unknown = sorted(set(data.answers) - known)
    if problems or unknown:
        raise ReviewAnswersInvalid(problems, unknown)
    return sorted(verdicts, key=lambda v: v.control_id)


def judge_item(
    session: Session,
    review: Review,
    data: ReviewInput,
    catalogue: Catalogue,
    frame: pd.DataFrame | None = None,
) -> list[ControlVerdict]:
    """``judge`` with the item's own werkproces and automated findings: what handing it in would record."""
    frame = item_frame(session, review) if frame is None else frame
    checklist = item_checklist(session, review, catalogue, frame)
    return judge(catalogue, frame, data, work=checklist.work, automated=checklist.automated)


def missing_cause(verdicts: Sequence[ControlVerdict], data: ReviewInput) -> bool:
    """A fout or onzekerheid needs its oorzaak before the item can be handed in (for the verbeteragenda)."""
    return _item_verdict([v.verdict for v in verdicts]) in (FOUT, ONZEKERHEID) and not data.cause_code


class ReviewAnswersInvalid(ReviewError):
    """The answers of one review have problems; ``problems`` per control, ``unknown`` control ids."""

    def __init__(self, problems: list[AnswersInvalid], unknown: list[str]) -> None:
        self.problems, self.unknown = problems, unknown
        parts = [str(p) for p in problems] + [f"{u}: geen checklistcontrole voor deze post" for u in unknown]
        super().__init__("; ".join(parts))


CAUSE_REQUIRED = "bij een fout of onzekerheid is de oorzaak verplicht; kies er een"


class ReviewFieldInvalid(ReviewError):
    """One field outside the checklist (the oorzaak) holds what is not allowed; nothing was saved."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(reason)


def save_review(
    session: Session,
    review_id: int,
    data: ReviewInput,
    *,
    actor: str,
    expected_version: int,
    submit: bool,
    source: str,
    catalogue: Catalogue | None = None,
    address: str | None = None,
    frame: pd.DataFrame | None = None,
    on_behalf_of: str | None = None,
) -> Review:
    """Save a draft (answers kept, not judged) or submit (judged; afgerond or on to the second reviewer).

    Only the assigned reviewer saves an item: ``actor``, or ``on_behalf_of`` when someone else hands in the
    reviewer's work (the import of the reviewer's workbook). ``frame`` is the item's ``item_frame`` when the
    caller has read it already (the web form does)."""
    review = _editable(session, review_id, expected_version)
    if (on_behalf_of or actor) != review.reviewer:
        raise ReviewError(
            f"post {review.id} is toegewezen aan {review.reviewer}; alleen die beoordelaar kan haar "
            "opslaan (of de teamleider verdeelt haar opnieuw)"
        )
    catalogue = catalogue or load_catalogue()
    if (reason := catalogue.unknown_cause(data.cause_code)) is not None:
        raise ReviewFieldInvalid("oorzaak", reason)
    before = snapshot(review)
    if submit:
        verdicts = judge_item(session, review, data, catalogue, frame)
        if missing_cause(verdicts, data):
            raise ReviewFieldInvalid("oorzaak", CAUSE_REQUIRED)
        book = session.get(SampleItem, review.sample_item_id).book_value  # type: ignore[union-attr]
        _replace_controls(
            session,
            review,
            [
                ReviewControl(
                    control_id=v.control_id,
                    control_version=v.version,
                    content_hash=v.content_hash,
                    verdict=v.verdict,
                    error_type=v.error_type,
                    amount=v.amount,
                    answers=v.answers,
                )
                for v in verdicts
            ],
        )
        _apply_verdicts(review, verdicts, book)
        review.status = TER_REVIEW if review.second_reviewer else AFGEROND
    else:
        review.status = BEZIG
        _replace_controls(
            session,
            review,
            [
                ReviewControl(
                    control_id=cid,
                    control_version=0,
                    content_hash="",
                    verdict=Verdict.CONCEPT,
                    error_type=None,
                    amount=ZERO,
                    answers=dict(answers),
                )
                for cid, answers in sorted(data.answers.items())
            ],
        )
    review.cause_code, review.explanation = data.cause_code, data.explanation
    _touch(review, actor, source)
    _flush(session, review.id)
    record(
        session,
        actor=actor,
        action="beoordeling.indienen" if submit else "beoordeling.concept",
        object_type="review",
        object_id=review.id,
        before=before,
        after=snapshot(review),
        address=address,
    )
    return review


def second_review(
    session: Session,
    review_id: int,
    *,
    actor: str,
    agree: bool,
    comment: str | None,
    expected_version: int,
    address: str | None = None,
) -> Review:
    """Vier-ogen: the second reviewer agrees (afgerond) or sends the review back with a comment."""
    review = _current(session, review_id, expected_version)
    if review.status != TER_REVIEW:
        raise ReviewError(f"beoordeling {review_id} wacht niet op een tweede beoordeling")
    if actor == review.reviewer or actor != review.second_reviewer:
        raise ReviewError("alleen de aangewezen tweede beoordelaar, nooit de eerste, mag dit oordeel geven")
    if not agree and not (comment or "").strip():
        raise ReviewError("geef bij terugsturen een toelichting")
    before = snapshot(review)
    review.status = AFGEROND if agree else BEZIG
    review.second_comment = comment
    _touch(review, actor, review.source)
    _flush(session, review.id)
    record(
        session,
        actor=actor,
        action="beoordeling.akkoord" if agree else "beoordeling.teruggestuurd",
        object_type="review",
        object_id=review.id,
        before=before,
        after=snapshot(review),
        address=address,
    )
    return review


def reassign(
    session: Session,
    review_id: int,
    reviewer: str,
    *,
    actor: str,
    expected_version: int,
    address: str | None = None,
) -> Review:
    """Give an open review to another reviewer (never the one who entered the payment)."""
    review = _editable(session, review_id, expected_version)
    reviewer = reviewer.strip().lower()
    check_reviewers(session, [reviewer], session.get(Sample, review.sample_id))
    item = session.get(SampleItem, review.sample_item_id)
    assert item is not None
    if _entered_by(session, [item])[item.id] == reviewer:
        raise ReviewError(f"{reviewer} heeft deze post zelf ingevoerd en mag haar niet beoordelen")
    if reviewer == review.second_reviewer:
        raise ReviewError(f"{reviewer} is al de tweede beoordelaar van deze post")
    before = snapshot(review)
    review.reviewer = reviewer
    _touch(review, actor, review.source)
    _flush(session, review.id)
    record(
        session,
        actor=actor,
        action="beoordeling.herverdelen",
        object_type="review",
        object_id=review.id,
        before=before,
        after=snapshot(review),
        address=address,
    )
    return review


def snapshot(review: Review) -> dict[str, Any]:
    """The review as the audit trail records it (no BSN: reviews hold none)."""
    return {
        "status": review.status,
        "oordeel": review.verdict,
        "beoordelaar": review.reviewer,
        "tweede_beoordelaar": review.second_reviewer,
        "foutbedrag": str(review.error_amount),
        "onzeker_bedrag": str(review.uncertain_amount),
        "formele_fouten": review.formal_findings,
        "oorzaak": review.cause_code,
        "toelichting": review.explanation,
        "controles": {
            c.control_id: {
                "versie": c.control_version,
                "oordeel": c.verdict,
                "bedrag": str(c.amount),
                "antwoorden": c.answers,
            }
            for c in review.controls
        },
    }


def _apply_verdicts(review: Review, verdicts: list[ControlVerdict], book: Decimal) -> None:
    """Item totals: FIN and ONZ amounts added per control, capped at the payment (see docs/review.md)."""
    fin = sum((v.amount for v in verdicts if v.verdict == FOUT and v.error_type == "FIN"), ZERO)
    onz = sum((v.amount for v in verdicts if v.verdict == ONZEKERHEID), ZERO)
    review.error_amount = min(fin, book) if book > 0 else fin
    review.uncertain_amount = max(ZERO, min(onz, book - max(review.error_amount, ZERO))) if book > 0 else onz
    review.formal_findings = sum(1 for v in verdicts if v.verdict == FOUT and v.error_type == "FORM")
    review.verdict = _item_verdict([v.verdict for v in verdicts])


def _replace_controls(session: Session, review: Review, rows: list[ReviewControl]) -> None:
    """Old rows go first: the unique (review, control) pair would refuse the new ones otherwise."""
    review.controls.clear()
    session.flush()
    review.controls.extend(rows)


def _item_verdict(verdicts: list[str]) -> str:
    for verdict in (FOUT, ONZEKERHEID, VOLDOET):
        if verdict in verdicts:
            return verdict
    return NVT


def _sample(session: Session, sample_id: int) -> Sample:
    sample = session.get(Sample, sample_id)
    if sample is None:
        raise ReviewError(f"steekproef {sample_id} bestaat niet")
    return sample


def _entered_by(session: Session, items: Sequence[SampleItem]) -> dict[int, str | None]:
    """Who entered each item (the payment's or the beschikking's medewerker), per item id, in lower case:
    usernames are lower case (kic users add), the medewerker code of an export often is not (MW01)."""
    payments = load_payment_rows(session, [i.payment_row_id for i in items if i.payment_row_id is not None])
    dossiers = load_dossier_rows(session, [i.dossier_row_id for i in items if i.dossier_row_id is not None])
    by_row: dict[tuple[str, int | None], object] = {
        ("p", int(r)): e for r, e in zip(payments["id"], payments["entered_by"], strict=True)
    } | {("d", int(r)): e for r, e in zip(dossiers["id"], dossiers["entered_by"], strict=True)}
    entered = {
        i.id: by_row.get(("p", i.payment_row_id) if i.payment_row_id is not None else ("d", i.dossier_row_id))
        for i in items
    }
    return {k: (e.strip().lower() if isinstance(e, str) else None) for k, e in entered.items()}


def _current(session: Session, review_id: int, expected_version: int) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise ReviewError(f"beoordeling {review_id} bestaat niet")
    if review.version != expected_version:
        raise StaleReview(
            f"beoordeling {review_id} is intussen gewijzigd door {review.updated_by or 'een ander'}; "
            "laad haar opnieuw en voer uw wijziging nogmaals in"
        )
    return review


def _editable(session: Session, review_id: int, expected_version: int) -> Review:
    review = _current(session, review_id, expected_version)
    if review.status in (TER_REVIEW, AFGEROND):
        raise ReviewError(f"beoordeling {review_id} is al ingediend ({review.status.replace('_', ' ')})")
    return review


def _flush(session: Session, review_id: int) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise StaleReview(
            f"beoordeling {review_id} is tegelijk door een ander opgeslagen; "
            "laad haar opnieuw en voer uw wijziging nogmaals in"
        ) from None


def _touch(review: Review, actor: str, source: str | None) -> None:
    review.updated_at, review.updated_by, review.source = datetime.now(UTC), actor, source
