"""The Jinja2 environment of every report: a gemeente's template folder first, then the shipped one.

``KIC_TEMPLATES_DIR`` (or an explicit folder) is searched before ``reports/templates``, so a
gemeente can replace ``base.html.j2`` (its own house style) or one report without copying the
rest; a ``logo.svg`` or ``logo.png`` in that folder is the gemeente's logo in every report's header
(embedded, so a report is one file). Filters give Dutch money, numbers, percentages and dates (``kic.formatting``). The
environment holds no clock: the same data give byte-identical output.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from kic.formatting import datum, euro, number, percent, tijdstip
from kic.population.parse import cents_to_decimal
from kic.resources import resource_dir

OVERRIDE_ENV = "KIC_TEMPLATES_DIR"


def template_folders(override: Path | None = None) -> list[Path]:
    own = override or (Path(os.environ[OVERRIDE_ENV]) if os.environ.get(OVERRIDE_ENV) else None)
    return [f for f in (own, resource_dir("reports/templates")) if f is not None]


def environment(override: Path | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(f) for f in template_folders(override)]),
        autoescape=select_autoescape(("html", "html.j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.globals["logo"] = logo_uri(template_folders(override))
    return env


def _filters() -> dict[str, Callable[..., str]]:
    return {
        "euro": euro,
        "centen": _cents_euro,
        "datum": datum,
        "tijdstip": tijdstip,
        "aantal": number,
        "fractie": percent,
        "pct": _pct,
    }


LOGOS = (("logo.svg", "image/svg+xml"), ("logo.png", "image/png"))


def logo_uri(folders: list[Path]) -> str | None:
    """The first logo found in the template folders as a data URI, or None (the shipped folder has none)."""
    for folder in folders:
        for name, mime in LOGOS:
            if (folder / name).is_file():
                return f"data:{mime};base64,{base64.b64encode((folder / name).read_bytes()).decode()}"
    return None


def _cents_euro(cents: int | None) -> str:
    return euro(None if cents is None else cents_to_decimal(int(cents)))


def _pct(value: float | Decimal | None, digits: int = 1) -> str:
    """A percentage written as a number (2.0 = 2 %) in Dutch notation."""
    return "-" if value is None else percent(float(value) / 100, digits)


# The Dutch filters of every template, reports and web pages alike: euro, centen (integer cents),
# datum, tijdstip, aantal, fractie (0,05 -> "5,0 %") and pct (5 -> "5,0 %").
FILTERS = _filters()
