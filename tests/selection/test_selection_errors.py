"""Bad input raises SelectionError with a Dutch message, never a silent partial sample."""

import numpy as np
import pytest

from kic.sampling.selection import SelectionError, select_items, select_mus, select_risk_weighted

IDS = ["A", "B", "C", "D"]


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: select_mus(IDS, [1, 2, 3, 4], n=5, seed=1), "groter dan"),
        (lambda: select_mus(IDS, [1, 2, -3, 4], n=2, seed=1), "negatief"),
        (lambda: select_mus(IDS, [1.5, 2, 3, 4], n=2, seed=1), "centen"),
        (lambda: select_mus(IDS, [1, 2, 3], n=2, seed=1), "aantal bedragen"),
        (lambda: select_mus(["A", "A", "C", "D"], [1, 2, 3, 4], n=2, seed=1), "meer dan eens"),
        (lambda: select_mus(IDS, [1, 2, 3, 4], n=2, interval=5, seed=1), "niet beide"),
        (lambda: select_mus(IDS, [1, 2, 3, 4], n=2, seed=1, method="zeef"), "onbekende"),
        (lambda: select_mus(IDS, [1, 2, 3, 4], n=1, seed=1, start=11), "startpunt"),
        (lambda: select_mus(IDS, [1, 2, 3, 4], n=0, seed=1), "positief"),
        (lambda: select_items([], n=1, seed=1), "leeg"),
        (lambda: select_items(["A", "A"], n=1, seed=1), "meer dan eens"),
        (lambda: select_items(IDS, n=5, seed=1, method="systematic"), "groter dan"),
        (lambda: select_risk_weighted(IDS, [1, 2, 3, 4], [1, 0, 1, 1], n=2, seed=1), "risicogewicht"),
    ],
)
def test_bad_input_raises_selection_error_in_dutch(call, fragment):
    with pytest.raises(SelectionError, match=fragment):
        call()


def test_selection_error_is_a_value_error():
    assert issubclass(SelectionError, ValueError)


def test_negative_amounts_are_excluded_and_reported_on_request():
    sel = select_mus(IDS, np.array([100, -50, 0, 300]), n=2, seed=1, negatives="exclude")
    assert sel.negative_ids == ("B",) and sel.zero_ids == ("C",)
    assert set(sel.ids + sel.key_ids) == {"A", "D"}


def test_negative_amounts_can_be_selected_on_absolute_value():
    sel = select_mus(IDS, np.array([100, -5_000, 0, 300]), n=2, seed=1, negatives="absolute")
    assert sel.key_ids == ("B",) and sel.negative_ids == ("B",)
