"""The population a plan line is drawn from: payments or dossiers under the import headers.

Expressions in a plan (the ``filter`` of a population) read the names of the import format
(``bedrag``, ``periode_van``, ``beschikking.ingangsdatum``), as control expressions do, so the
frames here are the control frame of ``kic.controls.frame`` and its dossier counterpart.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import text
from sqlalchemy.orm import Session

# The control frame's own converters, so that plan filters and control expressions see the same types.
from kic.controls.frame import _DOSSIERS, _typed, build_frame
from kic.population.frames import load_payments
from kic.population.schema import DOSSIER_COLUMNS

_EMPTY_DOSSIERS = pd.DataFrame({c.attr: pd.Series(dtype=object) for c in DOSSIER_COLUMNS})
# build_frame needs at least one dossier row to take values from; this one matches no payment.
# The columns the dossier query reads (kic.population.frames: never the BSN), so that a frame has the same
# columns whether or not beschikkingen were found.
_NO_DOSSIER = pd.DataFrame({c.attr: [None] for c in DOSSIER_COLUMNS if c.attr != "bsn"}).assign(
    beschikking_nr="\0geen"
)


@dataclass(frozen=True)
class Populations:
    """The frames a plan reads: ``betalingen`` (control frame) and ``beschikkingen`` (dossier frame)."""

    payments: pd.DataFrame
    dossiers: pd.DataFrame
    risk_weights: np.ndarray | None = None  # per payment row, for sizing statistical risk-weighted lines

    def of(self, source: str) -> pd.DataFrame:
        return self.payments if source == "betalingen" else self.dossiers

    def gemeenten(self) -> list[str]:
        """The CBS codes of the gemeenten whose payments or beschikkingen are in the populations."""
        codes: set[str] = set()
        for frame in (self.payments, self.dossiers):
            if "gemeente" in frame.columns:
                codes |= {str(c) for c in frame["gemeente"].dropna().unique()}
        return sorted(codes)

    def of_gemeente(self, code: str) -> Populations:
        """The populations of one gemeente: its payments (with their risk weights) and beschikkingen."""
        mine = (self.payments["gemeente"] == code).fillna(False).to_numpy(dtype=bool)
        dossiers = self.dossiers.loc[(self.dossiers["gemeente"] == code).fillna(False).to_numpy(dtype=bool)]
        return Populations(
            self.payments.loc[mine].reset_index(drop=True),
            dossiers.reset_index(drop=True),
            None if self.risk_weights is None else self.risk_weights[mine],
        )


def payments_frame(payments: pd.DataFrame, dossiers: pd.DataFrame | None = None) -> pd.DataFrame:
    """The control frame from ``load_payments`` rows (and raw dossier rows, for ``beschikking.*``)."""
    return build_frame(payments, _NO_DOSSIER if dossiers is None or dossiers.empty else dossiers)


def dossiers_frame(dossiers: pd.DataFrame) -> pd.DataFrame:
    """Raw dossier rows (database attribute names) under the import headers."""
    return _typed(dossiers, DOSSIER_COLUMNS, {}, "")


def load_populations(session: Session) -> Populations:
    """The active payments (joined to their beschikking) and the active beschikkingen."""
    raw = pd.read_sql(text(_DOSSIERS), session.connection())
    return Populations(payments_frame(load_payments(session), raw), dossiers_frame(raw))


def empty_populations() -> Populations:
    """No rows at all: a plan can still be shown, with every size zero."""
    payments = payments_frame(
        pd.DataFrame(
            {
                "id": pd.Series(dtype=np.int64),
                "regeling": pd.Series(dtype=object),
                "beschikking_nr": pd.Series(dtype=object),
                "amount_cents": pd.Series(dtype="Int64"),
                "period_from": pd.Series(dtype="datetime64[ns]"),
            }
        )
    )
    return Populations(payments, dossiers_frame(_EMPTY_DOSSIERS))
