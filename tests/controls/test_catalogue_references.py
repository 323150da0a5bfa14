"""Every control id a control's text names exists in the catalogue (issue 16: a toelichting pointed elsewhere)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from kic.controls import load_catalogue
from kic.controls.catalogue import Control
from kic.controls.loader import Catalogue

# a catalogue id: capitals, a hyphen, digits (ALG-04, PWLO-06, IO-02, IOAZ-02, BBZ-07, JW-11)
CONTROL_ID = re.compile(r"\b[A-Z]+-\d+\b")


def texts(control: Control) -> Iterator[tuple[str, str]]:
    """(field, text) of every text a reviewer or reader of the control sees."""
    fields = {
        "vraag": control.question,
        "toelichting": control.guidance,
        "grondslag": control.legal_basis,
        "categorie": control.category,
        "sisa": control.sisa,
        "van_toepassing_omschrijving": control.applicable_text,
    }
    yield from ((name, text) for name, text in fields.items() if text)
    yield from ((f"bewijs[{i}]", text) for i, text in enumerate(control.evidence))
    if control.checklist is not None:
        for question in control.checklist.questions:
            yield f"checklist.{question.id}.tekst", question.text
            if question.applicable_text:
                yield f"checklist.{question.id}.van_toepassing_omschrijving", question.applicable_text


def references(catalogue: Catalogue) -> list[tuple[str, int, str, str]]:
    """(control, versie, field, referenced id) for every control id named in any text."""
    return [
        (control.id, control.version, field, found)
        for control in catalogue.all_versions()
        for field, text in texts(control)
        for found in CONTROL_ID.findall(text)
    ]


def dangling(catalogue: Catalogue) -> list[tuple[str, int, str, str]]:
    known = set(catalogue.ids())
    return [ref for ref in references(catalogue) if ref[3] not in known]


def test_every_control_id_named_in_a_text_of_the_shipped_catalogue_exists():
    catalogue = load_catalogue(override=None)
    found = references(catalogue)
    # the scan reads the texts at all: ALG-04 names the controls that compare amounts and norms
    assert ("ALG-04", 2, "toelichting", "IO-02") in found and ("WMO-09", 2, "toelichting", "ALG-17") in found
    assert len({ref[3] for ref in found}) >= 10
    assert dangling(catalogue) == [], "een tekst noemt een controle die niet in het normenkader staat"


CONTROL = """regeling: WKO
controles:
  - id: EIGEN-01
    versie: 1
    geldig_van: 2020-01-01
    categorie: eigen
    vraag: Is het juist (zie ook {vraag})?
    toelichting: {toelichting}
    grondslag: Wet kinderopvang
    criterium: voorwaarden
    fouttype: FIN
    checklist:
      vragen:
        - id: voldaan
          tekst: Is het juist?
          type: janee
      oordeel:
        fout_als: voldaan == 'nee'
"""


def test_a_reference_to_a_missing_control_is_found_in_any_text(tmp_path: Path):
    (tmp_path / "wko.yaml").write_text(
        CONTROL.format(vraag="EIGEN-01", toelichting="De norm toetst PWLO-99; zie ook EIGEN-01."),
        encoding="utf-8",
    )
    catalogue = load_catalogue(override=None, shipped=tmp_path)
    assert dangling(catalogue) == [("EIGEN-01", 1, "toelichting", "PWLO-99")]
    assert {ref[3] for ref in references(catalogue)} == {"EIGEN-01", "PWLO-99"}
