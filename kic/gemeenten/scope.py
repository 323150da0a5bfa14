"""What a report, a page or a person may see: the whole installation, or the rows of some gemeenten.

One mechanism for every query that reads payments, beschikkingen or samples: ``scope.on(column)`` is the
condition to add (``Payment.gemeente``, ``Sample.gemeente``, ...). A report of one gemeente and a user limited
to gemeenten use the same scope, so nothing of another gemeente slips through a query that forgot it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import InstrumentedAttribute


@dataclass(frozen=True)
class Scope:
    """``codes``: the CBS codes in view; None: every gemeente (and rows without one)."""

    codes: frozenset[str] | None = None

    @classmethod
    def of(cls, gemeenten: str | Iterable[str] | None) -> Scope:
        if gemeenten is None:
            return WHOLE
        return cls(frozenset([gemeenten] if isinstance(gemeenten, str) else gemeenten))

    @property
    def whole(self) -> bool:
        return self.codes is None

    @property
    def gemeente(self) -> str | None:
        """The one gemeente in view, or None (the whole installation, or several gemeenten)."""
        return next(iter(self.codes)) if self.codes is not None and len(self.codes) == 1 else None

    def on(self, column: InstrumentedAttribute[str | None]) -> ColumnElement[bool]:
        """The condition that keeps a row of ``column`` (a gemeente column) in view."""
        if self.codes is None:
            return true()
        return column.in_(sorted(self.codes)) if self.codes else false()

    def allows(self, code: str | None) -> bool:
        return self.codes is None or code in self.codes


WHOLE = Scope()
