"""Rapportages: the published report versions, newest first, each to download as published, for the roles
that may read them; a download is the stored content with its hash, never a file named by a path."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from web_helpers import login, page

from kic.audit import AuditEvent
from kic.db import session_scope
from kic.reports import publish as publish_module
from kic.reports.models import ReportVersion
from kic.reports.publish import publish

PDF = b"%PDF-1.4 kwartaal"


def _publish(site, kind: str, period: str, files: dict[str, bytes], when: datetime, **extra) -> list[int]:  # type: ignore[no-untyped-def]
    """Publish at ``when`` (a published version can never be changed afterwards, not even its date)."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def]
            return when

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(publish_module, "datetime", Clock)
        with session_scope(site.engine) as session:
            published = publish(session, kind, period, files, actor="scheduler", **extra)
            return [row.id for row in published.files]


def _stored(site, **fields) -> int:  # type: ignore[no-untyped-def]
    """A report_version row as another program could have stored it."""
    row = {
        "kind": "agenda",
        "period": "2026-07-01",
        "file_format": "html",
        "version_no": 1,
        "created_at": datetime(2026, 7, 1, tzinfo=UTC),
        "created_by": "elders",
        **fields,
    }
    with session_scope(site.engine) as session:
        stored = ReportVersion(**row)
        session.add(stored)
        session.flush()
        return stored.id


@pytest.fixture
def reports(site, tmp_path) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    """Two versions of the 2026-Q1 kwartaalrapportage, the SiSa-dossier of 2025 and a verbeteragenda."""
    return {
        "q1-v1": _publish(
            site,
            "kwartaal",
            "2026-Q1",
            {"html": b"<p>v1</p>", "pdf": PDF},
            datetime(2026, 4, 10, 7, tzinfo=UTC),
        ),
        "sisa": _publish(
            site,
            "sisa",
            "2025",
            {"html": b"<p>sisa</p>", "pdf": b"%PDF sisa", "xlsx": b"PK xlsx", "csv": b"a;b\n"},
            datetime(2026, 4, 20, 9, tzinfo=UTC),
        ),
        "q1-v2": _publish(
            site,
            "kwartaal",
            "2026-Q1",
            {"html": b"<p>v2</p>", "pdf": PDF + b" v2"},
            datetime(2026, 5, 2, 8, tzinfo=UTC),
            out_dir=tmp_path / "rapporten",
        ),
        "agenda": _publish(
            site, "agenda", "2026-07-14", {"html": b"<p>agenda</p>"}, datetime(2026, 7, 14, 8, tzinfo=UTC)
        ),
    }


def _table(client) -> list[list[str]]:  # type: ignore[no-untyped-def]
    soup = page(client.get("/rapportages"))
    return [
        [" ".join(td.get_text(" ", strip=True).split()) for td in tr.find_all("td")]
        for tr in soup.select("#rapportages tbody tr")
    ]


def test_the_teamleider_sees_every_publication_newest_first_in_dutch(client, reports):
    login(client, "teamleider")
    rows = _table(client)
    assert [row[:3] for row in rows] == [
        ["Verbeteragenda", "peildatum 14-07-2026", "1"],
        ["Kwartaalrapportage", "1e kwartaal 2026", "2"],
        ["SiSa- en rechtmatigheidsdossier", "verslagjaar 2025", "1"],
        ["Kwartaalrapportage", "1e kwartaal 2026", "1 vervangen door versie 2"],
    ]
    assert rows[1][3:5] == ["02-05-2026 10:00", "scheduler"]
    files = rows[2][5]
    assert [name for name in ("PDF", "Excel", "HTML", "CSV") if name in files] == [
        "PDF",
        "Excel",
        "HTML",
        "CSV",
    ]
    assert hashlib.sha256(b"%PDF sisa").hexdigest()[:12] + "…" in files


def test_a_download_is_the_published_file_with_its_name_and_is_logged(client, site, reports):
    login(client, "accountant")
    html, pdf = reports["q1-v2"]
    response = client.get(f"/rapportages/bestand/{pdf}")
    assert response.status_code == 200 and response.data == PDF + b" v2"
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="kwartaal-2026-Q1-v2.pdf"'
    links = {a["href"] for a in page(client.get("/rapportages")).select("#rapportages a[download]")}
    assert f"/rapportages/bestand/{pdf}" in links and f"/rapportages/bestand/{html}" in links
    with session_scope(site.engine) as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "rapport.downloaden")).all()
        assert (event.actor, event.object_id) == ("accountant", "kwartaal:2026-Q1:v2:pdf")


def test_each_role_sees_and_downloads_only_what_it_may_read(client, reports):
    login(client, "kwaliteitsmedewerker")
    assert [row[0] for row in _table(client)] == ["Verbeteragenda"]
    assert client.get(f"/rapportages/bestand/{reports['q1-v2'][1]}").status_code == 403
    assert client.get(f"/rapportages/bestand/{reports['agenda'][0]}").status_code == 200
    assert client.get("/rapportages?rapport=kwartaal").status_code == 200
    assert [row[0] for row in _table(client)] == ["Verbeteragenda"]
    login(client, "beheerder")
    assert client.get("/rapportages").status_code == 403


def test_the_list_can_be_narrowed_to_one_kind(client, reports):
    login(client, "accountant")
    soup = page(client.get("/rapportages?rapport=sisa"))
    assert [tr.td.get_text(strip=True) for tr in soup.select("#rapportages tbody tr")] == [
        "SiSa- en rechtmatigheidsdossier"
    ]
    assert soup.find("option", attrs={"value": "sisa", "selected": True}) is not None


def test_a_missing_file_is_404_and_no_path_reaches_the_disk(client, site, reports, tmp_path):
    login(client, "teamleider")
    assert client.get("/rapportages/bestand/99999").status_code == 404
    assert client.get("/rapportages/bestand/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get("/rapportages/../kic.sqlite").status_code == 404
    with session_scope(site.engine) as session:
        written = session.get(ReportVersion, reports["q1-v2"][0])
        on_disk, stored = Path(written.path), written.content
    assert on_disk.parent == tmp_path / "rapporten"
    on_disk.write_bytes(b"<p>later op de schijf veranderd</p>")
    assert client.get(f"/rapportages/bestand/{reports['q1-v2'][0]}").data == stored
    outside = _stored(
        site, path="/etc/passwd", content=b"<p>x</p>", sha256=hashlib.sha256(b"<p>x</p>").hexdigest()
    )
    response = client.get(f"/rapportages/bestand/{outside}")
    assert response.data == b"<p>x</p>"  # the stored content; the path a row names is never opened
    unknown = _stored(
        site, file_format="exe", version_no=2, content=b"MZ", sha256=hashlib.sha256(b"MZ").hexdigest()
    )
    assert client.get(f"/rapportages/bestand/{unknown}").status_code == 404


def test_a_file_that_no_longer_matches_its_hash_is_refused(client, site):
    damaged = _stored(
        site, content=b"<p>gewijzigd</p>", sha256=hashlib.sha256(b"<p>origineel</p>").hexdigest()
    )
    login(client, "accountant")
    response = client.get(f"/rapportages/bestand/{damaged}")
    assert response.status_code == 500 and b"gewijzigd" not in response.data
    assert "klopt niet meer met de SHA-256" in page(response).get_text()


def test_nothing_published_says_how_reports_come(client, site):
    login(client, "teamleider")
    soup = page(client.get("/rapportages"))
    assert (
        soup.find(id="rapportages") is None
        and "De planner publiceert" in soup.find(id="geen-rapportages").get_text()
    )


def test_the_navigation_offers_rapportages_to_who_may_read_them(client, site):
    for role, shown in (
        ("teamleider", True),
        ("accountant", True),
        ("kwaliteitsmedewerker", True),
        ("beheerder", False),
    ):
        login(client, role)
        links = [a.get_text(strip=True) for a in page(client.get("/")).select(".kic-nav a")]
        assert ("Rapportages" in links) is shown, role
