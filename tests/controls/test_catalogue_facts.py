"""Domain facts the review of issue 16 corrected, held in place (sources: docs/catalogue-sources.md)."""

from __future__ import annotations

from datetime import date

from kic.controls import load_catalogue

SHIPPED = load_catalogue(override=None)


def _text(control_id: str, day: date) -> str:
    control = SHIPPED.version_for(control_id, day)
    questions = [q.text for q in control.checklist.questions] if control.checklist else []
    return " ".join([control.question, control.guidance or "", *questions])


def test_bbz_04_names_the_term_that_held_on_each_versions_dates():
    """Bbz 2004 art. 18 and 23 (texts per 1 January 2025 and 2026): a beginnende zelfstandige had 36 months; Stb.
    2025, 220 (art. I, B) shortens that to 18, extendable to 36, on a date the consolidated texts do not show yet."""
    before = SHIPPED.versions["BBZ-04"][0]
    after = SHIPPED.versions["BBZ-04"][-1]
    assert (before.valid_from, before.valid_to, after.valid_from, after.valid_to) == (
        date(2015, 1, 1),
        date(2025, 12, 31),
        date(2026, 1, 1),
        None,
    )
    old = _text("BBZ-04", date(2025, 6, 1))
    assert "18 maanden" not in old and "twaalf maanden, verlengbaar tot 36" not in old
    assert "36 maanden na het einde van die uitkering" in old and "art. 18" in old and "art. 23" in old
    new = _text("BBZ-04", date(2026, 6, 1))
    assert "Stb. 2025, 220" in new and "niet vastgesteld" in new and "nog 36 maanden" in new
    assert "(18 maanden, verlengbaar tot 36)" not in new, "the 18 months are not the rule on every 2026 date"
    assert (
        before.automated.rule == after.automated.rule == "days(beschikking.ingangsdatum, periode_tot) <= 1096"
    )


def test_whether_a_booked_vordering_still_counts_is_left_to_the_controleprotocol():
    for control_id in ("ALG-16", "ALG-05"):
        text = _text(control_id, date(2026, 6, 1))
        assert "controleprotocol" in text, control_id
        assert "telt normaal niet meer als fout" not in text
        assert "maar wel in de verantwoording als de vordering is geboekt" not in text


def test_the_netto_normtabel_no_longer_claims_the_ioaw_and_ioaz():
    meta = SHIPPED.tables["normbedragen"].meta
    assert "Ook gebruikt voor IOAW/IOAZ" not in meta["omschrijving"]
    assert "ioaw_ioaz_grondslagen" in meta["omschrijving"]
    users = {
        c.id
        for c in SHIPPED.all_versions()
        if c.automated is not None
        and c.automated.check == "norm_volgens_tabel"
        and c.valid_on(date(2026, 6, 1))
    }
    tables = {
        c.id: c.automated.parameters.get("tabel", "normbedragen")
        for c in SHIPPED.all_versions()
        if c.id in users and c.valid_on(date(2026, 6, 1))
    }
    assert tables == {
        "PWLO-06": "normbedragen",
        "BBZ-07": "normbedragen",
        "IO-02": "ioaw_ioaz_grondslagen",
        "IOAZ-02": "ioaw_ioaz_grondslagen",
    }


def test_the_norms_per_1_july_2026_are_the_amounts_of_the_consolidated_law_text():
    """Pw art. 20, 21 and 22 as in force on 1 July 2026 (read again in the review round of issue 16)."""
    row = next(r for r in SHIPPED.tables["normbedragen"].rows if r["geldig_van"] == date(2026, 7, 1))
    assert row["inclusief_vt"] == {
        "gehuwden": 2027.79,
        "alleenstaande": 1419.46,
        "gehuwden_aow": 2176.1,
        "alleenstaande_aow": 1587.34,
        "gehuwden_18_20": 700.84,
        "alleenstaande_18_20": 350.42,
    }
    assert row["geverifieerd"] is True and "2026-07-01" in row["bron"] and "BWBR0004044" in row["bron"]
