"""A Markdown overview of the catalogue, generated: ``python -m kic.controls.overview > docs/catalogue.md``.

A test regenerates it and compares, so the overview can never drift from the YAML files.
"""

from __future__ import annotations

from kic.controls.catalogue import ALLE, Control
from kic.controls.loader import Catalogue, load_catalogue
from kic.population.schema import REGELINGEN


def render(catalogue: Catalogue) -> str:
    controls = catalogue.all_versions()
    automated = {c.id for c in catalogue.automated()}
    intro = (
        "Gegenereerd uit `controls/` met `python -m kic.controls.overview > docs/catalogue.md`; "
        "niet met de hand bewerken."
    )
    counts = (
        f"{len(catalogue.ids())} controles ({len(controls)} versies), waarvan {len(automated)} "
        "geautomatiseerd. Een grondslag met * is nog niet nagelopen op wetten.overheid.nl."
    )
    lines = ["# Normenkader (overzicht)", "", intro, "", counts, ""]
    for regeling in [ALLE, *REGELINGEN]:
        part = [c for c in controls if c.regeling == regeling]
        if part:
            lines += _section(regeling, part)
    if catalogue.tables:
        lines += [
            "## Referentietabellen",
            "",
            "| tabel | rijen | niet geverifieerd | geldig vanaf |",
            "|---|---|---|---|",
        ]
        for name, table in sorted(catalogue.tables.items()):
            first = min(str(r["geldig_van"]) for r in table.rows)
            lines.append(f"| `{name}` | {len(table.rows)} | {len(table.unverified_rows())} | {first} |")
        lines.append("")
    lines += _unverified(catalogue)
    return "\n".join(lines)


def _unverified(catalogue: Catalogue) -> list[str]:
    """The section that lists every control version whose grondslag and every table row whose figures are not
    verified: what a gemeente (or the next review round) still has to check."""
    controls = [c for c in catalogue.all_versions() if not c.legal_basis_verified]
    rows = [
        (name, row) for name, table in sorted(catalogue.tables.items()) for row in table.unverified_rows()
    ]
    lines = [
        "## Niet geverifieerd",
        "",
        "Wat hieronder staat, is nog niet tegen een bron nagelopen (zie `docs/catalogue-sources.md`). Een "
        "controle zonder geverifieerde grondslag wordt gewoon gebruikt; een tabelrij zonder geverifieerde "
        "bedragen is een schatting of een nog te vervangen waarde, en `norm_volgens_tabel` geeft op zo'n rij "
        "'niet te beoordelen'. Vervang de rijen in de eigen map van de gemeente.",
        "",
        f"### Controles ({len(controls)} versies)",
        "",
    ]
    if controls:
        lines += ["| id | v | geldig | grondslag |", "|---|---|---|---|"]
        for c in controls:
            until = str(c.valid_to) if c.valid_to else "…"
            lines.append(f"| {c.id} | {c.version} | {c.valid_from} – {until} | {_cell(c.legal_basis)} |")
    else:
        lines.append("Geen.")
    lines += ["", f"### Tabelrijen ({len(rows)})", ""]
    if rows:
        lines += ["| tabel | geldig | rij | toelichting |", "|---|---|---|---|"]
        for name, row in rows:
            until = str(row.get("geldig_tot") or "…")
            key = ", ".join(str(row[k]) for k in catalogue.tables[name].key if row.get(k) is not None)
            note = row.get("opmerking") or row.get("bron") or row.get("grondslag") or ""
            lines.append(f"| `{name}` | {row['geldig_van']} – {until} | {_cell(key)} | {_cell(str(note))} |")
    else:
        lines.append("Geen.")
    return [*lines, ""]


def _section(regeling: str, controls: list[Control]) -> list[str]:
    title = "Alle regelingen" if regeling == ALLE else f"{regeling} — {REGELINGEN[regeling]}"
    lines = [
        f"## {title}",
        "",
        "| id | v | geldig | criterium | fout | vraag | grondslag | automatisch |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in controls:
        until = str(c.valid_to) if c.valid_to else "…"
        basis = c.legal_basis + ("" if c.legal_basis_verified else " *")
        lines.append(
            f"| {c.id} | {c.version} | {c.valid_from} – {until} | {c.criterion.value} | "
            f"{c.error_type.value} | {_cell(c.question)} | {_cell(basis)} | {_cell(_automated(c))} |"
        )
    return [*lines, ""]


def _automated(control: Control) -> str:
    automated = control.automated
    if automated is None:
        return ""
    if automated.check:
        return f"`{automated.check}`"
    return f"`{automated.rule}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


if __name__ == "__main__":
    print(render(load_catalogue(override=None)), end="")
