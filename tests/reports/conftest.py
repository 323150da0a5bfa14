"""The tests here use the helper module tests/findings/reviewed.py (``reviewed_sample``).

``busy_year``: a gemeente in the middle of its verslagjaar with what makes a report long and wide:
several regelingen sampled with errors of causes with long descriptions, a sample of beschikkingen,
a run of the automated controls over the whole population, and verbeteracties with long titles,
owners and decisions, some of them late.
"""

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "findings"))

import pytest
from reviewed import reviewed_decisions, reviewed_sample

from kic.db import session_scope
from kic.findings.agenda import NewAction, add_action, set_status

LONG_OWNER = "Team Inkomensondersteuning en Participatie (afdeling Werk, Inkomen en Zorg)"


@pytest.fixture
def busy_year(population):  # type: ignore[no-untyped-def]
    from kic.controls.run import run_controls

    q1 = reviewed_sample(population, "2026-Q1", {0: Decimal("40.00")}, n=10, cause="mens")
    q2 = reviewed_sample(
        population, "2026-Q2", {1: Decimal("30.00"), 2: Decimal("300.00")}, n=10, cause="regelgeving"
    )
    reviewed_sample(population, "2026-Q2", {0: Decimal("125.50")}, n=8, cause="55", regeling="PW-BB")
    reviewed_sample(population, "2026-Q2", {3: Decimal("812.25")}, n=8, cause="klant", regeling="WMO")
    reviewed_decisions(population, "2026-Q2", wrong=1)
    with session_scope(population) as session:
        run_controls(session, actor="tester")
        actions = [
            NewAction(
                "Werkinstructie verrekening van inkomsten uit deeltijdwerk en de vrijlating herzien",
                LONG_OWNER,
                date(2026, 5, 1),
                "De vrijlating wordt bij wisselende inkomsten vaak niet of verkeerd toegepast; "
                "de werkinstructie en de controle in het uitkeringssysteem moeten dit voorkomen.",
                "hoog",
                review_ids=tuple(q1 + q2),
            ),
            NewAction(
                "Koppeling met het inkomstenregister laten herstellen door de leverancier",
                "Functioneel beheer",
                date(2026, 6, 15),
                priority="hoog",
            ),
            NewAction(
                "Kostendelersnorm bij inwonende meerderjarige kinderen", "Team Intake", date(2026, 9, 30)
            ),
            NewAction(
                "Instructie voor het vastleggen van de inlichtingenplicht bij huishoudwijzigingen",
                LONG_OWNER,
                date(2026, 12, 31),
                priority="laag",
            ),
            NewAction(
                "Controle op dubbele declaraties van zorgaanbieders",
                "Team Wmo-contractmanagement",
                date(2026, 3, 31),
            ),
        ]
        made = [add_action(session, a, actor="teamleider") for a in actions]
        set_status(session, made[2].id, "in_uitvoering", actor="teamleider")
        set_status(
            session,
            made[4].id,
            "vervallen",
            actor="teamleider",
            decision="MT 12-05-2026: de declaraties lopen vanaf 1 juli via het landelijke berichtenverkeer, "
            "dat dubbele declaraties zelf weigert",
        )
    return population
