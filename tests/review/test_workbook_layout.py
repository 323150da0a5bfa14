"""The review workbook as a reviewer sees it in Excel: tables with a frozen, filtered Dutch header,
amounts in euros, answer cells that refuse what does not fit, and every item's answers on one row."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from kic.controls.loader import load_catalogue
from kic.csvexport import EURO
from kic.db import session_scope
from kic.review.models import Review
from kic.review.service import ReviewInput, create_reviews, item_controls, item_frame, save_review
from kic.review.workbook import (
    ANSWER_COLUMN,
    CHECKLIST,
    ITEMS,
    META,
    PER_ITEM,
    export_workbooks,
    fill_answers,
    import_workbook,
)
from kic.synth.reviewer import simulated_answers

CATALOGUE = load_catalogue()
ANSWER = get_column_letter(ANSWER_COLUMN)


@pytest.fixture
def workbook(population, sample_id, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali"], actor="teamleider")
        [path] = export_workbooks(session, sample_id, tmp_path, actor="teamleider")
    return path


def _header(sheet) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in sheet[1]]


def test_every_sheet_is_a_table_with_a_frozen_filtered_dutch_header_wide_enough_to_read(workbook):
    book = load_workbook(workbook)
    assert book.sheetnames == [ITEMS, CHECKLIST, PER_ITEM, META]
    assert _header(book[ITEMS])[:4] == ["Beoordeling", "Post", "Betaling", "Regeling"]
    assert _header(book[CHECKLIST]) == [
        "Beoordeling",
        "Post",
        "Betaling",
        "Controle",
        "Versie",
        "Vraag-id",
        "Vraag",
        "Soort",
        "Opties",
        "Antwoord",
    ]
    for name in (ITEMS, CHECKLIST, PER_ITEM):
        sheet = book[name]
        header = _header(sheet)
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}{sheet.max_row}", name
        for column, title in enumerate(header, start=1):
            assert sheet.column_dimensions[get_column_letter(column)].width > len(title), (name, title)


def test_amounts_of_an_item_are_numbers_in_euros_and_its_dates_are_dates(workbook):
    items = load_workbook(workbook)[ITEMS]
    header = _header(items)
    amounts = [row[header.index("Bedrag")] for row in items.iter_rows(min_row=2)]
    assert amounts and all(isinstance(c.value, int | float) and c.number_format == EURO for c in amounts)
    periods = [row[header.index("Periode van")] for row in items.iter_rows(min_row=2)]
    assert all(c.is_date and c.number_format == "dd-mm-yyyy" for c in periods)


def test_every_answer_cell_stops_an_answer_that_does_not_fit_its_question(workbook):
    book = load_workbook(workbook)
    checks = book[CHECKLIST]
    rules = checks.data_validations.dataValidation
    assert rules and all(r.errorStyle == "stop" and r.showErrorMessage and r.error for r in rules)
    kinds = set()
    for row in range(2, checks.max_row + 1):
        kind, cell = checks.cell(row, 8).value, checks[f"{ANSWER}{row}"]
        covering = [r for r in rules if cell.coordinate in r.sqref]
        kinds.add(kind)
        if kind == "tekst":
            assert not covering and cell.number_format == "@", "free text, kept as typed"
        elif kind == "janee":
            assert [(r.type, r.formula1) for r in covering] == [("list", '"ja,nee,nvt"')]
        elif kind == "bedrag":
            assert [(r.type, r.operator) for r in covering] == [("decimal", "between")]
            assert cell.number_format == EURO
    assert {"janee", "bedrag", "tekst"} <= kinds
    items = book[ITEMS]
    cause = get_column_letter(_header(items).index("Oorzaak") + 1)
    [rule] = items.data_validations.dataValidation
    assert rule.type == "list" and rule.errorStyle == "stop" and rule.showErrorMessage
    assert (
        "systeem" in rule.formula1 and f"{cause}2" in rule.sqref and f"{cause}{items.max_row}" in rule.sqref
    )


def test_the_per_item_sheet_shows_each_items_answers_on_one_row_by_formula(workbook):
    book = load_workbook(workbook)
    checks, wide = book[CHECKLIST], book[PER_ITEM]
    reviews = [row[0] for row in book[ITEMS].iter_rows(min_row=2, values_only=True)]
    assert [row[0] for row in wide.iter_rows(min_row=2, values_only=True)] == reviews
    header = _header(wide)
    shown = 0
    for row in wide.iter_rows(min_row=2):
        for cell in row[3:]:
            if cell.value is None:
                continue
            source = int(re.fullmatch(rf"=IF\('Checklist'!\${ANSWER}\$(\d+)=.*", cell.value)[1])
            review_id, _, _, control, _, question, text, *_ = (c.value for c in checks[source])
            assert review_id == row[0].value and header[cell.column - 1] == f"{control} {question}"
            assert wide.cell(1, cell.column).comment.text == text
            shown += 1
    assert shown == checks.max_row - 1, "every answer of the checklist, once"
    assert wide.protection.sheet and not wide.protection.autoFilter, "read only, but it filters"


def test_an_explanation_that_starts_like_a_formula_is_text_and_reads_back_unchanged(
    population, sample_id, tmp_path
):
    note = "- BRP-bevraging ontbreekt; =geen formule"
    with session_scope(population) as session:
        [review, *_] = create_reviews(session, sample_id, ["ali"], actor="teamleider")
        save_review(
            session,
            review.id,
            ReviewInput({}, "systeem", note),
            actor="ali",
            expected_version=review.version,
            submit=False,
            source="web",
        )
        answers = {
            review.id: simulated_answers(
                item_controls(CATALOGUE, item_frame(session, review)), Decimal(0), Decimal(0)
            )
        }
        [path] = export_workbooks(session, sample_id, tmp_path, actor="teamleider")
        review_id = review.id
    items = load_workbook(path)[ITEMS]
    [cell] = [row[-1] for row in items.iter_rows(min_row=2) if row[0].value == review_id]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (note, "s", True)
    fill_answers(path, answers)
    with session_scope(population) as session:
        summary = import_workbook(session, path, actor="teamleider", catalogue=CATALOGUE)
        stored = session.get(Review, review_id)
        assert summary.recorded == [review_id] and (stored.cause_code, stored.explanation) == (
            "systeem",
            note,
        )
