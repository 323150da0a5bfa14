"""``kic --help`` answers at once: a subcommand's module (pandas, scipy, WeasyPrint, ...) is imported
only when that subcommand runs, and every command still has the one error boundary."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from kic.cli import COMMANDS, main
from kic.cli.base import KicCommand
from kic.cli.reference import commands

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "scipy", "weasyprint", "matplotlib", "argon2", "numpy", "sqlalchemy", "flask")

_PROBE = f"""
import sys
import kic.cli
after_import = [m for m in {HEAVY!r} if m in sys.modules]
try:
    kic.cli.main(["--help"], prog_name="kic")
except SystemExit:
    pass
after_help = [m for m in {HEAVY!r} if m in sys.modules]
print(after_import, after_help, file=sys.stderr)
"""


def test_importing_the_cli_and_its_help_load_no_heavy_library() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert "Commando's:" in done.stdout  # the help was rendered, with the list of commands
    assert done.stderr.strip() == "[] []"


def test_the_listed_short_help_is_the_commands_own() -> None:
    context = click.Context(main, info_name="kic")
    for name, (_module, _attribute, short_help) in COMMANDS.items():
        command = main.get_command(context, name)
        assert command is not None, name
        listed = click.Command(name, help=short_help).get_short_help_str(1000)
        assert listed == command.get_short_help_str(1000), f"COMMANDS[{name!r}] in kic/cli/__init__.py"


def test_every_command_has_the_error_boundary() -> None:
    outside = [name for name, command in commands() if not isinstance(command, KicCommand)]
    assert outside == []


def test_a_subcommand_invoked_on_its_own_still_reports_errors_in_dutch(tmp_path: Path) -> None:
    from kic.cli.population import population

    url = f"sqlite:///{tmp_path / 'leeg.sqlite'}"
    result = CliRunner().invoke(population, ["list", "--database", url])
    assert result.exit_code == 1
    assert result.output.startswith("Fout: De database staat op versie leeg")


def test_an_unknown_command_suggests_one_not_yet_imported() -> None:
    result = CliRunner().invoke(main, ["smaple"])
    assert result.exit_code == 2
    assert "onbekend commando 'smaple'; bedoelt u sample?" in result.output
