"""The automated controls scored against the ground truth: an error only the dossier shows is no miss."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kic.controls.groundtruth import DossierScore, compare, read_truth
from kic.controls.run import load_findings, run_controls
from kic.controls.texts import echo_truth
from kic.db import session_scope

TRUTH = """sleutel_soort;sleutel;fouttype;soort;vindplaats;controle;foutbedrag;omschrijving
betaling;B000000001;NORM_ONJUIST;fout;export;;12,50;a
betaling;B000000002;BUITEN_PERIODE;fout;export;;900,00;b
betaling;B000000003;INKOMSTEN_NIET_OPGEGEVEN;fout;dossier;PWLO-08;150,00;c
betaling;B000000004;BEWIJS_ONTBREEKT;onzekerheid;dossier;PWLO-08;800,00;d
betaling;B000000005;HANDMATIG_NIET_GEACCORDEERD;formeel;dossier;ALG-14;0,00;e
beschikking;LO-2026-000001;BESLUIT_NIET_GEMOTIVEERD;formeel;dossier;ALG-09;0,00;f
"""


def _truth(tmp_path: Path, text: str = TRUTH) -> pd.DataFrame:
    path = tmp_path / "grondwaarheid.csv"
    path.write_text(text, encoding="utf-8-sig")
    return read_truth(path)


def _findings(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["betaling_id", "control_id"])


def test_dossier_only_errors_are_counted_apart_not_as_misses(tmp_path):
    truth = _truth(tmp_path)
    assert list(truth["betaling_id"]) == [f"B00000000{i}" for i in range(1, 6)], "beschikkingen left out"
    findings = _findings(("B000000001", "PWLO-06"), ("B000000003", "PWLO-08"), ("B000000009", "ALG-03"))
    report = compare(findings, truth)
    assert [(t.fouttype, t.total, t.found) for t in report.types] == [
        ("BUITEN_PERIODE", 1, 0),
        ("NORM_ONJUIST", 1, 1),
    ]
    assert report.wrong == 2 and report.recall == 0.5, "recall over what the export shows"
    assert report.dossier_only == [
        DossierScore("BEWIJS_ONTBREEKT", "onzekerheid", 1, 0),
        DossierScore("HANDMATIG_NIET_GEACCORDEERD", "formeel", 1, 0),
        DossierScore("INKOMSTEN_NIET_OPGEGEVEN", "fout", 1, 1),
    ]
    assert report.dossier_total == 3
    # a payment that pays too much is wrong, whatever shows it; an onzekerheid or formal error is not
    assert (report.flagged, report.correct) == (3, 2)
    scores = {c.control_id: (c.flagged, c.correct) for c in report.controls}
    assert scores == {"ALG-03": (1, 0), "PWLO-06": (1, 1), "PWLO-08": (1, 1)}


def test_the_echo_reports_the_dossier_only_errors_apart(tmp_path):
    report = compare(_findings(("B000000001", "PWLO-06")), _truth(tmp_path))
    lines: list[str] = []
    echo_truth(report, lines.append)
    text = "\n".join(lines)
    assert "Alleen in het dossier zichtbaar: 3 betalingen" in text
    table = text[: text.index("Alleen in het dossier")]
    assert "BEWIJS_ONTBREEKT" not in table and "NORM_ONJUIST" in table, "not in the recall table"


def test_the_population_limits_both_kinds(tmp_path):
    report = compare(_findings(), _truth(tmp_path), population=["B000000002", "B000000004"])
    assert [t.fouttype for t in report.types] == ["BUITEN_PERIODE"]
    assert [d.fouttype for d in report.dossier_only] == ["BEWIJS_ONTBREEKT"]


def test_the_older_truth_of_payments_only_is_all_export(tmp_path):
    old = "betaling_id;fouttype;foutbedrag;omschrijving\nB000000001;NORM_ONJUIST;12,50;a\n"
    report = compare(_findings(("B000000001", "PWLO-06")), _truth(tmp_path, old))
    assert [(t.fouttype, t.found) for t in report.types] == [
        ("NORM_ONJUIST", 1)
    ] and report.dossier_only == []
    assert report.recall == report.precision == 1.0


def test_on_the_synthetic_gemeente_no_dossier_only_error_counts_as_missed(population, gemeente, catalogue):
    with session_scope(population) as session:
        summary = run_controls(session, actor="tester", catalogue=catalogue)
        findings = load_findings(session, summary.run_id)
    truth = read_truth(gemeente.ground_truth_path)
    report = compare(findings, truth)
    hidden = truth[truth["vindplaats"] == "dossier"]
    assert report.dossier_total == len(hidden) > 0
    assert not {t.fouttype for t in report.types} & set(hidden["fouttype"])
    assert report.wrong == (truth["vindplaats"] == "export").sum()
    assert report.recall >= 0.9 and report.precision >= 0.9
