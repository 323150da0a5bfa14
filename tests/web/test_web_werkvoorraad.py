"""The reviewer's werkvoorraad: filters and sorting kept in the URL, progress per sample, a post sent back
(teruggestuurd), "Volgende post" in the chosen order, the outcome after handing in, and vier-ogen that opens
with the first reviewer's verdict and only the deviating controls."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select
from web_helpers import csrf, login, page, passing_answers

from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.formatting import euro
from kic.periods import parse_period
from kic.review.models import Review
from kic.review.queries import Due, QueueView, SortKey, WorkItem, arrange, due
from kic.review.service import (
    ReviewInput,
    create_reviews,
    item_controls,
    item_frame,
    save_review,
    second_review,
)
from kic.samples.draw import SampleSpec, draw_sample
from kic.web.review.reviewer import counted

TODAY = date.today()


def _item(
    review_id: int,
    *,
    deadline: date | None,
    amount: str,
    sample: int,
    position: int,
    status: str = "te_doen",
    comment: str | None = None,
) -> WorkItem:
    return WorkItem(
        review_id,
        sample,
        "PW-LO",
        "2026-Q3",
        f"B{review_id}",
        Decimal(amount),
        status,
        deadline,
        "eerste",
        False,
        position,
        None,
        comment,
    )


WEDNESDAY = date(2026, 10, 14)
ITEMS = [
    _item(1, deadline=date(2026, 10, 20), amount="50.00", sample=2, position=1),
    _item(2, deadline=None, amount="500.00", sample=1, position=3),
    _item(
        3, deadline=date(2026, 10, 10), amount="5.00", sample=1, position=2, status="bezig", comment="bewijs?"
    ),
    _item(4, deadline=date(2026, 10, 10), amount="50.00", sample=2, position=0, status="bezig"),
]


def _ids(view: QueueView) -> list[int]:
    return [i.review_id for i in arrange(ITEMS, view, WEDNESDAY)]


def test_due_tells_overdue_this_week_later_and_without_deadline():
    days = [date(2026, 10, 13), WEDNESDAY, date(2026, 10, 18), date(2026, 10, 19), None]
    assert [due(d, WEDNESDAY) for d in days] == [
        Due.TE_LAAT,
        Due.DEZE_WEEK,
        Due.DEZE_WEEK,
        Due.LATER,
        Due.ZONDER,
    ]


def test_arrange_sorts_by_each_column_both_ways_and_ties_keep_the_deadline_order():
    assert _ids(QueueView()) == [3, 4, 1, 2]  # first due first, without a deadline last
    assert _ids(QueueView(descending=True)) == [1, 3, 4, 2]  # without a deadline stays last
    assert _ids(QueueView(sort=SortKey.BEDRAG, descending=True)) == [2, 4, 1, 3]
    assert _ids(QueueView(sort=SortKey.BEDRAG)) == [3, 4, 1, 2]
    assert _ids(QueueView(sort=SortKey.STEEKPROEF)) == [3, 2, 4, 1]  # sample, then place in the sample
    assert _ids(QueueView(sort=SortKey.STATUS)) == [1, 2, 4, 3]  # te doen, bezig, teruggestuurd


def test_arrange_filters_on_sample_regeling_status_and_deadline():
    assert _ids(QueueView(sample_id=2)) == [4, 1]
    assert _ids(QueueView(status="teruggestuurd")) == [3]
    assert _ids(QueueView(status="bezig")) == [4], "a post sent back is teruggestuurd, not bezig"
    assert _ids(QueueView(due=Due.TE_LAAT)) == [3, 4]
    assert _ids(QueueView(due=Due.ZONDER, sample_id=1)) == [2]
    assert _ids(QueueView(regeling="PW-BB")) == []


def test_counted_says_one_post_and_many_posten():
    assert counted(1, "post wacht", "posten wachten") == "1 post wacht"
    assert counted(0, "post", "posten") == "0 posten"
    assert counted(1200, "post", "posten") == "1.200 posten"


def _bb_sample(site) -> int:  # type: ignore[no-untyped-def]
    """A second sample, the kwaliteitsmedewerker's alone, without vier-ogen and without deadline."""
    with session_scope(site.engine) as session:
        sample = draw_sample(
            session, SampleSpec("PW-BB", parse_period("2026-Q3"), n=3), seed="web-bb", actor="teamleider"
        )
        create_reviews(session, sample.id, ["kwaliteitsmedewerker"], actor="teamleider")
        return sample.id


def _rows(client, path: str) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """(link, cell texts) of each row of the werkvoorraad table."""
    soup = page(client.get(path))
    return [
        (tr.a["href"], [td.get_text(" ", strip=True) for td in tr.find_all("td")])
        for tr in soup.select("#werkvoorraad tbody tr")
    ]


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _reviews(site, **where: object) -> list[Review]:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        found = list(session.scalars(select(Review).filter_by(**where).order_by(Review.id)))
        session.expunge_all()
        return found


def test_the_queue_filters_and_every_link_keeps_the_filters(client, site, reviews):
    bb = _bb_sample(site)
    login(client, "kwaliteitsmedewerker")
    path = f"/werkvoorraad?steekproef={bb}&sorteer=-bedrag"
    soup = page(client.get(path))
    rows = _rows(client, path)
    assert len(rows) == 3 and all(cells[1].startswith(f"{bb}: PW-BB") for _, cells in rows)
    assert all(_query(link) == {"steekproef": [str(bb)], "sorteer": ["-bedrag"]} for link, _ in rows)
    assert soup.select_one("#steekproef option[selected]")["value"] == str(bb)
    assert soup.select_one("form.kic-filter input[name=sorteer]")["value"] == "-bedrag"
    assert all(_query(a["href"])["steekproef"] == [str(bb)] for a in soup.select("thead a"))
    cleared = soup.find("a", string="Filters wissen")["href"]
    assert cleared == "/werkvoorraad?sorteer=-bedrag"
    total = len(_rows(client, "/werkvoorraad"))
    assert soup.select_one("#filteruitkomst").get_text(" ", strip=True) == (
        f"3 posten van de {total} voldoen aan de filters."
    )


def test_the_deadline_and_status_filters(client, site, reviews):
    bb = _bb_sample(site)
    mine = [r.id for r in _reviews(site, reviewer="kwaliteitsmedewerker", sample_id=site.sample_id)]
    with session_scope(site.engine) as session:
        for review_id, deadline in zip(
            mine, (TODAY - timedelta(days=1), TODAY + timedelta(days=30)), strict=False
        ):
            session.get(Review, review_id).deadline = deadline
        session.get(Review, reviews.theirs).deadline = None
    login(client, "kwaliteitsmedewerker")

    def shown(query: str) -> set[int]:
        return {int(urlsplit(link).path.split("/")[2]) for link, _ in _rows(client, f"/werkvoorraad?{query}")}

    assert shown("deadline=te_laat") == {mine[0]}
    assert shown("deadline=later") == {mine[1]}
    assert shown("deadline=zonder") == {reviews.theirs} | {r.id for r in _reviews(site, sample_id=bb)}
    assert shown("status=ter_review") == {reviews.theirs}
    assert shown(f"status=te_doen&steekproef={site.sample_id}") == set(mine)
    [(_, cells)] = _rows(client, "/werkvoorraad?deadline=te_laat")
    assert cells[-1] == f"{(TODAY - timedelta(days=1)):%d-%m-%Y} te laat"


def test_sorting_marks_its_column_with_aria_sort_and_the_header_link_turns_it_round(client, site, reviews):
    _bb_sample(site)
    login(client, "kwaliteitsmedewerker")
    default = page(client.get("/werkvoorraad"))
    [current] = default.select("th[aria-sort]")
    assert current.get_text(strip=True).startswith("Deadline") and current["aria-sort"] == "ascending"
    links = {a.get_text(strip=True)[:-1]: _query(a["href"]).get("sorteer") for a in default.select("thead a")}
    assert links == {
        "Steekproef": ["steekproef"],
        "Bedrag": ["-bedrag"],
        "Status": ["status"],
        "Deadline": ["-deadline"],
    }
    up = page(client.get("/werkvoorraad?sorteer=bedrag"))
    [current] = up.select("th[aria-sort]")
    assert current.get_text(strip=True).startswith("Bedrag") and current["aria-sort"] == "ascending"
    assert _query(current.a["href"])["sorteer"] == ["-bedrag"]
    amounts = [_amount(td.get_text()) for td in up.select("#werkvoorraad tbody td.kic-num")]
    assert amounts == sorted(amounts) and len(set(amounts)) > 1
    down = [
        _amount(td.get_text())
        for td in page(client.get("/werkvoorraad?sorteer=-bedrag")).select("tbody td.kic-num")
    ]
    assert down == sorted(amounts, reverse=True)
    assert (
        _query(page(client.get("/werkvoorraad?sorteer=-deadline")).select_one("th[aria-sort] a")["href"])
        == {}
    )


def _amount(text: str) -> Decimal:
    return Decimal(text.replace("€", "").replace(".", "").replace(",", ".").strip())


def test_values_in_the_url_that_mean_nothing_are_left_out(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    everything = _rows(client, "/werkvoorraad")
    odd = "/werkvoorraad?steekproef=abc&status=weg&deadline=gisteren&sorteer=grootte"
    assert _rows(client, odd) == [(link.split("?")[0], cells) for link, cells in everything]
    gone = page(client.get("/werkvoorraad?steekproef=999"))
    assert "Geen van uw" in gone.select_one("#filteruitkomst").get_text()
    assert gone.select_one("#steekproef option[selected]")["value"] == "999", (
        "the form still shows the filter"
    )


def test_progress_per_sample_counts_what_the_reviewer_handed_in(client, site, reviews):
    bb = _bb_sample(site)
    [first, *_] = _reviews(site, sample_id=bb)
    with session_scope(site.engine) as session:
        review = session.get(Review, first.id)
        save_review(
            session,
            first.id,
            ReviewInput(passing_answers(session, review)),
            actor="kwaliteitsmedewerker",
            expected_version=review.version,
            submit=True,
            source="web",
        )
    login(client, "kwaliteitsmedewerker")
    soup = page(client.get("/werkvoorraad"))
    lines = {li.a.get_text(strip=True): li for li in soup.select("#voortgang li")}
    assert lines[f"Steekproef {bb}: PW-BB 2026-Q3"].select_one(f"#voortgang-{bb}").get_text(strip=True) == (
        "1 van 3 posten ingediend (33%), waarvan 1 afgerond"
    )
    assert lines[f"Steekproef {bb}: PW-BB 2026-Q3"].progress["value"] == "1"
    lo = lines[f"Steekproef {site.sample_id}: PW-LO 2026-Q3"]
    assigned = len(_reviews(site, reviewer="kwaliteitsmedewerker", sample_id=site.sample_id))
    assert f"0 van {assigned} posten ingediend (0%)" in lo.get_text(" ", strip=True)
    assert "1 post wacht op uw vier-ogen" in lo.get_text(" ", strip=True)
    waiting = len(_rows(client, "/werkvoorraad"))
    assert soup.select_one(".kic-lead").get_text(" ", strip=True).startswith(f"{waiting} posten wachten op u")


def _submit(site, review_id: int, actor: str, *, error: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Hand in passing answers; with ``error`` ALG-02 is fout: no besluit, nothing was due."""
    with session_scope(site.engine) as session:
        review = session.get(Review, review_id)
        answers = passing_answers(session, review)
        if error:
            answers["ALG-02"] = {**answers["ALG-02"], "voldaan": "nee", "juist_bedrag": "0"}
        save_review(
            session,
            review_id,
            ReviewInput(answers, "mens" if error else None),
            actor=actor,
            expected_version=review.version,
            submit=True,
            source="web",
        )


def _send_back(site, review_id: int, comment: str) -> None:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        review = session.get(Review, review_id)
        second_review(
            session,
            review_id,
            actor=review.second_reviewer,
            agree=False,
            comment=comment,
            expected_version=review.version,
        )


def test_a_post_sent_back_is_teruggestuurd_with_the_comment_on_top_of_the_item(client, site, reviews):
    _submit(site, reviews.mine, "kwaliteitsmedewerker")
    _send_back(site, reviews.mine, "Het huurcontract ontbreekt.")
    login(client, "kwaliteitsmedewerker")
    rows = dict(_rows(client, "/werkvoorraad"))
    assert rows[f"/beoordelingen/{reviews.mine}"][4] == "teruggestuurd “Het huurcontract ontbreekt.”"
    assert [link for link, _ in _rows(client, "/werkvoorraad?status=teruggestuurd")] == [
        f"/beoordelingen/{reviews.mine}?status=teruggestuurd"
    ]
    assert f"/beoordelingen/{reviews.mine}?status=bezig" not in dict(
        _rows(client, "/werkvoorraad?status=bezig")
    )
    lead = page(client.get("/werkvoorraad")).select_one(".kic-lead").get_text(" ", strip=True)
    assert "1 post is teruggestuurd door de tweede beoordelaar" in lead
    soup = page(client.get(f"/beoordelingen/{reviews.mine}"))
    notice = soup.select_one("#teruggestuurd")
    assert notice.h2.get_text(strip=True) == "Teruggestuurd door Test Collega"
    assert notice.blockquote.get_text(strip=True) == "Het huurcontract ontbreekt."
    assert soup.select_one("main h1").find_next("section") is notice, (
        "the comment comes first, above the data"
    )
    assert soup.select("input[type=radio]"), "the reviewer can change the answers again"
    _submit(site, reviews.mine, "kwaliteitsmedewerker")  # handed in again: on to collega, no longer sent back
    assert f"/beoordelingen/{reviews.mine}" not in dict(_rows(client, "/werkvoorraad"))
    login(client, "collega")
    again = page(client.get(f"/beoordelingen/{reviews.mine}/vier-ogen"))
    assert "Het huurcontract ontbreekt." in again.select_one(".kic-decision").get_text()
    assert again.select_one("#teruggestuurd") is None


def test_volgende_post_follows_the_order_the_reviewer_chose_and_starts_over_at_the_end(client, site, reviews):
    bb = _bb_sample(site)
    login(client, "kwaliteitsmedewerker")
    order = [link for link, _ in _rows(client, f"/werkvoorraad?steekproef={bb}&sorteer=-bedrag")]
    amounts = [
        _amount(cells[2]) for _, cells in _rows(client, f"/werkvoorraad?steekproef={bb}&sorteer=-bedrag")
    ]
    assert len(order) == 3 and amounts == sorted(amounts, reverse=True)
    following = [page(client.get(link)).find("a", class_="kic-next")["href"] for link in order]
    assert following == [order[1], order[2], order[0]]
    plain = page(client.get(urlsplit(order[0]).path)).find("a", class_="kic-next")["href"]
    everything = [link for link, _ in _rows(client, "/werkvoorraad")]
    assert plain == everything[(everything.index(urlsplit(order[0]).path) + 1) % len(everything)]
    login(client, "teamleider")  # no werkvoorraad, no next post
    assert page(client.get(urlsplit(order[0]).path)).find("a", class_="kic-next") is None


def _answers_form(site, review_id: int, *, error: bool) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        answers = passing_answers(session, session.get(Review, review_id))
    form = {f"{cid}__{qid}": value for cid, given in answers.items() for qid, value in given.items()}
    if error:
        form |= {"ALG-02__voldaan": "nee", "ALG-02__juist_bedrag": "0,00", "oorzaak": "mens"}
    return form


def _hand_in(client, review_id: int, form: dict[str, str], query: str = ""):  # type: ignore[no-untyped-def]
    path = f"/beoordelingen/{review_id}{query}"
    version = page(client.get(path)).find("input", attrs={"name": "versie"})["value"]
    return client.post(
        f"/beoordelingen/{review_id}/opslaan{query}",
        data={"csrf_token": csrf(client, path), "versie": version, "indienen": "1", **form},
    )


def test_after_handing_in_the_page_shows_the_verdict_where_the_post_went_and_the_next(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    response = _hand_in(
        client, reviews.mine, _answers_form(site, reviews.mine, error=True), "?sorteer=-bedrag"
    )
    assert response.headers["Location"] == f"/beoordelingen/{reviews.mine}?ingediend=1&sorteer=-bedrag"
    soup = page(client.get(response.headers["Location"]))
    outcome = soup.select_one("#ingediend")
    [review] = _reviews(site, id=reviews.mine)
    assert review.verdict == "fout" and review.error_amount > 0
    assert outcome.h2.get_text(strip=True) == "Ingediend. Oordeel: fout"
    facts = {dt.get_text(strip=True): dt.find_next("dd").get_text(strip=True) for dt in outcome.select("dt")}
    assert facts == {
        "Oordeel": "fout",
        "Foutbedrag": euro(review.error_amount),
        "Onzeker bedrag": euro(Decimal("0.00")),
        "Formele fouten": "0",
    }
    assert [li.select_one(".kic-control__id").get_text() for li in outcome.select("li")] == ["ALG-02"]
    assert "ter review bij Test Collega (collega) voor vier-ogen" in outcome.get_text(" ", strip=True)
    [next_link] = [a for a in outcome.select("a") if a.get_text().startswith("Volgende post")]
    ordered = [link for link, _ in _rows(client, "/werkvoorraad?sorteer=-bedrag")]
    assert next_link["href"] in ordered
    assert soup.find("a", class_="kic-next") is None, "one Volgende post on the page"
    assert page(client.get(f"/beoordelingen/{reviews.mine}")).select_one("#ingediend") is None
    bb = _bb_sample(site)
    alone = _reviews(site, sample_id=bb)[0].id
    done = page(
        client.get(_hand_in(client, alone, _answers_form(site, alone, error=False)).headers["Location"])
    )
    assert "De post is afgerond" in done.select_one("#ingediend").get_text(" ", strip=True)
    login(client, "teamleider")  # the outcome is the reviewer's, not a page for others
    assert page(client.get(f"/beoordelingen/{alone}?ingediend=1")).select_one("#ingediend") is None


def _controls(site, review_id: int) -> int:  # type: ignore[no-untyped-def]
    with session_scope(site.engine) as session:
        return len(item_controls(load_catalogue(), item_frame(session, session.get(Review, review_id))))


def test_vier_ogen_opens_with_the_decision_and_only_the_deviating_controls(client, site, reviews):
    _submit(site, reviews.mine, "kwaliteitsmedewerker", error=True)
    login(client, "collega")
    path = f"/beoordelingen/{reviews.mine}/vier-ogen"
    soup = page(client.get(path))
    decision = soup.select_one(".kic-decision")
    assert decision.find_next("div", class_="kic-split") is not None, (
        "the decision stands above the checklist"
    )
    assert decision.select_one("form")["action"].startswith(path)
    assert "fout" in decision.select_one(".kic-verdict").get_text() and "ALG-02" in decision.get_text()
    assert [s["aria-labelledby"] for s in soup.select(".kic-control")] == ["controle-ALG-02"]
    total = _controls(site, reviews.mine)
    toggle = soup.select_one("#controles-weergave a")
    assert toggle.get_text(strip=True) == f"Alle {total} controles tonen"
    assert _query(toggle["href"]) == {"controles": ["alle"]}
    everything = page(client.get(toggle["href"]))
    assert len(everything.select(".kic-control")) == total
    assert len(everything.select(".kic-control--afwijking")) == 1
    back = everything.select_one("#controles-weergave a")
    assert back.get_text(strip=True) == "Alleen afwijkingen tonen" and _query(back["href"]) == {
        "controles": ["afwijkingen"]
    }
    login(client, "kwaliteitsmedewerker")  # 'theirs' has no deviation at all
    clean = page(client.get(f"/beoordelingen/{reviews.theirs}/vier-ogen"))
    assert clean.select(".kic-control") == [] and "Geen afwijkingen" in clean.get_text()
    login(client, "teamleider")  # reading a judged review: all controls first, deviations on request
    read = page(client.get(f"/beoordelingen/{reviews.mine}"))
    assert len(read.select(".kic-control")) == total
    assert (
        len(page(client.get(f"/beoordelingen/{reviews.mine}?controles=afwijkingen")).select(".kic-control"))
        == 1
    )


def test_after_the_vier_ogen_decision_the_werkvoorraad_opens_as_it_was_filtered(client, site, reviews):
    login(client, "kwaliteitsmedewerker")
    path = f"/beoordelingen/{reviews.theirs}/vier-ogen?status=ter_review"
    form = page(client.get(path)).select_one(".kic-decision form")
    assert form["action"] == path
    response = client.post(
        form["action"],
        data={
            "csrf_token": csrf(client, path),
            "versie": form.find("input", attrs={"name": "versie"})["value"],
            "besluit": "akkoord",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/werkvoorraad?status=ter_review"
    assert _reviews(site, id=reviews.theirs)[0].status == "afgerond"
