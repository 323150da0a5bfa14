"""control results as narrow integer rows without per-row foreign keys

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:00:00

A run over a million payments stores about twelve million results. In 0002 every result row
carried three foreign keys (run, control version, payment), a serial primary key, an index on
``run_id`` and the status, reason code and Dutch explanation as text: storing one run took 136 s
on PostgreSQL, nearly all of it checking and maintaining those per row.

From here a result is six integers: run, control index (its number within the run), payment row
id, status code (0 voldoet, 1 fout, 2 nvt, 3 niet_te_beoordelen), reason index and difference in
cents. The meaning of the numbers is stored once per run: ``control_run_control.control_index``
(with ``failure``, why a check could not run) and the new ``control_run_reason`` (reason code and
explanation). The view ``control_result_detail`` joins them back into readable rows.

Why no foreign keys and no primary key on ``control_result``: ``run_controls`` writes a run, its
control versions, its reasons and all its results in one transaction, with indexes it has just
assigned itself, and payments are never deleted (an import only adds a snapshot), so a reference
cannot dangle; the small tables keep their foreign keys to ``control_run``. The one index left is
partial, on the fout rows of a run: those are read back (findings, risk weights), and keeping it
costs little because only a few percent of the results are fout.

Existing results are converted; the downgrade converts them back.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kic.db.base

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_NAMES = ("voldoet", "fout", "nvt", "niet_te_beoordelen")  # position = stored code
STATUS_TEXT = "CASE {column} " + " ".join(f"WHEN {i} THEN '{n}'" for i, n in enumerate(STATUS_NAMES)) + " END"
STATUS_CODE = "CASE {column} " + " ".join(f"WHEN '{n}' THEN {i}" for i, n in enumerate(STATUS_NAMES)) + " END"

VIEW = f"""
CREATE VIEW control_result_detail AS
SELECT r.run_id, p.payment_id AS betaling_id, p.regeling, c.control_id, c.version, c.content_hash,
       {STATUS_TEXT.format(column='r.status')} AS status, r.difference, e.reason_code, e.explanation,
       c.failure, r.payment_row_id
FROM control_result r
JOIN control_run_control c ON c.run_id = r.run_id AND c.control_index = r.control_index
JOIN control_run_reason e ON e.run_id = r.run_id AND e.reason_index = r.reason_index
JOIN payment p ON p.id = r.payment_row_id
"""


# The number of a control version within its run: 0, 1, ... in the order they were stored.
CONTROL_INDEX = """(SELECT COUNT(*) FROM control_run_control o
                    WHERE o.run_id = control_run_control.run_id AND o.id < control_run_control.id)"""


def upgrade() -> None:
    # control_run_control is altered last: on SQLite that recreates it, which must not happen
    # while the old results still refer to it.
    _create_reasons()
    op.create_table('control_result_new',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('control_index', sa.SmallInteger(), nullable=False),
    sa.Column('payment_row_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.SmallInteger(), nullable=False),
    sa.Column('reason_index', sa.SmallInteger(), nullable=False),
    sa.Column('difference', kic.db.base.Money(), nullable=False),
    )
    op.execute(f"""
        INSERT INTO control_result_new (run_id, control_index, payment_row_id, status, reason_index, difference)
        SELECT r.run_id, {CONTROL_INDEX}, r.payment_row_id, {STATUS_CODE.format(column='r.status')},
               e.reason_index, r.difference
        FROM control_result r JOIN control_run_control ON control_run_control.id = r.run_control_id
        JOIN control_run_reason e ON e.run_id = r.run_id AND e.reason_code = r.reason_code""")
    with op.batch_alter_table('control_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_control_result_run_id'))
    op.drop_table('control_result')
    op.rename_table('control_result_new', 'control_result')
    op.create_index('ix_control_result_fout', 'control_result', ['run_id'], unique=False,
                    sqlite_where=sa.text('status = 1'), postgresql_where=sa.text('status = 1'))
    _number_control_versions()
    op.execute(VIEW)


def _number_control_versions() -> None:
    with op.batch_alter_table('control_run_control', schema=None) as batch_op:
        batch_op.add_column(sa.Column('control_index', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('failure', sa.Text(), nullable=True))
    op.execute(f"UPDATE control_run_control SET control_index = {CONTROL_INDEX}")
    with op.batch_alter_table('control_run_control', schema=None) as batch_op:
        batch_op.alter_column('control_index', existing_type=sa.SmallInteger(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_control_run_control_run_id_control_index'),
                                          ['run_id', 'control_index'])


def _create_reasons() -> None:
    op.create_table('control_run_reason',
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('reason_index', sa.SmallInteger(), autoincrement=False, nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['control_run.id'], name=op.f('fk_control_run_reason_run_id_control_run')),
    sa.PrimaryKeyConstraint('run_id', 'reason_index', name=op.f('pk_control_run_reason'))
    )
    op.execute("""
        INSERT INTO control_run_reason (run_id, reason_index, reason_code, explanation)
        SELECT run_id, ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY reason_code) - 1, reason_code, MAX(detail)
        FROM control_result GROUP BY run_id, reason_code""")


def downgrade() -> None:
    # Converted into a plain table first, so that control_run_control can be recreated (SQLite)
    # before the 0002 table with its foreign keys refers to it again.
    op.execute("DROP VIEW control_result_detail")
    op.drop_index('ix_control_result_fout', table_name='control_result')
    # 0002 kept the explanation only where someone needs to read why: fout and niet_te_beoordelen.
    op.execute(f"""
        CREATE TABLE control_result_0002 AS
        SELECT r.run_id, c.id AS run_control_id, r.payment_row_id, {STATUS_TEXT.format(column='r.status')} AS status,
               r.difference, e.reason_code, CASE WHEN r.status IN (1, 3) THEN e.explanation END AS detail
        FROM control_result r
        JOIN control_run_control c ON c.run_id = r.run_id AND c.control_index = r.control_index
        JOIN control_run_reason e ON e.run_id = r.run_id AND e.reason_index = r.reason_index""")
    op.drop_table('control_result')
    op.drop_table('control_run_reason')
    with op.batch_alter_table('control_run_control', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_control_run_control_run_id_control_index'), type_='unique')
        batch_op.drop_column('failure')
        batch_op.drop_column('control_index')
    op.create_table('control_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('run_control_id', sa.Integer(), nullable=False),
    sa.Column('payment_row_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('difference', kic.db.base.Money(), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['payment_row_id'], ['payment.id'], name=op.f('fk_control_result_payment_row_id_payment')),
    sa.ForeignKeyConstraint(['run_control_id'], ['control_run_control.id'], name=op.f('fk_control_result_run_control_id_control_run_control')),
    sa.ForeignKeyConstraint(['run_id'], ['control_run.id'], name=op.f('fk_control_result_run_id_control_run')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_control_result'))
    )
    op.execute("""
        INSERT INTO control_result (run_id, run_control_id, payment_row_id, status, difference, reason_code, detail)
        SELECT run_id, run_control_id, payment_row_id, status, difference, reason_code, detail
        FROM control_result_0002 ORDER BY run_id, run_control_id, payment_row_id""")
    op.drop_table('control_result_0002')
    with op.batch_alter_table('control_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_control_result_run_id'), ['run_id'], unique=False)
