"""Dutch words for the plan's enums, shared by ``kic plan show`` and the rendered document."""

from __future__ import annotations

from kic.plan.schema import Bron, Doel, Frequentie, Methode, Part, Spreiding

METHOD = {
    Methode.MUS: "MUS (monetary unit sampling)",
    Methode.ATTRIBUUT: "attribuutsteekproef",
    Methode.RISICOGEWOGEN: "risicogewogen (PPS)",
}
METHOD_SHORT = {Methode.MUS: "MUS", Methode.ATTRIBUUT: "attribuut", Methode.RISICOGEWOGEN: "risico-PPS"}
FREQUENCY = {
    Frequentie.WEKELIJKS: "wekelijks",
    Frequentie.MAANDELIJKS: "maandelijks",
    Frequentie.PER_KWARTAAL: "per kwartaal",
    Frequentie.JAARLIJKS: "jaarlijks",
}
SPREAD = {
    Spreiding.JAAR: "jaarsteekproef, naar rato over de perioden verdeeld",
    Spreiding.PERIODE: "elke periode een eigen steekproef",
}
PURPOSE = {
    Doel.STATISTISCH: "statistisch (geëxtrapoleerd: rechtmatigheidsverantwoording, SISA)",
    Doel.GERICHT: "gericht (kwaliteit en risico's; nooit geëxtrapoleerd)",
    Doel.PREVENTIEF: "preventief (besluit getoetst vóór verzending; alleen kwaliteit, niet in de rechtmatigheid)",
}
# What a sample of each purpose means for the figures, in one phrase (web pages, samples and review).
PURPOSE_EFFECT = {
    Doel.STATISTISCH.value: "de fouten worden naar de populatie geëxtrapoleerd",
    Doel.GERICHT.value: "gekozen naar risico; de fouten tellen alleen voor hun eigen bedrag",
    Doel.PREVENTIEF.value: (
        "besluiten getoetst vóór verzending; telt alleen voor de kwaliteit per werkproces, "
        "niet voor de rechtmatigheid"
    ),
}
LIKELIHOOD = {"poisson": "Poisson", "binomial": "binomiaal", "hypergeometric": "hypergeometrisch"}
LEVEL = {"H": "hoog", "M": "midden", "L": "laag"}


def supports(part: Part) -> str:
    """What a line's sample will support in the evaluation (docs/methodology.md §9.2), in one phrase."""
    if part.purpose is Doel.PREVENTIEF:
        text = "kwaliteitspercentage van het werkproces; geen extrapolatie en niet in de rechtmatigheid"
    elif part.purpose is Doel.GERICHT:
        text = "geen extrapolatie: de gevonden fouten tellen tegen hun bedrag"
    elif part.population.source is Bron.BESCHIKKINGEN:
        text = "foutpercentage van de beschikkingen met bovengrens; niet in euro's"
    elif part.method is Methode.MUS:
        text = "meest waarschijnlijke fout en bovengrens in euro's"
    elif part.method is Methode.RISICOGEWOGEN:
        text = (
            "meest waarschijnlijke fout en bovengrens in euro's (gewogen naar risico, dus ruimer dan MUS), "
            "en meer fouten gevonden waar het risico hoog is"
        )
    else:
        text = (
            "foutpercentage met bovengrens; in euro's alleen een ruime bovengrens (op het grootste bedrag): "
            "kies MUS voor een bovengrens in euro's"
        )
    return text + (
        "; tweetraps: één uitbreiding, elke fase met de helft van het risico" if part.two_stage else ""
    )
