"""Reviewing in the web app: the queue, drafts, errors beside their fields, a conflict between two
windows, vier-ogen, evidence, the teamleider's progress, reassigning and drawing, the accountant's export."""

from __future__ import annotations

import csv
import hashlib
import io
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import func, select
from web_helpers import csrf, evidence_store, login, page, passing_answers

from kic.audit import AuditEvent
from kic.controls.run import run_controls
from kic.db import session_scope
from kic.population.models import Payment
from kic.review.models import Review, ReviewEvidence
from kic.review.queries import EXPORT_HEADER
from kic.review.service import item_frame
from kic.samples.models import Sample


def _review(site, review_id: int) -> Review:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        review = session.get(Review, review_id)
        session.expunge(review)
        return review


def _answers_form(site, review_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        answers = passing_answers(session, session.get(Review, review_id))
    return {f"{cid}__{qid}": value for cid, given in answers.items() for qid, value in given.items()}


def _post(client, path: str, form_path: str, data: dict[str, str]):  # type: ignore[no-untyped-def]
    """Post ``data`` with the CSRF token and the version the form on ``form_path`` carries."""
    form = page(client.get(form_path))
    version = form.find("input", attrs={"name": "versie"})
    fields = {"csrf_token": csrf(client, form_path), **({"versie": version["value"]} if version else {})}
    return client.post(path, data={**fields, **data})


def _events(site, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        session.expunge_all()
        return events


def test_the_queue_lists_first_and_second_reviews_with_overdue_marked(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    rows = page(client.get("/werkvoorraad")).select("tbody tr")
    links = {row.a["href"]: row for row in rows}
    assert f"/beoordelingen/{reviews.mine}" in links and f"/beoordelingen/{reviews.theirs}/vier-ogen" in links
    with session_scope(site.engine) as session:
        expected = session.scalar(
            select(func.count())
            .select_from(Review)
            .where(
                ((Review.reviewer == "kwaliteitsmedewerker") & (Review.status == "te_doen"))
                | ((Review.second_reviewer == "kwaliteitsmedewerker") & (Review.status == "ter_review"))
            )
        )
    assert len(rows) == expected
    assert all("kic-row--te-laat" in row["class"] for row in rows)  # the deadline 15-10-2026 has passed
    assert (
        links[f"/beoordelingen/{reviews.theirs}/vier-ogen"].get_text(" ", strip=True).count("vier-ogen") == 1
    )


def test_the_item_page_shows_the_payment_without_bsn_and_logs_the_reading(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    response = client.get(f"/beoordelingen/{reviews.mine}")
    html = response.get_data(as_text=True)
    with session_scope(site.engine) as session:
        bsn = session.scalar(
            select(Payment.bsn)
            .join(Review, Review.item_key == Payment.payment_id)
            .where(Review.id == reviews.mine)
        )
    assert response.status_code == 200 and bsn not in html
    soup = page(response)
    assert soup.select_one("h1").get_text(strip=True).endswith(_review(site, reviews.mine).item_key)
    assert [b.get_text(strip=True) for b in soup.select("form button")][-2:] == [
        "Opslaan als concept",
        "Indienen",
    ]
    assert soup.select_one("#ALG-01__voldaan")["type"] == "radio"
    [event] = _events(site, "beoordeling.inzien")
    assert (event.actor, event.object_id, event.address) == (
        "kwaliteitsmedewerker",
        str(reviews.mine),
        "127.0.0.1",
    )


def test_the_item_page_shows_the_automated_results_of_the_latest_run(client, site, reviews):
    with session_scope(site.engine) as session:
        summary = run_controls(session, actor="beheer", regeling="PW-LO")
    login(client, "kwaliteitsmedewerker")
    soup = page(client.get(f"/beoordelingen/{reviews.mine}"))
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup.select("#automatisch ~ div tbody tr")
    ]
    payment_id = _review(site, reviews.mine).item_key
    fouten = summary.findings[summary.findings["betaling_id"] == payment_id]
    assert f"Controlerun {summary.run_id}" in soup.get_text()
    assert len(rows) > 0 and sum(1 for r in rows if r[1].startswith("fout")) == len(fouten)
    assert all(r[1] in ("geen fout",) or r[1].startswith(("fout", "niet te beoordelen")) for r in rows)


def test_a_draft_keeps_incomplete_answers_and_shows_them_again(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.mine}"
    response = _post(
        client,
        f"{path}/opslaan",
        path,
        {"ALG-01__voldaan": "nee", "ALG-02__juist_bedrag": "1.234,56", "oorzaak": "proces", "concept": "1"},
    )
    assert response.status_code == 302 and response.headers["Location"] == path
    soup = page(client.get(path))
    assert soup.select_one("#ALG-01__voldaan--nee").has_attr("checked")
    assert soup.select_one("#ALG-02__juist_bedrag")["value"] == "1.234,56"
    assert soup.select_one("#oorzaak option[selected]")["value"] == "proces"
    review = _review(site, reviews.mine)
    assert (review.status, review.cause_code, review.updated_by, review.source) == (
        "bezig",
        "proces",
        "kwaliteitsmedewerker",
        "web",
    )
    assert len(_events(site, "beoordeling.concept")) == 1


def test_an_oorzaak_outside_the_configured_list_is_refused_beside_its_field(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.mine}"
    soup = page(client.get(path))
    offered = [o["value"] for o in soup.select("#oorzaak option") if o["value"]]
    assert offered[:5] == ["mens", "proces", "systeem", "regelgeving", "klant"] and "51" in offered
    assert "verzwijgen witte inkomsten" in soup.select_one('#oorzaak option[value="51"]').get_text()
    response = _post(
        client, f"{path}/opslaan", path, {"ALG-01__voldaan": "nee", "oorzaak": "toeval", "concept": "1"}
    )
    assert response.status_code == 422
    soup = page(response)
    assert "onbekende oorzaak 'toeval'" in soup.select_one("#oorzaak").find_previous("div").get_text()
    assert soup.select_one("#ALG-01__voldaan--nee").has_attr("checked"), "what was typed is kept"
    assert _review(site, reviews.mine).cause_code is None and _events(site, "beoordeling.concept") == []


def test_submitting_with_problems_shows_each_beside_its_field_and_keeps_the_answers(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.mine}"
    answers = _answers_form(site, reviews.mine)
    del answers["ALG-01__voldaan"]
    answers["ALG-02__voldaan"] = "nee"
    answers["ALG-02__juist_bedrag"] = "veel"
    response = _post(client, f"{path}/opslaan", path, {**answers, "indienen": "1"})
    assert response.status_code == 422
    soup = page(response)
    summary = [a["href"] for a in soup.select(".kic-error-summary a")]
    assert summary == ["#ALG-01__voldaan", "#ALG-02__juist_bedrag"]
    group = soup.select_one("#ALG-01__voldaan").find_parent("fieldset")
    assert group.select_one(".kic-error").get_text().strip() == "Fout: antwoord ontbreekt"
    amount = soup.select_one("#ALG-02__juist_bedrag")
    assert amount["aria-invalid"] == "true" and amount["value"] == "veel"
    error_id = amount["aria-describedby"].split()[-1]
    assert "geen bedrag" in soup.select_one(f"#{error_id}").get_text()
    assert soup.select_one("#ALG-02__voldaan--nee").has_attr("checked")
    assert _review(site, reviews.mine).status == "te_doen"


def test_a_submitted_review_goes_to_the_second_reviewer(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.mine}"
    response = _post(client, f"{path}/opslaan", path, {**_answers_form(site, reviews.mine), "indienen": "1"})
    assert response.status_code == 302 and response.headers["Location"] == f"{path}?ingediend=1"
    review = _review(site, reviews.mine)
    assert (review.status, review.verdict, review.error_amount) == ("ter_review", "voldoet", Decimal("0.00"))
    assert path not in client.get("/werkvoorraad").get_data(as_text=True)
    assert page(client.get(path)).select("input[type=radio]") == []  # read-only once submitted
    login(client, "collega")
    assert f"{path}/vier-ogen" in [a["href"] for a in page(client.get("/werkvoorraad")).select("tbody a")]
    [submitted] = [e for e in _events(site, "beoordeling.indienen") if e.object_id == str(reviews.mine)]
    assert (submitted.actor, submitted.address) == ("kwaliteitsmedewerker", "127.0.0.1"), "from which address"


def test_two_windows_saving_the_same_item_never_overwrite_each_other(app, site, reviews):
    first, second = app.test_client(), app.test_client()
    path = f"/beoordelingen/{reviews.mine}"
    for client in (first, second):
        login(client, "kwaliteitsmedewerker")
    forms = {
        client: (csrf(client, path), page(client.get(path)).find("input", attrs={"name": "versie"})["value"])
        for client in (first, second)
    }
    saved = first.post(
        f"{path}/opslaan",
        data={
            "csrf_token": forms[first][0],
            "versie": forms[first][1],
            "ALG-01__voldaan": "ja",
            "toelichting": "eerste venster",
        },
    )
    assert saved.status_code == 302
    refused = second.post(
        f"{path}/opslaan",
        data={
            "csrf_token": forms[second][0],
            "versie": forms[second][1],
            "ALG-01__voldaan": "nee",
            "toelichting": "tweede venster",
        },
    )
    assert refused.status_code == 409
    soup = page(refused)
    assert "intussen gewijzigd door kwaliteitsmedewerker" in soup.select_one("#melding").get_text()
    assert soup.select_one("#ALG-01__voldaan--nee").has_attr("checked")
    assert soup.select_one("#toelichting").get_text() == "tweede venster"
    assert _review(site, reviews.mine).explanation == "eerste venster"
    again = second.post(
        f"{path}/opslaan",
        data={
            "csrf_token": forms[second][0],
            "versie": soup.find("input", attrs={"name": "versie"})["value"],
            "ALG-01__voldaan": "nee",
            "toelichting": "tweede venster",
        },
    )
    assert again.status_code == 302 and _review(site, reviews.mine).explanation == "tweede venster"


def test_the_second_reviewer_agrees(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.theirs}/vier-ogen"
    soup = page(client.get(path))
    decision = soup.select_one("#vier-ogen").find_parent("section")
    assert [b.get_text(strip=True) for b in decision.select("form button")] == ["Akkoord", "Terugsturen"]
    assert decision.select_one(".kic-verdict").get_text(strip=True) == "voldoet"
    assert soup.select("input[type=radio]") == []
    response = _post(client, path, path, {"besluit": "akkoord"})
    assert response.status_code == 302
    assert _review(site, reviews.theirs).status == "afgerond"
    [event] = _events(site, "beoordeling.akkoord")
    assert (event.actor, event.address) == ("kwaliteitsmedewerker", "127.0.0.1")


def test_sending_back_needs_a_comment_beside_its_field(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.theirs}/vier-ogen"
    refused = _post(client, path, path, {"besluit": "terugsturen"})
    assert refused.status_code == 422
    field = page(refused).select_one("#commentaar")
    assert field["aria-invalid"] == "true" and _review(site, reviews.theirs).status == "ter_review"
    sent = _post(client, path, path, {"besluit": "terugsturen", "commentaar": "bewijs van de huur ontbreekt"})
    assert sent.status_code == 302
    review = _review(site, reviews.theirs)
    assert (review.status, review.second_comment) == ("bezig", "bewijs van de huur ontbreekt")
    login(client, "derde")
    item = page(client.get(f"/beoordelingen/{reviews.theirs}"))
    assert "bewijs van de huur ontbreekt" in item.get_text() and item.select("input[type=radio]")


def test_a_reviewer_can_never_second_review_own_work_nor_save_anothers(client, site, reviews):
    login(client, "derde")  # the first reviewer of 'theirs'
    path = f"/beoordelingen/{reviews.theirs}/vier-ogen"
    assert client.get(path).status_code == 403
    assert (
        client.post(
            path, data={"csrf_token": csrf(client, "/inloggen"), "besluit": "akkoord", "versie": "2"}
        ).status_code
        == 403
    )
    login(client, "kwaliteitsmedewerker")  # second reviewer of 'theirs', not its first
    assert (
        client.post(
            f"/beoordelingen/{reviews.theirs}/opslaan", data={"csrf_token": csrf(client, "/inloggen")}
        ).status_code
        == 403
    )
    assert _review(site, reviews.theirs).status == "ter_review"


def test_a_reviewer_sees_only_items_assigned_to_them(client, site, reviews):
    with session_scope(site.engine) as session:
        other = session.scalar(
            select(Review.id).where(
                Review.reviewer != "kwaliteitsmedewerker", Review.second_reviewer != "kwaliteitsmedewerker"
            )
        )
    login(client, "kwaliteitsmedewerker")
    assert client.get(f"/beoordelingen/{other}").status_code == 403
    assert client.get("/beoordelingen/9999").status_code == 404


def test_evidence_is_stored_by_its_hash_once_and_downloads_unchanged(app, client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.mine}"
    content = b"%PDF-1.4 huurcontract"
    for name in ("huurcontract.pdf", "scans/huurcontract kopie.pdf"):
        response = client.post(
            f"{path}/bewijs",
            data={"csrf_token": csrf(client, path), "bestand": (io.BytesIO(content), name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
    digest = hashlib.sha256(content).hexdigest()
    stored = evidence_store(app) / digest[:2] / digest
    assert (
        stored.read_bytes() == content and len(list(evidence_store(app).rglob("*"))) == 2
    )  # one folder, one file
    with session_scope(site.engine) as session:
        rows = session.scalars(select(ReviewEvidence).order_by(ReviewEvidence.id)).all()
        assert [(r.file_name, r.sha256, r.size) for r in rows] == [
            ("huurcontract.pdf", digest, len(content)),
            ("huurcontract kopie.pdf", digest, len(content)),
        ]
        first_id = rows[0].id
    soup = page(client.get(path))
    assert [a.get_text() for a in soup.select("#bewijs ~ ul a")] == [
        "huurcontract.pdf",
        "huurcontract kopie.pdf",
    ]
    login(client, "accountant")
    download = client.get(f"/bewijs/{first_id}")
    assert download.data == content and download.mimetype == "application/octet-stream"
    assert download.headers["Content-Disposition"] == "attachment; filename=huurcontract.pdf"
    assert (
        len(_events(site, "bewijs.toevoegen")) == 2
        and _events(site, "bewijs.inzien")[0].actor == "accountant"
    )


def test_a_reference_to_the_dossier_system_and_refusals_are_shown(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.mine}"
    client.post(f"{path}/bewijs", data={"csrf_token": csrf(client, path), "verwijzing": "Corsa 2026/12345"})
    assert "Verwijzing: Corsa 2026/12345" in page(client.get(path)).get_text()
    login(client, "collega")  # second reviewer of this item: may read, may not add
    response = client.post(
        f"{path}/bewijs",
        data={"csrf_token": csrf(client, "/inloggen"), "verwijzing": "x"},
        follow_redirects=False,
    )
    assert response.status_code == 302
    with session_scope(site.engine) as session:
        assert session.scalar(select(func.count()).select_from(ReviewEvidence)) == 1


def test_the_teamleider_sees_progress_per_reviewer_and_reassigns(client, site, reviews):
    login(client, "teamleider")
    path = f"/beoordelingen/steekproef/{site.sample_id}"
    soup = page(client.get(path))
    per_reviewer = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")][:4]
        for tr in soup.select("#voortgang tbody tr")
    }
    with session_scope(site.engine) as session:
        reviews_all = session.scalars(select(Review)).all()
        expected = {
            name: [
                str(sum(1 for r in reviews_all if r.reviewer == name and r.status == s))
                for s in ("te_doen", "bezig", "ter_review", "afgerond")
            ]
            for name in {r.reviewer for r in reviews_all}
        }
    assert per_reviewer == expected
    response = _post(
        client,
        f"/beoordelingen/{reviews.mine}/herverdelen",
        path,
        {
            "beoordelaar": "derde",
            "steekproef": str(site.sample_id),
            "versie": str(_review(site, reviews.mine).version),
        },
    )
    assert response.status_code == 302 and _review(site, reviews.mine).reviewer == "derde"
    assert [e.address for e in _events(site, "beoordeling.herverdelen")] == ["127.0.0.1"]
    stale = client.post(
        f"/beoordelingen/{reviews.mine}/herverdelen",
        data={
            "csrf_token": csrf(client, path),
            "beoordelaar": "kwaliteitsmedewerker",
            "versie": "1",
            "steekproef": str(site.sample_id),
        },
        follow_redirects=True,
    )
    assert "Niet herverdeeld" in page(stale).select_one(".kic-alert--fout").get_text()
    assert _review(site, reviews.mine).reviewer == "derde"


def test_the_teamleider_draws_the_plans_samples_with_one_form(client, site, reviews):
    login(client, "teamleider")
    refused = _post(
        client, "/beoordelingen/trekken", "/beoordelingen/trekken", {"jaar": "2026", "periode": ""}
    )
    assert refused.status_code == 422 and page(refused).select_one("#periode")["aria-invalid"] == "true"
    with session_scope(site.engine) as session:
        before = session.scalar(select(func.count()).select_from(Sample))
    response = _post(
        client,
        "/beoordelingen/trekken",
        "/beoordelingen/trekken",
        {
            "jaar": "2026",
            "periode": "2026-Q3",
            "regeling": "PW-LO",
            "seed": "web-plan",
            "beoordelaars": ["collega", "derde"],
        },
    )
    assert response.status_code == 200, page(response).get_text()[:500]
    with session_scope(site.engine) as session:
        assert session.scalar(select(func.count()).select_from(Sample)) == before, (
            "the first post only previews"
        )
    confirm = page(response).find("form", class_="kic-confirm")
    fields: dict[str, list[str]] = {}
    for hidden in confirm.select("input[type=hidden]"):
        if hidden["name"] != "csrf_token":
            fields.setdefault(hidden["name"], []).append(hidden["value"])
    response = _post(client, "/beoordelingen/trekken", "/beoordelingen/trekken", fields)
    assert response.status_code == 200, page(response).get_text()[:500]
    links = [a["href"] for a in page(response).select("tbody a")]
    with session_scope(site.engine) as session:
        drawn = session.scalars(select(Sample).where(Sample.id > before)).all()
        assigned = session.scalar(
            select(func.count()).select_from(Review).where(Review.sample_id.in_([s.id for s in drawn]))
        )
        assert drawn and {s.regeling for s in drawn} == {"PW-LO"} and all(s.plan_part for s in drawn)
        assert assigned == sum(s.item_count for s in drawn)
        assert links == [f"/beoordelingen/steekproef/{s.id}" for s in drawn]


def test_the_accountant_exports_every_review_as_csv_and_xlsx_that_parse_back(client, site, reviews):
    login(client, "accountant")
    text = client.get("/beoordelingen/export.csv").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    book = load_workbook(
        io.BytesIO(client.get(f"/beoordelingen/export.xlsx?steekproef={site.sample_id}").data)
    )
    sheet_rows = list(book.active.iter_rows(values_only=True))
    with session_scope(site.engine) as session:
        stored = {r.id: r for r in session.scalars(select(Review))}
        session.expunge_all()
    assert {int(r["beoordeling"]) for r in rows} == set(stored) and list(sheet_rows[0]) == list(EXPORT_HEADER)
    for row in rows:
        review = stored[int(row["beoordeling"])]
        assert (row["status"], row["oordeel"] or None) == (review.status, review.verdict)
        assert Decimal(row["foutbedrag"].replace(",", ".")) == review.error_amount
    by_id = {row[6]: row for row in sheet_rows[1:]}
    assert set(by_id) == set(stored)
    submitted = by_id[reviews.theirs]
    assert (submitted[9], submitted[10], submitted[11]) == ("ter_review", "voldoet", 0)
    assert [e.after["formaat"] for e in _events(site, "beoordeling.exporteren")] == ["csv", "xlsx"]


def test_the_accountant_reads_but_cannot_change(client, site, reviews):
    login(client, "accountant")
    soup = page(client.get(f"/beoordelingen/{reviews.theirs}"))
    assert soup.select("input[type=radio]") == [] and soup.find("button", string="Indienen") is None
    assert (
        client.post(
            f"/beoordelingen/{reviews.mine}/opslaan", data={"csrf_token": csrf(client, "/inloggen")}
        ).status_code
        == 403
    )


def test_a_sampled_beschikking_is_reviewed_on_its_own_page(client, site, reviews):
    """A plan line over aanvragen samples decisions: the page shows the beschikking, not a payment."""
    from kic.periods import parse_period
    from kic.review.service import create_reviews
    from kic.samples.draw import SampleSpec, draw_sample
    from kic.samples.models import BESCHIKKING

    with session_scope(site.engine) as session:
        sample = draw_sample(
            session,
            SampleSpec(
                "PW-LO",
                parse_period("2026"),
                2,
                "items",
                "random",
                date_column="besluitdatum",
                unit=BESCHIKKING,
            ),
            seed="web-aanvraag",
            actor="teamleider",
        )
        review = create_reviews(session, sample.id, ["kwaliteitsmedewerker"], actor="teamleider")[0]
        review_id, key = review.id, review.item_key
    login(client, "kwaliteitsmedewerker")
    shown = page(client.get(f"/beoordelingen/{review_id}"))
    assert shown.select_one("h1").get_text(strip=True) == f"beschikking {key}"
    data = shown.select_one("#gegevens").find_parent("section")
    assert "Besluitdatum" in data.get_text() and "Betaaldatum" not in data.get_text()
    assert "per betaling, niet per beschikking" in data.get_text()
    response = _post(
        client,
        f"/beoordelingen/{review_id}/opslaan",
        f"/beoordelingen/{review_id}",
        {**_answers_form(site, review_id), "indienen": "1"},
    )
    assert response.status_code == 302
    assert _review(site, review_id).verdict == "voldoet"
    login(client, "teamleider")
    listed = page(client.get(f"/steekproeven/{sample.id}")).get_text()
    assert "beschikkingen" in listed and key in listed


def test_a_preventieve_toets_says_so_on_the_item_the_sample_and_the_list(client, site, reviews):
    """A besluit checked before it is sent: the reviewer, the teamleider and the accountant read that its
    findings count as quality, not in the rechtmatigheid."""
    from kic.periods import parse_period
    from kic.review.service import create_reviews
    from kic.samples.draw import SampleSpec, draw_sample
    from kic.samples.models import BESCHIKKING

    with session_scope(site.engine) as session:
        spec = SampleSpec(
            "PW-LO",
            parse_period("2026"),
            2,
            "items",
            "random",
            "preventief",
            date_column="besluitdatum",
            unit=BESCHIKKING,
        )
        sample = draw_sample(session, spec, seed="web-preventief", actor="teamleider")
        review_id = create_reviews(session, sample.id, ["kwaliteitsmedewerker"], actor="teamleider")[0].id
        sample_id = sample.id
    login(client, "kwaliteitsmedewerker")
    banner = page(client.get(f"/beoordelingen/{review_id}")).select_one("#preventief")
    assert banner is not None and "niet voor de rechtmatigheid" in banner.get_text()
    plain = page(client.get(f"/beoordelingen/{reviews.mine}"))
    assert plain.select_one("#preventief") is None, "only on a preventieve toets"
    login(client, "teamleider")
    badge = page(client.get(f"/steekproeven/{sample_id}")).select_one(".kic-kind")
    assert badge.get_text(strip=True) == "Preventief" and "kic-kind--preventief" in badge["class"]
    listed = page(client.get("/steekproeven"))
    row = next(
        tr
        for tr in listed.select("tbody tr")
        if tr.find("td") and tr.find("td").get_text(strip=True) == f"Steekproef {sample_id}"
    )
    assert row.select_one(".kic-kind").get_text(strip=True) == "Preventief"


def test_item_frames_are_built_once_for_the_reviewers_open_items_until_other_beschikkingen_come(
    app, client, site, reviews, dossiers, tmp_path, monkeypatch
):
    import pandas as pd

    from kic.population import import_population
    from kic.web.database import db
    from kic.web.review import common

    built = []
    real = common.items_frame
    monkeypatch.setattr(
        common, "items_frame", lambda session, rows: built.append(len(rows)) or real(session, rows)
    )
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.mine}"
    response = _post(client, f"{path}/opslaan", path, {"ALG-01__voldaan": "ja", "concept": "1"})
    assert response.status_code == 302 and "9.876,54" not in client.get(path).get_data(as_text=True)
    with session_scope(site.engine) as session:
        open_items = session.scalars(
            select(Review).where(
                Review.reviewer == "kwaliteitsmedewerker", Review.status.in_(("te_doen", "bezig"))
            )
        ).all()
        session.expunge_all()
    assert built == [len(open_items)] and len(open_items) > 1  # the page, the draft, the page: one build
    with app.app_context():  # each item's row is what item_frame builds for it alone
        for review in open_items:
            pd.testing.assert_frame_equal(common.frame_of(review), item_frame(db(), review))
    assert len(built) == 1
    # Another beschikkingen file becomes active: the item's beschikking now pays 9.876,54 a period.
    with session_scope(site.engine) as session:
        number = session.scalar(
            select(Payment.beschikking_nr)
            .join(Review, Review.item_key == Payment.payment_id)
            .where(Review.id == reviews.mine)
        )
    lines = dossiers.read_text(encoding="utf-8-sig").splitlines()
    column = lines[0].split(";").index("bedrag_per_periode")
    changed = [
        ";".join(
            f if i != column or not line.startswith(f"{number};") else "9.876,54"
            for i, f in enumerate(line.split(";"))
        )
        for line in lines
    ]
    assert changed != lines
    (tmp_path / dossiers.name).write_text("\n".join(changed) + "\n", encoding="utf-8-sig")
    with session_scope(
        site.engine
    ) as session:  # a corrected file under the same name replaces the active one
        import_population(session, "beschikkingen", tmp_path / dossiers.name, actor="beheer", replace=True)
    assert "9.876,54" in client.get(path).get_data(as_text=True)
    assert len(built) == 2


def test_a_cause_is_shown_with_its_label_not_as_a_bare_code(app):
    with app.app_context():
        render = app.jinja_env.from_string("{{ code | oorzaak }}").render
        assert render(code="proces").startswith("proces – ") and len(render(code="proces")) > len("proces – ")
        assert render(code=None) == "-"
        assert render(code="verdwenen") == "verdwenen", "a code the catalogue no longer knows stays readable"
