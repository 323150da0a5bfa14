"""Help and errors in Dutch, also the words click itself adds (``[required]``, ``FILE``, "Did you
mean"), and a decimal comma in shown defaults."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from kic.cli import main
from kic.cli.reference import commands

# click's own English, as whole words: metavars, usage, markers and sentences.
ENGLISH = re.compile(
    r"\b(Usage|Options|Commands|OPTIONS|COMMAND|ARGS|FILE|FILENAME|PATH|DIRECTORY|INTEGER|FLOAT|TEXT"
    r"|BOOLEAN|RANGE|required|default|env var|Show this message|Did you mean|does not|is not|No such"
    r"|Missing|Got unexpected|requires an? |Error|Invalid value|Try)\b"
)
MARKER = re.compile(r"\[[^\]]*\]")  # [standaard: 0,95; 0,5<=x<=0,999]
DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")  # 0.95, not 127.0.0.1


@pytest.mark.parametrize("path", [name for name, _command in commands()])
def test_help_has_no_english_click_words(path: str) -> None:
    result = CliRunner().invoke(main, [*path.split()[1:], "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert ENGLISH.findall(result.output) == []
    assert [m for m in MARKER.findall(result.output) if DECIMAL_POINT.search(m)] == []


def test_shown_defaults_and_ranges_have_a_decimal_comma() -> None:
    output = CliRunner().invoke(main, ["evaluate", "--help"], terminal_width=200).output
    assert "[standaard: 0,95; 0,5<=x<=0,999]" in output
    assert "[verplicht]" in CliRunner().invoke(main, ["sample", "draw", "--help"]).output


BAD_USE = [
    (["sampel"], "onbekend commando 'sampel'; bedoelt u sample?"),
    (["evaluate", "--jsn"], "onbekende optie '--jsn'; bedoelt u --json"),
    (["evaluate", "--periode"], "de optie '--periode' vraagt een waarde"),
    (["evaluate", "--json=ja"], "de optie '--json' neemt geen waarde"),
    (["evaluate", "extra"], "onverwacht extra argument (extra)"),
    (["evaluate", "--jaar", "twee"], "'twee' is geen geldig geheel getal"),
    (["evaluate", "--betrouwbaarheid", "hoog"], "'hoog' is geen geldig getal"),
    (["evaluate", "--van", "gisteren"], "'gisteren' is geen datum; schrijf dd-mm-jjjj"),
    (["agenda", "list", "--status", "klaar"], "'klaar' is geen geldige keuze; kies uit 'open'"),
    (["sample", "draw"], "Optie ontbreekt '--periode' / '--period'"),
    (["import", "payments", "bestaat-niet.csv"], "Bestand 'bestaat-niet.csv' bestaat niet"),
    (["sample", "draw", "--regeling", "XX", "--periode", "2026-Q3", "--n", "10"], "onbekende regeling 'XX'"),
    (["plan", "show", "2026", "--regeling", "xx"], "onbekende regeling 'xx'; kies uit PW-LO, PW-BB"),
]


@pytest.mark.parametrize(("args", "message"), BAD_USE, ids=[" ".join(a) for a, _ in BAD_USE])
def test_wrong_use_gets_one_dutch_message_and_exit_code_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args, prog_name="kic")
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.output.startswith("Gebruik: kic ")  # with the usage line, as click intends
    assert ENGLISH.findall(result.output) == []
