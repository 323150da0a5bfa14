"""The one root of every error kic reports to a person.

A domain error says, in Dutch, what cannot be done and why; the faces only show it. The CLI's root
group (``kic.cli``) prints ``Fout: <message>`` with the ``details`` below it and leaves with
``exit_code``; the web (``kic.web``) shows the message on the page it came from, or, when a view does
not handle it, on an error page with ``http_status``. A form can put each message of ``by_field``
beside its field.

Every error class of kic derives from :class:`KicError`; many also derive from the built-in class
whose meaning they share (``ValueError`` for a bad value, ``LookupError`` for something not found),
so that ``except ValueError`` in a caller keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar


class KicError(Exception):
    """An error with a Dutch message for the person who caused it or can repair it.

    ``details``: lines to show under the message (every problem of a file, for example);
    ``by_field``: the messages per input field, for forms.
    """

    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 422

    def __init__(
        self,
        message: str = "",
        *,
        details: Iterable[object] = (),
        by_field: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.details = [str(d) for d in details]
        self.by_field: dict[str, list[str]] = {k: list(v) for k, v in (by_field or {}).items()}

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.message


def by_field(problems: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """``[(field, message), ...]`` grouped per field, in order."""
    grouped: dict[str, list[str]] = {}
    for field, message in problems:
        grouped.setdefault(field, []).append(message)
    return grouped


def loggable(error: BaseException) -> str:
    """What may go into a log line or a status page about an unexpected error.

    A database error shows its kind, the server's first line and the statement, never the statement's
    values (engines are made with ``hide_parameters``) nor PostgreSQL's DETAIL, which repeats the
    failing row: a BSN, a review's toelichting. Duck-typed on SQLAlchemy's ``DBAPIError`` (``orig``
    and ``statement``), so this foundation module needs no database library.
    """
    original, statement = getattr(error, "orig", None), getattr(error, "statement", None)
    if original is not None and statement is not None:
        first = str(original).strip().split("\n", 1)[0]
        return f"{type(error).__name__}: {first} [SQL: {' '.join(str(statement).split())[:300]}]"
    return f"{type(error).__name__}: {error}"
