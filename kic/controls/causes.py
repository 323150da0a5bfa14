"""Cause codes (oorzaken) a reviewer gives a finding: where the error came from.

Part of the catalogue's configuration: ``controls/oorzaken.yaml`` ships the defaults, the usual split
in Dutch quality reports (mens, proces, systeem, regelgeving) plus the client's own share (klant: the
inlichtingenplicht not met), and the CBS *ontstaansgrond* codes 51–57 of the vorderingen statistics
for findings that point at fraud (shared/reference/domain.md §5, §6). An ``oorzaken.yaml`` in the
gemeente's catalogue folder replaces the list as a whole. The loader reads the file
(``kic.controls.loader``); here it is checked, so that ``kic controls validate`` reports its problems
like those of any control file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kic.controls.errors import Problem
from kic.resources import resource_dir

CAUSES_FILE = "oorzaken.yaml"
MAX_CODE = 40  # review.cause_code


@dataclass(frozen=True)
class Cause:
    code: str
    label: str


def default_causes_file() -> Path:
    """kic's own list, used when no catalogue folder has one."""
    return resource_dir("controls") / CAUSES_FILE


def parse_causes(name: str, content: Any, problems: list[Problem]) -> tuple[Cause, ...]:
    """The causes of one file's YAML content; every problem is added to ``problems``."""
    entries = content.get("oorzaken") if isinstance(content, dict) else None
    if not isinstance(entries, list) or not entries:
        problems.append(
            Problem(name, None, "oorzaken", "verwacht een lijst 'oorzaken' met code en omschrijving")
        )
        return ()
    causes: list[Cause] = []
    for number, entry in enumerate(entries, start=1):
        code = str(entry.get("code", "")).strip() if isinstance(entry, dict) else ""
        label = str(entry.get("omschrijving", "")).strip() if isinstance(entry, dict) else ""
        where = f"oorzaken.{number}"
        if not code or not label:
            problems.append(Problem(name, None, where, "code en omschrijving zijn verplicht"))
        elif len(code) > MAX_CODE or "," in code:
            problems.append(
                Problem(
                    name, None, where, f"code '{code}' is langer dan {MAX_CODE} tekens of bevat een komma"
                )
            )
        elif code in {c.code for c in causes}:
            problems.append(Problem(name, None, where, f"code '{code}' staat er al eerder in"))
        else:
            causes.append(Cause(code, label))
    return tuple(causes)
