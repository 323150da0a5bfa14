"""Hostile and broken import files (issue 18, items 12 and 14): every refusal names a line (and a column where
one applies), never repeats a BSN or a row, and stores nothing; what one database would cut or refuse
(a NUL character, a text longer than its column) is refused by validation on both alike."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from sqlalchemy import String, select
from test_import import HEADER, count, payment_row, run_import, write_csv

from kic.cli import main
from kic.db import session_scope
from kic.population import ImportRejected, Mapping, PopulationError
from kic.population.models import ROW_MODELS, Payment, PopulationSnapshot
from kic.population.schema import COLUMNS
from kic.population.validate import max_lengths, validate

BSN = "111222333"  # the BSN of every row of payment_row


def lines_of(rows: list[dict[str, str]]) -> list[str]:
    return [";".join(HEADER)] + [";".join(row.get(h, "") for h in HEADER) for row in rows]


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def rejected(engine, path: Path, **kwargs) -> ImportRejected:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRejected) as caught:
        run_import(engine, path, **kwargs)
    assert count(engine, Payment) == 0 and count(engine, PopulationSnapshot) == 0
    assert_no_bsn(caught.value)
    return caught.value


def assert_no_bsn(exc: PopulationError) -> None:
    shown = " ".join([str(exc), *exc.details, *(str(i) for i in getattr(exc, "issues", []))])
    assert BSN not in shown and "B0000" not in shown, shown  # neither the BSN nor the raw row


# --- rows with too few or too many fields (item 14) -----------------------------------------------


def test_a_truncated_file_names_the_line_and_the_first_missing_column(db, tmp_path):
    data = write_csv(tmp_path / "x.csv", [payment_row(1), payment_row(2), payment_row(3)]).read_bytes()
    cut = data[: data.rindex(b"1.234,56") + 4]  # the export stopped in the middle of the last row
    (tmp_path / "afgebroken.csv").write_bytes(cut)
    exc = rejected(db, tmp_path / "afgebroken.csv")
    # twelve fields and the start of the thirteenth (normbedrag): the first missing column is inkomsten
    assert [(i.line, i.column) for i in exc.issues] == [(4, "inkomsten")]
    assert "13 velden in plaats van 22" in exc.issues[0].reason
    assert str(exc.issues[0]).startswith("regel 4, kolom inkomsten: ")


def test_rows_with_too_few_and_too_many_fields_are_all_reported_by_line(db, tmp_path):
    lines = lines_of([payment_row(n) for n in range(1, 6)])
    lines[2] = ";".join(lines[2].split(";")[:5])  # line 3: five fields
    lines[4] += ";extra;nog een"  # line 5: two too many
    exc = rejected(db, write_lines(tmp_path / "velden.csv", lines))
    assert [(i.line, i.column) for i in exc.issues] == [(3, "debet_credit"), (5, "")]
    assert "5 velden in plaats van 22" in exc.issues[0].reason
    assert "24 velden in plaats van 22: te veel velden" in exc.issues[1].reason
    assert str(exc.issues[1]).startswith("regel 5: ")
    assert "2 fout(en) in 2 van 5 regel(s)" in str(exc)


def test_a_quote_that_is_never_closed_is_named_by_its_line(db, tmp_path):
    lines = lines_of([payment_row(n) for n in range(1, 5)])
    lines[3] = lines[3].replace("MW01", '"MW01')
    exc = rejected(db, write_lines(tmp_path / "quote.csv", lines))
    assert [i.line for i in exc.issues] == [4]
    assert "aanhalingsteken" in exc.issues[0].reason


def test_line_numbers_count_physical_lines_around_a_quoted_line_break(db, tmp_path):
    lines = lines_of([payment_row(n) for n in range(1, 5)])
    lines[1] = lines[1].replace("Suite4SD", '"Suite\r\n4SD"')  # a legal line break inside quotes
    lines[3] = lines[3] + ";"
    exc = rejected(db, write_lines(tmp_path / "breuk.csv", lines))
    assert [i.line for i in exc.issues] == [5]


def test_a_library_message_that_quotes_a_row_is_never_passed_on(db, tmp_path, monkeypatch):
    import pyarrow.csv as pacsv

    def fails(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise pa.ArrowInvalid(f"CSV parse error: something odd: B00001;C0001;{BSN};PW-LO")

    monkeypatch.setattr(pacsv, "read_csv", fails)
    with pytest.raises(PopulationError) as caught:
        run_import(db, write_csv(tmp_path / "x.csv", [payment_row(1)]))
    assert_no_bsn(caught.value)
    assert "niet te lezen als CSV" in str(caught.value)


# --- encodings (item 14) ----------------------------------------------------------------------------


def test_utf8_followed_by_cp1252_is_refused_at_the_first_cp1252_line(db, tmp_path):
    lines = lines_of([payment_row(1, medewerker="José"), payment_row(2), payment_row(3, medewerker="Renée")])
    data = "\r\n".join(lines[:3]).encode("utf-8") + b"\r\n" + lines[3].encode("cp1252") + b"\r\n"
    (tmp_path / "gemengd.csv").write_bytes(data)
    exc = rejected(db, tmp_path / "gemengd.csv")
    assert [(i.line, i.column) for i in exc.issues] == [(4, "")]
    assert "geen geldige UTF-8" in exc.issues[0].reason and "mengt tekencoderingen" in exc.issues[0].reason


def test_cp1252_followed_by_utf8_is_refused_at_the_first_utf8_line(db, tmp_path):
    lines = lines_of([payment_row(1, medewerker="Renée"), payment_row(2), payment_row(3, medewerker="José")])
    data = "\r\n".join(lines[:3]).encode("cp1252") + b"\r\n" + lines[3].encode("utf-8") + b"\r\n"
    (tmp_path / "gemengd.csv").write_bytes(data)
    exc = rejected(db, tmp_path / "gemengd.csv")
    assert [i.line for i in exc.issues] == [4]
    assert "bevat UTF-8-tekens, regel 2 is Windows-1252" in exc.issues[0].reason


def test_a_utf8_bom_file_with_a_cp1252_line_is_refused(db, tmp_path):
    lines = lines_of([payment_row(1), payment_row(2, medewerker="Renée")])
    data = b"\xef\xbb\xbf" + "\r\n".join(lines[:2]).encode() + b"\r\n" + lines[2].encode("cp1252")
    (tmp_path / "bom.csv").write_bytes(data)
    assert [i.line for i in rejected(db, tmp_path / "bom.csv").issues] == [3]


def test_a_whole_cp1252_file_is_still_read(db, tmp_path):
    run_import(db, write_csv(tmp_path / "ansi.csv", [payment_row(1, medewerker="Renée")], encoding="cp1252"))
    with session_scope(db) as session:
        assert session.scalars(select(Payment.entered_by)).one() == "Renée"


def test_the_encoding_of_the_mapping_file_is_held_to_line_by_line(db, tmp_path):
    rows = [payment_row(1, normbedrag="1,00"), payment_row(2, normbedrag="1,00", medewerker="José")]
    exc = rejected(db, write_lines(tmp_path / "x.csv", lines_of(rows)), mapping=Mapping(encoding="ascii"))
    assert [i.line for i in exc.issues] == [3] and "geen geldige ascii" in exc.issues[0].reason


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_a_bom_is_read_correctly(db, tmp_path, encoding):
    rows = [payment_row(1, medewerker="José"), payment_row(2)]
    data = "\ufeff".encode(encoding)[-2:] if encoding == "utf-16-be" else b""
    (tmp_path / "u16.csv").write_bytes(data + ("\r\n".join(lines_of(rows)) + "\r\n").encode(encoding))
    result = run_import(db, tmp_path / "u16.csv")
    assert result.row_count == 2
    with session_scope(db) as session:
        assert session.scalars(select(Payment.entered_by).order_by(Payment.payment_id)).first() == "José"


def test_utf16_without_a_bom_gets_a_reason(db, tmp_path):
    write_lines(tmp_path / "u16.csv", lines_of([payment_row(1)]), encoding="utf-16-le")
    with pytest.raises(PopulationError, match="lijkt UTF-16 zonder BOM"):
        run_import(db, tmp_path / "u16.csv")


# --- files that are no CSV at all (item 14) ---------------------------------------------------------


def zipped(data: bytes, name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_named_csv_is_refused_as_zip(db, tmp_path):
    (tmp_path / "export.csv").write_bytes(
        zipped(write_csv(tmp_path / "in.csv", [payment_row(1)]).read_bytes(), "a.csv")
    )
    with pytest.raises(PopulationError, match=r"geen CSV-bestand \(lijkt een ZIP-bestand\)") as caught:
        run_import(db, tmp_path / "export.csv")
    assert not isinstance(caught.value, ImportRejected) and count(db, PopulationSnapshot) == 0


def test_an_xlsx_named_csv_is_refused_with_the_right_extension(db, tmp_path):
    pd.DataFrame([payment_row(1)]).to_excel(tmp_path / "werkmap.xlsx", index=False)
    (tmp_path / "werkmap.csv").write_bytes((tmp_path / "werkmap.xlsx").read_bytes())
    with pytest.raises(PopulationError, match=r"lijkt een ZIP-bestand; het is een Excel-werkmap.*\.xlsx"):
        run_import(db, tmp_path / "werkmap.csv")


def test_parquet_and_binary_files_named_csv_are_refused(db, tmp_path):
    pq.write_table(pa.table({"bsn": [BSN]}), tmp_path / "p.csv")
    with pytest.raises(PopulationError, match="lijkt een Parquet-bestand"):
        run_import(db, tmp_path / "p.csv")
    (tmp_path / "b.csv").write_bytes(bytes(range(256)) * 40)
    with pytest.raises(PopulationError, match=r"geen CSV-bestand \(lijkt een binair bestand\)"):
        run_import(db, tmp_path / "b.csv")


# --- NUL characters and over-long texts (item 12) ----------------------------------------------------


@pytest.mark.parametrize("column", ["medewerker", "betaling_id", "bsn", "bedrag", "bronsysteem"])
def test_a_nul_character_in_any_field_is_refused_before_anything_is_stored(db, tmp_path, column):
    row = payment_row(2)
    row[column] = row[column][:3] + "\x00" + row[column][3:]
    exc = rejected(db, write_csv(tmp_path / "nul.csv", [payment_row(1), row]))
    nul = [i for i in exc.issues if "NUL-teken" in i.reason]
    assert [(i.line, i.column) for i in nul] == [(3, column)]
    assert all("\x00" not in str(i) for i in exc.issues)


def test_a_nul_character_in_a_parquet_file_is_refused_too(db, tmp_path):
    rows = [payment_row(1, medewerker="MW\x0001")]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "export.parquet")
    exc = rejected(db, tmp_path / "export.parquet")
    assert [(i.line, i.column, i.reason) for i in exc.issues] == [
        (2, "medewerker", "bevat een NUL-teken (kan niet worden opgeslagen)")
    ]


def test_a_text_longer_than_its_column_is_refused_on_both_databases(db, tmp_path):
    exc = rejected(db, write_csv(tmp_path / "lang.csv", [payment_row(1, medewerker="x" * 100_000)]))
    assert [(i.line, i.column) for i in exc.issues] == [(2, "medewerker")]
    assert exc.issues[0].reason.startswith("langer dan 64 tekens (100000 tekens")


def test_a_text_as_long_as_its_column_is_stored_whole(db, tmp_path):
    run_import(db, write_csv(tmp_path / "vol.csv", [payment_row(1, medewerker="é" * 64)]))
    with session_scope(db) as session:
        assert session.scalars(select(Payment.entered_by)).one() == "é" * 64


def test_the_limits_are_the_lengths_of_the_table_columns():
    for kind, model in ROW_MODELS.items():
        table = model.__table__
        expected = {
            c.name: c.type.length for c in table.columns if isinstance(c.type, String) and c.type.length
        }
        assert max_lengths(kind) == expected
        assert set(expected) <= {c.attr for c in COLUMNS[kind]}  # every text column of the table is checked


@pytest.mark.parametrize(
    ("kind", "column"),
    [(kind, column) for kind in COLUMNS for column in COLUMNS[kind] if column.attr in max_lengths(kind)],
    ids=lambda v: v if isinstance(v, str) else v.header,
)
def test_every_text_column_refuses_one_character_more_than_its_table_holds(kind, column):
    limit = max_lengths(kind)[column.attr]
    frame = pd.DataFrame({column.header: ["7" * limit, "7" * (limit + 1)]}, dtype="string")
    issues = [
        i for i in validate(kind, frame).issues if i.column == column.header and "langer dan" in i.reason
    ]
    assert [(i.line, i.reason.split(" (")[0]) for i in issues] == [(3, f"langer dan {limit} tekens")]


def test_the_cli_refuses_a_nul_without_storing_or_a_traceback(db, db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_csv(tmp_path / "nul.csv", [payment_row(1, medewerker="MW\x0001")])
    result = CliRunner().invoke(
        main, ["import", "betalingen", str(path), "--database", db_url, "--gebruiker", "tester"]
    )
    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit)
    assert "regel 2, kolom medewerker: bevat een NUL-teken" in result.output
    assert "Regels opgeslagen" not in result.output and "Traceback" not in result.output
    assert count(db, Payment) == 0


def test_a_bsn_in_another_column_is_not_repeated_in_the_message(db, tmp_path):
    rows = [payment_row(1, regeling=BSN, betaaldatum=BSN, leefvorm="12345678")]
    exc = rejected(db, write_csv(tmp_path / "verschoven.csv", rows))
    assert {i.column for i in exc.issues} == {"regeling", "betaaldatum", "leefvorm"}
    assert "onbekende leefvorm '12345678'" in " ".join(i.reason for i in exc.issues)  # no BSN: shown
