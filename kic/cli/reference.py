"""Generate the command reference (docs/cli.md) from the click definitions themselves.

    python -m kic.cli.reference > docs/cli.md

A test regenerates it and compares, so the reference can never drift from the commands.
"""

from __future__ import annotations

import click

from kic.cli import main


def _walk(context: click.Context) -> list[click.Context]:
    """The context of every command below ``context``, built as click builds them when run."""
    found = [context]
    command = context.command
    if isinstance(command, click.Group):
        for name in command.list_commands(context):
            child_command = command.get_command(context, name)
            assert child_command is not None, name
            found += _walk(click.Context(child_command, info_name=name, parent=context))
    return found


def _contexts() -> list[click.Context]:
    settings = {**main.context_settings, "terminal_width": 100, "max_content_width": 100}
    return _walk(click.Context(main, info_name="kic", **settings))


def commands() -> list[tuple[str, click.Command]]:
    """Every command as ``kic sub sub`` with its click object, the root first."""
    return [(context.command_path, context.command) for context in _contexts()]


def render() -> str:
    intro = (
        "Gegenereerd uit de commando's zelf met `python -m kic.cli.reference > docs/cli.md`; "
        "niet met de hand bewerken."
    )
    lines = ["# Opdrachtregel (kic)", "", intro, ""]
    for context in _contexts():
        help_text = context.command.get_help(context)
        lines += [f"## `{context.command_path}`", "", "```text", help_text.rstrip(), "```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
