"""What the pages show: samples with the BSN only on request (and logged), the manifest, populations,
user administration with errors beside the fields, the audit trail with filters and CSV export."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from sqlalchemy import select
from web_helpers import csrf, login, page

from kic.audit import AuditEvent, record
from kic.cli import main
from kic.db import session_scope
from kic.population.models import Payment


def _bsns(site) -> set[str]:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        return set(session.scalars(select(Payment.bsn)))


def test_the_sample_list_links_to_each_sample(client, site):
    login(client, "accountant")
    listing = page(client.get("/steekproeven"))
    assert listing.select_one("tbody a")["href"] == f"/steekproeven/{site.sample_id}"
    assert "PW-LO" in listing.select_one("tbody tr").get_text()


def test_a_sample_shows_its_items_without_bsn_until_asked_and_logs_the_display(client, site):
    login(client, "accountant")
    detail = client.get(f"/steekproeven/{site.sample_id}").get_data(as_text=True)
    rows = page_rows(detail)
    assert len(rows) >= 8 and not any(bsn in detail for bsn in _bsns(site))
    token = csrf(client, f"/steekproeven/{site.sample_id}")
    shown = client.post(f"/steekproeven/{site.sample_id}/bsn", data={"csrf_token": token})
    headers = [th.get_text(strip=True) for th in page(shown).select("thead th")]
    column = headers.index("BSN")
    bsns = [row[column] for row in page_rows(shown.get_data(as_text=True))]
    assert set(bsns) <= _bsns(site) and len(bsns) == len(rows)
    with session_scope(site.engine) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "bsn.inzien"))
    assert event.actor == "accountant" and event.address == "127.0.0.1"
    assert len(event.after["posten"]) == len(rows) and not set(bsns) & set(json.dumps(event.after).split('"'))


def page_rows(html: str) -> list[list[str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup.select("tbody tr")]


def test_the_downloaded_manifest_is_the_one_the_cli_writes(client, site, tmp_path):
    login(client, "accountant")
    response = client.get(f"/steekproeven/{site.sample_id}/manifest.json")
    assert (
        response.headers["Content-Disposition"]
        == f'attachment; filename="steekproef-{site.sample_id}-manifest.json"'
    )
    path = tmp_path / "manifest.json"
    result = CliRunner().invoke(
        main, ["sample", "manifest", str(site.sample_id), "-o", str(path), "--database", site.url]
    )
    assert result.exit_code == 0, result.output
    assert response.get_data(as_text=True) == path.read_text(encoding="utf-8")
    assert json.loads(response.get_data())["steekproef"]["seed"] == "web"


def test_an_unknown_sample_is_a_dutch_404(client):
    login(client, "teamleider")
    response = client.get("/steekproeven/999")
    assert response.status_code == 404 and page(response).h1.get_text(strip=True) == "Niet gevonden"


def test_populations_show_the_imported_snapshot_with_its_totals(client):
    login(client, "beheerder")
    [row] = page_rows(client.get("/populaties").get_data(as_text=True))
    assert row[1] == "Betalingen" and row[2].endswith(".csv") and row[4].startswith("€")


def test_a_beheerder_adds_a_user_and_errors_stand_beside_their_fields(client, site):
    login(client, "beheerder")
    token = csrf(client, "/beheer/gebruikers/nieuw")
    response = client.post(
        "/beheer/gebruikers/nieuw",
        data={
            "csrf_token": token,
            "username": "accountant",
            "display_name": "",
            "role": "",
            "password": "kort",
        },
    )
    assert response.status_code == 422
    form = page(response)
    for name in ("username", "display_name", "role", "password"):
        field = form.find(id=name)
        described = field["aria-describedby"].split()
        errors = [form.find(id=i) for i in described if "-fout-" in i]
        assert errors and all("kic-error" in e["class"] for e in errors), name
        assert field["aria-invalid"] == "true"
    assert len(form.select(".kic-error-summary li")) == 4
    added = client.post(
        "/beheer/gebruikers/nieuw",
        data={
            "csrf_token": token,
            "username": "j.jansen",
            "display_name": "Jan Jansen",
            "role": "kwaliteitsmedewerker",
            "password": "een-goed-wachtwoord",
        },
    )
    assert added.headers["Location"] == "/beheer/gebruikers"
    assert "Gebruiker j.jansen is aangemaakt." in page(client.get("/beheer/gebruikers")).get_text()
    client.post("/uitloggen", data={"csrf_token": token})
    assert login(client, "j.jansen", "een-goed-wachtwoord").status_code == 302


def test_a_beheerder_deactivates_and_resets_but_cannot_deactivate_themselves(client):
    login(client, "beheerder")
    token = csrf(client, "/beheer/gebruikers")
    client.post("/beheer/gebruikers/teamleider/deactiveren", data={"csrf_token": token})
    client.post("/beheer/gebruikers/beheerder/deactiveren", data={"csrf_token": token})
    users = {row[0]: row[3] for row in page_rows(client.get("/beheer/gebruikers").get_data(as_text=True))}
    assert users["teamleider"] == "gedeactiveerd" and users["beheerder"] == "actief"
    client.post(
        "/beheer/gebruikers/accountant/wachtwoord",
        data={"csrf_token": token, "password": "nieuw-voor-accountant"},
    )
    client.post("/uitloggen", data={"csrf_token": token})
    assert login(client, "accountant", "nieuw-voor-accountant").status_code == 302


def test_the_audit_trail_filters_and_exports_csv_guarded_against_formulas(client, site):
    with session_scope(site.engine) as session:
        record(
            session,
            actor='=HYPERLINK("x")',
            action="test.formule",
            object_type="user",
            object_id="+1",
            note="-2+3",
        )
    login(client, "beheerder")
    shown = page(client.get("/beheer/auditspoor?actie=test.formule"))
    assert [row[2] for row in page_rows(str(shown))] == ["test.formule"]
    assert shown.find("select", id="actie").find("option", selected=True)["value"] == "test.formule"
    response = client.get("/beheer/auditspoor.csv?actie=test.formule")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff") and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["tijdstip", "gebruiker", "actie"]
    assert rows[1][1] == '\'=HYPERLINK("x")' and rows[1][4] == "'+1" and rows[1][8] == "'-2+3"
    with session_scope(site.engine) as session:
        assert (
            session.scalar(select(AuditEvent).where(AuditEvent.action == "auditspoor.exporteren")) is not None
        )


def test_a_wrong_date_in_the_audit_filter_is_reported_beside_the_field(client):
    login(client, "beheerder")
    form = page(client.get("/beheer/auditspoor?van=24-11-2026"))
    assert "jjjj-mm-dd" in form.find(id=form.find(id="van")["aria-describedby"]).get_text()


def test_a_gemeente_overrides_templates_and_static_files_in_its_own_folder(site, tmp_path):
    from kic.web import create_app

    own = tmp_path / "huisstijl"
    (own / "static").mkdir(parents=True)
    (own / "static" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (own / "static" / "huisstijl.css").write_text(":root { --kic-primary: #6b0f1a; }", encoding="utf-8")
    (own / "auth").mkdir()
    (own / "auth" / "login.html").write_text(
        "{% extends 'base.html' %}{% block content %}<h1>Welkom bij Gemeente Voorbeeld</h1>{% endblock %}",
        encoding="utf-8",
    )
    app = create_app(
        {
            "DATABASE_URL": site.url,
            "SECRET_KEY": "x",
            "TEMPLATE_OVERRIDES": str(own),
            "INSTANCE_PATH": str(tmp_path / "i"),
        }
    )
    client = app.test_client()
    login_page = page(client.get("/inloggen"))
    assert login_page.h1.get_text() == "Welkom bij Gemeente Voorbeeld"
    assert login_page.find("link", href="/static/huisstijl.css") is not None
    with client.get("/static/logo.svg") as logo, client.get("/static/kic.css") as style:
        assert logo.get_data(as_text=True).startswith("<svg xmlns='http")
        assert "--kic-primary: #154273" in style.get_data(as_text=True)
    app.extensions["kic_engine"].dispose()
