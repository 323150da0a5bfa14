"""Load the catalogue: the shipped controls/ plus a gemeente's own folder, searched first.

Every ``*.yaml`` at the top of a folder that has ``controles`` (or ``regeling``) is a control
file; ``tabellen/*.yaml`` are reference tables; ``oorzaken.yaml`` is the list of cause codes (the
last folder that has one gives it); other YAML files (a risk model, a controleplan) are not controls
and are left to their own readers. YAML is read with ``safe_load`` only.
Every problem in every file is collected before anything is refused.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kic.controls import checks
from kic.controls.catalogue import ALLE, Control, ControlFile
from kic.controls.causes import CAUSES_FILE, Cause, default_causes_file, parse_causes
from kic.controls.errors import ControlDefinitionError, Problem, UnknownControl, dutch_message
from kic.controls.tables import Table, merge, parse_table
from kic.resources import resource_dir

OVERRIDE_ENV = "KIC_CONTROLS_DIR"
TABLES = "tabellen"


@dataclass
class Catalogue:
    """All versions of all controls, and the reference tables, after overrides."""

    versions: dict[str, list[Control]] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    folders: tuple[Path, ...] = ()
    causes: tuple[Cause, ...] = ()  # the oorzaken a reviewer may give a finding

    def ids(self) -> list[str]:
        return sorted(self.versions)

    def all_versions(self) -> list[Control]:
        return [c for cid in self.ids() for c in self.versions[cid]]

    def version_for(self, control_id: str, day: date) -> Control:
        """The version of ``control_id`` valid on ``day`` (the payment's period, not today)."""
        if control_id not in self.versions:
            raise UnknownControl(f"onbekende controle '{control_id}'")
        for control in self.versions[control_id]:
            if control.valid_on(day):
                return control
        raise UnknownControl(f"controle {control_id} heeft geen versie geldig op {day:%d-%m-%Y}")

    def automated(self, regeling: str | None = None) -> list[Control]:
        return [
            c
            for c in self.all_versions()
            if c.automated is not None and (regeling is None or c.regeling in (regeling, ALLE))
        ]

    def cause_codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.causes)

    def cause_labels(self) -> dict[str, str]:
        return {c.code: c.label for c in self.causes}

    def unknown_cause(self, code: str | None) -> str | None:
        """Why ``code`` is not one of the causes (Dutch), or None when it is one or none is given."""
        if code is None or code in self.cause_codes():
            return None
        return f"onbekende oorzaak '{code}'; kies uit {', '.join(self.cause_codes())}"

    @property
    def content_hash(self) -> str:
        """sha256 over every control version's hash and every table: what a run was judged against."""
        parts = [f"{c.id}/{c.version}/{c.content_hash}" for c in self.all_versions()]
        parts += [
            json.dumps({"tabel": t.name, "rijen": list(t.rows)}, sort_keys=True, default=str)
            for t in sorted(self.tables.values(), key=lambda t: t.name)
        ]
        return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def override_dir(explicit: Path | None = None) -> Path | None:
    """The gemeente's folder: the argument, else ``KIC_CONTROLS_DIR``, else none."""
    if explicit is not None:
        return explicit
    value = os.environ.get(OVERRIDE_ENV)
    return Path(value) if value else None


def load_catalogue(override: Path | None = None, *, shipped: Path | None = None) -> Catalogue:
    """The shipped catalogue with the override folder laid over it; raise ControlDefinitionError."""
    catalogue, problems = _load(override, shipped)
    if problems:
        raise ControlDefinitionError(problems)
    return catalogue


def problems_of(override: Path | None = None, *, shipped: Path | None = None) -> list[Problem]:
    """Every problem of the catalogue (``kic controls validate``): what refuses it to load, and what its
    automated rules meet when they run over a frame without rows (the column types checked too)."""
    from kic.controls.engine import expression_problems  # the engine needs this module: import late

    catalogue, problems = _load(override, shipped)
    return problems + expression_problems(catalogue)


def _load(override: Path | None, shipped: Path | None) -> tuple[Catalogue, list[Problem]]:
    """The catalogue of every control that is valid on its own, and every problem found."""
    folders = [f for f in (shipped or resource_dir("controls"), override_dir(override)) if f is not None]
    problems: list[Problem] = []
    layers = []
    for folder in folders:
        if not folder.is_dir():
            problems.append(Problem(str(folder), None, "", "map bestaat niet"))
            continue
        layers.append((_read_controls(folder, problems), _read_tables(folder, problems)))
    catalogue = _combine(layers, problems)
    catalogue.folders = tuple(folders)
    catalogue.causes = _read_causes([f for f in folders if f.is_dir()], problems)
    problems += _table_references(catalogue)
    return catalogue, problems


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problems.append(Problem(path.name, None, where, f"geen geldige YAML: {getattr(exc, 'problem', exc)}"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path.name, None, "", f"niet te lezen: {exc}"))
    return None


def _read_controls(folder: Path, problems: list[Problem]) -> list[Control]:
    controls: list[Control] = []
    seen: dict[tuple[str, int], str] = {}
    for path in _yaml_files(folder):
        if path.name == CAUSES_FILE:
            continue  # read by _read_causes
        content = _read_yaml(path, problems)
        if not isinstance(content, dict) or not ({"controles", "regeling"} & set(content)):
            continue
        for control in _validate_file(path.name, content, problems):
            key = (control.id, control.version)
            if key in seen:
                problems.append(
                    Problem(
                        path.name, control.id, "versie", f"versie {control.version} staat ook in {seen[key]}"
                    )
                )
            seen[key] = path.name
            controls.append(control)
    return controls


def _validate_file(name: str, content: dict[str, Any], problems: list[Problem]) -> list[Control]:
    """Each control on its own, so that one bad control does not hide the problems of the others."""
    entries = content.get("controles")
    try:
        regeling = ControlFile.model_validate({**content, "controles": []}).regeling
    except ValidationError as exc:
        problems.extend(_problems_of(name, content, exc))
        regeling = ALLE
    if not isinstance(entries, list):
        problems.append(
            Problem(
                name,
                None,
                "controles",
                "moet een lijst van controles zijn" if "controles" in content else "verplicht veld ontbreekt",
            )
        )
        return []
    controls = []
    for index, entry in enumerate(entries):
        try:
            controls.append(Control.model_validate(entry).placed(regeling, name))
        except ValidationError as exc:
            problems.extend(_problems_of(name, content, exc, ("controles", index)))
    return controls


def _problems_of(
    name: str, content: dict[str, Any], exc: ValidationError, prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    result = []
    for error in exc.errors():
        loc = [*prefix, *error["loc"]]
        control_id = None
        if len(loc) >= 2 and loc[0] == "controles" and isinstance(loc[1], int):
            entry = (content.get("controles") or [None] * (loc[1] + 1))[loc[1]]
            control_id = (
                str(entry.get("id")) if isinstance(entry, dict) and entry.get("id") else f"#{loc[1] + 1}"
            )
            loc = loc[2:]
        path = ".".join(str(part) if not isinstance(part, int) else f"[{part}]" for part in loc).replace(
            ".[", "["
        )
        result.append(Problem(name, control_id, path, dutch_message(error)))
    return result


def _read_tables(folder: Path, problems: list[Problem]) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    if not (folder / TABLES).is_dir():
        return tables
    for path in _yaml_files(folder / TABLES):
        content = _read_yaml(path, problems)
        table, found = parse_table(path.stem, content, f"{TABLES}/{path.name}")
        problems.extend(found)
        if table is not None:
            tables[table.name] = table
    return tables


def _read_causes(folders: list[Path], problems: list[Problem]) -> tuple[Cause, ...]:
    """The list of the last folder that has an ``oorzaken.yaml`` (a gemeente's replaces the shipped one);
    kic's own list when none has (a catalogue folder given in its place, as tests do)."""
    path = next(
        (f / CAUSES_FILE for f in reversed(folders) if (f / CAUSES_FILE).is_file()), default_causes_file()
    )
    content = _read_yaml(path, problems)
    return () if content is None else parse_causes(path.name, content, problems)


def _combine(layers: Iterable[tuple[list[Control], dict[str, Table]]], problems: list[Problem]) -> Catalogue:
    """Later layers (the gemeente's) replace the same id + versie and add new ones. A gemeente's version of
    a control also takes over the dates it covers from the shipped versions of that id: a new shipped
    version never collides with a gemeente's own (overlap is only an error within one layer)."""
    by_key: dict[tuple[str, int], Control] = {}
    tables: dict[str, Table] = {}
    for controls, layer_tables in layers:
        for own in controls:
            by_key = {
                key: earlier
                for key, earlier in by_key.items()
                if earlier.id != own.id or earlier.version == own.version or not _overlap(earlier, own)
            }
        by_key.update({(c.id, c.version): c for c in controls})
        for name, table in layer_tables.items():
            tables[name] = merge(tables[name], table) if name in tables else table
    versions: dict[str, list[Control]] = {}
    for control in sorted(by_key.values(), key=lambda c: (c.id, c.version)):
        versions.setdefault(control.id, []).append(control)
    for control_id, found in versions.items():
        problems.extend(_dating_problems(control_id, found))
    return Catalogue(versions, tables)


def _overlap(one: Control, other: Control) -> bool:
    far = date.max
    return one.valid_from <= (other.valid_to or far) and other.valid_from <= (one.valid_to or far)


def _dating_problems(control_id: str, versions: list[Control]) -> list[Problem]:
    """Versions of one control may not overlap, and stay with one regeling."""
    problems = []
    for earlier, later in itertools.pairwise(versions):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            problems.append(
                Problem(
                    later.source,
                    control_id,
                    "geldig_van",
                    f"versie {later.version} overlapt met versie {earlier.version} "
                    "(zet geldig_tot van de vorige versie vóór deze geldig_van)",
                )
            )
        if earlier.regeling != later.regeling:
            problems.append(
                Problem(
                    later.source,
                    control_id,
                    "regeling",
                    f"versie {later.version} hoort bij {later.regeling}, "
                    f"versie {earlier.version} bij {earlier.regeling}",
                )
            )
    return problems


def _table_references(catalogue: Catalogue) -> list[Problem]:
    """A check that names a reference table needs that table in the catalogue."""
    problems = []
    for control in catalogue.all_versions():
        automated = control.automated
        if automated is None or automated.check is None:
            continue
        name = getattr(checks.validate_parameters(automated.check, automated.parameters), "tabel", None)
        if name and name not in catalogue.tables:
            problems.append(
                Problem(
                    control.source,
                    control.id,
                    "automatisch.parameters.tabel",
                    f"tabel '{name}' bestaat niet in {TABLES}/",
                )
            )
    return problems
