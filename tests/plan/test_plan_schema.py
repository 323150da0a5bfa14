"""The controleplan file: what it may say, every problem reported at once, and the gemeente's own plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from kic.plan import Doel, Methode, PlanError, PlanNotFound, Spreiding, load_plan, plan_problems
from kic.plan.labels import supports
from kic.plan.loader import read_plan

HEAD = """jaar: 2026
versie: 1
gemeente: Testgemeente
afspraak_accountant: {datum: 2026-02-01, naam: A. Accountant RA}
onderdelen:
"""
GOOD = """  - id: PWLO-BETALING
    regeling: PW-LO
    werkonderdeel: betaling
    populatie: {bron: betalingen, filter: "bedrag > 0"}
    doel: statistisch
    methode: mus
    betrouwbaarheid_pct: 95
    frequentie: per_kwartaal
"""


def write_plan(folder: Path, body: str, year: int = 2026, head: str = HEAD) -> Path:
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    path = folder / "plans" / f"{year}.yaml"
    path.write_text(head + body, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _no_override(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("KIC_CONTROLS_DIR", raising=False)


def test_the_shipped_plans_of_2025_and_2026_validate():
    plans, problems = plan_problems()
    assert problems == []
    assert {p.year for p in plans} >= {2025, 2026}
    plan = load_plan(2026)
    assert plan.agreement is not None and plan.agreement.name
    assert {p.work.value for p in plan.parts} == {
        "aanvraag",
        "mutatie",
        "betaling",
        "heronderzoek",
        "beëindiging",
        "terugvordering",
    }, "every werkproces has a line in the example plan"
    assert {p.purpose for p in plan.parts} == {Doel.STATISTISCH, Doel.GERICHT, Doel.PREVENTIEF}
    assert {w.value: pct for w, pct in plan.quality_norms.items()} == {
        "aanvraag": 90,
        "mutatie": 95,
        "betaling": 98,
        "heronderzoek": 90,
        "beëindiging": 95,
        "terugvordering": 90,
    }


def test_a_plan_line_gets_sensible_defaults():
    part = load_plan(2026).part("PWLO-BETALING")
    assert part.method is Methode.MUS and part.effective_selection == "interval"
    assert part.effective_likelihood == "poisson" and part.effective_spread is Spreiding.JAAR
    targeted = load_plan(2026).part("PWLO-TERUGVORDERING")
    assert targeted.effective_spread is Spreiding.PERIODE and not targeted.extrapolated


def test_every_problem_is_reported_with_file_line_and_field(tmp_path):
    body = (
        GOOD
        + """  - id: WMO-X
    regeling: WMO
    werkonderdeel: betaling
    populatie: {bron: betalingen, filter: "nationaliteitt == 'x' or __import__('os')"}
    doel: gericht
    methode: mus
    frequentie: dagelijks
  - id: JEUGD-X
    regeling: JEUGD
    werkonderdeel: declaratie
    populatie: {filter: "onbekende_kolom > 1"}
    doel: statistisch
    methode: attribuut
    frequentie: maandelijks
  - id: JEUGD-Y
    regeling: JEUGD
    werkonderdeel: betaling
    doel: statistisch
    methode: attribuut
    betrouwbaarheid_pct: 95
    risico: {inherent: hoog, interne_beheersing: midden, cijferanalyse: laag}
    materialiteit_pct: 1
    verwachte_fouten_pct: 2
    frequentie: maandelijks
    omvang: 50
"""
    )
    _plan, problems = read_plan(write_plan(tmp_path, body))
    text = "\n".join(str(p) for p in problems)
    assert "plans/2026.yaml, onderdeel WMO-X, veld populatie" in text
    assert "aanroep van" in text  # the filter is refused, never evaluated
    assert (
        "onderdeel WMO-X, veld frequentie: ongeldige waarde 'dagelijks'; kies uit 'wekelijks', 'maandelijks', "
        "'per_kwartaal' of 'jaarlijks'"
    ) in text
    assert "onderdeel JEUGD-X, veld werkonderdeel" in text
    assert "onbekende kolom(men) voor betalingen: onbekende_kolom" in text
    # Checks across fields of a line run once its fields are valid (JEUGD-Y), and report all they find.
    assert (
        "plans/2026.yaml, onderdeel JEUGD-Y: 'omvang' wordt voor een statistische steekproef berekend" in text
    )
    assert "geef óf 'betrouwbaarheid_pct' óf 'risico'" in text
    assert "verwachte_fouten_pct moet onder materialiteit_pct liggen" in text
    assert "PWLO-BETALING" not in text


def test_a_targeted_line_needs_a_size_and_mus_needs_payments(tmp_path):
    body = """  - id: PWLO-AANVRAAG
    regeling: PW-LO
    werkonderdeel: aanvraag
    populatie: {bron: beschikkingen}
    doel: gericht
    methode: mus
    frequentie: per_kwartaal
"""
    _plan, problems = read_plan(write_plan(tmp_path, body))
    text = "\n".join(str(p) for p in problems)
    assert "een gerichte steekproef heeft een vaste 'omvang' nodig" in text
    assert "methode mus weegt naar bedrag en vraagt bron betalingen" in text


def test_a_preventive_line_needs_a_size_and_is_never_extrapolated(tmp_path):
    body = """  - id: PWLO-PREVENTIEF
    regeling: PW-LO
    werkonderdeel: aanvraag
    populatie: {bron: beschikkingen, filter: "kostendelers > 1"}
    doel: preventief
    methode: attribuut
    frequentie: maandelijks
"""
    _plan, problems = read_plan(write_plan(tmp_path, body))
    assert "een preventieve steekproef heeft een vaste 'omvang' nodig" in "\n".join(str(p) for p in problems)
    plan, problems = read_plan(
        write_plan(tmp_path, body.replace("    frequentie", "    omvang: 3\n    frequentie"))
    )
    assert problems == [] and plan is not None
    part = plan.part("PWLO-PREVENTIEF")
    assert not part.extrapolated and not part.computed and part.effective_spread is Spreiding.PERIODE
    assert "niet in de rechtmatigheid" in supports(part)


def test_kwaliteitsnormen_are_percentages_per_werkproces(tmp_path):
    head = HEAD.replace("onderdelen:", "kwaliteitsnormen: {aanvraag: 90, inname: 80}\nonderdelen:")
    _plan, problems = read_plan(write_plan(tmp_path, GOOD, head=head))
    assert "veld kwaliteitsnormen.inname[key]: ongeldige waarde 'inname'" in "\n".join(
        str(p) for p in problems
    )
    head = HEAD.replace("onderdelen:", "kwaliteitsnormen: {aanvraag: 90, betaling: 120}\nonderdelen:")
    _plan, problems = read_plan(write_plan(tmp_path, GOOD, head=head))
    text = "\n".join(str(p) for p in problems)
    assert "kwaliteitsnormen" in text and "betaling: 120.0" in text and "ten hoogste 100" in text
    head = HEAD.replace("onderdelen:", "kwaliteitsnormen: {aanvraag: 92.5}\nonderdelen:")
    plan, problems = read_plan(write_plan(tmp_path, GOOD, head=head))
    assert problems == [] and plan is not None
    assert {w.value: pct for w, pct in plan.quality_norms.items()} == {"aanvraag": 92.5}


def test_the_year_in_the_file_name_must_be_the_plan_year(tmp_path):
    path = write_plan(tmp_path, GOOD, year=2027)
    _plan, problems = read_plan(path)
    assert [p.field for p in problems] == ["jaar"] and "2026.yaml" in problems[0].message


def test_bad_yaml_and_double_ids_are_reported(tmp_path):
    _plan, problems = read_plan(write_plan(tmp_path, GOOD + GOOD))
    assert "onderdeel-id dubbel: PWLO-BETALING" in str(problems[0])
    _plan, problems = read_plan(write_plan(tmp_path, "  - id: [onaf\n"))
    assert "geen geldige YAML" in str(problems[0])


def test_the_gemeentes_own_plan_replaces_the_shipped_one(tmp_path, monkeypatch):
    write_plan(tmp_path, GOOD)
    monkeypatch.setenv("KIC_CONTROLS_DIR", str(tmp_path))
    plan = load_plan(2026)
    assert plan.gemeente == "Testgemeente" and [p.id for p in plan.parts] == ["PWLO-BETALING"]
    assert load_plan(2025).gemeente != "Testgemeente"  # other years still come from the shipped folder


def test_a_missing_plan_and_a_broken_plan_raise_typed_errors(tmp_path):
    with pytest.raises(PlanNotFound, match="geen controleplan voor 1999"):
        load_plan(1999)
    write_plan(tmp_path, GOOD.replace("mus", "zeef"))
    with pytest.raises(PlanError) as caught:
        load_plan(2026, tmp_path)
    assert caught.value.problems and "methode" in caught.value.problems[0].field


def test_a_plan_may_replace_the_haro_factor_table(tmp_path):
    head = HEAD.replace(
        "onderdelen:", "risicomodel: {audit_risk: 0.05, mapping: {ihr: {H: 1}, ibr: {H: 1}}}\nonderdelen:"
    )
    _plan, problems = read_plan(write_plan(tmp_path, GOOD, head=head))
    assert "het risicomodel heeft factoren nodig voor ihr, ibr, car" in str(problems[0])


def test_the_content_hash_changes_with_the_content(tmp_path):
    first = load_plan(2026, write_plan(tmp_path / "a", GOOD).parents[1]).content_hash
    second = load_plan(2026, write_plan(tmp_path / "b", GOOD.replace("95", "90")).parents[1]).content_hash
    again = load_plan(2026, tmp_path / "a").content_hash
    assert first == again != second and len(first) == 64
