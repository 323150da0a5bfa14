import base64
import csv
import io
import sys
import time
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from openpyxl import load_workbook
from reviewed import reviewed_decisions, reviewed_sample
from sqlalchemy import select

from kic.cli import main
from kic.db import session_scope
from kic.findings.agenda import NewAction, add_action
from kic.formatting import euro
from kic.reports.publish import build_files, publish, versions
from kic.reports.render import items_csv, pdf_unavailable, render_html
from kic.reports.views import sisa_view
from kic.samples.models import SampleItem


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
    assert row[0] == "PW-LO" and row[3] == "10 (100%)"
    assert all(
        "€" in cell and "%" in cell for cell in row[4:8]
    )  # MWF and bovengrens of fouten and onzekerheden
    causes = [tr.find("td").contents[0].strip() for tr in soup.select("#toporzaken tbody tr")]
    assert causes == ["systeem"]  # only the quarter's own bevindingen
    assert "koppeling" in soup.select_one("#toporzaken tbody tr td .klein").get_text()  # the configured label
    assert soup.select_one("#toporzaken tbody tr td:last-child").get_text() == euro(Decimal("330.00"))
    chart = soup.select_one("#trend svg")
    assert chart is not None and "2026-Q1" in chart.get_text() and "2026-Q2" in chart.get_text()
    periods = [tr.find("td").get_text() for tr in soup.select("#trend-tabel tbody tr")]
    assert periods == ["2026-Q1", "2026-Q2", "2026 t/m 2026-Q2 (voorlopig)"]


REPORTS = (("kwartaal", "2026-Q2"), ("sisa", "2026"), ("agenda", "2026-06-01"))


@pytest.mark.skipif(pdf_unavailable() is not None, reason=pdf_unavailable() or "")
def test_rendering_twice_gives_the_same_bytes_in_every_format(year):
    with session_scope(year) as session:
        add_action(session, NewAction("Werkinstructie", "Team A", date(2026, 9, 1)), actor="kim")
        first = {
            (kind, fmt): content
            for kind, period in REPORTS
            for fmt, content in build_files(session, kind, period).items()
        }
        time.sleep(
            2.1
        )  # a clock that moved on: zip entries are dated to two seconds, PDF and XLSX dates to one
        second = {
            (kind, fmt): content
            for kind, period in REPORTS
            for fmt, content in build_files(session, kind, period).items()
        }
    assert (
        sorted(first)
        == sorted(second)
        == sorted(
            [
                ("agenda", "html"),
                ("agenda", "pdf"),
                ("kwartaal", "html"),
                ("kwartaal", "pdf"),
                ("sisa", "csv"),
                ("sisa", "html"),
                ("sisa", "pdf"),
                ("sisa", "xlsx"),
            ]
        )
    )
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
    regelingen = soup.select("#fouten-onzekerheden tbody")
    assert [body.find("td").contents[0].strip() for body in regelingen] == ["PW-LO"]
    rows = regelingen[0].find_all("tr")  # fouten, onzekerheden, samen
    assert rows[0].find("td").find(class_="klein").get_text() == "(SiSa G2)"
    assert [c.get_text() for c in rows[0].find_all("td")[2:4]] == ["fouten", euro(Decimal("370.00"))]
    assert [c.get_text() for c in rows[2].find_all("th")[:2]] == ["samen", euro(Decimal("370.00"))]
    assert all(len(td.get_text()) == 64 for td in soup.select("#opzet-tabel tbody td:last-child"))
    assert soup.select_one("#posten-lijst") is None
    assert (
        paper.select_one("#posten-tabel") is None
    )  # on paper a listing of the same items instead of the table
    listing = paper.select_one("#posten-lijst").get_text().splitlines()
    assert listing[0].split() == [
        "stp",
        "post",
        "betaling/beschikking",
        "boekwaarde",
        "oordeel",
        "fout",
        "onzeker",
        "formeel",
        "bewijs",
    ]
    assert len(listing) == 21 and sum(line.split()[4] == "fout" for line in listing[1:]) == 3
    assert any(" 300,00 " in line for line in listing)
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames == [
        "Fouten en onzekerheden",
        "Aansluiting",
        "SiSa-indeling",
        "Posten",
        "Steekproeven",
        "Beschikkingen",
        "Correcties",
    ]
    assert book["Posten"].max_row == 21
    assert book["Fouten en onzekerheden"]["D2"].value == 370


def test_item_numbers_in_the_dossier_are_the_manifests_positions(year):
    """Positie 1 of the manifest (and of the web pages) is post 1 in the HTML, the PDF listing and
    the XLSX; once the dossier said 2."""
    with session_scope(year) as session:
        stored = {
            (s, str(k)): p
            for s, k, p in session.execute(
                select(SampleItem.sample_id, SampleItem.item_key, SampleItem.position)
            )
        }
        files = build_files(session, "sisa", "2026", pdf=False)
        paper = BeautifulSoup(render_html("sisa", sisa_view(session, 2026), pdf=True), "html.parser")
    assert min(stored.values()) == 1
    html = {
        (int(tds[0].get_text()), tds[2].get_text()): int(tds[1].get_text().split()[0])
        for tds in (tr.find_all("td") for tr in _soup(files).select("#posten-tabel tbody tr"))
    }
    assert html == stored
    listing = {
        (int(line.split()[0]), line.split()[2]): int(line.split()[1].rstrip("*"))
        for line in paper.select_one("#posten-lijst").get_text().splitlines()[1:]
    }
    assert listing == stored
    sheet = load_workbook(io.BytesIO(files["xlsx"]))["Posten"]  # steekproef, regeling, post, eenheid, id
    xlsx = {(int(r[0]), str(r[4])): int(r[2]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert xlsx == stored


def test_csv_cells_that_start_a_formula_are_guarded():
    row = {
        "sample_id": 1,
        "regeling": "PW-LO",
        "position": 0,
        "unit": "betaling",
        "item_key": '=HYPERLINK("http://x")',
        "book_value": Decimal("12.50"),
        "key_item": False,
        "status": "afgerond",
        "verdict": "fout",
        "error": Decimal("-3.00"),
        "uncertain": Decimal("0.00"),
        "formal": 0,
        "evidence": "+31 bellen",
    }
    header, cells = list(csv.reader(io.StringIO(items_csv([row]).lstrip("\ufeff")), delimiter=";"))
    assert header[:2] == ["steekproef", "regeling"]
    assert cells[4] == '\'=HYPERLINK("http://x")'
    assert cells[-1] == "'+31 bellen" and cells[5] == "12,50"
    assert cells[9] == "-3,00", "an amount is written as a number, which no spreadsheet runs as a formula"


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
    assert sorted(p.name for p in (tmp_path / "uit").iterdir()) == [
        "kwartaal-2026-Q2-v1.html",
        "kwartaal-2026-Q2-v2.html",
    ]


@pytest.mark.skipif(pdf_unavailable() is not None, reason=pdf_unavailable() or "")
def test_pdf_is_a_paged_document(year):
    with session_scope(year) as session:
        files = build_files(session, "kwartaal", "2026-Q2")
    assert files["pdf"].startswith(b"%PDF-") and files["pdf"].rstrip().endswith(b"%%EOF")
    import weasyprint

    pages = weasyprint.HTML(string=files["html"].decode("utf-8")).render().pages
    assert len(pages) >= 2  # the one-page summary, then the details
    first, second = (" ".join(_texts(page._page_box)) for page in pages[:2])
    assert "Samenvatting" in first and "Verbeteracties (peildatum" in first, "the whole summary on page 1"
    assert "Correcties (herstel)" not in first and "Correcties (herstel)" in second


@pytest.mark.skipif(pdf_unavailable() is not None, reason=pdf_unavailable() or "")
def test_the_summary_stays_on_one_page_with_ten_regelingen_and_many_verbeteracties(year):
    """A gemeente samples all ten regelingen and has many verbeteracties, several of them late: the summary
    must still be one page (the issue asks for it); the actions beyond the first few are counted, not named."""
    import dataclasses

    import weasyprint

    from kic.findings.models import ImprovementAction
    from kic.reports.summary import action_story, untested_sentence
    from kic.reports.views import TOP, kwartaal_view

    with session_scope(year) as session:
        view = kwartaal_view(session, "2026-Q2")
    row, controls, causes = view["coverage"][0], view["top_controls"], view["top_causes"]
    tested = view["regelingen"][0]
    regelingen = [dataclasses.replace(tested, regeling=f"REGELING-{i}", coverage=row) for i in range(10)]
    owner = "Team Inkomensondersteuning en Participatie (afdeling Werk, Inkomen en Zorg)"
    actions = [
        ImprovementAction(
            id=i,
            title=f"Werkinstructie {i}: verrekening van inkomsten uit deeltijdwerk en de vrijlating herzien",
            owner=owner,
            deadline=date(2026, 3 if i % 2 else 9, 1 + i),
            status="open",
        )
        for i in range(12)
    ]
    view = {
        **view,
        "coverage": [dataclasses.replace(row, regeling=f"REGELING-{i}") for i in range(10)],
        "regelingen": regelingen,
        "untested": untested_sentence(regelingen, "2026-Q2"),
        "top_controls": (controls * TOP)[:TOP],
        "top_causes": (causes * TOP)[:TOP],
        "actions": action_story(actions, date(2026, 6, 30)),
    }
    pages = weasyprint.HTML(string=render_html("kwartaal", view, pdf=True)).render().pages
    first = " ".join(_texts(pages[0]._page_box))
    assert "REGELING-9" in first and "Verbeteracties (peildatum" in first
    assert "en nog 3 te laat" in first and "en nog 5 open of in uitvoering" in first
    assert "Correcties (herstel)" not in first


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
    result = CliRunner().invoke(
        main,
        ["report", "kwartaal", "2026-q2", "--uit", str(tmp_path), "--geen-pdf", "--database", url],
        env={"KIC_USER": "kim"},
    )
    assert result.exit_code == 0, result.output
    assert "versie 1" in result.output and (tmp_path / "kwartaal-2026-Q2-v1.html").exists()
    refused = CliRunner().invoke(main, ["report", "kwartaal", "2026", "--geen-pdf", "--database", url])
    assert refused.exit_code == 1 and "geen kwartaal" in refused.output


def test_samples_of_beschikkingen_are_reported_in_numbers_apart_from_the_euros(year):
    with session_scope(year) as session:
        before = _soup(build_files(session, "kwartaal", "2026-Q2", pdf=False))
    sample_id = reviewed_decisions(year, "2026-Q2", wrong=1)
    with session_scope(year) as session:
        kwartaal = _soup(build_files(session, "kwartaal", "2026-Q2", pdf=False))
        files = build_files(session, "sisa", "2026", pdf=False)
        paper = BeautifulSoup(render_html("sisa", sisa_view(session, 2026), pdf=True), "html.parser")

    def overview(soup):  # type: ignore[no-untyped-def]
        return [
            [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in soup.select("#overzicht tbody tr")
        ]

    assert overview(kwartaal) == overview(before), "the decisions are not counted as payments or euros"
    for soup in (kwartaal, _soup(files)):
        row = [
            td.get_text(" ", strip=True)
            for td in soup.select("table.beschikkingen tbody tr")[0].find_all("td")
        ]
        assert row[0] == str(sample_id) and row[1] == "PW-LO" and row[4] == "4 van 4"
        assert row[5] == "1" and row[6] == "0"
        share, upper = row[7].split(" / ")
        assert share == "25,0%" and float(upper.rstrip("%").replace(",", ".")) > 25
    sisa = _soup(files)
    assert sisa.select_one("#posten-tabel thead").get_text(" ", strip=True).split()[2:5] == [
        "Betaling",
        "of",
        "beschikking",
    ]
    keys = [tr.find_all("td")[2].get_text() for tr in sisa.select("#posten-tabel tbody tr")]
    with session_scope(year) as session:
        decided = {
            i.item_key for i in session.scalars(select(SampleItem).where(SampleItem.sample_id == sample_id))
        }
    assert len(keys) == 24 and len(decided) == 4 and decided <= set(keys)
    assert "betaling/beschikking" in paper.select_one("#posten-lijst").get_text().splitlines()[0]
    assert sisa.select_one("#correcties-beoordelingen") is not None
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames == [
        "Fouten en onzekerheden",
        "Aansluiting",
        "SiSa-indeling",
        "Posten",
        "Steekproeven",
        "Beschikkingen",
        "Correcties",
    ]
    decisions = list(book["Beschikkingen"].iter_rows(values_only=True))
    assert decisions[1][0] == sample_id and decisions[1][6:10] == (1, 0, 1, 0.25)
    units = [row[3] for row in book["Posten"].iter_rows(min_row=2, values_only=True)]
    assert units.count("beschikking") == 4 and units.count("betaling") == 20
    corrections = {row[0]: row for row in book["Correcties"].iter_rows(min_row=2, values_only=True)}
    # the year's three payments paid too much, and the decision with a fout: it asks for a herziening too
    assert corrections["PW-LO"][5] == 4 and corrections["PW-LO"][6] == Decimal("420.00")


def test_a_logo_in_the_gemeentes_template_folder_heads_every_report(year, tmp_path):
    logo = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    (tmp_path / "logo.svg").write_bytes(logo)
    with session_scope(year) as session:
        plain = _soup(build_files(session, "kwartaal", "2026-Q2", pdf=False))
        own = {
            kind: _soup(build_files(session, kind, period, pdf=False, templates=tmp_path))
            for kind, period in REPORTS
        }
    assert plain.select_one("header img.logo") is None, "kic ships no logo"
    for soup in own.values():
        image = soup.select_one("header img.logo")
        assert image is not None and image["alt"].startswith("Logo ")
        assert base64.b64decode(image["src"].removeprefix("data:image/svg+xml;base64,")) == logo


def test_a_weasyprint_that_warns_on_import_is_reported_not_raised(monkeypatch):
    """Under filterwarnings = error a warning while WeasyPrint loads (a missing system library) used to abort
    the collection of every test that asks whether PDF is available."""

    class Warns:
        def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
            if name == "weasyprint":
                raise UserWarning("libpango ontbreekt")

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [Warns(), *sys.meta_path])
    pdf_unavailable.cache_clear()
    try:
        assert "libpango ontbreekt" in (pdf_unavailable() or "")
    finally:
        pdf_unavailable.cache_clear()  # the real answer again for the tests after this one


def test_kwartaal_shows_quality_per_werkproces_against_the_plans_norm_and_keeps_preventief_out_of_rechtmatigheid(
    year,
):
    with session_scope(year) as session:
        before = _soup(build_files(session, "kwartaal", "2026-Q2", pdf=False))
        sisa_before = _soup(build_files(session, "sisa", "2026", pdf=False))
    reviewed_decisions(year, "2026-Q2", wrong=1)
    with session_scope(year) as session:
        with_decisions = _soup(build_files(session, "kwartaal", "2026-Q2", pdf=False))
        sisa_decisions = _soup(build_files(session, "sisa", "2026", pdf=False))
    preventief = reviewed_decisions(year, "2026-Q2", wrong=1, n=3, purpose="preventief")
    with session_scope(year) as session:
        kwartaal = _soup(build_files(session, "kwartaal", "2026-Q2", pdf=False))
        sisa = _soup(build_files(session, "sisa", "2026", pdf=False))

    def cells(soup, selector):  # type: ignore[no-untyped-def]
        return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.select(selector)]

    # 2026-Q2: the payment sample of the fixture (10 items, 2 with a fout; drawn without a plan line, so
    # werkproces betaling, norm 98 % in controls/plans/2026.yaml), the decisions (4, 1 fout) and the
    # preventieve toets (3, 1 fout), both without a plan line: no werkonderdeel, no norm.
    assert cells(kwartaal, "#kwaliteit-werkproces tbody tr") == [
        ["betaling", "achteraf", "10", "2", "0", "0", "80,0%", "98%", "onder de norm"],
        ["zonder werkonderdeel", "achteraf", "4", "1", "0", "0", "75,0%", "-", "geen norm"],
        ["zonder werkonderdeel", "preventief", "3", "1", "0", "0", "66,7%", "-", "geen norm"],
    ]
    assert [tr.get("class") for tr in kwartaal.select("#kwaliteit-werkproces tbody tr")] == [
        ["onder-norm"],
        None,
        None,
    ], "only a row below its norm is marked"
    # the preventieve toets changes no rechtmatigheid figure: not in the euros, not in the decisions
    assert cells(kwartaal, "#overzicht tbody tr") == cells(before, "#overzicht tbody tr")
    assert cells(kwartaal, "table.beschikkingen tbody tr") == cells(
        with_decisions, "table.beschikkingen tbody tr"
    )
    assert cells(sisa, "table.beschikkingen tbody tr") == cells(
        sisa_decisions, "table.beschikkingen tbody tr"
    )
    assert cells(sisa_before, "table.beschikkingen tbody tr") == []
    assert str(preventief) not in [row[0] for row in cells(sisa, "table.beschikkingen tbody tr")]
    details = {row[0]: row[3] for row in cells(kwartaal, "#steekproeven tbody tr")}
    assert details[str(preventief)] == "preventief", "listed with its doel among the samples of the quarter"
