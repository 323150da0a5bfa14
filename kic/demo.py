"""The main job end to end on a fresh embedded database and a synthetic gemeente.

Every stage of the cycle that exists adds its step here, so that ``kic demo`` always shows the
whole product working. Steps report through ``echo`` so the CLI stays a thin shell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kic.db import make_engine, session_scope, upgrade
from kic.formatting import datum, euro, number
from kic.population import AlreadyImported, ImportRejected, import_population
from kic.population.parse import cents_to_decimal
from kic.synth import generate

Echo = Callable[[str], None]
DEMO_USER = "demo"


@dataclass
class DemoResult:
    out_dir: Path
    database: Path
    snapshots: dict[str, int] = field(default_factory=dict)
    rejected_issues: int = 0
    repeat_refused: bool = False


def run_demo(out_dir: Path, *, payments: int = 40_000, seed: int = 2026, echo: Echo = print) -> DemoResult:
    """Generate a gemeente, create the database, import it, and show the safeguards of the import."""
    out_dir.mkdir(parents=True, exist_ok=False)
    database = out_dir / "kic.sqlite"
    result = DemoResult(out_dir, database)
    engine = make_engine(f"sqlite:///{database}")
    try:
        files = _step_synth(out_dir, payments, seed, echo)
        _step_database(engine, echo)
        _step_import(engine, files, result, echo)
        _step_safeguards(engine, files.payments, out_dir, result, echo)
    finally:
        engine.dispose()
    echo("")
    echo(f"Klaar. Alles staat in {out_dir}:")
    echo(f"  database      {database}")
    echo(f"  export        {files.payments.parent}")
    return result


def _step_synth(out_dir: Path, payments: int, seed: int, echo: Echo):  # type: ignore[no-untyped-def]
    echo(f"1. Synthetische gemeente maken ({number(payments)} betalingen, seed {seed}) ...")
    synth = generate(out_dir / "export", payments=payments, seed=seed)
    echo(f"   {number(synth.payments)} betalingen, {number(synth.dossiers)} beschikkingen, "
         f"{number(synth.errors)} ingebrachte fouten (werkelijke fout {euro(cents_to_decimal(synth.total_error))})")
    echo(f"   De grondwaarheid staat apart in {synth.ground_truth_path.name}.")
    return _Files(synth.payments_path, synth.dossiers_path)


@dataclass(frozen=True)
class _Files:
    payments: Path
    dossiers: Path


def _step_database(engine, echo: Echo) -> None:  # type: ignore[no-untyped-def]
    revision = upgrade(engine)
    echo(f"2. Database aangemaakt (SQLite, migratieversie {revision}).")


def _step_import(engine, files: _Files, result: DemoResult, echo: Echo) -> None:  # type: ignore[no-untyped-def]
    echo("3. Populaties importeren (alles of niets) ...")
    for kind, path in (("beschikkingen", files.dossiers), ("betalingen", files.payments)):
        with session_scope(engine) as session:
            imported = import_population(session, kind, path, actor=DEMO_USER)
        result.snapshots[kind] = imported.snapshot_id
        echo(f"   {kind}: populatie {imported.snapshot_id}, {number(imported.row_count)} regels, "
             f"debet {euro(imported.total_debit)}, credit {euro(imported.total_credit)}, "
             f"periode {datum(imported.period_from)} t/m {datum(imported.period_to)} ({number(round(imported.seconds, 1))} s)")


def _step_safeguards(engine, payments: Path, out_dir: Path, result: DemoResult,  # type: ignore[no-untyped-def]
                     echo: Echo) -> None:
    echo("4. Waarborgen van de import tonen ...")
    with session_scope(engine) as session:
        try:
            import_population(session, "betalingen", payments, actor=DEMO_USER)
        except AlreadyImported as exc:
            result.repeat_refused = True
            echo(f"   Tweede import van hetzelfde bestand geweigerd: {exc}")
    broken = _broken_copy(payments, out_dir / "export" / "betalingen_met_fouten.csv")
    with session_scope(engine) as session:
        try:
            import_population(session, "betalingen", broken, actor=DEMO_USER)
        except ImportRejected as exc:
            result.rejected_issues = len(exc.issues)
            echo(f"   Bestand met fouten geweigerd, niets opgeslagen: {exc}")
            for issue in exc.issues:
                echo(f"     {issue}")


def _broken_copy(source: Path, target: Path) -> Path:
    """A short copy of the export with three typical mistakes, to show the import refusing it."""
    lines = source.read_text(encoding="utf-8-sig").splitlines()[:6]
    header = lines[0].split(";")
    rows = [line.split(";") for line in lines[1:]]
    rows[0][header.index("bsn")] = "123456789"  # fails the elfproef
    rows[1][header.index("bedrag")] = "12,34,56"
    rows[2][header.index("regeling")] = "XYZ"
    rows[3][header.index("betaling_id")] = "DEMO-NIEUW-1"
    rows[4][header.index("betaling_id")] = "DEMO-NIEUW-1"  # duplicate within the file
    target.write_text("\n".join([";".join(header)] + [";".join(r) for r in rows]) + "\n", encoding="utf-8-sig")
    return target
