"""kic's vocabulary: the words that are stored, compared and shown, each defined once.

The values are the words the glossary uses (docs/glossary in ../shared/DESIGN.md) and that stand in
the database, the manifests and the workbooks, so a member compares equal to the stored text
(``Verdict.FOUT == "fout"``) and older records need no migration. The Dutch labels for people are in
the faces (``kic.plan.labels``, the templates).
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Verdict(StrEnum):
    """The verdict on one control of a reviewed item (``review_control.verdict``)."""

    VOLDOET = "voldoet"
    FOUT = "fout"
    ONZEKERHEID = "onzekerheid"
    NVT = "nvt"
    CONCEPT = "concept"  # answers saved, not yet handed in: never counted, never shown as a verdict


JUDGED = (Verdict.VOLDOET, Verdict.FOUT, Verdict.ONZEKERHEID, Verdict.NVT)  # a verdict a review can hand in


class ReviewStatus(StrEnum):
    """Where a review (beoordeling) is in its life."""

    TE_DOEN = "te_doen"
    BEZIG = "bezig"
    TER_REVIEW = "ter_review"  # handed in, waiting for the second reviewer (vier-ogen)
    AFGEROND = "afgerond"


class ControlStatus(IntEnum):
    """The outcome of an automated control for one payment, stored as a small integer
    (``control_result.status``: eleven million rows a year for a large gemeente)."""

    VOLDOET = 0
    FOUT = 1
    NVT = 2
    NIET_TE_BEOORDELEN = 3

    @property
    def word(self) -> str:
        return self.name.lower()


class Method(StrEnum):
    """How a stored sample was drawn (``sample.method``, manifest ``steekproef.methode``)."""

    MUS = "mus"  # monetary-unit sampling
    ITEMS = "items"  # every item equally likely (attribute sample)
    RISICO = "risico"  # risk-weighted PPS


class Purpose(StrEnum):
    """statistisch: extrapolated (rechtmatigheidsverantwoording, SISA); gericht: never extrapolated, its errors
    count at their own amount; preventief: a besluit checked before it is sent (preventieve kwaliteitsborging),
    reported as quality only, never in the rechtmatigheid figures."""

    STATISTISCH = "statistisch"
    GERICHT = "gericht"
    PREVENTIEF = "preventief"


class Unit(StrEnum):
    """What one item of a sample is."""

    BETALING = "betaling"
    BESCHIKKING = "beschikking"


SELECTIONS: dict[Method, tuple[str, ...]] = {
    Method.MUS: ("interval", "cell", "random", "sieve"),
    Method.ITEMS: ("random", "systematic"),
    Method.RISICO: ("systematisch", "met_teruglegging"),  # as stored since 2026; "systematisch" is PPS
}
