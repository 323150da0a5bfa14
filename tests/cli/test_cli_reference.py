"""The command reference is generated and current, and the CLI speaks Dutch."""

from pathlib import Path

from click.testing import CliRunner

from kic.cli import main
from kic.cli.reference import commands, render

DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_docs_cli_md_is_generated_from_the_current_commands():
    assert DOCS.read_text(encoding="utf-8") == render(), "draai: python -m kic.cli.reference > docs/cli.md"


def test_every_command_has_a_dutch_help_text():
    for name, command in commands():
        assert command.help, f"{name} heeft geen helptekst"
    output = CliRunner().invoke(main, ["import", "payments", "--help"]).output
    assert "Gebruik:" in output and "Opties" in output and "Toon deze hulp en stop." in output


def test_click_errors_are_dutch():
    result = CliRunner().invoke(main, ["import", "payments"])
    assert result.exit_code == 2 and "Argument ontbreekt" in result.output
