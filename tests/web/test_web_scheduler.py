"""The planner page (the run ledger, as ``kic scheduler status``, with Dutch names for jobs and statuses)
and the start page's notice of failed runs that have not succeeded since."""

from __future__ import annotations

from web_helpers import login, page

from kic.scheduling.ledger import claim, finish

ERROR = "ReportError: geen steekproeven getrokken binnen 2026-Q2"


def _run(site, job: str, key: str, error: str | None = None, *, attempts: int = 3) -> int:  # type: ignore[no-untyped-def]
    run_id = claim(site.engine, job, key, owner="planner:1", attempts=attempts)
    assert run_id is not None
    finish(site.engine, run_id, error=error)
    return run_id


def test_the_planner_shows_planned_runs_and_the_ledger_with_failures_highlighted(client, site):
    _run(site, "kwartaalrapportage", "2026-Q1")
    _run(site, "kwartaalrapportage", "2026-Q2", ERROR)
    login(client, "teamleider")
    soup = page(client.get("/planner"))
    planned = [row.td.get_text() for row in soup.select("#gepland tbody tr")]
    assert set(
        planned
    ) == {  # controls/schedule.yaml: kwartaalrapportage, sisa_dossier, te_laat_lijst, trekkingen
        "Kwartaalrapportage publiceren",
        "SiSa- en rechtmatigheidsdossier publiceren",
        "Lijst van te late verbeteracties",
        "Steekproeven trekken volgens controleplan",
    }
    assert "te_laat_lijst" not in soup.find("main").get_text()
    rows = {row.select("td")[1].get_text(): row for row in soup.select("#runs tbody tr")}
    assert rows["2026-Q2"].get("class") == ["kic-row--te-laat"] and ERROR in rows["2026-Q2"].get_text()
    assert not rows["2026-Q1"].get("class") and "gelukt" in rows["2026-Q1"].get_text()
    assert rows["2026-Q2"].select_one(".kic-status").get_text() == "mislukt"
    [failed] = soup.select("#mislukte-runs tbody tr")
    cells = [td.get_text(" ", strip=True) for td in failed.select("td")]
    assert cells[:2] == ["Kwartaalrapportage publiceren", "2026-Q2"] and cells[4] == ERROR
    assert cells[3] == "1 van 3 wordt binnen 30 minuten opnieuw geprobeerd"


def test_a_run_that_used_its_attempts_says_so(client, site):
    run_id = _run(site, "trekkingen", "2026-Q2", "SampleError: geen plan", attempts=1)
    assert (
        claim(site.engine, "trekkingen", "2026-Q2", owner="planner:2", attempts=3) == run_id
    )  # the retry ...
    finish(site.engine, run_id, error="SampleError: geen plan")  # ... failed again
    claim(site.engine, "trekkingen", "2026-Q2", owner="planner:3", attempts=3)
    finish(site.engine, run_id, error="SampleError: nog steeds geen plan")  # the third and last attempt
    login(client, "beheerder")
    [failed] = page(client.get("/planner")).select("#mislukte-runs tbody tr")
    assert "3 van 3 geen pogingen meer" in failed.get_text(" ", strip=True)
    assert "nog steeds geen plan" in failed.get_text()


def test_the_start_page_warns_of_failed_runs_until_they_succeed(client, site):
    run_id = _run(site, "kwartaalrapportage", "2026-Q2", ERROR)
    login(client, "teamleider")
    notice = page(client.get("/")).find(id="planner-melding")
    assert "1 run mislukt en sindsdien niet gelukt (kwartaalrapportage publiceren 2026-Q2)" in " ".join(
        notice.get_text().split()
    )
    assert notice.a["href"] == "/planner"
    claim(site.engine, "kwartaalrapportage", "2026-Q2", owner="planner:2", attempts=3)
    finish(site.engine, run_id)  # the retry worked
    assert page(client.get("/")).find(id="planner-melding") is None


def test_a_failed_daily_list_is_resolved_by_a_later_list(client, site):
    _run(site, "te_laat_lijst", "2026-07-14", "OSError: schijf vol")
    login(client, "teamleider")
    assert page(client.get("/")).find(id="planner-melding") is not None
    _run(site, "te_laat_lijst", "2026-07-15")  # only the latest list is of use
    assert page(client.get("/")).find(id="planner-melding") is None
    soup = page(client.get("/planner"))
    assert soup.find(id="mislukte-runs") is None
    assert "een latere run van deze taak is gelukt" in soup.select("#runs tbody tr")[1].get_text()


def test_only_who_may_open_the_planner_sees_the_notice(client, site):
    _run(site, "kwartaalrapportage", "2026-Q2", ERROR)
    for role, shown in (("beheerder", True), ("accountant", False), ("kwaliteitsmedewerker", False)):
        login(client, role)
        assert (page(client.get("/")).find(id="planner-melding") is not None) is shown, role


def test_an_unusable_schedule_file_is_reported_and_the_ledger_still_shown(app, client, site, tmp_path):
    bad = tmp_path / "planning.yaml"
    bad.write_text("pogingen: 0\n", encoding="utf-8")
    app.config["SCHEDULE_FILE"] = str(bad)
    _run(site, "kwartaalrapportage", "2026-Q2", ERROR)
    login(client, "teamleider")
    soup = page(client.get("/planner"))
    assert "planning.yaml" in soup.find(id="planning-fout").get_text()
    assert soup.select("#gepland") == [] and len(soup.select("#runs tbody tr")) == 1
    assert page(client.get("/")).find(id="planner-melding") is not None  # every failed run counts then
