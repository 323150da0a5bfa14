"""Text that a database cannot hold is refused before it is sent, the same on SQLite and PostgreSQL.

PostgreSQL refuses a NUL character in text and a value longer than a ``VARCHAR``'s length with a
driver error (an HTTP 500 in the web); SQLite stores the first cut off at the NUL and the second in
full. Neither should depend on the database. Two checks, registered for every session and engine
when :mod:`kic.db.base` is imported (so when any model is):

- before every flush, each String/Text attribute of every new or changed mapped object, and each
  string inside a JSON attribute, is checked for a NUL character (and for half of a surrogate pair,
  which no driver can encode: another traceback) and against the column's length;
  :class:`ValueRefused` names every field (a Dutch label and ``table.column``) with its reason, and
  the flush writes nothing;
- just before a statement runs outside a flush (a lookup by login name, a Core insert or update),
  its text parameters are checked for those characters. A bulk ``executemany`` is left alone: the
  population import (``kic.population.store``) validates its own rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import JSON, Column, Delete, Engine, Insert, Select, String, Table, Update, event
from sqlalchemy.orm import Mapper, Session, UOWTransaction
from sqlalchemy.orm.state import InstanceState
from sqlalchemy.sql.type_api import TypeEngine
from sqlalchemy.types import TypeDecorator

from kic.errors import KicError
from kic.formatting import number

NUL = "\x00"
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# The fields people type or import, by the name they know them by; any other is named table.column.
LABELS = {
    "user_account.username": "gebruikersnaam",
    "user_account.display_name": "naam van de gebruiker",
    "review.explanation": "toelichting",
    "review.second_comment": "opmerking van de tweede beoordelaar",
    "review.cause_code": "oorzaak",
    "review_control.answers": "antwoorden",
    "review_evidence.file_name": "bestandsnaam van het bewijs",
    "review_evidence.reference": "verwijzing naar het bewijs",
    "review_import.file_name": "bestandsnaam van het werkboek",
    "improvement_action.title": "titel van de verbeteractie",
    "improvement_action.description": "omschrijving van de verbeteractie",
    "improvement_action.owner": "eigenaar van de verbeteractie",
    "improvement_action.closing_decision": "besluit over de verbeteractie",
    "population_snapshot.source_name": "bestandsnaam van de populatie",
    "sample.seed": "seed van de steekproef",
    "audit_event.actor": "gebruiker in het auditspoor",
    "audit_event.action": "actie in het auditspoor",
    "audit_event.object_type": "soort object in het auditspoor",
    "audit_event.object_id": "object in het auditspoor",
}
# Tables that record a change made elsewhere in the same flush: a NUL there repeats the one in the
# changed object itself, so it is named only when nothing else is.
MIRRORS = frozenset({"audit_event"})


class ValueRefused(KicError, ValueError):
    """Text a database cannot store as given: a NUL character, or longer than its column allows.

    ``by_field`` holds the reasons per ``table.column``; the message names every field."""


@dataclass(frozen=True)
class Problem:
    field: str  # table.column
    reason: str  # Dutch

    def __str__(self) -> str:
        label = LABELS.get(self.field)
        return f"{label} ({self.field}) {self.reason}" if label else f"{self.field} {self.reason}"


def refuse(problems: list[Problem], what: str = "niet opgeslagen") -> None:
    """Raise :class:`ValueRefused` for ``problems`` (mirrors left out when anything else is wrong)."""
    own = [p for p in problems if p.field.split(".")[0] not in MIRRORS] or problems
    if not own:
        return
    raise ValueRefused(f"{what}: " + "; ".join(map(str, own)), by_field={p.field: [p.reason] for p in own})


def text_problem(field: str, value: str, length: int | None) -> Problem | None:
    """Why ``value`` cannot be stored in a text column of ``length`` characters (None: no limit)."""
    if (reason := _unstorable(value, "opgeslagen")) is not None:
        return Problem(field, reason)
    if length is not None and len(value) > length:
        return Problem(
            field, f"is {number(len(value))} tekens lang; er passen er ten hoogste {number(length)} in"
        )
    return None


def json_problem(field: str, value: Any) -> Problem | None:
    """A NUL character anywhere in a JSON value (its keys too) is refused like one in a text column."""
    for text in _strings(value):
        if (reason := _unstorable(text, "opgeslagen")) is not None:
            return Problem(field, reason)
    return None


def _unstorable(text: str, done: str) -> str | None:
    """Why no database takes ``text``: a NUL character, or half of a surrogate pair (text decoded
    wrongly, which no database encodes); ``done`` says what cannot happen with it."""
    if (found := UNSTORABLE.search(text)) is None:
        return None
    if found.group() == NUL:
        return f"bevat een NUL-teken (\\0); dat teken kan niet worden {done}"
    code = f"U+{ord(found.group()):04X}"
    return f"bevat een ongeldig teken ({code}, een losse helft van een tekenpaar); dat kan niet worden {done}"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


# --- the ORM: every flush ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    key: str  # the attribute
    field: str  # table.column
    json: bool
    length: int | None


@cache
def _checked_columns(mapper: Mapper[Any]) -> tuple[_Checked, ...]:
    """The attributes of ``mapper`` that hold text or JSON, with their column's length."""
    found = []
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if not isinstance(column, Column) or column.table is None:
            continue
        kind = _storage_type(column.type)
        field = f"{column.table.name}.{column.name}"
        if isinstance(kind, JSON):
            found.append(_Checked(prop.key, field, True, None))
        elif isinstance(kind, String):
            found.append(_Checked(prop.key, field, False, kind.length))
    return tuple(found)


def _storage_type(kind: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type a TypeDecorator stores its value as; any other type itself."""
    return kind.impl_instance if isinstance(kind, TypeDecorator) else kind


def _object_problems(state: InstanceState[Any], new: bool) -> Iterator[Problem]:
    for checked in _checked_columns(state.mapper):
        if new:
            values = [state.dict.get(checked.key)]
        else:  # only what changed: a value loaded from the database was not typed now
            values = list(state.attrs[checked.key].history.added or ())
        for value in values:
            if checked.json:
                problem = json_problem(checked.field, value)
            elif isinstance(value, str):
                problem = text_problem(checked.field, value, checked.length)
            else:
                problem = None
            if problem is not None:
                yield problem


def check_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    """``before_flush``: refuse the whole flush when any new or changed object holds a value that a
    database cannot store as given."""
    problems: list[Problem] = []
    for objects, new in ((session.new, True), (session.dirty, False)):
        for instance in objects:
            state: InstanceState[Any] = instance._sa_instance_state
            problems += _object_problems(state, new)
    refuse(problems)


# --- any other statement: its parameters -------------------------------------------------------------

_NUMBERED = re.compile(r"_\d+$")  # lookups bind "username_1" for the column username


def check_parameters(
    _connection: Any,
    _cursor: Any,
    _statement: str,
    parameters: Any,
    context: Any,
    executemany: bool,
) -> None:
    """``before_cursor_execute``: a NUL character in a parameter of a single statement is refused
    before PostgreSQL sees it (it would raise a driver error; SQLite would look up or store the text
    cut off at the NUL). ``executemany`` is a bulk load, which checks its rows itself."""
    if executemany or not parameters:
        return
    named = (
        parameters.items()
        if isinstance(parameters, dict)
        else zip(_positions(context), parameters, strict=False)
    )
    problems = [
        Problem(_field(context, name), reason)
        for name, value in named
        if isinstance(value, str) and (reason := _unstorable(value, "gebruikt")) is not None
    ]
    refuse(problems, "niet uitgevoerd")


def _positions(context: Any) -> Iterator[str]:
    """The parameter names of a statement with positional parameters (SQLite's ``?``)."""
    names = getattr(getattr(context, "compiled", None), "positiontup", None) or ()
    yield from names
    number = len(names)
    while True:  # a statement kic wrote as text: its parameters by position
        number += 1
        yield f"parameter {number}"


def _field(context: Any, name: str) -> str:
    """``table.column`` of a parameter when the statement names one table with that column."""
    column = _NUMBERED.sub("", name)
    statement = getattr(getattr(context, "compiled", None), "statement", None)
    tables: list[object] = []
    if isinstance(statement, Insert | Update | Delete):
        tables = [statement.table]
    elif isinstance(statement, Select):
        tables = list(statement.get_final_froms())
    owners = [t.name for t in tables if isinstance(t, Table) and column in t.c]
    return f"{owners[0]}.{column}" if len(owners) == 1 else column


# --- registration ------------------------------------------------------------------------------------


def install() -> None:
    """Register both checks for every session and every engine (once; kic.db.base calls this)."""
    if not event.contains(Session, "before_flush", check_flush):
        event.listen(Session, "before_flush", check_flush)
    if not event.contains(Engine, "before_cursor_execute", check_parameters):
        event.listen(Engine, "before_cursor_execute", check_parameters)
