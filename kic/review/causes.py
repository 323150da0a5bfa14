"""Cause codes (oorzaken) a reviewer gives a finding: where the error came from.

The list is configuration: ``controls/oorzaken.yaml`` ships the defaults, the usual split in Dutch
quality reports (mens, proces, systeem, regelgeving) plus the client's own share (klant: the
inlichtingenplicht not met), and the CBS *ontstaansgrond* codes 51–57 of the vorderingen statistics
for findings that point at fraud (shared/reference/domain.md). A gemeente that puts its own
``oorzaken.yaml`` in its catalogue folder (``KIC_CONTROLS_DIR``) replaces the list as a whole. The
web form, the Excel workbook and the review use case all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from kic.controls.loader import override_dir
from kic.resources import resource_dir

CAUSES_FILE = "oorzaken.yaml"
MAX_CODE = 40  # review.cause_code


class CauseConfigError(ValueError):
    """An oorzaken.yaml that cannot be used; the message (Dutch) names the file and every problem."""


@dataclass(frozen=True)
class Cause:
    code: str
    label: str


def causes_file(override: Path | None = None) -> Path:
    """The gemeente's list when it has one, else the shipped defaults."""
    folder = override_dir(override)
    if folder is not None and (folder / CAUSES_FILE).is_file():
        return folder / CAUSES_FILE
    return resource_dir("controls") / CAUSES_FILE


def load_causes(override: Path | None = None) -> tuple[Cause, ...]:
    path = causes_file(override)
    return _read(path, path.stat().st_mtime_ns)


def cause_codes(override: Path | None = None) -> tuple[str, ...]:
    return tuple(c.code for c in load_causes(override))


def unknown_cause(code: str | None, override: Path | None = None) -> str | None:
    """Why ``code`` is not a cause of the list (Dutch), or None when it is one (or none is given)."""
    if code is None or code in cause_codes(override):
        return None
    return f"onbekende oorzaak '{code}'; kies uit {', '.join(cause_codes(override))}"


@cache
def _read(path: Path, _mtime: int) -> tuple[Cause, ...]:
    """Read once per version of the file (the modification time is part of the cache key)."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CauseConfigError(f"{path}: niet te lezen ({exc})") from None
    entries = content.get("oorzaken") if isinstance(content, dict) else None
    if not isinstance(entries, list) or not entries:
        raise CauseConfigError(f"{path}: verwacht een lijst 'oorzaken' met code en omschrijving")
    problems, causes, seen = [], [], set()
    for number, entry in enumerate(entries, start=1):
        code = str(entry.get("code", "")).strip() if isinstance(entry, dict) else ""
        label = str(entry.get("omschrijving", "")).strip() if isinstance(entry, dict) else ""
        if not code or not label:
            problems.append(f"oorzaak {number}: code en omschrijving zijn verplicht")
        elif len(code) > MAX_CODE or "," in code:
            problems.append(f"oorzaak {number}: code '{code}' is langer dan {MAX_CODE} tekens of bevat een komma")
        elif code in seen:
            problems.append(f"oorzaak {number}: code '{code}' staat er al eerder in")
        else:
            seen.add(code)
            causes.append(Cause(code, label))
    if problems:
        raise CauseConfigError(f"{path}: " + "; ".join(problems))
    return tuple(causes)
