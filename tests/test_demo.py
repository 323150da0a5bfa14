"""``kic demo`` is the main job: it must run end to end on a fresh folder."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from kic.cli import main


def test_demo_runs_the_whole_cycle_on_a_fresh_folder(tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--uitvoer", str(out), "--betalingen", "3000"])
    assert result.exit_code == 0, result.output
    assert (out / "kic.sqlite").is_file() and (out / "export" / "grondwaarheid.csv").is_file()
    assert (out / "export" / "grootboek.csv").is_file()
    for step in (
        "1. Synthetische gemeente",
        "2. Database aangemaakt",
        "3. Populaties importeren",
        "Tweede import van hetzelfde bestand geweigerd",
        "Bestand met fouten geweigerd",
        "5. Alle geautomatiseerde controles",
        "recall",
        "6. Controleplan 2026",
        "7. Beoordelen via Excel",
        "8. Evaluatie",
        "maximale fout",
        "werkelijke fout",
        "9. Bevindingen",
        "10. Rapportages",
        "sisa-2026-v1.xlsx",
        "controleplan-2026.",
        "11. Webapplicatie",
        "kic serve",
        "GESIMULEERDE",
        "alleen in het dossier te zien",  # the synthetic gemeente has errors the export does not show
        "Alleen in het dossier zichtbaar",  # ... and they are no misses of the automated controls
        "PWLO-AANVRAAG: ",  # the verdicts of every plan line reviewed
        "werkelijke onzekerheid in deze populatie",  # the onzekerheden beside the truth of their own kind
    ):
        assert step in result.output, step
    assert "elfproef" in result.output
    # The simulated reviewers find what only the dossiers show (with the demo's fixed seeds): onzekerheden
    # and formal errors beside the fouten
    assert re.search(r"PWLO-[A-Z]+: \d+ voldoet, \d+ fout, [1-9]\d* onzekerheid", result.output)
    assert re.search(r"PWLO-[A-Z]+: .*; [1-9]\d* met een formele fout", result.output)
    # kwaliteit per werkproces counts every handed-in review once, against the plan's norm
    verdicts = re.findall(r"PWLO-[A-Z]+: (\d+) voldoet, (\d+) fout, (\d+) onzekerheid", result.output)
    quality = re.findall(r"kwaliteit (\S+) \((achteraf|preventief)\): (\d+) van (\d+) posten", result.output)
    assert sum(int(n) for row in verdicts for n in row) == sum(int(row[3]) for row in quality) > 0
    assert all(int(clean) <= int(reviewed) for *_, clean, reviewed in quality)
    assert ("betaling", "achteraf") in {(work, kind) for work, kind, *_ in quality}
    assert "kwaliteit betaling (achteraf)" in result.output and "norm 98%" in result.output
    _check_summary(result.output, out)


def _check_summary(output: str, out: Path) -> None:
    """The closing lines name every folder and give commands on the demo's database that work as printed."""
    summary = output[output.index("Klaar. Alles staat in") :].splitlines()
    for folder in ("export", "rapporten", "werkboeken"):
        assert any(line.split() == [folder, f"{out / folder}{os.sep}"] for line in summary), folder
    commands = [shlex.split(line) for line in summary if "--database" in line]
    assert [c[-4:] for c in commands] == [
        ["population", "list", "--database", f"sqlite:///{out / 'kic.sqlite'}"],
        ["kic", "serve", "--database", f"sqlite:///{out / 'kic.sqlite'}"],  # python -m kic, under pytest
    ]
    listed = CliRunner().invoke(main, commands[0][-4:])
    assert listed.exit_code == 0 and "betalingen" in listed.output, listed.output


def test_demo_refuses_an_existing_folder(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--uitvoer", str(tmp_path)])
    assert result.exit_code == 1 and "bestaat al" in result.output


def test_demo_of_a_region_shows_each_gemeente_on_her_own(tmp_path):
    out = tmp_path / "regio"
    result = CliRunner().invoke(
        main, ["demo", "--uitvoer", str(out), "--betalingen", "6000", "--gemeenten", "3"]
    )
    assert result.exit_code == 0, result.output
    assert "1. Synthetische regio van 3 gemeenten" in result.output
    shares = re.findall(
        r"   (\w+) \((GM99\d\d)\): [\d.]+ betalingen, ([\d,]+)% met een ingebrachte fout", result.output
    )
    assert [code for _, code, _ in shares] == ["GM9901", "GM9902", "GM9903"]
    assert len({rate for *_, rate in shares}) == 3, "the gemeenten differ in their error rates"
    evaluated = re.findall(
        r"   \w+ \((GM99\d\d)\): \d+ posten, fouten in \d+; meest waarschijnlijke fout (€\s[\d.,]+)",
        result.output,
    )
    assert [code for code, _ in evaluated] == ["GM9901", "GM9902", "GM9903"]
    assert len({mwf for _, mwf in evaluated}) == 3, "and so do their evaluations"
    for code in ("GM9901", "GM9902", "GM9903"):
        assert (out / "rapporten" / f"kwartaal-{code}-2026-Q2-v1.html").is_file()
        assert (out / "rapporten" / f"sisa-{code}-2026-v1.csv").is_file()
    dossiers = {
        code: (out / "rapporten" / f"sisa-{code}-2026-v1.csv").read_text(encoding="utf-8-sig")
        for code in ("GM9901", "GM9902")
    }
    assert dossiers["GM9901"] != dossiers["GM9902"], "each gemeente her own SISA-dossier"
    region = (out / "rapporten" / "kwartaal-2026-Q2-v1.html").read_text(encoding="utf-8")
    assert 'id="per-gemeente"' in region and all(
        name in region for name in ("Synthedam", "Proefwolde", "Toetsveen")
    )
    assert "accountant-synthedam" in result.output
