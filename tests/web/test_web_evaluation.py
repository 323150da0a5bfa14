"""The evaluation page: ``kic evaluate`` for a quarter or a year, per sample, per regeling and combined,
in Dutch notation, and a JSON download that is byte for byte what ``kic evaluate --json`` prints."""

from __future__ import annotations

from click.testing import CliRunner
from reviewed import reviewed_decisions  # tests/findings/reviewed.py
from web_helpers import login, page

from kic.cli import main
from kic.db import session_scope
from kic.evaluation import evaluate_period
from kic.formatting import euro, percent


def _cells(table) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Each row of a projection table by its heading (Fouten, Onzekerheden, Samen)."""
    return {
        row.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in row.select("td")]
        for row in table.select("tbody tr")
    }


def test_the_form_offers_the_years_and_quarters_that_have_samples(client, bevindingen):
    login(client, "accountant")
    soup = page(client.get("/evaluatie"))
    options = [(o["value"], o.get_text()) for o in soup.find(id="periode").find_all("option")]
    assert options == [
        ("2026", "2026 (heel jaar)"),
        ("2026-Q3", "2026-Q3"),
        ("2026-Q2", "2026-Q2"),
        ("2026-Q1", "2026-Q1"),
    ]
    assert soup.find(id="uitkomst") is None  # nothing is evaluated before a period is chosen


def test_a_quarter_is_evaluated_per_sample_regeling_and_combined_in_dutch_notation(client, site, bevindingen):
    with session_scope(site.engine) as session:
        expected = evaluate_period(session, "2026-Q1")
    login(client, "teamleider")
    response = client.get("/evaluatie?periode=2026-q1&betrouwbaarheid=0.95")
    assert response.status_code == 200
    soup = page(response)
    assert soup.find(id="uitkomst").get_text(strip=True) == "Evaluatie 2026-Q1 (betrouwbaarheid 95%)"
    assert soup.find(id="conclusie").get_text(" ", strip=True) == f"Conclusie: {expected.conclusion}"
    [sample] = expected.samples
    assert [h.get_text(" ", strip=True) for h in soup.find_all("h3")] == [
        "PW-LO",
        "Alle regelingen",
        f"Steekproef {sample.sample_id}: PW-LO 2026-Q1",
    ]
    tables = soup.select("table.kic-evaluation")
    assert len(tables) == 3
    overall, per_sample = _cells(tables[1]), _cells(tables[2])
    errors = sample.projections["fouten"]
    assert per_sample["Fouten"][:4] == [
        euro(errors.found),
        str(errors.items_with_error),
        euro(errors.most_likely_error),
        euro(errors.upper_limit),
    ]
    assert (
        per_sample["Fouten"][0] == "€\xa052,00"
    )  # 40,00 + 12,00 found in two items (Babel: a no-break space)
    total = expected.overall.projections["totaal"]
    share = float(total.upper_limit / expected.overall.population_value) * 100
    assert overall["Samen"][4] == f"{share:.2f}".replace(".", ",") + "%"
    assert overall["Samen"][5] == "2,0%"  # from 2025 one tolerance for fouten and onzekerheden together
    # a quarter is a part of the year's sample: no verdict against the year's tolerance, no red row
    assert overall["Samen"][6] == "tussenstand"
    assert not soup.select(".kic-row--te-laat, .kic-late")
    assert (
        " ".join(soup.find(id="tussenstand").find("a").get_text().split()) == "evaluatie van 2026 tot nu toe"
    )
    assert soup.find(id="tussenstand").find("a")["href"].startswith("/evaluatie?periode=2026")
    assert overall["Fouten"][5:] == ["-", "-"]  # no separate tolerance for fouten from 2025


def test_the_year_to_date_is_judged_against_the_tolerance(client, site, bevindingen):
    with session_scope(site.engine) as session:
        expected = evaluate_period(session, "2026")
    login(client, "teamleider")
    soup = page(client.get("/evaluatie?periode=2026&betrouwbaarheid=0.95"))
    assert soup.find(id="tussenstand") is None
    overall = _cells(soup.select("table.kic-evaluation")[-2 if len(expected.samples) == 1 else 1])
    total = expected.overall.projections["totaal"]
    share = float(total.upper_limit / expected.overall.population_value) * 100
    assert overall["Samen"][6] == ("boven de tolerantie" if share > 2 else "binnen de tolerantie")
    assert bool(soup.select(".kic-late")) == (share > 2)


def test_an_unreviewed_sample_is_marked_voorlopig_and_not_extrapolated(client, site):
    login(client, "accountant")
    soup = page(client.get("/evaluatie?periode=2026"))
    [heading] = [h for h in soup.find_all("h3") if h.get_text().startswith(f"Steekproef {site.sample_id}:")]
    assert heading.select_one(".kic-status").get_text() == "voorlopig"
    assert "Geen statistische steekproef beoordeeld" in soup.find(id="conclusie").get_text()


def test_the_json_download_is_what_kic_evaluate_prints(client, site, bevindingen):
    login(client, "accountant")
    response = client.get("/evaluatie.json?periode=2026-Q1&betrouwbaarheid=0.9")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="evaluatie-2026-Q1.json"'
    cli = CliRunner().invoke(
        main,
        ["evaluate", "--periode", "2026-Q1", "--betrouwbaarheid", "0.9", "--json", "--database", site.url],
    )
    assert cli.exit_code == 0, cli.output
    assert response.get_data(as_text=True) == cli.output
    link = page(client.get("/evaluatie?periode=2026-Q1&betrouwbaarheid=0.9")).find(
        "a", string="Downloaden (JSON)"
    )
    assert link["href"] == "/evaluatie.json?periode=2026-Q1&betrouwbaarheid=0.9"


def test_a_period_that_cannot_be_evaluated_is_reported_beside_the_field(client, site):
    login(client, "teamleider")
    month = client.get("/evaluatie?periode=2026-07")
    assert month.status_code == 422
    assert page(month).select_one("#periode-fout-1").get_text(" ", strip=True) == (
        "Fout: kies een kwartaal (2026-Q3) of een jaar (2026)"
    )
    unknown = page(client.get("/evaluatie?periode=volgend+jaar&betrouwbaarheid=0.5"))
    assert "onbekende periode" in unknown.select_one("#periode-fout-1").get_text()
    assert unknown.select_one("#betrouwbaarheid-fout-1").get_text(" ", strip=True) == (
        "Fout: kies een betrouwbaarheid uit de lijst"
    )
    empty = client.get("/evaluatie?periode=2025-Q4")
    assert empty.status_code == 422
    assert page(empty).select_one("#melding").get_text(strip=True) == (
        "Niet te evalueren: geen steekproeven getrokken binnen 2025-Q4."
    )
    download = client.get("/evaluatie.json?periode=2025-Q4")
    assert download.status_code == 400 and "geen steekproeven getrokken" in download.get_data(as_text=True)


def test_every_sample_is_shown_as_kic_evaluate_shows_it_including_beschikkingen(client, with_dossiers):
    """One evaluation, two faces: a sample of beschikkingen is a rate over decisions on the page as in the
    CLI (it used to show as so many betalingen on the page)."""
    sample_id = reviewed_decisions(with_dossiers.engine, "2026-Q1", wrong=1, n=4)
    with session_scope(with_dossiers.engine) as session:
        expected = evaluate_period(session, "2026-Q1")
    [decisions] = [s for s in expected.samples if s.sample_id == sample_id]
    rate = decisions.rates["fouten"]
    cli = CliRunner().invoke(main, ["evaluate", "--periode", "2026-Q1", "--database", with_dossiers.url])
    assert cli.exit_code == 0, cli.output
    line = (
        f"{rate.deviations} van {rate.reviewed} beschikkingen met afwijking ({percent(rate.rate, 1)}); "
        f"bovengrens {percent(rate.upper_rate, 1)}"
    )
    assert line in cli.output and (rate.deviations, rate.reviewed) == (1, 4)
    login(client, "accountant")
    soup = page(client.get("/evaluatie?periode=2026-Q1"))
    [heading] = [h for h in soup.find_all("h3") if h.get_text().startswith(f"Steekproef {sample_id}:")]
    facts = " ".join(heading.find_next("p").get_text(" ", strip=True).split())
    assert f"{decisions.population_count} beschikkingen" in facts and "betalingen" not in facts
    cells = _cells(heading.find_next("table", class_="kic-rates"))
    assert cells["Fouten"] == [
        str(rate.deviations),
        str(rate.reviewed),
        percent(rate.rate, 1),
        percent(rate.upper_rate, 1),
    ]
