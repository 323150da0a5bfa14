"""Automated findings against the ground truth of a synthetic gemeente (grondwaarheid.csv).

Per error type: how many wrong payments at least one automated control found (recall). Per
control: how many payments it called fout, how many of those are wrong in the ground truth
(of any type) and how many are false positives (precision).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import pandas as pd


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
    types: list[TypeScore]
    controls: list[ControlScore]
    flagged: int
    correct: int
    wrong: int

    @property
    def recall(self) -> float:
        return sum(t.found for t in self.types) / self.wrong if self.wrong else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.flagged if self.flagged else 1.0


def read_truth(path: Path) -> pd.DataFrame:
    """betaling_id and fouttype of every wrong payment."""
    frame = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False)
    return frame[["betaling_id", "fouttype"]].drop_duplicates("betaling_id")


def compare(
    findings: pd.DataFrame, truth: pd.DataFrame, population: Collection[str] | None = None
) -> GroundTruthReport:
    """Score ``findings`` (betaling_id, control_id of every fout) against ``truth``.

    ``population`` limits the ground truth to the payments that were judged (one regeling).
    """
    if population is not None:
        truth = truth[truth["betaling_id"].isin(pd.Index(population))]
    kind = truth.set_index("betaling_id")["fouttype"]
    flagged = pd.Index(findings["betaling_id"].unique())
    found = kind[kind.index.isin(flagged)]
    types = [
        TypeScore(t, int(n), int((found == t).sum())) for t, n in kind.value_counts().sort_index().items()
    ]
    controls = [
        _control_score(str(cid), part, kind) for cid, part in findings.groupby("control_id", sort=True)
    ]
    correct = int(flagged.isin(kind.index).sum())
    return GroundTruthReport(types, controls, len(flagged), correct, len(kind))


def _control_score(control_id: str, part: pd.DataFrame, kind: pd.Series) -> ControlScore:
    ids = part["betaling_id"].unique()
    hits = kind[kind.index.isin(ids)]
    return ControlScore(
        control_id, len(ids), len(hits), {str(k): int(v) for k, v in hits.value_counts().items()}
    )
