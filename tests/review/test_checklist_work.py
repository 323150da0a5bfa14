"""Kwaliteitsnormen per werkproces, applicability from the item's data, automated findings in the verdict and
the required cause (issue 16): the checklist an item gets, and what handing it in records."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from kic.controls.catalogue import Control, Werkproces
from kic.controls.errors import ControlDefinitionError
from kic.controls.loader import load_catalogue
from kic.controls.run import run_controls
from kic.db import session_scope
from kic.plan import Werkonderdeel, load_plan
from kic.plan_draw import draw_plan
from kic.review.checklist import (
    AUTOMATED,
    AUTOMATED_AMOUNT,
    AUTOMATED_REASON,
    CONFIRMED,
    NOT_APPLICABLE_REASON,
    REFUTED,
    AnswersInvalid,
    fill_unanswered,
    item_questions,
    only_if_text,
    score,
)
from kic.review.models import Review
from kic.review.service import (
    CAUSE_REQUIRED,
    ReviewAnswersInvalid,
    ReviewFieldInvalid,
    ReviewInput,
    checklist_controls,
    item_checklist,
    item_controls,
    item_frame,
    save_review,
)
from kic.review.workbook import CHECKLIST, WorkbookError, export_workbooks, fill_answers, import_workbook
from kic.samples.models import SampleItem
from kic.synth.reviewer import answers_for_sample, simulated_answers

CATALOGUE = load_catalogue()
Q2 = date(2026, 4, 1)

CONTROL = """
regeling: PW-LO
controles:
  - id: EIGEN-01
    versie: 1
    geldig_van: 2015-01-01
    categorie: eigen
    vraag: Is het juist?
    grondslag: Pw art. 21
    criterium: calculatie
    fouttype: FIN
{extra}    checklist:
      vragen:
        - id: voldaan
          tekst: Is het juist?
          type: janee
      oordeel:
        fout_als: voldaan == 'nee'
"""


def _control(tmp_path: Path, extra: str = "") -> Control:
    (tmp_path / "eigen.yaml").write_text(CONTROL.format(extra=extra), encoding="utf-8")
    return load_catalogue(shipped=tmp_path).versions["EIGEN-01"][0]


def test_a_control_without_the_new_fields_keeps_its_content_hash(tmp_path):
    """Stored verdicts name a control's id, versie and content hash. The hashes of every shipped version as
    they were before werkprocessen and van_toepassing_als existed (hashes_before_issue16.json): each id and
    versie still in the catalogue has the same hash (new fields are left out when not given, and a control
    that got them has a new versie), e.g. BB-02 v1, which uses neither."""
    assert {"werkprocessen", "van_toepassing_als"}.isdisjoint(_control(tmp_path).canonical())
    recorded = json.loads(Path(__file__).with_name("hashes_before_issue16.json").read_text(encoding="utf-8"))
    now = _hashes(CATALOGUE)
    assert now["BB-02/1"] == recorded["BB-02/1"]
    assert all(now[k] == v for k, v in recorded.items() if k in now)
    assert "ALG-03/1" not in now and "ALG-03/2" in now, "ALG-03 got werkprocessen: a new versie"


def _hashes(catalogue) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {f"{c.id}/{c.version}": c.content_hash for c in catalogue.all_versions()}


def test_werkprocessen_and_conditions_are_validated(tmp_path):
    tagged = _control(tmp_path, "    werkprocessen: [aanvraag, beëindiging]\n")
    assert tagged.work_processes == [Werkproces.AANVRAAG, Werkproces.BEEINDIGING]
    assert tagged.canonical()["werkprocessen"] == ["aanvraag", "beëindiging"]
    assert tagged.applies_to(Werkproces.BEEINDIGING) and not tagged.applies_to(Werkproces.BETALING)
    assert tagged.applies_to(None), "a sample without a plan line gets every control"
    assert "veld werkprocessen[0]: ongeldige waarde 'uitbetaling'" in _refused(
        tmp_path, "    werkprocessen: [uitbetaling]\n"
    )
    assert "horen samen" in _refused(tmp_path, "    van_toepassing_als: handmatig\n")
    answer = "    van_toepassing_als: voldaan == 'ja'\n    van_toepassing_omschrijving: x\n"
    assert "onbekende kolom(men) van de post: voldaan" in _refused(tmp_path, answer), (
        "an answer is no item data"
    )
    assert Werkonderdeel.BEEINDIGING.value == "beëindiging", "the plan's werkonderdeel is the werkproces"


def _refused(tmp_path: Path, extra: str) -> str:
    with pytest.raises(ControlDefinitionError) as refused:
        _control(tmp_path, extra)
    return "; ".join(str(p) for p in refused.value.problems)


def test_a_plan_line_of_a_werkproces_selects_its_checklist():
    betaling = {c.id for c in checklist_controls(CATALOGUE, "PW-LO", Q2, Werkproces.BETALING)}
    aanvraag = {c.id for c in checklist_controls(CATALOGUE, "PW-LO", Q2, Werkproces.AANVRAAG)}
    ending = {c.id for c in checklist_controls(CATALOGUE, "PW-LO", Q2, Werkproces.BEEINDIGING)}
    every = {c.id for c in checklist_controls(CATALOGUE, "PW-LO", Q2)}
    assert {"PWLO-06", "PWLO-08", "ALG-02"} <= betaling and not {"PWLO-01", "PWLO-10", "ALG-10"} & betaling
    assert {"PWLO-01", "PWLO-10", "ALG-10"} <= aanvraag and "ALG-05" not in aanvraag
    assert {"PWLO-18", "PWLO-19", "PWLO-20", "ALG-07"} <= ending and "PWLO-06" not in ending
    assert betaling | aanvraag | ending < every and len(betaling) < len(every) / 2
    line = load_plan(2026).part("PWLO-BEEINDIGING")
    assert line.work is Werkproces.BEEINDIGING and line.population.period_column == "einddatum"


@pytest.fixture
def plan_reviews(population):  # type: ignore[no-untyped-def]
    """The control run and the PW-LO samples of the 2026 plan in the second quarter, assigned to ali and bea."""
    with session_scope(population) as session:
        run_controls(session, actor="tester", catalogue=CATALOGUE)
    with session_scope(population) as session:
        drawn = draw_plan(
            session,
            2026,
            "2026-Q2",
            actor="teamleider",
            seed="werkproces",
            regeling="PW-LO",
            reviewers=["ali", "bea"],
        )
        return {d.part_id: d.sample.id for d in drawn if d.sample is not None}


def _reviews(session, sample_id: int) -> list[Review]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(Review).where(Review.sample_id == sample_id).order_by(Review.id)))


def test_the_items_of_a_plan_line_get_the_checklist_of_its_werkproces(population, plan_reviews):
    with session_scope(population) as session:
        betaling = _reviews(session, plan_reviews["PWLO-BETALING"])[0]
        checklist = item_checklist(session, betaling, CATALOGUE)
        assert checklist.work is Werkproces.BETALING
        shown = {c.id for c in checklist.answerable}
        assert "PWLO-06" in shown and "PWLO-01" not in shown
        full = {c.id for c in item_controls(CATALOGUE, item_frame(session, betaling))}
        assert shown < full | shown and "PWLO-01" in full, "without the werkproces: every control"
        ending = _reviews(session, plan_reviews["PWLO-BEEINDIGING"])[0]
        assert {c.id for c in item_checklist(session, ending, CATALOGUE).controls} >= {"PWLO-18", "PWLO-19"}


def test_a_control_whose_condition_does_not_hold_is_not_asked_and_recorded_as_nvt(population, plan_reviews):
    with session_scope(population) as session:
        for review in _reviews(session, plan_reviews["PWLO-BETALING"]):
            checklist = item_checklist(session, review, CATALOGUE)
            skipped = {s.control.id: s.reason for s in checklist.not_applicable}
            if "ALG-14" in skipped and not checklist.automated:
                break
        else:
            pytest.fail("geen schone, niet-handmatige betaling in de steekproef")
        assert skipped["ALG-14"] == "niet van toepassing: alleen bij een handmatige betaling"
        assert "ALG-14" not in {c.id for c in checklist.controls}
        answers = simulated_answers(checklist.controls, Decimal("0.00"))
        answers["ALG-14"] = {"voldaan": "nee"}  # given anyway (an old workbook): ignored, not judged
        saved = save_review(
            session,
            review.id,
            ReviewInput(answers),
            actor=review.reviewer,
            expected_version=review.version,
            submit=True,
            source="web",
            catalogue=CATALOGUE,
        )
        rows = {c.control_id: c for c in saved.controls}
        assert saved.verdict == "voldoet"
        assert rows["ALG-14"].verdict == "nvt" and rows["ALG-14"].answers == {
            NOT_APPLICABLE_REASON: skipped["ALG-14"]
        }
        assert "PWLO-01" not in rows, "a control of another werkproces is no part of the verdict"


def _with_finding(session, plan_reviews):  # type: ignore[no-untyped-def]
    for part in ("PWLO-BETALING", "PWLO-HERONDERZOEK", "PWLO-HANDMATIG"):
        for review in _reviews(session, plan_reviews.get(part, -1)):
            checklist = item_checklist(session, review, CATALOGUE)
            fin = [f for f in checklist.automated if f.control.error_type.value == "FIN"]
            if len(checklist.automated) == 1 and fin:
                return review, checklist, fin[0]
    pytest.fail("geen post met één geautomatiseerde fout")


def test_an_automated_fout_is_a_question_that_decides_the_verdict(population, plan_reviews):
    with session_scope(population) as session:
        review, checklist, finding = _with_finding(session, plan_reviews)
        control = finding.control.id
        book = session.get(SampleItem, review.sample_item_id).book_value
        answers = simulated_answers(checklist.controls, book)
        hand_in = {"actor": review.reviewer, "submit": True, "source": "web", "catalogue": CATALOGUE}
        with pytest.raises(ReviewAnswersInvalid) as missing:
            save_review(session, review.id, ReviewInput(answers), expected_version=review.version, **hand_in)
        assert [(p.control_id, [q.question for q in p.problems]) for p in missing.value.problems] == [
            (control, [AUTOMATED])
        ]
        refuted = answers | {control: {AUTOMATED: REFUTED}}
        with pytest.raises(ReviewAnswersInvalid, match="reden"):
            save_review(session, review.id, ReviewInput(refuted), expected_version=review.version, **hand_in)
        confirmed = answers | {control: {AUTOMATED: CONFIRMED, AUTOMATED_AMOUNT: "12,34"}}
        with pytest.raises(ReviewFieldInvalid) as cause:
            save_review(
                session, review.id, ReviewInput(confirmed), expected_version=review.version, **hand_in
            )
        assert cause.value.field == "oorzaak"
        saved = save_review(
            session, review.id, ReviewInput(confirmed, "systeem"), expected_version=review.version, **hand_in
        )
        row = next(c for c in saved.controls if c.control_id == control)
        assert (saved.verdict, saved.error_amount, row.verdict, row.amount) == (
            "fout",
            Decimal("12.34"),
            "fout",
            Decimal("12.34"),
        )
        assert (
            row.answers[AUTOMATED] == CONFIRMED
            and Decimal(row.answers["automatisch_verschil"]) == finding.difference
        )
        assert (row.control_version, row.content_hash) == (
            finding.control.version,
            finding.control.content_hash,
        )


def test_a_refuted_automated_fout_voldoet_with_its_reason(population, plan_reviews):
    with session_scope(population) as session:
        review, checklist, finding = _with_finding(session, plan_reviews)
        answers = simulated_answers(checklist.controls, Decimal("0.00")) | {
            finding.control.id: {AUTOMATED: REFUTED, AUTOMATED_REASON: "de inkomsten zijn in mei verrekend"}
        }
        saved = save_review(
            session,
            review.id,
            ReviewInput(answers),
            actor=review.reviewer,
            expected_version=review.version,
            submit=True,
            source="web",
            catalogue=CATALOGUE,
        )
        row = next(c for c in saved.controls if c.control_id == finding.control.id)
        assert saved.verdict == "voldoet" and row.verdict == "voldoet" and saved.cause_code is None
        assert row.answers[AUTOMATED_REASON] == "de inkomsten zijn in mei verrekend"


def test_a_fout_without_a_cause_is_refused_and_nothing_is_saved(population, plan_reviews):
    with session_scope(population) as session:
        review = _reviews(session, plan_reviews["PWLO-AANVRAAG"])[0]
        checklist = item_checklist(session, review, CATALOGUE)
        answers = simulated_answers(checklist.controls, Decimal("100.00"), Decimal("40.00"), "NORM_ONJUIST")
        with pytest.raises(ReviewFieldInvalid, match="oorzaak"):
            save_review(
                session,
                review.id,
                ReviewInput(answers),
                actor=review.reviewer,
                expected_version=review.version,
                submit=True,
                source="web",
                catalogue=CATALOGUE,
            )
        session.rollback()
        assert session.get(Review, review.id).status == "te_doen"


def test_alle_overige_vragen_voldoet_answers_only_what_is_still_open(population, plan_reviews):
    with session_scope(population) as session:
        review = _reviews(session, plan_reviews["PWLO-BETALING"])[0]
        frame = item_frame(session, review)
        control = next(
            c for c in item_checklist(session, review, CATALOGUE, frame).controls if c.id == "PWLO-06"
        )
        assert control.checklist is not None
        filled = fill_unanswered(control.checklist, {"bewijs_volledig": "nee"}, frame)
        asked_after = [q.id for q in control.checklist.questions if q.only_if]
        assert filled[control.checklist.questions[0].id] == "ja" and filled["bewijs_volledig"] == "nee"
        assert not set(asked_after) & set(filled), "a question asked only after another answer stays open"


def test_a_condition_is_shown_in_words_never_as_an_expression():
    control = CATALOGUE.version_for("PWLO-06", Q2)
    assert control.checklist is not None
    texts = [only_if_text(q, control.checklist) for q in control.checklist.questions if q.only_if]
    assert texts and all(t and "==" not in t and "'" not in t for t in texts)


def test_the_workbook_asks_the_automated_fout_and_refuses_a_fout_without_cause(
    population, plan_reviews, tmp_path
):
    """The review workbook holds the same questions as the page (the automated finding first) and its import
    refuses a fout without an oorzaak, recording nothing; with the oorzaak it records the confirmed fout."""
    with session_scope(population) as session:
        review, _checklist, finding = _with_finding(session, plan_reviews)
        sample_id, reviewer, key = review.sample_id, review.reviewer, review.item_key
        paths = export_workbooks(session, sample_id, tmp_path, actor="teamleider", catalogue=CATALOGUE)
        truth = {key: ("INKOMSTEN_NIET_VERREKEND", Decimal("25.00"))}
        answers = answers_for_sample(session, sample_id, truth, CATALOGUE)
    [path] = [p for p in paths if p.stem.endswith(reviewer)]
    rows = {(r[0], r[3], r[5]) for r in load_workbook(path)[CHECKLIST].iter_rows(min_row=2, values_only=True)}
    assert (review.id, finding.control.id, AUTOMATED) in rows
    assert answers[review.id][finding.control.id] == {AUTOMATED: CONFIRMED, AUTOMATED_AMOUNT: "25,00"}
    fill_answers(path, answers)
    with session_scope(population) as session, pytest.raises(WorkbookError) as refused:
        import_workbook(session, path, actor="teamleider", catalogue=CATALOGUE)
    assert [str(p.reason) for p in refused.value.problems] == [f"post {key}: {CAUSE_REQUIRED}"]
    fill_answers(path, answers, {review.id: ("klant", "inkomsten niet gemeld")})
    with session_scope(population) as session:
        import_workbook(session, path, actor="teamleider", catalogue=CATALOGUE)
        saved = session.get(Review, review.id)
        assert (saved.verdict, saved.error_amount, saved.cause_code) == ("fout", Decimal("25.00"), "klant")


QUESTION = """
regeling: PW-LO
controles:
  - id: EIGEN-02
    versie: 1
    geldig_van: 2015-01-01
    categorie: eigen
    vraag: Is de betaling juist?
    grondslag: Pw art. 21
    criterium: formeel
    fouttype: FORM
    checklist:
      vragen:
        - id: voldaan
          tekst: Is de betaling juist?
          type: janee
        - id: geaccordeerd
          tekst: Is de handmatige betaling door een tweede medewerker geaccordeerd?
          type: janee
          van_toepassing_als: handmatig
          van_toepassing_omschrijving: alleen bij een handmatige betaling
      oordeel:
        fout_als: voldaan == 'nee' or geaccordeerd == 'nee'
"""


@pytest.mark.parametrize("manual", [False, True])
def test_a_question_is_asked_only_when_its_condition_holds_for_the_item(tmp_path, manual):
    (tmp_path / "eigen.yaml").write_text(QUESTION, encoding="utf-8")
    control = load_catalogue(shipped=tmp_path).versions["EIGEN-02"][0]
    assert control.checklist is not None
    frame = pd.DataFrame(
        {"bedrag": pd.Series([10000], dtype="Int64"), "handmatig": pd.Series([manual], dtype="boolean")}
    )
    asked = [q.id for q in item_questions(control.checklist, frame)]
    assert asked == (["voldaan", "geaccordeerd"] if manual else ["voldaan"])
    if manual:
        with pytest.raises(AnswersInvalid, match="geaccordeerd: antwoord ontbreekt"):
            score(control, {"voldaan": "ja"}, frame)
    else:
        assert score(control, {"voldaan": "ja"}, frame).verdict == "voldoet"
