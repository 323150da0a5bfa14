"""A small, safe expression language for automated controls, evaluated vectorised over pandas.

An expression is parsed with Python's ``ast`` module and then checked against a whitelist of
node types: comparisons, arithmetic, and/or/not, ``in`` with a literal list, literals, column
names (also ``beschikking.x``) and a handful of functions. Anything else is refused with a
Dutch message naming the construct. Evaluation walks the checked tree itself; nothing from a
control file ever reaches ``eval``, ``exec`` or ``compile``.

Money is exact: money columns are integer cents, and a plain number next to money is read as
euros (``bedrag > 1000`` means € 1.000). Missing values propagate: a comparison with a missing
value is itself missing, which the engine reports as *niet te beoordelen*; so does a division by
zero.

A gemeente writes these expressions, so the language has a budget that ``parse`` checks and
evaluation enforces: at most ``MAX_DEPTH`` levels of nesting (checked without recursion), numbers
written in an expression at most ``MAX_NUMBER``, no repetition of a text with ``*``, and every
outcome of arithmetic at most ``MAX_RESULT`` in size. The last bound keeps integer cents exact
(numpy would wrap an overflowing int64 around without a word) and keeps every value exact in a
float64 too; a column whose arithmetic crosses it fails that one control, in Dutch.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kic.controls.errors import ExpressionError

MAX_LENGTH = 1_000
MAX_DEPTH = 50  # levels of nesting; a chain of 50 additions is one level per term
MAX_NUMBER = 10**12  # a number written in an expression: beside money, a trillion euros
MAX_RESULT = 10**15  # any outcome of arithmetic (cents, beside money): exact in int64 and float64
TEXT_REPEAT = "tekst herhalen met * is niet toegestaan"
PREFIX = "beschikking"  # the only object an expression may read attributes of: beschikking.<kolom>
DOSSIER_PREFIX = PREFIX + "."  # how those names look after parsing (and in the control frame)

_CONSTRUCTS: dict[type, str] = {
    ast.Lambda: "lambda (anonieme functie)",
    ast.Subscript: "indexering met [...]",
    ast.ListComp: "lijst-comprehension",
    ast.SetComp: "set-comprehension",
    ast.DictComp: "dict-comprehension",
    ast.GeneratorExp: "generator-expressie",
    ast.Dict: "woordenboek {...}",
    ast.Set: "verzameling {...}",
    ast.IfExp: "'x if y else z'",
    ast.NamedExpr: "toekenning met :=",
    ast.Starred: "uitpakken met *",
    ast.JoinedStr: "f-string",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.Slice: "slice",
}
_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}
FUNCTIONS: dict[str, int | tuple[int, int]] = {
    # name -> number of arguments (or a range)
    "isnull": 1,
    "notnull": 1,
    "coalesce": (2, 5),
    "abs": 1,
    "min": 2,
    "max": 2,
    "days": 2,
    "year": 1,
    "month": 1,
    "len": 1,
    "date": 1,
}


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, its tree and the column names it reads."""

    text: str
    tree: ast.Expression
    names: frozenset[str]


def parse(text: str) -> Expression:
    """Parse and check ``text``; raise ExpressionError naming the first construct not allowed."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("lege expressie")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expressie langer dan {MAX_LENGTH} tekens")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"onleesbare expressie: {getattr(exc, 'msg', exc)}") from None
    _check_depth(tree.body)
    names: set[str] = set()
    _check(tree.body, names)
    return Expression(text, tree, frozenset(names))


def _check_depth(root: ast.expr) -> None:
    """Refuse a tree deeper than MAX_DEPTH before anything walks it recursively (``-`` * 995 + ``1``)."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"expressie te diep genest (meer dan {MAX_DEPTH} niveaus)")
        stack.extend(
            (child, depth + 1) for child in ast.iter_child_nodes(node) if isinstance(child, ast.expr)
        )


def _check_number(value: object) -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not abs(value) <= MAX_NUMBER:
        raise ExpressionError(f"getal te groot: {value!r} (hoogstens {_dutch(MAX_NUMBER)})")


def _dutch(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _check(node: ast.AST, names: set[str]) -> None:
    match node:
        case ast.BoolOp() | ast.UnaryOp(op=ast.Not() | ast.USub() | ast.UAdd()):
            for child in node.values if isinstance(node, ast.BoolOp) else [node.operand]:
                _check(child, names)
        case ast.BinOp(op=op) if type(op) in _BINOPS:
            if isinstance(op, ast.Mult) and any(
                isinstance(side, ast.Constant) and isinstance(side.value, str)
                for side in (node.left, node.right)
            ):
                raise ExpressionError(TEXT_REPEAT)
            _check(node.left, names)
            _check(node.right, names)
        case ast.Compare():
            _check_compare(node, names)
        case ast.Constant(value=value):
            if not isinstance(value, (int, float, str, bool, type(None))):
                raise ExpressionError(f"letterlijke waarde van soort {type(value).__name__} niet toegestaan")
            _check_number(value)
        case ast.Name(id=name):
            names.add(_column_name(name))
        case ast.Attribute():
            names.add(_attribute_name(node))
        case ast.Call():
            _check_call(node, names)
        case _:
            raise ExpressionError(f"niet toegestaan in een expressie: {_describe(node)}")


def _describe(node: ast.AST) -> str:
    if isinstance(node, (ast.BinOp, ast.UnaryOp)):
        return f"de bewerking {type(node.op).__name__}"
    return _CONSTRUCTS.get(type(node), type(node).__name__)


def _shown(node: ast.AST) -> str:
    """The offending source text, shortened, for the message (never executed)."""
    return _shortened(ast.unparse(node))


def _shortened(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _column_name(name: str) -> str:
    if name.startswith("_"):
        raise ExpressionError(f"naam '{name}' niet toegestaan (begint met een liggend streepje)")
    if name in FUNCTIONS:
        raise ExpressionError(f"'{name}' is een functie; roep hem aan als {name}(...)")
    return name


def _attribute_name(node: ast.Attribute) -> str:
    if not (isinstance(node.value, ast.Name) and node.value.id == PREFIX) or node.attr.startswith("_"):
        raise ExpressionError(f"attribuut '{_shown(node)}' niet toegestaan; alleen {PREFIX}.<kolom> mag")
    return f"{PREFIX}.{node.attr}"


def _check_compare(node: ast.Compare, names: set[str]) -> None:
    _check(node.left, names)
    for op, right in zip(node.ops, node.comparators, strict=True):
        if isinstance(op, (ast.In, ast.NotIn)):
            if not isinstance(right, (ast.List, ast.Tuple)) or not all(
                isinstance(e, ast.Constant) and isinstance(e.value, (int, float, str)) for e in right.elts
            ):
                raise ExpressionError(
                    "'in' alleen met een letterlijke lijst, zoals regeling in ['WMO', 'JEUGD']"
                )
            for element in right.elts:
                _check_number(element.value)  # type: ignore[attr-defined]
        elif type(op) in _COMPARE:
            _check(right, names)
        else:
            raise ExpressionError(f"vergelijking {type(op).__name__} niet toegestaan")


def _check_call(node: ast.Call, names: set[str]) -> None:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        raise ExpressionError(
            f"aanroep van '{_shown(node.func)}' niet toegestaan; alleen de functies "
            f"{', '.join(sorted(FUNCTIONS))}"
        )
    if node.keywords:
        raise ExpressionError(f"{node.func.id}(): benoemde argumenten niet toegestaan")
    arity = FUNCTIONS[node.func.id]
    low, high = arity if isinstance(arity, tuple) else (arity, arity)
    if not low <= len(node.args) <= high:
        raise ExpressionError(
            f"{node.func.id}() verwacht {low if low == high else f'{low} tot {high}'} argument(en)"
        )
    if node.func.id == "date" and not (
        isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
    ):
        raise ExpressionError("date() verwacht een letterlijke datum, zoals date('2025-01-01')")
    for arg in node.args:
        _check(arg, names)


# --- evaluation -------------------------------------------------------------------------------


class _TooLarge(ExpressionError):
    """An outcome of arithmetic above MAX_RESULT; the caller names the part of the expression."""


@dataclass(frozen=True)
class _Value:
    data: Any  # a Series or a scalar
    money: bool = False  # integer cents (or fractional cents after a division)


class Context:
    """The columns an expression may read, and which of them are money in cents."""

    def __init__(
        self,
        columns: Mapping[str, pd.Series],
        money: Collection[str],
        length: int,
        index: pd.Index | None = None,
    ) -> None:
        self.columns, self.money, self.length = columns, frozenset(money), length
        self.index = index if index is not None else pd.RangeIndex(length)

    @classmethod
    def of_frame(cls, frame: pd.DataFrame, money: Collection[str]) -> Context:
        return cls({c: frame[c] for c in frame.columns}, money, len(frame), frame.index)

    def column(self, name: str) -> _Value:
        if name not in self.columns:
            raise ExpressionError(f"onbekende kolom '{name}'")
        return _Value(self.columns[name], name in self.money)


def evaluate(expression: Expression, context: Context) -> tuple[pd.Series, bool]:
    """The value of ``expression`` for every row: a Series, and whether it is money (cents).

    A gemeente writes these expressions, so whatever pandas or numpy refuses for the types it was given
    (a text compared with a number, the absolute value of a date) is the writer's error: one Dutch
    ExpressionError naming the expression, never an exception from the library.
    """
    try:
        with np.errstate(all="ignore"):  # 0/0, NaN compared: missing values, judged as "niet te beoordelen"
            value = _eval(expression.tree.body, context)
    except ExpressionError:
        raise
    except (TypeError, ValueError, ArithmeticError, NotImplementedError):
        raise ExpressionError(
            f"'{_shortened(expression.text)}' combineert waarden die niet samengaan "
            "(tekst, datum, getal of bedrag)"
        ) from None
    except (RecursionError, MemoryError):  # the budget should prevent both; never let one end a whole run
        raise ExpressionError(f"'{_shortened(expression.text)}' is te groot om uit te rekenen") from None
    data = value.data
    if not isinstance(data, pd.Series):
        data = pd.Series([data] * context.length, index=context.index)
    return data, value.money


def evaluate_condition(expression: Expression, context: Context) -> pd.Series:
    """A boolean expression as a nullable boolean Series (missing = could not be judged)."""
    data, _money = evaluate(expression, context)
    try:
        return data.astype("boolean")
    except (TypeError, ValueError):
        raise ExpressionError(f"'{expression.text}' geeft geen waar/onwaar") from None


def _eval(node: ast.AST, ctx: Context) -> _Value:
    match node:
        case ast.Constant(value=value):
            return _Value(value)
        case ast.Name(id=name):
            return ctx.column(name)
        case ast.Attribute():
            return ctx.column(_attribute_name(node))
        case ast.BoolOp():
            return _bool_op(node, ctx)
        case ast.UnaryOp():
            return _unary(node, ctx)
        case ast.BinOp():
            left, right = _eval(node.left, ctx), _eval(node.right, ctx)
            try:
                result = _binary(type(node.op), left, right)
                _within_budget(result.data)
            except _TooLarge:
                raise ExpressionError(
                    f"getal te groot: de uitkomst van '{_shown(node)}' komt boven {_dutch(MAX_RESULT)}"
                ) from None
            return result
        case ast.Compare():
            return _compare(node, ctx)
        case ast.Call():
            return _call(node, ctx)
    raise ExpressionError(f"niet toegestaan in een expressie: {_describe(node)}")


def _as_bool(value: _Value) -> Any:
    """A value as a (nullable) truth value; a text or a date is no truth value (no Python truthiness)."""
    data = value.data
    if isinstance(data, pd.Series):
        if not (pd.api.types.is_bool_dtype(data.dtype) or pd.api.types.is_numeric_dtype(data.dtype)):
            raise ExpressionError("alleen ja/nee-waarden en getallen kunnen waar of onwaar zijn")
        return data.astype("boolean")
    if isinstance(data, str | pd.Timestamp):
        raise ExpressionError("alleen ja/nee-waarden en getallen kunnen waar of onwaar zijn")
    return pd.NA if data is None else bool(data)


def _bool_op(node: ast.BoolOp, ctx: Context) -> _Value:
    values = [_as_bool(_eval(v, ctx)) for v in node.values]
    result = values[0]
    for other in values[1:]:
        result = (result & other) if isinstance(node.op, ast.And) else (result | other)
    return _Value(result)


def _unary(node: ast.UnaryOp, ctx: Context) -> _Value:
    operand = _eval(node.operand, ctx)
    if isinstance(node.op, ast.Not):
        truth = _as_bool(operand)
        return _Value(~truth if isinstance(truth, pd.Series) else (pd.NA if truth is pd.NA else not truth))
    if (
        isinstance(operand.data, str)
        or _is_date(operand.data)
        or (isinstance(operand.data, pd.Series) and not pd.api.types.is_numeric_dtype(operand.data.dtype))
    ):
        raise ExpressionError("een teken (+ of -) hoort alleen voor een getal of bedrag")
    if operand.data is None:
        return _Value(None, operand.money)
    return _Value(-operand.data if isinstance(node.op, ast.USub) else operand.data, operand.money)


def _scaled(value: _Value, money: bool) -> Any:
    """A plain number beside money is euros: scale it to cents."""
    if money and not value.money and not _is_date(value.data) and not isinstance(value.data, str):
        return value.data * 100
    return value.data


def _is_date(data: Any) -> bool:
    if isinstance(data, pd.Series):
        return pd.api.types.is_datetime64_any_dtype(data.dtype)
    return isinstance(data, pd.Timestamp)


def _binary(op: type, left: _Value, right: _Value) -> _Value:
    if op is ast.Mult and left.money and right.money:
        raise ExpressionError("bedrag maal bedrag heeft geen betekenis")
    if op is ast.Mult and "tekst" in (_kind(left), _kind(right)):
        raise ExpressionError(TEXT_REPEAT)  # a column of names times 10**8 would fill the memory
    if op in (ast.Add, ast.Sub):
        money = left.money or right.money
        return _Value(_apply(_BINOPS[op], _scaled(left, money), _scaled(right, money)), money)
    if op is ast.Div:
        return _Value(_divide(left.data, right.data), left.money and not right.money)
    return _Value(_apply(_BINOPS[op], left.data, right.data), left.money or (right.money and op is ast.Mult))


def _apply(fn: Callable[[Any, Any], Any], left: Any, right: Any) -> Any:
    if left is None or right is None:
        return None
    if fn is not _BINOPS[ast.Div] and _wraps_around(fn, left, right):  # a division gives floats
        raise _TooLarge
    try:
        return fn(left, right)
    except (TypeError, ValueError) as exc:
        raise ExpressionError(f"bewerking op onverenigbare waarden: {exc}") from None
    except ZeroDivisionError:
        return None


def _divide(left: Any, right: Any) -> Any:
    """A division; by zero it is missing, for a column as for a single value (never infinite)."""
    result = _apply(_BINOPS[ast.Div], left, right)
    if isinstance(result, pd.Series) and pd.api.types.is_float_dtype(result.dtype):
        infinite = np.isinf(result.to_numpy(dtype=float, na_value=np.nan))
        if infinite.any():
            result = result.mask(infinite)
    return result


def _is_integer_column(data: Any) -> bool:
    return (
        isinstance(data, pd.Series)
        and pd.api.types.is_integer_dtype(data.dtype)
        and not pd.api.types.is_bool_dtype(data.dtype)
    )


def _floats(data: Any) -> Any:
    if isinstance(data, pd.Series):
        return data.to_numpy(dtype=float, na_value=np.nan)
    return float(data)


def _is_number(data: Any) -> bool:
    if isinstance(data, pd.Series):
        return pd.api.types.is_numeric_dtype(data.dtype)
    return isinstance(data, (int, float, np.number))


def _wraps_around(fn: Callable[[Any, Any], Any], left: Any, right: Any) -> bool:
    """Whether integer arithmetic on a column would pass MAX_RESULT, where int64 silently wraps around.

    Computed beforehand in float64, vectorised: the outcome's size is all that matters here.
    """
    if not (_is_integer_column(left) or _is_integer_column(right)) or not (
        _is_number(left) and _is_number(right)
    ):
        return False
    return bool(np.any(np.abs(fn(_floats(left), _floats(right))) > MAX_RESULT))


def _within_budget(data: Any) -> None:
    """Refuse an outcome of arithmetic larger than MAX_RESULT (a float column would reach inf)."""
    if data is None or isinstance(data, (str, bool)) or not _is_number(data):
        return
    if isinstance(data, pd.Series):
        too_large = bool(np.any(np.abs(_floats(data)) > MAX_RESULT))
    else:
        too_large = not abs(data) <= MAX_RESULT  # a Python int stays exact; NaN counts as too large
    if too_large:
        raise _TooLarge


def _compare(node: ast.Compare, ctx: Context) -> _Value:
    left = _eval(node.left, ctx)
    result: Any = True
    for op, right_node in zip(node.ops, node.comparators, strict=True):
        if isinstance(op, (ast.In, ast.NotIn)):
            part = _membership(left, right_node, negate=isinstance(op, ast.NotIn))
            right = left
        else:
            right = _eval(right_node, ctx)
            money = left.money or right.money
            part = _with_missing(_COMPARE[type(op)], _scaled(left, money), _scaled(right, money))
        result = part if result is True else (_as_bool(_Value(result)) & _as_bool(_Value(part)))
        left = right
    return _Value(result)


def _with_missing(fn: Callable[[Any, Any], Any], left: Any, right: Any) -> Any:
    """Compare; where either side is missing the answer is missing too (not False)."""
    if left is None or right is None:
        return None
    try:
        raw = fn(left, right)
    except TypeError as exc:
        raise ExpressionError(f"vergelijking van onverenigbare waarden: {exc}") from None
    if not isinstance(raw, pd.Series):
        return raw
    missing = _missing(left) | _missing(right)
    result = raw.astype("boolean")
    if np.any(missing):
        result = result.mask(missing, pd.NA)
    return result


def _missing(data: Any) -> Any:
    return data.isna().to_numpy() if isinstance(data, pd.Series) else False


def _membership(left: _Value, right: ast.AST, *, negate: bool) -> Any:
    items = [e.value for e in right.elts]  # type: ignore[attr-defined]
    if left.money:
        items = [round(i * 100) if not isinstance(i, str) else i for i in items]
    if isinstance(left.data, pd.Series):
        hit = left.data.isin(items).astype("boolean").mask(left.data.isna().to_numpy(), pd.NA)
        return ~hit if negate else hit
    return (left.data not in items) if negate else (left.data in items)


def _call(node: ast.Call, ctx: Context) -> _Value:
    name = node.func.id  # type: ignore[attr-defined]
    if name == "date":
        return _Value(pd.Timestamp(_date_literal(node.args[0].value)))  # type: ignore[attr-defined]
    args = [_eval(a, ctx) for a in node.args]
    return _FUNCTION_IMPL[name](args)


def _date_literal(text: str) -> str:
    try:
        pd.Timestamp(text)
    except ValueError:
        raise ExpressionError(f"date('{text}'): geen geldige datum (jjjj-mm-dd)") from None
    return text


def _series_op(args: list[_Value], fn: Callable[[pd.Series], Any]) -> Any:
    data = args[0].data
    if isinstance(data, pd.Series):
        return fn(data)
    return fn(pd.Series([data])).iloc[0]


def _isnull(args: list[_Value]) -> _Value:
    data = args[0].data
    return _Value(data.isna() if isinstance(data, pd.Series) else data is None)


def _notnull(args: list[_Value]) -> _Value:
    data = args[0].data
    return _Value(data.notna() if isinstance(data, pd.Series) else data is not None)


def _kind(value: _Value) -> str | None:
    """What a value is, in the words of the error message (None: missing, fits anything)."""
    data = value.data
    if data is None:
        return None
    if _is_date(data):
        return "datum"
    if isinstance(data, pd.Timedelta) or (
        isinstance(data, pd.Series) and pd.api.types.is_timedelta64_dtype(data.dtype)
    ):
        return "duur"
    if isinstance(data, pd.Series):
        if pd.api.types.is_bool_dtype(data.dtype):
            return "ja/nee"
        return "getal" if pd.api.types.is_numeric_dtype(data.dtype) else "tekst"
    if isinstance(data, bool):
        return "ja/nee"
    return "tekst" if isinstance(data, str) else "getal"


def _coalesce(args: list[_Value]) -> _Value:
    kinds = {k for k in map(_kind, args) if k is not None}
    if len(kinds) > 1:
        raise ExpressionError(f"coalesce vraagt waarden van één soort, niet {' en '.join(sorted(kinds))}")
    money = any(a.money for a in args)
    result = _scaled(args[0], money)
    for other in args[1:]:
        value = _scaled(other, money)
        if isinstance(result, pd.Series):
            result = result.fillna(value)
        elif result is None:
            result = value
    return _Value(result, money)


def _min_max(args: list[_Value], smallest: bool) -> _Value:
    money = args[0].money or args[1].money
    a, b = _scaled(args[0], money), _scaled(args[1], money)
    if not isinstance(a, pd.Series) and not isinstance(b, pd.Series):
        return _Value(None if a is None or b is None else (min(a, b) if smallest else max(a, b)), money)
    if not isinstance(a, pd.Series):
        a, b = b, a
    keep = (a <= b) if smallest else (a >= b)
    result = a.where(keep.fillna(False).astype(bool), b)
    return _Value(
        result.mask(_missing(a) | _missing(b)) if np.any(_missing(a) | _missing(b)) else result, money
    )


def _days(args: list[_Value]) -> _Value:
    start, end = args[0].data, args[1].data
    if not (_is_date(start) and _is_date(end)):
        raise ExpressionError("days(a, b) verwacht twee datums")
    delta = end - start
    return _Value(delta.dt.days.astype("Int64") if isinstance(delta, pd.Series) else delta.days)


def _date_part(args: list[_Value], part: str) -> _Value:
    if not _is_date(args[0].data):
        raise ExpressionError(f"{part}() verwacht een datum")
    data = args[0].data
    return _Value(
        getattr(data.dt, part).astype("Int64") if isinstance(data, pd.Series) else getattr(data, part)
    )


_FUNCTION_IMPL: dict[str, Callable[[list[_Value]], _Value]] = {
    "isnull": _isnull,
    "notnull": _notnull,
    "coalesce": _coalesce,
    "abs": lambda args: _Value(_series_op(args, lambda s: s.abs()), args[0].money),
    "min": lambda args: _min_max(args, smallest=True),
    "max": lambda args: _min_max(args, smallest=False),
    "days": _days,
    "year": lambda args: _date_part(args, "year"),
    "month": lambda args: _date_part(args, "month"),
    "len": lambda args: _Value(_series_op(args, lambda s: s.astype("string").str.len())),
}
