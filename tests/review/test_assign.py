"""Assigning items to reviewers: fair turns, workload, and never one's own cases."""

from __future__ import annotations

import pytest

from kic.review.assign import AssignmentError, assign


def test_round_robin_takes_reviewers_in_turn():
    result = assign([(1, None), (2, None), (3, None), (4, None)], ["bea", "ali", "cor"])
    assert [a.reviewer for a in result] == ["ali", "bea", "cor", "ali"]


def test_nobody_reviews_a_payment_they_entered():
    result = assign([(i, "ali") for i in range(6)], ["ali", "bea"])
    assert {a.reviewer for a in result} == {"bea"}


def test_workload_gives_items_to_the_least_busy():
    result = assign([(1, None), (2, None), (3, None)], ["ali", "bea"], method="werklast", workload={"ali": 2})
    assert [a.reviewer for a in result] == ["bea", "bea", "ali"]


def test_a_second_reviewer_is_never_the_first_nor_the_one_who_entered_it():
    result = assign([(i, "cor") for i in range(5)], ["ali", "bea", "cor"], second=True)
    assert all(a.second_reviewer not in (a.reviewer, "cor") and a.second_reviewer for a in result)


def test_vier_ogen_with_one_reviewer_is_refused_with_the_item():
    with pytest.raises(AssignmentError, match="post 7"):
        assign([(7, None)], ["ali"], second=True)


def test_unknown_method_is_refused():
    with pytest.raises(AssignmentError, match="roulerend"):
        assign([(1, None)], ["ali"], method="loting")


def test_two_reviewers_with_vier_ogen_take_turns_as_first_reviewer():
    for method in ("roulerend", "werklast"):
        result = assign([(i, None) for i in range(4)], ["ali", "bea"], method=method, second=True)
        assert [(a.reviewer, a.second_reviewer) for a in result] == [
            ("ali", "bea"),
            ("bea", "ali"),
            ("ali", "bea"),
            ("bea", "ali"),
        ], method
