"""A realistic synthetic gemeente: payments, beschikkingen and the ground truth of its errors.

``generate`` writes the same CSV files a benefits administration exports (``betalingen.csv``,
``beschikkingen.csv``) plus ``grondwaarheid.csv``: which payment or beschikking is wrong, how (a fout,
an onzekerheid or a formal error; seen in the export or only in the dossier), and by how much.
Later stages (import, automated controls, sampling, evaluation) are tested against it. The same
seed and arguments give byte-identical files: every random draw comes from one PCG64 stream in
a fixed order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from kic.synth.dossiers import make_dossiers
from kic.synth.errors import (
    CREDIT_RATE,
    DOSSIER,
    DOSSIER_ERROR_TYPES,
    ERROR_TYPES,
    FOUT,
    FOUTTYPES,
    ONZEKERHEID,
    SOORTEN,
    ErrorRates,
    SynthError,
    inject_errors,
)
from kic.synth.export import dossier_numbers, write_dossiers, write_ground_truth, write_ledger, write_payments
from kic.synth.payments import make_payments
from kic.synth.regelingen import bbz_classes

__all__ = ["MIN_PAYMENTS", "REGION", "ErrorRates", "SynthError", "SynthResult", "generate", "ledger_file"]

MIN_PAYMENTS = 100
# The gemeenten of a synthetic samenwerkingsverband: CBS-like codes outside the range CBS hands out, and
# names that are clearly not real places.
REGION: tuple[tuple[str, str], ...] = (
    ("GM9901", "Synthedam"),
    ("GM9902", "Proefwolde"),
    ("GM9903", "Toetsveen"),
    ("GM9904", "Meetkerk"),
    ("GM9905", "Steekhoven"),
)
# How error-prone each gemeente's cases are, relative to the region: a client with an error in a payment or
# beschikking lives in a gemeente with odds size x this factor, so that the gemeenten's error rates differ
# (Proefwolde's cases are checked most carefully, Toetsveen's least) and so do their evaluations.
REGION_ERROR_FACTORS: tuple[float, ...] = (1.0, 0.4, 2.0, 0.7, 1.5)
PAYMENTS_FILE, DOSSIERS_FILE, GROUND_TRUTH_FILE = "betalingen.csv", "beschikkingen.csv", "grondwaarheid.csv"
LEDGER_FILE = "grootboek.csv"  # the lasten per regeling, as the financial administration supplies them
Progress = Callable[[str], None]


@dataclass(frozen=True)
class SynthResult:
    """What was written: the three files and the totals a reader checks first (amounts in cents).

    ``errors`` counts the rows of the ground truth (payments and beschikkingen); ``total_error`` is what
    the wrong payments paid too much (fouten only, negative where too little was paid) and
    ``total_uncertain`` what the payments with an onzekerheid paid; a beschikking's row repeats the
    amount of its payments and is not added to either."""

    payments_path: Path
    dossiers_path: Path
    ground_truth_path: Path
    payments: int
    dossiers: int
    errors: int
    total_amount: int
    total_error: int
    errors_by_type: dict[str, int] = field(default_factory=dict)
    errors_by_kind: dict[str, int] = field(default_factory=dict)  # fout | onzekerheid | formeel -> rows
    dossier_only: int = 0  # rows only the dossier shows (the automated controls cannot find them)
    total_uncertain: int = 0
    gemeenten: tuple[tuple[str, str], ...] = ()  # a synthetic region: (CBS code, name) per gemeente

    @property
    def out_dir(self) -> Path:
        return self.payments_path.parent

    @property
    def ledger_path(self) -> Path:
        """The grootboek beside the exports (``LEDGER_FILE``)."""
        return self.payments_path.with_name(LEDGER_FILE)


def generate(
    out_dir: Path,
    *,
    payments: int = 40_000,
    year: int = 2026,
    seed: int = 2026,
    error_rates: ErrorRates | None = None,
    progress: Progress | None = None,
    gemeenten: int = 1,
) -> SynthResult:
    """Write a synthetic gemeente with ``payments`` payments in ``year`` to ``out_dir``.

    ``gemeenten`` > 1: a samenwerkingsverband of that many gemeenten of different sizes (``REGION``): every
    client lives in one gemeente, so all of a client's payments and beschikkingen carry its CBS code, and
    each gemeente gets its own grootboek (``grootboek-GM9901.csv``)."""
    rates = error_rates or ErrorRates()
    _check(payments, year, rates)
    if not 1 <= gemeenten <= len(REGION):
        raise SynthError(f"het aantal gemeenten moet 1 tot en met {len(REGION)} zijn (gevraagd: {gemeenten})")
    say = progress or (lambda _message: None)
    rng = np.random.Generator(np.random.PCG64(seed))
    extra = round(rates.dubbele_betaling * payments) + round(CREDIT_RATE * payments)
    say("Huishoudens en beschikkingen maken")
    dossiers, households = make_dossiers(rng, year, payments - extra)
    say("Betalingen afleiden en fouten invoegen")
    table = make_payments(rng, year, dossiers)
    table, dropped = inject_errors(rng, year, table, dossiers, rates, payments)
    dossiers["bbz_class"] = bbz_classes(rng, dossiers["profile"].to_numpy())
    table["bbz_class"] = dossiers["bbz_class"].to_numpy()[table["dossier"].to_numpy()]
    table = _number_payments(table)
    dossiers["seq"] = _dossier_order(dossiers)
    numbers = dossier_numbers(dossiers)
    region = REGION[:gemeenten] if gemeenten > 1 else ()
    if region:
        _assign_gemeenten(seed, table, dossiers, region)
    kept = dossiers[~dropped].sort_values("seq")
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = out_dir / PAYMENTS_FILE, out_dir / DOSSIERS_FILE, out_dir / GROUND_TRUTH_FILE
    say(f"{PAYMENTS_FILE} schrijven ({len(table):,} regels)".replace(",", "."))
    write_payments(paths[0], table, households, numbers)
    say(f"{DOSSIERS_FILE} en {GROUND_TRUTH_FILE} schrijven")
    write_dossiers(paths[1], kept, households, numbers[kept.index.to_numpy()], year)
    write_ground_truth(paths[2], table, dossiers, numbers)
    write_ledger(out_dir / LEDGER_FILE, table, year)
    for code, _name in region:
        write_ledger(out_dir / ledger_file(code), table[table["gemeente"] == code], year)
    return replace(_result(paths, table, dossiers, len(kept)), gemeenten=region)


def ledger_file(code: str) -> str:
    """The grootboek of one gemeente of a synthetic region."""
    return f"grootboek-{code}.csv"


def _assign_gemeenten(
    seed: int, table: pd.DataFrame, dossiers: pd.DataFrame, region: tuple[tuple[str, str], ...]
) -> None:
    """Every client lives in one gemeente of the region; the largest gemeente has the most clients (shares
    k : k-1 : ... : 1), and a client with an error lives with odds weighted by ``REGION_ERROR_FACTORS``, so
    the gemeenten's error rates differ. A stream of its own, so that the rest is the same as with one."""
    rng = np.random.Generator(np.random.PCG64([seed, len(region)]))
    weights = np.arange(len(region), 0, -1, dtype=float)
    clients = int(max(table["client"].max(), dossiers["client"].max())) + 1
    wrong = np.zeros(clients, dtype=bool)
    wrong[table.loc[table["error"].to_numpy() > 0, "client"].to_numpy()] = True
    wrong[dossiers.loc[dossiers["error"].to_numpy() > 0, "client"].to_numpy()] = True
    share = weights / weights.sum()
    prone = share * np.array(REGION_ERROR_FACTORS[: len(region)])
    prone /= prone.sum()
    # the clean clients make up the sizes again: shares k : k-1 : ... : 1 over all clients together
    part = wrong.mean()
    clean = np.clip(share - part * prone, 1e-6, None)
    codes = np.array([code for code, _ in region], dtype=object)
    clean_choice = rng.choice(len(region), size=clients, p=clean / clean.sum())
    wrong_choice = rng.choice(len(region), size=clients, p=prone)
    lives_in = codes[np.where(wrong, wrong_choice, clean_choice)]
    table["gemeente"] = lives_in[table["client"].to_numpy()]
    dossiers["gemeente"] = lives_in[dossiers["client"].to_numpy()]


def _check(payments: int, year: int, rates: ErrorRates) -> None:
    if payments < MIN_PAYMENTS:
        raise SynthError(f"het aantal betalingen moet minstens {MIN_PAYMENTS} zijn (gevraagd: {payments})")
    if not 1990 <= year <= 2100:
        raise SynthError(f"jaar {year} valt buiten 1990–2100")
    rates.check()


def _number_payments(table: pd.DataFrame) -> pd.DataFrame:
    """Sort as an export is sorted (payment date, regeling, client) and number 1, 2, 3, ..."""
    order = np.lexsort(
        (
            np.arange(len(table)),
            table["client"].to_numpy(),
            table["regeling"].to_numpy(),
            table["pay_date"].to_numpy(),
        )
    )
    table = table.iloc[order].reset_index(drop=True)
    table["payment_no"] = np.arange(1, len(table) + 1, dtype=np.int64)
    return table


def _dossier_order(dossiers: pd.DataFrame) -> np.ndarray:
    """Sequence numbers in order of decision date, as a registration system hands them out."""
    order = np.lexsort((np.arange(len(dossiers)), dossiers["besluit"].to_numpy()))
    seq = np.empty(len(dossiers), dtype=np.int64)
    seq[order] = np.arange(1, len(dossiers) + 1)
    return seq


def _result(
    paths: tuple[Path, Path, Path], table: pd.DataFrame, dossiers: pd.DataFrame, kept: int
) -> SynthResult:
    error = table["error"].to_numpy()
    wrong = error > 0
    rows = [
        (ERROR_TYPES[int(c)], int(a))
        for c, a in zip(error[wrong], table["error_amount"].to_numpy()[wrong], strict=True)
    ]
    # a beschikking's amount is that of its payments (or its bedrag per periode): not added to the totals
    rows += [(DOSSIER_ERROR_TYPES[int(c)], 0) for c in dossiers["error"].to_numpy() if c]
    return SynthResult(
        *paths,
        payments=len(table),
        dossiers=kept,
        errors=len(rows),
        total_amount=int(table["amount"].sum()),
        total_error=sum(a for t, a in rows if t.soort == FOUT),
        errors_by_type={name: sum(1 for t, _ in rows if t.fouttype == name) for name in FOUTTYPES},
        errors_by_kind={kind: sum(1 for t, _ in rows if t.soort == kind) for kind in SOORTEN},
        dossier_only=sum(1 for t, _ in rows if t.vindplaats == DOSSIER),
        total_uncertain=sum(a for t, a in rows if t.soort == ONZEKERHEID),
    )
