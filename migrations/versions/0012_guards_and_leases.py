"""the database refuses every side door: frozen and append-only tables, TRUNCATE, REPLACE; job leases

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 10:00:00

"Bevroren" was enforced by the application for most tables. Now the database refuses, on SQLite and
PostgreSQL alike:
- UPDATE and DELETE of a published report version, of the rows of an imported population (payments,
  beschikkingen) and of control results;
- DELETE of a population snapshot, and any UPDATE of one except the single change kic makes
  (actief -> vervangen, nothing else);
- UPDATE and DELETE of a review once it is afgerond, and of the verdicts of such a review;
- TRUNCATE of every protected table (PostgreSQL: row triggers do not fire on TRUNCATE);
- REPLACE INTO / INSERT OR REPLACE over an existing row (SQLite: it deletes without delete triggers).
A role that owns the tables can still drop a trigger: kic serve and the CLI connect as an application
role that owns nothing (docs/architecture.md, "Databaserollen"; ``kic db rechten``).

``job_run.lease_until``: a running job's lease, renewed by its scheduler; a run whose scheduler died
is claimed again after the lease has passed instead of staying "bezig" forever.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kic.db.immutable import (
    create_refuse_function,
    drop_guard,
    drop_refuse_function,
    refuse_replace,
    refuse_rows,
    refuse_truncate,
)

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROZEN = {  # table -> message; UPDATE and DELETE refused for every row
    'report_version': 'report_version is immutable once published',
    'payment': 'payment is frozen once imported',
    'dossier': 'dossier is frozen once imported',
    'control_result': 'control_result is append-only',
}
PROTECTED = (  # TRUNCATE refused (PostgreSQL)
    'audit_event', 'sample', 'sample_item', 'report_version', 'payment', 'dossier', 'population_snapshot',
    'control_result', 'review', 'review_control',
)
NO_REPLACE = tuple(t for t in PROTECTED if t != 'control_result')  # control_result has no key to replace on
SNAPSHOT_COLUMNS = (
    'id', 'kind', 'source_name', 'sha256', 'file_format', 'row_count', 'total_debit', 'total_credit',
    'period_from', 'period_to', 'imported_at', 'imported_by',
)
FINISHED = "'afgerond'"


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == 'postgresql'
    op.add_column('job_run', sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
    create_refuse_function(op)
    for table, message in FROZEN.items():
        refuse_rows(op, table, 'UPDATE', message)
        refuse_rows(op, table, 'DELETE', message)
    refuse_rows(op, 'population_snapshot', 'DELETE', 'population_snapshot is frozen once imported')
    distinct = 'IS DISTINCT FROM' if postgresql else 'IS NOT'
    mapping = 'NEW.mapping::text IS DISTINCT FROM OLD.mapping::text' if postgresql else 'NEW.mapping IS NOT OLD.mapping'
    changed = ' OR '.join([f'NEW.{c} {distinct} OLD.{c}' for c in SNAPSHOT_COLUMNS] + [mapping])
    refuse_rows(
        op, 'population_snapshot', 'UPDATE',
        'population_snapshot is frozen once imported: only actief -> vervangen',
        f"NOT (OLD.status = 'actief' AND NEW.status = 'vervangen') OR {changed}",
    )
    refuse_rows(op, 'review', 'UPDATE', 'review is frozen once afgerond', f'OLD.status = {FINISHED}')
    refuse_rows(op, 'review', 'DELETE', 'review is frozen once afgerond', f'OLD.status = {FINISHED}')
    _refuse_verdicts_of_finished_reviews(postgresql)
    for table in PROTECTED:
        refuse_truncate(op, table, f'{table} cannot be truncated')
    for table in NO_REPLACE:
        refuse_replace(op, table, f'{table}: an existing row cannot be replaced')


def _refuse_verdicts_of_finished_reviews(postgresql: bool) -> None:
    """The verdicts of a finished review: the condition reads the review, and PostgreSQL allows no
    subquery in a trigger's WHEN, so there the test is in the function."""
    parent_finished = f'(SELECT status FROM review WHERE id = OLD.review_id) = {FINISHED}'
    message = 'review_control is frozen once its review is afgerond'
    if not postgresql:
        refuse_rows(op, 'review_control', 'UPDATE', message, parent_finished)
        refuse_rows(op, 'review_control', 'DELETE', message, parent_finished)
        return
    op.execute(
        'CREATE FUNCTION kic_review_control_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
        f"IF {parent_finished} THEN RAISE EXCEPTION '{message}'; END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
    )
    for verb in ('update', 'delete'):
        op.execute(
            f'CREATE TRIGGER review_control_no_{verb} BEFORE {verb.upper()} ON review_control '
            'FOR EACH ROW EXECUTE FUNCTION kic_review_control_guard()'
        )


def downgrade() -> None:
    for table in NO_REPLACE:
        drop_guard(op, table, 'replace')
    for table in PROTECTED:
        drop_guard(op, table, 'truncate')
    for table in ('review_control', 'review', 'population_snapshot', *FROZEN):
        drop_guard(op, table, 'update')
        drop_guard(op, table, 'delete')
    drop_refuse_function(op)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION kic_review_control_guard()')
    op.drop_column('job_run', 'lease_until')
