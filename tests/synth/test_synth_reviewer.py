"""The simulated reviewer of the demo answers an item from the ground truth: the automated findings, and the
errors only the dossier shows on the control the truth names, through the real review service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from kic.controls.loader import load_catalogue
from kic.db import session_scope
from kic.evaluation.evaluate import evaluate_period
from kic.periods import parse_period
from kic.review.checklist import AUTOMATED, AUTOMATED_AMOUNT, AUTOMATED_REASON, CONFIRMED, REFUTED
from kic.review.models import Review
from kic.review.service import AutomatedFinding, create_reviews
from kic.samples.draw import SampleSpec, draw_sample
from kic.samples.models import BESCHIKKING, SampleItem
from kic.synth.errors import FORMEEL, FOUT, ONZEKERHEID
from kic.synth.reviewer import (
    CAUSE_OF,
    Truth,
    TruthRow,
    books_amount,
    hand_in_sample,
    read_truth,
    simulated_answers,
    simulated_automated,
)

CATALOGUE = load_catalogue()
DAY = date(2026, 5, 1)
Q3 = parse_period("2026-Q3")


def _finding(control_id: str, difference: str = "50.00") -> AutomatedFinding:
    return AutomatedFinding(CATALOGUE.version_for(control_id, DAY), Decimal(difference), None)


def test_a_true_error_is_confirmed_once_with_its_amount():
    findings = [_finding("ALG-15"), _finding("PWLO-08"), _finding("PWLO-06")]  # FORM first, then two FIN
    answers = simulated_automated(findings, Decimal("40.00"))
    assert answers["ALG-15"] == {AUTOMATED: CONFIRMED}, "a formal finding has no amount"
    assert answers["PWLO-08"] == {AUTOMATED: CONFIRMED, AUTOMATED_AMOUNT: "40,00"}
    assert answers["PWLO-06"] == {AUTOMATED: CONFIRMED, AUTOMATED_AMOUNT: "0,00"}, (
        "the one error counted once"
    )
    assert books_amount(findings) and not books_amount(findings[:1])


def test_a_false_alarm_is_refuted_with_a_reason():
    answers = simulated_automated([_finding("PWLO-08")], Decimal("0.00"))
    assert answers["PWLO-08"][AUTOMATED] == REFUTED and answers["PWLO-08"][AUTOMATED_REASON]


# --- errors only the dossier shows, answered through the real review service ------------------------------


def _draw(engine, unit: str, n: int) -> int:  # type: ignore[no-untyped-def]
    """A sample without a plan line (every werkproces: the whole checklist) of PW-LO in 2026-Q3."""
    with session_scope(engine) as session:
        if unit == BESCHIKKING:
            spec = SampleSpec("PW-LO", Q3, n, "items", "random", date_column="besluitdatum", unit=BESCHIKKING)
        else:
            spec = SampleSpec("PW-LO", Q3, n, "items", "random", filter="bedrag > 0")
        sample = draw_sample(session, spec, seed=f"dossier-{unit}", actor="teamleider")
        create_reviews(session, sample.id, ["anna"], actor="teamleider")
        return sample.id


def _hand_in(session, sample_id: int, truth: Truth) -> tuple[dict[str, Review], dict[int, tuple[str, str]]]:  # type: ignore[no-untyped-def]
    notes = hand_in_sample(session, sample_id, truth, CATALOGUE, source="werkboek")
    reviews = session.scalars(select(Review).where(Review.sample_id == sample_id).order_by(Review.id)).all()
    return {r.item_key: r for r in reviews}, notes


def _books(session, sample_id: int) -> list[tuple[str, Decimal]]:  # type: ignore[no-untyped-def]
    items = session.scalars(
        select(SampleItem).where(SampleItem.sample_id == sample_id).order_by(SampleItem.position)
    )
    return [(i.item_key, Decimal(i.book_value)) for i in items]


def test_dossier_only_errors_on_payments_get_their_verdict_through_save_review(population):
    sample_id = _draw(population, "betaling", 6)
    with session_scope(population) as session:
        books = _books(session, sample_id)
        (k0, b0), (k1, b1), (k2, b2), (k3, _), (k4, _), (k5, _) = books
        part = (b2 / 4).quantize(Decimal("0.01"))
        truth = Truth(
            {
                k0: TruthRow("BEWIJS_ONTBREEKT", b0, ONZEKERHEID, "PWLO-08"),
                k1: TruthRow("VERHUISD_NIET_GEMELD", b1, FOUT, "ALG-07"),
                k2: TruthRow("INKOMSTEN_NIET_OPGEGEVEN", part, FOUT, "PWLO-08"),
                k3: TruthRow("BESLUIT_NIET_GEMOTIVEERD", Decimal("0.00"), FORMEEL, "ALG-09"),
                k4: TruthRow(
                    "BEWIJS_ONTBREEKT", Decimal("10.00"), ONZEKERHEID, "WMO-11"
                ),  # not asked for PW-LO
            }
        )
        saved, notes = _hand_in(session, sample_id, truth)
        outcome = {
            k: (r.verdict, r.error_amount, r.uncertain_amount, r.formal_findings) for k, r in saved.items()
        }
        assert outcome[k0] == ("onzekerheid", Decimal("0.00"), b0, 0)
        assert outcome[k1] == ("fout", b1, Decimal("0.00"), 0)
        assert outcome[k2] == ("fout", part, Decimal("0.00"), 0)
        assert outcome[k3] == ("fout", Decimal("0.00"), Decimal("0.00"), 1), "a formal fout has no amount"
        assert outcome[k4][0] == outcome[k5][0] == "voldoet"
        by_key = {r.item_key: r for r in saved.values()}
        assert {by_key[k].id for k in (k0, k1, k2, k3)} == set(notes), (
            "a cause only where an error is recorded"
        )
        assert by_key[k1].cause_code == "klant" and by_key[k0].cause_code == "proces"
        verdict = {c.control_id: (c.verdict, c.error_type) for c in by_key[k0].controls}
        assert verdict["PWLO-08"] == ("onzekerheid", "ONZ"), "found on the control the truth names"
        assert {c.control_id: c.verdict for c in by_key[k3].controls}["ALG-09"] == "fout"


def test_dossier_only_errors_on_beschikkingen_get_their_verdict_through_save_review(population):
    sample_id = _draw(population, BESCHIKKING, 4)
    with session_scope(population) as session:
        (k0, b0), (k1, _), (k2, b2), (k3, _) = _books(session, sample_id)
        truth = Truth(
            {
                k0: TruthRow("IDENTITEIT_NIET_VASTGESTELD", b0, ONZEKERHEID, "PWLO-01", BESCHIKKING),
                k1: TruthRow("BESLUIT_NIET_GEMOTIVEERD", Decimal("0.00"), FORMEEL, "ALG-09", BESCHIKKING),
                k2: TruthRow("VERMOGEN_NIET_VASTGESTELD", b2, ONZEKERHEID, "PWLO-09", BESCHIKKING),
            }
        )
        saved, _ = _hand_in(session, sample_id, truth)
        assert (saved[k0].verdict, saved[k0].uncertain_amount) == ("onzekerheid", b0)
        assert (saved[k1].verdict, saved[k1].formal_findings, saved[k1].error_amount) == (
            "fout",
            1,
            Decimal("0.00"),
        )
        assert (saved[k2].verdict, saved[k2].uncertain_amount) == ("onzekerheid", b2)
        assert saved[k3].verdict == "voldoet"
        result = evaluate_period(session, "2026-Q3", catalogue=CATALOGUE)
    rates = next(s for s in result.samples if s.sample_id == sample_id).rates
    assert (rates["fouten"].deviations, rates["onzekerheden"].deviations, rates["totaal"].deviations) == (
        1,
        2,
        3,
    )


def test_a_late_ending_is_answered_on_the_beeindiging_control_with_what_was_paid_after_the_move(population):
    with session_scope(population) as session:
        spec = SampleSpec("PW-LO", Q3, 2, "items", "random", date_column="einddatum", unit=BESCHIKKING)
        sample = draw_sample(session, spec, seed="einde", actor="teamleider")
        create_reviews(session, sample.id, ["anna"], actor="teamleider")
        [(key, _), *_] = _books(session, sample.id)
        truth = Truth(
            {key: TruthRow("VERHUISD_NIET_GEMELD", Decimal("321.09"), FOUT, "PWLO-18", BESCHIKKING)}
        )
        saved, notes = _hand_in(session, sample.id, truth)
    review = saved[key]
    assert review.verdict == "fout" and review.id in notes
    assert {c.control_id: c.amount for c in review.controls}["PWLO-18"] == Decimal("321.09")


def test_the_truth_maps_the_fouten_and_keeps_every_row(gemeente):
    truth = read_truth(gemeente.ground_truth_path)
    kinds = {row.kind for row in truth.rows.values()}
    assert kinds == {FOUT, ONZEKERHEID, FORMEEL}
    assert set(truth) == {k for k, r in truth.rows.items() if r.kind == FOUT}, "the mapping holds the fouten"
    assert all(truth[k] == (r.fouttype, r.amount) for k, r in truth.rows.items() if r.kind == FOUT)
    uncertain = [k for k, r in truth.rows.items() if r.kind == ONZEKERHEID and r.unit == "betaling"]
    assert truth.total(uncertain, ONZEKERHEID) == sum(truth.rows[k].amount for k in uncertain) > 0
    assert truth.total(uncertain, FOUT) == 0, "each estimate beside the truth of its own kind"
    hidden = [r for r in truth.rows.values() if r.control]
    assert hidden and all(r.fouttype in CAUSE_OF for r in truth.rows.values())


def test_the_older_truth_of_payments_only_still_reads(tmp_path):
    path = tmp_path / "grondwaarheid.csv"
    path.write_text(
        "betaling_id;fouttype;foutbedrag;omschrijving\nB000000001;NORM_ONJUIST;-12,50;x\n",
        encoding="utf-8-sig",
    )
    truth = read_truth(path)
    assert truth == {"B000000001": ("NORM_ONJUIST", Decimal("-12.50"))}
    assert truth.rows["B000000001"] == TruthRow("NORM_ONJUIST", Decimal("-12.50"))


def test_an_old_style_caller_naming_a_dossier_only_type_answers_on_its_control():
    controls = [CATALOGUE.version_for(i, DAY) for i in ("ALG-04", "PWLO-06", "PWLO-08")]
    answers = simulated_answers(controls, Decimal("900.00"), Decimal("40.00"), "INKOMSTEN_NIET_OPGEGEVEN")
    assert answers["PWLO-08"]["voldaan"] == "nee" and answers["PWLO-08"]["juist_bedrag"] == "860,00"
    assert answers["ALG-04"]["voldaan"] == answers["PWLO-06"]["norm_juist"] == "ja"
    uncertain = simulated_answers(controls, Decimal("900.00"), Decimal("900.00"), "BEWIJS_ONTBREEKT")
    assert uncertain["PWLO-08"] == {"voldaan": "ja", "bewijs_volledig": "nee"}
