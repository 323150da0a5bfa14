"""run_controls over a synthetic gemeente stored on SQLite and PostgreSQL, scored against its ground truth."""

from __future__ import annotations

from sqlalchemy import func, select, text

from kic.audit import AuditEvent
from kic.controls import load_catalogue
from kic.controls.groundtruth import compare, read_truth
from kic.controls.models import ControlResult, ControlRun, ControlRunControl
from kic.controls.run import load_findings, run_controls
from kic.db import session_scope

AUTOMATED_TYPES = {
    "NORM_ONJUIST",
    "BUITEN_PERIODE",
    "DUBBELE_BETALING",
    "GEEN_BESCHIKKING",
    "INKOMSTEN_NIET_VERREKEND",
    "VOLUME_BOVEN_TOEWIJZING",
    "BEDRAG_BOVEN_BESCHIKKING",
    "TARIEF_BOVEN_CONTRACT",
}


def test_run_stores_one_result_per_payment_and_control_and_finds_the_injected_errors(
    population, gemeente, catalogue
):
    with session_scope(population) as session:
        summary = run_controls(session, actor="tester", catalogue=catalogue)
    assert summary.payments == gemeente.payments and not summary.failures
    with session_scope(population) as session:
        stored = session.scalar(select(func.count()).select_from(ControlResult))
        run = session.get(ControlRun, summary.run_id)
        versions = session.scalars(select(ControlRunControl).where(ControlRunControl.run_id == run.id)).all()
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "controles_uitgevoerd")).one()
        findings = load_findings(session, summary.run_id)
    assert stored == summary.results == run.result_count
    assert run.catalogue_hash == catalogue.content_hash and audit.object_id == str(run.id)
    assert {v.content_hash for v in versions} == {c.content_hash for c in catalogue.automated()}
    # every payment is judged by the five general controls; WMO and JEUGD by three more, and the regelingen
    # with a norm (PW-LO, BBZ, IOAW, IOAZ) by their own norm control
    extra = sum(r.items for r in summary.per_regeling if r.regeling in ("WMO", "JEUGD"))
    normed = sum(r.items for r in summary.per_regeling if r.regeling in ("PW-LO", "BBZ", "IOAW", "IOAZ"))
    assert summary.results == 5 * gemeente.payments + 3 * extra + normed
    assert len(findings) == len(summary.findings)
    assert findings["difference"].sum() == summary.findings["difference"].sum()
    report = compare(findings, read_truth(gemeente.ground_truth_path))
    assert {t.fouttype for t in report.types} == AUTOMATED_TYPES
    for score in report.types:
        assert score.recall >= 0.9, score
    assert report.precision >= 0.9


def test_fout_totals_per_regeling_match_the_stored_differences(population, catalogue):
    with session_scope(population) as session:
        summary = run_controls(session, actor="tester", catalogue=catalogue, regeling="WMO")
        total = session.execute(
            text("SELECT SUM(difference) FROM control_result_detail WHERE status = 'fout' AND run_id = :r"),
            {"r": summary.run_id},
        ).scalar()
    assert [r.regeling for r in summary.per_regeling] == ["WMO"]
    assert summary.per_regeling[0].fout_cents == total > 0
    assert summary.per_regeling[0].controls == 8


def test_each_payment_is_judged_by_the_version_valid_on_its_period(population, catalogue_dir, tmp_path):
    own = tmp_path / "eigen"
    own.mkdir()
    (own / "wmo.yaml").write_text(VERSIONED, encoding="utf-8")
    catalogue = load_catalogue(own, shipped=catalogue_dir)
    with session_scope(population) as session:
        summary = run_controls(session, actor="tester", catalogue=catalogue, regeling="WMO")
        rows = session.execute(
            text(
                "SELECT r.version, p.period_from, r.status FROM control_result_detail r "
                "JOIN payment p ON p.id = r.payment_row_id WHERE r.control_id = 'WMO-99' AND r.run_id = :r"
            ),
            {"r": summary.run_id},
        ).all()
    assert rows and {str(period)[:10] < "2026-07-01" for version, period, _ in rows if version == 1} == {True}
    assert {str(period)[:10] >= "2026-07-01" for version, period, _ in rows if version == 2} == {True}
    assert {status for version, _, status in rows if version == 1} == {"voldoet"}
    assert {status for version, _, status in rows if version == 2} <= {"fout", "nvt"}


VERSIONED = """
regeling: WMO
controles:
  - id: WMO-99
    versie: 1
    geldig_van: 2015-01-01
    geldig_tot: 2026-06-30
    categorie: test
    vraag: Versie 1 keurt alles goed
    grondslag: test
    criterium: formeel
    fouttype: FORM
    automatisch: {regel: "regeling == 'WMO'"}
  - id: WMO-99
    versie: 2
    geldig_van: 2026-07-01
    categorie: test
    vraag: Versie 2 keurt elke debetregel af
    grondslag: test
    criterium: formeel
    fouttype: FORM
    automatisch: {voorwaarde: "bedrag > 0", regel: "bedrag < 0", verschil: "bedrag"}
"""
