"""The expression language under fuzzing (issue 14, property-based): whatever a gemeente writes in a
control or a plan filter, kic answers with a Dutch ExpressionError or a value per row, never with
another exception, and never runs Python that is not in the language."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kic.controls.errors import ExpressionError
from kic.controls.expressions import FUNCTIONS, Context, evaluate, parse

FRAME = pd.DataFrame(
    {
        "bedrag": pd.array([10_000, -250, 0, None], dtype="Int64"),
        "uren": pd.array([1.5, 0.0, None, 3.0], dtype="Float64"),
        "regeling": pd.array(["PW-LO", "WMO", None, ""], dtype="string"),
        "datum": pd.to_datetime(["2026-01-31", "2026-02-28", None, "2026-12-31"]),
        "actief": pd.array([True, False, None, True], dtype="boolean"),
    }
)
CONTEXT = Context.of_frame(FRAME, money={"bedrag"})
TOKENS = [
    *FRAME.columns,
    *FUNCTIONS,
    "beschikking.bedrag",
    "onbekend",
    "0",
    "1",
    "2,5",
    "3.5",
    "1e308",
    "-",
    "+",
    "*",
    "/",
    "//",
    "%",
    "**",
    "==",
    "!=",
    "<",
    ">=",
    " and ",
    " or ",
    "not ",
    " in ",
    " if ",
    " else ",
    "(",
    ")",
    "[",
    "]",
    ",",
    "'PW-LO'",
    '"x"',
    "None",
    "True",
    "__class__",
    ".",
    "lambda x: x",
    "__import__('os')",
    " ",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=12))
def test_any_text_is_refused_in_dutch_or_evaluated_per_row(tokens: list[str]) -> None:
    text = "".join(tokens)
    try:
        expression = parse(text)
        values, _money = evaluate(expression, CONTEXT)
    except ExpressionError as exc:
        assert str(exc)
        return
    assert len(values) == len(FRAME)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_characters_never_escape_the_language(text: str) -> None:
    try:
        values, _money = evaluate(parse(text), CONTEXT)
    except ExpressionError:
        return
    assert len(values) == len(FRAME)
    assert not isinstance(values, np.ndarray | type(None))


ATOMS = st.sampled_from(["bedrag", "uren", "regeling", "datum", "actief", "0", "1", "2.5", "'PW-LO'", "None"])


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(
        inner, st.sampled_from(["+", "-", "*", "/", "==", "<", ">=", "and", "or", "in"]), inner
    )
    calls = st.tuples(st.sampled_from(["isnull", "abs", "year", "len", "notnull"]), inner)
    two = st.tuples(st.sampled_from(["min", "max", "days", "coalesce"]), inner, inner)
    return st.one_of(
        binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        calls.map(lambda t: f"{t[0]}({t[1]})"),
        two.map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        inner.map(lambda e: f"not {e}"),
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
    )


@settings(max_examples=800, deadline=None)
@given(st.recursive(ATOMS, _combine, max_leaves=8))
def test_well_formed_expressions_of_any_types_are_judged_or_refused_in_dutch(text: str) -> None:
    """Well-formed trees over columns of every type: mixing types (a text plus a date) must be a Dutch
    refusal, not a TypeError from pandas."""
    try:
        values, _money = evaluate(parse(text), CONTEXT)
    except ExpressionError as exc:
        assert str(exc)
        return
    assert len(values) == len(FRAME)
