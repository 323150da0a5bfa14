"""Dutch for click's own words (Usage, Options, error messages, type names).

click marks its messages for gettext but ships no Dutch catalogue. Rather than a compiled .mo
file, kic replaces the ``_`` and ``ngettext`` that click's modules imported with a lookup in these
tables; a message without a translation stays as click wrote it. The words click does not pass
through gettext (``[OPTIONS]``, ``COMMAND [ARGS]...``, the metavar of a type) are set by the
command classes in :mod:`kic.cli.base`.
"""

from __future__ import annotations

import importlib

import click

MESSAGES: dict[str, str] = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Commando's",
    "Positional arguments": "Argumenten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "Error: {message}": "Fout: {message}",
    "Aborted!": "Afgebroken.",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Missing argument": "Argument ontbreekt",
    "Missing option": "Optie ontbreekt",
    "Missing parameter": "Parameter ontbreekt",
    "Missing command.": "Commando ontbreekt.",
    "Missing {param_type}": "{param_type} ontbreekt",
    "Missing parameter: {param_name}": "Parameter ontbreekt: {param_name}",
    "No such command {name!r}.": "Onbekend commando {name!r}.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "Option {name!r} does not take a value.": "de optie {name!r} neemt geen waarde",
    "Argument {name!r} takes {nargs} values.": "het argument {name!r} vraagt {nargs} waarden",
    "Try '{command} {option}' for help.": "Probeer '{command} {option}' voor hulp.",
    "Choose from:\n\t{choices}": "Kies uit:\n\t{choices}",
    "required": "verplicht",
    "default: {default}": "standaard: {default}",
    "env var: {var}": "omgevingsvariabele: {var}",
    "deprecated": "verouderd",
    "(dynamic)": "(berekend)",
    "Do you want to continue?": "Wilt u doorgaan?",
    "Confirm the action without prompting.": "Bevestig zonder te vragen.",
    "Repeat for confirmation": "Herhaal ter bevestiging",
    "Error: The two entered values do not match.": "Fout: de twee ingevoerde waarden zijn niet gelijk.",
    "Error: invalid input": "Fout: ongeldige invoer",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig {number_type}.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} is geen geldige ja/nee-waarde; mogelijk zijn: {states}"
    ),
    "{name} {filename!r} does not exist.": "{name} {filename!r} bestaat niet.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} is een map.",
    "{name} {filename!r} is a file.": "{name} {filename!r} is een bestand.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} is niet leesbaar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} is niet schrijfbaar.",
    "{name} {filename!r} is not executable.": "{name} {filename!r} is niet uitvoerbaar.",
    "Could not open file {filename!r}: {message}": "Kan bestand {filename!r} niet openen: {message}",
    "file": "bestand",
    "directory": "map",
    "path": "pad",
}

# click chooses singular or plural itself (ngettext): (singular, plural) in, (singular, plural) out.
PLURALS: dict[tuple[str, str], tuple[str, str]] = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Bedoelt u {possibility}?",
        "(Bedoelt u een van: {possibilities}?)",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "onverwacht extra argument ({args})",
        "onverwachte extra argumenten ({args})",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "de optie {name!r} vraagt een waarde",
        "de optie {name!r} vraagt {nargs} waarden",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} is geen geldige keuze; kies {choice}.",
        "{value!r} is geen geldige keuze; kies uit {choices}.",
    ),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): (
        "{value!r} heeft niet de vorm {format}.",
        "{value!r} heeft geen van de vormen {formats}.",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "vraagt {nargs} waarden maar kreeg er 1.",
        "vraagt {nargs} waarden maar kreeg er {len}.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "{len_type} waarden zijn nodig, maar er is {len_value} gegeven.",
        "{len_type} waarden zijn nodig, maar er zijn {len_value} gegeven.",
    ),
}

# The names click gives its types, used in messages ("'x' is geen geldig geheel getal").
TYPE_NAMES: dict[type[click.ParamType], str] = {
    click.types.IntParamType: "geheel getal",
    click.types.IntRange: "geheel getal",
    click.types.FloatParamType: "getal",
    click.types.FloatRange: "getal",
    click.types.StringParamType: "tekst",
    click.types.BoolParamType: "ja/nee",
}

# The metavar of an option by the name of its type: ``--n GETAL`` rather than ``--n INTEGER RANGE``.
METAVARS: dict[str, str] = {"geheel getal": "GETAL", "getal": "GETAL", "tekst": "TEKST", "ja/nee": "JA|NEE"}

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def _translate(message: str) -> str:
    return MESSAGES.get(message, message)


def _translate_plural(singular: str, plural: str, n: int) -> str:
    one, many = PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else many


def install() -> None:
    """Make click speak Dutch; idempotent."""
    for name in _MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _translate  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _translate_plural  # type: ignore[attr-defined]
    for param_type, type_name in TYPE_NAMES.items():
        param_type.name = type_name
