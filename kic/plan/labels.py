"""Dutch words for the plan's enums, shared by ``kic plan show`` and the rendered document."""

from __future__ import annotations

from kic.plan.schema import Doel, Frequentie, Methode, Spreiding

METHOD = {
    Methode.MUS: "MUS (monetary unit sampling)",
    Methode.ATTRIBUUT: "attribuutsteekproef",
    Methode.RISICOGEWOGEN: "risicogewogen (PPS)",
}
METHOD_SHORT = {Methode.MUS: "MUS", Methode.ATTRIBUUT: "attribuut", Methode.RISICOGEWOGEN: "risico-PPS"}
FREQUENCY = {
    Frequentie.WEKELIJKS: "wekelijks", Frequentie.MAANDELIJKS: "maandelijks",
    Frequentie.PER_KWARTAAL: "per kwartaal", Frequentie.JAARLIJKS: "jaarlijks",
}
SPREAD = {
    Spreiding.JAAR: "jaarsteekproef, naar rato over de perioden verdeeld",
    Spreiding.PERIODE: "elke periode een eigen steekproef",
}
PURPOSE = {
    Doel.STATISTISCH: "statistisch (geëxtrapoleerd: rechtmatigheidsverantwoording, SISA)",
    Doel.GERICHT: "gericht (kwaliteit en risico's; nooit geëxtrapoleerd)",
}
LIKELIHOOD = {"poisson": "Poisson", "binomial": "binomiaal", "hypergeometric": "hypergeometrisch"}
LEVEL = {"H": "hoog", "M": "midden", "L": "laag"}
