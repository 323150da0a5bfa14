"""Automated findings against the ground truth of a synthetic gemeente (grondwaarheid.csv).

Per error type the export shows: how many wrong payments at least one automated control found
(recall). Per control: how many payments it called fout, how many of those pay too much or too little
in the ground truth (a fout of any type) and how many are false positives (precision).

Errors only the dossier shows (``vindplaats`` dossier: income the client did not report, missing
evidence, a formal error) are no misses of the automated controls, which read the export: they are
counted apart (``dossier_only``), as the dossier review has to find them. Rows of beschikkingen are not
about payments and are left out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# grondwaarheid.csv (docs/synth.md): the words of the columns this module reads
BETALING, FOUT, EXPORT, DOSSIER = "betaling", "fout", "export", "dossier"


@dataclass(frozen=True)
class TypeScore:
    fouttype: str
    total: int
    found: int

    @property
    def missed(self) -> int:
        return self.total - self.found

    @property
    def recall(self) -> float:
        return self.found / self.total if self.total else 1.0


@dataclass(frozen=True)
class DossierScore:
    """An error type only the dossier shows: how many payments have it, and how many of those an automated
    control called fout anyway (for another reason: the export cannot show this one)."""

    fouttype: str
    soort: str  # fout | onzekerheid | formeel
    total: int
    flagged: int


@dataclass(frozen=True)
class ControlScore:
    control_id: str
    flagged: int
    correct: int
    types: dict[str, int]  # fouttype -> payments of that type this control found

    @property
    def false_positives(self) -> int:
        return self.flagged - self.correct

    @property
    def precision(self) -> float:
        return self.correct / self.flagged if self.flagged else 1.0


@dataclass(frozen=True)
class GroundTruthReport:
    types: list[TypeScore]  # the types the export shows: what the automated controls can find
    controls: list[ControlScore]
    flagged: int
    correct: int
    wrong: int  # payments with an error the export shows
    dossier_only: list[DossierScore] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return sum(t.found for t in self.types) / self.wrong if self.wrong else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.flagged if self.flagged else 1.0

    @property
    def dossier_total(self) -> int:
        """Payments with an error only the dossier shows."""
        return sum(d.total for d in self.dossier_only)


def read_truth(path: Path) -> pd.DataFrame:
    """betaling_id, fouttype, soort (fout | onzekerheid | formeel) and vindplaats (export | dossier) of every
    payment in the ground truth; the older file of payments only (``betaling_id;fouttype;…``) too."""
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    if "betaling_id" in frame.columns:  # every error was a fout on a payment, seen in the export
        frame = frame.assign(soort=FOUT, vindplaats=EXPORT)
    else:
        frame = frame[frame["sleutel_soort"] == BETALING].rename(columns={"sleutel": "betaling_id"})
    columns = ["betaling_id", "fouttype", "soort", "vindplaats"]
    return frame[columns].drop_duplicates("betaling_id").reset_index(drop=True)


def compare(
    findings: pd.DataFrame, truth: pd.DataFrame, population: Collection[str] | None = None
) -> GroundTruthReport:
    """Score ``findings`` (betaling_id, control_id of every fout) against ``truth`` (``read_truth``).

    ``population`` limits the ground truth to the payments that were judged (one regeling).
    """
    if population is not None:
        truth = truth[truth["betaling_id"].isin(pd.Index(population))]
    for column, default in (("soort", FOUT), ("vindplaats", EXPORT)):  # a frame of betaling_id, fouttype
        if column not in truth.columns:
            truth = truth.assign(**{column: default})
    flagged = pd.Index(findings["betaling_id"].unique())
    seen = truth[truth["vindplaats"] != DOSSIER]
    kind = seen.set_index("betaling_id")["fouttype"]
    found = kind[kind.index.isin(flagged)]
    types = [
        TypeScore(t, int(n), int((found == t).sum())) for t, n in kind.value_counts().sort_index().items()
    ]
    wrong = truth[truth["soort"] == FOUT].set_index("betaling_id")["fouttype"]
    controls = [
        _control_score(str(cid), part, wrong) for cid, part in findings.groupby("control_id", sort=True)
    ]
    hidden = truth[truth["vindplaats"] == DOSSIER]
    dossier_only = [
        DossierScore(str(t), str(s), len(part), int(part["betaling_id"].isin(flagged).sum()))
        for (t, s), part in hidden.groupby(["fouttype", "soort"], sort=True)
    ]
    correct = int(flagged.isin(wrong.index).sum())
    return GroundTruthReport(types, controls, len(flagged), correct, len(kind), dossier_only)


def _control_score(control_id: str, part: pd.DataFrame, kind: pd.Series) -> ControlScore:
    ids = part["betaling_id"].unique()
    hits = kind[kind.index.isin(ids)]
    return ControlScore(
        control_id, len(ids), len(hits), {str(k): int(v) for k, v in hits.value_counts().items()}
    )
