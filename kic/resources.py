"""Locate the data folders (catalogue, templates, migrations) in a wheel or a source checkout.

In the wheel they are copied to ``kic/_data/``; in a source checkout they stand at the top level
of the repository. One function hides the difference so nothing else needs to know.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder ``name`` (``controls``, ``migrations`` or ``reports/templates``)."""
    for base in (_PACKAGE / "_data", _PACKAGE.parent):
        candidate = base / name
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"kic-gegevensmap '{name}' niet gevonden (installatie onvolledig?)")
