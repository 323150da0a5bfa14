"""CSV and XLSX tables for Dutch Excel, guarded against formula injection, amounts as numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from web_helpers import login

from kic.csvexport import (
    EURO,
    PERCENT,
    append_table,
    csv_cell,
    dutch_csv,
    guard_cell,
    write_csv,
    write_rows,
    xlsx_formula,
    xlsx_text,
)
from kic.review.queries import EXPORT_HEADER


def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote():
    assert [guard_cell(v) for v in ("=1+1", "+31", "-5", "@SUM", "\tx", "\rx", "gewoon", None, 12)] == [
        "'=1+1",
        "'+31",
        "'-5",
        "'@SUM",
        "'\tx",
        "'\rx",
        "gewoon",
        "",
        "12",
    ]
    assert dutch_csv(["a", "b"], [["1;2", "=x"]]) == '\ufeffa;b\r\n"1;2";\'=x\r\n'


def test_negative_numbers_in_csv_stay_numbers_that_excel_sums_but_negative_text_is_guarded():
    assert [csv_cell(v) for v in (Decimal("-12.50"), -5, -0.25, Decimal("0.00"), True, "-12,50")] == [
        "-12,50",
        "-5",
        "-0,25",
        "0,00",
        "True",
        "'-12,50",
    ]
    text = dutch_csv(["post", "fout"], [[1, Decimal("-12.50")], [2, -3]])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1:] == [["1", "-12,50"], ["2", "-3"]]


def _table(header, rows, **options):  # type: ignore[no-untyped-def]
    book = Workbook()
    append_table(book.active, header, rows, **options)
    buffer = io.BytesIO()
    book.save(buffer)
    return load_workbook(buffer).active


def test_a_sheet_has_a_frozen_header_an_autofilter_and_columns_as_wide_as_their_header():
    header = ("regeling", "te_weinig_later_bijbetaald", "toelichting")
    sheet = _table(header, [["PW-LO", 3, "kort"], ["IOAW", 0, "x" * 500]])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C3"
    assert [c.value for c in sheet[1]] == list(header) and all(c.font.b for c in sheet[1])
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert all(width > len(name) for width, name in zip(widths, header, strict=True))
    assert widths[2] <= 70, "a long text does not make a column wider than a screen"


def test_amounts_are_numbers_in_euros_negative_too_and_text_that_looks_like_a_formula_stays_text():
    sheet = _table(
        ("bedrag", "datum", "aandeel", "bewijs"),
        [
            [Decimal("1234.56"), date(2026, 3, 1), 0.25, '=HYPERLINK("x")'],
            [Decimal("-12.50"), None, 0.5, "- BRP ontbreekt"],
        ],
        formats={"aandeel": PERCENT},
    )
    amounts = [sheet["A2"], sheet["A3"]]
    assert [c.value for c in amounts] == [1234.56, -12.5] and {c.data_type for c in amounts} == {"n"}
    assert {c.number_format for c in amounts} == {EURO} and "€" in EURO
    assert sheet["B2"].is_date and sheet["B2"].number_format == "dd-mm-yyyy"
    assert sheet["C2"].number_format == PERCENT == "0.0%"
    guarded = [sheet["D2"], sheet["D3"]]
    assert [c.value for c in guarded] == ['=HYPERLINK("x")', "- BRP ontbreekt"], "read back unchanged"
    assert all(c.data_type == "s" and c.quotePrefix for c in guarded), "text, also after an edit in Excel"


def test_the_review_export_for_the_accountant_is_a_table_with_amounts_in_euros(client, site, reviews):
    login(client, "accountant")
    sheet = load_workbook(io.BytesIO(client.get("/beoordelingen/export.xlsx").data))["Beoordelingen"]
    assert [c.value for c in sheet[1]] == list(EXPORT_HEADER)
    last = get_column_letter(len(EXPORT_HEADER))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    amounts = [
        row[EXPORT_HEADER.index(h)]
        for row in sheet.iter_rows(min_row=2)
        for h in ("boekwaarde", "foutbedrag")
    ]
    assert amounts and all(c.data_type == "n" and c.number_format == EURO for c in amounts)


def test_control_characters_that_xml_refuses_do_not_break_a_workbook_and_line_ends_read_back_the_same():
    """A vertical tab (Word's manual line break) or an escape in a toelichting made openpyxl refuse the
    whole export, a lone surrogate or U+FFFF made a file that no reader opens; a carriage return came
    back from the XML as a line feed."""
    sheet = _table(
        ("toelichting",),
        [
            ["regel 1\x0bregel 2"],
            ["pijl \x1b[31m"],
            ["regel 1\r\nregel 2\rregel 3"],
            ["\r=1+1"],
            ["\t=1+1"],
            ["half \ud800 paar, geen teken \uffff"],
        ],
    )
    assert [c.value for c in sheet["A"][1:]] == [
        "regel 1\nregel 2",
        "pijl \ufffd[31m",
        "regel 1\nregel 2\nregel 3",
        "\n=1+1",
        "\t=1+1",
        "half \ufffd paar, geen teken \ufffd",
    ]
    assert [c.value for c in sheet["A"][1:]] == [
        xlsx_text(v)
        for v in (
            "regel 1\x0bregel 2",
            "pijl \x1b[31m",
            "regel 1\r\nregel 2\rregel 3",
            "\r=1+1",
            "\t=1+1",
            "half \ud800 paar, geen teken \uffff",
        )
    ], "xlsx_text says what the file gives back"
    assert sheet["A6"].quotePrefix and not sheet["A5"].quotePrefix


def test_plain_rows_are_guarded_too_and_a_formula_is_only_written_on_purpose(tmp_path):
    book = Workbook()
    write_rows(book.active, [['=HYPERLINK("x")', 3, None], ["@SUM(A1)"]], first_row=2)
    xlsx_formula(book.active["D1"], "=SUM(B2:B3)", EURO)
    with pytest.raises(ValueError, match="geen formule"):
        xlsx_formula(book.active["D2"], "SUM(B2:B3)")
    book.save(tmp_path / "x.xlsx")
    sheet = load_workbook(tmp_path / "x.xlsx").active
    assert [(c.value, c.data_type, c.quotePrefix) for c in (sheet["A2"], sheet["A3"])] == [
        ('=HYPERLINK("x")', "s", True),
        ("@SUM(A1)", "s", True),
    ]
    assert (sheet["B2"].value, sheet["D1"].data_type, sheet["D1"].number_format) == (3, "f", EURO)


def test_a_csv_file_is_written_guarded_with_bom_and_windows_line_ends(tmp_path):
    path = write_csv(
        tmp_path / "lijst.csv", ("nr", "actie"), [(1, "=1+1"), (2, "-12,50"), (3, Decimal("-1.5"))]
    )
    assert path.read_bytes().decode("utf-8") == "\ufeffnr;actie\r\n1;'=1+1\r\n2;'-12,50\r\n3;-1,5\r\n"
