import csv
import io
import time
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from openpyxl import load_workbook
from reviewed import reviewed_sample

from kic.cli import main
from kic.db import session_scope
from kic.findings.agenda import NewAction, add_action
from kic.formatting import euro
from kic.reports.publish import build_files, publish, versions
from kic.reports.render import items_csv, pdf_unavailable, render_html
from kic.reports.views import sisa_view


@pytest.fixture
def year(population):  # type: ignore[no-untyped-def]
    reviewed_sample(population, "2026-Q1", {0: Decimal("40.00")}, n=10, cause="mens")
    reviewed_sample(population, "2026-Q2", {1: Decimal("30.00"), 2: Decimal("300.00")}, n=10, cause="systeem")
    return population


def _soup(files):  # type: ignore[no-untyped-def]
    return BeautifulSoup(files["html"].decode("utf-8"), "html.parser")


def test_kwartaal_summary_per_regeling_top_failures_and_trend(year):
    with session_scope(year) as session:
        files = build_files(session, "kwartaal", "2026-Q2", pdf=False)
    soup = _soup(files)
    assert soup.h1.get_text() == "Kwartaalrapportage 2026-Q2"
    row = [td.get_text(" ", strip=True) for td in soup.select("#overzicht tbody tr")[0].find_all("td")]
    assert row[0] == "PW-LO" and row[3] == "10" and row[4] == "100%"
    assert "€" in row[5] and "%" in row[5]
    causes = [tr.find("td").get_text() for tr in soup.select("#toporzaken tbody tr")]
    assert causes == ["systeem"]  # only the quarter's own bevindingen
    assert soup.select_one("#toporzaken tbody tr td:last-child").get_text() == euro(Decimal("330.00"))
    chart = soup.select_one("#trend svg")
    assert chart is not None and "2026-Q1" in chart.get_text() and "2026-Q2" in chart.get_text()
    assert soup.select_one("#jaarprognose") is not None


REPORTS = (("kwartaal", "2026-Q2"), ("sisa", "2026"), ("agenda", "2026-06-01"))


@pytest.mark.skipif(pdf_unavailable() is not None, reason=pdf_unavailable() or "")
def test_rendering_twice_gives_the_same_bytes_in_every_format(year):
    with session_scope(year) as session:
        add_action(session, NewAction("Werkinstructie", "Team A", date(2026, 9, 1)), actor="kim")
        first = {(kind, fmt): content for kind, period in REPORTS
                 for fmt, content in build_files(session, kind, period).items()}
        time.sleep(2.1)  # a clock that moved on: zip entries are dated to two seconds, PDF and XLSX dates to one
        second = {(kind, fmt): content for kind, period in REPORTS
                  for fmt, content in build_files(session, kind, period).items()}
    assert sorted(first) == sorted(second) == sorted(
        [("agenda", "html"), ("agenda", "pdf"), ("kwartaal", "html"), ("kwartaal", "pdf"),
         ("sisa", "csv"), ("sisa", "html"), ("sisa", "pdf"), ("sisa", "xlsx")])
    assert [key for key in first if first[key] != second[key]] == []
    book = zipfile.ZipFile(io.BytesIO(first["sisa", "xlsx"]))
    assert {info.date_time for info in book.infolist()} == {(2026, 12, 31, 0, 0, 0)}
    assert b"2026-12-31T00:00:00Z</dcterms:modified>" in book.read("docProps/core.xml")
    chart = _soup({"html": first["kwartaal", "html"]}).select_one("#trend svg")
    assert chart is not None and "<dc:date>" not in str(chart)


def test_sisa_dossier_lists_every_item_with_its_verdict_and_an_xlsx_with_the_same(year):
    with session_scope(year) as session:
        files = build_files(session, "sisa", "2026", pdf=False)
        paper = BeautifulSoup(render_html("sisa", sisa_view(session, 2026), pdf=True), "html.parser")
    soup = _soup(files)
    items = soup.select("#posten-tabel tbody tr")
    assert len(items) == 20
    assert sum(1 for tr in items if tr.find_all("td")[4].get_text() == "fout") == 3
    table = soup.select("#fouten-onzekerheden tbody tr")
    assert [tr.find("td").get_text() for tr in table] == ["PW-LO"]
    assert table[0].find_all("td")[1].get_text() == "G2"
    assert table[0].find_all("td")[3].get_text() == euro(Decimal("370.00"))
    assert all(len(td.get_text()) == 64 for td in soup.select("#opzet-tabel tbody td:last-child"))
    assert soup.select_one("#posten-lijst") is None
    assert paper.select_one("#posten-tabel") is None  # on paper a listing of the same items instead of the table
    listing = paper.select_one("#posten-lijst").get_text().splitlines()
    assert listing[0].split() == ["stp", "post", "betaling", "boekwaarde", "oordeel", "fout", "onzeker", "formeel",
                                  "bewijs"]
    assert len(listing) == 21 and sum(line.split()[4] == "fout" for line in listing[1:]) == 3
    assert any(" 300,00 " in line for line in listing)
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames == ["Fouten en onzekerheden", "Posten", "Steekproeven"]
    assert book["Posten"].max_row == 21
    assert book["Fouten en onzekerheden"]["D2"].value == 370


def test_csv_cells_that_start_a_formula_are_guarded():
    row = {"sample_id": 1, "regeling": "PW-LO", "position": 0, "payment_id": "=HYPERLINK(\"http://x\")",
           "book_value": Decimal("12.50"), "key_item": False, "status": "afgerond", "verdict": "fout",
           "error": Decimal("-3.00"), "uncertain": Decimal("0.00"), "formal": 0, "evidence": "+31 bellen"}
    header, cells = list(csv.reader(io.StringIO(items_csv([row]).lstrip("\ufeff")), delimiter=";"))
    assert header[:2] == ["steekproef", "regeling"]
    assert cells[3] == "'=HYPERLINK(\"http://x\")"
    assert cells[8] == "'-3,00" and cells[-1] == "'+31 bellen" and cells[4] == "12,50"


def test_agenda_report_puts_overdue_actions_first(year):
    with session_scope(year) as session:
        later = add_action(session, NewAction("Later", "Team A", date(2026, 12, 1)), actor="kim")
        late = add_action(session, NewAction("Te laat", "Team B", date(2026, 3, 1)), actor="kim")
        files = build_files(session, "agenda", "2026-06-01", pdf=False)
    rows = _soup(files).select("#acties tbody tr")
    assert [tr.find("td").get_text() for tr in rows] == [str(late.id), str(later.id)]
    assert "te-laat" in rows[0]["class"] and not rows[1].get("class")


def test_publishing_again_makes_a_new_version_and_never_overwrites(year, tmp_path):
    with session_scope(year) as session:
        files = build_files(session, "kwartaal", "2026-Q2", pdf=False)
        first = publish(session, "kwartaal", "2026-Q2", files, actor="kim", out_dir=tmp_path / "uit")
        second = publish(session, "kwartaal", "2026-Q2", files, actor="kim", out_dir=tmp_path / "uit")
        stored = versions(session, "kwartaal")
    assert (first.version_no, second.version_no) == (1, 2)
    assert [v.version_no for v in stored] == [1, 2]
    assert stored[0].sha256 == stored[1].sha256 and stored[0].path != stored[1].path
    assert sorted(p.name for p in (tmp_path / "uit").iterdir()) == ["kwartaal-2026-Q2-v1.html", "kwartaal-2026-Q2-v2.html"]


@pytest.mark.skipif(pdf_unavailable() is not None, reason=pdf_unavailable() or "")
def test_pdf_is_a_paged_document(year):
    with session_scope(year) as session:
        files = build_files(session, "kwartaal", "2026-Q2")
    assert files["pdf"].startswith(b"%PDF-") and files["pdf"].rstrip().endswith(b"%%EOF")
    import weasyprint

    pages = weasyprint.HTML(string=files["html"].decode("utf-8")).render().pages
    assert len(pages) >= 2  # the one-page summary, then the details


def _texts(box):  # type: ignore[no-untyped-def]
    if getattr(box, "text", None):
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


@pytest.mark.skipif(pdf_unavailable() is not None, reason=pdf_unavailable() or "")
def test_sisa_pdf_lists_the_items_as_text_instead_of_the_long_table(year):
    with session_scope(year) as session:
        published = build_files(session, "sisa", "2026")["pdf"]
        html = render_html("sisa", sisa_view(session, 2026), pdf=True)
    import weasyprint

    assert weasyprint.HTML(string=html).write_pdf() == published  # the PDF is this variant of the HTML

    texts = [t for page in weasyprint.HTML(string=html).render().pages for t in _texts(page._page_box)]
    assert any(t.startswith("stp post betaling") for t in texts)
    assert sum("beoordeling" in t for t in texts) >= 20  # every item's line names its review
    assert "Boekwaarde" not in texts  # the table's header: the table itself is for the screen


def test_cli_report_kwartaal_writes_files_and_prints_hashes(year, tmp_path):
    url = year.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(main, ["report", "kwartaal", "2026-q2", "--uit", str(tmp_path), "--geen-pdf",
                                       "--database", url], env={"KIC_USER": "kim"})
    assert result.exit_code == 0, result.output
    assert "versie 1" in result.output and (tmp_path / "kwartaal-2026-Q2-v1.html").exists()
    refused = CliRunner().invoke(main, ["report", "kwartaal", "2026", "--geen-pdf", "--database", url])
    assert refused.exit_code == 1 and "geen kwartaal" in refused.output
