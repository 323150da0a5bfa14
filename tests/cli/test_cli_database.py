"""A wrong ``--database`` gets one Dutch line with an example of a right URL, exit code 1, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kic.cli import main

WRONG = [
    ("{tmp}/kic.sqlite", "is een pad, geen database-URL; bedoelt u sqlite:///{tmp}/kic.sqlite?"),
    ("kic.sqlite", "is een pad, geen database-URL; bedoelt u sqlite:///kic.sqlite?"),
    ("sqlite:///{tmp}/bestaat-niet/kic.sqlite", "de map {tmp}/bestaat-niet van database"),
    ("postgres://gebruiker@localhost/kic", "onbekend soort database 'postgres'"),
    ("postgresql+psycopg://gebruiker:geheim@127.0.0.1:1/kic", "is niet bereikbaar"),
]


@pytest.mark.parametrize(("url", "message"), WRONG, ids=[u for u, _ in WRONG])
@pytest.mark.parametrize("command", [["population", "list"], ["db", "upgrade"]], ids=" ".join)
def test_a_wrong_database_url_gets_a_dutch_error_with_an_example(
    tmp_path: Path, command: list[str], url: str, message: str
) -> None:
    result = CliRunner().invoke(main, [*command, "--database", url.format(tmp=tmp_path)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # the boundary's clean exit, not an escaped error
    first, *details = result.output.splitlines()
    assert first.startswith("Fout: ") and message.format(tmp=tmp_path) in first
    assert (
        "sqlite:////pad/kic.sqlite" in details[0] and "postgresql+psycopg://gebruiker@host/db" in details[0]
    )
    assert "geheim" not in result.output  # a password is never shown


def test_the_database_url_may_also_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIC_DATABASE_URL", "kic.sqlite")
    result = CliRunner().invoke(main, ["db", "status"])
    assert result.exit_code == 1
    assert result.output.startswith("Fout: 'kic.sqlite' is een pad, geen database-URL")
