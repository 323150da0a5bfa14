"""The offline review round trip: one XLSX workbook per reviewer, and reading it back.

``export_workbooks`` writes, per reviewer, the items with the data a reviewer needs (no BSN unless
asked for and logged) and a row per checklist question with a validated answer cell; beside that
long checklist a wide, read-only sheet shows each item's answers on one row.
``import_workbook`` reads one back: all or nothing, every problem with sheet, row and column,
and verdicts recorded through the same ``save_review`` the web page uses. A file read before, or
an item changed elsewhere since the export, is refused with the reason.

Every cell is written through :mod:`kic.csvexport`: an answer, a toelichting or an imported product
name that starts like a formula goes to the next reviewer as text (and comes back as it went out);
the only formulas are kic's own on the per-item sheet, and a list rule is never built from text that
could end its quoted list.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from kic.audit import record
from kic.controls.catalogue import AnswerType, Control
from kic.controls.loader import Catalogue, load_catalogue
from kic.csvexport import DATE, EURO, TEXT, append_table, write_rows, xlsx_cell, xlsx_formula
from kic.errors import KicError
from kic.population.parse import cents_to_decimal
from kic.review.models import AFGEROND, TER_REVIEW, Review, ReviewImport
from kic.review.service import (
    CAUSE_REQUIRED,
    ReviewAnswersInvalid,
    ReviewInput,
    item_checklist,
    item_frame,
    judge_item,
    missing_cause,
    save_review,
)
from kic.samples.models import BESCHIKKING, BETALING, Sample

ITEMS, CHECKLIST, PER_ITEM, META = "Posten", "Checklist", "Checklist per post", "kic"
MARKER = "kic-beoordelingswerkboek"
# The item's data per unit of the sample: (header, column of the item frame); money is written as an
# amount in euros, a date as a date. The key of the item (betaling_id or beschikkingsnummer) comes first.
_B = "beschikking."
ITEM_FIELDS: dict[str, tuple[tuple[str, str | None], ...]] = {
    BETALING: (
        ("Betaling", None),
        ("Regeling", "regeling"),
        ("Bedrag", "bedrag"),
        ("Periode van", "periode_van"),
        ("Periode tot", "periode_tot"),
        ("Beschikking", "beschikkingsnummer"),
        ("Leefvorm", "leefvorm"),
        ("Kostendelers", "kostendelers"),
        ("Normbedrag", "normbedrag"),
        ("Inkomsten", "inkomsten"),
        ("Product", "product"),
        ("Volume", "volume"),
    ),
    BESCHIKKING: (
        ("Beschikking", None),
        ("Regeling", "regeling"),
        ("Bedrag per periode", _B + "bedrag_per_periode"),
        ("Aanvraagdatum", _B + "aanvraagdatum"),
        ("Besluitdatum", _B + "besluitdatum"),
        ("Ingangsdatum", _B + "ingangsdatum"),
        ("Einddatum", _B + "einddatum"),
        ("Leefvorm", _B + "leefvorm"),
        ("Kostendelers", _B + "kostendelers"),
        ("Product", _B + "product"),
        ("Status", _B + "status"),
    ),
}
_MONEY = {"bedrag", "normbedrag", "inkomsten", _B + "bedrag_per_periode"}
CHECK_HEADERS = (
    "Beoordeling",
    "Post",
    "Sleutel",
    "Controle",
    "Versie",
    "Vraag-id",
    "Vraag",
    "Soort",
    "Opties",
    "Antwoord",
)
ANSWER_COLUMN = len(CHECK_HEADERS)  # 1-based: the last column
KIND_AT, OPTIONS_AT, QUESTION_AT = (CHECK_HEADERS.index(h) + 1 for h in ("Soort", "Opties", "Vraag"))
ANSWER_FORMATS = {"bedrag": EURO, "datum": DATE}
# Excel's limit for a list written in the rule itself; a longer list is not validated, the import checks anyway
LIST_LIMIT = 255
MAX_AMOUNT = 100_000_000


class WorkbookError(KicError, ValueError):
    """The workbook cannot be read back; ``problems`` holds every one (Dutch)."""

    def __init__(self, message: str, problems: list[WorkbookProblem] | None = None) -> None:
        self.problems = problems or []
        super().__init__(message, details=self.problems)


@dataclass(frozen=True)
class WorkbookProblem:
    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        place = (
            f"blad {self.sheet}"
            + (f", rij {self.row}" if self.row else "")
            + (f", kolom {self.column}" if self.column else "")
        )
        return f"{place}: {self.reason}"


@dataclass
class ImportSummary:
    file_name: str
    sample_id: int
    reviewer: str
    recorded: list[int] = field(default_factory=list)
    untouched: list[int] = field(default_factory=list)


# --- export ----------------------------------------------------------------------------------------


def export_workbooks(
    session: Session,
    sample_id: int,
    out_dir: Path,
    *,
    actor: str,
    show_bsn: bool = False,
    catalogue: Catalogue | None = None,
) -> list[Path]:
    """Write one workbook per first reviewer of the sample's open reviews; return the paths."""
    catalogue = catalogue or load_catalogue()
    reviews = session.scalars(
        select(Review)
        .where(Review.sample_id == sample_id, Review.status.not_in((TER_REVIEW, AFGEROND)))
        .order_by(Review.id)
    ).all()
    if not reviews:
        raise WorkbookError(f"steekproef {sample_id} heeft geen openstaande beoordelingen om te exporteren")
    by_reviewer: dict[str, list[Review]] = defaultdict(list)
    for review in reviews:
        by_reviewer[review.reviewer].append(review)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        _write(session, sample_id, name, items, out_dir, show_bsn, catalogue)
        for name, items in sorted(by_reviewer.items())
    ]
    record(
        session,
        actor=actor,
        action="beoordeling.werkboek_export",
        object_type="sample",
        object_id=sample_id,
        after={"werkboeken": [p.name for p in paths], "bsn_getoond": show_bsn},
    )
    return paths


def _write(
    session: Session,
    sample_id: int,
    reviewer: str,
    reviews: list[Review],
    out_dir: Path,
    show_bsn: bool,
    catalogue: Catalogue,
) -> Path:
    unit = session.get(Sample, sample_id).unit  # type: ignore[union-attr]
    fields = ITEM_FIELDS[unit]
    headers = (
        "Beoordeling",
        "Post",
        *(h for h, _ in fields),
        *(("BSN",) if show_bsn else ()),
        "Oorzaak",
        "Toelichting",
    )
    item_rows, question_rows = [], []
    meta_rows: list[list[Any]] = [
        [MARKER, sample_id, reviewer, datetime.now(UTC).isoformat(timespec="seconds")]
    ]
    for review in reviews:
        frame = item_frame(session, review)
        position = _position(session, review)
        item_rows.append(_item_row(session, review, position, frame, fields, show_bsn))
        meta_rows.append([review.id, review.version])
        for control in item_checklist(session, review, catalogue, frame).answerable:
            question_rows += _question_rows(review, position, control)
    book = Workbook()
    items = book.active
    items.title = ITEMS
    checks = book.create_sheet(CHECKLIST)
    append_table(items, headers, item_rows)
    append_table(checks, (*CHECK_HEADERS[:2], fields[0][0], *CHECK_HEADERS[3:]), question_rows)
    _validate(items, checks, headers, catalogue)
    _per_item(book.create_sheet(PER_ITEM), headers[:3], item_rows, question_rows)
    meta = book.create_sheet(META)
    write_rows(meta, meta_rows)
    meta.sheet_state = "hidden"
    path = out_dir / f"beoordeling-steekproef-{sample_id}-{_safe(reviewer)}.xlsx"
    book.save(path)
    return path


def _item_row(
    session: Session,
    review: Review,
    position: int,
    frame: pd.DataFrame,
    fields: tuple[tuple[str, str | None], ...],
    show_bsn: bool,
) -> list[Any]:
    row = frame.iloc[0]
    values: list[Any] = [review.id, position, review.item_key]
    for _, name in fields[1:]:
        value = row.get(name)
        if not _present(value):
            values.append(None)
        elif name in _MONEY:
            values.append(_cents(value))
        elif isinstance(value, pd.Timestamp):
            values.append(value.date())
        else:
            values.append(value)
    if show_bsn:
        values.append(
            session.execute(
                text(
                    "SELECT coalesce(p.bsn, d.bsn) FROM sample_item i LEFT JOIN payment p ON p.id = i.payment_row_id "
                    "LEFT JOIN dossier d ON d.id = i.dossier_row_id WHERE i.id = :i"
                ),
                {"i": review.sample_item_id},
            ).scalar()
        )
    return [*values, review.cause_code or "", review.explanation or ""]


def _question_rows(review: Review, position: int, control: Control) -> list[list[Any]]:
    draft = {c.control_id: c.answers for c in review.controls}
    assert control.checklist is not None
    return [
        [
            review.id,
            position,
            review.item_key,
            control.id,
            control.version,
            q.id,
            q.text,
            q.type.value,
            ", ".join(q.options or ()) if q.type is AnswerType.KEUZE else "",
            draft.get(control.id, {}).get(q.id),
        ]
        for q in control.checklist.questions
    ]


def _validate(items: Worksheet, checks: Worksheet, headers: tuple[str, ...], catalogue: Catalogue) -> None:
    """Answer cells accept only what the question type allows: Excel shows the rule on entry and
    refuses anything else (the import checks again, for a workbook edited elsewhere)."""
    if (codes := _list_formula(catalogue.cause_codes())) is not None:
        cause_column = get_column_letter(headers.index("Oorzaak") + 1)
        _rule(items, "list", codes, "Kies een oorzaak uit de lijst.").add(
            f"{cause_column}2:{cause_column}{max(items.max_row, 2)}"
        )
    rules = {
        "janee": _rule(checks, "list", '"ja,nee,nvt"', "Kies ja, nee of nvt."),
        "bedrag": _rule(checks, "decimal", str(-MAX_AMOUNT), "Vul een bedrag in euro's in.", str(MAX_AMOUNT)),
        "datum": _rule(checks, "date", "1", "Vul een datum in (dd-mm-jjjj)."),
    }
    for row in range(2, checks.max_row + 1):
        kind, options = checks.cell(row, KIND_AT).value, checks.cell(row, OPTIONS_AT).value
        if kind == "keuze":
            kind = _choice(checks, rules, options or "")
        answer = checks.cell(row, ANSWER_COLUMN)
        if kind in rules:
            rules[kind].add(answer)
        answer.number_format = ANSWER_FORMATS.get(kind, TEXT)  # so that Excel keeps "3-4" as typed
        checks.cell(row, QUESTION_AT).alignment = Alignment(wrap_text=True, vertical="top")


def _choice(checks: Worksheet, rules: dict[str, DataValidation], options: str) -> str:
    """The rule of a keuze question, shared by every question with the same options."""
    choices = [o.strip() for o in options.split(",")]
    listed = _list_formula(choices)
    if listed is None:
        return AnswerType.KEUZE.value  # no rule in Excel; the import checks the answer anyway
    if listed not in rules:
        prompt = f"Kies uit: {', '.join(choices)}." if len(options) < 150 else "Kies uit de lijst."
        rules[listed] = _rule(checks, "list", listed, prompt)
    return listed


def _list_formula(choices: Iterable[str]) -> str | None:
    """A list rule's formula: the choices as one quoted text. None when a choice holds a quote, which
    would end the text early and make the rest a formula, or when the list is longer than Excel takes."""
    joined = ",".join(choices)
    if '"' in joined or len(joined) > LIST_LIMIT:
        return None
    return f'"{joined}"'


def _rule(
    sheet: Worksheet, kind: str, formula1: str, prompt: str, formula2: str | None = None
) -> DataValidation:
    """A validation that stops a wrong answer with the rule in the message; a blank is allowed."""
    rule = DataValidation(
        type=kind,
        operator="between" if formula2 else ("greaterThan" if kind == "date" else None),
        formula1=formula1,
        formula2=formula2,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorStyle="stop",
        errorTitle="Ongeldig antwoord",
        error=f"Dit antwoord past niet bij de vraag. {prompt}",
        promptTitle="Antwoord",
        prompt=prompt,
    )
    sheet.add_data_validation(rule)
    return rule


def _per_item(
    sheet: Worksheet, header: tuple[str, ...], items: list[list[Any]], questions: list[list[Any]]
) -> None:
    """One row per item, one column per question (its text in the header's comment): the answers of the
    checklist sheet, by formula, to see and filter an item's answers at a glance. Answers are typed in,
    and read back from, the checklist sheet alone, so this sheet is protected against typing."""
    columns: dict[tuple[str, str], tuple[str, str]] = {}
    places: dict[tuple[int, str, str], int] = {}
    for number, (review_id, _, _, control_id, _, question_id, question, kind, *_) in enumerate(
        questions, start=2
    ):
        columns.setdefault((control_id, question_id), (question, kind))
        places[(review_id, control_id, question_id)] = number
    append_table(
        sheet,
        (*header, *(f"{c} {q}" for c, q in columns)),
        [item[: len(header)] + [None] * len(columns) for item in items],
    )
    answer = get_column_letter(ANSWER_COLUMN)
    for column, (place, (question, kind)) in enumerate(columns.items(), start=len(header) + 1):
        sheet.cell(1, column).comment = Comment(question, "kic", width=300, height=90)
        for row, item in enumerate(items, start=2):
            if (source := places.get((item[0], *place))) is not None:
                ref = f"'{CHECKLIST}'!${answer}${source}"
                xlsx_formula(
                    sheet.cell(row, column), f'=IF({ref}="","",{ref})', ANSWER_FORMATS.get(kind, "General")
                )
    sheet.protection = SheetProtection(sheet=True, autoFilter=False, sort=False, formatColumns=False)


# --- import ----------------------------------------------------------------------------------------


def import_workbook(
    session: Session, path: Path, *, actor: str, catalogue: Catalogue | None = None
) -> ImportSummary:
    """Read a filled workbook back and record its verdicts; nothing is recorded if anything is wrong."""
    content = path.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    earlier = session.scalar(select(ReviewImport).where(ReviewImport.sha256 == digest))
    if earlier:
        raise WorkbookError(
            f"{path.name} is al ingelezen op {earlier.imported_at:%d-%m-%Y %H:%M} door "
            f"{earlier.imported_by}; hetzelfde bestand wordt niet twee keer verwerkt"
        )
    book = _open(path)
    sample_id, reviewer, versions = _meta(book)
    if session.get(Sample, sample_id) is None:
        raise WorkbookError(f"steekproef {sample_id} uit het werkboek bestaat niet in deze database")
    answers, places, problems = _answers(book[CHECKLIST], versions)
    catalogue = catalogue or load_catalogue()
    notes = _item_notes(book[ITEMS], versions, problems, catalogue)
    summary = ImportSummary(path.name, sample_id, reviewer)
    problems += _stale(session, versions, answers, sample_id)
    inputs = {rid: ReviewInput(answers[rid], *notes.get(rid, (None, None))) for rid in answers}
    problems += _judge_all(session, inputs, places, catalogue)
    if problems:
        raise WorkbookError(f"{path.name} is niet verwerkt: {len(problems)} probleem/problemen", problems)
    for review_id in versions:
        if review_id in inputs:
            save_review(
                session,
                review_id,
                inputs[review_id],
                actor=actor,
                expected_version=versions[review_id],
                submit=True,
                source="excel",
                catalogue=catalogue,
                on_behalf_of=reviewer,
            )
            summary.recorded.append(review_id)
        else:
            summary.untouched.append(review_id)
    session.add(
        ReviewImport(
            sha256=digest,
            file_name=path.name,
            sample_id=sample_id,
            reviewer=reviewer,
            reviews=len(summary.recorded),
            imported_at=datetime.now(UTC),
            imported_by=actor,
        )
    )
    record(
        session,
        actor=actor,
        action="beoordeling.werkboek_import",
        object_type="sample",
        object_id=sample_id,
        after={"bestand": path.name, "sha256": digest, "beoordelingen": summary.recorded},
    )
    return summary


def _open(path: Path) -> Workbook:
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # any unreadable file gets the same answer
        raise WorkbookError(
            f"{path.name} is geen leesbaar Excel-werkboek ({exc.__class__.__name__})"
        ) from None
    missing = [name for name in (ITEMS, CHECKLIST, META) if name not in book.sheetnames]
    if missing:
        raise WorkbookError(
            f"{path.name} is geen kic-beoordelingswerkboek: blad {', '.join(missing)} ontbreekt"
        )
    return book


def _meta(book: Workbook) -> tuple[int, str, dict[int, int]]:
    rows = list(book[META].iter_rows(values_only=True))
    if not rows or rows[0][0] != MARKER:
        raise WorkbookError("het verborgen blad 'kic' is gewijzigd; exporteer het werkboek opnieuw")
    versions = {int(r[0]): int(r[1]) for r in rows[1:] if r and r[0] is not None}
    return int(rows[0][1]), str(rows[0][2]), versions


def _answers(
    sheet: Worksheet, versions: dict[int, int]
) -> tuple[dict[int, dict[str, dict[str, Any]]], dict[tuple[int, str, str], int], list[WorkbookProblem]]:
    answers: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    places: dict[tuple[int, str, str], int] = {}
    problems = []
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not row or row[0] is None:
            continue
        review_id, control_id, question_id, value = row[0], row[3], row[5], row[ANSWER_COLUMN - 1]
        if not isinstance(review_id, int) or review_id not in versions:
            problems.append(
                WorkbookProblem(CHECKLIST, number, "A", "onbekende beoordeling; rij niet wijzigen")
            )
            continue
        places[(review_id, str(control_id), str(question_id))] = number
        if value is not None and str(value).strip() != "":
            answers[review_id].setdefault(str(control_id), {})[str(question_id)] = value
    return dict(answers), places, problems


def _item_notes(
    sheet: Worksheet, versions: dict[int, int], problems: list[WorkbookProblem], catalogue: Catalogue
) -> dict[int, tuple[str | None, str | None]]:
    header = [c.value for c in sheet[1]]
    cause_at, note_at = header.index("Oorzaak"), header.index("Toelichting")
    notes = {}
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if row and row[0] in versions:
            cause = (str(row[cause_at]).strip() or None) if row[cause_at] is not None else None
            if (reason := catalogue.unknown_cause(cause)) is not None:
                problems.append(WorkbookProblem(ITEMS, number, get_column_letter(cause_at + 1), reason))
            notes[int(row[0])] = (cause, (str(row[note_at]) if row[note_at] is not None else None))
    return notes


def _stale(
    session: Session, versions: dict[int, int], answers: dict[int, Any], sample_id: int
) -> list[WorkbookProblem]:
    problems = []
    for review_id in answers:
        review = session.get(Review, review_id)
        if review is None or review.sample_id != sample_id:
            problems.append(
                WorkbookProblem(ITEMS, None, None, f"beoordeling {review_id} hoort niet bij de steekproef")
            )
        elif review.version != versions[review_id] or review.status in (TER_REVIEW, AFGEROND):
            problems.append(
                WorkbookProblem(
                    ITEMS,
                    None,
                    None,
                    (
                        f"post {review.item_key} is na de export elders gewijzigd of beoordeeld "
                        f"(door {review.updated_by or 'onbekend'}); exporteer opnieuw"
                    ),
                )
            )
    return problems


def _judge_all(
    session: Session,
    inputs: dict[int, ReviewInput],
    places: dict[tuple[int, str, str], int],
    catalogue: Catalogue,
) -> list[WorkbookProblem]:
    problems = []
    column = get_column_letter(ANSWER_COLUMN)
    for review_id, data in inputs.items():
        review = session.get(Review, review_id)
        if review is None:
            continue
        try:
            verdicts = judge_item(session, review, data, catalogue)
            if missing_cause(verdicts, data):
                problems.append(
                    WorkbookProblem(ITEMS, None, None, f"post {review.item_key}: {CAUSE_REQUIRED}")
                )
        except ReviewAnswersInvalid as exc:
            for invalid in exc.problems:
                for problem in invalid.problems:
                    row = places.get((review_id, invalid.control_id, problem.question))
                    problems.append(
                        WorkbookProblem(
                            CHECKLIST,
                            row,
                            column,
                            f"{invalid.control_id} {problem.question}: {problem.reason}",
                        )
                    )
            problems += [
                WorkbookProblem(
                    CHECKLIST, None, "D", f"{u}: geen checklistcontrole voor betaling {review.item_key}"
                )
                for u in exc.unknown
            ]
    return problems


def _position(session: Session, review: Review) -> int:
    return int(
        session.execute(
            text("SELECT position FROM sample_item WHERE id = :i"), {"i": review.sample_item_id}
        ).scalar_one()
    )


def _cents(value: Any) -> Decimal:
    return cents_to_decimal(int(value))


def _present(value: Any) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


def fill_answers(
    path: Path, answers: dict[int, dict[str, dict[str, Any]]], notes: dict[int, tuple[str, str]] | None = None
) -> int:
    """Write answers (review id -> control id -> question id -> value) into a workbook's answer cells,
    and ``notes`` (review id -> cause code, explanation) into the items sheet.

    What a reviewer does by hand; the demo uses it for its simulated reviewer. Returns the number of
    cells written.
    """
    book = load_workbook(path)
    items = book[ITEMS]
    header = [c.value for c in items[1]]
    for row in items.iter_rows(min_row=2):
        if notes and row[0].value in notes:
            cause, note = notes[row[0].value]
            xlsx_cell(row[header.index("Oorzaak")], cause)
            xlsx_cell(row[header.index("Toelichting")], note)
    sheet = book[CHECKLIST]
    written = 0
    for row in sheet.iter_rows(min_row=2):
        review_id, control_id, question_id = row[0].value, row[3].value, row[5].value
        value = answers.get(review_id, {}).get(control_id, {}).get(question_id)
        if value is not None:  # typed into a text cell: an answer that starts with "=" stays text
            xlsx_cell(row[ANSWER_COLUMN - 1], value, row[ANSWER_COLUMN - 1].number_format)
            written += 1
    book.save(path)
    return written
