"""Aansluiting: the population in kic against the totals the gemeente's financial administration supplies.

Per regeling the payments of the verslagjaar in the active betalingen populations, delimited as the
samples are by default (``periode_van`` in the year: the lasten of the year, also when paid in
January after): count, debet, credit and balance. Beside it the gemeente's own figure for the same
regeling (its grootboek, supplied as a file with ``regeling;bedrag``) and the difference, and the
part of the balance that the statistical samples of payments covered. The imported files themselves
(name, SHA-256, rows, debet and credit as counted at import) close the trail from file to report.

The ledger file is read all or nothing: every bad row is reported (line, column, reason).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
from sqlalchemy import Integer, case, func, select, type_coerce
from sqlalchemy.orm import Session

from kic.errors import KicError
from kic.gemeenten import WHOLE, Scope
from kic.population.models import SNAPSHOT_ACTIVE, Payment, PopulationSnapshot
from kic.population.parse import cents_to_decimal, parse_money
from kic.population.schema import REGELINGEN

ZERO = Decimal("0.00")
LEDGER_COLUMNS = ("regeling", "bedrag")


class LedgerError(KicError, ValueError):
    """A ledger file that cannot be read; the message lists every bad row (Dutch)."""


@dataclass(frozen=True)
class Ledger:
    """The gemeente's lasten per regeling for the verslagjaar, and the file they came from."""

    amounts: dict[str, Decimal]
    source: str
    sha256: str


@dataclass(frozen=True)
class Reconciliation:
    regeling: str
    count: int
    debit: Decimal
    credit: Decimal  # positive: what was credited
    ledger: Decimal | None  # None: the gemeente supplied no figure for this regeling
    sampled: Decimal  # the population value of the year's statistical samples of payments

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit

    @property
    def difference(self) -> Decimal | None:
        return None if self.ledger is None else self.balance - self.ledger


def read_ledger(path: Path) -> Ledger:
    """``regeling;bedrag`` per line (Dutch amounts, header required); a regeling at most once."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LedgerError(f"{path.name}: geen UTF-8 ({exc.reason})") from None
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if tuple(header) != LEDGER_COLUMNS:
        raise LedgerError(
            f"{path.name}: de eerste regel moet 'regeling;bedrag' zijn (gevonden: '{';'.join(header)}')"
        )
    problems: list[str] = []
    amounts: dict[str, Decimal] = {}
    seen: set[str] = set()
    body = [(line, row) for line, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    cents, bad = parse_money(
        pd.Series([row[1].strip() if len(row) > 1 else "" for _, row in body], dtype=object)
    )
    for (line, row), value, wrong in zip(body, cents, bad, strict=True):
        code = row[0].strip().upper()
        if len(row) != 2:
            problems.append(f"regel {line}: {len(row)} kolommen, verwacht 2")
            continue
        if code not in REGELINGEN:
            problems.append(f"regel {line}, kolom regeling: onbekende regelingcode '{row[0].strip()}'")
        elif code in seen:
            problems.append(f"regel {line}, kolom regeling: {code} staat er al eerder in")
        if wrong or pd.isna(value):
            problems.append(f"regel {line}, kolom bedrag: '{row[1].strip()}' is geen bedrag")
        elif code in REGELINGEN and code not in seen:
            amounts[code] = cents_to_decimal(int(value))
        seen.add(code)
    if problems:
        raise LedgerError(
            f"{path.name}: {len(problems)} fout(en), niets gebruikt:\n  " + "\n  ".join(problems)
        )
    if not amounts:
        raise LedgerError(f"{path.name}: geen enkele regeling met een bedrag")
    return Ledger(amounts, path.name, hashlib.sha256(raw).hexdigest())


def reconcile(
    session: Session, year: int, ledger: Ledger | None, sampled: dict[str, Decimal], scope: Scope = WHOLE
) -> list[Reconciliation]:
    """Per regeling (sorted) found in the payments or in the ledger: kic's figures beside the ledger's."""
    found = payment_totals(session, date(year, 1, 1), date(year, 12, 31), scope)
    supplied = ledger.amounts if ledger else {}
    return [
        Reconciliation(
            regeling,
            *found.get(regeling, (0, ZERO, ZERO)),
            supplied.get(regeling),
            sampled.get(regeling, ZERO),
        )
        for regeling in sorted(set(found) | set(supplied))
    ]


def payment_totals(
    session: Session, start: date, end: date, scope: Scope = WHOLE
) -> dict[str, tuple[int, Decimal, Decimal]]:
    """Per regeling the payments of the active populations with ``periode_van`` from ``start`` to ``end``
    (as the samples delimit them by default): count, debet and credit (positive: what was credited)."""
    amount, cents = Payment.amount, type_coerce(Payment.amount, Integer)  # sums of raw cents, exact
    rows = session.execute(
        select(
            Payment.regeling,
            func.count(),
            func.sum(case((amount > 0, cents), else_=0)),
            func.sum(case((amount < 0, -cents), else_=0)),
        )
        .join(PopulationSnapshot, PopulationSnapshot.id == Payment.snapshot_id)
        .where(
            PopulationSnapshot.status == SNAPSHOT_ACTIVE,
            PopulationSnapshot.kind == "betalingen",
            Payment.period_from >= start,
            Payment.period_from <= end,
            scope.on(Payment.gemeente),
        )
        .group_by(Payment.regeling)
    ).all()
    return {regeling: (count, _money(debit), _money(credit)) for regeling, count, debit, credit in rows}


def _money(value: int | Decimal | None) -> Decimal:
    """A SUM of stored cents (the driver may hand back an int, a Decimal or None) as euros."""
    return ZERO if value is None else cents_to_decimal(int(value))
