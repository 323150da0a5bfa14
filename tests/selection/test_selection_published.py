"""Published selection examples, copied from the reference cases into tests/data/selection_cases.csv."""

import csv
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from kic.sampling.selection import select_items, select_mus

CASES_FILE = Path(__file__).parents[1] / "data" / "selection_cases.csv"
with CASES_FILE.open(encoding="utf-8", newline="") as handle:
    CASES = {row["case_id"]: row for row in csv.DictReader(handle)}


def case(case_id: str) -> tuple[dict, dict]:
    row = CASES[case_id]
    return json.loads(row["inputs"]), json.loads(row["expected"])


def test_item_interval_matches_touw_hoogduin_2011_ch1_p31():
    """Touw & Hoogduin (2011) ch. 1 p.31: 5 records, n = 2, start 1.2 -> B and D (case TH-ch1-01)."""
    inputs, expected = case("TH-ch1-01")
    sel = select_items(
        inputs["data"]["id"],
        n=inputs["size"],
        seed=0,
        method="systematic",
        start=Fraction(str(inputs["start"])),
    )
    assert list(sel.ids) == expected["sample.id"]


def test_mus_interval_matches_touw_hoogduin_2011_ch1_p34():
    """Touw & Hoogduin (2011) ch. 1 p.34: interval 9, start 2 -> A, C, D, G, I (case TH-ch1-02)."""
    inputs, expected = case("TH-ch1-02")
    data = inputs["data"]
    sel = select_mus(
        data["id"], data["value"], n=inputs["size"], seed=0, start=inputs["start"], key_items=False
    )
    assert list(sel.ids) == expected["sample.id"]
    assert sel.interval == 9 and sel.zero_ids == ("E",)


def test_touw_hoogduin_ch1_p34_with_key_items_selects_the_same_items():
    """With key-item extraction D (= interval 9) becomes a key item; the rest keeps interval 9."""
    inputs, expected = case("TH-ch1-02")
    data = inputs["data"]
    sel = select_mus(data["id"], data["value"], n=inputs["size"], seed=0, start=inputs["start"])
    assert sel.key_ids == ("D",)
    assert sorted(sel.ids + sel.key_ids) == expected["sample.id"]


def test_item_interval_matches_jfa_selection_regression_rows():
    """jfa test-selection.R (case JFA-sel-interval-items): N = 1000, n = 100, start 3 -> rows 3, 13, ..."""
    inputs, expected = case("JFA-sel-interval-items")
    ids = [f"{i:05d}" for i in range(1, inputs["N_items"] + 1)]
    sel = select_items(ids, n=inputs["size"], seed=0, method="systematic", start=inputs["start"])
    assert [int(i) for i in sel.ids] == expected["rows"]


def test_mus_interval_hits_match_jfa_interval_consistency_case():
    """jfa test-selection.R 'interval selection consistency' (case JFA-sel-interval-mus-238): hits per item.

    The book values have up to 4 decimals, so they are scaled by 10**4 to whole units.
    """
    inputs, expected = case("JFA-sel-interval-mus-238")
    values = [int(Decimal(str(v)) * 10_000) for v in inputs["book_values"]]
    ids = [f"{i:04d}" for i in range(len(values))]
    sel = select_mus(ids, values, n=inputs["size"], seed=0, start=inputs["start"] * 10_000, key_items=False)
    times = np.zeros(len(ids), dtype=int)
    times[[int(i) for i in sel.ids]] = sel.hits
    assert times.tolist() == expected["times_all_items"]
    assert [h for _, h in sorted(zip(sel.ids, sel.hits, strict=True))] == expected["times_per_selected_item"]


@pytest.mark.parametrize("case_id", ["TH-ch1-02"])
def test_published_mus_sample_does_not_depend_on_row_order(case_id):
    inputs, expected = case(case_id)
    data = inputs["data"]
    order = np.random.default_rng(5).permutation(len(data["id"]))
    sel = select_mus(
        np.array(data["id"])[order],
        np.array(data["value"])[order],
        n=inputs["size"],
        seed=0,
        start=inputs["start"],
        key_items=False,
    )
    assert list(sel.ids) == expected["sample.id"]
