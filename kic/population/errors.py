"""Typed errors of the population import; the CLI turns them into Dutch messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass

from kic.errors import KicError


@dataclass(frozen=True, order=True)
class ImportIssue:
    """One bad cell: the line in the file (1 = header), the column and the reason, in Dutch.

    ``column`` is empty when the whole line is wrong (too many fields, an encoding that does not fit).
    The reason never repeats a BSN or the row: an issue is shown on screen and written to a file.
    """

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        if not self.column:
            return f"regel {self.line}: {self.reason}"
        return f"regel {self.line}, kolom {self.column}: {self.reason}"


class PopulationError(KicError):
    """A population cannot be imported; the message is Dutch and meant for the user."""


class ImportRejected(PopulationError):
    """The file has bad rows; nothing was stored."""

    exit_code = 3

    def __init__(self, issues: list[ImportIssue], row_count: int) -> None:
        self.issues = sorted(issues)
        self.row_count = row_count
        bad_lines = len({issue.line for issue in self.issues})
        super().__init__(
            f"Import geweigerd: {len(self.issues)} fout(en) in {bad_lines} van {row_count} regel(s); "
            "er is niets opgeslagen."
        )


class AlreadyImported(PopulationError):
    """The same file (same SHA-256) is already an active population."""

    exit_code = 4  # scripts that import every night can tell "already there" from a failure

    def __init__(self, snapshot_id: int, source_name: str, imported_at: str) -> None:
        self.snapshot_id = snapshot_id
        super().__init__(
            f"Dit bestand is al geïmporteerd als populatie {snapshot_id} ({source_name}, {imported_at}). "
            "Gebruik --vervang om die populatie te vervangen."
        )
