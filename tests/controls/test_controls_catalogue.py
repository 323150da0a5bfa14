"""Loading the catalogue: every problem named by file, control and field; overrides; dating; schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from helpers import copy_test_catalogue

from kic.controls import ControlDefinitionError, UnknownControl, json_schema, load_catalogue, problems_of

CATALOGUE = Path(__file__).resolve().parent / "catalogue"
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "controls.schema.json"

CONTROL = """
  - id: {id}
    versie: {versie}
    geldig_van: {van}
    geldig_tot: {tot}
    categorie: hoogte
    vraag: Is het bedrag juist?
    grondslag: Pw art. 21
    criterium: calculatie
    fouttype: FIN
    automatisch:
      regel: "{regel}"
"""


def control(
    id: str = "TEST-01",
    versie: int = 1,
    van: str = "2015-01-01",
    tot: str = "null",
    regel: str = "bedrag > 0",
) -> str:
    return CONTROL.format(id=id, versie=versie, van=van, tot=tot, regel=regel)


@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    return copy_test_catalogue(tmp_path / "kenmerk")


def write(folder: Path, name: str, regeling: str, *controls: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"regeling: {regeling}\ncontroles:\n" + "".join(controls), encoding="utf-8")
    return path


def test_test_catalogue_loads_with_its_tables(catalogue_dir):
    catalogue = load_catalogue(shipped=catalogue_dir)
    assert {"ALG-01", "WMO-01", "JW-02"} <= set(catalogue.ids())
    assert {"normbedragen", "tarieven"} <= set(catalogue.tables)
    assert {"normbedragen", "ioaw_ioaz_grondslagen"} <= set(catalogue.tables)
    assert catalogue.version_for("PWLO-05", date(2026, 3, 1)).automated.check == "norm_volgens_tabel"


def test_every_problem_in_every_file_is_listed_with_file_control_and_field(tmp_path):
    bad = control(id="BAD-01").replace("fouttype: FIN", "fouttype: FOUT").replace("versie: 1", "versie: nul")
    write(tmp_path, "a.yaml", "PW-LO", bad, control(id="BAD-02", regel="__import__('os')"))
    write(tmp_path, "b.yaml", "XYZ", control(id="BAD-03").replace("vraag:", "vrag:"))
    (tmp_path / "c.yaml").write_text("regeling: [unclosed\n", encoding="utf-8")
    with pytest.raises(ControlDefinitionError) as caught:
        load_catalogue(shipped=tmp_path)
    found = {(p.file, p.control, p.field) for p in caught.value.problems}
    assert ("a.yaml", "BAD-01", "fouttype") in found
    assert ("a.yaml", "BAD-01", "versie") in found
    assert ("a.yaml", "BAD-02", "automatisch.regel") in found
    assert ("b.yaml", None, "regeling") in found
    assert ("b.yaml", "BAD-03", "vraag") in found and ("b.yaml", "BAD-03", "vrag") in found
    assert any(p.file == "c.yaml" and "geen geldige YAML" in p.message for p in caught.value.problems)
    assert "__import__" in str(next(p for p in caught.value.problems if p.control == "BAD-02"))


def test_check_parameters_are_validated_when_the_catalogue_loads(tmp_path):
    text = control(id="PAR-01").replace(
        'regel: "bedrag > 0"',
        "check: norm_volgens_tabel\n      parameters: {tolerantie_centen: -5, onbekend: 1}",
    )
    missing_table = control(id="PAR-03").replace('regel: "bedrag > 0"', "check: norm_volgens_tabel")
    write(
        tmp_path,
        "p.yaml",
        "PW-LO",
        text,
        control(id="PAR-02").replace('regel: "bedrag > 0"', "check: geen_idee"),
        missing_table,
    )
    problems = problems_of(shipped=tmp_path)
    messages = " | ".join(str(p) for p in problems)
    assert "parameters.tolerantie_centen: moet minstens 0 zijn" in messages
    assert "parameters.onbekend: onbekend veld" in messages
    assert "onbekende check 'geen_idee'" in messages
    assert "tabel 'normbedragen' bestaat niet" in messages


def test_overlapping_versions_and_duplicates_are_problems(tmp_path):
    write(tmp_path, "a.yaml", "WMO", control(versie=1, tot="2025-12-31"), control(versie=2, van="2025-06-01"))
    write(tmp_path, "b.yaml", "WMO", control(versie=1, tot="2025-12-31"))
    problems = problems_of(shipped=tmp_path)
    assert any(p.field == "geldig_van" and "overlapt" in p.message for p in problems)
    assert any(p.field == "versie" and "staat ook in" in p.message for p in problems)


def test_version_for_picks_the_version_valid_on_the_payment_period(tmp_path):
    write(
        tmp_path,
        "a.yaml",
        "WMO",
        control(versie=1, tot="2025-12-31", regel="bedrag > 0"),
        control(versie=2, van="2026-01-01", regel="bedrag > 10"),
    )
    catalogue = load_catalogue(shipped=tmp_path)
    assert catalogue.version_for("TEST-01", date(2025, 12, 31)).version == 1
    assert catalogue.version_for("TEST-01", date(2026, 1, 1)).version == 2
    with pytest.raises(UnknownControl, match="geen versie geldig op 31-12-2014"):
        catalogue.version_for("TEST-01", date(2014, 12, 31))


def test_a_gemeente_folder_replaces_same_version_adds_controls_and_overrides_table_rows(
    catalogue_dir, tmp_path
):
    own = tmp_path / "eigen"
    write(own, "wmo.yaml", "WMO", control(id="WMO-01", regel="bedrag > 5"), control(id="EIGEN-01"))
    (own / "tabellen").mkdir()
    (own / "tabellen" / "normbedragen.yaml").write_text(
        "rijen:\n  - {geldig_van: 2025-07-01, geldig_tot: null, gehuwden: 2000.00, geverifieerd: true}\n"
        "  - {geldig_van: 2027-01-01, geldig_tot: null, gehuwden: 2100.00, geverifieerd: false}\n",
        encoding="utf-8",
    )
    shipped = load_catalogue(shipped=catalogue_dir)
    merged = load_catalogue(own, shipped=catalogue_dir)
    assert merged.versions["WMO-01"][0].automated.rule == "bedrag > 5"
    assert merged.versions["WMO-01"][0].content_hash != shipped.versions["WMO-01"][0].content_hash
    assert "EIGEN-01" in merged.ids() and "EIGEN-01" not in shipped.ids()
    rows = {r["geldig_van"]: r["gehuwden"] for r in merged.tables["normbedragen"].rows}
    shipped_rows = {r["geldig_van"]: r["gehuwden"] for r in shipped.tables["normbedragen"].rows}
    assert rows[date(2025, 7, 1)] == 2000.0 and rows[date(2027, 1, 1)] == 2100.0
    assert set(rows) == set(shipped_rows) | {date(2025, 7, 1), date(2027, 1, 1)}
    assert all(rows[d] == v for d, v in shipped_rows.items() if d not in (date(2025, 7, 1), date(2027, 1, 1)))
    assert merged.content_hash != shipped.content_hash


def test_a_gemeentes_own_version_takes_over_the_dates_it_covers_from_newer_shipped_versions(tmp_path):
    """Issue 16: "a gemeente can still override per control". Its version 1 of a control must not collide
    with a version 2 that a later kic ships for the same dates; outside those dates the shipped one holds."""
    shipped, own = tmp_path / "kic", tmp_path / "eigen"
    write(
        shipped,
        "a.yaml",
        "WMO",
        control(versie=1, tot="2025-12-31", regel="bedrag > 0"),
        control(versie=2, van="2026-01-01", regel="bedrag > 10"),
    )
    write(own, "a.yaml", "WMO", control(versie=5, van="2026-01-01", regel="bedrag > 99"))
    merged = load_catalogue(own, shipped=shipped)  # no overlap error
    assert merged.version_for("TEST-01", date(2026, 3, 1)).automated.rule == "bedrag > 99"
    assert merged.version_for("TEST-01", date(2025, 3, 1)).automated.rule == "bedrag > 0"
    write(own, "b.yaml", "WMO", control(id="TEST-02"), control(id="TEST-02", versie=2))
    with pytest.raises(ControlDefinitionError) as refused:
        load_catalogue(own, shipped=shipped)  # within one folder an overlap is still an error
    assert "overlapt" in " ".join(refused.value.details)


def test_override_folder_comes_from_the_environment(catalogue_dir, tmp_path, monkeypatch):
    write(tmp_path / "env", "x.yaml", "WKO", control(id="ENV-01"))
    monkeypatch.setenv("KIC_CONTROLS_DIR", str(tmp_path / "env"))
    assert "ENV-01" in load_catalogue(shipped=catalogue_dir).ids()


def test_content_hash_is_stable_and_changes_with_content(tmp_path):
    write(tmp_path, "a.yaml", "WMO", control())
    first = load_catalogue(shipped=tmp_path).versions["TEST-01"][0].content_hash
    assert first == load_catalogue(shipped=tmp_path).versions["TEST-01"][0].content_hash
    write(tmp_path, "a.yaml", "WMO", control(regel="bedrag >= 0"))
    assert load_catalogue(shipped=tmp_path).versions["TEST-01"][0].content_hash != first


def test_files_that_are_not_control_files_are_left_alone(tmp_path):
    write(tmp_path, "a.yaml", "WMO", control())
    (tmp_path / "risicomodel.yaml").write_text("factoren: []\n", encoding="utf-8")
    assert load_catalogue(shipped=tmp_path).ids() == ["TEST-01"]


def test_committed_json_schema_is_current():
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == json_schema(), (
        "draai: kic controls schema -o docs/controls.schema.json"
    )
    assert "controles" in json_schema()["properties"]
