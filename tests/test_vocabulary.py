"""One vocabulary (issue 14): the stored words are defined once and every module uses those."""

from __future__ import annotations

from kic.controls import checks
from kic.plan.schema import SELECTIONS, Doel, Methode
from kic.review import checklist
from kic.review import models as review_models
from kic.samples import draw, models
from kic.vocabulary import JUDGED, ControlStatus, Method, Purpose, ReviewStatus, Unit, Verdict


def test_the_stored_words_are_the_vocabulary() -> None:
    assert checklist.VERDICTS == JUDGED and Verdict.CONCEPT not in JUDGED
    assert tuple(ReviewStatus) == review_models.STATUSES
    assert models.UNITS == ("betaling", "beschikking") == tuple(Unit)
    assert draw.PURPOSES == ("statistisch", "gericht", "preventief") and Doel is Purpose
    assert checks.STATUS_NAMES == ("voldoet", "fout", "nvt", "niet_te_beoordelen")
    assert checks.FOUT == ControlStatus.FOUT == 1


def test_the_plan_and_the_cycle_name_the_same_methods_and_selections() -> None:
    assert {m.method for m in Methode} == set(Method)
    for methode in Methode:
        assert SELECTIONS[methode] == draw.METHODS[methode.method]


def test_members_compare_equal_to_what_older_records_store() -> None:
    assert Verdict.FOUT == "fout" and ReviewStatus.TER_REVIEW == "ter_review" and Method.ITEMS == "items"
