"""What every kic command shares: the one error boundary, Dutch help and errors, Dutch aliases, and
subcommands that are imported only when they are used.

Only click and :mod:`kic.errors` are imported here: ``kic --help`` must not pay for pandas, scipy or
WeasyPrint, which the command modules need.
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import click

from kic.cli import dutch
from kic.errors import KicError

SHOWN_DETAILS = 200  # a file with 10,000 bad lines: the first 200 and a count


def print_details(details: list[str]) -> None:
    """Lines under an error message: at most ``SHOWN_DETAILS``, then how many more."""
    for line in details[:SHOWN_DETAILS]:
        click.echo(f"  {line}", err=True)
    if len(details) > SHOWN_DETAILS:
        click.echo(f"  ... en nog {len(details) - SHOWN_DETAILS} probleem/problemen.", err=True)


@contextmanager
def _error_boundary() -> Iterator[None]:
    """A :class:`KicError` becomes ``Fout: <message>``, its details one per line, and its exit code;
    commands only catch what they answer differently (a rejected import writes its issues file)."""
    try:
        yield
    except KicError as exc:
        click.secho(f"Fout: {exc.message}", fg="red", err=True)
        print_details(exc.details)
        raise SystemExit(exc.exit_code) from None


@contextmanager
def _dutch_parse_errors(ctx: click.Context, names: Iterable[str] = ()) -> Iterator[None]:
    """An unknown option or command with the close matches in Dutch (click builds that sentence
    itself); ``names`` are the commands to suggest from, aliases and not yet imported ones included.
    Every usage error shows the usage line."""
    try:
        yield
    except click.NoSuchOption as exc:
        raise click.UsageError(
            _unknown("onbekende optie", exc.option_name, exc.possibilities or ()), ctx
        ) from None
    except click.NoSuchCommand as exc:
        close = difflib.get_close_matches(exc.command_name, list(names))
        raise click.UsageError(_unknown("onbekend commando", exc.command_name, close), ctx) from None
    except click.UsageError as exc:
        if exc.ctx is None:  # click's parser leaves it out, and with it the usage line
            exc.ctx = ctx
        raise


def _unknown(what: str, name: str, close: Iterable[str]) -> str:
    """``onbekende optie '--jsn'; bedoelt u --json?``"""
    hint = ", ".join(close)
    return f"{what} {name!r}; bedoelt u {hint}?" if hint else f"{what} {name!r}"


class KicCommand(click.Command):
    """A kic command: the error boundary, ``-h``, Dutch metavars, a decimal comma in shown defaults,
    and ``aliases`` (other names it answers to, shown beside its name, never as a second row)."""

    def __init__(self, *args: Any, aliases: Iterable[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPTIES]")
        super().__init__(*args, **kwargs)
        self.aliases = tuple(aliases)
        self.context_settings.setdefault("help_option_names", ["-h", "--help"])
        for param in self.params:
            if isinstance(param, click.Option) and param.metavar is None:
                param.metavar = dutch.METAVARS.get(param.type.name)

    def invoke(self, ctx: click.Context) -> Any:
        with _error_boundary():
            return super().invoke(ctx)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        with _dutch_parse_errors(ctx):
            return super().parse_args(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            _decimal_comma(param, record)
            for param in self.get_params(ctx)
            if not isinstance(param, click.Argument) and (record := param.get_help_record(ctx))
        ]
        if rows:
            with formatter.section(dutch.MESSAGES["Options"]):
                formatter.write_dl(rows)


def _decimal_comma(param: click.Parameter, record: tuple[str, str]) -> tuple[str, str]:
    """``[standaard: 0,95; 0,5<=x<=0,999]``: decimal numbers in the shown default and range the Dutch way."""
    decimal = isinstance(param.default, float) or isinstance(param.type, click.types.FloatParamType)
    spec, text = record
    start = text.rfind("[")
    if not decimal or start < 0:
        return record
    return spec, text[:start] + re.sub(r"(?<=\d)\.(?=\d)", ",", text[start:])


class KicGroup(KicCommand, click.Group):
    """A group of kic commands; its subcommands and subgroups are kic commands and groups too."""

    command_class = KicCommand
    group_class = type  # subgroups of the same class

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "COMMANDO [ARGUMENTEN]...")
        super().__init__(*args, **kwargs)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None:
            found = next((c for c in self.commands.values() if cmd_name in _aliases(c)), None)
        return found

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        names = [*self.list_commands(ctx), *(a for c in self.commands.values() for a in _aliases(c))]
        with _dutch_parse_errors(ctx, names):
            return super().resolve_command(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)  # KicCommand's, which click.Group's would follow
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        listed = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        _write_commands(
            formatter, [(", ".join([n, *_aliases(c)]), c) for n, c in listed if c and not c.hidden]
        )


def _aliases(command: click.Command) -> tuple[str, ...]:
    return getattr(command, "aliases", ())


def _write_commands(formatter: click.HelpFormatter, rows: list[tuple[str, click.Command]]) -> None:
    if not rows:
        return
    limit = formatter.width - 6 - max(len(label) for label, _ in rows)
    with formatter.section(dutch.MESSAGES["Commands"]):
        formatter.write_dl([(label, command.get_short_help_str(limit)) for label, command in rows])


class LazyGroup(KicGroup):
    """A group whose subcommands live in modules imported only when the subcommand is used.

    ``lazy`` maps a name to ``(module, attribute, short help)``; the short help lists the command in
    ``--help`` without importing its module (a test checks it against the command's own help).
    """

    def __init__(self, *args: Any, lazy: Mapping[str, tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module, attribute, _short_help = self.lazy[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        stubs = {name: click.Command(name, help=short_help) for name, (_, _, short_help) in self.lazy.items()}
        rows = [(name, self.commands.get(name) or stubs[name]) for name in self.list_commands(ctx)]
        _write_commands(formatter, [(name, command) for name, command in rows if not command.hidden])
