"""The accountant's re-performance: redo a selection from its manifest and the original export.

No database is involved: the export is read with the import's own rules, the population is
delimited as the manifest says, and the selection is run again with the manifest's seed. The
result lists every difference, item by item.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kic.controls.expressions import PREFIX, parse
from kic.gemeenten import normalise_code
from kic.population import Mapping, PopulationError, read_population_file
from kic.risk import RiskModelFile, load_risk_model
from kic.samples.draw import (
    KEY,
    KEY_FIELD,
    SampleError,
    population_hash,
    sample_population,
    select,
    spec_of,
    weigh,
)
from kic.samples.models import BESCHIKKING


@dataclass(frozen=True)
class Verification:
    matches: bool
    file_matches: bool
    population_matches: bool
    items_checked: int
    differences: tuple[str, ...] = field(default=())


def load_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SampleError(f"manifest {path} is niet te lezen: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("kic_manifest") != 1:
        raise SampleError(f"{path} is geen kic-manifest (versie 1)")
    return manifest


def verify(
    manifest: dict[str, Any],
    export: Path,
    mapping: Mapping | None = None,
    dossiers_export: Path | None = None,
) -> Verification:
    """Re-perform the selection of ``manifest`` on ``export`` and compare item by item.

    ``export`` is the betalingen file, or the beschikkingen file for a sample of beschikkingen;
    ``dossiers_export`` (the beschikkingen file) is needed when a filter over payments reads the beschikking.
    """
    spec = spec_of(manifest["steekproef"])
    model = _risk_model(manifest)
    # A file of one gemeente need not name it per row: an empty cell is the koppelbestand's gemeente or the
    # sample's own (rows of other gemeenten in such a file change the population hash, so nothing is hidden).
    fill = normalise_code(mapping.gemeente) if mapping and mapping.gemeente else spec.gemeente
    if spec.unit == BESCHIKKING:  # the export is the beschikkingen file itself
        rows, file_sha = _read("beschikkingen", export, mapping)
        rows["gemeente"] = rows["gemeente"].fillna(fill) if fill else rows["gemeente"]
        rows["id"] = range(len(rows))
        population = sample_population(None, spec, rows)
    else:
        rows, file_sha = _read("betalingen", export, mapping)
        dossiers = None
        if spec.needs_dossiers or (model is not None and _reads_dossier(model)):
            if dossiers_export is None:
                raise SampleError(
                    "de afbakening of de risicogewichten van deze steekproef lezen de beschikking: "
                    "geef ook het exportbestand van de beschikkingen"
                )
            dossiers = _read("beschikkingen", dossiers_export, mapping)[0]
        rows = rows.rename(columns=_STORED_NAMES)
        rows["gemeente"] = rows["gemeente"].fillna(fill) if fill else rows["gemeente"]
        rows["id"] = range(len(rows))
        population = sample_population(rows, spec, dossiers)
    if model is not None:
        hits = pd.Series(manifest.get("controletreffers", {}), dtype="int64")
        population = weigh(population, dossiers, model, hits)
    facts = manifest["populatie"]
    differences: list[str] = []
    file_matches = file_sha == facts["bestand_sha256"]
    if not file_matches:
        differences.append("het exportbestand is niet hetzelfde bestand als bij de trekking (andere SHA-256)")
    population_matches = population_hash(population) == facts["inhoud_sha256"]
    if not population_matches:
        differences.append(
            f"de afgebakende populatie verschilt: {len(population)} posten, manifest zegt {facts['aantal']}"
        )
    earlier = set(
        manifest.get("uitbreiding", {}).get("eerder_getrokken", [])
    )  # an extension draws from the rest
    selection = select(
        population.loc[~population[KEY].isin(earlier)].reset_index(drop=True),
        spec,
        manifest["steekproef"]["seed"],
    )
    redone = [*zip(selection.ids, selection.hits, strict=True), *((k, 1) for k in selection.key_ids)]
    recorded = [(item[KEY_FIELD[spec.unit]], item["treffers"]) for item in manifest["posten"]]
    differences += _compare(recorded, redone)
    return Verification(not differences, file_matches, population_matches, len(recorded), tuple(differences))


_STORED_NAMES = {
    "amount": "amount_cents",
    "norm_amount": "norm_amount_cents",
    "income_amount": "income_amount_cents",
    "volume": "volume_milli",
}  # the export's typed columns under the names load_payments gives


def _read(kind: str, path: Path, mapping: Mapping | None) -> tuple[Any, str]:
    try:
        return read_population_file(kind, path, mapping)
    except PopulationError as exc:
        raise SampleError(f"exportbestand {path.name} is niet te lezen: {exc}") from exc


def _risk_model(manifest: dict[str, Any]) -> RiskModelFile | None:
    """The risk model the draw used; it must be the one in force here (same content hash)."""
    recorded = manifest.get("risicomodel")
    if not recorded:
        return None
    model = load_risk_model()
    if model.content_hash != recorded["inhoud_sha256"]:
        raise SampleError(
            f"het risicomodel van de trekking (versie {recorded['versie']}) is niet het risicomodel "
            f"hier (versie {model.version}); zet dezelfde risk.yaml klaar (KIC_CONTROLS_DIR)"
        )
    return model


def _reads_dossier(model: RiskModelFile) -> bool:
    return any(n.startswith(PREFIX) for f in model.factors for n in parse(f.condition).names)


def _compare(recorded: list[tuple[str, int]], redone: list[tuple[str, int]]) -> list[str]:
    out = []
    for position, (old, new) in enumerate(zip(recorded, redone, strict=False), start=1):
        if old != new:
            out.append(
                f"positie {position}: manifest {old[0]} ({old[1]}×), opnieuw getrokken {new[0]} ({new[1]}×)"
            )
    if len(recorded) != len(redone):
        out.append(f"aantal posten: manifest {len(recorded)}, opnieuw getrokken {len(redone)}")
    return out
