"""Populations: importing exports of the benefits administration into frozen snapshots."""

from kic.population.errors import AlreadyImported, ImportIssue, ImportRejected, PopulationError
from kic.population.importer import (
    ImportProgress,
    ImportResult,
    active_snapshots,
    import_population,
    read_population_file,
)
from kic.population.reader import Mapping, load_mapping

__all__ = [
    "AlreadyImported",
    "ImportIssue",
    "ImportProgress",
    "ImportRejected",
    "ImportResult",
    "Mapping",
    "PopulationError",
    "active_snapshots",
    "import_population",
    "load_mapping",
    "read_population_file",
]
